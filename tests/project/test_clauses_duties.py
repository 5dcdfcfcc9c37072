"""The `duties:` section: loaded into model.Duty, and its schema errors."""

from __future__ import annotations

import pytest

from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project


def test_duties_loaded(project):
    d = project.clauses["§13"].duties["meddela_ny_kontaktperson"]
    assert (d.frequency, d.trigger, d.fulfilled_by) == ("on_trigger", "kontaktbyte", "underrattelse")
    assert (d.deadline.kind, d.deadline.days, d.deadline.parameter) == ("days", 7, "omgaende_dagar")
    assert d.conditions == ("skriftlig", "uppgifter_om_ny")
    dialog = project.clauses["§8"].duties["uppfoljningsdialog"]
    assert dialog.per == "kommun" and dialog.deadline.kind == "end_of_period"
    # every duty's sentence is a quote of its clause
    for c in project.clauses.values():
        for duty in c.duties.values():
            assert c.sentence(duty.sentence) is not None


def test_kommun_enum_owned_by_s1(project):
    k = project.enums["kommun"]
    assert k.clause == "§1"
    assert k.values == ("ragunda", "bracke", "krokom", "stromsund", "are", "berg", "harjedalen", "ostersund")
    assert k.label("are") == "Åre" and k.label("ostersund") == "Östersund"


BAD = [
    ("deadline: {days: -1}", "would precede its trigger"),
    ("frequency: monthly", "unknown frequency 'monthly'"),
    ("deadline: end_of_period", "only a deadline of a periodic"),
    ("deadline: {days: omgaende}", "is not a parameter of this clause counted in days"),
    ("per: kommuner", "unknown enumeration 'kommuner'"),
]


@pytest.mark.parametrize("change,message", BAD, ids=[b[1][:20] for b in BAD])
def test_bad_duty(project_copy, change, message):
    path = project_copy / "rules" / "s13_kontaktpersoner.yaml"
    text = path.read_text(encoding="utf-8")
    key = change.split(":")[0]
    # replace (or add) the key in the one duty of §13
    out = []
    for ln in text.split("\n"):
        if ln.startswith(f"    {key}:"):
            continue
        out.append(ln)
        if ln.startswith("  meddela_ny_kontaktperson:"):
            out.append(f"    {change}")
    path.write_text("\n".join(out), encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as info:
        load_project(project_copy)
    assert message in info.value.format()
    assert "s13_kontaktpersoner.yaml:" in info.value.format()
