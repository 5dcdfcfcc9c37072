"""prover/solving.py, the queries every obligation shares: a query is unsat only when every
split case is unsat; a solver that gives up says which bound stopped it; the proof cache is
asked with the obligation's timeout in ms and the resource limit; a conjunction is proved
conjunct by conjunct and only when every conjunct is; a cheap first attempt on fewer side
constraints may only ever prove (never refute), and leaves the world's side constraints as they
were. Tiny rules (tests/prover/soundness/corpus.py); each query is a few ms."""

from __future__ import annotations

import datetime
import time

import z3

from avtalsregler.prover import solving
from avtalsregler.prover.results import GaveUp
from avtalsregler.prover.solving import CoreSolver, Solving, fresh_context

from ..soundness.corpus import prover

INT = {"type": "int", "min": 0, "max": 100}
# h = floor(a / 2) is an auxiliary Int with one side constraint of two variables (h and a):
# h <= a/2 < h + 1. Without it h is unconstrained; it is the only side constraint.
FLOOR = dict(inputs={"a": INT, "b": INT}, definitions={"h": ("int", "floor(a / 2)"), "s": ("int", "a + b")})
PLAIN = dict(inputs={"a": INT, "b": INT}, definitions={"s": ("int", "a + b")})
# grans is a parameter (rule value 1) proved over 0 … 3, value by value (split)
SPLIT = dict(inputs={"a": INT}, parameters={"grans": {"type": "int", "value": 1}},
             definitions={"over": ("bool", "a > grans")},
             ranges={"grans": {"min": 0, "max": 3, "split": True}},
             invariants={"inte_tre": {"holds": "grans != 3", "parameters": "ranges"},
                         "sann": {"holds": "implies(over, a >= 1)", "parameters": "ranges"},
                         "i_regeln": {"holds": "a >= 0", "parameters": "rule"}})


class FakeCache:
    """Records what the solver asks of a proof cache; answers ``hit`` to every get."""

    def __init__(self, hit=None):
        self.hit, self.keys, self.puts, self.written = hit, [], [], 0

    def key(self, assertions, ms, params):
        self.keys.append((len(assertions), ms, params))
        return ("k", len(self.keys))

    def get(self, key, ctx):
        return self.hit

    def put(self, key, r, s):
        self.puts.append((key, r))
        self.written += 1


# -- CoreSolver and the context ------------------------------------------------------------------
def test_the_reason_names_the_resource_limit_and_the_timeout():
    p, _ = prover(**PLAIN)
    a, b = p.vars["a"], p.vars["b"]
    hard = [a > 0, b > 0, a * a * a + b * b * b == 7 * a * b * b + 1000003]
    r, s = p.check(p.ops.ctx, hard, 10.0, rlimit=1)
    assert r == z3.unknown and s.reason_unknown() == "resource limit (rlimit) reached"
    t0 = time.perf_counter()
    r, s = p.check(p.ops.ctx, hard, 0.2)                    # 200 ms to Z3, no resource limit
    assert r == z3.unknown and s.reason_unknown() == "timeout"
    assert time.perf_counter() - t0 < 5


def test_only_a_bare_canceled_is_replaced_by_the_bound():
    """CoreSolver says which bound stopped it only where Z3 says just "canceled"; any other
    reason of Z3 (here "unknown", after a sat answer) is passed on as it is."""
    s = CoreSolver(z3.main_ctx())
    s.add(z3.Int("x") > 0)
    assert s.check() == z3.sat
    s.bound = "timeout"
    assert s.reason_unknown() == "unknown"


def test_a_core_solver_that_did_not_give_up_keeps_z3s_reason():
    s = CoreSolver(None)                      # as z3.Solver: no context is Z3's default one
    assert s.ctx is z3.main_ctx()
    s.add(z3.Int("x") > 0)
    assert s.check() == z3.sat and s.reason_unknown() == "unknown" and s.bound == ""


def test_the_timeout_goes_to_z3_in_milliseconds(monkeypatch):
    seen = []
    real = CoreSolver.set
    monkeypatch.setattr(CoreSolver, "set", lambda self, k, v: (seen.append((k, v)), real(self, k, v)))
    p, _ = prover(**PLAIN)
    p.check(p.ops.ctx, [p.vars["a"] > 1], 2.5, params={"arith.solver": 2}, rlimit=7)
    assert ("timeout", 2500) in seen and ("arith.solver", 2) in seen and ("rlimit", 7) in seen, seen


