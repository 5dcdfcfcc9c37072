"""Unit tests of ``prover/crosscheck.py``: each of its questions fails on the kind of bug it is
there for, and passes where the two meanings agree.

The bugs are test-only built-ins (put into ``BUILTINS`` for one test) whose exact meaning is
the identity ``x`` and whose Z3 meaning is a fresh ``r`` with a chosen side fact (what the
proofs use) and exact definition (what only the cross-check's second question adds)."""

from __future__ import annotations

import pytest
import z3

from avtalsregler.language.functions import BUILTINS, Builtin
from avtalsregler.language.types import Type
from avtalsregler.prover.crosscheck import Mismatch, assert_same, z3_values

from ..soundness.corpus import prover

INPUTS = {"k": {"type": "int", "min": -50, "max": 50}, "vem": "part",
          "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000}}


def _builtin(monkeypatch, name, side=None, exact=None, folded=False):
    """``name(x)``: exactly x; in Z3 a fresh r with ``side(r, x)`` and ``exact(r, x)``. With
    ``folded`` the Z3 side is only wrong when the argument is not folded (a constant)."""

    def apply(ops, v, types, result, span):
        if not hasattr(ops, "exact"):
            return v[0]
        r = ops.fresh(name, Type("int"))
        if side:
            ops.side.append(side(r, v[0]))
        if exact:
            ops.exact.append(exact(r, v[0]))
        return r

    monkeypatch.setitem(BUILTINS, name, Builtin(name, f"{name}(x)", "test",
                                                lambda args, span, enums: (args, args[0].type), apply))


def _clause(**definitions):
    p, project = prover(inputs=INPUTS, parameters={"grans": {"type": "int", "value": 3}},
                        definitions=definitions)
    return p.clause, project.enums


def test_agreeing_meanings_give_the_exact_values_of_every_definition():
    # k = 4, grans = 3, x = (5, 7, 9), vem = p2: k*grans = 12; x[vem] + x[p1] = 12; per member 2x
    clause, enums = _clause(m=("int", "k * grans"), s=("money", "x[vem] + x['p1']"),
                            p={"type": {"map": "part", "of": "money"}, "expr": "per(j in part, x[j] + x[j])",
                               "description": "p"},
                            b=("bool", "k > grans"))
    given = {"k": 4, "vem": "p2", "x": {"p1": 5, "p2": 7, "p3": 9}}
    out = assert_same(clause, enums, given)
    assert out == {"m": 12, "s": 12, "p": {"p1": 10, "p2": 14, "p3": 18}, "b": True}
    assert z3_values(clause, enums, given) == out
    assert z3_values(clause, enums, given, names=["s"]) == {"s": 12}
    assert z3_values(clause, enums, given, names=[]) == {}


def test_a_parameter_given_a_value_overrides_the_rules_on_both_sides():
    # grans = 10 instead of the rule's 3: k * grans = 40
    clause, enums = _clause(m=("int", "k * grans"))
    assert assert_same(clause, enums, {"k": 4, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}, "grans": 10}) == {"m": 40}


def test_a_z3_only_bug_on_a_constant_argument_is_found_because_nothing_is_folded(monkeypatch):
    """``test_plus_ett(year(make_date(2024, 1, 1)))``: exactly 2024, in Z3 r == 2025. Every
    argument is a constant (a plain literal's unit is open, so the innermost call is not folded
    for that reason alone, hence the year of a date): folding would compute the calls with the
    exact meaning and hide the bug; the cross-check switches folding off."""
    _builtin(monkeypatch, "test_plus_ett", exact=lambda r, x: r == x + 1)
    clause, enums = _clause(y=("int", "test_plus_ett(year(make_date(2024, 1, 1)))"))
    with pytest.raises(Mismatch, match="exact 2024 but Z3 2025"):
        assert_same(clause, enums, {"k": 0, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}}, unique=False)


