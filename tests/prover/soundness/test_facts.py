"""Facts the prover adds are proved, not trusted: a built-in's claim that is not proved is not
used by the invariants, a side fact that is an instance of a lemma is used only when the lemma
is proved, and every side fact a quota states is the instance of its lemma (and follows from the
exact definition). Mutants 2 and 3 of issue 18 are killed here.

Two built-ins are registered for these tests only (``test_pastar`` claims that its argument is
positive; ``test_hjalpsats`` states a side fact as the instance of a lemma; ``test_tva_pastaenden``
makes two claims at one place, a true conjunction and then a false one) and removed after."""

from __future__ import annotations

import pytest
import z3

from avtalsregler.errors import Span
from avtalsregler.language.functions import BUILTINS, Builtin

from avtalsregler.prover.z3apportion import QUOTA_FACTS
from avtalsregler.prover.z3ops import Z3Ops

from . import corpus
from .corpus import prover, replay

INT = {"type": "int", "min": 0, "max": 100}


def _claims_positive(ops, v, types, result, span):
    ops.claim(ops.cmp(">", v[0], ops.const(0, types[0])), "the argument is positive", span)
    return v[0]


_false_lemma_fact = corpus.false_lemma_fact("test_falsk")          # false for x = 0


def _true_then_false_claim(ops, v, types, result, span):
    zero = ops.const(0, types[0])
    true = ops.cmp(">=", v[0], zero)                       # x >= 0: true, the input's min is 0
    ops.claim(z3.And(true, true, true), "två påståenden", span)   # three parts, as many as the enum `part`
    ops.claim(ops.cmp(">", v[0], zero), "två påståenden", span)   # false for x = 0
    return v[0]


@pytest.fixture(autouse=True, scope="module")
def test_builtins():
    def check(args, span, enums):
        return args, args[0].type

    fns = (("test_pastar", _claims_positive), ("test_hjalpsats", _false_lemma_fact),
           ("test_tva_pastaenden", _true_then_false_claim))
    for name, fn in fns:
        BUILTINS[name] = Builtin(name, f"{name}(x)", "test", check, fn)
    yield
    for name, _ in fns:
        del BUILTINS[name]


CLAIM = dict(inputs={"x": INT}, definitions={"y": ("int", "test_pastar(x)"), "z": ("int", "test_pastar(x + 1)")},
             invariants={"y_positiv": "y > 0", "z_positiv": "z > 0"})


def test_an_unproved_claim_is_not_used_by_the_invariants():
    """Mutant 3 (issue 18): the claims given to the invariants even when not proved made
    ``y > 0`` proved (from the claim itself), though it fails for x = 0."""
    p, _ = prover(**CLAIM)
    [claims] = p.claims()
    assert claims.status == "counterexample", (claims.status, claims.detail)
    r = p.invariant("y_positiv")
    assert r.status == "counterexample" and r.replay == {"x": 0}, (r.status, r.detail, r.replay)
    # a true invariant is still proved without the claims
    assert p.invariant("z_positiv").status == "proved"


def test_a_true_claim_is_proved():
    p, _ = prover(inputs={"x": INT}, definitions={"z": ("int", "test_pastar(x + 1)")})
    [claims] = p.claims()
    assert claims.status == "proved" and claims.kind == "lemma"


def test_a_false_claim_after_a_true_one_at_the_same_place_is_not_proved():
    """claims.py groups the claims made at one place; a group of one conjunction is split into
    its parts (one per member of an enumeration, for a generic proof). Two claims, the first a
    conjunction of three true parts (three = the members of the rule's enum ``part``) and the
    second false (x > 0 fails for x = 0): the group must come out counterexample. Splitting the
    first claim although the group has two (``and`` -> ``or``) proved the three parts
    generically and marked both claims proved."""
    p, _ = prover(inputs={"x": INT}, definitions={"y": ("int", "test_tva_pastaenden(x)")})
    [claims] = p.claims()
    assert claims.status == "counterexample", (claims.status, claims.detail)
    assert claims.detail == "[x = 0]", claims.detail            # the model: the only x where x > 0 fails


def test_a_side_fact_of_an_unproved_lemma_is_not_trusted():
    p, _ = prover(inputs={"x": INT}, definitions={"y": ("int", "test_hjalpsats(x)")},
                  invariants={"y_positiv": "y > 0"})
    lemmas = {q.name: q.status for q in p.lemmas()}
    assert lemmas == {"test_falsk": "counterexample"}, lemmas
    r = p.invariant("y_positiv")
    assert r.status == "unknown" and "test_falsk" in r.detail, (r.status, r.detail)


