"""The solving shared by every proof obligation of a clause (:class:`Solving`): a query in
every split case with a timeout, first with only the side constraints in the goal's cone, a
conjunction conjunct by conjunct; a model read back as inputs, and those inputs computed with
the exact semantics."""

from __future__ import annotations

import time
from typing import Any

import z3

from avtalsregler.errors import AvtalsreglerError
from avtalsregler.language.types import EnumType, show, to_yaml_value
from avtalsregler.project.evaluate import evaluate, holds
from avtalsregler.project.model import Clause, Spec
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.generic import clear_symbols, reset_members
from avtalsregler.prover.minimal import shown_compact
from avtalsregler.prover.results import GaveUp
from avtalsregler.prover.world import World
from avtalsregler.prover.z3terms import value_of

DEFAULT_TIMEOUT_S = 30.0
# The heuristic first attempts (whose failure only means: solve again with more) are bounded by
# Z3's deterministic resource limit, not by seconds: whether one gives up then does not depend on
# how busy the machine is, and neither do the later queries and the models shown (the terms an
# attempt leaves in the context steer them). Their seconds are only the outer safety bound.
# Measured on the bundled rules (``rlimit count`` per query, session 4, on the SMT core): a local
# attempt needs at most 119 850, a generic one at most 85 392, the largest query of all 2 340 345
# (none of them gave up); about 3–8 million are one second on the machine of that session.
LOCAL_RLIMIT = 10_000_000     # the first, cheap attempt of an invariant (see solve_local_first)
GENERIC_RLIMIT = 50_000_000   # the proof for a generic member (see Invariants), a claim in its part
REFINE_RLIMIT = 30_000_000    # one round of refining an abstraction's model (Invariants._refine)
# The first attempt at a built-in's claim on the constraints it has just made (Claims._prove_claim):
# the largest-remainder claim of a 290-party split needs about 95 million (1.2 s; session 5,
# benchmarks/apportion_scale.py); cut at 50 million it fell back to the whole rule, 88 s.
CLAIM_RLIMIT = 400_000_000


class CoreSolver(z3.Solver):
    """Z3's SMT core itself (``z3.SimpleSolver``), not ``z3.Solver()``: that one first applies
    the tactic of the logic it detects, and those (e.g. QF_LIA's) try steps for some wall-clock
    seconds (``try_for``) before falling back. Under load a step then gives up where it did not,
    and the terms it left in the context steer every later model (a witness differed run to
    run). The core has no wall-clock step; measured, it is as fast on the bundled rules. It
    says only "canceled" when it gives up; :meth:`reason_unknown` says which bound it was."""

    def __init__(self, ctx):
        ctx = z3.get_ctx(ctx)
        super().__init__(z3.Z3_mk_simple_solver(ctx.ref()), ctx)
        self.bound = ""            # "timeout" or "resource limit" when check() stopped at it

    def reason_unknown(self) -> str:
        reason = super().reason_unknown()
        return self.bound if self.bound and reason == "canceled" else reason


def fresh_context() -> None:
    """Start Z3's default context anew. A model Z3 finds depends on the terms its context has
    made before (their numbering), so each clause gets a fresh one: its witnesses and
    counterexamples are then the same whether it is checked alone, after other clauses, or in
    a worker process (``-j``). Nothing made in one clause's context is used in another's."""
    z3.z3._main_ctx = None
    clear_symbols()                   # what is cached of the old context's terms (and keeps it alive)


