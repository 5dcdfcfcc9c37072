"""Unit tests of ``prover/z3terms.py``: the Z3 terms of the language's values outside a
translation. Every expected value comes from Python's own ``datetime`` (the exact side's
calendar) or is a literal derived in the comment next to it."""

from __future__ import annotations

import calendar
import datetime
from fractions import Fraction

import pytest
import z3

from avtalsregler.language.types import EnumType, Type
from avtalsregler.prover.z3terms import (MAX_ORDINAL, MIN_ORDINAL, constant_value, days_in_month,
                                         is_constant, ordinal, term_id, to_real, value_of)

ENUMS = {"part": EnumType("part", ("p1", "p2", "p3"), {}, "§6", None)}
INT, FRAC, BOOL, DATE = Type("int"), Type("frac"), Type("bool"), Type("date")
PART = Type("enum", enum="part")


def _num(t):
    """The Python value of a closed Z3 arithmetic or boolean term."""
    s = z3.simplify(t)
    if z3.is_true(s) or z3.is_false(s):
        return z3.is_true(s)
    return s.as_long() if z3.is_int_value(s) else Fraction(s.as_fraction())


# -- the date range ---------------------------------------------------------------------------
def test_the_date_range_is_pythons():
    # date(1, 1, 1) is day 1 and date(9999, 12, 31) day 3 652 059 of the proleptic calendar
    assert (MIN_ORDINAL, MAX_ORDINAL) == (1, 3_652_059)


# -- constants --------------------------------------------------------------------------------
def test_a_term_is_constant_when_it_simplifies_to_a_value():
    two = z3.IntVal(1) + z3.IntVal(1)            # not a value until simplified
    assert is_constant(two)
    assert is_constant(z3.RealVal("1/3") + z3.RealVal(0))
    assert is_constant(z3.BoolVal(True)) and is_constant(z3.BoolVal(False))
    assert is_constant(z3.And(z3.BoolVal(True), z3.BoolVal(False)))
    assert is_constant({"p1": z3.IntVal(1), "p2": z3.IntVal(2) * 3})
    assert not is_constant(z3.Int("x"))
    assert not is_constant(z3.Int("x") + 1)
    assert not is_constant(z3.Bool("b"))
    assert not is_constant({"p1": z3.IntVal(1), "p2": z3.Int("y")})


@pytest.mark.parametrize("term, typ, value", [
    (z3.IntVal(40) + 2, INT, 42),
    (z3.IntVal(-7), INT, -7),
    (z3.RealVal("1/3") + z3.RealVal("1/6"), FRAC, Fraction(1, 2)),
    (z3.And(z3.BoolVal(True), z3.BoolVal(True)), BOOL, True),
    (z3.Or(z3.BoolVal(False), z3.BoolVal(False)), BOOL, False),
    (z3.IntVal(datetime.date(2024, 2, 29).toordinal()) + 0, DATE, datetime.date(2024, 2, 29)),
    (z3.IntVal(1) + 1, PART, "p3"),
])
def test_a_constant_reads_back_as_the_language_value(term, typ, value):
    out = constant_value(term, typ, ENUMS)
    assert out == value and type(out) is type(value)


def test_a_constant_map_reads_back_member_by_member():
    m = {"p1": z3.IntVal(1) + 2, "p2": z3.IntVal(5)}
    assert constant_value(m, Type("map", enum="part", elem=INT), ENUMS) == {"p1": 3, "p2": 5}


# -- small helpers ----------------------------------------------------------------------------
def test_z3s_own_operators_make_an_int_real_where_it_meets_a_real():
    """What the translation relies on since it stopped coercing by hand (``z3ops.arith``, ``cmp``,
    ``ite``, ``pairwise``'s lemma conclusions): z3's operators turn the Int side of a mixed pair
    into ``ToReal`` themselves, and ``>=`` includes equality."""
    x, r = z3.Int("x"), z3.Real("r")
    assert _num(z3.IntVal(2) >= z3.IntVal(2)) is True
    assert _num(z3.IntVal(1) >= z3.IntVal(2)) is False
    assert _num(z3.IntVal(3) >= z3.IntVal(2)) is True
    assert _num(z3.IntVal(1) >= z3.RealVal("1/2")) is True
    assert z3.is_bool(x >= r)
    for built, by_hand in ((x + r, z3.ToReal(x) + r), (r - x, r - z3.ToReal(x)), (x * r, z3.ToReal(x) * r),
                           (x >= r, z3.ToReal(x) >= r), (r > x, r > z3.ToReal(x)), (x == r, z3.ToReal(x) == r),
                           (z3.If(z3.Bool("b"), x, r), z3.If(z3.Bool("b"), z3.ToReal(x), r))):
        assert z3.eq(built, by_hand), (built, by_hand)


