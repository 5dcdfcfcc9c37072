"""prover/prove.py, the obligations about the rule itself: the rule's values lie in the spec's
ranges (both ends included); the assumptions are consistent in every split case; the
requirements can all hold; every partial operation is defined (each one named when not); the
list of all obligations; the cache flags of ``counted``; and ``z3_value``, Z3's own value of a
definition for fixed inputs, refused when the Z3 meaning does not determine it. A false
statement is never proved, an undecided one is unknown. Tiny rules (soundness/corpus.py)."""

from __future__ import annotations

import pytest

from avtalsregler.language.functions import BUILTINS, Builtin
from avtalsregler.language.types import Type
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.prove import Prover, z3_value

from ..soundness.corpus import prover

INT = {"type": "int", "min": 0, "max": 100}
SIGNED = {"type": "int", "min": -5, "max": 5}
POSITIVE = {"type": "int", "min": 1, "max": 5}
BIG = {"type": "int", "min": 1, "max": 1000000}
FERMAT = "a * a * a + b * b * b == c * c * c"


def _ranged(low, high, value=3):
    return dict(inputs={"a": INT}, parameters={"grans": {"type": "int", "value": value}},
                definitions={"over": ("bool", "a > grans")}, ranges={"grans": {"min": low, "max": high}},
                invariants={"sann": "implies(over, a >= 1)"})


# -- in_ranges --------------------------------------------------------------------------------------
@pytest.mark.parametrize("low,high,ok", [(3, 10, True), (0, 3, True), (3, 3, True), (0, 10, True),
                                         (4, 10, False), (0, 2, False)])
def test_the_rules_value_is_in_the_range_both_ends_included(low, high, ok):
    p, _ = prover(**_ranged(low, high))
    [r] = p.in_ranges()
    assert (r.name, r.kind, r.status) == ("intervall_grans", "range", "proved" if ok else "counterexample")
    if ok:
        assert r.detail == "" and r.ok
    else:
        assert r.detail == f"grans = 3 is outside {low} … {high}: widen the range in the spec (and prove again)"


def test_no_ranges_no_range_obligation():
    p, _ = prover(inputs={"a": INT}, definitions={"s": ("int", "a + 1")})
    assert p.in_ranges() == []


# -- consistent ---------------------------------------------------------------------------------------
SPLIT_BAD = dict(inputs={"a": INT}, parameters={"grans": {"type": "int", "value": 1}},
                 assume=["a < 10 * (3 - grans)"],       # grans = 3: a < 0, against a >= 0
                 definitions={"over": ("bool", "a > grans")},
                 ranges={"grans": {"min": 0, "max": 3, "split": True}},
                 invariants={"sann": "implies(over, a >= 1)"})


def test_consistent_in_every_split_case_or_a_counterexample():
    """Over grans in 0 … 3, split value by value: the first three cases are consistent, the last
    is not (a < 0 with a >= 0). Consistency over the ranges is then not proved."""
    p, _ = prover(**SPLIT_BAD)
    assert p.consistent().status == "proved"                          # the rule's own value 1
    r = p.consistent(p.range_world, "_intervall")
    assert (r.name, r.status) == ("antaganden_forenliga_intervall", "counterexample"), (r.name, r.status)
    assert r.detail == "the assumptions contradict each other: no input satisfies them"
    ok, _ = prover(**{**SPLIT_BAD, "assume": ["a < 10 * (4 - grans)"]})
    r = ok.consistent(ok.range_world, "_intervall")
    assert r.status == "proved" and r.detail == "witness" and set(r.inputs) == {"a", "grans"} and r.seconds > 0
    assert r.replay["a"] < 10 * (4 - r.replay["grans"])


def test_consistent_witness_and_contradiction_and_unknown():
    p, _ = prover(inputs={"a": INT}, assume=["a > 98"], definitions={"s": ("int", "a + 1")})
    r = p.consistent()
    assert (r.name, r.kind, r.status, r.detail) == ("antaganden_forenliga", "consistent", "proved", "witness")
    assert r.replay["a"] in (99, 100) and r.inputs["a"] == str(r.replay["a"]) and r.seconds > 0
    p, _ = prover(inputs={"a": INT}, assume=["a > 10", "a < 5"], definitions={"s": ("int", "a + 1")})
    r = p.consistent()
    assert r.status == "counterexample" and "contradict" in r.detail and r.inputs == {}
    p, _ = prover(timeout_s=0.3, inputs={"a": BIG, "b": BIG, "c": BIG}, assume=[FERMAT],
                  definitions={"s": ("int", "a + 1")})
    r = p.consistent()
    assert r.status == "unknown" and r.detail == "timeout" and not r.ok, (r.status, r.detail)


