"""The agreement's dates as a calendar: every event the rules declare (``events:`` sections, see
:mod:`avtalsregler.project.declarations.events`) in a range, each traced to its clause, its
sentence (quoted verbatim) and the readings that fix it, rendered as iCalendar (RFC 5545), CSV
or JSON (:mod:`avtalsregler.apps.calendar_render`).

Each declared event names a date definition of its rule and how the rule's free inputs are
iterated (``count``: 0, 1, 2, … until past the range; ``year``: each year whose dates can fall in
the range, by the offset the event's own date definition gives; an enumeration: each member; a map date: each key). The date, the ``when``/``unless``
conditions and the title and detail templates are evaluated exactly by
:func:`avtalsregler.project.evaluate.evaluate`, the same definitions the specs prove. The
``term`` declaration (at most one rule) gives the first day, the last day the rules cover, the
periods (for the default range), the UID domain and the calendar's name.

Nothing here names a clause, a definition or a date of any particular agreement.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from avtalsregler.errors import DataError
from avtalsregler.language.types import Type
from avtalsregler.project.declarations.events import Event as Declared
from avtalsregler.project.declarations.events import Term
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Project

FIELDS = ("date", "kind", "clause", "title", "sentence_id", "quote", "reading", "source", "detail",
          "alarm_days_before", "uid")
KIND_ORDER = {"period_start": 0, "invoice": 1, "notice_deadline": 2, "duty_deadline": 3, "period_end": 4}
PERIODS_AHEAD = 3           # the default range ends this many periods after today's
FALLBACK_DOMAIN = "avtalsregler.invalid"
MAX_YEARS = 100             # the longest range of one calendar (each day of it may be visited)


@dataclass(frozen=True)
class Event:
    """One dated event. ``quote`` is the sentence(s) verbatim (whitespace joined); ``reading``
    the ids of the readings that fix the date (comma separated, may be empty); ``source`` says
    how it was computed (the rule file, the definition and the iterated values)."""

    date: datetime.date
    kind: str
    clause: str
    title: str
    sentence_id: str
    quote: str
    reading: str
    source: str
    detail: str = ""
    alarm_days_before: tuple[int, ...] = field(default=())
    uid: str = ""
    version: str = ""            # the version of the agreement in force (amendments/applied/), if any
    category: str = ""           # the Swedish category (the declaration's, or its kind's label)
    declared: str = ""           # the declared event's id
    period: tuple = ()           # (first, last) of the period it covers or is about (last may be None)
    share: str = ""              # a covered period cut by a change: "92 av 184 dagar" (apps/transition.py)
    key: str = ""                # the member of a map date's enumeration the event is for

    def row(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["alarm_days_before"] = list(self.alarm_days_before)
        out = {k: d[k] for k in FIELDS} | ({"version": self.version} if self.version else {})
        if self.share:
            out["covers"] = {"from": self.period[0].isoformat(), "to": self.period[1].isoformat(), "share": self.share}
        return out


# -- the term: first day, last day, periods -------------------------------------------------------

@dataclass(frozen=True)
class Validity:
    """The declared term, with its values computed."""

    clause: Clause | None
    term: Term | None
    first_day: datetime.date | None
    last_day: datetime.date | None
    uid_domain: str
    name: str
    product: str
    assumes: str


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40].strip("-") or "avtal"


def validity(project: Project) -> Validity:
    found = [(c, d.term) for c, d in project.declared("events") if d.term is not None]
    if len(found) > 1:
        raise DataError(f"the term is declared by both {found[0][0].id} and {found[1][0].id}", found[1][1].span,
                        "declare 'events: term:' in one rule only")
    title = project.agreement.title if project.agreement is not None else "avtalet"
    if not found:
        return Validity(None, None, None, None, f"{_slug(title)}.{FALLBACK_DOMAIN}", f"{title}: datum", title, "")
    clause, term = found[0]
    values, _ = evaluate(clause, project.enums, {}, [term.first_day], check_assumptions=False)
    last = None
    if term.last_day in clause.inputs:
        last = clause.inputs[term.last_day].high
    elif term.last_day is not None:
        last = clause.parameters[term.last_day].value
    return Validity(clause, term, values[term.first_day], last,
                    term.uid_domain or f"{_slug(title)}.{FALLBACK_DOMAIN}", term.name or f"{title}: datum",
                    term.product or title, term.assumes or "")


def period(project: Project, v: Validity, nr: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of period number ``nr`` of the term."""
    p = v.term.periods
    inp = v.clause.inputs[p.input]
    if (inp.high is not None and nr > inp.high) or (inp.low is not None and nr < inp.low):
        raise DataError(f"period {nr} is beyond the rule's range ({p.input} {inp.low}–{inp.high})", None,
                        "give an earlier --to")
    values, _ = evaluate(v.clause, project.enums, {p.input: nr}, [p.start, p.end])
    return values[p.start], values[p.end]


