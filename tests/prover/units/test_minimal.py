"""Unit tests of prover/minimal.py: which inputs a counterexample shows, when shown values are
admissible, the round units and the rounding search, and the compact display of a map.

The rules are small test fixtures of the soundness corpus (tests/prover/soundness/corpus.py),
not part of the project. Expected values are derived by hand in each test."""

from __future__ import annotations

from fractions import Fraction

import pytest
import z3

from avtalsregler.language.types import BOOL, DATE, FRAC, INT, MONEY, Type
from avtalsregler.prover import minimal
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.minimal import (admissible, minimal_counterexample, relevant_inputs, shown_compact,
                                         units_of)

from ..soundness.corpus import prover

MONEY_IN = {"type": "money", "min": 0, "max": "100 000 000 kr"}
NUM = {"type": "int", "min": 0, "max": 1000000}
# a sum split in two parts (tied by an assumption), a chain c ~ d ~ e of assumptions listed so
# that one pass over them is not enough, and an unrelated flag
CONE = dict(
    inputs={"summa": MONEY_IN, "del_a": MONEY_IN, "del_b": MONEY_IN, "c": NUM, "d": NUM, "e": NUM,
            "f": NUM, "flagga": "bool"},
    assume=["del_a + del_b == summa", "d <= e", "c <= d", "f >= 0"],
    definitions={"tva_tredjedelar": ("money", "floor(2 * summa / 3)"), "cd": ("int", "c + 1")},
    invariants={"del_a_hogst": "del_a <= tva_tredjedelar", "cd_liten": "cd < 5"})


def inv_of(p, name: str):
    return next(i for i in p.spec.invariants if i.name == name)


def test_the_inputs_that_matter_are_those_read_closed_under_the_assumptions():
    p, _ = prover(**CONE)
    free = set(p.clause.inputs)
    assert relevant_inputs(p.clause, {"del_a", "tva_tredjedelar"}, free) == {"summa", "del_a", "del_b"}
    # c is tied to d (second pass) and d to e (the tie before it in the list)
    assert relevant_inputs(p.clause, {"cd"}, free) == {"c", "d", "e"}
    assert relevant_inputs(p.clause, {"flagga"}, free) == {"flagga"}
    assert relevant_inputs(p.clause, {"f"}, free) == {"f"}       # its own tie only
    assert relevant_inputs(p.clause, set(), free) == set()


BOUNDS = dict(inputs={"x": {"type": "int", "min": -3, "max": 7}, "y": "int",
                      "m": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 5}},
              assume=["x <= y", "floor(10 / y) >= 0"],
              parameters={"g": {"type": "int", "value": 2}},
              ranges={"g": {"min": 1, "max": 4}},
              invariants={"sann": {"holds": "x <= g + 10", "parameters": "ranges"}})


def test_admissible_values_lie_in_their_ranges_and_meet_the_assumptions_on_them():
    p, project = prover(**BOUNDS)
    c, enums = p.clause, project.enums
    ranges = p.spec.parameter_ranges
    ok = lambda v: admissible(c, enums, ranges, v)          # noqa: E731
    assert ok({"x": -3}) is True and ok({"x": 7}) is True   # the bounds themselves
    assert ok({"x": -4}) is False and ok({"x": 8}) is False
    assert ok({"y": 10 ** 12}) is True                       # no bounds
    assert ok({"g": 1}) is True and ok({"g": 4}) is True     # a parameter over its range
    assert ok({"g": 0}) is False and ok({"g": 5}) is False
    assert ok({"m": {"p1": 0, "p2": 5, "p3": 3}}) is True
    assert ok({"m": {"p1": 0, "p2": 6, "p3": 3}}) is False and ok({"m": {"p1": -1, "p2": 0, "p3": 0}}) is False
    # x <= y speaks only of given values: checked
    assert ok({"x": 3, "y": 3}) is True and ok({"x": 3, "y": 2}) is False
    assert ok({"x": 3}) is True                             # y not given: x <= y is not checked
    # kvot >= 0 reads y; y = 0 has no value (division by zero): not admissible
    assert ok({"y": 5}) is True and ok({"y": 0}) is False
    assert ok({}) is True


