"""The Z3 meaning of the expression language: the same walker, building terms.

Integers and money are Z3 ``Int``; fractions ``Real``; dates ``Int`` day numbers
(``date.toordinal()``); an enumeration member is the ``Int`` index of the member; a map is a
Python dict of terms, one per member. Partial operations (division by zero, a date outside the
calendar) are recorded as *definedness obligations* under the path condition where they occur;
auxiliary variables that built-ins introduce come with their defining constraints (``side``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from avtalsregler.errors import Span
from avtalsregler.prover.generic import Member, NotGeneric
from avtalsregler.prover.generic import symbols_of      # uninterpreted constants, first occurrence first
from avtalsregler.language.semantics import Ops
from avtalsregler.language.types import EnumType, Type

MIN_ORDINAL = datetime.date.min.toordinal()
MAX_ORDINAL = datetime.date.max.toordinal()


@dataclass
class Obligation:
    """A condition that must hold wherever it is reached: ``path → cond``."""

    condition: z3.BoolRef
    message: str
    span: Span
    upto: int | None = None     # a claim: the side constraints made before it (all it can need)


@dataclass
class Lemma:
    """A fact an abstraction relies on: ``premise → conclusion`` must be valid. Proved apart,
    once, then used in place of the (often non-linear) exact definition."""

    name: str
    premise: z3.BoolRef
    conclusion: z3.BoolRef
    span: Span


@dataclass
class Mark:
    """How far a translation had come (:meth:`Z3Ops.mark`): what was made after it can be
    read (:meth:`Z3Ops.since`) and undone (:meth:`Z3Ops.rollback`)."""

    side: int
    obligations: int
    claims: int
    exact: int
    factors: int
    memo: set
    lemmas: set


class Z3Ops(Ops):
    def __init__(self, enums: dict[str, EnumType], ctx: z3.Context | None = None):
        self.enums = enums
        self.ctx = ctx or z3.main_ctx()
        self.side: list[z3.BoolRef] = []          # defining constraints of auxiliary variables
        self.obligations: list[Obligation] = []   # definedness, each under its path condition
        self.claims: list[Obligation] = []        # facts built-ins derive; proved, then used
        self.lemmas: dict[str, Lemma] = {}        # facts abstractions rely on, proved apart
        self.memo: dict[Any, Any] = {}            # built-ins share auxiliaries for equal arguments
        self.exact: list[z3.BoolRef] = []         # the exact (non-linear) definitions of abstracted
                                                  # auxiliaries, used only to refine a spurious model
        self.factors: list[z3.ExprRef] = []       # terms that make ``exact`` linear once fixed
        self.path: list[Any] = []                  # z3 conditions or lazy _Prefix guards
        # Pairwise facts on demand: a built-in whose items obey a fact for every pair (e.g. the
        # quotas of one apportionment are ordered as their weights) registers the items; when
        # the rule compares two of them (or their itemwise-derived values), the instance of the
        # fact for that pair is added — to ``side``, or to ``sink`` while an invariant is built
        # (so a proof carries only the pairs its own goal compares). Every such fact is an
        # instance of a lemma the Prover proves, so any subset of them is sound.
        self.items: dict[int, list[tuple[Any, int]]] = {}   # term id → (family, position)
        self.tags: dict[int, tuple[str, int]] = {}          # item variable id → (role, position)
        self.defs: dict[int, z3.BoolRef] = {}               # item auxiliary id → its definition
        self.sink: list[z3.BoolRef] | None = None
        self._paired: set = set()
        self._fresh = 0

    # -- marks -------------------------------------------------------------------------------
    def mark(self) -> Mark:
        return Mark(len(self.side), len(self.obligations), len(self.claims), len(self.exact),
                    len(self.factors), set(self.memo), set(self.lemmas))

    def since(self, mark: Mark) -> dict[str, list]:
        """What was made after ``mark``: side constraints, obligations, claims, lemma names."""
        return {"side": self.side[mark.side:], "obligations": self.obligations[mark.obligations:],
                "claims": self.claims[mark.claims:], "lemmas": [k for k in self.lemmas if k not in mark.lemmas]}

    def rollback(self, mark: Mark) -> None:
        """Undo everything made after ``mark`` (auxiliaries, their constraints and memo entries,
        obligations, claims, lemmas): e.g. a goal evaluated only to try one proof."""
        del self.side[mark.side:], self.obligations[mark.obligations:], self.claims[mark.claims:]
        del self.exact[mark.exact:], self.factors[mark.factors:]
        for k in set(self.memo) - mark.memo:
            del self.memo[k]
        for k in set(self.lemmas) - mark.lemmas:
            del self.lemmas[k]

    # -- variables ---------------------------------------------------------------------------
    def var(self, name: str, typ: Type) -> Any:
        if typ.kind == "map":
            return {m: self.var(f"{name}[{m}]", typ.elem) for m in self.enums[typ.enum].values}
        if typ.kind == "bool":
            return z3.Bool(name, self.ctx)
        if typ.kind == "frac":
            return z3.Real(name, self.ctx)
        return z3.Int(name, self.ctx)

    def fresh(self, hint: str, typ: Type) -> Any:
        self._fresh += 1
        return self.var(f"{hint}!{self._fresh}", typ)

    def domain(self, term: Any, typ: Type, low: Any = None, high: Any = None) -> list[z3.BoolRef]:
        """The constraints that make ``term`` a value of ``typ`` (and within the bounds)."""
        if typ.kind == "map":
            out = []
            for m, t in term.items():
                out += self.domain(t, typ.elem, low[m] if isinstance(low, dict) else low,
                                   high[m] if isinstance(high, dict) else high)
            return out
        out = []
        if typ.kind == "enum":
            out += [term >= 0, term < len(self.enums[typ.enum].values)]
        if typ.kind == "date":
            out += [term >= MIN_ORDINAL, term <= MAX_ORDINAL]
        if low is not None:
            out.append(term >= self.const(low, typ))
        if high is not None:
            out.append(term <= self.const(high, typ))
        return out

    # -- path conditions ----------------------------------------------------------------------
    def under(self, cond: z3.BoolRef, thunk):
        self.path.append(cond)
        try:
            return thunk()
        finally:
            self.path.pop()

    def toplevel(self, thunk):
        """Evaluate with an empty path (a definition is evaluated once and shared)."""
        saved, self.path = self.path, []
        try:
            return thunk()
        finally:
            self.path = saved

    # -- Ops ---------------------------------------------------------------------------------
    def const(self, value, typ):
        if typ.kind == "bool":
            return z3.BoolVal(bool(value), self.ctx)
        if typ.kind == "frac":
            v = Fraction(value)
            return z3.RealVal(f"{v.numerator}/{v.denominator}", self.ctx)
        if typ.kind == "date":
            return z3.IntVal(value.toordinal(), self.ctx)
        if typ.kind == "enum":
            return z3.IntVal(self.enums[typ.enum].values.index(value), self.ctx)
        if typ.kind == "map":
            return {k: self.const(v, typ.elem) for k, v in value.items()}
        return z3.IntVal(int(value), self.ctx)

    def arith(self, op, a, b):
        if op == "-" and self.items:
            self._demand(a, b)
        a, b = _coerce(a, b)
        return a + b if op == "+" else a - b if op == "-" else a * b

    def div(self, a, b, span):
        self.require(b != 0, "division by zero", span)
        return _real(a) / _real(b)

    def intdiv(self, op, a, b, span):
        self.require(b != 0, "division by zero", span)
        # Z3's div/mod are Euclidean; Python's // and % floor. They agree for b > 0; build the
        # floor version for any sign.
        q = a / b
        r = a % b
        fq = z3.If(z3.And(b < 0, r != 0), q - 1, q)
        if op == "//":
            return fq
        return a - b * fq

    def neg(self, a):
        return -a

    def cmp(self, op, a, b):
        a, b = (x.idx if isinstance(x, Member) else x for x in (a, b))
        if self.items:
            self._demand(a, b)
        a, b = _coerce(a, b)
        # only the operator asked for is built: booleans have == and != but no ordering
        return {"<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b,
                "==": lambda: a == b, "!=": lambda: a != b}[op]()

    def not_(self, a):
        return z3.Not(a)

    def and_(self, items):
        done: list = []
        for i, t in enumerate(items):
            done.append(self.under(_Prefix(done, i, False), t))
        return z3.And(*done) if len(done) != 1 else done[0]

    def or_(self, items):
        done: list = []
        for i, t in enumerate(items):
            done.append(self.under(_Prefix(done, i, True), t))
        return z3.Or(*done) if len(done) != 1 else done[0]

    def ite(self, c, then, other):
        a = self.under(c, then)
        b = self.under(z3.Not(c), other)
        if isinstance(a, dict):
            return {k: self.ite(c, lambda k=k: a[k], lambda k=k: b[k]) for k in a}
        a, b = _coerce(a, b)
        return z3.If(c, a, b)

    def floor(self, a):
        """The floor of a fraction as a fresh ``Int`` ``f`` with ``f <= a < f + 1`` (shared by
        every floor of the same term). Z3's own ``ToInt`` means the same, but its internal
        encoding makes the solver branch on every floor at once: the largest-remainder claim
        for 290 parties took 48 s with ``ToInt`` and 0.6 s with named floors."""
        if not z3.is_real(a):
            return a
        s = z3.simplify(a)
        if z3.is_rational_value(s):
            v = Fraction(s.as_fraction())
            return z3.IntVal(v.numerator // v.denominator, self.ctx)
        key = ("floor", a.get_id())
        if key not in self.memo:
            f = self.fresh("golv", Type("int"))
            d = z3.And(z3.ToReal(f) <= a, a < z3.ToReal(f) + 1)
            self.side.append(d)
            # the floor of an item's value is that item's too (for templates, see itemwise)
            tags = {self.tags[x.get_id()] for x in symbols_of(a) if x.get_id() in self.tags}
            if len({pos for _, pos in tags}) == 1:
                role = "golv:" + ",".join(sorted(r for r, _ in tags))
                self.tags[f.get_id()] = (role, next(iter(tags))[1])
                self.defs[f.get_id()] = d
            self.memo[key] = f
        return self.memo[key]

    def select(self, m, key, enum):
        if isinstance(key, Member):        # a member left open (generic.py): its template
            return key.inst(key.space.template_of(m))
        if z3.is_int_value(key):
            return m[enum.values[key.as_long()]]
        members = list(enum.values)
        out = m[members[-1]]
        for i in range(len(members) - 2, -1, -1):
            out = self.ite(key == i, lambda i=i: m[members[i]], lambda o=out: o)
        return out

    def enum_value(self, enum, member):
        return z3.IntVal(enum.values.index(member), self.ctx)

    def date_add(self, d, days, span):
        r = d + days
        self.require(z3.And(r >= MIN_ORDINAL, r <= MAX_ORDINAL), "date outside the calendar", span)
        return r

    def date_diff(self, a, b):
        return a - b

    # Calendar primitives: a date is its ordinal; (year, month, day) are auxiliary variables
    # defined by side constraints (the ordinal of (y, m, d) is linear in y, m, d up to divisions
    # of the year by 4, 100 and 400), shared between calls on the same date term.
    def civil(self, d, span):
        key = ("civil", d.get_id() if z3.is_expr(d) else d)
        if key not in self.memo:
            y, m, dd = (self.fresh(n, Type("int")) for n in ("year", "month", "day"))
            self.side += [m >= 1, m <= 12, dd >= 1, dd <= _days_in_month(y, m), d == _ordinal(y, m, dd)]
            self.memo[key] = (y, m, dd)
        return self.memo[key]

    def from_civil(self, y, m, d, span):
        r = _ordinal(y, m, d)
        self.require(z3.And(y >= 1, y <= 9999), "date outside the calendar", span)
        return r

    def require(self, cond, message, span):
        path = [g for g in (c.term(self.ctx) if isinstance(c, _Prefix) else c for c in self.path)
                if not z3.is_true(g)]
        guard = z3.And(*path) if path else None
        self.obligations.append(Obligation(z3.Implies(guard, cond) if guard is not None else cond,
                                           message, span))

    def claim(self, cond, message, span):
        path = [g for g in (c.term(self.ctx) if isinstance(c, _Prefix) else c for c in self.path)
                if not z3.is_true(g)]
        self.claims.append(Obligation(z3.Implies(z3.And(*path), cond) if path else cond, message, span,
                                      len(self.side)))

    def is_true(self, c):
        s = z3.simplify(c)
        return True if z3.is_true(s) else False if z3.is_false(s) else None

    # -- apportionment primitives --------------------------------------------------------------
    def quota(self, total, weights, wsum, span):
        """Exact shares ``total * w / wsum``. With constant weights this is linear and exact.
        Otherwise each share is a fresh ``Real`` with *linear* facts (side constraints, under
        ``wsum > 0``), each an instance of a generic lemma over the exact non-linear definition
        ``q * W == T * w``; the lemmas are proved apart by the Prover. The facts about one share
        are added for every share (O(n)); the facts that order two shares as their weights
        (``kvot_monoton``, ``kvot_strikt``) only for the pairs the rule compares (see
        :meth:`_demand`), since all n² of them would swamp the solver."""
        ws = [z3.simplify(_real(w)) for w in weights]
        W = z3.simplify(_real(wsum))
        T = _real(total)
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
        role = f"kvot#{self._fresh}"
        for i, q in enumerate(qs):
            self.tags[q.get_id()] = (role, i)
        # one constraint per share (a proof about a few shares can leave the others out)
        self.side.append(z3.Implies(W > 0, z3.Sum(*qs) == T))                 # summa_del, summa_hel
        for i in range(n):
            self.side.append(z3.Implies(W > 0, z3.And(
                z3.Implies(z3.And(T >= 0, ws[i] >= 0), qs[i] >= 0),             # kvot_icke_negativ
                z3.Implies(ws[i] == 0, qs[i] == 0),                               # kvot_noll
                z3.Implies(T == 0, qs[i] == 0),                                   # kvot_nolltotal
                z3.Implies(z3.And(T >= 0, ws[i] == W), qs[i] == T))))             # kvot_hela
        self.exact.append(z3.Implies(W > 0, z3.And(*[qs[i] * W == T * ws[i] for i in range(n)])))
        self.factors += [w for w in ws if not z3.is_rational_value(w)]
        family = _QuotaPairs(T, W, ws, qs, total, wsum, weights)
        self._register(qs, family)
        return qs

    def _register(self, terms, family):
        for i, t in enumerate(terms):
            self._register_item(t, family, i)

    def _register_item(self, t, family, i):
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
            self._register(derived, chain)
            return
        for i, (d, b) in enumerate(zip(derived, base)):
            for fam, j in (self.items.get(_tid(b)) or []):
                if j == i:
                    self._register_item(d, fam, i)
        if family is not None:
            self._register(derived, family)

    def _chain_family(self, tp, derived, base, span):
        """When the base items are the shares of one quota, chain the quota's facts with the
        template's monotonicity into one fact from weights to derived items."""
        fams = [f for f, j in (self.items.get(_tid(base[0])) or []) if j == 0 and isinstance(f, _QuotaPairs)]
        if not fams or not z3.is_const(tp.Ba):
            return None
        q = fams[0]
        if len(q.qs) != len(base) or not all(a.eq(b) for a, b in zip(q.qs, base)) or \
                not all(z3.is_expr(x) for x in [q.total, q.wsum, *q.weights]):
            return None
        gT, gW = z3.Const("lemma_T", q.total.sort()), z3.Const("lemma_W", q.wsum.sort())
        gwa, gwb = z3.Const("lemma_wa", q.weights[0].sort()), z3.Const("lemma_wb", q.weights[0].sort())
        premise = z3.And(_QuotaPairs.facts(_real(gT), _real(gW), _real(gwa), _real(gwb), tp.Ba, tp.Bb), tp.premise)
        conclusion = z3.Implies(z3.And(gW > 0, gT >= 0, gwa > gwb), _ge(tp.Da, tp.Db))
        name, k = "monoton_vikt", 1
        while name in self.lemmas and not self.lemmas[name].conclusion.eq(conclusion):
            k += 1
            name = f"monoton_vikt_{k}"
        self.lemma(name, premise, conclusion, span)
        return _ChainPairs(conclusion, tp, q, (gT, gW, gwa, gwb))

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
        conclusion = z3.Implies(_coerce(Ba, Bb)[0] > _coerce(Ba, Bb)[1], _ge(Da, Db))
        premise = z3.And(Pa, Pb)
        name, k = "monoton", 1
        while name in self.lemmas and not self.lemmas[name].conclusion.eq(conclusion):
            k += 1
            name = f"monoton_{k}"
        self.lemma(name, premise, conclusion, span)
        tp = _TemplatePairs(conclusion, gen, gshared, shared, names, items)
        tp.Da, tp.Db, tp.Ba, tp.Bb, tp.premise = Da, Db, Ba, Bb, premise
        return tp

    def _demand(self, a, b):
        """``a`` and ``b`` are compared: add the pairwise facts of every family both belong to."""
        if not (z3.is_expr(a) and z3.is_expr(b)):
            return
        fa, fb = self.items.get(_tid(a)), self.items.get(_tid(b))
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
        keys = [_real(x) for x in keys]
        if n > 2 and not z3.is_const(k) and not z3.is_int_value(k):
            kv = self.fresh("antal", Type("int"))     # named once, as the weight sum in quota()
            self.side.append(kv == k)
            k = kv
        t = self.fresh("troskel", Type("frac"))
        p = self.fresh("plats", Type("int"))
        role = f"position#{self._fresh}"
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

    def fold(self, fn, args, types, result, span):
        if not all(_is_constant(a) for a in args) or result.kind in ("map",) or result.unit == "*":
            return None
        from avtalsregler.errors import EvalError
        from avtalsregler.language.semantics import ConcreteOps

        try:
            values = [_constant_value(a, t, self.enums) for a, t in zip(args, types, strict=True)]
            value = fn.apply(ConcreteOps(self.enums), values, types, result, span)
        except (EvalError, ValueError, OverflowError):
            return None   # not defined here: leave it to the definedness obligation
        return self.const(value, result)

    def _top_lemma(self, L, H, M, span):
        """One item of :meth:`top`: with key and threshold in ``[low, high]`` the definition of
        ``e`` implies the linear cuts. (And a threshold in ``[low, high]`` exists whenever the
        keys lie there: the k-th largest key, or the largest when ``k = 0``.)"""
        key, t = z3.Real("lemma_nyckel", self.ctx), z3.Real("lemma_troskel", self.ctx)
        c = z3.Bool("lemma_fore", self.ctx)
        e = z3.If(key > t, 1, z3.If(key < t, 0, z3.If(c, 1, 0)))
        self.lemma(f"urval_troskel_{L}_{H}".replace("/", "_"), z3.And(key >= L, key <= H, t >= L, t <= H),
                   z3.And(key >= t - M * (1 - e), key <= t + M * e), span)

    def lemma(self, name: str, premise: z3.BoolRef, conclusion: z3.BoolRef, span: Span) -> None:
        self.lemmas.setdefault(name, Lemma(name, premise, conclusion, span))


