"""Reading the parts of a computation (see :mod:`.computations`): its inputs (options, fixed
values, data files, recurrences), shown values and the members table; every name, type, range
and path checked with its place."""

from __future__ import annotations

import re
from typing import Any

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.project.declarations.computation_model import (ALTERNATIVES, DATA_KINDS, FLAG_RE, FORMATS, NAME_RE,
                                                                 RESERVED_FLAGS, TOTALS,
                                                                 Alternative, DataSource, InputSpec, Members, Option,
                                                                 Recurrence, Shown)
from avtalsregler.project.source import Node, describe, expect, fields
from avtalsregler.project.values import parse_value


def in_range(ctx, name: str, value: Any, node: Node, what: str) -> Any:
    """``value`` of the input ``name`` if it lies within the input's ``min``–``max`` (a map's values
    each), else a schema error: outside the range the rule's proofs say nothing."""
    inp = ctx.inputs.get(name)
    low, high = (inp.low, inp.high) if inp is not None else (None, None)
    for v in (value.values() if isinstance(value, dict) else [value]):
        if isinstance(v, dict) or isinstance(v, bool):
            continue
        if (low is not None and v < low) or (high is not None and v > high):
            text = lambda x: x.isoformat() if hasattr(x, "isoformat") else str(x)  # noqa: E731
            bounds = f"{text(low) if low is not None else '…'} – {text(high) if high is not None else '…'}"
            raise SchemaError(f"{what} {text(v)} is outside the range of the input {name!r} ({bounds})", node.span,
                              f"give a value from {bounds}, the range the rule is proved for")
    return value


def text_field(node: Node | None, what: str, default: str = "") -> str:
    return default if node is None else expect(node, str, what).strip()


SLOT_RE = re.compile(r"\{([^{}]*)\}")


def slots_field(node: Node | None, what: str, allowed, hint: str, default: str = "") -> str:
    """A text whose ``{slot}``s are each one of ``allowed`` and that has no other braces (the
    slots are filled by plain replacement, so anything else would be shown as it is)."""
    text = text_field(node, what, default)
    for slot in SLOT_RE.findall(text):
        if slot not in allowed:
            raise SchemaError(f"{what} has the slot {{{slot}}}, which is not one of its names", node.span,
                              did_you_mean(slot, allowed) or hint)
    if re.search(r"[{}]", SLOT_RE.sub("", text)):
        raise SchemaError(f"{what} has a brace that is not a slot", node.span, hint)
    return text


def project_file(node: Node, what: str) -> str:
    """A path inside the project folder: relative, without '..' (a rule names the project's own files)."""
    path = expect(node, str, what)
    parts = path.replace("\\", "/").split("/")
    if not path.strip() or path.startswith(("/", "~")) or ":" in parts[0] or ".." in parts:
        raise SchemaError(f"{what} {path!r} is not a path inside the project", node.span,
                          "write it relative to the project folder, e.g. 'data/population.csv'")
    return path


def option_flag(node: Node, taken: dict[str, Span]) -> str:
    flag = expect(node, str, "option")
    if not FLAG_RE.match(flag):
        raise SchemaError(f"option {flag!r} is not a lower-case ASCII flag name", node.span, "e.g. 'year' or 'annual-amount'")
    if flag in RESERVED_FLAGS or flag in ALTERNATIVES:
        raise SchemaError(f"option {flag!r} is reserved by the engine", node.span,
                          "choose another name; reserved: " + ", ".join(RESERVED_FLAGS + tuple(ALTERNATIVES)))
    if flag in taken:
        raise SchemaError(f"option {flag!r} is given twice (first at line {taken[flag].line})", node.span)
    taken[flag] = node.span
    return flag


