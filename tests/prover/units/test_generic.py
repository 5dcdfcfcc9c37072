"""Unit tests of prover/generic.py: anti-unification of the members' terms into one template, the
columns and their generic constraints, the generic members, and the constants of a term.

The soundness condition of a proof for a generic member is that every constraint the member is
given holds for each real member (with its own variables and values put back): a constraint
that is too strong proves what fails for some member. Several tests check exactly that, on
pure Z3 terms (no project), so that they run in well under a second."""

from __future__ import annotations

import importlib.util
from fractions import Fraction

import pytest
import z3

from avtalsregler.language.types import EnumType
from avtalsregler.prover import generic
from avtalsregler.prover.generic import (Member, NotGeneric, Space, clear_symbols, distinct,
                                         reset_members, symbols_of)

ENUM = EnumType("e", ("a", "b", "c"), {}, "§0", None)


def ints(name: str, n: int = 3) -> list:
    return [z3.Int(f"{name}{i}") for i in range(n)]


def space(pool=()) -> Space:
    return Space(ENUM, z3.main_ctx(), list(pool))


def valid(f) -> bool:
    s = z3.Solver()
    s.add(z3.Not(f))
    return s.check() == z3.unsat


def back(sp: Space, t, i: int):
    """The template ``t`` with member i's own terms put back for every placeholder."""
    pairs = [(ph, sp.col_terms[ph.get_id()][i]) for ph in sp.placeholders_in(t) if ph.get_id() in sp.col_terms]
    pairs += [(sp.index, z3.IntVal(i))] if any(p.eq(sp.index) for p in sp.placeholders_in(t)) else []
    return z3.substitute(t, *pairs) if pairs else t


# -- the names of generic members ---------------------------------------------------------------
def test_members_are_numbered_from_one_in_a_fresh_process_and_after_reset():
    """The names (and so the queries and their cache keys) must not depend on what ran before:
    a fresh import starts at 1, like reset_members()."""
    spec = importlib.util.spec_from_file_location("generic_fresh", generic.__file__)
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    sp = fresh.Space(ENUM, z3.main_ctx(), [])
    assert fresh.Member(sp, "k").name == "k~1"
    assert fresh.Member(sp, "k").name == "k~2"
    reset_members()
    sp = space()
    assert [Member(sp, "k").name, Member(sp, "k").name, Member(sp, "j").name] == ["k~1", "k~2", "j~3"]
    reset_members()
    assert Member(sp, "k").name == "k~1"


def test_a_member_has_its_own_variable_per_column_and_its_index():
    reset_members()
    sp = space()
    ws = ints("w")
    t = sp.generalize([w + 1 for w in ws])
    (ph,) = sp.placeholders_in(t)
    a, b = Member(sp, "k"), Member(sp, "k")
    assert a.idx.eq(z3.Int("k!index")) and a.idx.sort() == z3.IntSort()
    assert a.var(sp.index).eq(a.idx)                      # the index placeholder is the member's index
    va = a.var(ph)
    assert va.eq(z3.Int(f"k~1!{ph.decl().name()}")) and a.var(ph) is va      # made once
    assert not b.var(ph).eq(va)                            # two members never share a variable
    assert a.inst(t).eq(va + 1)
    assert a.inst({"x": t, "y": z3.IntVal(7)}) == {"x": a.inst(t), "y": z3.IntVal(7)}
    shared = z3.Int("delad")
    assert a.inst(shared) is shared                        # no placeholder: the term itself
    assert a.of([w * 2 for w in ws]).eq(va * 2)            # the same column, the member's variable
    assert distinct(a, b)[0].eq(a.idx != b.idx) and len(distinct(a, b)) == 1


