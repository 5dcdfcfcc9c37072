"""Clauses proved in parallel processes (:func:`check_parallel`). Z3 contexts are not safe to
share between threads, so each clause is proved in a worker process forked from this one (the
loaded project is inherited, not sent); the results come back in clause order, the same as a
run one clause after the other. The most expensive clauses (by the last run's seconds, kept
next to the proof cache, else by the size of the rule and spec) are started first."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # pragma: no cover
    from avtalsregler.prover.cache import ProofCache
    from avtalsregler.prover.check import ClauseResult

_JOB: tuple | None = None     # what a forked worker inherits: (project, clauses, timeout, cache)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):   # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _work(i: int):
    from avtalsregler.prover.check import check_clause

    project, chosen, timeout_s, cache = _JOB
    r = check_clause(project, chosen[i], timeout_s, True, cache)
    # every field but the clause (the parent has it): a field added to ClauseResult comes back too
    return {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "clause"}


def check_parallel(project, chosen: list, timeout_s: float, cache: ProofCache | None, jobs: int) -> list[ClauseResult]:
    from avtalsregler.prover.check import ClauseResult

    global _JOB
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:              # pragma: no cover - no fork on this platform: one by one
        from avtalsregler.prover.check import check_clause
        return [check_clause(project, c, timeout_s, True, cache) for c in chosen]
    seconds = _last_seconds(cache)
    order = sorted(range(len(chosen)), key=lambda i: -seconds.get(chosen[i].id, _size(project, chosen[i])))
    _JOB = (project, chosen, timeout_s, cache)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chosen)), mp_context=ctx) as pool:
            futures = {i: pool.submit(_work, i) for i in order}
            done = {i: f.result() for i, f in futures.items()}
    finally:
        _JOB = None
    results = []
    for i, c in enumerate(chosen):
        results.append(ClauseResult(clause=c, **done[i]))
    _save_seconds(cache, {r.clause.id: r.seconds for r in results})
    return results


def _size(project, clause) -> float:
    """A guess of a clause's cost before it was ever timed: its definitions and invariants."""
    spec = project.specs.get(clause.id)
    return (len(clause.definitions) + 4 * len(spec.invariants if spec else [])) / 1000


def _last_seconds(cache) -> dict:
    if cache is None:
        return {}
    try:
        data = json.loads((cache.folder / "seconds.json").read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _save_seconds(cache, seconds: dict) -> None:
    if cache is None:
        return
    old = _last_seconds(cache)
    old.update(seconds)
    try:
        tmp = cache.folder / f".seconds-{os.getpid()}.json"
        tmp.write_text(json.dumps(old, sort_keys=True), encoding="utf-8")
        os.replace(tmp, cache.folder / "seconds.json")
    except OSError:
        pass
