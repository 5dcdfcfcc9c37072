"""Unit tests of ``prover/z3ops.py``: the Z3 meaning of each operation, on small terms.

Values are checked against Python's own arithmetic and calendar (the exact meaning): a closed
term is simplified to its value; a constraint set is checked by asking Z3 which values it allows
(``allows``) or whether it fixes one value (``only``)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
import z3

from avtalsregler.errors import EvalError
from avtalsregler.language.types import EnumType, Type
from avtalsregler.prover.generic import Member, Space
from avtalsregler.prover.z3ops import Z3Ops, _Prefix
from avtalsregler.prover.z3terms import MAX_ORDINAL, MIN_ORDINAL

PART_ENUM = EnumType("part", ("p1", "p2", "p3"), {}, "§6", None)
ENUMS = {"part": PART_ENUM}
INT, FRAC, BOOL, DATE = Type("int"), Type("frac"), Type("bool"), Type("date")
PART = Type("enum", enum="part")
MAP = Type("map", enum="part", elem=INT)
SPAN = None


def ops() -> Z3Ops:
    return Z3Ops(ENUMS)


def val(t):
    """The Python value of a closed term."""
    s = z3.simplify(t)
    if z3.is_true(s) or z3.is_false(s):
        return z3.is_true(s)
    return s.as_long() if z3.is_int_value(s) else Fraction(s.as_fraction())


def valid(f) -> bool:
    s = z3.Solver()
    s.add(z3.Not(f))
    return s.check() == z3.unsat


def same(a, b) -> bool:
    return valid(a == b)


def allows(constraints, var, value) -> bool:
    s = z3.Solver()
    s.add(*constraints, var == value)
    return s.check() == z3.sat


def only(constraints, var):
    """The one value of ``var`` the constraints allow (None: none, or more than one)."""
    s = z3.Solver()
    s.add(*constraints)
    if s.check() != z3.sat:
        return None
    v = s.model().eval(var, model_completion=True)
    s.add(var != v)
    return val(v) if s.check() == z3.unsat else None


class Family:
    """A stand-in for a family of items (a quota's shares): its pairwise fact is a marker."""

    def pair(self, i, j):
        return z3.Bool(f"par_{i}_{j}")


# -- construction and variables ----------------------------------------------------------------
def test_a_translation_uses_the_context_it_is_given_or_the_main_one():
    ctx = z3.Context()
    o = Z3Ops(ENUMS, ctx)
    assert o.ctx is ctx and o.var("x", INT).ctx == ctx
    assert ops().ctx == z3.main_ctx() and ops().enums is ENUMS


def test_variables_have_the_sort_of_their_type():
    o = ops()
    assert z3.is_bool(o.var("b", BOOL)) and z3.is_real(o.var("f", FRAC))
    assert z3.is_int(o.var("i", INT)) and z3.is_int(o.var("d", DATE)) and z3.is_int(o.var("e", PART))
    m = o.var("m", MAP)
    assert list(m) == ["p1", "p2", "p3"] and str(m["p2"]) == "m[p2]" and z3.is_int(m["p1"])


def test_fresh_variables_are_numbered_from_one_and_never_shared():
    o = ops()
    a, b = o.fresh("golv", INT), o.fresh("golv", INT)
    assert (str(a), str(b)) == ("golv!1", "golv!2")
    assert z3.is_real(o.fresh("kvot", FRAC)) and o.fresh_count == 3


def test_a_type_domain_allows_exactly_its_values():
    o = ops()
    e, d, x = z3.Int("e"), z3.Int("d"), z3.Int("x")
    de = o.domain(e, PART)
    assert [allows(de, e, v) for v in (-1, 0, 2, 3)] == [False, True, True, False]
    dd = o.domain(d, DATE)
    assert [allows(dd, d, v) for v in (MIN_ORDINAL - 1, MIN_ORDINAL, MAX_ORDINAL, MAX_ORDINAL + 1)] \
        == [False, True, True, False]
    dx = o.domain(x, INT, 10, 20)
    assert [allows(dx, x, v) for v in (9, 10, 20, 21)] == [False, True, True, False]
    assert o.domain(x, INT) == []
    lo = o.domain(d, DATE, datetime.date(2024, 1, 1))
    assert not allows(lo, d, datetime.date(2023, 12, 31).toordinal()) and allows(lo, d, datetime.date(2024, 1, 1).toordinal())


def test_a_map_domain_takes_the_bounds_member_by_member():
    o = ops()
    m = o.var("m", MAP)
    c = o.domain(m, MAP, {"p1": 0, "p2": 5, "p3": 0}, 9)
    assert allows(c, m["p1"], 0) and not allows(c, m["p2"], 4) and allows(c, m["p2"], 5)
    assert not allows(c, m["p3"], 10) and allows(c, m["p3"], 9)
    assert len(c) == 6


# -- path conditions ---------------------------------------------------------------------------
def test_an_obligation_is_guarded_by_the_path_where_it_is_reached():
    o = ops()
    c, x = z3.Bool("c"), z3.Int("x")
    assert o.under(c, lambda: o.require(x > 0, "m", SPAN) or 7) == 7
    o.require(x > 1, "m2", SPAN)
    first, second = o.obligations
    assert same(first.condition, z3.Implies(c, x > 0)) and first.message == "m"
    assert z3.eq(second.condition, x > 1)          # no path: the condition itself
    assert o.path == []


def test_a_shared_definition_is_evaluated_without_the_path_and_the_path_comes_back():
    """``toplevel`` (a definition, evaluated once, shared by every use): its obligations hold
    everywhere; an obligation after it in the same branch is still under the branch's path,
    and leaving the branch is not a crash (the mutant z3ops.py:150 left the path empty: the
    next obligation lost its guard and the branch's end popped an empty list)."""
    o = ops()
    c, x = z3.Bool("c"), z3.Int("x")

    def branch():
        got = o.toplevel(lambda: (o.require(x != 0, "def", SPAN), o.path == [])[1] and 5)
        o.require(x > 3, "after", SPAN)
        return got

    assert o.under(c, branch) == 5
    inner, after = o.obligations
    assert z3.eq(inner.condition, x != 0)
    assert same(after.condition, z3.Implies(c, x > 3))
    assert o.path == []


def test_true_guards_are_left_out_and_a_claim_records_how_far_the_side_constraints_were():
    o = ops()
    x = z3.Int("x")
    o.side.append(x >= 0)
    o.under(z3.BoolVal(True), lambda: o.require(x > 0, "m", SPAN))
    o.under(z3.BoolVal(True), lambda: o.claim(x >= 0, "k", SPAN))
    assert z3.eq(o.obligations[0].condition, x > 0)
    assert z3.eq(o.claims[0].condition, x >= 0) and o.claims[0].upto == 1
    c = z3.Bool("c")
    o.under(c, lambda: o.claim(x >= 1, "k2", SPAN))
    assert same(o.claims[1].condition, z3.Implies(c, x >= 1)) and o.claims[1].message == "k2"


# -- constants ---------------------------------------------------------------------------------
def test_constants_of_every_type():
    o = ops()
    assert z3.is_true(o.const(1, BOOL)) and z3.is_false(o.const(0, BOOL))
    assert val(o.const(Fraction(-7, 3), FRAC)) == Fraction(-7, 3) and z3.is_real(o.const(2, FRAC))
    assert val(o.const(datetime.date(2024, 2, 29), DATE)) == datetime.date(2024, 2, 29).toordinal()
    assert val(o.const("p3", PART)) == 2 and val(o.enum_value(PART_ENUM, "p2")) == 1
    m = o.const({"p1": 4, "p2": 5}, MAP)
    assert {k: val(v) for k, v in m.items()} == {"p1": 4, "p2": 5}
    assert val(o.const(-12, INT)) == -12 and z3.is_int(o.const(-12, INT))


# -- arithmetic --------------------------------------------------------------------------------
def test_arithmetic_mixes_int_and_fraction():
    o = ops()
    h = z3.RealVal("1/2")
    assert val(o.arith("+", z3.IntVal(3), h)) == Fraction(7, 2)
    assert val(o.arith("-", z3.IntVal(3), h)) == Fraction(5, 2)
    assert val(o.arith("*", z3.IntVal(3), h)) == Fraction(3, 2)
    assert val(o.arith("-", h, z3.IntVal(3))) == Fraction(-5, 2)


def test_only_a_comparison_or_a_subtraction_of_two_items_brings_their_pairwise_fact():
    o = ops()
    a, b = z3.Int("a"), z3.Int("b")
    o.register([a, b], Family())
    o.arith("+", a, b)
    o.arith("*", a, b)
    assert o.side == []
    o.arith("-", a, b)
    assert [str(f) for f in o.side] == ["par_0_1"]
    o2 = ops()
    o2.register([a, b], Family())
    o2.cmp("<", a, b)
    assert [str(f) for f in o2.side] == ["par_0_1"]


def test_division_is_exact_and_requires_a_nonzero_divisor():
    o = ops()
    x, y = z3.Int("x"), z3.Int("y")
    assert val(o.div(z3.IntVal(7), z3.IntVal(2), SPAN)) == Fraction(7, 2)
    assert val(o.div(z3.IntVal(-7), z3.RealVal("1/2"), SPAN)) == -14
    o = ops()
    o.div(x, y, SPAN)
    (ob,) = o.obligations
    assert same(ob.condition, y != 0) and ob.message == "division by zero"


@pytest.mark.parametrize("a", [-7, -6, -1, 0, 1, 6, 7])
@pytest.mark.parametrize("b", [-3, -2, -1, 1, 2, 3])
def test_integer_division_and_remainder_floor_as_in_python(a, b):
    o = ops()
    assert val(o.intdiv("//", z3.IntVal(a), z3.IntVal(b), SPAN)) == a // b
    assert val(o.intdiv("%", z3.IntVal(a), z3.IntVal(b), SPAN)) == a % b
    assert len(o.obligations) == 2


def test_integer_division_requires_a_nonzero_divisor():
    o = ops()
    x, y = z3.Int("x"), z3.Int("y")
    o.intdiv("%", x, y, SPAN)
    (ob,) = o.obligations
    assert same(ob.condition, y != 0) and ob.message == "division by zero"


def test_negation_and_not():
    o = ops()
    assert val(o.neg(z3.IntVal(5))) == -5
    assert val(o.not_(z3.BoolVal(False))) is True


# -- comparisons and connectives -----------------------------------------------------------------
@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!="])
def test_comparisons_are_pythons(op):
    o = ops()
    for x, y in ((1, 2), (2, 2), (3, 2)):
        expected = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}[op]
        assert val(o.cmp(op, z3.IntVal(x), z3.IntVal(y))) is expected, (x, op, y)
    assert val(o.cmp(op, z3.IntVal(1), z3.RealVal("1/2"))) is {"<": False, "<=": False, ">": True, ">=": True,
                                                                  "==": False, "!=": True}[op]