def test_the_round_units_of_each_kind_of_number():
    """Money in öre: 100 000 kr, 1 000 kr, 1 kr, 1 öre; whole numbers 1000, 100, 10, 1;
    fractions hundredths, the last level only minimising; nothing else is rounded."""
    assert units_of(MONEY) == (10_000_000, 100_000, 100, 1)
    assert units_of(INT) == (1000, 100, 10, 1)
    assert units_of(Type("int", "personer")) == units_of(Type("int", "*")) == (1000, 100, 10, 1)
    assert units_of(Type("int", "dagar")) == ()
    assert units_of(FRAC) == (Fraction(1, 100),) * 3 + (None,)
    assert units_of(BOOL) == units_of(DATE) == ()
    assert units_of(Type("map", enum="part", elem=MONEY)) == units_of(MONEY)
    assert units_of(Type("map", enum="part", elem=BOOL)) == ()
    assert minimal.STEP_RLIMIT == 10_000_000           # the documented per-query resource limit


def test_the_numbers_of_a_term_and_what_a_multiple_of_a_unit_is():
    x, y = z3.Ints("x y")
    assert minimal._numbers(x, INT) == [x] and minimal._numbers(z3.Bool("b"), BOOL) == []
    got = minimal._numbers({"p1": x, "p2": y}, Type("map", enum="part", elem=INT))
    assert [g.get_id() for g in got] == [x.get_id(), y.get_id()]
    assert minimal._numbers({"p1": z3.Bool("b")}, Type("map", enum="part", elem=BOOL)) == []

    def holds_at(f, var, v) -> bool:
        return z3.is_true(z3.simplify(z3.substitute(f, (var, v))))

    assert z3.is_true(minimal._multiple(x, None)) and z3.is_true(minimal._multiple(x, 1))
    assert holds_at(minimal._multiple(x, 100), x, z3.IntVal(300)) and holds_at(minimal._multiple(x, 100), x, z3.IntVal(0))
    assert not holds_at(minimal._multiple(x, 100), x, z3.IntVal(150))
    assert holds_at(minimal._multiple(x, 2), x, z3.IntVal(-4)) and not holds_at(minimal._multiple(x, 2), x, z3.IntVal(3))
    r = z3.Real("r")
    h = minimal._multiple(r, Fraction(1, 100))
    assert holds_at(h, r, z3.RealVal("0.25")) and not holds_at(h, r, z3.RealVal("0.255"))
    h = minimal._multiple(r, Fraction(3, 4))
    assert holds_at(h, r, z3.RealVal("1.5")) and not holds_at(h, r, z3.RealVal("1"))


@pytest.mark.parametrize("v,size", [(-5, 5), (-1, 1), (0, 0), (3, 3)])
def test_the_size_of_a_number_is_its_absolute_value(v, size):
    x = z3.Int("x")
    assert z3.simplify(z3.substitute(minimal._size(x), (x, z3.IntVal(v)))).as_long() == size


def test_a_counterexample_shows_only_the_inputs_that_matter_with_the_roundest_values():
    """del_a <= floor(2 summa / 3) with del_a + del_b == summa: every amount a multiple of
    100 000 kr, the smallest sum of sizes is summa = del_a = 100 000 kr, del_b = 0 (del_a > 0 and
    summa >= del_a, so the sum is at least 2 · 100 000 kr)."""
    p, _ = prover(**CONE)
    r = p.invariant("del_a_hogst")
    assert r.status == "counterexample"
    assert r.replay == {"summa": 10_000_000, "del_a": 10_000_000, "del_b": 0} or \
        r.inputs == {"summa": "100 000,00 kr", "del_a": "100 000,00 kr", "del_b": "0,00 kr"}, (r.inputs, r.replay)
    assert r.inputs == {"summa": "100 000,00 kr", "del_a": "100 000,00 kr", "del_b": "0,00 kr"}