# -- satisfiable --------------------------------------------------------------------------------------
def _reqs(*exprs, **plain):
    out = {f"krav_{i}": {"kind": "requirement", "type": "bool", "expr": e, "description": "krav"}
           for i, e in enumerate(exprs)}
    out.update({n: ("bool", e) for n, e in plain.items()})
    return out


def test_requirements_that_can_hold_have_a_witness_and_other_definitions_do_not_count():
    """krav_0 (a > 5) can hold; the plain condition liten (a < 3) is no requirement, so it does
    not make them contradict."""
    p, _ = prover(inputs={"a": INT}, definitions=_reqs("a > 5", "a < 7", liten="a < 3"))
    r = p.satisfiable()
    assert (r.name, r.kind, r.status) == ("krav_forenliga", "satisfiable", "proved")
    assert r.detail == "witness: krav_0, krav_1" and r.replay == {"a": 6} and r.inputs == {"a": "6"}
    assert r.outputs == {"krav_0": "ja", "krav_1": "ja"}        # the requirements named, computed exactly


def test_requirements_that_contradict_and_that_are_undecided():
    p, _ = prover(inputs={"a": INT}, definitions=_reqs("a > 5", "a < 3"))
    r = p.satisfiable()
    assert r.status == "counterexample" and r.detail == "no situation meets all of: krav_0, krav_1"
    p, _ = prover(timeout_s=0.3, inputs={"a": BIG, "b": BIG, "c": BIG}, definitions=_reqs(FERMAT))
    r = p.satisfiable()
    assert r.status == "unknown" and r.detail == "timeout", (r.status, r.detail)


def test_no_requirements_is_satisfiable():
    p, _ = prover(inputs={"a": INT}, definitions={"s": ("int", "a + 1"), "liten": ("bool", "a < 0")})
    r = p.satisfiable()
    assert r.status == "proved" and r.detail == "no requirements"


# -- defined ------------------------------------------------------------------------------------------
def test_no_partial_operation_is_defined():
    p, _ = prover(inputs={"a": INT}, definitions={"s": ("int", "a + 1")})
    [r] = p.defined()
    assert (r.name, r.kind, r.status) == ("definierad", "defined", "proved")
    assert r.detail == "no partial operation (division, date arithmetic) occurs in the rule"


def test_every_partial_operation_defined_is_one_proof():
    p, _ = prover(inputs={"a": INT, "b": POSITIVE}, definitions={"k": ("fraction", "a / b"), "m": ("fraction", "b / b")})
    [r] = p.defined()
    assert (r.name, r.status) == ("definierad", "proved")
    assert r.detail.startswith("2 partial operations, all defined: "), r.detail


def test_each_partial_operation_is_named_when_one_is_undefined():
    """a / b is defined (b >= 1); a / n is not for n = 0: the counterexample is n = 0."""
    p, _ = prover(inputs={"a": INT, "b": POSITIVE, "n": SIGNED},
                  definitions={"k": ("fraction", "a / b"), "q": ("fraction", "a / n")})
    one, two = p.defined()
    assert (one.name, one.status, two.name, two.status) == \
        ("definierad_1", "proved", "definierad_2", "counterexample")
    assert two.replay["n"] == 0 and two.inputs["n"] == "0" and two.detail.endswith("for these inputs")
    assert "(fel)" in two.outputs
    r = p.defined(p.rule_world, "_x")
    assert [q.name for q in r] == ["definierad_x_1", "definierad_x_2"]


def test_a_partial_operation_undecided_is_unknown():
    p, _ = prover(timeout_s=0.3, inputs={"a": BIG, "b": BIG, "c": BIG},
                  definitions={"k": ("fraction", "a / (a * a * a + b * b * b - c * c * c)")})
    [r] = p.defined()
    assert (r.name, r.status, r.detail) == ("definierad_1", "unknown", "timeout"), (r.name, r.status, r.detail)


