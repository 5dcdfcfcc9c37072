"""The Z3 meaning of the expression language: the same walker, building terms.

Integers and money are Z3 ``Int``; fractions ``Real``; dates ``Int`` day numbers
(``date.toordinal()``); an enumeration member is the ``Int`` index of the member; a map is a
Python dict of terms, one per member. Partial operations (division by zero, a date outside the
calendar) are recorded as *definedness obligations* under the path condition where they occur;
auxiliary variables that built-ins introduce come with their defining constraints (``side``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from avtalsregler.errors import Span
from avtalsregler.language.semantics import Ops
from avtalsregler.language.types import EnumType, Type
from avtalsregler.prover.generic import Member, symbols_of
from avtalsregler.prover.pairwise import Pairwise
from avtalsregler.prover.z3apportion import ApportionTerms
from avtalsregler.prover.z3terms import (MAX_ORDINAL, MIN_ORDINAL, constant_value, days_in_month,
                                         is_constant, ordinal, to_real)


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


class Z3Ops(Pairwise, ApportionTerms, Ops):
    """The Z3 meaning; the apportionment primitives are in :mod:`~avtalsregler.prover.z3apportion`,
    the pairwise facts on demand in :mod:`~avtalsregler.prover.pairwise`."""

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
        # pairwise facts on demand (pairwise.py): items, tags, defs, sink
        self.init_pairwise()
        self.fresh_count = 0

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
        self.fresh_count += 1
        return self.var(f"{hint}!{self.fresh_count}", typ)

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
            self.demand(a, b)
        # an Int with a Real: Z3's own operators make the Int real (so do ==, < … and If below)
        return a + b if op == "+" else a - b if op == "-" else a * b

    def div(self, a, b, span):
        self.require(b != 0, "division by zero", span)
        return to_real(a) / to_real(b)

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
            self.demand(a, b)
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
            self.side += [m >= 1, m <= 12, dd >= 1, dd <= days_in_month(y, m), d == ordinal(y, m, dd)]
            self.memo[key] = (y, m, dd)
        return self.memo[key]

    def from_civil(self, y, m, d, span):
        r = ordinal(y, m, d)
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

    folding = True     # off in the cross-check (crosscheck.py): there every call is Z3's own meaning

    def fold(self, fn, args, types, result, span):
        if not self.folding or not all(is_constant(a) for a in args) or result.kind in ("map",) or result.unit == "*":
            return None
        from avtalsregler.errors import EvalError
        from avtalsregler.language.semantics import ConcreteOps

        try:
            values = [constant_value(a, t, self.enums) for a, t in zip(args, types, strict=True)]
            value = fn.apply(ConcreteOps(self.enums), values, types, result, span)
        except (EvalError, ValueError, OverflowError):
            return None   # not defined here: leave it to the definedness obligation
        return self.const(value, result)

    def lemma(self, name: str, premise: z3.BoolRef, conclusion: z3.BoolRef, span: Span) -> None:
        self.lemmas.setdefault(name, Lemma(name, premise, conclusion, span))


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
