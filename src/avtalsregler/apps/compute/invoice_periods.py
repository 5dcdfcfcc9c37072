"""The money of a year's invoice periods when a version of the agreement takes effect inside one
of them: for every alternative of the reading the invoice event declares (``covers:``, see
:mod:`avtalsregler.apps.transition`), each part of the year's periods with its version and its
amount per member — the version's amount for that period times the part's share of the
period's days (pro rata), rounded half up to whole öre per member and part.

The amounts are the members table's money column whose inner enumeration is the invoice date's
(one amount per member and period), computed by each version for the same options.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from fractions import Fraction
from typing import Any

from avtalsregler.apps import calendar as cal
from avtalsregler.apps import transition as tr
from avtalsregler.apps.amend.versions import Version, project_of
from avtalsregler.apps.compute.run import Result, run_computation


def _covering(project, clause_id: str):
    for c, decl in project.declared("events"):
        if c.id == clause_id:
            for ev in decl.events:
                if ev.period is not None and ev.period.tiles and ev.key_enum:
                    return ev
    return None


def _column(res: Result, enum: str):
    for col in res.columns:
        t = col.type
        if t.kind == "map" and t.elem.kind == "map" and t.elem.enum == enum and t.elem.elem.is_money:
            return col
    return None


def invoice_periods(root, name: str, options: dict[str, Any], cut, year_span) -> list[dict]:
    """Each alternative's parts of the year's invoice periods with their amounts (empty when the
    rule declares no covering invoice event or no money column per period)."""
    a, b = year_span
    runs: list[tuple[Version, Result, str]] = []
    by_version = []
    decl = None
    for _, _, v in cut:
        project = project_of(root, v)
        res = run_computation(project, name, options)
        ev = _covering(project, res.clause.id)
        if ev is None or _column(res, ev.key_enum) is None:
            return []
        decl = decl or ev.period
        evs = [e for e in cal.events(project, a - datetime.timedelta(days=400), b + datetime.timedelta(days=400))
               if e.declared == ev.id]
        by_version.append((v, tr.periods([replace(e, version=v.label) for e in evs], v)))
        runs.append((v, res, ev.key_enum))
    money = {v.number: (res, _column(res, enum)) for v, res, enum in runs}
    out = []
    for alt in decl.alternatives:
        parts, totals = [], {}
        for part in tr.schedule(by_version, alt):
            if not (a <= part.first <= b):
                continue
            res, col = money[part.period.version.number]
            share = Fraction(part.days, part.period.days)
            members = {}
            for m in res.members:
                exact = share * col.value[m.id][part.period.event.key]
                members[m.label] = int((2 * exact + 1) // 2)            # half up
                totals[m.label] = totals.get(m.label, 0) + members[m.label]
            parts.append({**part.as_json(), "key": part.period.event.key, "members": members})
        out.append({"alternative": alt, "label": tr.ALTERNATIVE_LABELS[alt], "chosen": alt == decl.chosen,
                    "reading": decl.transition, "parts": parts, "totals": totals,
                    "total": sum(totals.values())})
    return out