def test_a_fresh_context_is_a_new_one_and_each_solving_has_its_own():
    old = z3.main_ctx()
    fresh_context()
    assert z3.main_ctx() is not old
    p1, _ = prover(**PLAIN)
    p2, _ = prover(**PLAIN)
    assert p1.ops.ctx is not p2.ops.ctx


def test_the_cached_symbols_are_forgotten_with_the_context():
    from avtalsregler.prover import generic
    generic.symbols_of(z3.Int("x") + 1 > z3.Int("y"))
    assert generic._SYMS
    fresh_context()
    assert not generic._SYMS


def test_generic_members_are_numbered_from_one_in_every_solving(monkeypatch):
    from avtalsregler.prover import generic
    next(generic._MEMBERS), next(generic._MEMBERS)
    prover(**PLAIN)
    assert next(generic._MEMBERS) == 1


# -- check: counting, the cache -----------------------------------------------------------------
def test_check_counts_the_queries_solved_and_says_unsat_and_sat():
    p, _ = prover(**PLAIN)
    assert (p.solved, p.from_cache) == (0, 0)
    a = p.vars["a"]
    r, s = p.check(p.ops.ctx, [a > 5, a < 3], 5.0)
    assert r == z3.unsat and p.solved == 1
    r, s = p.check(p.ops.ctx, [a > 5, a < 7], 5.0)
    assert r == z3.sat and s.model().eval(a).as_long() == 6 and p.solved == 2


def test_check_takes_the_context_of_the_terms():
    p, _ = prover(**PLAIN)
    r, _ = p.check(z3.Context(), [p.vars["a"] > 5], 5.0)     # another context given: the terms' own is used
    assert r == z3.sat


def test_the_cache_is_asked_with_the_budget_in_ms_and_the_answer_put():
    p, _ = prover(**PLAIN)
    p.cache = FakeCache()
    a = p.vars["a"]
    r, _ = p.check(p.ops.ctx, [a > 5, a < 3], 2.0)
    assert r == z3.unsat and p.cache.keys == [(2, 2000, None)] and p.cache.puts == [(("k", 1), z3.unsat)]
    p.check(p.ops.ctx, [a > 5], 2.0, budget_s=3.5, rlimit=9)
    assert p.cache.keys[-1] == (1, 3500, {"rlimit": 9})
    p.check(p.ops.ctx, [a > 5], 2.0, params={"arith.solver": 2})
    assert p.cache.keys[-1] == (1, 2000, {"arith.solver": 2})
    assert (p.solved, p.from_cache) == (3, 0)


def test_a_cache_hit_is_returned_and_counted_not_solved():
    p, _ = prover(**PLAIN)
    hit = (z3.unsat, GaveUp("x"))
    p.cache = FakeCache(hit)
    assert p.check(p.ops.ctx, [p.vars["a"] > 5], 2.0) is hit
    assert (p.solved, p.from_cache) == (0, 1)


# -- solve: every split case --------------------------------------------------------------------
def test_unsat_only_when_every_split_case_is_unsat():
    """grans is split into 0, 1, 2, 3: ``grans == 3`` is unsat in the first three cases and sat
    in the last; the answer is sat (a case that breaks it), with grans = 3 in the model."""
    p, _ = prover(**SPLIT)
    w = p.range_world
    assert len(w.splits()) == 4
    g = w.vars["grans"]
    r, s, dt = p.solve(g == 3, None, world=w)
    assert r == z3.sat and s.model().eval(g).as_long() == 3 and dt > 0
    assert p.inputs_of(s.model(), w)["grans"] == 3
    r, s, dt = p.solve(g == 4, None, world=w)
    assert r == z3.unsat
    assert p.invariant("inte_tre").status == "counterexample"
    assert p.invariant("sann").status == "proved"


def test_the_invariants_go_to_their_world():
    p, _ = prover(**SPLIT)
    assert set(p.rule_world.invariants) == {"i_regeln"}
    assert set(p.range_world.invariants) == {"inte_tre", "sann"}
    q, _ = prover(**{**SPLIT, "ranges": None})     # no ranges: every invariant in the rule's world
    assert q.range_world is None and set(q.rule_world.invariants) == {"i_regeln", "inte_tre", "sann"}


def test_solve_uses_the_extra_facts_and_the_default_world():
    p, _ = prover(**PLAIN)
    a = p.vars["a"]
    assert p.solve(a > 50, None)[0] == z3.sat
    assert p.solve(a > 50, None, [a < 40])[0] == z3.unsat
    assert "grans" not in p.inputs_of(p.solve(a > 50, None)[1].model())


