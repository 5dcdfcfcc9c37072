"""Pairwise facts on demand. A built-in whose items obey a fact for every pair (the quotas of
one apportionment are ordered as their weights) registers the items as a *family*; when the
rule compares two of them (or values derived from each item alone, :meth:`Pairwise.itemwise`),
the instance of the fact for that pair is added — to ``side``, or to ``sink`` while an
invariant is built (so a proof carries only the pairs its own goal compares). Every such fact is
an instance of a lemma the Prover proves, so any subset of them is sound.

:class:`Pairwise` is a part of :class:`~avtalsregler.prover.z3ops.Z3Ops`, which provides
``side``, ``lemmas`` and ``lemma()``.
"""

from __future__ import annotations

from typing import Any

import z3

from avtalsregler.prover.generic import NotGeneric, symbols_of
from avtalsregler.prover.z3terms import term_id, to_real


class Pairwise:
    """The families of items, and the pairwise facts the rule's comparisons ask for."""

    def init_pairwise(self) -> None:
        self.items: dict[int, list[tuple[Any, int]]] = {}   # term id → (family, position)
        self.tags: dict[int, tuple[str, int]] = {}          # item variable id → (role, position)
        self.defs: dict[int, z3.BoolRef] = {}               # item auxiliary id → its definition
        self.sink: list[z3.BoolRef] | None = None
        self._paired: set = set()

    def register(self, terms, family):
        for i, t in enumerate(terms):
            self.register_item(t, family, i)

    def register_item(self, t, family, i):
        if z3.is_expr(t) and not z3.is_rational_value(t):
            entry = self.items.setdefault(t.get_id(), [])
            if (family, i) not in entry:
                entry.append((family, i))

    def itemwise(self, derived, base, span=None):
        """``derived[i]`` is computed from ``base[i]`` alone (and values common to all items).
        Comparisons of derived items then bring the pairwise facts of the base items, and, when
        every derived item is one *template* applied to its own item variables (checked term by
        term), the fact that the template is monotone: ``base_a > base_b → derived_a >=
        derived_b``, proved once over two generic items (lemma ``monoton_…``) and instantiated
        for the pairs the rule compares."""
        family = self._template_family(derived, base, span)
        chain = family and self._chain_family(family, derived, base, span)
        if chain is not None:           # from weights to derived items: all a comparison needs
            self.register(derived, chain)
            return
        for i, (d, b) in enumerate(zip(derived, base)):
            for fam, j in (self.items.get(term_id(b)) or []):
                if j == i:
                    self.register_item(d, fam, i)
        if family is not None:
            self.register(derived, family)

    def _chain_family(self, tp, derived, base, span):
        """When the base items are the shares of one quota, chain the quota's facts with the
        template's monotonicity into one fact from weights to derived items."""
        fams = [f for f, j in (self.items.get(term_id(base[0])) or []) if j == 0 and isinstance(f, QuotaPairs)]
        if not fams or not z3.is_const(tp.Ba):
            return None
        q = fams[0]
        if len(q.qs) != len(base) or not all(a.eq(b) for a, b in zip(q.qs, base)) or \
                not all(z3.is_expr(x) for x in [q.total, q.wsum, *q.weights]):
            return None
        gT, gW = z3.Const("lemma_T", q.total.sort()), z3.Const("lemma_W", q.wsum.sort())
        gwa, gwb = z3.Const("lemma_wa", q.weights[0].sort()), z3.Const("lemma_wb", q.weights[0].sort())
        premise = z3.And(QuotaPairs.facts(to_real(gT), to_real(gW), to_real(gwa), to_real(gwb), tp.Ba, tp.Bb), tp.premise)
        conclusion = z3.Implies(z3.And(gW > 0, gT >= 0, gwa > gwb), tp.Da >= tp.Db)
        name, k = "monoton_vikt", 1
        while name in self.lemmas and not self.lemmas[name].conclusion.eq(conclusion):
            k += 1
            name = f"monoton_vikt_{k}"
        self.lemma(name, premise, conclusion, span)
        return ChainPairs(conclusion, tp, q, (gT, gW, gwa, gwb))

    def _template_family(self, derived, base, span):
        """Each ``derived[i]`` (with ``base[i]``) must be one term over the item's own tagged
        variables (``tags``; position ``i``) and variables common to all items, the tagged
        auxiliaries defined alike (``defs``). Then ``base_a > base_b → derived_a >= derived_b``
        is proved once for two generic items (lemma ``monoton…``, premise: their definitions)."""
        n = len(derived)
        if n < 2 or not all(z3.is_expr(x) for x in list(derived) + list(base)):
            return None
        items, defs = [], []
        for i, d in enumerate(derived):
            roles, todo = {}, [z3.And(d == d, base[i] == base[i])]
            while todo:
                for sym in symbols_of(todo.pop()):
                    tag = self.tags.get(sym.get_id())
                    if tag is None or (tag[0] in roles and roles[tag[0]].eq(sym)):
                        continue
                    role, j = tag
                    if j != i or role in roles:
                        return None
                    roles[role] = sym
                    if sym.get_id() in self.defs:
                        todo.append(self.defs[sym.get_id()])
            items.append(roles)
            defs.append(z3.And(*[self.defs[roles[r].get_id()] for r in sorted(roles) if roles[r].get_id() in self.defs]))
        names = sorted(items[0])
        if not names or any(sorted(r) != names for r in items):
            return None
        gen = {side: {r: z3.Const(f"lemma_{side}_{r.split('#')[0]}", items[0][r].sort()) for r in names}
               for side in ("a", "b")}
        sub0 = [(items[0][r], gen["a"][r]) for r in names]
        D, B, P = (z3.substitute(x, *sub0) for x in (derived[0], base[0], defs[0]))
        for i in range(1, n):
            back = [(gen["a"][r], items[i][r]) for r in names]
            if not all(z3.substitute(x, *back).eq(y) for x, y in ((D, derived[i]), (B, base[i]), (P, defs[i]))):
                return None
        shared = [x for x in symbols_of(z3.And(D == D, B == B, P)) if not x.decl().name().startswith("lemma_")]
        gshared = [z3.Const(f"lemma_g{k}", x.sort()) for k, x in enumerate(shared)]
        to_gen = list(zip(shared, gshared))
        Da, Ba, Pa = (z3.substitute(x, *to_gen) for x in (D, B, P))
        ab = [(gen["a"][r], gen["b"][r]) for r in names]
        Db, Bb, Pb = (z3.substitute(x, *ab) for x in (Da, Ba, Pa))
        conclusion = z3.Implies(Ba > Bb, Da >= Db)      # a and b: one template's instances, one sort
        premise = z3.And(Pa, Pb)
        name, k = "monoton", 1
        while name in self.lemmas and not self.lemmas[name].conclusion.eq(conclusion):
            k += 1
            name = f"monoton_{k}"
        self.lemma(name, premise, conclusion, span)
        tp = TemplatePairs(conclusion, gen, gshared, shared, names, items)
        tp.Da, tp.Db, tp.Ba, tp.Bb, tp.premise = Da, Db, Ba, Bb, premise
        return tp

    def demand(self, a, b):
        """``a`` and ``b`` are compared: add the pairwise facts of every family both belong to."""
        if not (z3.is_expr(a) and z3.is_expr(b)):
            return
        fa, fb = self.items.get(term_id(a)), self.items.get(term_id(b))
        if not fa or not fb:
            return
        for fam, i in fa:
            for fam2, j in fb:
                if fam2 is fam and i != j:
                    key = (id(self.sink), id(fam), min(i, j), max(i, j))
                    if key in self._paired or (0, id(fam), min(i, j), max(i, j)) in self._paired:
                        continue
                    self._paired.add(key if self.sink is not None else (0,) + key[1:])
                    (self.sink if self.sink is not None else self.side).append(fam.pair(i, j))

    def generic_pairs(self, ma, mb) -> list[z3.BoolRef]:
        """The pairwise facts of every family whose items are one per member of the generic
        members' enumeration, for the two of them (a proof about two generic members may need
        them even where it compares derived values, e.g. ``floor(quota + 1/2)``, that are not
        the family's items). Each is an instance of a proved lemma, so adding them is sound."""
        fams = {id(f): f for entries in self.items.values() for f, _ in entries}
        out = []
        for fam in fams.values():
            try:
                out.append(fam.pair_at(ma.of, mb.of))
            except NotGeneric:
                continue
        return out


