"""Proof obligations → results. Each obligation is checked in a fresh solver with a timeout:
``unsat`` of its negation is **proved**; ``sat`` gives a model whose inputs are replayed with
the exact semantics — if the property fails there too it is a **counterexample**, if not the
model was an artefact of an abstraction and the result is **unknown**; a solver ``unknown`` or
timeout is **unknown** with the solver's reason. Only *proved* passes.

The work is layered: :mod:`world` (one translation), :mod:`solving` (queries),
:mod:`claims` (built-ins' claims and lemmas), :mod:`invariants`; :class:`Prover` adds the
obligations about the rule itself (consistent, satisfiable, defined, in ranges)."""

from __future__ import annotations

import time
from typing import Any

import z3

from avtalsregler.language.types import EnumType, show
from avtalsregler.project.evaluate import Instance
from avtalsregler.project.model import Clause
from avtalsregler.prover.invariants import Invariants
from avtalsregler.prover.results import COUNTEREXAMPLE, PROVED, UNKNOWN, Proof
from avtalsregler.prover.solving import DEFAULT_TIMEOUT_S
from avtalsregler.prover.tensions import Tensions
from avtalsregler.prover.world import World
from avtalsregler.prover.z3ops import Z3Ops
from avtalsregler.prover.z3terms import value_of


class Prover(Invariants, Tensions):
    """All obligations of one clause, sharing one translation of the rule to Z3 (two when the
    spec states parameter ranges: one with the rule's values, one over the ranges)."""

    # -- obligations --------------------------------------------------------------------------
    def in_ranges(self) -> list[Proof]:
        """The rule's own parameter values lie in the spec's ranges (else the proofs over the
        ranges say nothing about the rule as it stands)."""
        out = []
        for n, r in (self.spec.parameter_ranges.items() if self.spec else []):
            p = self.clause.parameters[n]
            t = p.type
            ok = r.low <= p.value <= r.high
            out.append(Proof(self.clause.id, f"intervall_{n}", "range", PROVED if ok else COUNTEREXAMPLE, 0.0,
                             r.span, f"Regelns värde för {n} ligger i det intervall som bevisen gäller för.",
                             "" if ok else f"{n} = {show(p.value, t, self.enums)} is outside "
                             f"{show(r.low, t, self.enums)} … {show(r.high, t, self.enums)}: widen the range "
                             "in the spec (and prove again)"))
        return out

    def consistent(self, world: World | None = None, suffix: str = "") -> Proof:
        """The assumptions and input domains admit at least one situation (else every proof
        would be vacuous). Over parameter ranges: in every split case."""
        w = world or self.rule_world
        name = "antaganden_forenliga" + suffix
        reason = "Förutsättningarna (indatas gränser och antaganden) kan uppfyllas samtidigt."
        dt, r, s = 0.0, z3.sat, None
        for case in w.splits():
            t0 = time.perf_counter()
            r, s = self.check(w.ops.ctx, [*w.base, *w.ops.side, *case], self.timeout_s)
            dt += time.perf_counter() - t0
            if r != z3.sat:
                break
        if r == z3.sat:
            shown, replay = self.shown(self.inputs_of(s.model(), w))
            return Proof(self.clause.id, name, "consistent", PROVED, dt, self.clause.span, reason,
                         "witness", shown, {}, replay)
        status = COUNTEREXAMPLE if r == z3.unsat else UNKNOWN
        detail = ("the assumptions contradict each other: no input satisfies them" if r == z3.unsat
                  else s.reason_unknown())
        return Proof(self.clause.id, name, "consistent", status, dt, self.clause.span, reason, detail)

    def satisfiable(self) -> Proof:
        """The clause's requirements can all be met in some situation whose amounts are not 0 kr
        (where every amount is 0 almost anything holds); the witness is shown. Permissions are
        proved with the requirements one by one, to their full extent (:mod:`tensions`)."""
        reqs = [d for d in self.clause.definitions.values() if d.kind == "requirement"]
        name = "krav_forenliga"
        reason = "Klausulens krav kan gälla samtidigt i någon situation där beloppen inte är 0 kr."
        goal = z3.And(*[self.terms[d.name] for d in reqs]) if reqs else z3.BoolVal(True, self.ops.ctx)
        r, s, dt = self.solve_nondegenerate(goal, {d.name for d in reqs})
        if r == z3.sat:
            given = self.inputs_of(s.model())
            shown, replay = self.shown(given)
            return Proof(self.clause.id, name, "satisfiable", PROVED, dt, self.clause.span, reason,
                         "witness: " + ", ".join(d.name for d in reqs) if reqs else "no requirements",
                         shown, self.outputs(given, {d.name for d in reqs}), replay)
        status = COUNTEREXAMPLE if r == z3.unsat else UNKNOWN
        detail = ("no situation meets all of: " + ", ".join(d.name for d in reqs) if r == z3.unsat
                  else s.reason_unknown())
        return Proof(self.clause.id, name, "satisfiable", status, dt, self.clause.span, reason, detail)

    def defined(self, world: World | None = None, suffix: str = "") -> list[Proof]:
        """Every partial operation (division, date arithmetic, …) is defined wherever it is
        reached, for every input in the domain."""
        w = world or self.rule_world
        out = []
        if not w.ops.obligations:
            return [Proof(self.clause.id, "definierad" + suffix, "defined", PROVED, 0.0, self.clause.span,
                          "Varje definition har ett värde för varje tillåten indata.",
                          "no partial operation (division, date arithmetic) occurs in the rule")]
        # All at once first: one query for every partial operation; only when that finds a
        # problem (or gives up) is each one checked on its own, to say which.
        every = z3.Or(*[z3.Not(ob.condition) for ob in w.ops.obligations])
        r, s, dt = self.solve(every, None, world=w)
        if r == z3.unsat:
            where = sorted({str(ob.span) for ob in w.ops.obligations})
            return [Proof(self.clause.id, "definierad" + suffix, "defined", PROVED, dt, self.clause.span,
                          "Varje definition har ett värde för varje tillåten indata.",
                          f"{len(w.ops.obligations)} partial operations, all defined: " + ", ".join(where))]
        for i, ob in enumerate(w.ops.obligations):
            r, s, dt = self.solve(z3.Not(ob.condition), None, world=w)
            name = f"definierad{suffix}_{i + 1}"
            reason = f"Ingen {ob.message} kan inträffa ({ob.span})."
            if r == z3.unsat:
                out.append(Proof(self.clause.id, name, "defined", PROVED, dt, ob.span, reason))
                continue
            if r == z3.sat:
                given = self.inputs_of(s.model(), w)
                shown, replay = self.shown(given)
                out.append(Proof(self.clause.id, name, "defined", COUNTEREXAMPLE, dt, ob.span, reason,
                                 f"{ob.message} for these inputs", shown, self.outputs(given, set()), replay))
            else:
                out.append(Proof(self.clause.id, name, "defined", UNKNOWN, dt, ob.span, reason, s.reason_unknown()))
        return out

    def all(self) -> list[Proof]:
        out = self.counted(lambda: [self.consistent()])
        out += self.counted(self.defined)
        if self.range_world:
            out += self.in_ranges()
            out += self.counted(lambda: [self.consistent(self.range_world, "_intervall")])
            out += self.counted(lambda: self.defined(self.range_world, "_intervall"))
        out += self.counted(lambda: [self.satisfiable()])
        out += self.counted(self.lemmas)
        for i in (self.spec.invariants if self.spec else []):
            out += self.counted(lambda: [self.invariant(i.name)])
        return out

    def counted(self, obligations) -> list[Proof]:
        """Run ``obligations`` and mark their proofs as taken from the cache when every query
        they asked was answered by it (and there was one), and as ``stored`` when every query
        was answered by the cache or solved now and its answer stored (so that the same check
        again takes them all from the cache: what the whole-check memo, prover/memo.py, shows)."""
        solved, cached = self.solved, self.from_cache
        written = self.cache.written if self.cache else 0
        proofs = obligations()
        if self.solved == solved and self.from_cache > cached:
            for p in proofs:
                p.cached = True
        asked = self.solved - solved + self.from_cache - cached
        if self.cache and asked and self.cache.written - written == self.solved - solved:
            for p in proofs:          # every answer is in the cache now: a rerun takes all from there
                p.stored = True
        return proofs

