"""Small text helpers for the importers: one CSV line split into fields with their columns and
quoting, whole numbers written the Swedish way, and the day of the year a table's texts name."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from avtalsregler.errors import DataError, Span

MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
             "oktober", "november", "december")
MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december")
_MONTH = {name: i + 1 for names in (MONTHS_SV, MONTHS_EN) for i, name in enumerate(names)}
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:\.|:a|:e)?\s+(" + "|".join(_MONTH) + r")\b", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS_EN) + r")\s+(\d{1,2})(?!\d)", re.IGNORECASE)
_SPACES = "\u00a0\u202f "


@dataclass(frozen=True)
class Field:
    text: str
    quoted: bool
    col: int            # 1-based column where the field starts


def split_line(line: str, delimiter: str, span: Span) -> list[Field]:
    """The fields of one CSV line (double quotes, ``""`` inside quotes); no embedded newlines."""
    out: list[Field] = []
    i, n = 0, len(line)
    while True:
        start = i
        if i < n and line[i] == '"':
            buf, i = [], i + 1
            while True:
                if i >= n:
                    raise DataError("a quoted field is not closed", span.shifted(0, start + 1),
                                    'close the field with a double quote (write "" for a quote inside it)')
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(line[i])
                i += 1
            if i < n and line[i] != delimiter:
                raise DataError(f"text after the closing quote: {line[i:i + 10]!r}", span.shifted(0, i + 1),
                                f"separate the fields with {delimiter!r}")
            out.append(Field("".join(buf), True, start + 1))
        else:
            j = line.find(delimiter, i)
            j = n if j < 0 else j
            out.append(Field(line[i:j].strip(), False, start + 1))
            i = j
        if i >= n:
            return out
        i += 1          # the delimiter


def detect_delimiter(line: str) -> str | None:
    """``,``, ``;`` or a tab: the one that occurs outside quotes in ``line`` (a header line)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def whole_number(text: str, decimal: str) -> int | None:
    """A non-negative whole number as an export writes it: ``64354``, ``64 354``, ``64354,0``
    (decimal comma) or ``64354.0``; None if it is not one."""
    s = text.strip()
    for sp in _SPACES:
        s = s.replace(sp, "")
    m = re.fullmatch(r"(\d+)(?:[" + re.escape(decimal) + r".](\d+))?", s)
    if not m or (m.group(2) and int(m.group(2)) != 0):
        return None
    return int(m.group(1))


def days_named(texts) -> set[tuple[int, int]]:
    """Every (month, day) that the texts name, e.g. '… den 15 mars …' or 'March 15'."""
    found: set[tuple[int, int]] = set()
    for t in texts:
        if not isinstance(t, str):
            continue
        for d, m in _DAY_MONTH.findall(t):
            found.add((_MONTH[m.lower()], int(d)))
        for m, d in _MONTH_DAY.findall(t):
            found.add((_MONTH[m.lower()], int(d)))
    return {(m, d) for m, d in found if _valid(m, d)}


def _valid(month: int, day: int) -> bool:
    try:
        datetime.date(2000, month, day)     # a leap year: every day of the calendar exists
    except ValueError:
        return False
    return True


def parse_day(text: str) -> tuple[int, int]:
    """A ``--day`` value: ``MM-DD`` or a day and a month name (Swedish or English)."""
    m = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", text)
    found = {(int(m.group(1)), int(m.group(2)))} if m else days_named([text])
    if len(found) != 1 or not _valid(*next(iter(found))):
        raise DataError(f"--day {text!r} is not a day of the year", None,
                        "write MM-DD (e.g. 03-15) or a day and a month (e.g. '15 mars')")
    return next(iter(found))


def day_text(month: int, day: int) -> str:
    """The day in Swedish, e.g. '15 mars'."""
    return f"{day} {MONTHS_SV[month - 1]}"
