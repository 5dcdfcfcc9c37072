"""scripts/mutate.py on a tiny fake package: which mutants it finds, that it kills the ones a test
notices and reports the others as survivors (exit 1), that the real files are never changed (it
works in a copy), that pytest arguments after ``--`` reach pytest, and that ``--exclude-from``
leaves out what an earlier result holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "mutate.py"

MODULE = '''def clamp(x, lo, hi):
    if x < lo:
        return lo
    return min(x, hi)


def unused():
    return 7


def stub(): ...
'''
TEST = '''import os
from pathlib import Path

from fakepkg.mod import clamp


def test_runs_in_a_copy():
    assert Path(__file__).resolve().parents[1] != Path(os.environ["FAKE_REAL_ROOT"]).resolve()


def test_clamp():
    assert clamp(-1, 0, 5) == 0
    assert clamp(3, 0, 5) == 3
'''


def _fake(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src" / "fakepkg").mkdir(parents=True)
    (root / "src" / "fakepkg" / "__init__.py").write_text("")
    (root / "src" / "fakepkg" / "mod.py").write_text(MODULE)
    (root / "tests").mkdir()
    (root / "tests" / "test_mod.py").write_text(TEST)
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root), "src/fakepkg/mod.py",
                           "--tests", "tests", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FAKE_REAL_ROOT": str(root)})


def test_list_names_every_mutant_of_the_fake_module(tmp_path):
    r = _run(_fake(tmp_path), "--list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()[1:]
    # by hand: `x < lo` flipped; the two returned values dropped; `return 7` dropped; 7 → 8 and 7 → 6;
    # not stub's `...` (replaced by `pass` it would be the same program)
    assert lines == ["src/fakepkg/mod.py:2: flip Lt #1 in 'x < lo'",
                     "src/fakepkg/mod.py:3: drop the value of 'return lo'",
                     "src/fakepkg/mod.py:4: drop the value of 'return min(x, hi)'",
                     "src/fakepkg/mod.py:8: constant 7 → 6",
                     "src/fakepkg/mod.py:8: constant 7 → 8",
                     "src/fakepkg/mod.py:8: drop the value of 'return 7'"]


def test_run_kills_what_the_test_sees_keeps_the_files_and_excludes_earlier_results(tmp_path):
    root = _fake(tmp_path)
    out = tmp_path / "result.jsonl"
    r = _run(root, "--out", str(out))
    assert r.returncode == 1, r.stdout + r.stderr        # survivors: unused() is never tested
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    status = {rec["where"] + ": " + rec["what"]: rec["status"] for rec in recs}
    assert [s for w, s in status.items() if w.startswith("src/fakepkg/mod.py:8")] == ["survived"] * 3
    assert [s for w, s in status.items() if not w.startswith("src/fakepkg/mod.py:8")] == ["killed"] * 3
    assert all(isinstance(rec["seconds"], float) and rec["key"].startswith("src/fakepkg/mod.py::")
               for rec in recs)
    assert "score: 3/6 killed (50 %)" in r.stdout
    assert "survived: src/fakepkg/mod.py:8: constant 7 → 8" in r.stdout
    assert (root / "src" / "fakepkg" / "mod.py").read_text() == MODULE     # mutated in a copy only

    again = _run(root, "--exclude-from", str(out), "--list")
    assert again.returncode == 0
    assert "6 excluded; 0 chosen" in again.stdout and again.stdout.count("\n") == 1

    survivors = tmp_path / "survivors.txt"
    survivors.write_text("src/fakepkg/mod.py:8: constant 7 → 8\n")
    only = _run(root, "--only", str(survivors), "--list")
    assert only.stdout.splitlines()[1:] == ["src/fakepkg/mod.py:8: constant 7 → 8"]


def test_pytest_arguments_after_the_separator_reach_pytest(tmp_path):
    # -k that selects no test: pytest exits 5 already without a mutant, so the script refuses (2)
    r = _run(_fake(tmp_path), "--", "-k", "no_such_test")
    assert r.returncode == 2
    assert "error (exit 5)" in r.stdout


def test_jobs_run_mutants_in_separate_copies_with_the_same_verdicts(tmp_path):
    root = _fake(tmp_path)
    out = tmp_path / "two.jsonl"
    r = _run(root, "--jobs", "2", "--out", str(out))
    assert r.returncode == 1, r.stdout + r.stderr
    status = {json.loads(line)["where"] + ": " + json.loads(line)["what"]: json.loads(line)["status"]
              for line in out.read_text().splitlines()}
    # the same verdicts as one job gives (test above): line 8 untested, the rest killed
    assert sorted(status.values()) == ["killed"] * 3 + ["survived"] * 3
    assert all(s == "survived" for w, s in status.items() if w.startswith("src/fakepkg/mod.py:8"))
    assert "score: 3/6 killed (50 %)" in r.stdout
    assert (root / "src" / "fakepkg" / "mod.py").read_text() == MODULE
    assert _run(root, "--jobs", "0").returncode == 2
