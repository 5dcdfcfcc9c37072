"""The calendar built-ins on values derived by hand (the exact meaning; the Z3 meaning is held
to it by tests/prover/soundness/test_crosscheck.py). Fast: the mutation run's subset."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from avtalsregler.errors import EvalError
from avtalsregler.language.functions.apportion import explain_apportion
from avtalsregler.language.types import MONEY, Type

from .test_expr import ENUMS, value

D = datetime.date


@pytest.mark.parametrize("y,m,n", [(2024, 2, 29), (2023, 2, 28), (1900, 2, 28), (2000, 2, 29), (2100, 2, 28),
                                   (2023, 4, 30), (2023, 6, 30), (2023, 9, 30), (2023, 11, 30),
                                   (2023, 1, 31), (2023, 3, 31), (2023, 12, 31)])
def test_days_in_month(y, m, n):
    assert value(f"days_in_month({y}, {m})") == n


@pytest.mark.parametrize("text,want", [
    ("make_date(2024, 2, 29)", D(2024, 2, 29)), ("make_date(1, 1, 1)", D(1, 1, 1)),
    ("make_date(9999, 12, 31)", D(9999, 12, 31)),
    ("add_months(dag, 1)", D(2024, 2, 29)), ("add_months(dag, -2)", D(2023, 11, 30)),
    ("add_months(dag, 13)", D(2025, 2, 28)), ("add_years(make_date(2024, 2, 29), 1)", D(2025, 2, 28)),
    ("first_day_of_month(month_of(dag))", D(2024, 1, 1)), ("first_day_of_month(12 * 2024 + 11)", D(2024, 12, 1)),
    ("months_between(dag, make_date(2024, 2, 29))", 1), ("months_between(dag, make_date(2024, 2, 28))", 0),
    ("months_between(make_date(2024, 3, 31), dag)", -2), ("month_of(dag)", 12 * 2024),
    ("year(dag) * 10000 + month(dag) * 100 + day(dag)", 20240131), ("years_to_months(3)", 36),
])
def test_calendar_functions(text, want):
    assert value(text, dag=D(2024, 1, 31)) == want


@pytest.mark.parametrize("text", ["make_date(2023, 2, 29)", "make_date(2024, 1, 0)", "make_date(2024, 0, 1)",
                                  "make_date(2024, 13, 1)", "make_date(2024, 4, 31)", "days_in_month(2024, 0)",
                                  "days_in_month(2024, 13)", "make_date(10000, 1, 1)", "make_date(0, 12, 31)"])
def test_dates_not_in_the_calendar_are_undefined(text):
    with pytest.raises(EvalError):
        value(text)


def test_explain_apportion_shows_floors_remainders_and_the_units_left_over():
    lines = explain_apportion([100, {"a": 1, "b": 2}], [MONEY, Type("map", enum="omrade", elem=Type("int"))],
                              {"a": 33, "b": 67}, ENUMS)
    # by hand: a 100·1/3 = 33 + 1/3, b 100·2/3 = 66 + 2/3; floors 99, 1 öre over, to b (larger rest)
    assert "Område A: 100 / 3 = 33 öre + 1/3 → 0,33 kr" in lines
    assert any(x.startswith("Område B: 200 / 3 = 66 öre + 2/3 → 0,67 kr") and "stor rest" in x for x in lines)
    assert lines[-1] == "överblivna öre: 100 − 99 = 1"


@pytest.mark.parametrize("total,weights,result,want", [
    # by hand: 101 · 2/4 = 50 + 1/2 each; one öre over, to A (equal rests: first listed first)
    (101, {"a": 2, "b": 2}, {"a": 51, "b": 50}, "101 = 2 × 50 + 1 → 0,51 kr, 0,50 kr"),
    # 101 · 1/3 = 33 + 2/3, 101 · 2/3 = 67 + 1/3: one over, to A (larger rest)
    (101, {"a": 1, "b": 2}, {"a": 34, "b": 67}, "101 efter vikterna 1, 2 → 0,34 kr, 0,67 kr"),
    # equal but not whole weights: not written as a division by the count
    (101, {"a": Fraction(1, 2), "b": Fraction(1, 2)}, {"a": 51, "b": 50}, "101 efter vikterna 1/2, 1/2 → 0,51 kr, 0,50 kr"),
    (101, {"a": 3}, {"a": 101}, "101 = 1 × 101 + 0 → 1,01 kr"),
])
def test_the_compact_explanation_of_an_apportionment(total, weights, result, want):
    """The one line shown for an apportionment inside ``per``: equal whole weights as a division
    by the count (quotient + remainder), other weights listed."""
    types = [MONEY, Type("map", enum="omrade", elem=Type("int"))]
    assert explain_apportion([total, weights], types, result, ENUMS, compact=True) == [want]


@pytest.mark.parametrize("text", ["months_between(dag, 3)", "months_between(3, dag)", "month_of(3)",
                                  "add_months(3, 1)", "make_date(dag, 1, 1)"])
def test_calendar_functions_refuse_arguments_of_the_wrong_type(text):
    from avtalsregler.errors import ExprError

    with pytest.raises(ExprError, match="needs"):
        value(text, dag=D(2024, 1, 31))


@pytest.mark.parametrize("text,message", [
    ("year(dag, 1)", "takes 1 argument"), ("month(dag, 1)", "takes 1 argument"), ("day(dag, 1)", "takes 1 argument"),
    ("days_in_month(2024)", "takes 2 arguments"), ("make_date(2024, 1)", "takes 3 arguments"),
    ("add_months(dag)", "takes 2 arguments"), ("add_years(dag)", "takes 2 arguments"),
    ("months_between(dag)", "takes 2 arguments"), ("years_to_months(1, 2)", "takes 1 argument"),
    ("month_of(dag, 1)", "takes 1 argument"), ("first_day_of_month(1, 2)", "takes 1 argument"),
])
def test_calendar_functions_refuse_the_wrong_number_of_arguments(text, message):
    from avtalsregler.errors import ExprError

    with pytest.raises(ExprError, match=message):
        value(text, dag=D(2024, 1, 31))


def test_replayed_values_are_written_as_in_a_spec():
    from avtalsregler.language.types import FRAC, to_yaml_value

    assert to_yaml_value(Fraction(1, 4), FRAC) == "25%"
    assert to_yaml_value(Fraction(1, 3), Type("frac", "öre")) == "1/3"
    assert to_yaml_value(123456, MONEY) == "1 234,56 kr"
    assert to_yaml_value(D(2024, 2, 29), Type("date")) == "2024-02-29"


@pytest.mark.parametrize("text,want", [
    ("min(antal, 3)", -2), ("min(3, antal)", -2), ("max(antal, 3)", 3), ("max(3, antal)", 3),
    ("abs(antal)", 2), ("abs(-antal)", 2), ("abs(andel + 3)", Fraction(1, 2)), ("abs(antal + 2)", 0), ("floor(andel)", -3), ("ceil(andel)", -2), ("round(andel)", -2),
    ("round(andel - 1/2)", -3), ("floor(7/2)", 3), ("ceil(7/2)", 4), ("round(5/2)", 3),
    ("implies(flagga, antal > 0)", False), ("implies(not flagga, antal > 0)", True),
    ("antal // 3", -1), ("antal % 3", 1), ("antal // -3", 0), ("antal % -3", -2),
])
def test_core_functions_and_integer_division(text, want):
    """By hand: antal = −2, andel = −5/2 (floor −3, ceil −2, round half up −2), flagga true;
    // and % floor like Python's: −2 // 3 = −1, −2 % 3 = 1, −2 // −3 = 0, −2 % −3 = −2."""
    assert value(text, antal=-2, andel=Fraction(-5, 2), flagga=True) == want


@pytest.mark.parametrize("text,message", [
    ("min(flagga, 1)", "needs numbers"), ("max(1, dag)", "needs numbers"), ("abs(flagga)", "needs numbers"),
    ("floor(dag)", "needs numbers"), ("ceil(flagga)", "needs numbers"), ("round(valt)", "needs numbers"),
    ("min(1)", "takes 2 arguments"), ("abs(1, 2)", "takes 1 argument"), ("implies(flagga)", "takes 2 arguments"),
    ("implies(antal, flagga)", "needs two conditions"), ("implies(flagga, antal)", "needs two conditions"),
])
def test_core_functions_refuse_wrong_arguments(text, message):
    from avtalsregler.errors import ExprError

    with pytest.raises(ExprError, match=message):
        value(text)
