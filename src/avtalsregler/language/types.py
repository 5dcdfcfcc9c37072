"""Types of the expression language, literal values, and how values are shown.

Concrete values: ``int`` (money in öre, counts), ``Fraction`` (rates, exact amounts),
``bool``, ``datetime.date``, ``str`` (an enumeration member's id) and ``dict`` (a map over an
enumeration). There are no floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from avtalsregler.errors import Span

MONEY_UNIT = "öre"


@dataclass(frozen=True)
class Type:
    kind: str                      # int | frac | bool | date | enum | map
    unit: str | None = None        # for int and frac: öre, personer, dagar, …
    enum: str | None = None        # enum name (kind enum) or key enumeration (kind map)
    elem: Type | None = None     # value type of a map

    def __str__(self) -> str:
        unit = None if self.unit == "*" else self.unit     # a literal: shown as a plain number
        if self.kind == "int":
            return "money" if unit == MONEY_UNIT else (f"int[{unit}]" if unit else "int")
        if self.kind == "frac":
            return f"fraction[{unit}]" if unit else "fraction"
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


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    labels: dict
    clause: str
    span: Span
    codes: dict = field(default_factory=dict)     # value → an official code (e.g. a registry number)

    def label(self, value: str) -> str:
        return self.labels.get(value, value)

    def by_code(self, code: str) -> str | None:
        return next((v for v, c in self.codes.items() if c == code), None)


SIMPLE_TYPES = {"money": MONEY, "int": INT, "fraction": FRAC, "bool": BOOL, "date": DATE}


# -- literal values --------------------------------------------------------------------------

MONEY_RE = re.compile(r"^(-?)\s*(\d{1,3}(?:[ \u00a0\u202f]\d{3})*|\d+)(?:,(\d{1,2}))?\s*(kr|kronor|öre)$")
INT_RE = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f_]\d{3})*$|^-?\d+$")
PERCENT_RE = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*%$")
FRAC_RE = re.compile(r"^(-?\d+)\s*/\s*(\d+)$")
DEC_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def parse_money_text(text: str) -> int | None:
    m = MONEY_RE.match(text.strip())
    if not m:
        return None
    sign, whole, dec, unit = m.groups()
    if len(re.sub(r"\D", "", whole)) > 30:              # no amount has that many digits (nor may int() read it)
        return None
    digits = int(re.sub(r"\D", "", whole))
    if unit == "öre":
        if dec:
            return None
        value = digits
    else:
        value = digits * 100 + int((dec or "0").ljust(2, "0"))
    return -value if sign else value


# -- showing values ------------------------------------------------------------------------

def group3(n: int) -> str:
    s = str(abs(n))
    parts = []
    while s:
        parts.insert(0, s[-3:])
        s = s[:-3]
    return ("-" if n < 0 else "") + " ".join(parts)


def group_count(n: int) -> str:
    """A whole number that is not money (a year, a count, days): digit groups only from five
    digits, as a lawyer writes it (2022, 1234, 12 345) — the site's rule (apps/docs/notation.py)."""
    return str(n) if -10000 < n < 10000 else group3(n)


def format_kr(ore: int) -> str:
    """Swedish style: ``1 234 567,89 kr``."""
    sign = "-" if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    return f"{sign}{group3(kr)},{rest:02d} kr"


def format_fraction(x: Fraction) -> str:
    if (x * 100).denominator == 1:
        return f"{x * 100} %"
    return f"{x.numerator}/{x.denominator}"      # (a whole number is a whole percentage above)


def show(value: Any, typ: Type, enums: dict[str, EnumType]) -> str:
    """A value as a lawyer reads it: kronor, dates, names."""
    if typ.kind == "int":
        if typ.is_money:
            return format_kr(value)
        return f"{group_count(value)} {typ.unit}" if typ.unit and typ.unit != "*" else group_count(value)
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
    e = enums[typ.enum]                    # the last kind: a map, shown member by member
    return "; ".join(f"{e.label(k)}: {show(value[k], typ.elem, enums)}" for k in e.values)


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
