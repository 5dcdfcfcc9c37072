"""The invoices the rules call for, found from the declarations alone.

The *schedule* is a declared computation (``computations:``) whose members table has a money
column that is a map over another enumeration (one invoice per member and value, e.g. per part
of the year), in a rule that declares an event of kind ``invoice`` whose date is a map over that
same enumeration and which is iterated by a year (``for: {Y: year}``). The computation is run
with :func:`~avtalsregler.apps.compute.run_computation` for each year audited, exactly as
``avtalsregler compute`` runs it (the same options and data files); the invoice days come from
the event's date definition.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from avtalsregler.apps.compute import Result, explanation, run_computation
from avtalsregler.apps.compute.run import computations
from avtalsregler.errors import DataError, expected_one_of
from avtalsregler.project.declarations.computations import Computation, Shown
from avtalsregler.project.declarations.events import Event
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Project


@dataclass(frozen=True)
class Schedule:
    computation: Computation
    clause: Clause
    column: Shown                # the members column with the invoice amounts
    member_enum: str
    period_enum: str
    event: Event                 # the invoice event (kind invoice, date a map over period_enum)
    year_input: str              # the input the event iterates by year
    year_flag: str               # the computation's option for it


@dataclass
class Expected:
    member: str
    year: int
    period: str
    position: int                # 1-based place of the period in its enumeration
    amount_ore: int
    due: datetime.date | None    # the declared invoice day (None: the event does not apply)
    share: str = ""              # a part of the period only (a change inside it): which, and how computed


@dataclass
class YearPlan:
    """What the rules give for one year: the computation's result, every expected invoice, the
    derivation (Swedish lines, as ``--explain``) and the amounts under each other alternative."""

    year: int
    result: Result
    invoices: list[Expected]
    explanation: list[str]
    previous_due: datetime.date | None        # the last invoice day of the year before, if computable
    alternatives: list[dict] = field(default_factory=list)


def _invoice_column(project: Project, clause: Clause, comp: Computation, member_enum: str):
    for col in comp.members.columns:
        t = clause.type_of(col.value)
        if t.kind == "map" and t.enum == member_enum and t.elem.kind == "map" and t.elem.elem.is_money:
            for ev in _all_invoice_events(project, clause):
                dt = clause.type_of(ev.date)
                if dt.kind == "map" and dt.enum == t.elem.enum:
                    years = [n for n, mode in ev.iterate if mode == "year"]
                    spec = comp.inputs.get(years[0]) if years else None
                    if spec is not None and spec.option is not None:
                        return col, t.elem.enum, ev, years[0], spec.option.flag
    return None


def _all_invoice_events(project: Project, clause: Clause) -> list[Event]:
    return [ev for c, d in project.declared("events") if c.id == clause.id for ev in d.events if ev.kind == "invoice"]


def find_schedule(project: Project, name: str | None = None) -> Schedule:
    """The computation that gives the invoices (``name`` chooses among several)."""
    parties = project.declared_once("parties")
    if parties is None:
        raise DataError("no rule declares the parties, so no invoice can be checked", None,
                        "add a 'parties:' section to the rule that names them")
    member_enum = parties[1].member_enum
    found = []
    for comp in computations(project):
        clause = project.clauses[comp.clause]
        if comp.members is None or (name and comp.name != name):
            continue
        hit = _invoice_column(project, clause, comp, member_enum)
        if hit:
            found.append(Schedule(comp, clause, hit[0], member_enum, *hit[1:]))
    if not found:
        raise DataError(f"no computation {name!r} with invoices" if name else "no declared computation gives invoices",
                        None, "declare a computation whose members table has a money column per invoice period, in "
                        "a rule with an 'events:' entry of kind 'invoice' whose date is a map over the same periods")
    if len(found) > 1:
        raise DataError("several computations give invoices", None,
                        "choose one with --computation; " + expected_one_of(s.computation.name for s in found))
    return found[0]


def due_dates(project: Project, schedule: Schedule, given: dict[str, Any]) -> dict[str, datetime.date | None]:
    """The declared invoice day of every period for these inputs (None where the event's
    ``when``/``unless`` says there is no invoice)."""
    ev, clause = schedule.event, schedule.clause
    names = [ev.date] + [n for n in (ev.when, ev.unless) if n]
    values, _ = evaluate(clause, project.enums, given, names, check_assumptions=False)
    if (ev.when and not values[ev.when]) or (ev.unless and values[ev.unless]):
        return {k: None for k in values[ev.date]}
    return dict(values[ev.date])


def _previous_due(project: Project, schedule: Schedule, given: dict[str, Any], year: int) -> datetime.date | None:
    inp = schedule.clause.inputs[schedule.year_input]
    if inp.low is not None and year - 1 < inp.low:
        return None
    try:
        days = [d for d in due_dates(project, schedule, {**given, schedule.year_input: year - 1}).values() if d]
    except DataError:
        return None
    return max(days) if days else None


def plan_year(project: Project, schedule: Schedule, year: int, options: dict[str, Any]) -> YearPlan:
    """Run the schedule's computation for ``year`` and list the invoices it calls for."""
    opts = {**options, schedule.year_flag: year}
    result = run_computation(project, schedule.computation.name, opts)
    result.sources[schedule.year_input] = f"året {year} (fakturornas period)"
    column = next(c for c in result.columns if c.name == schedule.column.value)
    periods = project.enums[schedule.period_enum]
    due = due_dates(project, schedule, result.given)
    invoices = [Expected(m.id, year, p, i, column.value[m.id][p], due.get(p))
                for m in result.members for i, p in enumerate(periods.values, start=1)]
    plan = YearPlan(year, result, invoices, explanation(result, project),
                    _previous_due(project, schedule, result.given, year))
    plan.alternatives = _alternatives(project, schedule, year, opts, result)
    return plan


def _alternatives(project: Project, schedule: Schedule, year: int, opts: dict[str, Any], result: Result) -> list[dict]:
    """The amounts under every other choice of each alternative the computation offers (e.g. the
    vintage of an index forecast), one kind at a time; ``error`` where it cannot be computed."""
    out = []
    for name, rec in ((n, s.recurrence) for n, s in schedule.computation.inputs.items() if s.recurrence):
        if name not in result.recurrence:
            continue                                   # the value was given, not computed
        chosen = result.recurrence[name].choices
        for alt in rec.alternatives:
            for choice in alt.choices:
                if choice == chosen.get(alt.kind):
                    continue
                entry = {"kind": alt.kind, "choice": choice, "reading": alt.reading, "amounts": None, "error": None}
                try:
                    r = run_computation(project, schedule.computation.name, {**opts, alt.kind: choice})
                    col = next(c for c in r.columns if c.name == schedule.column.value)
                    entry["amounts"] = {(m, p): v for m, row in col.value.items() for p, v in row.items()}
                except DataError as exc:
                    entry["error"] = exc.swedish
                out.append(entry)
    return out
