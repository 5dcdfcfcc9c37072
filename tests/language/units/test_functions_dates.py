"""Unit tests of functions/dates.py: every calendar built-in in BOTH meanings (the exact one and
Z3's own, symbolic, without folding; see meanings.py), on values derived by hand: leap years
(divisible by 4, not by 100 unless by 400), month ends, the calendar's ends 0001-01-01 and
9999-12-31; what is undefined in both; the type rules with their exact messages. Fast."""

from __future__ import annotations

import pytest

from avtalsregler.errors import ExprError
from avtalsregler.language.types import DATE, INT, Type

from .meanings import D, both, exact, exact_error, parse, undefined_in_both

MONTHS = Type("int", "månader")
NOT_IN_CALENDAR = "a date that is not in the calendar (month 1–12, day within the month)"
FIRST, LAST = D(1, 1, 1), D(9999, 12, 31)


@pytest.mark.parametrize("d", [FIRST, LAST, D(2024, 2, 29), D(1900, 3, 1), D(2023, 12, 31), D(2000, 2, 29)])
def test_year_month_and_day_of_a_date(d):
    assert (both("year(dag)", dag=d), both("month(dag)", dag=d), both("day(dag)", dag=d)) == (d.year, d.month, d.day)


# 2024 is a leap year: Jan 31, Feb 29, Mar 31, Apr 30, May 31, Jun 30, Jul 31, Aug 31, Sep 30, Oct 31, Nov 30, Dec 31
@pytest.mark.parametrize("m,n", list(enumerate([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], start=1)))
def test_days_in_every_month_of_a_leap_year(m, n):
    assert exact("days_in_month(y, m)", y=2024, m=m) == n


# February: 2023 (not /4) 28, 1900 and 2100 (/100, not /400) 28, 2000 and 2400 (/400) 29,
# 1 (not /4) 28, 4 (/4) 29, 9999 (= 4·2499 + 3) 28, 2024 29, 1600 29, 1700 28
@pytest.mark.parametrize("y,n", [(2023, 28), (1900, 28), (2100, 28), (2000, 29), (2400, 29), (1, 28), (4, 29),
                                 (9999, 28), (2024, 29), (1600, 29), (1700, 28), (2022, 28), (2025, 28)])
def test_february_follows_the_leap_year_rule(y, n):
    assert both("days_in_month(y, 2)", y=y) == n


@pytest.mark.parametrize("m", [0, 13, -1])
def test_days_in_month_outside_1_to_12_is_undefined(m):
    assert undefined_in_both("days_in_month(y, m)", y=2024, m=m) == "a month outside 1–12"


@pytest.mark.parametrize("ymd", [(1, 1, 1), (9999, 12, 31), (2024, 2, 29), (2000, 2, 29), (2023, 4, 30),
                                 (2023, 1, 31), (2023, 12, 1)])
def test_make_date_of_a_date_in_the_calendar(ymd):
    y, m, d = ymd
    assert both("make_date(y, m, d)", y=y, m=m, d=d) == D(y, m, d)


@pytest.mark.parametrize("ymd,message", [
    ((2023, 2, 29), NOT_IN_CALENDAR), ((1900, 2, 29), NOT_IN_CALENDAR), ((2024, 2, 30), NOT_IN_CALENDAR),
    ((2024, 4, 31), NOT_IN_CALENDAR), ((2024, 0, 1), NOT_IN_CALENDAR), ((2024, 13, 1), NOT_IN_CALENDAR),
    ((2024, 1, 0), NOT_IN_CALENDAR), ((2024, 1, 32), NOT_IN_CALENDAR), ((2024, -1, 1), NOT_IN_CALENDAR),
    # month and day are fine, the year is not in 1–9999
    ((0, 12, 31), "0000-12-31 is outside the calendar"), ((10000, 1, 1), "10000-01-01 is outside the calendar"),
])
def test_make_date_outside_the_calendar_is_undefined_in_both_meanings(ymd, message):
    y, m, d = ymd
    assert undefined_in_both("make_date(y, m, d)", y=y, m=m, d=d) == message


