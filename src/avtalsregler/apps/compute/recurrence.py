"""A value computed year by year (a declared ``recurrence``): the start value at the start year,
then each next year's value from the rule's ``next`` definition, given the previous value and
that year's index value (from an index file with publications).

The alternatives a rule may offer (each tied to its reading) are engine kinds:

* ``vintage``: ``before-year`` (the latest forecast published before the year began) or
  ``latest`` (the latest published);
* ``chain``: ``chained`` (each year from the previous) or ``simple`` (the start value raised
  once by the sum of the yearly changes);
* ``rounding``: ``yearly`` (each year's ``next`` value is carried) or ``once`` (the unrounded
  ``exact`` value is carried; only the last year's is rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from avtalsregler.apps.data import IndexValue, load_index
from avtalsregler.errors import DataError
from avtalsregler.language.types import format_fraction
from avtalsregler.project.declarations.computation_model import Recurrence
from avtalsregler.project.evaluate import evaluate


@dataclass
class RecurrenceResult:
    value: Any
    start: Any
    start_year: int
    steps: list[dict] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)     # alternative kind → chosen
    readings: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    index_file: str = ""


def publication(v: IndexValue) -> dict:
    return {"year": v.year, "change": format_fraction(v.change), "title": v.title,
            "date": v.published.isoformat(), "reference": v.reference, "where": str(v.span)}


def choices(rec: Recurrence, options: dict[str, Any]) -> dict[str, str]:
    """The chosen alternative of every kind the rule offers (its first choice by default)."""
    out = {}
    for a in rec.alternatives:
        chosen = options.get(a.kind) or a.choices[0]
        if chosen not in a.choices:
            raise DataError(f"--{a.kind} {chosen!r} is not one of {', '.join(a.choices)}", None,
                            f"choose one of {', '.join(a.choices)}" + (f" (reading {a.reading})" if a.reading else ""))
        out[a.kind] = chosen
    return out


def run_recurrence(project, clause, rec: Recurrence, year: int, options: dict[str, Any]) -> RecurrenceResult:
    """The value for ``year``; ``options`` may hold ``index`` (a file) and the alternatives."""
    enums = project.enums
    start = clause.parameters[rec.start].value
    start_year = clause.parameters[rec.start_year].value
    chosen = choices(rec, options)
    year_input = clause.inputs[rec.year]
    last = year_input.high if isinstance(year_input.high, int) else start_year + 1000
    path = options.get("index") or str(Path(project.root) / rec.index_file)
    idx = load_index(path, start_year + 1, last, rec.index_name)
    index_reading = clause.inputs[rec.index_input].reading
    out = RecurrenceResult(None, start, start_year, choices=chosen, index_file=idx.path)
    out.readings = [a.reading for a in rec.alternatives if a.reading]
    if idx.fictitious:
        out.warnings.append((index_reading or "", f"FIKTIVA indexvärden från {idx.path}: {idx.note or 'inte verkliga'}; "
                                                  "beloppen är inte verkliga"))
    if year <= start_year:
        raise DataError(f"--year {year} is not after the start year {start_year}", None,
                        f"the first raised year is {start_year + 1}")
    vintage_reading = next((a.reading for a in rec.alternatives if a.kind == "vintage"), index_reading)
    picked = [idx.choose(y, chosen.get("vintage", "before-year"), vintage_reading) for y in range(start_year + 1, year + 1)]
    names = [rec.next] + ([rec.exact] if rec.exact else [])

    def step(prev, change):
        vals, _ = evaluate(clause, enums, {rec.previous: Fraction(prev), rec.index_input: change}, names)
        return vals

    if chosen.get("chain") == "simple":
        total = sum((v.change for v in picked), Fraction(0))
        vals = step(start, total)
        out.steps.append({"year": year, "from": str(start), "change": format_fraction(total),
                          "exact": str(vals.get(rec.exact, vals[rec.next])), "rounded": vals[rec.next],
                          "publications": [publication(v) for v in picked]})
        out.value = vals[rec.next]
        return out
    prev: Any = start
    for v in picked:
        vals = step(prev, v.change)
        out.steps.append({"year": v.year, "from": str(prev), "change": format_fraction(v.change),
                          "exact": str(vals.get(rec.exact, vals[rec.next])), "rounded": vals[rec.next],
                          "publications": [publication(v)]})
        prev = vals[rec.exact] if chosen.get("rounding") == "once" else vals[rec.next]
    out.value = out.steps[-1]["rounded"]
    return out
