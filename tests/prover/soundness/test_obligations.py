"""The soundness corpus, one kind of obligation at a time: a false statement comes out
*counterexample* (and its replay, run exactly as a spec example, shows the failure), a true one
*proved*, and one the solver cannot decide (non-linear, a tiny timeout) *unknown* — never
proved, never a crash. The five "false proved" mutants of issue 18 are each killed here or in
test_facts.py (named in the test's text)."""

from __future__ import annotations

import pytest

from avtalsregler.project.evaluate import holds

from .corpus import prover, replay

INT = {"type": "int", "min": 0, "max": 100}
SIGNED = {"type": "int", "min": -5, "max": 5}
POSITIVE = {"type": "int", "min": 1, "max": 5}
MAP = {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}
BIG = {"type": "int", "min": 1, "max": 1000000}
FERMAT = "a * a * a + b * b * b == c * c * c"


# -- invariants ---------------------------------------------------------------------------------
PLAIN = dict(inputs={"a": INT, "b": INT}, definitions={"summa": ("int", "a + b")},
             invariants={"falsk": "summa > a", "sann": "summa >= a"})


def test_invariant_false_is_a_counterexample_that_replays():
    p, _ = prover(**PLAIN)
    r = p.invariant("falsk")
    assert r.status == "counterexample" and r.replay["b"] == 0, (r.status, r.replay)
    ex = replay(r, holds="falsk", **PLAIN)
    assert not ex.ok and ex.mismatches[0][:3] == ("falsk", "gäller", "gäller inte")


def test_invariant_true_is_proved():
    p, _ = prover(**PLAIN)
    assert p.invariant("sann").status == "proved"


# -- a generic member, and a generic pair -------------------------------------------------------
GENERIC = dict(inputs={"x": MAP}, invariants={
    "medlem_sann": "forall(k in part, x[k] >= 0)",
    "medlem_falsk": "forall(k in part, x[k] > 0)",
    "par_sann": "forall(a in part, forall(b in part, implies(a == b, x[a] == x[b])))",
    # false in the case a == b only (every input is a counterexample): the generic pair proof
    # must prove the case "the same member" too (mutant 1 dropped it and said "proved")
    "par_falsk": "forall(a in part, forall(b in part, implies(x[a] == x[b], a != b)))",
    "par_falsk_olika": "forall(a in part, forall(b in part, implies(x[a] == x[b], a == b)))",
})


def test_generic_member_true_is_proved_once_for_a_generic_member():
    p, _ = prover(**GENERIC)
    r = p.invariant("medlem_sann")
    assert r.status == "proved" and "godtycklig medlem" in r.detail, r.detail
    assert isinstance(r.seconds, float) and 0 <= r.seconds < 60, r.seconds     # the time, not the detail


def test_generic_member_false_is_a_counterexample_that_replays():
    p, _ = prover(**GENERIC)
    r = p.invariant("medlem_falsk")
    assert r.status == "counterexample", (r.status, r.detail)
    assert 0 in r.replay["x"].values()
    assert not replay(r, holds="medlem_falsk", **GENERIC).ok


def test_generic_pair_true_is_proved_for_two_generic_members():
    p, _ = prover(**GENERIC)
    r = p.invariant("par_sann")
    assert r.status == "proved" and "två godtyckliga" in r.detail, r.detail


@pytest.mark.parametrize("name", ["par_falsk", "par_falsk_olika"])
def test_generic_pair_false_is_a_counterexample(name):
    """Mutant 1 (issue 18): the generic pair proof without the case a == b proved par_falsk."""
    p, _ = prover(**GENERIC)
    r = p.invariant(name)
    assert r.status == "counterexample", (r.status, r.detail)
    assert not replay(r, holds=name, **GENERIC).ok


# -- consistency of the assumptions -------------------------------------------------------------
def test_contradictory_assumptions_are_a_counterexample():
    p, _ = prover(inputs={"a": INT}, assume=["a > 10", "a < 5"])
    assert p.consistent().status == "counterexample"


def test_consistent_assumptions_are_proved_with_a_witness_that_meets_them():
    kw = dict(inputs={"a": INT, "b": INT}, assume=["a > 10", "a + b == 50"], definitions={"d": ("int", "a - b")})
    p, _ = prover(**kw)
    r = p.consistent()
    assert r.status == "proved" and r.replay["a"] > 10 and r.replay["a"] + r.replay["b"] == 50
    ex = replay(r, expect={"d": f"{r.replay['a'] - r.replay['b']}"}, **kw)
    assert ex.ok, ex.message          # the witness runs: it breaks no assumption


