"""Unit tests of prover/invariants.py: an invariant proved once for a generic member (or a
generic pair), else member by member; refuted with exact inputs; unknown when the solver gives
up or only an abstraction breaks; never proved when it fails for one member, when a member's
value is undefined, or when it relies on an unproved lemma.

The rules are small test fixtures (tests/prover/soundness/corpus.py, and a rule with two more
enumerations written here), not part of the project."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest
import z3

from avtalsregler.language.functions import BUILTINS, Builtin
from avtalsregler.project.load import load_project
from avtalsregler.prover.prove import Prover

from ..soundness import corpus
from ..soundness.corpus import prover

INT = {"type": "int", "min": 0, "max": 100}
MAP = {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}

GENERIC = dict(inputs={"x": MAP, "n": INT}, invariants={
    "medlem_sann": "forall(k in part, x[k] >= 0)",
    "medlem_falsk": "forall(k in part, x[k] > 0)",
    "par_sann": "forall(a in part, forall(b in part, implies(a == b, x[a] == x[b])))",
    "par_falsk": "forall(a in part, forall(b in part, implies(x[a] == x[b], a != b)))",
    "par_falsk_olika": "forall(a in part, forall(b in part, implies(x[a] == x[b], a == b)))",
    "plan_sann": "n + 1 > n",
    "plan_falsk": "n + 1 > 2 * n",
    # x[k] / x[k] is 1 where it has a value; for x[k] = 0 it has none: never proved
    "odefinierad": "forall(k in part, x[k] / x[k] == 1)",
    "odefinierad_plan": "100 / n >= 1",
})

ONE_EACH = "bevisad en gång för en godtycklig medlem av part, och därmed för var och en av de 3 medlemmarna"
PAIRS = ("bevisad en gång för två godtyckliga medlemmar av part (olika, och samma), och därmed för var och en "
         "av de 3 medlemmarna")


def test_an_invariant_true_for_every_member_is_proved_once_for_a_generic_member():
    p, _ = prover(**GENERIC)
    r = p.invariant("medlem_sann")
    assert (r.status, r.detail, r.name, r.kind) == ("proved", ONE_EACH, "medlem_sann", "invariant")
    assert isinstance(r.seconds, float) and 0 < r.seconds < 60            # the generic proof's own time
    r = p.invariant("par_sann")
    assert (r.status, r.detail) == ("proved", PAIRS)


@pytest.mark.parametrize("name", ["medlem_falsk", "par_falsk", "par_falsk_olika"])
def test_an_invariant_false_for_a_member_or_a_pair_is_a_counterexample(name):
    """par_falsk fails only where a == b: a generic pair proof without the case "the same
    member" would prove it."""
    p, _ = prover(**GENERIC)
    r = p.invariant(name)
    assert r.status == "counterexample", (r.status, r.detail)
    assert r.detail == f"does not hold: {GENERIC['invariants'][name]}"
    assert p.still_holds(dict(r.replay), next(i for i in p.spec.invariants if i.name == name)) is False


def test_a_plain_invariant_is_proved_or_refuted_and_each_by_its_own_name():
    p, _ = prover(**GENERIC)
    r = p.invariant("plan_sann")
    assert (r.status, r.detail) == ("proved", "")
    r = p.invariant("plan_falsk")
    # n + 1 > 2n fails from n = 1 on; the roundest such n (INT_UNITS: 1000, 100, 10) within
    # 0 … 100 is 100
    assert (r.status, r.replay, r.inputs) == ("counterexample", {"n": 100}, {"n": "100"}), (r.replay, r.inputs)
    assert r.detail == "does not hold: n + 1 > 2 * n"
    assert r.outputs == {}                                   # the rule has no definitions


