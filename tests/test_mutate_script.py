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


def test_a_mutant_on_a_line_after_non_ascii_text_is_applied_where_it_is(tmp_path):
    """ast's column offsets count UTF-8 bytes: with 'å' earlier on the line, slicing the text by
    characters put the change two places too far (a stray statement instead of 2 → 3)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mutate", SCRIPT)
    mutate = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutate", mutate)           # dataclasses look their module up there
    spec.loader.exec_module(sys.modules["mutate"])
    mutate = sys.modules["mutate"]
    path = tmp_path / "m.py"
    source = 'def f(x):\n    s = "åä–"; return x + 2\n'
    path.write_text(source, encoding="utf-8")
    by_what = {m.what: m.apply(source) for m in mutate.mutants_of(path)}
    assert by_what["constant 2 → 3"] == 'def f(x):\n    s = "åä–"; return x + 3\n'
    assert by_what["drop the value of 'return x + 2'"] == 'def f(x):\n    s = "åä–"; return None\n'


def test_stopping_the_runner_stops_the_test_run_under_way_and_starts_no_other(tmp_path):
    import signal
    import time

    root = _fake(tmp_path)
    pids = tmp_path / "pids"
    # a test that hangs (and notes its pid) as soon as clamp is mutated
    (root / "tests" / "test_mod.py").write_text(
        "import os, time\nfrom fakepkg.mod import clamp\n\n\ndef test_clamp():\n"
        "    if clamp(-1, 0, 5) != 0 or clamp(3, 0, 5) != 3 or clamp(9, 0, 5) != 5:\n"
        f"        open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n')\n"
        "        time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, str(SCRIPT), "--root", str(root), "src/fakepkg/mod.py",
                             "--tests", "tests", "--jobs", "2"], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "FAKE_REAL_ROOT": str(root)})
    deadline = time.monotonic() + 60
    while not (pids.exists() and pids.read_text().count("\n") >= 1) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pids.exists(), "no mutant's test run started"
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert time.monotonic() - t0 < 15          # not the 120 s of the hanging run, nor the other mutants
    time.sleep(0.5)
    for pid in map(int, pids.read_text().split()):
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        assert not alive, f"the test run {pid} is still running"
    assert pids.read_text().count("\n") <= 2    # at most the two runs under way when stopped
