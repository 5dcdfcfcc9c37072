"""Start page: the §7 split for every operating year whose population on 1 November of the year
before is complete and sourced in ``data/population.csv``. No LPIK forecast with a publication
is shipped, so the amount split is the base amount in 2018 price level, and the page says so."""

from __future__ import annotations

from pathlib import Path

from avtalsregler.project.evaluate import evaluate
from avtalsregler.apps.data import load_population
from avtalsregler.errors import DataError
from avtalsregler.language.types import format_kr, group3

SLOT = "fordelning"
CLAUSES = ("§7",)


def render(project, results, today) -> str:
    c = project.clauses["§7"]
    base = next(p for p in c.parameters.values() if p.type.is_money)
    kommun = project.enums["kommun"]
    labels = {k: kommun.label(k) for k in kommun.values}
    source = Path(project.root) / "data" / "population.csv"
    out = []
    for year in range(2019, today.year + 2):
        try:
            pop = load_population(source, year, kommun.values, labels)
        except DataError:
            continue
        v, _ = evaluate(c, project.enums, {"arsbelopp": base.value, "befolkning": pop.values},
                        ["arsandel", "kvartalsfaktura"])
        out += [f"**Verksamhetsåret {year}**, befolkningen {pop.date.isoformat()} "
                "(varje siffra med sin källa i `data/population.csv`):", "",
                "| Kommun | Befolkning | Årsbelopp | Per kvartal |", "|---|---:|---:|---:|"]
        for k in kommun.values:
            qs = sorted(set(v["kvartalsfaktura"][k].values()))
            per_q = " / ".join(format_kr(q) for q in qs)
            out.append(f"| {labels[k]} | {group3(pop.values[k])} | {format_kr(v['arsandel'][k])} | {per_q} |")
        total = sum(v["arsandel"].values())
        out += [f"| **Summa** | {group3(sum(pop.values.values()))} | **{format_kr(total)}** | |", ""]
        out += [f"_Obs! Befolkningssiffrorna för {pop.date.isoformat()} är osäkra; de används som källan anger dem. "
                f"Se läsningen [{rid}](lasningar.md#{rid.lower()})._" for rid, _ in pop.warnings]
        out += [""] if pop.warnings else []
    if not out:
        raise DataError("data/population.csv has no complete set of populations on 1 November for any year")
    out += [f"Beloppet som fördelas är grundbeloppet {format_kr(base.value)} i 2018 års prisnivå: projektet har "
            "inget värde för SKR:s LPIK-prognos med angiven publikation, så uppräkningen kan inte göras här "
            "(se [§7](paragrafer/s07.md) och `data/lpik.yaml`). Fördelningen följer största-rest-metoden; "
            "andelarna summerar exakt till beloppet."]
    return "\n".join(out)
