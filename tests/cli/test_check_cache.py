"""`check` with the proof cache and in parallel, as a user meets it: each proof says whether it
was proved now or taken from the cache (text and JSON), `--no-cache` bypasses it, `cache clear`
empties it, and `-j N` gives the same results, in the same order, as one process."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from avtalsregler.cli.commands.check import as_json, text_lines
from avtalsregler.cli.main import main
from avtalsregler.prover.check import check_project

from ..conftest import ROOT


def check_json(capsys, *args):
    code = main(["--root", str(ROOT), "check", "--clause", "§8", "--format", "json", *args])
    out = json.loads(capsys.readouterr().out)
    return code, [p for c in out["clauses"] for p in c["proofs"]]


def asked(proofs):
    """Proofs that asked the solver (not 'no partial operation')."""
    return [p for p in proofs if not p["detail"].startswith("no partial operation")]


def test_from_cache_then_no_cache_then_clear(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AVTALSREGLER_CACHE", str(tmp_path / "c"))
    code, first = check_json(capsys)
    assert code == 0 and not any(p["from_cache"] for p in first)
    code, second = check_json(capsys)
    assert code == 0 and asked(second) and all(p["from_cache"] for p in asked(second))
    assert [(p["name"], p["status"]) for p in second] == [(p["name"], p["status"]) for p in first]

    main(["--root", str(ROOT), "check", "--clause", "§8"])
    text = capsys.readouterr().out
    line = next(ln for ln in text.splitlines() if "exakt_en_bedomning" in ln)
    assert line.split()[-2:] == ["from", "cache"] and "proved" in line

    code, bypass = check_json(capsys, "--no-cache")
    assert code == 0 and not any(p["from_cache"] for p in bypass)

    entries = len(list((tmp_path / "c").glob("??/*.json")))
    assert entries > 0
    assert main(["--root", str(ROOT), "cache", "clear"]) == 0
    assert f"removed {entries} cached answers" in capsys.readouterr().out
    assert not list((tmp_path / "c").glob("??/*.json"))
    code, cold = check_json(capsys)
    assert code == 0 and not any(p["from_cache"] for p in cold)


def test_no_cache_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AVTALSREGLER_CACHE", str(tmp_path / "c"))
    code, _ = check_json(capsys, "--no-cache", "-j", "1")
    assert code == 0 and not list((tmp_path / "c").glob("??/*.json"))


def _masked(results) -> tuple[str, str]:
    """The JSON and the text of a check without what differs by the run: times, and whether
    a proof came from the cache."""
    data = as_json(results, 0.0)
    for c in data["clauses"]:
        c["seconds"] = 0
        for p in c["proofs"] + c.get("tensions", []):
            p["seconds"], p["from_cache"] = 0, False
    text = re.sub(r"(\d+\.\d{3} s|from cache)$", "T", "\n".join(text_lines(results, 0.0)), flags=re.M)
    return json.dumps(data, ensure_ascii=False, indent=2), text


@pytest.mark.slow
def test_parallel_is_the_same_as_serial(project):
    """One worker process and two, no cache (every proof solved in the workers): the same JSON
    and the same text, byte for byte once the times are masked, in clause order."""
    serial = check_project(project, cache=False, jobs=1)
    parallel = check_project(project, cache=False, jobs=2)
    assert [r.clause.id for r in parallel] == [c.id for c in project.ordered()]
    assert not any(p.cached for r in parallel for p in r.proofs)
    assert all(r.ok for r in parallel)
    assert _masked(parallel) == _masked(serial)
    assert len([p for r in parallel for p in r.proofs]) > 100


# -- the whole-check memo (prover/memo.py) -------------------------------------------------------
S08_RULE, S08_SPEC = "rules/s08_aterrapportering.yaml", "specs/s08_aterrapportering.yaml"


class Calls:
    """Counts the calls of ``module.name`` (``n``), which still does its work."""

    def __init__(self, monkeypatch, module, name: str):
        self.n, real = 0, getattr(module, name)

        def counting(*a, **k):
            self.n += 1
            return real(*a, **k)
        monkeypatch.setattr(module, name, counting)


def count_loads(monkeypatch) -> Calls:
    """Counts the projects loaded (a check the memo answers loads none)."""
    import avtalsregler.project.load as load

    return Calls(monkeypatch, load, "load_project")


def run(capsys, root, *args):
    code = main(["--root", str(root), "check", "--clause", "§8", *args])
    return code, capsys.readouterr().out


@pytest.fixture()
def memo_env(tmp_path, monkeypatch):
    """A cache folder of its own (the session's answers are not in it: the first check is cold)."""
    monkeypatch.setenv("AVTALSREGLER_CACHE", str(tmp_path / "c"))
    return tmp_path / "c" / "memo"


TOKEN = re.compile(r"\b[0-9a-f]{32}\b")


def without_total(fmt: str, out: str) -> str:
    """What a check wrote without its total time and GitHub's stop token (what a replay writes
    anew)."""
    out = TOKEN.sub("TOKEN", out)
    if fmt == "json":
        data = json.loads(out)
        data["seconds"] = 0
        return json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub(r" in \d+\.\d\d s$", " in T s", out, flags=re.M)


def without_times(fmt: str, out: str) -> str:
    """… and without the times of the proofs (they differ between any two runs that solve)."""
    out = TOKEN.sub("TOKEN", out)
    if fmt == "json":
        data = json.loads(out)
        data["seconds"] = 0
        for c in data["clauses"]:
            c["seconds"] = 0
            for p in c["proofs"] + c["tensions"]:
                p["seconds"] = 0
        return json.dumps(data, ensure_ascii=False, indent=2)
    out = re.sub(r'time="[\d.]+"', 'time="T"', out)
    return re.sub(r"\d+\.\d+ s\b", "T s", out)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_a_memoized_check_writes_what_the_check_wrote(fmt, memo_env, project_copy, monkeypatch, capsys):
    """Cold, the check records a memo; the same check again is answered by it without loading
    anything, and writes what a check whose answers all come from the proof cache writes, byte
    for byte once the times are masked; the memo that run records is replayed byte for byte
    but for the total time."""
    loads = count_loads(monkeypatch)
    cold = run(capsys, project_copy, "--format", fmt)
    assert cold[0] == 0 and loads.n == 1 and len(list(memo_env.glob("*.json"))) == 1
    replayed = run(capsys, project_copy, "--format", fmt)
    assert replayed[0] == 0 and loads.n == 1                      # nothing loaded, nothing proved
    shutil.rmtree(memo_env)
    warm = run(capsys, project_copy, "--format", fmt)            # every answer from the proof cache
    assert warm[0] == 0 and loads.n == 2
    assert without_times(fmt, replayed[1]) == without_times(fmt, warm[1])
    again = run(capsys, project_copy, "--format", fmt)
    assert again[0] == 0 and loads.n == 2
    assert without_total(fmt, again[1]) == without_total(fmt, warm[1])
    if fmt == "text":       # the proofs say they came from the cache, as a warm check says
        line = next(ln for ln in replayed[1].splitlines() if "exakt_en_bedomning" in ln)
        assert line.split()[-2:] == ["from", "cache"]
        assert "from cache" not in next(ln for ln in cold[1].splitlines() if "exakt_en_bedomning" in ln)
    if fmt == "github":     # a fresh stop token each time, never the stored one
        tokens = [set(TOKEN.findall(o[1])) for o in (cold, replayed, warm, again)]
        assert all(len(t) == 1 for t in tokens) and len(set.union(*tokens)) == 4


def test_extra_files_are_written_again(memo_env, project_copy, tmp_path, monkeypatch, capsys):
    loads = count_loads(monkeypatch)
    files = [tmp_path / n for n in ("a.sarif", "a.xml", "a.json", "summary.md")]
    opts = ["--sarif", str(files[0]), "--junit", str(files[1]), "--json", str(files[2]), "--summary", str(files[3])]
    assert run(capsys, project_copy, *opts)[0] == 0
    first = [f.read_text(encoding="utf-8") for f in files]
    for f in files:
        f.unlink()
    assert run(capsys, project_copy, *opts)[0] == 0 and loads.n == 1
    second = [f.read_text(encoding="utf-8") for f in files]
    assert [f.count("\n") for f in second] == [f.count("\n") for f in first] and second[0] == first[0]
    assert "bevisade" in second[3] and "exakt_en_bedomning" in second[1]


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["rule", "spec", "reading", "agreement", "new reading file", "new spec file"])
def test_any_change_to_what_the_check_read_runs_it_again(change, memo_env, project_copy, monkeypatch, capsys):
    """One byte more in any file the check read, or a new file in a folder it listed: the check
    runs again (a change it cannot see, here a data file, is replayed)."""
    loads = count_loads(monkeypatch)
    assert run(capsys, project_copy)[0] == 0 and loads.n == 1
    (project_copy / "data" / "extra.txt").write_text("x", encoding="utf-8")    # not read by check
    assert run(capsys, project_copy)[0] == 0 and loads.n == 1
    if change in ("rule", "spec", "reading", "agreement"):
        folder = {"rule": "rules", "spec": "specs", "reading": "readings", "agreement": "agreement"}[change]
        path = sorted((project_copy / folder).glob("*"))[-1]
        path.write_bytes(path.read_bytes() + b"\n")
    elif change == "new reading file":
        (project_copy / "readings" / "zz_ny.yaml").write_text("readings: []\n", encoding="utf-8")
    else:
        (project_copy / "specs" / "zz_ny.yaml").write_text("clause: §8\n", encoding="utf-8")
    run(capsys, project_copy)
    assert loads.n == 2


