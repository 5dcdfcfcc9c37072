"""Counterexamples a lawyer can read (:func:`minimal_counterexample`): only the inputs the
broken guarantee depends on, with round values where the solver finds some that still break it.

*Which inputs matter*: those the invariant reads, directly or through definitions (its cone of
influence), closed under the assumptions (an assumption that ties a relevant input to another
makes that one relevant too). The invariant's exact value depends on nothing else, so the other
inputs are left out of what is shown and of the replay.

*Round values*: a bounded extra query per rounding step, a :class:`z3.Optimize` that asks every
relevant number to be a multiple of a round unit (100 000 kr, 1 000 kr, 1 kr; 1 000, 100, 10)
and minimises their sum, coarsest unit first, the last level only minimising. Each query is
bounded by Z3's resource limit, the same on any machine, so that the values shown do not depend
on how busy it is. A model is taken only when the exact semantics, replayed on exactly the
values shown, still breaks the invariant and meets the assumptions and the input ranges;
otherwise the solver's first counterexample stays.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import z3

from avtalsregler.errors import AvtalsreglerError
from avtalsregler.language.types import Type
from avtalsregler.project.model import Clause, inputs_read

# One query of the search for rounder values: Z3's resource limit (measured on the example
# amendments, session 4: at most 1 341 048 per query; about 3–8 million are one second).
STEP_RLIMIT = 10_000_000
MINIMISE_BUDGET_S = 30.0      # the whole search, per counterexample: only the safety bound

# Round units per kind of number, coarsest first (money in öre).
# The last level only minimises.
MONEY_UNITS = (10_000_000, 100_000, 100, 1)
INT_UNITS = (1000, 100, 10, 1)
FRAC_UNITS = (Fraction(1, 100), Fraction(1, 100), Fraction(1, 100), None)


def relevant_inputs(clause: Clause, names, free) -> set[str]:
    """The inputs among ``free`` (the solver's variables: inputs, and parameters over ranges)
    that ``names`` read, closed under the assumptions that tie them to others."""
    out = inputs_read(set(names), free, clause.definitions)
    ties = [inputs_read(set(a.expr.names()), free, clause.definitions) for a in clause.assumptions]
    grown = True
    while grown:
        grown = False
        for tie in ties:
            if tie & out and not tie <= out:
                out |= tie
                grown = True
    return out


def admissible(clause: Clause, enums, ranges: dict, values: dict[str, Any]) -> bool:
    """The values lie in their inputs' ranges (and parameter ranges) and meet every assumption
    that speaks only of them."""
    from avtalsregler.project.evaluate import holds

    def within(v, low, high) -> bool:
        if isinstance(v, dict):
            return all(within(x, low[k] if isinstance(low, dict) else low,
                              high[k] if isinstance(high, dict) else high) for k, x in v.items())
        return (low is None or v >= low) and (high is None or v <= high)

    for n, v in values.items():
        bounds = (clause.inputs[n].low, clause.inputs[n].high) if n in clause.inputs else (
            (ranges[n].low, ranges[n].high) if n in ranges else (None, None))
        if not within(v, *bounds):
            return False
    free = set(clause.inputs) | set(ranges)
    for a in clause.assumptions:
        if inputs_read(set(a.expr.names()), free, clause.definitions) <= set(values):
            try:
                if not holds(clause, enums, values, a.expr):
                    return False
            except AvtalsreglerError:
                return False
    return True


def units_of(t: Type) -> tuple:
    if t.kind == "map":
        return units_of(t.elem)
    if t.is_money:
        return MONEY_UNITS
    if t.kind == "int" and t.unit in (None, "personer", "*"):
        return INT_UNITS
    if t.kind == "frac":
        return FRAC_UNITS
    return ()


def _numbers(term: Any, t: Type) -> list:
    if t.kind == "map":
        return [x for v in term.values() for x in _numbers(v, t.elem)]
    return [term] if t.numeric else []


def _multiple(x, unit) -> z3.BoolRef:
    if unit is None or unit == 1:
        return z3.BoolVal(True, x.ctx)
    if isinstance(unit, Fraction):
        return z3.IsInt(x * z3.RealVal(unit.denominator, x.ctx) / unit.numerator)
    return x % unit == 0


def _size(x) -> z3.ArithRef:
    return z3.If(x >= 0, x, -x)


def minimal_counterexample(prover, inv, w, given: dict[str, Any], breaks,
                           budget_s: float = MINIMISE_BUDGET_S,
                           rlimit: int = STEP_RLIMIT) -> tuple[dict[str, Any], float]:
    """``given`` (a counterexample of ``inv`` in world ``w``) cut to the inputs that matter, and
    with rounder values when a bounded query finds some; ``breaks(values)`` is the exact replay
    (True when the values are a counterexample). Each query is bounded by ``rlimit``;
    ``budget_s`` (seconds) only stops a search that the resource limit has not stopped in
    time. Returns the values and the seconds spent."""
    t0 = time.perf_counter()
    keep = relevant_inputs(prover.clause, inv.expr.names(), set(w.types))
    best = {n: v for n, v in given.items() if n in keep}
    if not breaks(best):            # never show less than a counterexample
        return given, time.perf_counter() - t0
    numeric = [n for n in sorted(keep) if units_of(w.types[n])]
    if not numeric:
        return best, time.perf_counter() - t0
    goal = z3.Not(w.inv_term(inv.name))
    facts = w.inv_facts[inv.name] + prover.proved_claims(w)
    for level in range(max(len(units_of(w.types[n])) for n in numeric)):
        left = budget_s - (time.perf_counter() - t0)
        if left <= 0.05:
            break
        found = _round_model(prover, w, goal, facts, numeric, level, left, rlimit)
        if found is not None:
            candidate = {n: v for n, v in found.items() if n in keep}
            if breaks(candidate):
                best = candidate
                break
    return best, time.perf_counter() - t0


def _round_model(prover, w, goal, facts, numeric: list[str], level: int, timeout_s: float, rlimit: int):
    """One bounded query: a counterexample whose relevant numbers are multiples of their kind's
    round unit at ``level`` (the finest unit of a kind with fewer levels), the smallest the
    optimiser finds within ``rlimit``."""
    wanted = []
    for n in numeric:
        units = units_of(w.types[n])
        unit = units[min(level, len(units) - 1)]
        wanted += [(x, unit) for x in _numbers(w.vars[n], w.types[n])]
    for case in w.splits():
        assertions = [*w.base, *w.ops.side, *facts, *case, goal, *[_multiple(x, u) for x, u in wanted]]
        objective = z3.Sum(*[_size(x) for x, _u in wanted])
        # through the proof cache: a sat answer within the resource limit is the same whatever
        # the time left (that only cuts a search short: unknown, never stored)
        key = prover.cache.key(assertions, 0, {"rlimit": int(rlimit), "minimize": objective.sexpr()}) \
            if prover.cache else None
        hit = prover.cache.get(key, w.ops.ctx) if key else None
        if hit is not None:
            prover.from_cache += 1
            r, opt = hit
        else:
            opt = z3.Optimize(ctx=w.ops.ctx)
            opt.set("timeout", max(1, int(timeout_s * 1000)))
            opt.set("rlimit", int(rlimit))
            opt.add(*assertions)
            opt.minimize(objective)
            prover.solved += 1
            try:
                r = opt.check()
            except z3.Z3Exception:
                return None
            if key:
                prover.cache.put(key, r, opt)
        if r == z3.sat:
            return prover.inputs_of(opt.model(), w)
    return None


def shown_compact(value: Any, t: Type, enums) -> str:
    """A value as :func:`show` gives it, but a map of numbers with several zeros lists only its
    other entries and then "övriga: 0" (a counterexample's zeros are not what matters)."""
    from avtalsregler.language.types import show

    if t.kind != "map" or not t.elem.numeric or not isinstance(value, dict):
        return show(value, t, enums)
    e = enums[t.enum]
    zeros = [k for k in e.values if k in value and value[k] == 0]
    if len(zeros) < 2:
        return show(value, t, enums)
    zero = show(value[zeros[0]], t.elem, enums)
    rest = [f"{e.label(k)}: {show(value[k], t.elem, enums)}" for k in e.values if k in value and value[k] != 0]
    return "; ".join(rest + [f"{'övriga' if rest else 'alla'}: {zero}"])

