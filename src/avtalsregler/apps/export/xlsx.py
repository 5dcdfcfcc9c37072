"""Sheets of plain data (:class:`~.sheet.Sheet`) as an XLSX workbook, with openpyxl.

Every sheet: the marker lines first (e.g. that the values are made up; bold, red), then its title
lines, then the header row (bold, frozen: it stays in view when scrolling), then the rows.
Columns are as wide as their content (long prose is wrapped at :data:`WRAP_WIDTH`). With
markers, every sheet's name ends with :data:`MARK_SUFFIX` and its printed page header repeats
the first marker.

Number formats are stored as the file format defines them (ECMA-376 Part 1, section 18.8.31): ``,`` groups
thousands and ``.`` is the decimal point whatever the language; Excel and LibreOffice show them
in the reader's locale (``1 141 457,55 kr`` in Swedish). Amounts are written as ``Decimal``
kronor with two decimals from whole öre, so the value in the file is exactly the amount.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from avtalsregler.apps.export.sheet import Sheet, cell_kind

KR_FORMAT = '#,##0.00 "kr"'
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"
FRACTION_FORMAT = "0.0000000000"
DATE_FORMAT = "yyyy-mm-dd"
FORMATS = {"kr": KR_FORMAT, "int": INT_FORMAT, "percent": PERCENT_FORMAT, "fraction": FRACTION_FORMAT,
           "date": DATE_FORMAT}
WRAP_WIDTH = 60
MARK_SUFFIX = " (FIKTIV)"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


def kronor(ore: int) -> Decimal:
    """``114145755`` öre → ``Decimal('1141457.55')``, exactly."""
    return Decimal(int(ore)).scaleb(-2)


def _share(x: Any) -> Decimal:
    f = Fraction(x)
    return Decimal(f.numerator) / Decimal(f.denominator)


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "kr":
        return kronor(value)
    if kind == "int":
        return int(value)
    if kind in ("fraction", "percent"):
        return _share(value)
    if kind == "date" and isinstance(value, datetime.date):
        return value
    return _ILLEGAL.sub("\ufffd", str(value))


def shown(kind: str, value: Any) -> str:
    """About the text a reader sees, for the column width."""
    if value is None:
        return ""
    if kind == "kr":
        return f"{kronor(value):,.2f} kr"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "percent":
        return "100,00 %"
    if kind == "fraction":
        return "0,0000000000"
    if kind == "date" and isinstance(value, datetime.date):
        return "2000-01-01"
    return str(value)


def _name(name: str, taken: set[str], marked: bool) -> str:
    base = _BAD_NAME.sub("-", name).strip("'") or "Blad"
    suffix = MARK_SUFFIX if marked else ""
    base = base[:31 - len(suffix)] + suffix
    out, n = base, 2
    while out.casefold() in taken:
        tail = f" {n}"
        out = base[:31 - len(tail)] + tail
        n += 1
    taken.add(out.casefold())
    return out


def _header_text(text: str) -> str:
    return text.replace("&", "&&")[:250]


def write_xlsx(sheets: list[Sheet], markers: list[str] | tuple[str, ...] = (),
               created: datetime.datetime | None = None) -> bytes:
    """The workbook as bytes. ``created`` (e.g. from ``SOURCE_DATE_EPOCH``) is stored as its
    creation and modification time; without it, openpyxl's current time."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    if created is not None:
        stamp = created.replace(tzinfo=None)
        wb.properties.created = wb.properties.modified = stamp
    taken: set[str] = set()
    bold, red = Font(bold=True), Font(bold=True, color="C00000")
    for sheet in sheets:
        ws = wb.create_sheet(_name(sheet.name, taken, bool(markers)))
        r = 1
        for line in markers:
            ws.cell(r, 1, _value("text", line)).font = red
            r += 1
        for line in sheet.title:
            ws.cell(r, 1, _value("text", line)).font = bold
            r += 1
        widths = [len(c.header) for c in sheet.columns]
        for j, col in enumerate(sheet.columns, start=1):
            ws.cell(r, j, _value("text", col.header)).font = bold
        header_row = r
        for row in sheet.rows:
            r += 1
            for j, (col, raw) in enumerate(zip(sheet.columns, row, strict=True), start=1):
                kind, value = cell_kind(col, raw)
                c = ws.cell(r, j)
                c.value = _value(kind, value)
                if kind == "text" and c.value is not None:
                    c.data_type = "s"            # never a formula, whatever the text begins with
                if kind in FORMATS:
                    c.number_format = FORMATS[kind]
                if col.wrap:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
                widths[j - 1] = max(widths[j - 1], *(len(x) for x in shown(kind, value).split("\n")))
        for j, (col, w) in enumerate(zip(sheet.columns, widths, strict=True), start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(w, WRAP_WIDTH) + 2 if col.wrap else w + 2
        ws.freeze_panes = ws.cell(header_row + 1, 1)
        if markers:
            ws.oddHeader.center.text = _header_text(markers[0])
        elif sheet.title:
            ws.oddHeader.center.text = _header_text(sheet.title[0])
    if not sheets:
        wb.create_sheet("Tomt")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
