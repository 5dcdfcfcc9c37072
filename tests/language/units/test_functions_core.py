"""Unit tests of functions/core.py (min, max, abs, floor, ceil, round, implies): values derived
by hand, the types the type rules give, and the exact errors with their positions. Fast (the
first entries of the mutation runner's quick subset)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from avtalsregler.errors import ExprError, Span
from avtalsregler.language.expr import Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.semantics import ConcreteOps, Walker
from avtalsregler.language.types import BOOL, FRAC, INT, MONEY, Type

NAMES = {"belopp": MONEY, "antal": INT, "andel": FRAC, "flagga": BOOL, "villkor": BOOL,
         "personer": Type("int", "personer")}
SCOPE = Scope(NAMES, {}, BUILTINS)
ORIGIN = Span("rules/x.yaml", 10, 11)     # the expression starts at column 11 of line 10


def parse(text):
    return parse_expr(text, ORIGIN, None, SCOPE)


def value(text, **env):
    return Walker(ConcreteOps({}), lambda n: env[n]).ev(parse(text))


def refused(text) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize("text,x,want", [
    # min/max in both argument orders, each argument the smaller once and the larger once
    ("min(X, 1)", -1, -1), ("min(X, 1)", 2, 1), ("min(1, X)", -1, -1), ("min(1, X)", 2, 1),
    ("max(X, 1)", -1, 1), ("max(X, 1)", 2, 2), ("max(1, X)", -1, 1), ("max(1, X)", 2, 2),
    ("min(X, 1)", 1, 1), ("max(X, 1)", 1, 1),
    # abs: the sign changes exactly below 0: -1/2 and 1/2 (on either side of 0 within 1), 0, -7
    ("abs(X)", F(-1, 2), F(1, 2)), ("abs(X)", F(1, 2), F(1, 2)), ("abs(X)", 0, 0), ("abs(X)", -7, 7),
    ("abs(X)", F(-3, 2), F(3, 2)),
    # floor towards −∞, ceil towards +∞, round half up (floor(x + 1/2)):
    ("floor(X)", F(7, 2), 3), ("floor(X)", F(-7, 2), -4), ("floor(X)", -3, -3),
    ("ceil(X)", F(7, 2), 4), ("ceil(X)", F(-7, 2), -3), ("ceil(X)", 3, 3),
    ("round(X)", F(1, 2), 1), ("round(X)", F(-1, 2), 0), ("round(X)", F(5, 2), 3),
    ("round(X)", F(-5, 2), -2), ("round(X)", F(1, 3), 0), ("round(X)", F(2, 3), 1),
    ("round(X)", F(-2, 3), -1), ("round(X)", 4, 4), ("round(X)", F(3, 4), 1), ("round(X)", F(1, 4), 0),
])
def test_the_value_of_each_numeric_function(text, x, want):
    """By hand: e.g. round(−1/2) = floor(0) = 0, round(−5/2) = floor(−2) = −2, round(1/3) =
    floor(5/6) = 0, round(2/3) = floor(7/6) = 1, ceil(−7/2) = −floor(7/2) = −3."""
    name = "andel" if isinstance(x, F) else "antal"
    got = value(text.replace("X", name), **{name: x})
    assert got == want


@pytest.mark.parametrize("a,b,want", [(False, False, True), (False, True, True),
                                      (True, False, False), (True, True, True)])
def test_implies_is_the_material_conditional(a, b, want):
    assert value("implies(flagga, villkor)", flagga=a, villkor=b) is want


@pytest.mark.parametrize("text,typ", [
    ("min(antal, andel)", FRAC), ("max(andel, antal)", FRAC), ("min(belopp, 3)", MONEY),
    ("max(personer, 2)", Type("int", "personer")), ("abs(belopp)", MONEY), ("abs(andel)", FRAC),
    ("floor(andel)", INT), ("ceil(belopp * andel)", MONEY), ("round(belopp * andel)", MONEY),
    ("round(personer / 2)", Type("int", "personer")), ("implies(flagga, antal > 0)", BOOL),
])
def test_the_type_of_each_result(text, typ):
    """min/max join their arguments' types; abs keeps its argument's; floor, ceil and round give
    a whole number of the argument's unit (öre for money)."""
    assert parse(text).type == typ


def test_min_and_max_give_the_joined_arguments_to_the_evaluation():
    """The checked call holds both arguments, in order (the join converts, never drops one)."""
    e = parse("min(antal, andel)")
    assert [a.args[0] for a in e.args] == ["antal", "andel"]
    e = parse("max(andel, antal)")
    assert [a.args[0] for a in e.args] == ["andel", "antal"]


@pytest.mark.parametrize("text,message,col,hint", [
    ("min(1)", "min() takes 2 arguments, not 1", 11, "write min(a, b)"),
    ("min(1, 2, 3)", "min() takes 2 arguments, not 3", 11, "write min(a, b)"),
    ("max(1)", "max() takes 2 arguments, not 1", 11, "write max(a, b)"),
    ("max(1, 2, 3)", "max() takes 2 arguments, not 3", 11, "write max(a, b)"),
    ("abs(1, 2)", "abs() takes 1 argument, not 2", 11, "write abs(a)"),
    ("abs()", "abs() takes 1 argument, not 0", 11, "write abs(a)"),
    ("floor(1, 2)", "floor() takes 1 argument, not 2", 11, "write floor(x)"),
    ("ceil()", "ceil() takes 1 argument, not 0", 11, "write ceil(x)"),
    ("round(1, 2)", "round() takes 1 argument, not 2", 11, "write round(x)"),
    ("implies(flagga)", "implies() takes 2 arguments, not 1", 11, "write implies(a, b)"),
    ("implies(flagga, flagga, flagga)", "implies() takes 2 arguments, not 3", 11, "write implies(a, b)"),
    # a wrong argument is shown where it stands: min(1, flagga) → column 11 + 7
    ("min(1, flagga)", "min() needs numbers, not bool", 18, "write min(a, b)"),
    ("min(flagga, 1)", "min() needs numbers, not bool", 15, "write min(a, b)"),
    ("max(2, flagga)", "max() needs numbers, not bool", 18, "write max(a, b)"),
    ("abs(flagga)", "abs() needs numbers, not bool", 15, "write abs(a)"),
    ("floor(flagga)", "floor() needs numbers, not bool", 17, "write floor(x)"),
    ("ceil(flagga)", "ceil() needs numbers, not bool", 16, "write ceil(x)"),
    ("round(flagga)", "round() needs numbers, not bool", 17, "write round(x)"),
    ("implies(flagga, 1)", "implies() needs two conditions, not int", 27, None),
    ("implies(1, flagga)", "implies() needs two conditions, not int", 19, None),
])
def test_wrong_calls_are_refused_with_the_exact_message_and_position(text, message, col, hint):
    err = refused(text)
    assert (err.message, err.span.line, err.span.col, err.hint) == (message, 10, col, hint)


@pytest.mark.parametrize("text", ["min(flagga, 1)", "abs(flagga)", "floor(flagga)", "ceil(flagga)",
                                  "round(flagga)", "implies(antal, flagga)"])
def test_a_wrong_argument_is_refused_before_any_evaluation(text):
    """Refused by the type rule (ExprError), never silently evaluated."""
    refused(text)
