"""prover/parallel.py: the cores this process may use; clauses proved in worker processes, one
clause per process, the results in the order of the tasks whatever order they finish in; the
progress callback with each clause; what a worker read comes back into this process's
recordings; the last run's seconds kept next to the cache and read back (the most expensive
first, else by size); a platform without fork proves them here. The second, fictitious
agreement (tests/fixtures/andra_avtalet), whose §1 and §2 prove in a tenth of a second."""

from __future__ import annotations

import dataclasses
import functools
import json
import multiprocessing
import os
from types import SimpleNamespace

import pytest

from avtalsregler.project import inputs
from avtalsregler.project.load import load_project
from avtalsregler.prover import check, parallel
from avtalsregler.prover.cache import ProofCache

from ...conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "andra_avtalet"


@functools.cache
def andra():
    return load_project(FIXTURE)


# -- default_jobs ---------------------------------------------------------------------------------
def test_the_default_is_this_process_affinity():
    mask = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(mask)})           # this process may use one core (pid 0: this one)
    try:
        assert parallel.default_jobs() == 1
    finally:
        os.sched_setaffinity(0, mask)
    assert parallel.default_jobs() == len(mask)


def test_never_fewer_than_one_worker(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {4}, raising=False)
    assert parallel.default_jobs() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(), raising=False)
    assert parallel.default_jobs() == 1
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert parallel.default_jobs() == 1


# -- check_tasks -------------------------------------------------------------------------------------
def _in_worker(real):
    """check_clause, with the process that ran it in ``seconds`` (a forked worker inherits it)
    and one file read (recorded)."""
    def run(*args):
        inputs.read_input(FIXTURE / "README.md")
        return dataclasses.replace(real(*args), seconds=float(os.getpid()))
    return run


def test_one_clause_per_process_results_in_task_order(monkeypatch):
    p = andra()
    monkeypatch.setattr(check, "check_clause", _in_worker(check.check_clause))
    tasks = [(p, p.clauses[c]) for c in ("§1", "§2", "§4")]
    calls = []
    with inputs.recording() as reads:
        out = parallel.check_tasks(tasks, 10.0, None, 1, lambda r, done, total: calls.append((r.clause.id, done, total)))
    assert [r.clause.id for r in out] == ["§1", "§2", "§4"]
    pids = {r.seconds for r in out}
    assert len(pids) == 3 and float(os.getpid()) not in pids            # three processes, none this one
    # one worker: by size, (definitions + 4 · invariants) / 1000: §4 (3 + 12), §2 (3 + 8), §1 (0)
    assert calls == [("§4", 1, 3), ("§2", 2, 3), ("§1", 3, 3)], calls
    assert [f for f, _ in reads.files] == [str(FIXTURE / "README.md")] * 3
    assert parallel._JOB is None                                        # the projects are not kept
    assert all(r.ok for r in out) and out[1].proofs and out[1].examples


def test_check_parallel_is_check_tasks_of_one_project():
    p = andra()
    out = parallel.check_parallel(p, [p.clauses["§2"], p.clauses["§1"]], 10.0, None, 2)
    assert [r.clause.id for r in out] == ["§2", "§1"] and out[0].proofs


def test_the_seconds_are_kept_with_the_cache_and_order_the_next_run(tmp_path, monkeypatch):
    p = andra()
    cache = ProofCache(tmp_path / "c")
    tasks = [(p, p.clauses[c]) for c in ("§1", "§2")]
    out = parallel.check_tasks(tasks, 10.0, cache, 1)
    saved = json.loads((cache.folder / "seconds.json").read_text(encoding="utf-8"))
    assert saved == {r.clause.id: r.seconds for r in out}
    assert any(q.stored for q in out[1].proofs)                       # the worker used the cache
    # the next run starts with the one that took longest last time: §1, as if it had taken 9 s
    (cache.folder / "seconds.json").write_text(json.dumps({"§1": 9.0}), encoding="utf-8")
    calls = []
    parallel.check_tasks(tasks, 10.0, cache, 1, lambda r, done, total: calls.append(r.clause.id))
    assert calls == ["§1", "§2"]
    saved = json.loads((cache.folder / "seconds.json").read_text(encoding="utf-8"))
    assert set(saved) == {"§1", "§2"} and saved["§1"] != 9.0


def test_without_fork_the_clauses_are_proved_here(monkeypatch, tmp_path):
    def no_fork(method):
        raise ValueError(method)
    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    p = andra()
    cache = ProofCache(tmp_path / "c")
    out = parallel.check_tasks([(p, p.clauses["§2"]), (p, p.clauses["§1"])], 10.0, cache, 2)
    assert [r.clause.id for r in out] == ["§2", "§1"] and cache.written > 0


# -- sizes and seconds -----------------------------------------------------------------------------------
def test_the_size_of_a_clause_before_it_was_ever_timed():
    p = andra()
    assert parallel._size(p, p.clauses["§3"]) == (11 + 4 * 11) / 1000
    assert parallel._size(p, p.clauses["§1"]) == 0                      # no definitions, no spec


def test_seconds_without_a_cache_or_a_readable_file_are_none(tmp_path):
    assert parallel._last_seconds(None) == {}
    folder = SimpleNamespace(folder=tmp_path)
    assert parallel._last_seconds(folder) == {}                          # no file
    (tmp_path / "seconds.json").write_text("{not json", encoding="utf-8")
    assert parallel._last_seconds(folder) == {}
    (tmp_path / "seconds.json").write_text('{"§2": 1.5, "3": 2}', encoding="utf-8")
    assert parallel._last_seconds(folder) == {"§2": 1.5, "3": 2.0}


def test_saved_seconds_keep_the_other_clauses(tmp_path):
    folder = SimpleNamespace(folder=tmp_path)
    parallel._save_seconds(folder, {"§2": 1.0, "§1": 0.5})
    parallel._save_seconds(folder, {"§2": 3.0})
    assert json.loads((tmp_path / "seconds.json").read_text(encoding="utf-8")) == {"§1": 0.5, "§2": 3.0}
    parallel._save_seconds(None, {"§2": 3.0})                            # no cache: nothing, no error
    parallel._save_seconds(SimpleNamespace(folder=tmp_path / "saknas" / "x"), {"§2": 1.0})   # cannot write: no error


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_same_results_with_any_number_of_workers(jobs):
    p = andra()
    tasks = [(p, p.clauses["§2"])]
    out = parallel.check_tasks(tasks, 10.0, None, jobs)
    here = check.check_clause(p, p.clauses["§2"], 10.0, True, False)
    assert [(q.name, q.status, q.inputs) for q in out[0].proofs] == [(q.name, q.status, q.inputs) for q in here.proofs]
