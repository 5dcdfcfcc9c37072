"""Z3 terms for the language's values, outside any translation: the date range, coercion
between ``Int`` and ``Real``, constants read back (:func:`value_of`, :func:`constant_value`), and
the proleptic Gregorian calendar as arithmetic on a date's ordinal (:func:`ordinal`,
:func:`days_in_month`), used by :class:`~avtalsregler.prover.z3ops.Z3Ops`.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

import z3

from avtalsregler.language.types import EnumType, Type

MIN_ORDINAL = datetime.date.min.toordinal()
MAX_ORDINAL = datetime.date.max.toordinal()


def is_constant(x) -> bool:
    if isinstance(x, dict):
        return all(is_constant(v) for v in x.values())
    x = z3.simplify(x) if z3.is_expr(x) else x
    return z3.is_int_value(x) or z3.is_rational_value(x) or z3.is_true(x) or z3.is_false(x)


def constant_value(x, typ: Type, enums):
    if isinstance(x, dict):
        return {k: constant_value(v, typ.elem, enums) for k, v in x.items()}
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


def term_id(x):
    return x.get_id() if z3.is_expr(x) else None


def to_real(x):
    return z3.ToReal(x) if z3.is_int(x) else x


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


def days_in_month(y, m):
    out = z3.If(m == 2, z3.If(_leap(y), 29, 28), z3.If(z3.Or(m == 4, m == 6, m == 9, m == 11), 30, 31))
    return out


def ordinal(y, m, d):
    """``date(y, m, d).toordinal()`` for 1 <= m <= 12 (proleptic Gregorian)."""
    p = y - 1
    before_year = 365 * p + p / 4 - p / 100 + p / 400          # Z3 div: Euclidean = floor for p >= 0
    before_month = _CUMULATIVE[11]
    for k in range(11, 0, -1):
        before_month = z3.If(m <= k, _CUMULATIVE[k - 1], before_month)
    leap_day = z3.If(z3.And(m > 2, _leap(y)), 1, 0)
    return before_year + before_month + leap_day + d
