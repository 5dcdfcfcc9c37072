"""How the §7 split's proofs scale with the number of parties.

Builds, in a temporary folder, a §7 rule whose enumeration `kommun` has N synthetic parties
(part_001 … part_N; not real municipalities) with the same split definitions as
rules/s07_ersattning.yaml (quota + apportion + quarterly apportion), and proves the split's
invariants with the same Prover that `avtalsregler check` uses. Reports, per proof, the
solver's seconds and the wall clock (which includes the prover's own work: slicing, building
the facts a proof asks for), and a table of wall-clock seconds with the growth between sizes.

    PYTHONPATH=src python3 benchmarks/apportion_scale.py [N ...]      (default: 8 50 290)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from avtalsregler.language import parser  # noqa: E402
from avtalsregler.project.load import load_project  # noqa: E402
from avtalsregler.prover.prove import Prover  # noqa: E402

RULE = """clause: "§7"
title: Ersättning
summary: Syntetisk fördelning på {n} parter (benchmark, inte verkliga kommuner).
sentences:
  - id: s7.2
    text: Fördelning mellan kommunerna sker enligt befolkningsmängd 1 november, året före verksamhetsåret.
  - id: s7.3
    text: Region Jämtland Härjedalen ersätts kvartalsvis i förskott med en fjärdedel av den överenskomna ersättningen.
enums:
  kommun:
    values:
{values}
  kvartal:
    values:
      - {{id: kvartal_1, label: Kvartal 1}}
      - {{id: kvartal_2, label: Kvartal 2}}
      - {{id: kvartal_3, label: Kvartal 3}}
      - {{id: kvartal_4, label: Kvartal 4}}
inputs:
  arsbelopp: {{type: money, min: 0, max: 100000000000, description: belopp}}
  befolkning: {{type: {{map: kommun, of: int}}, unit: personer, min: 0, max: 10000000, description: befolkning}}
assume:
  - {{name: nagon_bor, expr: "sum(k in kommun, befolkning[k]) > 0", reason: positiv}}
parameters:
  kvartalsvikter:
    type: {{map: kvartal, of: int}}
    value: {{kvartal_1: 1, kvartal_2: 1, kvartal_3: 1, kvartal_4: 1}}
    words: en fjärdedel av den överenskomna ersättningen
definitions:
  exakt_andel: {{type: {{map: kommun, of: fraction}}, unit: öre, expr: "quota(arsbelopp, befolkning)", description: exakt}}
  arsandel: {{type: {{map: kommun, of: money}}, expr: "apportion(arsbelopp, befolkning)", description: andel}}
  kvartalsfaktura:
    type: {{map: kommun, of: {{map: kvartal, of: money}}}}
    expr: per(k in kommun, apportion(arsandel[k], kvartalsvikter))
    description: kvartal
"""

SPEC = """clause: "§7"
invariants:
  - name: summa_exakt
    reason: summa
    holds: sum(k in kommun, arsandel[k]) == arsbelopp
  - name: inom_ett_ore
    reason: nära
    holds: forall(k in kommun, arsandel[k] - exakt_andel[k] < 1 and exakt_andel[k] - arsandel[k] < 1)
  - name: storre_befolkning_inte_mindre
    reason: monoton
    holds: forall(a in kommun, forall(b in kommun, implies(befolkning[a] > befolkning[b], arsandel[a] >= arsandel[b])))
  - name: kvartal_summerar
    reason: kvartal
    holds: forall(k in kommun, sum(q in kvartal, kvartalsfaktura[k][q]) == arsandel[k])
"""


def run(n: int, timeout_s: float = 120.0, show=print) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        shutil.copytree(ROOT / "agreement", t / "agreement")
        (t / "rules").mkdir()
        (t / "specs").mkdir()
        (t / "readings").mkdir()
        values = "\n".join(f"      - {{id: part_{i:03d}, label: Part {i}}}" for i in range(1, n + 1))
        (t / "rules" / "s07.yaml").write_text(RULE.format(n=n, values=values), encoding="utf-8")
        (t / "specs" / "s07.yaml").write_text(SPEC, encoding="utf-8")
        # The pairwise invariant expands to n·n cases; the parser refuses more than MAX_EXPANSION
        # (issue 16) in any project. This synthetic input measures the prover, so the bound is
        # lifted for this run only (the invariant is proved for a generic pair, not case by case).
        saved, parser.MAX_EXPANSION = parser.MAX_EXPANSION, max(parser.MAX_EXPANSION, n * n)
        try:
            project = load_project(t)
        finally:
            parser.MAX_EXPANSION = saved
        clause, spec = project.clauses["§7"], project.specs["§7"]
        t0 = time.perf_counter()
        prover = Prover(clause, spec, project.enums, timeout_s)
        out = {"n": n, "translate_s": time.perf_counter() - t0, "rows": {}}
        show(f"N = {n}: translation to Z3 {out['translate_s']:.2f} s")

        def row(name, status, solver_s, started):
            out["rows"][name] = (status, solver_s, time.perf_counter() - started)
            show(f"  {name:<32} {status:<15} solver {solver_s:8.3f} s   wall {out['rows'][name][2]:8.3f} s")

        t1 = time.perf_counter()
        claims = prover.claims()
        row("claims (per apportionment)", "proved" if all(p.ok for p in claims) else "FAILED",
            sum(p.seconds for p in claims), t1)
        t1 = time.perf_counter()
        lem = [p for p in prover.lemmas() if p.name != "inbyggda_pastaenden"]
        row("lemmas (generic, once)", "proved" if all(p.ok for p in lem) else "FAILED",
            sum(p.seconds for p in lem), t1)
        for inv in spec.invariants:
            t1 = time.perf_counter()
            p = prover.invariant(inv.name)
            row(inv.name, p.status, p.seconds, t1)
        out["total_s"] = time.perf_counter() - t0
        return out


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [8, 50, 290]
    results = []
    for n in sizes:
        r = run(n, show=lambda line: print(line, flush=True))
        print(f"  total (translation + every proof, wall clock) {r['total_s']:.2f} s", flush=True)
        results.append(r)
    ok = all(st == "proved" for r in results for st, _, _ in r["rows"].values())
    if len(results) > 1:
        names = list(results[0]["rows"])
        print()
        print("| proof | " + " | ".join(f"N = {r['n']}" for r in results) + " | growth |")
        print("|---|" + "---|" * (len(results) + 1))
        line = lambda label, vals: print(f"| {label} | " + " | ".join(vals) + " | " + " → ".join(
            f"×{b / a:.0f}" if a > 0 else "–" for a, b in zip(cells[label], cells[label][1:])) + " |")
        cells = {}
        cells["translation"] = [r["translate_s"] for r in results]
        line("translation", [f"{v:.2f} s" for v in cells["translation"]])
        for nm in names:
            cells[nm] = [r["rows"][nm][2] for r in results]
            line(nm, [f"{r['rows'][nm][2]:.2f} s" + ("" if r["rows"][nm][0] == "proved" else f" ({r['rows'][nm][0]})")
                      for r in results])
        cells["total"] = [r["total_s"] for r in results]
        line("total", [f"{v:.2f} s" for v in cells["total"]])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
