"""Unit tests of prover/tensions.py on tiny test rules (tests/prover/soundness/corpus.py: the
test clause §6, whose sentence holds the words "teckna fler överenskommelser"). Each expected
situation is derived by hand in the test's docstring or comment. What matters most: "no tension"
only with a situation that holds when computed exactly, and a solver that gives up is never "no
tension" (``found`` None)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import z3

from avtalsregler.errors import AvtalsreglerError, Span
from avtalsregler.prover import tensions as T
from avtalsregler.prover.tensions import FAILING, STATUSES, Tension, classify, headline

from ..soundness.corpus import prover

W = "teckna fler överenskommelser"
MONEY = {"type": "money", "min": 0, "max": 1000000}


def req(expr):
    return {"kind": "requirement", "type": "bool", "expr": expr, "description": "krav"}


def perm(expr, extent=None):
    return {"kind": "permission", "type": "bool", "expr": expr, "description": "rätt",
            **({"extent": extent} if extent is not None else {})}


def ext(expr):
    return {"words": W, "expr": expr, "description": "fullt ut"}


# Rule A: tak = implies(flag, 2a <= b) (through dubbel = 2a), inom = a <= b, a and b amounts of
# 0..10 000 kr.
RULE_A = dict(inputs={"a": MONEY, "b": MONEY, "flag": "bool"}, definitions={
    "dubbel": ("money", "a * 2"),
    "tak": req("implies(flag, dubbel <= b)"),
    "inom": req("a <= b"),
    "far": perm("flag", [ext("a == b"), ext("a * 2 == b")]),   # a = b > 0 breaks tak; 2a = b meets both
    "plus": perm("flag", ext("a == b + 1")),                    # a > b: breaks inom, and tak (2a > b)
    "aldrig": perm("a < b", ext("a == b")),                     # its own condition excludes its extent
    "fri": perm("not flag"),                                    # no extent: exercised at all
})


def rule_a():
    p, _ = prover(**RULE_A)
    return p, {t.name: t for t in p.tensions()}


def test_the_obligations_of_a_rule_and_their_names():
    p, ts = rule_a()
    # in the order of the definitions (the test rule's are in alphabetical order)
    assert [t.name for t in p.tensions()] == [
        "aldrig_fullt_ut", "far_fullt_ut_1", "far_fullt_ut_2", "fri_fullt_ut", "inom_kan_uppfyllas", "inom_kan_brytas",
        "plus_fullt_ut", "tak_kan_uppfyllas", "tak_kan_brytas", "tak_kan_uppfyllas_nar_det_galler"]
    assert {n: t.kind for n, t in ts.items()} == {
        "tak_kan_uppfyllas": "meetable", "tak_kan_brytas": "breakable", "tak_kan_uppfyllas_nar_det_galler":
        "applicable", "inom_kan_uppfyllas": "meetable", "inom_kan_brytas": "breakable", "far_fullt_ut_1": "extent",
        "far_fullt_ut_2": "extent", "plus_fullt_ut": "extent", "aldrig_fullt_ut": "extent", "fri_fullt_ut": "extent"}
    assert all(t.clause == "§6" and t.definition == t.name.split("_")[0] for t in ts.values())
    assert [d.name for d in p.requirements()] == ["inom", "tak"]
    assert ts["far_fullt_ut_2"].words == W and ts["far_fullt_ut_2"].meaning == "fullt ut"
    assert ts["fri_fullt_ut"].words == "" and ts["fri_fullt_ut"].meaning == ""
    assert ts["far_fullt_ut_1"].claim == f"Rättigheten kan utövas fullt ut (”{W}”) utan att något krav bryts."
    assert ts["fri_fullt_ut"].claim == "Rättigheten kan utövas utan att något krav bryts."
    assert ts["tak_kan_brytas"].claim == "Kravet kan brytas i någon situation (annars säger det ingenting)."
    assert ts["tak_kan_uppfyllas"].claim == "Kravet kan uppfyllas i någon situation."


def test_a_permission_exercised_to_the_full_breaks_a_requirement():
    """far's first extent a = b with flag: tak needs 2a <= b = a, so a <= 0, but the amounts are
    not 0 kr: tak breaks, inom (a <= a) holds. The situation shown is in whole kronor, >= 100 kr."""
    _, ts = rule_a()
    t = ts["far_fullt_ut_1"]
    assert t.found is True and t.broken == ["tak"] and t.detail == "exercised to the full, it breaks tak"
    g = t.given
    assert g["flag"] is True and g["a"] == g["b"] and g["a"] % 100 == 0 and g["a"] >= 10000
    # what the rule computes there: the permission, the requirement it breaks and what that uses
    assert t.computed == {"dubbel": 2 * g["a"], "far": True, "tak": False}
    assert t.outputs["far"] == "ja" and t.outputs["tak"] == "nej" and set(t.outputs) == {"dubbel", "far", "tak"}
    assert t.inputs["flag"] == "ja" and t.replay["flag"] is True and set(t.inputs) == {"a", "b", "flag"}


def test_a_permission_that_breaks_two_requirements_shows_a_situation_breaking_both():
    """plus: a = b + 1 with flag breaks inom (a > b) and tak (2a = 2b + 2 > b) in every situation.
    The situation shown must exist: a requirement the permission cannot meet is never "kept"."""
    _, ts = rule_a()
    t = ts["plus_fullt_ut"]
    assert t.found is True and t.broken == ["inom", "tak"] and t.detail == "exercised to the full, it breaks inom, tak"
    assert t.given["a"] == t.given["b"] + 1 and t.given["flag"] is True


def test_a_permission_whose_extent_its_condition_excludes():
    _, ts = rule_a()
    t = ts["aldrig_fullt_ut"]
    assert t.found is True and t.broken == [] and t.given == {}
    assert t.detail == ("the permission can never be exercised to this extent (with amounts other than 0 kr): "
                        "its condition excludes it")


def test_no_tension_only_with_a_situation_computed_exactly():
    """far's second extent 2a = b meets tak (2a <= b) and inom (a <= 2a); fri (not flag) meets
    both (tak vacuously), with amounts other than 0 kr."""
    _, ts = rule_a()
    for name in ("far_fullt_ut_2", "fri_fullt_ut"):
        t = ts[name]
        assert t.found is False and t.broken == [] and t.detail == "witness: exercised to the full, every requirement holds"
        assert t.computed["tak"] is True and t.computed["inom"] is True
    g = ts["far_fullt_ut_2"].given
    assert g["a"] * 2 == g["b"] and g["a"] != 0 and g["flag"] is True
    assert ts["fri_fullt_ut"].given["flag"] is False


def test_requirements_can_be_met_and_broken_with_amounts():
    _, ts = rule_a()
    for name, holds in (("tak_kan_uppfyllas", True), ("tak_kan_brytas", False),
                        ("inom_kan_uppfyllas", True), ("inom_kan_brytas", False)):
        t = ts[name]
        assert t.found is False and t.detail == "witness: " + ("met" if holds else "broken")
        assert t.computed[name.split("_")[0]] is holds and t.given["a"] != 0 and t.given["b"] != 0
    assert set(ts["inom_kan_brytas"].given) == {"a", "b"}               # only what inom reads
    assert ts["inom_kan_brytas"].given["a"] > ts["inom_kan_brytas"].given["b"]


def test_a_requirement_is_met_where_it_applies():
    """tak applies when flag holds: 2a <= b with inom (a <= b) too, e.g. a = 1, b = 2."""
    _, ts = rule_a()
    t = ts["tak_kan_uppfyllas_nar_det_galler"]
    assert t.found is False and t.detail == "witness: met when it applies, every requirement holds"
    assert t.given["flag"] is True and 0 < t.given["a"] and t.given["a"] * 2 <= t.given["b"]
    assert t.claim == "Kravet kan uppfyllas när det gäller, utan att något annat krav bryts."


def test_a_requirement_that_can_only_be_met_where_it_does_not_apply():
    """om = implies(flag, a <= b) applies when flag holds, and aldrig = not flag forbids that:
    om can only be met by not applying. aldrig itself is no implies(): no such obligation."""
    p, _ = prover(inputs={"a": MONEY, "b": MONEY, "flag": "bool"},
                  definitions={"om": req("implies(flag, a <= b)"), "aldrig": req("not flag")})
    ts = {t.name: t for t in p.tensions()}
    assert "aldrig_kan_uppfyllas_nar_det_galler" not in ts
    t = ts["om_kan_uppfyllas_nar_det_galler"]
    assert t.found is True and t.broken == ["aldrig"] and t.given["flag"] is True
    assert t.detail == "met when it applies, it breaks aldrig"


def test_the_requirements_broken_are_found_where_some_amount_is_not_zero():
    """f (flag, to the full extent a >= 0 and b >= 0: it reads a and b) against
    rt = implies(flag, a == 0) and rz = b == 0: not both with an amount other than 0 kr. Where
    some amount is not 0 (the weakest level) rt can be met (a = 0, b != 0) and rz then breaks:
    the situation shown meets rt and breaks rz only (where every amount is other than 0, both
    would break)."""
    p, _ = prover(inputs={"a": MONEY, "b": MONEY, "flag": "bool"},
                  definitions={"f": perm("flag", ext("a >= 0 and b >= 0")), "rt": req("implies(flag, a == 0)"), "rz": req("b == 0")})
    t = {t.name: t for t in p.tensions()}["f_fullt_ut"]
    assert t.found is True and t.broken == ["rz"] and t.given["a"] == 0 and t.given["b"] != 0


def test_a_permission_against_a_requirement_with_one_amount():
    """p (a >= 0, to the full extent flag) against nej = not flag: broken in every situation;
    the one amount a is shown in whole kronor (a multiple of 100 öre, at least 100 kr)."""
    p, _ = prover(inputs={"a": MONEY, "flag": "bool"}, definitions={"p": perm("a >= 0", ext("flag")), "nej": req("not flag")})
    assert len(p.nonzero({"p", "a"})) == 1
    t = {t.name: t for t in p.tensions()}["p_fullt_ut"]
    assert t.found is True and t.broken == ["nej"] and t.given["flag"] is True
    assert t.given["a"] % 100 == 0 and t.given["a"] >= 10000


# Rule B: amounts in a narrow range, so that the one "nice" situation is known by hand:
# a in 0..100 kr, c in -100..-0,01 kr: a multiple of 100 öre of at least 100 kr is a = 10 000,
# c = -10 000.
RULE_B = dict(inputs={"a": {"type": "money", "min": 0, "max": 10000},
                      "c": {"type": "money", "min": -10000, "max": -1}},
              definitions={"taut": req("a >= 0 and c < 0"), "omojligt": req("a < 0")})


def test_a_tautology_and_a_requirement_never_met_are_shown_in_whole_kronor():
    p, _ = prover(**RULE_B)
    ts = {t.name: t for t in p.tensions()}
    t = ts["taut_kan_brytas"]
    assert t.found is True and t.detail == "the requirement can never be broken (a tautology): it says nothing"
    assert t.given == {"a": 10000, "c": -10000}
    t = ts["omojligt_kan_uppfyllas"]
    assert t.found is True and t.detail == "the requirement can never be met (with amounts other than 0 kr)"
    assert t.given == {"a": 10000}
    assert ts["taut_kan_uppfyllas"].found is False and ts["omojligt_kan_brytas"].found is False


def test_amount_levels_and_nice_amounts():
    p, _ = prover(inputs={"a": MONEY, "c": {"type": "money", "min": -10000, "max": -1},
                          "m": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 100},
                          "n": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}, "flag": "bool"},
                  definitions={"r": req("a >= 0 and c < 0 and m['p1'] >= 0 and n['p1'] == 0 and flag"),
                               "bara_a": req("a >= 0"), "bara_m": req("m['p2'] >= 0"),
                               "inga": req("flag and n['p3'] == 0")})
    assert [n for n, _ in p.money_inputs({"r"})] == ["a", "c", "m"]
    assert [[str(x) for x in level] for level in p.nonzero({"r"})] == [
        ["Or(a != 0)", "Or(c != 0)", "Or(m[p1] != 0, m[p2] != 0, m[p3] != 0)"],
        ["Or(a != 0, c != 0, m[p1] != 0, m[p2] != 0, m[p3] != 0)"]]
    assert [[str(x) for x in level] for level in p.nonzero({"bara_a"})] == [["Or(a != 0)"]]
    # one map: "some entry is not 0" is both levels at once
    assert [[str(x) for x in level] for level in p.nonzero({"bara_m"})] == [["Or(m[p1] != 0, m[p2] != 0, m[p3] != 0)"]]
    assert p.nonzero({"inga"}) == [[]] and p.money_inputs({"inga"}) == []
    assert [str(x) for x in p.nice({"bara_a"})] == ["a%100 == 0", "Or(a >= 10000, a <= -10000)"]
    assert len(p.nice({"r"})) == 10 and p.nice({"inga"}) == []
    ts = {t.name: t for t in p.tensions()}
    # inga reads no amount: met with n['p3'] = 0 (an int map is not an amount to keep from 0)
    assert ts["inga_kan_uppfyllas"].found is False and ts["inga_kan_uppfyllas"].given["n"]["p3"] == 0


def test_a_partial_operation_in_an_extent_is_defined_where_it_is_used():
    """ext 'a / b == 1' is only defined for b != 0; its term says so, so the permission's
    situation has b != 0 and no obligation of the extent is left behind."""
    p, _ = prover(inputs={"a": MONEY, "b": MONEY}, definitions={"r": req("a <= b"), "f": perm("a >= 0", ext("a / b == 1"))})
    before = (len(p.ops.obligations), len(p.ops.claims))
    ts = {t.name: t for t in p.tensions()}
    assert (len(p.ops.obligations), len(p.ops.claims)) == before
    t = ts["f_fullt_ut"]
    assert t.found is False and t.given["a"] == t.given["b"] != 0
    term = p.term_of(p.clause.definitions["f"].extents[0].expr)
    s = z3.Solver()
    s.add(term, p.vars["b"] == 0)
    assert s.check() == z3.unsat


# -- a solver that gives up, and witnesses that do not hold exactly ------------------------------------
class GaveUp:
    def reason_unknown(self):
        return "timeout"


def gives_up(p, monkeypatch):
    monkeypatch.setattr(p, "solve", lambda goal, timeout_s, extra=None: (z3.unknown, GaveUp(), 0.0))


def test_a_solver_that_gives_up_decides_nothing(monkeypatch):
    p, _ = prover(**RULE_A)
    gives_up(p, monkeypatch)
    ts = p.tensions()
    assert len(ts) == 10
    for t in ts:
        assert t.found is None and t.detail == "the solver gave up: timeout" and t.broken == [] and t.given == {}


def scripted(p, monkeypatch, answers):
    """p.solve answers from ``answers`` in turn (result, solver), each taking 1 s."""
    calls = []

    def solve(goal, timeout_s, extra=None):
        calls.append(extra)
        return (*answers[len(calls) - 1], 1.0)
    monkeypatch.setattr(p, "solve", solve)
    return calls


def test_the_levels_of_nonzero_amounts_are_tried_strictest_first(monkeypatch):
    p, _ = prover(**RULE_A)
    g = z3.BoolVal(True)
    sat, uns, unk, unk2 = (z3.sat, "s1"), (z3.unsat, "s2"), (z3.unknown, "u1"), (z3.unknown, "u2")
    cases = [([sat], (z3.sat, "s1", 1.0), 1), ([uns, sat], (z3.sat, "s1", 2.0), 2),
             ([uns, uns], (z3.unsat, "s2", 2.0), 2), ([unk, uns], (z3.unknown, "u1", 2.0), 2),
             ([uns, unk], (z3.unknown, "u1", 2.0), 2), ([unk, unk2], (z3.unknown, "u1", 2.0), 2),
             ([unk, sat], (z3.sat, "s1", 2.0), 2)]
    for answers, want, n in cases:
        calls = scripted(p, monkeypatch, answers)
        assert p.solve_nondegenerate(g, {"inom"}) == want, answers
        assert len(calls) == n
        assert [[str(x) for x in e] for e in calls] == [["Or(a != 0)", "Or(b != 0)"], ["Or(a != 0, b != 0)"]][:n]
    calls = scripted(p, monkeypatch, [uns])
    assert p.solve_nondegenerate(g, set()) == (z3.unsat, "s2", 1.0) and calls == [[]]


def counting(p, monkeypatch):
    """p.solve as it is, but each query taking 0.5 s: a tension's seconds are then half the
    number of queries it asked."""
    real, calls = p.solve, []

    def solve(goal, timeout_s, extra=None):
        r, s, _ = real(goal, timeout_s, extra)
        calls.append(1)
        return r, s, 0.5
    monkeypatch.setattr(p, "solve", solve)
    return calls


def test_seconds_are_the_sum_over_every_query(monkeypatch):
    p, _ = prover(**RULE_A)
    calls = counting(p, monkeypatch)
    d = p.clause.definitions
    for make in (lambda: p.extent(d["far"], d["far"].extents[0], "x"), lambda: p.extent(d["plus"], d["plus"].extents[0], "x"),
                 lambda: p.extent(d["aldrig"], d["aldrig"].extents[0], "x"), lambda: p.requirement(d["tak"], True),
                 lambda: p.applicable(d["tak"])):
        calls.clear()
        t = make()
        assert len(calls) >= 1 and t.seconds == 0.5 * len(calls)
    p2, _ = prover(**RULE_B)
    calls = counting(p2, monkeypatch)
    t = p2.requirement(p2.clause.definitions["taut"], False)
    assert t.found is True and len(calls) >= 2 and t.seconds == 0.5 * len(calls)


def test_a_witness_that_does_not_hold_exactly_is_not_trusted(monkeypatch):
    """The solver's situations are computed exactly: one that does not hold is never "no
    tension" (an abstraction too coarse): found is None."""
    p, _ = prover(**RULE_A)
    monkeypatch.setattr(p, "exact", lambda given, name: False)
    ts = {t.name: t for t in p.tensions()}
    for name in ("far_fullt_ut_2", "fri_fullt_ut", "tak_kan_uppfyllas", "tak_kan_uppfyllas_nar_det_galler"):
        assert ts[name].found is None, name
        assert ts[name].detail == "the solver's witness does not hold when computed exactly; not proved"
        assert ts[name].given == {}
    assert ts["tak_kan_brytas"].found is False                 # broken: exactly what exact() says
    # a situation for a tension that breaks nothing when computed exactly: not decided either
    t = ts["far_fullt_ut_1"]
    assert t.found is True and t.broken == ["inom", "tak"]
    monkeypatch.setattr(p, "exact", lambda given, name: True)
    ts = {t.name: t for t in p.tensions()}
    t = ts["far_fullt_ut_1"]
    assert t.found is None and t.broken == [] and "an abstraction was too coarse" in t.detail
    assert ts["tak_kan_brytas"].found is None