def test_a_generic_member_compares_by_its_index():
    space = Space(PART_ENUM, z3.main_ctx(), [])
    k = Member(space, "k")
    assert same(ops().cmp("==", k, z3.IntVal(1)), k.idx == 1)
    assert same(ops().cmp("<", z3.IntVal(0), k), 0 < k.idx)


def test_and_or_of_none_one_and_two_items():
    o = ops()
    p, q = z3.Bool("p"), z3.Bool("q")
    assert val(o.and_([])) is True and val(o.or_([])) is False
    assert o.and_([lambda: p]) is p and o.or_([lambda: p]) is p
    assert same(o.and_([lambda: p, lambda: q]), z3.And(p, q))
    assert same(o.or_([lambda: p, lambda: q]), z3.Or(p, q))


def test_each_item_of_and_or_is_under_the_items_before_it():
    """``a and b``: b is only reached where a holds; ``a or b``: only where a does not."""
    o = ops()
    p, q, x = z3.Bool("p"), z3.Bool("q"), z3.Int("x")
    o.and_([lambda: p, lambda: q, lambda: (o.require(x > 0, "and", SPAN), p)[1]])
    o.or_([lambda: p, lambda: q, lambda: (o.require(x > 1, "or", SPAN), p)[1]])
    first, second = o.obligations
    assert same(first.condition, z3.Implies(z3.And(p, q), x > 0))
    assert same(second.condition, z3.Implies(z3.Not(z3.Or(p, q)), x > 1))
    o.and_([lambda: (o.require(x > 2, "first", SPAN), p)[1]])
    assert z3.eq(o.obligations[2].condition, x > 2)     # the first item: no guard


