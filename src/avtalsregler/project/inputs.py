"""Reading input files: size-bounded, decoded with errors at their line and column, recorded.

Every input file the tool reads goes through :func:`read_input` (its size checked before it is
read), and every folder of inputs is listed by :func:`listing`; while a :class:`recording` is on,
both note what they saw, which is what a whole-check memo (``prover/memo.py``) depends on.
:func:`decode` turns bytes into text (UTF-8, no control characters); JSON and XLSX inputs have
their nesting and unpacked size checked before a parser sees them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from avtalsregler.errors import AvtalsreglerError, DataError, SourceError, Span

# Bounds on every file the tool reads (documented in README, "Bad input")
MAX_BYTES = 5_000_000          # any input file (data, invoices, the agreement text)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


# What the files read (and the folders listed) were, while a :func:`recording` is on: what a
# whole-check memo (prover/memo.py) depends on. Every input file is read by :func:`read_input`
# and every folder of inputs listed by :func:`listing`, so these two are the only places.
_RECORDS: list = []          # the recordings that are on


class recording:
    """``with recording() as reads:`` — ``reads.files`` gets ``(absolute path, bytes)`` of every
    file :func:`read_input` reads, ``reads.listings`` ``(absolute folder, pattern, names)`` of
    every :func:`listing`."""

    def __init__(self):
        self.files: list[tuple[str, bytes]] = []
        self.listings: list[tuple[str, str, list[str]]] = []

    def __enter__(self) -> recording:
        _RECORDS.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _RECORDS.pop()


def add_reads(reads: recording) -> None:
    """What another recording saw (e.g. in a worker process), into every recording that is on."""
    for r in _RECORDS:
        r.files += reads.files
        r.listings += reads.listings


def listing(folder: str | Path, pattern: str) -> list[Path]:
    """``sorted(folder.glob(pattern))``, recorded (a new file in the folder changes it)."""
    found = sorted(Path(folder).glob(pattern))
    for r in _RECORDS:
        r.listings.append((os.path.abspath(folder), pattern, [p.relative_to(folder).as_posix() for p in found]))
    return found


def read_input(path: str | Path, shown: str | None = None, *, limit: int = MAX_BYTES,
               error: type[AvtalsreglerError] = SourceError, what: str = "") -> bytes:
    """The bytes of an input file, its size checked before it is read (and recorded)."""
    shown = str(path) if shown is None else shown
    label = f"{what} {shown!r}" if what else repr(shown)
    try:
        size = os.stat(path).st_size
        if size > limit:
            raise error(f"{what or 'the file'} is {size} bytes, more than the {limit} allowed", Span(shown, 1, 1),
                        "split the file, or check that it is the file you meant")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except IsADirectoryError:
        raise error(f"{label} is a folder, not a file", None, "give the path of a file") from None
    except OSError as exc:
        raise error(f"cannot read {label}: {exc.strerror}", None,
                    "check the path and that the file is readable") from None
    if len(data) > limit:                                     # it grew while being read, or is a device
        raise error(f"{what or 'the file'} is more than the {limit} bytes allowed", Span(shown, 1, 1))
    for r in _RECORDS:
        r.files.append((os.path.abspath(path), data))
    return data


def position(text: str, index: int, shown: str) -> Span:
    """The line and column (1-based, in characters) of ``text[index]``."""
    line = text.count("\n", 0, index) + 1
    return Span(shown, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def decode(data: bytes, shown: str, error: type[AvtalsreglerError] = SourceError,
           encoding: str = "utf-8", hint: str | None = None) -> str:
    """Text of an input file: UTF-8 (a leading byte order mark dropped), without control
    characters; a bad byte or a control character is an error at its line and column."""
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig"):
        data = data.removeprefix(b"\xef\xbb\xbf")
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode(encoding, "replace")
        raise error(f"byte 0x{data[exc.start]:02x} is not valid {encoding.upper()}", position(good, len(good), shown),
                    hint or f"save the file as {encoding.upper()}") from None
    except LookupError:
        raise error(f"unknown encoding {encoding!r}", None, "e.g. utf-8, cp1252 or latin-1") from None
    if m := _CONTROL.search(text):
        raise error(f"the control character U+{ord(m.group()):04X} is not allowed", position(text, m.start(), shown),
                    "remove it; only tabs and line breaks are allowed among invisible characters")
    return text


def read_text(path: str | Path, shown: str | None = None, *, limit: int = MAX_BYTES,
              error: type[AvtalsreglerError] = SourceError, what: str = "", encoding: str = "utf-8",
              hint: str | None = None) -> str:
    """:func:`read_input` and :func:`decode`."""
    shown = str(path) if shown is None else shown
    return decode(read_input(path, shown, limit=limit, error=error, what=what), shown, error, encoding, hint)


MAX_JSON_DEPTH = 40
MAX_WORKBOOK_BYTES = 50_000_000   # a workbook's content unpacked (an XLSX file is a zip archive)


def json_nesting(text: str, shown: str, error: type[AvtalsreglerError] = DataError) -> None:
    """Refuse JSON nested deeper than :data:`MAX_JSON_DEPTH` before ``json`` recurses into it."""
    depth, quoted, escaped = 0, False, False
    for i, ch in enumerate(text):
        if quoted:
            escaped, quoted = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            quoted = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise error(f"the JSON is nested more than {MAX_JSON_DEPTH} deep", position(text, i, shown),
                            "give the file the statistics API returned, unchanged")
        elif ch in "]}":
            depth -= 1


def check_workbook(path: str | Path, error: type[AvtalsreglerError] = DataError) -> None:
    """An XLSX file: its size, and the size of its unpacked content, before a reader opens it."""
    import zipfile

    shown = str(path)
    read_input(path, shown, error=error, what="the workbook")
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise error(f"{shown!r} is not an XLSX workbook", Span(shown, 1, 1),
                    "give an .xlsx file saved by a spreadsheet program") from None
    if unpacked > MAX_WORKBOOK_BYTES:
        raise error(f"the workbook unpacks to {unpacked} bytes, more than the {MAX_WORKBOOK_BYTES} allowed",
                    Span(shown, 1, 1), "give a workbook of the invoices only")
