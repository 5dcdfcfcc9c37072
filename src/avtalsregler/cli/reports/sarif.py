"""SARIF 2.1.0 (OASIS), the format GitHub code scanning reads: one run, one result per
outcome that did not pass (and per warning of an amendment; notices are annotations only, not
alerts), each with its file, line and column. ``tests/fixtures/schemas/sarif-schema-2.1.0.json`` is the official schema it is
validated against."""

from __future__ import annotations

import json
from urllib.parse import quote

from avtalsregler import __version__
from avtalsregler.cli.reports.outcomes import Outcome

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
RULES = {
    "grounded": "a parameter's value is what its words in the agreement state",
    "example": "a spec example computes the expected values",
    "invariant": "an invariant of a spec holds for all inputs",
    "defined": "every definition has a value for every input",
    "consistent": "the assumptions of a rule can hold together",
    "satisfiable": "the requirements of a clause can hold together",
    "tension": "a permission can be used to its full extent and a requirement can be met and broken",
    "lemma": "a fact a built-in states about its result holds",
    "procedure": "an amendment has the consent the agreement requires",
    "finding": "an amendment keeps the guarantees, quotes and numbers of the agreement",
    "input": "the project's files and the amendment are well-formed",
}


def _result(o: Outcome) -> dict:
    level = "error" if o.status != "passed" else LEVEL.get(o.level, "note")
    text = "\n".join([o.message or f"{o.kind} {o.name}", *o.detail])
    result: dict = {"ruleId": o.rule_id, "level": level, "message": {"text": text},
                    "properties": {"suite": o.suite, "name": o.name, "status": o.status}}
    if o.where is not None:
        result["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": quote(o.where.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(o.where.line, 1), "startColumn": max(o.where.col, 1)}}}]
    result["partialFingerprints"] = {"avtalsregler/v1": f"{o.suite}|{o.kind}|{o.name}"}
    return result


def sarif(outcomes: list[Outcome], category: str, ok: bool) -> dict:
    """The SARIF log; ``category`` tells code scanning which analysis it is (``check`` or
    ``amend``), so that the two do not replace each other's alerts."""
    kinds = sorted({o.kind for o in outcomes} | {"input"})
    rules = [{"id": f"avtalsregler/{k}", "name": k,
              "shortDescription": {"text": RULES.get(k, f"{k} obligations hold")}} for k in kinds]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "avtalsregler", "version": __version__, "rules": rules}},
            "automationDetails": {"id": f"avtalsregler/{category}/"},
            "invocations": [{"executionSuccessful": not any(o.status == "error" for o in outcomes)}],
            "results": [_result(o) for o in outcomes if not o.ok or (o.kind == "finding" and o.level == "warning")],
            "properties": {"ok": ok},
        }],
    }


def dumps(outcomes: list[Outcome], category: str, ok: bool) -> str:
    return json.dumps(sarif(outcomes, category, ok), ensure_ascii=False, indent=2) + "\n"
