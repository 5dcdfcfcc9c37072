"""Run every spec: examples (exact semantics) and proofs (Z3). Results only; no printing."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from avtalsregler.project.evaluate import evaluate, holds
from avtalsregler.errors import AvtalsreglerError, Span
from avtalsregler.project.grounding import Grounding, ground_clause
from avtalsregler.project.model import Clause, Example, Project
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.parallel import check_parallel, check_tasks
from avtalsregler.prover.prove import Prover
from avtalsregler.prover.results import PROVED, Proof
from avtalsregler.prover.tensions import STATUSES as TENSION_STATUSES, Tension, classify
from avtalsregler.language.types import show


@dataclass
class ExampleResult:
    clause: str
    name: str
    ok: bool
    span: Span
    message: str = ""
    mismatches: list[tuple[str, str, str, Span]] = field(default_factory=list)  # name, expected, got, span


@dataclass
class ClauseResult:
    clause: Clause
    examples: list[ExampleResult]
    proofs: list[Proof]
    seconds: float
    has_spec: bool
    grounded: list[Grounding] = field(default_factory=list)   # one per parameter of the rule
    tensions: list[Tension] = field(default_factory=list)     # prover/tensions.py

    @property
    def ok(self) -> bool:
        return (all(e.ok for e in self.examples) and all(p.ok for p in self.proofs)
                and all(g.ok for g in self.grounded) and all(t.ok for t in self.tensions))


def run_example(clause: Clause, project: Project, ex: Example) -> ExampleResult:
    enums = project.enums
    try:
        values, _ = evaluate(clause, enums, ex.given, list(ex.expect))
        result = ExampleResult(clause.id, ex.name, True, ex.span)
        for name, want in ex.expect.items():
            got = values[name]
            if got != want:
                t = clause.definitions[name].type
                result.ok = False
                result.mismatches.append((name, show(want, t, enums), show(got, t, enums), ex.expect_spans[name]))
        spec = project.specs[clause.id]
        for iname, ispan in ex.holds:
            inv = next(i for i in spec.invariants if i.name == iname)
            if not holds(clause, enums, ex.given, inv.expr):
                result.ok = False
                result.mismatches.append((iname, "gäller", "gäller inte", ispan))
        if result.mismatches:
            result.message = "; ".join(f"{n}: expected {w}, got {g}" for n, w, g, _ in result.mismatches)
        return result
    except AvtalsreglerError as exc:
        return ExampleResult(clause.id, ex.name, False, exc.span or ex.span, exc.message)


# What every check of this process uses unless told otherwise (:func:`configure`): the proof
# cache and the number of processes. The command line sets it once per command, the tests
# once per session, so that docs, amendments and start-page facts share one cache.
_SESSION: dict = {"cache": None, "jobs": 0}


def configure(cache: ProofCache | None = None, jobs: int = 0) -> None:
    """Set the proof cache and the number of processes every later check uses by default
    (``jobs=0``: in this process)."""
    _SESSION.update(cache=cache, jobs=max(0, jobs))


def session_cache() -> ProofCache | None:
    return _SESSION["cache"]


def check_clause(project: Project, clause: Clause, timeout_s: float, prove: bool = True,
                 cache: ProofCache | None | bool = None) -> ClauseResult:
    cache = _SESSION["cache"] if cache is None else (cache or None)
    t0 = time.perf_counter()
    grounded = ground_clause(clause, project)
    spec = project.specs.get(clause.id)
    examples = [run_example(clause, project, ex) for ex in (spec.examples if spec else [])]
    prover = Prover(clause, spec, project.enums, timeout_s, cache) if prove else None
    proofs = prover.all() if prover else []
    tensions = classify(prover.counted(prover.tensions), project.readings) if prover else []
    return ClauseResult(clause, examples, proofs, time.perf_counter() - t0, spec is not None, grounded, tensions)


def check_project(project: Project, clauses: list[str] | None = None, timeout_s: float = 30.0,
                  prove: bool = True, cache: ProofCache | None | bool = None,
                  jobs: int | None = None, on_clause=None) -> list[ClauseResult]:
    """Every chosen clause checked, in clause order. With ``jobs`` ≥ 1 each clause is proved
    in a worker process of its own, ``jobs`` at a time, and the output is the same for any
    number (:mod:`parallel`); with ``jobs=0``, here, one after the other. ``cache`` and
    ``jobs`` default to what :func:`configure` set (``cache=False``: none).
    ``on_clause(result, done, total)``, if given, is called as each clause is done (progress
    for the command line)."""
    cache = _SESSION["cache"] if cache is None else (cache or None)
    jobs = jobs if jobs is not None else _SESSION["jobs"]
    chosen = [c for c in project.ordered() if not clauses or c.id in clauses]
    if jobs >= 1 and chosen and prove:
        return check_parallel(project, chosen, timeout_s, cache, jobs, on_clause)
    results = []
    for c in chosen:
        results.append(check_clause(project, c, timeout_s, prove, cache or False))
        if on_clause is not None:
            on_clause(results[-1], len(results), len(chosen))
    return results


def check_projects(runs: list[tuple[Project, list[str]]], timeout_s: float = 30.0,
                   on_clause=None) -> list[list[ClauseResult]]:
    """The chosen clauses of several projects (``[(project, clause ids)]``, e.g. an amended
    clause before and after the amendment), each as :func:`check_project` checks it, but all in
    one pool of worker processes (with the jobs :func:`configure` set), so that they run side by
    side; one list of results per project, in clause order."""
    cache, jobs = _SESSION["cache"], _SESSION["jobs"]
    tasks = [(p, c) for p, ids in runs for c in p.ordered() if c.id in ids]
    if jobs >= 1 and tasks:
        flat = check_tasks(tasks, timeout_s, cache, jobs, on_clause)
    else:
        flat = []
        for p, c in tasks:
            flat.append(check_clause(p, c, timeout_s, True, cache or False))
            if on_clause is not None:
                on_clause(flat[-1], len(flat), len(tasks))
    out, at = [], 0
    for p, ids in runs:
        n = sum(c.id in ids for c in p.ordered())
        out.append(flat[at:at + n])
        at += n
    return out


def summary(results: list[ClauseResult]) -> dict[str, int]:
    proofs = [p for r in results for p in r.proofs]
    examples = [e for r in results for e in r.examples]
    grounded = [g for r in results for g in r.grounded]
    tensions = [t for r in results for t in r.tensions]
    return {
        "parameters_grounded": sum(g.ok for g in grounded),
        "parameters_not_grounded": sum(not g.ok for g in grounded),
        "clauses": len(results),
        "examples_passed": sum(e.ok for e in examples),
        "examples_failed": sum(not e.ok for e in examples),
        "proved": sum(p.status == PROVED for p in proofs),
        "counterexamples": sum(p.status == "counterexample" for p in proofs),
        "unknown": sum(p.status == "unknown" for p in proofs),
        **{f"tensions_{s}": sum(t.status == s for t in tensions) for s in TENSION_STATUSES},
    }
