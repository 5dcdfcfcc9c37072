"""An amendment that changes the agreement's structure (quarterly invoices become half-yearly:
a new enumeration, new weights, new invoice days, new event wording, another members table)
passes `amend check`, and the tools that auditors use work on the amended agreement. The
expected numbers are derived by hand in amendments/halvarsfakturering.yaml (each kommun's 2022
share of 9 356 000 kr, from the §7 spec example fordelning_2022, halved, an odd öre to the
first half)."""

from __future__ import annotations

import json

import pytest

from avtalsregler.apps.amend.report import check_amendment
from avtalsregler.cli.main import main

from ..conftest import ROOT

AMENDMENT = ROOT / "amendments" / "halvarsfakturering.yaml"


# the tests that read the module fixture amended run on one pytest-xdist worker (--dist loadgroup),
# which makes it once
pytestmark = pytest.mark.xdist_group("test_amend_structure")


@pytest.fixture(scope="module")
def amended(tmp_path_factory):
    keep = tmp_path_factory.mktemp("halvar") / "copy"
    report = check_amendment(ROOT, AMENDMENT, keep=keep)
    return report, keep


def test_the_amendment_holds_and_says_what_changed_on_purpose(amended):
    report, _ = amended
    assert report.exit_code == 0, [f.message for f in report.findings if f.severity == "error"]
    assert report.procedure.ok
    data = report.as_json()
    assert data["guarantees_changed"] == []          # nothing breaks that was not changed on purpose
    on_purpose = {(g["name"], g["after"]) for g in data["guarantees_changed_on_purpose"]}
    assert on_purpose == {("fyra_fakturor_om_aret", "proved"), ("kvartal_nara_fjardedel", "proved")}


def test_the_calendar_of_the_amended_agreement_has_two_invoices_a_year(amended, capsys):
    _, keep = amended
    code = main(["--root", str(keep), "calendar", "--from", "2027-01-01", "--to", "2027-12-31", "--format", "json"])
    events = json.loads(capsys.readouterr().out)["events"]
    invoices = [(e["date"], e["title"]) for e in events if e["kind"] == "invoice"]
    assert code == 0
    assert invoices == [("2027-01-01", "Halvårsfaktura 2027: halvår 1 (januari–juni), i förskott"),
                        ("2027-07-01", "Halvårsfaktura 2027: halvår 2 (juli–december), i förskott")]


def test_compute_on_the_amended_agreement_gives_the_halves(amended, capsys):
    _, keep = amended
    code = main(["--root", str(keep), "compute", "ersattning", "--year", "2022", "--annual-amount", "9356000",
                 "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    rows = {r["municipality"]: r for r in data["municipalities"]}
    assert rows["Östersund"]["halves_ore"] == [228291509, 228291508]
    assert rows["Krokom"]["halves_ore"] == [54378602, 54378601]
    assert rows["Ragunda"]["halves_ore"] == [18496316, 18496316]
    assert data["due_dates"] == ["2022-01-01", "2022-07-01"]
    assert sum(sum(r["halves_ore"]) for r in rows.values()) == 935_600_000
