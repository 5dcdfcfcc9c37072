#!/usr/bin/env python3
"""The speed targets of the proof cache and parallel proving, each measured side by side with
the floor (``python3 -c "import z3, yaml"``) in the same run, rounds interleaved so that the
machine's load hits every command alike.

    python3 benchmarks/targets.py [--runs N] [--amendment amendments/tak_60_procent.yaml]

Cold: a new, empty cache folder for every run (``AVTALSREGLER_CACHE``). Warm: a folder that
one run has filled. Prints a Markdown table (medians, min, max) for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
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


def timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        sys.stderr.write(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}\n")
        raise SystemExit(2)
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--amendment", default="amendments/tak_60_procent.yaml")
    ap.add_argument("--clause", default="§12", help="the clause the amendment changes")
    args = ap.parse_args()
    base = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    tmp = Path(tempfile.mkdtemp(prefix="avtalsregler-bench-"))
    warm_dir = tmp / "warm"
    warm = {**base, "AVTALSREGLER_CACHE": str(warm_dir)}
    av = [PY, "-m", "avtalsregler"]
    site = str(tmp / "site")
    cases = {
        "floor `python3 -c 'import z3, yaml'`": ([PY, "-c", "import z3, yaml"], None),
        "`check` cold, -j 1": (av + ["check", "-j", "1"], "cold"),
        "`check` cold, -j 2 (default on 2 cores)": (av + ["check"], "cold"),
        "`check` warm": (av + ["check"], "warm"),
        f"`check --clause {args.clause}` warm": (av + ["check", "--clause", args.clause], "warm"),
        f"`amend check {args.amendment}` warm": (av + ["amend", "check", args.amendment], "warm"),
        "`docs` warm": (av + ["docs", "--output", site, "--date", "2026-12-01"], "warm"),
    }
    # fill the warm cache: a check, an amendment check and a docs build
    for label in ("`check` warm", f"`amend check {args.amendment}` warm", "`docs` warm"):
        timed(cases[label][0], warm)
    times: dict[str, list[float]] = {k: [] for k in cases}
    for i in range(args.runs):
        for label, (cmd, kind) in cases.items():
            env = base
            if kind == "cold":
                cold = tmp / f"cold-{i}-{len(times[label])}"
                env = {**base, "AVTALSREGLER_CACHE": str(cold)}
            elif kind == "warm":
                env = warm
            times[label].append(timed(cmd, env))
    shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    print(f"{args.runs} rounds, interleaved; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          f"on {os.cpu_count()} cores")
    print()
    print("| what | median | min | max |")
    print("|---|---|---|---|")
    for label, ts in times.items():
        print(f"| {label} | {statistics.median(ts):.2f} s | {min(ts):.2f} s | {max(ts):.2f} s |")
    floor = statistics.median(times["floor `python3 -c 'import z3, yaml'`"])
    print()
    print(f"warm check / floor: {statistics.median(times['`check` warm']) / floor:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
