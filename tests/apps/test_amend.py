"""``avtalsregler amend``: the bundled example amendments give their expected verdicts, and
the mechanism (applying, mapping places back, procedure, pinning, effects, apply) is tested on
changes derived by hand from the agreement's text."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from avtalsregler.apps.amend.report import check_amendment
from avtalsregler.cli.main import main
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.language.types import parse_money_text

from ..conftest import ROOT

MUNICIPALITIES = ["Ragunda", "Bräcke", "Krokom", "Strömsund", "Åre", "Berg", "Härjedalen", "Östersund"]
ALL_PARTIES = "\n".join(["  - Region Jämtland Härjedalen"] + [f"  - {m} kommun" for m in MUNICIPALITIES])


def run_cli(capsys, *argv):
    code = main(["--root", str(ROOT), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def check(name: str, root: Path = ROOT, **kw):
    return check_amendment(root, root / "amendments" / name if (root / "amendments" / name).exists()
                           else ROOT / "amendments" / name, **kw)


# -- the bundled examples and their expected verdicts ---------------------------------------------

def test_raising_the_cap_without_the_spec_breaks_a_guarantee():
    r = check("tak_60_procent.yaml")
    assert r.exit_code == 1
    broken = {g["name"]: g for g in r.guarantees if g["kind"] == "invariant"}
    assert set(broken) == {"hogst_halften_av_omradet", "taket_hogst_halften", "taket_over_hela_tvisten",
                           "perioderna_inom_taket_ger_hela_tvisten_inom_taket"}
    g = broken["hogst_halften_av_omradet"]
    assert (g["before"], g["after"]) == ("proved", "counterexample")
    # The counterexample, checked by hand: with a share x öre for the disputed area, the new cap
    # is floor(60 % of x) and the guarantee says 2 * cap <= x.
    x = parse_money_text(g["replay"]["ersattning_per_omrade"][_area(g["replay"]["omtvistat_omrade"])])
    cap = (Fraction(6, 10) * x).numerator // (Fraction(6, 10) * x).denominator
    assert 2 * cap > x
    # the error points at the invariant's line in the (unchanged) spec
    where = [f.where for f in r.findings if "hogst_halften_av_omradet" in f.message][0]
    assert (where.path, where.line) == ("specs/s12_tvist.yaml", 198)


def _area(value):
    return value


def test_raising_the_cap_with_the_spec_changed_passes_and_says_so():
    r = check("tak_60_procent_med_spec.yaml")
    assert r.exit_code == 0, [f.message for f in r.findings if f.severity == "error"]
    changed = {g["name"]: g for g in r.on_purpose}
    assert set(changed) == {"hogst_halften_av_omradet", "taket_hogst_halften", "hela_halften_far_innehallas",
                            "taket_over_hela_tvisten", "perioderna_inom_taket_ger_hela_tvisten_inom_taket"}
    assert all(g["after"] == "proved" and g["change"] == "changed" for g in changed.values())
    assert any("ändras avsiktligt i förslaget" in f.message for f in r.findings)
    # effect in numbers, by hand: Kurs och konferens has 200 000,00 kr of 1 000 000,00 kr;
    # the least payment goes from 1 000 000 − 50 % × 200 000 = 900 000,00 kr
    # to 1 000 000 − 60 % × 200 000 = 880 000,00 kr.
    ex = next(e for e in r.effects["examples"] if e["example"] == "tvist_om_kurs_och_konferens")
    row = next(c for c in ex["changes"] if c["name"] == "lagsta_betalning")
    assert (row["before"], row["after"], row["difference"]) == ("900 000,00 kr", "880 000,00 kr", "-20 000,00 kr")
    assert r.effects["parameters"] == [{"clause": "§12", "name": "hogsta_andel_innehallen", "type": "fraction",
                                        "before": "50 %", "after": "60 %", "difference": "10 %"}]
    # Only §12 changes and no other clause uses anything declared in §12.
    assert [x["clause"] for x in r.reverified] == ["§12"]


def test_a_change_to_s4_reverifies_the_clauses_that_use_its_areas():
    r = check("omrade_endast_regionen.yaml")
    why = {x["clause"]: x["why"] for x in r.reverified}
    assert why["§4"] == "ändras av förslaget"
    assert why["§12"] == "använder uppräkningen omrade i §4"


def test_content_of_s4_agreed_only_by_the_region_fails_the_procedure():
    r = check("omrade_endast_regionen.yaml")
    assert r.exit_code == 1
    assert not r.procedure.ok
    assert r.procedure.diverging == MUNICIPALITIES
    msgs = [f.message for f in r.findings if f.category == "procedure" and f.severity == "error"]
    assert any("båda parter kommit överens" in m for m in msgs)
    assert any("Ragunda" in m and "Östersund" in m for m in msgs)
    # nothing else is wrong: the §12 examples use the ids of the areas, not their labels
    assert not [f for f in r.findings if f.severity == "error" and f.category != "procedure"]
    # §12 is re-verified because it uses §4's enumeration
    assert {"clause": "§12", "why": "använder uppräkningen omrade i §4"} in r.reverified


def test_malformed_amendment_is_exit_2_with_its_place(capsys):
    code, out, err = run_cli(capsys, "amend", "check", str(ROOT / "amendments/trasig.yaml"))
    assert code == 2
    assert "trasig.yaml:7:1: error: unknown key 'agreed' in an amendment" in err
    assert "hint: did you mean 'agreed_by'?" in err


def test_harmless_amendment():
    r = check("ersattning_ny_niva.yaml")
    pm = r.effects["per_municipality"]
    if "§7" in _clauses_with_rules():
        # §7 has a rule: the new yearly amount gives an effect per municipality and year. Its
        # spec examples were derived for the old amount, so they may need new expectations in
        # the amendment; nothing else may fail.
        assert pm["status"] == "computed" and pm["rows"]
        assert not [f for f in r.findings if f.severity == "error" and not (f.category == "example" and "§7" in f.message)]
        # On the sourced populations of 2021-11-01 (sum 131 870), operating year 2022, by hand:
        # Ragunda 5 214 persons: 935 600 000 × 5 214 / 131 870 = 36 992 632,04 öre → 369 926,32 kr before,
        # 980 000 000 × 5 214 / 131 870 = 38 748 161,08 öre → 387 481,61 kr after (both fractions
        # too small to win one of the leftover öre), a difference of 17 555,29 kr.
        ragunda = next(x for x in pm["rows"] if x["key"] == "Ragunda" and x.get("source") == "data/population.csv")
        assert (ragunda["year"], ragunda["before"], ragunda["after"], ragunda["difference"]) == (
            2022, "369 926,32 kr", "387 481,61 kr", "17 555,29 kr")
    else:
        assert r.exit_code == 0, [f.message for f in r.findings if f.severity == "error"]
        assert pm["status"] == "skipped" and "§7 has no rule file" in pm["reason"]
        assert any(f.category == "skipped" and "§7" in f.message for f in r.findings)
    text = next(t for t in r.effects["text"] if t["clause"] == "§7")
    assert (text["numbers_before"], text["numbers_after"]) == (["9 356 000"], ["9 800 000"])


def _clauses_with_rules():
    from avtalsregler.project.load import load_project

    return set(load_project(ROOT).clauses)


def test_github_annotations_point_at_the_spec_and_the_amendment(capsys):
    code, out, _ = run_cli(capsys, "amend", "check", "--format", "github", str(ROOT / "amendments/tak_60_procent.yaml"))
    assert code == 1
    assert "::error file=specs/s12_tvist.yaml,line=198,col=11,title=" in out
    assert "::garantin 'hogst_halften_av_omradet'" in out
    code, out, _ = run_cli(capsys, "amend", "check", "--format", "github", str(ROOT / "amendments/trasig.yaml"))
    assert code == 2
    assert "::error file=" in out and "trasig.yaml,line=7,col=1,title=" in out and "::unknown key 'agreed'" in out
    code, out, _ = run_cli(capsys, "amend", "check", "--format", "github",
                           str(ROOT / "amendments/tak_60_procent_med_spec.yaml"))
    assert code == 0
    assert "::notice file=" in out and "ändras avsiktligt" in out


def test_json_report_has_what_a_page_needs(capsys, tmp_path):
    keep = tmp_path / "kopia"
    code, out, _ = run_cli(capsys, "amend", "check", "--format", "json", "--keep", str(keep),
                           str(ROOT / "amendments/tak_60_procent_med_spec.yaml"))
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["kept_copy"] == str(keep)
    for key in ("amendment", "text_changes", "reverified", "guarantees_changed_on_purpose", "effects",
                "procedure", "findings", "examples"):
        assert key in data
    # the kept copy is a project that checks clean, with the new wording
    assert "högst vara 60%" in (keep / "agreement/overenskommelse.txt").read_text(encoding="utf-8")
    assert main(["--root", str(keep), "check"]) == 0
    capsys.readouterr()
    # --keep never overwrites
    code, _, err = run_cli(capsys, "amend", "check", "--keep", str(keep), str(ROOT / "amendments/tak_60_procent.yaml"))
    assert code == 2 and "is not empty" in err


# -- the mechanism, on amendments written here --------------------------------------------------

def write(tmp_path: Path, body: str, name: str = "a.yaml", parties: str = ALL_PARTIES) -> Path:
    p = tmp_path / name
    p.write_text("amendment: test\ntitle: Test\nproposed_by: Region Jämtland Härjedalen\n"
                 f"agreed_by:\n{parties}\neffective: 2026-01-01\nrationale: test\n" + body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body,line,message", [
    ("changes:\n  - clause: \"§12\"\n    rule:\n      parameters:\n        - name: hogsta_andel_innehallen\n"
     "          value: sextio procent\n", 21, "expected a fraction"),
    ("changes:\n  - clause: \"§12\"\n    sentences:\n      - id: s12.9\n        text: Ny mening.\n", 19,
     "has no sentence 's12.9'"),
    ("changes:\n  - clause: \"§12\"\n    wording:\n      - old: finns inte i texten\n        new: x\n", 19,
     "are not in §12"),
    ("changes:\n  - clause: \"§99\"\n    wording:\n      - old: a\n        new: b\n", 17, "no clause '§99'"),
    ("changes:\n  - clause: \"§12\"\n    spec:\n      invariants:\n        - name: ny\n          reason: r\n"
     "          holds: hogsta_innehallna_belopp <= okand\n", 22, "okand"),
])
def test_malformed_changes_point_at_the_amendment(tmp_path, body, line, message):
    p = write(tmp_path, body)
    with pytest.raises(AvtalsreglerError) as info:
        check_amendment(ROOT, p)
    assert info.value.span is not None and info.value.span.path == str(p), info.value.format()
    assert info.value.span.line == line, info.value.format()
    assert message in info.value.message


def test_unknown_party_is_malformed(tmp_path):
    p = write(tmp_path, "changes:\n  - clause: \"§12\"\n    wording:\n      - old: regionens samverkansråd\n"
                        "        new: Regionens samverkansråd\n", parties="  - Region Jämtland\n")
    with pytest.raises(AvtalsreglerError) as info:
        check_amendment(ROOT, p)
    assert "not a party" in info.value.message and "Region Jämtland Härjedalen" in (info.value.hint or "")


def test_value_not_in_its_words_is_a_grounding_error(tmp_path):
    # 60 % while the words (and the text) still say 50 %: the number is not grounded.
    p = write(tmp_path, "changes:\n  - clause: \"§12\"\n    rule:\n      parameters:\n"
                        "        - name: hogsta_andel_innehallen\n          value: 60%\n")
    r = check_amendment(ROOT, p)
    assert r.exit_code == 1
    f = [f for f in r.findings if f.category == "pinning" and f.severity == "error"]
    assert f and "'högst vara 50%'" in f[0].message and f[0].where.line == 20


def test_wording_that_breaks_a_quote_is_a_pinning_error(tmp_path):
    # The change spans the end of s12.3 and the start of s12.4, so neither quote is in the new text.
    p = write(tmp_path, "changes:\n  - clause: \"§12\"\n    wording:\n"
                        "      - old: omtvistade området. I överenskommelsen\n"
                        "        new: omtvistade området; i överenskommelsen\n")
    r = check_amendment(ROOT, p)
    assert r.exit_code == 1
    msgs = [f.message for f in r.findings if f.category == "pinning" and f.severity == "error"]
    assert any("s12.3" in m for m in msgs), msgs


def test_removing_a_guarantee_on_purpose_and_adding_one(tmp_path):
    p = write(tmp_path, "changes:\n  - clause: \"§12\"\n    spec:\n      invariants:\n"
                        "        - name: inget_utan_tvist\n          remove: true\n"
                        "          rationale: ersätts av den nya garantin (test)\n"
                        "        - name: betalning_hogst_perioden\n"
                        "          reason: Kommunen betalar aldrig mer än periodens ersättning.\n"
                        "          holds: lagsta_betalning <= ersattning_perioden\n")
    r = check_amendment(ROOT, p)
    assert r.exit_code == 0, [f.message for f in r.findings if f.severity == "error"]
    assert {(g["name"], g["change"]) for g in r.on_purpose} == {("inget_utan_tvist", "removed"),
                                                                ("betalning_hogst_perioden", "added")}
    # only the spec changes: no procedure is needed for the agreement itself
    assert r.procedure.ok and not r.procedure.diverging


def test_hooks_with_fixture_s7_and_s10(tmp_path):
    """§7 and §10 rules written here as fixtures (not the project's rules) exercise the hooks:
    change per municipality and year, and dates that move."""
    root = tmp_path / "p"
    for d in ("agreement", "rules", "specs", "readings"):
        shutil.copytree(ROOT / d, root / d)
    for folder in ("rules", "specs"):  # the fixtures stand in for the project's own §7, §10, §11
        for f in [*(root / folder).glob("s07*.yaml"), *(root / folder).glob("s1[01]*.yaml")]:
            f.unlink()
    for f in [*(root / "readings").glob("s07*.yaml"), *(root / "readings").glob("s1[01]*.yaml")]:
        f.unlink()
    (root / "rules/s07_fixture.yaml").write_text("""clause: "§7"
title: Ersättning
summary: Testfixtur, inte projektets regel för §7.
sentences:
  - id: s7.1
    text: Ersättning utgår med 9 356 000 kronor per år i 2018 års prisnivå
inputs:
  ar: {type: int, description: Verksamhetsåret.}
  kommun_i_fraga: {type: kommun, description: Kommunen.}
  kommunens_befolkning: {type: int, min: 0, max: 1000000, description: Kommunens befolkning.}
  lanets_befolkning: {type: int, min: 1, max: 1000000, description: Länets befolkning.}
assume:
  - name: del_av_lanet
    expr: kommunens_befolkning <= lanets_befolkning
    reason: En kommun är en del av länet.
parameters:
  arsbelopp: {type: money, value: 9 356 000 kr, words: 9 356 000 kronor}
definitions:
  kommunens_ersattning:
    type: money
    expr: floor(arsbelopp * kommunens_befolkning / lanets_befolkning)
    description: Kommunens del (utan uppräkning; fixtur).
""", encoding="utf-8")
    # Populations 1 November 2021 (data/population.csv, Hedeinfo citing SCB); county sum 131 870.
    (root / "specs/s07_fixture.yaml").write_text("""clause: "§7"
examples:
  - name: ostersund_2022
    given: {ar: 2022, kommun_i_fraga: ostersund, kommunens_befolkning: 64354, lanets_befolkning: 131870}
    holds: [icke_negativ]
  - name: ragunda_2022
    given: {ar: 2022, kommun_i_fraga: ragunda, kommunens_befolkning: 5214, lanets_befolkning: 131870}
    holds: [icke_negativ]
invariants:
  - name: icke_negativ
    reason: Ingen kommun får en negativ del.
    holds: kommunens_ersattning >= 0
""", encoding="utf-8")
    (root / "rules/s10_fixture.yaml").write_text("""clause: "§10"
title: Giltighetstid
summary: Testfixtur, inte projektets regel för §10.
sentences:
  - id: s10.1
    text: Överenskommelsen gäller från och med 2019-01-01 till 2021-12-31.
parameters:
  slutdatum: {type: date, value: 2021-12-31, words: till 2021-12-31}
""", encoding="utf-8")
    (root / "specs/s10_fixture.yaml").write_text('clause: "§10"\n', encoding="utf-8")
    p = write(tmp_path, "changes:\n  - clause: \"§7\"\n    wording:\n"
                        "      - old: Ersättning utgår med 9 356 000 kronor per år\n"
                        "        new: Ersättning utgår med 9 800 000 kronor per år\n"
                        "    rule:\n      parameters:\n        - quoting: 9 356 000 kronor\n"
                        "          value: 9 800 000 kr\n          words: 9 800 000 kronor\n"
                        "  - clause: \"§10\"\n    wording:\n      - old: till 2021-12-31\n        new: till 2022-12-31\n"
                        "    rule:\n      parameters:\n        - name: slutdatum\n          value: 2022-12-31\n"
                        "          words: till 2022-12-31\n")
    r = check_amendment(root, p)
    assert r.exit_code == 0, [(f.message, f.detail) for f in r.findings if f.severity == "error"]
    pm = r.effects["per_municipality"]
    assert pm["status"] == "computed"
    rows = {(x["year"], x["key"]): x for x in pm["rows"]}
    # by hand: share = floor(amount in öre × population / 131 870)
    for muni, pop in (("Östersund", 64354), ("Ragunda", 5214)):
        before, after = 935_600_000 * pop // 131_870, 980_000_000 * pop // 131_870
        row = rows[("2022", muni)]
        assert parse_money_text(row["before"].replace(",", ",")) == before
        assert parse_money_text(row["after"]) == after
        assert parse_money_text(row["difference"]) == after - before
    dates = r.effects["dates_moved"]["rows"]
    assert {"clause": "§10", "name": "slutdatum", "type": "date", "before": "2021-12-31", "after": "2022-12-31",
            "difference": "+365 dagar", "source": "parameter"} in dates
    assert any(d["source"] == "wording" and d["after"] == "2022-12-31" for d in dates)
    assert r.effects["dates_moved"]["clauses_with_rules"] == ["§10"]
    # the quote of s7.1 followed the new wording
    assert any("s7.1" in f.message for f in r.findings if f.category == "pinning")


# -- apply ------------------------------------------------------------------------------------------

def _git_project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for d in ("agreement", "rules", "specs", "readings", "amendments"):
        shutil.copytree(ROOT / d, root / d)
    env = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "init"], cwd=root, check=True)
    return root


def test_apply_writes_a_reviewable_diff(tmp_path, capsys):
    root = _git_project(tmp_path)
    assert main(["--root", str(root), "amend", "apply", str(root / "amendments/tak_60_procent_med_spec.yaml")]) == 0
    diff = subprocess.run(["git", "diff", "--stat"], cwd=root, capture_output=True, text=True).stdout
    for f in ("agreement/overenskommelse.txt", "rules/s12_tvist.yaml", "specs/s12_tvist.yaml", "readings/s12_tvist.yaml"):
        assert f in diff
    capsys.readouterr()
    assert main(["--root", str(root), "check"]) == 0
    # now dirty: a second apply is refused
    capsys.readouterr()
    assert main(["--root", str(root), "amend", "apply", str(root / "amendments/tak_60_procent.yaml")]) == 2
    assert "uncommitted changes" in capsys.readouterr().err


def test_apply_refuses_outside_git_unless_forced(tmp_path, capsys):
    root = tmp_path / "plain"
    for d in ("agreement", "rules", "specs", "readings"):
        shutil.copytree(ROOT / d, root / d)
    am = ROOT / "amendments/tak_60_procent_med_spec.yaml"
    assert main(["--root", str(root), "amend", "apply", str(am)]) == 2
    assert "not inside a git work tree" in capsys.readouterr().err
    assert "högst vara 50%" in (root / "agreement/overenskommelse.txt").read_text(encoding="utf-8")
    assert main(["--root", str(root), "amend", "apply", "--force", str(am)]) == 0
    assert "högst vara 60%" in (root / "agreement/overenskommelse.txt").read_text(encoding="utf-8")


def test_ci_templates_run_amend_check():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "avtalsregler-amend-check")
    assert hook["entry"] == "avtalsregler amend check" and hook["pass_filenames"]
    assert __import__("re").match(hook["files"], "amendments/tak_60_procent.yaml")
    check = next(h for h in hooks if h["id"] == "avtalsregler-check")
    assert check["entry"] == "avtalsregler check" and not check["pass_filenames"]
    assert __import__("re").match(check["files"], "specs/s12_tvist.yaml")
    assert not __import__("re").match(check["files"], "README.md")
    wf = yaml.safe_load((ROOT / "ci-templates/github/amendments.yml").read_text(encoding="utf-8"))
    script = "\n".join(s.get("run", "") for s in wf["jobs"]["avtalsregler"]["steps"])
    assert "avtalsregler amend check --format github" in script
    assert not (ROOT / ".github/workflows/amendments.yml").exists()