def test_inst_puts_every_placeholder_of_a_term_in_at_once():
    sp = space()
    xs, ys = ints("x"), ints("y")
    t = sp.generalize([xs[i] + 2 * ys[i] - i for i in range(3)])
    m = Member(sp, "g")
    phs = sp.placeholders_in(t)
    assert len(phs) == 3                                   # x, y and the index
    got = m.inst(t)
    assert {s.decl().name() for s in symbols_of(got)} == {m.var(p).decl().name() for p in phs}
    assert got.eq(m.var(phs[0]) + 2 * m.var(phs[1]) - m.idx) or valid(
        got == z3.substitute(t, *[(p, m.var(p)) for p in phs]))


# -- anti-unification ---------------------------------------------------------------------------
def test_generalize_refuses_what_is_not_one_value_per_member_of_one_shape():
    sp = space()
    xs = ints("x")
    with pytest.raises(NotGeneric):
        sp.generalize(xs[:2])                               # two values for three members
    with pytest.raises(NotGeneric):
        sp.generalize(xs + [z3.Int("x3")])
    with pytest.raises(NotGeneric):
        sp.generalize([{"p": x} for x in xs[:2]] + [{"q": xs[2]}])      # different keys
    with pytest.raises(NotGeneric):
        sp.generalize([{"p": xs[0]}, {"p": xs[1]}, xs[2]])              # a map and a term
    with pytest.raises(NotGeneric):
        sp.generalize([{"p": xs[0], "q": xs[0]}, {"q": xs[1], "p": xs[1]}, {"p": xs[2], "q": xs[2]}])
    with pytest.raises(NotGeneric):
        sp.generalize([1, 2, 3])                            # not terms
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0], xs[1], 3])
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0], xs[1], z3.IntVal(3)])         # a variable and a number: not one column
    with pytest.raises(NotGeneric):
        sp.generalize([z3.BoolVal(True), z3.BoolVal(True), z3.BoolVal(False)])   # constants, not variables
    with pytest.raises(NotGeneric):
        sp.generalize([z3.Bool("p0"), z3.Bool("p1"), z3.BoolVal(True)])          # two variables and a constant
    with pytest.raises(NotGeneric):
        sp.generalize([z3.BoolVal(False), z3.Bool("p1"), z3.Bool("p2")])
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0] + 1, xs[1] * 1, xs[2] + 1])   # different operators
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0] < 1, xs[1] <= 1, xs[2] < 1])
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0] * 1, xs[1] + 1, xs[2] + 1])   # member 0's operator differs from the others'
    ys, zs = ints("y"), ints("z")
    with pytest.raises(NotGeneric):                         # member 0 adds three terms, the others two
        sp.generalize([z3.Sum(xs[0], ys[0], zs[0]), xs[1] + ys[1], xs[2] + ys[2]])
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0] + ys[0], z3.Sum(xs[1], ys[1], zs[1]), xs[2] + ys[2]])
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0] + ys[0], xs[1] + ys[1], z3.Sum(xs[2], ys[2], zs[2])])
    with pytest.raises(NotGeneric):
        sp.generalize([xs[0] + 1, xs[1] + 1, xs[2] * 1])
    q = [z3.ForAll([x], x > i) for i, x in enumerate(xs)]
    with pytest.raises(NotGeneric):
        sp.generalize(q)                                    # quantifiers are not walked


def test_an_operator_of_one_argument_is_generalized_too():
    sp = space()
    xs = ints("x")
    t = sp.generalize([-x for x in xs])
    assert t.eq(-sp.generalize(xs))
    t = sp.generalize([z3.Not(x > 0) for x in xs])
    assert all(back(sp, t, i).eq(z3.Not(xs[i] > 0)) for i in range(3))


def test_generalize_of_maps_is_the_map_of_the_templates():
    sp = space()
    xs, ys = ints("x"), ints("y")
    t = sp.generalize([{"p": xs[i], "q": ys[i] + 1} for i in range(3)])
    assert list(t) == ["p", "q"]
    for i in range(3):
        assert back(sp, t["p"], i).eq(xs[i]) and back(sp, t["q"], i).eq(ys[i] + 1)


