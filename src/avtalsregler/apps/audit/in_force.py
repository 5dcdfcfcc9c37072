"""An audit under the version of the agreement in force for the years the invoices are about.

The operating year is the unit the invoices are computed for, so each year the file invoices is
judged by the version in force on the year's first day, or on its last with ``transition:
last-day`` (the computation's ``about`` and its transition reading:
:mod:`avtalsregler.apps.compute.in_force`); ``as_of`` picks one version for all. A file whose
years fall under several versions is split: each version audits its own years (the rows of the
other years are left out), and the audit is right only when every part is.

When the invoice event declares the period each invoice covers (``covers:``), a year in which a
version takes effect is judged as the calendar and ``compute`` list it: the periods of both
versions cut at the switch day of the event's transition reading (the declared choice, or
``transition`` when it is one of that reading's alternatives), by
:func:`~avtalsregler.apps.compute.invoice_periods.year_schedule` and
:mod:`avtalsregler.apps.transition` — each version judges its own parts (the rows dated from its
first part's invoice day on), and a cut part is expected at its moved invoice day for its share
of the period's amount, the share named on the finding."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from avtalsregler.apps.amend.versions import Version, in_force, parts, project_of, versions
from avtalsregler.apps.audit import AuditResult, audit, find_schedule, invoices_of
from avtalsregler.apps.audit.schedule import Expected
from avtalsregler.apps.compute.invoice_periods import year_schedule
from avtalsregler.errors import AvtalsreglerError, DataError
from avtalsregler.language.types import format_kr
from avtalsregler.project.model import Project

INVOICE_DAY = "invoice-day"        # the audit's own alternative: each invoice by its invoice day's version


@dataclass
class AuditPart:
    """The audit of the years one version judges."""

    result: AuditResult
    project: Project
    version: Version
    years: list[int]
    window: tuple[datetime.date, datetime.date] | None = None   # the days of a year it judges (invoice-day)

    @property
    def ok(self) -> bool:
        return self.result.ok


def audit_in_force(root: str | Path, invoice_file: str | Path, options: dict[str, Any] | None = None, *,
                   as_of: datetime.date | None = None, transition: str | None = None,
                   **kw) -> list[AuditPart]:
    """``audit`` by the version in force: one part per version that judges some year of the
    file (in the order of the versions). ``transition`` (``first-day`` or ``last-day``, the
    alternatives of the computation's transition reading) picks the version for a year in
    which one takes effect; ``invoice-day`` judges each invoice of such a year by the version in
    force on its declared invoice day (one part per version, with the days it judges). A year
    whose invoice periods a change cuts follows the covering event's reading (module doc);
    ``None`` takes its declared choice (and ``first-day`` for the year)."""
    vs = versions(root)
    if as_of is not None or len(vs) == 1:
        v = in_force(vs, as_of) if as_of is not None else vs[-1]
        project = project_of(root, v)
        res = audit(project, invoice_file, options, **kw)
        return [AuditPart(res, project, v, sorted({r.year for r in res.invoices.rows} | set(kw.get("years") or [])))]
    years = sorted(set(file_years(root, vs, invoice_file, kw.get("computation"))) | set(kw.get("years") or []))
    day = (12, 31) if transition == "last-day" else (1, 1)
    groups: dict[tuple, list[int]] = {}
    cuts: dict[tuple, tuple[dict[int, list[Expected]], tuple]] = {}
    for y in years:
        cut = parts(vs, datetime.date(y, 1, 1), datetime.date(y, 12, 31))
        covered = (_covered(root, vs, cut, y, options or {}, kw.get("computation"), transition)
                   if len(cut) > 1 and transition != INVOICE_DAY else None)
        if covered:
            for key, (expected, dated) in covered.items():
                groups.setdefault(key, []).append(y)
                cuts[key] = ({y: expected}, dated)
        elif transition == "pro-rata" and len(cut) > 1:
            raise DataError(f"--transition pro-rata needs an invoice event that declares the period it covers "
                            f"(the year {y} has a change inside it)", None,
                            "use first-day, last-day or invoice-day, or declare 'covers:' on the invoice event")
        elif transition == INVOICE_DAY and len(cut) > 1:
            for a, b, v in cut:
                groups.setdefault((v.number, (a, b)), []).append(y)
        else:
            groups.setdefault((in_force(vs, datetime.date(y, *day)).number, None), []).append(y)
    if not groups:
        groups = {(vs[-1].number, None): []}
    out = []
    for (number, window), part_years in sorted(groups.items(), key=lambda g: (g[1], g[0][0])):
        v = vs[number]
        project = project_of(root, v)
        only = set(part_years) if len(groups) > 1 else None
        expected, dated = cuts.get((number, window), (None, window))
        # a part of a year: its invoices are due even when no row of the file is dated in it
        part_kw = {**kw, "years": sorted(set(kw.get("years") or []) | set(part_years))} if window else kw
        res = audit(project, invoice_file, options, **part_kw, only_years=only, only_days=dated, expected=expected)
        out.append(AuditPart(res, project, v, part_years, window))
    return out


def _covered(root, vs: list[Version], cut, year: int, options: dict[str, Any], computation: str | None,
             transition: str | None) -> dict[tuple, tuple[list[Expected], tuple]] | None:
    """The invoices of ``year`` per (version, the days its parts cover) when the covering
    invoice event's periods decide, each with the invoice dates of the rows it judges (from its
    first invoice day to the day before the next version's); None when the rule declares no such
    event. These are the parts the calendar lists."""
    schedules = {v.number: find_schedule(project_of(root, v), computation) for _, _, v in cut}
    sch = schedules[cut[-1][2].number]
    ys = year_schedule(root, sch.computation.name, {**options, sch.year_flag: year}, cut,
                       (datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    if ys is None:
        return None
    alt = transition if transition in ys.alternatives else ys.chosen
    by_version: dict[int, list[Expected]] = {}
    days: dict[int, list[datetime.date]] = {}
    for pa in ys.parts(alt):
        part, v = pa.part, pa.part.period.version
        key = part.period.event.key
        periods = project_of(root, v).enums[schedules[v.number].period_enum].values
        event = part.event(ys.reading, alt)
        days.setdefault(v.number, []).extend((part.first, part.last))
        for m, ore in pa.amounts.items():
            share = "" if part.whole else (
                f"{event.share}; {v.label}: periodens {format_kr(pa.period_amounts[m])} × {part.days}/"
                f"{part.period.days}, avrundat till hela öre (halvt öre uppåt) = {format_kr(ore)}; fakturadagen "
                f"flyttad lika långt som periodens första dag, till {event.date.isoformat()}")
            by_version.setdefault(v.number, []).append(
                Expected(m, year, key, periods.index(key) + 1, ore, event.date, share))
    numbers = sorted(by_version)
    starts = [min(e.due for e in by_version[n]) for n in numbers]
    out = {}
    for i, n in enumerate(numbers):
        lo = datetime.date.min if i == 0 else starts[i]
        hi = datetime.date.max if i + 1 == len(numbers) else starts[i + 1] - datetime.timedelta(days=1)
        out[(n, (min(days[n]), max(days[n])))] = (by_version[n], (lo, hi))
    return out


def file_years(root: str | Path, vs: list[Version], invoice_file: str | Path, computation: str | None) -> list[int]:
    """The years ``invoice_file`` invoices, read by the header of the first version (latest
    first) that can read it; no row is read further than its period's year."""
    first_error: AvtalsreglerError | None = None
    for v in reversed(vs):
        project = project_of(root, v)
        try:
            read = invoices_of(project, find_schedule(project, computation), invoice_file, only=lambda *_: False)
        except AvtalsreglerError as exc:
            first_error = first_error or exc
            continue
        return read.years
    raise first_error
