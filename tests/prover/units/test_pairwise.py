"""Unit tests of prover/pairwise.py: families of items, the pairwise facts a comparison asks for
(each once, to the side constraints or to the sink of the goal being built), and the
monotonicity lemmas of items derived by one template.

Every pairwise fact must be an instance of a proved lemma: the tests prove the lemmas, check that
a family's facts are exactly (no stronger, no weaker than) the instances they stand for, and that
items which are not one template get no lemma."""

from __future__ import annotations

import signal

import pytest
import z3

from avtalsregler.errors import Span
from avtalsregler.prover.generic import NotGeneric
from avtalsregler.prover.pairwise import ChainPairs, Family, QuotaPairs, TemplatePairs
from avtalsregler.prover.z3ops import Z3Ops

SPAN = Span("test", 1, 1)


@pytest.fixture(autouse=True)
def _terminates():
    """Each test here takes well under a second; 20 s means a loop that does not end (a lemma
    name never made free, a role never recorded): fail instead of hanging."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum, frame):
        raise TimeoutError("pairwise did not terminate")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _valid(premises, goal) -> bool:
    s = z3.Solver()
    s.set("timeout", 10_000)
    s.add(*premises, z3.Not(goal))
    return s.check() == z3.unsat


def _same(a, b) -> bool:
    return _valid([], a == b)


class _Fam(Family):
    """A family whose fact for items i, j is the atom ``pair_i_j`` (for the bookkeeping tests)."""

    def pair_at(self, A, B):
        return z3.Bool(f"pair_{A([0, 1, 2])}_{B([0, 1, 2])}")


def _items(n=3, name="x"):
    return [z3.Real(f"{name}{i}") for i in range(n)]


def _lemma_valid(ops, name):
    lem = ops.lemmas[name]
    return _valid([lem.premise], lem.conclusion)


# -- registering items --------------------------------------------------------------------------

def test_register_records_each_term_once_per_family_and_position_and_skips_constants():
    ops, fam, fam2 = Z3Ops({}), _Fam(), _Fam()
    xs = _items()
    ops.register(xs, fam)
    ops.register(xs, fam)                      # again: nothing new
    ops.register_item(xs[0], fam2, 2)
    assert ops.items[xs[0].get_id()] == [(fam, 0), (fam2, 2)]
    assert ops.items[xs[2].get_id()] == [(fam, 2)]
    ops.register([z3.RealVal(3), z3.RealVal("1/2"), 7], fam)    # fraction constants (and non-terms) carry no fact
    assert len(ops.items) == 3


# -- demand: the facts of a pair, once ---------------------------------------------------------

def test_demand_adds_the_fact_of_a_compared_pair_once_either_way_round():
    ops, fam = Z3Ops({}), _Fam()
    xs = _items()
    ops.register(xs, fam)
    ops.demand(xs[0], xs[2])
    ops.demand(xs[2], xs[0])
    ops.demand(xs[0], xs[2])
    assert [str(c) for c in ops.side] == ["pair_0_2"]
    ops.demand(xs[1], xs[1])                   # an item with itself: no pair
    ops.demand(xs[1], z3.Real("y"))            # an item with a term of no family
    ops.demand(z3.Real("y"), xs[1])
    ops.demand(xs[1], 3)                       # with a number
    ops.demand(3, xs[1])
    assert [str(c) for c in ops.side] == ["pair_0_2"]


def test_demand_pairs_only_items_of_the_same_family():
    ops, fam, fam2 = Z3Ops({}), _Fam(), _Fam()
    xs, ys = _items(), _items(name="y")
    ops.register(xs, fam)
    ops.register(ys, fam2)
    ops.demand(xs[0], ys[1])
    assert ops.side == []
    ops.register_item(ys[1], fam, 1)           # ys[1] is also item 1 of fam
    ops.demand(xs[0], ys[1])
    assert [str(c) for c in ops.side] == ["pair_0_1"]


def test_while_a_goal_is_built_its_facts_go_to_its_sink_once_each():
    """A sink collects what one goal asks for: once per sink, again for a new sink, and never
    for a pair already in the side constraints (true everywhere)."""
    ops, fam = Z3Ops({}), _Fam()
    xs = _items()
    ops.register(xs, fam)
    ops.demand(xs[0], xs[1])                   # in side
    ops.sink = first = []
    ops.demand(xs[1], xs[0])                   # already in side: not again
    ops.demand(xs[1], xs[2])
    ops.demand(xs[2], xs[1])
    assert [str(c) for c in first] == ["pair_1_2"]
    ops.sink = second = []
    ops.demand(xs[1], xs[2])
    assert [str(c) for c in second] == ["pair_1_2"]
    ops.sink = None
    ops.demand(xs[1], xs[2])                   # the sinks' facts are not in side
    assert [str(c) for c in ops.side] == ["pair_0_1", "pair_1_2"]


# -- generic_pairs ------------------------------------------------------------------------------

class _M:
    def __init__(self, i):
        self.of = lambda xs: xs[i]


class _NotGenericFam(Family):
    def pair_at(self, A, B):
        raise NotGeneric("test")


def test_generic_pairs_gives_each_family_once_and_skips_those_that_are_not_generic():
    ops, fam, fam2 = Z3Ops({}), _Fam(), _Fam()
    xs, ys = _items(), _items(name="y")
    ops.register(xs, fam)
    ops.register(ys, fam2)
    ops.register(_items(name="z"), _NotGenericFam())
    got = ops.generic_pairs(_M(2), _M(0))
    assert sorted(str(c) for c in got) == ["pair_2_0", "pair_2_0"] and len(got) == 2
    assert Z3Ops({}).generic_pairs(_M(0), _M(1)) == []


# -- QuotaPairs: the facts of two shares ---------------------------------------------------------

def test_the_pairwise_facts_of_a_quota_are_exactly_the_instances_of_its_lemmas():
    """QuotaPairs.facts is written out by hand; it must say exactly what the proved lemmas say
    for the two shares under W > 0: kvot_icke_negativ and kvot_nolltotal for each, kvot_monoton
    and kvot_strikt both ways round. Stronger would be unproved (a false "proved" waits there),
    weaker loses proofs. Everything is a fraction here, so a bound moved from 0 to 1 shows."""
    ops = Z3Ops({})
    T, W, wi, wj, qi, qj = (z3.Real(n) for n in ("T", "W", "wi", "wj", "qi", "qj"))
    ops.quota(T, _items(), z3.Sum(*_items()), SPAN)          # registers the lemmas
    inst = ops.lemma_instance
    lemmas = z3.Implies(W > 0, z3.And(
        *[inst(n, T=T, W=W, wa=w, qa=q) for n in ("kvot_icke_negativ", "kvot_nolltotal") for w, q in ((wi, qi), (wj, qj))],
        *[inst(n, T=T, W=W, wa=a, wb=b, qa=p, qb=q) for n in ("kvot_monoton", "kvot_strikt")
          for a, b, p, q in ((wi, wj, qi, qj), (wj, wi, qj, qi))]))
    assert _same(QuotaPairs.facts(T, W, wi, wj, qi, qj), lemmas)


def test_the_pair_of_two_shares_is_the_facts_of_their_own_weights_and_shares():
    ops = Z3Ops({})
    T, ws = z3.Real("T"), _items(3, "w")
    qs = ops.quota(T, ws, z3.Sum(*ws), SPAN)
    [fam] = {id(f): f for e in ops.items.values() for f, _ in e}.values()
    W = fam.W
    assert _same(fam.pair(2, 0), QuotaPairs.facts(T, W, ws[2], ws[0], qs[2], qs[0]))
    ops.demand(qs[0], qs[1])
    assert _same(ops.side[-1], QuotaPairs.facts(T, W, ws[0], ws[1], qs[0], qs[1]))


# -- itemwise: templates ---------------------------------------------------------------------------

def _tagged(ops, n=2, role="kvot#t", name="b"):
    xs = _items(n, name)
    for i, x in enumerate(xs):
        ops.tags[x.get_id()] = (role, i)
    return xs


def _floors(ops, base):
    """f_i = floor(b_i) as the prover names it: tagged at i, defined f_i <= b_i < f_i + 1."""
    fs = [z3.Int(f"f{i}") for i in range(len(base))]
    for i, (f, b) in enumerate(zip(fs, base)):
        ops.tags[f.get_id()] = ("golv:kvot#t", i)
        ops.defs[f.get_id()] = z3.And(z3.ToReal(f) <= b, b < z3.ToReal(f) + 1)
    return fs


def test_a_template_gets_a_proved_monotonicity_lemma_and_its_pairs_in_the_rules_terms():
    """d_i = floor(b_i) + c (c common to all items): one template over each item's own variables
    (the floor found through its definition). The lemma b_a > b_b → d_a >= d_b (premise: the two
    floors' definitions) is valid, and comparing d_0 with d_1 adds exactly its two instances in
    the rule's terms: (b0 > b1 → d0 >= d1) ∧ (b1 > b0 → d1 >= d0)."""
    ops = Z3Ops({})
    base = _tagged(ops)
    fs, c = _floors(ops, base), z3.Int("c")
    derived = [fs[0] + c, fs[1] + c]
    ops.itemwise(derived, base, SPAN)
    assert [n for n in ops.lemmas] == ["monoton"]
    assert _lemma_valid(ops, "monoton")
    [(fam, pos)] = ops.items[derived[0].get_id()]
    assert pos == 0 and isinstance(fam, TemplatePairs) and ops.items[derived[1].get_id()] == [(fam, 1)]
    ops.demand(derived[1], derived[0])
    want = z3.And(z3.Implies(base[0] > base[1], z3.ToReal(derived[0]) >= z3.ToReal(derived[1])),
                  z3.Implies(base[1] > base[0], z3.ToReal(derived[1]) >= z3.ToReal(derived[0])))
    assert len(ops.side) == 1 and _same(ops.side[0], want)
    # the same template again: the same lemma, no second one
    ops.itemwise([fs[0] + c, fs[1] + c], base, SPAN)
    assert list(ops.lemmas) == ["monoton"]


def test_the_premise_of_a_template_lemma_has_the_definitions_it_needs():
    """An auxiliary reached only through another's definition (g_i in the definition of f_i) is
    still the item's own, and its definition is in the lemma's premise."""
    ops = Z3Ops({})
    base = _tagged(ops)
    gs = _floors(ops, base)
    fs = [z3.Int(f"h{i}") for i in range(2)]
    for i in range(2):
        ops.tags[fs[i].get_id()] = ("dubbel#t", i)
        ops.defs[fs[i].get_id()] = fs[i] == 2 * gs[i]
    ops.itemwise(fs, base, SPAN)
    assert list(ops.lemmas) == ["monoton"] and _lemma_valid(ops, "monoton")
    prem = ops.lemmas["monoton"].premise
    assert "golv" in str(prem) and "dubbel" in str(prem)


def test_a_second_different_template_gets_its_own_name():
    ops = Z3Ops({})
    base = _tagged(ops)
    ops.itemwise([base[0] + 1, base[1] + 1], base, SPAN)
    ops.itemwise([base[0] * 2, base[1] * 2], base, SPAN)
    ops.itemwise([base[0] * 3, base[1] * 3], base, SPAN)
    assert list(ops.lemmas) == ["monoton", "monoton_2", "monoton_3"]
    assert all(_lemma_valid(ops, n) for n in ops.lemmas)


def _no_template(derived, base, ops):
    ops.itemwise(derived, base, SPAN)
    return not [n for n in ops.lemmas if n.startswith("monoton")]


def test_items_that_are_not_one_template_get_no_lemma():
    ops = Z3Ops({})
    base = _tagged(ops)
    r = _tagged(ops, role="eget#t", name="r")
    assert _no_template([base[0] + r[0], base[1] + r[1] + 1], base, ops)       # other shape
    assert _no_template([base[0] + r[1], base[1] + r[0]], base, ops)           # another item's variable
    s = _tagged(ops, 2, role="eget#t", name="s")
    ops2 = Z3Ops({})
    ops2.tags.update(ops.tags)
    assert _no_template([base[0] + r[0] + s[0], base[1] + r[1] + s[1]], base, ops2)   # two of one role
    assert _no_template([z3.RealVal(1), z3.RealVal(2)], [z3.RealVal(1), z3.RealVal(2)], Z3Ops({}))  # no item variable
    one = Z3Ops({})
    assert _no_template([_tagged(one, 1)[0] + 1], [z3.Real("b0")], one)           # one item: no pair
    assert _no_template([1, 2], base, ops2)                                     # numbers, not terms


def test_derived_items_that_are_not_a_template_carry_their_base_items_families():
    """d_0 = q_0 + r_0, d_1 = q_1 + 1 are not one template, but each is computed from its own
    share alone: comparing them asks for the shares' pairwise facts (of weights and shares)."""
    ops = Z3Ops({})
    T, ws = z3.Real("T"), _items(2, "w")
    qs = ops.quota(T, ws, ws[0] + ws[1], SPAN)
    [fam] = {id(f): f for e in ops.items.values() for f, _ in e}.values()
    r = _tagged(ops, role="eget#t", name="r")
    derived = [qs[0] + r[0], qs[1] + 1]
    ops.itemwise(derived, qs, SPAN)
    assert ops.items[derived[0].get_id()] == [(fam, 0)] and ops.items[derived[1].get_id()] == [(fam, 1)]
    assert not [n for n in ops.lemmas if n.startswith("monoton")]
    ops.demand(derived[0], derived[1])
    assert _same(ops.side[-1], fam.pair(0, 1))


def test_derived_items_of_unregistered_base_items_are_not_registered():
    ops = Z3Ops({})
    base = _items(2, "b")                        # no tag, no family
    derived = [base[0] + 1, base[1] + 1]
    ops.itemwise(derived, base, SPAN)
    assert ops.items == {} and ops.lemmas == {}


# -- itemwise: from the weights of a quota to its derived items (ChainPairs) ------------------

def _chain(n=3, total=None, weights=None):
    ops = Z3Ops({})
    T = total if total is not None else z3.Real("T")
    ws = weights or _items(n, "w")
    qs = ops.quota(T, ws, z3.Sum(*ws), SPAN)
    derived = [q + 1 for q in qs]
    ops.itemwise(derived, qs, SPAN)
    return ops, T, ws, qs, derived


def test_items_derived_from_a_quotas_shares_are_ordered_as_the_weights():
    """d_i = q_i + 1 over the shares of one quota: the facts chain into one proved lemma
    ``monoton_vikt`` (W > 0 ∧ T >= 0 ∧ w_a > w_b → d_a >= d_b), and comparing d_0 with d_2 adds
    exactly its two instances in the rule's own terms (the weight sum as the rule has it)."""
    ops, T, ws, qs, derived = _chain()
    assert "monoton_vikt" in ops.lemmas and _lemma_valid(ops, "monoton_vikt")
    assert _lemma_valid(ops, "monoton")
    [(fam, pos)] = ops.items[derived[0].get_id()]
    assert pos == 0 and isinstance(fam, ChainPairs) and ops.items[derived[2].get_id()] == [(fam, 2)]
    ops.demand(derived[0], derived[2])
    W = z3.Sum(*ws)
    want = z3.And(z3.Implies(z3.And(W > 0, T >= 0, ws[0] > ws[2]), derived[0] >= derived[2]),
                  z3.Implies(z3.And(W > 0, T >= 0, ws[2] > ws[0]), derived[2] >= derived[0]))
    assert _same(ops.side[-1], want)
    assert not any("lemma_" in str(s) for s in [ops.side[-1]])


def test_two_different_chains_get_two_names_and_the_same_chain_one():
    ops, T, ws, qs, derived = _chain()
    ops.itemwise([q * 2 for q in qs], qs, SPAN)
    ops.itemwise([q * 2 for q in qs], qs, SPAN)
    ops.itemwise([q * 3 for q in qs], qs, SPAN)
    got = sorted(n for n in ops.lemmas if n.startswith("monoton_vikt"))
    assert got == ["monoton_vikt", "monoton_vikt_2", "monoton_vikt_3"]
    assert all(_lemma_valid(ops, n) for n in got)


def test_no_chain_when_the_base_is_not_the_shares_of_one_quota_in_order():
    """The items of another order (q_1, q_0, q_2), or items derived from the derived items,
    are not a quota's shares: no weight lemma (the derived items of a chain carry its family)."""
    ops = Z3Ops({})
    T, ws = z3.Real("T"), _items(3, "w")
    qs = ops.quota(T, ws, z3.Sum(*ws), SPAN)
    perm = [qs[1], qs[0], qs[2]]
    ops.itemwise([q + 1 for q in perm], perm, SPAN)
    assert "monoton_vikt" not in ops.lemmas
    ops2, T, ws, qs, derived = _chain()
    ops2.itemwise([d + 1 for d in derived], derived, SPAN)
    assert [n for n in ops2.lemmas if n.startswith("monoton_vikt")] == ["monoton_vikt"]
    [(fam, pos)] = ops2.items[derived[1].get_id()]
    assert pos == 1 and isinstance(fam, ChainPairs)


def test_no_chain_for_fewer_items_than_the_quota_has_shares():
    ops = Z3Ops({})
    T, ws = z3.Real("T"), _items(3, "w")
    qs = ops.quota(T, ws, z3.Sum(*ws), SPAN)
    ops.itemwise([q + 1 for q in qs[:2]], qs[:2], SPAN)
    assert "monoton_vikt" not in ops.lemmas and "monoton" in ops.lemmas


def test_items_derived_from_the_items_of_a_chain_are_not_a_chain_but_carry_its_facts():
    """The floors f_i of a quota's shares (bare variables, defined f_i <= q_i < f_i + 1) are
    ordered as the weights (a chain). Values derived from the floors, g_i = f_i + 1, are not
    the shares of a quota: no second weight lemma, no crash; they carry the chain's family and
    get the template's own lemma."""
    ops = Z3Ops({})
    T, ws = z3.Real("T"), _items(3, "w")
    qs = ops.quota(T, ws, z3.Sum(*ws), SPAN)
    fs = [z3.Int(f"f{i}") for i in range(3)]
    for i, (f, q) in enumerate(zip(fs, qs)):
        ops.tags[f.get_id()] = ("golv:" + ops.tags[q.get_id()][0], i)
        ops.defs[f.get_id()] = z3.And(z3.ToReal(f) <= q, q < z3.ToReal(f) + 1)
    ops.itemwise(fs, qs, SPAN)
    assert [n for n in ops.lemmas if n.startswith("monoton_vikt")] == ["monoton_vikt"]
    [(chain, pos)] = ops.items[fs[1].get_id()]
    assert pos == 1 and isinstance(chain, ChainPairs)
    gs = [f + 1 for f in fs]
    ops.itemwise(gs, fs, SPAN)
    assert [n for n in ops.lemmas if n.startswith("monoton_vikt")] == ["monoton_vikt"]
    fams = ops.items[gs[2].get_id()]
    assert (chain, 2) in fams and any(isinstance(f, TemplatePairs) and p == 2 for f, p in fams)
    assert all(_lemma_valid(ops, n) for n in ops.lemmas)
