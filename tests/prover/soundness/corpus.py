"""Small rules for the soundness corpus: one test rule (clause §6, a sentence of the real text,
nothing else of the agreement) with the inputs, assumptions, parameters and definitions a case
needs, and a spec with its invariants. Every rule here is a test fixture, not a part of the
project.

``replay`` puts a counterexample's ready-to-paste inputs back into the spec as an example and
runs it exactly: the replay must show the failure the prover claims."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

import yaml

from avtalsregler.project.load import load_project
from avtalsregler.prover.check import run_example
from avtalsregler.prover.prove import Prover

from ...conftest import ROOT

HEAD = """\
clause: "§6"
title: Övriga avtal
summary: Testregel (inte en del av projektet), skriven för att pröva bevisaren.
sentences:
  - id: s6.1
    text: Kommunerna kan var och en för sig eller tillsammans teckna fler överenskommelser eller avtal med Region Jämtland Härjedalen.
enums:
  part:
    values:
      - {id: p1, label: Part 1}
      - {id: p2, label: Part 2}
      - {id: p3, label: Part 3}
"""

_AGREEMENT = Path(tempfile.mkdtemp(prefix="soundness-")) / "agreement"
shutil.copytree(ROOT / "agreement", _AGREEMENT)


def _section(name: str, body: dict | list | None) -> str:
    if not body:
        return ""
    return yaml.safe_dump({name: body}, allow_unicode=True, sort_keys=False)


def write(root: Path, inputs: dict, definitions: dict | None = None, assume: list | None = None,
          parameters: dict | None = None, invariants: dict | None = None, ranges: dict | None = None,
          examples: list | None = None) -> Path:
    """A project folder with the test rule and its spec."""
    for d in ("rules", "specs", "readings"):
        (root / d).mkdir(parents=True, exist_ok=True)
    if not (root / "agreement").exists():
        (root / "agreement").symlink_to(_AGREEMENT)
    defs = {n: ({"type": d[0], "expr": d[1], "description": n, **({"unit": d[2]} if len(d) > 2 else {})}
                if isinstance(d, (tuple, list)) else d)
            for n, d in (definitions or {}).items()}
    ins = {n: ({"type": t, "description": n} if isinstance(t, str) else {**t, "description": n})
           for n, t in inputs.items()}
    assumptions = [{"name": f"antagande_{i + 1}", "expr": a, "reason": "test"} for i, a in enumerate(assume or [])]
    params = {n: {"words": "överenskommelser", **p} for n, p in (parameters or {}).items()}
    rule = HEAD + _section("inputs", ins) + _section("assume", assumptions) + _section("parameters", params) \
        + _section("definitions", defs)
    invs = [{"name": n, "reason": "test", **(h if isinstance(h, dict) else {"holds": h})}
            for n, h in (invariants or {}).items()]
    spec = yaml.safe_dump({"clause": "§6"}, allow_unicode=True) + _section("parameter_ranges", ranges) \
        + _section("invariants", invs) + _section("examples", examples)
    (root / "rules" / "s06.yaml").write_text(rule, encoding="utf-8")
    (root / "specs" / "s06.yaml").write_text(spec, encoding="utf-8")
    return root


def _key(kw: dict) -> str:
    defs = {n: list(d) if isinstance(d, tuple) else d for n, d in (kw.get("definitions") or {}).items()}
    return yaml.safe_dump({**kw, "definitions": defs}, sort_keys=True, allow_unicode=True)


@functools.cache
def _load(key: str):
    kw = yaml.safe_load(key)
    root = write(Path(tempfile.mkdtemp(prefix="soundness-case-")), **kw)
    return load_project(root), kw


def prover(timeout_s: float = 10.0, **kw) -> tuple[Prover, object]:
    """The prover of the test rule (projects are cached by their text)."""
    project, _ = _load(_key(kw))
    return Prover(project.clauses["§6"], project.specs["§6"], project.enums, timeout_s), project


def replay(proof, holds: str | None = None, expect: dict | None = None, **kw):
    """Run the counterexample's replay as a spec example (``holds`` an invariant name, or
    ``expect`` values): the example's result, exactly as ``check`` would give it."""
    example = {"name": "motexempel", "given": proof.replay}
    if holds:
        example["holds"] = [holds]
    if expect:
        example["expect"] = expect
    project, _ = _load(_key({**kw, "examples": [example]}))
    spec = project.specs["§6"]
    return run_example(project.clauses["§6"], project, spec.examples[0])


def false_lemma_fact(lemma: str):
    """The Z3 meaning of a test-only built-in ``f(x) = x`` that states a *false* lemma ``lemma``
    (``x >= 0 → x > 0``, false for x = 0) and adds its conclusion for the argument as a side fact:
    a proof that relies on it must not come out proved."""
    import z3

    def apply(ops, v, types, result, span):
        if not hasattr(ops, "lemma"):
            return v[0]
        x = z3.Int("lemma_x", ops.ctx)
        ops.lemma(lemma, x >= 0, x > 0, span)
        ops.side.append(z3.substitute(ops.lemmas[lemma].conclusion, (x, v[0])))
        return v[0]
    return apply

