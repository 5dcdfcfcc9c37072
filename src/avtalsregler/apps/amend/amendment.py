"""Amendments: a proposed change to the agreement, its rules and specs, read from
``amendments/*.yaml`` and applied as text edits to a copy of the project (or, with
``amend apply``, to the project itself).

An amendment file says which clauses change and how: the new wording of quoted sentences (by
sentence id) or of any other words of a clause (``wording``: old → new); the matching changes
to the rule (parameters, definitions, inputs, enumerations, assumptions, summary), to the spec
(examples, invariants) and to the register of readings; who proposes it, who has agreed to it,
when it takes effect and why. Checking it is :mod:`avtalsregler.amend_report`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from avtalsregler.errors import SchemaError, Span, expected_one_of
from avtalsregler.project.source import Node, check_id, expect, fields, load_yaml

PROJECT_DIRS = ("agreement", "rules", "specs", "readings", "data")

# The fields an amendment may set, per section, and how items are selected.
RULE_SECTIONS = {
    "inputs": ("map", ("name",), ("type", "description", "unit", "min", "max", "sentence", "reading")),
    "parameters": ("map", ("name", "quoting"), ("type", "value", "words", "unit", "description", "sentence", "reading",
                                                      "means", "part", "derive", "counts")),
    "definitions": ("map", ("name",), ("type", "expr", "description", "kind", "unit", "sentence", "reading",
                                       "extent", "tension")),
    "enums": ("map", ("name",), ("values", "description")),
    "assume": ("list", ("name",), ("expr", "reason")),
    # declarations (project/declarations): what the text fixes beyond the formulas
    "events": ("map", ("name",), ("kind", "date", "for", "when", "unless", "title", "detail", "sentence",
                                  "sentences", "reading", "readings", "alarms", "uid", "duty", "first_day",
                                  "last_day", "periods", "uid_domain", "product", "assumes", "covers", "about")),
    "computations": ("map", ("name",), ("help", "title", "inputs", "show", "members", "about")),
    "facts": ("list", ("id",), ("title", "given", "text", "computation", "columns", "each", "heading")),
}
RULE_SCALARS = ("summary", "related", "readings")
SPEC_SECTIONS = {
    "examples": ("list", ("name",), ("given", "expect", "holds", "sentence", "derivation")),
    "invariants": ("list", ("name",), ("reason", "holds", "sentence", "timeout")),
}
READING_FIELDS = ("clause", "words", "question", "chosen", "alternatives", "status")
# Keys of a rule or spec item of an amendment that say what to do with it, never written into
# the files: remove it, or why a change needs no new wording or reading (an editorial recoding).
ITEM_META = ("remove", "rationale")


@dataclass
class ItemChange:
    section: str
    selector: str                 # name | id | quoting
    key: str
    node: Node                    # the item in the amendment
    remove: bool = False

    @property
    def fields(self) -> dict[str, Node]:
        return {k: v for k, v in self.node.value.items() if k not in (self.selector, *ITEM_META)}

    @property
    def rationale(self) -> str | None:
        node = self.node.value.get("rationale")
        return " ".join(str(node.value).split()) if node is not None else None


@dataclass
class ClauseChange:
    clause: str
    span: Span
    sentences: list[tuple[str, str, Node]] = field(default_factory=list)     # id, new text, node
    wording: list[tuple[str, str, Node]] = field(default_factory=list)       # old, new, node
    rule: list[ItemChange] = field(default_factory=list)
    rule_scalars: dict[str, Node] = field(default_factory=dict)
    spec: list[ItemChange] = field(default_factory=list)
    readings: list[ItemChange] = field(default_factory=list)

    @property
    def changes_text(self) -> bool:
        return bool(self.sentences or self.wording)

    @property
    def changes_content(self) -> bool:
        """A change of what the clause says or means (not only of its spec)."""
        return bool(self.sentences or self.wording or self.rule or self.rule_scalars)


@dataclass
class Amendment:
    path: str
    source: str
    id: str
    title: str
    proposed_by: tuple[str, Span]
    agreed_by: list[tuple[str, Span]]
    effective: datetime.date
    effective_span: Span
    rationale: str
    changes: list[ClauseChange]
    span: Span
    retroactive: bool = False     # the parties say the change applies to days already past

    @property
    def clauses(self) -> list[str]:
        return [c.clause for c in self.changes]


# -- reading an amendment file ------------------------------------------------------------------

AMENDMENT_KEYS = ("amendment", "title", "proposed_by", "agreed_by", "effective", "rationale", "changes")
# retroactive: the parties state that the change reaches back (amend check flags a past date
# without it); applied: the block amend apply appends in amendments/applied/ (history.py)
AMENDMENT_OPTIONAL = ("retroactive", "applied")


def load_amendment(path: str | Path, clauses: list[str]) -> Amendment:
    """Read and check an amendment file's shape; ``clauses`` are the agreement's clause ids."""
    shown = str(path)
    root = load_yaml(shown)
    source = Path(path).read_text(encoding="utf-8")
    f = fields(root, "an amendment", required=AMENDMENT_KEYS, optional=AMENDMENT_OPTIONAL)
    aid = check_id(f["amendment"].value, f["amendment"].span, "the amendment id")
    effective = f["effective"].value
    if not isinstance(effective, datetime.date):
        raise SchemaError(f"effective must be a date YYYY-MM-DD, not {effective!r}", f["effective"].span,
                          "write e.g. effective: 2026-01-01 (a date that exists in the calendar)")
    agreed = [(expect(n, str, "a party in agreed_by"), n.span) for n in expect(f["agreed_by"], list, "agreed_by")]
    changes: list[ClauseChange] = []
    for item in expect(f["changes"], list, "changes"):
        changes.append(_clause_change(item, clauses, changes))
    if not changes:
        raise SchemaError("the amendment changes nothing", f["changes"].span, "list at least one clause under changes")
    retro = expect(f["retroactive"], bool, "retroactive") if "retroactive" in f else False
    return Amendment(shown, source, aid, expect(f["title"], str, "title"),
                     (expect(f["proposed_by"], str, "proposed_by"), f["proposed_by"].span), agreed,
                     effective, f["effective"].span, expect(f["rationale"], str, "rationale"), changes, root.span,
                     retro)


def _clause_change(item: Node, clauses: list[str], earlier: list[ClauseChange]) -> ClauseChange:
    g = fields(item, "a change", required=("clause",), optional=("sentences", "wording", "rule", "spec", "readings"))
    cid = expect(g["clause"], str, "clause")
    if cid not in clauses:
        raise SchemaError(f"there is no clause {cid!r} in the agreement", g["clause"].span, expected_one_of(clauses))
    if any(c.clause == cid for c in earlier):
        raise SchemaError(f"{cid} is changed twice", g["clause"].span, "put all changes of a clause in one entry")
    ch = ClauseChange(cid, g["clause"].span)
    for s in (expect(g["sentences"], list, "sentences") if "sentences" in g else []):
        h = fields(s, "a sentence change", required=("id", "text"))
        ch.sentences.append((expect(h["id"], str, "sentence id"), expect(h["text"], str, "text"), s))
    for w in (expect(g["wording"], list, "wording") if "wording" in g else []):
        h = fields(w, "a wording change", required=("old", "new"))
        ch.wording.append((expect(h["old"], str, "old"), expect(h["new"], str, "new"), w))
    if "rule" in g:
        r = fields(g["rule"], "rule changes", optional=(*RULE_SECTIONS, *RULE_SCALARS))
        for key in RULE_SCALARS:
            if key in r:
                ch.rule_scalars[key] = r[key]
        for sec, spec in RULE_SECTIONS.items():
            if sec in r:
                ch.rule += _items(r[sec], sec, spec)
    if "spec" in g:
        s = fields(g["spec"], "spec changes", optional=tuple(SPEC_SECTIONS))
        for sec, spec in SPEC_SECTIONS.items():
            if sec in s:
                ch.spec += _items(s[sec], sec, spec)
    if "readings" in g:
        ch.readings = _items(g["readings"], "readings", ("list", ("id",), READING_FIELDS), meta=("remove",))
    if not (ch.sentences or ch.wording or ch.rule or ch.rule_scalars or ch.spec or ch.readings):
        raise SchemaError(f"the change of {cid} changes nothing", item.span,
                          "add sentences, wording, rule, spec or readings")
    return ch


def _items(node: Node, section: str, spec, meta: tuple[str, ...] = ITEM_META) -> list[ItemChange]:
    _kind, selectors, allowed = spec
    out: list[ItemChange] = []
    for item in expect(node, list, section):
        expect(item, dict, f"an item of {section}")
        chosen = [s for s in selectors if s in item]
        if len(chosen) != 1:
            raise SchemaError(f"an item of {section} must say which one it changes with exactly one of "
                              f"{', '.join(repr(s) for s in selectors)}", item.span,
                              f"add '{selectors[0]}: …' as the item's first key")
        sel = chosen[0]
        fields(item, f"an item of {section}", required=(sel,), optional=(*allowed, *meta))
        key = expect(item.value[sel], str, sel)
        if "rationale" in item and not expect(item.value["rationale"], str, "rationale").strip():
            raise SchemaError("an empty rationale justifies nothing", item.value["rationale"].span,
                              "say why the change needs no new wording or reading, or leave 'rationale' out")
        remove = False
        if "remove" in item:
            remove = expect(item.value["remove"], bool, "remove")
            if remove and len(item.value) > 2 + ("rationale" in item):
                raise SchemaError(f"an item of {section} that is removed cannot also set fields", item.span,
                                  "keep only the selector and 'remove: true'")
        if any(o.key == key and o.selector == sel for o in out):
            raise SchemaError(f"{key!r} is changed twice in {section}", item.value[sel].span)
        out.append(ItemChange(section, sel, key, item, remove))
    return out


# -- where things are in the project ---------------------------------------------------------------
