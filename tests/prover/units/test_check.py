"""prover/check.py: a spec example computed exactly (its mismatches, the invariants it names, an
error at its own place); the session's cache and jobs; which clauses are checked and with which
cache; the progress callback once per clause with the right result; several projects in one
run, split back per project; the summary counts; a clause result is ok only when everything in
it is. The second, fictitious agreement (tests/fixtures/andra_avtalet: §1 has no rule
definitions, §2 three, proved in a tenth of a second) and tiny corpus rules."""

from __future__ import annotations

import functools
import subprocess
import sys
from types import SimpleNamespace

import pytest

from avtalsregler.errors import Span
from avtalsregler.project.load import load_project
from avtalsregler.prover import check
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.check import (ClauseResult, ExampleResult, check_clause, check_project,
                                       check_projects, configure, run_example, session_cache, summary)
from avtalsregler.prover.results import Proof

from ...conftest import ROOT
from ..soundness.corpus import _key, _load

INT = {"type": "int", "min": 0, "max": 100}


@functools.cache
def andra():
    return load_project(ROOT / "tests" / "fixtures" / "andra_avtalet")


@pytest.fixture
def session():
    """The session's configuration, restored after the test."""
    saved = dict(check._SESSION)
    yield
    check._SESSION.update(saved)


def tiny(**kw):
    project, _ = _load(_key(kw))
    return project


EXAMPLES = dict(inputs={"a": INT, "n": INT},
                definitions={"s": ("int", "a + 1"), "k": ("fraction", "a / n")},
                invariants={"falsk": "s > 5", "sann": "s > a"},
                examples=[{"name": "ratt", "given": {"a": 4, "n": 2}, "expect": {"s": 5}, "holds": ["sann"]},
                          {"name": "fel", "given": {"a": 4, "n": 2}, "expect": {"s": 6, "k": 2}},
                          {"name": "galler_inte", "given": {"a": 4, "n": 2}, "holds": ["sann", "falsk"]},
                          {"name": "utan_varde", "given": {"a": 4, "n": 0}, "expect": {"k": 1}}])


# -- run_example ------------------------------------------------------------------------------------
def test_an_example_that_holds():
    p = tiny(**EXAMPLES)
    r = run_example(p.clauses["§6"], p, p.specs["§6"].examples[0])
    assert (r.clause, r.name, r.ok, r.message, r.mismatches) == ("§6", "ratt", True, "", [])


def test_an_example_with_a_wrong_value_names_it():
    p = tiny(**EXAMPLES)
    ex = p.specs["§6"].examples[1]
    r = run_example(p.clauses["§6"], p, ex)
    assert not r.ok and r.message == "s: expected 6, got 5"
    assert r.mismatches == [("s", "6", "5", ex.expect_spans["s"])]


def test_an_example_names_the_invariant_that_does_not_hold():
    """s = 5: ``sann`` (s > a) holds, ``falsk`` (s > 5) does not; only falsk is named."""
    p = tiny(**EXAMPLES)
    ex = p.specs["§6"].examples[2]
    r = run_example(p.clauses["§6"], p, ex)
    assert not r.ok and r.mismatches == [("falsk", "gäller", "gäller inte", ex.holds[1][1])]
    assert r.message == "falsk: expected gäller, got gäller inte"


def test_an_example_without_a_value_fails_at_the_place_of_the_error():
    p = tiny(**EXAMPLES)
    ex = p.specs["§6"].examples[3]
    r = run_example(p.clauses["§6"], p, ex)
    assert not r.ok and r.message and r.mismatches == []
    assert r.span != ex.span and r.span.line != ex.span.line, (r.span, ex.span)   # the division in the rule


# -- the session -------------------------------------------------------------------------------------
def test_the_session_defaults_are_no_cache_in_this_process():
    code = "from avtalsregler.prover import check; print(check._SESSION, check.session_cache())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "{'cache': None, 'jobs': 0} None"


