"""Unit tests of language/types.py: how a type is named in a message, the literal patterns the
loader reads values with, an amount of money read from text, and a value shown to a lawyer or
written back into a spec file. Expected strings are written by hand from the rules in the
docstrings (kronor with two öre digits, a rate as a percentage where it is a whole one)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from avtalsregler.errors import Span
from avtalsregler.language.types import (
    BOOL, DATE, DAYS, DEC_RE, FRAC, FRAC_RE, INT, INT_RE, LITERAL_INT, MONEY, MONEY_UNIT, PERCENT_RE, SIMPLE_TYPES,
    EnumType, Type, format_fraction, format_kr, parse_money_text, show, to_yaml_value)

OMRADE = EnumType("omrade", ("a", "b"), {"a": "Område A", "b": "Område B"}, "§4", Span("x", 1, 1),
                  {"a": "0180", "b": "1480"})
ENUMS = {"omrade": OMRADE}
FRAC_ORE = Type("frac", "öre")


@pytest.mark.parametrize("t,name", [
    (INT, "int"), (MONEY, "money"), (DAYS, "int[dagar]"), (LITERAL_INT, "int"), (FRAC, "fraction"),
    (FRAC_ORE, "fraction[öre]"), (Type("frac", "*"), "fraction"), (BOOL, "bool"), (DATE, "date"),
    (Type("enum", enum="omrade"), "omrade"), (Type("enum"), "enum"),
    (Type("map", enum="omrade", elem=MONEY), "map[omrade → money]"),
])
def test_a_type_is_named_as_a_message_shows_it(t, name):
    assert str(t) == name


def test_the_simple_types_and_their_properties():
    assert MONEY_UNIT == "öre" and MONEY == Type("int", "öre") and DAYS == Type("int", "dagar")
    assert LITERAL_INT == Type("int", "*") and INT == Type("int") and FRAC == Type("frac")
    assert SIMPLE_TYPES == {"money": MONEY, "int": INT, "fraction": FRAC, "bool": BOOL, "date": DATE}
    assert [t.numeric for t in (INT, MONEY, FRAC, FRAC_ORE, BOOL, DATE, Type("enum", enum="omrade"))] == \
        [True, True, True, True, False, False, False]
    assert [t.is_money for t in (MONEY, INT, DAYS, FRAC_ORE, LITERAL_INT)] == [True, False, False, False, False]


def test_an_enumeration_member_by_label_and_by_code():
    assert OMRADE.label("b") == "Område B"
    assert EnumType("e", ("x",), {}, "§1", Span("x", 1, 1)).label("x") == "x"     # no label: the id
    assert OMRADE.by_code("1480") == "b" and OMRADE.by_code("0180") == "a"
    assert OMRADE.by_code("9999") is None


@pytest.mark.parametrize("pattern,good,bad", [
    (INT_RE, ["0", "-5", "1234", "1 234", "1_234", "12 345 678", "1\u00a0234"], ["1 23", "12,5", "a", "1 2345"]),
    (PERCENT_RE, ["2 %", "2,5%", "-1.25 %"], ["2", "%", "2,5"]),
    (FRAC_RE, ["1/3", "-2 / 7"], ["1/-3", "1.5/2", "1/"]),
    (DEC_RE, ["2", "2.5", "-2,25"], ["2.", ".5", "1/2"]),
])
def test_the_literal_patterns(pattern, good, bad):
    assert all(pattern.match(s) for s in good), good
    assert not any(pattern.match(s) for s in bad), bad


def test_the_parts_a_pattern_gives():
    assert PERCENT_RE.match("2,5 %").group(1) == "2,5"
    assert FRAC_RE.match("-2 / 7").groups() == ("-2", "7")


@pytest.mark.parametrize("text,ore", [
    ("12 kr", 1200), ("12 kronor", 1200), ("12,5 kr", 1250), ("12,05 kr", 1205), ("1 234,50 kr", 123450),
    ("1\u202f234 kr", 123400), ("-3 kr", -300), ("- 3,10 kr", -310), ("250 öre", 250), ("-250 öre", -250),
    ("  7 kr ", 700), ("0 kr", 0),
    ("1" * 30 + " öre", int("1" * 30)),        # at most 30 digits
])
def test_an_amount_of_money_read_from_text(text, ore):
    assert parse_money_text(text) == ore


@pytest.mark.parametrize("text", ["2,50 öre", "12", "12 kr extra", "12,505 kr", "kr", "1" * 31 + " öre",
                                  "1" * 31 + " kr"])
def test_a_text_that_is_no_amount_of_money(text):
    assert parse_money_text(text) is None


@pytest.mark.parametrize("ore,shown", [(-1, "-0,01 kr"), (1, "0,01 kr"), (99, "0,99 kr"), (100, "1,00 kr"),
                                       (-101, "-1,01 kr"), (100000, "1 000,00 kr")])
def test_money_in_kronor_at_the_edges(ore, shown):
    assert format_kr(ore) == shown


@pytest.mark.parametrize("x,shown", [
    (Fraction(1, 4), "25 %"), (Fraction(1, 3), "1/3"), (Fraction(3), "300 %"), (Fraction(0), "0 %"),
    (Fraction(1, 200), "1/200"), (Fraction(-1, 2), "-50 %"), (Fraction(101, 400), "101/400"),
    (Fraction(1, 100), "1 %"),
])
def test_a_rate_is_shown_as_a_percentage_when_it_is_a_whole_one(x, shown):
    assert format_fraction(x) == shown


@pytest.mark.parametrize("value,t,shown", [
    (123456, MONEY, "1 234,56 kr"), (5, DAYS, "5 dagar"), (12345, DAYS, "12 345 dagar"), (5, LITERAL_INT, "5"),
    (2022, INT, "2022"), (-12345, INT, "-12 345"),
    (Fraction(250), FRAC_ORE, "2,50 kr"), (Fraction(501, 2), FRAC_ORE, "2,50 kr + 1/2 öre"),
    (Fraction(-1, 3), FRAC_ORE, "-0,01 kr + 2/3 öre"),       # floor: -1 öre, and 2/3 of one öre
    (Fraction(1, 4), FRAC, "25 %"), (1, FRAC, "100 %"),
    (True, BOOL, "ja"), (False, BOOL, "nej"), (datetime.date(2024, 2, 29), DATE, "2024-02-29"),
    ("b", Type("enum", enum="omrade"), "Område B"),
    ({"b": 200, "a": 100}, Type("map", enum="omrade", elem=MONEY), "Område A: 1,00 kr; Område B: 2,00 kr"),
])
def test_a_value_shown_as_a_lawyer_reads_it(value, t, shown):
    assert show(value, t, ENUMS) == shown


@pytest.mark.parametrize("value,t,written", [
    (123456, MONEY, "1 234,56 kr"), (5, DAYS, 5), (7, INT, 7),
    (Fraction(250), FRAC_ORE, "250"), (Fraction(501, 2), FRAC_ORE, "501/2"), (3, FRAC_ORE, "3"),
    (Fraction(1, 4), FRAC, "25%"), (Fraction(1, 3), FRAC, "1/3"), (Fraction(1, 3), Type("frac", "*"), "1/3"),
    (datetime.date(2024, 2, 29), DATE, "2024-02-29"), (True, BOOL, True), ("b", Type("enum", enum="omrade"), "b"),
    ({"a": 100, "b": Fraction(1, 2)}, Type("map", enum="omrade", elem=FRAC_ORE), {"a": "100", "b": "1/2"}),
])
def test_a_value_written_back_as_a_spec_file_reads_it(value, t, written):
    assert to_yaml_value(value, t) == written
