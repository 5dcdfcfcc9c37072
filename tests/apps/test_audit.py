"""``avtalsregler audit``: invoices checked against the invoices the rules give.

Expected amounts for 2022 (our agreement), derived by hand from §7 and the real populations of
2021-11-01 in data/population.csv (Ragunda 5 214, Bräcke 6 197, Krokom 15 329, Strömsund 11 474,
Åre 12 105, Berg 7 133, Härjedalen 10 064, Östersund 64 354; sum 131 870), with the base amount
9 356 000 kr = 935 600 000 öre (given with --annual-amount: no LPIK value with a source is
shipped). This is the spec example ``kvartal_2022`` of specs/s07_ersattning.yaml:

* Krokom: 935 600 000 × 15 329 / 131 870 = 108 757 203,31 öre → 108 757 203 (the remainder is
  not among the four largest, s7.2); ÷ 4 = 27 189 300 rest 3, so quarters 1–3 are 27 189 301
  öre = 271 893,01 kr and quarter 4 271 893,00 kr (s7.3, reading R7-kvartalsore).
* Berg: 935 600 000 × 7 133 / 131 870 = 50 607 680,29 → 50 607 680; ÷ 4 = 12 651 920 exactly:
  126 519,20 kr each quarter.
* Härjedalen: 935 600 000 × 10 064 / 131 870 = 71 402 732,99 → 71 402 733 (one of the four
  öre left over goes to it, the largest remainders); ÷ 4 = 17 850 683 rest 1: quarter 1
  178 506,84 kr, quarters 2–4 178 506,83 kr.
* Östersund: 456 583 016,61 → 456 583 017; ÷ 4 = 114 145 754 rest 1: quarter 1 1 141 457,55 kr,
  then 1 141 457,54 kr.

The invoice days are the first day of each quarter (fakturadag in the rule; readings
R10-fakturadag and R7-forfallodag, both open): 2022-01-01, -04-01, -07-01, -10-01.

The sample examples/invoices/fakturor_2022.csv (FICTITIOUS) invoices Krokom's quarter 2 as
271 893,10 kr (9 öre too much), leaves out Berg's quarter 4 and has a second invoice for
Härjedalen's quarter 3; examples/invoices/fakturor_2022_rattade.csv is the same without them.

The second, fictitious agreement (tests/fixtures/andra_avtalet, its specs' 2024 split): Alfa
48 988 764, Beta 38 202 247, Gamma 32 808 989 öre a year, each in two halves with the odd öre in
the first half (a3.3, A3-halvarsore): Alfa 24 494 382 + 24 494 382, Beta 19 101 124 +
19 101 123, Gamma 16 404 495 + 16 404 494; invoice days 2024-01-01 and 2024-07-01.
"""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from avtalsregler.apps.audit import amount_ore, audit, date_of, period_of
from avtalsregler.apps.audit.values import NO_SUCH_PERIOD, CellError
from avtalsregler.apps.compute import run_computation
from avtalsregler.cli.main import main

from ..conftest import ROOT

SAMPLE = ROOT / "examples" / "invoices" / "fakturor_2022.csv"
FIXED = ROOT / "examples" / "invoices" / "fakturor_2022_rattade.csv"
OTHER = ROOT / "tests" / "fixtures" / "andra_avtalet"
AMOUNT = ["--annual-amount", "9356000"]


