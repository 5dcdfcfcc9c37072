#!/usr/bin/env python3
"""Time `avtalsregler check` end to end and every proof, and print a table.

    python3 benchmarks/run.py [--runs N] [--clause §12 ...]

End to end: wall time of the whole command (start-up, loading, examples, proofs), the median
of N runs. Per proof: the solver time reported by the check, from the last run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clause", action="append", default=[])
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "avtalsregler", "check", "--format", "json"]
    for c in args.clause:
        cmd += ["--clause", c]
    # the checkout's own sources, installed or not
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    walls, data = [], None
    for _ in range(args.runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1) or not r.stdout.strip():
            print(r.stderr, file=sys.stderr)
            return r.returncode or 2
        data = json.loads(r.stdout)
    print(f"avtalsregler check, end to end: median {statistics.median(walls):.2f} s over {args.runs} runs "
          f"(min {min(walls):.2f} s, max {max(walls):.2f} s); verdict {'OK' if data['ok'] else 'FAILED'}")
    print()
    print(f"| {'clause':<6} | {'kind':<11} | {'obligation':<44} | {'status':<14} | {'seconds':>8} |")
    print(f"|{'-' * 8}|{'-' * 13}|{'-' * 46}|{'-' * 16}|{'-' * 10}|")
    total = 0.0
    for c in data["clauses"]:
        for p in c["proofs"]:
            total += p["seconds"]
            print(f"| {c['clause']:<6} | {p['kind']:<11} | {p['name']:<44} | {p['status']:<14} | {p['seconds']:>8.4f} |")
    print()
    print(f"{sum(len(c['proofs']) for c in data['clauses'])} obligations, {total:.3f} s solver time in all; "
          + ", ".join(f"{c['clause']} {c['seconds']:.2f} s" for c in data["clauses"]))
    return 0 if data["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
