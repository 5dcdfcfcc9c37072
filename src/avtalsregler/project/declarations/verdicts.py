"""``verdicts:`` — how one instance of a duty is judged (declared by one rule of a project).

`avtalsregler compliance` turns every duty of the rules and a log of events into instances (a
year of a yearly duty, one request, …) and judges each with the declaring rule's definitions::

    verdicts:
      inputs:                      # the rule's inputs the engine fills for each instance
        applies: galler                  # bool: the duty applies (always true for an instance)
        start: startdag                  # date: the day the duty arose
        has_deadline: fristen_finns      # bool: a deadline is set
        deadline_days: antal_dagar       # int (days): the deadline, counted from start
        event_found: gjort               # bool: the log has a fulfilling event
        event_date: gjort_dag            # date: its day
        assessed_on: per_dag             # date: the last day assessed
      due: sista_dag               # date definition: the deadline's day
      outcomes:                    # exactly one holds for every input (the spec proves it)
        - id: uppfylld
          label: uppfylld
          when: i_tid
          why: "{event} {event_date}, senast {due}"
          why_without_deadline: "{event} {event_date}, ingen frist"
        - {id: sen, label: sen, when: for_sent, finding: true, why: "…"}
      recorded_only: [tvist_inledd]   # event kinds a log may record that no duty judges

``why`` texts are templates over a fixed vocabulary: ``{event}`` (the fulfilling event's kind),
``{event_date}``, ``{due}``, ``{start}``, ``{assessed_on}``, ``{expected}`` (the event kind that
would fulfil the duty), ``{none_found}`` ("ingen …": none of it was found). Event kinds show by
the duty's Swedish ``label`` / ``none_label`` where it declares them. An outcome with ``finding: true`` makes `compliance` exit 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from avtalsregler.errors import SchemaError, Span, expected_one_of
from avtalsregler.project.source import Node, expect, fields, text_of

ROLES = {"applies": "bool", "start": "date", "has_deadline": "bool", "deadline_days": "int",
         "event_found": "bool", "event_date": "date", "assessed_on": "date"}
WORDS = ("event", "event_date", "due", "start", "assessed_on", "expected", "none_found")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SLOT = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str
    when: str
    finding: bool
    why: str
    why_without_deadline: str


@dataclass(frozen=True)
class Verdicts:
    inputs: dict            # role → input name
    due: str
    outcomes: tuple[Outcome, ...]
    recorded_only: tuple[str, ...]
    span: Span

    def labels(self) -> dict[str, str]:
        return {o.id: o.label for o in self.outcomes}


def fill(template: str, words: dict[str, str]) -> str:
    """Put the words into a template checked by :func:`_template` (unknown slots are kept)."""
    return _SLOT.sub(lambda m: words.get(m.group(1), m.group(0)), template)


def _template(node: Node | None, what: str) -> str:
    if node is None:
        return ""
    text = expect(node, str, what)
    for slot in _SLOT.findall(text):
        if slot not in WORDS:
            raise SchemaError(f"{what} has an unknown slot {{{slot}}}", node.span, expected_one_of(WORDS))
    if re.search(r"[{}]", _SLOT.sub("", text)):
        raise SchemaError(f"{what} has an unpaired brace", node.span, "write slots as {event_date}")
    return text


def parse(node: Node, ctx) -> Verdicts:
    f = fields(node, "verdicts", required=("inputs", "due", "outcomes"), optional=("recorded_only",))
    g = fields(f["inputs"], "the verdict inputs", required=tuple(ROLES))
    inputs = {role: ctx.name(g[role], f"the input for {role}", ("input",), kind) for role, kind in ROLES.items()}
    if len(set(inputs.values())) != len(inputs):
        raise SchemaError("two roles name the same input", f["inputs"].span, "give every role its own input")
    due = ctx.name(f["due"], "the deadline", ("definition",), "date")
    outcomes: list[Outcome] = []
    for item in expect(f["outcomes"], list, "outcomes"):
        h = fields(item, "an outcome", required=("id", "label", "when", "why"),
                   optional=("finding", "why_without_deadline"))
        oid = expect(h["id"], str, "outcome id")
        if not _ID.match(oid) or any(o.id == oid for o in outcomes):
            raise SchemaError(f"outcome id {oid!r} is not ASCII snake_case or is used twice", h["id"].span,
                              "e.g. 'uppfylld'")
        finding = expect(h["finding"], bool, "finding") if "finding" in h else False
        why = _template(h["why"], f"the why of {oid!r}")
        outcomes.append(Outcome(oid, expect(h["label"], str, "label"),
                                ctx.name(h["when"], f"the condition of {oid!r}", ("definition",), "bool"),
                                finding, why, _template(h.get("why_without_deadline"), "why_without_deadline") or why))
    if len(outcomes) < 2:
        raise SchemaError("a verdict needs at least two outcomes", f["outcomes"].span,
                          "e.g. fulfilled and missing")
    kinds = []
    for k in (expect(f["recorded_only"], list, "recorded_only") if "recorded_only" in f else []):
        kind = text_of(k, "an event kind")
        if not _ID.match(kind or ""):
            raise SchemaError(f"{kind!r} is not an event kind", k.span, "ASCII snake_case, e.g. 'tvist_inledd'")
        kinds.append(kind)
    return Verdicts(inputs, due, tuple(outcomes), tuple(kinds), node.span)