@pytest.mark.parametrize("high,shown", [(1000000, 1000), (999, 100), (99, 10), (9, 7)])
def test_whole_numbers_are_rounded_to_the_coarsest_unit_that_still_breaks(high, shown):
    """n < 7 fails from 7 on: the smallest multiple of 1000 that is >= 7 and <= high is 1000; with
    high 999 only a multiple of 100 fits (100), with 99 one of 10; with 9 the last level only
    minimises: 7."""
    kw = dict(inputs={"n": {"type": "int", "min": 0, "max": high}}, invariants={"liten": "n < 7"})
    p, _ = prover(**kw)
    r = p.invariant("liten")
    assert r.status == "counterexample" and r.replay == {"n": shown}, r.replay


@pytest.mark.parametrize("high,shown", [("100 000 000 kr", 10_000_000), ("99 999 kr", 100_000),
                                        ("999 kr", 100), ("0,99 kr", 7)])
def test_amounts_are_rounded_to_the_coarsest_unit_that_still_breaks(high, shown):
    """a < 7 öre fails from 7 öre on: 100 000 kr, else 1 000 kr, else 1 kr, else 7 öre."""
    kw = dict(inputs={"a": {"type": "money", "min": 0, "max": high}}, invariants={"liten": "a < 7"})
    p, _ = prover(**kw)
    inv = inv_of(p, "liten")
    got, _ = minimal_counterexample(p, inv, p.rule_world, {"a": 6_999_999},
                                    lambda v: p.still_holds(v, inv) is False)
    assert got == {"a": shown}, got
    if shown == 10_000_000:
        r = p.invariant("liten")
        assert r.status == "counterexample" and r.inputs == {"a": "100 000,00 kr"}, r.inputs


@pytest.mark.parametrize("inv,shown", [
    # f > 13/40 = 0.325: the smallest hundredth above is 0.33 (a fiftieth would give 0.34)
    ("f <= 13/40", Fraction(33, 100)),
    # f in [0.0101, 0.0199] breaks it: no hundredth lies there, so the last level only
    # minimises: 0.0101 (a 99th would give 1/99, a 101st 2/101)
    ("f < 101/10000 or f > 199/10000", Fraction(101, 10000)),
])
def test_fractions_are_rounded_to_hundredths_where_one_still_breaks(inv, shown):
    kw = dict(inputs={"f": {"type": "fraction", "min": 0, "max": 1}}, invariants={"i": inv})
    p, _ = prover(**kw)
    invariant = p.spec.invariants[0]
    got, _ = minimal_counterexample(p, invariant, p.rule_world, {"f": Fraction(1, 60) if "101" in inv else Fraction(1, 2)},
                                    lambda v: p.still_holds(v, invariant) is False)
    assert got == {"f": shown}, got


def test_a_rounder_model_is_taken_only_when_the_exact_replay_still_breaks():
    p, _ = prover(**CONE)
    inv = inv_of(p, "del_a_hogst")
    w = p.rule_world
    odd = {"summa": 123_457, "del_a": 123_457, "del_b": 0, "c": 5, "d": 7, "e": 9, "f": 0, "flagga": True}
    cut = {"summa": 123_457, "del_a": 123_457, "del_b": 0}
    assert minimal_counterexample(p, inv, w, odd, lambda v: v == cut)[0] == cut
    # a replay that refuses even the values cut down: everything the solver gave is shown
    got, dt = minimal_counterexample(p, inv, w, odd, lambda v: False)
    assert got == odd and 0 <= dt < 30
    # no time budget left: the cut values without rounding
    assert minimal_counterexample(p, inv, w, odd, lambda v: True, budget_s=0.0)[0] == cut
    # a resource limit too small for any query: no rounder model, the cut values
    assert minimal_counterexample(p, inv, w, odd, lambda v: True, rlimit=1)[0] == cut
    # with budget and resources: the roundest (see the test above)
    got, _ = minimal_counterexample(p, inv, w, odd, lambda v: p._breaks(v, inv, w, False))
    assert got == {"summa": 10_000_000, "del_a": 10_000_000, "del_b": 0}


