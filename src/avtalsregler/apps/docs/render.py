"""Readable notation for the documentation site: checked expressions (:class:`~avtalsregler.expr.E`)
as mathematics and plain Swedish, values in kronor, and the agreement's text as HTML.

Everything returned here is HTML that is safe to put inside Markdown (table cells included):
texts from rule files are escaped, and ``|`` is written as an entity so a table never splits.
"""

from __future__ import annotations

import html
import re
from fractions import Fraction
from typing import Any
from collections.abc import Callable

from avtalsregler.language.expr import E
from avtalsregler.project.model import Clause
from avtalsregler.language.types import MONEY_UNIT, EnumType, Type, format_fraction, group3, show


_MD = str.maketrans({"|": "&#124;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;"})


def _fold(text: Any) -> str:
    """One line; ordinary whitespace folded, no-break spaces kept."""
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip()


def esc(text: Any) -> str:
    """Text from a rule file as inline HTML/Markdown: escaped, no Markdown syntax, one line."""
    return Safe(html.escape(_fold(text), quote=True).translate(_MD))


def code(name: Any, **attrs: str) -> str:
    """An identifier or path as ``<code>`` (HTML-escaped only: Markdown leaves it alone)."""
    extra = "".join(f' {k}="{attr(v)}"' for k, v in attrs.items())
    return Safe(f"<code{extra}>{html.escape(str(name))}</code>")


def code_text(name: Any) -> Safe:
    """An identifier as element content: HTML-escaped only (Markdown leaves raw HTML alone)."""
    return Safe(html.escape(str(name)))


def ident(name: Any) -> Safe:
    """An identifier as element content (escaped) that may wrap after an underscore (``<wbr>``),
    never inside a word."""
    return Safe(html.escape(str(name)).replace("_", "_<wbr>"))


def attr(text: Any) -> str:
    """Text for an HTML attribute value (in double quotes)."""
    return html.escape(_fold(text), quote=True).replace("|", "&#124;")


class Safe(str):
    """HTML built by a helper of this module (every text in it escaped): placed as it is."""


def html_text(content: Any) -> str:
    """Content for an element: escaped, unless it is :class:`Safe` HTML a helper built."""
    return str(content) if isinstance(content, Safe) else esc(content)


def tag(name: str, content: Any = "", **attrs: Any) -> Safe:
    """An HTML element: every attribute value is escaped (``class_`` is written ``class``), and
    so is the content unless it is :class:`Safe`. Ids, links and names from rule files reach a
    page only through here (or :func:`esc`, :func:`code`, :func:`attr`), never pasted raw."""
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{attr(v)}"' for k, v in attrs.items() if v is not None)
    return Safe(f"<{name}{extra}>{html_text(content)}</{name}>")


def link(href: str, content: Any, **attrs: Any) -> Safe:
    """``<a href=…>``: the address and the text escaped (the text unless :class:`Safe`)."""
    return tag("a", content, href=href, **attrs)


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


def show_value(value: Any, t: Type, enums: dict[str, EnumType], sep: str = "<br>") -> str:
    """A value as a lawyer reads it; a map is one line per key."""
    if t.kind == "map":
        en = enums[t.enum]
        return sep.join(f"{esc(en.label(k))}: {esc(nowrap_numbers(show(value[k], t.elem, enums)))}"
                        for k in en.values if k in value)
    return esc(nowrap_numbers(show(value, t, enums)))


# -- expressions ------------------------------------------------------------------------------

_CMP = {"<": "&lt;", "<=": "≤", ">": "&gt;", ">=": "≥", "==": "=", "!=": "≠"}
_LEVEL = {"if": 1, "implies": 1, "binder": 1, "or": 2, "and": 3, "not": 4, "cmp": 5,
          "+": 6, "-": 6, "*": 7, "/": 7, "%": 7, "neg": 8, "atom": 10}
LEVEL = _LEVEL                  # the binding strength of each operation, for notations built on this one
_ADDITIVE = {"+", "-", "date+", "date-date"} | set(_CMP)


