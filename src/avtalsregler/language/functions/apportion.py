"""Apportionment: ``quota(total, weights)`` and ``apportion(total, weights)``.

``quota`` gives the exact proportional shares ``total * w / W`` (fractions of the total's unit);
``apportion`` gives whole units (öre) by the *largest remainder* method:

1. every party gets the whole part of its quota (``floor``);
2. the units left over (``total - Σ floor``, between 0 and n - 1) go one each to the parties
   with the largest remainders ``quota - floor``;
3. between equal remainders the party listed first in the enumeration goes first
   (a deterministic tie-break; a rule using it records it as a reading).

Only the exact quotas (:meth:`Ops.quota`) and the choice of the ``k`` largest keys with the
tie-break by position (:meth:`Ops.top`) are primitive; floors, remainders and the sums are
written here once (with :meth:`Ops.itemwise` telling a meaning that each share is computed
from its own quota, and :meth:`Ops.claim` stating a fact of the method that the exact meaning
checks and the prover proves once), against the :class:`~avtalsregler.semantics.Ops` interface, and so have
both meanings (exact and Z3).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from avtalsregler.errors import ExprError
from avtalsregler.language.types import Type
from avtalsregler.language.functions import builtin


def _key(x: Any) -> Any:
    get_id = getattr(x, "get_id", None)
    return ("z3", get_id()) if get_id else ("v", x)


def _check(b, args, span, enums, elem_kind):
    b.arity(args, 2, span)
    total, weights = args
    if total.type.kind != "int":
        raise ExprError(f"the total of {b.name}() must be a whole number (money in öre), not {total.type}",
                        total.span, f"write {b.signature}")
    if weights.type.kind != "map" or not weights.type.elem.numeric:
        raise ExprError(f"the weights of {b.name}() must be a map from an enumeration to numbers, "
                        f"not {weights.type}", weights.span, f"write {b.signature}")
    unit = None if total.type.unit == "*" else total.type.unit
    return args, Type("map", enum=weights.type.enum, elem=Type(elem_kind, unit))


def _ordered(ops, weights: dict, typ: Type) -> dict:
    """The weights in the enumeration's order (the order of the tie-break)."""
    return {m: weights[m] for m in ops.enums[typ.enum].values}


def quotas(ops, total: Any, weights: dict, span) -> list[Any]:
    """The exact shares in enumeration order, shared (via ``ops.memo``) by every call with the
    same total and weights. Requires non-negative weights with a positive sum."""
    memo = getattr(ops, "memo", None)
    key = ("quota", _key(total), tuple(_key(w) for w in weights.values()))
    if memo is not None and key in memo:
        return memo[key]
    ws = list(weights.values())
    zero = ops.const(0, Type("int"))
    wsum = ops.sum(ws, zero)
    ops.require(ops.cmp(">", wsum, zero), "apportionment with weights that sum to zero", span)
    for w in ws:
        ops.require(ops.cmp(">=", w, zero), "apportionment with a negative weight", span)
    qs = ops.quota(total, ws, wsum, span)
    if memo is not None:
        memo[key] = qs
    return qs


def largest_remainder(ops, total: Any, weights: dict, span) -> list[Any]:
    """Whole shares by the largest remainder method (see the module text)."""
    memo = getattr(ops, "memo", None)
    key = ("apportion", _key(total), tuple(_key(w) for w in weights.values()))
    if memo is not None and key in memo:
        return memo[key]
    qs = quotas(ops, total, weights, span)
    n = len(qs)
    floors = [ops.floor(q) for q in qs]
    rests = [ops.arith("-", q, f) for q, f in zip(qs, floors)]
    left = ops.arith("-", total, ops.sum(floors, ops.const(0, Type("int"))))
    ops.require(ops.and_([lambda: ops.cmp(">=", left, ops.const(0, Type("int"))),
                          lambda: ops.cmp("<", left, ops.const(max(n, 1), Type("int")))]),
                "apportionment left more units over than there are parties", span)
    # the `left` parties with the largest remainders get one more unit; between equal
    # remainders the party listed first in the enumeration.
    chosen, threshold = ops.top(rests, left, 0, 1, span)
    # The remainders sum to `left` and each is below 1, so the `left` largest are all positive:
    # a party whose quota is whole is never chosen. Both the guard below (which changes no value)
    # and the claims say so: the guard makes "a whole quota gets no extra unit" a fact about the
    # party alone, the claims (checked on every exact evaluation, proved once by the prover)
    # that the guard is idle, for proofs about all parties at once (their sum). The first claim
    # is the one argument over all parties (if the remainders, each below 1, sum to at least 1,
    # the smallest chosen one is positive); the second follows from it party by party.
    zero, rzero = ops.const(0, Type("int")), ops.const(0, Type("frac"))
    ops.claim(ops.or_([lambda: ops.cmp("<", left, ops.const(1, Type("int"))),
                       lambda: ops.cmp(">", threshold, rzero)]),
              "när enheter blir över är den minsta rest som får en enhet större än noll", span)
    extra = [ops.ite(ops.cmp(">", r, rzero), lambda c=c: c, lambda: zero) for r, c in zip(rests, chosen)]
    ops.claim(ops.and_([lambda x=x, c=c: ops.cmp("==", x, c) for x, c in zip(extra, chosen)]),
              "en part vars exakta andel är ett helt tal är inte bland dem med störst rest "
              "(spärren ändrar ingen andel)", span)
    shares = [ops.arith("+", f, e) for f, e in zip(floors, extra)]
    ops.itemwise(shares, qs, span)
    if memo is not None:
        memo[key] = shares
    return shares