def test_a_counterexample_with_no_number_that_matters_is_only_cut():
    kw = dict(inputs={"b": "bool", "n": NUM}, invariants={"i": "b"})
    p, _ = prover(**kw)
    inv = p.spec.invariants[0]
    got, _ = minimal_counterexample(p, inv, p.rule_world, {"b": False, "n": 17}, lambda v: True)
    assert got == {"b": False}


def test_the_rounding_queries_go_through_the_proof_cache(tmp_path):
    """A second search with the same cache takes every query from it and gives the same values."""
    cache = ProofCache(tmp_path / "cache")
    p, _ = prover(**CONE)
    p.cache = cache
    inv = inv_of(p, "del_a_hogst")
    odd = {"summa": 123_457, "del_a": 123_457, "del_b": 0}
    breaks = lambda v: p._breaks(v, inv, p.rule_world, False)       # noqa: E731
    first, _ = minimal_counterexample(p, inv, p.rule_world, odd, breaks)
    solved, hits = p.solved, p.from_cache
    assert solved == 1 and hits == 0, (solved, hits)
    again, _ = minimal_counterexample(p, inv, p.rule_world, odd, breaks)
    assert again == first == {"summa": 10_000_000, "del_a": 10_000_000, "del_b": 0}
    assert (p.solved, p.from_cache) == (solved, 1)


def test_a_map_with_several_zeros_shows_its_other_entries_and_then_the_zeros_once():
    p, project = prover(**BOUNDS)
    enums = project.enums
    t = Type("map", enum="part", elem=INT)
    assert shown_compact({"p1": 5, "p2": 0, "p3": 0}, t, enums) == "Part 1: 5; övriga: 0"
    assert shown_compact({"p1": 0, "p2": 0, "p3": 0}, t, enums) == "alla: 0"
    assert shown_compact({"p1": 0, "p2": -2, "p3": 0}, t, enums) == "Part 2: -2; övriga: 0"
    full = shown_compact({"p1": 1, "p2": 0, "p3": 3}, t, enums)      # one zero: shown as it is
    assert "Part 2" in full and "övriga" not in full
    assert "övriga" not in shown_compact({"p1": 1, "p2": 2, "p3": 3}, t, enums)
    assert shown_compact(0, INT, enums) == "0"
    tb = Type("map", enum="part", elem=BOOL)
    assert "övriga" not in shown_compact({"p1": False, "p2": False, "p3": False}, tb, enums)
    tm = Type("map", enum="part", elem=MONEY)
    assert shown_compact({"p1": 0, "p2": 100, "p3": 0}, tm, enums) == "Part 2: 1,00 kr; övriga: 0,00 kr"
    # entries missing from the value are neither zeros nor shown
    assert shown_compact({"p1": 0, "p2": 0}, t, enums) == "alla: 0"


def test_the_rounding_search_stops_at_its_time_budget_when_the_resource_limit_does_not():
    """9³ + 10³ = 12³ + 1 (a counterexample of the invariant); the rounding queries are
    non-linear. With a resource limit far too large to stop them, the budget (0.3 s) must: the
    search ends within a few seconds (without the time limit it takes ~16 s on this machine)."""
    big = {"type": "int", "min": 1, "max": 1000000}
    p, _ = prover(inputs={"a": big, "b": big, "c": big}, invariants={"taxi": "a * a * a + b * b * b != c * c * c + 1"})
    inv = p.spec.invariants[0]
    given = {"a": 9, "b": 10, "c": 12}
    got, dt = minimal_counterexample(p, inv, p.rule_world, given, lambda v: True, budget_s=0.3, rlimit=10 ** 11)
    assert dt < 8, dt
    assert got == given or p.still_holds(got, inv) is False
