"""Unit tests of language/semantics.py: the one walker with the exact meaning (ConcreteOps), node
by node, and the exact primitives the built-ins are written on. Every expected value is worked out
by hand from Python's own integer, Fraction and date arithmetic (floor division, as Python)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from avtalsregler.errors import EvalError, Span
from avtalsregler.language.expr import E, Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.semantics import ConcreteOps, Ops, Walker
from avtalsregler.language.types import BOOL, DATE, DAYS, FRAC, INT, MONEY, EnumType, Type

SP = Span("rules/x.yaml", 4, 9)
ENUMS = {"omrade": EnumType("omrade", ("a", "b", "c"), {}, "§4", Span("x", 1, 1))}
NAMES = {"x": INT, "y": INT, "belopp": MONEY, "andel": FRAC, "p": BOOL, "q": BOOL, "dag": DATE, "dag2": DATE,
         "n": DAYS, "m": Type("map", enum="omrade", elem=INT), "valt": Type("enum", enum="omrade")}
SCOPE = Scope(NAMES, ENUMS, BUILTINS)
ENV = {"x": 7, "y": 2, "belopp": 1000, "andel": Fraction(1, 4), "p": True, "q": False,
       "dag": datetime.date(2024, 2, 28), "dag2": datetime.date(2023, 12, 31), "n": 2,
       "m": {"a": 5, "b": -3, "c": 10}, "valt": "b"}
OPS = ConcreteOps(ENUMS)


def ev(text: str, **env):
    e = parse_expr(text, SP, None, SCOPE)
    return Walker(OPS, lambda name: {**ENV, **env}[name]).ev(e)


# -- the walker, node by node ------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("x", 7), ("3", 3), ("True", True), ("-x", -7), ("not p", False), ("not q", True),
    ("x + y", 9), ("x - y", 5), ("y - x", -5), ("x * y", 14), ("x / y", Fraction(7, 2)), ("y / x", Fraction(2, 7)),
    ("x // y", 3), ("y // x", 0), ("-x // y", -4), ("x % y", 1), ("y % x", 2), ("-x % y", 1),
    ("andel * belopp", Fraction(250)), ("belopp / 3", Fraction(1000, 3)),
    ("x < y", False), ("y < x", True), ("x <= 7", True), ("x <= 6", False), ("x > y", True), ("y > x", False),
    ("x >= 7", True), ("x >= 8", False), ("x == 7", True), ("x == y", False), ("x != 7", False), ("x != y", True),
    ("p and q", False), ("p and p", True), ("p or q", True), ("q or q", False), ("q and p", False),
    ("x if p else y", 7), ("x if q else y", 2),
    ("m[valt]", -3), ("m['c']", 10),
    ("min(x, y)", 2), ("max(x, y)", 7),
    ("dag + n", datetime.date(2024, 3, 1)), ("n + dag", datetime.date(2024, 3, 1)),   # 2024 is a leap year
    ("dag - n", datetime.date(2024, 2, 26)), ("dag - dag2", 59), ("dag2 - dag", -59),  # 31 (Jan) + 28
])
def test_each_operation_has_its_exact_value(text, expected):
    got = ev(text)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("text,expected", [
    ("sum(k in omrade, m[k])", 12), ("sum(k in omrade, m[k] * x)", 84),
    ("count(k in omrade, m[k] > 0)", 2), ("count(k in omrade, m[k] > 100)", 0), ("count(k in omrade, m[k] < 100)", 3),
    ("forall(k in omrade, m[k] > -5)", True), ("forall(k in omrade, m[k] > 0)", False),
    ("exists(k in omrade, m[k] < 0)", True), ("exists(k in omrade, m[k] > 10)", False),
    ("per(k in omrade, m[k] + 1)", {"a": 6, "b": -2, "c": 11}),
    ("per(k in omrade, k == valt)", {"a": False, "b": True, "c": False}),
    ("sum(k in omrade, sum(j in omrade, m[k] - m[j]))", 0),
    ("sum(k in omrade, count(j in omrade, m[j] < m[k]))", 3),      # 5 > -3; 10 > 5, -3: 1 + 0 + 2
])
def test_binders_range_over_the_members(text, expected):
    assert ev(text) == expected


def test_count_is_a_whole_number_and_an_empty_sum_is_zero():
    got = ev("count(k in omrade, p)")
    assert got == 3 and type(got) is int
    got = ev("sum(k in omrade, andel)")
    assert got == Fraction(3, 4) and type(got) is Fraction


def test_a_call_takes_the_folded_value_when_the_meaning_gives_one():
    """A meaning's ``fold`` (the Z3 meaning folds constants with the exact one) replaces the call."""
    class Folding(ConcreteOps):
        def fold(self, fn, args, types, result, span):
            return ("folded", fn.name, tuple(args), tuple(types), result)

    e = parse_expr("min(x, 3)", SP, None, SCOPE)
    got = Walker(Folding(ENUMS), ENV.__getitem__).ev(e)
    assert got[:3] == ("folded", "min", (7, 3)) and got[3][0] == INT and got[4] == INT