@pytest.mark.parametrize("d,n,want", [
    # from 31 January 2024: February has 29 days (clamped), March 31
    (D(2024, 1, 31), 0, D(2024, 1, 31)), (D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2024, 1, 31), 2, D(2024, 3, 31)),
    (D(2024, 1, 31), 3, D(2024, 4, 30)), (D(2024, 1, 31), 11, D(2024, 12, 31)), (D(2024, 1, 31), 12, D(2025, 1, 31)),
    (D(2024, 1, 31), 13, D(2025, 2, 28)), (D(2024, 1, 31), -1, D(2023, 12, 31)), (D(2024, 1, 31), -2, D(2023, 11, 30)),
    (D(2024, 1, 31), -12, D(2023, 1, 31)), (D(2024, 1, 31), -13, D(2022, 12, 31)),
    # 100 years of months from a leap day: 1924 and 2124 are leap years (/4, not /100)
    (D(2024, 2, 29), -1200, D(1924, 2, 29)), (D(2024, 2, 29), 1200, D(2124, 2, 29)),
    (D(2024, 2, 29), 912, D(2100, 2, 28)),          # 2100 = 2024 + 76 years, not a leap year
    (D(2024, 3, 15), -1, D(2024, 2, 15)), (D(2023, 12, 15), 1, D(2024, 1, 15)),
    # the calendar's ends: year 1 is not a leap year
    (D(1, 1, 31), 1, D(1, 2, 28)), (D(1, 12, 31), -11, D(1, 1, 31)), (D(9999, 11, 30), 1, D(9999, 12, 30)),
    (D(9999, 12, 31), -1, D(9999, 11, 30)), (FIRST, 119987, D(9999, 12, 1)), (LAST, -119987, D(1, 1, 31)),
])
def test_add_months(d, n, want):
    assert exact("add_months(dag, manader)", dag=d, manader=n) == want


@pytest.mark.parametrize("d,n", [(LAST, 1), (D(9999, 12, 1), 1), (D(1, 1, 31), -1), (FIRST, -1), (FIRST, 119988)])
def test_add_months_past_the_calendar_is_undefined(d, n):
    message = undefined_in_both("add_months(dag, manader)", dag=d, manader=n)
    assert message.endswith("is outside the calendar")


@pytest.mark.parametrize("d,n,want", [
    (D(2024, 2, 29), 1, D(2025, 2, 28)), (D(2024, 2, 29), 4, D(2028, 2, 29)), (D(2024, 2, 29), -100, D(1924, 2, 29)),
    (D(2024, 2, 29), 76, D(2100, 2, 28)), (D(2024, 2, 29), -24, D(2000, 2, 29)), (D(2024, 2, 29), 0, D(2024, 2, 29)),
    (D(2023, 7, 14), -1, D(2022, 7, 14)), (FIRST, 9998, D(9999, 1, 1)), (LAST, -9998, D(1, 12, 31)),
])
def test_add_years(d, n, want):
    assert exact("add_years(dag, ar)", dag=d, ar=n) == want


@pytest.mark.parametrize("d,n", [(LAST, 1), (FIRST, -1), (D(2024, 2, 29), 7976)])
def test_add_years_past_the_calendar_is_undefined(d, n):
    assert undefined_in_both("add_years(dag, ar)", dag=d, ar=n).endswith("is outside the calendar")


@pytest.mark.parametrize("a,b,want", [
    (D(2024, 1, 31), D(2024, 2, 29), 1),    # 31 Jan + 1 month = 29 Feb (clamped) <= 29 Feb
    (D(2024, 1, 31), D(2024, 2, 28), 0),    # 31 Jan + 1 month = 29 Feb > 28 Feb
    (D(2024, 1, 30), D(2024, 2, 29), 1), (D(2024, 1, 30), D(2024, 2, 28), 0),
    (D(2024, 2, 29), D(2025, 2, 28), 12),   # + 12 months = 28 Feb 2025 (clamped)
    (D(2024, 2, 28), D(2025, 2, 27), 11),
    (D(2024, 3, 31), D(2024, 1, 31), -2), (D(2024, 3, 15), D(2024, 3, 14), -1), (D(2024, 3, 15), D(2024, 3, 15), 0),
    (D(2024, 3, 15), D(2024, 4, 15), 1), (D(2024, 3, 15), D(2024, 4, 14), 0), (D(2024, 3, 15), D(2024, 3, 16), 0),
    (D(2023, 12, 31), D(2024, 1, 1), 0), (D(2023, 12, 1), D(2024, 1, 1), 1), (D(2024, 1, 1), D(2023, 12, 1), -1),
    # the ends: month numbers 12 (Jan of year 1) and 12·9999 + 11 = 119999 (Dec 9999), so 119987 months apart;
    # backwards the day 31 > 1 costs one more month
    (FIRST, LAST, 119987), (LAST, FIRST, -119988), (FIRST, FIRST, 0), (LAST, LAST, 0),
])
def test_months_between(a, b, want):
    assert exact("months_between(dag, dag2)", dag=a, dag2=b) == want