def test_a_term_shared_by_all_members_is_the_template_itself():
    sp = space()
    s = z3.Int("s") + 1
    assert sp.generalize([s, s, s]).eq(s) and not sp.columns
    x = ints("x")
    t = sp.generalize([z3.If(x[i] > 0, s, x[i]) for i in range(3)])
    assert t.arg(1).eq(s) and len(sp.columns) == 1


def test_every_member_gets_its_own_term_back_from_the_template():
    sp = space()
    xs, ys = ints("x"), ints("y")
    total = z3.Sum(*xs)
    terms = [z3.If(xs[i] * 3 <= total + i, ys[i] - xs[i], z3.IntVal(5 * i + 1)) for i in range(3)]
    t = sp.generalize(terms)
    for i in range(3):
        assert back(sp, t, i).eq(terms[i]), i
    # the same column twice is one placeholder
    assert len({p.get_id() for p in sp.placeholders_in(t)}) == len(sp.placeholders_in(t)) == 4


def test_a_term_with_shared_subterms_is_walked_once_per_distinct_subterm():
    """Rules' terms are DAGs (a definition used twice is one subterm): t = t + t forty times is
    2^40 nodes as a tree but 41 distinct ones; anti-unification must not walk the tree."""
    sp = space()
    ts = ints("x")
    for _ in range(40):
        ts = [t + t for t in ts]
    tmpl = sp.generalize(ts)
    assert len(sp.columns) == 1
    assert all(back(sp, tmpl, i).eq(ts[i]) for i in range(3))


def test_the_same_column_is_one_placeholder_and_numbers_0_to_n_minus_1_are_the_index():
    sp = space()
    xs = ints("x")
    a = sp.generalize(xs)
    assert a.eq(sp.generalize(list(xs)))                    # the same column again: the same placeholder
    assert sp.col_terms[a.get_id()] == tuple(xs) and sp.col_ph[a.get_id()].eq(a)
    assert a.decl().name() == "kolumn!e!0" and a.sort() == z3.IntSort()
    b = sp.generalize(ints("y"))
    assert b.decl().name() == "kolumn!e!1"
    idx = sp.generalize([z3.IntVal(i) for i in range(3)])
    assert idx.eq(sp.index) and sp.index.eq(z3.Int("medlem!e"))
    assert sp.column_constraints(idx) == []                # the index's range is the member's own
    # 1, 2, 3 and 2, 1, 0 are not the index: a column with its range
    for vals in ([1, 2, 3], [2, 1, 0], [0, 1, 1]):
        c = sp.generalize([z3.IntVal(v) for v in vals])
        assert not c.eq(sp.index)
    # a real 0, 1, 2 is not the index (an Int) either
    r = sp.generalize([z3.RealVal(i) for i in range(3)])
    assert not r.eq(sp.index) and r.sort() == z3.RealSort()


@pytest.mark.parametrize("vals,lo,hi", [([4, -2, 7], -2, 7), ([5, 5, 6], 5, 6), ([3, 1, 2], 1, 3)])
def test_a_column_of_numbers_is_bounded_by_exactly_its_smallest_and_largest(vals, lo, hi):
    """Every member's number satisfies the column's constraints (else a false statement could be
    proved for the generic member), and they are no weaker than its range."""
    sp = space()
    ph = sp.generalize([z3.IntVal(v) for v in vals])
    facts = sp.column_constraints(ph)
    assert len(facts) == 2
    for v in vals:
        assert valid(z3.substitute(z3.And(*facts), (ph, z3.IntVal(v)))), v
    assert valid(z3.Implies(z3.And(*facts), z3.And(ph >= lo, ph <= hi)))
    assert not valid(z3.Implies(z3.And(*facts), ph >= lo + 1)) and not valid(z3.Implies(z3.And(*facts), ph <= hi - 1))


