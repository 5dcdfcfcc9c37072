"""`avtalsregler data import-population` and `data add-index`.

The SCB-shaped samples in tests/fixtures/scb/ (JSON-stat 2.0 and two CSV layouts, see their
README: written by hand, not downloaded) carry the eight figures of data/population.csv for
2021-11-01. Importing them must give exactly the hand-typed rows of that date: the expected
figures are read from data/population.csv itself, which was typed from the news item, not from
the importer. Every write goes to a temporary copy; the project's data files are checked to be
unchanged at the end.
"""

from __future__ import annotations

import datetime
import json
import shutil

import pytest

from avtalsregler.apps.data import load_index, load_population
from avtalsregler.apps.dataimport import add_index_value, import_population, read_export
from avtalsregler.apps.dataimport.targets import members_of
from avtalsregler.cli.main import main
from avtalsregler.errors import DataError

from ..conftest import ROOT

SCB = ROOT / "tests" / "fixtures" / "scb"
SAMPLES = ["folkmangd_nov_2021.json", "folkmangd_nov_2021.csv", "folkmangd_nov_2021_semikolon.csv"]
DAY = datetime.date(2021, 11, 1)
RETRIEVED = datetime.date(2026, 12, 1)
POP = ROOT / "data" / "population.csv"
LPIK = ROOT / "data" / "lpik.yaml"
ORIGINALS = {p: p.read_bytes() for p in (POP, LPIK)}


@pytest.fixture(scope="module")
def members(project):
    return members_of(project)


def _hand_typed(members):
    return load_population(POP, DAY, members).values


def _without_day(tmp_path, day="2021-11-01", name="population.csv"):
    lines = POP.read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / name
    out.write_text("".join(x for x in lines if f",{day}," not in x), encoding="utf-8")
    return out


def run(capsys, *argv):
    try:
        code = main(["--root", str(ROOT), *argv])
    except SystemExit as exc:       # argparse's own errors (a missing option)
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


# -- the samples import to the hand-typed figures ------------------------------------------------

@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_imports_to_the_hand_typed_rows(sample, members, tmp_path):
    target = _without_day(tmp_path)
    plan = import_population(SCB / sample, target, members, retrieved=RETRIEVED, table="TAB1267")
    assert {r.member: r.population for r in plan.rows} == _hand_typed(members)
    assert len(plan.added) == 8 and not plan.unchanged and not plan.replaced
    assert {r.date for r in plan.rows} == {DAY}
    target.write_text(plan.text, encoding="utf-8")
    assert load_population(target, DAY, members).values == _hand_typed(members)
    for r in plan.rows:
        assert "tabell TAB1267" in r.source and "folkmängd 1 november 2021" in r.source
        assert r.source.endswith("hämtad 2026-12-01") and r.source.startswith("SCB, Statistikdatabasen")
        assert r.code == members.codes[r.member]


def test_the_json_names_its_table_and_the_csv_needs_it(members, tmp_path):
    target = _without_day(tmp_path)
    plan = import_population(SCB / SAMPLES[0], target, members, retrieved=RETRIEVED)
    assert "tabell TAB1267 (BE0101)" in plan.rows[0].source
    with pytest.raises(DataError, match="does not say which table"):
        import_population(SCB / SAMPLES[1], target, members, retrieved=RETRIEVED)
    with pytest.raises(DataError, match="the file says it is table"):
        import_population(SCB / SAMPLES[0], target, members, retrieved=RETRIEVED, table="TAB9999")


def test_non_party_areas_are_left_out_and_reported(members):
    export = read_export(SCB / SAMPLES[0], members)
    assert len(export.observations) == 9
    plan = import_population(SCB / SAMPLES[0], POP, members, retrieved=RETRIEVED)
    assert plan.skipped_areas == ["23 Jämtlands län"]


