"""YAML → values with ``file:line:col`` spans.

Rule, spec, data and amendment files are untrusted input. They are read with PyYAML's safe
``compose()`` (nodes with marks, nothing constructed), and then:

* any tag other than YAML's plain scalars, sequences and mappings is refused (``!!python/…``);
* anchors and aliases are refused (they are how "billion laughs" files blow up in size);
* duplicate keys and non-string keys are refused;
* scalars become ``str``, ``int``, ``bool``, ``None``, ``datetime.date`` or :class:`YFloat`
  (a float is kept apart so that the schema can say "a float where money is expected").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import yaml

from avtalsregler.project.inputs import decode, read_text
from avtalsregler.project.scalarmap import Place, SourceText
from avtalsregler.errors import MAX_DIGITS, AvtalsreglerError, SchemaError, SourceError, Span, did_you_mean, expected_one_of

_TAG = "tag:yaml.org,2002:"
# libyaml's parser where PyYAML was built with it (about ten times faster), else PyYAML's own;
# both give the same nodes and marks (line, column and index in characters)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCT = yaml.SafeLoader("")       # only its scalar constructors are used
# Bounds on every file the tool reads (documented in README, "Bad input"): checked before the
# content is parsed, so a hostile file costs at most these, never minutes or gigabytes.
MAX_YAML_BYTES = 1_000_000     # a YAML file (rules, specs, readings, amendments, event logs)
MAX_YAML_NODES = 20_000        # values (scalars, lists, mappings) in one YAML file (the largest bundled: 990)
MAX_YAML_DEPTH = 40            # lists and mappings nested in one another
_MANY_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1}}}")


MAX_ID = 80
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*\Z")
ID_HINT = ("an id is ASCII letters, digits and '_', parts joined by '.' or '-', e.g. 'fraga-2' or 'm4.1' "
           f"(at most {MAX_ID} characters)")


def check_id(value: Any, span: Span | None, what: str, error: type[AvtalsreglerError] = SchemaError) -> str:
    """An id that reaches a page, a calendar, a report or a CI log: a text of :data:`ID_RE`."""
    if not isinstance(value, str) or isinstance(value, YFloat):
        raise error(f"{what} must be a text, not {describe(value)}", span, ID_HINT)
    if len(value) > MAX_ID or not ID_RE.match(value):
        shown = value if len(value) <= MAX_ID else value[:MAX_ID] + "…"
        raise error(f"{what} {shown!r} is not an id", span, ID_HINT)
    return value


def too_many_digits(text: str) -> bool:
    """Does a number's text have more digits than :data:`MAX_DIGITS` (group separators ignored)?"""
    return bool(_MANY_DIGITS.search(re.sub(r"[ \u00a0\u202f_.,:'-]", "", text)))


class YFloat(str):
    """A YAML float, kept as its text: the project never computes with floats."""


@dataclass
class Node:
    """A YAML value with the span where it starts."""

    value: Any
    span: Span
    style: str | None = None
    end: Span | None = None
    place: Place | None = None      # a text's offsets → file positions (see project/scalarmap.py)
    _used: set = field(default_factory=set, repr=False)

    # -- mapping access that remembers which keys were read, to report unknown keys ------
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def get(self, key: str) -> Node | None:
        self._used.add(key)
        return self.value.get(key)

    def __contains__(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def items(self) -> Iterator[tuple[str, Node]]:
        return iter(self.value.items())

    def key_span(self, key: str) -> Span:
        return self.value[key].key_span if hasattr(self.value[key], "key_span") else self.value[key].span

    def plain(self) -> Any:
        """The value without spans (for data that is passed through as it is)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def _span(path: str, mark) -> Span:
    return Span(path, mark.line + 1, mark.column + 1)


def load_yaml(path: str | Path, text: str | None = None) -> Node:
    """Read a YAML file safely into a :class:`Node` tree."""
    shown = str(path)
    if text is None:
        text = read_text(path, shown, limit=MAX_YAML_BYTES)
    else:
        if len(text) > MAX_YAML_BYTES:
            raise SourceError(f"the file is {len(text)} characters, more than the {MAX_YAML_BYTES} allowed",
                              Span(shown, 1, 1), "split the file")
        text = decode(text.encode("utf-8", "surrogatepass"), shown)
    try:
        try:
            root = _compose(text, shown, LOADER)
        except yaml.YAMLError:
            if LOADER is yaml.SafeLoader:
                raise
            root = _compose(text, shown, yaml.SafeLoader)   # for PyYAML's own (more telling) message
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _span(shown, mark) if mark else Span(shown, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(f"YAML syntax error: {problem}", span,
                          "check indentation, colons and quotes on this line") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML syntax error: {str(exc).splitlines()[0]}", Span(shown, 1, 1)) from None
    if root is None:
        raise SourceError("file is empty", Span(shown, 1, 1), "see the examples in rules/ and specs/")
    return _convert(root, shown, SourceText(text, shown))


def _compose(text: str, shown: str, loader) -> yaml.Node | None:
    """The node tree, bounded: no anchors or aliases, at most :data:`MAX_YAML_NODES` values
    nested at most :data:`MAX_YAML_DEPTH` deep, checked on the parser's events before any node
    is composed (so neither Python nor the converter ever recurses deeper than the bound)."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent,
                              yaml.DocumentEndEvent)):
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
            continue
        here = _span(shown, event.start_mark)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SourceError("YAML anchors and aliases are not allowed", here,
                              "write the value out in full where it is needed")
        nodes += 1
        if nodes > MAX_YAML_NODES:
            raise SourceError(f"the file has more than {MAX_YAML_NODES} values", here,
                              "split it into several files")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise SourceError(f"lists and mappings are nested more than {MAX_YAML_DEPTH} deep", here,
                                  "write the value flatter")
    return yaml.compose(text, Loader=loader)


