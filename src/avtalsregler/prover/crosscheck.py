"""Hold the two meanings equal: the Z3 value of every definition, with the inputs fixed to
concrete values, must be the one value the exact semantics computes.

With the inputs fixed, the terms are closed except for auxiliary variables that built-ins
introduce (with their defining constraints), so Z3 decides them. Used by the tests (on random
inputs, with Hypothesis) and available to anyone who doubts a translation.
"""

from __future__ import annotations

from typing import Any

import z3

from avtalsregler.project.evaluate import Instance, evaluate
from avtalsregler.project.model import Clause
from avtalsregler.language.types import EnumType
from avtalsregler.prover.z3ops import Z3Ops
from avtalsregler.prover.z3terms import value_of


class Mismatch(AssertionError):
    pass


def z3_values(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any],
              names: list[str] | None = None, unique: bool = True) -> dict[str, Any]:
    """The values Z3 gives the definitions for fixed inputs; with ``unique``, also check that
    no other value is possible (the translation is a function, not a relation)."""
    ops = Z3Ops(enums)
    fixed = {n: ops.const(v, clause.inputs[n].type) for n, v in given.items()}
    inst = Instance(clause, ops, fixed)
    wanted = names if names is not None else list(clause.definitions)
    terms = {n: inst.lookup(n) for n in wanted}
    s = z3.Solver(ctx=ops.ctx)
    s.set("timeout", 30_000)
    s.add(*ops.side)
    r = s.check()
    if r != z3.sat:
        raise Mismatch(f"the Z3 translation of {clause.id} has no value for these inputs ({r})")
    model = s.model()
    out = {n: value_of(model, terms[n], clause.definitions[n].type, enums) for n in wanted}
    if unique and wanted:
        s.add(z3.Or(*[_differs(ops, terms[n], out[n], clause.definitions[n].type) for n in wanted]))
        r2 = s.check()
        if r2 != z3.unsat:
            raise Mismatch(f"{clause.id}: the Z3 translation admits other values than {out!r} ({r2})")
    return out


def _differs(ops: Z3Ops, term: Any, value: Any, typ) -> z3.BoolRef:
    if typ.kind == "map":
        return z3.Or(*[_differs(ops, term[k], value[k], typ.elem) for k in term])
    return term != ops.const(value, typ)


def assert_same(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any]) -> dict[str, Any]:
    """Compute every definition both ways and raise :class:`Mismatch` on any difference."""
    exact, _ = evaluate(clause, enums, given, check_assumptions=False)
    symbolic = z3_values(clause, enums, given)
    for n, v in exact.items():
        if symbolic[n] != v:
            raise Mismatch(f"{clause.id}.{n}: exact {v!r} but Z3 {symbolic[n]!r} for {given!r}")
    return exact
