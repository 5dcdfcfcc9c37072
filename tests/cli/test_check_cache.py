"""`check` with the proof cache and in parallel, as a user meets it: each proof says whether it
was proved now or taken from the cache (text and JSON), `--no-cache` bypasses it, `cache clear`
empties it, and `-j N` gives the same results, in the same order, as one process."""

from __future__ import annotations

import json
import re

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
