"""The data model: frozen views of rule files, spec files and the register of readings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from avtalsregler.errors import Span
from avtalsregler.language.expr import E
from avtalsregler.language.types import EnumType, Type

DEFINITION_KINDS = ("output", "permission", "condition", "requirement")


def inputs_read(names, inputs, definitions) -> set[str]:
    """The inputs that ``names`` (inputs or definitions) read, directly or through definitions."""
    out: set[str] = set()
    seen: set[str] = set()
    todo = list(names)
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in inputs:
            out.add(n)
        elif n in definitions:
            todo += list(definitions[n].expr.names())
    return out


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    span: Span
    declarative: str | None = None     # why nothing in it is computable, when so
    clause: str | None = None          # a related clause the sentence is quoted from (default: the rule's)


@dataclass(frozen=True)
class Input:
    name: str
    type: Type
    description: str
    span: Span
    low: Any = None
    high: Any = None
    sentence: str | None = None
    reading: str | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    type: Type
    value: Any
    words: str                  # the words of the clause the value comes from
    span: Span
    description: str = ""
    sentence: str | None = None
    reading: str | None = None  # a recorded interpretation, when the words do not fix the value
    means: str | None = None    # what the reading makes of the words (project/grounding.py)
    part: str | None = None     # year | month | day: the part of a stated date the value is
    derive: str | None = None   # equal | first_months: how a map value follows from its words
    counts: str | None = None   # members | parties | an enumeration: the number the value must be


@dataclass(frozen=True)
class Extent:
    """How far a permission's own words reach (e.g. "delar av eller hela ersättningen"): a
    condition that holds when the permission is exercised to that full extent. ``check`` proves
    that the permission can be exercised so without breaking a requirement (prover/tensions.py)."""

    expr: E
    source: str                 # the condition as written
    words: str                  # the words of the clause that state the extent
    span: Span
    description: str = ""


@dataclass(frozen=True)
class Definition:
    name: str
    type: Type
    expr: E
    kind: str
    description: str
    span: Span
    source: str                 # the expression as written
    sentence: str | None = None
    reading: str | None = None
    extents: tuple[Extent, ...] = ()   # a permission: the full extent its words state
    tension: str | None = None  # the reading that resolves a tension check finds in it


FREQUENCIES = ("yearly", "on_trigger", "once", "unspecified")


@dataclass(frozen=True)
class Deadline:
    """When a duty is due, counted from its trigger: ``none`` (the text sets no deadline),
    ``end_of_period`` (the last day of the period of a periodic duty, the year's last day
    for a yearly one) or ``days`` (``days`` days after the trigger; never negative)."""

    kind: str = "none"          # none | end_of_period | days
    days: int = 0
    parameter: str | None = None   # the clause parameter the days come from, when named


@dataclass(frozen=True)
class Duty:
    """An obligation written in the text: who owes what to whom, and when.

    ``frequency`` is ``yearly`` (once in every calendar-year period), ``on_trigger`` (each time
    an event of kind ``trigger`` happens, e.g. a request or a change of contact person),
    ``once`` or ``unspecified`` (the text says the thing happens but not how often). The duty is
    fulfilled by an event of kind ``fulfilled_by`` whose boolean fields ``conditions`` are all
    true (e.g. ``i_skrift``); for a triggered duty the event refers to its trigger. ``per``
    names an enumeration when the duty is owed once for each of its members (e.g. each member party)."""

    name: str
    owed_by: str
    owed_to: str
    what: str
    frequency: str
    fulfilled_by: str
    span: Span
    trigger: str | None = None
    deadline: Deadline = Deadline()
    conditions: tuple[str, ...] = ()
    per: str | None = None
    sentence: str | None = None
    reading: str | None = None
    label: str | None = None          # the fulfilling event in Swedish ("distansmöte")
    none_label: str | None = None     # none of it, in Swedish ("inget distansmöte")

    @property
    def event_sv(self) -> str:
        return self.label or self.fulfilled_by

    @property
    def none_sv(self) -> str:
        return self.none_label or f"ingen {self.event_sv}"

    @property
    def title_sv(self) -> str:
        """The duty as an auditor reads it: its 'what', without the final full stop."""
        return " ".join(self.what.split()).rstrip(".") or self.name


@dataclass(frozen=True)
class Assumption:
    name: str
    expr: E
    reason: str
    span: Span
    source: str


@dataclass
class Clause:
    id: str
    title: str
    summary: str
    path: str
    span: Span
    sentences: list[Sentence]
    enums: dict[str, EnumType]
    inputs: dict[str, Input]
    parameters: dict[str, Parameter]
    definitions: dict[str, Definition]        # in dependency order
    assumptions: list[Assumption]
    related: list[str] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)
    duties: dict[str, Duty] = field(default_factory=dict)
    uses: list[str] = field(default_factory=list)          # clauses whose names this rule reads
    inherited: dict[str, str] = field(default_factory=dict)  # name → the clause that declares it
    foreign_sentences: list[Sentence] = field(default_factory=list)  # sentences of the used clauses
    declared: dict[str, Any] = field(default_factory=dict)  # section → model (project.declarations)

    def own(self, name: str) -> bool:
        """Declared in this rule file (not read from a clause it uses)."""
        return name not in self.inherited

    @property
    def number(self) -> int:
        return int(self.id.lstrip("§"))

    def type_of(self, name: str) -> Type:
        for table in (self.inputs, self.parameters, self.definitions):
            if name in table:
                return table[name].type
        raise KeyError(name)

    def inputs_needed(self, name: str) -> set[str]:
        """The inputs a definition (or input) reads, directly or through other definitions."""
        return inputs_read({name}, self.inputs, self.definitions)

    def sentence(self, sid: str | None) -> Sentence | None:
        return next((s for s in [*self.sentences, *self.foreign_sentences] if s.id == sid), None)


@dataclass(frozen=True)
class Example:
    name: str
    given: dict[str, Any]
    expect: dict[str, Any]
    span: Span
    expect_spans: dict[str, Span]
    sentence: str | None = None
    derivation: str = ""
    holds: tuple = ()           # (invariant name, span): invariants checked on these inputs


@dataclass(frozen=True)
class Invariant:
    name: str
    reason: str
    expr: E
    source: str
    span: Span
    sentence: str | None = None
    timeout_s: float | None = None
    parameters: str = "ranges"          # "ranges": over the spec's parameter_ranges; "rule": the rule's values


@dataclass(frozen=True)
class ParameterRange:
    """A spec's statement that its invariants hold for every value of a parameter in a range
    (so that they still hold after an amendment within it). ``split``: prove value by value."""

    name: str
    low: Any
    high: Any
    span: Span
    split: bool = False


@dataclass
class Spec:
    clause: str
    path: str
    span: Span
    examples: list[Example]
    invariants: list[Invariant]
    parameter_ranges: dict[str, ParameterRange] = field(default_factory=dict)


@dataclass(frozen=True)
class Alternative:
    reading: str
    effect: str


@dataclass(frozen=True)
class Reading:
    id: str
    clause: str
    words: str
    question: str
    chosen: str
    alternatives: tuple[Alternative, ...]
    status: str
    span: Span

    @property
    def status_sv(self) -> str:
        """The status in Swedish, for what auditors and lawyers read (calendars, explanations)."""
        return READING_STATUS_SV.get(self.status, self.status)


READING_STATUS_SV = {"decided": "beslutad", "open": "öppen"}


@dataclass
class Project:
    root: str
    clauses: dict[str, Clause]
    specs: dict[str, Spec]
    enums: dict[str, EnumType]
    readings: dict[str, Reading]
    agreement: Any
    lexicon: Any = None             # the words the grounding reads (project/lexicon.py)

    def ordered(self) -> list[Clause]:
        return sorted(self.clauses.values(), key=lambda c: c.number)

    def declared(self, section: str) -> list[tuple[Clause, Any]]:
        """Every rule that declares ``section`` (see :mod:`avtalsregler.project.declarations`),
        with its declaration, in the order of the agreement."""
        return [(c, c.declared[section]) for c in self.ordered() if section in c.declared]

    def declared_once(self, section: str) -> tuple[Clause, Any] | None:
        """The one rule that declares ``section``, or None (the loader refuses two)."""
        found = self.declared(section)
        return found[0] if found else None
