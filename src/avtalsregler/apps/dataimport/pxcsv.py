"""Read the CSV that a PxWeb database (such as SCB's Statistikdatabasen) exports into an
:class:`~.export.Export`.

The layout is the one PxWeb's ``CsvSerializer`` writes (https://github.com/PxTools/PCAxis.Serializers,
``PCAxis.Serializers/CsvSerializer.cs``; the options are those of ``outputFormatParams`` in the
PxWebApi 2 specification, ``PxAPI-2.yml`` of https://github.com/PxTools/PxApiSpecs):

- an optional title line: one quoted field (``IncludeTitle``);
- a header line: the *stub* variables, quoted, then one quoted column per combination of the
  *heading* variables' values, joined by a space (e.g. ``"Folkmängd 2021"``);
- one line per combination of the stub values: the values quoted (codes, texts, or
  ``"code - text"`` with ``UseCodesAndTexts``), then the figures unquoted, with ``.`` as the
  decimal point and no thousands separator; ``..`` and similar symbols for missing figures;
- the separator is ``,`` by default, or ``;``, a tab (``SeparatorSemicolon``, ``SeparatorTab``).

Also accepted, as spreadsheet programs re-save such files: a byte-order mark, ``;`` with decimal
commas (``64354,0``), spaces as thousands separators, and fields without quotes. The year is
either a stub column (then one figure column remains) or in each figure column's header; the
area column is the stub column whose values are the parties (by code, as in ``"0123 Name"``,
``"0123 - Name"`` or ``"0123"``, or by name). Every other stub column must hold a single value.
"""

from __future__ import annotations

import re
from pathlib import Path

from avtalsregler.apps.dataimport.export import Export, Observation, matches, member_hint
from avtalsregler.apps.dataimport.text import Field, days_named, detect_delimiter, split_line, whole_number
from avtalsregler.errors import DataError, Span
from avtalsregler.language.types import EnumType
from avtalsregler.project.inputs import read_text

_YEAR = re.compile(r"^\d{4}$")
_YEAR_IN = re.compile(r"(?<!\d)(\d{4})(?!\d)")
MISSING = ("..", ".", "...", "…", "-", "")


def read_pxcsv(path: str | Path, members: EnumType, encoding: str = "utf-8-sig") -> Export:
    """The figures of a PxWeb CSV export, one per area and year."""
    shown = str(path)
    lines = _lines(path, shown, encoding)
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not rows:
        raise DataError("the file is empty", Span(shown, 1, 1), "give the CSV as exported")
    title, head_at = None, 0
    delim = detect_delimiter(rows[0][1])
    if delim is None and len(rows) > 1:
        title = split_line(rows[0][1], ",", Span(shown, rows[0][0], 1))[0].text
        head_at, delim = 1, detect_delimiter(rows[1][1])
    if delim is None:
        raise DataError("no line with separated columns (',', ';' or a tab)", Span(shown, rows[head_at][0], 1),
                        "export the table as CSV (comma, semicolon or tab separated)")
    hline, htext = rows[head_at]
    header = split_line(htext, delim, Span(shown, hline, 1))
    data = []
    for n, text in rows[head_at + 1:]:
        fields = split_line(text, delim, Span(shown, n, 1))
        if len(fields) == 1 and data:
            continue                                    # a footnote after the table
        if len(fields) != len(header):
            raise DataError(f"the line has {len(fields)} fields, the header {len(header)}", Span(shown, n, 1),
                            "every line of the table needs as many fields as the header")
        data.append((n, fields))
    if not data:
        raise DataError("the table has no lines after its header", Span(shown, hline, 1), "export the table with its figures")
    stub = _stub_count(header, data)
    area = _area_column(header, data, stub, members, Span(shown, hline, 1))
    year_col = next((c for c in range(stub) if c != area and all(_YEAR.match(f[c].text) for _, f in data)), None)
    for c in range(stub):
        if c not in (area, year_col) and len({f[c].text for _, f in data}) > 1:
            raise DataError(f"column {header[c].text!r} has several values ({', '.join(sorted({f[c].text for _, f in data})[:5])}); "
                            "the figures per area and year are ambiguous", Span(shown, hline, header[c].col),
                            "export the table with a single value (the total) of that variable")
    cols = list(range(stub, len(header)))
    if not cols:
        raise DataError("the table has no figure column", Span(shown, hline, 1), "export the table with its figures")
    years, contents = _years(header, cols, year_col, Span(shown, hline, 1))
    decimal = "," if delim != "," else "."
    obs = []
    for n, fields in data:
        for c in cols:
            year = int(fields[year_col].text) if year_col is not None else years[c]
            obs.append(Observation(fields[area].text, year, _figure(fields[c], decimal, Span(shown, n, fields[c].col)),
                                   Span(shown, n, fields[c].col), Span(shown, n, fields[area].col)))
    texts = [title] + [h.text for h in header]
    return Export(shown, "csv", None, None, contents, days_named(texts), obs, header[area].text,
                  [title] if title else [])


