"""The formats auditors use: XLSX (results, derivations, sources), a CSV for Swedish Excel, the
machine CSV kept as it was, ``--explain`` with every format, ``--output`` never overwriting, and
the made-up-data marker on standard output in every format that used made-up values.

Expected numbers, derived by hand (as in tests/apps/test_audit.py): the 2022 split of the stated
9 356 000 kr = 935 600 000 öre by the populations of 2021-11-01 in data/population.csv. Whatever
the rounding, the eight yearly shares are a split of the whole amount, so they sum to
935 600 000 öre, and so do the 32 quarterly invoices (each share is split into four). Östersund:
935 600 000 × 64 354 / 131 870 = 456 583 016,61 öre → 456 583 017 (it gets one of the four öre
left over), ÷ 4 = 114 145 754 rest 1, so its first quarter is 114 145 755 öre = 1 141 457,55 kr.
The second, fictitious agreement (tests/fixtures/andra_avtalet) splits 1 200 000 kr in 2024:
Alfa 48 988 764, Beta 38 202 247, Gamma 32 808 989 öre (its specs' ``fordelning_2024``).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from avtalsregler.apps.export import Column, Sheet, Typed
from avtalsregler.apps.export.csv_excel import decimal_comma, kronor, write_csv_excel
from avtalsregler.apps.export.xlsx import KR_FORMAT, write_xlsx
from avtalsregler.apps.fictitious import warning_marks
from avtalsregler.cli.main import main

from ..conftest import ROOT

openpyxl = pytest.importorskip("openpyxl")

ANNUAL_ORE = 935_600_000
OSTERSUND_Q1 = 114_145_755
ERS = ["compute", "ersattning", "--year", "2022", "--annual-amount", "9356000"]
SAMPLE = ROOT / "examples" / "invoices" / "fakturor_2022.csv"
AUDIT = ["audit", str(SAMPLE), "--annual-amount", "9356000"]
OTHER = ROOT / "tests" / "fixtures" / "andra_avtalet"
AVGIFT = ["compute", "avgift", "--year", "2024"]
CAL = ["calendar", "--from", "2019-01-01", "--to", "2022-12-31"]
OTHER_CAL = ["calendar", "--from", "2024-01-01", "--to", "2025-12-31"]
FORMATS = ("table", "csv", "csv-excel", "json", "xlsx")


def run(capsys, *args, root=ROOT):
    capsys.readouterr()
    code = main(["--root", str(root), *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def ore(v) -> int:
    """A kronor cell back to öre, exactly: the value's shortest text, as Decimal."""
    assert isinstance(v, (int, float)) and not isinstance(v, bool), v
    return int(Decimal(str(v)) * 100)


def header_row(ws, first: str) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == first)


def rows_below(ws, row: int):
    return [r for r in ws.iter_rows(min_row=row + 1, values_only=True)]


# -- the writers ------------------------------------------------------------------------------------

def test_csv_excel_writer():
    sheet = Sheet("R", (Column("Namn"), Column("Belopp", "kr"), Column("Andel", "fraction"), Column("Dag", "date"),
                        Column("Antal", "int")),
                  (("=HYPERLINK(\"x\")", 114145755, Fraction(1, 4), datetime.date(2022, 1, 1), 64354),
                   ("a;b", -5, None, None, Typed("text", "x"))))
    data = write_csv_excel([sheet], ["FIKTIVA värden"])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.count("\r\n") == 5 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["FIKTIVA värden"] and rows[1] == []
    assert rows[2] == ["Namn", "Belopp", "Andel", "Dag", "Antal"]
    assert rows[3] == ["'=HYPERLINK(\"x\")", "1141457,55", "0,25", "2022-01-01", "64354"]
    assert rows[4] == ["a;b", "-0,05", "", "", "x"]
    assert kronor(0) == "0,00" and kronor(100) == "1,00" and kronor(-123456) == "-1234,56"
    assert decimal_comma(Fraction(2, 3)) == "0,6666666667" and decimal_comma(Fraction(3)) == "3"


