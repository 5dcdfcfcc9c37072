"""Unit tests of functions/__init__.py: the registry of built-ins (``builtin``, ``BUILTINS``) and
``Builtin`` (its type rule, its implementation, its arity message). Fast."""

from __future__ import annotations

import pytest

from avtalsregler.errors import ExprError, Span
from avtalsregler.language import functions
from avtalsregler.language.functions import BUILTINS, Builtin, builtin
from avtalsregler.language.functions import apportion, core, dates
from avtalsregler.language.types import INT

SPAN = Span("rules/x.yaml", 3, 7)


def test_every_built_in_is_registered_once_in_the_order_of_its_module():
    """core, then the calendar, then apportionment (the order the site lists them in)."""
    assert list(BUILTINS) == ["min", "max", "abs", "floor", "ceil", "round", "implies",
                              "year", "month", "day", "days_in_month", "make_date", "add_months",
                              "add_years", "months_between", "years_to_months", "month_of",
                              "first_day_of_month", "quota", "apportion"]
    assert all(b.name == name and b.signature.startswith(f"{name}(") and b.doc for name, b in BUILTINS.items())


@pytest.fixture
def registered():
    """A test-only built-in ``tvåfaldig(x)`` = 2·x, removed again afterwards."""
    calls = []

    @builtin("tvåfaldig", "tvåfaldig(x)", "det dubbla")
    class Twice:
        @staticmethod
        def check(b, args, span, enums):
            calls.append(("check", b, args, span, enums))
            b.arity(args, 1, span)
            return args, INT

        @staticmethod
        def apply(ops, values, types, result, span):
            calls.append(("apply", ops, values, types, result, span))
            return 2 * values[0]

    try:
        yield Twice, calls
    finally:
        del BUILTINS["tvåfaldig"]


def test_builtin_registers_the_class_and_returns_it_unchanged(registered):
    cls, calls = registered
    b = BUILTINS["tvåfaldig"]
    assert cls.__name__ == "Twice" and callable(cls.apply)       # the decorator gives the class back
    assert (b.name, b.signature, b.doc) == ("tvåfaldig", "tvåfaldig(x)", "det dubbla")
    # check: the class's rule gets the Builtin itself, and its answer is passed on
    assert b.check(("a",), SPAN, {"e": 1}) == (("a",), INT)
    assert calls[-1] == ("check", b, ("a",), SPAN, {"e": 1})
    # apply: every argument is passed on, the value comes back
    assert b.apply("ops", [21], ["t"], INT, SPAN) == 42
    assert calls[-1] == ("apply", "ops", [21], ["t"], INT, SPAN)


@pytest.mark.parametrize("n,args,message", [
    (1, (), "tvåfaldig() takes 1 argument, not 0"),
    (1, ("a", "b"), "tvåfaldig() takes 1 argument, not 2"),
    (2, ("a",), "tvåfaldig() takes 2 arguments, not 1"),
    (3, ("a", "b"), "tvåfaldig() takes 3 arguments, not 2"),
    (0, ("a",), "tvåfaldig() takes 0 arguments, not 1"),
])
def test_arity_says_how_many_arguments_in_english_with_the_signature_as_hint(registered, n, args, message):
    with pytest.raises(ExprError) as info:
        BUILTINS["tvåfaldig"].arity(args, n, SPAN)
    assert (info.value.message, info.value.span, info.value.hint) == (message, SPAN, "write tvåfaldig(x)")


@pytest.mark.parametrize("n,args", [(0, ()), (1, ("a",)), (2, ("a", "b"))])
def test_arity_accepts_the_right_number(registered, n, args):
    assert BUILTINS["tvåfaldig"].arity(args, n, SPAN) is None


def test_the_modules_keep_their_classes_and_the_explanation_hook():
    """The decorator hands each class back, so the module names stay usable; apportionment
    offers its explanation to the computation's explainer through ``EXPLAIN``."""
    assert isinstance(BUILTINS["min"], Builtin) and core.Min.apply is BUILTINS["min"].apply_fn
    assert dates.Year.apply is BUILTINS["year"].apply_fn and dates.Day.apply is BUILTINS["day"].apply_fn
    assert apportion.EXPLAIN == {"apportion": apportion.explain_apportion}
    assert functions.BUILTINS is BUILTINS