def default_end(project: Project, v: Validity, today: datetime.date) -> datetime.date:
    """The last day of the period :data:`PERIODS_AHEAD` periods after the one running ``today``
    (without periods: the last day the rules cover)."""
    if v.term is None or v.term.periods is None:
        if v.last_day is None:
            raise DataError("the rules declare no periods and no last day", None, "give --to")
        return v.last_day
    inp = v.clause.inputs[v.term.periods.input]
    nr = inp.low or 0
    today = max(today, v.first_day) if v.first_day else today
    while True:
        start, end = period(project, v, nr)
        if end >= today:
            return period(project, v, nr + PERIODS_AHEAD)[1]
        nr += 1


# -- the events -----------------------------------------------------------------------------------

def _axes(project: Project, clause: Clause, ev: Declared, start: datetime.date, end: datetime.date):
    """The counted input (or None) and the other axes as (name, values)."""
    counted, axes = None, []
    for name, mode in ev.iterate:
        inp = clause.inputs[name]
        if mode == "count":
            counted = name
        elif mode == "year":
            axes.append((name, None))
        else:
            axes.append((name, list(project.enums[inp.type.enum].values)))
    return counted, [(n, vals if vals is not None else _years(project, clause, ev, n, counted, axes, start, end))
                     for n, vals in axes]


def _years(project: Project, clause: Clause, ev: Declared, name: str, counted: str | None, axes: list,
           start: datetime.date, end: datetime.date) -> list[int]:
    """The values of the year input ``name`` whose dates can fall from ``start`` to ``end``: the
    range's years shifted by how far the event's dates lie from the year they are for, as the
    rule's own date definition gives it (e.g. a date "året före" lies one year before), computed
    exactly for the range's first and last year and every member of the other axes."""
    inp = clause.inputs[name]

    def clamp(y: int) -> int:
        return min(max(y, inp.low if inp.low is not None else y), inp.high if inp.high is not None else y)

    offsets: set[int] = set()
    others = [(n, vals) for n, vals in axes if n != name]
    for sample in {clamp(start.year), clamp(end.year)}:
        for combo in itertools.product(*((vals if vals is not None else [sample]) for _, vals in others)):
            given = {name: sample, **dict(zip((n for n, _ in others), combo))}
            if counted is not None:
                given[counted] = clause.inputs[counted].low or 0
            try:
                d = evaluate(clause, project.enums, given, [ev.date])[0][ev.date]
            except DataError:
                continue
            offsets |= {x.year - sample for x in (d.values() if isinstance(d, dict) else [d])}
    if not offsets:
        raise DataError(f"the date {ev.date!r} of event {ev.id!r} of {clause.id} has no value for the years "
                        f"{start.year}–{end.year}", ev.span, "check the event's date definition and its inputs")
    return list(range(clamp(start.year - max(offsets)), clamp(end.year - min(offsets)) + 1))


def _extra(project: Project, clause: Clause, ev: Declared, cid: str) -> dict[str, str]:
    extra = {"event.readings": ", ".join(f"{r} ({project.readings[r].status_sv})" if r in project.readings else r
                                         for r in ev.readings),
             "event.alarms": " och ".join(str(d) for d in ev.alarms), "event.clause": cid,
             "event.id": ev.id, "event.kind": ev.kind}
    for name, e in project.enums.items():
        extra[f"enum.{name}"] = ", ".join(e.label(x) for x in e.values)
    return extra


