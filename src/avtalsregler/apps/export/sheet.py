"""Sheets of plain data, the input of the writers.

A :class:`Sheet` has a name, title lines shown above the header, typed columns and rows of plain
values. A column's kind says how its values are stored and shown:

* ``text`` — a str (anything else is shown with ``str``);
* ``kr`` — an amount as an ``int`` in öre, written as kronor with öre (exact, via ``Decimal``);
* ``int`` — a whole number (e.g. persons);
* ``fraction`` — a ``Fraction`` (a share), ``percent`` — the same, shown as a percentage;
* ``date`` — a ``datetime.date``.

A cell may carry its own kind (:class:`Typed`), for a column of mixed values (a label and its
value of any type). ``None`` is an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "kr", "int", "fraction", "percent", "date")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"
    wrap: bool = False             # long prose: wrapped, the width capped

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.header!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Typed:
    kind: str
    value: Any


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    title: tuple[str, ...] = field(default=())      # lines above the header

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"sheet {self.name!r} row {i}: {len(row)} values for {len(self.columns)} columns")


def cell_kind(column: Column, value: Any) -> tuple[str, Any]:
    """The kind and the bare value of one cell."""
    if isinstance(value, Typed):
        return value.kind, value.value
    return column.kind, value
