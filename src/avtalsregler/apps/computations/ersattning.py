"""``avtalsregler compute ersattning``: §7 — the yearly compensation, its split by population
and the quarterly advance invoices, exact to the öre, every number computed by the rule in
``rules/s07_ersattning.yaml`` (the same definitions that ``check`` proves)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from avtalsregler.project.evaluate import evaluate
from avtalsregler.apps.data import Population, load_index, load_population
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project
from avtalsregler.language.types import format_fraction, format_kr, group3, parse_money_text

NAME = "ersattning"
HELP = "§7: the year's compensation, split by population, and the quarterly invoices (exact öre)"
CLAUSE = "§7"
QUARTER_START = ((1, 1), (4, 1), (7, 1), (10, 1))       # reading R7-forfallodag


def add_arguments(p) -> None:
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="the operating year, e.g. 2022")
    p.add_argument("--population", metavar="FILE",
                   help="CSV municipality,code,date,population,source (default ROOT/data/population.csv)")
    p.add_argument("--index", metavar="FILE", help="LPIK forecasts with publications (default ROOT/data/lpik.yaml)")
    p.add_argument("--annual-amount", metavar="KRONOR",
                   help="split this yearly amount instead of raising 9 356 000 kr by the index, e.g. 9356000")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--explain", action="store_true", help="show how every number is derived")
    p.add_argument("--vintage", choices=("before-year", "latest"), default="before-year",
                   help="which forecast counts (reading R7-prognos; default: latest published before the year)")
    p.add_argument("--chain", choices=("chained", "simple"), default="chained",
                   help="raise last year's amount (default) or the base by the summed changes (reading R7-kedja)")
    p.add_argument("--rounding", choices=("yearly", "once"), default="yearly",
                   help="round each year's amount to öre (default) or only the final year's (reading R7-avrundning)")


@dataclass
class Result:
    year: int
    annual_ore: int
    population: Population
    values: dict[str, Any]
    amount_steps: list[dict] = field(default_factory=list)
    amount_source: str = ""
    readings: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def parse_kronor(text: str) -> int:
    t = text.strip()
    ore = parse_money_text(t if t.endswith(("kr", "kronor", "öre")) else t + " kr")
    if ore is None or ore < 0:
        raise DataError(f"--annual-amount {text!r} is not an amount in kronor", None,
                        "write whole kronor with an optional ',öre' part, e.g. 9356000 or '9 356 000,50'")
    return ore


def annual_from_index(clause, enums, index_path: str, year: int, vintage: str, chain: str,
                      rounding: str, base: int, base_year: int):
    idx = load_index(index_path)
    warnings = []
    if idx.fictitious:
        warnings.append(("R7-prognos", f"FIKTIVA indexvärden från {idx.path}: {idx.note or 'inte verkliga'}; "
                                       "beloppen är inte verkliga"))
    if year <= base_year:
        raise DataError(f"--year {year} is not after the price level year {base_year}", None,
                        f"the first raised year is {base_year + 1}")
    chosen = [idx.choose(y, vintage) for y in range(base_year + 1, year + 1)]
    steps = []
    if chain == "simple":
        total = sum((v.change for v in chosen), Fraction(0))
        vals, _ = evaluate(clause, enums, {"foregaende_arsbelopp": Fraction(base), "uppraekning": total},
                           ["uppraknat_exakt", "uppraknat_arsbelopp"])
        steps.append({"year": year, "from": str(base), "change": format_fraction(total),
                      "exact": str(vals["uppraknat_exakt"]), "rounded": vals["uppraknat_arsbelopp"],
                      "publications": [_pub(v) for v in chosen]})
        return vals["uppraknat_arsbelopp"], steps, warnings
    prev = Fraction(base)
    for v in chosen:
        vals, _ = evaluate(clause, enums, {"foregaende_arsbelopp": prev, "uppraekning": v.change},
                           ["uppraknat_exakt", "uppraknat_arsbelopp"])
        steps.append({"year": v.year, "from": str(prev), "change": format_fraction(v.change),
                      "exact": str(vals["uppraknat_exakt"]), "rounded": vals["uppraknat_arsbelopp"],
                      "publications": [_pub(v)]})
        prev = Fraction(vals["uppraknat_arsbelopp"]) if rounding == "yearly" else vals["uppraknat_exakt"]
    return steps[-1]["rounded"], steps, warnings


def _pub(v) -> dict:
    return {"year": v.year, "change": format_fraction(v.change), "title": v.title,
            "date": v.published.isoformat(), "reference": v.reference, "where": str(v.span)}


def compute(args) -> tuple[Result, Any, Any]:
    project = load_project(args.root)
    clause = project.clauses.get(CLAUSE)
    if clause is None:
        raise DataError("there is no rule file for §7", None, "add rules/s07_ersattning.yaml")
    enums = project.enums
    kommun = enums["kommun"]
    root = Path(args.root)
    if not 1900 < args.year < 2200:
        raise DataError(f"--year {args.year} is not a plausible operating year", None, "e.g. --year 2022")
    pop = load_population(args.population or root / "data" / "population.csv", args.year,
                          kommun.values, kommun.labels)
    readings = ["R7-befolkningsdata", "R7-fordelning", "R7-lika-rester", "R7-kvartalsore", "R7-forfallodag"]
    warnings = list(pop.warnings)
    base = clause.parameters["grundbelopp"].value
    base_year = clause.parameters["prisniva_ar"].value
    if args.annual_amount is not None:
        annual, steps = parse_kronor(args.annual_amount), []
        source = f"--annual-amount {args.annual_amount}"
    else:
        annual, steps, w = annual_from_index(clause, enums, args.index or str(root / "data" / "lpik.yaml"),
                                             args.year, args.vintage, args.chain, args.rounding, base, base_year)
        warnings += w
        source = f"{format_kr(base)} ({base_year} års prisnivå) uppräknat med LPIK-prognoser"
        readings = ["R7-prognos", "R7-kedja", "R7-avrundning"] + readings
    values, trace = evaluate(clause, enums, {"arsbelopp": annual, "befolkning": pop.values},
                             ["total_befolkning", "befolkningsandel", "exakt_andel", "arsandel", "kvartalsfaktura"])
    res = Result(args.year, annual, pop, values, steps, source, readings, warnings)
    return res, project, clause


def run(args) -> int:
    res, project, clause = compute(args)
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps(as_json(res, project, args), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        out.write(as_csv(res, project))
    else:
        out.write(as_table(res, project))
    if args.explain and args.format != "json":
        out.write("\n" + explain(res, project, clause, args))
    if args.format != "json":
        for rid, msg in res.warnings:
            print(f"warning: {msg} (reading {rid})", file=sys.stderr)
    return 0


# -- output ------------------------------------------------------------------------------------

def _rows(res: Result, project):
    kommun = project.enums["kommun"]
    v = res.values
    for k in kommun.values:
        row = res.population.rows[k]
        yield k, row, v["befolkningsandel"][k], v["exakt_andel"][k], v["arsandel"][k], \
            [v["kvartalsfaktura"][k][q] for q in project.enums["kvartal"].values]


def due_dates(year: int) -> list[str]:
    return [datetime.date(year, m, d).isoformat() for m, d in QUARTER_START]


def _pct(x: Fraction) -> str:
    hundredths = (x * 10000 * 2 + 1) // 2     # percent with two decimals, half up, for display only
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def as_table(res: Result, project) -> str:
    head = ["Kommun", "Kod", "Befolkning", "Andel", "Årsbelopp", "Kvartal 1", "Kvartal 2", "Kvartal 3", "Kvartal 4"]
    lines = []
    total_q = [0, 0, 0, 0]
    for k, row, share, _exact, annual, qs in _rows(res, project):
        lines.append([row.name, row.code, group3(row.population), _pct(share), format_kr(annual)]
                     + [format_kr(q) for q in qs])
        total_q = [a + b for a, b in zip(total_q, qs)]
    total_share = sum(res.values["befolkningsandel"].values(), Fraction(0))
    lines.append(["Summa", "", group3(res.values["total_befolkning"]), _pct(total_share),
                  format_kr(sum(res.values["arsandel"].values()))] + [format_kr(q) for q in total_q])
    widths = [max(len(r[i]) for r in [head] + lines) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    title = (f"§7 Ersättning {res.year}: {format_kr(res.annual_ore)} fördelat efter befolkningen "
             f"{res.population.date.isoformat()}; förfallodagar {', '.join(due_dates(res.year))}")
    body = [title, "", fmt(head), "  ".join("-" * w for w in widths)]
    body += [fmt(r) for r in lines[:-1]] + ["  ".join("-" * w for w in widths), fmt(lines[-1])]
    return "\n".join(body) + "\n"


def as_csv(res: Result, project) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["municipality", "code", "population", "annual_ore", "q1_ore", "q2_ore", "q3_ore", "q4_ore"])
    for k, row, _s, _e, annual, qs in _rows(res, project):
        w.writerow([row.name, row.code, row.population, annual, *qs])
    return buf.getvalue()


def as_json(res: Result, project, args) -> dict:
    regs = project.readings
    return {
        "clause": CLAUSE,
        "year": res.year,
        "annual_ore": res.annual_ore,
        "annual": format_kr(res.annual_ore),
        "inputs": {
            "population_file": res.population.path,
            "population_date": res.population.date.isoformat(),
            "annual_amount": res.amount_source,
            "index_steps": res.amount_steps,
            "options": {"vintage": args.vintage, "chain": args.chain, "rounding": args.rounding}
            if not args.annual_amount else {},
        },
        "readings": [{"id": r, "words": regs[r].words, "chosen": " ".join(regs[r].chosen.split()),
                      "status": regs[r].status} for r in res.readings if r in regs],
        "warnings": [{"reading": r, "message": m} for r, m in res.warnings],
        "due_dates": due_dates(res.year),
        "municipalities": [{
            "municipality": row.name, "id": k, "code": row.code, "population": row.population,
            "population_source": row.source, "population_share": str(share), "exact_share_ore": str(exact),
            "annual_ore": annual, "quarters_ore": qs,
        } for k, row, share, exact, annual, qs in _rows(res, project)],
        "totals": {"population": res.values["total_befolkning"],
                   "annual_ore": sum(res.values["arsandel"].values()),
                   "quarters_ore": [sum(res.values["kvartalsfaktura"][k][q] for k in res.values["arsandel"])
                                    for q in project.enums["kvartal"].values]},
    }


def explain(res: Result, project, clause, args) -> str:
    regs = project.readings
    s = {x.id: " ".join(x.text.split()) for x in clause.sentences}
    out = ["Härledning", "=========="]
    out.append(f"Årsbelopp {res.year}: {format_kr(res.annual_ore)}")
    out.append(f"  mening s7.1: \"{s['s7.1']}\"")
    if not res.amount_steps:
        out.append(f"  indata: {res.amount_source} (givet belopp; ingen uppräkning)")
    else:
        out.append(f"  utgångspunkt: {res.amount_source}")
        for st in res.amount_steps:
            pubs = "; ".join(f"{p['title']} ({p['date']}, {p['reference']}) {p['year']}: {p['change']}"
                             for p in st["publications"])
            out.append(f"  {st['year']}: {st['from']} öre × (1 + {st['change']}) = {st['exact']} öre"
                       f" → {format_kr(st['rounded'])}  [källa: {pubs}]")
        out.append(f"  läsningar: R7-prognos (--vintage {args.vintage}), R7-kedja (--chain {args.chain}), "
                   f"R7-avrundning (--rounding {args.rounding})")
    total = res.values["total_befolkning"]
    out.append("")
    out.append(f"Befolkning {res.population.date.isoformat()} (fil {res.population.path}): länet {group3(total)}")
    out.append(f"  mening s7.2: \"{s['s7.2']}\"")
    for k, row, *_ in _rows(res, project):
        out.append(f"  {row.name}: {group3(row.population)}  [{row.span}; källa: {row.source}]")
    out.append("  läsning: R7-befolkningsdata")
    out.append("")
    T = res.annual_ore
    out.append(f"Fördelning: exakt andel = {group3(T)} öre × befolkning / {group3(total)}; heltal nedåt, "
               "överblivna öre till största rest")
    floors, rests = {}, {}
    for k, row, _sh, exact, annual, _qs in _rows(res, project):
        num = T * row.population
        floors[k], rests[k] = divmod(num, total)
        out.append(f"  {row.name}: {group3(num)} / {group3(total)} = {group3(floors[k])} öre + {rests[k]}/{total}"
                   f" → {format_kr(annual)}" + ("  (+1 öre: stor rest)" if annual > floors[k] else ""))
    left = T - sum(floors.values())
    out.append(f"  överblivna öre: {group3(T)} − {group3(sum(floors.values()))} = {left}")
    out.append("  läsningar: R7-fordelning (största rest), R7-lika-rester (lika rest: först uppräknad kommun först)")
    out.append("")
    out.append("Kvartalsfakturor: årsandel / 4 nedåt, överblivna öre i de första kvartalen; "
               f"förfaller {', '.join(due_dates(res.year))}")
    out.append(f"  mening s7.3: \"{s['s7.3']}\"")
    out.append(f"  mening s7.4: \"{s['s7.4']}\"")
    for k, row, _sh, _ex, annual, qs in _rows(res, project):
        q, r = divmod(annual, 4)
        out.append(f"  {row.name}: {group3(annual)} = 4 × {group3(q)} + {r} → "
                   + ", ".join(format_kr(x) for x in qs))
    out.append("  läsningar: R7-kvartalsore, R7-forfallodag")
    out.append("")
    out.append("Läsningar som använts")
    for rid in res.readings:
        r = regs[rid]
        out.append(f"  {rid} ({r.status}): \"{r.words}\" — {' '.join(r.chosen.split())}")
    for rid, msg in res.warnings:
        out.append(f"  VARNING ({rid}): {msg}")
    return "\n".join(out) + "\n"


def amendment_effect(before, after) -> dict:
    """For ``amend check``: the split of the base amount (§7's money parameter, 2018 price level)
    per municipality, before and after an amendment, for every operating year whose population on
    1 November of the year before is complete and sourced in ``data/population.csv``. No LPIK
    value with a publication is shipped, so the amounts are not indexed; the note says so."""
    c0, c1 = before.clauses.get(CLAUSE), after.clauses.get(CLAUSE)
    if c0 is None or c1 is None:
        raise DataError("§7 has no rule file before or after the amendment")
    base0 = next((p for p in c0.parameters.values() if p.type.is_money), None)
    base1 = next((p for p in c1.parameters.values() if p.type.is_money), None)
    if base0 is None or base1 is None:
        raise DataError("§7 has no money parameter (the base amount)")
    if not all("arsandel" in c.definitions and "befolkning" in c.inputs for c in (c0, c1)):
        raise DataError("§7 has no definition 'arsandel' over an input 'befolkning' to split the amount with")
    enum = after.enums["kommun"]
    labels = {k: enum.label(k) for k in enum.values}
    source = Path(after.root) / "data" / "population.csv"
    rows, years = [], []
    for year in range(2019, datetime.date.today().year + 2):
        try:
            pop = load_population(source, year, enum.values, labels)
        except DataError:
            continue
        years.append(year)
        given = {"befolkning": pop.values}
        v0, _ = evaluate(c0, before.enums, {**given, "arsbelopp": base0.value}, ["arsandel"])
        v1, _ = evaluate(c1, after.enums, {**given, "arsbelopp": base1.value}, ["arsandel"])
        for k in enum.values:
            a, b = v0["arsandel"][k], v1["arsandel"][k]
            rows.append({"year": year, "municipality": labels[k], "population": pop.values[k],
                         "before_ore": a, "after_ore": b, "difference_ore": b - a,
                         "before": format_kr(a), "after": format_kr(b), "difference": format_kr(b - a)})
    return {"clause": CLAUSE, "years": years, "rows": rows,
            "base_before": format_kr(base0.value), "base_after": format_kr(base1.value),
            "note": "the base amount split by population on 1 November of the year before, in 2018 price "
                    "level: no LPIK value with a publication is shipped, so the amounts are not indexed"}
