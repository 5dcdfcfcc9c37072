"""Unit tests of prover/z3apportion.py: the Z3 meaning of the shares of a total (``quota``) and
of the k largest items (``top``), with the lemmas that stand behind their linear facts.

Three kinds of check, all on small Z3 queries (no project is built):
- *sound*: a fact stated where its lemma does not apply (weights that sum to zero or less, a
  count outside 0..n) must not constrain anything, and every lemma must be valid and apply
  wherever its instances are stated — a fact too strong there is how a false statement becomes
  "proved";
- *complete*: the facts must be strong enough for what they are stated for (a weaker fact loses
  proofs); checked with the linear facts alone, without the exact definitions;
- *exact values*: concrete selections and shares, derived by hand in each test."""

from __future__ import annotations

from fractions import Fraction

import pytest
import z3

from avtalsregler.errors import Span
from avtalsregler.language.types import Type
from avtalsregler.prover.generic import symbols_of
from avtalsregler.prover.z3apportion import QUOTA_FACTS
from avtalsregler.prover.z3ops import Z3Ops

SPAN = Span("test", 1, 1)


def _valid(premises, goal) -> bool:
    s = z3.Solver()
    s.set("timeout", 10_000)
    s.add(*premises, z3.Not(goal))
    return s.check() == z3.unsat


def _sat(*cs) -> bool:
    s = z3.Solver()
    s.set("timeout", 10_000)
    s.add(*cs)
    return s.check() == z3.sat


def _quota(n=3):
    """Shares of a fraction total ``T`` by ``n`` fraction weights ``w0 …`` (Real, so that
    totals and weights strictly between 0 and 1 are reached)."""
    ops = Z3Ops({})
    T = z3.Real("T")
    ws = [z3.Real(f"w{i}") for i in range(n)]
    qs = ops.quota(T, ws, z3.Sum(*ws), SPAN)
    return ops, T, ws, qs


# -- quota: constant weights ----------------------------------------------------------------

def test_constant_weights_give_the_exact_linear_shares_and_no_abstraction():
    """Weights 1, 2, 3 (sum 6) of a total 600: by hand 100, 200, 300; nothing is abstracted,
    so no side fact, no lemma and no item is made."""
    ops = Z3Ops({})
    T = z3.Int("T")
    qs = ops.quota(T, [z3.IntVal(1), z3.IntVal(2), z3.IntVal(3)], z3.IntVal(6), SPAN)
    assert len(qs) == 3
    assert _valid([T == 600], z3.And(qs[0] == 100, qs[1] == 200, qs[2] == 300))
    assert ops.side == [] and ops.lemmas == {} and ops.items == {} and ops.exact == []


def test_weights_that_are_not_constants_are_abstracted_even_when_their_sum_is_a_constant():
    """Weights x and 1 - x sum to the constant 1, but the shares T·x and T·(1 - x) are
    non-linear: they must be fresh shares with linear facts, not the products."""
    ops = Z3Ops({})
    T, x = z3.Real("T"), z3.Real("x")
    qs = ops.quota(T, [x, 1 - x], x + (1 - x), SPAN)
    assert all(z3.is_const(q) and q.decl().name().startswith("kvot!") for q in qs), qs
    assert set(QUOTA_FACTS) <= set(ops.lemmas)
    # the exact definition still says q0 = T·x: with T = 10, x = 3/10, q0 = 3 and q1 = 7
    assert _valid([*ops.side, *ops.exact, T == 10, x == Fraction(3, 10)], z3.And(qs[0] == 3, qs[1] == 7))


# -- quota: the linear facts ------------------------------------------------------------------

@pytest.mark.parametrize("i", [0, 2])
def test_the_linear_facts_of_each_share_are_as_strong_as_their_lemmas(i):
    """With the side facts alone (no exact definition) and a positive weight sum, for share i:
    T >= 0 and w >= 0 give q >= 0; w = 0 gives q = 0; T = 0 gives q = 0; w = W gives q = T; and
    the shares sum to T. Total and weights are fractions, so a fact stated only for T >= 1,
    W > 1 or w >= 1 fails here."""
    ops, T, ws, qs = _quota()
    W = z3.Sum(*ws)
    ctx = [*ops.side, W > 0]
    assert _valid(ctx, z3.Implies(z3.And(T >= 0, ws[i] >= 0), qs[i] >= 0))
    assert _valid(ctx, z3.Implies(ws[i] == 0, qs[i] == 0))
    assert _valid(ctx, z3.Implies(T == 0, qs[i] == 0))
    assert _valid(ctx, z3.Implies(ws[i] == W, qs[i] == T))
    assert _valid(ctx, z3.Sum(*qs) == T)


