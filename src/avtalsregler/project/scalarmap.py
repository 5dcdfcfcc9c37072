"""Where each character of a YAML scalar's value is in the file.

YAML changes a scalar's text on the way to its value: a plain or quoted scalar that spans lines
is folded (a line break becomes a space, blank lines become line breaks, the indentation of
continuation lines is dropped), ``''`` in a single-quoted scalar is one quote, a double-quoted
scalar has ``\\`` escapes and escaped line breaks, and a block scalar (``|``, ``>``) loses its
indentation and, when folded, its line breaks. A message about the value (an expression's
unknown name on its third line) must point at the file, so :class:`Place` re-scans the
scalar's source the way PyYAML's scanner does (``yaml/scanner.py``: ``scan_plain``,
``scan_flow_scalar``, ``scan_block_scalar``), keeping the file index of every character it
emits. The result is checked against the value YAML gave; where they differ (a construct this
scanner does not follow) every offset falls back to the scalar's start, never a wrong place.
"""

from __future__ import annotations

from bisect import bisect_right

from avtalsregler.errors import Span

_BREAKS = "\r\n\x85\u2028\u2029"
_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}
_CODES = {"x": 2, "u": 4, "U": 8}


class SourceText:
    """A file's text and where its lines start (computed when first asked)."""

    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self._starts: list[int] | None = None

    def span(self, index: int) -> Span:
        if self._starts is None:
            self._starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        line = bisect_right(self._starts, index)
        return Span(self.path, line, index - self._starts[line - 1] + 1)


class Place:
    """The place in the file of every offset of one scalar's value."""

    def __init__(self, source: SourceText, start: int, end: int, style: str | None, value: str, start_span: Span):
        self.source, self.start, self.end, self.style, self.value = source, start, end, style, value
        self.start_span = start_span
        self._map: list[int] | None = None

    def __call__(self, offset: int) -> Span:
        """The file position of ``value[offset]`` (``offset == len(value)``: just after the last)."""
        if self._map is None:
            self._map = _scan(self.source.text, self.start, self.end, self.style, self.value)
        if not self._map:
            return self.start_span
        return self.source.span(self._map[max(0, min(offset, len(self._map) - 1))])


def _scan(text: str, start: int, end: int, style: str | None, value: str) -> list[int]:
    """File index of each character of ``value`` and one past its end; [] where the re-scan
    does not give ``value``."""
    try:
        if style in ("|", ">"):
            for indent in _indents(text, start, end):
                got = _Scanner(text, start, end).block(style == ">", indent)
                if got is not None and got[0] == value:
                    return got[1]
            return []
        got = _Scanner(text, start, end).flow(style)
    except (IndexError, ValueError, OverflowError):       # an escape this scanner does not follow
        return []
    return got[1] if got[0] == value else []


def _indents(text: str, start: int, end: int) -> list[int]:
    """The block scalar's content indentation: the first content line's, then any other (an
    explicit indentation indicator counts from the parent's indentation, which is not known
    here; the one that re-scans to the value is the one)."""
    line_end = text.find("\n", start, end)
    first = None
    for line in text[line_end + 1:end].split("\n") if line_end >= 0 else []:
        if line.strip(" "):
            first = len(line) - len(line.lstrip(" "))
            break
    return ([first] if first else []) + [i for i in range(1, 41) if i != first]