def test_a_column_of_fractions_is_bounded_by_fractions():
    sp = space()
    vals = [Fraction(1, 3), Fraction(-1, 2), Fraction(5, 4)]
    ph = sp.generalize([z3.RealVal(v) for v in vals])
    facts = sp.column_constraints(ph)
    assert all(valid(z3.substitute(z3.And(*facts), (ph, z3.RealVal(v)))) for v in vals)
    assert valid(z3.Implies(z3.And(*facts), z3.And(ph >= z3.RealVal("-1/2"), ph <= z3.RealVal("5/4"))))
    assert not valid(z3.Implies(z3.And(*facts), ph >= z3.RealVal("-1/3")))


def test_a_member_of_a_number_column_is_bounded_and_proofs_do_not_pass_what_fails_for_one():
    """grans = 1, 6, 4: 'grans[k] <= 5' fails for member b, so the generic member must not prove
    it; 'grans[k] <= 6' and '>= 1' hold for all three and are proved."""
    sp = space()
    ph = sp.generalize([z3.IntVal(v) for v in (1, 6, 4)])
    m = Member(sp, "k")
    g = m.inst(ph)
    facts = z3.And(*m.constraints())
    assert not valid(z3.Implies(facts, g <= 5))
    assert not valid(z3.Implies(facts, g >= 2))
    assert valid(z3.Implies(facts, z3.And(g <= 6, g >= 1)))


def test_the_index_of_a_generic_member_ranges_over_exactly_0_to_n_minus_1():
    """v = 0, 1, 2 is the index column: 'v[k] >= 1' fails for member a and 'v[k] <= 1' for c."""
    sp = space()
    m = Member(sp, "k")
    g = m.of([z3.IntVal(i) for i in range(3)])
    assert g.eq(m.idx)
    cs = m.constraints()
    assert len(cs) == 2
    facts = z3.And(*cs)
    for i in range(3):
        assert valid(z3.substitute(facts, (m.idx, z3.IntVal(i)))), i
    assert not valid(z3.Implies(facts, g >= 1)) and not valid(z3.Implies(facts, g <= 1))
    assert valid(z3.Implies(facts, z3.And(g >= 0, g <= 2)))


def test_a_member_s_constraints_are_those_of_its_columns_closed_over_the_columns_they_bring_in():
    """Pool: x_i <= y_i (x's constraint brings in column y), y_i >= 0, and z_i == 1 (z not used)."""
    xs, ys, zs = ints("x"), ints("y"), ints("z")
    pool = [xs[i] <= ys[i] for i in range(3)] + [ys[i] >= 0 for i in range(3)] + [zs[i] == 1 for i in range(3)]
    sp = space(pool)
    sp.generalize(ys)                                       # y is a column before x
    m = Member(sp, "k")
    gx = m.of(xs)
    cs = m.constraints()
    gy = m.var(sp.generalize(ys))
    assert cs[0].eq(m.idx >= 0) and cs[1].eq(m.idx < 3)
    got = {c.sexpr() for c in cs[2:]}       # x <= y comes as x's and as y's constraint
    assert got == {(gx <= gy).sexpr(), (gy >= 0).sexpr()}, got
    # each member's own constraints, put back, are constraints of the pool
    for c in sp.column_constraints(sp.generalize(xs)) + sp.column_constraints(sp.generalize(ys)):
        for i in range(3):
            assert any(back(sp, c, i).eq(p) for p in pool), (c, i)


def test_a_member_with_no_column_has_only_its_index_range():
    m = Member(space(), "k")
    cs = m.constraints()
    assert len(cs) == 2 and cs[0].eq(m.idx >= 0) and cs[1].eq(m.idx < 3)


# -- the generic constraints of a column --------------------------------------------------------
def test_column_constraints_generalize_the_k_th_constraint_of_every_member():
    xs, ys = ints("x"), ints("y")
    s = z3.Int("s")
    pool = [xs[i] >= i for i in range(3)] + [xs[i] + ys[i] == s for i in range(3)] + [s >= 0]
    sp = space(pool)
    ph = sp.generalize(xs)
    cs = sp.column_constraints(ph)
    assert len(cs) == 2
    for k, c in enumerate(cs):
        for i in range(3):
            assert back(sp, c, i).eq(pool[3 * k + i]), (k, i)
    assert sp.column_constraints(ph) is cs                  # computed once


