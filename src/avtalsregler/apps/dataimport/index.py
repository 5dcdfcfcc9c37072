"""Add one yearly index value, with the publication it comes from, to an index file (the YAML
that :func:`avtalsregler.apps.data.load_index` reads: ``values:`` a list of ``year``, ``change``
and ``publication: {title, date, reference}``).

The file is not re-dumped: the new entry is inserted as text at the end of the ``values:`` list,
in the indentation and style (block or ``{…}`` publication) of the entries already there, so
that the file's comments and layout stay. A value without a title, a date and a reference is
refused, and so is a second value for the same year from a publication of the same date. The
result is read back with ``load_index`` before anything is written.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from avtalsregler.apps.data import load_index
from avtalsregler.errors import AvtalsreglerError, DataError, Span
from avtalsregler.project.source import MAX_YAML_BYTES
from avtalsregler.project.inputs import read_text

_PERCENT = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*%\s*$")
_VALUES = re.compile(r"^values\s*:\s*([^#]*?)\s*(#.*)?$")


@dataclass(frozen=True)
class Addition:
    path: str
    text: str                   # the file after the addition
    entry: str                  # the lines added
    year: int
    change: str                 # as written, e.g. "2,9%"
    published: datetime.date
    fictitious: bool            # the file is marked as made-up values
    created: bool = False       # the file does not exist yet: writing creates it


def add_index_value(path: str | Path, *, year: int, change: str, title: str, date: datetime.date,
                    reference: str, first_year: int | None = None, last_year: int | None = None,
                    name: str = "index") -> Addition:
    """The index file ``path`` with one more value (nothing is written)."""
    shown = str(path)
    title, reference = " ".join((title or "").split()), " ".join((reference or "").split())
    if not title or not reference or not isinstance(date, datetime.date):
        raise DataError("an index value needs its publication: a title, a date and a reference", None,
                        "give --title, --date and --reference (e.g. the publication's web address)")
    m = _PERCENT.match(change or "")
    if not m:
        raise DataError(f"--change {change!r} is not a percentage", None, "write the yearly change as e.g. '2,9%'")
    change_text = m.group(1).lstrip("+").replace(".", ",") + "%"
    lo, hi = first_year if first_year is not None else 1, last_year if last_year is not None else 9999
    if not lo <= year <= hi:
        raise DataError(f"--year {year} is outside {lo}–{hi}, the years the rule raises by the index", None,
                        f"give a year from {lo} to {hi}")
    p = Path(path)
    created = not p.exists()
    if created and not p.parent.is_dir():
        raise DataError(f"cannot create the index file {shown!r}: its folder {str(p.parent)!r} does not exist "
                        "(no such folder)", None,
                        "check the path given with --file, or create the folder first; a new index file is "
                        "created only in a folder that exists")
    if p.is_dir():
        raise DataError(f"{shown!r} is a folder, not an index file", Span(shown, 1, 1),
                        "give the index file's name with --file")
    text = "values:\n" if created else _read(p, shown)
    newline = "\r\n" if "\r\n" in text else "\n"
    # A new file has no values yet; an existing one is read (and must be a valid index file).
    existing_values, fictitious = ((), False) if created else _values(_load(text, p, shown, 1, 9999, name))
    clash = next((v for v in existing_values if v.year == year and v.published == date), None)
    if clash is not None:
        raise DataError(f"{shown} already has a value for {year} from a publication dated {date.isoformat()} "
                        f"({clash.title!r})", Span(shown, clash.span.line, clash.span.col),
                        "one value per year and publication; correct the existing entry by hand if it is wrong")
    lines = text.lstrip("\ufeff").splitlines()
    at, lines = _insertion_point(lines, shown)
    indent, flow = _style(lines, at)
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731  (a JSON string is a YAML double-quoted scalar)
    entry = [f"{indent}- year: {year}", f'{indent}  change: "{change_text}"']
    if flow:
        entry.append(f"{indent}  publication: {{title: {q(title)}, date: {date.isoformat()}, reference: {q(reference)}}}")
    else:
        entry += [f"{indent}  publication:", f"{indent}    title: {q(title)}", f"{indent}    date: {date.isoformat()}",
                  f"{indent}    reference: {q(reference)}"]
    new_lines = lines[:at] + entry + lines[at:]
    new_text = ("\ufeff" if text.startswith("\ufeff") else "") + newline.join(new_lines) + newline
    after = _load(new_text, p, shown, 1, 9999, name)
    if not any(v.year == year and v.published == date for v in after.values):
        raise DataError("the value could not be added to the file's 'values:' list", Span(shown, 1, 1),
                        "write the list as a block list ('values:' and one '- year: …' entry per value)")
    return Addition(shown, new_text, newline.join(entry) + newline, year, change_text, date, fictitious, created)


def _read(p: Path, shown: str) -> str:
    """An existing index file's text: a file that cannot be read (a folder by the name, no
    permission) or is not UTF-8 is an error that names it (bad bytes at their line and column)."""
    try:
        return read_text(p, shown, limit=MAX_YAML_BYTES, error=DataError, what="the index file")
    except DataError as exc:
        if exc.span is None:
            raise DataError(exc.message, Span(shown, 1, 1), exc.hint) from None
        raise


def _values(index) -> tuple[tuple, bool]:
    return tuple(index.values), index.fictitious


def _load(text: str, p: Path, shown: str, lo: int, hi: int, name: str):
    """``load_index`` on ``text`` (via a temporary copy beside the file); errors name the file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".yaml", dir=p.parent if p.parent.is_dir() else None)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        try:
            return load_index(tmp, lo, hi, name)
        except AvtalsreglerError as exc:
            span = Span(shown, exc.span.line, exc.span.col) if exc.span else None
            raise type(exc)(exc.message.replace(tmp, shown), span, exc.hint) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _insertion_point(lines: list[str], shown: str) -> tuple[int, list[str]]:
    i = next((k for k, line in enumerate(lines) if _VALUES.match(line)), None)
    if i is None:
        raise DataError(f"{shown} has no top-level 'values:'", Span(shown, 1, 1), "add a line 'values:' (see data/README.md)")
    m = _VALUES.match(lines[i])
    rest, comment = m.group(1), m.group(2)
    if rest == "[]":
        lines = lines[:i] + ["values:" + (f"  {comment}" if comment else "")] + lines[i + 1:]
        return i + 1, lines
    if rest:
        raise DataError("'values:' is written inline", Span(shown, i + 1, 1),
                        "write it as a block list: 'values:' and one '- year: …' entry per line below it")
    end = next((k for k in range(i + 1, len(lines)) if lines[k][:1] not in ("", " ", "\t", "#", "-")), len(lines))
    last = max((k for k in range(i + 1, end) if lines[k].strip() and lines[k][:1] in (" ", "\t", "-")), default=i)
    return last + 1, lines


def _style(lines: list[str], at: int) -> tuple[str, bool]:
    items = [re.match(r"^(\s*)-\s", line) for line in lines[:at]]
    indent = next((m.group(1) for m in reversed(items) if m), "  ")
    flow = any(re.match(r"^\s+publication\s*:\s*\{", line) for line in lines[:at])
    return indent, flow