def test_rows_are_inserted_in_date_order(members, tmp_path):
    target = _without_day(tmp_path)
    plan = import_population(SCB / SAMPLES[0], target, members, retrieved=RETRIEVED)
    dates = [line.split(",")[2] for line in plan.text.splitlines()[1:]]
    assert dates == sorted(dates)
    assert len(plan.text.splitlines()) == len(POP.read_text(encoding="utf-8").splitlines())


# -- merging --------------------------------------------------------------------------------------

def test_identical_rows_are_kept_once(members, tmp_path):
    target = tmp_path / "population.csv"
    shutil.copy(POP, target)
    plan = import_population(SCB / SAMPLES[1], target, members, retrieved=RETRIEVED, table="TAB1267")
    assert len(plan.unchanged) == 8 and not plan.added and not plan.changed
    assert plan.text.encode("utf-8") == POP.read_bytes()       # the existing sources stay


def test_a_conflicting_figure_is_refused_unless_replace(members, tmp_path):
    target = tmp_path / "population.csv"
    text = POP.read_text(encoding="utf-8").replace("Östersund,2380,2021-11-01,64354", "Östersund,2380,2021-11-01,64355")
    target.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), start=1) if "64355" in x)
    with pytest.raises(DataError) as exc:
        import_population(SCB / SAMPLES[0], target, members, retrieved=RETRIEVED)
    assert f"{target}:{line}:" in exc.value.format() and "64355" in exc.value.message
    assert "--replace" in exc.value.hint
    plan = import_population(SCB / SAMPLES[0], target, members, retrieved=RETRIEVED, replace=True)
    assert [r.label for r, _ in plan.replaced] == ["Östersund"]
    assert "Östersund,2380,2021-11-01,64354,\"SCB" in plan.text and "64355" not in plan.text


def test_bom_semicolons_and_crlf_of_the_target_are_kept(members, tmp_path):
    target = tmp_path / "population.csv"
    src = _without_day(tmp_path, name="plain.csv").read_text(encoding="utf-8")
    semi = "\r\n".join(line.replace(",", ";", 4) for line in src.splitlines()) + "\r\n"
    target.write_bytes(("\ufeff" + semi).encode("utf-8"))
    plan = import_population(SCB / SAMPLES[2], target, members, retrieved=RETRIEVED, table="TAB1267")
    assert plan.text.startswith("\ufeffmunicipality;code;date;population;source\r\n")
    assert "\r\nÖstersund;2380;2021-11-01;64354;SCB, Statistikdatabasen" in plan.text
    assert "\n" not in plan.text.replace("\r\n", "")


def test_an_empty_or_missing_target_gets_a_header(members, tmp_path):
    plan = import_population(SCB / SAMPLES[0], tmp_path / "new.csv", members, retrieved=RETRIEVED)
    assert plan.text.splitlines()[0] == "municipality,code,date,population,source"
    assert len(plan.text.splitlines()) == 9


# -- the reference day and the retrieval day ---------------------------------------------------------

def test_the_reference_day_comes_from_the_file_or_day(members, tmp_path):
    doc = json.loads((SCB / SAMPLES[0]).read_text(encoding="utf-8"))
    doc["label"] = "Folkmängd"
    doc["extension"]["px"]["contents"] = "Folkmängd"
    doc["dimension"]["ContentsCode"]["category"]["label"] = {"BE0101A9": "Folkmängd"}
    doc["dimension"]["ContentsCode"]["extension"] = {}
    f = tmp_path / "x.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="which day of the year"):
        import_population(f, tmp_path / "p.csv", members, retrieved=RETRIEVED)
    plan = import_population(f, tmp_path / "p.csv", members, retrieved=RETRIEVED, day=(11, 1))
    assert {r.date for r in plan.rows} == {DAY}
    with pytest.raises(DataError, match="the file says"):
        import_population(SCB / SAMPLES[0], tmp_path / "p.csv", members, retrieved=RETRIEVED, day=(12, 31))
    with pytest.raises(DataError, match="before 2021-11-01"):
        import_population(SCB / SAMPLES[0], tmp_path / "p.csv", members, retrieved=datetime.date(2021, 10, 1))