def test_column_constraints_leave_out_what_is_not_one_template():
    xs = ints("x")
    s = z3.Int("s")
    # member 1's constraint has another shape; the second constraint is one template
    pool = [xs[0] >= 0, xs[1] <= 0, xs[2] >= 0, xs[0] < s, xs[1] < s, xs[2] < s]
    sp = space(pool)
    ph = sp.generalize(xs)
    (c,) = sp.column_constraints(ph)
    assert all(back(sp, c, i).eq(xs[i] < s) for i in range(3))


def test_column_constraints_need_the_same_number_of_constraints_for_every_member():
    xs = ints("x")
    pool = [xs[0] >= 0, xs[1] >= 0, xs[2] >= 0, xs[2] <= 9]
    sp = space(pool)
    assert sp.column_constraints(sp.generalize(xs)) == []


def test_a_column_that_is_not_all_variables_has_no_pool_constraints():
    x = z3.Int("x")
    sp = space([x >= 0, x + 1 >= 0])
    ph = sp.generalize([z3.IntVal(v) for v in (2, 3, 2)])
    assert len(sp.column_constraints(ph)) == 2           # its range only
    assert sp.column_constraints(z3.Int("kein")) == []   # not a column at all


def test_a_constraint_common_to_every_member_is_no_column_constraint():
    """Every member's first constraint is the same term (it mentions all of them): generalized
    it has no placeholder, so it says nothing about the member and is left out."""
    xs = ints("x")
    common = z3.Sum(*xs) >= 0
    pool = [common, xs[0] <= 5, xs[1] <= 5, xs[2] <= 5]
    sp = space(pool)
    (c,) = sp.column_constraints(sp.generalize(xs))
    assert all(back(sp, c, i).eq(xs[i] <= 5) for i in range(3))


def test_the_fast_template_of_constraints_over_known_columns_is_the_anti_unified_one():
    """_by_substitution is the fast path to a template: for constraints over columns already
    known it must find the template (not leave it to generalize) and that template must give
    each member's own constraint back; a mismatch gives None."""
    xs, ys = ints("x"), ints("y")
    s = z3.Int("s")
    cs = [xs[i] + 2 * ys[i] <= s for i in range(3)]
    sp = space(cs)
    px, py = sp.generalize(xs), sp.generalize(ys)
    t = sp._by_substitution(cs)
    assert t is not None and t.eq(px + 2 * py <= s)
    assert all(back(sp, t, i).eq(cs[i]) for i in range(3))
    # a new column after the first call: the map of member 0's variables is made again
    zs = ints("z")
    pz = sp.generalize(zs)
    t2 = sp._by_substitution([zs[i] < xs[i] for i in range(3)])
    assert t2 is not None and t2.eq(pz < px)
    # member 2's constraint is another one: no template
    assert sp._by_substitution([xs[0] <= s, xs[1] <= s, xs[2] < s]) is None
    assert sp._by_substitution([xs[0] <= s, xs[1] <= s + 1, xs[2] <= s]) is None
    # a variable of member 0 in a term all members share: not a template of the columns
    assert sp._by_substitution([xs[0] <= xs[0] + s, xs[1] <= xs[0] + s, xs[2] <= xs[0] + s]) is None
    # no known column at all
    assert sp._by_substitution([s >= 0, s >= 0, s >= 0]) is None


def test_template_of_a_map_is_cached_for_that_very_map():
    sp = space()
    xs = ints("x")
    m = {v: xs[i] + 1 for i, v in enumerate(ENUM.values)}
    t = sp.template_of(m)
    assert all(back(sp, t, i).eq(xs[i] + 1) for i in range(3))
    assert sp.template_of(m) is t
    m2 = {v: xs[i] * 3 for i, v in enumerate(ENUM.values)}
    assert sp.template_of(m2).eq(sp.generalize(xs) * 3)