def _lines(path, shown: str, encoding: str) -> list[str]:
    text = read_text(path, shown, error=DataError, what="the export", encoding=encoding,
                     hint="save it as UTF-8, or give its encoding (e.g. --encoding cp1252)")
    return text.lstrip("\ufeff").splitlines()


def _stub_count(header: list[Field], data) -> int:
    first = data[0][1]
    if any(f.quoted for f in first):
        n = 0
        while n < len(first) and first[n].quoted:
            n += 1
        return n
    n = 0                           # re-saved without quotes: leading text columns, and a year column
    while n < len(first) and whole_number(first[n].text, ",") is None:
        n += 1
    if n < len(first) - 1 and not _YEAR_IN.search(header[n].text) and all(_YEAR.match(f[n].text) for _, f in data):
        n += 1
    return n


def _area_column(header, data, stub: int, members: EnumType, span: Span) -> int:
    scored = [(matches(members, [f[c].text for _, f in data]), c) for c in range(stub)]
    best = max(scored, default=(0, -1))
    if best[0] == 0:
        raise DataError("no column of the file has the parties as its values", span,
                        member_hint(members) + "; export the table with them selected")
    return best[1]


def _years(header, cols, year_col, span: Span) -> tuple[dict[int, int], str | None]:
    if year_col is not None:
        if len(cols) != 1:
            raise DataError(f"{len(cols)} figure columns for each area and year "
                            f"({', '.join(repr(header[c].text) for c in cols[:4])}); the figures are ambiguous",
                            span.shifted(0, header[cols[0]].col), "export a single contents variable")
        return {}, " ".join(header[cols[0]].text.split()) or None
    years: dict[int, int] = {}
    rest = set()
    for c in cols:
        found = _YEAR_IN.findall(header[c].text)
        if len(found) != 1:
            raise DataError(f"the column {header[c].text!r} does not name one year", span.shifted(0, header[c].col),
                            "export the table with the years as columns or as a stub column")
        if int(found[0]) in years.values():
            raise DataError(f"two columns for {found[0]} ({header[c].text!r} and another); the figures are ambiguous",
                            span.shifted(0, header[c].col), "export a single value of every variable but the years")
        years[c] = int(found[0])
        rest.add(" ".join(_YEAR_IN.sub("", header[c].text).split()))
    return years, (rest.pop() or None) if len(rest) == 1 else None


def _figure(f: Field, decimal: str, span: Span) -> int | None:
    if f.text.strip() in MISSING:
        return None
    n = whole_number(f.text, decimal)
    if n is None:
        raise DataError(f"{f.text!r} is not a whole, non-negative number", span,
                        "a figure is a count of persons, e.g. 64354 (or 64 354; 64354,0 with ';')")
    return n
