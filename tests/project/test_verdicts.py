"""The ``verdicts`` declaration: compliance judges with the rule's own outcomes, and a bad
declaration is a load error at its place."""

from __future__ import annotations

import json

import pytest

from avtalsregler.cli.main import main
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

LOG = ROOT / "examples" / "events" / "saknad_verksamhetsberattelse_2021.yaml"


def _edit(root, old, new):
    rule = root / "rules" / "s08_aterrapportering.yaml"
    text = rule.read_text(encoding="utf-8")
    assert old in text
    rule.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_outcome_labels_and_texts_come_from_the_rule(project_copy, capsys):
    _edit(project_copy, "      label: saknas\n", "      label: uteblivet\n")
    _edit(project_copy, 'why: "{none_found} {start}–{assessed_on}; fristen {due} har löpt ut"',
          'why: "saknas helt: {expected}, frist {due}"')
    code = main(["--root", str(project_copy), "compliance", str(LOG)])
    out = capsys.readouterr().out
    assert code == 1
    assert "uteblivet" in out and "saknas helt: verksamhetsberättelse, frist 2021-12-31" in out


def test_an_outcome_that_is_not_a_finding_exits_0(project_copy, capsys):
    _edit(project_copy, "      when: bedomning_saknas\n      finding: true\n", "      when: bedomning_saknas\n")
    code = main(["--root", str(project_copy), "compliance", str(LOG), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["ok"] and data["counts"]["saknas"] >= 1


@pytest.mark.parametrize("old,new,expect", [
    ("  due: frist\n", "  due: frist_passerad\n", "is bool, not date"),
    ("    start: utlost_datum\n", "    start: har_frist\n", "is bool, not date"),
    ("      when: bedomning_sen\n", "      when: bedomning_senare\n", "is not a definition"),
    ('why: "{event} {event_date}, efter fristen {due}"', 'why: "{händelse} efter fristen"', "unknown slot"),
    ("    - id: sen\n", "    - id: uppfylld\n", "used twice"),
])
def test_a_bad_declaration_is_a_load_error_at_its_place(project_copy, old, new, expect):
    line = _edit(project_copy, old, new)
    with pytest.raises(AvtalsreglerError) as e:
        load_project(project_copy)
    assert expect in e.value.message
    assert e.value.span.path.endswith("s08_aterrapportering.yaml") and e.value.span.line == line
