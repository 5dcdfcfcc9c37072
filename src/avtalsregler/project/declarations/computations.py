"""``computations:`` — what users compute with ``avtalsregler compute NAME``.

A map from a computation's name (ASCII snake_case, the CLI's sub-command) to its declaration::

    computations:
      period:
        help: "the period containing a date, …"       # one line for --help (English)
        label: "perioden som en dag ligger i, …"      # optional; one Swedish line for the list
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
          - {key: period_end, value: periodslut, label: "…", when: galler}   # only when bool 'galler'
          - {key: ended, value: slutdag, label: "…", unless: galler}        # … only when it is false
        about: {input: fraga_dag, unit: day}           # the day (or year: unit year) it is about:
                                                       # picks the version in force; transition:
                                                       # a reading for a change inside a year
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

from avtalsregler.errors import SchemaError, Span
from avtalsregler.project.declarations.computation_model import (JSON_KEYS, NAME_RE, ROW_KEYS, About, AboutPeriod,
                                                                 Computation, Computations, InputSpec, Members, Shown)
from avtalsregler.project.declarations.computation_parts import (in_range, read_input, read_members, read_shown,
                                                                 slots_field, text_field, unique_keys)
from avtalsregler.project.source import Node, expect, fields

__all__ = ["Computation", "Computations", "InputSpec", "Members", "Shown", "in_range", "parse"]


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


def _computation(name: str, node: Node, ctx, members_enum: str | None) -> Computation:
    f = fields(node, f"the computation {name!r}", required=("help", "inputs"),
               optional=("title", "show", "members", "about", "label"))
    taken: dict[str, Span] = {}
    inputs: dict[str, InputSpec] = {}
    for iname, inode in expect(f["inputs"], dict, "inputs").items():
        ctx.name(Node(iname, getattr(inode, "key_span", inode.span)), "computation input", ("input",))
        inputs[iname] = read_input(iname, inode, ctx, taken, members_enum)
    show = tuple(read_shown(s, ctx, None, "a shown value") for s in expect(f["show"], list, "show")) if "show" in f else ()
    members = read_members(f["members"], ctx, members_enum) if "members" in f else None
    shown = [*show, *(members.columns if members else ())]
    if not shown:
        raise SchemaError(f"the computation {name!r} shows nothing", node.span, "add 'show:' or 'members:'")
    unique_keys([s.key for s in show], [s.span for s in show])
    _no_clash(show, members)
    # every input that a shown value or a data date reads must be declared
    needs: dict[str, Span] = {}
    for s in shown:
        for n in ctx.needed({s.value}):
            needs.setdefault(n, s.span)
    for spec in inputs.values():
        extra = [spec.data.at] if spec.data else []
        if spec.recurrence:
            extra += [spec.recurrence.next, spec.recurrence.year]
        for e in extra:
            for n in ctx.needed({e}):
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
    help_ = text_field(f["help"], "help")
    title = slots_field(f.get("title"), "title", list(ctx.names), "write {name} with a name of the rule") or None
    about = _about(f["about"], inputs, ctx) if "about" in f else None
    label = text_field(f["label"], "label") if "label" in f else None
    return Computation(name, ctx.clause, help_, title, inputs, show, members, node.span, about, label)


UNITS = ("day", "year")


def _about(node: Node, inputs: dict[str, InputSpec], ctx) -> About:
    """``about: {input: NAME, unit: day|year, transition: READING}``: see :class:`About`."""
    g = fields(node, "about", required=("input", "unit"), optional=("transition", "period"))
    name = expect(g["input"], str, "about: input")
    if name not in inputs or inputs[name].option is None:
        raise SchemaError(f"about names {name!r}, which is not an option input of the computation",
                          g["input"].span, "name the input given as the command's --year or --date option")
    unit = expect(g["unit"], str, "about: unit")
    if unit not in UNITS:
        raise SchemaError(f"about: unit {unit!r} is unknown", g["unit"].span, "expected one of: " + ", ".join(UNITS))
    tr = ctx.reading_ref(g["transition"]) if "transition" in g else None
    return About(name, unit, tr, node.span, _period(g["period"], inputs, ctx) if "period" in g else None)


PERIOD_ALTERNATIVES = ("first-day", "last-day")


def _period(node: Node, inputs: dict[str, InputSpec], ctx) -> AboutPeriod:
    """``period: {first: NAME, last: NAME, when_given: INPUT, transition: READING, chosen: ALT}``."""
    g = fields(node, "about: period", required=("first", "last", "when_given", "transition", "chosen"))
    first, last = (ctx.name(g[k], f"about: period: {k}", ("input", "parameter", "definition"), "date")
                   for k in ("first", "last"))
    given = expect(g["when_given"], str, "about: period: when_given")
    if given not in inputs or inputs[given].option is None:
        raise SchemaError(f"about: period: when_given names {given!r}, which is not an option input of the "
                          "computation", g["when_given"].span, "name the input whose option asks about the period")
    chosen = expect(g["chosen"], str, "about: period: chosen")
    if chosen not in PERIOD_ALTERNATIVES:
        raise SchemaError(f"about: period: chosen {chosen!r} is not an alternative", g["chosen"].span,
                          "expected one of: " + ", ".join(PERIOD_ALTERNATIVES))
    return AboutPeriod(first, last, given, ctx.reading_ref(g["transition"]), chosen, node.span)


def parse(node: Node, ctx) -> Computations:
    expect(node, dict, "computations")
    items = []
    for name, c in node.items():
        if not NAME_RE.match(name):
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
