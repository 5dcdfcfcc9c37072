"""`avtalsregler.api`: the README's example runs as written, and every function gives the same
data as the CLI's `--format json` for the same inputs (the API's contract). Numbers checked
independently: the split sums to the given annual amount, each member's population is the data
file's, and the sample invoices' three errors are the ones their file's header comment states
(Krokom quarter 2 invoiced 271 893,10 kr against 271 893,01 kr: +9 öre; Berg quarter 4 missing;
a second Härjedalen quarter 3)."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest

import avtalsregler.api as av
from avtalsregler.apps.data import load_population
from avtalsregler.cli.main import main
from avtalsregler.errors import DataError

from .conftest import ROOT

INVOICES = "examples/invoices/fakturor_2022.csv"


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Python API\n(.*?)^```python\n(.*?)^```", text, re.S | re.M)
    assert m, "README.md has a '## Python API' section with a ```python block"
    return m.group(2)


def _cli_json(capsys, monkeypatch, *argv):
    monkeypatch.chdir(ROOT)
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, json.loads(out)


@pytest.fixture
def api_project(monkeypatch):
    monkeypatch.chdir(ROOT)         # as the CLI is run: paths in the results are relative to the root
    return av.load(".")


def test_the_readme_example_runs(project):
    r = subprocess.run([sys.executable, "-c", _readme_example()], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    members = project.enums[project.declared_once("parties")[1].member_enum]
    pops = load_population(ROOT / "data" / "population.csv", datetime.date(2021, 11, 1), members).values
    split = {ln.split()[0]: ln.split()[1:] for ln in lines[:8]}
    assert {name: int(p) for name, (p, _) in split.items()} == {members.label(k): v for k, v in pops.items()}
    assert lines[8] == "summa 935600000" == f"summa {sum(int(a) for _, a in split.values())}"
    assert lines[9].startswith("avvikelser ")
    odd = [ln.split()[:2] + [ln.split()[-1]] for ln in lines[10:13]]
    assert odd == [["fel", "belopp", "9"], ["saknas", "Berg", "None"], ["okänd", "faktura", "None"]]
    assert "Krokom" in lines[10] and "Kvartal 2" in lines[10] and "Härjedalen" in lines[12]
    assert all(re.match(r"2022-0[1-3]-\d\d \w+ ", ln) for ln in lines[13:]) and len(lines) > 13


def test_compute_is_the_cli_json(api_project, capsys, monkeypatch):
    code, cli = _cli_json(capsys, monkeypatch, "compute", "ersattning", "--year", "2022", "--annual-amount",
                          "9356000", "--format", "json")
    assert code == 0
    # the CLI also says which version of the agreement it chose (the API computes on the project
    # it is given); everything else is the same data
    assert cli.pop("in_force")["version"]["number"] == 0
    assert av.compute(api_project, "ersattning", year=2022, annual_amount="9356000") == cli
    assert av.compute(api_project, "ersattning", year="2022", annual_amount=Decimal("9356000")) == cli
    code, cli = _cli_json(capsys, monkeypatch, "compute", "giltighet", "--date", "2024-02-29", "--format", "json",
                          "--explain")
    cli.pop("in_force", None)
    assert av.compute(api_project, "giltighet", date=datetime.date(2024, 2, 29), explain=True) == cli
    assert cli["explain"]


def test_amounts_are_kronor_and_bad_options_are_errors(api_project):
    res = av.compute(api_project, "ersattning", year=2022, annual_amount=9356000)
    assert sum(r["annual_ore"] for r in res["municipalities"]) == 9356000 * 100
    with pytest.raises(DataError, match="has no option 'anual_amount'") as exc:
        av.compute(api_project, "ersattning", year=2022, anual_amount=1)
    assert "annual-amount" in exc.value.hint
    with pytest.raises(DataError, match="float"):
        av.compute(api_project, "ersattning", year=2022, annual_amount=9356000.0)
    with pytest.raises(DataError, match="there is no computation"):
        av.compute(api_project, "no_such")
    names = {c["name"]: c["options"] for c in av.computations(api_project)}
    assert "annual_amount" in names["ersattning"] and "year" in names["ersattning"]


def test_audit_is_the_cli_json(api_project, capsys, monkeypatch):
    code, cli = _cli_json(capsys, monkeypatch, "audit", INVOICES, "--annual-amount", "9356000", "--format", "json")
    assert code == 1
    res = av.audit(api_project, INVOICES, annual_amount=9356000)
    assert res == cli and res["ok"] is False
    assert res["counts"]["fel belopp"] == res["counts"]["saknas"] == res["counts"]["okänd faktura"] == 1


def test_calendar_is_the_cli_events(api_project, capsys, monkeypatch):
    code, cli = _cli_json(capsys, monkeypatch, "calendar", "--from", "2019-01-01", "--to", "2031-12-31",
                          "--format", "json")
    assert code == 0
    assert av.calendar(api_project, "2019-01-01", datetime.date(2031, 12, 31)) == cli["events"]
    with pytest.raises(DataError, match="runs backwards"):
        av.calendar(api_project, "2022-02-01", "2022-01-01")
