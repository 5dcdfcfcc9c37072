"""The soundness corpus, one built-in at a time: a true invariant about it must be *proved*, a
false one a *counterexample* whose replay (the ready-to-paste spec example) shows the failure.
Each false statement is false for some inputs only, so a prover that said "proved" would be
wrong, and one that gave a wrong counterexample would be caught by the replay."""

from __future__ import annotations

import pytest

from avtalsregler.language.functions import BUILTINS

from .corpus import prover, replay

RULE = dict(
    inputs={"f": {"type": "fraction", "min": -100, "max": 100}, "n": {"type": "int", "min": -1000, "max": 1000},
            "k": {"type": "int", "min": -50, "max": 50}, "a": {"type": "money", "min": 0, "max": 1000000},
            "b": {"type": "money", "min": 0, "max": 1000000}, "p": "bool", "q": "bool", "vem": "part",
            "d": {"type": "date", "min": "1900-01-01", "max": "2200-12-31"},
            "e": {"type": "date", "min": "1900-01-01", "max": "2200-12-31"},
            "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000}},
    assume=["sum(j in part, x[j]) > 0"])

CASES = {   # built-in: (true, false)
    "min": ("min(n, k) <= n", "min(n, k) == n"),
    "max": ("max(a, b) >= b", "max(a, b) > b"),
    "abs": ("abs(n) >= 0", "abs(n) > 0"),
    "floor": ("floor(f) <= f", "floor(f) < f"),
    "ceil": ("ceil(f) >= f", "ceil(f) > f"),
    "round": ("abs(round(f) - f) <= 1/2", "round(f) >= f"),
    "implies": ("implies(p and q, p)", "implies(p, p and q)"),
    "year": ("year(d) >= 1900", "year(d) < 2200"),
    "month": ("month(d) <= 12", "month(d) < 12"),
    "day": ("day(d) <= 31", "day(d) <= 30"),
    "days_in_month": ("days_in_month(year(d), month(d)) >= 28", "days_in_month(year(d), month(d)) >= 29"),
    "make_date": ("make_date(year(d), month(d), day(d)) == d", "make_date(year(d), month(d), 1) == d"),
    "add_months": ("add_months(d, 12) > d", "add_months(d, 1) > d + 30"),
    "add_years": ("add_years(d, 1) > d", "add_years(d, 1) - d == 365"),
    "months_between": ("months_between(d, d) == 0", "months_between(d, e) >= 0"),
    "years_to_months": ("years_to_months(k) >= years_to_months(k - 1)", "years_to_months(k) > years_to_months(k - 1) + 12"),
    "month_of": ("month_of(add_months(d, 1)) == month_of(d) + 1", "month_of(d + 1) == month_of(d)"),
    "first_day_of_month": ("first_day_of_month(month_of(d)) <= d", "first_day_of_month(month_of(d)) == d"),
    "quota": ("quota(a, x)[vem] >= 0", "quota(a, x)[vem] > 0"),
    "apportion": ("sum(j in part, apportion(a, x)[j]) == a", "apportion(a, x)[vem] <= quota(a, x)[vem]"),
}
KW = dict(RULE, invariants={f"{name}_{kind}": expr for name, pair in CASES.items()
                            for kind, expr in zip(("sann", "falsk"), pair, strict=True)})


def test_every_built_in_is_in_the_corpus():
    assert sorted(CASES) == sorted(n for n in BUILTINS if not n.startswith("test_"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_true_statement_is_proved(name):
    p, _ = prover(timeout_s=30, **KW)
    r = p.invariant(f"{name}_sann")
    assert r.status == "proved", (r.status, r.detail)


@pytest.mark.parametrize("name", sorted(CASES))
def test_false_statement_is_a_counterexample_that_replays(name):
    p, _ = prover(timeout_s=30, **KW)
    r = p.invariant(f"{name}_falsk")
    assert r.status == "counterexample", (r.status, r.detail)
    ex = replay(r, holds=f"{name}_falsk", **KW)
    assert not ex.ok and ex.mismatches and ex.mismatches[0][2] == "gäller inte", ex.message