def test_if_and_binders_evaluate_only_what_they_need():
    assert ev("0 if y == 0 else x // y", y=0) == 0
    assert ev("q and x // 0 == 1") is False
    assert ev("p or x // 0 == 1") is True


def test_an_unknown_operation_is_an_internal_error():
    with pytest.raises(AssertionError, match="unknown operation 'bogus'"):
        Walker(OPS, ENV.__getitem__).ev(E("bogus", (), INT, SP))


def test_a_bound_value_reaches_nested_expressions():
    e = E("bound", ("k",), Type("enum", enum="omrade"), SP)
    assert Walker(OPS, ENV.__getitem__).ev(e, {"k": "c"}) == "c"
    idx = E("index", (E("var", ("m",), NAMES["m"], SP), e), INT, SP)
    assert Walker(OPS, ENV.__getitem__).ev(E("neg", (idx,), INT, SP), {"k": "c"}) == -10


# -- ConcreteOps --------------------------------------------------------------------------------

def test_a_constant_of_a_fraction_type_is_a_fraction_and_others_stay_as_they_are():
    assert type(OPS.const(2, FRAC)) is Fraction and OPS.const(2, FRAC) == 2
    assert OPS.const(Fraction(1, 3), FRAC) == Fraction(1, 3)
    assert type(OPS.const(2, INT)) is int and OPS.const(True, BOOL) is True
    assert OPS.const("a", Type("enum", enum="omrade")) == "a"


@pytest.mark.parametrize("a,b,q", [(7, -1, Fraction(-7)), (7, 1, Fraction(7)), (-7, 2, Fraction(-7, 2))])
def test_exact_division(a, b, q):
    assert OPS.div(a, b, SP) == q


@pytest.mark.parametrize("op,a,b,r", [("//", 7, -1, -7), ("//", 7, 1, 7), ("%", 7, -2, -1), ("%", 7, 1, 0),
                                      ("//", 7, 2, 3), ("%", -7, 2, 1)])
def test_floor_division_and_remainder(op, a, b, r):
    assert OPS.intdiv(op, a, b, SP) == r


def test_division_by_zero_has_no_value_at_its_place():
    for f in (lambda: OPS.div(1, 0, SP), lambda: OPS.intdiv("//", 1, 0, SP), lambda: OPS.intdiv("%", 1, 0, SP)):
        with pytest.raises(EvalError) as info:
            f()
        assert info.value.message == "division by zero" and info.value.span == SP


