"""Showing values as a lawyer reads them (language/types.py): digit groups of three separated by
a space, the sign kept, money as ``kr`` with two öre digits. Expected strings written by hand.
Fast: the mutation run's subset."""

from __future__ import annotations

import pytest

from avtalsregler.language.types import format_kr, group3, group_count


@pytest.mark.parametrize("n,shown", [(0, "0"), (1, "1"), (-1, "-1"), (999, "999"), (-999, "-999"),
                                     (1000, "1 000"), (-1000, "-1 000"), (1234567, "1 234 567"),
                                     (-1234567, "-1 234 567")])
def test_digit_groups_keep_the_sign(n, shown):
    assert group3(n) == shown


@pytest.mark.parametrize("n,shown", [(2022, "2022"), (-9999, "-9999"), (9999, "9999"),
                                     (10000, "10 000"), (-10000, "-10 000"), (12345, "12 345")])
def test_whole_numbers_are_grouped_only_from_five_digits(n, shown):
    assert group_count(n) == shown


@pytest.mark.parametrize("ore,shown", [(0, "0,00 kr"), (5, "0,05 kr"), (-5, "-0,05 kr"), (-100, "-1,00 kr"),
                                       (123456789, "1 234 567,89 kr"), (-123456789, "-1 234 567,89 kr")])
def test_money_in_kronor_and_ore(ore, shown):
    assert format_kr(ore) == shown