def test_whole_month_numbers():
    # years_to_months: 12 per year; month_of: 12 · year + month − 1
    for ar, months in ((3, 36), (0, 0), (-2, -24), (9999, 119988)):
        assert both("years_to_months(ar)", ar=ar) == months
    for d, n in ((FIRST, 12), (LAST, 119999), (D(2024, 2, 29), 24289), (D(2024, 12, 1), 24299)):
        assert both("month_of(dag)", dag=d) == n


@pytest.mark.parametrize("n,want", [(12, FIRST), (119999, D(9999, 12, 1)), (24289, D(2024, 2, 1)),
                                    (24299, D(2024, 12, 1)), (24300, D(2025, 1, 1)), (23, D(1, 12, 1))])
def test_first_day_of_month(n, want):
    assert exact("first_day_of_month(manader)", manader=n) == want


@pytest.mark.parametrize("n,shown", [(11, "0000-12-01"), (120000, "10000-01-01"), (0, "0000-01-01")])
def test_first_day_of_a_month_outside_the_calendar_is_undefined(n, shown):
    assert undefined_in_both("first_day_of_month(manader)", manader=n) == f"{shown} is outside the calendar"


@pytest.mark.parametrize("text,typ", [
    ("year(dag)", INT), ("month(dag)", INT), ("day(dag)", INT), ("days_in_month(y, m)", Type("int", "dagar")),
    ("make_date(y, m, d)", DATE), ("add_months(dag, manader)", DATE), ("add_months(dag, y)", DATE),
    ("add_months(dag, 2)", DATE), ("add_years(dag, ar)", DATE), ("add_years(dag, 2)", DATE),
    ("months_between(dag, dag2)", MONTHS), ("years_to_months(ar)", MONTHS), ("years_to_months(y)", MONTHS),
    ("month_of(dag)", MONTHS), ("first_day_of_month(manader)", DATE), ("first_day_of_month(12 * y)", DATE),
    ("days_in_month(2024, m)", Type("int", "dagar")), ("make_date(2024, 1, 1)", DATE),
])
def test_the_type_of_each_result(text, typ):
    assert parse(text).type == typ


