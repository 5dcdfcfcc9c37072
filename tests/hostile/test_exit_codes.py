"""The exit-code contract of ``cli/main.py``: 0 holds, 1 a finding, 2 bad input or usage, 3 an
internal error — a crash is never 1 and shows no traceback unless ``--debug`` is given."""

from __future__ import annotations

import importlib

import pytest

from avtalsregler.cli.commands import trace

from ..conftest import ROOT

cli = importlib.import_module("avtalsregler.cli.main")     # the package's ``main`` is the function
ANDRA = ROOT / "tests" / "fixtures" / "andra_avtalet"


def _run(capsys, *argv):
    code = cli.main(["--root", str(ANDRA), *argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("exc", [ValueError("Exceeds the limit\nsecond line"), RecursionError(), TypeError("x"),
                                 KeyError("k"), AttributeError("'NoneType' object has no attribute 'items'")],
                         ids=lambda e: type(e).__name__)
def test_a_crash_is_exit_3_with_one_line_and_a_request_to_report_it(monkeypatch, capsys, exc):
    def crash(args):
        raise exc

    monkeypatch.setattr(trace, "run", crash)
    code, err = _run(capsys, "trace")
    assert code == cli.EXIT_INTERNAL == 3
    assert "Traceback" not in err and "second line" not in err
    assert err.startswith(f"avtalsregler: internal error: {type(exc).__name__}")
    assert "report it" in err and "--debug" in err


def test_debug_shows_the_traceback(monkeypatch, capsys):
    monkeypatch.setattr(trace, "run", lambda args: 1 // 0)
    code = cli.main(["--debug", "--root", str(ANDRA), "trace"])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" in err and "ZeroDivisionError" in err


def test_a_command_returning_an_unknown_code_is_an_internal_error(monkeypatch, capsys):
    monkeypatch.setattr(trace, "run", lambda args: 7)
    code, err = _run(capsys, "trace")
    assert code == 3 and "exit code 7" in err


def test_bad_input_is_2_a_finding_1_and_all_holds_0(capsys, tmp_path):
    assert _run(capsys, "trace")[0] == 0
    assert _run(capsys, "compliance", str(ANDRA / "events" / "brister_2024.yaml"))[0] == 1
    assert _run(capsys, "compliance", str(tmp_path / "nope.yaml"))[0] == 2
    assert _run(capsys, "check", "--timeout", "nan")[0] == 2          # argparse: usage
    assert _run(capsys)[0] == 2                                        # no command