def test_a_counterexample_shows_its_inputs_and_the_values_the_invariant_reads():
    """summa = a + b > a fails where b = 0; the roundest such inputs are a = b = 0, summa 0."""
    kw = dict(inputs={"a": INT, "b": INT}, definitions={"summa": ("int", "a + b"), "annat": ("int", "a * 2")},
              invariants={"falsk": "summa > a"})
    p, _ = prover(**kw)
    r = p.invariant("falsk")
    assert (r.status, r.inputs, r.replay, r.outputs) == ("counterexample", {"a": "0", "b": "0"}, {"a": 0, "b": 0},
                                                         {"summa": "0"}), (r.inputs, r.outputs)


def test_the_time_of_refinement_and_of_rounding_is_counted(monkeypatch):
    from avtalsregler.prover import invariants

    p, _ = prover(**QUOTA)
    monkeypatch.setattr(p, "_refine", lambda model, inv, w: (None, 50.0))
    r = p.invariant("exakt")
    assert r.status == "unknown" and r.seconds >= 50.0, (r.status, r.seconds)
    p, _ = prover(**GENERIC)
    monkeypatch.setattr(invariants, "minimal_counterexample", lambda prover, inv, w, given, breaks: (given, 40.0))
    r = p.invariant("plan_falsk")
    assert r.status == "counterexample" and r.seconds >= 40.0, (r.status, r.seconds)


@pytest.mark.parametrize("name", ["odefinierad", "odefinierad_plan"])
def test_an_invariant_without_a_value_for_some_input_is_never_proved(name):
    """x[k] / x[k] == 1 holds wherever it has a value; the generic goal must carry the
    definedness of its own division (x[k] != 0), or it would be proved."""
    p, _ = prover(**GENERIC)
    r = p.invariant(name)
    assert r.status == "counterexample", (r.status, r.detail)
    assert r.detail.startswith("the rule has no value here: "), r.detail
    assert "division by zero" in r.detail, r.detail
    assert 0 in (r.replay["x"].values() if name == "odefinierad" else [r.replay["n"]])


def test_the_time_of_a_generic_attempt_that_fails_is_counted(monkeypatch):
    p, _ = prover(**GENERIC)
    monkeypatch.setattr(p, "_generic_invariant", lambda inv, w, t: (z3.sat, "", 100.0))
    r = p.invariant("medlem_falsk")
    assert r.status == "counterexample" and r.seconds >= 100.0, r.seconds
    monkeypatch.setattr(p, "_generic_invariant", lambda inv, w, t: (z3.unsat, "en gång", 7.5))
    r = p.invariant("medlem_falsk")                   # what the generic proof says is taken
    assert (r.status, r.detail, r.seconds) == ("proved", "en gång", 7.5)


def test_a_generic_proof_leaves_the_translation_as_it_was():
    p, _ = prover(**GENERIC)
    w = p.rule_world
    inv = next(i for i in p.spec.invariants if i.name == "odefinierad")
    before = w.ops.mark()
    side = list(w.ops.side)
    got = p._generic_invariant(inv, w, 10)
    assert got is not None and got[0] == z3.sat          # x[k] = 0 breaks its definedness
    after = w.ops.mark()
    assert (after.side, after.obligations, after.claims, after.exact, after.lemmas) == \
        (before.side, before.obligations, before.claims, before.exact, before.lemmas)
    assert w.ops.side == side and w.ops.sink is None
    plain = next(i for i in p.spec.invariants if i.name == "plan_sann")
    assert p._generic_invariant(plain, w, 10) is None      # not a forall: no generic proof


def test_breaks_is_the_exact_replay_of_a_rounder_counterexample():
    """_breaks(values): admissible and the invariant as broken as before."""
    kw = dict(inputs={"a": INT, "b": INT}, assume=["a <= b"], invariants={"i": "a < 50"})
    p, _ = prover(**kw)
    inv = p.spec.invariants[0]
    w = p.rule_world
    assert p._breaks({"a": 60, "b": 70}, inv, w, False) is True
    assert p._breaks({"a": 10, "b": 70}, inv, w, False) is False        # the invariant holds
    assert p._breaks({"a": 60, "b": 50}, inv, w, False) is False        # breaks the assumption
    assert p._breaks({"a": 160, "b": 170}, inv, w, False) is False      # outside the input range
    assert p._breaks({"a": 10, "b": 70}, inv, w, True) is True          # "as broken as before": holding