def _raw(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _instances(project: Project, clause: Clause, ev: Declared, start: datetime.date, end: datetime.date):
    """(given, values) for every iteration of the event's inputs whose dates may fall in range."""
    counted, axes = _axes(project, clause, ev, start, end)
    wanted = [ev.date, *(x for x in (ev.when, ev.unless) if x), *ev.names,
              *((n for n in (ev.period.first, ev.period.last) if n) if ev.period else ())]
    names = [n for n, _ in axes]
    if counted is None:
        for combo in itertools.product(*(vals for _, vals in axes)):
            given = dict(zip(names, combo))
            yield given, evaluate(clause, project.enums, given, wanted)[0]
        return
    inp = clause.inputs[counted]
    nr = inp.low or 0
    while inp.high is None or nr <= inp.high:
        dates = []
        for combo in itertools.product(*(vals for _, vals in axes)):
            given = {counted: nr, **dict(zip(names, combo))}
            values = evaluate(clause, project.enums, given, wanted)[0]
            d = values[ev.date]
            dates += list(d.values()) if isinstance(d, dict) else [d]
            yield given, values
        if not dates or min(dates) > end:
            return
        nr += 1


def _declared_events(project: Project, clause: Clause, ev: Declared, v: Validity,
                     start: datetime.date, end: datetime.date) -> list[Event]:
    if ev.duty is not None and ev.duty not in clause.duties:
        raise DataError(f"event {ev.id!r} of {clause.id} names the duty {ev.duty!r}, which the rule does not have",
                        ev.span, "name a duty under 'duties' of the rule, or leave 'duty' out")
    sentences = [clause.sentence(s) for s in ev.sentences]
    cid = sentences[0].clause or clause.id
    quote = " ".join(" ".join(s.text.split()) for s in sentences)
    extra = _extra(project, clause, ev, cid)
    path = project.clauses[clause.inherited.get(ev.date, clause.id)].path
    out = []
    for given, values in _instances(project, clause, ev, start, end):
        if (ev.when and not values[ev.when]) or (ev.unless and values[ev.unless]):
            continue
        shown = {n: (values[n], clause.type_of(n)) for n in ev.names}
        shown |= {n: (x, clause.type_of(n)) for n, x in given.items()}
        date = values[ev.date]
        keys = list(date) if ev.key_enum else [None]
        for key in keys:
            day = date[key] if key is not None else date
            if not (start <= day <= end) or (v.first_day is not None and day < v.first_day):
                continue
            here = dict(shown)
            if key is not None:
                here[ev.key_enum] = (key, Type("enum", enum=ev.key_enum))
            uid = ev.uid.render(here, {"event.id": ev.id, "event.kind": ev.kind}, project.enums, raw=True)
            iterated = ", ".join(f"{n} = {_raw(x)}" for n, x in given.items())
            source = f"{path}: {ev.date}" + (f"[{key}]" if key is not None else "") + (f" ({iterated})" if iterated else "")
            out.append(Event(day, ev.kind, cid, ev.title.render(here, extra, project.enums),
                             ", ".join(ev.sentences), quote, ", ".join(ev.readings), source,
                             ev.detail.render(here, extra, project.enums) if ev.detail else "",
                             ev.alarms, f"{uid}@{v.uid_domain}", category=ev.category, declared=ev.id,
                             period=_period(ev, values, key), key=key or ""))
    return out


def _period(ev: Declared, values: dict, key) -> tuple:
    if ev.period is None:
        return ()
    return tuple((values[n][key] if key is not None else values[n]) if n else None
                 for n in (ev.period.first, ev.period.last))


def events(project: Project, start: datetime.date, end: datetime.date) -> list[Event]:
    """Every declared event from ``start`` to ``end`` (both included), sorted by date, kind, UID."""
    if end.year - start.year > MAX_YEARS:
        raise DataError(f"the range {start.isoformat()} – {end.isoformat()} is more than {MAX_YEARS} years",
                        None, f"give --from and --to at most {MAX_YEARS} years apart")
    v = validity(project)
    out: list[Event] = []
    for clause, decl in project.declared("events"):
        for ev in decl.events:
            out += _declared_events(project, clause, ev, v, start, end)
    seen: dict[str, Event] = {}
    for e in out:
        if e.uid in seen:
            raise DataError(f"two events have the UID {e.uid!r} ({seen[e.uid].date} and {e.date})", None,
                            "give the events 'uid' templates that differ, or conditions that exclude each other")
        seen[e.uid] = e
    return sorted(out, key=lambda e: (e.date, KIND_ORDER.get(e.kind, 9), e.uid))


def declared(project: Project, clause: Clause) -> list[dict]:
    """The events a clause declares, for the site: id, kind, date definition, condition,
    iteration, sentences and readings."""
    decl = clause.declared.get("events")
    rows = []
    for ev in (decl.events if decl else ()):
        cond = " och ".join(([ev.when] if ev.when else []) + ([f"inte {ev.unless}"] if ev.unless else []))
        rows.append({"id": ev.id, "kind": ev.kind, "title": ev.title.source,
                     "date": ev.date + (f"[{ev.key_enum}]" if ev.key_enum else ""),
                     "iterate": ", ".join(f"{n}: {m}" for n, m in ev.iterate), "when": cond,
                     "sentences": ", ".join(ev.sentences), "readings": ", ".join(ev.readings),
                     "alarms": list(ev.alarms)})
    return rows
