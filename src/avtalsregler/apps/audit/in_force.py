"""An audit under the version of the agreement in force for the years the invoices are about.

The operating year is the unit the invoices are computed for, so each year the file invoices is
judged by the version in force on the year's first day, or on its last with ``transition:
last-day`` (the computation's ``about`` and its transition reading:
:mod:`avtalsregler.apps.compute.in_force`); ``as_of`` picks one version for all. A file whose
years fall under several versions is split: each version audits its own years (the rows of the
other years are left out), and the audit is right only when every part is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from avtalsregler.apps.amend.versions import Version, in_force, parts, project_of, versions
from avtalsregler.apps.audit import AuditResult, audit, find_schedule, invoices_of
from avtalsregler.errors import AvtalsreglerError
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
                   as_of: datetime.date | None = None, transition: str = "first-day",
                   **kw) -> list[AuditPart]:
    """``audit`` by the version in force: one part per version that judges some year of the
    file (in the order of the versions). ``transition`` (``first-day`` or ``last-day``, the
    alternatives of the computation's transition reading) picks the version for a year in
    which one takes effect; ``invoice-day`` judges each invoice of such a year by the version in
    force on its declared invoice day (one part per version, with the days it judges)."""
    vs = versions(root)
    if as_of is not None or len(vs) == 1:
        v = in_force(vs, as_of) if as_of is not None else vs[-1]
        project = project_of(root, v)
        res = audit(project, invoice_file, options, **kw)
        return [AuditPart(res, project, v, sorted({r.year for r in res.invoices.rows} | set(kw.get("years") or [])))]
    years = sorted(set(file_years(root, vs, invoice_file, kw.get("computation"))) | set(kw.get("years") or []))
    day = (1, 1) if transition == "first-day" else (12, 31)
    groups: dict[tuple, list[int]] = {}
    for y in years:
        cut = parts(vs, datetime.date(y, 1, 1), datetime.date(y, 12, 31))
        if transition == INVOICE_DAY and len(cut) > 1:
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
        res = audit(project, invoice_file, options, **kw, only_years=only, only_days=window)
        out.append(AuditPart(res, project, v, part_years, window))
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
