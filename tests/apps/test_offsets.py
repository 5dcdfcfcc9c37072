"""Offsets of the agreement live in the rules, not in the code: the start page's table of the
§7 split runs to the last year whose population date ("1 november året före") has passed,
as the rule's own definition befolkningsdag gives it."""

from __future__ import annotations

import datetime

import pytest

from avtalsregler.apps.compute import find_computation
from avtalsregler.apps.docs.fact_tables import _last_with_data
from avtalsregler.project.load import load_project


def last(project, day: str) -> int:
    comp = find_computation(project, "ersattning")
    return _last_with_data(project, project.clauses["§7"], comp, "verksamhetsar", datetime.date.fromisoformat(day))


@pytest.mark.parametrize("day, year", [
    ("2026-12-01", 2027),   # 2027's population date is 2026-11-01, passed
    ("2026-11-01", 2027),   # the day itself counts
    ("2026-10-31", 2026),   # 2027's not yet: 2026's (2025-11-01) is
    ("2022-01-01", 2022),
])
def test_the_last_year_follows_the_population_date(project, day, year):
    assert last(project, day) == year


def test_two_years_before_shifts_it(project_copy):
    """With befolkning_ar_fore = 2 (the population two years before) the split of 2028 is known
    on 2026-12-01: its date is 2026-11-01."""
    rule = project_copy / "rules" / "s07_ersattning.yaml"
    text = rule.read_text(encoding="utf-8")
    old = "  befolkning_ar_fore:\n    type: int\n    value: 1\n"
    assert old in text
    rule.write_text(text.replace(old, old.replace("value: 1", "value: 2")), encoding="utf-8")
    assert last(load_project(project_copy), "2026-12-01") == 2028