def test_prefix_terms():
    p, q = z3.Bool("p"), z3.Bool("q")
    ctx = z3.main_ctx()
    assert z3.is_true(_Prefix([p, q], 0, False).term(ctx))
    assert same(_Prefix([p, q], 2, False).term(ctx), z3.And(p, q))
    assert same(_Prefix([p, q], 1, True).term(ctx), z3.Not(p))
    assert same(_Prefix([p, q], 2, True).term(ctx), z3.Not(z3.Or(p, q)))


def test_ite_guards_each_branch_and_works_member_by_member():
    o = ops()
    c, x = z3.Bool("c"), z3.Int("x")
    t = o.ite(c, lambda: (o.require(x > 0, "then", SPAN), z3.IntVal(1))[1],
              lambda: (o.require(x < 0, "else", SPAN), z3.RealVal("1/2"))[1])
    assert same(t, z3.If(c, z3.RealVal(1), z3.RealVal("1/2")))
    then, other = o.obligations
    assert same(then.condition, z3.Implies(c, x > 0)) and same(other.condition, z3.Implies(z3.Not(c), x < 0))
    m = o.ite(c, lambda: {"p1": z3.IntVal(1), "p2": z3.IntVal(2)}, lambda: {"p1": z3.IntVal(3), "p2": z3.IntVal(4)})
    assert same(m["p1"], z3.If(c, 1, 3)) and same(m["p2"], z3.If(c, 2, 4))
    assert val(o.ite(z3.BoolVal(False), lambda: z3.IntVal(1), lambda: z3.IntVal(2))) == 2