def test_xlsx_writer(tmp_path):
    long = "ord " * 100
    sheet = Sheet("Res:ultat/[x]", (Column("Namn"), Column("Belopp", "kr"), Column("Text", wrap=True)),
                  (("=1+1", 114145755, long), ("kontroll\x07tecken", 1, "kort")), ("Rubrik",))
    data = write_xlsx([sheet, Sheet("Res-ultat--x-", (Column("A"),), ())], ["FIKTIVA & påhittade"],
                      datetime.datetime(2025, 11, 25, 12, 0, tzinfo=datetime.UTC))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws, second = wb.worksheets
    assert ws.title == "Res-ultat--x- (FIKTIV)" and second.title != ws.title and second.title.endswith(" 2")
    assert ws["A1"].value == "FIKTIVA & påhittade" and ws["A2"].value == "Rubrik" and ws["A3"].value == "Namn"
    assert ws.freeze_panes == "A4"
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"          # text, never a formula
    assert ws["A5"].value == "kontroll\ufffdtecken"
    assert ws["B4"].number_format == KR_FORMAT and ore(ws["B4"].value) == 114145755 and ore(ws["B5"].value) == 1
    assert ws.column_dimensions["C"].width <= 62 and ws["C4"].alignment.wrap_text
    assert ws.column_dimensions["B"].width >= len("1,141,457.55 kr")
    assert "FIKTIVA && påhittade" in ws.oddHeader.center.text
    assert wb.properties.created == datetime.datetime(2025, 11, 25, 12, 0)


def test_the_number_format_is_stored_as_the_file_format_defines_it():
    # ECMA-376: ',' groups thousands and '.' is the decimal point in the stored code; Excel shows
    # it in the reader's locale. A Swedish-looking code ('# ##0,00') would be a different format.
    assert KR_FORMAT == '#,##0.00 "kr"'


# -- compute ----------------------------------------------------------------------------------------

def test_compute_xlsx_cells_sum_to_the_annual_amount(tmp_path, capsys):
    out = tmp_path / "ersattning.xlsx"
    code, stdout, err = run(capsys, *ERS, "--format", "xlsx", "--output", out)
    assert code == 0 and stdout == "" and f"to {out}" in err
    wb = openpyxl.load_workbook(out)
    assert [ws.title for ws in wb] == ["Resultat", "Härledning", "Källor"]
    ws = wb["Resultat"]
    h = header_row(ws, "Kommun")
    head = [c.value for c in ws[h]]
    assert head[:3] == ["Kommun", "Kod", "Befolkning"] and ws.freeze_panes == f"A{h + 1}"
    rows = rows_below(ws, h)
    assert len(rows) == 8
    annual = head.index("Årsbelopp")
    quarters = [i for i, x in enumerate(head) if x and x.startswith("Kvartal")]
    assert len(quarters) == 4
    assert sum(ore(r[annual]) for r in rows) == ANNUAL_ORE
    assert sum(ore(r[i]) for r in rows for i in quarters) == ANNUAL_ORE
    assert ore(next(r for r in rows if r[0] == "Östersund")[quarters[0]]) == OSTERSUND_Q1
    assert ws.cell(h + 1, annual + 1).number_format == KR_FORMAT
    derivations = rows_below(wb["Härledning"], 1)
    assert any(r[0] == "befolkning" and r[1] == "Östersund" and r[2] == 64354 and "data/population.csv:" in r[6]
               for r in derivations)
    assert any(r[4] and r[5] and r[7] for r in derivations)                  # sentence, its text, a reading
    sources = rows_below(wb["Källor"], 1)
    assert any(r[0].startswith("befolkning") and "Östersund" in r[2] for r in sources)
    assert not any("FIKTIV" in str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)


def test_compute_xlsx_explain_adds_a_sheet(tmp_path, capsys):
    out = tmp_path / "e.xlsx"
    assert run(capsys, *ERS, "--format", "xlsx", "-o", out, "--explain")[0] == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "Förklaring"
    assert any("Härledning" == r[0] for r in wb["Förklaring"].iter_rows(values_only=True))


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
def test_libreoffice_reads_the_same_numbers(tmp_path, capsys):
    out = tmp_path / "ersattning.xlsx"
    assert run(capsys, *ERS, "--format", "xlsx", "-o", out)[0] == 0
    # Filter options: ',' '"' UTF-8, first line 1, ..., 9th token false: the values, not as shown.
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "ersattning.csv").read_text(encoding="utf-8").splitlines()))
    h = next(i for i, r in enumerate(rows) if r and r[0] == "Kommun")
    head, body = rows[h], [r for r in rows[h + 1:] if r and r[0]]
    assert len(body) == 8
    annual = head.index("Årsbelopp")
    assert sum(int(Decimal(r[annual]) * 100) for r in body) == ANNUAL_ORE
    q1 = head.index("Kvartal 1")
    assert next(r for r in body if r[0] == "Östersund")[q1] == "1141457.55"


