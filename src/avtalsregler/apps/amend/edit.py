"""Text edits of YAML and agreement files that keep everything else byte for byte.

An amendment is applied as a set of :class:`Edit` s — replace the characters between two
offsets of one file — so that the amended files differ from the originals only where the
amendment says (a small ``git diff``), and a line of an amended file can be traced back
either to the original file or to the line of the amendment that wrote it (:class:`LineMap`).
Inserted YAML is the amendment's own source text, re-indented; nothing is re-serialised.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from avtalsregler.errors import SchemaError, Span
from avtalsregler.project.source import Node


@dataclass
class Edit:
    start: int
    end: int
    text: str
    origin: Span | None          # the amendment line that asked for it
    what: str = ""


def offset(text: str, span: Span) -> int:
    """The character offset of a 1-based (line, col) position."""
    starts = _line_starts(text)
    if span.line - 1 >= len(starts):
        return len(text)
    return min(starts[span.line - 1] + span.col - 1, len(text))


def _line_starts(text: str) -> list[int]:
    out = [0]
    for m in re.finditer("\n", text):
        out.append(m.end())
    return out


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def block_end(text: str, node: Node) -> int:
    """Where a node's text ends; a block node's end mark sits in the next line's indentation,
    which belongs to the next entry, so it is moved back to that line's start."""
    start, end = offset(text, node.span), offset(text, node.end)
    ls = line_start(text, end)
    if text[ls:end].strip() != "":
        return end
    # blank lines and comments before the next entry belong to the gap, not to this node
    pos = ls
    while pos > start:
        prev = line_start(text, pos - 1)
        if prev <= start or text[prev:pos].strip() not in ("",) and not text[prev:pos].lstrip().startswith("#"):
            break
        pos = prev
    return pos


def source_slice(text: str, start: Span, node: Node) -> str:
    """The text of a YAML node (from ``start``, e.g. its key) as written, up to its end."""
    return text[offset(text, start):block_end(text, node)]


def reindent(snippet: str, from_col: int, to_col: int) -> str:
    """Shift every line after the first by ``to_col - from_col`` columns (the first line is
    placed by the caller)."""
    lines = snippet.split("\n")
    shift = to_col - from_col
    out = [lines[0]]
    for ln in lines[1:]:
        if not ln.strip():
            out.append("")
        elif shift >= 0:
            out.append(" " * shift + ln)
        else:
            cut = min(-shift, len(ln) - len(ln.lstrip(" ")))
            out.append(ln[cut:])
    text = "\n".join(out)
    return text if text.endswith("\n") else text + "\n"


def render_text(key: str, value: str, col: int, width: int = 100) -> str:
    """``key: value`` for a text, as a folded block when long (the style of the rule files)."""
    value = " ".join(value.split())
    one = f"{key}: {yaml_quote(value)}"
    if col - 1 + len(one) <= width:
        return one + "\n"
    pad = " " * (col + 1)
    body = textwrap.fill(value, width=max(40, width - len(pad)), break_long_words=False, break_on_hyphens=False)
    return f"{key}: >\n" + "\n".join(pad + ln for ln in body.split("\n")) + "\n"


def yaml_quote(value: str) -> str:
    import json

    plain_ok = (value and value[0] not in "!&*{}[],#|>@`\"'%-?:" and ": " not in value and " #" not in value
                and not value.endswith(":") and value.strip() == value and not _looks_typed(value))
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def _looks_typed(value: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d._]+|true|false|yes|no|on|off|null|~|\d{4}-\d\d-\d\d.*", value, re.I))


@dataclass
class FileEdits:
    """All edits of one file, applied together."""

    path: str                    # relative to the project root
    original: str
    edits: list[Edit] = field(default_factory=list)

    def add(self, edit: Edit) -> None:
        for other in self.edits:
            if edit.start < other.end and other.start < edit.end:
                raise SchemaError(f"two changes of the amendment touch the same place in {self.path} "
                                  f"({other.what} and {edit.what})", edit.origin,
                                  "merge them into one change")
        self.edits.append(edit)

    def result(self) -> tuple[str, LineMap]:
        text = self.original
        lm = LineMap(self.path)
        order = sorted(enumerate(self.edits), key=lambda ie: (ie[1].start, ie[1].end, ie[0]))
        for _i, e in order:
            lm.record(self.original, e)
        for _i, e in reversed(order):
            text = text[:e.start] + e.text + text[e.end:]
        return text, lm


@dataclass
class LineMap:
    """Maps a line of an amended file to the original file's line or to the amendment."""

    path: str
    spans: list[tuple[int, int, int, Span | None]] = field(default_factory=list)  # first, last, delta after, origin
    _delta: int = 0

    def record(self, original: str, e: Edit) -> None:
        first = original.count("\n", 0, e.start) + 1 + self._delta
        occupied = 0 if not e.text else e.text.count("\n") + (0 if e.text.endswith("\n") else 1)
        self._delta += e.text.count("\n") - original.count("\n", e.start, e.end)
        self.spans.append((first, first + occupied - 1, self._delta, e.origin))

    def in_amendment(self, span: Span) -> Span | None:
        """The amendment line that wrote this line of the amended file, if one did."""
        for first, last, _d, origin in self.spans:
            if first <= span.line <= last and origin is not None:
                return origin if span.line == first else Span(origin.path, origin.line + span.line - first, 1)
        return None

    def where(self, span: Span) -> Span:
        """The place of ``span`` (in the amended file) in the original file, or in the amendment."""
        inside = self.in_amendment(span)
        if inside is not None:
            return inside
        shift = 0
        for first, last, d, _origin in self.spans:
            if span.line > last:
                shift = d
        return Span(self.path, span.line - shift, span.col)


# -- the agreement text --------------------------------------------------------------------------

def find_quote(text: str, quote: str, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
    """Where ``quote`` occurs in ``text[lo:hi]`` when whitespace is folded (line breaks of the
    extraction, double spaces); the offsets are of the raw text."""
    words = quote.replace("\u00a0", " ").split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.compile(pattern).search(text, lo, len(text) if hi is None else hi)
    return (m.start(), m.end()) if m else None


def clause_region(text: str, clause: str) -> tuple[int, int]:
    """The offsets of a clause's body in the agreement file (from its heading to the next)."""
    heads = [(m.start(), f"§{int(m.group(1))}") for m in re.finditer(r"(?m)^\s*§\s*(\d+)\s+\S", text)]
    for i, (pos, cid) in enumerate(heads):
        if cid == clause:
            return pos, heads[i + 1][0] if i + 1 < len(heads) else len(text)
    raise KeyError(clause)
