"""``parties:`` — who the agreement's parties are (declared by one rule of a project).

An agreement of this kind is a set of bilateral agreements between one *hub* party and each
member of an enumeration of *member* parties::

    parties:
      hub:
        id: forbundet                   # how data files and logs name the hub (ASCII)
        name: Förbundet
        aliases: [Förbundet i länet]    # other names accepted in amendments and data
        sentence: parter_1
      members:
        enum: medlem                    # the enumeration of member parties (values may have a code)
        name_forms: ["{label} stad", "{label}s stad"]   # accepted spellings of a member's name
        sentence: parter_2
        reading: Rx-medlemmar

:meth:`Parties.resolve` turns a name as written by a user (a member's label, one of its name
forms, its code, "Label (code)", the hub's name or an alias; case and spacing do not matter)
into the party's canonical name, with a hint naming the parties when it is none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.language.types import EnumType
from avtalsregler.project.source import Node, expect, fields, text_of

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FORM = re.compile(r"^[^{}]*\{label\}[^{}]*$")


@dataclass(frozen=True)
class Parties:
    hub_id: str
    hub_name: str
    hub_aliases: tuple[str, ...]
    member_enum: str
    name_forms: tuple[str, ...]
    sentence: str | None
    reading: str | None
    span: Span

    def members(self, enums: dict[str, EnumType]) -> EnumType:
        return enums[self.member_enum]

    def member_names(self, enums: dict[str, EnumType]) -> list[str]:
        e = enums[self.member_enum]
        return [e.label(v) for v in e.values]

    def forms(self, enums: dict[str, EnumType]) -> dict[str, str]:
        """Every accepted spelling (case-folded, spaces joined) → canonical name."""
        out = {" ".join(f.split()).casefold(): self.hub_name for f in (self.hub_name, self.hub_id, *self.hub_aliases)}
        e = enums[self.member_enum]
        for v in e.values:
            label = e.label(v)
            spellings = {label, v, *(f.replace("{label}", label) for f in self.name_forms)}
            if v in e.codes:
                spellings |= {e.codes[v], f"{label} ({e.codes[v]})"}
            for s in spellings:
                out.setdefault(" ".join(s.split()).casefold(), label)
        return out

    def resolve(self, name: str, span: Span | None, enums: dict[str, EnumType]) -> str:
        """The canonical name of the party ``name`` (the hub's name or a member's label)."""
        key = " ".join(str(name).split()).casefold()
        found = self.forms(enums).get(key)
        if found is not None:
            return found
        e = enums[self.member_enum]
        first = self.name_forms[0] if self.name_forms else "{label}"
        choices = [self.hub_name] + [first.replace("{label}", e.label(v)) for v in e.values]
        raise SchemaError(f"{name!r} is not a party to the agreement", span,
                          did_you_mean(" ".join(str(name).split()), choices) or "the parties are " + ", ".join(choices))

    def member_of(self, name: str, enums: dict[str, EnumType]) -> str | None:
        """The enumeration value of a member named ``name`` (any accepted spelling), else None."""
        label = self.forms(enums).get(" ".join(str(name).split()).casefold())
        e = enums[self.member_enum]
        return next((v for v in e.values if e.label(v) == label), None)


def parse(node: Node, ctx) -> Parties:
    f = fields(node, "parties", required=("hub", "members"))
    h = fields(f["hub"], "the hub party", required=("id", "name"), optional=("aliases", "sentence", "reading"))
    hub_id = expect(h["id"], str, "hub id")
    if not _ID.match(hub_id):
        raise SchemaError(f"hub id {hub_id!r} is not an ASCII snake_case name", h["id"].span, "e.g. 'forbundet'")
    hub_name = expect(h["name"], str, "hub name").strip()
    if not hub_name:
        raise SchemaError("the hub party has an empty name", h["name"].span, "write the party's name as in the text")
    aliases = tuple(expect(a, str, "alias") for a in (expect(h["aliases"], list, "aliases") if "aliases" in h else []))
    m = fields(f["members"], "the member parties", required=("enum",),
               optional=("name_forms", "sentence", "reading"))
    enum = expect(m["enum"], str, "members enum")
    if enum not in ctx.enums:
        raise SchemaError(f"there is no enumeration {enum!r}", m["enum"].span,
                          did_you_mean(enum, ctx.enums) or expected_one_of(ctx.enums))
    if hub_id in ctx.enums[enum].values:
        raise SchemaError(f"the hub id {hub_id!r} is also a member of {enum!r}", h["id"].span,
                          "the hub and the members are different parties")
    forms = []
    for n in (expect(m["name_forms"], list, "name_forms") if "name_forms" in m else []):
        form = expect(n, str, "a name form")
        if not _FORM.match(form):
            raise SchemaError(f"the name form {form!r} must contain '{{label}}' once and no other braces",
                              n.span, "e.g. '{label} stad'")
        forms.append(form)
    sentence = ctx.sentence_ref(h.get("sentence")) if "sentence" in h else None
    sentence = ctx.sentence_ref(m.get("sentence")) if "sentence" in m else sentence
    reading = ctx.reading_ref(m.get("reading")) if "reading" in m else ctx.reading_ref(h.get("reading"))
    _ = text_of
    parties = Parties(hub_id, hub_name, aliases, enum, tuple(forms), sentence, reading, node.span)
    _one_party_per_name(parties, ctx.enums, f["hub"].span, f["members"].span)
    return parties


def _one_party_per_name(p: Parties, enums: dict[str, EnumType], hub_span: Span, members_span: Span) -> None:
    """Every accepted spelling names one party (else amendments and data files could not say whom they mean)."""
    key = lambda s: " ".join(s.split()).casefold()  # noqa: E731
    owner = {key(s): ("the hub", p.hub_name) for s in (p.hub_name, p.hub_id, *p.hub_aliases)}
    e = enums[p.member_enum]
    for v in e.values:
        label = e.label(v)
        spellings = {label, v, *(f.replace("{label}", label) for f in p.name_forms)}
        if v in e.codes:
            spellings |= {e.codes[v], f"{label} ({e.codes[v]})"}
        for s in sorted(spellings):
            other = owner.setdefault(key(s), ("the member", label))
            if other != ("the member", label):
                raise SchemaError(f"{s!r} would name two parties, {' '.join(other)} and the member {label}",
                                  hub_span if other[0] == "the hub" else members_span,
                                  "give every party names of its own (the hub's name and aliases, the members' "
                                  "labels, codes and name forms must all differ)")