# -- all, counted ----------------------------------------------------------------------------------------
def test_all_obligations_in_order():
    p, _ = prover(inputs={"a": INT, "n": SIGNED}, parameters={"grans": {"type": "int", "value": 3}},
                  definitions={"over": ("bool", "a > grans"), "q": ("fraction", "a / n")},
                  ranges={"grans": {"min": 0, "max": 10}},
                  invariants={"sann": "implies(over, a >= 1)", "falsk": "implies(over, a >= 5)"})
    out = p.all()
    assert [(r.name, r.status) for r in out] == [
        ("antaganden_forenliga", "proved"), ("definierad_1", "counterexample"),
        ("intervall_grans", "proved"), ("antaganden_forenliga_intervall", "proved"),
        ("definierad_intervall_1", "counterexample"), ("krav_forenliga", "proved"),
        ("falsk", "counterexample"), ("sann", "proved")], [(r.name, r.status) for r in out]   # spec order (the corpus sorts)


def test_all_has_the_lemmas_of_the_built_ins():
    p, _ = prover(inputs={"a": {"type": "money", "min": 0, "max": 1000}, "vem": "part",
                          "x": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}},
                  assume=["sum(j in part, x[j]) > 0"], definitions={"kvot": ("fraction", "quota(a, x)[vem]", "öre")})
    kinds = [r.kind for r in p.all()]
    assert "lemma" in kinds and kinds[:2] == ["consistent", "defined"], kinds


def test_counted_marks_the_proofs_from_the_cache_and_stored(tmp_path):
    """No cache: neither flag. With a cache, first run: every answer solved now and stored
    (stored, not cached). Again with the same cache: every answer from it (cached and stored)."""
    kw = dict(inputs={"a": INT}, assume=["a > 98"], definitions={"s": ("int", "a + 1")})
    p, project = prover(**kw)
    [r] = p.counted(lambda: [p.consistent()])
    assert (r.cached, r.stored) == (False, False)
    [r] = p.counted(p.defined)                        # asks nothing
    assert (r.cached, r.stored) == (False, False)
    clause, spec = project.clauses["§6"], project.specs["§6"]
    cache = ProofCache(tmp_path / "cache")
    first = Prover(clause, spec, project.enums, 10.0, cache)
    [r] = first.counted(lambda: [first.consistent()])
    assert (r.cached, r.stored) == (False, True)
    [r] = first.counted(first.defined)                # asks nothing: not from the cache, not stored
    assert (r.cached, r.stored) == (False, False)
    again = Prover(clause, spec, project.enums, 10.0, cache)
    [r] = again.counted(lambda: [again.consistent()])
    assert (r.cached, r.stored) == (True, True)
    [a, b] = again.counted(lambda: [again.consistent(), first.consistent()])
    assert (a.cached, a.stored) == (True, True)


def test_counted_with_one_answer_solved_and_one_from_the_cache(tmp_path):
    kw = dict(inputs={"a": INT}, assume=["a > 98"], definitions={"s": ("int", "a + 1")})
    _, project = prover(**kw)
    clause, spec = project.clauses["§6"], project.specs["§6"]
    cache = ProofCache(tmp_path / "cache")
    first = Prover(clause, spec, project.enums, 10.0, cache)
    first.consistent()
    again = Prover(clause, spec, project.enums, 10.0, cache)
    # consistent comes from the cache, satisfiable is solved now: not every answer from the cache
    proofs = again.counted(lambda: [again.consistent(), again.satisfiable()])
    assert [(q.cached, q.stored) for q in proofs] == [(False, True), (False, True)]


# -- z3_value -------------------------------------------------------------------------------------------
def _builtin(monkeypatch, name, z3_meaning):
    """A test-only built-in: exactly the identity; in Z3 (an Ops with ``fresh``) ``z3_meaning``."""
    def apply(ops, v, types, result, span):
        return z3_meaning(ops, v[0]) if hasattr(ops, "fresh") else v[0]
    monkeypatch.setitem(BUILTINS, name, Builtin(name, f"{name}(x)", "test",
                                                lambda args, span, enums: (args, args[0].type), apply))


