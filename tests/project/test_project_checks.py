"""Checks that need more than one section or one rule, made when the project is loaded (so that
`check` refuses what `calendar` would refuse later): an event's duty must be one of its rule's
duties, and only one rule may declare the term. A compliance log saved by Excel (with a byte
order mark) is read."""

from __future__ import annotations

import pytest

from avtalsregler.cli.main import main
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT


def test_an_event_naming_no_duty_of_its_rule_is_a_load_error(project_copy):
    rule = project_copy / "rules" / "s08_aterrapportering.yaml"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text.replace("    duty: verksamhetsberattelse\n", "    duty: verksamhetsberatelse\n", 1),
                    encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as e:
        load_project(project_copy)
    assert "'verksamhetsberatelse' is not a duty of §8" in e.value.message
    assert "verksamhetsberattelse" in (e.value.hint or "")
    assert e.value.span.path.endswith("s08_aterrapportering.yaml")


def test_two_terms_are_a_load_error(project_copy, capsys):
    s10 = (project_copy / "rules" / "s10_giltighetstid.yaml").read_text(encoding="utf-8")
    start = s10.index("  term:\n")
    lines = s10[start:].splitlines()
    block = "\n".join([lines[0]] + [x for x in lines[1:len(lines)] if x.startswith("    ")][: next(
        i for i, x in enumerate(lines[1:]) if not x.startswith("    "))])
    rule = project_copy / "rules" / "s11_uppsagning.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "\nevents:\n" in text
    rule.write_text(text.replace("\nevents:\n", "\nevents:\n" + block + "\n", 1), encoding="utf-8")
    code = main(["--root", str(project_copy), "check"])
    err = capsys.readouterr().err
    assert code == 2 and "the term is declared by both §10 and §11" in err and "s11_uppsagning.yaml:" in err


def test_a_compliance_log_with_a_byte_order_mark_is_read(tmp_path, capsys):
    log = ROOT / "examples" / "events" / "sen_kontaktunderrattelse_2020.csv"
    bom = tmp_path / "logg.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + log.read_bytes())
    plain = main(["--root", str(ROOT), "compliance", str(log), "--format", "json"])
    out_plain = capsys.readouterr().out
    code = main(["--root", str(ROOT), "compliance", str(bom), "--format", "json"])
    out = capsys.readouterr().out
    assert code == plain == 1
    assert out.replace(str(bom), "X") == out_plain.replace(str(log), "X")