# -- prove_goal: a conjunction conjunct by conjunct ---------------------------------------------
def test_a_conjunction_is_proved_only_when_every_conjunct_is():
    """h = floor(a / 2): h*2 <= a holds, h > 60 does not (a <= 100). Not the first, true conjunct
    answers for the whole, but the false one: sat."""
    p, _ = prover(**FLOOR)
    w, h, a = p.rule_world, p.terms["h"], p.vars["a"]
    assert w.ops.side
    r, s, dt = p.prove_goal(z3.And(h * 2 <= a, h > 60), 5.0, [], w)
    assert r == z3.sat and s.model().eval(h).as_long() <= 50 and dt > 0
    r, s, dt = p.prove_goal(z3.And(h > 60, h * 2 <= a), 5.0, [], w)
    assert r == z3.sat
    r, s, dt = p.prove_goal(z3.And(h * 2 <= a, h * 2 >= a - 1), 5.0, [], w)
    assert r == z3.unsat and dt > 0


def test_a_conjunction_that_needs_the_side_constraints_is_proved():
    """Without h's side constraint h is free: the first attempt (no side constraints) is sat; that
    model is not an answer, the conjuncts are then proved with the constraints in their cone."""
    p, _ = prover(**FLOOR)
    w, h, a = p.rule_world, p.terms["h"], p.vars["a"]
    r, s, dt = p.prove_goal(z3.And(h >= 0, h <= a), 5.0, [a >= 0], w)
    assert r == z3.unsat
    r, s, dt = p.prove_goal(z3.And(p.vars["b"] >= 0, a >= 0), 5.0, [], w)   # first attempt proves it
    assert r == z3.unsat and dt > 0


def test_a_conjunction_without_time_left_is_unknown_never_proved():
    p, _ = prover(**PLAIN)
    w, a, b = p.rule_world, p.vars["a"], p.vars["b"]
    assert not w.ops.side
    r, s, dt = p.prove_goal(z3.And(a >= 0, b >= 0), 0.0, [], w)
    assert r == z3.unknown and s.reason_unknown() == "timeout after 0.0 s (proved conjunct by conjunct)"
    assert dt == 0.0 and p.solved == 0              # no time left: no query is started
    r, s, dt = p.prove_goal(z3.And(a >= 0, b >= 0), 0.5, [], w)      # half a second is enough
    assert r == z3.unsat and dt > 0
    r, s, dt = p.prove_goal(z3.And(a >= 0, b > 0), 0.5, [], w)
    assert r == z3.sat and s.model().eval(b).as_long() == 0


def test_a_goal_that_is_no_conjunction_is_proved_whole():
    p, _ = prover(**PLAIN)
    w, a, b = p.rule_world, p.vars["a"], p.vars["b"]
    assert p.prove_goal(a + b >= a, 5.0, [], w)[0] == z3.unsat
    assert p.prove_goal(a + b > a, 5.0, [], w)[0] == z3.sat
    p, _ = prover(**FLOOR)
    w, h, a = p.rule_world, p.terms["h"], p.vars["a"]
    assert p.prove_goal(h * 2 <= a, 5.0, [], w)[0] == z3.unsat
    assert p.prove_goal(h * 2 < a, 5.0, [], w)[0] == z3.sat
    r, s, dt = p.prove_goal(z3.And(h >= 0, h <= a), 5.0, [], p.range_world or w)
    assert r == z3.unsat


def test_a_conjunction_over_split_cases_is_proved_whole():
    p, _ = prover(**SPLIT)
    w = p.range_world
    g, a = w.vars["grans"], w.vars["a"]
    assert p.prove_goal(z3.And(g >= 0, a >= 0), 5.0, [], w)[0] == z3.unsat
    r, s, _ = p.prove_goal(z3.And(g >= 0, g < 3), 5.0, [], w)
    assert r == z3.sat and s.model().eval(g).as_long() == 3


# -- solve_local_first: fewer side constraints may only prove ------------------------------------
def test_a_first_attempt_on_fewer_constraints_never_refutes():
    """With the local facts and only the one-variable side constraints, h is free and h*2 <= a
    fails; with h's constraint it holds. The answer is unsat, and the world's side constraints
    are the same list afterwards."""
    p, _ = prover(**FLOOR)
    w, h, a = p.rule_world, p.terms["h"], p.vars["a"]
    side = list(w.ops.side)
    r, s, dt = p.solve_local_first(z3.Not(h * 2 <= a), 5.0, [a >= 0], w)
    assert r == z3.unsat and w.ops.side == side
    r, s, dt = p.solve_local_first(z3.Not(h * 2 < a), 5.0, [a >= 0], w)
    assert r == z3.sat and w.ops.side == side and s.model().eval(a).as_long() % 2 == 0
    # a goal about b alone: proved in the first attempt (b's cone has no side constraint)
    r, s, dt = p.solve_local_first(p.vars["b"] < 0, 5.0, [a >= 0], w)
    assert r == z3.unsat and dt > 0 and w.ops.side == side