def test_compute_csv_excel(capsys, tmp_path):
    out = tmp_path / "e.csv"
    assert run(capsys, *ERS, "--format", "csv-excel", "-o", out)[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    head, body = rows[0], rows[1:]
    assert head[0] == "Kommun" and len(body) == 8
    annual = head.index("Årsbelopp")
    assert all("," in r[annual] and " " not in r[annual] for r in body)
    assert sum(int(r[annual].replace(",", "")) for r in body) == ANNUAL_ORE
    assert "1141457,55" in next(r for r in body if r[0] == "Östersund")


def test_the_machine_csv_is_unchanged(capsys):
    code, out, err = run(capsys, *ERS, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:4] == ["municipality", "code", "population", "annual_ore"]
    assert sum(int(r[3]) for r in rows[1:]) == ANNUAL_ORE and not out.startswith("#")
    code2, out2, err2 = run(capsys, *ERS, "--format", "csv", "--explain")
    assert code2 == 0 and out2 == out                               # the explanation never in the rows
    assert "Härledning" in err2 and "standardfel" in err2


def test_explain_with_json_and_table(capsys):
    code, out, _ = run(capsys, *ERS, "--format", "json", "--explain")
    data = json.loads(out)
    assert code == 0 and data["explain"] and all({"name", "formula", "sentence", "reading"} <= set(x)
                                                 for x in data["explain"])
    assert "explain" not in json.loads(run(capsys, *ERS, "--format", "json")[1])
    code, out, _ = run(capsys, *ERS, "--explain")
    assert out.index("Summa") < out.index("Härledning")


def test_output_is_never_overwritten_without_force(tmp_path, capsys):
    out = tmp_path / "e.json"
    out.write_text("old", encoding="utf-8")
    code, _, err = run(capsys, *ERS, "--format", "json", "-o", out)
    assert code == 2 and "already exists" in err and out.read_text(encoding="utf-8") == "old"
    code, _, err = run(capsys, *ERS, "--format", "json", "-o", out, "--force")
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["computation"] == "ersattning"
    assert (tmp_path / "e.json.bak").read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("cmd", [ERS, AUDIT, CAL])
def test_xlsx_is_never_written_to_standard_output(capsys, cmd):
    code, out, err = run(capsys, *cmd, "--format", "xlsx")
    assert code == 2 and out == "" and "--output" in err


# -- audit ------------------------------------------------------------------------------------------

def test_audit_xlsx(tmp_path, capsys):
    out = tmp_path / "granskning.xlsx"
    code, stdout, _ = run(capsys, *AUDIT, "--format", "xlsx", "-o", out)
    assert code == 1 and stdout == ""                   # the sample has three findings
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 3 and all("FIKTIV" in name for name in wb.sheetnames)
    for ws in wb:
        assert "FIKTIV" in ws["A1"].value and "FIKTIV" in ws.oddHeader.center.text
    ws = wb.worksheets[0]
    h = header_row(ws, "Utslag")
    head = [c.value for c in ws[h]]
    rows = rows_below(ws, h)
    expected, invoiced, verdict = head.index("Regeln"), head.index("Fakturerat"), head.index("Utslag")
    # Every invoice the rules call for has its expected amount (the missing one too); the unknown
    # invoice has none. Together they are the year's whole amount.
    assert sum(ore(r[expected]) for r in rows if r[expected] is not None) == ANNUAL_ORE
    assert sorted(r[verdict] for r in rows if r[verdict] != "rätt") == ["fel belopp", "okänd faktura", "saknas"]
    wrong = next(r for r in rows if r[verdict] == "fel belopp")
    assert ore(wrong[invoiced]) - ore(wrong[expected]) == 9 and ore(wrong[head.index("Skillnad")]) == 9
    assert isinstance(rows[0][head.index("Fakturadag")], datetime.datetime)
    assert len(rows_below(wb.worksheets[1], 2)) > len(rows)                # several elements per finding


def test_audit_csv_excel_and_csv_carry_the_marker_first(capsys):
    code, out, _ = run(capsys, *AUDIT, "--format", "csv-excel")
    assert code == 1 and out.startswith("\ufeffFIKTIVA FAKTUROR")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline=""), delimiter=";"))
    h = next(i for i, r in enumerate(rows) if r and r[0] == "Utslag")
    assert all(cell == "" for r in rows[1:h] for cell in r)             # only the marker above the header
    code, out, _ = run(capsys, *AUDIT, "--format", "csv")
    assert out.startswith("# FIKTIVA FAKTUROR")


# -- calendar ---------------------------------------------------------------------------------------

