"""The apportionment primitives in Z3 (:meth:`ApportionTerms.quota`, :meth:`ApportionTerms.top`):
linear facts about fresh variables instead of the exact non-linear definitions, each fact an
instance of a lemma the Prover proves apart.

:class:`ApportionTerms` is a part of :class:`~avtalsregler.prover.z3ops.Z3Ops`, which provides
``fresh``, ``const``, ``side``, ``exact``, ``factors``, ``lemma()`` and the pairwise families
(:mod:`~avtalsregler.prover.pairwise`).
"""

from __future__ import annotations

from fractions import Fraction

import z3

from avtalsregler.language.types import Type
from avtalsregler.prover.pairwise import QuotaPairs
from avtalsregler.prover.z3terms import to_real


# The facts stated about each share of a quota, instances of these lemmas (quota_lemmas)
QUOTA_FACTS = ("kvot_icke_negativ", "kvot_noll", "kvot_nolltotal", "kvot_hela")


class ApportionTerms:
    """Shares of a total (``quota``) and the largest items (``top``) as Z3 terms."""

    def quota(self, total, weights, wsum, span):
        """Exact shares ``total * w / wsum``. With constant weights this is linear and exact.
        Otherwise each share is a fresh ``Real`` with *linear* facts (side constraints, under
        ``wsum > 0``), each an instance of a generic lemma over the exact non-linear definition
        ``q * W == T * w``; the lemmas are proved apart by the Prover. The facts about one share
        are added for every share (O(n)); the facts that order two shares as their weights
        (``kvot_monoton``, ``kvot_strikt``) only for the pairs the rule compares (see
        :meth:`demand`), since all n² of them would swamp the solver."""
        ws = [z3.simplify(to_real(w)) for w in weights]
        W = z3.simplify(to_real(wsum))
        T = to_real(total)
        if all(z3.is_rational_value(w) for w in ws) and z3.is_rational_value(W):
            return [T * z3.simplify(w / W) for w in ws]
        self._quota_lemmas(span)
        if len(ws) > 2 and not z3.is_const(W):
            # the weight sum named once: every share's constraints then mention a variable,
            # not a sum over all parties (which made them O(n) each, O(n²) together)
            Wv = self.fresh("viktsumma", Type("frac"))
            self.side.append(Wv == W)
            W = Wv
        n = len(ws)
        qs = [self.fresh("kvot", Type("frac")) for _ in ws]
        role = f"kvot#{self.fresh_count}"
        for i, q in enumerate(qs):
            self.tags[q.get_id()] = (role, i)
        # one constraint per share (a proof about a few shares can leave the others out)
        self.side.append(z3.Implies(W > 0, z3.Sum(*qs) == T))                 # summa_del, summa_hel
        for i in range(n):
            # each fact is the lemma's conclusion instantiated, never written again by hand
            self.side.append(z3.Implies(W > 0, z3.And(*[self.lemma_instance(name, T=T, W=W, wa=ws[i], qa=qs[i])
                                                        for name in QUOTA_FACTS])))
        self.exact.append(z3.Implies(W > 0, z3.And(*[qs[i] * W == T * ws[i] for i in range(n)])))
        self.factors += [w for w in ws if not z3.is_rational_value(w)]
        family = QuotaPairs(T, W, ws, qs, total, wsum, weights)
        self.register(qs, family)
        return qs

    def lemma_instance(self, name: str, **terms) -> z3.BoolRef:
        """The conclusion of lemma ``name`` with its variables (``lemma_T`` for ``T``, …)
        replaced by ``terms``: a fact the prover may use because the lemma is proved."""
        pairs = [(z3.Real(f"lemma_{k}", self.ctx), v) for k, v in terms.items()]
        return z3.substitute(self.lemmas[name].conclusion, *pairs)

    def _quota_lemmas(self, span):
        if "kvot_monoton" in self.lemmas:
            return
        R = lambda n: z3.Real(f"lemma_{n}", self.ctx)  # noqa: E731
        T, W, V, wa, wb, qa, qb = (R(x) for x in ("T", "W", "V", "wa", "wb", "qa", "qb"))
        defs = z3.And(W > 0, qa * W == T * wa, qb * W == T * wb)
        self.lemma("kvot_icke_negativ", defs, z3.Implies(z3.And(T >= 0, wa >= 0), qa >= 0), span)
        self.lemma("kvot_noll", defs, z3.Implies(wa == 0, qa == 0), span)
        self.lemma("kvot_nolltotal", defs, z3.Implies(T == 0, qa == 0), span)
        self.lemma("kvot_hela", defs, z3.Implies(wa == W, qa == T), span)
        self.lemma("kvot_monoton", defs, z3.Implies(z3.And(T >= 0, wa <= wb), qa <= qb), span)
        self.lemma("kvot_strikt", defs, z3.Implies(z3.And(T > 0, wa < wb), qa < qb), span)
        # The sum of the shares is the total, for any number of shares, by induction: two shares
        # of the same total and weight sum W add up to the share of the summed weight
        # (summa_del), and the share of the whole weight sum is the total (summa_hel).
        self.lemma("summa_del", z3.And(W > 0, qa * W == T * wa, qb * W == T * wb),
                   (qa + qb) * W == T * (wa + wb), span)
        self.lemma("summa_hel", z3.And(W > 0, V * W == T * W), V == T, span)

    def top(self, keys, k, low, high, span):
        """The ``k`` items with the largest keys, ties to the item listed first, as a
        *threshold*: fresh ``t`` (a key value) and ``p`` (a position) with

            e_i = 1 if key_i > t, 0 if key_i < t, and (pos_i < p) if key_i == t;   Σ e_i = k

        (``pos_i`` is a variable fixed to ``i``, so that every ``e_i`` is one template applied to
        the item's own variables). The chosen set is then a threshold set of the strict order
        (larger key, or equal key and listed earlier) of size ``k``: exactly one such set
        exists — the one :class:`ConcreteOps` computes (tested with the solver on random inputs,
        tests/test_s07_apportion.py) — though ``t`` and ``p`` need not be unique. O(n)
        constraints; comparing two items needs only their own terms and the shared ``t``, ``p``.
        Since keys and ``t`` lie in ``[low, high]``, the definition implies the linear cuts
        ``key_i >= t - M (1 - e_i)`` and ``key_i <= t + M e_i`` (``M = high - low``; lemma
        ``urval_troskel_…``), which let the solver reason about all items at once (e.g. that the
        chosen keys sum to more than the others allow) without splitting cases per item."""
        n = len(keys)
        if n == 0:
            return [], self.const(high, Type("frac"))
        lo, hi = Fraction(low), Fraction(high)
        L, H, M = (z3.RealVal(f"{v.numerator}/{v.denominator}", self.ctx) for v in (lo, hi, hi - lo))
        self._top_lemma(L, H, M, span)
        # an Int key needs no ToReal here: z3 makes it Real wherever it meets t, L or H
        if n > 2 and not z3.is_const(k) and not z3.is_int_value(k):
            kv = self.fresh("antal", Type("int"))     # named once, as the weight sum in quota()
            self.side.append(kv == k)
            k = kv
        t = self.fresh("troskel", Type("frac"))
        p = self.fresh("plats", Type("int"))
        role = f"position#{self.fresh_count}"
        t_in = z3.And(t >= L, t <= H)
        es = []
        for i, key in enumerate(keys):
            pos, e = self.fresh("position", Type("int")), self.fresh("vald", Type("int"))
            self.tags[pos.get_id()] = (role, i)
            self.tags[e.get_id()] = ("vald" + role[len("position"):], i)
            # by cases, not ``e == If(…)``: the solver would substitute the If for ``e`` everywhere
            self.defs[e.get_id()] = z3.And(z3.Implies(key > t, e == 1), z3.Implies(key < t, e == 0),
                                           z3.Implies(key == t, e == z3.If(p > pos, 1, 0)))
            es.append(e)
            # e <= k follows from Σ e = k with every e >= 0; stated per item, it lets a proof
            # about one item use the count without the sum over all of them
            self.side += [pos == i, self.defs[e.get_id()], e >= 0, e <= 1,
                          z3.Implies(z3.And(k >= 0, k <= n), e <= k)]
            self.side.append(z3.Implies(z3.And(key >= L, key <= H, t_in),
                                        z3.And(key >= t - M * (1 - e), key <= t + M * e)))
        self.side.append(z3.Implies(z3.And(*[z3.And(key >= L, key <= H) for key in keys]), t_in))
        self.side.append(z3.Implies(z3.And(k >= 0, k <= n), z3.Sum(*es) == k))
        return es, t

    def _top_lemma(self, L, H, M, span):
        """One item of :meth:`top`: with key and threshold in ``[low, high]`` the definition of
        ``e`` implies the linear cuts. (And a threshold in ``[low, high]`` exists whenever the
        keys lie there: the k-th largest key, or the largest when ``k = 0``.)"""
        key, t = z3.Real("lemma_nyckel", self.ctx), z3.Real("lemma_troskel", self.ctx)
        c = z3.Bool("lemma_fore", self.ctx)
        e = z3.If(key > t, 1, z3.If(key < t, 0, z3.If(c, 1, 0)))
        self.lemma(f"urval_troskel_{L}_{H}".replace("/", "_"), z3.And(key >= L, key <= H, t >= L, t <= H),
                   z3.And(key >= t - M * (1 - e), key <= t + M * e), span)
