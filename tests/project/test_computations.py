"""``computations:`` declarations: bad names and types are refused at load with their place and
a hint; a computation runs from its declaration alone (no Python names the rule)."""

from __future__ import annotations

import pytest

from avtalsregler.apps.compute import run_computation
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

RULE = "rules/s11_uppsagning.yaml"
GOOD = "      dag: {option: date, required: true, help: \"the day asked about\"}\n"


def _load_with(root, old: str, new: str):
    path = root / RULE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(root)
    return exc.value.format(), path


@pytest.mark.parametrize("old,new,message,hint", [
    (GOOD, GOOD.replace("dag:", "dagg:"), "computation input 'dagg' is not a input of §11", "did you mean 'dag'"),
    (GOOD, GOOD.replace("option: date", "option: format"), "option 'format' is reserved", "choose another name"),
    (GOOD, GOOD.replace("option: date", "option: Date"), "is not a lower-case ASCII flag name", "e.g. 'year'"),
    ("      period_nr: {value: 0}\n", "      period_nr: {value: tre}\n", "period_nr", ""),
    ("      mottagen: {option: notice", "      mottagen_x: {option: notice", "is not a input of §11", "did you mean 'mottagen'"),
    ("value: periodens_forsta_dag,", "value: periodens_forst_dag,", "shown value 'periodens_forst_dag' is not",
     "did you mean 'periodens_forsta_dag'"),
    ("when_given: mottagen}\n      - {key: ends_on", "when_given: mottagn}\n      - {key: ends_on",
     "when_given 'mottagn' is not a input", "did you mean 'mottagen'"),
    ("{key: period_end, value", "{key: period_start, value", "the key 'period_start' is shown twice", ""),
    ("default: dag,", "default: period_nr,", "the default 'period_nr' is int", ""),
    ("label: dag}", "label: dag, total: true}", "'dag' has no numbers to total", "remove 'total'"),
])
def test_bad_declaration_is_refused_with_its_place(project_copy, old, new, message, hint):
    text, path = _load_with(project_copy, old, new)
    assert message in text and f"{path.name}:" in text.replace(str(path), path.name)
    assert ":" in text.split("error:")[0] and "Traceback" not in text
    if hint:
        assert "hint:" in text and hint in text


def test_members_column_must_be_a_map_over_members(project_copy):
    path = project_copy / "rules/s07_ersattning.yaml"
    text = path.read_text(encoding="utf-8")
    old = "        - {key: annual_ore, value: arsandel, label: Årsbelopp, total: true}\n"
    assert old in text
    path.write_text(text.replace(old, old.replace("value: arsandel", "value: total_befolkning")), encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as exc:
        load_project(project_copy)
    assert "the column 'total_befolkning' is int[personer], not a map over the parties' members" in exc.value.format()
    assert "s07_ersattning.yaml:" in exc.value.format()


def test_recurrence_alternative_and_data_kind(project_copy):
    path = project_copy / "rules/s07_ersattning.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new, message in [("            chain: {reading", "            chains: {reading", "unknown alternative 'chains'"),
                              ("        data: population\n", "        data: popullation\n", "unknown data kind"),
                              ("          next: uppraknat_arsbelopp\n", "          next: uppraknat_exakt\n",
                               "is fraction[öre], but 'arsbelopp' is money")]:
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        with pytest.raises(AvtalsreglerError) as exc:
            load_project(project_copy)
        assert message in exc.value.format() and "s07_ersattning.yaml:" in exc.value.format()
    path.write_text(text, encoding="utf-8")


def test_unknown_computation_names_the_declared_ones(project):
    with pytest.raises(AvtalsreglerError) as exc:
        run_computation(project, "giltighett", {"date": "2020-01-01"})
    assert "there is no computation 'giltighett'" in exc.value.format() and "giltighet" in exc.value.hint


def test_another_split_key_is_just_a_definition(project_copy):
    """A column of weights computed from several inputs (half by population, half equal) is
    shown like any other: nothing assumes the weights are the population input. By hand, for
    2022 (131 870 persons, 8 members): Ragunda's weight is 5 214/131 870 / 2 + 1/16, and
    apportion(935 600 000, vikt) gives every member its share; the shares sum to the total."""
    path = project_copy / "rules/s07_ersattning.yaml"
    text = path.read_text(encoding="utf-8")
    defs = ("  vikt:\n    type: {map: kommun, of: fraction}\n"
            "    expr: per(k in kommun, befolkning[k] / total_befolkning / 2 + 1 / (2 * count(j in kommun, befolkning[j] >= 0)))\n"
            "    description: Hälften efter befolkning, hälften lika (testfixtur).\n"
            "  halv_andel:\n    type: {map: kommun, of: money}\n    expr: apportion(arsbelopp, vikt)\n"
            "    description: Andelen efter vikten (testfixtur).\n")
    assert "\ndefinitions:\n" in text
    text = text.replace("\ndefinitions:\n", "\ndefinitions:\n" + defs)
    text = text.replace("        - {key: annual_ore, value: arsandel, label: Årsbelopp, total: true}\n",
                        "        - {key: annual_ore, value: arsandel, label: Årsbelopp, total: true}\n"
                        "        - {key: half_ore, value: halv_andel, label: Halv, total: true}\n")
    path.write_text(text, encoding="utf-8")
    p = load_project(project_copy)
    r = run_computation(p, "ersattning", {"year": 2022, "annual-amount": "9356000"})
    half = next(c for c in r.columns if c.key == "half_ore").value
    assert sum(half.values()) == 935_600_000
    # Ragunda: 935 600 000 × (5 214/263 740 + 1/16) = 18 496 316,02… + 58 475 000 = 76 971 316,02… öre
    assert half["ragunda"] in (76_971_316, 76_971_317)
