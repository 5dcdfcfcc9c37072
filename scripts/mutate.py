#!/usr/bin/env python3
"""Mutation testing of the language and the prover: a small hand-made runner.

Each mutant is a one-line change of one source file, found with ``ast``: a comparison flipped
(``<`` ↔ ``>=``, ``<=`` ↔ ``>``, ``==`` ↔ ``!=``) or weakened (``>=`` → ``>``, ``<=`` → ``<``),
``and`` ↔ ``or``, an integer constant ± 1, a statement dropped (replaced by ``pass``) or a
returned value dropped (``return None``). The repository (without ``.git``) is copied once into a
temporary folder; each mutant is written into the *copy*, a fast test subset runs there with
``-x``, a timeout and ``PYTHONPATH`` pointing at the copy (no byte code written, a fresh
Hypothesis database), and the copy's file is restored. The real files are never changed, so the
worktree can be used while it runs. A mutant is *killed* when a test fails (or the run times
out), *survived* when every test passes. With ``--confirm``, a survivor of the fast subset is run
once more against a wider test set (killed there: ``killed (confirm)``).

    python3 scripts/mutate.py --list                             # every mutant, nothing run
    python3 scripts/mutate.py --sample 40 --seed 1 --out a.jsonl # a random sample (CPU is scarce)
    python3 scripts/mutate.py --sample 40 --seed 2 --exclude-from a.jsonl --out b.jsonl
    python3 scripts/mutate.py src/avtalsregler/prover/prove.py --tests tests/prover -- -k claim

Arguments after ``--`` are passed to pytest. ``--out`` writes one JSON line per mutant (``key``,
``where``, ``what``, ``status``, ``seconds``); ``--exclude-from`` reads such a file (or lines
``file:line: what`` as ``--list`` prints them, or keys) and leaves those mutants out before
sampling; ``--only`` (same formats) runs just those, e.g. the survivors again with other tests.
``--root`` mutates another checkout (e.g. ``git archive`` of the commit a sample ran on). ``...``
bodies are not mutated (``pass`` is the same program). A mutant's ``key`` is ``file::what::n`` (the n-th mutant of that file with that
description), which survives edits that only move lines. The report gives the score and every
survivor as ``file:line: what``. A survivor is a test that is missing — or an equivalent mutant
(say why, in scripts/MUTATION.md).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["src/avtalsregler/language", "src/avtalsregler/prover"]
QUICK_TESTS = ["tests/language/units", "tests/prover/units",     # fast unit tests first: most mutants die there
               "tests/prover/soundness/test_obligations.py", "tests/prover/soundness/test_facts.py",
               "tests/prover/soundness/test_crosscheck.py", "tests/prover/test_prove.py",
               "tests/language/test_expr.py", "tests/language/test_expr_types.py",
               "tests/language/test_dates_values.py", "tests/language/test_showing.py",
               "tests/prover/test_generic.py::test_anti_unification_keeps_shared_terms_and_finds_the_index",
               "tests/prover/test_generic.py::"
               "test_terms_of_one_operator_with_different_numbers_of_arguments_are_not_one_template",
               # prover/cache.py, prover/tensions.py and check_project's serial loop (15 s together)
               "tests/prover/test_cache.py", "tests/prover/test_tensions.py", "tests/prover/test_parallel.py",
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

    key: str = ""              # file::what::n, set by mutants_of

    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix() if self.path.is_relative_to(ROOT) else str(self.path)

    def where(self) -> str:
        return f"{self.rel()}:{self.line}"

    def apply(self, source: str) -> str:
        # ast's col_offset is a UTF-8 *byte* offset: slice the lines as bytes (a line with å, ä, ö
        # or – before the mutated code would otherwise get the change at the wrong place)
        lines = source.encode("utf-8").splitlines(keepends=True)
        (l1, c1), (l2, c2) = self.start, self.end
        head = b"".join(lines[:l1 - 1]) + lines[l1 - 1][:c1]
        tail = lines[l2 - 1][c2:] + b"".join(lines[l2:])
        return (head + self.text.encode("utf-8") + tail).decode("utf-8")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            out.add(id(body[0]))
    return out


def _is_ellipsis(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis


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
                and id(node) not in docs and not _is_ellipsis(node):      # `...` → `pass`: the same
            add(node, f"drop {ast.unparse(node)[:60]!r}", "pass")
    # only mutants that still compile (e.g. dropping the only statement of a block is fine: pass)
    good = []
    for m in out:
        try:
            compile(m.apply(source), str(path), "exec")
        except SyntaxError:
            continue
        good.append(m)
    good.sort(key=lambda m: (m.line, m.what))
    seen: dict[str, int] = {}
    for m in good:
        n = seen[m.what] = seen.get(m.what, 0) + 1
        m.key = f"{m.rel()}::{m.what}::{n}"
    return good


IGNORE = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info",
                                ".avtalsregler-cache", "site", "build", "test-output", ".venv")


def copy_repo(root: Path) -> Path:
    """A copy of the repository in a temporary folder (the caller removes it)."""
    dest = Path(tempfile.mkdtemp(prefix="mutate-")) / root.name
    shutil.copytree(root, dest, ignore=IGNORE)
    return dest


def run_tests(tests: list[str], timeout: float, where: Path) -> tuple[str, float]:
    """Run pytest in ``where`` (the copy) against its own ``src``; returns (status, seconds)."""
    shutil.rmtree(where / ".hypothesis", ignore_errors=True)    # no example remembered from a mutant
    env = {**os.environ, "PYTHONPATH": str(where / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    t0 = time.perf_counter()
    if STOPPING.is_set():
        return "error (stopped)", 0.0
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                             "--hypothesis-seed=0", *tests], cwd=where, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    RUNNING.add(proc)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(proc)
        return "killed (timeout)", time.perf_counter() - t0
    finally:
        RUNNING.discard(proc)
    status = "survived" if code == 0 else "killed" if code == 1 else f"error (exit {code})"
    return status, time.perf_counter() - t0


RUNNING: set[subprocess.Popen] = set()     # the test runs under way (stopped when the runner is)
STOPPING = threading.Event()               # set when the runner is stopped: no new test run starts


def stop(proc: subprocess.Popen) -> None:
    """Stop a test run and everything it started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def excluded(path: Path) -> set[str]:
    """Keys and ``file:line: what`` lines to leave out, from a JSON-lines result or a plain list."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            rec = json.loads(line)
            out.update(str(rec[k]) for k in ("key", "listed") if k in rec)
        else:
            out.add(line)
    return out


def choose(mutants: list[Mutant], exclude: set[str], sample: int | None, seed: int) -> list[Mutant]:
    mutants = [m for m in mutants if m.key not in exclude and f"{m.where()}: {m.what}" not in exclude]
    if sample and sample < len(mutants):
        mutants = sorted(random.Random(seed).sample(mutants, sample), key=lambda m: (str(m.path), m.line))
    return mutants


def split_argv(argv: list[str]) -> tuple[list[str], list[str]]:
    return (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])


def main(argv: list[str] | None = None) -> int:
    global ROOT
    ours, extra = split_argv(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="files or folders to mutate (default: language/ and prover/)")
    ap.add_argument("--tests", nargs="+", default=QUICK_TESTS, help="the test subset run per mutant")
    ap.add_argument("--confirm", nargs="+", metavar="TEST", help="run a survivor again against these tests")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant (a timeout counts as killed)")
    ap.add_argument("--sample", type=int, help="run only this many mutants, drawn at random")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--exclude-from", type=Path, action="append", default=[], metavar="FILE",
                    help="leave out the mutants in FILE (a --out result, or --list lines, or keys)")
    ap.add_argument("--only", type=Path, action="append", default=[], metavar="FILE",
                    help="run only the mutants in FILE (e.g. the survivors of an earlier run, again)")
    ap.add_argument("--out", type=Path, help="write one JSON line per mutant here (appended)")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--root", type=Path, default=ROOT, help="the repository to copy and mutate (default: this one)")
    ap.add_argument("--jobs", "-j", type=int, default=1, help="mutants run at once, each in its own copy")
    args = ap.parse_args(ours)
    ROOT = args.root.resolve()
    tests = [*args.tests, *extra]
    files: list[Path] = []
    for p in (args.paths or PACKAGES):
        p = (ROOT / p).resolve() if not Path(p).is_absolute() else Path(p)
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    mutants = [m for f in files for m in mutants_of(f)]
    exclude = set().union(*(excluded(f) for f in args.exclude_from))
    if args.only:
        only = set().union(*(excluded(f) for f in args.only))
        mutants = [m for m in mutants if m.key in only or f"{m.where()}: {m.what}" in only]
    chosen = choose(mutants, exclude, args.sample, args.seed)
    print(f"{len(mutants)} mutants in {len(files)} files; {len(mutants) - len(choose(mutants, exclude, None, 0))}"
          f" excluded; {len(chosen)} chosen", flush=True)
    if args.list:
        for m in chosen:
            print(f"{m.where()}: {m.what}")
        return 0
    if args.jobs < 1:
        ap.error("--jobs must be at least 1")
    works = [copy_repo(ROOT) for _ in range(args.jobs)]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))     # so that the copies are removed
    try:
        return run_all(chosen, tests, args, works)
    finally:
        STOPPING.set()
        for proc in list(RUNNING):         # e.g. stopped during the run without a mutant
            stop(proc)
        for work in works:
            shutil.rmtree(work.parent, ignore_errors=True)


def run_one(m: Mutant, tests: list[str], args, work: Path) -> tuple[str, float]:
    """Write one mutant into the copy ``work``, run the tests there, restore the copy's file."""
    target = work / m.path.relative_to(ROOT)
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(m.apply(original), encoding="utf-8")
        status, dt = run_tests(tests, args.timeout, work)
        if status == "survived" and args.confirm:
            status, dt2 = run_tests(args.confirm, args.timeout, work)
            status = "killed (confirm)" if status.startswith("killed") else status
            dt += dt2
    finally:
        target.write_text(original, encoding="utf-8")
    return status, dt