def test_undecidable_consistency_is_unknown_not_a_crash():
    """Mutant 4 (issue 18): unknown taken as satisfiable proved the assumptions consistent (and
    then crashed with "model is not available"). Fermat's n = 3 has no solution; Z3 cannot
    show that in a second."""
    p, _ = prover(timeout_s=1, inputs={"a": BIG, "b": BIG, "c": BIG}, assume=[FERMAT])
    r = p.consistent()
    assert r.status == "unknown", (r.status, r.detail)


# -- definedness ---------------------------------------------------------------------------------
def test_partial_operation_reached_is_a_counterexample_that_replays():
    kw = dict(inputs={"a": INT, "n": SIGNED}, definitions={"kvot": ("fraction", "a / n")})
    p, _ = prover(**kw)
    [r] = p.defined()
    assert r.status == "counterexample" and r.replay["n"] == 0
    ex = replay(r, expect={"kvot": "0"}, **kw)
    assert not ex.ok and "division by zero" in ex.message


def test_partial_operation_never_reached_is_proved():
    p, _ = prover(inputs={"a": INT, "n": SIGNED},
                  definitions={"kvot": ("fraction", "a / n if n != 0 else 0"), "rest": ("int", "a % (abs(n) + 1)")})
    [r] = p.defined()
    assert r.status == "proved" and "2 partial operations" in r.detail, r.detail


def test_one_undefined_among_several_partial_operations_is_found():
    """Mutant 5 (issue 18): the all-at-once query with ``And`` for ``Or`` asks for every partial
    operation to fail at once; here only the second can."""
    p, _ = prover(inputs={"a": INT, "m": POSITIVE, "n": SIGNED},
                  definitions={"d1": ("fraction", "a / m"), "d2": ("fraction", "a / n")})
    out = p.defined()
    assert [r.status for r in out] == ["proved", "counterexample"], [(r.name, r.status) for r in out]


def test_undecidable_definedness_is_unknown():
    p, _ = prover(timeout_s=1, inputs={"a": BIG, "b": BIG, "c": BIG},
                  definitions={"d": ("fraction", "a / (a * a * a + b * b * b - c * c * c)")})
    assert {r.status for r in p.defined()} == {"unknown"}


# -- satisfiability of the requirements ----------------------------------------------------------
def _requirements(*exprs):
    return {f"krav_{i}": {"kind": "requirement", "type": "bool", "expr": e, "description": "krav"}
            for i, e in enumerate(exprs)}


def test_contradictory_requirements_are_a_counterexample():
    p, _ = prover(inputs={"a": INT}, definitions=_requirements("a > 5", "a < 3"))
    r = p.satisfiable()
    assert r.status == "counterexample" and "krav_0" in r.detail


def test_compatible_requirements_are_proved_with_a_witness():
    kw = dict(inputs={"a": INT}, definitions=_requirements("a > 5", "a < 7"))
    p, _ = prover(**kw)
    r = p.satisfiable()
    assert r.status == "proved" and r.replay == {"a": 6}
    assert replay(r, expect={"krav_0": True, "krav_1": True}, **kw).ok


def test_undecidable_requirements_are_unknown():
    p, _ = prover(timeout_s=1, inputs={"a": BIG, "b": BIG, "c": BIG}, definitions=_requirements(FERMAT))
    assert p.satisfiable().status == "unknown"


# -- parameter ranges ------------------------------------------------------------------------------
RANGED = dict(inputs={"a": INT}, parameters={"grans": {"type": "int", "value": 3}},
              definitions={"over": ("bool", "a > grans")},
              invariants={"sann": {"holds": "implies(over, a >= 1)", "parameters": "ranges"},
                          "falsk": {"holds": "implies(over, a >= 3)", "parameters": "ranges"}})


def test_rule_value_inside_the_range_is_proved_and_outside_a_counterexample():
    p, _ = prover(ranges={"grans": {"min": 0, "max": 10}}, **RANGED)
    assert [r.status for r in p.in_ranges()] == ["proved"]
    p, _ = prover(ranges={"grans": {"min": 5, "max": 10}}, **RANGED)
    [r] = p.in_ranges()
    assert r.status == "counterexample" and "outside" in r.detail


