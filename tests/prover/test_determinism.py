"""What a check shows does not depend on how fast the machine is: the heuristic first attempts
and the rounding steps are bounded by Z3's resource limit (``rlimit``, the same on any
machine), not by seconds, and the queries go to Z3's SMT core, whose tactics have no
wall-clock steps; the seconds are only the outer safety bound."""

from __future__ import annotations

import z3

from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.check import check_project
from avtalsregler.prover.minimal import minimal_counterexample
from avtalsregler.prover.prove import Prover

from .test_minimal import make


def _setup(tmp_path, cache=None):
    project = make(tmp_path)
    prover = Prover(project.clauses["§6"], project.specs["§6"], project.enums, cache=cache)
    return project, prover


def test_a_heuristic_attempt_gives_up_by_resources_whatever_the_seconds(tmp_path):
    _, prover = _setup(tmp_path)
    x, y = z3.Ints("x y")
    hard = [x * x * x + y * y * y == 1729, x > 1, y > 1, x != y]
    # 9³ + 10³ = 1729: sat, but with a resource limit of 1 Z3 gives up, though it has 60 s
    r, _ = prover.check(None, hard, 60.0, rlimit=1)
    assert r == z3.unknown
    assert prover.check(None, hard, 60.0, rlimit=100_000_000)[0] == z3.sat
    # the same query with a budget: sat, and the very same model with 1 s or 60 s to spare
    easy = [x + y == 10, x > 3, y > 3]
    models = set()
    for seconds in (1.0, 60.0):
        r, s = prover.check(None, easy, seconds, rlimit=10_000_000)
        assert r == z3.sat
        models.add((s.model()[x].as_long(), s.model()[y].as_long()))
    assert len(models) == 1


def test_the_resource_limit_is_part_of_the_cache_key(tmp_path):
    cache = ProofCache(tmp_path / "c")
    _, prover = _setup(tmp_path, cache)
    x, y = z3.Ints("x y")
    hard = [x * x * x + y * y * y == 1729, x > 1, y > 1]      # 1³ + 12³ = 9³ + 10³: sat
    r, _ = prover.check(None, hard, 30.0, rlimit=100_000_000)
    assert r == z3.sat and cache.written == 1
    # a tighter limit is another query: not answered by the entry of the looser one
    r, _ = prover.check(None, hard, 30.0, rlimit=1)
    assert r == z3.unknown and prover.from_cache == 0
    r, _ = prover.check(None, hard, 30.0, rlimit=100_000_000)
    assert r == z3.sat and prover.from_cache == 1


def test_rounding_is_decided_by_the_resource_limit_not_the_seconds(tmp_path):
    project, prover = _setup(tmp_path)
    inv = project.specs["§6"].invariants[0]
    w = prover.rule_world
    odd = {"summa": 123_457, "del_a": 123_457, "del_b": 0, "annat": 5, "antal": 7, "flagga": True}
    breaks = lambda v: v["del_a"] > (2 * v["summa"]) // 3  # noqa: E731  (exact, by hand: 2/3 floored)
    # with 2 s or 120 s to spare the same rounder counterexample: the smallest with every amount a
    # multiple of 100 000 kr (10 000 000 öre) is summa = del_a = 100 000 kr, del_b = 0
    shown = [minimal_counterexample(prover, inv, w, odd, breaks, budget_s=b)[0] for b in (2.0, 120.0)]
    assert shown[0] == shown[1] == {"summa": 10_000_000, "del_a": 10_000_000, "del_b": 0}
    # with no resources for the optimiser the solver's own values (cut to those that matter)
    # stay, however many seconds there are
    got, _ = minimal_counterexample(prover, inv, w, odd, breaks, budget_s=120.0, rlimit=1)
    assert got == {"summa": 123_457, "del_a": 123_457, "del_b": 0}


def test_witnesses_are_the_same_with_a_short_and_a_long_timeout(project):
    """A satisfiable obligation's witness and the tensions' situations of two bundled clauses
    (§12 has the open tension): the same with 5 s and 300 s per obligation."""
    def shown(timeout_s):
        results = check_project(project, clauses=["§8", "§12"], timeout_s=timeout_s, cache=False, jobs=0)
        out = []
        for x in [p for r in results for p in r.proofs + r.tensions]:
            d = {k: v for k, v in vars(x).items() if k not in ("seconds", "cached")}
            out.append(repr(sorted(d.items(), key=lambda kv: kv[0])))
        return out
    short, long = shown(5.0), shown(300.0)
    assert short == long
    assert any("'inputs', {'" in s for s in short)        # some witness is shown at all
