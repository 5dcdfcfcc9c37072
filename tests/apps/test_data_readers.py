"""The population and index readers accept what a spreadsheet saves — a byte order mark, ``;`` or
tab separators, decimal commas where the figure allows them — and refuse anything else at its
``path:line:col``.

The files are made from data/population.csv itself (the 2021-11-01 figures, which sum to
131 870), re-saved the way Excel does; the figures must read back unchanged."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from avtalsregler.apps.data import delimiter, load_index, load_population, whole_number
from avtalsregler.errors import AvtalsreglerError, DataError

from ..conftest import ROOT

DAY = datetime.date(2021, 11, 1)
SUM_2021 = 131_870


def _rows():
    return list(csv.reader((ROOT / "data" / "population.csv").read_text(encoding="utf-8").splitlines()))


def _save(path, rows, delim=";", bom=True, figure=lambda s: s):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n")
    w.writerow(rows[0])
    for r in rows[1:]:
        w.writerow(r[:3] + [figure(r[3])] + r[4:])
    path.write_text(buf.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")
    return path


def _members(project):
    return project.enums[project.declared_once("parties")[1].member_enum]


def test_whole_numbers():
    assert [whole_number(s) for s in ("64354", "64 354", "64\u00a0354", "64354,0", "64354.00", " 5214 ")] == \
        [64354, 64354, 64354, 64354, 64354, 5214]
    assert [whole_number(s) for s in ("5214,5", "-5", "5 2 1 4", "64 35", "", "1e3", "5214,")] == [None] * 7


def test_delimiter_follows_the_header():
    assert delimiter("municipality,code,date,population,source") == ","
    assert delimiter("municipality;code;date;population;source") == ";"
    assert delimiter("municipality\tcode\tdate\tpopulation\tsource") == "\t"


@pytest.mark.parametrize("delim,figure", [(";", lambda s: s + ",0"), ("\t", lambda s: s), (",", lambda s: s)],
                         ids=["semicolon-decimal-comma", "tab", "comma"])
def test_a_spreadsheets_file_reads_the_same(project, tmp_path, delim, figure):
    plain = load_population(ROOT / "data" / "population.csv", DAY, _members(project))
    path = _save(tmp_path / "pop.csv", _rows(), delim, True, figure)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    got = load_population(path, DAY, _members(project))
    assert got.values == plain.values and sum(got.values.values()) == SUM_2021
    assert [r.source for r in got.rows.values()] == [r.source for r in plain.rows.values()]


def test_grouped_digits_read_as_one_number(project, tmp_path):
    path = _save(tmp_path / "pop.csv", _rows(), ";", True,
                 lambda s: f"{int(s):,}".replace(",", " ") if s.isdigit() else s)
    assert sum(load_population(path, DAY, _members(project)).values.values()) == SUM_2021


def test_a_fraction_of_a_person_is_an_error_at_its_place(project, tmp_path):
    rows = _rows()
    line = next(i for i, r in enumerate(rows) if r[2] == DAY.isoformat() and r[3] == "5214") + 1
    path = _save(tmp_path / "pop.csv", rows, ";", True, lambda s: "5214,5" if s == "5214" else s)
    with pytest.raises(DataError) as exc:
        load_population(path, DAY, _members(project))
    text = exc.value.format()
    col = path.read_text(encoding="utf-8-sig").splitlines()[line - 1].index("5214,5") + 1
    assert f"{path}:{line}:{col}:" in text and "'5214,5'" in text and "not a whole number" in text


def test_a_file_split_by_something_else_says_so(project, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("municipality|code|date|population|source\nRagunda|2303|2021-11-01|5214|x\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_population(path, DAY, _members(project))
    assert f"{path}:1:1:" in exc.value.format() and "';' or a tab" in exc.value.format()


def test_a_row_with_too_many_fields_names_the_separator(project, tmp_path):
    rows = _rows()
    rows[1][4] = rows[1][4] + ";extra"
    path = tmp_path / "pop.csv"
    text = "\r\n".join(";".join(r) for r in rows) + "\r\n"
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(DataError) as exc:
        load_population(path, DAY, _members(project))
    assert f"{path}:2:1:" in exc.value.format() and "';'" in exc.value.format()


def test_an_index_file_saved_with_a_bom_and_decimal_commas(tmp_path):
    path = tmp_path / "index.yaml"
    path.write_text("# FIKTIVA värden för ett test\nfiktiv: true\nvalues:\n"
                    "  - year: 2019\n    change: 2,9%\n"
                    "    publication: {title: FIKTIV A, date: 2018-10-01, reference: 'fiktiv:a'}\n"
                    "  - year: 2020\n    change: '0,031'\n"
                    "    publication: {title: FIKTIV B, date: 2019-10-01, reference: 'fiktiv:b'}\n",
                    encoding="utf-8-sig")
    idx = load_index(path, 2019, 2030)
    assert idx.fictitious and [(v.year, v.change.numerator, v.change.denominator) for v in idx.values] == \
        [(2019, 29, 1000), (2020, 31, 1000)]


def test_an_index_change_that_is_not_a_number_is_an_error_at_its_place(tmp_path):
    path = tmp_path / "index.yaml"
    path.write_text("values:\n  - year: 2019\n    change: två procent\n"
                    "    publication: {title: A, date: 2018-10-01, reference: r}\n", encoding="utf-8-sig")
    with pytest.raises(AvtalsreglerError) as exc:
        load_index(path, 2019, 2030)
    assert f"{path}:3:13:" in exc.value.format()
