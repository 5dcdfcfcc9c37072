"""The date built-ins have one definition and two meanings; they agree on random dates.

Each built-in is applied through the walker to constants with ConcreteOps and with Z3Ops; the
Z3 term (with the side constraints of its auxiliary variables) must force the same value.
Dates are drawn from 1900–2400 with extra weight on 29 February, month ends and year ends."""

from __future__ import annotations

import calendar
import datetime

import z3
from hypothesis import given, settings, strategies as st

from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.semantics import ConcreteOps
from avtalsregler.language.types import DATE, INT, Type
from avtalsregler.prover.z3ops import Z3Ops
from ..profiles import examples

_plain = st.dates(datetime.date(1900, 1, 1), datetime.date(2400, 12, 31))
_month_end = st.builds(lambda y, m: datetime.date(y, m, calendar.monthrange(y, m)[1]),
                       st.integers(1900, 2400), st.integers(1, 12))
_leap_day = st.sampled_from([y for y in range(1900, 2401) if calendar.isleap(y)]).map(
    lambda y: datetime.date(y, 2, 29))
_year_end = st.integers(1900, 2400).map(lambda y: datetime.date(y, 12, 31))
DATES = st.one_of(_plain, _month_end, _leap_day, _year_end)


def _both(name, args, types, result):
    b = BUILTINS[name]
    c = b.apply(ConcreteOps({}), list(args), types, result, None)
    ops = Z3Ops({})
    zargs = [ops.const(a, t) for a, t in zip(args, types)]
    term = b.apply(ops, zargs, types, result, None)
    # Whether the term and its side constraints fix one value is a property of the formulas, not
    # of the solver that decides it. They are linear integer arithmetic (division by constants),
    # and Z3's solver for that logic decides them 3–4× faster than the default one; a constraint
    # outside the logic would make it answer unknown, which fails the asserts below.
    s = z3.SolverFor("QF_LIA")
    s.add(*ops.side)
    out = z3.Int("out")
    s.add(out == term)
    assert s.check() == z3.sat
    got = s.model().eval(out).as_long()
    s.add(out != got)
    assert s.check() == z3.unsat, "the Z3 meaning does not fix one value"
    want = c.toordinal() if isinstance(c, datetime.date) else c
    return want, got


@settings(max_examples=examples(60), deadline=None)
@given(DATES)
def test_year_month_day(d):
    for name, want in (("year", d.year), ("month", d.month), ("day", d.day)):
        c, z = _both(name, [d], [DATE], INT)
        assert c == z == want


@settings(max_examples=examples(60), deadline=None)
@given(DATES, st.integers(-600, 600))
def test_add_months(d, n):
    c, z = _both("add_months", [d, n], [DATE, Type("int", "månader")], DATE)
    # independent oracle: same day n months on, clamped to the month's last day
    t = d.year * 12 + d.month - 1 + n
    y, m = divmod(t, 12)
    want = datetime.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
    assert c == z == want.toordinal()


@settings(max_examples=examples(60), deadline=None)
@given(DATES, DATES)
def test_months_between(a, b):
    c, z = _both("months_between", [a, b], [DATE, DATE], Type("int", "månader"))
    assert c == z
    # the defining property, checked with the independent oracle above
    def am(d, n):
        t = d.year * 12 + d.month - 1 + n
        y, m = divmod(t, 12)
        return datetime.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
    assert am(a, c) <= b < am(a, c + 1)


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(1900, 2400), st.integers(1, 12))
def test_days_in_month(y, m):
    c, z = _both("days_in_month", [y, m], [INT, INT], Type("int", "dagar"))
    assert c == z == calendar.monthrange(y, m)[1]


@settings(max_examples=examples(40), deadline=None)
@given(DATES)
def test_make_date(d):
    c, z = _both("make_date", [d.year, d.month, d.day], [INT, INT, INT], DATE)
    assert c == z == d.toordinal()


def test_leap_day_examples():
    """By hand: 2024-02-29 + 12 months is 2025-02-28 (no 29 Feb in 2025); 2023-01-31 + 1 month
    is 2023-02-28; 2024-01-31 + 1 month is 2024-02-29; 2021-12-31 − 12 months is 2020-12-31."""
    ops = ConcreteOps({})
    am = BUILTINS["add_months"]
    D = datetime.date
    cases = [(D(2024, 2, 29), 12, D(2025, 2, 28)), (D(2023, 1, 31), 1, D(2023, 2, 28)),
             (D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2021, 12, 31), -12, D(2020, 12, 31)),
             (D(2022, 1, 1), -12, D(2021, 1, 1))]
    for d, n, want in cases:
        assert am.apply(ops, [d, n], [DATE, INT], DATE, None) == want
