"""The expression language: what it accepts, what it refuses, and where it says so."""

from __future__ import annotations

from fractions import Fraction

import pytest

from avtalsregler.errors import ExprError, Span
from avtalsregler.language.expr import Scope
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.semantics import ConcreteOps, Walker
from avtalsregler.language.types import BOOL, DATE, FRAC, INT, MONEY, EnumType, Type

ENUMS = {"omrade": EnumType("omrade", ("a", "b"), {"a": "Område A", "b": "Område B"}, "§4", Span("x", 1, 1))}
NAMES = {"belopp": MONEY, "antal": INT, "andel": FRAC, "flagga": BOOL, "dag": DATE,
         "per_omrade": Type("map", enum="omrade", elem=MONEY), "valt": Type("enum", enum="omrade"),
         "personer": Type("int", "personer")}
SCOPE = Scope(NAMES, ENUMS, BUILTINS)
ORIGIN = Span("rules/x.yaml", 10, 11)


def parse(text):
    return parse_expr(text, ORIGIN, None, SCOPE)


def value(text, **env):
    e = parse(text)
    return Walker(ConcreteOps(ENUMS), lambda n: env[n]).ev(e)


@pytest.mark.parametrize("text,message", [
    ("belopp.real", "attribute access"),
    ("__import__('os')", "is not a built-in function"),
    ("eval('1')", "is not a built-in function"),
    ("open('x')", "is not a built-in function"),
    ("belopp ** 2", "'**' (power) is not allowed"),
    ("(lambda x: x)(1)", "only built-in functions can be called"),
    ("lambda x: x", "a lambda is not allowed"),
    ("[x for x in omrade]", "a comprehension is not allowed"),
    ("sum(x for x in omrade)", "a comprehension is not allowed"),
    ("sum(omrade, 1)", "first argument of sum() must be 'k in ENUMERATION'"),
    ("{1: 2}", "a dict literal is not allowed"),
    ("[1, 2]", "a list literal is not allowed"),
    ("belopp * 0.5", "the decimal number 0.5 is not allowed"),
    ("okand + 1", "unknown name 'okand'"),
    ("belopp + personer", "mixes units"),
    ("belopp * belopp", "multiplies two quantities with units"),
    ("flagga + 1", "cannot apply '+'"),
    ("min(belopp)", "min() takes 2 arguments"),
    ("max(belopp, b=1)", "takes no keyword arguments"),
    ("valt == 'c'", "'c' is not a value of omrade"),
    ("belopp if flagga else flagga", "different types"),
    ("(x := 1)", "assignment expression"),
    ("f'{belopp}'", "f-string"),
    ("belopp +", "syntax error"),
    ("import os", "syntax error"),
    ("belopp[0]", "only maps can be indexed"),
    ("belopp // andel", "needs whole numbers"),
    ("dag + belopp", "mixes units"),
    # a bound name may not hide a name of the rule or of an outer binder: the body would read
    # another value than the one its author named (sample D of scripts/MUTATION.md, parser.py:244)
    ("forall(belopp in omrade, per_omrade[belopp] >= 0)", "the bound name 'belopp' hides another name"),
    ("forall(k in omrade, forall(k in omrade, per_omrade[k] >= 0))", "the bound name 'k' hides another name"),
    # sum() adds numbers only (sample E, parser.py:279)
    ("sum(k in omrade, flagga)", "sum() adds numbers, not bool"),
    ("sum(k in omrade, dag)", "sum() adds numbers, not date"),
])
def test_refused(text, message):
    with pytest.raises(ExprError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.span.path == "rules/x.yaml" and info.value.span.line == 10


def test_error_column_points_into_the_expression():
    with pytest.raises(ExprError) as info:
        parse("belopp + okand")
    assert info.value.span.col == 11 + 9  # the scalar starts at column 11; 'okand' at offset 9


@pytest.mark.parametrize("text,offset", [
    ("min(belopp,, 1)", 11),     # Python reports the second comma, character 12: offset 11
    ("* belopp", 0),             # the first character
    ("belopp +", 0),             # Python gives no offset (0) here: the start of the expression
])
def test_a_syntax_error_points_at_the_offending_character(text, offset):
    with pytest.raises(ExprError) as info:
        parse(text)
    assert "syntax error" in info.value.message and info.value.span.col == 11 + offset   # the scalar starts at column 11


def test_a_syntax_error_on_the_second_line_of_a_block_expression():
    with pytest.raises(ExprError) as info:
        parse_expr("(belopp +\n min(belopp,, 1))\n", ORIGIN, "|", SCOPE)
    # a block scalar (``|``) starts on the line after the key (10 + 1) and is indented two
    # columns (11 + 2); Python reports line 2, the second comma at offset 12
    assert (info.value.span.line, info.value.span.col) == (10 + 1 + 1, 11 + 2 + 12)


def test_name_suggestion():
    with pytest.raises(ExprError) as info:
        parse("belop + 1")
    assert "did you mean 'belopp'" in info.value.hint


def test_exact_arithmetic_without_floats():
    assert value("belopp / 3", belopp=100) == Fraction(100, 3)
    assert value("floor(belopp / 3)", belopp=100) == 33
    assert value("ceil(belopp / 3)", belopp=100) == 34
    assert value("round(belopp / 8)", belopp=12) == 2      # 1,5 rounds up
    assert value("round(belopp / 8)", belopp=11) == 1      # 1,375
    assert value("-7 // 2") == -4 and value("-7 % 2") == 1  # floor division, as Python
    assert value("andel * belopp", andel=Fraction(1, 2), belopp=3) == Fraction(3, 2)


def test_binders_and_maps():
    m = {"a": 5, "b": 7}
    assert value("sum(k in omrade, per_omrade[k])", per_omrade=m) == 12
    assert value("forall(k in omrade, per_omrade[k] > 4)", per_omrade=m) is True
    assert value("exists(k in omrade, per_omrade[k] > 6)", per_omrade=m) is True
    assert value("count(k in omrade, per_omrade[k] > 6)", per_omrade=m) == 1
    assert value("per_omrade[valt]", per_omrade=m, valt="b") == 7
    assert value("valt == 'Område B'", valt="b") is True      # a label names the value too


def test_if_is_lazy_in_the_exact_semantics():
    assert value("0 if antal == 0 else belopp / antal", antal=0, belopp=1) == 0


def test_chained_comparison():
    assert value("0 <= antal <= 10", antal=5) is True
    assert value("0 <= antal <= 10", antal=11) is False


def test_an_error_after_the_first_line_of_a_flow_expression_is_at_a_real_position():
    """A plain or quoted expression whose text has a line break, parsed without the loader's map
    of the scalar (``place``): the parser knows the text only, so it maps the text's line k to
    the file's line origin + k, counted from column 1 (1-based: never column 0, never the first
    line). The loader gives the map, and with it the exact place in the file for every YAML
    scalar style: tests/project/test_expr_positions.py (see scripts/MUTATION.md, parser.py:73)."""
    for style in (None, '"', "'"):
        with pytest.raises(ExprError) as info:
            parse_expr("(belopp +\nokand)", ORIGIN, style, SCOPE)
        assert "unknown name 'okand'" in info.value.message
        assert (info.value.span.line, info.value.span.col) == (10 + 1, 1), style