def _is_constant(x) -> bool:
    if isinstance(x, dict):
        return all(_is_constant(v) for v in x.values())
    x = z3.simplify(x) if z3.is_expr(x) else x
    return z3.is_int_value(x) or z3.is_rational_value(x) or z3.is_true(x) or z3.is_false(x)


def _constant_value(x, typ: Type, enums):
    if isinstance(x, dict):
        return {k: _constant_value(v, typ.elem, enums) for k, v in x.items()}
    x = z3.simplify(x)
    if typ.kind == "bool":
        return z3.is_true(x)
    if typ.kind == "frac":
        return Fraction(x.as_fraction())
    n = x.as_long()
    if typ.kind == "date":
        return datetime.date.fromordinal(n)
    if typ.kind == "enum":
        return enums[typ.enum].values[n]
    return n

class _Prefix:
    """The path condition of item ``n`` of an ``and`` (the first ``n`` items hold) or an ``or``
    (none of them holds), built only when an obligation needs it: building it for every item
    would cost O(n²) for a ``forall`` over n members."""

    __slots__ = ("items", "n", "negated")

    def __init__(self, items: list, n: int, negated: bool):
        self.items, self.n, self.negated = items, n, negated

    def term(self, ctx):
        done = self.items[:self.n]
        if not done:
            return z3.BoolVal(True, ctx)
        return z3.Not(z3.Or(*done)) if self.negated else z3.And(*done)