def test_an_error_computing_the_witness_is_not_trusted(monkeypatch):
    p, _ = prover(**RULE_A)

    def fails(*args, **kw):
        raise AvtalsreglerError("no value", Span("x", 1, 1))
    monkeypatch.setattr(T, "holds", fails)
    ts = {t.name: t for t in p.tensions()}
    assert ts["far_fullt_ut_2"].found is None and ts["tak_kan_uppfyllas_nar_det_galler"].found is None
    assert ts["fri_fullt_ut"].found is False                    # no extent: nothing to compute with holds
    monkeypatch.setattr(T, "evaluate", fails)
    assert p.exact({"a": 1, "b": 1, "flag": True}, "tak") is None
    ts = {t.name: t for t in p.tensions()}          # no requirement has a value: none is met, none is shown
    assert ts["tak_kan_uppfyllas"].found is None and ts["tak_kan_brytas"].found is None
    assert ts["far_fullt_ut_1"].broken == ["inom", "tak"] and ts["far_fullt_ut_1"].computed == {}
    assert ts["far_fullt_ut_1"].given != {}


def test_exact():
    p, _ = prover(**RULE_A)
    assert p.exact({"a": 100, "b": 200, "flag": True}, "tak") is True
    assert p.exact({"a": 101, "b": 200, "flag": True}, "tak") is False
    assert p.exact({"a": 101, "b": 200, "flag": False}, "tak") is True


