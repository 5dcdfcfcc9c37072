"""Proof obligations → results. Each obligation is checked in a fresh solver with a timeout:
``unsat`` of its negation is **proved**; ``sat`` gives a model whose inputs are replayed with
the exact semantics — if the property fails there too it is a **counterexample**, if not the
model was an artefact of an abstraction and the result is **unknown**; a solver ``unknown`` or
timeout is **unknown** with the solver's reason. Only *proved* passes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import z3

from avtalsregler.project.evaluate import Instance, evaluate, holds
from avtalsregler.errors import AvtalsreglerError, Span
from avtalsregler.project.model import Clause, Spec
from avtalsregler.language.types import EnumType, show, to_yaml_value
from avtalsregler.prover.generic import Member, NotGeneric, Space, distinct, symbols_of
from avtalsregler.prover.z3ops import Z3Ops
from avtalsregler.prover.z3terms import value_of

DEFAULT_TIMEOUT_S = 30.0
LOCAL_TIMEOUT_S = 5.0      # the first, cheap attempt of an invariant (see _solve_local_first)
GENERIC_TIMEOUT_S = 20.0   # the proof for a generic member (see _generic_invariant)

PROVED, COUNTEREXAMPLE, UNKNOWN = "proved", "counterexample", "unknown"
SEVERITY = {PROVED: 0, UNKNOWN: 1, COUNTEREXAMPLE: 2}


@dataclass
class Proof:
    clause: str
    name: str
    kind: str                      # invariant | defined | consistent | satisfiable | lemma
    status: str
    seconds: float
    span: Span | None
    reason: str = ""               # the invariant's reason, or what the obligation says
    detail: str = ""               # the solver's reason for unknown, the violated condition, …
    inputs: dict[str, str] = field(default_factory=dict)      # shown values (kronor, dates, names)
    outputs: dict[str, str] = field(default_factory=dict)
    replay: dict[str, Any] = field(default_factory=dict)      # the inputs as a spec example

    @property
    def ok(self) -> bool:
        return self.status == PROVED


class _GaveUp:
    """Stands in for a solver that gave up (``reason_unknown``)."""

    def __init__(self, reason: str):
        self.reason = reason

    def reason_unknown(self) -> str:
        return self.reason


class World:
    """One translation of a rule to Z3: its inputs, and the parameters named in ``ranges`` as
    bounded variables too (the rest keep the rule's values)."""

    def __init__(self, clause: Clause, enums: dict[str, EnumType], ranges: dict, invariants: list):
        self.ops = Z3Ops(enums)
        self.ranges = ranges
        self.types = {n: i.type for n, i in clause.inputs.items()}
        self.types.update({n: clause.parameters[n].type for n in ranges})
        self.vars = {n: self.ops.var(n, t) for n, t in self.types.items()}
        self.base: list[z3.BoolRef] = []
        for n, i in clause.inputs.items():
            self.base += self.ops.domain(self.vars[n], i.type, i.low, i.high)
        for n, r in ranges.items():
            self.base += self.ops.domain(self.vars[n], self.types[n], r.low, r.high)
        self.inst = Instance(clause, self.ops, self.vars)
        for a in clause.assumptions:
            self.base.append(self.inst.ev(a.expr))
        self.terms = {n: self.inst.lookup(n) for n in clause.definitions}
        self.invariants = {inv.name: inv for inv in invariants}
        self.inv_terms: dict[str, z3.BoolRef] = {}
        self.inv_facts: dict[str, list[z3.BoolRef]] = {}   # pairwise facts its goal asked for
        self.inv_lemmas: dict[str, list] = {}
        self.spaces: dict[str, Space] = {}
        self.generic_claims: list[tuple[Space, z3.BoolRef]] = []   # proved for a generic member

    def inv_term(self, name: str) -> z3.BoolRef:
        """The invariant expanded over every member (built on demand: for a ``forall`` over a
        large enumeration the proof for a generic member usually makes it unnecessary). The
        definedness of its own partial operations is part of it."""
        if name not in self.inv_terms:
            mark = self.ops.mark()
            self.ops.sink = self.inv_facts[name] = []
            try:
                term = self.inst.ev(self.invariants[name].expr)
            finally:
                self.ops.sink = None
            made = self.ops.since(mark)
            # the definedness of its own partial operations, and the claims of built-ins called
            # in the invariant itself, are proved as part of it (claims() has run before)
            conds = [ob.condition for ob in made["obligations"] + made["claims"]]
            del self.ops.obligations[mark.obligations:], self.ops.claims[mark.claims:]
            self.inv_terms[name] = z3.And(term, *conds) if conds else term
            # lemmas that built-ins in the invariant itself made (proved with the invariant)
            self.inv_lemmas[name] = [self.ops.lemmas[k] for k in made["lemmas"]]
        return self.inv_terms[name]

    def space(self, enum: EnumType) -> Space:
        if enum.name not in self.spaces:
            self.spaces[enum.name] = Space(enum, self.ops.ctx, list(self.base) + list(self.ops.side))
        return self.spaces[enum.name]

    def splits(self) -> list[list[z3.BoolRef]]:
        """The cases a proof is split into: one per value of each ``split`` parameter."""
        cases: list[list[z3.BoolRef]] = [[]]
        for n, r in self.ranges.items():
            if r.split:
                cases = [c + [self.vars[n] == v] for c in cases for v in range(r.low, r.high + 1)]
        return cases


class Prover:
    """All obligations of one clause, sharing one translation of the rule to Z3 (two when the
    spec states parameter ranges: one with the rule's values, one over the ranges)."""

    def __init__(self, clause: Clause, spec: Spec | None, enums: dict[str, EnumType],
                 timeout_s: float = DEFAULT_TIMEOUT_S):
        self.clause, self.spec, self.enums = clause, spec, enums
        self.timeout_s = timeout_s
        invariants = spec.invariants if spec else []
        ranges = spec.parameter_ranges if spec else {}
        self.rule_world = World(clause, enums, {}, [i for i in invariants if i.parameters == "rule" or not ranges])
        self.range_world = (World(clause, enums, ranges, [i for i in invariants if i.parameters == "ranges"])
                            if ranges else None)
        w = self.rule_world
        self.ops, self.vars, self.base, self.inst, self.terms = w.ops, w.vars, w.base, w.inst, w.terms

    # -- solving --------------------------------------------------------------------------------
    def _solve(self, constraint: z3.BoolRef, timeout_s: float | None, extra: list | None = None,
               world: World | None = None, with_side: bool = True, params: dict | None = None):
        """Check ``constraint`` in every split case of ``world``: the first sat (or unknown) case
        is returned; unsat only when every case is unsat. Seconds are summed over the cases."""
        w = world or self.rule_world
        total = 0.0
        r, s = z3.unsat, None
        for case in w.splits():
            s = z3.Solver(ctx=w.ops.ctx)
            s.set("timeout", int((timeout_s or self.timeout_s) * 1000))
            for k, v in (params or {}).items():
                s.set(k, v)
            s.add(*w.base, *(w.ops.side if with_side else []), *(extra or []), *case)
            s.add(constraint)
            t0 = time.perf_counter()
            r = s.check()
            total += time.perf_counter() - t0
            if r != z3.unsat:
                break
        return r, s, total

    def claims(self, world: World | None = None) -> list[Proof]:
        """The facts built-ins claim (``Ops.claim``), proved in the order they were made (each
        may use the ones before it); the proved ones are then given to the invariants' proofs
        (``_proved_claims``). A claim made alike for every member (e.g. by an apportionment
        inside ``per(k in E, …)``), or one that is a conjunction of one part per member, is
        proved once for a generic member (:mod:`generic`) when it can be."""
        w = world or self.rule_world
        if getattr(w, "claim_proofs", None) is not None:
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
            part = _connected(w.ops.side[:ob.upto], [goal])
            saved, w.ops.side = w.ops.side, part
            try:
                # Z3's older arithmetic solver (arith.solver=2): on the largest-remainder claim
                # for 290 parties 1.5–2 s, against 5–16 s (by random seed) with the default
                r, s, dt = self._solve(goal, min(self.timeout_s, GENERIC_TIMEOUT_S), list(proved), w,
                                       params={"arith.solver": 2})
            finally:
                w.ops.side = saved
            if r == z3.unsat:
                return r, s, dt
        return self._solve_local_first(goal, None, list(proved), w)

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
            own = _member_facts([m], w.generic_claims)
            # first from the member's own constraints alone (a claim about each member's own
            # items usually follows from them; the whole rule around them only slows the
            # solver down), then with the claims before it and the constraints in its cone
            r, _, _ = self._solve(z3.Not(goal), LOCAL_TIMEOUT_S, own, w, with_side=False)
            if r != z3.unsat:
                r, _, _ = self._solve_with_cone(z3.Not(goal), own + proved, GENERIC_TIMEOUT_S, w)
            if r == z3.unsat:
                w.generic_claims.append((space, template))
                return True
        return False

    def _proved_claims(self, w: World) -> list[z3.BoolRef]:
        return [ob.condition for ob in w.ops.claims] if all(p.ok for p in self.claims(w)) else []

    def _sliced(self, world: World, goal: z3.BoolRef, extra: list) -> list[z3.BoolRef]:
        """The side constraints in the cone of the goal: a side constraint is taken to be about
        the newest auxiliary variable it mentions (the one it was added to define), and is kept
        only if that variable occurs in the goal or in a kept constraint. E.g. the constraints
        of a later apportionment that starts from a share are left out of a proof about the
        shares. Leaving constraints out is sound for a proof (unsat with fewer is unsat with
        all); a sat answer is checked again with everything."""
        ops = world.ops
        if getattr(world, "_owners", None) is None or len(world._owners) != len(ops.side):
            world._owners, world._by_newest, world._single = [], {}, []
            for i, c in enumerate(ops.side):
                syms = symbols_of(c)
                aux = _auxiliaries(syms)
                newest = max(aux)[1] if aux else None
                world._owners.append((newest, [a[1] for a in aux]))
                world._by_newest.setdefault(newest, []).append(i)
                if len(syms) == 1:
                    world._single.append(c)
        keep = [o[0] is None for o in world._owners]
        todo = [x.get_id() for t in [goal, *extra] for x in symbols_of(t)]
        seen: set = set()
        while todo:
            v = todo.pop()
            if v in seen:
                continue
            seen.add(v)
            for i in world._by_newest.get(v, ()):
                if not keep[i]:
                    keep[i] = True
                    todo.extend(world._owners[i][1])
        world._wanted = seen
        return [c for c, k in zip(ops.side, keep) if k]

    def _facts_in(self, world: World, facts: list) -> list:
        """The facts (conjuncts of) that speak only of variables in the last slice's cone."""
        cache = world.__dict__.setdefault("_fact_aux", {})
        out = []
        for f in facts:
            for c in (f.children() if z3.is_and(f) else [f]):
                aux = cache.get(c.get_id())
                if aux is None:
                    aux = cache[c.get_id()] = [x for _, x in _auxiliaries(symbols_of(c))]
                if all(a in world._wanted for a in aux):
                    out.append(c)
        return out

    def _prove_goal(self, goal, timeout_s, local, world):
        """Solve ``not goal``. A goal that is a conjunction (e.g. ``forall(k in E, …)``) that
        is not proved at once from the facts its comparisons brought is proved conjunct by
        conjunct, each with the constraints in its own cone (``_sliced``): for n members that
        is n small queries instead of one that holds every member's constraints. Any conjunct
        that is not proved answers for the whole (its model breaks the whole goal too). The
        invariant's timeout bounds the whole."""
        if not (z3.is_and(goal) and goal.num_args() > 1) or world.splits() != [[]]:
            return self._solve_local_first(z3.Not(goal), timeout_s, local, world)
        dt = 0.0
        if world.ops.side:
            self._sliced(world, goal, [])
            r, s, dt = self._solve(z3.Not(goal), min(timeout_s, LOCAL_TIMEOUT_S), local + world._single, world,
                                   with_side=False)
            if r == z3.unsat:
                return r, s, dt
        for part in goal.children():
            left = timeout_s - dt
            if left <= 0:
                return z3.unknown, _GaveUp(f"timeout after {dt:.1f} s (proved conjunct by conjunct)"), dt
            r, s, dt1 = self._solve_local_first(z3.Not(part), left, local, world, try_local=False)
            dt += dt1
            if r != z3.unsat:
                return r, s, dt
        return z3.unsat, s, dt

    def _solve_local_first(self, constraint, timeout_s, local, world, try_local=True):
        """Try the goal with the input domains, assumptions and the facts its own comparisons
        asked for, but without the (many) side constraints of auxiliary variables: unsat there
        is unsat with them too (fewer constraints). A property of each item alone is usually
        proved this way without the solver wading through every other item. Otherwise (sat or
        unknown) solve again with everything."""
        dt = 0.0
        if world.ops.side:
            sliced = self._sliced(world, constraint, [])          # also finds world._single
            sliced_facts = self._facts_in(world, local)
            attempts = ([(world._single, local)] if local and try_local else []) + [(sliced, sliced_facts)]
            for side, facts in attempts:
                if len(side) == len(world.ops.side):
                    break
                saved, world.ops.side = world.ops.side, side
                try:
                    r, s, dt1 = self._solve(constraint, min(timeout_s or self.timeout_s, LOCAL_TIMEOUT_S), facts, world)
                finally:
                    world.ops.side = saved
                dt += dt1
                if r == z3.unsat:
                    return r, s, dt
        r, s, dt2 = self._solve(constraint, timeout_s, local, world)
        return r, s, dt + dt2

    def _inputs_of(self, model: z3.ModelRef, world: World | None = None) -> dict[str, Any]:
        w = world or self.rule_world
        return {n: value_of(model, w.vars[n], t, self.enums) for n, t in w.types.items()}

    def _shown(self, given: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
        c = self.clause
        shown = {n: show(v, c.type_of(n), self.enums) for n, v in given.items()}
        replay = {n: to_yaml_value(v, c.type_of(n)) for n, v in given.items()}
        return shown, replay

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

    def _outputs(self, given: dict[str, Any], names: set[str]) -> dict[str, str]:
        wanted = [n for n in self.clause.definitions if n in names] or list(self.clause.definitions)
        try:
            values, _ = evaluate(self.clause, self.enums, given, wanted, check_assumptions=False)
        except AvtalsreglerError as exc:
            return {"(fel)": exc.message}
        return {n: show(v, self.clause.definitions[n].type, self.enums) for n, v in values.items()}

    # -- obligations --------------------------------------------------------------------------
    def consistent(self, world: World | None = None, suffix: str = "") -> Proof:
        """The assumptions and input domains admit at least one situation (else every proof
        would be vacuous). Over parameter ranges: in every split case."""
        w = world or self.rule_world
        name = "antaganden_forenliga" + suffix
        reason = "Förutsättningarna (indatas gränser och antaganden) kan uppfyllas samtidigt."
        dt, r, s = 0.0, z3.sat, None
        for case in w.splits():
            s = z3.Solver(ctx=w.ops.ctx)
            s.set("timeout", int(self.timeout_s * 1000))
            s.add(*w.base, *w.ops.side, *case)
            t0 = time.perf_counter()
            r = s.check()
            dt += time.perf_counter() - t0
            if r != z3.sat:
                break
        if r == z3.sat:
            shown, replay = self._shown(self._inputs_of(s.model(), w))
            return Proof(self.clause.id, name, "consistent", PROVED, dt, self.clause.span, reason,
                         "witness", shown, {}, replay)
        status = COUNTEREXAMPLE if r == z3.unsat else UNKNOWN
        detail = ("the assumptions contradict each other: no input satisfies them" if r == z3.unsat
                  else s.reason_unknown())
        return Proof(self.clause.id, name, "consistent", status, dt, self.clause.span, reason, detail)

    def satisfiable(self) -> Proof:
        """The clause's requirements can all be met in some situation (its sentences do not
        contradict each other); the witness is shown."""
        reqs = [d for d in self.clause.definitions.values() if d.kind in ("requirement", "permission")]
        name = "krav_forenliga"
        reason = "Klausulens krav och rättigheter kan gälla samtidigt i någon situation."
        goal = z3.And(*[self.terms[d.name] for d in reqs]) if reqs else z3.BoolVal(True, self.ops.ctx)
        r, s, dt = self._solve(goal, None)
        if r == z3.sat:
            given = self._inputs_of(s.model())
            shown, replay = self._shown(given)
            return Proof(self.clause.id, name, "satisfiable", PROVED, dt, self.clause.span, reason,
                         "witness: " + ", ".join(d.name for d in reqs) if reqs else "no requirements",
                         shown, self._outputs(given, {d.name for d in reqs}), replay)
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
        r, s, dt = self._solve(every, None, world=w)
        if r == z3.unsat:
            where = sorted({str(ob.span) for ob in w.ops.obligations})
            return [Proof(self.clause.id, "definierad" + suffix, "defined", PROVED, dt, self.clause.span,
                          "Varje definition har ett värde för varje tillåten indata.",
                          f"{len(w.ops.obligations)} partial operations, all defined: " + ", ".join(where))]
        for i, ob in enumerate(w.ops.obligations):
            r, s, dt = self._solve(z3.Not(ob.condition), None, world=w)
            name = f"definierad{suffix}_{i + 1}"
            reason = f"Ingen {ob.message} kan inträffa ({ob.span})."
            if r == z3.unsat:
                out.append(Proof(self.clause.id, name, "defined", PROVED, dt, ob.span, reason))
                continue
            if r == z3.sat:
                given = self._inputs_of(s.model(), w)
                shown, replay = self._shown(given)
                out.append(Proof(self.clause.id, name, "defined", COUNTEREXAMPLE, dt, ob.span, reason,
                                 f"{ob.message} for these inputs", shown, self._outputs(given, set()), replay))
            else:
                out.append(Proof(self.clause.id, name, "defined", UNKNOWN, dt, ob.span, reason, s.reason_unknown()))
        return out

    def lemmas(self) -> list[Proof]:
        """Facts that abstractions of built-ins rely on, each proved on its own."""
        out = list(self.claims())
        if self.range_world:
            out += [p for p in self.claims(self.range_world) if p.name not in {q.name for q in out}]
        lemmas = dict(self.ops.lemmas)
        if self.range_world:
            for k, v in self.range_world.ops.lemmas.items():
                lemmas.setdefault(k, v)
        for lem in lemmas.values():
            out.append(self._lemma(lem))
        return out

    def _lemma(self, lem) -> Proof:
        s = z3.Solver(ctx=self.ops.ctx)
        s.set("timeout", int(self.timeout_s * 1000))
        s.add(lem.premise, z3.Not(lem.conclusion))
        t0 = time.perf_counter()
        r = s.check()
        dt = time.perf_counter() - t0
        status = PROVED if r == z3.unsat else COUNTEREXAMPLE if r == z3.sat else UNKNOWN
        return Proof(self.clause.id, lem.name, "lemma", status, dt, lem.span,
                     "Hjälpsats som en inbyggd funktions abstraktion vilar på.",
                     "" if r == z3.unsat else str(s.model()) if r == z3.sat else s.reason_unknown())

    def invariant(self, name: str) -> Proof:
        inv = next(i for i in self.spec.invariants if i.name == name)
        w = self.range_world if (self.range_world and inv.parameters == "ranges") else self.rule_world
        timeout = inv.timeout_s or self.timeout_s
        generic = self._generic_invariant(inv, w, timeout)
        if generic is not None and generic[0] == z3.unsat:
            p = Proof(self.clause.id, name, "invariant", PROVED, generic[2], inv.span, inv.reason)
            p.detail = generic[1]
            return p
        goal = w.inv_term(name)
        unproved = [q for q in map(self._lemma, w.inv_lemmas[name]) if not q.ok]
        if unproved:
            return Proof(self.clause.id, name, "invariant", UNKNOWN, sum(q.seconds for q in unproved), inv.span,
                         inv.reason, "relies on lemmas that are not proved: " + ", ".join(q.name for q in unproved))
        r, s, dt = self._prove_goal(goal, timeout, w.inv_facts[name] + self._proved_claims(w), w)
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
        given = self._inputs_of(s.model(), w)
        still = self._still_holds(given, inv)
        if still and w.ops.exact:
            found, dt2 = self._refine(s.model(), inv, w)
            p.seconds += dt2
            if found is not None:
                given, still = found, False
        p.inputs, p.replay = self._shown(given)
        p.outputs = self._outputs(given, inv.expr.names())
        if still is None:
            p.status = COUNTEREXAMPLE
            p.detail = f"the rule has no value here: {self._no_value}"
            return p
        if still:
            p.status = UNKNOWN
            p.detail = ("the solver's model does not break the invariant when computed exactly "
                        "(an abstraction of a built-in was too coarse); not proved")
        else:
            p.status, p.detail = COUNTEREXAMPLE, f"does not hold: {inv.source}"
        return p

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
        claims = self._proved_claims(w) and w.generic_claims
        for binding, expr, apart in cases:
            built = self._generic_goal(w, binding, expr)
            if built is None:
                return None
            goal, facts = built
            members = list({id(m): m for m in binding.values()}.values())
            if len(members) == 2:
                facts += w.ops.generic_pairs(*members)
            facts += _member_facts(members, claims)
            r, s, dt = self._solve_with_cone(z3.Not(goal), facts + apart, min(timeout_s, GENERIC_TIMEOUT_S), w)
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

    def _solve_with_cone(self, constraint, facts, timeout_s, w: World):
        """Solve with the base, ``facts`` and the side constraints in their cone."""
        side = self._sliced(w, constraint, facts)
        saved, w.ops.side = w.ops.side, side
        try:
            return self._solve(constraint, timeout_s, facts, w)
        finally:
            w.ops.side = saved

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
            r, s, dt = self._solve(goal, min(inv.timeout_s or self.timeout_s, 10.0), local + w.ops.exact + fixed,
                                   world=w)
            spent += dt
            if r == z3.sat:
                given = self._inputs_of(s.model(), w)
                if self._still_holds(given, inv) is not True:
                    return given, spent
            blocked.append(z3.Not(z3.And(*fixed)))
            r, s, dt = self._solve(goal, None, local + blocked, world=w)
            spent += dt
            if r != z3.sat:
                break
            model = s.model()
        return None, spent

    def _still_holds(self, given: dict[str, Any], inv) -> bool | None:
        """The invariant computed exactly on ``given``; ``None`` when the rule has no value."""
        try:
            return holds(self.clause, self.enums, given, inv.expr)
        except AvtalsreglerError as exc:
            self._no_value = exc.message
            return None

    def all(self) -> list[Proof]:
        out = [self.consistent()]
        out += self.defined()
        if self.range_world:
            out += self.in_ranges()
            out.append(self.consistent(self.range_world, "_intervall"))
            out += self.defined(self.range_world, "_intervall")
        out.append(self.satisfiable())
        out += self.lemmas()
        out += [self.invariant(i.name) for i in (self.spec.invariants if self.spec else [])]
        return out


def _member_facts(members: list, generic_claims: list) -> list:
    """What generic members satisfy: the claims proved for a generic member of their
    enumeration, then their columns' constraints (after every instantiation, so that the
    columns the claims use are among them)."""
    out = [m.inst(t) for m in members for sp, t in generic_claims if sp is m.space]
    return out + [c for m in members for c in m.constraints()]


def _auxiliaries(syms: list) -> list[tuple[int, int]]:
    """(creation number, id) of the auxiliary variables among ``syms`` (``Z3Ops.fresh`` names
    them ``hint!N``)."""
    out = []
    for x in syms:
        name = x.decl().name()
        if "!" in name and name.rsplit("!", 1)[1].isdigit():
            out.append((int(name.rsplit("!", 1)[1]), x.get_id()))
    return out


def _connected(constraints: list, start: list) -> list:
    """The constraints connected to ``start`` through shared uninterpreted constants."""
    syms = [{x.get_id() for x in symbols_of(c)} for c in constraints]
    by_sym: dict[int, list[int]] = {}
    for i, ss in enumerate(syms):
        for x in ss:
            by_sym.setdefault(x, []).append(i)
    todo = [x.get_id() for t in start for x in symbols_of(t)]
    seen, keep = set(), set()
    while todo:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        for i in by_sym.get(x, ()):
            if i not in keep:
                keep.add(i)
                todo.extend(syms[i])
    return [c for i, c in enumerate(constraints) if i in keep]


def z3_value(clause: Clause, enums: dict[str, EnumType], given: dict[str, Any], name: str,
             timeout_s: float = DEFAULT_TIMEOUT_S) -> Any:
    """The Z3 meaning of definition ``name`` with every input fixed to a constant: the term and
    its side constraints are solved, the value read back, and checked to be the only one the
    constraints allow. Used to test that the two meanings agree."""
    ops = Z3Ops(enums)
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