def test_configure_sets_the_cache_and_jobs_never_below_zero(session, tmp_path):
    cache = ProofCache(tmp_path)
    configure(cache, 3)
    assert session_cache() is cache and check._SESSION["jobs"] == 3
    configure(jobs=-2)
    assert session_cache() is None and check._SESSION["jobs"] == 0
    configure(cache)
    assert check._SESSION["jobs"] == 0


# -- check_clause, check_project ------------------------------------------------------------------------
def test_check_clause_uses_the_cache_given_or_the_sessions_or_none(session, tmp_path):
    p = andra()
    given, sess = ProofCache(tmp_path / "given"), ProofCache(tmp_path / "session")
    configure(sess)
    r = check_clause(p, p.clauses["§2"], 10.0, cache=given)
    assert given.written > 0 and sess.written == 0 and r.proofs and any(q.stored for q in r.proofs)
    assert r.has_spec and r.examples and r.ok and r.seconds > 0
    check_clause(p, p.clauses["§2"], 10.0)                         # None: the session's
    assert sess.written > 0
    n = sess.written
    r = check_clause(p, p.clauses["§2"], 10.0, cache=False)        # False: none
    assert sess.written == n and not any(q.stored or q.cached for q in r.proofs)


def test_check_clause_without_proofs():
    p = andra()
    r = check_clause(p, p.clauses["§2"], 10.0, prove=False)
    assert r.proofs == [] and r.tensions == [] and r.examples and all(e.ok for e in r.examples)
    r = check_clause(p, p.clauses["§1"], 10.0, prove=False)
    assert (r.has_spec, r.examples) == (False, [])
    r = check_clause(p, p.clauses["§3"], 10.0, prove=False)            # its parameters, grounded in the text
    assert r.grounded and all(g.ok for g in r.grounded) and r.ok


def test_check_project_chooses_clauses_in_order_and_reports_each(session):
    configure(None, 0)
    p = andra()
    calls = []
    out = check_project(p, prove=False, on_clause=lambda r, done, total: calls.append((r, done, total)))
    assert [r.clause.id for r in out] == [c.id for c in p.ordered()] and len(out) == 8
    assert [(r, d, t) for r, d, t in calls] == [(r, i + 1, 8) for i, r in enumerate(out)]
    out = check_project(p, ["§2", "§1"], prove=False)
    assert [r.clause.id for r in out] == ["§1", "§2"]


def test_check_project_with_the_cache_given_or_none(session, tmp_path):
    p = andra()
    given, sess = ProofCache(tmp_path / "given"), ProofCache(tmp_path / "session")
    configure(sess, 0)
    out = check_project(p, ["§2"], cache=given)
    assert given.written > 0 and sess.written == 0 and any(q.stored for q in out[0].proofs)
    out = check_project(p, ["§2"], cache=False)
    assert sess.written == 0 and not any(q.stored for q in out[0].proofs)
    out = check_project(p, ["§2"])
    assert sess.written > 0


def test_check_project_in_workers_is_the_same_and_reports_once_per_clause(session):
    configure(None, 0)
    p = andra()
    calls = []
    here = check_project(p, ["§1", "§2"], jobs=0)
    there = check_project(p, ["§1", "§2"], jobs=1, on_clause=lambda r, done, total: calls.append((r.clause.id, done, total)))
    assert [(r.clause.id, [(q.name, q.status) for q in r.proofs]) for r in there] == \
        [(r.clause.id, [(q.name, q.status) for q in r.proofs]) for r in here]
    # one worker: the larger clause first (no times known: by size), each reported once
    assert calls == [("§2", 1, 2), ("§1", 2, 2)], calls
    unproved = check_project(p, ["§2"], jobs=1, prove=False)         # without proofs: here, none proved
    assert unproved[0].proofs == []


