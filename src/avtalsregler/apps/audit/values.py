"""The cells of an invoice file: amounts in kronor with öre, dates and invoice periods.

Amounts (text): whole kronor with an optional decimal part of one or two digits, in the forms
Swedish documents and spreadsheets use — ``1 141 457,54``, ``1141457,54 kr``, ``1141457.54``,
``1.141.457,54``, ``1,141,457.54 SEK``. Thousands are grouped by spaces (also no-break and
narrow spaces), or by the other mark than the decimal one. A single ``,`` or ``.`` followed by
three digits (``12,345``) is refused: it could be twelve kronor or twelve thousand. Numbers from
a spreadsheet cell are exact: an integer is kronor, a float is read through its shortest decimal
text (``Decimal(str(value))``) and must be a whole number of öre.

Dates: ``YYYY-MM-DD`` (a spreadsheet date cell too); a day that does not exist is an error.

Periods: a year and one value of the invoice enumeration, in either order, e.g. for an
enumeration ``term`` with labels ``Term 1 (…)``, ``Term 2 (…)``: ``2030 term 1``, ``2030 Term 1
(…)``, ``2030:term_1`` (the value's id), ``2030-T1``, ``2030-1`` or ``T1 2030`` (a letter or two
and the position). A position beyond the enumeration (``2030-T5`` of four) is a period that does
not exist — a finding, not a malformed file (:data:`NO_SUCH_PERIOD`).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from avtalsregler.language.types import EnumType

NO_SUCH_PERIOD = ""          # the period's id when its position is beyond the enumeration

_UNIT = re.compile(r"\s*(kr|kronor|sek|:-)\.?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")
_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/:,. ]?\s*(.+)$")
_YEAR_LAST = re.compile(r"^(.+?)\s*[-/:,. ]\s*(\d{4})$")
_POSITION = re.compile(r"^(?:[^\W\d_]{1,2}\s*)?(\d{1,2})$")
_WORD_POSITION = re.compile(r"^([^\W\d_]+)[\s_]*(\d{1,2})$")


class CellError(ValueError):
    """A cell that cannot be read; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str, column: str | None = None):
        super().__init__(message)
        self.message, self.hint, self.column = message, hint, column


AMOUNT_HINT = ("write kronor with öre after a decimal comma, e.g. '1 141 457,54', '1141457,54 kr' or '1141457.54'; "
               "a separator followed by three digits is ambiguous")


def amount_ore(value) -> int:
    """Öre of an amount cell (text, int or float kronor); raises :class:`CellError`."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not an amount", AMOUNT_HINT)
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        ore = Decimal(str(value)) * 100
        if ore != ore.to_integral_value():
            raise CellError(f"the number {value!r} is not a whole number of öre",
                            "round the cell to two decimals (format the column as a number with öre)")
        return int(ore)
    if isinstance(value, Decimal):
        return amount_ore(str(value))
    return _amount_text(str(value))


def _amount_text(text: str) -> int:
    s = _UNIT.sub("", text.strip()).strip()
    if s.startswith("-") or s.startswith("−"):
        raise CellError(f"the amount {text!r} is negative", "an invoice amount is not negative; a credit note is "
                        "not an invoice of the schedule")
    s = _SPACES.sub("", s)
    if not s or not re.fullmatch(r"[\d.,]+", s):
        raise CellError(f"{text!r} is not an amount in kronor", AMOUNT_HINT)
    whole, dec = s, ""
    marks = [c for c in s if c in ",."]
    if marks:
        last = marks[-1]
        head, _, tail = s.rpartition(last)
        if marks.count(last) == 1 and len(tail) in (1, 2):
            whole, dec = head, tail
        elif marks.count(last) == 1 and len(tail) == 3 and len(set(marks)) == 1:
            raise CellError(f"the amount {text!r} is ambiguous: {last!r} before three digits", AMOUNT_HINT)
        other = "." if last == "," and dec else "," if dec else last
        groups = whole.split(other) if other in whole else [whole]
        if any(c in ",." for g in groups for c in g) or (len(groups) > 1 and (
                not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]))):
            raise CellError(f"{text!r} is not an amount in kronor", AMOUNT_HINT)
        whole = "".join(groups)
    if not whole.isascii() or not whole.isdigit() or len(whole) > 15:
        raise CellError(f"{text!r} is not an amount in kronor", AMOUNT_HINT)
    return int(whole) * 100 + int(dec.ljust(2, "0") or 0)


def date_of(value) -> datetime.date:
    """The date of a cell (``YYYY-MM-DD`` text or a spreadsheet date)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", text)
    if not m:
        raise CellError(f"{text!r} is not a date", "write the invoice date as YYYY-MM-DD, e.g. 2030-04-01")
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError(f"{text!r} is not a day that exists", "check the day and the month (e.g. February has "
                        "28 days, 29 in a leap year)") from None


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def period_of(value, enum: EnumType) -> tuple[int, str]:
    """``(year, value id)`` of a period cell; the id is :data:`NO_SUCH_PERIOD` for a position
    beyond the enumeration."""
    text = " ".join(str(value).split())
    m = _YEAR_FIRST.match(text)
    year, rest = (int(m[1]), m[2]) if m else (None, text)
    if year is None:
        m = _YEAR_LAST.match(text)
        if m:
            year, rest = int(m[2]), m[1]
    if year is None:
        raise CellError(f"the period {text!r} has no year", period_hint(enum))
    key = _norm(rest)
    for v in enum.values:
        label = enum.label(v)
        if key in (_norm(v), _norm(label), _norm(re.sub(r"\s*\(.*\)\s*$", "", label))):
            return year, v
    pos = _POSITION.match(key)
    word = _WORD_POSITION.match(key)
    if word and not pos:
        words = {_norm(enum.name), *(_norm(enum.label(v)).split()[0] for v in enum.values if enum.label(v).split())}
        pos = word if word[1] in words else None
    if pos:
        n = int(pos.group(pos.lastindex))
        return year, enum.values[n - 1] if 1 <= n <= len(enum.values) else NO_SUCH_PERIOD
    raise CellError(f"the period {text!r} is not one of {enum.name}", period_hint(enum))


def year_of(value) -> int | None:
    """The year a period cell names (as :func:`period_of` reads it), or None when it names none."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    m = _YEAR_FIRST.match(text) or _YEAR_LAST.match(text)
    return None if m is None else int(m[1] if m.re is _YEAR_FIRST else m[2])


def period_hint(enum: EnumType) -> str:
    first = enum.values[0]
    short = re.sub(r"\s*\(.*\)\s*$", "", enum.label(first))
    return (f"write the year and the period, e.g. '2030 {short}', '2030:{first}' or '2030-1' "
            f"(the periods: {', '.join(enum.label(v) for v in enum.values)})")
