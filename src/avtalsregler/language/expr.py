"""The checked expression tree (:class:`E`), the scope an expression is checked in
(:class:`Scope`), and the typing rules that the parser (:mod:`~avtalsregler.language.parser`)
and built-in functions apply: units, enumeration literals, arithmetic, comparison, and the
common type of two branches (:func:`join`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from avtalsregler.errors import ExprError, Span, did_you_mean
from avtalsregler.language.types import BOOL, DATE, DAYS, EnumType, Type


@dataclass
class E:
    """A checked expression node. ``op`` names the operation; ``args`` are sub-expressions
    (or, for ``const``/``var``/``bound``, the value or the name)."""

    op: str
    args: tuple
    type: Type
    span: Span
    extra: Any = None          # builtin object, binder enumeration, …

    def names(self) -> set[str]:
        """Free names (inputs, parameters, definitions) this expression reads."""
        if self.op == "var":
            return {self.args[0]}
        out: set[str] = set()
        for a in self.args:
            if isinstance(a, E):
                out |= a.names()
        return out


@dataclass
class Scope:
    """What names mean where an expression is checked."""

    names: dict[str, Type]
    enums: dict[str, EnumType]
    builtins: dict[str, Any]
    bound: dict[str, Type] = field(default_factory=dict)

    def with_bound(self, name: str, typ: Type) -> Scope:
        return Scope(self.names, self.enums, self.builtins, {**self.bound, name: typ})


# -- typing rules -----------------------------------------------------------------------------

def unify_unit(a: str | None, b: str | None, sp: Span, what: str) -> str | None:
    if a == "*":
        return b
    if b == "*" or a == b:
        return a
    raise ExprError(f"{what} mixes units: {a or 'no unit'} and {b or 'no unit'}", sp,
                    "convert one side first, or check that you used the right name")


def expect_type(e: E, t: Type, what: str) -> E:
    if e.type.kind != t.kind:
        raise ExprError(f"{what} needs {t}, not {e.type}", e.span)
    return e


def coerce_enum(e: E, t: Type, enums: dict[str, EnumType]) -> E:
    """Give a text literal the enumeration type it is compared with (checking membership)."""
    if e.type.kind == "enum" and e.type.enum is None:
        en = enums[t.enum]
        value = e.args[0]
        if value not in en.values:
            for key, label in en.labels.items():
                if label == value:
                    value = key
                    break
            else:
                raise ExprError(f"{value!r} is not a value of {en.name}", e.span,
                                did_you_mean(value, en.values) or "values: " + ", ".join(en.values))
        return E("const", (value,), t, e.span)
    if e.type != t:
        raise ExprError(f"expected a value of {t}, not {e.type}", e.span)
    return e


def binop(op: str, a: E, b: E, sp: Span) -> E:
    ta, tb = a.type, b.type
    if ta.kind == "date" or tb.kind == "date":
        if op == "+" and ta.kind == "date" and tb.kind == "int":
            unify_unit(tb.unit, "dagar", sp, "date + days")
            return E("date+", (a, b), DATE, sp)
        if op == "+" and tb.kind == "date" and ta.kind == "int":
            unify_unit(ta.unit, "dagar", sp, "days + date")
            return E("date+", (b, a), DATE, sp)
        if op == "-" and ta.kind == "date" and tb.kind == "date":
            return E("date-date", (a, b), DAYS, sp)
        if op == "-" and ta.kind == "date" and tb.kind == "int":
            unify_unit(tb.unit, "dagar", sp, "date - days")
            return E("date+", (a, E("neg", (b,), tb, b.span)), DATE, sp)
        raise ExprError(f"cannot apply {op!r} to {ta} and {tb}", sp,
                        "dates can be compared, subtracted, and moved by a number of days; use add_months for months")
    if not (ta.numeric and tb.numeric):
        raise ExprError(f"cannot apply {op!r} to {ta} and {tb}", sp, "arithmetic needs numbers")
    if op in ("+", "-"):
        unit = unify_unit(ta.unit, tb.unit, sp, f"'{op}'")
    elif op == "*":
        if ta.unit not in (None, "*") and tb.unit not in (None, "*"):
            raise ExprError(f"'*' multiplies two quantities with units ({ta.unit} and {tb.unit})", sp,
                            "one factor must be a plain number or fraction")
        unit = tb.unit if ta.unit in (None, "*") and tb.unit not in (None, "*") else (
            ta.unit if ta.unit not in (None, "*") else (None if None in (ta.unit, tb.unit) else "*"))
    elif op == "/":
        if tb.unit in (None, "*"):
            unit = ta.unit
        elif ta.unit == tb.unit or ta.unit == "*":
            unit = None
        else:
            raise ExprError(f"'/' divides {ta.unit or 'no unit'} by {tb.unit}", sp)
        return E("/", (a, b), Type("frac", unit), sp)
    else:  # // and %
        if ta.kind != "int" or tb.kind != "int":
            raise ExprError(f"'{op}' needs whole numbers, not {ta} and {tb}", sp, "use floor(x / y) for fractions")
        if tb.unit not in (None, "*") and tb.unit != ta.unit:
            raise ExprError(f"the divisor of '{op}' must be a plain number or have the unit of the dividend", sp)
        # months // months is a plain count; months % months is still months
        unit = None if (op == "//" and tb.unit not in (None, "*")) else ta.unit
    kind = "int" if ta.kind == "int" and tb.kind == "int" else "frac"
    return E(op, (a, b), Type(kind, unit), sp)


def compare(op: str, a: E, b: E, sp: Span, enums: dict[str, EnumType]) -> E:
    ta, tb = a.type, b.type
    if ta.kind == "enum" or tb.kind == "enum":
        if op not in ("==", "!="):
            raise ExprError(f"enumeration values can only be compared with == and !=, not {op!r}", sp)
        if ta.enum is None and tb.enum is None:
            raise ExprError("comparing two texts: one side must be an enumeration value", sp)
        if ta.enum is None:
            a = coerce_enum(a, tb, enums)
        elif tb.enum is None:
            b = coerce_enum(b, ta, enums)
        elif ta != tb:
            raise ExprError(f"cannot compare {ta} with {tb}", sp)
        return E(op, (a, b), BOOL, sp)
    if ta.numeric and tb.numeric:
        unify_unit(ta.unit, tb.unit, sp, f"'{op}'")
        return E(op, (a, b), BOOL, sp)
    if ta.kind == tb.kind and ta.kind in ("date", "bool"):
        if ta.kind == "bool" and op not in ("==", "!="):
            raise ExprError(f"booleans can only be compared with == and !=, not {op!r}", sp)
        return E(op, (a, b), BOOL, sp)
    raise ExprError(f"cannot compare {ta} with {tb}", sp)


def join(a: E, b: E, sp: Span, what: str, enums: dict[str, EnumType]) -> tuple[E, E, Type]:
    ta, tb = a.type, b.type
    if ta.numeric and tb.numeric:
        unit = unify_unit(ta.unit, tb.unit, sp, what)
        kind = "int" if ta.kind == tb.kind == "int" else "frac"
        return a, b, Type(kind, unit)
    if ta.kind == "enum" and (ta.enum is None) != (tb.enum is None) and tb.kind == "enum":
        if ta.enum is None:
            a = coerce_enum(a, tb, enums)
        else:
            b = coerce_enum(b, ta, enums)
        return a, b, a.type
    if ta != tb:
        raise ExprError(f"{what} have different types: {ta} and {tb}", sp)
    return a, b, ta