def _quota(n: int = 3):
    ops = Z3Ops({})
    T = z3.Int("T")
    ws = [z3.Int(f"w{i}") for i in range(n)]
    qs = ops.quota(T, ws, z3.Sum(*ws), Span("test", 1, 1))
    return ops, T, ws, qs


def test_every_side_fact_of_a_quota_is_the_instance_of_a_proved_lemma():
    """Mutant 2 (issue 18): a side fact written by hand (``q > 0`` for ``q >= 0``) no longer
    matched its lemma. The facts of each share are now the lemmas' conclusions instantiated;
    this test holds them to it, and the lemmas to being proved."""
    ops, T, ws, qs = _quota()
    W = next(c.arg(0) for c in ops.side if z3.is_eq(c))          # the weight sum, named once
    per_share = [c for c in ops.side if z3.is_implies(c) and z3.is_and(c.arg(1))]
    assert len(per_share) == len(qs)
    for i, c in enumerate(per_share):
        want = [ops.lemma_instance(n, T=z3.ToReal(T), W=W, wa=z3.ToReal(ws[i]), qa=qs[i]) for n in QUOTA_FACTS]
        assert c.arg(0).eq(W > 0) and all(a.eq(b) for a, b in zip(c.arg(1).children(), want, strict=True)), c
    for name in QUOTA_FACTS + ("summa_del", "summa_hel", "kvot_monoton", "kvot_strikt"):
        lem = ops.lemmas[name]
        s = z3.Solver(ctx=ops.ctx)
        s.set("timeout", 20_000)
        s.add(lem.premise, z3.Not(lem.conclusion))
        assert s.check() == z3.unsat, name


def test_every_side_fact_of_a_quota_follows_from_the_exact_definition():
    """Independently of how they are written: each side fact is implied by the exact
    (non-linear) definition q·W = T·w and the weight sum's definition, for three shares."""
    ops, T, ws, qs = _quota()
    defs = [c for c in ops.side if z3.is_eq(c)]                 # W == w0 + w1 + w2
    for c in ops.side:
        if any(c.eq(d) for d in defs):
            continue
        s = z3.Solver()
        s.set("timeout", 20_000)
        s.add(*defs, *ops.exact, z3.Not(c))
        assert s.check() == z3.unsat, c


def test_every_side_fact_of_a_selection_follows_from_its_definition():
    """``top`` states, per item, 0 <= e <= 1, e <= k and the linear cuts: each follows from the
    items' definitions and the count (three items, keys in [0, 1])."""
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(3)]
    k = z3.Int("k")
    es, t = ops.top(keys, k, 0, 1, Span("test", 1, 1))
    definitions = [d for d in ops.defs.values()] + [c for c in ops.side if z3.is_eq(c) and z3.is_int_value(c.arg(1))]
    count = z3.Implies(z3.And(k >= 0, k <= 3), z3.Sum(*es) == k)
    premise = [*definitions, count, *[z3.And(x >= 0, x <= 1) for x in keys], k >= 0, k <= 3, t >= 0, t <= 1]
    derived = [c for c in ops.side if not any(c.eq(d) for d in definitions + [count])
               and "troskel" not in str(c.arg(0) if z3.is_implies(c) else "")]
    assert derived
    for c in derived:
        s = z3.Solver()
        s.add(*premise, z3.Not(c))
        assert s.check() == z3.unsat, c


def test_the_pairwise_facts_of_a_quota_follow_from_the_exact_definition():
    """The facts that order two shares as their weights (added when a rule compares them, see
    pairwise.py) are written out in QuotaPairs.facts: each pair's facts must follow from the
    exact definition q·W = T·w, like the per-share facts."""
    from avtalsregler.prover.pairwise import QuotaPairs

    ops, T, ws, qs = _quota()
    [family] = {id(f): f for entries in ops.items.values() for f, _ in entries if isinstance(f, QuotaPairs)}.values()
    defs = [c for c in ops.side if z3.is_eq(c)]
    for i, j in ((0, 1), (1, 2), (2, 0)):
        s = z3.Solver(ctx=ops.ctx)
        s.set("timeout", 20_000)
        s.add(*defs, *ops.exact, z3.Not(family.pair(i, j)))
        assert s.check() == z3.unsat, (i, j)


