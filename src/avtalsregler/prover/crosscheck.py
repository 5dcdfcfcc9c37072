"""Hold the two meanings equal: the Z3 value of every definition, for given inputs, must be the
one value the exact semantics computes.

The Z3 side is evaluated *symbolically*: every input (and parameter) is a free variable,
constrained equal to its value only in the solver, and constant folding is switched off
(``Z3Ops.folding``), so no built-in call is computed with the exact meaning on the way; what is
compared is Z3's own meaning of every operator and built-in. Two questions are asked:

* *sound*: the exact values are a model of the Z3 translation as the proofs use it (the side
  constraints of the abstractions; without the exact definitions of abstracted auxiliaries) —
  an abstraction that excluded the true value would let a proof pass wrongly;
* *determined*: with the exact definitions added, Z3 gives each definition exactly that value
  and no other (the translation is a function, not a relation).

Used by the tests (on chosen edges and random inputs, with Hypothesis) and available to anyone
who doubts a translation.
"""

from __future__ import annotations

from typing import Any

import z3

from avtalsregler.language.types import EnumType
from avtalsregler.project.evaluate import Instance, evaluate
from avtalsregler.project.model import Clause
from avtalsregler.prover.z3ops import Z3Ops
from avtalsregler.prover.z3terms import value_of


class Mismatch(AssertionError):
    pass


def _equal(ops: Z3Ops, term: Any, value: Any, typ) -> z3.BoolRef:
    if typ.kind == "map":
        return z3.And(*[_equal(ops, term[k], value[k], typ.elem) for k in term])
    return ops.cmp("==", term, ops.const(value, typ))


def z3_values(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any],
              names: list[str] | None = None, unique: bool = True,
              expected: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values Z3 gives the definitions for ``given`` inputs (free variables fixed in the
    solver, no folding); with ``unique``, also check that no other value is possible. With
    ``expected``, first check that those values are a model without the exact definitions."""
    ops = Z3Ops(enums)
    ops.folding = False
    types = {n: clause.inputs[n].type for n in given if n in clause.inputs}
    types.update({n: p.type for n, p in clause.parameters.items()})
    values = {**{n: p.value for n, p in clause.parameters.items()}, **given}
    free = {n: ops.var(f"given_{n}", t) for n, t in types.items()}
    # each free variable is fixed to a value of its type: its type domain holds without being stated
    fixed = [_equal(ops, free[n], values[n], t) for n, t in types.items()]
    inst = Instance(clause, ops, free)
    wanted = names if names is not None else list(clause.definitions)
    terms = {n: inst.lookup(n) for n in wanted}
    s = z3.Solver(ctx=ops.ctx)
    s.set("timeout", 30_000)
    s.add(*fixed, *ops.side)
    if expected is not None:
        s.push()
        s.add(*[_equal(ops, terms[n], expected[n], clause.definitions[n].type) for n in wanted])
        r = s.check()
        if r != z3.sat:
            raise Mismatch(f"{clause.id}: the exact values {expected!r} are not a model of the Z3 translation "
                           f"for {given!r} ({r}): an abstraction excludes the true value")
        s.pop()
    s.add(*ops.exact)
    r = s.check()
    if r != z3.sat:
        raise Mismatch(f"the Z3 translation of {clause.id} has no value for these inputs ({r})")
    model = s.model()
    out = {n: value_of(model, terms[n], clause.definitions[n].type, enums) for n in wanted}
    if unique and wanted:
        s.add(z3.Or(*[z3.Not(_equal(ops, terms[n], out[n], clause.definitions[n].type)) for n in wanted]))
        r2 = s.check()
        if r2 != z3.unsat:
            raise Mismatch(f"{clause.id}: the Z3 translation admits other values than {out!r} ({r2})")
    return out


def assert_same(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any],
                names: list[str] | None = None, unique: bool = True) -> dict[str, Any]:
    """Compute the definitions (every one, or ``names``) both ways and raise :class:`Mismatch`
    on any difference; the exact meaning must be defined on ``given``. Without ``unique`` the
    (costly, for the calendar's auxiliaries up to 15 s a clause) proof that Z3 allows no other
    value is left out: the exact values must still be a model, and Z3's own model must give them."""
    exact, _ = evaluate(clause, enums, given, names, check_assumptions=False)
    symbolic = z3_values(clause, enums, given, list(exact), unique=unique, expected=exact)
    for n, v in exact.items():
        if symbolic[n] != v:
            raise Mismatch(f"{clause.id}.{n}: exact {v!r} but Z3 {symbolic[n]!r} for {given!r}")
    return exact
