"""``amendment:`` — what a change of the agreement needs, as rules the engine evaluates.

An agreement of this kind is a set of bilateral agreements (the hub party with each member, see
:mod:`.parties`). A rule may declare:

``consent``
    whose consent a change needs in one bilateral agreement: a condition (a bool definition of
    the rule) over two bool inputs, one saying that the hub consents and one that the member of
    that agreement consents; ``given`` fixes other inputs the condition reads (e.g. that a change
    has been proposed). ``scope: clause`` (the default) applies it to changes of the declaring
    clause; ``scope: all`` to every clause that declares no consent of its own.
``identical``
    that the bilateral agreements must stay identical: a condition over a map from the member
    enumeration to bool ("the change is made in the agreement with this member").

::

    amendment:
      consent:
        requirement: andring_godkand
        hub: forbundet_samtycker
        member: medlemmen_samtycker
        given: {forslag_finns: true}
        sentence: andring_1
        reading: Rx-bada-parter

``amend check`` evaluates, for every member, the consent of every clause the amendment changes
(the change is made in that member's agreement only if every one holds), then the identity
condition on the result. The conditions are definitions like any other: the specs prove facts
about them, and the site shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from avtalsregler.errors import SchemaError, Span, expected_one_of
from avtalsregler.project.declarations.computations import in_range
from avtalsregler.project.source import Node, expect, fields, text_of
from avtalsregler.project.values import parse_value

SCOPES = ("clause", "all")


@dataclass(frozen=True)
class Consent:
    requirement: str
    hub: str
    member: str
    given: tuple[tuple[str, object], ...]
    scope: str
    sentence: str | None
    reading: str | None
    span: Span


@dataclass(frozen=True)
class Identity:
    requirement: str
    changed: str
    sentence: str | None
    reading: str | None
    span: Span


@dataclass(frozen=True)
class AmendmentRule:
    consent: Consent | None
    identical: Identity | None


def _bool_def(node: Node, ctx, what: str) -> str:
    return ctx.name(node, what, ("definition",), "bool")


def _consent(node: Node, ctx) -> Consent:
    f = fields(node, "consent", required=("requirement", "hub", "member"),
               optional=("given", "scope", "sentence", "reading"))
    req = _bool_def(f["requirement"], ctx, "the consent requirement")
    hub = ctx.name(f["hub"], "the hub's consent", ("input",), "bool")
    member = ctx.name(f["member"], "the member's consent", ("input",), "bool")
    if hub == member:
        raise SchemaError("the hub's and the member's consent are the same input", f["member"].span,
                          "name two different bool inputs")
    given = []
    for key, vnode in (expect(f["given"], dict, "given").items() if "given" in f else []):
        name = ctx.name(Node(key, vnode.key_span), "a given input", ("input",))
        if name in (hub, member):
            raise SchemaError(f"{name!r} is a consent input; it cannot be fixed", vnode.key_span)
        value = parse_value(vnode, ctx.names[name], ctx.enums, f"given {name}")
        given.append((name, in_range(ctx, name, value, vnode, f"given {name}")))
    scope = text_of(f.get("scope"), "scope", "clause")
    if scope not in SCOPES:
        raise SchemaError(f"unknown scope {scope!r}", f["scope"].span, expected_one_of(SCOPES))
    return Consent(req, hub, member, tuple(given), scope, ctx.sentence_ref(f.get("sentence")),
                   ctx.reading_ref(f.get("reading")), node.span)


def _identity(node: Node, ctx) -> Identity:
    f = fields(node, "identical", required=("requirement", "changed"), optional=("sentence", "reading"))
    req = _bool_def(f["requirement"], ctx, "the identity requirement")
    changed = ctx.name(f["changed"], "the changed agreements", ("input",), "map")
    t = ctx.names[changed]
    if t.elem.kind != "bool":
        raise SchemaError(f"{changed!r} must map each member to bool, not to {t.elem}", f["changed"].span,
                          "type: {map: MEMBERS, of: bool}")
    return Identity(req, changed, ctx.sentence_ref(f.get("sentence")), ctx.reading_ref(f.get("reading")), node.span)


def parse(node: Node, ctx) -> AmendmentRule:
    f = fields(node, "amendment", optional=("consent", "identical"))
    if not f:
        raise SchemaError("'amendment' declares nothing", node.span, "give 'consent' and/or 'identical'")
    return AmendmentRule(_consent(f["consent"], ctx) if "consent" in f else None,
                         _identity(f["identical"], ctx) if "identical" in f else None)