def run(capsys, *args, root=ROOT):
    capsys.readouterr()
    code = main(["--root", str(root), "audit", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(capsys, *args, root=ROOT):
    code, out, err = run(capsys, *args, "--format", "json", root=root)
    return code, json.loads(out)


def differences(data):
    return sorted((f["verdict"], f["member_label"], f["period"], f["place"].rsplit(":", 2)[1] if f["place"] else None)
                  for f in data["findings"] if f["verdict"] != "rätt")


# -- the sample ------------------------------------------------------------------------------------

def test_sample_exits_1_with_exactly_the_three_findings(capsys):
    code, data = run_json(capsys, SAMPLE, *AMOUNT)
    assert code == 1 and data["ok"] is False
    assert differences(data) == [("fel belopp", "Krokom", "kvartal_2", "18"),
                                 ("okänd faktura", "Härjedalen", "kvartal_3", "31"),
                                 ("saknas", "Berg", "kvartal_4", None)]
    assert data["counts"] == {"rätt": 30, "fel belopp": 1, "fel datum": 0, "saknas": 1, "okänd faktura": 1}
    f = {(x["member"], x["period"], x["verdict"]): x for x in data["findings"]}
    wrong = f[("krokom", "kvartal_2", "fel belopp")]
    assert (wrong["expected_ore"], wrong["invoiced_ore"], wrong["difference_ore"]) == (27189301, 27189310, 9)
    assert f[("berg", "kvartal_4", "saknas")]["expected_ore"] == 12651920
    assert f[("berg", "kvartal_4", "saknas")]["due_date"] == "2022-10-01"
    assert f[("harjedalen", "kvartal_3", "rätt")]["expected_ore"] == 17850683
    assert f[("ostersund", "kvartal_1", "rätt")]["expected_ore"] == 114145755
    assert f[("ostersund", "kvartal_2", "rätt")]["expected_ore"] == 114145754
    assert "samma part och period" in f[("harjedalen", "kvartal_3", "okänd faktura")]["reason"]


def test_findings_carry_their_derivation_sentence_input_and_reading(capsys):
    _, data = run_json(capsys, SAMPLE, *AMOUNT)
    wrong = next(x for x in data["findings"] if x["verdict"] == "fel belopp")
    by_name = {d["name"]: d for d in wrong["derivation"]}
    assert by_name["kvartalsfaktura"]["value"] == "271 893,01 kr"
    assert by_name["kvartalsfaktura"]["sentence"] == "s7.3" and by_name["kvartalsfaktura"]["reading"] == "R7-kvartalsore"
    assert "kvartalsvis i förskott" in by_name["kvartalsfaktura"]["quote"]
    assert any("108 757 203 = 4 × 27 189 300 + 3" in w for w in by_name["kvartalsfaktura"]["worked"])
    assert by_name["arsandel"]["value"] == "1 087 572,03 kr"
    assert by_name["befolkning"]["value"] == "15 329 personer" and "data/population.csv:" in by_name["befolkning"]["source"]
    dates = {d["name"]: d for d in wrong["date_derivation"]}
    assert dates["fakturadag"]["value"] == "2022-04-01" and dates["fakturadag"]["reading"] == "R10-fakturadag"
    open_ids = {r["id"] for r in wrong["readings"] if r["status"] == "open"}
    assert {"R10-fakturadag", "R7-forfallodag"} <= open_ids
    assert all(r["alternatives"] for r in wrong["readings"] if r["id"] in ("R10-fakturadag", "R7-forfallodag"))


def test_sample_table_names_the_findings_and_the_marker(capsys):
    code, out, _ = run(capsys, SAMPLE, *AMOUNT)
    assert code == 1
    assert out.splitlines()[0].startswith("FIKTIVA FAKTUROR") and out.rstrip().splitlines()[-1].startswith("FIKTIVA")
    assert "FEL BELOPP: Krokom" in out and "SAKNAS: Berg" in out and "OKÄND FAKTURA: Härjedalen" in out
    assert "30 rätt, 1 fel belopp, 1 saknas, 1 okänd faktura" in out
    assert "mening s7.3" in out and "läsning: R7-kvartalsore" in out


def test_corrected_file_exits_0(capsys):
    code, data = run_json(capsys, FIXED, *AMOUNT)
    assert code == 0 and data["ok"] is True
    assert data["counts"]["rätt"] == 32 and len(data["findings"]) == 32
    assert sum(f["invoiced_ore"] for f in data["findings"]) == 935_600_000
    assert data["fictitious"] is True


def test_csv_output_and_marker(capsys):
    code, out, _ = run(capsys, SAMPLE, *AMOUNT, "--format", "csv")
    lines = out.splitlines()
    assert code == 1 and lines[0].startswith("# FIKTIVA FAKTUROR")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert len(rows) == 33
    krokom = next(r for r in rows if r["verdict"] == "fel belopp")
    assert (krokom["member"], krokom["expected_ore"], krokom["invoiced_ore"]) == ("Krokom", "27189301", "27189310")


def test_no_marker_without_one(tmp_path, capsys):
    text = FIXED.read_text(encoding="utf-8")
    plain = tmp_path / "f.csv"
    plain.write_text("\n".join(x for x in text.splitlines() if not x.startswith("#")) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, plain, *AMOUNT)
    assert code == 0 and "FIKTIV" not in out


# -- XLSX ------------------------------------------------------------------------------------------

def _to_xlsx(src, dest):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in src.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            ws.append([line])
            continue
        cells = line.split(";")
        if cells[0] != "Kommun":
            cells[1] = int(cells[1])
            cells[2] = datetime.date.fromisoformat(cells[2])
            kr = cells[4].replace(" ", "").replace(",", ".")
            cells[4] = float(kr)               # a number cell, as a spreadsheet keeps it
        ws.append(cells)
    wb.save(dest)


def test_xlsx_gives_the_same_result_as_csv(tmp_path, capsys):
    book = tmp_path / "fakturor.xlsx"
    _to_xlsx(SAMPLE, book)
    code_x, x = run_json(capsys, book, *AMOUNT)
    code_c, c = run_json(capsys, SAMPLE, *AMOUNT)
    keep = ("verdict", "member", "period", "expected_ore", "invoiced_ore", "difference_ore", "due_date", "invoice_date")
    assert code_x == code_c == 1
    assert [{k: f[k] for k in keep} for f in x["findings"]] == [{k: f[k] for k in keep} for f in c["findings"]]
    assert x["fictitious"] is True


def test_xlsx_float_that_is_not_whole_ore_is_an_error(tmp_path, capsys):
    import openpyxl

    book = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Kommun", "Fakturadatum", "Period", "Belopp"])
    wb.active.append(["Ragunda", datetime.date(2022, 1, 1), "2022-Q1", 92481.585])
    wb.save(book)
    code, _, err = run(capsys, book, *AMOUNT)
    assert code == 2 and f"{book}:2:4: error: the number 92481.585 is not a whole number of öre" in err
    assert "hint:" in err


# -- reading cells ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,ore", [("1 141 457,54", 114145754), ("1141457,54 kr", 114145754),
                                      ("1141457.54", 114145754), ("1\u00a0141\u00a0457,54 kr", 114145754),
                                      ("1.141.457,54", 114145754), ("1,141,457.54 SEK", 114145754),
                                      ("92481,5", 9248150), ("1 141 457", 114145700), ("1,141,457", 114145700),
                                      (92481.58, 9248158), (1141457.54, 114145754), (100, 10000)])