def test_engine_date_and_options_are_in_the_key(memo_env, project_copy, monkeypatch, capsys):
    import datetime

    from avtalsregler.prover import memo

    loads = count_loads(monkeypatch)
    assert run(capsys, project_copy)[0] == 0 and loads.n == 1
    assert run(capsys, project_copy, "-j", "1")[0] == 0 and loads.n == 1      # -j changes nothing
    assert run(capsys, project_copy, "--timeout", "29")[0] == 0 and loads.n == 2
    assert run(capsys, project_copy, "--format", "json")[0] == 0 and loads.n == 3
    monkeypatch.setattr(memo, "engine_hash", lambda: "another engine")
    assert run(capsys, project_copy)[0] == 0 and loads.n == 4
    monkeypatch.setattr(memo, "today", lambda: datetime.date(2031, 1, 1))
    assert run(capsys, project_copy)[0] == 0 and loads.n == 5
    assert run(capsys, project_copy)[0] == 0 and loads.n == 5


def test_a_rule_that_breaks_an_invariant_reports_its_counterexample(memo_env, project_copy, monkeypatch, capsys):
    loads = count_loads(monkeypatch)
    assert run(capsys, project_copy)[0] == 0
    _edit(project_copy / S08_RULE, "handelse_datum > frist", "handelse_datum >= frist")
    code, out = run(capsys, project_copy)
    assert code == 1 and loads.n == 2
    assert "exakt_en_bedomning" in out and "COUNTEREXAMPLE" in out
    code, again = run(capsys, project_copy)      # a finding is memoized too, exit code and all
    assert code == 1 and loads.n == 2
    def findings(text):      # after the table: the counterexample, its inputs, replay and the verdict
        return without_total("text", text).split("\n\n", 1)[1]
    assert "has a counterexample" in findings(again) and findings(again) == findings(out)


