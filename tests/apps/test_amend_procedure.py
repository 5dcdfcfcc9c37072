"""The amendment procedure is the rules' own: the consent and identity conditions declared under
``amendment:`` are evaluated, so changing a definition changes what `amend check` requires, and a
bad declaration is a load error with its place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from avtalsregler.apps.amend.report import check_amendment
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

MEMBERS = ["Ragunda", "Bräcke", "Krokom", "Strömsund", "Åre", "Berg", "Härjedalen", "Östersund"]
TAK = (ROOT / "amendments" / "tak_60_procent_med_spec.yaml").read_text(encoding="utf-8")


def _amendment(root: Path, agreed: list[str]) -> Path:
    """The bundled cap amendment (§12, which has no consent of its own: §1's applies), with
    another list of parties that agreed."""
    text = re.sub(r"agreed_by:\n(?:  - .*\n)+", "agreed_by:\n" + "".join(f"  - \"{p}\"\n" for p in agreed), TAK)
    path = root / "amendments" / "test.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _messages(report) -> list[str]:
    return [f.message for f in report.findings if f.category == "procedure" and f.severity == "error"]


def test_all_parties_agreed_meets_the_procedure(project_copy):
    r = check_amendment(project_copy, _amendment(project_copy, ["Regionen"] + [f"{m} kommun" for m in MEMBERS]))
    assert r.procedure.ok and r.procedure.hub_agreed and not r.procedure.diverging
    assert r.procedure.members_agreed == MEMBERS


def test_one_member_missing_breaks_identity_and_names_it(project_copy):
    agreed = ["Region Jämtland Härjedalen"] + [m for m in MEMBERS if m != "Berg"]
    r = check_amendment(project_copy, _amendment(project_copy, agreed))
    assert not r.procedure.ok and r.procedure.diverging == ["Berg"]
    assert any("inte längre ha samma lydelse" in m and "Berg" in m for m in _messages(r))
    rule = next(x for x in r.procedure.rules if x.get("reading") == "R1-likalydande")
    assert rule["met"] is False and "Likalydande" in rule["quote"]


def test_without_the_hub_nothing_changes(project_copy):
    r = check_amendment(project_copy, _amendment(project_copy, [f"{m}s kommun" for m in MEMBERS]))
    assert not r.procedure.ok and not r.procedure.hub_agreed
    assert r.procedure.diverging == MEMBERS
    assert any("Region Jämtland Härjedalen har inte godkänt" in m for m in _messages(r))


def test_the_procedure_follows_the_rule_definition(project_copy):
    """Change §1's consent condition to 'the Region alone suffices' and the same amendment,
    agreed by the Region only, now meets the consent (the identity still holds: every agreement
    changes). The procedure is read from the rule, not from Python."""
    rule = project_copy / "rules" / "s01_parter.yaml"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text.replace("expr: regionen_samtycker and kommunen_samtycker", "expr: regionen_samtycker"),
                    encoding="utf-8")
    spec = project_copy / "specs" / "s01_parter.yaml"
    s = spec.read_text(encoding="utf-8")
    start = s.index("  - name: ingen_andring_utan_kommunen")
    end = s.index("  - name: likalydande_alla_eller_ingen")
    spec.write_text(s[:start] + s[end:], encoding="utf-8")
    r = check_amendment(project_copy, _amendment(project_copy, ["Region Jämtland Härjedalen"]))
    assert r.procedure.ok, _messages(r)
    assert not r.procedure.diverging


def test_codes_and_name_forms_resolve_to_the_same_party(project_copy):
    agreed = ["Region Jämtland Härjedalen", "2303", "Bräcke (2305)", "krokom", "Strömsunds kommun", "Åre kommun",
              "BERG", "Härjedalens kommun", "Östersunds kommun"]
    r = check_amendment(project_copy, _amendment(project_copy, agreed))
    assert r.procedure.ok and r.procedure.members_agreed == MEMBERS


def test_an_unknown_party_is_refused_with_a_hint(project_copy):
    with pytest.raises(AvtalsreglerError) as e:
        check_amendment(project_copy, _amendment(project_copy, ["Region Jämtland Härjedalen", "Östersun kommun"]))
    assert "is not a party" in e.value.message and "Östersund kommun" in (e.value.hint or "")
    assert e.value.span is not None and e.value.span.line > 1


@pytest.mark.parametrize("old,new,expect", [
    ("requirement: parterna_samtycker", "requirement: antal_tecknade", "is int, not bool"),
    ("hub: regionen_samtycker", "hub: regionen_samtyck", "is not a input"),
    ("member: kommunen_samtycker", "member: regionen_samtycker", "the same input"),
    ("changed: andrat_avtal", "changed: tecknad", "is not a input"),
    ("    scope: all\n", "    scope: alla\n", "unknown scope"),
])
def test_a_bad_declaration_is_a_load_error_at_its_place(project_copy, old, new, expect):
    rule = project_copy / "rules" / "s01_parter.yaml"
    text = rule.read_text(encoding="utf-8")
    assert old in text
    rule.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(AvtalsreglerError) as e:
        load_project(project_copy)
    assert expect in e.value.message
    assert e.value.span.path.endswith("s01_parter.yaml") and e.value.span.line == line
