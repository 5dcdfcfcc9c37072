"""The procedure a change of the agreement needs, evaluated by the rules that declare it.

The parties come from the rules' ``parties`` declaration; whose consent a change needs from
their ``amendment`` declarations (see :mod:`avtalsregler.project.declarations.amendment`): for
each member, the change is made in the member's bilateral agreement when the consent condition
of every changed clause holds with the consents given in ``agreed_by``; the identity condition
then judges the agreements together. The conditions are the rules' own definitions, evaluated
exactly here and proved in their specs. The procedure in force is the one of the project
*before* the amendment: an amendment cannot change the procedure it is judged by.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from avtalsregler.errors import SchemaError, Span
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Project


@dataclass
class Procedure:
    ok: bool
    proposer: str
    agreed: list[str]
    hub_agreed: bool
    members_agreed: list[str]
    diverging: list[str]                       # members whose agreement would not change
    findings: list[tuple[str, str, Span]] = field(default_factory=list)   # severity, message, where
    rules: list[dict] = field(default_factory=list)                       # what was required, and why


def _quote(clause: Clause, sid: str | None) -> str:
    s = clause.sentence(sid)
    return " ".join(s.text.split()) if s else ""


def _consents(project: Project) -> tuple[dict[str, tuple[Clause, object]], tuple[Clause, object] | None]:
    """The consent declared by each clause, and the one that applies to every other clause."""
    own, general = {}, None
    for clause, decl in project.declared("amendment"):
        c = decl.consent
        if c is None:
            continue
        if c.scope == "all":
            if general is not None:
                raise SchemaError(f"both {general[0].id} and {clause.id} declare the consent for every clause",
                                  c.span, "declare 'scope: all' in one rule only")
            general = (clause, c)
        else:
            own[clause.id] = (clause, c)
    return own, general


def _holds(project: Project, clause: Clause, consent, hub: bool, member: bool) -> bool:
    given = {**dict(consent.given), consent.hub: hub, consent.member: member}
    values, _ = evaluate(clause, project.enums, given, [consent.requirement], check_assumptions=False)
    return bool(values[consent.requirement])


def check_procedure(amendment, content_clauses: list[str], project: Project) -> Procedure:
    """Has the amendment been agreed as the rules of ``project`` require?"""
    declared = project.declared_once("parties")
    if declared is None:
        raise SchemaError("the rules declare no parties, so who must agree cannot be judged", amendment.span,
                          "declare 'parties:' (hub and members) in one rule")
    parties = declared[1]
    enums = project.enums
    members = parties.members(enums)
    proposer = parties.resolve(*amendment.proposed_by, enums)
    agreed: list[str] = []
    for name, span in amendment.agreed_by:
        p = parties.resolve(name, span, enums)
        if p in agreed:
            raise SchemaError(f"{name!r} is listed twice in agreed_by", span, "remove one of them")
        agreed.append(p)
    hub = parties.hub_name in agreed
    consented = {m: members.label(m) in agreed for m in members.values}
    agreeing = [members.label(m) for m in members.values if consented[m]]
    where = amendment.agreed_by[0][1] if amendment.agreed_by else amendment.span
    if not content_clauses:
        proc = Procedure(True, proposer, agreed, hub, agreeing, [])
        proc.rules.append({"rule": "bara specifikationer eller tolkningar ändras, inte själva överenskommelsen",
                           "met": True})
        return proc
    proc = Procedure(True, proposer, agreed, hub, agreeing, [])
    if proposer not in agreed:
        proc.findings.append(("warning", f"förslagsställaren ({amendment.proposed_by[0]}) är inte bland dem som "
                                         "har godkänt förslaget", amendment.proposed_by[1]))
    own, general = _consents(project)
    changed = {m: True for m in members.values}
    for cid in content_clauses:
        clause, consent = own.get(cid) or general or (None, None)
        if consent is None:
            proc.ok = False
            proc.findings.append(("error", f"reglerna säger inte vems godkännande en ändring av {cid} kräver", where))
            changed = {m: False for m in members.values}
            continue
        per_member = {m: _holds(project, clause, consent, hub, consented[m]) for m in members.values}
        changed = {m: changed[m] and per_member[m] for m in members.values}
        if cid in own:
            met = any(per_member.values())
            quote = _quote(clause, consent.sentence)
            proc.rules.append({"rule": f"{cid}: båda parter ({parties.hub_name} och varje {parties.member_enum}) "
                                       "måste godkänna", "quote": quote, "met": met, "reading": consent.reading})
            if not met:
                who = (f"{parties.hub_name} har inte godkänt" if not hub and _holds(project, clause, consent, True, True)
                       else f"ingen {parties.member_enum} har godkänt")
                proc.ok = False
                proc.findings.append(("error", f"innehållet i {cid} ändras, vilket kräver att båda parter godkänner "
                                               f"(”{quote}”), men {who}", where))
    if general is not None and not _holds(project, general[0], general[1], hub, True):
        proc.ok = False
        proc.findings.append(("error", f"{parties.hub_name} har inte godkänt; den är part i varje överenskommelse "
                                       f"({general[0].id}), så ingen överenskommelse kan ändras utan den", where))
    identity = [(c, d.identical) for c, d in project.declared("amendment") if d.identical is not None]
    diverging = [members.label(m) for m in members.values if not changed[m]]
    for clause, ident in identity:
        values, _ = evaluate(clause, enums, {ident.changed: changed}, [ident.requirement], check_assumptions=False)
        met = bool(values[ident.requirement])
        quote = _quote(clause, ident.sentence)
        proc.rules.append({"rule": f"{clause.id}: överenskommelserna med alla (uppräkningen {parties.member_enum}) "
                                   "har samma lydelse",
                           "quote": quote, "met": met, "reading": ident.reading})
        if not met:
            proc.ok = False
            proc.findings.append(("error", f"överenskommelserna skulle inte längre ha samma lydelse ({clause.id}: "
                                  f"”{quote}”): " + ", ".join(diverging) + " har inte godkänt, så deras "
                                  "överenskommelser behåller den gamla lydelsen", where))
    if not any(changed.values()):
        proc.ok = False
        proc.findings.append(("error", "ingen överenskommelse ändras: ingen av de bilaterala överenskommelserna har "
                                       "de godkännanden som reglerna kräver, så överenskommelserna med "
                                       + ", ".join(diverging) + " behåller den gamla lydelsen", where))
    proc.diverging = diverging
    return proc