def test_amounts(text, ore):
    assert amount_ore(text) == ore


@pytest.mark.parametrize("text", ["12,345", "12.345", "-1,00", "1 14 457,54", "abc", "1,2,3", "1.141,457.54",
                                  0.1 + 0.2, True])
def test_bad_amounts(text):
    with pytest.raises(CellError):
        amount_ore(text)


def test_periods_and_dates(project):
    q = project.enums["kvartal"]
    for text in ("2022 kvartal 1", "2022-Q1", "2022:kvartal_1", "2022 Kvartal 1 (januari–mars)", "Q1 2022", "2022-1"):
        assert period_of(text, q) == (2022, "kvartal_1"), text
    assert period_of("2022-Q4", q) == (2022, "kvartal_4")
    assert period_of("2022-Q5", q) == (2022, NO_SUCH_PERIOD)
    assert period_of("2022 kvartal 5", q) == (2022, NO_SUCH_PERIOD)
    for bad in ("kvartal 1", "2022 vår"):
        with pytest.raises(CellError):
            period_of(bad, q)
    assert date_of("2024-02-29") == datetime.date(2024, 2, 29)
    with pytest.raises(CellError, match="not a day that exists"):
        date_of("2023-02-29")


# -- malformed files: exit 2 with a place and a hint -----------------------------------------------

