"""Unit tests of prover/world.py: one translation of a rule to Z3 (its variables, the input
domains and assumptions, the invariants as terms with their own definedness), the split cases,
and the cone of a goal among the side constraints.

The rules are small test fixtures of the soundness corpus (tests/prover/soundness/corpus.py)."""

from __future__ import annotations

import z3

from avtalsregler.prover.generic import Member
from avtalsregler.prover.world import _auxiliaries, connected, member_facts

from ..soundness.corpus import prover

INT = {"type": "int", "min": 0, "max": 100}

RULE = dict(inputs={"a": {"type": "int", "min": 2, "max": 9}, "b": INT,
                    "x": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 5}},
            assume=["a <= b"],
            parameters={"g": {"type": "int", "value": 3}, "h": {"type": "int", "value": 1}},
            ranges={"g": {"min": 1, "max": 3, "split": True}, "h": {"min": 0, "max": 4}},
            definitions={"summa": ("int", "a + b + g")},
            invariants={"kvot": {"holds": "100 / (a - 2) >= 0", "parameters": "rule"},
                        "plan": {"holds": "summa >= a", "parameters": "rule"},
                        "over": {"holds": "summa >= a + h", "parameters": "ranges"}})


def valid(assumptions, f) -> bool:
    s = z3.Solver()
    s.add(*assumptions, z3.Not(f))
    return s.check() == z3.unsat


def sat(assumptions) -> bool:
    s = z3.Solver()
    s.add(*assumptions)
    return s.check() == z3.sat


def test_the_base_holds_the_input_domains_and_the_assumptions():
    p, _ = prover(**RULE)
    w = p.rule_world
    a, b = w.vars["a"], w.vars["b"]
    assert set(w.types) == set(w.vars) == {"a", "b", "x"} and w.ranges == {}
    assert valid(w.base, z3.And(a >= 2, a <= 9, b >= 0, b <= 100, a <= b))
    assert all(valid(w.base, z3.And(v >= 0, v <= 5)) for v in w.vars["x"].values())
    assert sat(w.base + [a == 2, b == 2]) and sat(w.base + [a == 9, b == 100])
    assert not sat(w.base + [a == 5, b == 4])                 # the assumption
    assert set(w.terms) == {"summa"}
    assert valid(w.base, w.terms["summa"] == a + b + 3)       # the rule's value of g


def test_a_world_over_ranges_has_the_ranged_parameters_as_bounded_variables():
    p, _ = prover(**RULE)
    w = p.range_world
    assert set(w.types) == {"a", "b", "x", "g", "h"} and set(w.ranges) == {"g", "h"}
    g, h = w.vars["g"], w.vars["h"]
    assert valid(w.base, z3.And(g >= 1, g <= 3, h >= 0, h <= 4))
    assert sat(w.base + [g == 1, h == 4]) and sat(w.base + [g == 3, h == 0])
    assert valid(w.base, w.terms["summa"] == w.vars["a"] + w.vars["b"] + g)


def test_the_split_cases_are_one_per_value_of_each_split_parameter():
    p, _ = prover(**RULE)
    cases = p.range_world.splits()
    g = p.range_world.vars["g"]
    assert len(cases) == 3 and all(len(c) == 1 for c in cases)
    assert [c[0].eq(g == v) for c, v in zip(cases, (1, 2, 3))] == [True, True, True]
    assert p.rule_world.splits() == [[]]


def test_an_invariant_term_carries_the_definedness_of_its_own_operations_and_is_made_once():
    """100 / (a - 2) >= 0 has a value only for a != 2; its term says so, and the obligation it
    made is not left among the rule's obligations."""
    p, _ = prover(**RULE)
    w = p.rule_world
    a = w.vars["a"]
    n = len(w.ops.obligations)
    t = w.inv_term("kvot")
    assert w.inv_term("kvot") is t
    assert len(w.ops.obligations) == n
    assert not sat(w.base + [t, a == 2])                      # no value at a = 2: the term is false
    assert valid(w.base + [a != 2], t)
    assert w.inv_facts["kvot"] == [] and w.inv_lemmas["kvot"] == []
    plain = w.inv_term("plan")
    assert valid(w.base, plain) and w.ops.sink is None