def test_an_invariant_over_the_ranges_is_proved_for_every_value_and_a_rule_invariant_for_the_rule_value():
    kw = dict(inputs={"a": INT}, parameters={"grans": {"type": "int", "value": 3}},
              definitions={"over": ("bool", "a > grans")}, ranges={"grans": {"min": 0, "max": 10}},
              invariants={"sann": {"holds": "implies(over, a >= 1)", "parameters": "ranges"},
                          "regelns": {"holds": "implies(over, a >= 4)", "parameters": "rule"},
                          "falsk": {"holds": "implies(over, a >= 4)", "parameters": "ranges"}})
    p, _ = prover(**kw)
    r = p.invariant("sann")
    assert (r.status, r.detail) == ("proved", "for every value of grans in 0 … 10")
    r = p.invariant("regelns")               # grans = 3: a > 3 means a >= 4
    assert (r.status, r.detail) == ("proved", "")
    r = p.invariant("falsk")                 # grans = 0, a = 1 (or any a in 1 … grans' + 1 …)
    assert r.status == "counterexample" and r.replay["a"] < 4 and r.replay["a"] > r.replay["grans"], r.replay


def test_an_invariant_the_solver_cannot_decide_is_unknown():
    big = {"type": "int", "min": 1, "max": 1000000}
    p, _ = prover(timeout_s=1, inputs={"a": big, "b": big, "c": big},
                  invariants={"fermat": "a * a * a + b * b * b != c * c * c"})
    r = p.invariant("fermat")
    assert r.status == "unknown" and r.detail.startswith("the solver gave up: "), (r.status, r.detail)


def test_a_split_parameter_is_proved_case_by_case_not_for_a_generic_member():
    kw = dict(inputs={"x": MAP}, parameters={"g": {"type": "int", "value": 1}},
              ranges={"g": {"min": 0, "max": 2, "split": True}},
              invariants={"i": {"holds": "forall(k in part, x[k] + g >= 0)", "parameters": "ranges"}})
    p, _ = prover(**kw)
    r = p.invariant("i")
    assert r.status == "proved" and "godtycklig" not in r.detail, r.detail


# -- unproved lemmas ----------------------------------------------------------------------------------
_false_lemma_fact = corpus.false_lemma_fact("test_falsk_u")          # false for x = 0


@pytest.fixture()
def false_lemma():
    BUILTINS["test_hjalpsats_u"] = Builtin("test_hjalpsats_u", "test_hjalpsats_u(x)", "test",
                                           lambda args, span, enums: (args, args[0].type), _false_lemma_fact)
    yield
    del BUILTINS["test_hjalpsats_u"]


@pytest.mark.parametrize("where", ["rule", "invariant", "forall"])
def test_an_invariant_that_relies_on_an_unproved_lemma_is_unknown(false_lemma, where):
    """The built-in states y > 0 as the instance of a false lemma (x >= 0 → x > 0): y > 0 would
    follow, but fails for x = 0. In the rule or in the invariant itself: never proved. In a
    forall, the generic goal makes the lemma (and no claim): a generic proof from its side fact
    would say "proved" (invariants.py:138, 'or' → 'and')."""
    if where == "rule":
        kw = dict(inputs={"x": INT}, definitions={"y": ("int", "test_hjalpsats_u(x)")}, invariants={"y_pos": "y > 0"})
    elif where == "invariant":
        kw = dict(inputs={"x": INT}, invariants={"y_pos": "test_hjalpsats_u(x) > 0"})
    else:
        kw = dict(inputs={"x": MAP}, invariants={"y_pos": "forall(k in part, test_hjalpsats_u(x[k]) > 0)"})
    p, _ = prover(**kw)
    r = p.invariant("y_pos")
    assert r.status == "unknown" and r.detail == "relies on lemmas that are not proved: test_falsk_u", \
        (r.status, r.detail)


