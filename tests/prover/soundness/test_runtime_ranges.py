"""No computed number lies outside what the proofs cover: ``compute``, ``audit``,
``compliance``, the Python API and spec examples refuse inputs outside a rule input's
``min``/``max`` or breaking an assumption — exit 2 with ``path:line:col: error:``, naming the
input (or assumption), its value and the range. (Issue 16, "inputs checked against the proved
ranges"; issue 18, "assumptions are enforced at run time too".)"""

from __future__ import annotations

import re
import shutil

import pytest

from avtalsregler.cli.main import main
from avtalsregler.errors import DataError
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.load import load_project
from avtalsregler.prover.check import check_project

from ...conftest import ROOT, PROJECT_DIRS
from .corpus import prover

ERROR = re.compile(r"^\S+:\d+:\d+: error: ", re.M)


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


RULE = dict(inputs={"a": {"type": "money", "min": 0, "max": 100000},
                    "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 10}},
            assume=["a >= sum(k in part, x[k])"], definitions={"d": ("money", "a - sum(k in part, x[k])")})


@pytest.mark.parametrize("given,words", [
    ({"a": 100001, "x": {"p1": 0, "p2": 0, "p3": 0}}, ["the input a = 1 000,01 kr", "0,00 kr … 1 000,00 kr"]),
    ({"a": -1, "x": {"p1": 0, "p2": 0, "p3": 0}}, ["the input a = -0,01 kr", "0,00 kr … 1 000,00 kr"]),
    ({"a": 50, "x": {"p1": 0, "p2": 11, "p3": 0}}, ["the input x[p2] = 0,11 kr", "0,00 kr … 0,10 kr"]),
    ({"a": 5, "x": {"p1": 3, "p2": 3, "p3": 0}}, ["assumption 'antagande_1'", "a = 0,05 kr"]),
])
def test_evaluate_refuses_inputs_outside_the_proved_range(given, words):
    p, project = prover(**RULE)
    with pytest.raises(DataError) as err:
        evaluate(p.clause, project.enums, given)
    assert all(w in err.value.message for w in words), err.value.message
    assert err.value.span is not None and err.value.span.path.endswith("s06.yaml")


def test_evaluate_accepts_the_bounds_themselves():
    p, project = prover(**RULE)
    values, _ = evaluate(p.clause, project.enums, {"a": 100000, "x": {"p1": 10, "p2": 0, "p3": 0}})
    assert values["d"] == 99990      # 1 000,00 kr − 10 öre, by hand


def test_compute_refuses_an_annual_amount_beyond_the_rule(capsys):
    # 5 000 000 000 kr; arsbelopp's max in rules/s07 is 100 000 000 000 öre = 1 000 000 000 kr
    code, out, err = run(capsys, "compute", "ersattning", "--year", "2022", "--population",
                         str(ROOT / "data" / "population.csv"), "--annual-amount", "5000000000")
    assert code == 2 and ERROR.search(err), err
    assert "5 000 000 000,00 kr" in err and "arsbelopp" in err and "1 000 000 000,00 kr" in err
    assert "Traceback" not in err and out == ""


def test_compute_refuses_a_population_beyond_the_rule(capsys, tmp_path):
    rows = (ROOT / "data" / "population.csv").read_text(encoding="utf-8").splitlines()
    changed = []
    for line in rows:
        if line.startswith("Krokom,") and ",2021-11-01," in line:
            parts = line.split(",", 4)
            parts[3] = "25000000"
            line = ",".join(parts)
        changed.append(line)
    pop = tmp_path / "population.csv"
    pop.write_text("\n".join(changed) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "compute", "ersattning", "--year", "2022", "--population", str(pop),
                         "--annual-amount", "9356000")
    assert code == 2 and ERROR.search(err) and "25000000" in err and "10000000" in err, err


def test_audit_refuses_an_annual_amount_beyond_the_rule(capsys):
    code, out, err = run(capsys, "audit", str(ROOT / "examples" / "invoices" / "fakturor_2022.csv"),
                         "--annual-amount", "5000000000")
    assert code == 2 and ERROR.search(err) and "arsbelopp" in err, err


def test_compliance_refuses_dates_beyond_the_rule(capsys, tmp_path):
    log = tmp_path / "log.yaml"
    log.write_text("from: 2150-01-01\nas_of: 2150-12-31\nevents:\n"
                   "  - {date: 2150-03-15, kind: verksamhetsberattelse}\n", encoding="utf-8")
    code, out, err = run(capsys, "compliance", str(log))
    assert code == 2 and ERROR.search(err), (code, out, err)
    assert "2150-01-01" in err and "2000-01-01 … 2100-12-31" in err


def test_an_example_that_breaks_an_assumption_fails_naming_it(tmp_path):
    for d in PROJECT_DIRS:
        shutil.copytree(ROOT / d, tmp_path / d)
    spec = tmp_path / "specs" / "s12_tvist.yaml"
    text = spec.read_text(encoding="utf-8")
    # the areas of the first example sum to 900 000 kr, not the period's 1 000 000 kr
    spec.write_text(text.replace("kurs_och_konferens: 200 000 kr", "kurs_och_konferens: 100 000 kr", 1),
                    encoding="utf-8")
    [result] = check_project(load_project(tmp_path), ["§12"], prove=False)
    bad = [e for e in result.examples if not e.ok]
    assert [e.name for e in bad] == ["ingen_tvist"]
    assert "fordelning_summerar" in bad[0].message and "ersattning_perioden = 1 000 000,00 kr" in bad[0].message