HEAD = "Kommun;Kod;Fakturadatum;Period;Belopp"


@pytest.mark.parametrize("row,where,message", [
    ("Stockholm;;2022-01-01;2022 kvartal 1;1,00", ":2:1:", "'Stockholm' is not a party"),
    ("Ragunda;2303;2022-01-01;2022 kvartal 1;12,345", ":2:40:", "ambiguous"),
    ("Ragunda;2303;2022-02-30;2022 kvartal 1;1,00", ":2:14:", "'2022-02-30' is not a day that exists"),
    ("Ragunda;2380;2022-01-01;2022 kvartal 1;1,00", ":2:9:", "the code 2380 is Östersund"),
    ("Ragunda;2303;2022-01-01;hösten;1,00", ":2:25:", "has no year"),
])
def test_bad_rows_exit_2(tmp_path, capsys, row, where, message):
    f = tmp_path / "f.csv"
    f.write_text(f"{HEAD}\n{row}\n", encoding="utf-8")
    code, out, err = run(capsys, f, *AMOUNT)
    assert code == 2 and out == ""
    assert f"{f}{where} error:" in err and message in err and "\n  hint: " in err


def test_missing_column_exits_2(tmp_path, capsys):
    f = tmp_path / "f.csv"
    f.write_text("\ufeffKommun,Datum,Kvartal\nRagunda,2022-01-01,2022-Q1\n", encoding="utf-8")
    code, _, err = run(capsys, f, *AMOUNT)
    assert code == 2 and f"{f}:1:1: error: the invoice file has no amount column" in err and "hint:" in err


def test_bom_comma_file_and_a_period_that_does_not_exist(tmp_path, capsys):
    f = tmp_path / "f.csv"
    f.write_text("\ufeffmunicipality,invoice_date,period,amount\nRagunda,2022-01-01,2022-Q5,\"92 481,58\"\n",
                 encoding="utf-8")
    code, data = run_json(capsys, f, *AMOUNT)
    assert code == 1
    unknown = [x for x in data["findings"] if x["verdict"] == "okänd faktura"]
    assert len(unknown) == 1 and "finns inte" in unknown[0]["reason"] and data["fictitious"] is False
    assert sum(1 for x in data["findings"] if x["verdict"] == "saknas") == 32     # 2022 is audited


# -- dates and the agreement's end -----------------------------------------------------------------

def test_dates_in_advance_and_late(tmp_path, capsys):
    text = FIXED.read_text(encoding="utf-8")
    text = text.replace("Ragunda;2303;2022-04-01", "Ragunda;2303;2022-03-15")      # in advance: right
    text = text.replace("Bräcke;2305;2022-04-01", "Bräcke;2305;2022-04-02")        # a day late
    text = text.replace("Krokom;2309;2022-04-01", "Krokom;2309;2022-01-01")        # on Q1's day: too early
    f = tmp_path / "f.csv"
    f.write_text(text, encoding="utf-8")
    _, data = run_json(capsys, f, *AMOUNT)
    assert differences(data) == [("fel datum", "Bräcke", "kvartal_2", "16"), ("fel datum", "Krokom", "kvartal_2", "17")]
    _, exact = run_json(capsys, f, *AMOUNT, "--dates", "exact")
    assert ("fel datum", "Ragunda", "kvartal_2", "15") in differences(exact)
    late = next(x for x in data["findings"] if x["member"] == "bracke" and x["verdict"] == "fel datum")
    assert any("öppen läsning" in n and "R10-fakturadag" in n for n in late["notes"])


