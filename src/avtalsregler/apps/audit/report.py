"""An :class:`~avtalsregler.apps.audit.AuditResult` as plain data for the outputs: the JSON
document (:func:`document`), the machine CSV's rows (:func:`csv_rows`), the text table's cells
(:func:`table_rows`), the sheets of a workbook or a Swedish Excel CSV (:func:`sheets`), and the
marker lines when made-up values were used (:func:`marks`). Nothing here prints."""

from __future__ import annotations

from typing import Any

from avtalsregler.apps.audit import AuditResult, Finding
from avtalsregler.apps.audit.verdicts import DATE_RULES_SV
from avtalsregler.apps.compute import report as compute_report
from avtalsregler.apps.export import Column, Sheet
from avtalsregler.apps.fictitious import agreement_marks, merged
from avtalsregler.language.types import format_kr

CSV_FIELDS = ("verdict", "year", "period", "member", "code", "expected_ore", "invoiced_ore", "difference_ore",
              "due_date", "invoice_date", "invoice_number", "place", "reason", "share")


def marks(res: AuditResult, project) -> list[str]:
    """Why the result is not real, if it is not: the invoices, the data or the agreement."""
    return merged(agreement_marks(project), res.fictitious,
                  *(compute_report.marks(p.result, project) for _, p in sorted(res.plans.items())))


def finding_data(f: Finding) -> dict:
    d = {k: getattr(f, k) for k in ("verdict", "member", "member_label", "code", "year", "period", "period_label",
                                    "expected_ore", "invoiced_ore", "difference_ore", "invoice_number", "place",
                                    "reason", "notes", "derivation", "date_derivation", "readings", "alternatives", "share")}
    d["due_date"] = f.due_date.isoformat() if f.due_date else None
    d["invoice_date"] = f.invoice_date.isoformat() if f.invoice_date else None
    return d


def document(res: AuditResult, project, explain: bool = False) -> dict:
    """The JSON document (``audit FILE --format json``)."""
    sch = res.schedule
    notes = marks(res, project)
    out = {"ok": res.ok, "fictitious": bool(notes), "fictitious_notes": notes,
           "file": res.invoices.path, "clause": sch.clause.id, "computation": sch.computation.name,
           "years": sorted(res.plans), "date_rule": res.date_rule,
           "reach": {"first_day": res.reach.first_day.isoformat() if res.reach.first_day else None,
                     "last_day": res.reach.last_day.isoformat() if res.reach.last_day else None, "why": res.reach.why},
           "counts": res.counts(), "findings": [finding_data(f) for f in res.findings],
           "sources": res.sources(), "warnings": [{"reading": r, "message": m} for r, m in res.warnings]}
    if explain:
        out["explain"] = {str(y): p.explanation for y, p in sorted(res.plans.items())}
    return out


def csv_rows(res: AuditResult) -> list[list[Any]]:
    """The machine CSV: a header and one row per finding (amounts in öre, dates ISO)."""
    rows: list[list[Any]] = [list(CSV_FIELDS)]
    for f in res.findings:
        d = finding_data(f)
        d["member"] = f.member_label
        d["period"] = f.period_label
        rows.append(["" if d[k] is None else d[k] for k in CSV_FIELDS])
    return rows


def kr(ore: int | None, sign: bool = False) -> str:
    if ore is None:
        return "–"
    return ("+" if sign and ore > 0 else "−" if ore < 0 else "") + format_kr(abs(ore))


def table_head(res: AuditResult) -> list[str]:
    return ["Utslag", "År", "Period", res.schedule.computation.members.label, "Regeln", "Fakturerat", "Skillnad",
            "Fakturadag", "Daterad", "Rad"]


TABLE_NUMBERS = (4, 5, 6)          # the columns of amounts, right-aligned


def table_rows(res: AuditResult) -> list[list[str]]:
    return [[f.verdict, str(f.year or ""), f.period_label, f.member_label, kr(f.expected_ore), kr(f.invoiced_ore),
             kr(f.difference_ore, True) if f.difference_ore else "", f.due_date.isoformat() if f.due_date else "",
             f.invoice_date.isoformat() if f.invoice_date else "", f.place or ""] for f in res.findings]