def test_two_different_weight_monotonicity_lemmas_get_two_names_and_both_are_proved():
    """Two apportionments, one by money weights and one by fraction weights, chain their quota
    facts into two different lemmas ``weight a > weight b → share a >= share b`` (pairwise.py):
    the second must get its own name (``monoton_vikt_2``), not replace or share the first, and
    each must be proved on its own."""
    inputs = {"a": {"type": "money", "min": 0, "max": 1000000},
              "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000},
              "y": {"type": {"map": "part", "of": "fraction"}, "min": 0, "max": 1}, "vem": "part"}
    p, _ = prover(inputs=inputs, definitions={"s": ("money", "apportion(a, x)[vem]"), "t": ("money", "apportion(a, y)[vem]")},
                  assume=["sum(j in part, x[j]) > 0", "sum(j in part, y[j]) > 0"])
    lemmas = {q.name: q.status for q in p.lemmas()}
    got = {n: s for n, s in lemmas.items() if n.startswith("monoton_vikt")}
    assert got == {"monoton_vikt": "proved", "monoton_vikt_2": "proved"}, got
    assert all(s == "proved" for s in lemmas.values()), lemmas      # the template's own "monoton" too
    assert not p.ops.lemmas["monoton_vikt"].conclusion.eq(p.ops.lemmas["monoton_vikt_2"].conclusion)


def test_the_side_constraints_a_claim_depends_on_are_those_connected_to_it():
    """world.connected: a claim is first tried with only the constraints that share variables
    with it, directly or through others (here x > 0 and x < z through z, z == w through z), not
    the unrelated y > 0. By hand: start {z} → x < z, z == w → x → x > 0; y never reached."""
    from avtalsregler.prover.world import connected

    x, y, z, w = z3.Ints("x y z w")
    cs = [x > 0, y > 0, x < z, z == w]
    assert [str(c) for c in connected(cs, [z >= 5])] == ["x > 0", "x < z", "z == w"]
    assert connected(cs, [z3.IntVal(1) > 0]) == []


