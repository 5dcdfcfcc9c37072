"""The bad-input corpus (:mod:`tests.hostile.cases`): every case gives its exit code and its
``path:line:col``, never a traceback, within 5 s; the measured ones also within 300 MB (peak
resident memory of their own interpreter)."""

from __future__ import annotations

import pytest

from tests.hostile.cases import CASES
from tests.hostile.harness import judge, prepare, run_in_process, run_measured

KINDS = ("rules/", "specs/", "readings/", "agreement/", "amendments/", "events/", "data/", ".csv", ".xlsx", ".json")
COMMANDS = ("amend", "audit", "calendar", "check", "compliance", "compute", "data", "docs", "trace")


@pytest.mark.parametrize("case", [c for c in CASES if not c.measured], ids=lambda c: c.id)
def test_case(case, tmp_path, capsys):
    root = prepare(case, tmp_path)
    code, err, elapsed = run_in_process(case, root, capsys)
    assert not judge(case, code, err, elapsed, root=root), err


@pytest.mark.parametrize("case", [c for c in CASES if c.measured], ids=lambda c: c.id)
def test_measured_case(case, tmp_path):
    root = prepare(case, tmp_path)
    code, err, elapsed, megabytes = run_measured(case, root)
    assert not judge(case, code, err, elapsed, megabytes, root=root), (err, elapsed, megabytes)


def test_the_corpus_covers_every_file_kind_and_command():
    assert len(CASES) >= 100
    text = " ".join(" ".join(c.argv) + " " + " ".join(str(e[0]) for e in c.edits) for c in CASES)
    assert [k for k in KINDS if k not in text] == []
    assert [c for c in COMMANDS if not any(case.argv[0] == c for case in CASES)] == []
