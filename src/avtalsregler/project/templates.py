"""Text templates in rule files: Swedish wording with slots for the rule's values.

A slot is ``{name}`` or ``{name|filter}``, where ``name`` is an input, parameter or definition
of the rule (or a word of a fixed vocabulary the caller gives) and ``filter`` one of
:data:`FILTERS`. Templates are checked when the rule is loaded (every slot names something that
exists; braces are paired) and filled by plain substitution: never ``str.format``, never
``eval``, so a template cannot reach attributes or run code. Values are shown as everywhere
else (:func:`avtalsregler.language.types.show`: dates ISO, money in kronor, enum labels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from avtalsregler.errors import SchemaError, did_you_mean, expected_one_of
from avtalsregler.language.types import EnumType, Type, show
from avtalsregler.project.source import Node, expect

_SLOT = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\|([a-z_]+))?$")


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


FILTERS = {"lower": str.lower, "lower_first": _lower_first, "upper_first": _upper_first}
RAW = {"plain"}     # filters applied to the value itself: "plain" shows a number as bare digits (a year)


@dataclass(frozen=True)
class Template:
    text: str
    slots: tuple[tuple[str, str | None], ...]   # (name, filter) in order

    def names(self) -> set[str]:
        return {n for n, _ in self.slots}

    def fill(self, values: dict[str, Any], types: dict[str, Type], enums: dict[str, EnumType]) -> str:
        """The text with every slot replaced by its value (a value without a type is shown as text)."""
        def one(m: re.Match) -> str:
            name, flt = _NAME.match(m.group(1)).groups()
            v = values[name]
            t = types.get(name)
            if flt == "plain":
                return str(v)
            shown = show(v, t, enums) if t is not None else str(v)
            return FILTERS[flt](shown) if flt else shown
        return _SLOT.sub(one, self.text)


def parse_template(node: Node | None, what: str, names: Iterable[str]) -> Template | None:
    """A template whose slots name one of ``names``; ``None`` when the node is absent."""
    if node is None:
        return None
    raw = expect(node, str, what)
    text = " ".join(raw.split())
    pool = list(names)
    slots = []
    for found in _SLOT.finditer(raw):      # the file's own text, for the place of a bad slot
        where = node.place(found.start()) if node.place else node.span
        inner = " ".join(found.group(1).split())
        m = _NAME.match(inner)
        if not m:
            raise SchemaError(f"{what}: {{{inner}}} is not a slot", where, "write {name} or {name|lower}")
        name, flt = m.groups()
        if name not in pool:
            raise SchemaError(f"{what}: the slot {{{name}}} names nothing of this rule", where,
                              did_you_mean(name, pool) or expected_one_of(pool))
        if flt is not None and flt not in FILTERS and flt not in RAW:
            raise SchemaError(f"{what}: unknown filter {flt!r}", where, expected_one_of([*FILTERS, *RAW]))
        slots.append((name, flt))
    if re.search(r"[{}]", _SLOT.sub("", text)):
        raise SchemaError(f"{what} has an unpaired brace", node.span, "write slots as {name}")
    return Template(_SLOT.sub(lambda m: "{" + m.group(1).strip() + "}", text), tuple(slots))
