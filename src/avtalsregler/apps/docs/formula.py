"""Readable notation for the documentation site: checked expressions (:class:`~avtalsregler.expr.E`)
as mathematics and plain Swedish, values in kronor, and the agreement's text as HTML.

Everything returned here is :class:`~avtalsregler.apps.docs.render.Safe` HTML that may go inside
Markdown (table cells included): it is built from constant templates, every text from a rule file
escaped as it goes in, and ``|`` is written as an entity so a table never splits.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any
from collections.abc import Callable

from avtalsregler.apps.docs.render import Safe, attr, code_text
from avtalsregler.language.expr import E
from avtalsregler.project.model import Clause
from avtalsregler.language.types import MONEY_UNIT, EnumType, Type, format_fraction, group3, show


def type_name(t: Type, enums: dict[str, EnumType]) -> str:
    """A type as a Swedish reader says it."""
    if t.kind == "int":
        if t.is_money:
            return "belopp (kr)"
        return f"heltal ({t.unit})" if t.unit and t.unit != "*" else "heltal"
    if t.kind == "frac":
        return "belopp (kr, exakt)" if t.unit == MONEY_UNIT else "andel"
    if t.kind == "bool":
        return "ja/nej"
    if t.kind == "date":
        return "datum"
    if t.kind == "enum":
        en = enums.get(t.enum)
        return f"ett av: {', '.join(en.label(v) for v in en.values)}" if en else str(t)
    if t.kind == "map":
        return f"{type_name(t.elem, enums)} per {t.enum}"
    return str(t)


def nowrap_numbers(text: str) -> str:
    """Keep the digit groups of a number together (``1 000 000,00 kr`` never breaks)."""
    return re.sub(r"(?<=\d) (?=\d)|(?<=\d) (?=kr\b|öre\b|%)", "\u00a0", text)


_BR = Safe("<br>")


def show_value(value: Any, t: Type, enums: dict[str, EnumType], sep: Safe = _BR) -> Safe:
    """A value as a lawyer reads it; a map is one line per key."""
    if t.kind == "map":
        en = enums[t.enum]
        return sep.join(Safe("{}: {}").format(en.label(k), nowrap_numbers(show(value[k], t.elem, enums)))
                        for k in en.values if k in value)
    return Safe("{}").format(nowrap_numbers(show(value, t, enums)))


# -- expressions ------------------------------------------------------------------------------

_CMP = {"<": Safe("&lt;"), "<=": Safe("≤"), ">": Safe("&gt;"), ">=": Safe("≥"), "==": Safe("="), "!=": Safe("≠")}
_LEVEL = {"if": 1, "implies": 1, "binder": 1, "or": 2, "and": 3, "not": 4, "cmp": 5,
          "+": 6, "-": 6, "*": 7, "/": 7, "%": 7, "neg": 8, "atom": 10}
LEVEL = _LEVEL                  # the binding strength of each operation, for notations built on this one
_ADDITIVE = {"+", "-", "date+", "date-date"} | set(_CMP)
_ITALIC = Safe("<i>{}</i>")


class Notation:
    """Render one clause's expressions. ``link`` turns a name into HTML (a link to where it is
    described, with its description as a tooltip); parameters are shown by their value."""

    def __init__(self, clause: Clause | None, enums: dict[str, EnumType],
                 link: Callable[[str], Safe] | None = None):
        self.clause = clause
        self.enums = enums
        self.link = link or (lambda n: Safe('<span class="namn">{}</span>').format(n))

    def render(self, e: E) -> Safe:
        return self._r(e, None)[0]

    # Each helper returns (html, level); the caller wraps in parentheses if the level is lower.
    def _wrap(self, e: E, level: int, hint: str | None = None) -> Safe:
        text, lv = self._r(e, hint)
        return Safe("({})").format(text) if lv < level else Safe("{}").format(text)

    def _hint(self, *items: E) -> str | None:
        """The unit that a bare number next to these operands has (öre beside money)."""
        for x in items:
            if x.type.numeric and x.type.unit not in (None, "*"):
                return x.type.unit
            if x.type.kind == "date":
                return "dagar"
        return None

    def _literal(self, v: Any, t: Type, hint: str | None) -> Safe:
        if isinstance(v, bool):
            return Safe("sant") if v else Safe("falskt")
        if isinstance(v, str):
            label = self.enums[t.enum].label(v) if t.enum in self.enums else v
            return Safe("”{}”").format(label)
        if isinstance(v, int):
            unit = t.unit if t.unit not in (None, "*") else hint
            if unit == MONEY_UNIT:
                return (Safe("{} kr").format(group3(v // 100)) if v % 100 == 0
                        else Safe("{} öre").format(group3(v)))
            return Safe("{} {}").format(group3(v), unit) if unit else Safe("{}").format(group3(v))
        if isinstance(v, Fraction):
            return Safe("{}").format(format_fraction(v))
        return Safe("{}").format(v)

    def _param(self, name: str, shown: str) -> Safe:
        """A parameter by its value, its name and description as the tooltip."""
        p = self.clause.parameters[name]
        return Safe('<span class="param" title="{}">{}</span>').format(
            attr(f"{name}: {p.description or p.words}"), shown)

    def _r(self, e: E, hint: str | None) -> tuple[Safe, int]:
        op, a = e.op, e.args
        atom = _LEVEL["atom"]
        if op == "const":
            return self._literal(a[0], e.type, hint), atom
        if op == "var":
            name = a[0]
            c = self.clause
            if c is not None and name in c.parameters:
                p = c.parameters[name]
                return self._param(name, show(p.value, p.type, self.enums)), atom
            return self.link(name), atom
        if op == "bound":
            return _ITALIC.format(a[0]), atom
        if op in ("+", "-", "*", "/", "%"):
            lv = _LEVEL[op]
            h = self._hint(*a) if op in ("+", "-") else None
            sym = {"+": "+", "-": "−", "*": "×", "/": "/", "%": "mod"}[op]
            right_level = lv + 1 if op in ("-", "/", "%") else lv
            return Safe("{} {} {}").format(self._wrap(a[0], lv, h), sym, self._wrap(a[1], right_level, h)), lv
        if op == "//":
            return Safe("⌊{} / {}⌋").format(self._wrap(a[0], 7), self._wrap(a[1], 8)), atom
        if op == "neg":
            return Safe("−{}").format(self._wrap(a[0], _LEVEL["neg"], hint)), _LEVEL["neg"]
        if op in _CMP:
            h = self._hint(*a)
            lv = _LEVEL["cmp"]
            return Safe("{} {} {}").format(self._wrap(a[0], lv + 1, h), _CMP[op], self._wrap(a[1], lv + 1, h)), lv
        if op in ("and", "or"):
            lv = _LEVEL[op]
            word = Safe(" och ") if op == "and" else Safe(" eller ")
            return word.join(self._wrap(x, lv + 1) for x in a), lv
        if op == "not":
            return Safe("inte {}").format(self._wrap(a[0], _LEVEL["not"])), _LEVEL["not"]
        if op == "if":
            h = hint or self._hint(a[1], a[2])
            lv = _LEVEL["if"]
            return (Safe("om {} så {}, annars {}").format(self._wrap(a[0], lv + 1), self._wrap(a[1], lv + 1, h),
                                                         self._wrap(a[2], lv, h))), lv
        if op == "index":
            return Safe("{}[{}]").format(self._wrap(a[0], atom), self._r(a[1], None)[0]), atom
        if op in ("forall", "exists", "sum", "count"):
            var, body = a
            en = e.extra
            v = _ITALIC.format(var)
            lv = _LEVEL["binder"]
            inner = self._wrap(body, lv)
            if op == "forall":
                return Safe("för varje {} ∈ {}: {}").format(v, en, inner), lv
            if op == "exists":
                return Safe("för något {} ∈ {}: {}").format(v, en, inner), lv
            if op == "sum":
                return Safe("∑<sub>{} ∈ {}</sub> {}").format(v, en, self._wrap(body, 6)), 6
            return Safe("antalet {} ∈ {} där {}").format(v, en, inner), lv
        if op == "date+":
            return Safe("{} + {}").format(self._wrap(a[0], 6), self._wrap(a[1], 7, "dagar")), 6
        if op == "date-date":
            return Safe("{} − {}").format(self._wrap(a[0], 6), self._wrap(a[1], 7)), 6
        if op == "call":
            return self._call(e, hint)
        # An operation this renderer does not know yet: shown plainly, never dropped.
        return Safe("{}({})").format(op, Safe(", ").join(self._r(x, None)[0] for x in a if isinstance(x, E))), atom

    def _call(self, e: E, hint: str | None) -> tuple[Safe, int]:
        name = e.extra.name
        a = e.args
        atom = _LEVEL["atom"]
        if name == "floor":
            return Safe("⌊{}⌋").format(self._r(a[0], hint)[0]), atom
        if name == "ceil":
            return Safe("⌈{}⌉").format(self._r(a[0], hint)[0]), atom
        if name == "abs":
            return Safe("&#124;{}&#124;").format(self._r(a[0], hint)[0]), atom
        if name == "implies":
            lv = _LEVEL["implies"]
            return Safe("om {} så {}").format(self._wrap(a[0], lv + 1), self._wrap(a[1], lv + 1)), lv
        h = hint or self._hint(*a)
        args = Safe(", ").join(self._r(x, h)[0] for x in a)
        return Safe('<span class="fn" title="{}">{}</span>({})').format(attr(e.extra.doc), name, args), atom


def builtins_used(exprs: list[E]) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def walk(e: E) -> None:
        if e.op == "call":
            out[e.extra.name] = e.extra
        for x in e.args:
            if isinstance(x, E):
                walk(x)

    for e in exprs:
        walk(e)
    return out


# -- the agreement's text -------------------------------------------------------------------------

_BULLET = "•"


def agreement_html(body: str) -> Safe:
    """A clause's text, verbatim, as HTML: paragraphs joined from the PDF extraction's lines,
    bullet lines as a list, and blocks of short lines (a form, signatures) kept line by line."""
    blocks: list[list[str]] = [[]]
    for raw in body.split("\n"):
        line = raw.strip()
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        # A line after a blank that continues a bullet item (the extraction broke it).
        if not blocks[-1] and len(blocks) > 1 and line[0].islower() and _is_bullet_block(blocks[-2]):
            blocks.pop()
        blocks[-1].append(line)
    return Safe("\n").join(_block_html(block) for block in blocks if block)


def _is_bullet_block(block: list[str]) -> bool:
    return bool(block) and any(ln.startswith(_BULLET) for ln in block)


def _block_html(lines: list[str]) -> Safe:
    """One block of the text; its lines are escaped as HTML only (the block is raw HTML, which
    Markdown leaves alone)."""
    if any(ln.startswith(_BULLET) for ln in lines):
        head: list[str] = []
        items: list[list[str]] = []
        for ln in lines:
            if ln.startswith(_BULLET):
                items.append([ln[1:].strip()])
            elif items:
                items[-1].append(ln)
            else:
                head.append(ln)
        # A line of several bullets ("• A • B") is split into items too.
        flat = [part.strip() for item in items for part in " ".join(item).split(_BULLET) if part.strip()]
        lead = Safe("<p>{}</p>\n").format(code_text(" ".join(head))) if head else Safe("")
        return lead + Safe("<ul>\n{}\n</ul>").format(Safe("\n").join(Safe("<li>{}</li>").format(code_text(x))
                                                                       for x in flat))
    if len(lines) > 2 and all(len(ln) < 40 for ln in lines):
        return Safe("<p>{}</p>").format(Safe("<br>\n").join(code_text(ln) for ln in lines))
    return Safe("<p>{}</p>").format(code_text(" ".join(lines)))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
