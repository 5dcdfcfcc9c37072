"""Types and literal values read from YAML nodes (rule files, specs, data files), each error with
the node's ``path:line:col``."""

from __future__ import annotations

import datetime
import re
from fractions import Fraction
from typing import Any

from avtalsregler.errors import SchemaError, did_you_mean, expected_one_of
from avtalsregler.language.types import (SIMPLE_TYPES, EnumType, Type, DEC_RE, FRAC_RE, INT_RE, PERCENT_RE,
                                         parse_money_text)
from avtalsregler.project.source import MAX_DIGITS, Node, YFloat, describe, fields, too_many_digits


def parse_type(node: Node, enums: dict[str, EnumType], what: str, unit: str | None = None) -> Type:
    """``money``, ``int``, ``fraction``, ``bool``, ``date``, an enumeration's name, or
    ``{map: ENUM, of: TYPE}``."""
    value = node.value
    if isinstance(value, dict):
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


def parse_value(node: Node, typ: Type, enums: dict[str, EnumType], what: str) -> Any:
    """Read a literal of type ``typ`` from a YAML node, with a clear error otherwise."""
    v = node.value
    err = lambda msg, hint=None: SchemaError(f"{what}: {msg}", node.span, hint)  # noqa: E731
    if isinstance(v, str) and too_many_digits(v):
        raise err(f"a number with more than {MAX_DIGITS} digits", "no amount, count or share needs that many digits")
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
            if INT_RE.match(v.strip()):
                return int(re.sub(r"[ \u00a0\u202f_]", "", v.strip()))
        raise err(f"expected {typ}, got {describe(v)}")
    if typ.kind == "frac":
        if isinstance(v, int) and not isinstance(v, bool):
            return Fraction(v)
        if isinstance(v, str):
            s = v.strip()
            if m := PERCENT_RE.match(s):
                return Fraction(m.group(1).replace(",", ".")) / 100
            if m := FRAC_RE.match(s):
                if int(m.group(2)) == 0:
                    raise err(f"{v!r} divides by zero")
                return Fraction(int(m.group(1)), int(m.group(2)))
            if DEC_RE.match(s):  # an exact decimal written as text (or a YAML float's text)
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


