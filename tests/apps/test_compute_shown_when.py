"""A shown value's ``when:``/``unless:`` (a bool input or definition of the rule): the value is
shown only when the condition holds (or does not). §11's ``giltighet`` shows the running period
only while the agreement applies, so no output says at once that a period is running and that
the agreement has ended (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from avtalsregler.apps.compute import run_computation
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

PERIOD_KEYS = {"period_start", "period_end", "renewal_number", "period_notice_deadline",
               "next_notice_deadline", "ends_if_noticed_by_next_deadline"}


def _keys(options):
    r = run_computation(load_project(ROOT), "giltighet", options)
    return {v.key: v.value for v in r.values}


def test_after_the_end_no_period_is_shown():
    # By hand: a notice received 2020-06-01 keeps the first period's deadline 2020-12-31, so the
    # agreement applies through 2021-12-31; 2026-12-01 is later, so it has ended.
    shown = _keys({"date": "2026-12-01", "notice": "2020-06-01"})
    assert shown["ends_on"] == dt.date(2021, 12, 31)
    assert not PERIOD_KEYS & set(shown)


def test_on_the_last_day_the_period_is_shown():
    shown = _keys({"date": "2021-12-31", "notice": "2020-06-01"})
    assert PERIOD_KEYS <= set(shown)
    assert shown["period_end"] == dt.date(2021, 12, 31) == shown["ends_on"]


def test_without_a_notice_the_period_is_shown():
    shown = _keys({"date": "2026-12-01"})
    assert PERIOD_KEYS <= set(shown)
    assert (shown["period_start"], shown["period_end"]) == (dt.date(2025, 1, 1), dt.date(2027, 12, 31))


def test_when_must_name_a_bool(project_copy):
    path = project_copy / "rules/s11_uppsagning.yaml"
    text = path.read_text(encoding="utf-8")
    old = "label: periodens första dag, when: galler_dagen}"
    assert old in text
    path.write_text(text.replace(old, "label: periodens första dag, when: dag}"), encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(project_copy)
    assert "when 'dag' is date, not bool" in exc.value.format()


def test_unless_is_the_opposite(project_copy):
    path = project_copy / "rules/s11_uppsagning.yaml"
    text = path.read_text(encoding="utf-8")
    old = "label: periodens första dag, when: galler_dagen}"
    path.write_text(text.replace(old, "label: periodens första dag, unless: har_upphort}"), encoding="utf-8")
    project = load_project(project_copy)
    ended = {v.key for v in run_computation(project, "giltighet", {"date": "2026-12-01", "notice": "2020-06-01"}).values}
    running = {v.key for v in run_computation(project, "giltighet", {"date": "2021-12-31", "notice": "2020-06-01"}).values}
    assert "period_start" not in ended and "period_start" in running
