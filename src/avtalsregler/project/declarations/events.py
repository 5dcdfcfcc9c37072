"""``events:`` — the dated events a rule sets, each computed by one of its date definitions.

The section is a mapping from an event id (ASCII, used in calendar UIDs) to its declaration;
one key, ``term``, is reserved for the agreement's validity (declared by at most one rule)::

    events:
      term:                                   # optional; at most one rule of a project
        first_day: start                      # date parameter/definition: the first day it applies
        last_day: day                         # date input (its max) or parameter: the last day covered
        periods: {for: nr, start: first_of_period, end: last_of_period}   # optional
        uid_domain: avtalsregler.example      # optional; the domain of every UID (default: a slug
                                              #   of the agreement's title + .avtalsregler.invalid)
        name: "Avtalet: datum"                # optional; the calendar's name
        product: "Avtalet"                    # optional; the product part of the iCalendar PRODID
        assumes: ingen part säger upp avtalet # optional; what the calendar takes for granted
      notice:
        kind: notice_deadline                 # period_start | period_end | notice_deadline | invoice |
                                              #   duty_deadline, or another ASCII kind
        date: notice_deadline_of_period       # a date (or map ENUM → date) definition or parameter
        for: {nr: count}                      # how the free inputs the event reads are iterated
        when: is_renewal                      # optional bool definition: the event exists only then
        unless: is_first                      # optional bool definition: … and not then
        title: "Sista dag att säga upp avtalet till {last_of_period}"
        detail: "… Påminnelser {event.alarms} dagar före."      # optional
        sentence: sX.1                        # or sentences: [sX.1, sX.2]
        reading: RX-notice                    # or readings: [...]; default: the date definition's
        alarms: [90, 30]                      # optional; reminders, days before
        uid: "notice_deadline-period-{nr}"    # optional; default "<id>-<iterated values>"
        duty: yearly_report                   # optional; the duty of this rule the event is due for
        category: "sista dag för uppsägning"  # optional; the Swedish category calendars show
                                              #   (default: the Swedish label of a standard kind)
        about: {first: …, last: …, transition: R…, chosen: first-day}   # optional, or covers:
                                              #   the period it is about (declarations/event_periods.py)

Iteration. Every input the date, the conditions and the templates read must be iterated:
``count`` goes 0 (or the input's min), 1, 2, … up to the input's max and stops at the first date
after the calendar's range (so the date must grow with the count; the spec should prove it);
``year`` takes every calendar year around the range (within the input's min–max); an input of an
enumeration type takes every member, without being listed. A date of type map ``ENUM → date``
gives one event per member of ``ENUM``.

Templates (``title``, ``detail``, ``uid``). ``{name}`` is the value of an input, parameter or
definition of the rule (or, for a map date, ``{ENUM}`` the member), checked when the rule is
loaded: dates ISO, enumeration members by label, money in kronor, other numbers plain, ``ja`` /
``nej``. ``{name|filter}``: ``lower``, ``lcfirst`` (first letter small), ``year`` (of a date),
``id`` (a member's id). ``{event.readings}`` (the readings with their status),
``{event.alarms}`` ("90 och 30"), ``{event.clause}`` and ``{enum.ENUM}`` (every label, comma
separated) are filled in by the calendar. A UID template may use only iterated names and
``{event.id}``/``{event.kind}``, without filters; its text must be ASCII letters, digits, ``._-``.
No other braces; nothing is evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.language.types import EnumType, Type, format_kr, show
from avtalsregler.project.declarations import event_periods
from avtalsregler.project.declarations.event_periods import EventPeriod
from avtalsregler.project.source import Node, expect, fields, text_of

KINDS = ("period_start", "period_end", "notice_deadline", "invoice", "duty_deadline")
KIND_LABELS = {"period_start": "period börjar", "invoice": "faktura", "notice_deadline": "sista dag för uppsägning",
               "duty_deadline": "sista dag för skyldighet", "period_end": "period slutar"}
MODES = ("count", "year")
FILTERS = ("lower", "lcfirst", "year", "id")
ENGINE_NAMES = ("event.readings", "event.alarms", "event.clause", "event.id", "event.kind")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_UID = re.compile(r"^[A-Za-z0-9._-]+$")
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)(?:\|([a-z_]+))?\}")
MAX_ALARM_DAYS = 3660                  # ten years: a reminder further ahead is a typing error
EVENT_KEYS = ("kind", "date", "for", "when", "unless", "title", "detail", "sentence", "sentences",
              "reading", "readings", "alarms", "uid", "duty", "category", "covers", "about")


@dataclass(frozen=True)
class Template:
    """Literal text and ``(name, filter)`` fields, in order."""

    parts: tuple[str | tuple[str, str | None], ...]
    source: str

    def names(self) -> set[str]:
        return {p[0] for p in self.parts if isinstance(p, tuple)}

    def render(self, values: dict[str, tuple[Any, Type]], extra: dict[str, str], enums: dict[str, EnumType],
               raw: bool = False) -> str:
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
            elif p[0] in extra:
                out.append(extra[p[0]])
            else:
                value, typ = values[p[0]]
                out.append(_raw(value) if raw else _format(value, typ, p[1], enums))
        return "".join(out)


def _raw(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _format(value: Any, typ: Type, flt: str | None, enums: dict[str, EnumType]) -> str:
    if flt == "year":
        return str(value.year)
    if flt == "id":
        return str(value)
    if typ.kind == "int":
        text = format_kr(value) if typ.is_money else str(value)
    else:
        text = show(value, typ, enums)
    if flt == "lower":
        return text.lower()
    if flt == "lcfirst":
        return text[:1].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    date: str
    key_enum: str | None                  # the enumeration of a map date (one event per member)
    iterate: tuple[tuple[str, str], ...]  # (input, count | year | enum)
    when: str | None
    unless: str | None
    title: Template
    detail: Template | None
    uid: Template
    sentences: tuple[str, ...]
    readings: tuple[str, ...]
    alarms: tuple[int, ...]
    duty: str | None
    names: tuple[str, ...]                # rule names the templates read
    span: Span
    label: str = ""                       # the declared Swedish category, if any
    period: EventPeriod | None = None     # the period it is about (covers/about), see event_periods

    @property
    def category(self) -> str:
        """The Swedish category calendars show: the declared one, else the standard kind's
        label, else the kind with spaces."""
        return self.label or KIND_LABELS.get(self.kind, self.kind.replace("_", " "))


@dataclass(frozen=True)
class Periods:
    input: str
    start: str
    end: str


@dataclass(frozen=True)
class Term:
    first_day: str
    last_day: str | None
    periods: Periods | None
    uid_domain: str | None
    name: str | None
    product: str | None
    assumes: str | None
    span: Span


@dataclass(frozen=True)
class Events:
    events: tuple[Event, ...]
    term: Term | None
    span: Span


def template(node: Node, what: str, allowed: set[str], ctx, uid: bool = False) -> Template:
    text = expect(node, str, what)
    parts: list = []
    pos = 0
    for m in _FIELD.finditer(text):
        parts.append(text[pos:m.start()])
        name, flt = m.group(1), m.group(2)
        if name.startswith("enum.") and not uid:
            if name[5:] not in ctx.enums:
                raise SchemaError(f"{what} names the enumeration {name[5:]!r}, which does not exist", node.span,
                                  did_you_mean(name[5:], ctx.enums) or expected_one_of(ctx.enums))
        elif name not in allowed and name not in ENGINE_NAMES:
            pool = sorted(allowed) + list(ENGINE_NAMES)
            raise SchemaError(f"{what} names {{{name}}}, which is not "
                              + ("an iterated input of the event" if uid else "a name of the rule"),
                              node.span, did_you_mean(name, pool) or expected_one_of(pool))
        if uid and (flt or name in ENGINE_NAMES[:3]):
            raise SchemaError(f"{what} may not use {m.group(0)}", node.span,
                              "a UID uses the iterated names as they are, e.g. 'invoice-{year}-{quarter}'")
        if flt is not None and flt not in FILTERS:
            raise SchemaError(f"unknown filter {flt!r} in {what}", node.span, did_you_mean(flt, FILTERS)
                              or expected_one_of(FILTERS))
        parts.append((name, flt))
        pos = m.end()
    parts.append(text[pos:])
    for lit in (p for p in parts if isinstance(p, str)):
        if "{" in lit or "}" in lit:
            raise SchemaError(f"{what} has a brace that is not a field {{name}} or {{name|filter}}", node.span,
                              "write {name} with a name of the rule, or leave braces out")
        if uid and lit and not _UID.match(lit):
            raise SchemaError(f"{what} may contain only ASCII letters, digits, '.', '_' and '-'", node.span,
                              "e.g. 'notice_deadline-period-{nr}'")
    return Template(tuple(p for p in parts if p != ""), text)


def _ids(f: dict, one: str, many: str, ref, what: str) -> tuple[str, ...]:
    if one in f and many in f:
        raise SchemaError(f"give '{one}' or '{many}', not both", f[many].span, f"list every {what} under '{many}'")
    if one in f:
        return (ref(f[one]),)
    return tuple(ref(n) for n in expect(f[many], list, many)) if many in f else ()


def _event(eid: str, node: Node, ctx) -> Event:
    f = fields(node, f"event {eid!r}", required=("kind", "date", "title"), optional=EVENT_KEYS)
    kind = expect(f["kind"], str, "kind")
    if not _ID.match(kind):
        raise SchemaError(f"the kind {kind!r} is not an ASCII snake_case name", f["kind"].span,
                          "e.g. " + ", ".join(KINDS))
    date = ctx.name(f["date"], "the date", ("parameter", "definition"))
    t = ctx.names[date]
    key_enum = t.enum if t.kind == "map" and t.elem is not None and t.elem.kind == "date" else None
    if t.kind != "date" and key_enum is None:
        raise SchemaError(f"the date {date!r} is {t}, not a date", f["date"].span,
                          "name a definition of type date (or a map over an enumeration of dates)")
    when = ctx.name(f["when"], "when", ("definition",), "bool") if "when" in f else None
    unless = ctx.name(f["unless"], "unless", ("definition",), "bool") if "unless" in f else None
    modes: dict[str, str] = {}
    for name, mode in (expect(f["for"], dict, "for").items() if "for" in f else []):
        ctx.name(Node(name, getattr(mode, "key_span", mode.span)), "an iterated input", ("input",), "int")
        m = expect(mode, str, f"how {name!r} is iterated")
        if m not in MODES:
            raise SchemaError(f"unknown iteration {m!r} for {name!r}", mode.span,
                              did_you_mean(m, MODES) or expected_one_of(MODES))
        modes[name] = m
    allowed = set(ctx.names) | ({key_enum} if key_enum else set())
    title = template(f["title"], "the title", allowed, ctx)
    detail = template(f["detail"], "the detail", allowed, ctx) if "detail" in f else None
    shown = (title.names() | (detail.names() if detail else set())) - set(ENGINE_NAMES) - {key_enum}
    shown = {n for n in shown if not n.startswith("enum.")}
    for n in shown:
        if ctx.names[n].kind == "map":
            raise SchemaError(f"{{{n}}} is a map ({ctx.names[n]}); a template shows single values", f["title"].span,
                              "show a definition with one value")
    if "covers" in f and "about" in f:
        raise SchemaError(f"event {eid!r} gives both 'covers' and 'about'", f["about"].span,
                          "'covers' for periods that follow one another (invoices), 'about' for a deadline's period")
    key = "covers" if "covers" in f else "about" if "about" in f else None
    period = event_periods.parse(key, f[key], date, ctx) if key else None
    reads = ctx.needed({date, *(x for x in (when, unless) if x), *shown,
                        *((n for n in (period.first, period.last) if n) if period else ())})
    iterate: list[tuple[str, str]] = []
    for name in sorted(reads):
        if name in modes:
            iterate.append((name, modes[name]))
        elif ctx.inputs[name].type.kind == "enum":
            iterate.append((name, "enum"))
        else:
            raise SchemaError(f"event {eid!r} reads the input {name!r}, which is not iterated", f["date"].span,
                              f"add 'for: {{{name}: count}}' (0, 1, 2, …) or 'for: {{{name}: year}}'")
    if sum(1 for _, m in iterate if m == "count") > 1:
        raise SchemaError(f"event {eid!r} counts more than one input", f["for"].span,
                          "count one input (0, 1, 2, …); iterate the others by 'year' or by an enumeration")
    for name in modes:
        if name not in reads:
            raise SchemaError(f"event {eid!r} iterates {name!r}, which its date does not read", f["for"].span,
                              "iterate only the inputs the date depends on")
    iterated = {n for n, _ in iterate} | ({key_enum} if key_enum else set())
    if "uid" in f:
        uid = template(f["uid"], "the uid", iterated, ctx, uid=True)
        missing = iterated - uid.names()
        if missing:
            raise SchemaError(f"the uid does not name {', '.join(sorted(missing))}", f["uid"].span,
                              "every iterated value must be in the UID, or two events share it")
    else:
        uid = Template(tuple([eid] + [x for n in sorted(iterated) for x in ("-", (n, None))]), eid)
    sentences = _ids(f, "sentence", "sentences", ctx.sentence_ref, "sentence")
    if not sentences:
        raise SchemaError(f"event {eid!r} names no sentence", node.span, "add 'sentence: <id>' (the text it comes from)")
    readings = _ids(f, "reading", "readings", ctx.reading_ref, "reading")
    if not readings and ctx.definitions.get(date) is not None and ctx.definitions[date].reading:
        readings = (ctx.definitions[date].reading,)
    alarms = []
    for a in (expect(f["alarms"], list, "alarms") if "alarms" in f else []):
        days = expect(a, int, "an alarm")
        if isinstance(days, bool) or not 0 < days <= MAX_ALARM_DAYS:
            raise SchemaError(f"an alarm must be a positive number of days up to {MAX_ALARM_DAYS}, not {days!r}",
                              a.span, "e.g. [90, 30]")
        alarms.append(days)
    duty = text_of(f.get("duty"), "duty")
    if duty is not None and not _ID.match(duty):
        raise SchemaError(f"the duty {duty!r} is not an ASCII snake_case name", f["duty"].span,
                          "name a duty under 'duties' of this rule")
    if duty is not None and duty not in ctx.duties:
        raise SchemaError(f"the duty {duty!r} is not a duty of {ctx.clause}", f["duty"].span,
                          did_you_mean(duty, ctx.duties) or "name a duty under 'duties' of this rule, or leave 'duty' out")
    label = text_of(f.get("category"), "category") or ""
    if "{" in label or "}" in label:
        raise SchemaError("a category is plain text, without braces", f["category"].span, 'e.g. "faktura"')
    return Event(eid, kind, date, key_enum, tuple(iterate), when, unless, title, detail, uid, sentences,
                 readings, tuple(alarms), duty, tuple(sorted(shown)), node.span, label, period)


def _term(node: Node, ctx) -> Term:
    f = fields(node, "the term", required=("first_day",),
               optional=("last_day", "periods", "uid_domain", "name", "product", "assumes"))
    first = ctx.name(f["first_day"], "first_day", ("parameter", "definition"), "date")
    if ctx.needed({first}):
        raise SchemaError(f"first_day {first!r} depends on inputs", f["first_day"].span,
                          "name a date the rule fixes (a parameter, or a definition of parameters)")
    last = ctx.name(f["last_day"], "last_day", ("input", "parameter"), "date") if "last_day" in f else None
    if last in ctx.inputs and ctx.inputs[last].high is None:
        raise SchemaError(f"the input {last!r} has no max", f["last_day"].span, "give the input a 'max:'")
    periods = None
    if "periods" in f:
        p = fields(f["periods"], "periods", required=("for", "start", "end"))
        nr = ctx.name(p["for"], "periods for", ("input",), "int")
        start = ctx.name(p["start"], "periods start", ("definition",), "date")
        end = ctx.name(p["end"], "periods end", ("definition",), "date")
        for n, k in ((start, "start"), (end, "end")):
            if ctx.needed({n}) != {nr}:
                raise SchemaError(f"periods {k} {n!r} must depend on {nr!r} alone", p[k].span,
                                  f"name the date of period number {nr}")
        periods = Periods(nr, start, end)
    domain = text_of(f.get("uid_domain"), "uid_domain")
    if domain is not None and not _DOMAIN.match(domain):
        raise SchemaError(f"uid_domain {domain!r} is not a lower-case domain name", f["uid_domain"].span,
                          "e.g. 'avtalsregler.example'")
    return Term(first, last, periods, domain, _line(f.get("name"), "name"), _line(f.get("product"), "product"),
                _line(f.get("assumes"), "assumes"), node.span)


def _line(node: Node | None, what: str) -> str | None:
    """A text the calendar writes into one iCalendar line: no line breaks or other control characters."""
    text = text_of(node, what)
    if text is not None and any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise SchemaError(f"{what} {text!r} has a line break or another control character", node.span,
                          "write it on one line (a folded YAML '>' block ends with a line break: use '>-')")
    return text


def parse(node: Node, ctx) -> Events:
    expect(node, dict, "events")
    out: list[Event] = []
    term = None
    for eid, child in node.items():
        if eid == "term":
            term = _term(child, ctx)
            continue
        if not _ID.match(eid):
            raise SchemaError(f"the event id {eid!r} is not an ASCII snake_case name",
                              getattr(child, "key_span", child.span), "e.g. 'notice_deadline'")
        out.append(_event(eid, child, ctx))
    return Events(tuple(out), term, node.span)