def read_recurrence(node: Node, ctx, target: str) -> Recurrence:
    f = fields(node, "a recurrence", required=("year", "start", "start_year", "previous", "next", "index"),
               optional=("exact", "alternatives"))
    year = ctx.name(f["year"], "recurrence year", ("input",), "int")
    start = ctx.name(f["start"], "recurrence start", ("parameter",))
    start_year = ctx.name(f["start_year"], "recurrence start_year", ("parameter",), "int")
    previous = ctx.name(f["previous"], "recurrence previous", ("input",), ("int", "frac"))
    nxt = ctx.name(f["next"], "recurrence next", ("definition",), ("int", "frac"))
    exact = ctx.name(f["exact"], "recurrence exact", ("definition",), ("int", "frac")) if "exact" in f else None
    for name, node_ in ((start, f["start"]), (nxt, f["next"])):
        if ctx.names[name].kind != ctx.names[target].kind:
            raise SchemaError(f"the recurrence's {name!r} is {ctx.names[name]}, but {target!r} is "
                              f"{ctx.names[target]}", node_.span, "start and next must have the input's type")
    g = fields(f["index"], "a recurrence index", required=("input", "file", "name"))
    index_input = ctx.name(g["input"], "index input", ("input",), "frac")
    alts = []
    if "alternatives" in f:
        for kind, a in expect(f["alternatives"], dict, "alternatives").items():
            if kind not in ALTERNATIVES:
                raise SchemaError(f"unknown alternative {kind!r}", getattr(a, "key_span", a.span),
                                  did_you_mean(kind, ALTERNATIVES) or expected_one_of(ALTERNATIVES))
            h = fields(a, f"the alternative {kind!r}", required=("reading",), optional=("help", "default"))
            choices = ALTERNATIVES[kind]
            if "default" in h:
                d = expect(h["default"], str, "default")
                if d not in choices:
                    raise SchemaError(f"{d!r} is not a choice of {kind!r}", h["default"].span, expected_one_of(choices))
                choices = (d, *(c for c in choices if c != d))
            if kind == "rounding" and exact is None:
                raise SchemaError("the alternative 'rounding' needs the recurrence's 'exact' definition",
                                  getattr(a, "key_span", a.span), "add 'exact: NAME' (the next value unrounded)")
            alts.append(Alternative(kind, choices, ctx.reading_ref(h["reading"]), text_field(h.get("help"), "help")))
    return Recurrence(year, start, start_year, previous, nxt, exact, index_input,
                      project_file(g["file"], "index file"), expect(g["name"], str, "index name"),
                      tuple(alts), node.span)


def read_input(name: str, node: Node, ctx, taken: dict[str, Span], members_enum: str | None) -> InputSpec:
    f = fields(node, f"the input {name!r} of a computation",
               optional=("option", "required", "default", "help", "value", "data", "file", "at", "doubts",
                         "recurrence"))
    t = ctx.names[name]
    span = node.span
    if "value" in f:
        if len(f) > 1:
            raise SchemaError(f"the input {name!r} has a fixed value and other keys", span, "keep only 'value'")
        value = in_range(ctx, name, parse_value(f["value"], t, ctx.enums, f"value of {name}"), f["value"], "the value")
        return InputSpec(name, fixed=True, value=value, span=span)
    if "data" in f:
        kind = expect(f["data"], str, "data")
        if kind not in DATA_KINDS:
            raise SchemaError(f"unknown data kind {kind!r}", f["data"].span, expected_one_of(DATA_KINDS))
        for k in ("file", "at"):
            if k not in f:
                raise SchemaError(f"the data input {name!r} has no {k!r}", span, f"add '{k}: …'")
        if t.kind != "map" or (members_enum and t.enum != members_enum) or t.elem.kind != "int":
            raise SchemaError(f"the input {name!r} is {t}; population data fills a map over the parties' "
                              f"members ({members_enum or 'the members table'}) of whole numbers", f["data"].span,
                              "read population data into an input of type {map: <member enum>, of: int}")
        at = ctx.name(f["at"], "data date", ("definition",), "date")
        doubts = project_file(f["doubts"], "doubts") if "doubts" in f else None
        return InputSpec(name, data=DataSource(kind, project_file(f["file"], "file"), at, doubts), span=span)
    if "option" not in f:
        raise SchemaError(f"the input {name!r} has neither 'option', 'value' nor 'data'", span,
                          "say where the value comes from")
    flag = option_flag(f["option"], taken)
    if t.kind not in ("int", "frac", "date", "bool", "enum"):
        raise SchemaError(f"the input {name!r} is {t}, which cannot be given as an option", f["option"].span,
                          "give maps with 'data' or a fixed 'value'")
    default = ctx.name(f["default"], "default", ("input",)) if "default" in f else None
    if default is not None and ctx.names[default] != t:
        raise SchemaError(f"the default {default!r} is {ctx.names[default]}, not {t}", f["default"].span)
    required = expect(f["required"], bool, "required") if "required" in f else False
    rec = read_recurrence(f["recurrence"], ctx, name) if "recurrence" in f else None
    return InputSpec(name, option=Option(flag, required, default, text_field(f.get("help"), "help")), recurrence=rec,
                     span=span)


