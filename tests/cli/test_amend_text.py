"""The text report of ``amend check`` is Swedish from start to end, shows tables only for the
clauses the amendment touches (columns named by the quantity), months as months, minimal
counterexamples and a mismatch line for every output of a failing example."""

from __future__ import annotations

import re

import pytest

from avtalsregler.apps.amend.report import check_amendment
from avtalsregler.cli.amend_text import report_text

from ..conftest import ROOT

# English that the report used to mix in ("re-verified:", "procedure: met", "FAILED: 5 error(s)",
# "counterexample inputs", "expected … got …", "hint:", "per party", "changed on purpose", …)
ENGLISH = re.compile(r"\b(re-verified|not affected|procedure|FAILED|OK|errors?|counterexamples?|guarantees?|"
                     r"expected|got|hint|note|on purpose|party|changed|computed|reason|inputs|does not hold|"
                     r"after the amendment|met|agreed|examples?|proved|unknown|skipped|parameter \w+:)\b")

S11 = """\
amendment: uppsagning-sex-manader
title: Uppsägningstiden kortas till sex månader
proposed_by: Region Jämtland Härjedalen
agreed_by:
  - Region Jämtland Härjedalen
{members}
effective: 2027-01-01
rationale: Test (påhittat).
changes:
  - clause: "§11"
    sentences:
      - id: s11.1
        text: Överenskommelsen kan sägas upp av part senast 6 månader före överenskommelsens utgång.
    rule:
      parameters:
        - name: uppsagningstid_manader
          value: 6
          words: senast 6 månader
    readings:
      - {{id: R11-utgang, words: senast 6 månader före överenskommelsens utgång}}
      - {{id: R11-senast, words: senast 6 månader}}
      - {{id: R11-for-sent, words: kan sägas upp av part senast 6 månader före överenskommelsens utgång}}
      - {{id: R11-helgdag, words: senast 6 månader före överenskommelsens utgång}}
"""
MEMBERS = "\n".join(f"  - {m} kommun" for m in ("Ragunda", "Bräcke", "Krokoms", "Strömsunds", "Åre", "Bergs",
                                                   "Härjedalens", "Östersunds"))


def text_of(report) -> str:
    out, err = report_text(report)
    return "\n".join(out + err)


def without_code(text: str) -> str:
    """The text without the amendment's path and the invariants' formulas (identifiers)."""
    text = re.sub(r"\[[^\]]*\.yaml\]", "", text)
    return re.sub(r"villkoret som inte håller: .*", "", text)


# the tests that read the module fixture cap60 run on one pytest-xdist worker (--dist loadgroup),
# which makes it once
pytestmark = pytest.mark.xdist_group("test_amend_text")


@pytest.fixture(scope="module")
def cap60():
    return check_amendment(ROOT, ROOT / "amendments/tak_60_procent.yaml")


def test_the_report_is_swedish_throughout(cap60):
    text = text_of(cap60)
    assert not ENGLISH.findall(without_code(text)), ENGLISH.findall(without_code(text))
    assert "Resultat: HÅLLER INTE — 8 fel" in text and "Förfarandet\n  Följs" in text
    assert "Omprövade paragrafer\n  §12: ändras av förslaget" in text


def test_only_the_touched_clause_has_tables(cap60):
    # a §12 amendment: no table of the §7 split per municipality (it would be all zeros)
    text = text_of(cap60)
    assert "per kommun" not in text and not re.search(r"(?m)^ +\d{4} +Ragunda ", text)
    assert "§7" not in text.split("Inte berörda")[0]


def test_a_failing_example_has_a_line_per_output(cap60):
    text = text_of(cap60)
    # by hand: Kurs och konferens has 200 000,00 kr; 60 % of it is 120 000,00 kr (was 50 %: 100 000,00 kr),
    # and the least payment 1 000 000,00 − 120 000,00 = 880 000,00 kr
    block = text.split("fel: exemplet 'tvist_om_kurs_och_konferens' i §12 stämmer inte efter ändringen\n")[1]
    lines = block.split("\n")[:3]
    assert lines == ["  tak_innehallen_ersattning: förväntat 100 000,00 kr, beräknat 120 000,00 kr",
                     "  hogsta_innehallna_belopp: förväntat 100 000,00 kr, beräknat 120 000,00 kr",
                     "  lagsta_betalning: förväntat 900 000,00 kr, beräknat 880 000,00 kr"]
    # a map output: one line per key that differs
    assert "  tak_per_period [Tvistens tredje period]: förväntat 50 000,00 kr, beräknat 60 000,00 kr" in text


def test_counterexamples_show_only_what_matters_in_round_values(cap60):
    text = text_of(cap60)
    block = text.split("fel: garantin 'hogst_halften_av_omradet' i §12")[1].split("beräknat:")[0]
    line = block.split("motexempel (bara de indata som spelar roll):\n")[1]
    assert re.search(r"(?m)^    ersattning_per_omrade = [^;\n]+: 100 000,00 kr; övriga: 0,00 kr$", line), line
    # the invariant 2 * hogsta_innehallna_belopp <= ersattning_omtvistat_omrade reads neither the
    # amount withheld, nor whether a settlement is stated, nor whether the dispute is one of interpretation
    for irrelevant in ("innehallet_belopp", "reglering_angiven", "tvist_om_tolkning", "innehallet_per_period"):
        assert irrelevant not in line
    amounts = re.findall(r"(\d[\d ]*),(\d\d) kr", line)
    assert amounts and all(ore == "00" and kr.replace(" ", "").endswith("000") or kr == "0" for kr, ore in amounts)


def test_months_are_shown_as_months_and_no_other_clause_has_a_table(tmp_path):
    p = tmp_path / "s11.yaml"
    p.write_text(S11.format(members=MEMBERS), encoding="utf-8")
    r = check_amendment(ROOT, p)
    text = text_of(r)
    # by hand: the first period ends 2021-12-31; 12 months before its end is the end of December
    # 2020, 6 months before is the end of June 2021
    assert re.search(r"period_fristmanad +december 2020 +juni 2021 +\+6 månader", text)
    assert re.search(r"period_uppsagningsfrist +2020-12-31 +2021-06-30", text)
    assert not re.search(r"\d{2} \d{3} månader", text)      # no month numbers like "24 251 månader"
    assert "per kommun" not in text
    assert not ENGLISH.findall(without_code(text)), ENGLISH.findall(without_code(text))


def test_the_per_municipality_table_names_its_columns():
    r = check_amendment(ROOT, ROOT / "amendments/ersattning_ny_niva.yaml")
    text = text_of(r)
    assert re.search(r"År +Kommun +Årsbelopp före +Årsbelopp efter +Skillnad", text)
    # by hand (see test_amend.test_harmless_amendment): Ragunda 2022, 369 926,32 kr → 387 481,61 kr
    assert re.search(r"2022 +Ragunda +369 926,32 kr +387 481,61 kr +\+17 555,29 kr", text)
    assert not ENGLISH.findall(without_code(text)), ENGLISH.findall(without_code(text))


def test_a_made_up_agreement_says_so_first_and_last():
    fixture = ROOT / "tests/fixtures/andra_avtalet"
    r = check_amendment(fixture, fixture / "amendments/tak_40_procent.yaml")
    out, _ = report_text(r)
    assert "FIKTIV" in out[0] and "FIKTIV" in out[-1] and out[-1].startswith("Resultat:")
    assert r.as_json()["fictitious"] is True