# -- statuses and headlines ------------------------------------------------------------------------------
def tension(**kw):
    base = dict(clause="§6", name="n", definition="d", kind="extent", found=True, span=Span("r.yaml", 3, 3),
                seconds=0.0)
    return Tension(**{**base, **kw})


def test_classify_by_the_status_of_the_reading():
    readings = {"R-open": SimpleNamespace(status="open"), "R-decided": SimpleNamespace(status="decided")}
    ts = [tension(found=None, reading="R-open"), tension(found=False, reading="R-open"),
          tension(found=True), tension(found=True, reading="R-missing"), tension(found=True, reading="R-open"),
          tension(found=True, reading="R-decided")]
    assert classify(ts, readings) is ts
    assert [t.status for t in ts] == ["unknown", "none", "unresolved", "unresolved", "open", "resolved"]
    assert [t.reading_status for t in ts] == ["open", "open", None, None, "open", "decided"]
    assert [t.ok for t in ts] == [False, True, False, False, True, True]
    assert STATUSES == ("none", "resolved", "open", "unresolved", "unknown") and FAILING == ("unresolved", "unknown")


def test_headlines():
    assert headline(tension(words="hela", broken=["x", "y"])) == \
        "permission 'd' of §6, exercised to the full extent its words state ('hela'), breaks x, y"
    assert headline(tension(broken=["x"])) == "permission 'd' of §6, exercised at all (it declares no 'extent'), breaks x"
    assert headline(tension(words="hela", detail="never")) == \
        "permission 'd' of §6 cannot be exercised to the full extent its words state ('hela'): never"
    assert headline(tension(detail="never")) == "permission 'd' of §6 cannot be exercised at all (it declares no 'extent'): never"
    assert headline(tension(kind="breakable", detail="a tautology", broken=["x"])) == "requirement 'd' of §6: a tautology"

