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
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from avtalsregler.apps import calendar as cal
from avtalsregler.apps import transition as tr
from avtalsregler.apps.amend.versions import project_of
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


@dataclass(frozen=True)
class PartAmounts:
    """One part of a period (:class:`~avtalsregler.apps.transition.Part`) with its amount per
    member: the version's amount for the period times the part's share of its days, half up."""

    part: tr.Part
    amounts: dict[str, int]          # member id → öre
    labels: dict[str, str]           # member id → its label
    period_amounts: dict[str, int]   # member id → the whole period's amount under the part's version


@dataclass(frozen=True)
class YearSchedule:
    """The covering invoice event's reading and every version's periods around a year."""

    reading: str
    chosen: str
    alternatives: tuple[str, ...]
    by_version: list
    money: dict
    span: tuple[datetime.date, datetime.date]

    def parts(self, alternative: str | None = None) -> list[PartAmounts]:
        """The parts that begin in the year under ``alternative`` (the declared choice by default)."""
        a, b = self.span
        out = []
        for part in tr.schedule(self.by_version, alternative or self.chosen):
            if not (a <= part.first <= b):
                continue
            res, col = self.money[part.period.version.number]
            share = Fraction(part.days, part.period.days)
            whole = {m.id: col.value[m.id][part.period.event.key] for m in res.members}
            out.append(PartAmounts(part, {m: int((2 * share * v + 1) // 2) for m, v in whole.items()},   # half up
                                   {m.id: m.label for m in res.members}, whole))
        return out


def year_schedule(root, name: str, options: dict[str, Any], cut, year_span) -> YearSchedule | None:
    """The periods of every version in ``cut`` around ``year_span`` with their money (None when
    the rule declares no covering invoice event or no money column per period)."""
    a, b = year_span
    by_version, money = [], {}
    decl = None
    for _, _, v in cut:
        project = project_of(root, v)
        res = run_computation(project, name, options)
        ev = _covering(project, res.clause.id)
        if ev is None or _column(res, ev.key_enum) is None:
            return None
        decl = decl or ev.period
        evs = [e for e in cal.events(project, a - datetime.timedelta(days=400), b + datetime.timedelta(days=400))
               if e.declared == ev.id]
        by_version.append((v, tr.periods([replace(e, version=v.label) for e in evs], v)))
        money[v.number] = (res, _column(res, ev.key_enum))
    return YearSchedule(decl.transition, decl.chosen, tuple(decl.alternatives), by_version, money, year_span)


def invoice_periods(root, name: str, options: dict[str, Any], cut, year_span) -> list[dict]:
    """Each alternative's parts of the year's invoice periods with their amounts (empty when the
    rule declares no covering invoice event or no money column per period)."""
    ys = year_schedule(root, name, options, cut, year_span)
    if ys is None:
        return []
    out = []
    for alt in ys.alternatives:
        parts, totals = [], {}
        for pa in ys.parts(alt):
            members = {pa.labels[m]: ore for m, ore in pa.amounts.items()}
            for label, ore in members.items():
                totals[label] = totals.get(label, 0) + ore
            parts.append({**pa.part.as_json(), "key": pa.part.period.event.key, "members": members})
        out.append({"alternative": alt, "label": tr.ALTERNATIVE_LABELS[alt], "chosen": alt == ys.chosen,
                    "reading": ys.reading, "parts": parts, "totals": totals,
                    "total": sum(totals.values())})
    return out
