"""Declarations in a rule file that say what the agreement fixes beyond its formulas: who its
parties are (``parties``), how it may be amended (``amendment``), which dated events it sets
(``events``), which computations users run (``computations``), how compliance is judged
(``verdicts``) and what the start page shows (``facts``).

Each section is read by one module of this package, registered in :data:`SECTIONS` with a
function ``parse(node, ctx) -> object`` that checks the section against the rule's own names
(every error with ``path:line:col`` and a hint) and returns a frozen model. The loader calls
them after the rule's definitions are read; the results are ``Clause.declared[section]``.
Applications read them from there and never name a clause, a party or a definition of any
particular agreement.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from avtalsregler.errors import SchemaError, did_you_mean, expected_one_of
from avtalsregler.language.types import EnumType, Type
from avtalsregler.project.model import inputs_read
from avtalsregler.project.source import Node, expect

SECTIONS = ("parties", "amendment", "events", "computations", "verdicts", "facts")
ONCE = ("parties", "verdicts")      # at most one rule of a project declares these


@dataclass
class Context:
    """What a declaration may refer to: the rule's names with their types, its enumerations
    (including those of other rules), its sentences and the register of readings."""

    clause: str
    path: str
    names: dict[str, Type]          # inputs, parameters and definitions (own and used)
    inputs: dict[str, Any]
    parameters: dict[str, Any]
    definitions: dict[str, Any]     # name → Definition (only those whose types are known once read)
    enums: dict[str, EnumType]
    sentence_ref: Callable[[Node | None], str | None]
    reading_ref: Callable[[Node | None], str | None]
    duties: dict[str, Any] = field(default_factory=dict)   # name → Duty of this rule

    def needed(self, names) -> set[str]:
        """The rule's inputs that ``names`` read, directly or through definitions."""
        return inputs_read(names, self.inputs, self.definitions)

    def name(self, node: Node, what: str, kinds: tuple[str, ...] = ("input", "parameter", "definition"),
             type_kind: str | tuple[str, ...] | None = None) -> str:
        """A name of this rule of one of ``kinds`` (and, when given, of a type of ``type_kind``)."""
        value = expect(node, str, what)
        tables = {"input": self.inputs, "parameter": self.parameters, "definition": self.definitions}
        pool = [n for k in kinds for n in tables[k]]
        if value not in pool:
            raise SchemaError(f"{what} {value!r} is not {' or '.join('a ' + k for k in kinds)} of {self.clause}",
                              node.span, did_you_mean(value, pool) or expected_one_of(pool))
        if type_kind is not None:
            want = (type_kind,) if isinstance(type_kind, str) else type_kind
            t = self.names[value]
            if t.kind not in want:
                raise SchemaError(f"{what} {value!r} is {t}, not {' or '.join(want)}", node.span,
                                  f"name a {' or '.join(want)} {' or '.join(kinds)}")
        return value


def parse_section(section: str, node: Node, ctx: Context) -> Any:
    module = importlib.import_module(f"{__name__}.{section}")
    return module.parse(node, ctx)
