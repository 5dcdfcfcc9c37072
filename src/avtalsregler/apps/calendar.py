"""The agreement's dates as a calendar: every date the agreement sets in a range, each traced to
its clause, its sentence (quoted verbatim) and the reading that fixes it, rendered as iCalendar
(RFC 5545), CSV or JSON.

Where the dates come from:

* periods and termination deadlines (§10, §11): the §10 rule's definitions ``period_forsta_dag``,
  ``period_sista_dag`` and ``period_uppsagningsfrist``, evaluated with ``period_nr`` = 0, 1, 2, …
  (the very definitions the spec proves); the period containing a day is the rule's
  ``fornyelse_nummer``;
* quarterly invoices (§7): the text gives no day. Reading R10-fakturadag (and §7's
  R7-forfallodag, which agrees) chooses the first day of each calendar quarter, on days the
  agreement applies (inside a period of the rule). The number of invoices a year is §7's
  definition ``fakturor_i_aret`` and the quarters are §7's enumeration ``kvartal``;
* yearly duties with deadline ``end_of_period`` (e.g. §8's verksamhetsberättelse): one event a
  calendar year on the deadline, 31 December (reading R8-arligen names the calendar year).

The calendar assumes that no party gives notice: every period runs on (§10, "förlängning sker
automatiskt").
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import asdict, dataclass, field

from avtalsregler.project.evaluate import evaluate
from avtalsregler.errors import DataError
from avtalsregler.project.model import Clause, Project

PERIOD_CLAUSE = "§11"   # §11 uses §10: periods and their notice deadlines in one rule
INVOICE_CLAUSE = "§7"
INVOICE_READINGS = ("R10-fakturadag", "R7-forfallodag")
ALARM_DAYS = (90, 30)              # reminders before each termination deadline
UID_DOMAIN = "avtalsregler.jamtland-harjedalen"
FIELDS = ("date", "kind", "clause", "title", "sentence_id", "quote", "reading", "source", "detail",
          "alarm_days_before", "uid")
FIRST_PERIOD_PARAMETER = {"period_forsta_dag": "forsta_dag", "period_sista_dag": "sista_dag_forsta_perioden"}


@dataclass(frozen=True)
class Event:
    """One date the agreement sets. ``quote`` is the sentence verbatim (whitespace joined);
    ``reading`` the ids of the readings that fix the date (comma separated, may be empty);
    ``source`` says how it was computed (the rule file and definition)."""

    date: datetime.date
    kind: str                       # period_start | period_end | notice_deadline | invoice | duty_deadline
    clause: str
    title: str
    sentence_id: str
    quote: str
    reading: str
    source: str
    detail: str = ""
    alarm_days_before: tuple[int, ...] = field(default=())
    uid: str = ""

    def row(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["alarm_days_before"] = list(self.alarm_days_before)
        return {k: d[k] for k in FIELDS}


def _quote(clause: Clause, sid: str) -> tuple[str, str]:
    s = clause.sentence(sid)
    if s is None:
        raise DataError(f"{clause.id} has no sentence {sid!r}", clause.span, "the rule file's sentences changed")
    return s.clause or clause.id, " ".join(s.text.split())


def _clause(project: Project, cid: str) -> Clause:
    c = project.clauses.get(cid)
    if c is None:
        raise DataError(f"the project has no rule for {cid}", None, f"the calendar needs the rule of {cid}")
    return c


class Periods:
    """The §11 rule (which uses §10's periods), asked about one period at a time (cached)."""

    NAMES = ("period_forsta_dag", "period_sista_dag", "period_uppsagningsfrist")

    def __init__(self, project: Project):
        self.project = project
        self.clause = _clause(project, PERIOD_CLAUSE)
        self.first_day = self.clause.parameters["forsta_dag"].value
        self.last_day = self.clause.inputs["dag"].high
        self.max_nr = self.clause.inputs["period_nr"].high
        self._cache: dict[int, dict] = {}

    def period(self, nr: int) -> dict:
        if nr not in self._cache:
            if self.max_nr is not None and nr > self.max_nr:
                raise DataError(f"period {nr} is beyond the rule's range (period_nr up to {self.max_nr})", None,
                                "give an earlier --to")
            # dag and mottagen are not read by the period definitions; given so that the rule's
            # inputs are all bound whatever its internals
            given = {"period_nr": nr, "dag": self.first_day, "mottagen": self.first_day}
            values, _ = evaluate(self.clause, self.project.enums, given, list(self.NAMES))
            self._cache[nr] = values
        return self._cache[nr]

    def number_on(self, day: datetime.date) -> int:
        """The period the agreement is in on ``day`` (the rule's ``fornyelse_nummer``)."""
        day = max(day, self.first_day)
        given = {"period_nr": 0, "dag": day, "mottagen": day}
        values, _ = evaluate(self.clause, self.project.enums, given, ["fornyelse_nummer"])
        return values["fornyelse_nummer"]


def _years(a: datetime.date, b: datetime.date) -> str:
    return f"{a.year}–{b.year}" if a.year != b.year else str(a.year)


def _period_events(pr: Periods, nr: int) -> list[Event]:
    c = pr.clause
    p = pr.period(nr)
    start, end, frist = p["period_forsta_dag"], p["period_sista_dag"], p["period_uppsagningsfrist"]
    span = _years(start, end)
    name = "den första perioden" if nr == 0 else f"förlängning {nr}"
    defs = c.definitions
    out = []
    for kind, key, date, title, detail in (
        ("period_start", "period_forsta_dag", start,
         "Överenskommelsen börjar gälla (första perioden " + span + ")" if nr == 0
         else f"Förlängning {nr} börjar ({span}), om ingen part har sagt upp överenskommelsen",
         f"Första dagen i {name} ({start.isoformat()}–{end.isoformat()})."),
        ("period_end", "period_sista_dag", end, f"Sista dagen i {name} ({span})",
         f"Sista dagen i {name}; överenskommelsen förlängs automatiskt med tre år om ingen part i tid "
         f"har sagt upp den."),
        ("notice_deadline", "period_uppsagningsfrist", frist,
         f"Uppsägningsfrist: sista dag att säga upp överenskommelsen till {end.isoformat()}",
         f"En skriftlig uppsägning som motparten tar emot senast denna dag avslutar överenskommelsen "
         f"{end.isoformat()} (slutet av {name}). Kommer den senare förlängs överenskommelsen en period till. "
         f"Påminnelser {' och '.join(str(d) for d in ALARM_DAYS)} dagar före."),
    ):
        d = defs[key]
        sid, readings = d.sentence, [r for r in (d.reading,) if r]
        par = c.parameters.get(FIRST_PERIOD_PARAMETER.get(key, "")) if nr == 0 else None
        if par is not None and par.sentence:
            # the first period's dates are the parameters written in s10.1, not a renewal
            sid, readings = par.sentence, [r for r in (par.reading,) if r] + readings
        cid, quote = _quote(c, sid)
        if kind == "notice_deadline":
            readings += [r for r in ("R11-senast", "R11-mottagen") if r in c.readings and r not in readings]
        out.append(Event(date, kind, cid, title, sid, quote, ", ".join(readings),
                         f"{pr.project.clauses[c.inherited.get(key, c.id)].path}: {key} (period_nr = {nr})", detail,
                         ALARM_DAYS if kind == "notice_deadline" else (),
                         f"{kind}-period-{nr}@{UID_DOMAIN}"))
    return out


def _invoice_events(project: Project, pr: Periods, nr: int) -> list[Event]:
    c7 = _clause(project, INVOICE_CLAUSE)
    values, _ = evaluate(c7, project.enums, {}, ["fakturor_i_aret"], check_assumptions=False)
    per_year = values["fakturor_i_aret"]
    quarters = project.enums["kvartal"]
    if per_year <= 0 or 12 % per_year or len(quarters.values) != per_year:
        raise DataError(f"§7 gives {per_year} invoices a year for {len(quarters.values)} quarters", c7.span,
                        "the calendar places one invoice on the first day of each calendar quarter "
                        "(reading R10-fakturadag); it needs four invoices a year")
    months = 12 // per_year
    p = pr.period(nr)
    start, end = p["period_forsta_dag"], p["period_sista_dag"]
    _, q3 = _quote(c7, "s7.3")
    _, q4 = _quote(c7, "s7.4")
    readings = [r for r in INVOICE_READINGS if r in project.readings]
    status = ", ".join(f"{r} ({project.readings[r].status})" for r in readings)
    out = []
    for year in range(start.year, end.year + 1):
        for i, q in enumerate(quarters.values):
            # reading R10-fakturadag: the first day of each calendar quarter
            day = datetime.date(year, 1 + months * i, 1)
            if not start <= day <= end:
                continue
            label = quarters.label(q)
            out.append(Event(
                day, "invoice", c7.id, f"Kvartalsfaktura {year}: {label[0].lower() + label[1:]}, i förskott",
                "s7.3, s7.4", f"{q3} {q4}", ", ".join(readings),
                f"{c7.path}: fakturor_i_aret = {per_year}, enum kvartal; dag enligt läsning",
                f"Fakturadag och förfallodag för {label.lower()} {year}: en fjärdedel av årets ersättning "
                f"(§7). Texten anger ingen dag; läsningen väljer kvartalets första dag. Läsningar: {status}.",
                (), f"invoice-{year}-{q}@{UID_DOMAIN}"))
    return out


def _duty_events(project: Project, years: range) -> list[Event]:
    out = []
    for clause in project.ordered():
        for duty in clause.duties.values():
            if duty.frequency != "yearly" or duty.deadline.kind != "end_of_period":
                continue
            cid, quote = _quote(clause, duty.sentence)
            who = ""
            if duty.per:
                e = project.enums[duty.per]
                who = f" En gång för varje {duty.per}: " + ", ".join(e.label(v) for v in e.values) + "."
            what = " ".join(duty.what.split())
            short = re.split(r",| med ", what.rstrip("."), maxsplit=1)[0]
            for year in years:
                # reading R8-arligen: once each calendar year, due on its last day
                day = datetime.date(year, 12, 31)
                title = f"Sista dag för {year} ({clause.id}): {short}"
                out.append(Event(
                    day, "duty_deadline", cid, title, duty.sentence, quote, duty.reading or "",
                    f"{clause.path}: duties.{duty.name} (frequency yearly, deadline end_of_period)",
                    f"{duty.owed_by} till {duty.owed_to}: {what}{who}", (),
                    f"duty_deadline-{duty.name}-{year}@{UID_DOMAIN}"))
    return out


def events(project: Project, start: datetime.date, end: datetime.date) -> list[Event]:
    """Every date the agreement sets from ``start`` to ``end`` (both included), sorted."""
    pr = Periods(project)
    out: list[Event] = []
    applies_years: set[int] = set()
    nr = pr.number_on(start)
    while True:
        p = pr.period(nr)
        if p["period_forsta_dag"] > end:
            break
        out += _period_events(pr, nr)
        out += _invoice_events(project, pr, nr)
        applies_years |= set(range(p["period_forsta_dag"].year, p["period_sista_dag"].year + 1))
        nr += 1
    out += _duty_events(project, range(min(applies_years, default=0), max(applies_years, default=-1) + 1))
    order = {"period_start": 0, "invoice": 1, "notice_deadline": 2, "duty_deadline": 3, "period_end": 4}
    kept = [e for e in out if start <= e.date <= end and e.date >= pr.first_day]
    return sorted(kept, key=lambda e: (e.date, order.get(e.kind, 9), e.uid))


# -- rendering ------------------------------------------------------------------------------------

def _description(e: Event) -> str:
    lines = [e.detail, "", f"{e.clause}: ”{e.quote}”"]
    if e.reading:
        lines.append(f"Läsning: {e.reading} (se läsningsregistret, readings/).")
    lines.append(f"Beräknat av: {e.source}.")
    return "\n".join(lines)


def to_ics(evs: list[Event], stamp: datetime.datetime, start: datetime.date, end: datetime.date) -> bytes:
    from icalendar import Alarm, Calendar
    from icalendar import Event as VEvent

    cal = Calendar()
    cal.add("prodid", "-//avtalsregler//Överenskommelse Region Jämtland Härjedalen och kommunerna//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Överenskommelsen om regional samverkan: datum")
    cal.add("x-wr-caldesc", f"Datum enligt överenskommelsen {start.isoformat()}–{end.isoformat()}, "
                            "under förutsättning att ingen part säger upp den.")
    for e in evs:
        v = VEvent()
        v.add("uid", e.uid)
        v.add("dtstamp", stamp)
        v.add("dtstart", e.date)                       # a date: VALUE=DATE, an all-day event
        v.add("dtend", e.date + datetime.timedelta(days=1))
        v.add("summary", e.title)
        v.add("description", _description(e))
        v.add("categories", [e.clause, e.kind])
        v.add("transp", "TRANSPARENT")
        for days in e.alarm_days_before:
            a = Alarm()
            a.add("action", "DISPLAY")
            a.add("description", f"Om {days} dagar: {e.title}")
            a.add("trigger", datetime.timedelta(days=-days))
            v.add_component(a)
        cal.add_component(v)
    return cal.to_ical()


def to_csv(evs: list[Event]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    w.writeheader()
    for e in evs:
        row = e.row()
        row["alarm_days_before"] = ";".join(str(d) for d in row["alarm_days_before"])
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


def to_json(evs: list[Event], start: datetime.date, end: datetime.date) -> bytes:
    doc = {"from": start.isoformat(), "to": end.isoformat(), "assumes": "ingen part säger upp överenskommelsen",
           "events": [e.row() for e in evs]}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
