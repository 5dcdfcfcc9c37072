"""Counterexamples cut to the inputs that matter and rounded where the solver allows; what is
shown is always replayed exactly and still breaks the guarantee."""

from __future__ import annotations

import shutil

from avtalsregler.prover.check import check_project
from avtalsregler.prover.minimal import minimal_counterexample, relevant_inputs
from avtalsregler.project.load import load_project
from avtalsregler.prover.prove import Prover

from ..conftest import ROOT

# A test rule (not part of the project) in §6's place: a sum split in two parts, an unrelated
# amount, number and flag. The invariant speaks of part a and the sum only; the assumption ties
# part b to them, so b matters too; the rest does not.
RULE = """\
clause: "§6"
title: Övriga avtal
summary: Testregel (inte en del av projektet), skriven för att pröva motexemplen.
sentences:
  - id: s6.1
    text: Kommunerna kan var och en för sig eller tillsammans teckna fler överenskommelser eller avtal med Region Jämtland Härjedalen.
inputs:
  summa: {type: money, min: 0, max: 100 000 000 kr, description: summan}
  del_a: {type: money, min: 0, max: 100 000 000 kr, description: del a}
  del_b: {type: money, min: 0, max: 100 000 000 kr, description: del b}
  annat: {type: int, min: 0, max: 1000000, description: ett annat tal}
  antal: {type: int, min: 0, max: 1000000, description: ett antal}
  flagga: {type: bool, description: en flagga}
assume:
  - {name: delarna_summerar, expr: del_a + del_b == summa, reason: test}
  - {name: annat_litet, expr: annat <= antal, reason: test}
definitions:
  tva_tredjedelar:
    type: money
    expr: floor(2 * summa / 3)
    description: två tredjedelar av summan
  ovrigt:
    type: int
    expr: annat + antal if flagga else annat
    description: något annat
"""

SPEC = """\
clause: "§6"
invariants:
  - name: del_a_hogst_tva_tredjedelar
    reason: Testinvariant som inte håller (del a kan vara hela summan).
    holds: del_a <= tva_tredjedelar
"""


def make(tmp_path):
    shutil.copytree(ROOT / "agreement", tmp_path / "agreement")
    for d in ("rules", "specs", "readings"):
        (tmp_path / d).mkdir()
    (tmp_path / "rules" / "s06.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "specs" / "s06.yaml").write_text(SPEC, encoding="utf-8")
    return load_project(tmp_path)


def test_the_cone_is_closed_under_assumptions(tmp_path):
    clause = make(tmp_path).clauses["§6"]
    free = set(clause.inputs)
    assert relevant_inputs(clause, {"del_a", "tva_tredjedelar"}, free) == {"summa", "del_a", "del_b"}
    assert relevant_inputs(clause, {"ovrigt"}, free) == {"annat", "antal", "flagga"}


def test_counterexample_has_only_the_inputs_that_matter_with_round_values(tmp_path):
    project = make(tmp_path)
    p = next(p for r in check_project(project) for p in r.proofs if p.name == "del_a_hogst_tva_tredjedelar")
    assert p.status == "counterexample"
    assert set(p.inputs) == set(p.replay) == {"summa", "del_a", "del_b"}
    # round: every amount a multiple of 100 000 kr (the coarsest unit), and the smallest such
    # counterexample is summa = del_a = 100 000 kr, del_b = 0: 2/3 of 100 000 kr is 66 666,66 kr.
    assert p.inputs == {"summa": "100 000,00 kr", "del_a": "100 000,00 kr", "del_b": "0,00 kr"}
    # the replay is exact: it breaks the invariant and meets the assumption
    from avtalsregler.language.types import parse_money_text

    a, b, s = (parse_money_text(p.inputs[n]) for n in ("del_a", "del_b", "summa"))
    assert a + b == s and a > (2 * s) // 3


def test_a_minimised_model_is_taken_only_when_it_still_breaks(tmp_path):
    project = make(tmp_path)
    clause = project.clauses["§6"]
    prover = Prover(clause, project.specs["§6"], project.enums)
    inv = project.specs["§6"].invariants[0]
    w = prover.rule_world
    odd = {"summa": 123_457, "del_a": 123_457, "del_b": 0, "annat": 5, "antal": 7, "flagga": True}
    # a replay that accepts only the solver's own values: nothing rounder is ever shown
    only_odd = lambda v: v == {k: odd[k] for k in ("summa", "del_a", "del_b")}  # noqa: E731
    got, _ = minimal_counterexample(prover, inv, w, odd, only_odd)
    assert got == {"summa": 123_457, "del_a": 123_457, "del_b": 0}
    # a replay that refuses even the cut values: the full model is kept
    got, _ = minimal_counterexample(prover, inv, w, odd, lambda v: False)
    assert got == odd
