"""Compliance: the duties of the rules against a log of what happened.

The log (YAML or CSV) lists events: ``date``, ``kind`` and, as the kind needs, ``id`` (of a
trigger such as a request or a change of contact person), ``ref`` (the trigger an answer or
notification refers to), the member (a field named after the parties' member enumeration),
``part`` and boolean fields (e.g. ``i_skrift``). Each duty gives *instances*: one per calendar
year for a yearly or unspecified duty (one per member of ``per`` when given), one per trigger event for an ``on_trigger`` duty (in the trigger's year),
one for a ``once`` duty. Each instance is judged by the rule that declares ``verdicts`` (see
:mod:`avtalsregler.project.declarations.verdicts`): the same definitions compute the verdict
here and are proved in that rule's spec. The member field of an event is named after the
parties' member enumeration, and ``part`` is the hub's id or that enumeration's name.

A bad log is an error with ``path:line:col`` and nothing is assessed.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avtalsregler.project.evaluate import evaluate
from avtalsregler.errors import DataError, Span, did_you_mean, expected_one_of
from avtalsregler.project.declarations.verdicts import Verdicts, fill
from avtalsregler.project.model import Clause, Duty, Project
from avtalsregler.project.source import MAX_YAML_BYTES, check_id, describe, load_yaml, short
from avtalsregler.project.inputs import read_text

MAX_LOG_YEARS = 100                     # the years one log can cover (each year is judged)

BASE_FIELDS = ("date", "kind", "id", "ref", "part", "note")
_TRUE = {"true": True, "ja": True, "yes": True, "1": True, "false": False, "nej": False, "no": False, "0": False}


@dataclass
class Event:
    date: datetime.date
    kind: str
    span: Span
    id: str | None = None
    ref: str | None = None
    member: str | None = None       # a value of the parties' member enumeration
    part: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    note: str = ""


@dataclass
class Log:
    path: str
    events: list[Event]
    as_of: datetime.date
    start: datetime.date | None = None    # the first day the log covers ('from:'), if given


@dataclass
class Verdict:
    year: int
    clause: str
    duty: Duty
    instance: str                 # "" or a member's label or a trigger id
    verdict: str                  # an outcome id of the verdicts declaration
    why: str                      # one line, Swedish
    sentence_id: str | None
    sentence: str
    due: datetime.date | None
    event: Event | None


# -- reading the log ------------------------------------------------------------------------------

def verdict_rule(project: Project) -> tuple[Clause, Verdicts]:
    """The rule that declares how a duty's instance is judged, and its declaration."""
    found = project.declared_once("verdicts")
    if found is None:
        raise DataError("no rule declares 'verdicts', so no duty can be judged", None,
                        "declare 'verdicts:' (inputs, due, outcomes) in the rule that defines the verdict")
    return found


def _member_enum(project: Project) -> str | None:
    found = project.declared_once("parties")
    return found[1].member_enum if found else None


def _parts(project: Project) -> tuple[str, ...]:
    found = project.declared_once("parties")
    return (found[1].hub_id, found[1].member_enum) if found else ()


def _fields(project: Project) -> tuple[str, ...]:
    member = _member_enum(project)
    return BASE_FIELDS + ((member,) if member else ())


def _known_kinds(project: Project) -> tuple[set[str], set[str]]:
    kinds, bools = set(verdict_rule(project)[1].recorded_only), set()
    for c in project.clauses.values():
        for d in c.duties.values():
            kinds.add(d.fulfilled_by)
            if d.trigger:
                kinds.add(d.trigger)
            bools.update(d.conditions)
    return kinds, bools


