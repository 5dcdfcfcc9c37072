"""Calendar functions: year, month and day of a date, building a date, whole months.

Everything here is written ONCE against the :class:`~avtalsregler.semantics.Ops` interface and
uses nothing but integer division by constants, comparisons and ``if``: the exact meaning
computes with Python ints and ``datetime.date``, the Z3 meaning builds linear integer
arithmetic (division by a numeral is linear), so the same definition is proved. The one
conversion each meaning does its own way is between a date and its (year, month, day):
``Ops.civil`` and ``Ops.from_civil`` (``datetime`` in the exact meaning, the ordinal's arithmetic
in Z3's, :mod:`~avtalsregler.prover.z3terms`); the cross-check holds the two equal on the
calendar's edges (tests/prover/soundness/test_crosscheck.py).
"""

from __future__ import annotations


from avtalsregler.errors import ExprError
from avtalsregler.language.types import DATE, INT, Type
from avtalsregler.language.functions import builtin

MONTHS = Type("int", "månader")


# -- helpers over Ops (both meanings) -------------------------------------------------------------

def _i(ops, n: int):
    return ops.const(n, INT)


def _div(ops, a, b: int, span):
    return ops.intdiv("//", a, _i(ops, b), span)


def _mod(ops, a, b: int, span):
    return ops.intdiv("%", a, _i(ops, b), span)


def _add(ops, *xs):
    total = xs[0]
    for x in xs[1:]:
        total = ops.arith("+", total, x)
    return total


def _sub(ops, a, b):
    return ops.arith("-", a, b)


def _mul(ops, k: int, a):
    return ops.arith("*", _i(ops, k), a)


def civil_of(ops, d, span):
    """(year, month, day) of a date: each meaning's own primitive (``Ops.civil``)."""
    return ops.civil(d, span)


def date_of(ops, y, m, d, span):
    """The date (y, m, d) for 1 <= m <= 12 and 1 <= d <= days_in_month(y, m) (``Ops.from_civil``)."""
    return ops.from_civil(y, m, d, span)


def is_leap(ops, y, span):
    return ops.and_([lambda: ops.cmp("==", _mod(ops, y, 4, span), _i(ops, 0)),
                     lambda: ops.or_([lambda: ops.cmp("!=", _mod(ops, y, 100, span), _i(ops, 0)),
                                      lambda: ops.cmp("==", _mod(ops, y, 400, span), _i(ops, 0))])])


def days_in_month(ops, y, m, span):
    """28–31; for 1 <= m <= 12."""
    def feb():
        return ops.ite(is_leap(ops, y, span), lambda: _i(ops, 29), lambda: _i(ops, 28))

    def not_feb():
        short = ops.or_([lambda k=k: ops.cmp("==", m, _i(ops, k)) for k in (4, 6, 9, 11)])
        return ops.ite(short, lambda: _i(ops, 30), lambda: _i(ops, 31))

    return ops.ite(ops.cmp("==", m, _i(ops, 2)), feb, not_feb)


def month_index(ops, y, m):
    """Months since year 0: 12·year + month − 1."""
    return _add(ops, _mul(ops, 12, y), _sub(ops, m, _i(ops, 1)))


def add_months(ops, d, n, span):
    """The same day ``n`` months later (earlier if ``n`` < 0), clamped to the month's last day."""
    y, m, day = civil_of(ops, d, span)
    t = ops.arith("+", month_index(ops, y, m), n)
    y2 = _div(ops, t, 12, span)
    m2 = _add(ops, _mod(ops, t, 12, span), _i(ops, 1))
    d2 = ops.min(day, days_in_month(ops, y2, m2, span))
    return date_of(ops, y2, m2, d2, span)


def months_between(ops, a, b, span):
    """The largest whole number n with add_months(a, n) <= b (negative when b is before a)."""
    ya, ma, da = civil_of(ops, a, span)
    yb, mb, db = civil_of(ops, b, span)
    diff = _sub(ops, month_index(ops, yb, mb), month_index(ops, ya, ma))
    landing = ops.min(da, days_in_month(ops, yb, mb, span))
    return ops.ite(ops.cmp("<", db, landing), lambda: _sub(ops, diff, _i(ops, 1)), lambda: diff)


# -- type rules -----------------------------------------------------------------------------------

def _want(b, arg, kinds: str, units: tuple, what: str):
    t = arg.type
    if t.kind != kinds or (t.kind == "int" and t.unit not in units):
        shown = " or ".join(f"int[{u}]" if u else "int" for u in units if u != "*")
        raise ExprError(f"{b.name}() needs {what}, not {t}", arg.span,
                        f"write {b.signature}" + (f"; the count must be {shown}" if kinds == "int" else ""))


def _date_arg(b, arg):
    _want(b, arg, "date", (), "a date")


