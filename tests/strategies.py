"""Hypothesis strategies for a clause's inputs, from their declared types and bounds.

An assumption of the form ``x == expression`` (``x`` an input) makes ``x`` derived: it is
computed from the other inputs instead of drawn, so that sampling does not waste nearly every
draw on inputs the rule excludes. Other assumptions filter.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from hypothesis import assume, strategies as st

from avtalsregler.project.evaluate import Instance
from avtalsregler.language.semantics import ConcreteOps

DEFAULT_INT = (-10**6, 10**12)
DEFAULT_DATE = (datetime.date(1900, 1, 1), datetime.date(2300, 12, 31))


def value_strategy(typ, enums, low=None, high=None):
    if typ.kind == "int":
        lo = low if low is not None else (0 if typ.is_money else DEFAULT_INT[0])
        hi = high if high is not None else DEFAULT_INT[1]
        # Mix the edges in: small values, the bounds, and the whole range.
        return st.one_of(st.integers(lo, min(hi, lo + 20)), st.integers(max(lo, hi - 20), hi), st.integers(lo, hi))
    if typ.kind == "frac":
        lo = Fraction(low) if low is not None else Fraction(-1000)
        hi = Fraction(high) if high is not None else Fraction(1000)
        return st.fractions(min_value=lo, max_value=hi, max_denominator=10_000)
    if typ.kind == "bool":
        return st.booleans()
    if typ.kind == "date":
        return st.dates(low or DEFAULT_DATE[0], high or DEFAULT_DATE[1])
    if typ.kind == "enum":
        return st.sampled_from(enums[typ.enum].values)
    if typ.kind == "map":
        keys = enums[typ.enum].values
        return st.fixed_dictionaries({k: value_strategy(typ.elem, enums, low, high) for k in keys})
    raise AssertionError(typ)


def _derived(clause):
    out = {}
    for a in clause.assumptions:
        e = a.expr
        if e.op == "==":
            left, right = e.args
            for var, other in ((left, right), (right, left)):
                if var.op == "var" and var.args[0] in clause.inputs and var.args[0] not in out \
                        and var.args[0] not in other.names():
                    out[var.args[0]] = other
                    break
    return out


class _Named:
    """A value handed to a strategy under a short name. Hypothesis writes out a strategy's
    arguments when it draws from it, and a whole clause with its enums is tens of kB: that cost
    every example time (and a warning, "Generating overly large repr")."""

    __slots__ = ("value", "name")

    def __init__(self, value, name: str):
        self.value, self.name = value, name

    def __repr__(self) -> str:
        return self.name


def inputs(clause, enums):
    """A clause's inputs: the declared ones drawn, the derived ones computed, the assumptions
    kept. One strategy per clause, made once: a strategy made afresh at every example is
    validated afresh too (most of the time a draw took)."""
    key = (id(clause), id(enums))
    if key not in _MADE:
        derived = _derived(clause)
        drawn = {n: value_strategy(i.type, enums, i.low, i.high) for n, i in clause.inputs.items() if n not in derived}
        strategy = _inputs(_Named(clause, f"<clause {clause.id}>"), _Named(enums, "<enums>"),
                           _Named(derived, "<derived>"), _Named(drawn, "<drawn>"))
        _MADE[key] = (clause, enums, strategy)      # the clause and enums kept: their ids stay theirs
    return _MADE[key][2]


_MADE: dict[tuple[int, int], tuple] = {}


@st.composite
def _inputs(draw, clause_named, enums_named, derived_named, drawn_named):
    clause, enums, derived = clause_named.value, enums_named.value, derived_named.value
    given = {n: draw(strategy, label=n) for n, strategy in drawn_named.value.items()}
    ops = ConcreteOps(enums)
    inst = Instance(clause, ops, given)
    for n, e in derived.items():
        value = inst.ev(e)
        i = clause.inputs[n]
        assume((i.low is None or value >= i.low) and (i.high is None or value <= i.high))
        given[n] = value
    inst = Instance(clause, ops, given)
    for a in clause.assumptions:
        assume(inst.ev(a.expr))
    return given