def _date(value: Any, span: Span, what: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DataError(f"{what} {value!r} is not a date", span, "write the date as YYYY-MM-DD, a day that exists")


def _event(raw: dict[str, tuple[Any, Span]], span: Span, project: Project, kinds: set[str],
           bools: set[str], keys: dict[str, Span] | None = None) -> Event:
    """One event; ``keys``: where each field's name is written (an unknown field is shown there)."""
    fields_ = _fields(project)
    for key, (value, kspan) in raw.items():
        if key not in fields_ and key not in bools:
            allowed = list(fields_) + sorted(bools)
            raise DataError(f"unknown field {short(key)} in an event", (keys or {}).get(key, kspan),
                            did_you_mean(key, allowed) or expected_one_of(allowed))
    if "date" not in raw or raw["date"][0] in (None, ""):
        raise DataError("an event has no 'date'", span, "add date: YYYY-MM-DD")
    if "kind" not in raw or raw["kind"][0] in (None, ""):
        raise DataError("an event has no 'kind'", span, expected_one_of(kinds))
    kind, kspan = raw["kind"]
    if not isinstance(kind, str):
        raise DataError(f"an event's kind must be a name, not {describe(kind)}", kspan, expected_one_of(kinds))
    if kind not in kinds:
        raise DataError(f"unknown event kind {kind!r}", kspan, did_you_mean(kind, kinds) or expected_one_of(kinds))
    ev = Event(_date(*raw["date"], "date"), kind, span)
    for key in ("id", "ref", "note"):
        if key in raw and raw[key][0] not in (None, ""):
            value, vspan = raw[key]
            if key == "note":
                if isinstance(value, (dict, list)):
                    raise DataError(f"a note must be a text, not {describe(value)}", vspan, "write the note as a text")
                setattr(ev, key, str(value))
            else:
                setattr(ev, key, check_id(str(value) if isinstance(value, int) and not isinstance(value, bool)
                                          else value, vspan, f"the event {key}", DataError))
    member_enum = _member_enum(project)
    if member_enum and member_enum in raw and raw[member_enum][0] not in (None, ""):
        enum = project.enums[member_enum]
        value, vspan = raw[member_enum]
        if not isinstance(value, str):
            raise DataError(f"the {member_enum} of an event must be a name, not {describe(value)}", vspan,
                            expected_one_of(enum.values))
        member = value if value in enum.values else next((k for k, lab in enum.labels.items() if lab == value), None)
        if member is None:
            raise DataError(f"{value!r} is not a {member_enum}", vspan, did_you_mean(value, enum.values) or
                            expected_one_of(enum.values))
        ev.member = member
    if "part" in raw and raw["part"][0] not in (None, ""):
        value, vspan = raw["part"]
        parts = _parts(project)
        if not isinstance(value, str):
            raise DataError(f"the part of an event must be a name, not {describe(value)}", vspan, expected_one_of(parts))
        if value not in parts:
            raise DataError(f"{value!r} is not a party", vspan, expected_one_of(parts))
        ev.part = value
    for key in bools:
        if key in raw and raw[key][0] not in (None, ""):
            value, vspan = raw[key]
            flag = value if isinstance(value, bool) else _TRUE.get(str(value).strip().lower())
            if flag is None:
                raise DataError(f"{key} must be true or false, not {value!r}", vspan, "write true or false")
            ev.flags[key] = flag
    return ev


def _yaml_events(path: str, text: str) -> tuple[list[tuple[dict, Span, dict]], Any]:
    root = load_yaml(path, text)
    if not root.is_map() or "events" not in root.value:
        raise DataError("an event log must be a mapping with 'events:' (and optionally 'as_of:')", root.span,
                        "see examples/events/")
    for key, child in root.items():
        if key not in ("events", "as_of", "from"):
            raise DataError(f"unknown key {short(key)} in an event log", child.key_span,
                            expected_one_of(("events", "as_of", "from")))
    events = root.value["events"]
    if not events.is_list():
        raise DataError("'events' must be a list", events.span)
    out = []
    for item in events.value:
        if not item.is_map():
            raise DataError("an event must be a mapping such as {date: 2020-03-01, kind: svar, ref: B1}", item.span)
        out.append(({k: (v.value, v.span) for k, v in item.items()}, item.span,
                    {k: item.key_span(k) for k in item.value}))
    bounds = {k: (root.value[k].value, root.value[k].span) for k in ("as_of", "from") if k in root.value}
    return out, bounds


def _csv_events(path: str, text: str) -> tuple[list[tuple[dict, Span, dict]], Any]:
    lines = text.splitlines()
    if not lines:
        raise DataError("the event log is empty", Span(path, 1, 1), "the first line names the columns: date,kind,…")
    first = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        raise DataError("the event log has only comments", Span(path, 1, 1), "the first line names the columns: date,kind,…")
    cells = next(csv.reader([lines[first]]))
    header = [h.strip() for h in cells]
    keys, col = {}, 1
    for name, cell in zip(header, cells, strict=True):      # a column's name: where it is in the header
        keys.setdefault(name, Span(path, first + 1, col + len(cell) - len(cell.lstrip())))
        col += len(cell) + 1
    missing = [c for c in ("date", "kind") if c not in header]
    if missing:
        raise DataError(f"the header on line {first + 1} names no {' and no '.join(repr(c) for c in missing)} "
                        f"column, so this is not an event log (its columns: {short(', '.join(header))})",
                        Span(path, first + 1, 1),
                        "an event log's header names the columns date,kind,…; a file of invoices is checked "
                        "with 'avtalsregler audit FILE'")
    out = []
    for no, line in enumerate(lines[first + 1:], start=first + 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader(io.StringIO(line)))
        if len(cells) > len(header):
            raise DataError(f"line has {len(cells)} cells but the header names {len(header)} columns",
                            Span(path, no, 1), "quote cells that contain commas")
        raw, col = {}, 1
        for name, cell in zip(header, cells):
            raw[name.strip()] = (cell.strip(), Span(path, no, col))
            col += len(cell) + 1
        out.append((raw, Span(path, no, 1), keys))
    return out, {}


def load_log(path: str | Path, project: Project) -> Log:
    shown = str(path)
    text = read_text(path, shown, limit=MAX_YAML_BYTES, error=DataError, what="the event log")
    raw, bounds = (_csv_events if shown.lower().endswith(".csv") else _yaml_events)(shown, text)
    kinds, bools = _known_kinds(project)
    events = [_event(r, sp, project, kinds, bools, keys) for r, sp, keys in raw]
    ids: dict[str, Event] = {}
    for ev in events:
        if ev.id is not None:
            if ev.id in ids:
                raise DataError(f"event id {ev.id!r} is used twice (first at line {ids[ev.id].span.line})", ev.span,
                                "give every request or change its own id")
            ids[ev.id] = ev
    for ev in events:
        if ev.ref is not None:
            target = ids.get(ev.ref)
            if target is None:
                raise DataError(f"'ref: {ev.ref}' refers to no event", ev.span,
                                did_you_mean(ev.ref, ids) or "ref names the id of the request or change it answers")
            if ev.date < target.date:
                raise DataError(f"the event is dated {ev.date} but answers {ev.ref!r} of {target.date}", ev.span,
                                "an answer cannot come before what it answers; check the dates")
    start = _date(*bounds["from"], "from") if "from" in bounds else None
    if "as_of" in bounds:
        day = _date(*bounds["as_of"], "as_of")
    elif events:
        day = datetime.date(max(e.date for e in events).year, 12, 31)
    else:
        raise DataError("the event log has no events and no 'as_of'", Span(shown, 1, 1),
                        "add events, or as_of: YYYY-MM-DD to assess a period without events")
    if start is not None and start > day:
        raise DataError(f"'from: {start}' is after 'as_of: {day}'", bounds["from"][1], "swap the two dates")
    first = start or min((e.date for e in events), default=day)
    if day.year - first.year > MAX_LOG_YEARS:
        where = bounds["from"][1] if start else bounds["as_of"][1] if "as_of" in bounds else Span(shown, 1, 1)
        raise DataError(f"the log covers {first} – {day}, more than {MAX_LOG_YEARS} years", where,
                        "split the log, or check the years of 'from', 'as_of' and the events")
    return Log(shown, sorted(events, key=lambda e: e.date), day, start)


# -- assessing -------------------------------------------------------------------------------------

def _matches(ev: Event, duty: Duty, member: str | None, trigger: Event | None) -> bool:
    if ev.kind != duty.fulfilled_by:
        return False
    if member is not None and ev.member != member:
        return False
    if trigger is not None and ev.ref != trigger.id:
        return False
    return all(ev.flags.get(c) is True for c in duty.conditions)


def _judge(rule: Clause, decl: Verdicts, project: Project, start: datetime.date, deadline_days: int | None,
           found: Event | None, day: datetime.date) -> tuple[str, datetime.date | None]:
    """The outcome that holds for one instance, and the deadline's day (when there is one)."""
    r = decl.inputs
    given = {r["applies"]: True, r["start"]: start, r["has_deadline"]: deadline_days is not None,
             r["deadline_days"]: deadline_days or 0, r["event_found"]: found is not None,
             r["event_date"]: found.date if found else start, r["assessed_on"]: day}
    names = [decl.due] + [o.when for o in decl.outcomes]
    values, _ = evaluate(rule, project.enums, given, names)
    hits = [o.id for o in decl.outcomes if values[o.when]]
    if len(hits) != 1:   # the spec proves exactly one; this guards a rule whose spec does not
        raise DataError(f"{len(hits)} outcomes of the verdict rule of {rule.id} hold at once ({', '.join(hits)})",
                        decl.span, "the outcomes' conditions must exclude each other and cover every case")
    return hits[0], (values[decl.due] if deadline_days is not None else None)


def assess(project: Project, log: Log, years: list[int] | None = None) -> list[Verdict]:
    rule, decl = verdict_rule(project)
    if years is None:
        first = log.start.year if log.start else min((e.date.year for e in log.events), default=log.as_of.year)
        years = list(range(first, log.as_of.year + 1))
    out: list[Verdict] = []
    for clause in project.ordered():
        for duty in clause.duties.values():
            sentence = clause.sentence(duty.sentence)
            for year in years:
                if year <= log.as_of.year:      # nothing is assessed after the log ends
                    out += _instances(project, rule, decl, clause, duty, sentence, log, year)
    order = {c.id: i for i, c in enumerate(project.ordered())}
    return sorted(out, key=lambda v: (v.year, order[v.clause]))     # stable: duties keep their order


def _instances(project, rule, decl: Verdicts, clause, duty, sentence, log: Log, year: int) -> list[Verdict]:
    y0, y1 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    text = sentence.text if sentence else ""
    sid = sentence.id if sentence else None
    res: list[Verdict] = []

    outcomes = {o.id: o for o in decl.outcomes}

    def make(instance: str, start, days, pool, day, trigger=None, member=None) -> None:
        found = next((e for e in pool if _matches(e, duty, member, trigger) and start <= e.date <= day), None)
        v, due = _judge(rule, decl, project, start, days, found, day)
        o = outcomes[v]
        shown = (duty.event_sv if found.kind == duty.fulfilled_by else found.kind) if found else ""
        words = {"event": shown, "event_date": str(found.date) if found else "",
                 "due": str(due) if due else "", "start": str(start), "assessed_on": str(day),
                 "expected": duty.event_sv, "none_found": duty.none_sv}
        why = fill(o.why if days is not None else o.why_without_deadline, words)
        res.append(Verdict(year, clause.id, duty, instance, v, why, sid, text, due, found))

    if duty.frequency in ("yearly", "unspecified"):
        if y0 > log.as_of:
            return res
        day = min(y1, log.as_of)
        days = (y1 - y0).days if duty.deadline.kind == "end_of_period" else None
        pool = [e for e in log.events if y0 <= e.date <= y1]
        members = project.enums[duty.per].values if duty.per else [None]
        for m in members:
            label = project.enums[duty.per].label(m) if m else ""
            make(label, y0, days, pool, day, member=m)
    elif duty.frequency == "on_trigger":
        for trig in (e for e in log.events if e.kind == duty.trigger and y0 <= e.date <= y1):
            days = duty.deadline.days if duty.deadline.kind == "days" else None
            member_enum = _member_enum(project)
            who = f" ({project.enums[member_enum].label(trig.member)})" if trig.member and member_enum else ""
            make(f"{trig.id or trig.date}{who}", trig.date, days, log.events, log.as_of, trigger=trig)
    elif duty.frequency == "once":
        # judged in every year assessed: done (at any time up to the year's end) or not
        start = min((e.date for e in log.events), default=y0)
        make("", min(start, y0), None, log.events, min(y1, log.as_of))
    return res
