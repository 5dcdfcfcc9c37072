#!/usr/bin/env python3
"""Mutation testing of the language and the prover: a small hand-made runner.

Each mutant is a one-line change of one source file, found with ``ast``: a comparison flipped
(``<`` ↔ ``>=``, ``<=`` ↔ ``>``, ``==`` ↔ ``!=``) or weakened (``>=`` → ``>``, ``<=`` → ``<``),
``and`` ↔ ``or``, an integer constant ± 1, a statement dropped (replaced by ``pass``) or a
returned value dropped (``return None``). For each mutant the file is changed in place, a fast
test subset runs with ``-x`` and a timeout, and the file is restored (also on Ctrl-C). A mutant
is *killed* when a test fails (or the run times out), *survived* when every test passes.

    python3 scripts/mutate.py                       # every mutant of language/ and prover/
    python3 scripts/mutate.py --sample 40 --seed 1  # a random sample first (CPU is scarce)
    python3 scripts/mutate.py src/avtalsregler/prover/prove.py --list
    python3 scripts/mutate.py --tests tests/prover/soundness --timeout 120

Mutants are run one after another (serially); the report gives the score and every survivor as
``file:line: what``. A survivor is a test that is missing — or an equivalent mutant (say why).
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["src/avtalsregler/language", "src/avtalsregler/prover"]
QUICK_TESTS = ["tests/prover/soundness/test_obligations.py", "tests/prover/soundness/test_facts.py",
               "tests/prover/soundness/test_crosscheck.py", "tests/prover/test_prove.py",
               "tests/language/test_expr.py", "tests/language/test_expr_types.py",
               "tests/language/test_dates_values.py",
               "tests/prover/test_generic.py::test_anti_unification_keeps_shared_terms_and_finds_the_index",
               "tests/prover/test_generic.py::"
               "test_terms_of_one_operator_with_different_numbers_of_arguments_are_not_one_template",
               # prover/cache.py, prover/tensions.py and check_project's serial loop (15 s together)
               "tests/prover/test_cache.py", "tests/prover/test_tensions.py",
               "tests/cli/test_tooling.py::test_progress_line_per_clause",
               "-k", "not random"]     # the random expressions take 30 s; the edges stay
FLIP = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
WEAKEN = {ast.GtE: ast.Gt, ast.LtE: ast.Lt}


@dataclass
class Mutant:
    path: Path
    line: int
    what: str
    start: tuple[int, int]     # (line, col) of the replaced text, 1-based line
    end: tuple[int, int]
    text: str                  # the replacement

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def apply(self, source: str) -> str:
        lines = source.splitlines(keepends=True)
        (l1, c1), (l2, c2) = self.start, self.end
        head = "".join(lines[:l1 - 1]) + lines[l1 - 1][:c1]
        tail = lines[l2 - 1][c2:] + "".join(lines[l2:])
        return head + self.text + tail


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            out.add(id(body[0]))
    return out


def mutants_of(path: Path) -> list[Mutant]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docs = _docstrings(tree)
    out: list[Mutant] = []

    def one_line(node) -> bool:
        return getattr(node, "end_lineno", None) == node.lineno

    def add(node, what, new_node_or_text):
        text = new_node_or_text if isinstance(new_node_or_text, str) else ast.unparse(new_node_or_text)
        out.append(Mutant(path, node.lineno, what, (node.lineno, node.col_offset),
                          (node.end_lineno, node.end_col_offset), text))

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and one_line(node):
            for i, op in enumerate(node.ops):
                for table, verb in ((FLIP, "flip"), (WEAKEN, "weaken")):
                    if type(op) in table:
                        ops = list(node.ops)
                        ops[i] = table[type(op)]()
                        add(node, f"{verb} {type(op).__name__} #{i + 1} in {ast.unparse(node)[:60]!r}",
                            ast.Compare(node.left, ops, node.comparators))
        elif isinstance(node, ast.BoolOp) and one_line(node):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            add(node, f"{'and→or' if isinstance(node.op, ast.And) else 'or→and'} in {ast.unparse(node)[:60]!r}",
                ast.BoolOp(other, node.values))
        elif isinstance(node, ast.Constant) and type(node.value) is int and one_line(node):
            for d in (1, -1):
                add(node, f"constant {node.value} → {node.value + d}", repr(node.value + d))
        elif isinstance(node, ast.Return) and node.value is not None and one_line(node) \
                and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            add(node, f"drop the value of {ast.unparse(node)[:60]!r}", "return None")
        elif isinstance(node, (ast.Expr, ast.Assign, ast.AugAssign, ast.Raise)) and one_line(node) \
                and id(node) not in docs:
            add(node, f"drop {ast.unparse(node)[:60]!r}", "pass")
    # only mutants that still compile (e.g. dropping the only statement of a block is fine: pass)
    good = []
    for m in out:
        try:
            compile(m.apply(source), str(path), "exec")
        except SyntaxError:
            continue
        good.append(m)
    return sorted(good, key=lambda m: (m.line, m.what))


def run_tests(tests: list[str], timeout: float) -> tuple[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                            "--hypothesis-seed=0", *tests], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed (timeout)", time.perf_counter() - t0
    status = "survived" if r.returncode == 0 else "killed" if r.returncode == 1 else f"error (exit {r.returncode})"
    return status, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="files or folders to mutate (default: language/ and prover/)")
    ap.add_argument("--tests", nargs="+", default=QUICK_TESTS, help="the test subset run per mutant")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant (a timeout counts as killed)")
    ap.add_argument("--sample", type=int, help="run only this many mutants, drawn at random")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = ap.parse_args(argv)
    files: list[Path] = []
    for p in (args.paths or PACKAGES):
        p = (ROOT / p).resolve() if not Path(p).is_absolute() else Path(p)
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    mutants = [m for f in files for m in mutants_of(f)]
    print(f"{len(mutants)} mutants in {len(files)} files", flush=True)
    if args.sample and args.sample < len(mutants):
        mutants = sorted(random.Random(args.seed).sample(mutants, args.sample), key=lambda m: (str(m.path), m.line))
    if args.list:
        for m in mutants:
            print(f"{m.where()}: {m.what}")
        return 0
    base, _ = run_tests(args.tests, args.timeout)
    if base != "survived":
        print(f"the tests do not pass without a mutant ({base}): fix them first")
        return 2
    killed, survivors = 0, []
    for i, m in enumerate(mutants, 1):
        original = m.path.read_text(encoding="utf-8")
        try:
            m.path.write_text(m.apply(original), encoding="utf-8")
            status, dt = run_tests(args.tests, args.timeout)
        finally:
            m.path.write_text(original, encoding="utf-8")
        print(f"[{i}/{len(mutants)}] {status:17} {dt:6.1f} s  {m.where()}: {m.what}", flush=True)
        if status == "survived":
            survivors.append(m)
        else:
            killed += 1
    n = len(mutants)
    print(f"\nscore: {killed}/{n} killed ({100 * killed / max(n, 1):.0f} %)")
    for m in survivors:
        print(f"survived: {m.where()}: {m.what}")
    return 0 if not survivors else 1


if __name__ == "__main__":
    sys.exit(main())
