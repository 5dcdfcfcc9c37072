"""A CSV that Swedish Excel opens as numbers: ``;`` between fields, decimal comma, amounts in
kronor with öre and no thousands separator (``1141457,55``), dates ISO (``2022-01-01``), UTF-8
with a byte order mark (so Excel reads it as UTF-8), lines ended by CRLF.

Marker lines (e.g. that the values are made up) come first, one cell each; then each sheet's
title lines (if asked for), its header and its rows; sheets are separated by an empty line. A text cell that
Excel would take for a formula (beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading apostrophe, Excel's mark for text.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from avtalsregler.apps.export.sheet import Sheet, cell_kind

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHARE_PLACES = 10


def kronor(ore: int) -> str:
    """``114145755`` → ``"1141457,55"``."""
    sign = "-" if ore < 0 else ""
    kr, rest = divmod(abs(int(ore)), 100)
    return f"{sign}{kr},{rest:02d}"


def decimal_comma(x: Fraction, places: int = SHARE_PLACES) -> str:
    """A fraction as a decimal number with a comma, rounded half even to ``places`` places,
    trailing zeros dropped (``1/4`` → ``"0,25"``)."""
    d = (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def text_cell(value: Any) -> str:
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(FORMULA_START) else s


def cell(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "kr":
        return kronor(value)
    if kind == "int":
        return str(int(value))
    if kind == "fraction":
        return decimal_comma(Fraction(value))
    if kind == "percent":
        return decimal_comma(Fraction(value))     # the share itself: Excel reads 0,0763 as a number
    if kind == "date" and isinstance(value, datetime.date):
        return value.isoformat()
    return text_cell(value)


def write_csv_excel(sheets: list[Sheet], markers: list[str] | tuple[str, ...] = (), titles: bool = False) -> bytes:
    """The sheets (usually one: the results) as bytes; ``titles`` adds each sheet's title lines."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for m in markers:
        w.writerow([text_cell(m)])
    for i, sheet in enumerate(sheets):
        if i or markers:
            w.writerow([])
        for line in sheet.title if titles else ():
            w.writerow([text_cell(line)])
        w.writerow([text_cell(c.header) for c in sheet.columns])
        for row in sheet.rows:
            w.writerow([cell(*cell_kind(c, v)) for c, v in zip(sheet.columns, row, strict=True)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