# -- floor ---------------------------------------------------------------------------------------
def test_the_floor_of_a_constant_or_an_integer_is_computed():
    o = ops()
    x = z3.Int("x")
    assert o.floor(x) is x
    assert [val(o.floor(z3.RealVal(v))) for v in ("7/2", "-7/2", "3", "-3")] == [3, -4, 3, -3]
    assert val(o.floor(z3.RealVal("1/2") + z3.RealVal("1/2"))) == 1
    assert o.side == []


@pytest.mark.parametrize("r, f", [("7/2", 3), ("-7/2", -4), ("3", 3), ("-3", -3), ("0", 0), ("99/100", 0)])
def test_the_floor_of_a_term_is_the_one_integer_its_side_constraint_allows(r, f):
    o = ops()
    a = z3.Real("a")
    g = o.floor(a)
    assert z3.is_int(g) and len(o.side) == 1
    assert only([*o.side, a == z3.RealVal(r)], g) == f


def test_floors_of_one_term_are_shared():
    o = ops()
    a = z3.Real("a")
    assert o.floor(a) is o.floor(a) and len(o.side) == 1
    assert o.floor(a + 1) is not o.floor(a) and len(o.side) == 2


def test_the_floor_of_one_items_value_is_that_items_too():
    o = ops()
    a, b, w = z3.Real("a"), z3.Real("b"), z3.Real("w")
    o.tags[a.get_id()] = ("kvot", 2)
    o.tags[w.get_id()] = ("vikt", 2)
    f = o.floor(a + w)
    assert o.tags[f.get_id()] == ("golv:kvot,vikt", 2)
    assert z3.eq(o.defs[f.get_id()], o.side[-1])
    o.tags[b.get_id()] = ("kvot", 1)
    g = o.floor(a + b)                       # two items: no single item's
    assert g.get_id() not in o.tags and g.get_id() not in o.defs
    h = o.floor(z3.Real("u") * 2)            # no item at all
    assert h.get_id() not in o.tags


# -- maps, enumerations, dates -------------------------------------------------------------------
def test_select_by_a_constant_a_term_and_a_generic_member():
    o = ops()
    m = {"p1": z3.IntVal(10), "p2": z3.IntVal(20), "p3": z3.IntVal(30)}
    assert val(o.select(m, z3.IntVal(1), PART_ENUM)) == 20
    k = z3.Int("k")
    t = o.select(m, k, PART_ENUM)
    assert [only([k == i], t) for i in range(3)] == [10, 20, 30]
    space = Space(PART_ENUM, z3.main_ctx(), [])
    same5 = {"p1": z3.IntVal(5), "p2": z3.IntVal(5), "p3": z3.IntVal(5)}
    assert val(o.select(same5, Member(space, "j"), PART_ENUM)) == 5


def test_select_on_a_two_member_enumeration():
    two = EnumType("two", ("a", "b"), {}, "§6", None)
    o = Z3Ops({"two": two})
    k = z3.Int("k")
    t = o.select({"a": z3.IntVal(1), "b": z3.IntVal(2)}, k, two)
    assert [only([k == i], t) for i in range(2)] == [1, 2]


