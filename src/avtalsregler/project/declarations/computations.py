"""``computations:`` — what users compute with ``avtalsregler compute NAME``.

A map from a computation's name (ASCII snake_case, the CLI's sub-command) to its declaration::

    computations:
      period:
        help: "the period containing a date, …"       # one line for --help (English)
        title: "Period {fraga_dag}"                       # optional heading of the table (Swedish);
                                                       # {name} is a shown value or input, formatted
        inputs:                                        # every input the shown values read
          fraga_dag: {option: date, required: true, help: "the day asked about"}
          upplyst: {option: notice, default: fraga_dag, help: "…"}    # default: another input's value
          nummer: {value: 0}                        # a fixed value (a literal of the input's type)
          invanare:                                  # a map over the parties' member enumeration
            data: population                           # read from a per-member CSV file (--population)
            file: data/population.csv                  # default file, relative to the project root
            at: rakningsdag                         # date definition: the day the figures must have
            doubts: data/doubts.yaml        # optional: known doubts about stated figures
          belopp:
            option: annual-amount                      # given on the command line, or else …
            recurrence:                                # … computed year by year
              year: ar                      # int input: the last year
              start: basbelopp                       # parameter: the value at start_year
              start_year: basar                  # int parameter
              previous: forra_belopp           # input that takes the previous year's value
              next: nasta_belopp                # definition: the next year's value
              exact: nasta_exakt                   # optional definition: the next value unrounded
              index: {input: andring, file: data/index.yaml, name: KPI}   # yearly data (--index)
              alternatives:                            # readings the user may choose (engine kinds)
                vintage: {reading: R-prognos, help: "…"}      # before-year | latest
                chain: {reading: R-kedja, help: "…"}          # chained | simple
                rounding: {reading: R-avrundning, help: "…"}  # yearly | once (needs exact)
        show:                                          # single values, in this order
          - {key: date, value: fraga_dag, label: dag}
          - {key: ends_on, value: slutdag, label: "…", when_given: upplyst}
        members:                                       # a table: one row per member of the parties
          key: members                          # JSON key of the rows
          name_key: member                       # JSON/CSV key of a row's name
          label: Part                                # table heading of the name column
          columns:                                     # each a map over the member enumeration
            - {key: population, value: invanare, label: Befolkning, total: true}
            - {key: population_share, value: andel, label: Andel, format: percent, total: table}
            - {key: exact_share_ore, value: exakt, in: [json]}
            - {key: quarters_ore, value: fakturor, label: "Kvartal {n}", csv: "q{n}_ore", total: true}

A shown ``value`` is any input or definition of the rule; a column's value must be a map over the
parties' member enumeration (its values may be maps again: one table column per key, headed by
``label`` with ``{n}`` the key's position and ``{label}`` its label). Nothing assumes the weights
of a split are an input: a column is just a definition. ``total``: ``true`` (sum in every
format), ``table`` (only in the table) or ``false``. ``in``: the formats that show a column
(``table``, ``json``, ``csv``; default all). ``format: percent`` shows a fraction as a
percentage in the table. Options are English ASCII (``--year``); ``--format``, ``--explain`` and
one option per data kind (``--population``, ``--index``) are added by the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.project.source import Node, describe, expect, fields
from avtalsregler.project.values import parse_value

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FLAG = re.compile(r"^[a-z][a-z0-9-]*$")
RESERVED_FLAGS = ("format", "explain", "population", "index", "help", "root")
DATA_KINDS = ("population",)
ALTERNATIVES = {"vintage": ("before-year", "latest"), "chain": ("chained", "simple"), "rounding": ("yearly", "once")}
FORMATS = ("table", "json", "csv")
TOTALS = {True: "all", False: "none", "table": "table"}
JSON_KEYS = ("clause", "computation", "inputs", "readings", "warnings", "fictitious", "fictitious_notes",
             "due_dates", "totals", "explain")     # the engine's own keys of `compute --format json`
ROW_KEYS = ("id", "code")                          # … and of every members row (with name_key, KEY_source)


@dataclass(frozen=True)
class Option:
    flag: str                       # without the dashes
    required: bool
    default: str | None             # another input whose value is the default
    help: str


@dataclass(frozen=True)
class DataSource:
    kind: str                       # "population"
    file: str
    at: str                         # date definition
    doubts: str | None


@dataclass(frozen=True)
class Alternative:
    kind: str                       # vintage | chain | rounding
    choices: tuple[str, ...]        # the first is the default
    reading: str | None
    help: str


@dataclass(frozen=True)
class Recurrence:
    year: str
    start: str
    start_year: str
    previous: str
    next: str
    exact: str | None
    index_input: str
    index_file: str
    index_name: str
    alternatives: tuple[Alternative, ...]
    span: Span

    def alternative(self, kind: str) -> Alternative | None:
        return next((a for a in self.alternatives if a.kind == kind), None)


@dataclass(frozen=True)
class InputSpec:
    name: str
    option: Option | None = None
    fixed: bool = False
    value: Any = None
    data: DataSource | None = None
    recurrence: Recurrence | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Shown:
    key: str
    value: str
    label: str
    when_given: str | None = None
    format: str | None = None
    total: str = "none"             # all | table | none
    formats: tuple[str, ...] = FORMATS
    csv: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Members:
    key: str
    name_key: str
    label: str
    columns: tuple[Shown, ...]
    enum: str                       # checked against the parties' member enumeration when run
    span: Span | None = None


@dataclass(frozen=True)
class Computation:
    name: str
    clause: str
    help: str
    title: str | None
    inputs: dict[str, InputSpec]
    show: tuple[Shown, ...]
    members: Members | None
    span: Span

    def options(self) -> list[InputSpec]:
        return [i for i in self.inputs.values() if i.option is not None]


@dataclass(frozen=True)
class Computations:
    items: tuple[Computation, ...]

    def get(self, name: str) -> Computation | None:
        return next((c for c in self.items if c.name == name), None)


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


def _text(node: Node | None, what: str, default: str = "") -> str:
    return default if node is None else expect(node, str, what).strip()


_SLOT = re.compile(r"\{([^{}]*)\}")


def _slots(node: Node | None, what: str, allowed, hint: str, default: str = "") -> str:
    """A text whose ``{slot}``s are each one of ``allowed`` and that has no other braces (the
    slots are filled by plain replacement, so anything else would be shown as it is)."""
    text = _text(node, what, default)
    for slot in _SLOT.findall(text):
        if slot not in allowed:
            raise SchemaError(f"{what} has the slot {{{slot}}}, which is not one of its names", node.span,
                              did_you_mean(slot, allowed) or hint)
    if re.search(r"[{}]", _SLOT.sub("", text)):
        raise SchemaError(f"{what} has a brace that is not a slot", node.span, hint)
    return text


def _project_file(node: Node, what: str) -> str:
    """A path inside the project folder: relative, without '..' (a rule names the project's own files)."""
    path = expect(node, str, what)
    parts = path.replace("\\", "/").split("/")
    if not path.strip() or path.startswith(("/", "~")) or ":" in parts[0] or ".." in parts:
        raise SchemaError(f"{what} {path!r} is not a path inside the project", node.span,
                          "write it relative to the project folder, e.g. 'data/population.csv'")
    return path


def _flag(node: Node, taken: dict[str, Span]) -> str:
    flag = expect(node, str, "option")
    if not _FLAG.match(flag):
        raise SchemaError(f"option {flag!r} is not a lower-case ASCII flag name", node.span, "e.g. 'year' or 'annual-amount'")
    if flag in RESERVED_FLAGS or flag in ALTERNATIVES:
        raise SchemaError(f"option {flag!r} is reserved by the engine", node.span,
                          "choose another name; reserved: " + ", ".join(RESERVED_FLAGS + tuple(ALTERNATIVES)))
    if flag in taken:
        raise SchemaError(f"option {flag!r} is given twice (first at line {taken[flag].line})", node.span)
    taken[flag] = node.span
    return flag


def _recurrence(node: Node, ctx, target: str) -> Recurrence:
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
            alts.append(Alternative(kind, choices, ctx.reading_ref(h["reading"]), _text(h.get("help"), "help")))
    return Recurrence(year, start, start_year, previous, nxt, exact, index_input,
                      _project_file(g["file"], "index file"), expect(g["name"], str, "index name"),
                      tuple(alts), node.span)


def _input(name: str, node: Node, ctx, taken: dict[str, Span], members_enum: str | None) -> InputSpec:
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
        doubts = _project_file(f["doubts"], "doubts") if "doubts" in f else None
        return InputSpec(name, data=DataSource(kind, _project_file(f["file"], "file"), at, doubts), span=span)
    if "option" not in f:
        raise SchemaError(f"the input {name!r} has neither 'option', 'value' nor 'data'", span,
                          "say where the value comes from")
    flag = _flag(f["option"], taken)
    if t.kind not in ("int", "frac", "date", "bool", "enum"):
        raise SchemaError(f"the input {name!r} is {t}, which cannot be given as an option", f["option"].span,
                          "give maps with 'data' or a fixed 'value'")
    default = ctx.name(f["default"], "default", ("input",)) if "default" in f else None
    if default is not None and ctx.names[default] != t:
        raise SchemaError(f"the default {default!r} is {ctx.names[default]}, not {t}", f["default"].span)
    required = expect(f["required"], bool, "required") if "required" in f else False
    rec = _recurrence(f["recurrence"], ctx, name) if "recurrence" in f else None
    return InputSpec(name, option=Option(flag, required, default, _text(f.get("help"), "help")), recurrence=rec,
                     span=span)


def _shown(node: Node, ctx, member: str | None, what: str) -> Shown:
    f = fields(node, what, required=("key", "value"),
               optional=("label", "when_given", "format", "total", "in", "csv"))
    key = expect(f["key"], str, "key")
    if not _NAME.match(key):
        raise SchemaError(f"key {key!r} is not an ASCII snake_case name", f["key"].span, "e.g. 'period_start'")
    value = ctx.name(f["value"], "shown value", ("input", "parameter", "definition"))
    t = ctx.names[value]
    if member is not None and (t.kind != "map" or t.enum != member):
        raise SchemaError(f"the column {value!r} is {t}, not a map over the parties' members ({member})",
                          f["value"].span, "a column shows one value per member: a definition per(k in …, …)")
    when = ctx.name(f["when_given"], "when_given", ("input",)) if "when_given" in f else None
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
    label = _slots(f.get("label"), "label", inner, hint, key)
    return Shown(key, value, label, when, fmt, total, formats, _slots(f.get("csv"), "csv", inner, hint) or None,
                 node.span)


def _members(node: Node, ctx, member: str | None) -> Members:
    f = fields(node, "members", required=("key", "name_key", "label", "columns"))
    if member is None:
        raise SchemaError("the first column of a members table must be a map over the parties' members",
                          node.span, "name a definition or input of type {map: <member enum>, of: …}")
    cols = tuple(_shown(c, ctx, member, "a column") for c in expect(f["columns"], list, "columns"))
    _unique([c.key for c in cols], [c.span for c in cols])
    return Members(expect(f["key"], str, "key"), expect(f["name_key"], str, "name_key"),
                   expect(f["label"], str, "label"), cols, member, node.span)


def _unique(keys: list[str], spans: list[Span]) -> None:
    seen: dict[str, Span] = {}
    for k, s in zip(keys, spans):
        if k in seen:
            raise SchemaError(f"the key {k!r} is shown twice (first at line {seen[k].line})", s)
        seen[k] = s


def _no_clash(show: tuple[Shown, ...], members: Members | None) -> None:
    """No key of the JSON output stands for two things (one would silently replace the other)."""
    taken = {k: "a key of the engine" for k in JSON_KEYS}
    if members is not None:
        if members.key in taken:
            raise SchemaError(f"the members key {members.key!r} is {taken[members.key]}", members.span,
                              "choose another key; taken: " + ", ".join(sorted(taken)))
        taken[members.key] = "the members table's key"
    for s in show:
        if s.key in taken:
            raise SchemaError(f"the key {s.key!r} is {taken[s.key]}", s.span,
                              "choose another key; taken: " + ", ".join(sorted(taken)))
    if members is None:
        return
    row = {k: "a key of the engine in every row" for k in ROW_KEYS}
    if members.name_key in row:
        raise SchemaError(f"the name_key {members.name_key!r} is {row[members.name_key]}", members.span,
                          "choose another key; taken: " + ", ".join(ROW_KEYS))
    row[members.name_key] = "the name_key of the members table"
    row |= {c.key + "_source": f"the source of the column {c.key!r}" for c in members.columns}
    for c in members.columns:
        if c.key in row:
            raise SchemaError(f"the column key {c.key!r} is {row[c.key]}", c.span,
                              "choose another key; taken: " + ", ".join(sorted(row)))


def _needed(ctx, name: str, seen: set | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    if name in ctx.inputs:
        return {name}
    d = ctx.definitions.get(name)
    out: set[str] = set()
    for dep in (d.expr.names() if d is not None else ()):
        out |= _needed(ctx, dep, seen)
    return out


def _computation(name: str, node: Node, ctx, members_enum: str | None) -> Computation:
    f = fields(node, f"the computation {name!r}", required=("help", "inputs"),
               optional=("title", "show", "members"))
    taken: dict[str, Span] = {}
    inputs: dict[str, InputSpec] = {}
    for iname, inode in expect(f["inputs"], dict, "inputs").items():
        ctx.name(Node(iname, getattr(inode, "key_span", inode.span)), "computation input", ("input",))
        inputs[iname] = _input(iname, inode, ctx, taken, members_enum)
    show = tuple(_shown(s, ctx, None, "a shown value") for s in expect(f["show"], list, "show")) if "show" in f else ()
    members = _members(f["members"], ctx, members_enum) if "members" in f else None
    shown = [*show, *(members.columns if members else ())]
    if not shown:
        raise SchemaError(f"the computation {name!r} shows nothing", node.span, "add 'show:' or 'members:'")
    _unique([s.key for s in show], [s.span for s in show])
    _no_clash(show, members)
    # every input that a shown value or a data date reads must be declared
    needs: dict[str, Span] = {}
    for s in shown:
        for n in _needed(ctx, s.value):
            needs.setdefault(n, s.span)
    for spec in inputs.values():
        extra = [spec.data.at] if spec.data else []
        if spec.recurrence:
            extra += [spec.recurrence.next, spec.recurrence.year]
        for e in extra:
            for n in _needed(ctx, e):
                needs.setdefault(n, spec.span)
    for n, sp in needs.items():
        rec = [i.recurrence for i in inputs.values() if i.recurrence]
        if n not in inputs and not any(n in (r.previous, r.index_input) for r in rec):
            raise SchemaError(f"the computation {name!r} shows a value that reads the input {n!r}, "
                              "which it does not declare", sp,
                              f"add '{n}:' under inputs with an option, a value or data")
    for spec in inputs.values():
        if spec.option and spec.option.default and spec.option.default not in inputs:
            raise SchemaError(f"the default {spec.option.default!r} is not an input of the computation",
                              spec.span, "declare it under inputs")
    help_ = _text(f["help"], "help")
    title = _slots(f.get("title"), "title", list(ctx.names), "write {name} with a name of the rule") or None
    return Computation(name, ctx.clause, help_, title, inputs, show, members, node.span)


def parse(node: Node, ctx) -> Computations:
    expect(node, dict, "computations")
    items = []
    for name, c in node.items():
        if not _NAME.match(name):
            raise SchemaError(f"computation name {name!r} is not an ASCII snake_case name",
                              getattr(c, "key_span", c.span), "e.g. 'ersattning'")
        items.append(_computation(name, c, ctx, _members_enum(c, ctx)))
    return Computations(tuple(items))


def _members_enum(node: Node, ctx) -> str | None:
    """The enumeration a computation's members table and population data are over: that of its
    first column (the application checks that it is the parties' member enumeration, which
    another rule declares)."""
    m = node.get("members") if node.is_map() else None
    cols = m.get("columns") if m is not None and m.is_map() else None
    if cols is None or not cols.is_list() or not cols.value or not cols.value[0].is_map():
        return None
    v = cols.value[0].get("value")
    t = ctx.names.get(v.value) if v is not None and isinstance(v.value, str) else None
    return t.enum if t is not None and t.kind == "map" else None