def run_all(mutants: list[Mutant], tests: list[str], args, works: list[Path]) -> int:
    base, dt = run_tests(tests, args.timeout, works[0])
    print(f"unmutated: {base} in {dt:.1f} s", flush=True)
    if base == "survived" and args.confirm:
        base, dt = run_tests(args.confirm, args.timeout, works[0])
        print(f"unmutated, --confirm tests: {base} in {dt:.1f} s", flush=True)
    if base != "survived":
        print(f"the tests do not pass without a mutant ({base}): fix them first")
        return 2
    out = args.out.open("a", encoding="utf-8") if args.out else None
    killed, survivors, errors = 0, [], []
    free: queue.Queue[Path] = queue.Queue()
    for work in works:
        free.put(work)

    def job(m: Mutant) -> tuple[str, float]:
        work = free.get()
        try:
            return run_one(m, tests, args, work)
        finally:
            free.put(work)

    pool = ThreadPoolExecutor(max_workers=len(works))
    try:
        futures = {pool.submit(job, m): m for m in mutants}
        for i, fut in enumerate(as_completed(futures), 1):
            m = futures[fut]
            status, dt = fut.result()
            print(f"[{i}/{len(mutants)}] {status:17} {dt:6.1f} s  {m.where()}: {m.what}", flush=True)
            if out:
                out.write(json.dumps({"key": m.key, "where": m.where(), "what": m.what, "status": status,
                                      "seconds": round(dt, 1), "seed": args.seed}, ensure_ascii=False) + "\n")
                out.flush()
            if status == "survived":
                survivors.append(m)
            elif status.startswith("killed"):
                killed += 1
            else:
                errors.append((m, status))
    except BaseException:                  # stopped (SIGTERM, Ctrl-C): no further mutant, none left running
        STOPPING.set()
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(RUNNING):
            stop(proc)
        raise
    finally:
        pool.shutdown(wait=True)
        if out:
            out.close()
    n = len(mutants)
    print(f"\nscore: {killed}/{n} killed ({100 * killed / max(n, 1):.0f} %)")
    for m in sorted(survivors, key=lambda m: (str(m.path), m.line)):
        print(f"survived: {m.where()}: {m.what}")
    for m, status in errors:
        print(f"{status}: {m.where()}: {m.what}")
    return 0 if not survivors and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