# -- sheets ----------------------------------------------------------------------------------------

def results_sheet(res: AuditResult) -> Sheet:
    sch = res.schedule
    columns = (Column("Utslag"), Column("År", "int"), Column("Period"), Column(sch.computation.members.label),
               Column("Kod"), Column("Regeln", "kr"), Column("Fakturerat", "kr"), Column("Skillnad", "kr"),
               Column("Fakturadag", "date"), Column("Daterad", "date"), Column("Fakturanummer"), Column("Rad"),
               Column("Skäl", wrap=True))
    rows = tuple((f.verdict, f.year, f.period_label, f.member_label, f.code or "", f.expected_ore, f.invoiced_ore,
                  f.difference_ore, f.due_date, f.invoice_date, f.invoice_number or "", f.place or "",
                  " ".join([f.reason, *f.notes]).strip()) for f in res.findings)
    counts = ", ".join(f"{n} {v}" for v, n in res.counts().items() if n)
    title = (f"Granskning av {res.invoices.path} mot {sch.clause.id} {sch.clause.title} "
             f"(beräkningen {sch.computation.name}), år {', '.join(map(str, sorted(res.plans))) or '–'}",
             f"Avtalets räckvidd: {res.reach.why}; datumregel: {DATE_RULES_SV.get(res.date_rule, res.date_rule)}",
             f"Summa: {counts}. " + ("Allt stämmer." if res.ok else f"{len(res.differences())} avvikelser."))
    return Sheet("Granskning", columns, rows, title)


DERIVATION_COLUMNS = (Column("Utslag"), Column("År", "int"), Column("Period"), Column("Part"), Column("Avser"),
                      Column("Element"), Column("Namn"), Column("Värde"), Column("Formel", wrap=True),
                      Column("Mening"), Column("Meningens text", wrap=True), Column("Indata och källa", wrap=True),
                      Column("Läsning"))


def derivation_rows(res: AuditResult) -> list[tuple]:
    """One row per element of every finding's derivation (the amount's and the invoice day's)."""
    kinds = {"input": "indata", "parameter": "parameter", "definition": "definition"}
    rows = []
    for f in res.findings:
        for what, chain in (("belopp", f.derivation), ("datum", f.date_derivation)):
            for d in chain:
                formula = d.get("formula") or ""
                if d.get("worked"):
                    formula += "; " + "; ".join(d["worked"])
                source = d.get("source") or (f"texten: \"{d['words']}\"" if d.get("words") else "")
                rows.append((f.verdict, f.year, f.period_label, f.member_label, what, kinds.get(d["kind"], d["kind"]),
                             d["name"], d["value"], formula, d.get("sentence") or "", d.get("quote") or "", source,
                             d.get("reading") or ""))
        for a in f.alternatives:
            rows.append((f.verdict, f.year, f.period_label, f.member_label, "alternativ", "läsning",
                         f"--{a['kind']} {a['choice']}", a["error"] or kr(a["expected_ore"]), a.get("verdict") or "",
                         "", "", "", a.get("reading") or ""))
    return rows


SOURCE_COLUMNS = (Column("Vad"), Column("Var"), Column("Uppgift"), Column("Källa", wrap=True))


def source_rows(res: AuditResult, project) -> list[tuple]:
    rows = [(s["what"], s["where"], "", s["note"]) for s in res.sources()]
    seen = set(rows)
    for _, plan in sorted(res.plans.items()):
        for row in compute_report.source_rows(plan.result, project):
            if row not in seen and not row[0].startswith("indata "):
                seen.add(row)
                rows.append(row)
    return rows


def sheets(res: AuditResult, project, explain: bool = False) -> list[Sheet]:
    """Results, derivations and sources; ``explain`` adds each year's full derivation."""
    out = [results_sheet(res), Sheet("Härledning", DERIVATION_COLUMNS, tuple(derivation_rows(res))),
           Sheet("Källor", SOURCE_COLUMNS, tuple(source_rows(res, project)))]
    if explain:
        lines = [(f"{year}", line) for year, plan in sorted(res.plans.items()) for line in plan.explanation]
        out.append(Sheet("Förklaring", (Column("År"), Column("Förklaring", wrap=True)), tuple(lines)))
    return out