def _fresh(ops, sides):
    r = ops.fresh("t", Type("int"))
    ops.side.extend(sides(r))
    return r


K = {"k": {"type": "int", "min": -50, "max": 50}}


def test_z3_value_is_z3s_own_meaning_not_the_exact_one_folded_in(monkeypatch):
    _builtin(monkeypatch, "test_plus_ett", lambda ops, x: x + 1)        # Z3: x + 1, exactly: x
    p, project = prover(inputs=K, definitions={"y": ("int", "test_plus_ett(k)"), "z": ("int", "k * 2")})
    assert z3_value(p.clause, project.enums, {"k": 3}, "y") == 4
    assert z3_value(p.clause, project.enums, {"k": 3}, "z") == 6


def test_z3_value_is_determined_by_the_side_constraints(monkeypatch):
    """r with side constraints r >= x + 1 and r <= x + 1: one value, 4 for x = 3."""
    _builtin(monkeypatch, "test_bestamd", lambda ops, x: _fresh(ops, lambda r: [r >= x + 1, r <= x + 1]))
    p, project = prover(inputs=K, definitions={"y": ("int", "test_bestamd(k)")})
    assert z3_value(p.clause, project.enums, {"k": 3}, "y") == 4


def test_z3_value_refuses_unsatisfiable_side_constraints(monkeypatch):
    _builtin(monkeypatch, "test_omojlig", lambda ops, x: _fresh(ops, lambda r: [r > x, r < x]))
    p, project = prover(inputs=K, definitions={"y": ("int", "test_omojlig(k)")})
    with pytest.raises(AssertionError, match="the side constraints of y are unsat for fixed inputs"):
        z3_value(p.clause, project.enums, {"k": 3}, "y")


def test_z3_value_refuses_two_values(monkeypatch):
    _builtin(monkeypatch, "test_tva", lambda ops, x: _fresh(ops, lambda r: [r >= x, r <= x + 1]))
    p, project = prover(inputs=K, definitions={"y": ("int", "test_tva(k)")})
    with pytest.raises(AssertionError, match="y is not determined by fixed inputs"):
        z3_value(p.clause, project.enums, {"k": 3}, "y")


def test_z3_value_gives_up_at_its_timeout(monkeypatch):
    """Side constraints Z3 cannot decide (a cube sum, Fermat for n = 3): unknown within the
    timeout, an error — not a value."""
    def cubes(ops, x):
        a, b, c = (ops.fresh(n, Type("int")) for n in "abc")
        ops.side.extend([a >= 1, b >= 1, c >= 1, a * a * a + b * b * b == c * c * c])
        return x + a - a
    _builtin(monkeypatch, "test_kuber", cubes)
    p, project = prover(inputs=K, definitions={"y": ("int", "test_kuber(k)")})
    with pytest.raises(AssertionError, match="are unknown"):
        z3_value(p.clause, project.enums, {"k": 3}, "y", timeout_s=0.3)


def test_z3_value_of_a_map_is_every_members_value(monkeypatch):
    _builtin(monkeypatch, "test_tva_m", lambda ops, x: _fresh(ops, lambda r: [r >= x, r <= x + 1]))
    p, project = prover(inputs={"x": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 9}},
                        definitions={"dubbel": ({"map": "part", "of": "int"}, "per(j in part, x[j] * 2)"),
                                     "lost": ({"map": "part", "of": "int"}, "per(j in part, test_tva_m(x[j]))")})
    given = {"x": {"p1": 1, "p2": 2, "p3": 3}}
    assert z3_value(p.clause, project.enums, given, "dubbel") == {"p1": 2, "p2": 4, "p3": 6}
    with pytest.raises(AssertionError, match="not determined"):
        z3_value(p.clause, project.enums, given, "lost")


def test_z3_value_gives_z3_its_timeout_in_milliseconds(monkeypatch):
    import z3
    seen = []
    real = z3.Solver.set
    monkeypatch.setattr(z3.Solver, "set", lambda self, *a, **k: (seen.append(a), real(self, *a, **k)))
    p, project = prover(inputs=K, definitions={"z": ("int", "k * 2")})
    assert z3_value(p.clause, project.enums, {"k": 3}, "z", timeout_s=2.5) == 6
    assert ("timeout", 2500) in seen, seen