def z3_value(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any], name: str,
             timeout_s: float = DEFAULT_TIMEOUT_S) -> Any:
    """The Z3 meaning of definition ``name`` with every input fixed to a constant: the term and
    its side constraints are solved, the value read back, and checked to be the only one the
    constraints allow. Used to test that the two meanings agree."""
    ops = Z3Ops(enums)
    ops.folding = False       # Z3's own meaning of every built-in, not the exact one folded in
    consts = {n: ops.const(given[n], i.type) for n, i in clause.inputs.items() if n in given}
    inst = Instance(clause, ops, consts)
    term = inst.lookup(name)
    typ = clause.definitions[name].type
    s = z3.Solver(ctx=ops.ctx)
    s.set("timeout", int(timeout_s * 1000))
    s.add(*ops.side)
    r = s.check()
    if r != z3.sat:
        raise AssertionError(f"the side constraints of {name} are {r} for fixed inputs")
    value = value_of(s.model(), term, typ, enums)
    s.add(z3.Not(_equals(ops, term, ops.const(value, typ))))
    r = s.check()
    if r != z3.unsat:
        raise AssertionError(f"{name} is not determined by fixed inputs ({r})")
    return value


def _equals(ops: Z3Ops, a: Any, b: Any) -> z3.BoolRef:
    if isinstance(a, dict):
        return z3.And(*[_equals(ops, a[k], b[k]) for k in a])
    return ops.cmp("==", a, b)
