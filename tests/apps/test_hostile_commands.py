"""Hostile input at the commands: what a rule or data file says reaches the site, the calendar
and the outputs only validated or escaped, and bad input is an error with its place, exit 2."""

from __future__ import annotations

import datetime
import shutil

import pytest

from avtalsregler.apps.docs.facts import render_facts
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "andra_avtalet"
FACT = "rules/s06_uppsagning.yaml"
DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def andra(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "p")
    return tmp_path / "p"


def _edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_html_in_a_fact_paragraph_is_escaped_on_the_start_page(andra):
    _edit(andra, FACT, "Den {dag} gäller den fiktiva överenskommelsen i den första",
          "<script>alert(1)</script> [x](javascript:alert(1)) Den {dag} gäller den fiktiva överenskommelsen i den första")
    facts = render_facts(load_project(andra), [], DAY)
    text = next(t for title, t, _ in facts if title.startswith("Avtalsperiod"))
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "](javascript:" not in text
    assert "**2024-01-01 – 2025-12-31**" in text           # the paragraphs' Markdown emphasis is kept


def test_a_fact_naming_an_unknown_computation_is_an_error_not_a_placeholder(andra):
    _edit(andra, FACT, "facts:\n  - id: avtalsperiod",
          "facts:\n  - {id: x, title: x, computation: nope, each: period, columns: [{label: a, value: member}]}\n"
          "  - id: avtalsperiod")
    with pytest.raises(AvtalsreglerError) as exc:
        render_facts(load_project(andra), [], DAY)
    text = exc.value.format()
    assert "s06_uppsagning.yaml:" in text and "'nope'" in text and "hint:" in text


def _cli(root, *argv, capsys):
    from avtalsregler.cli.main import main

    code = main(["--root", str(root), *argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.err


@pytest.mark.parametrize("value", ["[alfa]", "{a: 1}", "9901"])
def test_an_event_log_member_that_is_not_a_name_is_an_error_with_its_place(andra, capsys, value):
    log = andra / "events" / "komplett_2024.yaml"
    text = log.read_text(encoding="utf-8")
    assert "medlem: gamma" in text
    log.write_text(text.replace("medlem: gamma", f"medlem: {value}", 1), encoding="utf-8")
    code, err = _cli(andra, "compliance", str(log), capsys=capsys)
    assert code == 2 and "komplett_2024.yaml:" in err and "hint:" in err and "Node(" not in err


@pytest.mark.parametrize("figure,what", [pytest.param("9" * 5000, "too large", id="5000-digits"),
                                         pytest.param("٥٣٨٧", "not a whole number", id="arabic-indic-digits"),
                                         pytest.param("99999999999", "outside the range", id="above-max")])
def test_a_population_figure_that_is_not_a_count_the_rule_covers_is_refused(andra, capsys, figure, what):
    path = andra / "data" / "population.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("Alfa,") and ",2024-12-31," in line)
    cells = lines[i].split(",")
    cells[3] = figure
    lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = _cli(andra, "compute", "avgift", "--year", "2025", capsys=capsys)
    assert code == 2 and what in err and "population.csv:" in err and "hint:" in err, err
