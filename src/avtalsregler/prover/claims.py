"""The facts built-ins claim and the lemmas their abstractions rely on, proved before the
invariants that use them (:class:`Claims`)."""

from __future__ import annotations

import dataclasses
import time

import z3

from avtalsregler.prover.generic import Member, NotGeneric
from avtalsregler.prover.results import COUNTEREXAMPLE, PROVED, UNKNOWN, Proof
from avtalsregler.prover.solving import CLAIM_RLIMIT, GENERIC_RLIMIT, LOCAL_RLIMIT, Solving
from avtalsregler.prover.world import World, connected, member_facts


class Claims(Solving):
    """Built-ins' claims (proved in order, each from the ones before) and lemmas."""

    def claims(self, world: World | None = None) -> list[Proof]:
        """The facts built-ins claim (``Ops.claim``), proved in the order they were made (each
        may use the ones before it); the proved ones are then given to the invariants' proofs
        (``proved_claims``). A claim made alike for every member (e.g. by an apportionment
        inside ``per(k in E, …)``), or one that is a conjunction of one part per member, is
        proved once for a generic member (:mod:`generic`) when it can be."""
        w = world or self.rule_world
        if w.claim_proofs is not None:
            return w.claim_proofs
        w.claim_proofs = []
        if not w.ops.claims:
            return w.claim_proofs
        start = time.perf_counter()
        groups: dict[tuple, list] = {}
        for ob in w.ops.claims:
            groups.setdefault((ob.message, str(ob.span)), []).append(ob)
        proved: list[z3.BoolRef] = []
        bad = None
        for obs in groups.values():
            conds = [ob.condition for ob in obs]
            if len(conds) == 1 and z3.is_and(conds[0]):
                parts = list(conds[0].children())
            else:
                parts = conds
            if self._generic_claim(w, parts, proved):
                proved += conds
                continue
            for ob, c in zip(obs, conds):
                r, s, _ = self._prove_claim(w, ob, proved)
                if r != z3.unsat:
                    bad = bad or (r, s)
                proved.append(c)
        dt = time.perf_counter() - start
        r, s = bad if bad else (z3.unsat, None)
        status = PROVED if r == z3.unsat else COUNTEREXAMPLE if r == z3.sat else UNKNOWN
        w.claim_proofs.append(Proof(self.clause.id, "inbyggda_pastaenden", "lemma", status, dt, w.ops.claims[0].span,
                                    "Inbyggda funktioners påståenden: " + "; ".join(sorted({o.message for o in w.ops.claims})) + ".",
                                    "" if r == z3.unsat else str(s.model()) if r == z3.sat else s.reason_unknown()))
        return w.claim_proofs

    def _prove_claim(self, w: World, ob, proved: list):
        """One claim, with the side constraints it can depend on: those made before it that
        are connected to it through shared variables (a built-in's claim is about the
        constraints it has just made, e.g. the whole of one selection; the later ones, such as
        the apportionments made from its results, are left out). If that does not prove it,
        with everything."""
        goal = z3.Not(ob.condition)
        if ob.upto is not None and ob.upto < len(w.ops.side):
            part = connected(w.ops.side[:ob.upto], [goal])
            saved, w.ops.side = w.ops.side, part
            try:
                # Z3's older arithmetic solver (arith.solver=2): on the largest-remainder claim
                # for 290 parties 1.5–2 s, against 5–16 s (by random seed) with the default
                r, s, dt = self.solve(goal, None, list(proved), w, params={"arith.solver": 2},
                                      rlimit=CLAIM_RLIMIT)
            finally:
                w.ops.side = saved
            if r == z3.unsat:
                return r, s, dt
        return self.solve_local_first(goal, None, list(proved), w)

    def _generic_claim(self, w: World, parts: list, proved: list) -> bool:
        """Prove the n ``parts`` (one per member of some enumeration) for a generic member."""
        if len(parts) < 2 or w.splits() != [[]]:
            return False
        for enum in self.enums.values():
            if len(enum.values) != len(parts):
                continue
            space = w.space(enum)
            try:
                template = space.generalize(parts)
            except NotGeneric:
                continue
            m = Member(space, "m")
            goal = m.inst(template)
            own = member_facts([m], w.generic_claims)
            # first from the member's own constraints alone (a claim about each member's own
            # items usually follows from them; the whole rule around them only slows the
            # solver down), then with the claims before it and the constraints in its cone
            r, _, _ = self.solve(z3.Not(goal), None, own, w, with_side=False, rlimit=LOCAL_RLIMIT)
            if r != z3.unsat:
                r, _, _ = self.solve_with_cone(z3.Not(goal), own + proved, None, w, rlimit=GENERIC_RLIMIT)
            if r == z3.unsat:
                w.generic_claims.append((space, template))
                return True
        return False

    def proved_claims(self, w: World) -> list[z3.BoolRef]:
        return [ob.condition for ob in w.ops.claims] if all(p.ok for p in self.claims(w)) else []

    def lemmas(self) -> list[Proof]:
        """Facts that abstractions of built-ins rely on, each proved on its own."""
        out = list(self.claims())
        if self.range_world:
            names = {q.name for q in out}
            for p in self.claims(self.range_world):
                if p.name not in names:
                    out.append(p)
                elif not p.ok:     # proved for the rule's values but not over the ranges: listed too
                    out.append(dataclasses.replace(p, name=p.name + "_intervall"))
        lemmas = dict(self.ops.lemmas)
        if self.range_world:
            for k, v in self.range_world.ops.lemmas.items():
                lemmas.setdefault(k, v)
        for lem in lemmas.values():
            out.append(self.lemma_proof(lem))
        return out

    def unproved_lemmas(self, w: World) -> list[Proof]:
        """The lemmas of ``w``'s translation that are not proved: the side facts that are their
        instances (e.g. a quota's ``q >= 0``) are then not to be trusted by any proof."""
        return [q for q in map(self.lemma_proof, list(w.ops.lemmas.values())) if not q.ok]

    def lemma_proof(self, lem) -> Proof:
        """Proved once per lemma (an invariant asks again for the lemmas it relies on)."""
        cache = self.__dict__.setdefault("_lemma_proofs", {})
        if id(lem) not in cache:
            cache[id(lem)] = (lem, self._prove_lemma(lem))
        return cache[id(lem)][1]

    def _prove_lemma(self, lem) -> Proof:
        t0 = time.perf_counter()
        r, s = self.check(self.ops.ctx, [lem.premise, z3.Not(lem.conclusion)], self.timeout_s)
        dt = time.perf_counter() - t0
        status = PROVED if r == z3.unsat else COUNTEREXAMPLE if r == z3.sat else UNKNOWN
        return Proof(self.clause.id, lem.name, "lemma", status, dt, lem.span,
                     "Hjälpsats som en inbyggd funktions abstraktion vilar på.",
                     "" if r == z3.unsat else str(s.model()) if r == z3.sat else s.reason_unknown())