class Family:
    """Items with a fact for every pair: ``pair_at(A, B)`` gives it for two items named by
    accessors (``A(per_item_list)`` is item A's term: a member's own, or a generic member's,
    see :mod:`generic`)."""

    def pair(self, i, j):
        return self.pair_at(lambda xs: xs[i], lambda xs: xs[j])


class QuotaPairs(Family):
    """The pairwise facts of one quota: two shares are ordered as their weights (instances of
    the lemmas ``kvot_monoton`` and ``kvot_strikt``, under ``W > 0``), with the facts about
    each of the two shares."""

    def __init__(self, T, W, ws, qs, total, wsum, weights):
        self.T, self.W, self.ws, self.qs = T, W, ws, qs
        self.total, self.wsum, self.weights = total, wsum, weights   # the terms as the rule has them

    @staticmethod
    def facts(T, W, wi, wj, qi, qj):
        each = [z3.And(z3.Implies(z3.And(T >= 0, w >= 0), q >= 0), z3.Implies(T == 0, q == 0))
                for w, q in ((wi, qi), (wj, qj))]
        return z3.Implies(W > 0, z3.And(*each,
            z3.Implies(z3.And(T >= 0, wi <= wj), qi <= qj), z3.Implies(z3.And(T >= 0, wj <= wi), qj <= qi),
            z3.Implies(z3.And(T > 0, wi < wj), qi < qj), z3.Implies(z3.And(T > 0, wj < wi), qj < qi)))

    def pair_at(self, A, B):
        return self.facts(self.T, self.W, A(self.ws), B(self.ws), A(self.qs), B(self.qs))