def _plain(b, arg, what="a whole number"):
    _want(b, arg, "int", (None, "*"), what)


# -- the built-ins --------------------------------------------------------------------------------

def _civil_part(name: str, doc: str, index: int) -> type:
    """``year(d)``, ``month(d)``, ``day(d)``: one part of a date's (year, month, day)."""

    @builtin(name, f"{name}(d)", doc)
    class Part:
        @staticmethod
        def check(b, args, span, enums):
            b.arity(args, 1, span)
            _date_arg(b, args[0])
            return args, INT

        @staticmethod
        def apply(ops, v, types, result, span):
            return civil_of(ops, v[0], span)[index]

    return Part


Year = _civil_part("year", "året i ett datum", 0)
Month = _civil_part("month", "månaden (1–12) i ett datum", 1)
Day = _civil_part("day", "dagen i månaden (1–31) i ett datum", 2)


@builtin("days_in_month", "days_in_month(year, month)", "antalet dagar i en månad (skottår räknas)")
class DaysInMonth:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 2, span)
        for a in args:
            _plain(b, a)
        return args, Type("int", "dagar")

    @staticmethod
    def apply(ops, v, types, result, span):
        ops.require(ops.and_([lambda: ops.cmp(">=", v[1], _i(ops, 1)), lambda: ops.cmp("<=", v[1], _i(ops, 12))]),
                    "a month outside 1–12", span)
        return days_in_month(ops, v[0], v[1], span)


@builtin("make_date", "make_date(year, month, day)", "datumet med givet år, månad och dag (måste finnas)")
class MakeDate:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 3, span)
        for a in args:
            _plain(b, a)
        return args, DATE

    @staticmethod
    def apply(ops, v, types, result, span):
        y, m, d = v
        ok = ops.and_([lambda: ops.cmp(">=", m, _i(ops, 1)), lambda: ops.cmp("<=", m, _i(ops, 12)),
                       lambda: ops.cmp(">=", d, _i(ops, 1)),
                       lambda: ops.cmp("<=", d, days_in_month(ops, y, m, span))])
        ops.require(ok, "a date that is not in the calendar (month 1–12, day within the month)", span)
        return date_of(ops, y, m, d, span)


@builtin("add_months", "add_months(date, months)",
         "samma dag ett antal månader senare (tidigare om negativt); finns dagen inte blir det månadens sista dag")
class AddMonths:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 2, span)
        _date_arg(b, args[0])
        _want(b, args[1], "int", (None, "*", "månader"), "a number of months")
        return args, DATE

    @staticmethod
    def apply(ops, v, types, result, span):
        return add_months(ops, v[0], v[1], span)


@builtin("add_years", "add_years(date, years)",
         "samma dag ett antal år senare; 29 februari blir 28 februari i ett år som inte är skottår")
class AddYears:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 2, span)
        _date_arg(b, args[0])
        _want(b, args[1], "int", (None, "*", "år"), "a number of years")
        return args, DATE

    @staticmethod
    def apply(ops, v, types, result, span):
        return add_months(ops, v[0], _mul(ops, 12, v[1]), span)


@builtin("months_between", "months_between(from, to)",
         "antalet hela månader från ett datum till ett annat (det största antal månader efter det första "
         "datumet som inte passerar det andra)")
class MonthsBetween:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 2, span)
        _date_arg(b, args[0])
        _date_arg(b, args[1])
        return args, MONTHS

    @staticmethod
    def apply(ops, v, types, result, span):
        return months_between(ops, v[0], v[1], span)


@builtin("years_to_months", "years_to_months(years)", "ett antal år uttryckt i månader (12 per år)")
class YearsToMonths:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 1, span)
        _want(b, args[0], "int", (None, "*", "år"), "a number of years")
        return args, MONTHS

    @staticmethod
    def apply(ops, v, types, result, span):
        return _mul(ops, 12, v[0])


@builtin("month_of", "month_of(date)",
         "månadsnumret för datumets månad (12 · år + månad − 1), för räkning i hela månader")
class MonthOf:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 1, span)
        _date_arg(b, args[0])
        return args, MONTHS

    @staticmethod
    def apply(ops, v, types, result, span):
        y, m, _ = civil_of(ops, v[0], span)
        return month_index(ops, y, m)


@builtin("first_day_of_month", "first_day_of_month(month_number)",
         "den första dagen i månaden med ett givet månadsnummer (12 · år + månad − 1)")
class FirstDayOfMonth:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 1, span)
        _want(b, args[0], "int", (None, "*", "månader"), "a month number")
        return args, DATE

    @staticmethod
    def apply(ops, v, types, result, span):
        y = _div(ops, v[0], 12, span)
        m = _add(ops, _mod(ops, v[0], 12, span), _i(ops, 1))
        return date_of(ops, y, m, _i(ops, 1), span)