@pytest.mark.parametrize("ws_value", [(1, -1, 0), (0, 0, 0), (-1, -1, 0)])
def test_where_the_weights_do_not_sum_to_more_than_zero_nothing_constrains_the_shares(ws_value):
    """Where the weight sum is 0 or negative the apportionment has no value, so neither the side
    facts nor the exact definitions may say anything about the shares: any values (7, -3, 1/2
    of a total 5, which no fact would allow) must be possible. A fact stated there (``W >= 0``
    for ``W > 0``) removes these models, and an invariant about them could come out proved."""
    ops, T, ws, qs = _quota()
    fixed = [T == 5, *[w == v for w, v in zip(ws, ws_value)], qs[0] == 7, qs[1] == -3, qs[2] == Fraction(1, 2)]
    assert _sat(*ops.side, *fixed)
    assert _sat(*ops.side, *ops.exact, *fixed)


def test_the_exact_definitions_fix_every_share_where_the_weight_sum_is_positive():
    """q_i · W = T · w_i: weights 1/4, 1/4, 0 (W = 1/2) of a total 6 give 3, 3, 0 by hand. The
    linear facts alone do not fix the first two, so this needs the exact definitions."""
    ops, T, ws, qs = _quota()
    fixed = [T == 6, ws[0] == Fraction(1, 4), ws[1] == Fraction(1, 4), ws[2] == 0]
    assert _valid([*ops.side, *ops.exact, *fixed], z3.And(qs[0] == 3, qs[1] == 3, qs[2] == 0))
    assert not _valid([*ops.side, *fixed], qs[0] == 3)


def test_the_factors_are_the_weights_that_are_not_constants():
    """``factors``: the terms that, once fixed, make the exact definitions linear (the refinement
    of a spurious model fixes them): here the weights x and y, not the constant 2."""
    ops = Z3Ops({})
    T, x, y = z3.Real("T"), z3.Real("x"), z3.Real("y")
    ops.quota(T, [x, z3.RealVal(2), y], x + 2 + y, SPAN)
    assert sorted(str(f) for f in ops.factors) == ["x", "y"]


def test_each_share_constraint_mentions_only_its_own_weight_and_share():
    """With more than two shares the weight sum is named once, so the constraints of one share
    mention T, that name, its own weight and its own share, not every weight (which made them
    O(n) each, and tied every share to every other when a proof is sliced)."""
    ops, T, ws, qs = _quota(3)
    per_share = [c for c in ops.side if z3.is_implies(c) and z3.is_and(c.arg(1))]
    assert len(per_share) == 3
    [named] = [c for c in ops.side if z3.is_eq(c)]
    assert z3.is_const(named.arg(0)) and named.arg(1).eq(z3.Sum(*ws))
    for i, c in enumerate(per_share):
        names = {str(s) for s in symbols_of(c)}
        assert names == {"T", f"w{i}", str(qs[i]), str(named.arg(0))}, names


def test_the_shares_are_the_items_of_one_family_in_order():
    """Each share is item i of one QuotaPairs family (whose pairwise facts a comparison asks for),
    and tagged with one role for the whole quota at its own position; a second quota has
    another role."""
    from avtalsregler.prover.pairwise import QuotaPairs

    ops, T, ws, qs = _quota()
    fams = [ops.items[q.get_id()] for q in qs]
    assert all(len(f) == 1 for f in fams)
    fam = fams[0][0][0]
    assert isinstance(fam, QuotaPairs) and [f[0] for f in fams] == [(fam, 0), (fam, 1), (fam, 2)]
    assert all(a.eq(b) for a, b in zip(fam.qs, qs)) and all(a.eq(b) for a, b in zip(fam.weights, ws))
    roles = [ops.tags[q.get_id()] for q in qs]
    assert [p for _, p in roles] == [0, 1, 2] and len({r for r, _ in roles}) == 1
    assert roles[0][0].startswith("kvot#")
    other = ops.quota(T, ws[:2], ws[0] + ws[1], SPAN)
    assert ops.tags[other[0].get_id()][0] != roles[0][0]


# -- quota: the lemmas ------------------------------------------------------------------------

QUOTA_LEMMAS = QUOTA_FACTS + ("kvot_monoton", "kvot_strikt", "summa_del", "summa_hel")


def _R(n):
    return z3.Real(f"lemma_{n}")


def test_every_quota_lemma_is_valid():
    ops, *_ = _quota()
    assert set(QUOTA_LEMMAS) <= set(ops.lemmas)
    for name in QUOTA_LEMMAS:
        lem = ops.lemmas[name]
        assert _valid([lem.premise], lem.conclusion), name


