"""``facts:`` — what the documentation site's start page shows, computed by the declaring rule.

Each fact is evaluated with the rule's own definitions (the ones the spec proves) on the day the
site is built, and written as Swedish paragraphs from templates (:mod:`avtalsregler.project.templates`)::

    facts:
      - id: period
        title: Avtalsperiod
        given: {idag: build_date, nummer: 0}
        text:
          - when: forsta_perioden_pagar
            text: "Den {idag} gäller avtalet i den första perioden, …"
          - unless: forsta_perioden_pagar
            text: "Den {idag} gäller avtalet i förlängning {forlangning_nr}, …"
          - "En rad som alltid visas."

``given`` binds the rule's inputs: a literal of the input's type, or ``build_date`` (the build
day, raised to the input's ``min`` when earlier; a build day after its ``max`` makes the fact
"not computable" with the reason). A paragraph is a template, or a mapping with ``text`` and
``when`` / ``unless`` naming a bool definition.

A fact may instead show a declared computation (see :mod:`.computations`) as a table per
member, once for every value of an int input (``each``, from its ``min`` to the build year + 1)
for which the computation's data are complete; ``given`` may then name a parameter of the rule
as the value of an input (the computation's option for it is set to that value), ``heading`` is
a template above each table and ``columns`` are the members table's columns::

      - id: fordelning
        title: Fördelningen mellan medlemmarna
        computation: avgift
        each: ar
        given: {belopp: grundavgift}
        heading: "**År {ar}** (underlaget den {underlagsdag}):"
        columns:
          - {label: Medlem, value: member}
          - {label: Avgift, value: andel}
          - {label: Per faktura, value: fakturor, distinct: true}
        text: ["Beloppet är grundavgiften {grundavgift}."]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from avtalsregler.errors import SchemaError, Span
from avtalsregler.project.declarations.computations import in_range
from avtalsregler.project.source import Node, expect, fields, text_of
from avtalsregler.project.templates import Template, parse_template
from avtalsregler.project.values import parse_value

BUILD_DATE = "build_date"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Paragraph:
    text: Template
    when: str | None = None
    unless: str | None = None


@dataclass(frozen=True)
class Column:
    label: str
    value: str              # a definition or input (a map over the members), or "member" for the label
    distinct: bool = False  # a map of maps: show the member's distinct values, " / "-joined


@dataclass(frozen=True)
class Fact:
    id: str
    title: str
    given: tuple[tuple[str, Any], ...]      # input → value or BUILD_DATE
    paragraphs: tuple[Paragraph, ...]
    computation: str | None
    columns: tuple[Column, ...]
    span: Span
    each: str | None = None
    heading: Template | None = None

    def names(self) -> list[str]:
        out = []
        for p in self.paragraphs:
            out += sorted(p.text.names()) + [n for n in (p.when, p.unless) if n]
        out += [c.value for c in self.columns if c.value != "member"]
        out += sorted(self.heading.names()) if self.heading else []
        return out


def _paragraph(node: Node, ctx, names: list[str]) -> Paragraph:
    if isinstance(node.value, str):
        return Paragraph(parse_template(node, "a paragraph", names))
    f = fields(node, "a paragraph", required=("text",), optional=("when", "unless"))
    when = ctx.name(f["when"], "'when'", ("definition",), "bool") if "when" in f else None
    unless = ctx.name(f["unless"], "'unless'", ("definition",), "bool") if "unless" in f else None
    return Paragraph(parse_template(f["text"], "a paragraph", names), when, unless)


def _fact(node: Node, ctx) -> Fact:
    f = fields(node, "a fact", required=("id", "title"),
               optional=("given", "text", "computation", "columns", "each", "heading"))
    fid = expect(f["id"], str, "fact id")
    if not _ID.match(fid):
        raise SchemaError(f"fact id {fid!r} is not ASCII snake_case", f["id"].span, "e.g. 'avtalsperiod'")
    given = []
    for key, vnode in (expect(f["given"], dict, "given").items() if "given" in f else []):
        name = ctx.name(Node(key, vnode.key_span), "a given input", ("input",))
        t = ctx.names[name]
        if isinstance(vnode.value, str) and vnode.value in ctx.parameters and "computation" in f:
            if ctx.names[vnode.value] != t:
                raise SchemaError(f"the parameter {vnode.value!r} is {ctx.names[vnode.value]}, the input {name!r} {t}",
                                  vnode.span, "name a parameter of the input's type")
            given.append((name, ("parameter", vnode.value)))
        elif vnode.value == BUILD_DATE:
            if t.kind != "date":
                raise SchemaError(f"{name!r} is {t}; only a date input can take the build date", vnode.span)
            given.append((name, BUILD_DATE))
        else:
            given.append((name, in_range(ctx, name, parse_value(vnode, t, ctx.enums, f"given {name}"), vnode,
                                         f"given {name}")))
    names = list(ctx.names)
    paragraphs = tuple(_paragraph(p, ctx, names) for p in (expect(f["text"], list, "text") if "text" in f else []))
    computation = text_of(f.get("computation"), "computation")
    if computation is not None and not _ID.match(computation):
        raise SchemaError(f"computation {computation!r} is not the name of a computation", f["computation"].span,
                          "name a computation declared under 'computations:' (ASCII snake_case)")
    columns = []
    for c in (expect(f["columns"], list, "columns") if "columns" in f else []):
        g = fields(c, "a column", required=("label", "value"), optional=("distinct",))
        value = expect(g["value"], str, "column value")
        if value != "member":
            value = ctx.name(g["value"], "a column", ("input", "definition"), "map")
        columns.append(Column(expect(g["label"], str, "label"), value,
                              expect(g["distinct"], bool, "distinct") if "distinct" in g else False))
    if computation is None and columns:
        raise SchemaError("columns need a 'computation' that gives their values for each year", f["columns"].span,
                          "name the computation of this rule, or write paragraphs")
    each = ctx.name(f["each"], "'each'", ("input",), "int") if "each" in f else None
    if computation is not None and (each is None or not columns):
        raise SchemaError("a fact that shows a computation needs 'each' (an int input) and 'columns'", node.span,
                          "e.g. each: the year input, columns: [{label: …, value: member}, …]")
    heading = parse_template(f.get("heading"), "the heading", names)
    if not paragraphs and not columns:
        raise SchemaError(f"fact {fid!r} shows nothing", node.span, "give 'text' paragraphs or 'columns'")
    return Fact(fid, expect(f["title"], str, "title"), tuple(given), paragraphs, computation, tuple(columns),
                node.span, each, heading)


def parse(node: Node, ctx) -> tuple[Fact, ...]:
    items = expect(node, list, "facts")
    out = tuple(_fact(item, ctx) for item in items)
    ids = [x.id for x in out]
    for i, fid in enumerate(ids):
        if fid in ids[:i]:
            raise SchemaError(f"fact id {fid!r} is used twice", out[i].span, "give each fact its own id")
    return out