class _Family:
    """Items with a fact for every pair: ``pair_at(A, B)`` gives it for two items named by
    accessors (``A(per_item_list)`` is item A's term: a member's own, or a generic member's,
    see :mod:`generic`)."""

    def pair(self, i, j):
        return self.pair_at(lambda xs: xs[i], lambda xs: xs[j])


class _QuotaPairs(_Family):
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


class _ChainPairs(_Family):
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


class _TemplatePairs(_Family):
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


def _ge(a, b):
    a, b = _coerce(a, b)
    return a >= b


def _tid(x):
    return x.get_id() if z3.is_expr(x) else None


def _real(x):
    return z3.ToReal(x) if z3.is_int(x) else x


def _coerce(a, b):
    if z3.is_expr(a) and z3.is_expr(b) and z3.is_arith(a) and z3.is_arith(b):
        if z3.is_int(a) and z3.is_real(b):
            return z3.ToReal(a), b
        if z3.is_real(a) and z3.is_int(b):
            return a, z3.ToReal(b)
    return a, b


def value_of(model: z3.ModelRef, term: Any, typ: Type, enums: dict[str, EnumType]) -> Any:
    """Read a concrete value of ``typ`` from a model (the inverse of :meth:`Z3Ops.const`)."""
    if typ.kind == "map":
        return {k: value_of(model, t, typ.elem, enums) for k, t in term.items()}
    v = model.eval(term, model_completion=True)
    if typ.kind == "bool":
        return z3.is_true(v)
    if typ.kind == "frac":
        f = v.as_fraction() if z3.is_rational_value(v) else Fraction(str(v.as_decimal(20)).rstrip("?"))
        return Fraction(f)
    n = v.as_long()
    if typ.kind == "date":
        return datetime.date.fromordinal(min(max(n, MIN_ORDINAL), MAX_ORDINAL))
    if typ.kind == "enum":
        values = enums[typ.enum].values
        return values[min(max(n, 0), len(values) - 1)]
    return n


def _leap(y):
    return z3.And(y % 4 == 0, z3.Or(y % 100 != 0, y % 400 == 0))


_CUMULATIVE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _days_in_month(y, m):
    out = z3.If(m == 2, z3.If(_leap(y), 29, 28), z3.If(z3.Or(m == 4, m == 6, m == 9, m == 11), 30, 31))
    return out


def _ordinal(y, m, d):
    """``date(y, m, d).toordinal()`` for 1 <= m <= 12 (proleptic Gregorian)."""
    p = y - 1
    before_year = 365 * p + p / 4 - p / 100 + p / 400          # Z3 div: Euclidean = floor for p >= 0
    before_month = _CUMULATIVE[11]
    for k in range(11, 0, -1):
        before_month = z3.If(m <= k, _CUMULATIVE[k - 1], before_month)
    leap_day = z3.If(z3.And(m > 2, _leap(y)), 1, 0)
    return before_year + before_month + leap_day + d