def _convert(node: yaml.Node, path: str, source: SourceText) -> Node:
    span = _span(path, node.start_mark)
    end = _span(path, node.end_mark)
    tag = node.tag or ""
    if isinstance(node, yaml.MappingNode):
        if tag != _TAG + "map":
            raise SourceError(f"tag {tag!r} is not allowed", span, "remove the tag")
        out: dict[str, Node] = {}
        for knode, vnode in node.value:
            kspan = _span(path, knode.start_mark)
            if isinstance(knode, yaml.ScalarNode) and knode.tag == _TAG + "merge":
                raise SourceError("merge keys (<<) are not allowed", kspan, "write the entries out in full")
            if not isinstance(knode, yaml.ScalarNode):
                raise SourceError("keys must be plain names", kspan, "use a plain text key such as 'name:'")
            key = knode.value
            if key in out:
                first = out[key].key_span
                raise SourceError(f"duplicate key {key!r} (first given at line {first.line})", kspan,
                                  "remove one of the two entries")
            child = _convert(vnode, path, source)
            child.key_span = kspan  # type: ignore[attr-defined]
            out[key] = child
        return Node(out, span, None, end)
    if isinstance(node, yaml.SequenceNode):
        if tag != _TAG + "seq":
            raise SourceError(f"tag {tag!r} is not allowed", span, "remove the tag")
        return Node([_convert(v, path, source) for v in node.value], span, None, end)
    value = _scalar(node, span)
    out = Node(value, span, node.style or None, end)   # libyaml: '' for plain
    if isinstance(value, str):
        out.place = Place(source, node.start_mark.index, node.end_mark.index, out.style, value, span)
    return out


def _scalar(node: yaml.ScalarNode, span: Span) -> Any:
    tag = node.tag or ""
    text = node.value
    if tag == _TAG + "str":
        return text
    if tag == _TAG + "int":
        if too_many_digits(text) or len(text.replace("_", "")) > MAX_DIGITS + 3:      # also 0x…, 0o…
            raise SourceError(f"a whole number with more than {MAX_DIGITS} digits", span,
                              "no amount, count or id of the project needs that many digits")
        return _CONSTRUCT.construct_yaml_int(node)
    if tag == _TAG + "bool":
        return text.lower() in ("true", "yes", "on")
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "float":
        return YFloat(text)
    if tag == _TAG + "timestamp":
        try:
            value = _CONSTRUCT.construct_yaml_timestamp(node)
        except ValueError:
            raise SourceError(f"{text!r} is not a date in the calendar", span,
                              "a date must exist, e.g. no 2021-02-29; write it as YYYY-MM-DD") from None
        if isinstance(value, datetime.datetime):
            raise SourceError(f"{text!r} has a time of day; only dates are used", span,
                              "write the date as YYYY-MM-DD")
        return value
    raise SourceError(f"tag {tag!r} is not allowed", span,
                      "only plain YAML values are accepted: remove the tag")


# -- schema helpers -------------------------------------------------------------------------

_KIND_NAMES = {dict: "a mapping", list: "a list", str: "a text", int: "a whole number",
               bool: "true or false"}


def short(text: Any, limit: int = 60) -> str:
    """A text from an input as a message quotes it: its first line, at most ``limit`` characters
    (a message never echoes a file beyond the offending line)."""
    lines = str(text).strip().splitlines() or [""]
    first = lines[0]
    return repr(first[:limit] + "…" if len(first) > limit or len(lines) > 1 else first)


def describe(value: Any) -> str:
    if isinstance(value, YFloat):
        return f"the decimal number {str(value)}"
    if isinstance(value, bool):
        return f"the boolean {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return short(value) if isinstance(value, str) else repr(value)


def expect(node: Node, kind: type, what: str) -> Any:
    """Return ``node.value`` if it is of ``kind``; else a schema error naming ``what``."""
    ok = isinstance(node.value, kind)
    if kind is int and isinstance(node.value, bool):
        ok = False
    if kind is str and isinstance(node.value, YFloat):
        ok = False
    if not ok:
        hint = None
        if isinstance(node.value, YFloat):
            hint = "decimal numbers are not used: write money as whole öre or as a text such as '12,50 kr'"
        lines = node.end.line - node.span.line + 1 if node.end else 1
        shown = f"a text of {lines} lines" if isinstance(node.value, str) and lines > 1 else describe(node.value)
        raise SchemaError(f"{what} must be {_KIND_NAMES.get(kind, kind.__name__)}, not {shown}", node.span, hint)
    return node.value


def fields(node: Node, what: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> dict[str, Node]:
    """Check a mapping's keys: every required key present, nothing unknown."""
    expect(node, dict, what)
    allowed = set(required) | set(optional)
    for key, child in node.items():
        if key not in allowed:
            hint = did_you_mean(key, allowed) or expected_one_of(allowed)
            raise SchemaError(f"unknown key {short(key)} in {what}", getattr(child, "key_span", child.span), hint)
    for key in required:
        if key not in node.value:
            raise SchemaError(f"{what} has no {key!r}", node.span, f"add '{key}: …' here")
    return dict(node.value)


def text_of(node: Node | None, what: str, default: str | None = None) -> str | None:
    if node is None:
        return default
    value = expect(node, str, what)
    return value
