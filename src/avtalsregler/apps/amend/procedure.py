"""The procedure the agreement's text requires for a change, and who its parties are.

* §1: "Överenskommelse om samverkan träffas mellan Region Jämtland Härjedalen och XX kommun.
  Likalydande överenskommelser tecknas med samtliga kommuner i Jämtlands län." — one agreement
  per municipality, all identical. A change agreed with only some municipalities makes their
  agreements differ from the others'.
* §4 and §5: a change of the content of the assignments / of the arenas needs "att båda parter
  kommit överens om detta" — the Region and the municipality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from avtalsregler.errors import SchemaError, Span, did_you_mean

REGION = "Region Jämtland Härjedalen"
# The eight municipalities of Jämtlands län and their codes; source: agreement/README.md
# (the list of municipalities in the county, with SCB municipality codes).
MUNICIPALITIES = (("Ragunda", "2303"), ("Bräcke", "2305"), ("Krokom", "2309"), ("Strömsund", "2313"),
                  ("Åre", "2321"), ("Berg", "2326"), ("Härjedalen", "2361"), ("Östersund", "2380"))
BOTH_PARTIES = {
    "§4": "Innehållet i dessa uppdrag kan förändras utifrån behov om båda parter kommit överens om detta.",
    "§5": "Vilka arenorna är kan förändras utifrån behov om båda parter kommit överens om detta.",
}
IDENTICAL = "Likalydande överenskommelser tecknas med samtliga kommuner i Jämtlands län."


def party_of(name: str, span: Span) -> str:
    """The canonical name of a party: the Region, or a municipality's name (accepting
    "Östersunds kommun", "Åre kommun" and the municipality code)."""
    s = " ".join(name.split())
    if s.casefold() in (REGION.casefold(), "regionen", "region jämtland härjedalen (regionen)"):
        return REGION
    for muni, code in MUNICIPALITIES:
        forms = {muni, f"{muni} kommun", f"{muni}s kommun", code, f"{muni} ({code})"}
        if s in forms or s.casefold() in {f.casefold() for f in forms}:
            return muni
    choices = [REGION] + [f"{m} kommun" for m, _ in MUNICIPALITIES]
    raise SchemaError(f"{name!r} is not a party to the agreement", span,
                      did_you_mean(s, choices) or "the parties are " + ", ".join(choices))


@dataclass
class Procedure:
    ok: bool
    proposer: str
    agreed: list[str]
    region_agreed: bool
    municipalities_agreed: list[str]
    diverging: list[str]                       # municipalities whose agreement would differ
    findings: list[tuple[str, str, Span]] = field(default_factory=list)   # severity, message, where
    rules: list[dict] = field(default_factory=list)                       # what was required, and why


def check_procedure(amendment, content_clauses: list[str]) -> Procedure:
    """Has the amendment been agreed as the text requires?"""
    proposer = party_of(*amendment.proposed_by)
    agreed: list[str] = []
    for name, span in amendment.agreed_by:
        p = party_of(name, span)
        if p in agreed:
            raise SchemaError(f"{name!r} is listed twice in agreed_by", span, "remove one of them")
        agreed.append(p)
    munis = [m for m, _ in MUNICIPALITIES if m in agreed]
    missing = [m for m, _ in MUNICIPALITIES if m not in agreed]
    region = REGION in agreed
    where = amendment.agreed_by[0][1] if amendment.agreed_by else amendment.span
    proc = Procedure(True, proposer, agreed, region, munis, missing if content_clauses else [])
    if not content_clauses:
        proc.rules.append({"rule": "only specs or readings change; the agreement itself does not",
                           "met": True})
        return proc
    if proposer not in agreed:
        proc.findings.append(("warning", f"the proposer ({amendment.proposed_by[0]}) is not among those who "
                                         "have agreed", amendment.proposed_by[1]))
    for cid in content_clauses:
        quote = BOTH_PARTIES.get(cid)
        if quote:
            met = region and bool(munis)
            proc.rules.append({"rule": f"{cid}: both parties (the Region and the municipality) must agree",
                               "quote": quote, "met": met})
            if not met:
                who = "the Region" if not region else "no municipality"
                proc.ok = False
                proc.findings.append(("error", f"the content of {cid} changes, which needs both parties "
                                               f"(\"{quote}\"), but {who} has agreed", where))
    if not region:
        proc.ok = False
        proc.findings.append(("error", f"{REGION} has not agreed; it is a party to every agreement (§1), "
                                       "so no agreement can change without it", where))
    proc.rules.append({"rule": "§1: the agreements with all municipalities are identical", "quote": IDENTICAL,
                       "met": not missing})
    if missing:
        proc.ok = False
        proc.findings.append(("error", "the agreements would no longer be identical (§1: \"" + IDENTICAL + "\"): "
                                       + ", ".join(missing) + " " + ("has" if len(missing) == 1 else "have")
                              + " not agreed, so their agreements keep the old wording", where))
    return proc


_ = re
