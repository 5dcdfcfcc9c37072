"""Type rules the mutation run found untested: what may be compared with what, and a text
literal joined with an enumeration value (either side first)."""

from __future__ import annotations

import pytest

from avtalsregler.errors import ExprError

from .test_expr import parse, value


@pytest.mark.parametrize("text", ["antal < flagga", "flagga >= antal", "dag == antal", "belopp < dag"])
def test_a_number_is_not_compared_with_a_condition_or_a_date(text):
    with pytest.raises(ExprError, match="cannot compare"):
        parse(text)


@pytest.mark.parametrize("text", ["'a' if flagga else valt", "valt if flagga else 'b'"])
def test_a_text_literal_joined_with_an_enumeration_value_becomes_one(text):
    e = parse(text)
    assert e.type.kind == "enum" and e.type.enum == "omrade"
    assert value(text, flagga=True, valt="b") == ("a" if text.startswith("'a'") else "b")


@pytest.mark.parametrize("text", ["'c' if flagga else valt", "valt if flagga else 'c'"])
def test_a_text_literal_that_is_no_member_is_refused(text):
    with pytest.raises(ExprError, match="'c' is not a value of omrade"):
        parse(text)


@pytest.mark.parametrize("text", ["antal + flagga", "flagga * antal", "valt - antal"])
def test_arithmetic_needs_two_numbers(text):
    with pytest.raises(ExprError, match="cannot apply"):
        parse(text)


def test_a_number_and_a_condition_have_no_common_type():
    with pytest.raises(ExprError, match="different types"):
        parse("antal if flagga else flagga")


def test_a_text_literal_compared_with_an_enumeration_value_either_side():
    assert value("'a' == valt", valt="a") is True and value("valt != 'a'", valt="b") is True
    with pytest.raises(ExprError, match="'c' is not a value of omrade"):
        parse("'c' == valt")


def test_values_of_two_different_enumerations_cannot_be_compared():
    from avtalsregler.errors import Span
    from avtalsregler.language.expr import Scope
    from avtalsregler.language.functions import BUILTINS
    from avtalsregler.language.parser import parse_expr
    from avtalsregler.language.types import EnumType, Type

    from .test_expr import ENUMS, ORIGIN

    enums = {**ENUMS, "farg": EnumType("farg", ("a", "b"), {"a": "Färg A", "b": "Färg B"}, "§4", Span("x", 2, 1))}
    scope = Scope({"valt": Type("enum", enum="omrade"), "vald_farg": Type("enum", enum="farg")}, enums, BUILTINS)
    assert parse_expr("valt == 'a'", ORIGIN, None, scope).type.kind == "bool"       # one enumeration: fine
    with pytest.raises(ExprError, match="cannot compare"):                            # same value ids, other enumeration
        parse_expr("valt == vald_farg", ORIGIN, None, scope)


def test_a_long_flat_expression_with_many_brackets_is_not_nesting():
    """The nesting bound (60) counts open brackets, not operators or brackets already closed:
    31 doubly bracketed terms in a row (62 brackets opened in all) are depth 2."""
    text = " + ".join(["((belopp))"] * 31)
    assert parse(text).type.unit == "öre"
    with pytest.raises(ExprError, match="nested more than 60 deep"):
        parse("(" * 61 + "belopp" + ")" * 61)
    with pytest.raises(ExprError, match="nested more than 60 deep"):    # operators inside do not close a bracket
        parse("(belopp + " * 61 + "belopp" + ")" * 61)


def test_the_nesting_bound_counts_each_level_once_also_without_brackets():
    """Conditional expressions nest without any bracket, so only the parser's own depth bound
    (60, one per level) sees them: 60 nested ``x if c else …`` are accepted, 61 are refused. 40
    nested calls (40 brackets, 40 levels) are accepted too: each level counts once, not twice."""
    from .test_expr import parse

    assert parse("belopp if flagga else " * 60 + "belopp").type.unit == "öre"
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("belopp if flagga else " * 61 + "belopp")
    assert parse("min(" * 40 + "belopp" + ", belopp)" * 40).type.unit == "öre"
