"""§7 Ersättning: the hand-derived 2022 split, the CLI, bad input, and a broken rule caught by check."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from avtalsregler.cli.main import main
from avtalsregler.project.evaluate import evaluate

from ..conftest import ROOT

SHARED_POP = Path("/work/shared/data/population.csv")
POP = ROOT / "data" / "population.csv"
FIXTURE_INDEX = ROOT / "tests" / "fixtures" / "lpik_fiktiv.yaml"

# Population on 2021-11-01 (data/population.csv, Hedeinfo citing SCB), enumeration order.
POP_2021 = {"ragunda": 5214, "bracke": 6197, "krokom": 15329, "stromsund": 11474, "are": 12105,
            "berg": 7133, "harjedalen": 10064, "ostersund": 64354}
T = 935_600_000  # 9 356 000 kr in öre


def test_hand_derivation_2022(project):
    # By hand: total 5 214 + 6 197 + 15 329 + 11 474 + 12 105 + 7 133 + 10 064 + 64 354 = 131 870.
    W = 131_870
    # Each quota is 935 600 000 × pop / 131 870 = floor + rest/131 870, written out:
    hand = {  # kommun: (T × pop, floor, rest)
        "ragunda": (4_878_218_400_000, 36_992_632, 18_160),
        "bracke": (5_797_913_200_000, 43_966_885, 75_050),
        "krokom": (14_341_812_400_000, 108_757_203, 40_390),
        "stromsund": (10_735_074_400_000, 81_406_494, 36_220),
        "are": (11_325_438_000_000, 85_883_354, 108_020),
        "berg": (6_673_634_800_000, 50_607_680, 38_400),
        "harjedalen": (9_415_878_400_000, 71_402_732, 131_160),
        "ostersund": (60_209_602_400_000, 456_583_016, 80_080),
    }
    for k, (num, fl, rest) in hand.items():   # the hand arithmetic is itself right
        assert num == T * POP_2021[k] and num == W * fl + rest and 0 <= rest < W
    floors = sum(fl for _, fl, _ in hand.values())
    assert floors == 935_599_996          # so 4 öre are left over
    # The 4 largest rests: Härjedalen 131 160, Åre 108 020, Östersund 80 080, Bräcke 75 050
    # (the next, Krokom 40 390, gets nothing). They get one öre each.
    extra = {"harjedalen", "are", "ostersund", "bracke"}
    expected = {k: fl + (k in extra) for k, (_, fl, _) in hand.items()}
    values, _ = evaluate(project.clauses["§7"], project.enums, {"arsbelopp": T, "befolkning": POP_2021},
                         ["arsandel", "kvartalsfaktura"])
    assert values["arsandel"] == expected
    assert sum(values["arsandel"].values()) == T
    for k, share in values["arsandel"].items():
        quarters = list(values["kvartalsfaktura"][k].values())
        assert sum(quarters) == share and all(abs(4 * q - share) < 4 for q in quarters)
    # Bräcke 43 966 886 = 4 × 10 991 721 + 2: quarters 1 and 2 get the extra öre.
    assert list(values["kvartalsfaktura"]["bracke"].values()) == [10_991_722, 10_991_722, 10_991_721, 10_991_721]


def run_cli(capsys, *args):
    code = main(["--root", str(ROOT), "compute", "ersattning", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("pop", [p for p in (SHARED_POP, POP) if p.exists()])
def test_cli_2022_json(capsys, pop):
    code, out, err = run_cli(capsys, "--year", 2022, "--population", pop, "--annual-amount", "9356000",
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    rows = data["municipalities"]
    assert [r["code"] for r in rows] == ["2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"]
    assert sum(r["annual_ore"] for r in rows) == 935_600_000 == data["annual_ore"]
    assert all(sum(r["quarters_ore"]) == r["annual_ore"] and len(r["quarters_ore"]) == 4 for r in rows)
    assert rows[-1]["annual_ore"] == 456_583_017        # Östersund, derived above
    assert any(w["reading"] == "R7-befolkningsdata" and "131 914" in w["message"] for w in data["warnings"])
    assert {"R7-fordelning", "R7-lika-rester", "R7-kvartalsore"} <= {r["id"] for r in data["readings"]}


def test_cli_table_and_explain(capsys):
    code, out, err = run_cli(capsys, "--year", 2022, "--annual-amount", "9 356 000", "--explain")
    assert code == 0, err
    assert re.search(r"Summa\s+131 870\s+100,00 %\s+9 356 000,00 kr", out)
    assert "4 565 830,17 kr" in out and "1 141 457,55 kr" in out     # Östersund year, quarter 1
    assert "s7.2" in out and "R7-lika-rester" in out and "överblivna öre: 935 600 000 − 935 599 996 = 4" in out
    assert "131 914" in err        # the known doubt is surfaced, not silently fixed


def test_explain_writes_years_without_digit_space_and_formulas_in_plain_notation(capsys):
    """A year is a count without money unit: no digit group below five digits (2022, not
    "2 022"), as on the site; the population (131 870, six digits) keeps its groups. The
    formula of befolkningsdag reads as the site writes it: the parameter befolkning_ar_fore is
    1, so "1 november år (verksamhetsar − 1)"."""
    code, out, err = run_cli(capsys, "--year", 2022, "--annual-amount", "9356000", "--explain")
    assert code == 0, err
    assert "verksamhetsar = 2022  (indata: --year 2022)" in out
    assert "2 022" not in out and "summa 131 870" in out
    assert "    = 1 november år (verksamhetsar − 1)" in out
    assert "make_date(" not in out


def test_cli_csv(capsys):
    code, out, _ = run_cli(capsys, "--year", 2022, "--annual-amount", "9356000", "--format", "csv")
    assert code == 0
    lines = out.strip().split("\n")
    assert lines[0] == "municipality,code,population,annual_ore,q1_ore,q2_ore,q3_ore,q4_ore"
    assert sum(int(x.split(",")[3]) for x in lines[1:]) == 935_600_000


def test_missing_index_year_names_year_and_file(capsys):
    code, _, err = run_cli(capsys, "--year", 2022)
    assert code == 2
    assert "no LPIK forecast for 2019" in err and "lpik.yaml" in err and "hint:" in err


def test_fictitious_index_chain(capsys):
    # Fixture values (NOT real): 2019 +2,9 % published 2018-10-01; 2020 +3,1 % published 2019-10-01
    # and +2,0 % published 2021-03-01 (after the year began, so not used by default).
    # 935 600 000 × 1,029 = 962 732 400; × 1,031 = 992 577 104,4 → 992 577 104 öre.
    code, out, err = run_cli(capsys, "--year", 2020, "--index", FIXTURE_INDEX, "--population", _pop_2020(capsys),
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["annual_ore"] == 992_577_104
    assert any("FIKTIVA" in w["message"] for w in data["warnings"])
    # --vintage latest takes the 2021 outcome 2,0 %: 962 732 400 × 1,02 = 981 987 048.
    code, out, err = run_cli(capsys, "--year", 2020, "--index", FIXTURE_INDEX, "--population", _pop_2020(capsys),
                             "--format", "json", "--vintage", "latest")
    assert json.loads(out)["annual_ore"] == 981_987_048
    # --chain simple: 935 600 000 × (1 + 0,029 + 0,031) = 991 736 000.
    code, out, err = run_cli(capsys, "--year", 2020, "--index", FIXTURE_INDEX, "--population", _pop_2020(capsys),
                             "--format", "json", "--chain", "simple")
    assert json.loads(out)["annual_ore"] == 991_736_000


_POP_TMP: dict = {}


def _pop_2020(capsys):
    """A population file dated 2019-11-01 made from the 2021 figures — FICTITIOUS dates for the test."""
    import tempfile
    if "p" not in _POP_TMP:
        text = POP.read_text(encoding="utf-8").splitlines()
        rows = [ln.replace("2021-11-01", "2019-11-01") for ln in text if ",2021-11-01," in ln]
        f = Path(tempfile.mkdtemp()) / "pop.csv"
        f.write_text("\n".join([text[0], *rows]) + "\n", encoding="utf-8")
        _POP_TMP["p"] = f
    return _POP_TMP["p"]


HEADER = "municipality,code,date,population,source"
GOOD = [("Ragunda", 2303, 5214), ("Bräcke", 2305, 6197), ("Krokom", 2309, 15329), ("Strömsund", 2313, 11474),
        ("Åre", 2321, 12105), ("Berg", 2326, 7133), ("Härjedalen", 2361, 10064), ("Östersund", 2380, 64354)]


def _file(tmp_path, rows, date="2021-11-01"):
    lines = [HEADER] + [f"{n},{c},{date},{p},test" for n, c, p in rows]
    f = tmp_path / "pop.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("rows,date,message,line", [
    (GOOD[:-1], "2021-11-01", "no population on 2021-11-01 for Östersund", 1),
    (GOOD[:2] + [("Krokom", 2309, -5)] + GOOD[3:], "2021-11-01", "population '-5' of Krokom is negative", 4),
    (GOOD[:2] + [("Krokom", 2309, "15329.5")] + GOOD[3:], "2021-11-01", "is not a whole number", 4),
    (GOOD + [("Berg", 2326, 7000)], "2021-11-01", "Berg has two rows for 2021-11-01 (first at line 7)", 10),
    (GOOD, "2021-12-31", "no population dated 2021-11-01", 1),
    (GOOD + [("Sundsvall", 2281, 99000)], "2021-11-01", "Sundsvall (code '2281') is not a party", 10),
])
def test_bad_population(tmp_path, capsys, rows, date, message, line):
    f = _file(tmp_path, rows, date)
    code, _, err = run_cli(capsys, "--year", 2022, "--population", f, "--annual-amount", "9356000")
    assert code == 2
    assert message in err and f"{f}:{line}:" in err and "hint:" in err and "Traceback" not in err


def test_bad_amount(capsys):
    code, _, err = run_cli(capsys, "--year", 2022, "--annual-amount", "9356000.5")
    assert code == 2 and "is not an amount" in err


def test_plain_rounding_is_caught_by_check(project_copy):
    """Replace the largest remainder method by rounding each share: check must fail with a
    counterexample to summa_exakt (replayed exactly), not merely 'unknown'."""
    rule = project_copy / "rules" / "s07_ersattning.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "expr: apportion(arsbelopp, befolkning)" in text
    rule.write_text(text.replace("expr: apportion(arsbelopp, befolkning)",
                                 "expr: per(k in kommun, round(exakt_andel[k]))"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "avtalsregler", "--root", str(project_copy), "check",
                           "--clause", "§7", "--format", "json"], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, timeout=600)
    assert proc.returncode == 1, proc.stderr
    proofs = {p["name"]: p for c in json.loads(proc.stdout)["clauses"] for p in c["proofs"]}
    assert proofs["summa_exakt"]["status"] == "counterexample", proofs["summa_exakt"]
    # Replay the counterexample by hand: the rounded shares do not sum to the amount.
    given = proofs["summa_exakt"]["replay"]
    from avtalsregler.language.types import parse_money_text
    total = parse_money_text(given["arsbelopp"])
    pops = given["befolkning"]
    W = sum(pops.values())
    rounded = sum((2 * total * p + W) // (2 * W) for p in pops.values())   # round half up of total*p/W
    assert rounded != total


def test_the_known_doubt_is_shown_only_for_the_figures_it_is_about(capsys, project_copy):
    """The doubt's numbers are computed from the figures: as stated (131 870 against the stated
    131 914, a difference of 44) it is shown; with Bräcke's figure changed by one, the figures are
    no longer those the doubt is about and it is not shown."""
    code, _, err = run_cli(capsys, "--year", 2022, "--annual-amount", "9356000")
    assert code == 0 and "summerar till 131 870, men källan anger summan 131 914 (en skillnad på 44)" in err
    pop = project_copy / "data" / "population.csv"
    lines = pop.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("Bräcke,") and ",2021-11-01," in line)
    cells = lines[i].split(",")
    cells[3] = str(int(cells[3]) + 1)
    lines[i] = ",".join(cells)
    pop.write_text("\n".join(lines), encoding="utf-8")
    (project_copy / "data" / "population_doubts.yaml").write_text(
        (ROOT / "data" / "population_doubts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["--root", str(project_copy), "compute", "ersattning", "--year", "2022", "--annual-amount", "9356000"])
    err = capsys.readouterr().err
    assert code == 0 and "131 870" not in err and "131 914" not in err, err


def test_the_list_of_computations_is_swedish(capsys):
    """'avtalsregler compute' without a name lists each computation by its Swedish 'label'
    (rules/s07 and s11), not by its English --help line."""
    assert main(["--root", str(ROOT), "compute"]) == 0
    out = capsys.readouterr().out
    assert "§7: årets ersättning, fördelad efter befolkning, och fakturorna (exakta öre)" in out
    assert "§11: avtalsperioden som en dag ligger i" in out
    assert "the year's compensation" not in out and "termination" not in out