def test_calendar_xlsx_and_csv_excel(tmp_path, capsys):
    events = json.loads(run(capsys, *CAL, "--format", "json")[1])["events"]
    out = tmp_path / "kalender.xlsx"
    assert run(capsys, *CAL, "-o", out)[0] == 0                          # the format from the suffix
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Kalender", "Härledning", "Källor"]
    ws = wb["Kalender"]
    h = header_row(ws, "Datum")
    rows = rows_below(ws, h)
    assert [r[0].date().isoformat() for r in rows] == [e["date"] for e in events]
    assert [r[6] for r in rows] == [e["uid"] for e in events]
    derived = rows_below(wb["Härledning"], 1)
    assert [r[3] for r in derived] == [e["sentence_id"] for e in events]
    code, text, _ = run(capsys, *CAL, "--format", "csv-excel")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert code == 0 and text.startswith("\ufeffDatum;") and [r[0] for r in rows[1:]] == [e["date"] for e in events]


# -- the made-up-data marker ------------------------------------------------------------------------

def _stdout_or_file(capsys, tmp_path, cmd, fmt, root):
    if fmt == "xlsx":
        out = tmp_path / f"{fmt}.xlsx"
        code, _, _ = run(capsys, *cmd, "--format", fmt, "-o", out, root=root)
        wb = openpyxl.load_workbook(out)
        return code, [(ws.title, [str(c) for row in ws.iter_rows(values_only=True) for c in row if c]) for ws in wb]
    code, out, _ = run(capsys, *cmd, "--format", fmt, root=root)
    return code, out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cmd", [AVGIFT, AUDIT, OTHER_CAL], ids=["compute", "audit", "calendar"])
def test_made_up_values_are_marked_on_standard_output(capsys, tmp_path, cmd, fmt):
    root = ROOT if cmd is AUDIT else OTHER
    if cmd is OTHER_CAL and fmt == "table":
        fmt = "ics"                                                       # the calendar has no table
    code, got = _stdout_or_file(capsys, tmp_path, cmd, fmt, root)
    assert code in (0, 1)
    if fmt == "xlsx":
        for title, cells in got:
            assert title.endswith("(FIKTIV)") and "FIKTIV" in cells[0]
    elif fmt == "json":
        data = json.loads(got)
        assert data["fictitious"] is True and all("FIKTIV" in n for n in data["fictitious_notes"])
    elif fmt == "ics":
        assert "FIKTIV" in got.replace("\r\n ", "")
    else:
        first = got.lstrip("\ufeff").splitlines()[0]
        assert "FIKTIV" in first and (first.startswith("# ") if fmt == "csv" else True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_values_carry_no_marker(capsys, tmp_path, fmt):
    code, got = _stdout_or_file(capsys, tmp_path, ERS, fmt, ROOT)
    assert code == 0 and "FIKTIV" not in json.dumps(got, ensure_ascii=False)


def test_the_second_agreements_marker_says_which_data(capsys):
    data = json.loads(run(capsys, *AVGIFT, "--format", "json", root=OTHER)[1])
    notes = " ".join(data["fictitious_notes"])
    assert "agreement/overenskommelse.txt" in notes and "data/population.csv" in notes and "3 av 3" in notes
    m = {r["member"]: r["annual_ore"] for r in data["members"]}
    assert m == {"Alfa": 48988764, "Beta": 38202247, "Gamma": 32808989}


def test_a_fictitious_index_warning_is_a_marker():
    # The message a recurrence gives for an index file marked 'fiktiv: true'.
    assert warning_marks([("R", "FIKTIVA indexvärden från x.yaml: påhittade; beloppen är inte verkliga"),
                          ("R", "the eight figures … are in doubt")]) == [
        "FIKTIVA indexvärden från x.yaml: påhittade; beloppen är inte verkliga"]


def test_xlsx_is_the_same_as_the_csv_excel(tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    run(capsys, *AVGIFT, "--format", "xlsx", "-o", out, root=OTHER)
    ws = openpyxl.load_workbook(out).worksheets[0]
    h = header_row(ws, "Medlemskommun")
    x = [[ore(v) if isinstance(v, float) else v for v in r] for r in rows_below(ws, h)]
    text = run(capsys, *AVGIFT, "--format", "csv-excel", root=OTHER)[1]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    c = rows[next(i for i, r in enumerate(rows) if r and r[0] == "Medlemskommun") + 1:]
    head = [cell.value for cell in ws[h]]
    kr_cols = [i for i, name in enumerate(head) if name in ("Årsavgift", "Halvår 1", "Halvår 2")]
    assert len(kr_cols) == 3
    for xr, cr in zip(x, c, strict=True):
        assert [xr[i] for i in kr_cols] == [int(cr[i].replace(",", "")) for i in kr_cols]
    assert sum(r[kr_cols[0]] for r in x) == 120_000_000
    assert Path(out).stat().st_size > 0
