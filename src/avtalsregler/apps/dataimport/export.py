"""What an importer reads from a statistical database export, before it is matched to the
parties: one figure per area and year, with the texts that say what the figures are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from avtalsregler.errors import DataError, Span, did_you_mean
from avtalsregler.language.types import EnumType

_CODE_TEXT = re.compile(r"^\s*(\d+)(?:\s*[-–]\s*|\s+|$)(.*)$")


@dataclass(frozen=True)
class Observation:
    area: str                   # the area as the file writes it (a code, a code and a name, or a name)
    year: int
    value: int | None           # None: the file has no figure (null, '..')
    span: Span                  # where the figure is
    area_span: Span | None = None


@dataclass
class Export:
    path: str
    format: str                           # "json-stat2" | "csv"
    table: str | None                     # the table id the file names, if it names one
    publisher: str | None                 # the "source" the file names
    contents: str | None                  # what the figures are (the contents' label)
    days: set[tuple[int, int]]            # (month, day) the file's texts name
    observations: list[Observation]
    area_label: str = ""                  # the label of the area dimension or column
    notes: list[str] = field(default_factory=list)


def split_area(text: str) -> tuple[str | None, str]:
    """'0123 Name' → ('0123', 'Name'); '0123 - Name' → ('0123', 'Name'); 'Name' → (None, 'Name')."""
    m = _CODE_TEXT.match(text)
    if m:
        return m.group(1), m.group(2).strip()
    return None, text.strip()


def member_of_area(members: EnumType, area: str, span: Span) -> str | None:
    """The member an area of the export is, by its official code when the enumeration has codes
    (a name beside the code must be the member's label), else by label; None if no member."""
    code, name = split_area(area)
    if members.codes:
        if code is None:
            kid = next((k for k in members.values if members.label(k).casefold() == name.casefold()), None)
            return kid
        kid = members.by_code(code)
        if kid is not None and name and " ".join(name.split()).casefold() != members.label(kid).casefold():
            raise DataError(f"code {code} is {members.label(kid)}, not {name!r}", span,
                            "check that the export is of the same area division as the parties' codes")
        return kid
    kid = next((k for k in members.values if members.label(k).casefold() == name.casefold()), None)
    return kid


def matches(members: EnumType, areas) -> int:
    """How many of ``areas`` (texts) are members: to tell the area dimension from the others."""
    n = 0
    for a in areas:
        code, name = split_area(a)
        if (code is not None and members.by_code(code) is not None) or \
                any(members.label(k).casefold() == name.casefold() for k in members.values):
            n += 1
    return n


def member_hint(members: EnumType) -> str:
    if members.codes:
        return "the parties are: " + ", ".join(f"{c} {members.label(k)}" for k, c in members.codes.items())
    return "the parties are: " + ", ".join(members.label(k) for k in members.values)


def unknown_area_hint(members: EnumType, area: str) -> str:
    return did_you_mean(area, [members.label(k) for k in members.values]) or member_hint(members)
