"""Run a declared computation (``computations:`` of a rule) on options and data files.

:func:`run_computation` fills the rule's inputs as the declaration says (options, fixed values,
per-member data at the day a definition gives, a year-by-year recurrence), evaluates the shown
definitions exactly and returns a :class:`Result` — plain data; nothing here prints.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avtalsregler.apps.compute.recurrence import RecurrenceResult, run_recurrence
from avtalsregler.apps.data import Population, load_doubts, load_population
from avtalsregler.errors import DataError, SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.language.types import Type, parse_money_text, show
from avtalsregler.project.declarations.computations import Computation, InputSpec, Shown
from avtalsregler.project.evaluate import Step, evaluate
from avtalsregler.project.model import Clause, Project


@dataclass
class ShownValue:
    key: str
    name: str
    label: str
    type: Type
    value: Any
    shown: Shown


@dataclass
class Member:
    id: str
    label: str
    code: str | None


@dataclass
class Result:
    computation: Computation
    clause: Clause
    given: dict[str, Any]
    sources: dict[str, str]                 # input → where its value came from (Swedish, for explanations)
    values: list[ShownValue]
    members: list[Member]
    columns: list[ShownValue]
    steps: list[Step]
    data: dict[str, Population] = field(default_factory=dict)   # input → the data rows it came from
    recurrence: dict[str, RecurrenceResult] = field(default_factory=dict)
    readings: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    due_dates: list[datetime.date] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        if name in self.given:
            return self.given[name]
        step = next((s for s in self.steps if s.name == name), None)
        if step is not None:
            return step.value
        return self.clause.parameters[name].value


def find_computation(project: Project, name: str) -> Computation:
    found = {c.name: c for _, decl in project.declared("computations") for c in decl.items}
    if name not in found:
        raise DataError(f"there is no computation {name!r}", None,
                        (did_you_mean(name, found) or expected_one_of(found)) if found
                        else "declare one in a rule's 'computations:' section")
    return found[name]


def computations(project: Project) -> list[Computation]:
    return [c for _, decl in project.declared("computations") for c in decl.items]


def parse_option(text: Any, t: Type, flag: str, enums) -> Any:
    """A command-line value of an input's type (values already typed pass)."""
    if not isinstance(text, str):
        return text
    s = text.strip()
    if t.kind == "date":
        try:
            return datetime.date.fromisoformat(s)
        except ValueError:
            raise DataError(f"--{flag} {text!r} is not a date", None,
                            "write YYYY-MM-DD with a day that exists (e.g. 2024-02-29, not 2023-02-29)") from None
    if t.is_money:
        ore = parse_money_text(s if s.endswith(("kr", "kronor", "öre")) else s + " kr")
        if ore is None or ore < 0:
            raise DataError(f"--{flag} {text!r} is not an amount in kronor", None,
                            "write whole kronor with an optional ',öre' part, e.g. 9356000 or '9 356 000,50'")
        return ore
    if t.kind == "int":
        try:
            return int(s.replace(" ", ""))
        except ValueError:
            raise DataError(f"--{flag} {text!r} is not a whole number", None, "e.g. 2022") from None
    if t.kind == "bool":
        if s.lower() not in ("true", "false", "yes", "no", "ja", "nej"):
            raise DataError(f"--{flag} {text!r} is not yes or no", None, "write yes or no")
        return s.lower() in ("true", "yes", "ja")
    if t.kind == "enum":
        e = enums[t.enum]
        hit = next((v for v in e.values if s in (v, e.label(v))), None)
        if hit is None:
            raise DataError(f"--{flag} {text!r} is not one of {t.enum}", None,
                            did_you_mean(s, e.values) or expected_one_of(e.values))
        return hit
    raise DataError(f"--{flag} cannot be given as text", None, "declare the input with 'data' or 'value'")