def test_a_space_is_made_once_per_enumeration_over_the_base_and_the_side_constraints():
    p, project = prover(**RULE)
    w = p.rule_world
    sp = w.space(project.enums["part"])
    assert w.space(project.enums["part"]) is sp
    assert sp.n == 3 and len(sp.pool) == len(w.base) + len(w.ops.side)
    assert all(x.eq(y) for x, y in zip(sp.pool, list(w.base) + list(w.ops.side)))


def test_member_facts_instantiate_the_generic_claims_of_the_member_s_space_and_its_columns():
    p, project = prover(**RULE)
    w = p.rule_world
    sp = w.space(project.enums["part"])
    m = Member(sp, "k")
    xk = m.of([w.vars["x"][v] for v in project.enums["part"].values])
    ph = sp.generalize([w.vars["x"][v] for v in project.enums["part"].values])
    other = w.space(project.enums["part"].__class__("annan", ("q1", "q2"), {}, "§0", None))
    facts = member_facts([m], [(sp, ph <= 5), (other, ph >= 7)])
    assert facts[0].eq(xk <= 5)                               # the claim of its own space, first
    assert not any(f.eq(xk >= 7) for f in facts)              # not another space's
    assert valid(facts, z3.And(xk >= 0, xk <= 5, m.idx >= 0, m.idx <= 2))


def test_auxiliaries_are_the_variables_named_hint_and_a_creation_number():
    xs = [z3.Int("kvot!12"), z3.Int("plain"), z3.Int("a!b"), z3.Int("x!3!7"), z3.Int("!5"), z3.Int("k~1!a!b!9"),
          z3.Int("x!7a")]
    assert _auxiliaries(xs) == [(12, xs[0].get_id()), (7, xs[3].get_id()), (5, xs[4].get_id()), (9, xs[5].get_id())]
    assert _auxiliaries([]) == []


def test_connected_keeps_the_constraints_reachable_through_shared_constants():
    a, b, c, d, e = z3.Ints("a b c d e")
    cs = [a > 0, b == c + 1, c < d, e >= 0, a < b]
    got = connected(cs, [a == 1])
    assert [x.sexpr() for x in got] == [x.sexpr() for x in (cs[0], cs[1], cs[2], cs[4])]
    assert [x.sexpr() for x in connected(cs, [e == 1])] == [cs[3].sexpr()]
    assert connected(cs, [z3.Int("z") == 1]) == []


def test_the_cone_of_a_goal_keeps_the_side_constraints_of_the_auxiliaries_it_reaches():
    """Each side constraint is about its newest auxiliary (the highest creation number): h!1 is
    defined from the input a, h!2 from h!1, h!3 from a alone, h!4 from h!3 and h!2. A goal about
    h!2 needs h!2's and h!1's constraints, not h!3's or h!4's; a constraint without an auxiliary
    is always kept."""
    p, _ = prover(**RULE)
    w = p.rule_world
    a = w.vars["a"]
    h1, h2, h3, h4 = (z3.Int(f"h!{i}") for i in range(1, 5))
    side = [h1 == a + 1, h2 == 2 * h1, h3 == a - 1, h4 == h3 + h2, a >= 0, h2 >= 0]
    saved, w.ops.side = w.ops.side, side
    w._owners = None
    try:
        got = w.sliced(h2 > 0, [])
        assert [x.sexpr() for x in got] == [x.sexpr() for x in (side[0], side[1], side[4], side[5])]
        assert [x.sexpr() for x in w.single] == [side[4].sexpr(), side[5].sexpr()]   # one variable each
        got = w.sliced(h4 > 0, [])
        assert len(got) == 6
        got = w.sliced(a > 0, [h3 == 0])                     # the extra facts are part of the cone
        assert [x.sexpr() for x in got] == [x.sexpr() for x in (side[2], side[4])]
        # the facts that speak only of variables in the last cone: h!3 is in it, h!1 is not
        facts = [z3.And(h3 >= 0, h1 >= 0), h3 <= 5, a >= 1]
        assert [x.sexpr() for x in w.facts_in(facts)] == [(h3 >= 0).sexpr(), (h3 <= 5).sexpr(), (a >= 1).sexpr()]
        assert [x.sexpr() for x in w.facts_in(facts)] == [(h3 >= 0).sexpr(), (h3 <= 5).sexpr(), (a >= 1).sexpr()]
        # a side constraint added later is seen: the owners are made again
        side.append(h1 <= 50)
        assert [x.sexpr() for x in w.sliced(h1 > 0, [])] == [x.sexpr() for x in (side[0], side[4], side[6])]
    finally:
        w.ops.side = saved
        w._owners = None
