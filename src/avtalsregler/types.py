"""Types of the expression language, literal values, and how values are shown.

Concrete values: ``int`` (money in öre, counts), ``Fraction`` (rates, exact amounts),
``bool``, ``datetime.date``, ``str`` (an enumeration member's id) and ``dict`` (a map over an
enumeration). There are no floats.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .errors import SchemaError, Span, did_you_mean, expected_one_of
from .source import Node, YFloat, describe

MONEY_UNIT = "öre"


@dataclass(frozen=True)
class Type:
    kind: str                      # int | frac | bool | date | enum | map
    unit: str | None = None        # for int and frac: öre, personer, dagar, …
    enum: str | None = None        # enum name (kind enum) or key enumeration (kind map)
    elem: Type | None = None     # value type of a map

    def __str__(self) -> str:
        if self.kind == "int":
            return "money" if self.unit == MONEY_UNIT else (f"int[{self.unit}]" if self.unit else "int")
        if self.kind == "frac":
            return f"fraction[{self.unit}]" if self.unit else "fraction"
        if self.kind == "enum":
            return self.enum or "enum"
        if self.kind == "map":
            return f"map[{self.enum} → {self.elem}]"
        return self.kind

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "frac")

    @property
    def is_money(self) -> bool:
        return self.kind == "int" and self.unit == MONEY_UNIT


INT = Type("int")
MONEY = Type("int", MONEY_UNIT)
FRAC = Type("frac")
BOOL = Type("bool")
DATE = Type("date")
DAYS = Type("int", "dagar")
# The type of an integer literal: it takes the unit of whatever it is combined with.
LITERAL_INT = Type("int", "*")
LITERAL_FRAC = Type("frac", "*")


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    labels: dict
    clause: str
    span: Span

    def label(self, value: str) -> str:
        return self.labels.get(value, value)


SIMPLE_TYPES = {"money": MONEY, "int": INT, "fraction": FRAC, "bool": BOOL, "date": DATE}


def parse_type(node: Node, enums: dict[str, EnumType], what: str, unit: str | None = None) -> Type:
    """``money``, ``int``, ``fraction``, ``bool``, ``date``, an enumeration's name, or
    ``{map: ENUM, of: TYPE}``."""
    value = node.value
    if isinstance(value, dict):
        from .source import fields

        f = fields(node, what, required=("map", "of"))
        key = parse_type(f["map"], enums, f"key of {what}")
        if key.kind != "enum":
            raise SchemaError(f"the key of a map must be an enumeration, not {key}", f["map"].span,
                              expected_one_of(enums))
        elem = parse_type(f["of"], enums, f"value of {what}", unit)
        return Type("map", enum=key.enum, elem=elem)
    if not isinstance(value, str) or isinstance(value, YFloat):
        raise SchemaError(f"{what} must name a type, not {describe(value)}", node.span,
                          expected_one_of(list(SIMPLE_TYPES) + list(enums)))
    if value in SIMPLE_TYPES:
        base = SIMPLE_TYPES[value]
        if unit and base.kind in ("int", "frac") and not base.unit:
            return Type(base.kind, unit)
        return base
    if value in enums:
        return Type("enum", enum=value)
    hint = did_you_mean(value, list(SIMPLE_TYPES) + list(enums)) or expected_one_of(list(SIMPLE_TYPES) + list(enums))
    raise SchemaError(f"unknown type {value!r} in {what}", node.span, hint)


# -- literal values --------------------------------------------------------------------------

_MONEY_RE = re.compile(r"^(-?)\s*(\d{1,3}(?:[ \u00a0\u202f]\d{3})*|\d+)(?:,(\d{1,2}))?\s*(kr|kronor|öre)$")
_INT_RE = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f_]\d{3})*$|^-?\d+$")
_PERCENT_RE = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*%$")
_FRAC_RE = re.compile(r"^(-?\d+)\s*/\s*(\d+)$")
_DEC_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def parse_money_text(text: str) -> int | None:
    m = _MONEY_RE.match(text.strip())
    if not m:
        return None
    sign, whole, dec, unit = m.groups()
    digits = int(re.sub(r"\D", "", whole))
    if unit == "öre":
        if dec:
            return None
        value = digits
    else:
        value = digits * 100 + int((dec or "0").ljust(2, "0"))
    return -value if sign else value


def parse_value(node: Node, typ: Type, enums: dict[str, EnumType], what: str) -> Any:
    """Read a literal of type ``typ`` from a YAML node, with a clear error otherwise."""
    v = node.value
    err = lambda msg, hint=None: SchemaError(f"{what}: {msg}", node.span, hint)  # noqa: E731
    if typ.kind == "int":
        if isinstance(v, YFloat):
            if typ.is_money:
                raise err(f"a decimal number ({v}) where money is expected",
                          "money is whole öre: write an integer number of öre, or a text such as '12,50 kr'")
            raise err(f"a decimal number ({v}) where a whole number is expected")
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        if isinstance(v, str):
            if typ.is_money:
                ore = parse_money_text(v)
                if ore is not None:
                    return ore
                raise err(f"{v!r} is not an amount", "write e.g. '9 356 000 kr', '12,50 kr' or a whole number of öre")
            if _INT_RE.match(v.strip()):
                return int(re.sub(r"[ \u00a0\u202f_]", "", v.strip()))
        raise err(f"expected {typ}, got {describe(v)}")
    if typ.kind == "frac":
        if isinstance(v, int) and not isinstance(v, bool):
            return Fraction(v)
        if isinstance(v, str):
            s = v.strip()
            if m := _PERCENT_RE.match(s):
                return Fraction(m.group(1).replace(",", ".")) / 100
            if m := _FRAC_RE.match(s):
                if int(m.group(2)) == 0:
                    raise err(f"{v!r} divides by zero")
                return Fraction(int(m.group(1)), int(m.group(2)))
            if _DEC_RE.match(s):  # an exact decimal written as text (or a YAML float's text)
                return Fraction(s.replace(",", "."))
        raise err(f"expected a fraction such as '50%', '1/4' or '0,25', got {describe(v)}")
    if typ.kind == "bool":
        if isinstance(v, bool):
            return v
        raise err(f"expected true or false, got {describe(v)}")
    if typ.kind == "date":
        if isinstance(v, datetime.date):
            return v
        if isinstance(v, str):
            try:
                return datetime.date.fromisoformat(v.strip())
            except ValueError:
                pass
        raise err(f"expected a date YYYY-MM-DD, got {describe(v)}",
                  "a date must exist in the calendar (e.g. no 2021-02-29)")
    if typ.kind == "enum":
        e = enums[typ.enum]
        if isinstance(v, str) and not isinstance(v, YFloat):
            if v in e.values:
                return v
            for key, label in e.labels.items():
                if label == v:
                    return key
        hint = did_you_mean(v, e.values) or expected_one_of(e.values)
        raise err(f"{describe(v)} is not one of the values of {e.name}", hint)
    if typ.kind == "map":
        e = enums[typ.enum]
        if not isinstance(v, dict):
            raise err(f"expected a mapping from {e.name} to {typ.elem}, got {describe(v)}")
        out = {}
        for key, child in v.items():
            if key not in e.values:
                hint = did_you_mean(key, e.values) or expected_one_of(e.values)
                raise SchemaError(f"{what}: {key!r} is not one of the values of {e.name}",
                                  getattr(child, "key_span", child.span), hint)
            out[key] = parse_value(child, typ.elem, enums, f"{what}[{key}]")
        missing = [k for k in e.values if k not in out]
        if missing:
            raise err(f"no value for {', '.join(missing)}", f"give a value for every value of {e.name}")
        return out
    raise err(f"cannot read a literal of type {typ}")


# -- showing values ------------------------------------------------------------------------

def group3(n: int) -> str:
    s = str(abs(n))
    parts = []
    while s:
        parts.insert(0, s[-3:])
        s = s[:-3]
    return ("-" if n < 0 else "") + " ".join(parts)


def format_kr(ore: int) -> str:
    """Swedish style: ``1 234 567,89 kr``."""
    sign = "-" if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    return f"{sign}{group3(kr)},{rest:02d} kr"


def format_fraction(x: Fraction) -> str:
    if (x * 100).denominator == 1:
        return f"{x * 100} %"
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator}"


def show(value: Any, typ: Type, enums: dict[str, EnumType]) -> str:
    """A value as a lawyer reads it: kronor, dates, names."""
    if typ.kind == "int":
        if typ.is_money:
            return format_kr(value)
        return f"{group3(value)} {typ.unit}" if typ.unit and typ.unit != "*" else group3(value)
    if typ.kind == "frac":
        if typ.unit == MONEY_UNIT:
            whole = value.numerator // value.denominator
            return format_kr(whole) + ("" if value.denominator == 1 else f" + {value - whole} öre")
        return format_fraction(Fraction(value))
    if typ.kind == "bool":
        return "ja" if value else "nej"
    if typ.kind == "date":
        return value.isoformat()
    if typ.kind == "enum":
        return enums[typ.enum].label(value)
    if typ.kind == "map":
        e = enums[typ.enum]
        return "; ".join(f"{e.label(k)}: {show(value[k], typ.elem, enums)}" for k in e.values)
    return repr(value)


def to_yaml_value(value: Any, typ: Type) -> Any:
    """A value as it would be written in a spec file (for replayable counterexamples)."""
    if typ.kind == "int":
        return format_kr(value) if typ.is_money else value
    if typ.kind == "frac":
        v = Fraction(value)
        if typ.unit not in (None, "*"):   # an amount (e.g. öre), not a rate
            return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
        return format_fraction(v).replace(" %", "%")
    if typ.kind == "date":
        return value.isoformat()
    if typ.kind == "map":
        return {k: to_yaml_value(v, typ.elem) for k, v in value.items()}
    return value