def _in_range(clause: Clause, spec: InputSpec, value: Any) -> None:
    """An option's value within the input's declared min/max (the range the proofs cover)."""
    inp = clause.inputs[spec.name]
    flag = f"--{spec.option.flag}"
    fmt = lambda b: show(b, inp.type, {})  # noqa: E731  (money in kronor, dates ISO)
    dates = isinstance(value, datetime.date)
    if inp.low is not None and value < inp.low:
        raise DataError(f"{flag} {fmt(value)} is {'before' if dates else 'below'} {fmt(inp.low)}, the "
                        f"{'first' if dates else 'least'} value of {spec.name} the rule's proofs cover "
                        f"({fmt(inp.low)} … {fmt(inp.high) if inp.high is not None else '…'})",
                        inp.span, f"give a value from {fmt(inp.low)} on ({inp.description.strip()})")
    if inp.high is not None and value > inp.high:
        raise DataError(f"{flag} {fmt(value)} is {'after' if dates else 'above'} {fmt(inp.high)}, the "
                        f"{'last' if dates else 'greatest'} value of {spec.name} the rule's proofs cover "
                        f"({fmt(inp.low) if inp.low is not None else '…'} … {fmt(inp.high)})",
                        inp.span, f"give a value up to {fmt(inp.high)}")


def _parties_enum(project: Project, comp: Computation) -> str | None:
    wants = comp.members is not None or any(i.data for i in comp.inputs.values())
    if not wants:
        return None
    declared = project.declared_once("parties")
    if declared is None:
        raise SchemaError(f"the computation {comp.name!r} shows a value per party, but no rule declares the "
                          "parties", comp.span, "add a 'parties:' section to the rule that names them")
    enum = declared[1].member_enum
    if comp.members is not None and comp.members.enum != enum:
        raise SchemaError(f"the members table of {comp.name!r} is over {comp.members.enum!r}, not the parties' "
                          f"member enumeration {enum!r}", comp.members.span, f"show maps over {enum}")
    return enum


def fill_inputs(project: Project, clause: Clause, comp: Computation, options: dict[str, Any], result: Result) -> None:
    enums = project.enums
    given, sources = result.given, result.sources
    for spec in comp.inputs.values():
        if spec.fixed:
            given[spec.name], sources[spec.name] = spec.value, "fast värde i beräkningens deklaration"
        elif spec.option and options.get(spec.option.flag) is not None:
            value = parse_option(options[spec.option.flag], clause.inputs[spec.name].type, spec.option.flag, enums)
            _in_range(clause, spec, value)
            given[spec.name], sources[spec.name] = value, f"--{spec.option.flag} {options[spec.option.flag]}"
        elif spec.option and spec.option.required:
            raise DataError(f"--{spec.option.flag} is required", None, spec.option.help or f"give {spec.name}")
    for spec in comp.inputs.values():
        if spec.name not in given and spec.option and spec.option.default and spec.option.default in given:
            given[spec.name] = given[spec.option.default]
            sources[spec.name] = f"som --{comp.inputs[spec.option.default].option.flag}" \
                if comp.inputs[spec.option.default].option else f"som {spec.option.default}"
    for spec in comp.inputs.values():
        if spec.data is not None:
            _data(project, clause, spec, options, result)
    for spec in comp.inputs.values():
        if spec.name not in given and spec.recurrence is not None:
            rec = spec.recurrence
            r = run_recurrence(project, clause, rec, given[rec.year], options)
            given[spec.name] = r.value
            result.recurrence[spec.name] = r
            result.warnings += r.warnings
            result.options.update(r.choices)
            sources[spec.name] = f"{rec.start} {r.start_year} räknat år för år med {rec.next} ({r.index_file})"


def _data(project: Project, clause: Clause, spec: InputSpec, options: dict[str, Any], result: Result) -> None:
    src = spec.data
    values, _ = evaluate(clause, project.enums, result.given, [src.at])
    day = values[src.at]
    root = Path(project.root)
    path = options.get(src.kind) or str(root / src.file)
    doubts = load_doubts(root / src.doubts, project.readings) if src.doubts else {}
    members = project.enums[clause.inputs[spec.name].type.enum]
    why = " ".join(clause.definitions[src.at].description.split())
    pop = load_population(path, day, members, doubts=doubts, why=f"{src.at}: {why}")
    inp = clause.inputs[spec.name]
    for row in pop.rows.values():
        if (inp.low is not None and row.population < inp.low) or (inp.high is not None and row.population > inp.high):
            raise DataError(f"the figure {row.population} for {row.name} is outside the range of {spec.name} "
                            f"({inp.low} – {inp.high})", row.span,
                            "check the figure; the rule (and what its spec proves) covers only that range")
    result.given[spec.name] = pop.values
    result.data[spec.name] = pop
    result.warnings += list(pop.warnings)
    result.sources[spec.name] = f"fil {pop.path}, {day.isoformat()}"