class ChainPairs(Family):
    """Items derived by one template from the shares of a quota: ordered as the *weights*,
    ``W > 0 ∧ T >= 0 ∧ w_a > w_b → derived_a >= derived_b`` (lemma ``monoton_vikt``), written
    with the rule's own terms so that it meets the rule's comparisons atom for atom."""

    def __init__(self, conclusion, template, quota, gen_quota):
        self.conclusion, self.t, self.q, self.gq = conclusion, template, quota, gen_quota

    def pair_at(self, A, B):
        gT, gW, gwa, gwb = self.gq
        q = self.q

        def inst(X, Y):
            sub = self.t.substitution(X, Y) + [(gT, q.total), (gW, q.wsum), (gwa, X(q.weights)),
                                               (gwb, Y(q.weights))]
            return z3.substitute(self.conclusion, *sub)
        return z3.And(inst(A, B), inst(B, A))


class TemplatePairs(Family):
    """The pairwise facts of items that are one template applied to each item's variables:
    instances of the template's ``monoton`` lemma, both ways round."""

    def __init__(self, conclusion, gen, gshared, shared, names, items):
        self.conclusion, self.gen, self.names, self.items = conclusion, gen, names, items
        self.shared = list(zip(gshared, shared))

    def substitution(self, X, Y):
        """The template's generic variables (and shared ones) → items X and Y's own."""
        col = {r: [it[r] for it in self.items] for r in self.names}
        return ([(self.gen["a"][r], X(col[r])) for r in self.names]
                + [(self.gen["b"][r], Y(col[r])) for r in self.names] + self.shared)

    def pair_at(self, A, B):
        return z3.And(z3.substitute(self.conclusion, *self.substitution(A, B)),
                      z3.substitute(self.conclusion, *self.substitution(B, A)))
