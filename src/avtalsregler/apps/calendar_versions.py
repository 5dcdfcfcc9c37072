"""The calendar over time: a range cut where a version of the agreement takes effect, each part's
dates computed by the version in force then (:mod:`avtalsregler.apps.amend.versions`)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from avtalsregler.apps import calendar as cal
from avtalsregler.apps.amend.versions import in_force, parts, project_of, versions


def events_in_force(root: str | Path, start: datetime.date, end: datetime.date,
                    as_of: datetime.date | None = None) -> tuple[list[cal.Event], list[dict]]:
    """Every declared event from ``start`` to ``end``, each by the version in force on its day
    (or, with ``as_of``, all by the version in force then), and the parts with their versions.
    Events are named by their version when the project has applied amendments."""
    vs = versions(root)
    cut = [(start, end, in_force(vs, as_of))] if as_of else parts(vs, start, end)
    named = len(vs) > 1
    out: list[cal.Event] = []
    for a, b, v in cut:
        for e in cal.events(project_of(root, v), a, b):
            out.append(replace(e, version=v.label) if named else e)
    out.sort(key=lambda e: (e.date, cal.KIND_ORDER.get(e.kind, 9), e.uid))
    return out, [{"from": a.isoformat(), "to": b.isoformat(), "version": v.label, "number": v.number}
                 for a, b, v in cut]