def test_invoice_after_the_end_is_unknown(tmp_path, capsys):
    f = tmp_path / "f.csv"
    f.write_text(FIXED.read_text(encoding="utf-8") + "Ragunda;2303;2022-10-01;2022 kvartal 4;92 481,58;X\n",
                 encoding="utf-8")
    _, data = run_json(capsys, f, *AMOUNT, "--ends", "2022-09-30")
    unknown = [x for x in data["findings"] if x["verdict"] == "okänd faktura"]
    assert {x["member"] for x in unknown} == {"ragunda", "bracke", "krokom", "stromsund", "are", "berg",
                                              "harjedalen", "ostersund"}
    assert len(unknown) == 9 and all(x["period"] == "kvartal_4" for x in unknown)
    assert all("efter avtalets sista dag" in x["reason"] for x in unknown)
    assert data["counts"]["saknas"] == 0


# -- open readings that can be computed: the index vintage -----------------------------------------

def test_a_difference_explained_by_another_reading(tmp_path, capsys, project):
    """Logic, not numbers: the file is built from the engine's own amounts (under the default and
    under --vintage latest), so the test checks only that a difference an alternative explains
    is called a question of reading. Populations and index are FICTITIOUS."""
    pop = tmp_path / "pop.csv"
    rows = [ln for ln in (ROOT / "data" / "population.csv").read_text(encoding="utf-8").splitlines()
            if ",2021-11-01," in ln]
    pop.write_text("municipality,code,date,population,source\n" + "\n".join(
        ln.split(",")[0] + "," + ln.split(",")[1] + ",2019-11-01," + ln.split(",")[3] + ",FIKTIV testsiffra"
        for ln in rows) + "\n", encoding="utf-8")
    opts = {"index": str(ROOT / "tests" / "fixtures" / "lpik_fiktiv.yaml"), "population": str(pop)}
    base = run_computation(project, "ersattning", {**opts, "year": 2020})
    other = run_computation(project, "ersattning", {**opts, "year": 2020, "vintage": "latest"})
    col = lambda r: next(c for c in r.columns if c.name == "kvartalsfaktura").value  # noqa: E731
    assert col(base)["krokom"]["kvartal_1"] != col(other)["krokom"]["kvartal_1"]
    lines = [HEAD]
    for m in base.members:
        for i, q in enumerate(project.enums["kvartal"].values):
            ore = (col(other) if (m.id, q) == ("krokom", "kvartal_1") else col(base))[m.id][q]
            lines.append(f"{m.label};{m.code};2020-{1 + 3 * i:02d}-01;2020-Q{i + 1};{ore // 100},{ore % 100:02d}")
    f = tmp_path / "f.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = audit(project, f, {"index": opts["index"], "population": str(pop)})
    (wrong,) = res.differences()
    assert (wrong.member, wrong.period, wrong.verdict) == ("krokom", "kvartal_1", "fel belopp")
    alt = next(a for a in wrong.alternatives if (a["kind"], a["choice"]) == ("vintage", "latest"))
    assert alt["verdict"] == "rätt" and alt["reading"] == "R7-prognos"
    assert any("fråga om läsning" in n for n in wrong.notes)
    assert {(a["kind"], a["choice"]) for a in wrong.alternatives} >= {("chain", "simple"), ("rounding", "once")}
    assert any("FIKTIV" in x for x in res.fictitious)           # the made-up index is said on stdout too


# -- the second agreement --------------------------------------------------------------------------

OTHER_FILE = """# FIKTIV testfil för den fiktiva andra överenskommelsen
medlem,kod,fakturadatum,halvår,belopp,fakturanummer
Alfa kommun,9901,2024-01-01,2024-H1,"244943,82 kr",A1
9902,,2024-01-01,2024 första halvåret,191 011.24,B1
Gamma,9903,2024-01-01,2024:forsta_halvaret,164044.95,C1
Alfa,,2024-07-01,2024-2,244 943.82,A2
Beta,,2024-06-15,2024-H2,"191011,23",B2
Gamma,,2024-07-15,H2 2024,"164 044,94",C2
Gamma,,2026-01-01,2026-H1,"164 044,94",C3
"""