def test_solve_with_cone_leaves_the_side_constraints_as_they_were():
    p, _ = prover(**FLOOR)
    w, h, a = p.rule_world, p.terms["h"], p.vars["a"]
    side = list(w.ops.side)
    r, s, dt = p.solve_with_cone(z3.Not(h * 2 <= a), [a >= 0], None, w)
    assert r == z3.unsat and w.ops.side == side
    r, s, dt = p.solve_with_cone(p.vars["b"] > 99, [], None, w)
    assert r == z3.sat and w.ops.side == side
    # the facts are used
    assert p.solve_with_cone(p.vars["b"] > 99, [p.vars["b"] < 50], None, w)[0] == z3.unsat


def test_a_consistent_rule_stays_consistent_after_the_first_attempts():
    """The side constraint of h must still be there after the attempts: consistency with an
    assumption that contradicts it (floor(a/2) * 2 > a) is not proved."""
    kw = dict(FLOOR, assume=["floor(a / 2) * 2 > a"])
    p, _ = prover(**kw)
    w, h, a = p.rule_world, p.terms["h"], p.vars["a"]
    p.solve_local_first(z3.Not(h * 2 <= a), 5.0, [a >= 0], w)
    p.solve_with_cone(z3.Not(h * 2 <= a), [a >= 0], None, w)
    assert p.consistent().status == "counterexample"


# -- inputs, shown values, outputs, the exact check ---------------------------------------------
def test_shown_and_replay_of_inputs():
    """Shown as a lawyer reads them (150 öre is 1,50 kr) and as a spec example takes them."""
    p, _ = prover(inputs={"a": INT, "d": "date", "m": "money"}, definitions={"s": ("int", "a + 1")})
    shown, replay = p.shown({"a": 3, "d": datetime.date(2024, 2, 29), "m": 150})
    assert shown == {"a": "3", "d": "2024-02-29", "m": "1,50 kr"}
    assert replay == {"a": 3, "d": "2024-02-29", "m": "1,50 kr"}


def test_outputs_are_the_wanted_definitions_or_all():
    p, _ = prover(**PLAIN)
    assert p.outputs({"a": 2, "b": 3}, {"s", "a"}) == {"s": "5"}
    q, _ = prover(**FLOOR)
    assert q.outputs({"a": 7, "b": 3}, set()) == {"h": "3", "s": "10"}
    assert q.outputs({"a": 7, "b": 3}, {"h"}) == {"h": "3"}


def test_outputs_of_a_rule_without_a_value_say_why():
    p, _ = prover(inputs={"a": INT, "n": INT}, definitions={"k": ("fraction", "a / n")})
    out = p.outputs({"a": 1, "n": 0}, set())
    assert list(out) == ["(fel)"] and out["(fel)"], out


def test_still_holds_is_the_exact_value_or_none_with_the_reason():
    kw = dict(inputs={"a": INT, "n": INT}, definitions={"k": ("fraction", "a / n")},
              invariants={"liten": "k <= a"})
    p, _ = prover(**kw)
    inv = p.spec.invariants[0]
    assert p.still_holds({"a": 4, "n": 2}, inv) is True
    assert p.still_holds({"a": 0, "n": 2}, inv) is True
    q, _ = prover(**{**kw, "invariants": {"stor": "k > a"}})
    assert q.still_holds({"a": 4, "n": 2}, q.spec.invariants[0]) is False
    assert p.still_holds({"a": 4, "n": 0}, inv) is None and p.no_value


def test_the_resource_limits_are_the_documented_bounds():
    """The limits are part of the reproducibility: the same on any machine (see the comment in
    solving.py for how they were measured)."""
    assert (solving.LOCAL_RLIMIT, solving.GENERIC_RLIMIT, solving.REFINE_RLIMIT, solving.CLAIM_RLIMIT) \
        == (10_000_000, 50_000_000, 30_000_000, 400_000_000)
    assert solving.DEFAULT_TIMEOUT_S == 30.0