@pytest.mark.parametrize("text,message,col,hint", [
    ("year(3)", "year() needs a date, not int", 16, "write year(d)"),
    ("month(y)", "month() needs a date, not int", 17, "write month(d)"),
    ("day(ar)", "day() needs a date, not int[år]", 15, "write day(d)"),
    ("add_months(3, 1)", "add_months() needs a date, not int", 22, "write add_months(date, months)"),
    ("add_months(dag, dag)", "add_months() needs a number of months, not date", 27,
     "write add_months(date, months); the count must be int or int[månader]"),
    ("add_months(dag, ar)", "add_months() needs a number of months, not int[år]", 27,
     "write add_months(date, months); the count must be int or int[månader]"),
    ("add_months(dag, 1 / 2)", "add_months() needs a number of months, not fraction", 27,
     "write add_months(date, months); the count must be int or int[månader]"),
    ("add_years(dag, manader)", "add_years() needs a number of years, not int[månader]", 26,
     "write add_years(date, years); the count must be int or int[år]"),
    ("add_years(y, 1)", "add_years() needs a date, not int", 21, "write add_years(date, years)"),
    ("years_to_months(manader)", "years_to_months() needs a number of years, not int[månader]", 27,
     "write years_to_months(years); the count must be int or int[år]"),
    ("first_day_of_month(ar)", "first_day_of_month() needs a month number, not int[år]", 30,
     "write first_day_of_month(month_number); the count must be int or int[månader]"),
    ("first_day_of_month(dag)", "first_day_of_month() needs a month number, not date", 30,
     "write first_day_of_month(month_number); the count must be int or int[månader]"),
    ("days_in_month(dag, 1)", "days_in_month() needs a whole number, not date", 25,
     "write days_in_month(year, month); the count must be int"),
    ("days_in_month(2024, manader)", "days_in_month() needs a whole number, not int[månader]", 31,
     "write days_in_month(year, month); the count must be int"),
    ("make_date(2024, 1, ar)", "make_date() needs a whole number, not int[år]", 30,
     "write make_date(year, month, day); the count must be int"),
    ("make_date(dag, 1, 1)", "make_date() needs a whole number, not date", 21,
     "write make_date(year, month, day); the count must be int"),
    ("months_between(dag, 1)", "months_between() needs a date, not int", 31, "write months_between(from, to)"),
    ("months_between(1, dag)", "months_between() needs a date, not int", 26, "write months_between(from, to)"),
    ("month_of(y)", "month_of() needs a date, not int", 20, "write month_of(date)"),
    ("year(dag, 1)", "year() takes 1 argument, not 2", 11, "write year(d)"),
    ("days_in_month(2024)", "days_in_month() takes 2 arguments, not 1", 11, "write days_in_month(year, month)"),
    ("make_date(1, 2)", "make_date() takes 3 arguments, not 2", 11, "write make_date(year, month, day)"),
    ("add_months(dag)", "add_months() takes 2 arguments, not 1", 11, "write add_months(date, months)"),
    ("add_years(dag)", "add_years() takes 2 arguments, not 1", 11, "write add_years(date, years)"),
    ("months_between(dag)", "months_between() takes 2 arguments, not 1", 11, "write months_between(from, to)"),
    ("years_to_months()", "years_to_months() takes 1 argument, not 0", 11, "write years_to_months(years)"),
    ("month_of(dag, dag)", "month_of() takes 1 argument, not 2", 11, "write month_of(date)"),
    ("first_day_of_month()", "first_day_of_month() takes 1 argument, not 0", 11,
     "write first_day_of_month(month_number)"),
])
def test_wrong_calls_are_refused_with_the_exact_message_and_position(text, message, col, hint):
    with pytest.raises(ExprError) as info:
        parse(text)
    err = info.value
    assert (err.message, err.span.line, err.span.col, err.hint) == (message, 10, col, hint)


@pytest.mark.parametrize("text,env", [
    ("add_months(dag, manader)", {"dag": D(2024, 1, 31), "manader": 1}),       # clamped to 29 Feb
    ("add_months(dag, manader)", {"dag": D(2024, 1, 31), "manader": 13}),      # clamped to 28 Feb 2025
    ("add_months(dag, manader)", {"dag": D(2024, 1, 31), "manader": -2}),      # 30 Nov 2023
    ("add_months(dag, manader)", {"dag": FIRST, "manader": 119987}),
    ("add_years(dag, ar)", {"dag": D(2024, 2, 29), "ar": 76}),                # 2100-02-28
    ("months_between(dag, dag2)", {"dag": D(2024, 1, 31), "dag2": D(2024, 2, 29)}),
    ("months_between(dag, dag2)", {"dag": D(2024, 1, 31), "dag2": D(2024, 2, 28)}),
    ("months_between(dag, dag2)", {"dag": LAST, "dag2": FIRST}),
    ("first_day_of_month(manader)", {"manader": 119999}),
    ("days_in_month(y, m)", {"y": 2023, "m": 11}), ("days_in_month(y, m)", {"y": 2023, "m": 8}),
])
def test_z3s_meaning_gives_the_same_value_on_the_edges(text, env):
    """The values of the tests above, chosen edges, in Z3's own meaning too."""
    both(text, **env)


def test_an_exact_error_names_the_date_that_does_not_exist():
    assert exact_error("add_months(dag, manader)", dag=LAST, manader=1) == "10000-01-31 is outside the calendar"