def test_check_projects_splits_the_results_back_per_project(session, tmp_path):
    """Two projects in one run, serially: each gets its own chosen clauses, in clause order; with
    the session's cache every answer is stored (check.py:134, session 5's survivor)."""
    cache = ProofCache(tmp_path / "c")
    configure(cache, 0)
    p, q = andra(), tiny(inputs={"a": INT}, definitions={"s": ("int", "a + 1")}, invariants={"sann": "s > a"})
    calls = []
    out = check_projects([(p, ["§2", "§1"]), (q, ["§6"]), (p, ["§9"])], 10.0,
                         on_clause=lambda r, done, total: calls.append((r, done, total)))
    assert [[r.clause.id for r in rs] for rs in out] == [["§1", "§2"], ["§6"], []]
    assert out[1][0].clause is q.clauses["§6"] and [x.name for x in out[1][0].proofs][-1] == "sann"
    flat = [r for rs in out for r in rs]
    assert calls == [(r, i + 1, 3) for i, r in enumerate(flat)]
    assert cache.written > 0 and any(x.stored for r in flat for x in r.proofs)


def test_check_projects_in_workers(session):
    configure(None, 1)
    p, q = andra(), tiny(inputs={"a": INT}, definitions={"s": ("int", "a + 1")}, invariants={"sann": "s > a"})
    calls = []
    out = check_projects([(q, ["§6"]), (p, ["§1", "§2"])], 10.0, on_clause=lambda r, d, t: calls.append(r.clause.id))
    assert [[r.clause.id for r in rs] for rs in out] == [["§6"], ["§1", "§2"]]
    # in one worker, the largest first (by size: §2 3 + 4·2, §6 1 + 4·1, §1 0), not in task order
    assert calls == ["§2", "§6", "§1"], calls
    assert out[0][0].ok and out[1][1].ok


# -- summary, ok ------------------------------------------------------------------------------------------
def _proof(status):
    return Proof("§6", status, "invariant", status, 0.0, None)


def _result(**kw):
    base = dict(clause=None, examples=[], proofs=[], seconds=0.0, has_spec=True, grounded=[], tensions=[])
    return ClauseResult(**{**base, **kw})


def test_summary_counts_each_kind():
    span = Span("x", 1, 1)
    results = [_result(examples=[ExampleResult("§6", "a", True, span), ExampleResult("§6", "b", False, span)],
                       proofs=[_proof("proved"), _proof("proved"), _proof("counterexample"), _proof("unknown")],
                       grounded=[SimpleNamespace(ok=True), SimpleNamespace(ok=False), SimpleNamespace(ok=True)],
                       tensions=[SimpleNamespace(status="open", ok=True)]),
               _result(proofs=[_proof("unknown")],
                       tensions=[SimpleNamespace(status="open", ok=True), SimpleNamespace(status="resolved", ok=True)])]
    assert summary(results) == {
        "parameters_grounded": 2, "parameters_not_grounded": 1, "clauses": 2,
        "examples_passed": 1, "examples_failed": 1, "proved": 2, "counterexamples": 1, "unknown": 2,
        "tensions_none": 0, "tensions_resolved": 1, "tensions_open": 2, "tensions_unresolved": 0, "tensions_unknown": 0}


def test_a_clause_result_is_ok_only_when_everything_is():
    span = Span("x", 1, 1)
    good = dict(examples=[ExampleResult("§6", "a", True, span)], proofs=[_proof("proved")],
                grounded=[SimpleNamespace(ok=True)], tensions=[SimpleNamespace(ok=True)])
    assert _result(**good).ok
    assert not _result(**{**good, "examples": [ExampleResult("§6", "a", False, span)]}).ok
    assert not _result(**{**good, "proofs": [_proof("unknown")]}).ok
    assert not _result(**{**good, "grounded": [SimpleNamespace(ok=False)]}).ok
    assert not _result(**{**good, "tensions": [SimpleNamespace(ok=False)]}).ok
