"""Issue 12: every changed definition of an amendment needs a justification — the wording it is
traced to changes, it names a reading the amendment adds or changes, or it has its own
``rationale`` (an editorial recoding). A semantic change with none of them fails."""

from __future__ import annotations

from pathlib import Path

from avtalsregler.apps.amend.report import check_amendment

from ..conftest import ROOT

PARTIES = "\n".join(["  - Region Jämtland Härjedalen"] + [f"  - {m} kommun" for m in (
    "Ragunda", "Bräcke", "Krokoms", "Strömsunds", "Åre", "Bergs", "Härjedalens", "Östersunds")])

# §7's split weighted so that a municipality with exactly one inhabitant counts double: one
# municipality's share is computed differently, with no word of §7 changed and no reading. The
# examples are re-derived and the two guarantees that break are removed "on purpose".
# By hand for tom_kommun_far_inget: 7 öre on Ragunda 2 and Östersund 1 (weighted 2) inhabitants:
# 3,5 öre each, whole parts 3 + 3 = 6, the öre left over goes at equal remainders to the first
# in order (R7-lika-rester), Ragunda: Ragunda 4 öre, Östersund 3 öre (before: 5 and 2).
ATTACK = """\
amendment: osynlig-andring
title: En kommuns andel räknas på annat sätt
proposed_by: Region Jämtland Härjedalen
agreed_by:
{parties}
effective: 2027-01-01
rationale: Testfall (påhittat).
changes:
  - clause: "§7"
    rule:
      definitions:
        - name: arsandel
          expr: apportion(arsbelopp, per(k in kommun, 2 * befolkning[k] if befolkning[k] == 1 else befolkning[k]))
{r}
    spec:
      examples:
        - name: fordelning_2022
          holds: [summa_exakt, kvartal_summerar, kvartal_nara_fjardedel]
{r}
        - name: tom_kommun_far_inget
          expect:
            arsandel: {{ragunda: 4 öre, bracke: 0 öre, krokom: 0 öre, stromsund: 0 öre, are: 0 öre, berg: 0 öre,
                       harjedalen: 0 öre, ostersund: 3 öre}}
{r}
      invariants:
        - name: storre_befolkning_inte_mindre
          remove: true
{r}
        - name: inom_ett_ore
          remove: true
{r}
"""


def write(tmp_path: Path, rationale: str = "") -> Path:
    r = f"          rationale: {rationale}" if rationale else ""
    text = ATTACK.format(parties=PARTIES, r=r).replace("\n\n", "\n")
    p = tmp_path / "osynlig.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_semantic_change_without_wording_or_reading_fails_at_the_changed_definition(tmp_path):
    p = write(tmp_path)
    r = check_amendment(ROOT, p)
    assert r.exit_code == 1
    errors = [f for f in r.findings if f.severity == "error"]
    # nothing else is wrong: the examples are re-derived and the broken guarantees removed
    assert {f.category for f in errors} == {"justification"}, [(f.category, f.message) for f in errors]
    lines = p.read_text(encoding="utf-8").splitlines()
    spans = {f.where.line: f for f in errors}
    assert all(f.where.path == str(p) for f in errors)
    # the definition: its error is on the line of "- name: arsandel" in the amendment
    arsandel = next(f for f in errors if "'arsandel'" in f.message)
    assert lines[arsandel.where.line - 1].strip() == "- name: arsandel"
    assert "s7.2" in arsandel.message and "R7-lika-rester" in arsandel.message and "expr" in arsandel.message
    # every changed example and every removed guarantee is a finding too
    named = {j["name"]: j for j in r.justifications}
    assert set(named) == {"arsandel", "fordelning_2022", "tom_kommun_far_inget", "storre_befolkning_inte_mindre",
                          "inom_ett_ore"}
    assert all(j["semantic"] and j["justified_by"] is None for j in named.values())
    assert len(spans) == 5


def test_an_explicit_rationale_justifies_an_editorial_recoding(tmp_path):
    r = check_amendment(ROOT, write(tmp_path, "omkodning som inte ändrar innebörden (test)"))
    assert r.exit_code == 0, [f.message for f in r.findings if f.severity == "error"]
    assert {j["justified_by"] for j in r.justifications} == {"rationale"}
    notes = [f.message for f in r.findings if f.category == "justification"]
    assert len(notes) == 5 and all("redaktionell ändring" in m for m in notes)


def test_the_bundled_amendments_are_justified_by_their_wording():
    # tak_60_procent_med_spec rewrites s12.3; its parameter, examples and invariants are traced to
    # s12.3, and its definitions change only their descriptions (not semantic).
    r = check_amendment(ROOT, ROOT / "amendments/tak_60_procent_med_spec.yaml")
    kinds = {(j["section"], j["name"]): (j["semantic"], j["justified_by"]) for j in r.justifications}
    assert kinds[("parameters", "hogsta_andel_innehallen")] == (True, "wording")
    assert kinds[("definitions", "tak_per_period")] == (False, "wording")
    assert kinds[("invariants", "hogst_halften_av_omradet")] == (True, "wording")
    assert not [f for f in r.findings if f.category == "justification" and f.severity == "error"]


# -- the judgement of each kind of item, without re-verifying (derived from the module's rules) -----

def _judged(tmp_path: Path, body: str) -> dict:
    from avtalsregler.apps.amend.amendment import load_amendment
    from avtalsregler.apps.amend.apply import agreement_clauses
    from avtalsregler.apps.amend.justify import justifications
    from avtalsregler.project.load import load_project

    p = tmp_path / "a.yaml"
    p.write_text(f"amendment: t\ntitle: T\nproposed_by: Region Jämtland Härjedalen\nagreed_by:\n{PARTIES}\n"
                 "effective: 2027-01-01\nrationale: test\nchanges:\n" + body, encoding="utf-8")
    a = load_amendment(p, agreement_clauses(ROOT))
    return {j["name"]: j for j in justifications(a, load_project(ROOT), [])}


def test_assumptions_and_input_ranges_need_a_justification_too(tmp_path):
    # a new assumption and a narrower input range could hide a counterexample: both are semantic
    j = _judged(tmp_path, '  - clause: "§12"\n    rule:\n      assume:\n        - name: litet_belopp\n'
                          '          expr: innehallet_belopp <= 100\n          reason: test\n'
                          '      inputs:\n        - name: innehallet_belopp\n          max: 100\n')
    assert j["litet_belopp"]["semantic"] and j["litet_belopp"]["justified_by"] is None
    assert j["innehallet_belopp"]["semantic"] and j["innehallet_belopp"]["fields"] == ["max"]
    assert j["innehallet_belopp"]["sentences"] == ["s12.2"] and j["innehallet_belopp"]["justified_by"] is None


def test_a_reading_the_amendment_changes_justifies_and_a_description_is_not_semantic(tmp_path):
    # ersattning_omtvistat_omrade names R12-bilaga1 (rules/s12_tvist.yaml): changing that reading
    # in the same amendment justifies a new formula; a new description alone is not semantic
    j = _judged(tmp_path, '  - clause: "§12"\n    rule:\n      definitions:\n'
                          '        - name: ersattning_omtvistat_omrade\n          expr: ersattning_per_omrade[omtvistat_omrade]\n'
                          '        - name: innehalls_nu\n          description: Ny beskrivning.\n'
                          '    readings:\n        - id: R12-bilaga1\n          status: open\n')
    assert j["ersattning_omtvistat_omrade"]["justified_by"] == "reading"
    assert not j["innehalls_nu"]["semantic"]
