"""Clauses proved in worker processes (:func:`check_parallel`). Z3 contexts are not safe to
share between threads, so each clause is proved in a process of its own, forked from this one
(the loaded project is inherited, not sent), and the results come back in clause order. Every
clause starts from the same state of Z3 — a model Z3 finds depends on what the process solved
before, even in a fresh context — so the witnesses and counterexamples, and the whole output,
are the same with one worker as with many. The most expensive clauses (by the last run's
seconds, kept next to the proof cache, else by the size of the rule and spec) start first."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
from typing import TYPE_CHECKING

from avtalsregler.prover.cachedir import write_json

if TYPE_CHECKING:   # pragma: no cover
    from avtalsregler.prover.cache import ProofCache
    from avtalsregler.prover.check import ClauseResult

_JOB: tuple | None = None     # what a forked worker inherits: ([(project, clause)], timeout, cache)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):   # pragma: no cover - not Linux
        return os.cpu_count() or 1        # None (or 0) when unknown: one worker


def _work(i: int):
    from avtalsregler.project.inputs import recording
    from avtalsregler.prover.check import check_clause

    tasks, timeout_s, cache = _JOB
    with recording() as reads:        # a file read here is what the parent's check depends on too
        r = check_clause(*tasks[i], timeout_s, True, cache or False)
    # every field but the clause (the parent has it): a field added to ClauseResult comes back too
    return i, {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "clause"}, reads


def check_parallel(project, chosen: list, timeout_s: float, cache: ProofCache | None, jobs: int,
                   on_clause=None) -> list[ClauseResult]:
    """``on_clause(result, done, total)`` as each clause comes back (in the order they finish)."""
    return check_tasks([(project, c) for c in chosen], timeout_s, cache, jobs, on_clause)


def check_tasks(tasks: list[tuple], timeout_s: float, cache: ProofCache | None, jobs: int,
                on_clause=None) -> list[ClauseResult]:
    """Clauses of one or more projects (``[(project, clause)]``, e.g. an amended clause before
    and after the amendment) in one pool of workers; the results in the order of ``tasks``."""
    from avtalsregler.prover.check import ClauseResult

    global _JOB
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:              # pragma: no cover - no fork on this platform: one by one
        from avtalsregler.prover.check import check_clause
        return [check_clause(p, c, timeout_s, True, cache or False) for p, c in tasks]
    seconds = _last_seconds(cache)
    order = sorted(range(len(tasks)), key=lambda i: -seconds.get(tasks[i][1].id, _size(*tasks[i])))
    _JOB = (tasks, timeout_s, cache)
    try:
        # one task per process (maxtasksperchild=1): no clause runs after another in one process
        with ctx.Pool(processes=min(jobs, len(tasks)), maxtasksperchild=1) as pool:
            done = {}
            for i, fields_, reads in pool.imap_unordered(_work, order, chunksize=1):
                done[i] = fields_
                replay_reads(reads)
                if on_clause is not None:
                    on_clause(ClauseResult(clause=tasks[i][1], **fields_), len(done), len(tasks))
    finally:
        _JOB = None
    results = [ClauseResult(clause=c, **done[i]) for i, (_, c) in enumerate(tasks)]
    _save_seconds(cache, {r.clause.id: r.seconds for r in results})
    return results


def replay_reads(reads) -> None:
    """What a worker read, into this process's recordings (project.inputs)."""
    from avtalsregler.project.inputs import add_reads

    add_reads(reads)


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
        write_json(cache.folder / "seconds.json", dict(sorted(old.items())))
    except OSError:
        pass