# -- enumerations of one and two members, and a forall nested over another enumeration ----------------
HEAD2 = corpus.HEAD + """\
  ensam:
    values:
      - {id: p1, label: Part 1}
  tva:
    values:
      - {id: p1, label: Part 1}
      - {id: p2, label: Part 2}
"""


@functools.cache
def _two_enums() -> Prover:
    root = Path(tempfile.mkdtemp(prefix="u-invariants-"))
    corpus.write(root, inputs={"xe": {**MAP, "type": {"map": "ensam", "of": "int"}},
                               "xt": {**MAP, "type": {"map": "tva", "of": "int"}}}, parameters={"v": {"type": {"map": "part", "of": "int"},
                                                            "value": {"p1": 1, "p2": 2, "p3": 9}}},
                 invariants={"ensam": "forall(k in ensam, xe[k] >= 0)",
                             "tva": "forall(k in tva, xt[k] >= 0)",
                             "tva_par": "forall(a in tva, forall(b in tva, xt[a] + xt[b] >= 0))",
                             # over part, p3 has 9: false; the outer forall is over tva
                             "kapslad": "forall(a in tva, forall(b in part, v[b] <= 5))",
                             "kapslad_sann": "forall(a in tva, forall(b in part, v[b] <= 9))"})
    rule = root / "rules" / "s06.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(corpus.HEAD, HEAD2), encoding="utf-8")
    project = load_project(root)
    return Prover(project.clauses["§6"], project.specs["§6"], project.enums, 10)


def test_a_forall_over_one_member_is_proved_directly_and_over_two_generically():
    p = _two_enums()
    r = p.invariant("ensam")
    assert r.status == "proved" and "godtycklig" not in r.detail, r.detail
    r = p.invariant("tva")
    assert r.status == "proved" and r.detail == (
        "bevisad en gång för en godtycklig medlem av tva, och därmed för var och en av de 2 medlemmarna"), r.detail
    r = p.invariant("tva_par")
    assert r.status == "proved" and "två godtyckliga medlemmar av tva" in r.detail, r.detail


def test_a_forall_nested_over_another_enumeration_is_not_a_generic_pair():
    """forall(a in tva, forall(b in part, v[b] <= 5)): v = 1, 2, 9 over part, false for p3. Taking
    b for a second member of tva (two members, p1 and p2) would prove it."""
    p = _two_enums()
    r = p.invariant("kapslad")
    assert r.status == "counterexample", (r.status, r.detail)
    r = p.invariant("kapslad_sann")
    assert r.status == "proved" and "godtycklig medlem av tva" in r.detail, r.detail


APPORTION = dict(inputs={"belopp": {"type": "money", "min": 0, "max": 1000000},
                         "w": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}},
                 assume=["sum(j in part, w[j]) > 0"],
                 definitions={"andel": ({"map": "part", "of": "money"}, "apportion(belopp, w)")},
                 invariants={"andel_icke_negativ": "forall(k in part, andel[k] >= 0)",
                             "andel_hogst_beloppet": "forall(k in part, andel[k] <= belopp)",
                             "andel_under_beloppet": "forall(k in part, andel[k] < belopp)",
                             "storre_inte_mindre": "forall(a in part, forall(b in part, "
                                                   "implies(w[a] > w[b], andel[a] >= andel[b])))",
                             # a built-in called in the invariant itself: its claims are proved
                             # with the invariant, not taken as facts: not for a generic member
                             "egen": "forall(k in part, apportion(belopp, g)[k] >= 0)"},
                 parameters={"g": {"type": {"map": "part", "of": "int"}, "value": {"p1": 1, "p2": 2, "p3": 3}}})


