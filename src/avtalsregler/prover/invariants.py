"""The spec's invariants (:class:`Invariants`): once for a generic member where the rule's
values are one template per member (:mod:`generic`), else member by member; a model that does
not break the invariant when computed exactly is refined with the exact definitions."""

from __future__ import annotations

import z3

from avtalsregler.language.types import show
from avtalsregler.prover.claims import Claims
from avtalsregler.prover.generic import Member, NotGeneric, distinct
from avtalsregler.prover.minimal import admissible, minimal_counterexample
from avtalsregler.prover.results import COUNTEREXAMPLE, PROVED, UNKNOWN, Proof
from avtalsregler.prover.solving import GENERIC_RLIMIT, REFINE_RLIMIT
from avtalsregler.prover.world import World, member_facts


class Invariants(Claims):
    """An invariant of the spec proved, refuted (with exact inputs) or left unknown."""

    def invariant(self, name: str) -> Proof:
        inv = next(i for i in self.spec.invariants if i.name == name)
        w = self.range_world if (self.range_world and inv.parameters == "ranges") else self.rule_world
        timeout = inv.timeout_s or self.timeout_s
        unproved = self.unproved_lemmas(w)
        if unproved:      # the side facts that instantiate them may be false: nothing is proved
            return Proof(self.clause.id, name, "invariant", UNKNOWN, 0.0, inv.span, inv.reason,
                         "relies on lemmas that are not proved: " + ", ".join(q.name for q in unproved))
        generic = self._generic_invariant(inv, w, timeout)
        if generic is not None and generic[0] == z3.unsat:
            p = Proof(self.clause.id, name, "invariant", PROVED, generic[2], inv.span, inv.reason)
            p.detail = generic[1]
            return p
        goal = w.inv_term(name)
        unproved = [q for q in map(self.lemma_proof, w.inv_lemmas[name]) if not q.ok]
        if unproved:
            return Proof(self.clause.id, name, "invariant", UNKNOWN, sum(q.seconds for q in unproved), inv.span,
                         inv.reason, "relies on lemmas that are not proved: " + ", ".join(q.name for q in unproved))
        r, s, dt = self.prove_goal(goal, timeout, w.inv_facts[name] + self.proved_claims(w), w)
        if generic is not None:
            dt += generic[2]
        p = Proof(self.clause.id, name, "invariant", PROVED, dt, inv.span, inv.reason)
        if w is self.range_world:
            p.detail = "for every value of " + ", ".join(
                f"{n} in {show(r_.low, w.types[n], self.enums)} … {show(r_.high, w.types[n], self.enums)}"
                for n, r_ in w.ranges.items())
        if r == z3.unsat:
            return p
        if r == z3.unknown:
            p.status, p.detail = UNKNOWN, f"the solver gave up: {s.reason_unknown()}"
            return p
        given = self.inputs_of(s.model(), w)
        still = self.still_holds(given, inv)
        if still and w.ops.exact:
            found, dt2 = self._refine(s.model(), inv, w)
            p.seconds += dt2
            if found is not None:
                given, still = found, False
        if still is not True:
            given, dt3 = minimal_counterexample(self, inv, w, given, lambda v: self._breaks(v, inv, w, still))
            p.seconds += dt3
            self.still_holds(given, inv)          # the message is that of the values shown
        p.inputs, p.replay = self.shown(given)
        p.outputs = self.outputs(given, inv.expr.names())
        if still is None:
            p.status = COUNTEREXAMPLE
            p.detail = f"the rule has no value here: {self.no_value}"
            return p
        if still:
            p.status = UNKNOWN
            p.detail = ("the solver's model does not break the invariant when computed exactly "
                        "(an abstraction of a built-in was too coarse); not proved")
        else:
            p.status, p.detail = COUNTEREXAMPLE, f"does not hold: {inv.source}"
        return p

    def _breaks(self, values: dict, inv, w: World, want) -> bool:
        """The exact replay of a smaller counterexample: admissible, and the invariant is as
        broken as before (false, or without a value)."""
        return admissible(self.clause, self.enums, w.ranges, values) and self.still_holds(values, inv) is want

    def _generic_invariant(self, inv, w: World, timeout_s: float):
        """Prove ``forall(a in E, P(a))`` (or ``forall(a in E, forall(b in E, P(a, b)))``) once
        for a generic member (two: different, and the same), see :mod:`generic`. Returns
        ``(result, detail, seconds)``, or ``None`` when the rule's values are not one template
        per member. Only ``unsat`` (proved) is taken; anything else is proved member by member."""
        e = inv.expr
        if e.op != "forall" or w.splits() != [[]]:
            return None
        var, body = e.args
        enum = self.enums[e.extra]
        if len(enum.values) < 2:
            return None
        space = w.space(enum)
        a = Member(space, var)
        if body.op == "forall" and body.extra == e.extra:
            var2, inner = body.args
            b = Member(space, var2)
            cases = [({var: a, var2: b}, inner, distinct(a, b)), ({var: a, var2: a}, inner, [])]
            what = f"för två godtyckliga medlemmar av {enum.name} (olika, och samma)"
        else:
            cases = [({var: a}, body, [])]
            what = f"för en godtycklig medlem av {enum.name}"
        total = 0.0
        claims = self.proved_claims(w) and w.generic_claims
        for binding, expr, apart in cases:
            built = self._generic_goal(w, binding, expr)
            if built is None:
                return None
            goal, facts = built
            members = list({id(m): m for m in binding.values()}.values())
            if len(members) == 2:
                facts += w.ops.generic_pairs(*members)
            facts += member_facts(members, claims)
            r, s, dt = self.solve_with_cone(z3.Not(goal), facts + apart, timeout_s, w, rlimit=GENERIC_RLIMIT)
            total += dt
            if r != z3.unsat:
                return r, "", total
        return z3.unsat, f"bevisad en gång {what}, och därmed för var och en av de {len(enum.values)} medlemmarna", total

    def _generic_goal(self, w: World, binding: dict, expr):
        """Evaluate ``expr`` with members left open; what the evaluation adds to the rule's
        constraints (definitions of its own auxiliaries, pairwise facts, definedness) goes
        with this goal only. ``None`` when a value is not one template per member."""
        ops = w.ops
        mark = ops.mark()
        ops.sink = sink = []
        try:
            goal = w.inst.walker.ev(expr, dict(binding))
        except (NotGeneric, z3.Z3Exception, AttributeError, TypeError):
            # a value that is not one template, or a generic member where the language wants
            # a concrete one (a built-in reading an enumeration value): member by member
            return None
        finally:
            ops.sink = None
            made = ops.since(mark)
            ops.rollback(mark)        # what this goal made is for this goal only
        if made["claims"] or made["lemmas"]:   # a built-in's claim or lemma made here is not proved here
            return None
        conds = [ob.condition for ob in made["obligations"]]
        return (z3.And(goal, *conds) if conds else goal), sink + made["side"]

    def _refine(self, model: z3.ModelRef, inv, w: World, rounds: int = 6):
        """The model broke an abstraction, not the rule. Fix the factors that make the exact
        definitions non-linear (e.g. the weights of an apportionment) to the model's values and
        search again with the exact definitions, now linear; block each tried assignment.
        Returns real counterexample inputs, or None."""
        factors = list({f.get_id(): f for f in w.ops.factors}.values())
        blocked: list[z3.BoolRef] = []
        goal = z3.Not(w.inv_term(inv.name))
        local = w.inv_facts[inv.name]
        spent = 0.0
        for _ in range(rounds):
            fixed = [f == model.eval(f, model_completion=True) for f in factors]
            r, s, dt = self.solve(goal, inv.timeout_s or self.timeout_s, local + w.ops.exact + fixed,
                                  world=w, rlimit=REFINE_RLIMIT)
            spent += dt
            if r == z3.sat:
                given = self.inputs_of(s.model(), w)
                if self.still_holds(given, inv) is not True:
                    return given, spent
            blocked.append(z3.Not(z3.And(*fixed)))
            r, s, dt = self.solve(goal, None, local + blocked, world=w)
            spent += dt
            if r != z3.sat:
                break
            model = s.model()
        return None, spent