def test_second_agreement(tmp_path, capsys):
    f = tmp_path / "halvar.csv"
    f.write_text(OTHER_FILE, encoding="utf-8")
    code, data = run_json(capsys, f, "--notice", "2025-03-01", root=OTHER)
    assert code == 1
    got = {(x["member"], x["period"], x["year"]): (x["verdict"], x["expected_ore"], x["invoiced_ore"])
           for x in data["findings"]}
    assert got == {
        ("alfa", "forsta_halvaret", 2024): ("rätt", 24494382, 24494382),
        ("alfa", "andra_halvaret", 2024): ("rätt", 24494382, 24494382),
        ("beta", "forsta_halvaret", 2024): ("rätt", 19101124, 19101124),
        ("beta", "andra_halvaret", 2024): ("rätt", 19101123, 19101123),        # 16 days early: in advance
        ("gamma", "forsta_halvaret", 2024): ("rätt", 16404495, 16404495),
        ("gamma", "andra_halvaret", 2024): ("fel datum", 16404494, 16404494),  # 14 days late
        ("gamma", "forsta_halvaret", 2026): ("okänd faktura", None, 16404494),  # after the end (2025-12-31)
    }
    assert data["reach"]["last_day"] == "2025-12-31"
    assert [x["due_date"] for x in data["findings"] if x["member"] == "gamma"][:2] == ["2024-01-01", "2024-07-01"]
    _, out, _ = run(capsys, f, "--notice", "2025-03-01", root=OTHER)
    assert "Medlemskommun" in out and "FIKTIVA FAKTUROR" in out
    for ours in ("kvartal", "Kvartal", "Region", "Ragunda", "§7"):
        assert ours not in out


def test_second_agreement_needs_data_for_a_later_year(tmp_path, capsys):
    f = tmp_path / "halvar.csv"
    f.write_text(OTHER_FILE, encoding="utf-8")
    code, _, err = run(capsys, f, root=OTHER)                 # without a notice 2026 is called for
    assert code == 2 and "no population dated 2025-12-31" in err


def test_a_notice_ends_the_agreement(capsys):
    """§10: the first period is 2019-01-01 – 2021-12-31; §11: notice at the latest 12 months
    before its end, i.e. by 2020-12-31 (reading R11-utgang). A notice received 2020-06-01 ends
    the agreement 2021-12-31, so none of the 2022 invoices is called for; one received
    2021-06-01 is too late for the first period and ends the first renewal, 2024-12-31."""
    code, data = run_json(capsys, FIXED, *AMOUNT, "--notice", "2020-06-01")
    assert code == 1 and data["reach"]["last_day"] == "2021-12-31" and data["years"] == []
    assert data["counts"] == {"rätt": 0, "fel belopp": 0, "fel datum": 0, "saknas": 0, "okänd faktura": 32}
    code, data = run_json(capsys, FIXED, *AMOUNT, "--notice", "2021-06-01")
    assert code == 0 and data["reach"]["last_day"] == "2024-12-31"


def test_without_notice_the_reach_says_the_agreement_runs_on_not_a_rules_bound(capsys):
    """No --notice and no --ends: §10's term renews itself (periods) and its last day is only
    an input's max (a bound of the rule), so the header says the agreement runs on without an
    end date, from its first day 2019-01-01 (§10), and shows no bound such as 2200-12-31."""
    code, out, _ = run(capsys, SAMPLE, *AMOUNT)
    assert code == 1
    assert ("Avtalets räckvidd: ingen uppsägning angiven: avtalet förlängs och löper vidare utan slutdag "
            "(gäller från 2019-01-01)") in out
    assert "regelns sista dag" not in out and "2200" not in out
    # a finding's derivation: years ungrouped, formulas in the site's plain notation
    assert "verksamhetsar = 2022" in out and "2 022" not in out
    assert "= arsbelopp fördelat i hela öre efter befolkning" in out and "make_date(" not in out