def test_the_small_exact_operations():
    assert OPS.arith("+", 7, 2) == 9 and OPS.arith("-", 7, 2) == 5 and OPS.arith("*", 7, 2) == 14
    assert OPS.neg(3) == -3 and OPS.not_(False) is True and OPS.not_(True) is False
    assert OPS.cmp("<", 1, 2) is True and OPS.cmp(">=", 1, 2) is False
    assert OPS.and_([lambda: True, lambda: True]) is True and OPS.and_([lambda: True, lambda: False]) is False
    assert OPS.or_([lambda: False, lambda: True]) is True and OPS.or_([lambda: False]) is False
    assert OPS.ite(True, lambda: 1, lambda: 2) == 1 and OPS.ite(False, lambda: 1, lambda: 2) == 2
    assert OPS.floor(Fraction(-7, 2)) == -4 and OPS.floor(Fraction(7, 2)) == 3 and OPS.floor(5) == 5
    assert OPS.select({"a": 1, "b": 2}, "b", ENUMS["omrade"]) == 2
    assert OPS.enum_value(ENUMS["omrade"], "c") == "c"
    assert OPS.is_true(1) is True and OPS.is_true(0) is False
    assert OPS.sum([1, 2, 3], 0) == 6 and OPS.sum([], 5) == 5
    assert OPS.min(2, 3) == 2 and OPS.min(3, 2) == 2 and OPS.max(2, 3) == 3 and OPS.max(3, 2) == 3


@pytest.mark.parametrize("op,lt,eq,gt", [("<", True, False, False), ("<=", True, True, False),
                                         (">", False, False, True), (">=", False, True, True),
                                         ("==", False, True, False), ("!=", True, False, True)])
def test_each_comparison_below_at_and_above(op, lt, eq, gt):
    assert (OPS.cmp(op, 1, 2), OPS.cmp(op, 2, 2), OPS.cmp(op, 3, 2)) == (lt, eq, gt)


def test_dates_and_the_calendar():
    d = datetime.date(2024, 2, 28)
    assert OPS.date_add(d, 1, SP) == datetime.date(2024, 2, 29) and OPS.date_add(d, -59, SP) == datetime.date(2023, 12, 31)
    assert OPS.date_diff(d, datetime.date(2024, 1, 1)) == 58
    assert OPS.civil(d, SP) == (2024, 2, 28)
    assert OPS.from_civil(2024, 2, 29, SP) == datetime.date(2024, 2, 29)
    with pytest.raises(EvalError, match="9999-12-31 \\+ 1 days is outside the calendar"):
        OPS.date_add(datetime.date(9999, 12, 31), 1, SP)
    with pytest.raises(EvalError, match="2023-02-29 is outside the calendar"):
        OPS.from_civil(2023, 2, 29, SP)
    with pytest.raises(EvalError, match="10000-01-01 is outside the calendar"):
        OPS.from_civil(10000, 1, 1, SP)


def test_require_and_claim_refuse_a_false_condition():
    OPS.require(True, "never", SP)
    with pytest.raises(EvalError) as info:
        OPS.require(False, "the total is negative", SP)
    assert (info.value.message, info.value.span) == ("the total is negative", SP)
    OPS.claim(True, "q >= 0", SP)
    with pytest.raises(EvalError, match="internal error: q >= 0 does not hold"):
        OPS.claim(False, "q >= 0", SP)


def test_the_exact_quotas():
    assert OPS.quota(10, [1, 2, 3], 6, SP) == [Fraction(10, 6), Fraction(20, 6), Fraction(30, 6)]
    assert OPS.quota(Fraction(1, 2), [Fraction(1, 3)], 1, SP) == [Fraction(1, 6)]


@pytest.mark.parametrize("k,chosen,threshold", [
    (0, [0, 0, 0, 0], Fraction(9)),        # none chosen: the threshold is the upper bound
    (1, [0, 1, 0, 0], 5),                  # the first of the two largest keys
    (2, [0, 1, 1, 0], 5),
    (3, [1, 1, 1, 0], 3),
    (4, [1, 1, 1, 1], 1),
])
def test_the_k_largest_keys_first_listed_first(k, chosen, threshold):
    got, th = OPS.top([3, 5, 5, 1], k, 0, 9, SP)
    assert got == chosen and th == threshold


def test_the_interface_defaults():
    o = Ops()
    assert o.fold(None, [], [], INT, SP) is None and o.itemwise([], []) is None and o.is_true(True) is None
