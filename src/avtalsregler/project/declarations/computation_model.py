"""The model of a ``computations:`` declaration (see :mod:`.computations`): options, data
sources, recurrences, inputs, shown values and the members table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from avtalsregler.errors import Span

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FLAG_RE = re.compile(r"^[a-z][a-z0-9-]*$")
RESERVED_FLAGS = ("format", "explain", "population", "index", "help", "root")
DATA_KINDS = ("population",)
ALTERNATIVES = {"vintage": ("before-year", "latest"), "chain": ("chained", "simple"), "rounding": ("yearly", "once")}
FORMATS = ("table", "json", "csv")
TOTALS = {True: "all", False: "none", "table": "table"}
JSON_KEYS = ("clause", "computation", "inputs", "readings", "warnings", "fictitious", "fictitious_notes",
             "due_dates", "totals", "explain")     # the engine's own keys of `compute --format json`
ROW_KEYS = ("id", "code")                          # … and of every members row (with name_key, KEY_source)


@dataclass(frozen=True)
class Option:
    flag: str                       # without the dashes
    required: bool
    default: str | None             # another input whose value is the default
    help: str


@dataclass(frozen=True)
class DataSource:
    kind: str                       # "population"
    file: str
    at: str                         # date definition
    doubts: str | None


@dataclass(frozen=True)
class Alternative:
    kind: str                       # vintage | chain | rounding
    choices: tuple[str, ...]        # the first is the default
    reading: str | None
    help: str


@dataclass(frozen=True)
class Recurrence:
    year: str
    start: str
    start_year: str
    previous: str
    next: str
    exact: str | None
    index_input: str
    index_file: str
    index_name: str
    alternatives: tuple[Alternative, ...]
    span: Span

    def alternative(self, kind: str) -> Alternative | None:
        return next((a for a in self.alternatives if a.kind == kind), None)


@dataclass(frozen=True)
class InputSpec:
    name: str
    option: Option | None = None
    fixed: bool = False
    value: Any = None
    data: DataSource | None = None
    recurrence: Recurrence | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Shown:
    key: str
    value: str
    label: str
    when_given: str | None = None
    format: str | None = None
    total: str = "none"             # all | table | none
    formats: tuple[str, ...] = FORMATS
    csv: str | None = None
    span: Span | None = None
    when: str | None = None         # a bool input/definition: shown only when it is true
    unless: str | None = None       # … only when it is false


@dataclass(frozen=True)
class Members:
    key: str
    name_key: str
    label: str
    columns: tuple[Shown, ...]
    enum: str                       # checked against the parties' member enumeration when run
    span: Span | None = None


@dataclass(frozen=True)
class About:
    """The day or period a computation is about (``about:``), which picks the version of the
    agreement in force: ``unit`` ``day`` (a date input) or ``year`` (an int input, a calendar
    year treated as a unit); ``transition`` the reading that says which version applies when
    one takes effect inside the unit."""

    input: str
    unit: str
    transition: str | None
    span: Span
    period: AboutPeriod | None = None


@dataclass(frozen=True)
class AboutPeriod:
    """``about: period:`` — a period the computation's answer is about besides its day (e.g. a
    notice period: from the day a notice arrives to the end it gives), given by two names of the
    rule, shown when the option input ``when_given`` is given (the shown values with that
    ``when_given`` are the period's). When a change of the agreement takes effect inside it, the
    reading ``transition`` decides: the version in force on its first day (``first-day``) or on
    its last (``last-day``), as ``chosen``; every alternative's period is computed."""

    first: str
    last: str
    when_given: str
    transition: str
    chosen: str
    span: Span


@dataclass(frozen=True)
class Computation:
    name: str
    clause: str
    help: str
    title: str | None
    inputs: dict[str, InputSpec]
    show: tuple[Shown, ...]
    members: Members | None
    span: Span
    about: About | None = None
    label: str | None = None          # one Swedish line for the list of computations

    def options(self) -> list[InputSpec]:
        return [i for i in self.inputs.values() if i.option is not None]


@dataclass(frozen=True)
class Computations:
    items: tuple[Computation, ...]

    def get(self, name: str) -> Computation | None:
        return next((c for c in self.items if c.name == name), None)