def test_a_corrupt_memo_is_ignored_and_no_cache_never_reads_it(memo_env, project_copy, monkeypatch, capsys):
    from avtalsregler.prover.memo import Memo

    loads = count_loads(monkeypatch)
    code, out = run(capsys, project_copy)
    [entry] = memo_env.glob("*.json")
    text = entry.read_text(encoding="utf-8")
    for broken in (text[: len(text) // 2], text.replace("proved", "PROVED", 1), "[]", ""):
        entry.write_text(broken, encoding="utf-8")
        n = loads.n
        assert run(capsys, project_copy)[0] == 0 and loads.n == n + 1
    monkeypatch.setattr(Memo, "lookup", lambda *a: pytest.fail("--no-cache read the memo"))
    monkeypatch.setattr(Memo, "store", lambda *a: pytest.fail("--no-cache wrote the memo"))
    assert run(capsys, project_copy, "--no-cache")[0] == 0


def test_unknown_is_never_memoized(memo_env, project_copy, capsys):
    code, out = main(["--root", str(project_copy), "check", "--clause", "§11", "--timeout", "0.001"]), \
        capsys.readouterr().out
    assert code == 1 and "UNKNOWN" in out
    assert not list(memo_env.glob("*.json"))


def test_cache_clear_clears_the_memo(memo_env, project_copy, capsys):
    assert run(capsys, project_copy)[0] == 0 and list(memo_env.glob("*.json"))
    assert main(["--root", str(project_copy), "cache", "clear"]) == 0
    assert "1 memoized checks" in capsys.readouterr().out and not list(memo_env.glob("*.json"))


def test_every_file_a_check_opens_is_in_its_memo(memo_env, project_copy, monkeypatch, capsys):
    """Whatever way a file of the project is opened during a check, it is among the files the
    memo compares (so that no input is left out of the key)."""
    import builtins
    import io

    opened = set()
    real_open = builtins.open

    def spy(file, *a, **k):
        p = str(file)
        if p.startswith(str(project_copy)) and "/c/" not in p:
            opened.add(os.path.abspath(p))
        return real_open(file, *a, **k)
    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    assert main(["--root", str(project_copy), "check", "--clause", "§8", "-j", "1"]) == 0   # the whole project is read
    capsys.readouterr()
    [entry] = memo_env.glob("*.json")
    recorded = {p for p, _ in json.loads(entry.read_text(encoding="utf-8"))["body"]["files"]}
    assert opened and opened <= recorded, opened - recorded
    assert any(p.endswith(S08_SPEC) for p in recorded) and any(p.endswith("s14_tecknande.yaml") for p in opened)


def test_a_memoized_check_imports_neither_z3_nor_the_prover(memo_env, project_copy, capsys):
    """The warm path in a process of its own: the memo answers before Z3, the prover or the
    loader is imported."""
    import subprocess
    import sys

    assert run(capsys, project_copy)[0] == 0
    probe = ("import sys; from avtalsregler.cli.main import main; "
             f"code = main(['--root', {str(project_copy)!r}, 'check', '--clause', '§8']); "
             "print(code, sorted(m for m in sys.modules if m == 'z3' or m.startswith(('avtalsregler.prover.prove', "
             "'avtalsregler.project.load', 'avtalsregler.apps'))))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True).stdout
    assert "from cache" in out and out.strip().splitlines()[-1] == "0 []"


# -- amend check through the memo -------------------------------------------------------------
AMENDMENT = "tak_60_procent.yaml"       # §12's cap from a half to 60 %: guarantees break (exit 1)


def count_amends(monkeypatch) -> Calls:
    """Counts the amendments checked (an amendment check the memo answers checks none)."""
    import avtalsregler.apps.amend.report as report

    return Calls(monkeypatch, report, "check_amendment")


def amend(capsys, root, *args):
    code = main(["--root", str(root), "amend", "check", str(root / "amendments" / AMENDMENT), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def amend_copy(project_copy):
    """A project copy with the amendments (the session's cache: its answers are shared, and the
    memo's entries are this copy's own, for its path is in their key)."""
    shutil.copytree(ROOT / "amendments", project_copy / "amendments", ignore=shutil.ignore_patterns("applied"))
    return project_copy


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_amend_check_is_memoized_and_replayed(fmt, amend_copy, monkeypatch, capsys):
    """The same amendment checked again is answered by the memo: the same exit code, standard
    output and standard error (the total time aside)."""
    n = count_amends(monkeypatch)
    first = amend(capsys, amend_copy, "--format", fmt)
    assert first[0] == 1 and n.n == 1 and "hogst_halften_av_omradet" in first[1] + first[2]
    again = amend(capsys, amend_copy, "--format", fmt)
    assert again[0] == 1 and n.n == 1
    total = re.compile(r"(\d+,\d\d s\.|\"seconds\": [\d.]+,\n  \"amendment\")")
    assert total.sub("T", again[1]) == total.sub("T", first[1]) and again[2] == first[2]
    assert total.findall(first[1])                          # the total is there, left open


@pytest.mark.parametrize("change", ["amendment", "data", "new file in amendments"])
def test_amend_check_runs_again_when_any_input_changes(change, amend_copy, monkeypatch, capsys):
    n = count_amends(monkeypatch)
    assert amend(capsys, amend_copy)[0] == 1 and n.n == 1
    if change == "amendment":
        path = amend_copy / "amendments" / AMENDMENT
        path.write_bytes(path.read_bytes() + b"\n")
    elif change == "data":
        path = sorted((amend_copy / "data").glob("*"))[0]
        path.write_bytes(path.read_bytes() + b" ")
    else:
        (amend_copy / "amendments" / "applied").mkdir()
    amend(capsys, amend_copy)
    assert n.n == 2


def test_amend_check_with_keep_is_never_memoized(amend_copy, tmp_path, monkeypatch, capsys):
    n = count_amends(monkeypatch)
    assert amend(capsys, amend_copy)[0] == 1 and n.n == 1
    assert amend(capsys, amend_copy, "--keep", str(tmp_path / "kept"))[0] == 1 and n.n == 2
    assert (tmp_path / "kept" / "rules").is_dir()
