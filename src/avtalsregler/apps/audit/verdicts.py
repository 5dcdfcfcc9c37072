"""The verdict on every invoice: each invoice the rules call for against the rows of the file.

Verdicts (Swedish, as an auditor writes them):

* ``rätt`` — the amount is the rule's to the öre and the date is acceptable;
* ``fel belopp`` — the amount differs (``difference_ore`` = invoiced − expected);
* ``fel datum`` — the amount is right, the date is not: later than the declared invoice day,
  or (``dates="in-advance"``, the default) earlier than the day after the previous invoice day
  — an invoice may be sent in advance, but not so early that it falls in the previous period;
  with ``dates="exact"`` any other day than the declared one;
* ``saknas`` — an invoice the rules call for has no row (an invoice of 0 öre is not required);
* ``okänd faktura`` — a row the agreement does not call for: a period that does not exist, a
  second invoice for the same member and period, a year outside the rule's years, or an
  invoice day before the term begins or after it ends (see :mod:`.term`).

Where the expected value depends on a reading the register lists as open, the finding lists it
with the alternatives the register gives; the alternatives the computation can compute (the
engine's kinds, e.g. an index vintage) are computed, and a difference that one of them explains
is said to be a question of reading.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from avtalsregler.apps.audit import derive
from avtalsregler.apps.audit.invoices import InvoiceFile, InvoiceRow
from avtalsregler.apps.audit.schedule import Expected, Schedule, YearPlan
from avtalsregler.apps.audit.term import Reach
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Project

RIGHT, WRONG_AMOUNT, WRONG_DATE, MISSING, UNKNOWN = "rätt", "fel belopp", "fel datum", "saknas", "okänd faktura"
VERDICTS = (RIGHT, WRONG_AMOUNT, WRONG_DATE, MISSING, UNKNOWN)
DATE_RULES = ("in-advance", "exact")
# The date rules as the report says them (the option values are English, as every CLI option).
DATE_RULES_SV = {"in-advance": "i förskott (fakturan får vara daterad på eller före fakturadagen, men efter den "
                               "föregående)",
                 "exact": "exakt (bara på fakturadagen)"}


@dataclass
class Finding:
    verdict: str
    member: str
    member_label: str
    code: str | None
    year: int | None
    period: str | None               # value of the invoice enumeration (None: no such period)
    period_label: str
    expected_ore: int | None
    invoiced_ore: int | None
    difference_ore: int | None       # invoiced − expected
    due_date: datetime.date | None   # the declared invoice day
    invoice_date: datetime.date | None
    invoice_number: str = ""
    place: str | None = None         # path:line of the row
    reason: str = ""                 # Swedish, one sentence
    notes: list[str] = field(default_factory=list)
    derivation: list[dict] = field(default_factory=list)
    date_derivation: list[dict] = field(default_factory=list)
    readings: list[dict] = field(default_factory=list)      # the readings the amount and the day follow
    alternatives: list[dict] = field(default_factory=list)  # the amount under each other computable choice
    share: str = ""                  # the expected invoice is a part of its period only (a change inside)

    @property
    def ok(self) -> bool:
        return self.verdict == RIGHT


def _kr(ore: int) -> str:
    from avtalsregler.language.types import format_kr
    return format_kr(ore)


class Matcher:
    """Builds the findings of one audit."""

    def __init__(self, project: Project, schedule: Schedule, reach: Reach, date_rule: str):
        self.project, self.schedule, self.reach, self.date_rule = project, schedule, reach, date_rule
        self.members = project.enums[schedule.member_enum]
        self.periods = project.enums[schedule.period_enum]

    def base(self, verdict: str, member: str, year, period, **kw) -> Finding:
        m, p = self.members, self.periods
        text = kw.pop("period_text", "")
        label = p.label(period) if period else text
        return Finding(verdict, member, m.label(member), m.codes.get(member), year, period or None, label, **kw)

    def unknown(self, row: InvoiceRow, reason: str) -> Finding:
        return self.base(UNKNOWN, row.member, row.year, row.period, period_text=row.period_text, expected_ore=None,
                         invoiced_ore=row.amount_ore, difference_ore=None, due_date=None, invoice_date=row.date,
                         invoice_number=row.number, place=str(row.span), reason=reason)

    def outside(self, exp: Expected) -> str | None:
        """Why the agreement does not call for this invoice (None: it does)."""
        r = self.reach
        if exp.due is None:
            return "regeln ger ingen faktura för perioden"
        if r.first_day and exp.due < r.first_day:
            return f"fakturadagen {exp.due.isoformat()} är före avtalets första dag {r.first_day.isoformat()}"
        if r.last_day and exp.due > r.last_day:
            return f"fakturadagen {exp.due.isoformat()} är efter avtalets sista dag: {r.why}"
        return None

    def expected(self, plan: YearPlan, exp: Expected, rows: list[InvoiceRow]) -> list[Finding]:
        if not rows and exp.amount_ore == 0:
            return [self.base(RIGHT, exp.member, exp.year, exp.period, expected_ore=0, invoiced_ore=None,
                              difference_ore=None, due_date=exp.due, invoice_date=None,
                              reason="regeln ger 0 öre; ingen faktura behövs")]
        if not rows:
            f = self.base(MISSING, exp.member, exp.year, exp.period, expected_ore=exp.amount_ore, invoiced_ore=None,
                          difference_ore=None, due_date=exp.due, invoice_date=None,
                          reason=f"ingen faktura i filen; regeln ger {_kr(exp.amount_ore)} att fakturera "
                                 f"{exp.due.isoformat()}")
            self.explain(plan, exp, f)
            return [self._share(exp, f)]
        row, extra = rows[0], rows[1:]
        diff = row.amount_ore - exp.amount_ore
        date_ok, date_reason = self.date_ok(plan, exp, row.date)
        verdict = WRONG_AMOUNT if diff else (RIGHT if date_ok else WRONG_DATE)
        reason = (f"fakturerat {_kr(row.amount_ore)}, regeln ger {_kr(exp.amount_ore)} (skillnad "
                  f"{'+' if diff > 0 else '−'}{_kr(abs(diff))})" if diff else "beloppet stämmer på öret")
        f = self.base(verdict, exp.member, exp.year, exp.period, expected_ore=exp.amount_ore,
                      invoiced_ore=row.amount_ore, difference_ore=diff, due_date=exp.due, invoice_date=row.date,
                      invoice_number=row.number, place=str(row.span), reason=reason + "; " + date_reason)
        if diff and not date_ok:
            f.notes.append(f"även datumet: {date_reason}")
        self.explain(plan, exp, f)
        self._share(exp, f)
        if row.date != exp.due and any(r["status"] == "open" for r in self._date_readings(f)):
            f.notes.append("fakturadagen följer en öppen läsning (" + ", ".join(
                r["id"] for r in self._date_readings(f) if r["status"] == "open") + "); registrets alternativ är "
                "text och räknas inte fram här — se läsningarna")
        first = rows[0].span.line
        return [f] + [self.unknown(r, f"en faktura till för samma part och period (den första på rad {first})")
                      for r in extra]

    @staticmethod
    def _share(exp: Expected, f: Finding) -> Finding:
        if exp.share:
            f.share = exp.share
            f.notes.append(f"del av perioden: {exp.share}")
        return f

    def date_ok(self, plan: YearPlan, exp: Expected, day: datetime.date) -> tuple[bool, str]:
        days = (day - exp.due).days
        if days == 0:
            return True, f"daterad på fakturadagen {exp.due.isoformat()}"
        if days > 0:
            return False, f"daterad {day.isoformat()}, {days} dagar efter fakturadagen {exp.due.isoformat()}"
        if self.date_rule == "exact":
            return False, f"daterad {day.isoformat()}, {-days} dagar före fakturadagen {exp.due.isoformat()}"
        earlier = [e.due for e in plan.invoices if e.member == exp.member and e.due and e.due < exp.due]
        prev = max(earlier) if earlier else plan.previous_due
        if prev is not None and day <= prev:
            return False, (f"daterad {day.isoformat()}, på eller före den föregående fakturadagen {prev.isoformat()}: "
                           "för tidigt även i förskott")
        return True, f"daterad {day.isoformat()}, {-days} dagar före fakturadagen {exp.due.isoformat()} (i förskott: godtas)"

    def _date_readings(self, f: Finding) -> list[dict]:
        ids = set(self.schedule.event.readings) | {d.get("reading") for d in f.date_derivation}
        return [r for r in f.readings if r["id"] in ids]

    def explain(self, plan: YearPlan, exp: Expected, f: Finding) -> None:
        res, sch = plan.result, self.schedule
        keys = (exp.member, exp.period)
        f.derivation = derive.chain(self.project, res, res.steps, sch.column.value, keys, plan.explanation,
                                    self.members.label(exp.member))
        _, steps = evaluate(sch.clause, self.project.enums, res.given, [sch.event.date], check_assumptions=False)
        f.date_derivation = derive.chain(self.project, res, steps, sch.event.date, keys)
        ids = [d.get("reading") for d in f.derivation + f.date_derivation] + list(sch.event.readings) + res.readings
        f.readings = derive.readings(self.project, ids)
        for alt in plan.alternatives:
            entry: dict[str, Any] = {"kind": alt["kind"], "choice": alt["choice"], "reading": alt["reading"],
                                     "expected_ore": None, "verdict": None, "error": alt["error"]}
            if alt["amounts"] is not None:
                amount = alt["amounts"][keys]
                entry["expected_ore"] = amount
                if f.invoiced_ore is not None:
                    entry["verdict"] = RIGHT if amount == f.invoiced_ore else WRONG_AMOUNT
                    if amount == f.invoiced_ore and f.verdict == WRONG_AMOUNT:
                        f.notes.append(f"beloppet stämmer med --{alt['kind']} {alt['choice']}"
                                       + (f" (läsningen {alt['reading']})" if alt["reading"] else "")
                                       + ": skillnaden är en fråga om läsning, inte ett räknefel")
            f.alternatives.append(entry)


def match(project: Project, schedule: Schedule, reach: Reach, plans: dict[int, YearPlan], invoices: InvoiceFile,
          date_rule: str = "in-advance", skipped: dict[int, str] | None = None) -> list[Finding]:
    """Every finding, ordered by year, member and period; ``skipped`` gives the years whose
    invoices all fall outside the agreement's reach (and why)."""
    mt = Matcher(project, schedule, reach, date_rule)
    year_input = schedule.clause.inputs[schedule.year_input]
    found: list[Finding] = []
    claimed: dict[tuple, list[InvoiceRow]] = {}
    for row in invoices.rows:
        if not row.period:
            found.append(mt.unknown(row, f"perioden {row.period_text!r} finns inte: året har "
                                         f"{len(mt.periods.values)} ({', '.join(map(mt.periods.label, mt.periods.values))})"))
        elif row.year in (skipped or {}):
            found.append(mt.unknown(row, f"avtalet kräver ingen sådan faktura: {skipped[row.year]}"))
        elif row.year not in plans:
            found.append(mt.unknown(row, f"året {row.year} ligger utanför regelns år ({year_input.low}–{year_input.high})"))
        else:
            claimed.setdefault((row.member, row.year, row.period), []).append(row)
    for year, plan in sorted(plans.items()):
        for exp in plan.invoices:
            rows = claimed.pop((exp.member, year, exp.period), [])
            why = mt.outside(exp)
            if why is None:
                found += mt.expected(plan, exp, rows)
            else:
                found += [mt.unknown(r, f"avtalet kräver ingen sådan faktura: {why}") for r in rows]
    for rows in claimed.values():          # members or periods the plan does not list
        found += [mt.unknown(r, "regeln ger ingen faktura för den parten och perioden") for r in rows]
    order = {m: i for i, m in enumerate(mt.members.values)}
    pos = {p: i for i, p in enumerate(mt.periods.values)}
    found.sort(key=lambda f: (f.year or 0, order.get(f.member, 99), pos.get(f.period, 99),
                              int(f.place.rsplit(":", 2)[1]) if f.place else 0))
    return found