@builtin("quota", "quota(total, weights)",
         "de exakta proportionella andelarna av total efter vikterna (bråk av öre)")
class Quota:
    @staticmethod
    def check(b, args, span, enums):
        return _check(b, args, span, enums, "frac")

    @staticmethod
    def apply(ops, v, types, result, span):
        total, weights = v[0], _ordered(ops, v[1], types[1])
        return dict(zip(weights.keys(), quotas(ops, total, weights, span)))


@builtin("apportion", "apportion(total, weights)",
         "fördelning av total i hela öre efter vikterna, största-restmetoden; lika rester: först uppräknad först")
class Apportion:
    @staticmethod
    def check(b, args, span, enums):
        return _check(b, args, span, enums, "int")

    @staticmethod
    def apply(ops, v, types, result, span):
        total, weights = v[0], _ordered(ops, v[1], types[1])
        return dict(zip(weights.keys(), largest_remainder(ops, total, weights, span)))


def explain_apportion(values: list, types: list[Type], result: dict, enums: dict, compact: bool = False) -> list[str]:
    """How ``apportion(total, weights)`` came to ``result`` (Swedish lines for an explanation):
    each party's exact quota as floor + remainder, who got a leftover unit, and the count of
    units left over. ``compact``: one line (for a call inside ``per``)."""
    from avtalsregler.language.types import format_kr, group3, show

    total, weights = values
    e = enums[types[1].enum]
    keys = [k for k in e.values if k in weights]
    ws = [Fraction(weights[k]) for k in keys]
    wsum = sum(ws, Fraction(0))
    elem = Type("int", types[0].unit)
    fmt = (lambda x: format_kr(x)) if elem.is_money else (lambda x: show(x, elem, enums))  # noqa: E731
    if compact:
        shares = ", ".join(fmt(result[k]) for k in keys)
        if len(set(ws)) == 1 and ws[0].denominator == 1:
            q, r = divmod(total, len(keys))
            return [f"{group3(total)} = {len(keys)} × {group3(q)} + {r} → {shares}"]
        return [f"{group3(total)} efter vikterna {', '.join(str(w) for w in ws)} → {shares}"]
    unit = types[0].unit if types[0].unit not in (None, "*") else "enheter"
    lines = [f"exakt andel = {group3(total)} {unit} × vikt / {_num(wsum)}; heltal nedåt, överblivna {unit} "
             "till största rest (lika rest: först uppräknad först)"]
    floors = 0
    for k, w in zip(keys, ws):
        num = total * w
        fl = int(num // wsum)
        rest = num - fl * wsum
        floors += fl
        extra = f"  (+1 {unit}: stor rest)" if result[k] > fl else ""
        lines.append(f"{e.label(k)}: {_num(num)} / {_num(wsum)} = {group3(fl)} {unit} + {rest}/{wsum} "
                     f"→ {fmt(result[k])}{extra}")
    lines.append(f"överblivna {unit}: {group3(total)} − {group3(floors)} = {total - floors}")
    return lines


def _num(x) -> str:
    from avtalsregler.language.types import group3

    return group3(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


EXPLAIN = {"apportion": explain_apportion}
