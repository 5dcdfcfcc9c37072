"""An audit under the version of the agreement in force for the years the invoices are about.

The operating year is the unit the invoices are computed for, so each year the file invoices is
judged by the version in force on the year's first day (the computations' ``about`` and its
transition reading: :mod:`avtalsregler.apps.compute.in_force`); ``as_of`` picks one version for
all. A file whose years fall under two versions is refused with a hint (audit each part)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from avtalsregler.apps.amend.versions import Version, in_force, project_of, versions
from avtalsregler.apps.audit import AuditResult, audit
from avtalsregler.errors import AvtalsreglerError, DataError
from avtalsregler.project.model import Project


def audit_in_force(root: str | Path, invoice_file: str | Path, options: dict[str, Any] | None = None, *,
                   as_of: datetime.date | None = None, transition: str = "first-day",
                   **kw) -> tuple[AuditResult, Project, Version, list[int]]:
    """``audit`` by the version in force: the result, the project of that version, the version
    and the years the file invoices. ``transition`` (``first-day`` or ``last-day``, the
    alternatives of the computation's transition reading) picks the version for a year in
    which one takes effect."""
    vs = versions(root)
    if as_of is not None or len(vs) == 1:
        v = in_force(vs, as_of) if as_of is not None else vs[-1]
        project = project_of(root, v)
        res = audit(project, invoice_file, options, **kw)
        return res, project, v, sorted({r.year for r in res.invoices.rows})
    first_error: AvtalsreglerError | None = None
    for v in reversed(vs):                 # any version whose periods can read the file gives its years
        project = project_of(root, v)
        try:
            res = audit(project, invoice_file, options, **kw)
        except AvtalsreglerError as exc:
            first_error = first_error or exc
            continue
        years = sorted({r.year for r in res.invoices.rows} | set(kw.get("years") or []))
        day = (1, 1) if transition == "first-day" else (12, 31)
        by_version = {y: in_force(vs, datetime.date(y, *day)) for y in years}
        chosen = {w.number: w for w in by_version.values()}
        if len(chosen) > 1:
            raise DataError(f"{invoice_file} invoices years under {len(chosen)} versions of the agreement: "
                            + "; ".join(f"{y}: {w.label}" for y, w in by_version.items()), None,
                            "audit the years of each version in a file of their own, or pick one with --as-of")
        w = next(iter(chosen.values())) if chosen else vs[-1]
        if w.number != v.number:
            project = project_of(root, w)
            res = audit(project, invoice_file, options, **kw)
        return res, project, w, years
    raise first_error
