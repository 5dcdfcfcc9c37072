"""Reading an invoice file: CSV (``,`` or ``;``, UTF-8 with or without BOM) or XLSX (the first
sheet), one row per invoice, with a header row (see ``schemas/invoices.md``).

Columns, by any of these header spellings (case and spaces/underscores do not matter):

* the member — ``member``, ``medlem``, ``part``, ``party``, ``municipality``, and the names the
  rules give it (the parties' member enumeration's name, the members table's label and JSON
  key): a name in any form the parties declaration accepts, or the official code;
* ``code``/``kod`` (optional): the official code, checked against the name when both are given;
* the invoice date — ``invoice_date``, ``fakturadatum``, ``datum``, ``date``;
* the period — ``period``, or the invoice enumeration's name or the first word of its labels;
* the amount — ``amount``, ``belopp``, ``fakturabelopp``, ``summa``;
* the invoice number (optional) — ``invoice_number``, ``fakturanummer``, ``fakturanr``, ``nummer``.

Lines before the header that start with ``#`` are comments (in XLSX: rows whose first cell
starts with ``#``); a comment containing ``FIKTIV`` marks the file as made up, and every output
of the audit carries that marker. Empty rows are skipped. A bad cell is a
:class:`~avtalsregler.errors.DataError` at ``path:line:column`` (CSV, the character column) or
``path:row:column`` (XLSX, the column's number) with a hint.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from avtalsregler.apps.audit.values import NO_SUCH_PERIOD, CellError, amount_ore, date_of, period_of, year_of
from avtalsregler.errors import DataError, Span, did_you_mean
from avtalsregler.language.types import EnumType
from avtalsregler.project.inputs import check_workbook, read_text

BASE_HEADERS = {
    "member": ("member", "medlem", "part", "party", "municipality"),
    "code": ("code", "kod"),
    "date": ("invoice_date", "fakturadatum", "datum", "date"),
    "period": ("period",),
    "amount": ("amount", "belopp", "fakturabelopp", "summa"),
    "number": ("invoice_number", "fakturanummer", "fakturanr", "nummer", "number"),
}
REQUIRED = ("date", "period", "amount")


@dataclass(frozen=True)
class InvoiceRow:
    span: Span                   # the row (column 1)
    member: str                  # enumeration value of the member
    date: datetime.date
    year: int
    period: str                  # value of the invoice enumeration, or "" when it does not exist
    period_text: str             # the period as written
    amount_ore: int
    number: str


@dataclass(frozen=True)
class InvoiceFile:
    path: str
    format: str                  # csv | xlsx
    fictitious: bool
    note: str                    # the comment lines, joined
    rows: tuple[InvoiceRow, ...]
    marker: str = ""             # the first comment line that says the file is made up
    other_years: tuple[int, ...] = ()   # the years of the rows left out (``only``)

    @property
    def years(self) -> list[int]:
        """Every year the file invoices, read or left out."""
        return sorted({r.year for r in self.rows} | set(self.other_years))


def _key(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", re.sub(r"\(.*?\)", "", str(text or "").replace("\ufeff", ""))).strip("_").casefold()


def headers(member_names: tuple[str, ...], period_names: tuple[str, ...]) -> dict[str, str]:
    """Every accepted header (normalized) → the column it names."""
    out = {_key(h): col for col, names in BASE_HEADERS.items() for h in names}
    out.update({_key(n): "member" for n in member_names if n})
    out.update({_key(n) + "_code": "code" for n in member_names if n})
    out.update({_key(n) + "kod": "code" for n in member_names if n})
    out.update({_key(n): "period" for n in period_names if n})
    return out


def _table(path: str) -> tuple[str, list[tuple[int, list, list[int] | None]], list[str]]:
    """(format, [(line or row number, cells, character columns or None)], comments)."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx", *_xlsx(path)
    text = read_text(path, path, error=DataError, what="the invoice file")
    lines = text.splitlines()
    comments, out, delim = [], [], None
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if delim is None and line.lstrip().startswith("#"):
            comments.append(line.lstrip()[1:].strip())
            continue
        if delim is None:
            delim = ";" if line.count(";") > line.count(",") else ","
        cells = next(csv.reader([line], delimiter=delim))
        out.append((no, cells, _columns(line, delim)))
    return "csv", out, comments


def _columns(line: str, delim: str) -> list[int]:
    cols, quoted = [1], False
    for pos, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            cols.append(pos + 2)
    return cols