class Solving:
    """What the obligations of one clause share: one translation of the rule to Z3 (two when
    the spec states parameter ranges: one with the rule's values, one over the ranges), and
    the queries."""

    def __init__(self, clause: Clause, spec: Spec | None, enums: dict[str, EnumType],
                 timeout_s: float = DEFAULT_TIMEOUT_S, cache: ProofCache | None = None):
        self.clause, self.spec, self.enums = clause, spec, enums
        self.timeout_s = timeout_s
        self.cache = cache
        self.solved = self.from_cache = 0     # queries solved now / answered by the cache
        reset_members()                       # the same names (so the same queries) in every run
        fresh_context()                       # and the same answers, whatever was solved before
        invariants = spec.invariants if spec else []
        ranges = spec.parameter_ranges if spec else {}
        self.rule_world = World(clause, enums, {}, [i for i in invariants if i.parameters == "rule" or not ranges])
        self.range_world = (World(clause, enums, ranges, [i for i in invariants if i.parameters == "ranges"])
                            if ranges else None)
        w = self.rule_world
        self.ops, self.vars, self.base, self.inst, self.terms = w.ops, w.vars, w.base, w.inst, w.terms

    # -- solving --------------------------------------------------------------------------------
    def solve(self, constraint: z3.BoolRef, timeout_s: float | None, extra: list | None = None,
              world: World | None = None, with_side: bool = True, params: dict | None = None,
              budget_s: float | None = None, rlimit: int | None = None):
        """Check ``constraint`` in every split case of ``world``: the first sat (or unknown) case
        is returned; unsat only when every case is unsat. Seconds are summed over the cases;
        ``rlimit`` bounds each case's query (see :meth:`check`)."""
        w = world or self.rule_world
        total = 0.0
        for case in w.splits():           # never none: World.splits starts from one case, [[]]
            t0 = time.perf_counter()
            r, s = self.check(w.ops.ctx, [*w.base, *(w.ops.side if with_side else []), *(extra or []), *case, constraint],
                              timeout_s or self.timeout_s, params, budget_s, rlimit)
            total += time.perf_counter() - t0
            if r != z3.unsat:
                break
        return r, s, total

    def check(self, ctx, assertions: list, timeout_s: float, params: dict | None = None,
              budget_s: float | None = None, rlimit: int | None = None):
        """Solve ``assertions`` with the timeout and options, through the proof cache when
        there is one: ``(result, solver or cached answer)``; both give ``model()`` and
        ``reason_unknown()``. ``rlimit`` (Z3's resource limit, the same on any machine) bounds a
        heuristic attempt; the timeout is then only the safety bound. The key holds the
        obligation's timeout (``budget_s``, when the query is one of several sharing it: what
        is left of it varies by the run, and a definite answer holds whatever the timeout was)
        and the resource limit."""
        timeout_ms = int(timeout_s * 1000)
        ctx = assertions[0].ctx if assertions else ctx     # the terms' own context
        if rlimit:
            params = {**(params or {}), "rlimit": int(rlimit)}
        key = self.cache.key(assertions, int((budget_s or timeout_s) * 1000), params) if self.cache else None
        hit = self.cache.get(key, ctx) if key else None
        if hit is not None:
            self.from_cache += 1
            return hit
        s = CoreSolver(ctx)
        s.set("timeout", timeout_ms)
        for k, v in (params or {}).items():
            s.set(k, v)
        s.add(*assertions)
        self.solved += 1
        t0 = time.perf_counter()
        r = s.check()
        if r == z3.unknown:
            s.bound = ("timeout" if time.perf_counter() - t0 >= 0.9 * timeout_s
                       else "resource limit (rlimit) reached" if rlimit else "")
        if key:
            self.cache.put(key, r, s)
        return r, s

    def prove_goal(self, goal, timeout_s, local, world):
        """Solve ``not goal``. A goal that is a conjunction (e.g. ``forall(k in E, …)``) that
        is not proved at once from the facts its comparisons brought is proved conjunct by
        conjunct, each with the constraints in its own cone (``World.sliced``): for n members that
        is n small queries instead of one that holds every member's constraints. Any conjunct
        that is not proved answers for the whole (its model breaks the whole goal too). The
        invariant's timeout bounds the whole."""
        if not (z3.is_and(goal) and goal.num_args() > 1) or world.splits() != [[]]:
            return self.solve_local_first(z3.Not(goal), timeout_s, local, world)
        dt = 0.0
        if world.ops.side:
            world.sliced(goal, [])
            r, s, dt = self.solve(z3.Not(goal), timeout_s, local + world.single, world,
                                  with_side=False, rlimit=LOCAL_RLIMIT)
            if r == z3.unsat:
                return r, s, dt
        for part in goal.children():
            left = timeout_s - dt
            if left <= 0:
                return z3.unknown, GaveUp(f"timeout after {dt:.1f} s (proved conjunct by conjunct)"), dt
            r, s, dt1 = self.solve_local_first(z3.Not(part), left, local, world, try_local=False, budget_s=timeout_s)
            dt += dt1
            if r != z3.unsat:
                return r, s, dt
        return z3.unsat, s, dt

    def solve_local_first(self, constraint, timeout_s, local, world, try_local=True, budget_s=None):
        """Try the goal with the input domains, assumptions and the facts its own comparisons
        asked for, but without the (many) side constraints of auxiliary variables: unsat there
        is unsat with them too (fewer constraints). A property of each item alone is usually
        proved this way without the solver wading through every other item. Otherwise (sat or
        unknown) solve again with everything."""
        dt = 0.0
        if world.ops.side:
            sliced = world.sliced(constraint, [])          # also finds world.single
            sliced_facts = world.facts_in(local)
            attempts = ([(world.single, local)] if local and try_local else []) + [(sliced, sliced_facts)]
            for side, facts in attempts:
                if len(side) == len(world.ops.side):
                    break
                saved, world.ops.side = world.ops.side, side
                try:
                    r, s, dt1 = self.solve(constraint, timeout_s, facts, world, budget_s=budget_s,
                                           rlimit=LOCAL_RLIMIT)
                finally:
                    world.ops.side = saved
                dt += dt1
                if r == z3.unsat:
                    return r, s, dt
        r, s, dt2 = self.solve(constraint, timeout_s, local, world, budget_s=budget_s)
        return r, s, dt + dt2

    def inputs_of(self, model: z3.ModelRef, world: World | None = None) -> dict[str, Any]:
        w = world or self.rule_world
        return {n: value_of(model, w.vars[n], t, self.enums) for n, t in w.types.items()}

    def shown(self, given: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
        c = self.clause
        shown = {n: shown_compact(v, c.type_of(n), self.enums) for n, v in given.items()}
        replay = {n: to_yaml_value(v, c.type_of(n)) for n, v in given.items()}
        return shown, replay

    def outputs(self, given: dict[str, Any], names: set[str]) -> dict[str, str]:
        wanted = [n for n in self.clause.definitions if n in names] or list(self.clause.definitions)
        try:
            values, _ = evaluate(self.clause, self.enums, given, wanted, check_assumptions=False)
        except AvtalsreglerError as exc:
            return {"(fel)": exc.message}
        return {n: show(v, self.clause.definitions[n].type, self.enums) for n, v in values.items()}

    def solve_with_cone(self, constraint, facts, timeout_s, w: World, rlimit: int | None = None):
        """Solve with the base, ``facts`` and the side constraints in their cone."""
        side = w.sliced(constraint, facts)
        saved, w.ops.side = w.ops.side, side
        try:
            return self.solve(constraint, timeout_s, facts, w, rlimit=rlimit)
        finally:
            w.ops.side = saved

    def still_holds(self, given: dict[str, Any], inv) -> bool | None:
        """The invariant computed exactly on ``given``; ``None`` when the rule has no value."""
        try:
            return holds(self.clause, self.enums, given, inv.expr)
        except AvtalsreglerError as exc:
            self.no_value = exc.message
            return None