def test_an_abstraction_that_excludes_the_true_value_is_named_as_such(monkeypatch):
    # side r > x: the proofs would know something false (the exact value x is excluded)
    _builtin(monkeypatch, "test_utesluter", side=lambda r, x: r > x, exact=lambda r, x: r == x)
    clause, enums = _clause(y=("int", "test_utesluter(k)"))
    with pytest.raises(Mismatch, match="an abstraction excludes the true value"):
        assert_same(clause, enums, {"k": 3, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}})


def test_a_translation_with_no_value_for_the_inputs_is_named_as_such(monkeypatch):
    # side r >= x holds for the true value; the exact definition r == x - 1 contradicts it
    _builtin(monkeypatch, "test_ingen", side=lambda r, x: r >= x, exact=lambda r, x: r == x - 1)
    clause, enums = _clause(y=("int", "test_ingen(k)"))
    given = {"k": 3, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}}
    with pytest.raises(Mismatch, match="has no value for these inputs"):
        assert_same(clause, enums, given)
    with pytest.raises(Mismatch, match="has no value for these inputs"):
        z3_values(clause, enums, given)


def test_a_translation_that_is_a_relation_is_found_but_only_when_asked(monkeypatch):
    """Z3 meaning x <= r <= x + 1 (two values for k = 3). The exact value 3 is a model, so only
    the last question (is there another value?) finds it; without ``unique`` it is not asked."""
    _builtin(monkeypatch, "test_tva", side=lambda r, x: z3.And(r >= x, r <= x + 1))
    clause, enums = _clause(y=("int", "test_tva(k)"))
    given = {"k": 3, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}}
    with pytest.raises(Mismatch, match="admits other values"):
        assert_same(clause, enums, given)
    with pytest.raises(Mismatch, match="admits other values"):
        z3_values(clause, enums, given, expected={"y": 3})
    assert z3_values(clause, enums, given, unique=False)["y"] in (3, 4)


def test_the_exact_definitions_are_what_makes_an_abstraction_a_function(monkeypatch):
    # side r >= x alone allows every r >= 3; with the exact definition r == x only 3
    _builtin(monkeypatch, "test_exakt", side=lambda r, x: r >= x, exact=lambda r, x: r == x)
    clause, enums = _clause(y=("int", "test_exakt(k)"))
    assert assert_same(clause, enums, {"k": 3, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}}) == {"y": 3}


def test_a_determined_but_wrong_exact_definition_is_a_mismatch(monkeypatch):
    # side x <= r <= x + 1 admits the true value; the exact definition r == x + 1 picks the other
    _builtin(monkeypatch, "test_fel", side=lambda r, x: z3.And(r >= x, r <= x + 1), exact=lambda r, x: r == x + 1)
    clause, enums = _clause(y=("int", "test_fel(k)"))
    with pytest.raises(Mismatch, match=r"\.y: exact 3 but Z3 4"):
        assert_same(clause, enums, {"k": 3, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}})


def test_every_query_gives_up_after_30_seconds_and_giving_up_is_a_mismatch(monkeypatch):
    """The solver's timeout is the cross-check's bound (30 000 ms, set on its one solver);
    a query that gives up (unknown) fails the check, it never passes it."""
    seen: list = []

    class Recording(z3.Solver):
        def set(self, *args, **kw):
            seen.append(args)
            return super().set(*args, **kw)

    monkeypatch.setattr(z3, "Solver", Recording)
    clause, enums = _clause(m=("int", "k * grans"))
    given = {"k": 4, "vem": "p1", "x": {"p1": 0, "p2": 0, "p3": 0}}
    assert assert_same(clause, enums, given) == {"m": 12}
    assert seen == [("timeout", 30_000)]
    monkeypatch.setattr(Recording, "check", lambda self, *a: z3.unknown)
    with pytest.raises(Mismatch, match=r"\(unknown\)"):
        assert_same(clause, enums, given)