# -- bad files: errors at their place ------------------------------------------------------------------

def _write(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_malformed_json_is_an_error_at_its_place(members, tmp_path):
    f = _write(tmp_path, "bad.json", '{\n  "version": "2.0",\n  "class": "dataset",\n  "id": [,]\n}')
    with pytest.raises(DataError) as exc:
        read_export(f, members)
    assert exc.value.span.line == 4 and exc.value.span.path == str(f)


def test_json_stat_1_and_wrong_sizes_are_refused(members, tmp_path):
    f = _write(tmp_path, "v1.json", '{"dataset": {"dimension": {}, "value": []}}')
    with pytest.raises(DataError, match="JSON-stat 1"):
        read_export(f, members)
    doc = json.loads((SCB / SAMPLES[0]).read_text(encoding="utf-8"))
    doc["value"] = doc["value"][:-1]
    f = _write(tmp_path, "short.json", json.dumps(doc, ensure_ascii=False, indent=1))
    with pytest.raises(DataError, match="'value' has 8 figures but the sizes give 9"):
        read_export(f, members)


def test_a_breakdown_with_several_categories_is_ambiguous(members, tmp_path):
    doc = json.loads((SCB / SAMPLES[0]).read_text(encoding="utf-8"))
    doc["dimension"]["Alder"]["category"] = {"index": {"0": 0, "1": 1}, "label": {"0": "0 år", "1": "1 år"}}
    doc["size"] = [9, 2, 1, 1]
    doc["value"] = doc["value"] * 2
    f = _write(tmp_path, "ages.json", json.dumps(doc, ensure_ascii=False))
    with pytest.raises(DataError, match="'Alder'.*ambiguous"):
        read_export(f, members)
    text = (SCB / SAMPLES[1]).read_text(encoding="utf-8").replace('"2305 Bräcke","totalt ålder"', '"2305 Bräcke","0 år"')
    with pytest.raises(DataError, match="several values"):
        read_export(_write(tmp_path, "ages.csv", text), members)


def test_a_bad_csv_figure_is_an_error_at_line_and_column(members, tmp_path):
    text = (SCB / SAMPLES[1]).read_text(encoding="utf-8").replace(",15329", ",15 3x9")
    f = _write(tmp_path, "bad.csv", text)
    with pytest.raises(DataError) as exc:
        read_export(f, members)
    line = next(i for i, x in enumerate(text.splitlines(), start=1) if "15 3x9" in x)
    assert (exc.value.span.line, exc.value.span.col) == (line, text.splitlines()[line - 1].index("15 3x9") + 1)
    text = (SCB / SAMPLES[1]).read_text(encoding="utf-8").replace('"2309 Krokom"', '"2309 Berg"')
    with pytest.raises(DataError, match="code 2309 is Krokom, not 'Berg'") as exc:
        import_population(_write(tmp_path, "name.csv", text), tmp_path / "p.csv", members, retrieved=RETRIEVED,
                          table="T")
    assert (exc.value.span.line, exc.value.span.col) == (6, 1)     # the title, the header, 23, 2303, 2305, 2309


def test_a_csv_in_another_encoding_needs_encoding(members, tmp_path):
    f = tmp_path / "latin.csv"
    f.write_bytes((SCB / SAMPLES[1]).read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(DataError, match=r"latin\.csv:1:7: error: byte 0xe4 is not valid UTF-8(.|\n)*--encoding cp1252"):
        read_export(f, members)
    export = read_export(f, members, encoding="cp1252")
    assert sum(o.value for o in export.observations if o.area != "23 Jämtlands län") == sum(_hand_typed(members).values())


# -- the command ---------------------------------------------------------------------------------------

def test_cli_dry_run_writes_nothing_and_run_keeps_a_backup(capsys, tmp_path):
    target = _without_day(tmp_path)
    before = target.read_bytes()
    code, out, err = run(capsys, "data", "import-population", str(SCB / SAMPLES[0]), "--retrieved", "2026-12-01",
                         "--output", str(target), "--dry-run")
    assert code == 0 and out.count("\n+ ") + out.startswith("+ ") == 8 and "nothing written" in err
    assert target.read_bytes() == before and not (tmp_path / "population.csv.bak").exists()
    code, out, err = run(capsys, "data", "import-population", str(SCB / SAMPLES[2]), "--retrieved", "2026-12-01",
                         "--table", "TAB1267", "--output", str(target))
    assert code == 0 and "8 added" in err
    assert (tmp_path / "population.csv.bak").read_bytes() == before
    assert load_population(target, DAY, members_of(main_project())).values == _hand_typed(members_of(main_project()))
    code, out, err = run(capsys, "data", "import-population", str(SCB / SAMPLES[1]), "--retrieved", "2026-12-01",
                         "--table", "TAB1267", "--output", str(target))
    assert code == 0 and "8 unchanged" in err and not (tmp_path / "population.csv.bak.1").exists()


def test_cli_errors_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "data", "import-population", str(SCB / SAMPLES[1]), "--retrieved", "2026-12-01",
                       "--output", str(tmp_path / "p.csv"))
    assert code == 2 and "error:" in err and "--table" in err
    code, _, err = run(capsys, "data", "import-population", str(SCB / SAMPLES[0]), "--retrieved", "1 dec",
                       "--output", str(tmp_path / "p.csv"))
    assert code == 2 and "--retrieved" in err
    code, _, err = run(capsys, "data", "import-population", str(SCB / SAMPLES[0]), "--output", str(tmp_path / "p.csv"))
    assert code == 2 and "--retrieved" in err


def main_project():
    from avtalsregler.project.load import load_project
    return load_project(ROOT)


# -- add-index ---------------------------------------------------------------------------------------

def test_add_index_appends_in_the_files_style_and_keeps_comments(capsys, tmp_path):
    f = tmp_path / "lpik.yaml"
    shutil.copy(LPIK, f)
    comments = [x for x in LPIK.read_text(encoding="utf-8").splitlines() if x.startswith("#")]
    code, out, err = run(capsys, "data", "add-index", "--year", "2023", "--change", "2,9%", "--title", "Test A",
                         "--date", "2022-10-01", "--reference", "fiktiv:a", "--file", str(f))
    assert code == 0 and "year: 2023" in out
    code, out, err = run(capsys, "data", "add-index", "--year", "2024", "--change", "3.1 %", "--title", "Test \"B\"",
                         "--date", "2023-10-01", "--reference", "fiktiv:b", "--file", str(f))
    assert code == 0
    text = f.read_text(encoding="utf-8")
    assert [x for x in text.splitlines() if x.startswith("#")] == comments
    assert "values: []" not in text and (tmp_path / "lpik.yaml.bak").read_bytes() == LPIK.read_bytes()
    idx = load_index(f, 2019, 2200, "LPIK")
    assert [(v.year, v.change, v.title, v.published) for v in idx.values] == [
        (2023, __import__("fractions").Fraction(29, 1000), "Test A", datetime.date(2022, 10, 1)),
        (2024, __import__("fractions").Fraction(31, 1000), 'Test "B"', datetime.date(2023, 10, 1))]


def test_add_index_flow_style_file(tmp_path):
    f = tmp_path / "fiktiv.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "lpik_fiktiv.yaml", f)
    add = add_index_value(f, year=2021, change="1,5%", title="T", date=datetime.date(2020, 10, 1), reference="r")
    assert add.fictitious and "publication: {title: \"T\", date: 2020-10-01, reference: \"r\"}" in add.entry
    assert add.text.startswith(f.read_text(encoding="utf-8"))     # appended after the last entry, nothing else changed


def test_add_index_refusals(capsys, tmp_path):
    f = tmp_path / "lpik.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "lpik_fiktiv.yaml", f)
    with pytest.raises(DataError, match="already has a value for 2020 from a publication dated 2019-10-01") as exc:
        add_index_value(f, year=2020, change="2%", title="X", date=datetime.date(2019, 10, 1), reference="r")
    assert exc.value.span.path == str(f) and exc.value.span.line > 1
    for kw in ({"title": " "}, {"reference": ""}):
        args = {"year": 2021, "change": "2%", "title": "X", "date": datetime.date(2020, 1, 1), "reference": "r"} | kw
        with pytest.raises(DataError, match="needs its publication"):
            add_index_value(f, **args)
    with pytest.raises(DataError, match="not a percentage"):
        add_index_value(f, year=2021, change="2,9", title="X", date=datetime.date(2020, 1, 1), reference="r")
    code, _, err = run(capsys, "data", "add-index", "--year", "2023", "--change", "2,9%", "--title", "T",
                       "--date", "2022-10-01", "--file", str(f))
    assert code == 2 and "--reference" in err
    code, _, err = run(capsys, "data", "add-index", "--year", "1990", "--change", "2,9%", "--title", "T",
                       "--date", "2022-10-01", "--reference", "r", "--file", str(ROOT / "data" / "lpik.yaml"),
                       "--dry-run")
    assert code == 2 and "outside 2019" in err



def test_add_index_to_a_missing_file_says_it_creates_it(capsys, tmp_path):
    """--file names the index file to add to; a new file is legitimate (README: "appends … to
    data/lpik.yaml"; the code starts a missing --file as an empty 'values:' list). The dry run
    says it would create the file and writes nothing; without --dry-run the file is made and
    reads back with the one value. No 'path:line:col' into a file that does not exist."""
    new = tmp_path / "none.yaml"
    cmd = ["data", "add-index", "--year", "2019", "--change", "2,9%", "--title", "T", "--date", "2018-10-01",
           "--reference", "x", "--file", str(new)]
    code, out, err = run(capsys, *cmd, "--dry-run")
    assert code == 0 and f"{new} would be created" in err and ":1:8" not in err and "error" not in err
    assert "- year: 2019" in out and not new.exists()
    code, _, err = run(capsys, *cmd)
    assert code == 0 and f"created 2019 2,9% (2018-10-01) in {new}" in err
    index = load_index(new, 1, 9999, "index")
    assert [(v.year, v.published) for v in index.values] == [(2019, datetime.date(2018, 10, 1))]
    assert not list(tmp_path.glob("*.bak*"))                      # nothing old to keep
    # The second run adds to the file it made (not "created" again), in the same style.
    code, _, err = run(capsys, *cmd[:2], "--year", "2020", *cmd[4:])
    assert code == 0 and "added 2020" in err and [v.year for v in load_index(new, 1, 9999, "index").values] == [2019, 2020]


def test_add_index_to_a_file_in_a_missing_folder_is_refused_without_a_position(capsys, tmp_path):
    gone = tmp_path / "nodir" / "none.yaml"
    code, out, err = run(capsys, "data", "add-index", "--year", "2019", "--change", "2,9%", "--title", "T",
                         "--date", "2018-10-01", "--reference", "x", "--file", str(gone), "--dry-run")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"error: cannot create the index file '{gone}'") and "(no such folder)" in err
    assert "hint:" in err and ":1:" not in err and not gone.parent.exists()

def test_the_project_data_files_are_untouched():
    assert {p: p.read_bytes() for p in ORIGINALS} == ORIGINALS
    assert not (ROOT / "data" / "population.csv.bak").exists() and not (ROOT / "data" / "lpik.yaml.bak").exists()