def test_invariant_over_ranges_false_for_one_value_is_a_counterexample():
    kw = dict(ranges={"grans": {"min": 0, "max": 10}}, **RANGED)
    p, _ = prover(**kw)
    assert p.invariant("sann").status == "proved"
    r = p.invariant("falsk")
    assert r.status == "counterexample" and r.replay["grans"] < 2 and r.replay["a"] < 3, r.replay
    # the replay names the parameter's value, which a spec example cannot give (an example
    # runs the rule as it stands): it is replayed with the exact semantics directly
    clause, inv = p.clause, next(i for i in p.spec.invariants if i.name == "falsk")
    assert holds(clause, p.enums, dict(r.replay), inv.expr) is False


# -- the solver gives up -----------------------------------------------------------------------------
def test_non_linear_invariant_is_unknown_never_proved():
    p, _ = prover(timeout_s=1, inputs={"a": BIG, "b": BIG, "c": BIG},
                  invariants={"fermat": "a * a * a + b * b * b != c * c * c"})
    r = p.invariant("fermat")
    assert r.status == "unknown" and not r.ok, (r.status, r.detail)


def test_every_obligation_with_a_tiny_timeout_is_unknown_or_honest():
    """With a tiny timeout nothing false may pass: every obligation of a rule with a false
    invariant, a partial operation and non-linear terms is either proved (and then true) or not ok."""
    p, _ = prover(timeout_s=0.001, inputs={"a": BIG, "b": BIG, "c": BIG, "n": SIGNED},
                  definitions={"kvot": ("fraction", "a / n"), **_requirements("a * b == c * c")},
                  invariants={"falsk": "a * a * a + b * b * b != c * c * c + 1"})
    out = {r.name: r for r in p.all()}
    assert not out["falsk"].ok and not any(r.ok for r in out.values() if r.kind == "defined"), \
        {n: r.status for n, r in out.items()}


@pytest.mark.parametrize("expr,bad", [("make_date(2024, k, 1)", "k"), ("make_date(2024, 1, k)", "k"),
                                      ("make_date(2023, 2, k + 29)", "k")])
def test_a_date_not_in_the_calendar_is_found_by_definedness(expr, bad):
    """make_date's own condition (month 1–12, day within the month) is the definedness
    obligation: a Z3 meaning that let month 0 or day 0 through would say "defined" falsely."""
    kw = dict(inputs={"k": {"type": "int", "min": 0, "max": 12}}, definitions={"datum": ("date", expr)})
    p, _ = prover(**kw)
    bad = [r for r in p.defined() if r.status == "counterexample"]
    assert bad, [(r.name, r.status) for r in p.defined()]
    ex = replay(bad[0], expect={"datum": "2024-01-01"}, **kw)
    assert not ex.ok and "not in the calendar" in ex.message, ex.message


def test_a_model_that_only_breaks_an_abstraction_is_unknown():
    """True exactly (a quota is total · weight / weight sum) but beyond the quota's linear facts:
    the solver's model breaks only the abstraction; refining with the exact definition finds no
    real counterexample, so the answer is unknown — not proved, not a crash."""
    p, _ = prover(inputs={"a": {"type": "money", "min": 0, "max": 1000}, "vem": "part",
                          "x": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}},
                  assume=["sum(j in part, x[j]) > 0"], definitions={"kvot": ("fraction", "quota(a, x)[vem]", "öre")},
                  invariants={"exakt": "kvot * sum(j in part, x[j]) == a * x[vem]"})
    r = p.invariant("exakt")
    assert r.status == "unknown" and "abstraction" in r.detail, (r.status, r.detail)


def test_a_real_counterexample_found_by_refinement_is_shown():
    """False exactly: with weights 1, 1, 1 and a = 10,00 kr the quota is 1000/3 öre, so
    ``kvot * 3 != 1000`` fails. The solver's first model, from the quota's linear facts only,
    breaks just the abstraction (its inputs satisfy the invariant when computed exactly);
    refining with the exact definition then finds a real counterexample. It must be reported as
    one, and its replay must fail, not the proof crash (invariants.py, ``_refine``)."""
    kw = dict(inputs={"a": {"type": "money", "min": 0, "max": 1000}, "vem": "part",
                      "x": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}},
              assume=["sum(j in part, x[j]) > 0"], definitions={"kvot": ("fraction", "quota(a, x)[vem]", "öre")},
              invariants={"inte_tredjedel": "kvot * 3 != 1000"})
    p, _ = prover(**kw)
    r = p.invariant("inte_tredjedel")
    assert r.status == "counterexample", (r.status, r.detail)
    assert not replay(r, holds="inte_tredjedel", **kw).ok