def test_every_quota_lemma_applies_wherever_its_facts_are_stated():
    """The facts are stated for every positive weight sum (W > 0) with the exact definitions of
    the shares: each lemma's premise must hold there, or the facts outrun what is proved (a
    premise ``W > 1`` is still a valid lemma, but no longer covers W = 1/2)."""
    ops, *_ = _quota()
    T, W, V, wa, wb, qa, qb = (_R(x) for x in ("T", "W", "V", "wa", "wb", "qa", "qb"))
    shares = z3.And(W > 0, qa * W == T * wa, qb * W == T * wb)
    for name in QUOTA_LEMMAS:
        ctx = z3.And(W > 0, V * W == T * W) if name == "summa_hel" else shares
        assert _valid([ctx], ops.lemmas[name].premise), name


def test_a_lemma_instance_is_its_conclusion_with_the_given_terms():
    """kvot_hela for share q of weight w: w = W → q = T, in the rule's own terms."""
    ops, T, ws, qs = _quota()
    W = z3.Real("W")
    got = ops.lemma_instance("kvot_hela", T=T, W=W, wa=ws[0], qa=qs[0])
    assert _valid([], got == z3.Implies(ws[0] == W, qs[0] == T))


# -- top: the k largest items ------------------------------------------------------------------

def _top(values, k, low=0, high=1, k_expr=True):
    """``top`` over keys r0 … fixed to ``values``; the count is the expression ``c + 1`` with
    ``c == k - 1`` (as the apportionment's leftover count is an expression), or a literal."""
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(len(values))]
    c = z3.Int("c")
    count = c + 1 if k_expr else z3.IntVal(k)
    es, t = ops.top(keys, count, low, high, SPAN)
    fixed = [r == Fraction(v) for r, v in zip(keys, values)] + ([c == k - 1] if k_expr else [])
    return ops, keys, es, t, fixed


H, Q, T3 = Fraction(1, 2), Fraction(1, 4), Fraction(1, 3)

SELECTIONS = [
    # keys, k, the chosen flags by hand: the k largest, equal keys to the one listed first
    ((H, Q, H), 0, (0, 0, 0)),
    ((H, Q, H), 1, (1, 0, 0)),
    ((H, Q, H), 2, (1, 0, 1)),
    ((H, Q, H), 3, (1, 1, 1)),
    ((1, 1, 1), 0, (0, 0, 0)),       # every key at the upper bound, none chosen
    ((1, 1, 1), 1, (1, 0, 0)),
    ((0, 0, 0), 3, (1, 1, 1)),       # every key at the lower bound, all chosen
    ((0, 0, 0), 2, (1, 1, 0)),
    ((0, 1), 1, (0, 1)),
    ((H,), 1, (1,)),
    ((H,), 0, (0,)),
    ((T3, 2 * T3, 0, 1), 2, (0, 1, 0, 1)),
    ((Q, Q, Q, Q), 2, (1, 1, 0, 0)),
]


@pytest.mark.parametrize("values,k,want", SELECTIONS)
@pytest.mark.parametrize("k_expr", [True, False])
def test_the_selection_is_possible_and_unique(values, k, want, k_expr):
    """For keys in [0, 1] and a count 0 <= k <= n, the constraints allow exactly one choice: the
    one computed by hand. No choice at all would make any statement about it "proved"."""
    ops, keys, es, t, fixed = _top(values, k, k_expr=k_expr)
    assert len(es) == len(values)
    assert _sat(*ops.side, *fixed), (values, k)
    assert _valid([*ops.side, *fixed], z3.And(*[e == w for e, w in zip(es, want)])), (values, k)
    assert _valid([*ops.side, *fixed], z3.And(t >= 0, t <= 1))


@pytest.mark.parametrize("k", [-1, 4])
def test_a_count_outside_zero_to_n_constrains_nothing_about_the_count(k):
    """For a count below 0 or above n the selection has no value (the apportionment refuses it):
    the facts about the count must not make it impossible."""
    ops, keys, es, t, fixed = _top((H, Q, H), k)
    assert _sat(*ops.side, *fixed)


def test_no_items_give_no_selection_and_the_upper_bound_as_threshold():
    ops = Z3Ops({})
    es, t = ops.top([], z3.Int("k"), 0, 1, SPAN)
    assert es == [] and _valid([], t == 1) and ops.side == []