def read_shown(node: Node, ctx, member: str | None, what: str) -> Shown:
    f = fields(node, what, required=("key", "value"),
               optional=("label", "when_given", "when", "unless", "format", "total", "in", "csv"))
    key = expect(f["key"], str, "key")
    if not NAME_RE.match(key):
        raise SchemaError(f"key {key!r} is not an ASCII snake_case name", f["key"].span, "e.g. 'period_start'")
    value = ctx.name(f["value"], "shown value", ("input", "parameter", "definition"))
    t = ctx.names[value]
    if member is not None and (t.kind != "map" or t.enum != member):
        raise SchemaError(f"the column {value!r} is {t}, not a map over the parties' members ({member})",
                          f["value"].span, "a column shows one value per member: a definition per(k in …, …)")
    when = ctx.name(f["when_given"], "when_given", ("input",)) if "when_given" in f else None
    conds = {c: ctx.name(f[c], c, ("input", "definition"), "bool") if c in f else None for c in ("when", "unless")}
    fmt = expect(f["format"], str, "format") if "format" in f else None
    if fmt is not None and fmt != "percent":
        raise SchemaError(f"unknown format {fmt!r}", f["format"].span, "the only format is 'percent'")
    total = "none"
    if "total" in f:
        raw = f["total"].value
        if not (isinstance(raw, bool) or raw == "table"):
            raise SchemaError(f"total {describe(raw)} is not true, false or 'table'", f["total"].span,
                              "true: summed in every format; 'table': only in the table; false: not summed")
        total = TOTALS[raw]
        elem = t.elem if member is not None else t
        while elem.kind == "map":
            elem = elem.elem
        if total != "none" and not elem.numeric:
            raise SchemaError(f"{value!r} has no numbers to total", f["total"].span, "remove 'total'")
    formats = FORMATS
    if "in" in f:
        formats = tuple(expect(x, str, "format") for x in expect(f["in"], list, "in"))
        bad = [x for x in formats if x not in FORMATS]
        if bad:
            raise SchemaError(f"unknown output format {bad[0]!r}", f["in"].span, expected_one_of(FORMATS))
    inner = ("n", "label")
    hint = "a label or csv name may use {n} (the inner key's position) and {label} (its label)"
    label = slots_field(f.get("label"), "label", inner, hint, key)
    return Shown(key, value, label, when, fmt, total, formats, slots_field(f.get("csv"), "csv", inner, hint) or None,
                 node.span, conds["when"], conds["unless"])


def read_members(node: Node, ctx, member: str | None) -> Members:
    f = fields(node, "members", required=("key", "name_key", "label", "columns"))
    if member is None:
        raise SchemaError("the first column of a members table must be a map over the parties' members",
                          node.span, "name a definition or input of type {map: <member enum>, of: …}")
    cols = tuple(read_shown(c, ctx, member, "a column") for c in expect(f["columns"], list, "columns"))
    unique_keys([c.key for c in cols], [c.span for c in cols])
    return Members(expect(f["key"], str, "key"), expect(f["name_key"], str, "name_key"),
                   expect(f["label"], str, "label"), cols, member, node.span)


def unique_keys(keys: list[str], spans: list[Span]) -> None:
    seen: dict[str, Span] = {}
    for k, s in zip(keys, spans):
        if k in seen:
            raise SchemaError(f"the key {k!r} is shown twice (first at line {seen[k].line})", s)
        seen[k] = s
