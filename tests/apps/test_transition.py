"""The switch between two versions' periods (apps/transition.py) on made-up periods, derived by
hand: every day covered once, whichever alternative; a version whose own periods overlap is an
error, not a silent double invoice."""

from __future__ import annotations

import datetime

import pytest

from avtalsregler.apps import transition as tr
from avtalsregler.apps.amend.versions import Version
from avtalsregler.apps.calendar import Event
from avtalsregler.errors import DataError

D = datetime.date.fromisoformat
OLD = Version(0, None, None, D("2027-08-14"), False)
NEW = Version(1, None, D("2027-08-15"), None, True)


def _periods(version: Version, spans: list[tuple[str, str]]) -> list[tr.Period]:
    out = []
    for a, b in spans:
        e = Event(D(a), "invoice", "§X", f"faktura {a}", "sX.1", "", "", "", uid=f"{version.number}-{a}",
                  declared="faktura", period=(D(a), D(b)))
        out.append(tr.Period(D(a), D(b), e, version))
    return out


HALF = _periods(OLD, [("2027-01-01", "2027-06-30"), ("2027-07-01", "2027-12-31"), ("2028-01-01", "2028-06-30")])
QUARTER = _periods(NEW, [("2027-01-01", "2027-03-31"), ("2027-04-01", "2027-06-30"), ("2027-07-01", "2027-09-30"),
                         ("2027-10-01", "2027-12-31"), ("2028-01-01", "2028-03-31")])


def _rows(parts):
    return [(p.first.isoformat(), p.last.isoformat(), p.period.version.number, p.event().date.isoformat())
            for p in parts]


def test_half_years_to_quarters_inside_a_half_year_is_never_invoiced_twice():
    """Half-yearly → quarterly from 15 Aug 2027. Cut at the date alone, the old half-year 2
    (invoiced 1 Jul, before the change) covers Jul–Dec and the new quarter 4 (1 Oct, after it)
    Oct–Dec again. By hand:
    - first-day: T = 1 Jan 2028 (the day after the old half-year 2 ends): H1, H2 old; the new
      quarters of 2027 fall away; new Q1 2028.
    - last-day: T = 1 Jul 2027 (the new quarter 3 contains 15 Aug): H1 old; new Q3, Q4, Q1 2028.
    - pro-rata: T = 15 Aug: old H2 for 1 Jul–14 Aug (45 of 184 days), new Q3 for 15 Aug–30 Sep
      (47 of 92, its date moved from 1 Jul to 15 Aug), new Q4, Q1 2028."""
    by = [(OLD, HALF), (NEW, QUARTER)]
    assert _rows(tr.schedule(by, "first-day")) == [
        ("2027-01-01", "2027-06-30", 0, "2027-01-01"), ("2027-07-01", "2027-12-31", 0, "2027-07-01"),
        ("2028-01-01", "2028-03-31", 1, "2028-01-01")]
    assert _rows(tr.schedule(by, "last-day")) == [
        ("2027-01-01", "2027-06-30", 0, "2027-01-01"), ("2027-07-01", "2027-09-30", 1, "2027-07-01"),
        ("2027-10-01", "2027-12-31", 1, "2027-10-01"), ("2028-01-01", "2028-03-31", 1, "2028-01-01")]
    pro = tr.schedule(by, "pro-rata")
    assert _rows(pro) == [
        ("2027-01-01", "2027-06-30", 0, "2027-01-01"), ("2027-07-01", "2027-08-14", 0, "2027-07-01"),
        ("2027-08-15", "2027-09-30", 1, "2027-08-15"), ("2027-10-01", "2027-12-31", 1, "2027-10-01"),
        ("2028-01-01", "2028-03-31", 1, "2028-01-01")]
    assert [(p.days, p.period.days) for p in pro[1:3]] == [(45, 184), (47, 92)]
    assert pro[2].event("RX", "pro-rata").share == ("47 av periodens 92 dagar (2027-07-01–2027-09-30), "
                                                    "läsningen RX (pro-rata)")
    (effect,) = tr.effects(by, "RX", "first-day", ("first-day", "last-day", "pro-rata"))
    assert effect["days"] == ["2027-07-01", "2027-12-31"]
    assert [a["switch_day"] for a in effect["alternatives"]] == ["2028-01-01", "2027-07-01", "2027-08-15"]


def test_a_change_on_a_boundary_of_both_cuts_nothing():
    new = Version(1, None, D("2027-07-01"), None, True)
    old = Version(0, None, None, D("2027-06-30"), False)
    by = [(old, _periods(old, [("2027-01-01", "2027-06-30"), ("2027-07-01", "2027-12-31")])),
          (new, _periods(new, [("2027-07-01", "2027-09-30"), ("2027-10-01", "2027-12-31")]))]
    for alt in ("first-day", "last-day", "pro-rata"):
        assert [(a, b, v) for a, b, v, _ in _rows(tr.schedule(by, alt))] == [
            ("2027-01-01", "2027-06-30", 0), ("2027-07-01", "2027-09-30", 1), ("2027-10-01", "2027-12-31", 1)]
    assert tr.effects(by, "RX", "first-day", ("first-day",)) == []


def test_periods_that_overlap_or_leave_a_gap_are_an_error():
    overlapping = _periods(OLD, [("2027-01-01", "2027-06-30"), ("2027-06-01", "2027-12-31")])
    with pytest.raises(DataError, match="2027-06-01–2027-06-30 are covered twice"):
        tr.schedule([(OLD, overlapping)], "first-day")
    gap = _periods(OLD, [("2027-01-01", "2027-03-31"), ("2027-05-01", "2027-12-31")])
    with pytest.raises(DataError, match="2027-04-01–2027-04-30 are not covered"):
        tr.schedule([(OLD, gap)], "first-day")
