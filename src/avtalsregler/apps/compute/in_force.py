"""A computation under the version of the agreement in force on the day (or year) it is about.

The computation's ``about:`` declaration names the option input the command is about: a date
(``unit: day``) or a calendar year treated as one unit (``unit: year``). ``--as-of DATE``
overrides it. When a version takes effect inside the year, the reading ``about.transition``
decides which version applies (engine alternatives: ``first-day`` — the version in force on the
year's first day — or ``last-day``); the effect of each alternative, and of a split of the
year by days (``pro-rata``), is computed for every money column of the members table, and the
year's invoice periods under each alternative of the reading their invoice event declares
(:mod:`avtalsregler.apps.compute.invoice_periods`). A period the answer is about besides its day
(``about: period:``, e.g. a notice period) follows its own reading
(:mod:`avtalsregler.apps.compute.period`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from avtalsregler.apps.amend.versions import Version, parts, project_of, versions
from avtalsregler.apps.compute.run import Result, find_computation, parse_option, run_computation
from avtalsregler.errors import DataError
from avtalsregler.project.model import Project

TRANSITIONS = ("first-day", "last-day")
LABELS = {"first-day": "hela året enligt lydelsen som gäller årets första dag",
          "last-day": "hela året enligt lydelsen som gäller årets sista dag",
          "pro-rata": "varje lydelse för sina dagar av året (pro rata per dag)"}


@dataclass
class InForce:
    """Which version a computation used, and why."""

    version: Version
    about: tuple[datetime.date, datetime.date]           # the day or year the command is about
    parts: list[tuple[datetime.date, datetime.date, Version]]
    transition: str | None = None                         # the alternative chosen (a change inside)
    reading: str | None = None
    effects: list[dict] = field(default_factory=list)     # per alternative, per member, money
    period: dict | None = None                            # about: period: a change inside it (period.py)
    invoice_periods: list[dict] = field(default_factory=list)   # the year's invoices (invoice_periods.py)

    @property
    def label(self) -> str:
        return self.version.label

    def as_json(self) -> dict:
        return {"version": self.version.as_json(), "about": [d.isoformat() for d in self.about],
                "parts": [{"from": a.isoformat(), "to": b.isoformat(), "version": v.label} for a, b, v in self.parts],
                "transition": self.transition, "reading": self.reading, "alternatives": self.effects} | (
                    {"period": self.period} if self.period else {}) | (
                    {"invoice_periods": self.invoice_periods} if self.invoice_periods else {})


def about_range(project: Project, name: str, options: dict[str, Any]) -> tuple[datetime.date, datetime.date] | None:
    comp = find_computation(project, name)
    ab = comp.about
    if ab is None:
        return None
    spec = comp.inputs[ab.input]
    raw = options.get(spec.option.flag)
    if raw is None:
        return None
    clause = project.clauses[comp.clause]
    value = parse_option(raw, clause.inputs[ab.input].type, spec.option.flag, project.enums)
    if ab.unit == "day":
        if not isinstance(value, datetime.date):
            raise DataError(f"about: {ab.input} is not a date input", ab.span, "use unit: year for a year")
        return value, value
    return datetime.date(value, 1, 1), datetime.date(value, 12, 31)


def run_in_force(root: str | Path, name: str, options: dict[str, Any], as_of: datetime.date | None = None,
                 transition: str | None = None) -> tuple[Result, Project, InForce]:
    """Run computation ``name`` under the version in force on ``as_of`` or, without it, on the
    day or year the computation is about (the current files when it says nothing)."""
    vs = versions(root)
    latest = project_of(root, vs[-1])
    span = (as_of, as_of) if as_of else about_range(latest, name, options)
    if span is None:
        span = (datetime.date.today(),) * 2
    cut = parts(vs, *span)
    comp = find_computation(latest, name)
    info = InForce(cut[0][2], span, cut)
    if len(cut) > 1:
        info.reading = comp.about.transition if comp.about else None
        info.transition = transition or TRANSITIONS[0]
        if info.transition not in TRANSITIONS:
            raise DataError(f"--transition {info.transition!r} is unknown", None,
                            "expected one of: " + ", ".join(TRANSITIONS))
        info.version = cut[0][2] if info.transition == "first-day" else cut[-1][2]
        info.effects = _effects(root, name, options, cut)
        from avtalsregler.apps.compute.invoice_periods import invoice_periods

        info.invoice_periods = invoice_periods(root, name, options, cut, span)
    project = project_of(root, info.version)
    result = run_computation(project, name, options)
    if comp.about is not None and comp.about.period is not None and as_of is None:
        from avtalsregler.apps.compute.period import period_in_force

        info.period = period_in_force(root, vs, name, options, result, comp.about.period, transition)
    return result, project, info


def _money_columns(res: Result) -> list:
    return [c for c in res.columns if c.type.kind == "map" and c.type.elem.is_money]


def _effects(root, name: str, options: dict[str, Any], cut) -> list[dict]:
    """Each alternative's amounts per member (öre) for every money column of the members table."""
    runs = [(a, b, run_computation(project_of(root, v), name, options)) for a, b, v in cut]
    days = sum((b - a).days + 1 for a, b, _ in runs)
    out = []
    for alt, chosen in (("first-day", [runs[0]]), ("last-day", [runs[-1]]), ("pro-rata", runs)):
        rows: dict[str, dict[str, int]] = {}
        for col in _money_columns(runs[0][2]):
            for m in runs[0][2].members:
                if alt == "pro-rata":
                    exact = sum((Fraction((b - a).days + 1, days) * r_value(r, col.key, m.id) for a, b, r in chosen),
                                Fraction(0))
                else:
                    exact = Fraction(r_value(chosen[0][2], col.key, m.id))
                rows.setdefault(m.label, {})[col.key] = int((2 * exact + 1) // 2)     # half up
        out.append({"alternative": alt, "label": LABELS[alt], "members": rows,
                    "columns": {c.key: c.label for c in _money_columns(runs[0][2])},
                    "note": "avrundat till hela öre per part och kolumn" if alt == "pro-rata" else ""})
    return out


def r_value(res: Result, key: str, member: str) -> int:
    col = next((c for c in res.columns if c.key == key), None)
    return col.value[member] if col is not None and member in col.value else 0
