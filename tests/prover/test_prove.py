"""The prover's verdicts: unknown is never a pass; generated obligations find contradictions,
partial definitions and vacuous assumptions."""

from __future__ import annotations

import shutil
import textwrap

from avtalsregler.prover.check import check_project
from avtalsregler.project.load import load_project

from ..conftest import ROOT

RULE = """\
clause: "§6"
title: Övriga avtal
summary: Testregel (inte en del av projektet), skriven för att pröva bevisaren.
sentences:
  - id: s6.1
    text: Kommunerna kan var och en för sig eller tillsammans teckna fler överenskommelser eller avtal med Region Jämtland Härjedalen.
inputs:
  a: {type: int, description: a, min: 1, max: 1000000}
  b: {type: int, description: b, min: 1, max: 1000000}
  c: {type: int, description: c, min: 1, max: 1000000}
  n: {type: int, description: n, min: -5, max: 5}
{assume}
definitions:
  kvot:
    type: fraction
    expr: a / n
    description: a delat med n (ej definierad för n = 0)
  krav_ett:
    kind: requirement
    type: bool
    expr: a > 5
    description: a är större än 5
  krav_tva:
    kind: requirement
    type: bool
    expr: a < 3
    description: a är mindre än 3
"""

SPEC = """\
clause: "§6"
invariants:
  - name: fermat_tre
    reason: Testinvariant som lösaren inte kan avgöra inom en sekund.
    holds: a * a * a + b * b * b != c * c * c
"""


def make(tmp_path, assume=""):
    shutil.copytree(ROOT / "agreement", tmp_path / "agreement")
    (tmp_path / "rules").mkdir()
    (tmp_path / "specs").mkdir()
    (tmp_path / "readings").mkdir()
    (tmp_path / "rules" / "s06.yaml").write_text(RULE.replace("{assume}", assume), encoding="utf-8")
    (tmp_path / "specs" / "s06.yaml").write_text(SPEC, encoding="utf-8")
    return load_project(tmp_path)


def by_name(results):
    return {p.name: p for r in results for p in r.proofs}


def test_unknown_is_not_proved_and_contradictions_and_partiality_are_found(tmp_path):
    results = check_project(make(tmp_path), timeout_s=1)
    proofs = by_name(results)
    # Z3 cannot decide this non-linear property in 1 s: the result is unknown, and that fails.
    assert proofs["fermat_tre"].status == "unknown" and "timeout" in proofs["fermat_tre"].detail
    # a / n is undefined for n = 0, which the domain allows: a counterexample with n = 0.
    defined = [p for p in proofs.values() if p.kind == "defined"]
    assert defined and defined[0].status == "counterexample" and defined[0].inputs["n"] == "0"
    # a > 5 and a < 3 cannot both hold: the requirements contradict each other.
    assert proofs["krav_forenliga"].status == "counterexample"
    assert "krav_ett" in proofs["krav_forenliga"].detail
    assert not results[0].ok


def test_contradictory_assumptions_make_everything_fail(tmp_path):
    assume = textwrap.dedent("""\
    assume:
      - {name: stor, expr: a > 10, reason: test}
      - {name: liten, expr: a < 5, reason: test}
    """)
    proofs = by_name(check_project(make(tmp_path, assume), timeout_s=5))
    assert proofs["antaganden_forenliga"].status == "counterexample"