def test_term_id_is_the_z3_id_or_none():
    x = z3.Int("x")
    assert term_id(x) == x.get_id()
    assert term_id(3) is None


def test_to_real_makes_an_int_real_and_leaves_a_real():
    x, r = z3.Int("x"), z3.Real("r")
    assert z3.is_real(to_real(x)) and z3.eq(to_real(x), z3.ToReal(x))
    assert to_real(r) is r


# -- values read from a model -----------------------------------------------------------------
def _model(*facts):
    s = z3.Solver()
    s.add(*facts)
    assert s.check() == z3.sat
    return s.model()


def test_a_model_value_reads_back_for_each_kind():
    x, r, b, d, e = z3.Int("x"), z3.Real("r"), z3.Bool("b"), z3.Int("d"), z3.Int("e")
    day = datetime.date(2000, 2, 29)
    m = _model(x == -5, r == z3.RealVal("7/3"), b, d == day.toordinal(), e == 1)
    assert value_of(m, x, INT, ENUMS) == -5
    assert value_of(m, r, FRAC, ENUMS) == Fraction(7, 3)
    assert value_of(m, z3.ToReal(x), FRAC, ENUMS) == Fraction(-5)
    assert value_of(m, b, BOOL, ENUMS) is True
    assert value_of(m, z3.Not(b), BOOL, ENUMS) is False
    assert value_of(m, d, DATE, ENUMS) == day
    assert value_of(m, e, PART, ENUMS) == "p2"
    assert value_of(m, {"p1": x, "p2": x + 1}, Type("map", enum="part", elem=INT), ENUMS) == {"p1": -5, "p2": -4}
    # a variable the model leaves open reads as Z3's completion (0), not as an error
    assert value_of(m, z3.Int("unused"), INT, ENUMS) == 0


def test_an_irrational_model_value_reads_as_its_20_digit_decimal():
    # r*r == 3, r > 0: Z3 gives the algebraic number sqrt(3); read with 20 decimals (cut, not
    # rounded): sqrt(3) = 1.7320508075688772935274463..., so 1.73205080756887729352
    r = z3.Real("r")
    m = _model(r * r == 3, r > 0)
    assert value_of(m, r, FRAC, ENUMS) == Fraction("1.73205080756887729352")


@pytest.mark.parametrize("n, day", [(0, datetime.date.min), (-40, datetime.date.min),
                                    (MAX_ORDINAL + 1, datetime.date.max), (MIN_ORDINAL, datetime.date.min),
                                    (MAX_ORDINAL, datetime.date.max)])
def test_a_date_outside_the_calendar_reads_as_the_nearest_end(n, day):
    d = z3.Int("d")
    assert value_of(_model(d == n), d, DATE, ENUMS) == day


@pytest.mark.parametrize("n, member", [(-1, "p1"), (0, "p1"), (1, "p2"), (2, "p3"), (3, "p3"), (9, "p3")])
def test_an_enum_index_outside_the_members_reads_as_the_nearest_member(n, member):
    e = z3.Int("e")
    assert value_of(_model(e == n), e, PART, ENUMS) == member


# -- the calendar -----------------------------------------------------------------------------
YEARS = [1, 2, 3, 4, 99, 100, 101, 399, 400, 401, 1600, 1700, 1800, 1900, 1999, 2000, 2001, 2004,
         2023, 2024, 2100, 2400, 9999]


@pytest.mark.parametrize("y", YEARS)
def test_days_in_month_is_the_calendars(y):
    for m in range(1, 13):
        expected = calendar.monthrange(y, m)[1]
        assert _num(days_in_month(z3.IntVal(y), z3.IntVal(m))) == expected, (y, m)


@pytest.mark.parametrize("y", YEARS)
def test_ordinal_is_date_toordinal_on_the_first_and_last_day_of_every_month(y):
    for m in range(1, 13):
        first = datetime.date(y, m, 1)
        assert _num(ordinal(z3.IntVal(y), z3.IntVal(m), z3.IntVal(1))) == first.toordinal(), (y, m)
        n = _num(days_in_month(z3.IntVal(y), z3.IntVal(m)))
        last = datetime.date(y, m, n)
        assert _num(ordinal(z3.IntVal(y), z3.IntVal(m), z3.IntVal(n))) == last.toordinal(), (y, m)


def test_ordinal_is_linear_in_the_day():
    # for fixed year and month the ordinal of day d is the first day's + d - 1, also symbolically
    d = z3.Int("d")
    s = z3.Solver()
    s.add(ordinal(z3.IntVal(2024), z3.IntVal(3), d) != datetime.date(2024, 3, 1).toordinal() + d - 1)
    assert s.check() == z3.unsat