def _xlsx(path: str):
    import openpyxl

    check_workbook(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(f"cannot read the workbook {path!r}: {exc}", None, "give an .xlsx file saved by a spreadsheet") from None
    sheet = book.worksheets[0]
    comments, out = [], []
    for no, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(row)
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if not out and isinstance(cells[0], str) and cells[0].lstrip().startswith("#"):
            comments.append(" ".join(str(c) for c in cells if c is not None).lstrip()[1:].strip())
            continue
        out.append((no, cells, None))
    book.close()
    return out, comments


def read_invoices(path: str | Path, members: EnumType, periods: EnumType, member_of,
                  member_names: tuple[str, ...] = (), period_names: tuple[str, ...] = (),
                  only: Callable[[int, datetime.date | None], bool] | None = None,
                  foreign: bool = False) -> InvoiceFile:
    """The rows of ``path``. ``member_of(text)`` gives the member a name stands for (or None);
    ``member_names``/``period_names`` are further header spellings of those columns. ``only``
    keeps the rows whose period's year and invoice date (None if unreadable) it accepts (the
    others are read no further; their years are in ``other_years``). ``foreign``: a period that is
    not one of ``periods`` (another version's, e.g. in a year a change cuts) is a row for a period
    that does not exist — a finding — instead of an error."""
    shown = str(path)
    fmt, table, comments = _table(shown)
    accepted = headers(member_names, period_names)
    if not table:
        raise DataError("the invoice file has no header row", Span(shown, 1, 1), _header_hint(accepted))
    head_no, head, head_cols = table[0]
    col: dict[str, int] = {}
    for i, h in enumerate(head):
        name = accepted.get(_key(h))
        if name and name not in col:
            col[name] = i
    missing = [c for c in REQUIRED if c not in col] + ([] if "member" in col or "code" in col else ["member"])
    if missing:
        unknown = [str(h) for h in head if h is not None and _key(h) not in accepted]
        guess = next((did_you_mean(_key(u), accepted) for u in unknown if did_you_mean(_key(u), accepted)), None)
        raise DataError(f"the invoice file has no {' or '.join(missing)} column", Span(shown, head_no, 1),
                        (guess + "; " if guess else "") + _header_hint(accepted))
    rows, other = [], set()
    for no, cells, cols in table[1:]:
        if all(c is None or not str(c).strip() for c in cells):
            continue

        def at(c: str, message: str, hint: str, no=no, cols=cols):
            column = col[c] + 1 if cols is None else (cols[col[c]] if col[c] < len(cols) else 1)
            return DataError(message, Span(shown, no, column), hint)

        def cell(c: str, cells=cells):
            v = cells[col[c]] if c in col and col[c] < len(cells) else None
            return v.strip() if isinstance(v, str) else v

        year_written = year_of(cell("period"))
        if only is not None and year_written is not None and not only(year_written, _day(cell("date"))):
            other.add(year_written)
            continue
        try:
            member = _member(cell, members, member_of)
        except CellError as exc:
            where = exc.column if exc.column in col else "member" if "member" in col else "code"
            raise at(where, exc.message, exc.hint) from None
        parsed = {}
        for c, reader in (("date", date_of), ("amount", amount_ore), ("period", lambda v: period_of(v, periods))):
            if cell(c) in (None, ""):
                raise at(c, f"the row has no {c}", f"every invoice needs its {c}")
            try:
                parsed[c] = reader(cell(c))
            except CellError as exc:
                if c == "period" and foreign and year_written is not None:
                    parsed[c] = (year_written, NO_SUCH_PERIOD)
                    continue
                raise at(c, exc.message, exc.hint) from None
        number = cell("number")
        number = "" if number is None else str(int(number) if isinstance(number, float) and number.is_integer() else number)
        year, period = parsed["period"]
        rows.append(InvoiceRow(Span(shown, no, 1), member, parsed["date"], year, period, str(cell("period")),
                               parsed["amount"], number))
    marker = next((c for c in comments if "fiktiv" in c.casefold()), "")
    return InvoiceFile(shown, fmt, bool(marker), " ".join(comments), tuple(rows), marker, tuple(sorted(other)))


def _day(value) -> datetime.date | None:
    try:
        return date_of(value)
    except (CellError, TypeError, ValueError):
        return None


def _member(cell, members: EnumType, member_of) -> str:
    name, code = cell("member"), cell("code")
    name = None if name in (None, "") else str(name)
    code = None if code in (None, "") else str(int(code) if isinstance(code, float) else code).strip()
    by_code = members.by_code(code) if code else None
    if code and by_code is None:
        raise CellError(f"the code {code!r} is not a party's", "the parties are: " + _parties(members), "code")
    if name is None:
        if by_code is None:
            raise CellError("the row names no member", "give the member's name or official code")
        return by_code
    found = member_of(name) or members.by_code(name)
    if found is None:
        raise CellError(f"{name!r} is not a party to the agreement",
                        did_you_mean(name, [members.label(v) for v in members.values]) or "the parties are: "
                        + _parties(members))
    if by_code is not None and by_code != found:
        raise CellError(f"the code {code} is {members.label(by_code)}, not {name!r}",
                        "check that the name and the code belong to the same party", "code")
    return found


def _parties(members: EnumType) -> str:
    return ", ".join(f"{members.label(v)} {members.codes[v]}" if v in members.codes else members.label(v)
                     for v in members.values)


def _header_hint(accepted: dict[str, str]) -> str:
    by_col: dict[str, list[str]] = {}
    for h, c in accepted.items():
        by_col.setdefault(c, []).append(h)
    return "the header row names the columns: " + "; ".join(
        f"{c} ({'/'.join(by_col.get(c, []))})" for c in ("member", "date", "period", "amount", "number"))
