"""Every example of every spec is a test item; every clause's proofs pass."""

from __future__ import annotations

import pytest

from avtalsregler.prover.check import run_example
from avtalsregler.project.load import load_project

from ..conftest import ROOT

_PROJECT = load_project(ROOT)
_EXAMPLES = [(spec.clause, ex) for spec in _PROJECT.specs.values() for ex in spec.examples]


@pytest.mark.parametrize("clause,example", _EXAMPLES, ids=[f"{c}:{e.name}" for c, e in _EXAMPLES])
def test_example(clause, example):
    result = run_example(_PROJECT.clauses[clause], _PROJECT, example)
    assert result.ok, f"{result.span}: {result.message}"


@pytest.mark.parametrize("clause", sorted(_PROJECT.clauses, key=lambda c: int(c[1:])))
def test_clause_proofs(clause, check_results):
    """From the session's one check of the project (tests/conftest.py)."""
    result = next(r for r in check_results if r.clause.id == clause)
    assert result.proofs or not _PROJECT.specs.get(clause)
    bad = [f"{p.name}: {p.status} {p.detail}" for p in result.proofs if not p.ok]
    assert not bad, bad


def test_every_clause_has_a_spec():
    missing = [c for c in _PROJECT.clauses if c not in _PROJECT.specs]
    # Clauses whose rule is purely declarative still need a spec (possibly with no invariants).
    assert not [c for c in missing if _PROJECT.clauses[c].definitions], missing
