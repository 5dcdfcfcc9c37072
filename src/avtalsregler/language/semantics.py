"""The one walker. A checked expression (:mod:`expr`) gets its meaning from an *operations*
object: :class:`ConcreteOps` computes exact values (int öre, ``Fraction``, ``date``),
:class:`~avtalsregler.prover.z3ops.Z3Ops` builds Z3 terms. Built-in functions are written against the
same interface, so a rule and every function it calls has exactly one definition.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any
from collections.abc import Callable

from avtalsregler.errors import EvalError, Span
from avtalsregler.language.expr import E
from avtalsregler.language.types import EnumType, Type

Thunk = Callable[[], Any]


class Ops:
    """The operations a meaning must provide. Values are opaque to the walker."""

    enums: dict[str, EnumType]

    def const(self, value: Any, typ: Type) -> Any: ...
    def arith(self, op: str, a: Any, b: Any) -> Any: ...          # + - *
    def div(self, a: Any, b: Any, span: Span) -> Any: ...         # exact, fraction result
    def intdiv(self, op: str, a: Any, b: Any, span: Span) -> Any: ...  # // and % (floor)
    def neg(self, a: Any) -> Any: ...
    def cmp(self, op: str, a: Any, b: Any) -> Any: ...
    def not_(self, a: Any) -> Any: ...
    def and_(self, items: list[Thunk]) -> Any: ...
    def or_(self, items: list[Thunk]) -> Any: ...
    def ite(self, c: Any, then: Thunk, other: Thunk) -> Any: ...
    def floor(self, a: Any) -> Any: ...
    def select(self, m: dict, key: Any, enum: EnumType) -> Any: ...
    def enum_value(self, enum: EnumType, member: str) -> Any: ...
    def date_add(self, d: Any, days: Any, span: Span) -> Any: ...
    def date_diff(self, a: Any, b: Any) -> Any: ...
    def civil(self, d: Any, span: Span) -> tuple[Any, Any, Any]: ...    # (year, month, day) of a date
    def from_civil(self, y: Any, m: Any, d: Any, span: Span) -> Any: ...  # the date (y, m, d)
    def require(self, cond: Any, message: str, span: Span) -> None: ...
    # Primitives of apportionment (functions/apportion.py); everything else there is derived.
    def quota(self, total: Any, weights: list[Any], wsum: Any, span: Span) -> list[Any]:
        """The exact shares ``total * w / wsum`` (fractions), ``wsum > 0`` already required."""
        ...
    def top(self, keys: list[Any], k: Any, low: Any, high: Any, span: Span) -> tuple[list[Any], Any]:
        """0/1 per item: 1 for the ``k`` items with the largest keys, between equal keys the
        item listed first first; and a *threshold*: a key value such that every item with a
        larger key is chosen and none with a smaller one (the smallest chosen key when ``k >=
        1``). Every key lies in ``[low, high]`` (Python numbers); ``0 <= k <= n`` already
        required."""
        ...
    def fold(self, fn, args: list[Any], types: list[Type], result: Type, span: Span) -> Any:
        """A built-in applied to constants, computed once with the exact meaning (``None``: no
        folding). The two meanings agree (the tests hold them equal), so this only saves the
        solver work, e.g. converting a fixed date to a month number."""
        return None


    def itemwise(self, derived: list[Any], base: list[Any], span: Span | None = None) -> None:
        """``derived[i]`` is computed from ``base[i]`` and values common to every item (e.g. a
        whole share from a quota). A meaning may use this to relate comparisons of derived items
        to facts it knows about base items; the default ignores it."""
        return None
    def is_true(self, c: Any) -> bool | None:
        """``True``/``False`` when ``c`` is known without search, else ``None``."""
        return None

    def claim(self, cond: Any, message: str, span: Span) -> None:
        """A fact a built-in knows to follow from its definition (not an assumption about the
        input). The exact meaning checks it on every evaluation; the Z3 meaning proves it once
        (with the constraints it depends on) and then lets proofs use it without re-deriving it."""
        self.require(cond, f"internal error: {message} does not hold", span)

    # Derived operations: written once for every meaning.
    def sum(self, items: list[Any], zero: Any) -> Any:
        total = zero
        for x in items:
            total = self.arith("+", total, x)
        return total

    def min(self, a: Any, b: Any) -> Any:
        return self.ite(self.cmp("<=", a, b), lambda: a, lambda: b)

    def max(self, a: Any, b: Any) -> Any:
        return self.ite(self.cmp(">=", a, b), lambda: a, lambda: b)


class Walker:
    """Evaluate checked expressions with one :class:`Ops`; ``lookup`` gives the value of a
    free name (input, parameter or definition)."""

    def __init__(self, ops: Ops, lookup: Callable[[str], Any]):
        self.ops = ops
        self.lookup = lookup

    def ev(self, e: E, local: dict[str, Any] | None = None) -> Any:
        local = local or {}
        ops = self.ops
        op = e.op
        if op == "const":
            return ops.const(e.args[0], e.type)
        if op == "var":
            return self.lookup(e.args[0])
        if op == "bound":
            return local[e.args[0]]
        if op in ("+", "-", "*"):
            return ops.arith(op, self.ev(e.args[0], local), self.ev(e.args[1], local))
        if op == "/":
            return ops.div(self.ev(e.args[0], local), self.ev(e.args[1], local), e.span)
        if op in ("//", "%"):
            return ops.intdiv(op, self.ev(e.args[0], local), self.ev(e.args[1], local), e.span)
        if op == "neg":
            return ops.neg(self.ev(e.args[0], local))
        if op == "not":
            return ops.not_(self.ev(e.args[0], local))
        if op in ("and", "or"):
            thunks = [(lambda a=a: self.ev(a, local)) for a in e.args]
            return ops.and_(thunks) if op == "and" else ops.or_(thunks)
        if op in ("<", "<=", ">", ">=", "==", "!="):
            return ops.cmp(op, self.ev(e.args[0], local), self.ev(e.args[1], local))
        if op == "if":
            c, a, b = e.args
            return ops.ite(self.ev(c, local), lambda: self.ev(a, local), lambda: self.ev(b, local))
        if op == "index":
            m = self.ev(e.args[0], local)
            return ops.select(m, self.ev(e.args[1], local), ops.enums[e.args[0].type.enum])
        if op == "call":
            args = [self.ev(a, local) for a in e.args]
            types = [a.type for a in e.args]
            folded = ops.fold(e.extra, args, types, e.type, e.span)
            if folded is not None:
                return folded
            return e.extra.apply(ops, args, types, e.type, e.span)
        if op in ("forall", "exists", "sum", "count", "per"):
            var, body = e.args
            enum = ops.enums[e.extra]
            def item(member: str) -> Any:
                return self.ev(body, {**local, var: ops.enum_value(enum, member)})
            if op == "per":
                return {m: item(m) for m in enum.values}
            if op == "forall":
                return ops.and_([(lambda m=m: item(m)) for m in enum.values])
            if op == "exists":
                return ops.or_([(lambda m=m: item(m)) for m in enum.values])
            zero = ops.const(0, e.type)
            if op == "sum":
                return ops.sum([item(m) for m in enum.values], zero)
            one = ops.const(1, e.type)
            return ops.sum([ops.ite(item(m), lambda: one, lambda: zero) for m in enum.values], zero)
        if op == "date+":
            return ops.date_add(self.ev(e.args[0], local), self.ev(e.args[1], local), e.span)
        if op == "date-date":
            return ops.date_diff(self.ev(e.args[0], local), self.ev(e.args[1], local))
        raise AssertionError(f"unknown operation {op!r}")  # the checker admits no other


_CMP = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


class ConcreteOps(Ops):
    """Exact evaluation: ints, Fractions, dates; a partial operation raises :class:`EvalError`."""

    def __init__(self, enums: dict[str, EnumType]):
        self.enums = enums

    def const(self, value, typ):
        if typ.kind == "frac" and not isinstance(value, Fraction):
            return Fraction(value)
        return value

    def arith(self, op, a, b):
        return a + b if op == "+" else a - b if op == "-" else a * b

    def div(self, a, b, span):
        self.require(b != 0, "division by zero", span)
        return Fraction(a) / Fraction(b)

    def intdiv(self, op, a, b, span):
        self.require(b != 0, "division by zero", span)
        return a // b if op == "//" else a % b

    def neg(self, a):
        return -a

    def cmp(self, op, a, b):
        return _CMP[op](a, b)

    def not_(self, a):
        return not a

    def and_(self, items):
        return all(t() for t in items)

    def or_(self, items):
        return any(t() for t in items)

    def ite(self, c, then, other):
        return then() if c else other()

    def floor(self, a):
        return a.numerator // a.denominator if isinstance(a, Fraction) else int(a)

    def select(self, m, key, enum):
        return m[key]

    def enum_value(self, enum, member):
        return member

    def date_add(self, d, days, span):
        try:
            return d + datetime.timedelta(days=int(days))
        except OverflowError:
            raise EvalError(f"{d.isoformat()} + {days} days is outside the calendar", span) from None

    def date_diff(self, a, b):
        return (a - b).days

    # Calendar primitives (functions/dates.py builds every calendar function on them).
    def civil(self, d, span):
        return d.year, d.month, d.day

    def from_civil(self, y, m, d, span):
        try:
            return datetime.date(y, m, d)
        except (ValueError, OverflowError):
            raise EvalError(f"{y:04d}-{m:02d}-{d:02d} is outside the calendar", span) from None

    def require(self, cond, message, span):
        if not cond:
            raise EvalError(message, span)

    def is_true(self, c):
        return bool(c)

    def quota(self, total, weights, wsum, span):
        return [Fraction(total) * Fraction(w) / Fraction(wsum) for w in weights]

    def top(self, keys, k, low, high, span):
        order = sorted(range(len(keys)), key=lambda i: (-keys[i], i))
        chosen = set(order[:k])
        threshold = keys[order[k - 1]] if k >= 1 else Fraction(high)
        return [1 if i in chosen else 0 for i in range(len(keys))], threshold