class Notation:
    """Render one clause's expressions. ``link`` turns a name into HTML (a link to where it is
    described, with its description as a tooltip); parameters are shown by their value."""

    def __init__(self, clause: Clause | None, enums: dict[str, EnumType],
                 link: Callable[[str], str] | None = None):
        self.clause = clause
        self.enums = enums
        self.link = link or (lambda n: f'<span class="namn">{esc(n)}</span>')

    def render(self, e: E) -> str:
        return self._r(e, None)[0]

    # Each helper returns (html, level); the caller wraps in parentheses if the level is lower.
    def _wrap(self, e: E, level: int, hint: str | None = None) -> str:
        text, lv = self._r(e, hint)
        return f"({text})" if lv < level else text

    def _hint(self, *items: E) -> str | None:
        """The unit that a bare number next to these operands has (öre beside money)."""
        for x in items:
            if x.type.numeric and x.type.unit not in (None, "*"):
                return x.type.unit
            if x.type.kind == "date":
                return "dagar"
        return None

    def _literal(self, v: Any, t: Type, hint: str | None) -> str:
        if isinstance(v, bool):
            return "sant" if v else "falskt"
        if isinstance(v, str):
            label = self.enums[t.enum].label(v) if t.enum in self.enums else v
            return f"”{esc(label)}”"
        if isinstance(v, int):
            unit = t.unit if t.unit not in (None, "*") else hint
            if unit == MONEY_UNIT:
                return f"{group3(v // 100)} kr" if v % 100 == 0 else f"{group3(v)} öre"
            return f"{group3(v)} {esc(unit)}" if unit else group3(v)
        if isinstance(v, Fraction):
            return esc(format_fraction(v))
        return esc(v)

    def _r(self, e: E, hint: str | None) -> tuple[str, int]:
        op, a = e.op, e.args
        atom = _LEVEL["atom"]
        if op == "const":
            return self._literal(a[0], e.type, hint), atom
        if op == "var":
            name = a[0]
            c = self.clause
            if c is not None and name in c.parameters:
                p = c.parameters[name]
                title = attr(f"{name}: {p.description or p.words}")
                return f'<span class="param" title="{title}">{esc(show(p.value, p.type, self.enums))}</span>', atom
            return self.link(name), atom
        if op == "bound":
            return f"<i>{esc(a[0])}</i>", atom
        if op in ("+", "-", "*", "/", "%"):
            lv = _LEVEL[op]
            h = self._hint(*a) if op in ("+", "-") else None
            sym = {"+": "+", "-": "−", "*": "×", "/": "/", "%": "mod"}[op]
            right_level = lv + 1 if op in ("-", "/", "%") else lv
            return f"{self._wrap(a[0], lv, h)} {sym} {self._wrap(a[1], right_level, h)}", lv
        if op == "//":
            return f"⌊{self._wrap(a[0], 7)} / {self._wrap(a[1], 8)}⌋", atom
        if op == "neg":
            return f"−{self._wrap(a[0], _LEVEL['neg'], hint)}", _LEVEL["neg"]
        if op in _CMP:
            h = self._hint(*a)
            lv = _LEVEL["cmp"]
            return f"{self._wrap(a[0], lv + 1, h)} {_CMP[op]} {self._wrap(a[1], lv + 1, h)}", lv
        if op in ("and", "or"):
            lv = _LEVEL[op]
            word = " och " if op == "and" else " eller "
            return word.join(self._wrap(x, lv + 1) for x in a), lv
        if op == "not":
            return f"inte {self._wrap(a[0], _LEVEL['not'])}", _LEVEL["not"]
        if op == "if":
            h = hint or self._hint(a[1], a[2])
            lv = _LEVEL["if"]
            return (f"om {self._wrap(a[0], lv + 1)} så {self._wrap(a[1], lv + 1, h)}, "
                    f"annars {self._wrap(a[2], lv, h)}"), lv
        if op == "index":
            return f"{self._wrap(a[0], atom)}[{self._r(a[1], None)[0]}]", atom
        if op in ("forall", "exists", "sum", "count"):
            var, body = a
            en = esc(e.extra)
            v = f"<i>{esc(var)}</i>"
            lv = _LEVEL["binder"]
            inner = self._wrap(body, lv)
            if op == "forall":
                return f"för varje {v} ∈ {en}: {inner}", lv
            if op == "exists":
                return f"för något {v} ∈ {en}: {inner}", lv
            if op == "sum":
                return f"∑<sub>{v} ∈ {en}</sub> {self._wrap(body, 6)}", 6
            return f"antalet {v} ∈ {en} där {inner}", lv
        if op == "date+":
            return f"{self._wrap(a[0], 6)} + {self._wrap(a[1], 7, 'dagar')}", 6
        if op == "date-date":
            return f"{self._wrap(a[0], 6)} − {self._wrap(a[1], 7)}", 6
        if op == "call":
            return self._call(e, hint)
        # An operation this renderer does not know yet: shown plainly, never dropped.
        return f"{esc(op)}({', '.join(self._r(x, None)[0] for x in a if isinstance(x, E))})", atom

    def _call(self, e: E, hint: str | None) -> tuple[str, int]:
        name = e.extra.name
        a = e.args
        atom = _LEVEL["atom"]
        if name == "floor":
            return f"⌊{self._r(a[0], hint)[0]}⌋", atom
        if name == "ceil":
            return f"⌈{self._r(a[0], hint)[0]}⌉", atom
        if name == "abs":
            return f"&#124;{self._r(a[0], hint)[0]}&#124;", atom
        if name == "implies":
            lv = _LEVEL["implies"]
            return f"om {self._wrap(a[0], lv + 1)} så {self._wrap(a[1], lv + 1)}", lv
        h = hint or self._hint(*a)
        args = ", ".join(self._r(x, h)[0] for x in a)
        return f'<span class="fn" title="{attr(e.extra.doc)}">{esc(name)}</span>({args})', atom


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


def agreement_html(body: str) -> str:
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
    out: list[str] = []
    for block in (b for b in blocks if b):
        out.append(_block_html(block))
    return "\n".join(out)


def _is_bullet_block(block: list[str]) -> bool:
    return bool(block) and any(ln.startswith(_BULLET) for ln in block)


def _block_html(lines: list[str]) -> str:
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
        lead = f"<p>{html.escape(' '.join(head))}</p>\n" if head else ""
        return lead + "<ul>\n" + "\n".join(f"<li>{html.escape(x)}</li>" for x in flat) + "\n</ul>"
    if len(lines) > 2 and all(len(ln) < 40 for ln in lines):
        return "<p>" + "<br>\n".join(html.escape(ln) for ln in lines) + "</p>"
    return f"<p>{html.escape(' '.join(lines))}</p>"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
