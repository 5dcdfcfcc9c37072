"""Reasons that a Swedish text shows (the site's "Kunde inte beräknas: …", the audit's
alternatives, the amendment report) are Swedish; the audit says its date rule in Swedish and
the warnings of compute and audit are Swedish."""

from __future__ import annotations

import pytest

from avtalsregler.apps.compute import run_computation
from avtalsregler.cli.main import main
from avtalsregler.errors import AvtalsreglerError, DataError

from ..conftest import ROOT


def test_a_missing_population_has_a_swedish_reason(project):
    # operating year 2031 counts the population of 2030-11-01, which data/population.csv lacks
    with pytest.raises(DataError) as info:
        run_computation(project, "ersattning", {"year": 2031, "annual-amount": "9356000"})
    assert info.value.message.startswith("no population dated 2030-11-01")        # the CLI's error, English
    assert info.value.swedish.startswith("det finns ingen befolkningssiffra per 2030-11-01 i ")


def test_an_input_outside_its_range_has_a_swedish_reason(project):
    from avtalsregler.project.evaluate import evaluate

    clause = project.clauses["§12"]
    given = {n: 0 if i.type.kind == "int" else False for n, i in clause.inputs.items() if i.type.kind in ("int", "bool")}
    given["innehallet_belopp"] = -1
    with pytest.raises(AvtalsreglerError) as info:
        evaluate(clause, project.enums, given, ["innehalls_nu"])
    assert "utanför det intervall som bevisen gäller för" in info.value.swedish


def test_without_a_swedish_text_the_message_is_the_reason():
    assert DataError("x", None, None).swedish == "x"


def test_audit_says_its_date_rule_in_swedish(capsys):
    code = main(["--root", str(ROOT), "audit", str(ROOT / "examples/invoices/fakturor_2022_rattade.csv"),
                 "--annual-amount", "9356000"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "datumregel: i förskott" in out and "in-advance" not in out
    # the known doubt of the 2021-11-01 figures, in Swedish (data/population_doubts.yaml)
    assert "varning: de 8 siffrorna för 2021-11-01 summerar till 131 870" in err
    assert "(tolkning R7-befolkningsdata)" in err and "warning" not in err