def test_a_generic_proof_uses_the_proved_claims_of_the_rule_s_built_ins():
    """An apportionment's claims (each share >= 0, at most the total) are proved, so the generic
    member may use them; a share equal to the total (one weight, the others 0) refutes '<'."""
    p, _ = prover(**APPORTION)
    assert p.claims() and all(c.ok for c in p.claims()), [(c.name, c.status) for c in p.claims()]
    assert p.proved_claims(p.rule_world)
    r = p.invariant("andel_icke_negativ")
    assert r.status == "proved" and "godtycklig medlem" in r.detail, (r.status, r.detail)
    assert p.invariant("andel_hogst_beloppet").status == "proved"
    r = p.invariant("andel_under_beloppet")
    assert r.status == "counterexample", (r.status, r.detail)
    # a larger weight never gets a smaller share: needs the pairwise facts of the two members
    r = p.invariant("storre_inte_mindre")
    assert r.status == "proved" and "två godtyckliga" in r.detail, (r.status, r.detail)
    r = p.invariant("egen")
    assert r.status == "proved" and "godtycklig" not in r.detail, (r.status, r.detail)


QUOTA = dict(inputs={"a": {"type": "money", "min": 0, "max": 1000}, "vem": "part",
                     "x": {"type": {"map": "part", "of": "int"}, "min": 0, "max": 100}},
             assume=["sum(j in part, x[j]) > 0"], definitions={"kvot": ("fraction", "quota(a, x)[vem]", "öre")},
             invariants={"exakt": "kvot * sum(j in part, x[j]) == a * x[vem]",
                         "utan_varde": "100 / x[vem] >= 0"})


def test_a_model_without_a_value_is_shown_as_such_also_where_refinement_is_possible():
    """100 / x[vem] >= 0 fails only where x[vem] = 0 (no value). The rule has exact definitions
    to refine with (the quota), but a model without a value is not an abstraction's: it is
    shown as it is, and said to have no value (not "does not hold")."""
    p, _ = prover(**QUOTA)
    r = p.invariant("utan_varde")
    assert r.status == "counterexample" and r.detail.startswith("the rule has no value here: "), r.detail


def test_refinement_tries_six_assignments_of_the_factors_each_new_then_gives_up(monkeypatch):
    """True exactly (a quota is a · x[vem] / Σ x), beyond the quota's linear facts: every model of
    the abstraction is spurious. Refinement fixes the weights to a model's values (equalities),
    searches exactly, blocks that assignment and takes the next model: six rounds (the bound),
    each with other weights, the invariant's time limit, and then unknown."""
    p, _ = prover(**QUOTA)
    from avtalsregler.prover.solving import REFINE_RLIMIT

    exact, orig, spent = [], p.solve, []
    refine = p._refine

    def spy(goal, timeout_s, extra=None, world=None, rlimit=None, **kw):
        if rlimit == REFINE_RLIMIT:           # the exact search: its last constraints fix the factors
            fixed = extra[-len({f.get_id() for f in world.ops.factors}):]
            exact.append((timeout_s, [c.sexpr() for c in fixed], fixed))
        got = orig(goal, timeout_s, extra, world=world, rlimit=rlimit, **kw)
        spent.append(got[2])
        return got

    def refine_spy(*a, **kw):
        spent.clear()
        got = refine(*a, **kw)
        assert got[0] is None and got[1] == pytest.approx(sum(spent)), (got, spent)   # its time: every query's
        return got

    monkeypatch.setattr(p, "_refine", refine_spy)

    monkeypatch.setattr(p, "solve", spy)
    r = p.invariant("exakt")
    assert r.status == "unknown" and "abstraction" in r.detail, (r.status, r.detail)
    assert len(exact) == 6, len(exact)
    assert all(t == p.timeout_s for t, _, _ in exact)
    assert len({tuple(s) for _, s, _ in exact}) == 6           # each round other weights
    assert all(z3.is_eq(c) and any(z3.is_rational_value(x) or z3.is_int_value(x) for x in c.children())
               for _, _, cs in exact for c in cs)                # a factor == its value in the model
