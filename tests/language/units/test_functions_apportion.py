"""Unit tests of functions/apportion.py: quota() and apportion() (largest remainder, ties to the
party listed first) in BOTH meanings (exact, and Z3's own without folding; meanings.py), on
values derived by hand; what is undefined; the type rule with its exact messages; the sharing
of one call's terms in Z3's meaning; the Swedish explanation. Fast."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from avtalsregler.errors import ExprError, Span
from avtalsregler.language.functions import apportion as ap
from avtalsregler.language.types import FRAC, INT, MONEY, Type
from avtalsregler.prover.z3ops import Z3Ops

from .meanings import ENUMS, both, exact, parse, symbolic, undefined_in_both

W = Type("map", enum="omrade", elem=INT)


@pytest.mark.parametrize("total,weights,want", [
    # 100 / 3 = 33 + 1/3 each: floors 99, 1 left, equal rests: to A (listed first)
    (100, {"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
    # 101 / 3 = 33 + 2/3 each: floors 99, 2 left: A and B
    (101, {"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 34, "c": 33}),
    # 100 · 1/6, 2/6, 3/6 = 16 + 2/3, 33 + 1/3, 50: floors 99, 1 left to the largest rest (A);
    # C's quota is whole, it gets no extra unit
    (100, {"a": 1, "b": 2, "c": 3}, {"a": 17, "b": 33, "c": 50}),
    # 101 · 0, 1/2, 1/2 = 0, 50 + 1/2, 50 + 1/2: 1 left, equal rests: B before C; A none
    (101, {"a": 0, "b": 1, "c": 1}, {"a": 0, "b": 51, "c": 50}),
    (101, {"a": 3, "b": 0, "c": 0}, {"a": 101, "b": 0, "c": 0}),
    # 2 / 3 = 0 + 2/3 each: 2 left, A and B
    (2, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1, "c": 0}),
    # 99 · 1/3, 1/3, 1/3 = 33 each, nothing left
    (99, {"a": 5, "b": 5, "c": 5}, {"a": 33, "b": 33, "c": 33}),
    (0, {"a": 1, "b": 2, "c": 3}, {"a": 0, "b": 0, "c": 0}),
    # −100 / 3 = −34 + 2/3 each: floors −102, 2 left: A and B
    (-100, {"a": 1, "b": 1, "c": 1}, {"a": -33, "b": -33, "c": -34}),
    # 10 · 1/7, 2/7, 4/7 = 1 + 3/7, 2 + 6/7, 5 + 5/7: floors 8, 2 left: B (6/7) and C (5/7)
    (10, {"a": 1, "b": 2, "c": 4}, {"a": 1, "b": 3, "c": 6}),
])
def test_apportion_by_the_largest_remainder_in_both_meanings(total, weights, want):
    assert both("apportion(belopp, vikt)", belopp=total, vikt=weights) == want
    assert sum(want.values()) == total


def test_the_tie_break_follows_the_enumeration_not_the_order_of_the_weights():
    # the same weights given C, B, A: still A first (100 / 3: one unit over)
    assert exact("apportion(belopp, vikt)", belopp=100, vikt={"c": 1, "b": 1, "a": 1}) == {"a": 34, "b": 33, "c": 33}
    assert list(exact("quota(belopp, vikt)", belopp=100, vikt={"c": 1, "b": 2, "a": 3})) == ["a", "b", "c"]


@pytest.mark.parametrize("total,weights,want", [
    (100, {"a": 1, "b": 2, "c": 3}, {"a": F(50, 3), "b": F(100, 3), "c": F(50)}),
    (7, {"a": 0, "b": 0, "c": 2}, {"a": 0, "b": 0, "c": 7}),
    (-9, {"a": 1, "b": 1, "c": 1}, {"a": -3, "b": -3, "c": -3}),
])
def test_quota_is_the_exact_share(total, weights, want):
    assert both("quota(belopp, vikt)", belopp=total, vikt=weights) == want


def test_fraction_weights():
    # weights 1/2, 1/4, 1/4 (sum 1): 100 → 50, 25, 25 exactly; 101 → 50 + 1/2, 25 + 1/4, 25 + 1/4:
    # floors 100, 1 left to A
    w = {"a": F(1, 2), "b": F(1, 4), "c": F(1, 4)}
    assert both("quota(belopp, bvikt)", belopp=100, bvikt=w) == {"a": 50, "b": 25, "c": 25}
    assert both("apportion(belopp, bvikt)", belopp=101, bvikt=w) == {"a": 51, "b": 25, "c": 25}


@pytest.mark.parametrize("fn", ["quota", "apportion"])
@pytest.mark.parametrize("weights,message", [
    ({"a": 0, "b": 0, "c": 0}, "apportionment with weights that sum to zero"),
    ({"a": -1, "b": 2, "c": 0}, "apportionment with a negative weight"),
    ({"a": 2, "b": 0, "c": -1}, "apportionment with a negative weight"),
    ({"a": -1, "b": 0, "c": 0}, "apportionment with weights that sum to zero"),
])
def test_weights_that_are_negative_or_sum_to_zero_are_undefined_in_both_meanings(fn, weights, message):
    assert undefined_in_both(f"{fn}(belopp, vikt)", belopp=100, vikt=weights) == message


def test_calls_with_different_arguments_are_not_shared_in_z3s_meaning():
    # apportion(102) gives C 34, apportion(100) gives C 33 (by hand, as above)
    text = "apportion(belopp + 2, vikt)['c'] - apportion(belopp, vikt)['c']"
    assert both(text, belopp=100, vikt={"a": 1, "b": 1, "c": 1}) == 1
    text = "quota(belopp + 3, vikt)['c'] - quota(belopp, vikt)['c']"
    assert both(text, belopp=100, vikt={"a": 1, "b": 1, "c": 1}) == 1
    assert both("quota(belopp, vikt)['a'] - quota(belopp, bvikt)['a']", belopp=100,
                vikt={"a": 1, "b": 1, "c": 1}, bvikt={"a": 2, "b": 1, "c": 1}) == F(100, 3) - 50


def test_equal_calls_share_one_set_of_terms_in_z3s_meaning():
    """The docstring's promise: every call with the same total and weights gets the same shares
    (the same auxiliaries, so a proof relates them without re-deriving them)."""
    assert both("apportion(belopp, vikt)['a'] + apportion(belopp, vikt)['b']", belopp=101,
                vikt={"a": 1, "b": 1, "c": 1}) == 68
    assert both("quota(belopp, vikt)['a'] + quota(belopp, vikt)['b']", belopp=101,
                vikt={"a": 1, "b": 1, "c": 1}) == F(202, 3)
    ops = Z3Ops(ENUMS)
    total, w = ops.var("t", MONEY), ops.var("w", W)
    span = Span("x", 1, 1)
    first = ap.largest_remainder(ops, total, w, span)
    assert ap.largest_remainder(ops, total, w, span) is first
    assert ap.quotas(ops, total, w, span) is ap.quotas(ops, total, w, span)
    other = ap.largest_remainder(ops, total + 1, w, span)
    assert other is not first and not any(a.eq(b) for a, b in zip(first, other))


@pytest.mark.parametrize("text,typ", [
    ("quota(belopp, vikt)", Type("map", enum="omrade", elem=Type("frac", "öre"))),
    ("quota(3, vikt)", Type("map", enum="omrade", elem=FRAC)),
    ("quota(tal, bvikt)", Type("map", enum="omrade", elem=FRAC)),
    ("apportion(belopp, vikt)", Type("map", enum="omrade", elem=MONEY)),
    ("apportion(personer, bvikt)", Type("map", enum="omrade", elem=Type("int", "personer"))),
    ("apportion(3, vikt)", Type("map", enum="omrade", elem=INT)),
])
def test_the_type_of_the_result(text, typ):
    """A map over the weights' enumeration, of the total's unit (a bare number has none)."""
    assert parse(text).type == typ


@pytest.mark.parametrize("text,message,col,hint", [
    ("apportion(andel, vikt)", "the total of apportion() must be a whole number (money in öre), not fraction", 21,
     "write apportion(total, weights)"),
    ("quota(flagga, vikt)", "the total of quota() must be a whole number (money in öre), not bool", 17,
     "write quota(total, weights)"),
    ("quota(belopp, belopp)", "the weights of quota() must be a map from an enumeration to numbers, not money", 25,
     "write quota(total, weights)"),
    ("apportion(belopp, flaggor)", "the weights of apportion() must be a map from an enumeration to numbers, "
     "not map[omrade → bool]", 29, "write apportion(total, weights)"),
    ("apportion(belopp)", "apportion() takes 2 arguments, not 1", 11, "write apportion(total, weights)"),
    ("quota(belopp, vikt, vikt)", "quota() takes 2 arguments, not 3", 11, "write quota(total, weights)"),
])
def test_wrong_calls_are_refused_with_the_exact_message_and_position(text, message, col, hint):
    with pytest.raises(ExprError) as info:
        parse(text)
    err = info.value
    assert (err.message, err.span.line, err.span.col, err.hint) == (message, 10, col, hint)


P = Type("int", "personer")


def test_the_explanation_line_by_line():
    # 10 personer / 3: 3 + 1/3 each, floors 9, 1 over to A (equal rests, listed first)
    lines = ap.explain_apportion([10, {"a": 1, "b": 1, "c": 1}], [P, W], {"a": 4, "b": 3, "c": 3}, ENUMS)
    assert lines == [
        "exakt andel = 10 personer × vikt / 3; heltal nedåt, överblivna personer till största rest "
        "(lika rest: först uppräknad först)",
        "Område A: 10 / 3 = 3 personer + 1/3 → 4 personer  (+1 personer: stor rest)",
        "Område B: 10 / 3 = 3 personer + 1/3 → 3 personer",
        "Område C: 10 / 3 = 3 personer + 1/3 → 3 personer",
        "överblivna personer: 10 − 9 = 1"]
    assert ap.explain_apportion([10, {"a": 1, "b": 1, "c": 1}], [P, W], {"a": 4, "b": 3, "c": 3}, ENUMS,
                                compact=True) == ["10 = 3 × 3 + 1 → 4 personer, 3 personer, 3 personer"]


def test_the_explanation_of_fraction_weights_and_a_plain_total():
    # weights 1/2, 1/4, 1/4 sum to 1 (shown "1"): 10 → 5, 2 + 1/2, 2 + 1/2; floors 9, 1 over to B
    lines = ap.explain_apportion([10, {"a": F(1, 2), "b": F(1, 4), "c": F(1, 4)}], [INT, W],
                                 {"a": 5, "b": 3, "c": 2}, ENUMS)
    assert lines[0].startswith("exakt andel = 10 enheter × vikt / 1; heltal nedåt, överblivna enheter")
    assert lines[1] == "Område A: 5 / 1 = 5 enheter + 0/1 → 5"
    # the rest 1/2 over the weight sum 1 is written "1/2/1" (read: (1/2)/1)
    assert lines[2] == "Område B: 5/2 / 1 = 2 enheter + 1/2/1 → 3  (+1 enheter: stor rest)"
    assert lines[3] == "Område C: 5/2 / 1 = 2 enheter + 1/2/1 → 2"
    assert lines[4] == "överblivna enheter: 10 − 9 = 1"
    # weights summing to 3/2 are shown as the fraction: 10 · (1/2) / (3/2) = 3 + 1/3 each
    lines = ap.explain_apportion([10, {"a": F(1, 2), "b": F(1, 2), "c": F(1, 2)}], [INT, W],
                                 {"a": 4, "b": 3, "c": 3}, ENUMS)
    assert lines[0].startswith("exakt andel = 10 enheter × vikt / 3/2;")
    # 5 // (3/2) = 3, rest 5 − 3 · 3/2 = 1/2
    assert lines[1] == "Område A: 5 / 3/2 = 3 enheter + 1/2/3/2 → 4  (+1 enheter: stor rest)"
    assert lines[-1] == "överblivna enheter: 10 − 9 = 1"


def test_the_explanation_of_money_over_a_subset_of_the_parties():
    # only A and C weighted (B not in the map): 101 öre · 1/2 = 50 + 1/2 each, 1 öre over to A
    lines = ap.explain_apportion([101, {"a": 1, "c": 1}], [MONEY, W], {"a": 51, "c": 50}, ENUMS)
    assert lines == [
        "exakt andel = 101 öre × vikt / 2; heltal nedåt, överblivna öre till största rest "
        "(lika rest: först uppräknad först)",
        "Område A: 101 / 2 = 50 öre + 1/2 → 0,51 kr  (+1 öre: stor rest)",
        "Område C: 101 / 2 = 50 öre + 1/2 → 0,50 kr",
        "överblivna öre: 101 − 100 = 1"]
    assert ap.explain_apportion([101, {"a": 1, "c": 1}], [MONEY, W], {"a": 51, "c": 50}, ENUMS, compact=True) == \
        ["101 = 2 × 50 + 1 → 0,51 kr, 0,50 kr"]
    # unequal whole weights: listed; 1 234 567 öre shown in groups of three
    assert ap.explain_apportion([1234567, {"a": 1, "b": 2}], [MONEY, W], {"a": 411522, "b": 823045}, ENUMS,
                                compact=True) == ["1 234 567 efter vikterna 1, 2 → 4 115,22 kr, 8 230,45 kr"]
    # a total with the unit '*' (a bare number) is counted in "enheter"
    lines = ap.explain_apportion([3, {"a": 1, "b": 1}], [Type("int", "*"), W], {"a": 2, "b": 1}, ENUMS)
    assert lines[0].startswith("exakt andel = 3 enheter × vikt / 2;") and lines[-1] == "överblivna enheter: 3 − 2 = 1"