def test_the_linear_facts_of_one_item_give_the_count_bound_and_the_cuts_alone():
    """A proof about one item may use only the constraints that mention that item (and the
    shared count, threshold and place): without its definition by cases, and without the sum
    over all items, they must give 0 <= e <= 1, e <= k for 0 <= k <= n, and — with key and
    threshold in [low, high] — e = 1 → key >= t and e = 0 → key <= t (the linear cuts).
    Keys in [-2, 3], so M = 5."""
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(3)]
    k = z3.Int("k")
    es, t = ops.top(keys, k, -2, 3, SPAN)
    defs = list(ops.defs.values())
    others = {str(x) for j in (1, 2) for x in (keys[j], es[j])}
    mine = [c for c in ops.side if not any(c.eq(d) for d in defs)
            and not ({str(s) for s in symbols_of(c)} & others)]
    e, key = es[0], keys[0]
    assert _valid(mine, z3.And(e >= 0, e <= 1))
    assert _valid(mine, z3.Implies(z3.And(k >= 0, k <= 3), e <= k))
    in_range = [key >= -2, key <= 3, t >= -2, t <= 3]
    assert _valid(mine + in_range, z3.And(z3.Implies(e == 1, key >= t), z3.Implies(e == 0, key <= t)))


def test_the_threshold_lies_between_the_bounds_when_every_key_does():
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(3)]
    k = z3.Int("k")
    es, t = ops.top(keys, k, -2, 3, SPAN)
    assert _valid(ops.side + [z3.And(r >= -2, r <= 3) for r in keys], z3.And(t >= -2, t <= 3))


def test_each_item_constraint_mentions_the_count_by_one_name():
    """The count (the apportionment's leftover: the total minus every floor) is named once, so
    an item's constraints do not mention every floor."""
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(3)]
    fs = [z3.Int(f"f{i}") for i in range(3)]
    ops.top(keys, z3.Int("a") - z3.Sum(*fs), 0, 1, SPAN)
    named = [c for c in ops.side if z3.is_eq(c) and "f0" in str(c)]
    assert len(named) == 1
    rest = [c for c in ops.side if not c.eq(named[0])]
    assert rest and all(not {"a", "f0", "f1", "f2"} & {str(s) for s in symbols_of(c)} for c in rest)


def test_the_cut_lemma_is_valid_applies_in_range_and_gives_the_stated_cuts():
    """``urval_troskel_L_H``: with key and threshold in [L, H] the choice by cases implies the
    linear cuts. It must be valid; its premise must hold for every key and threshold in range;
    and its instance (``lemma_fore`` is "listed before the place") with the item's definition
    must give the cut the item states."""
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(2)]
    k = z3.Int("k")
    es, t = ops.top(keys, k, 0, 1, SPAN)
    [name] = [n for n in ops.lemmas if n.startswith("urval_troskel")]
    assert name == "urval_troskel_0_1"
    lem = ops.lemmas[name]
    assert _valid([lem.premise], lem.conclusion)
    key, tt = z3.Real("lemma_nyckel"), z3.Real("lemma_troskel")
    assert _valid([key >= 0, key <= 1, tt >= 0, tt <= 1], lem.premise)
    p = next(x for c in ops.side for x in symbols_of(c) if str(x).startswith("plats!"))
    pos = next(x for x in symbols_of(ops.defs[es[0].get_id()]) if str(x).startswith("position!"))
    inst = z3.substitute(lem.conclusion, (key, keys[0]), (tt, t), (z3.Bool("lemma_fore"), p > pos))
    e = es[0]
    assert _valid([ops.defs[e.get_id()], inst, pos == 0, e >= 0, e <= 1],
                  z3.And(keys[0] >= t - (1 - e), keys[0] <= t + e))
    # a lemma of other bounds has its own name
    ops.top(keys, k, Fraction(-1, 2), 3, SPAN)
    assert "urval_troskel_-1_2_3" in ops.lemmas


def test_the_chosen_flags_are_one_template_per_item():
    """Each item's flag is defined alike over its own position and key (tags and definitions),
    so derived values are one template: comparing two of them asks for the proved fact that a
    larger key is chosen at least as readily (lemma ``monoton``)."""
    ops = Z3Ops({})
    keys = [z3.Real(f"r{i}") for i in range(3)]
    for i, r in enumerate(keys):
        ops.tags[r.get_id()] = ("nyckel#x", i)
    es, t = ops.top(keys, z3.Int("k"), 0, 1, SPAN)
    roles = [ops.tags[e.get_id()] for e in es]
    assert [p for _, p in roles] == [0, 1, 2] and roles[0][0].startswith("vald#")
    ops.itemwise(es, keys, SPAN)
    assert "monoton" in ops.lemmas
    lem = ops.lemmas["monoton"]
    assert _valid([lem.premise], lem.conclusion)
