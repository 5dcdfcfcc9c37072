"""The two meanings agree: for random inputs, the exact value of every definition equals the
value of its Z3 term under the same inputs; and every invariant holds on random inputs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from avtalsregler.project.evaluate import holds
from avtalsregler.prover.crosscheck import assert_same
from avtalsregler.project.load import load_project

from ..conftest import ROOT
from ..strategies import inputs
from ..profiles import examples

_PROJECT = load_project(ROOT)
_CLAUSES = sorted((c for c in _PROJECT.clauses.values() if c.definitions and c.inputs), key=lambda c: c.number)
_INVARIANTS = [(s.clause, inv) for s in _PROJECT.specs.values() for inv in s.invariants]
_SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                            HealthCheck.filter_too_much])


# The Z3 side is symbolic (crosscheck.py: inputs free, no folding); a clause whose calendar or
# apportionment makes that cost 1–3 s an example gets fewer examples.
_HEAVY = {"§7": 6, "§10": 10, "§11": 8}


@pytest.mark.parametrize("clause", _CLAUSES, ids=[c.id for c in _CLAUSES])
def test_exact_equals_z3(clause):
    @settings(_SETTINGS, max_examples=_HEAVY.get(clause.id, examples(60)))
    @given(data=st.data())
    def run(data):
        assert_same(clause, _PROJECT.enums, data.draw(inputs(clause, _PROJECT.enums)), unique=False)

    run()


@pytest.mark.parametrize("clause,invariant", _INVARIANTS, ids=[f"{c}:{i.name}" for c, i in _INVARIANTS])
def test_invariant_sampled(clause, invariant):
    c = _PROJECT.clauses[clause]

    @_SETTINGS
    @given(data=st.data())
    def run(data):
        assert holds(c, _PROJECT.enums, data.draw(inputs(c, _PROJECT.enums)), invariant.expr), invariant.name

    run()