def test_placeholders_in_a_term_or_a_map_each_once():
    sp = space()
    xs, ys = ints("x"), ints("y")
    t = sp.generalize([xs[i] + ys[i] + xs[i] * i for i in range(3)])
    px, py = sp.generalize(xs), sp.generalize(ys)
    got = sp.placeholders_in(t)
    assert [p.get_id() for p in got] == [px.get_id(), py.get_id(), sp.index.get_id()] or \
        {p.get_id() for p in got} == {px.get_id(), py.get_id(), sp.index.get_id()}
    assert len(got) == 3 and sp.placeholders_in(t) == got
    d = sp.placeholders_in({"a": px + 1, "b": py + px})
    assert sorted(p.get_id() for p in d) == sorted([px.get_id(), py.get_id()])
    assert sp.placeholders_in(z3.Int("s") + 1) == []


def test_the_index_of_the_pool_lists_each_constraint_under_each_of_its_constants():
    x, y = z3.Ints("x y")
    sp = space([x >= 0, x + y == 1, y <= 2])
    assert sp._index() == {x.get_id(): [0, 1], y.get_id(): [1, 2]}
    assert sp._index() is sp._index()


def test_the_helpers_tell_variables_and_numbers():
    x = z3.Int("x")
    assert generic._is_var(x) and not generic._is_var(z3.IntVal(1)) and not generic._is_var(x + 1)
    assert not generic._is_var(z3.BoolVal(True))
    assert generic._is_number(z3.IntVal(3)) and generic._is_number(z3.RealVal("1/2"))
    assert not generic._is_number(x)
    assert generic._num(3, x).eq(z3.IntVal(3)) and generic._num(Fraction(1, 2), z3.Real("r")).eq(z3.RealVal("1/2"))


# -- the constants of a term --------------------------------------------------------------------
def test_symbols_of_lists_every_uninterpreted_constant_once_in_order_of_first_occurrence():
    a, b, c, d = z3.Ints("a b c d")
    f = z3.Function("f", z3.IntSort(), z3.IntSort(), z3.IntSort(), z3.IntSort())
    e = z3.And(f(a, b, c) > d + 1, z3.Sum(b, c, a, d) >= 2, z3.BoolVal(True), z3.Bool("p"))
    got = symbols_of(e)
    assert [s.decl().name() for s in got] == ["a", "b", "c", "d", "p"]
    assert [s.decl().name() for s in symbols_of(z3.Sum(d, c, b, a))] == ["d", "c", "b", "a"]
    assert [s.decl().name() for s in symbols_of(z3.If(z3.Bool("q"), c, a) + b)] == ["q", "c", "a", "b"]
    assert symbols_of(z3.IntVal(3) + 4) == []
    assert [s.decl().name() for s in symbols_of(a)] == ["a"]
    x = z3.Int("x")
    assert [s.decl().name() for s in symbols_of(z3.ForAll([x], x > a) == z3.Bool("p"))] == ["p"]


def test_symbols_of_is_cached_and_clear_symbols_forgets():
    clear_symbols()
    a, b = z3.Ints("a b")
    e1, e2 = a + b, a * b
    first = symbols_of(e1)
    symbols_of(e2)
    assert symbols_of(e1) is first                         # cached, also after another term
    assert len(generic._SYMS) == 2
    clear_symbols()
    assert generic._SYMS == {}
    assert symbols_of(e1) is not first and [s.decl().name() for s in symbols_of(e1)] == ["a", "b"]


def test_the_cache_of_constants_is_cleared_only_beyond_500_000_entries():
    clear_symbols()
    a = z3.Int("a")
    try:
        generic._SYMS.update({("x", i): (None, []) for i in range(500_000)})
        symbols_of(a + 1)                                   # 500 000 entries: kept, one more
        assert len(generic._SYMS) == 500_001
        symbols_of(a + 2)                                   # 500 001 entries: cleared first
        assert len(generic._SYMS) == 1
    finally:
        clear_symbols()
