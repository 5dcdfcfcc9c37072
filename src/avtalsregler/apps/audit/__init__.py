"""Checking invoices against the rules (``avtalsregler audit``).

:func:`audit` reads an invoice file (:mod:`.invoices`, columns in ``schemas/invoices.md``),
finds the computation that gives the invoices (:mod:`.schedule`, from the declarations alone),
runs it for every year the file invoices, and returns an :class:`AuditResult`: one
:class:`~.verdicts.Finding` per expected invoice and per row the agreement does not call for,
each with the expected and the invoiced amount in öre, the verdict, the derivation back to the
sentence, the input and the reading, and the open readings it depends on. Plain data; nothing
here prints.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avtalsregler.apps.audit.invoices import InvoiceFile, InvoiceRow, read_invoices
from avtalsregler.apps.audit.schedule import Expected, Schedule, YearPlan, due_dates, find_schedule, plan_year
from avtalsregler.apps.audit.term import Reach, reach
from avtalsregler.apps.audit.values import amount_ore, date_of, period_of
from avtalsregler.apps.audit.verdicts import DATE_RULES, VERDICTS, Finding, match
from avtalsregler.errors import AvtalsreglerError, DataError, expected_one_of
from avtalsregler.project.model import Project


@dataclass
class AuditResult:
    schedule: Schedule
    invoices: InvoiceFile
    reach: Reach
    plans: dict[int, YearPlan]
    findings: list[Finding]
    date_rule: str
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (reading, message)
    fictitious: list[str] = field(default_factory=list)              # why the result is not real, if so

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def counts(self) -> dict[str, int]:
        return {v: sum(1 for f in self.findings if f.verdict == v) for v in VERDICTS}

    def differences(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    def sources(self) -> list[dict[str, str]]:
        """Where every input came from: the invoice file, the rule, each year's data."""
        out = [{"what": "fakturor", "where": self.invoices.path,
                "note": self.invoices.note}, {"what": "regel", "where": self.schedule.clause.path,
                                              "note": f"{self.schedule.clause.id} {self.schedule.clause.title}"}]
        for year, plan in sorted(self.plans.items()):
            for name, src in plan.result.sources.items():
                out.append({"what": f"{name} ({year})", "where": src, "note": ""})
        return out


def audit(project: Project, invoice_file: str | Path, options: dict[str, Any] | None = None, *,
          computation: str | None = None, years: list[int] | None = None,
          notice: datetime.date | None = None, ends: datetime.date | None = None,
          date_rule: str = "in-advance", only_years: set[int] | None = None,
          only_days: tuple[datetime.date, datetime.date] | None = None,
          expected: dict[int, list[Expected]] | None = None) -> AuditResult:
    """Audit ``invoice_file``. ``options`` are the computation's own (as ``compute`` takes them:
    ``annual-amount``, ``population``, ``index``, the alternatives); ``years`` adds years to audit
    beyond those the file invoices (every invoice of such a year is then expected); ``notice``
    (the day a notice was received) or ``ends`` (a stated last day) end the agreement.
    ``only_years`` audits those years alone (the rows of other years are left out);
    ``only_days`` (first, last) further keeps the rows dated within those days and the
    findings whose invoice day (for an invoice the rules do not call for, its date) is within.
    ``expected`` replaces the invoices the rules call for in those years (the parts of the
    periods a change of the agreement cuts, see :mod:`.in_force`)."""
    if date_rule not in DATE_RULES:
        raise DataError(f"the date rule {date_rule!r} is unknown", None, expected_one_of(DATE_RULES))
    schedule = find_schedule(project, computation)
    only = None
    if only_years is not None or only_days is not None:
        def only(year: int, day: datetime.date | None) -> bool:
            return ((only_years is None or year in only_years)
                    and (only_days is None or day is None or only_days[0] <= day <= only_days[1]))
    invoices = invoices_of(project, schedule, invoice_file, only, foreign=expected is not None)
    year_input = schedule.clause.inputs[schedule.year_input]
    wanted = {r.year for r in invoices.rows} | set(years or [])
    wanted = wanted if only_years is None else wanted & only_years
    wanted = {y for y in wanted if (year_input.low is None or y >= year_input.low)
              and (year_input.high is None or y <= year_input.high)}
    within = reach(project, notice, ends)
    skipped = {y: why for y in wanted if (why := _outside(project, schedule, y, within))}
    plans = {y: plan_year(project, schedule, y, options or {}) for y in sorted(wanted - set(skipped))}
    for y, invoices_of_year in (expected or {}).items():
        if y in plans:
            plans[y].invoices = invoices_of_year
    findings = match(project, schedule, within, plans, invoices, date_rule, skipped)
    if only_days is not None:
        findings = [f for f in findings if (day := f.due_date or f.invoice_date) is None
                    or only_days[0] <= day <= only_days[1]]
    result = AuditResult(schedule, invoices, within, plans, findings, date_rule)
    for plan in plans.values():
        result.warnings += [w for w in plan.result.warnings if w not in result.warnings]
    if invoices.fictitious:
        result.fictitious.append(f"FIKTIVA FAKTUROR ({invoices.path}): {invoices.marker}")
    result.fictitious += [m for _, m in result.warnings if "FIKTIV" in m]
    return result


def invoices_of(project: Project, schedule: Schedule, invoice_file: str | Path, only=None,
                foreign: bool = False) -> InvoiceFile:
    """The invoice file read with the member and period names of ``project`` (``only``: see
    :func:`~.invoices.read_invoices`)."""
    members = project.enums[schedule.member_enum]
    periods = project.enums[schedule.period_enum]
    parties = project.declared_once("parties")[1]
    comp = schedule.computation
    label_word = schedule.column.label.replace("{n}", "").replace("{label}", "").strip()
    return read_invoices(invoice_file, members, periods, lambda name: parties.member_of(name, project.enums),
                         member_names=(members.name, comp.members.label, comp.members.name_key),
                         period_names=(periods.name, label_word.split()[0] if label_word else ""), only=only,
                         foreign=foreign)


def _outside(project: Project, schedule: Schedule, year: int, within: Reach) -> str | None:
    """Why no invoice of ``year`` is called for, when every invoice day of the year (computed
    from the year alone) is outside the agreement's reach; None when some is inside or the days
    need more than the year."""
    try:
        days = [d for d in due_dates(project, schedule, {schedule.year_input: year}).values() if d]
    except (AvtalsreglerError, KeyError):
        return None
    if days and within.last_day and min(days) > within.last_day:
        return f"fakturadagarna {year} är efter avtalets sista dag: {within.why}"
    if days and within.first_day and max(days) < within.first_day:
        return f"fakturadagarna {year} är före avtalets första dag {within.first_day.isoformat()}"
    return None


__all__ = ["AuditResult", "Expected", "Finding", "InvoiceFile", "InvoiceRow", "Reach", "Schedule", "YearPlan",
           "amount_ore", "audit", "date_of", "find_schedule", "invoices_of", "match", "period_of", "plan_year",
           "read_invoices", "reach"]
