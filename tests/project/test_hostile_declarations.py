"""Hostile rule files: every bad declaration is refused when the project is loaded, with its
place (``path:line:col``) and a hint, never with a Python exception. Run on a copy of the
fictitious second agreement (tests/fixtures/andra_avtalet)."""

from __future__ import annotations

import shutil

import pytest

from avtalsregler.apps.compute import run_computation
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "andra_avtalet"


@pytest.fixture
def andra(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "p")
    return tmp_path / "p"


def _edit(root, rule: str, old: str, new: str) -> None:
    path = root / "rules" / rule
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(root, rule: str, old: str, new: str) -> str:
    _edit(root, rule, old, new)
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(root)
    text = exc.value.format()
    assert text.startswith(f"{root / 'rules' / rule}:") or text.startswith(f"rules/{rule}:"), text
    assert "hint:" in text, text
    return text


def test_the_fixture_loads(andra):
    load_project(andra)


# -- computations ----------------------------------------------------------------------------------

@pytest.mark.parametrize("total", ["[1]", "{a: 1}", "1", "0", "yes please"])
def test_a_total_that_is_not_true_false_or_table_is_refused(andra, total):
    text = _refused(andra, "s03_avgift.yaml", "{key: population, value: befolkning, label: Befolkning, total: true}",
                    f"{{key: population, value: befolkning, label: Befolkning, total: {total}}}")
    assert "total" in text and "true, false or 'table'" in text


def test_a_fixed_value_outside_the_inputs_range_is_refused(andra):
    text = _refused(andra, "s06_uppsagning.yaml", "period: {value: 0}", "period: {value: 999}")
    assert "999" in text and "80" in text


@pytest.mark.parametrize("old,new,key", [
    ("name_key: member", "name_key: population", "population"),            # a row's name and a column
    ("      key: members\n", "      key: year\n", "year"),                 # the rows and a shown value
    ("{key: year, value: avgiftsar", "{key: readings, value: avgiftsar", "readings"),   # the engine's own key
    ("{key: population, value: befolkning", "{key: id, value: befolkning", "id"),       # a row's own key
])
def test_json_keys_that_would_overwrite_each_other_are_refused(andra, old, new, key):
    text = _refused(andra, "s03_avgift.yaml", old, new)
    assert repr(key) in text


@pytest.mark.parametrize("title", ["§3 {nope}", "§3 {avgiftsar.__class__}", "§3 {0}", "§3 {{avgiftsar}}",
                                   "§3 {avgiftsar!r}"])
def test_a_computation_title_with_a_bad_slot_is_refused(andra, title):
    text = _refused(andra, "s03_avgift.yaml", 'title: "§3 Avgift {avgiftsar}: fördelad efter vikt, befolkningen {befolkningsdag}"',
                    f'title: "{title}"')
    assert "title" in text


@pytest.mark.parametrize("label", ["Halvår {n.__class__}", "Halvår {0}", "Halvår {x}", "Halvår {n:>99}", "Halvår {"])
def test_a_column_label_with_a_bad_slot_is_refused(andra, label):
    text = _refused(andra, "s03_avgift.yaml", 'label: "Halvår {n}"', f'label: "{label}"')
    assert "{n}" in text and "{label}" in text


def test_the_title_keeps_working(andra):
    res = run_computation(load_project(andra), "avgift", {"year": 2025})
    assert res.computation.title.startswith("§3 Avgift {avgiftsar}")


# -- events ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("alarms", ["[99999999999999999999]", "[40000]"])
def test_an_alarm_too_far_ahead_is_refused(andra, alarms):
    text = _refused(andra, "s06_uppsagning.yaml", "alarms: [60, 14]", f"alarms: {alarms}")
    assert "alarm" in text


@pytest.mark.parametrize("key,old", [("name", '"Fiktiv testöverenskommelse: datum"'),
                                     ("product", "Fiktiv testöverenskommelse Förbundet"),
                                     ("assumes", "ingen part säger upp överenskommelsen")])
def test_a_calendar_text_with_a_line_break_is_refused(andra, key, old):
    text = _refused(andra, "s05_giltighet.yaml", f"{key}: {old}", f'{key}: "a\\r\\nBEGIN:VEVENT"')
    assert key in text and "line" in text


# -- facts -----------------------------------------------------------------------------------------

def test_a_given_value_outside_the_inputs_range_is_refused(andra):
    text = _refused(andra, "s06_uppsagning.yaml", "given: {dag: build_date, mottagen: build_date, period: 0}",
                    "given: {dag: build_date, mottagen: build_date, period: -5}")
    assert "-5" in text


def test_a_fact_computation_that_is_not_a_name_is_refused(andra):
    text = _refused(andra, "s06_uppsagning.yaml", "facts:\n  - id: avtalsperiod",
                    "facts:\n  - {id: x, title: x, computation: '<b>x</b>', each: period, columns: [{label: a, value: member}]}\n"
                    "  - id: avtalsperiod")
    assert "computation" in text


# -- parties ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("old,new,clash", [
    ("name: Förbundet", "name: Alfa", "Alfa"),                               # the hub named like a member
    ("aliases: [Kommunalförbundet]", "aliases: [Beta kommun]", "Beta kommun"),  # an alias that is a member's name
    ('name_forms: ["{label} kommun"]', 'name_forms: ["{label} kommun", "Förbundet"]', None),  # no {label}: refused already
])
def test_a_name_of_two_parties_is_refused(andra, old, new, clash):
    _edit(andra, "s02_parter.yaml", old, new)
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(andra)
    text = exc.value.format()
    assert "s02_parter.yaml:" in text and "hint:" in text
    if clash:
        assert clash.casefold() in text.casefold() and "two parties" in text


def test_two_members_whose_name_forms_coincide_are_refused(andra):
    # "Alfa" + "s kommun" and "Alfas" + " kommun" spell the same name
    _edit(andra, "s02_parter.yaml", 'name_forms: ["{label} kommun"]', 'name_forms: ["{label} kommun", "{label}s kommun"]')
    path = andra / "rules" / "s02_parter.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("label: Beta,", "label: Alfas,"), encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(andra)
    assert "alfas kommun" in exc.value.format().casefold() and "two parties" in exc.value.format()


def test_an_amendment_given_value_outside_the_inputs_range_is_refused(andra):
    path = andra / "rules" / "s04_andringar.yaml"
    text = path.read_text(encoding="utf-8")
    assert "given: {andring_skriftlig: true}" in text
    # a bounded int input for the condition to read: the given value is outside its range
    text = text.replace("inputs:\n", "inputs:\n  antal_dagar:\n    type: int\n    min: 0\n    max: 30\n"
                                     "    description: Test.\n    sentence: a4.1\n", 1)
    path.write_text(text.replace("given: {andring_skriftlig: true}", "given: {andring_skriftlig: true, antal_dagar: 31}"),
                    encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(andra)
    assert "given antal_dagar 31 is outside the range" in exc.value.format()


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../etc/passwd", "data/../../x.csv", "~/x.csv", "C:/x.csv", ""])
def test_a_data_file_outside_the_project_is_refused(andra, path):
    text = _refused(andra, "s03_avgift.yaml", "file: data/population.csv", f"file: '{path}'")
    assert "not a path inside the project" in text