class _Scanner:
    def __init__(self, text: str, start: int, end: int):
        self.t, self.i, self.end = text, start, end
        self.chars: list[str] = []
        self.idx: list[int] = []

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.t[j] if j < len(self.t) else "\0"

    def emit(self, ch: str, at: int) -> None:
        self.chars.append(ch)
        self.idx.append(at)

    def line_break(self) -> str:
        ch = self.peek()
        if ch in "\r\n\x85":
            self.i += 2 if self.t[self.i:self.i + 2] == "\r\n" else 1
            return "\n"
        if ch in "\u2028\u2029":
            self.i += 1
            return ch
        return ""

    def result(self) -> tuple[str, list[int]]:
        return "".join(self.chars), self.idx + [self.idx[-1] + 1 if self.idx else self.i]

    def column(self) -> int:
        return self.i - (self.t.rfind("\n", 0, self.i) + 1)

    # -- plain and quoted scalars ----------------------------------------------------------
    def flow(self, style: str | None) -> tuple[str, list[int]]:
        quote = style if style in ("'", '"') else None
        stop = self.end - 1 if quote else self.end
        if quote:
            self.i += 1
        while self.i < stop:
            ch = self.peek()
            if ch in " \t" + _BREAKS:
                self.spaces(quote)
            elif quote == "'" and ch == "'":            # '' is one quote
                self.emit("'", self.i)
                self.i += 2
            elif quote == '"' and ch == "\\":
                self.escape()
            else:
                self.emit(ch, self.i)
                self.i += 1
        return self.result()

    def spaces(self, quote: str | None) -> None:
        at = self.i
        while self.peek() in (" \t" if quote else " "):
            self.i += 1
        if self.peek() in _BREAKS and self.i < self.end:
            brk = self.i
            first = self.line_break()
            breaks = self.breaks(quote)
            if first != "\n":
                self.emit(first, brk)
            elif not breaks:
                self.emit(" ", brk)
            for ch, j in breaks:
                self.emit(ch, j)
        else:
            for j in range(at, self.i):
                self.emit(self.t[j], j)
            if self.i == at:                               # a tab in a plain scalar: kept as it is
                self.emit(self.t[self.i], self.i)
                self.i += 1

    def breaks(self, quote: str | None) -> list[tuple[str, int]]:
        out = []
        while True:
            while self.peek() in (" \t" if quote else " "):
                self.i += 1
            if self.peek() in _BREAKS and self.i < self.end:
                j = self.i
                out.append((self.line_break(), j))
            else:
                return out

    def escape(self) -> None:
        at = self.i
        self.i += 1
        ch = self.peek()
        if ch in _ESCAPES:
            self.emit(_ESCAPES[ch], at)
            self.i += 1
        elif ch in _CODES:
            n = _CODES[ch]
            self.emit(chr(int(self.t[self.i + 1:self.i + 1 + n], 16)), at)
            self.i += 1 + n
        elif ch in _BREAKS:                                 # an escaped line break: nothing
            self.line_break()
            for c, j in self.breaks('"'):
                self.emit(c, j)
        else:
            raise IndexError(ch)

    # -- block scalars -----------------------------------------------------------------------
    def block(self, folded: bool, indent: int) -> tuple[str, list[int]] | None:
        self.i += 1
        chomping = None
        while self.peek() in "+-0123456789":
            if self.peek() in "+-":
                chomping = self.peek() == "+"
            self.i += 1
        while self.peek() not in "\0" + _BREAKS:            # spaces and a comment
            self.i += 1
        self.line_break()
        breaks = self.block_breaks(indent)
        brk_at, line_break = self.i, ""
        while self.column() == indent and self.peek() != "\0" and self.i < self.end:
            for c, j in breaks:
                self.emit(c, j)
            leading_non_space = self.peek() not in " \t"
            while self.peek() not in "\0" + _BREAKS:
                self.emit(self.peek(), self.i)
                self.i += 1
            brk_at = self.i
            line_break = self.line_break()
            breaks = self.block_breaks(indent)
            if self.column() == indent and self.peek() != "\0" and self.i < self.end:
                if folded and line_break == "\n" and leading_non_space and self.peek() not in " \t":
                    if not breaks:
                        self.emit(" ", brk_at)
                else:
                    self.emit(line_break, brk_at)
            else:
                break
        if chomping is not False and line_break:
            self.emit(line_break, brk_at)
        if chomping is True:
            for c, j in breaks:
                self.emit(c, j)
        return self.result()

    def block_breaks(self, indent: int) -> list[tuple[str, int]]:
        out = []
        while self.column() < indent and self.peek() == " ":
            self.i += 1
        while self.peek() in _BREAKS and self.i < self.end:
            j = self.i
            out.append((self.line_break(), j))
            while self.column() < indent and self.peek() == " ":
                self.i += 1
        return out