def test_adding_days_requires_the_result_in_the_calendar():
    o = ops()
    d, n = z3.Int("d"), z3.Int("n")
    r = o.date_add(d, n, SPAN)
    assert same(r, d + n)
    (ob,) = o.obligations
    assert ob.message == "date outside the calendar"
    c = [d == 10, ob.condition]
    assert [allows(c, n, v) for v in (MIN_ORDINAL - 11, MIN_ORDINAL - 10, MAX_ORDINAL - 10, MAX_ORDINAL - 9)] \
        == [False, True, True, False]
    assert val(o.date_diff(z3.IntVal(30), z3.IntVal(12))) == 18


CIVIL = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(2024, 2, 29),
         datetime.date(2023, 3, 1), datetime.date(2023, 1, 31), datetime.date(2023, 12, 1)]


@pytest.mark.parametrize("day", CIVIL)
def test_year_month_day_of_a_date_are_the_calendars_and_the_only_ones(day):
    o = ops()
    d = z3.Int("d")
    y, m, dd = o.civil(d, SPAN)
    s = z3.Solver()
    s.add(*o.side, d == day.toordinal())
    assert s.check() == z3.sat
    assert [s.model().eval(t).as_long() for t in (y, m, dd)] == [day.year, day.month, day.day]
    s.add(z3.Or(y != day.year, m != day.month, dd != day.day))
    assert s.check() == z3.unsat


def test_the_parts_of_one_date_are_shared():
    o = ops()
    d = z3.Int("d")
    assert o.civil(d, SPAN) is o.civil(d, SPAN)
    assert len(o.side) == 5


@pytest.mark.parametrize("y, ok", [(0, False), (1, True), (2024, True), (9999, True), (10000, False)])
def test_a_date_from_its_parts_requires_a_year_of_the_calendar(y, ok):
    o = ops()
    yy = z3.Int("y")
    r = o.from_civil(yy, z3.IntVal(3), z3.IntVal(1), SPAN)
    (ob,) = o.obligations
    assert ob.message == "date outside the calendar"
    assert allows([ob.condition], yy, y) is ok
    if ok:
        assert only([yy == y], r) == datetime.date(y, 3, 1).toordinal()


# -- knowing without search, folding, lemmas -----------------------------------------------------
def test_is_true_knows_only_what_simplifies():
    o = ops()
    assert o.is_true(z3.IntVal(1) < 2) is True
    assert o.is_true(z3.IntVal(3) < 2) is False
    assert o.is_true(z3.Int("x") < 2) is None


class Double:
    """A stand-in built-in: twice its argument, undefined (EvalError) for 13."""

    def apply(self, ops, values, types, result, span):
        if values[0] == 13:
            raise EvalError("tretton", span)
        return values[0] * 2


def test_a_built_in_over_constants_is_folded_with_the_exact_meaning():
    o = ops()
    assert val(o.fold(Double(), [z3.IntVal(4) + 1], [INT], INT, SPAN)) == 10
    assert o.fold(Double(), [z3.IntVal(13)], [INT], INT, SPAN) is None      # left to definedness
    assert o.fold(Double(), [z3.Int("x")], [INT], INT, SPAN) is None
    assert o.fold(Double(), [z3.IntVal(1), z3.Int("x")], [INT, INT], INT, SPAN) is None
    assert o.fold(Double(), [z3.IntVal(4)], [INT], Type("int", unit="*"), SPAN) is None
    assert o.fold(Double(), [z3.IntVal(4)], [INT], MAP, SPAN) is None
    o.folding = False
    assert o.fold(Double(), [z3.IntVal(4)], [INT], INT, SPAN) is None
    assert Z3Ops.folding is True


def test_a_lemma_is_recorded_once_under_its_name():
    o = ops()
    x = z3.Int("x")
    o.lemma("l", x > 0, x >= 0, SPAN)
    o.lemma("l", x > 1, x >= 1, SPAN)
    assert list(o.lemmas) == ["l"] and z3.eq(o.lemmas["l"].premise, x > 0)


def test_rollback_undoes_what_was_made_after_the_mark():
    o = ops()
    a, b = z3.Real("a"), z3.Real("b")
    o.floor(a)
    mark = o.mark()
    o.floor(b)
    o.require(b > 0, "m", SPAN)
    o.lemma("l", b > 0, b >= 0, SPAN)
    made = o.since(mark)
    assert len(made["side"]) == 1 and len(made["obligations"]) == 1 and made["lemmas"] == ["l"]
    o.rollback(mark)
    assert len(o.side) == 1 and o.obligations == [] and o.lemmas == {}
    assert ("floor", a.get_id()) in o.memo and ("floor", b.get_id()) not in o.memo