def data_origins(result: Result) -> dict[str, Span]:
    """Where each input read from a data file comes from: its first row's figure."""
    return {name: next(iter(pop.rows.values())).span for name, pop in result.data.items() if pop.rows}


def run_computation(project: Project, name: str, options: dict[str, Any] | None = None) -> Result:
    """Compute the declared computation ``name``. ``options`` maps an option's flag (``year``,
    ``annual-amount``, …; and ``population``, ``index``, ``vintage``, ``chain``, ``rounding``) to
    its value (text as typed, or a typed value)."""
    options = dict(options or {})
    comp = find_computation(project, name)
    clause = project.clauses[comp.clause]
    enum = _parties_enum(project, comp)
    result = Result(comp, clause, {}, {}, [], [], [], [])
    fill_inputs(project, clause, comp, options, result)
    explicit = {s.name for s in comp.inputs.values() if s.option and options.get(s.option.flag) is not None}
    def visible(items):
        return [s for s in items if s.when_given is None or s.when_given in explicit
                or comp.inputs[s.when_given].option is None]

    scalars, columns = visible(comp.show), visible(comp.members.columns if comp.members else ())
    conds = [c for s in [*scalars, *columns] for c in (s.when, s.unless) if c is not None]
    if conds:   # a shown value's when/unless: evaluated first, then only the shown values' steps
        known, _ = evaluate(clause, project.enums, result.given, [c for c in conds if c in clause.definitions],
                            origins=data_origins(result))
        def holds(c):
            return bool(known[c] if c in known else result.given[c])
        scalars, columns = ([s for s in items if (s.when is None or holds(s.when))
                             and (s.unless is None or not holds(s.unless))] for items in (scalars, columns))
    names = [s.value for s in [*scalars, *columns] if s.value in clause.definitions]
    values, steps = evaluate(clause, project.enums, result.given, names, origins=data_origins(result))
    result.steps = steps
    for items, into in ((scalars, result.values), (columns, result.columns)):
        for s in items:
            v = values[s.value] if s.value in values else result.value(s.value)
            into.append(ShownValue(s.key, s.value, s.label, clause.type_of(s.value), v, s))
    if enum is not None:
        e = project.enums[enum]
        result.members = [Member(k, e.label(k), e.codes.get(k)) for k in e.values]
    result.readings = _readings(project, clause, result)
    result.due_dates = due_dates(project, clause, result.given)
    return result


def _readings(project: Project, clause: Clause, result: Result) -> list[str]:
    used: set[str] = set()
    for r in result.recurrence.values():
        used |= set(r.readings)
    for n in result.given:
        if n in clause.inputs and clause.inputs[n].reading:
            used.add(clause.inputs[n].reading)
    for s in result.steps:
        if s.reading:
            used.add(s.reading)
        for dep in s.reads:
            p = clause.parameters.get(dep)
            if p is not None and p.reading:
                used.add(p.reading)
    used |= {r for r, _ in result.warnings if r}
    for ev in invoice_events(project, clause, result.given):
        used |= set(ev.readings)
    order = list(clause.readings) + sorted(used - set(clause.readings))
    return [r for r in order if r in used and r in project.readings]


def invoice_events(project: Project, clause: Clause, given: dict[str, Any]) -> list:
    """The invoice events (``events:`` of kind ``invoice``) of the same rule whose iterated
    inputs the computation fixes (or that are iterated over an enumeration)."""
    out = []
    for c, decl in project.declared("events"):
        if c.id != clause.id:
            continue
        for ev in decl.events:
            if ev.kind == "invoice" and all(n in given or mode == "enum" for n, mode in ev.iterate):
                out.append(ev)
    return out


def due_dates(project: Project, clause: Clause, given: dict[str, Any]) -> list[datetime.date]:
    """The days of the rule's invoice events for the computation's inputs; none when the rule
    declares no such events."""
    out: list[datetime.date] = []
    for ev in invoice_events(project, clause, given):
        try:
            values, _ = evaluate(clause, project.enums, given, [ev.date])
        except DataError:
            continue
        out += _dates(values[ev.date])
    return sorted(set(out))


def _dates(value: Any) -> list[datetime.date]:
    if isinstance(value, datetime.date):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    return []
