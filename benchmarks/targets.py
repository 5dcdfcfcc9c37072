#!/usr/bin/env python3
"""The speed targets of the proof cache and parallel proving, each measured side by side with
the floor (``python3 -c "import z3, yaml"``) in the same run, rounds interleaved so that the
machine's load hits every command alike.

    python3 benchmarks/targets.py [--runs N] [--amendment amendments/tak_60_procent.yaml]

Cold: a new, empty cache folder for every run (``AVTALSREGLER_CACHE``). Warm: a folder that
one run of each command has filled (the proof cache and the whole-check memo). "No memo": a
copy of the warm folder without its memo (every proof from the cache, but the project loaded
and translated). The amendment target is measured twice:

* first time: from a cache that one ``check`` of the project has filled, so that the proofs
  the amendment changes are solved; "the proofs the amendment changes" are timed apart as a
  ``check --clause`` of the amended project (``amend check --keep``) from that same cache,
  less the same check with every answer in the cache (both without a memo);
* again: everything in the cache.

Every command runs with Python's compiled modules kept (``PYTHONDONTWRITEBYTECODE`` is
removed from the environment), as an installed tool runs. Prints a Markdown table (medians,
min, max) for benchmarks/RESULTS.md, the load average before and after, and each target with
its verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


LAST_OUT = [""]      # standard output of the last command timed


def timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        sys.stderr.write(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}\n")
        raise SystemExit(2)
    LAST_OUT[0] = r.stdout
    return dt


def solved_seconds(report: str) -> float:
    """The seconds the obligations not taken from the cache took (``check --format json``)."""
    data = json.loads(report)
    return sum(p["seconds"] for c in data["clauses"] for p in c["proofs"] + c["tensions"] if not p["from_cache"])


def fresh(src: Path, dest: Path, memo: bool = True) -> Path:
    """A copy of a cache folder (without its memo: ``memo=False``)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, ignore=None if memo else shutil.ignore_patterns("memo"))
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--amendment", default="amendments/tak_60_procent.yaml")
    ap.add_argument("--clause", default="§12", help="the clause the amendment changes")
    args = ap.parse_args()
    before = os.getloadavg()
    base = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    # as an installed tool runs: Python keeps its compiled modules (__pycache__); with
    # PYTHONDONTWRITEBYTECODE every command would compile the engine's modules anew
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    tmp = Path(tempfile.mkdtemp(prefix="avtalsregler-bench-"))
    av = [PY, "-m", "avtalsregler"]
    site = str(tmp / "site")
    kept = tmp / "amended"
    env_of = lambda folder: {**base, "AVTALSREGLER_CACHE": str(folder)}          # noqa: E731
    # the caches: after one check of the project; after everything; the amended project kept
    checked, warm_dir = tmp / "checked", tmp / "warm"
    timed(av + ["check"], env_of(checked))
    fresh(checked, warm_dir)
    clause = ["check", "--clause", args.clause]
    amend = ["amend", "check", args.amendment]
    timed(av + amend + ["--keep", str(kept)], env_of(warm_dir))
    for cmd in (av + ["check"], av + clause, av + amend, av + ["--root", str(kept)] + clause,
                av + ["docs", "--output", site, "--date", "2026-12-01"]):
        timed(cmd, env_of(warm_dir))
    cases = {
        "floor": ([PY, "-c", "import z3, yaml"], None),
        "check cold -j1": (av + ["check", "-j", "1"], "cold"),
        "check cold": (av + ["check"], "cold"),
        "check warm": (av + ["check"], "warm"),
        "check warm, no memo": (av + ["check"], "nomemo"),
        "clause warm": (av + clause, "warm"),
        "clause warm, no memo": (av + clause, "nomemo"),
        "amended clause from the check's cache": (av + ["--root", str(kept)] + clause + ["--format", "json"],
                                                  "checked-nomemo"),
        "amended clause warm, no memo": (av + ["--root", str(kept)] + clause + ["--format", "json"], "nomemo"),
        "amend first": (av + amend, "checked"),
        "amend again": (av + amend, "warm"),
        "docs warm": (av + ["docs", "--output", site, "--date", "2026-12-01"], "warm"),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    solving: list[float] = []
    for i in range(args.runs):
        for label, (cmd, kind) in cases.items():
            scratch = tmp / f"run-{i}-{len(times[label])}-{abs(hash(label))}"
            env = {None: base, "cold": env_of(scratch), "warm": env_of(warm_dir),
                   "nomemo": env_of(fresh(warm_dir, scratch, memo=False)) if kind == "nomemo" else None,
                   "checked": env_of(fresh(checked, scratch)) if kind == "checked" else None,
                   "checked-nomemo": env_of(fresh(checked, scratch, memo=False)) if kind == "checked-nomemo" else None,
                   }[kind]
            times[label].append(timed(cmd, env))
            if label == "amended clause from the check's cache":
                solving.append(solved_seconds(LAST_OUT[0]))
            shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    after = os.getloadavg()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.runs} rounds, interleaved, on {os.cpu_count()} cores; load average before "
          f"{before[0]:.1f} / {before[1]:.1f} / {before[2]:.1f}, after {after[0]:.1f} / {after[1]:.1f} / {after[2]:.1f}")
    print()
    labels = {
        "floor": "floor `python3 -c 'import z3, yaml'`",
        "check cold -j1": "`check` cold, -j 1",
        "check cold": "`check` cold, -j 2 (the default on 2 cores)",
        "check warm": "`check` warm (the memo)",
        "check warm, no memo": "`check` warm without the memo (every proof from the cache)",
        "clause warm": f"`check --clause {args.clause}` warm (the memo)",
        "clause warm, no memo": f"`check --clause {args.clause}` warm without the memo",
        "amended clause from the check's cache": f"`check --clause {args.clause}` of the amended project, from the check's cache",
        "amended clause warm, no memo": f"`check --clause {args.clause}` of the amended project, every proof cached",
        "amend first": f"`amend check {args.amendment}`, first time (from the check's cache)",
        "amend again": f"`amend check {args.amendment}` again (warm)",
        "docs warm": "`docs` warm",
    }
    print("| what | median | min | max |")
    print("|---|---|---|---|")
    for key, ts in times.items():
        print(f"| {labels[key]} | {med[key]:.2f} s | {min(ts):.2f} s | {max(ts):.2f} s |")
    floor = med["floor"]
    changed = max(0.0, med["amended clause from the check's cache"] - med["amended clause warm, no memo"])

    def verdict(value: float, bound: float) -> str:
        return f"{value:.2f} s against ≤ {bound:.2f} s: **{'met' if value <= bound else 'missed'}** ({value / bound:.2f}× the bound)"
    print()
    print(f"* warm `check` ≤ 3× the floor ({floor:.2f} s): {verdict(med['check warm'], 3 * floor)}")
    print(f"* cold `check` on 2 cores ≤ 2 s: {verdict(med['check cold'], 2.0)}")
    print(f"* `docs` warm ≤ 3 s: {verdict(med['docs warm'], 3.0)}")
    print(f"* the proofs the amendment changes: {changed:.2f} s (the amended clause from the check's cache, "
          f"less the same with every proof cached); the prover's own seconds on them: "
          f"{statistics.median(solving):.2f} s (median; the obligations not from the cache)")
    for name, clause_key in (("the memo", "clause warm"), ("no memo", "clause warm, no memo")):
        c = med[clause_key]
        print(f"* `amend check` first time ≤ 1.5 × (clause warm, {name}: {c:.2f} s + changed proofs {changed:.2f} s): "
              f"{verdict(med['amend first'], 1.5 * (c + changed))}")
        print(f"* `amend check` again ≤ 1.5 × (clause warm, {name}: {c:.2f} s + nothing changed): "
              f"{verdict(med['amend again'], 1.5 * c)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
