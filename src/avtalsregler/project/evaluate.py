"""Evaluate a clause on inputs — exactly, or as Z3 terms — with an explanation trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from avtalsregler.errors import DataError, Span
from avtalsregler.language.expr import E
from avtalsregler.project.model import Clause
from avtalsregler.language.semantics import ConcreteOps, Ops, Walker
from avtalsregler.language.types import EnumType, show


class Instance:
    """A clause with its inputs bound, under one meaning (``ops``). Definitions are evaluated
    on demand, once each, at top level (so their definedness does not depend on where they are
    first used)."""

    def __init__(self, clause: Clause, ops: Ops, inputs: dict[str, Any]):
        self.clause = clause
        self.ops = ops
        self.inputs = inputs
        self.values: dict[str, Any] = {}
        self.order: list[str] = []
        self.walker = Walker(ops, self.lookup)

    def lookup(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        c = self.clause
        if name in c.inputs or (name in c.parameters and name in self.inputs):
            # a value given for a parameter overrides the rule's (proofs over parameter ranges,
            # and the replay of their counterexamples)
            if name not in self.inputs:
                raise DataError(f"no value is given for the input {name!r} of {c.id}", None,
                                f"give {name}: {c.inputs[name].description}",
                                sv=f"inget värde är givet för indata {name!r} i {c.id}")
            value = self.inputs[name]
        elif name in c.parameters:
            p = c.parameters[name]
            value = self.ops.const(p.value, p.type)
        else:
            d = c.definitions[name]
            run = getattr(self.ops, "toplevel", None)
            value = run(lambda: self.walker.ev(d.expr)) if run else self.walker.ev(d.expr)
            self.order.append(name)
        self.values[name] = value
        return value

    def ev(self, e: E) -> Any:
        return self.walker.ev(e)


@dataclass
class Step:
    """One computed definition, as shown by ``--explain``."""

    name: str
    value: Any
    shown: str
    formula: str
    sentence: str | None
    quote: str | None
    reading: str | None
    reads: list[str] = field(default_factory=list)


def evaluate(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any],
             names: list[str] | None = None, check_assumptions: bool = True,
             origins: dict[str, Span] | None = None) -> tuple[dict[str, Any], list[Step]]:
    """Compute ``names`` (default: every definition) exactly; returns the values and the steps.
    ``origins`` gives the place an input's value was read from (a data file's row): a broken
    assumption about it is reported there, not at the rule."""
    inst = Instance(clause, ConcreteOps(enums), given)
    if check_assumptions:
        check_inputs(clause, enums, given)
        for a in clause.assumptions:
            if all(n in given or n in clause.parameters for n in a.expr.names()):
                if not inst.ev(a.expr):
                    values = ", ".join(f"{n} = {show(given[n], clause.inputs[n].type, enums)}"
                                       for n in sorted(a.expr.names()) if n in given and n in clause.inputs)
                    read = [n for n in sorted(a.expr.names()) if n in (origins or {})]
                    if read:
                        raise DataError(f"the figures of {read[0]} read here break the assumption {a.name!r} of "
                                        f"{clause.id}: {a.reason}" + (f" ({values})" if values else ""),
                                        origins[read[0]], f"the rule ({a.span}) requires: {a.source}; check the figures")
                    raise DataError(f"the inputs break the assumption {a.name!r} of {clause.id}: {a.reason}"
                                    + (f" ({values})" if values else ""),
                                    a.span, f"the rule requires: {a.source}; the proofs cover only inputs that meet it",
                                    sv=f"indata bryter mot antagandet {a.name!r} i {clause.id}: {a.reason}"
                                    + (f" ({values})" if values else ""))
    wanted = names if names is not None else list(clause.definitions)
    out = {n: inst.lookup(n) for n in wanted}
    steps = []
    for n in inst.order:
        d = clause.definitions[n]
        s = clause.sentence(d.sentence)
        steps.append(Step(n, inst.values[n], show(inst.values[n], d.type, enums), d.source, d.sentence,
                          s.text if s else None, d.reading, sorted(d.expr.names())))
    return out, steps


def check_inputs(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any]) -> None:
    """Every given input lies within its declared ``min``/``max`` (the range the proofs cover):
    a value outside is refused, naming the input, its value and the range."""
    for n, value in given.items():
        inp = clause.inputs.get(n)
        if inp is None or (inp.low is None and inp.high is None):
            continue
        typ = inp.type
        items = value.items() if typ.kind == "map" and isinstance(value, dict) else [(None, value)]
        elem = typ.elem if typ.kind == "map" else typ
        for member, v in items:
            low = inp.low[member] if isinstance(inp.low, dict) else inp.low
            high = inp.high[member] if isinstance(inp.high, dict) else inp.high
            if (low is not None and v < low) or (high is not None and v > high):
                shown = lambda x: show(x, elem, enums) if x is not None else "…"  # noqa: E731
                where = f"{n}[{member}]" if member is not None else n
                raise DataError(f"the input {where} = {shown(v)} of {clause.id} is outside the range the proofs "
                                f"cover: {shown(low)} … {shown(high)}", inp.span,
                                f"give a value from {shown(low)} to {shown(high)}, or widen min/max of {n} in the "
                                "rule and prove again",
                                sv=f"indata {where} = {shown(v)} i {clause.id} ligger utanför det intervall som "
                                   f"bevisen gäller för: {shown(low)} … {shown(high)}")


def holds(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any], expr: E) -> bool:
    """Evaluate a condition (an invariant) exactly on ``given``."""
    inst = Instance(clause, ConcreteOps(enums), given)
    return bool(inst.ev(expr))