def test_shares_ordered_as_their_weights_is_proved_from_the_facts_the_comparison_asks_for():
    """The invariant compares two shares of one apportionment: the pairwise fact for that pair
    (weight a > weight b → share a >= share b, an instance of the proved ``monoton_vikt``) is
    brought to the proof as a local fact, sliced to the goal's cone (world.facts_in)."""
    inputs = {"a": {"type": "money", "min": 0, "max": 1000000},
              "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000}}
    p, _ = prover(inputs=inputs, definitions={"s": ("money", "apportion(a, x)['p1']")},
                  assume=["sum(j in part, x[j]) > 0"],
                  invariants={"ordnad": "implies(x['p1'] > x['p2'], apportion(a, x)['p1'] >= apportion(a, x)['p2'])"})
    r = p.invariant("ordnad")
    assert r.status == "proved", (r.status, r.detail)


def test_a_solver_value_is_read_back_as_the_language_value_of_its_type():
    """z3terms.constant_value: Z3's integer is the int itself, a date's day number (the
    proleptic ordinal, 2024-02-29 = 738945 by datetime) and an enumeration's index in its
    values (1 → p2)."""
    import datetime

    from avtalsregler.language.types import INT, EnumType, Type
    from avtalsregler.prover.z3terms import constant_value

    part = EnumType("part", ("p1", "p2", "p3"), {}, "§6", None)
    assert constant_value(z3.IntVal(-7), INT, {}) == -7
    assert constant_value(z3.IntVal(738945), Type("date"), {}) == datetime.date(2024, 2, 29)
    assert constant_value(z3.IntVal(1) + 0, Type("enum", enum="part"), {"part": part}) == "p2"
    # a fraction exactly (what a built-in folded over constant arguments reads back; sample D,
    # z3terms.py:35), a negative one and a whole one of type frac
    from fractions import Fraction
    assert constant_value(z3.RealVal("1/3") + 0, Type("frac"), {}) == Fraction(1, 3)
    assert constant_value(z3.RealVal("-7/4"), Type("frac"), {}) == Fraction(-7, 4)
    assert constant_value(z3.RealVal(2), Type("frac"), {}) == Fraction(2)


def test_the_difference_of_two_shares_asks_for_their_pairwise_fact():
    """``share a − share b >= 0`` compares the two shares through a subtraction, not a
    comparison: the subtraction must bring the pairwise fact (weight a > weight b → share a >=
    share b, an instance of the proved lemma) as the comparison does; without it the invariant
    is not provable (sample D of scripts/MUTATION.md, z3ops.py:169)."""
    inputs = {"a": {"type": "money", "min": 0, "max": 1000000},
              "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000}}
    p, _ = prover(inputs=inputs, definitions={"s": ("money", "apportion(a, x)['p1']")},
                  assume=["sum(j in part, x[j]) > 0"],
                  invariants={"skillnad": "implies(x['p1'] > x['p2'], "
                                          "apportion(a, x)['p1'] - apportion(a, x)['p2'] >= 0)"})
    r = p.invariant("skillnad")
    assert r.status == "proved", (r.status, r.detail)


def test_equal_weights_give_equal_quotas_from_the_pairwise_facts():
    """The pair facts of a quota (QuotaPairs.facts) include equal weights: w_a <= w_b → q_a <= q_b
    both ways round. Without them (``<=`` weakened to ``<``) these true invariants are unknown."""
    inputs = {"a": {"type": "money", "min": 0, "max": 1000000},
              "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000}}
    p, _ = prover(inputs=inputs, definitions={"s": ("money", "apportion(a, x)['p1']")},
                  assume=["sum(j in part, x[j]) > 0"],
                  invariants={"lika_1": "implies(x['p1'] == x['p2'], quota(a, x)['p1'] <= quota(a, x)['p2'])",
                              "lika_2": "implies(x['p1'] == x['p2'], quota(a, x)['p2'] <= quota(a, x)['p1'])"})
    for name in ("lika_1", "lika_2"):
        r = p.invariant(name)
        assert r.status == "proved", (name, r.status, r.detail)


def test_an_apportionment_by_constant_weights_is_proved_and_refuted_not_a_crash():
    """Weights from a parameter (constants, as the bundled quarterly weights 1, 1, 1, 1): the
    quotas fold to numbers, so no item carries a pairwise fact (Pairwise.itemwise finds none) and
    the proof needs none. Three equal weights give the leftover öre to the party listed first
    (by hand: 1 000,00 kr = 100 000 öre → 33 334, 33 333, 33 333), so p1 >= p3 is proved and
    p3 >= p1 is false; the counterexample replays as a failing example."""
    kw = dict(inputs={"a": {"type": "money", "min": 0, "max": 1000000}},
              parameters={"vikt": {"type": {"map": "part", "of": "int"}, "value": {"p1": 1, "p2": 1, "p3": 1}}},
              definitions={"s": ("money", "apportion(a, vikt)['p1']")},
              invariants={"forst": "apportion(a, vikt)['p1'] >= apportion(a, vikt)['p3']",
                          "sist": "apportion(a, vikt)['p3'] >= apportion(a, vikt)['p1']"})
    p, _ = prover(**kw)
    assert p.invariant("forst").status == "proved"
    r = p.invariant("sist")
    assert r.status == "counterexample", (r.status, r.detail)
    assert not replay(r, holds="sist", **kw).ok


@pytest.mark.parametrize("second_has_own_variable,template", [(True, True), (False, False)])
def test_derived_items_get_a_monotonicity_lemma_only_when_they_are_one_template(second_has_own_variable, template):
    """Pairwise.itemwise: ``derived[i] = base[i] + r[i]`` over each item's own (tagged) variable
    is one template, so "base_a > base_b → derived_a >= derived_b" is stated as a lemma (one
    that the Prover must prove). When the second item has no variable of the first's role
    (``base[1] + 1``), the items are not one template: no such lemma may be stated (nor may the
    comparison crash)."""
    ops = Z3Ops({})
    base, r = [z3.Real(f"b{i}") for i in range(2)], [z3.Real(f"r{i}") for i in range(2)]
    for i in range(2):
        ops.tags[base[i].get_id()] = ("kvot#t", i)
        ops.tags[r[i].get_id()] = ("eget#t", i)
    derived = [base[0] + r[0], base[1] + (r[1] if second_has_own_variable else 1)]
    ops.itemwise(derived, base)
    assert sorted(n for n in ops.lemmas if n.startswith("monoton")) == (["monoton"] if template else [])


def test_where_the_shares_have_no_value_an_invariant_about_them_is_not_proved():
    """Without the assumption that the weights sum to more than zero, the apportionment has no
    value for weights 0, 0, 0, so an invariant about its shares cannot be proved. In Z3 the quotas
    are then unconstrained; the shares sum to a + 1 exactly when one unit *fewer* than none is
    left over (left = -1: the floors sum to a + 1 and no party gets an extra unit). The side facts
    of the largest-remainder selection speak of left only for 0 <= left <= n; one that also
    claimed e <= left for left = -1 (z3apportion.py:133, ``k >= 0`` → ``k >= -1``) contradicted
    e >= 0 there and made this invariant "proved". It must come out counterexample, and the
    replay must show that the rule has no value there."""
    kw = dict(inputs={"a": {"type": "money", "min": 0, "max": 1000000},
                      "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000}},
              definitions={"s": ("money", "apportion(a, x)['p1']")},
              invariants={"inte_en_till": "sum(j in part, apportion(a, x)[j]) != a + 1"})
    p, _ = prover(**kw)
    r = p.invariant("inte_en_till")
    assert r.status == "counterexample", (r.status, r.detail)
    assert "no value" in r.detail and all(v == "0,00 kr" for v in r.replay["x"].values()), (r.detail, r.replay)
    assert not replay(r, holds="inte_en_till", **kw).ok
