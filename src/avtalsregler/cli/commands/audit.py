"""``avtalsregler audit FILE``: check invoices (CSV or XLSX) against the invoices the rules give.

Exit 0 when every invoice is right, 1 on any difference, 2 for a malformed file or option. The
computation's own options (e.g. ``--annual-amount``) and data files (``--population``,
``--index``, the alternatives) are taken as ``compute`` takes them."""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import sys

from avtalsregler.apps.audit import AuditResult, Finding, audit, find_schedule
from avtalsregler.apps.audit.derive import lines
from avtalsregler.apps.audit.verdicts import DATE_RULES
from avtalsregler.errors import DataError
from avtalsregler.language.types import format_kr
from avtalsregler.project.load import load_project

CSV_FIELDS = ("verdict", "year", "period", "member", "code", "expected_ore", "invoiced_ore", "difference_ore",
              "due_date", "invoice_date", "invoice_number", "place", "reason")


def register(sub) -> None:
    p = sub.add_parser("audit", help="check invoices (CSV or XLSX) against the invoices the rules give",
                       description="Check each invoice of FILE (one row per invoice: member, invoice date, period, "
                                   "amount in kronor, optional number; see schemas/invoices.md) against the amount "
                                   "and the day the rules give. Verdicts: rätt, fel belopp, fel datum, saknas, "
                                   "okänd faktura. Exit 0 if all are right, 1 on any difference, 2 for a bad file. "
                                   "Options of the computation (e.g. --annual-amount, --population, --index) are "
                                   "those of 'avtalsregler compute NAME'.")
    p.add_argument("file", metavar="FILE", help="the invoices, .csv (',' or ';', UTF-8) or .xlsx")
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(run=run)


def _date(text: str | None, flag: str) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise DataError(f"--{flag} {text!r} is not a date", None, "write YYYY-MM-DD") from None


def _parser(schedule) -> argparse.ArgumentParser:
    """The computation's options as ``compute`` has them, but the year: the file gives it."""
    comp = schedule.computation
    q = _Parser(prog="avtalsregler audit FILE", description=f"{comp.clause}: {comp.help}")
    for spec in comp.options():
        o = spec.option
        if o.flag == schedule.year_flag:
            q.add_argument(f"--{o.flag}", action="append", type=int, default=[], metavar=spec.name.upper(),
                           help="a year to audit even if the file has no invoice for it (repeat for more)")
        else:
            q.add_argument(f"--{o.flag}", metavar=spec.name.upper(), help=o.help or spec.name)
    if any(i.data for i in comp.inputs.values()):
        q.add_argument("--population", metavar="FILE", help="per-member data file (default: " + ", ".join(
            i.data.file for i in comp.inputs.values() if i.data) + ")")
    for r in (i.recurrence for i in comp.inputs.values() if i.recurrence):
        q.add_argument("--index", metavar="FILE", help=f"{r.index_name} forecasts with publications (default {r.index_file})")
        for a in r.alternatives:
            q.add_argument(f"--{a.kind}", choices=a.choices, default=a.choices[0],
                           help=f"{a.help} (reading {a.reading})" if a.reading else a.help)
    q.add_argument("--computation", help="the computation that gives the invoices, if several do")
    q.add_argument("--notice", metavar="DATE", help="the day a notice was received: the agreement ends at the end "
                                                    "of the period it gives, later invoices are unknown")
    q.add_argument("--ends", metavar="DATE", help="the agreement's last day, if known otherwise")
    q.add_argument("--dates", choices=DATE_RULES, default=DATE_RULES[0],
                   help="in-advance (default): a date on or before the declared invoice day and after the previous "
                        "one is right; exact: only the declared day")
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q.add_argument("--explain", action="store_true", help="add the full derivation of every year")
    return q


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        raise DataError(message, None, f"see '{self.prog} --help'")


def run(args) -> int:
    project = load_project(args.root)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--computation")
    known, _ = pre.parse_known_args(args.rest)
    schedule = find_schedule(project, known.computation)
    opts = vars(_parser(schedule).parse_args(args.rest))
    fmt, want_explain = opts.pop("format"), opts.pop("explain")
    years = opts.pop(schedule.year_flag.replace("-", "_")) or []
    extra = {k: opts.pop(k) for k in ("computation", "notice", "ends", "dates")}
    options = {k.replace("_", "-"): v for k, v in opts.items()}
    res = audit(project, args.file, options, computation=extra["computation"], years=years,
                notice=_date(extra["notice"], "notice"), ends=_date(extra["ends"], "ends"), date_rule=extra["dates"])
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps(as_json(res, project, want_explain), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        out.write(as_csv(res))
    else:
        out.write(as_table(res, project, want_explain))
    for rid, msg in res.warnings:
        print(f"warning: {msg}" + (f" (reading {rid})" if rid else ""), file=sys.stderr)
    return 0 if res.ok else 1


def _kr(ore: int | None, sign: bool = False) -> str:
    if ore is None:
        return "–"
    return ("+" if sign and ore > 0 else "−" if ore < 0 else "") + format_kr(abs(ore))


def as_table(res: AuditResult, project, explain: bool = False) -> str:
    sch = res.schedule
    out = [*res.fictitious]
    out.append(f"Granskning av {res.invoices.path} mot {sch.clause.id} {sch.clause.title} "
               f"(beräkningen {sch.computation.name}), år {', '.join(map(str, sorted(res.plans))) or '–'}")
    out.append(f"Avtalets räckvidd: {res.reach.why}; datumregel: {res.date_rule}")
    head = ["Utslag", "År", "Period", sch.computation.members.label, "Regeln", "Fakturerat", "Skillnad",
            "Fakturadag", "Daterad", "Rad"]
    rows = [[f.verdict, str(f.year or ""), f.period_label, f.member_label, _kr(f.expected_ore), _kr(f.invoiced_ore),
             _kr(f.difference_ore, True) if f.difference_ore else "", f.due_date.isoformat() if f.due_date else "",
             f.invoice_date.isoformat() if f.invoice_date else "", f.place or ""] for f in res.findings]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = {4, 5, 6}

    def fmt(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()

    out += ["", fmt(head), "  ".join("-" * w for w in widths), *map(fmt, rows), ""]
    counts = ", ".join(f"{n} {v}" for v, n in res.counts().items() if n)
    out.append(f"Summa: {counts}. " + ("Allt stämmer." if res.ok else f"{len(res.differences())} avvikelser."))
    for f in res.differences():
        out += ["", f"{f.verdict.upper()}: {f.member_label}, {f.period_label} {f.year or ''} ({f.place or 'ingen rad'})",
                f"  {f.reason}", *[f"  not: {n}" for n in f.notes]]
        out += _finding_detail(f)
    open_ids = sorted({r["id"] for f in res.findings for r in f.readings if r["status"] == "open"})
    if open_ids:
        out += ["", "Öppna läsningar som beloppen eller dagarna följer: " + ", ".join(open_ids)]
    if explain:
        for year, plan in sorted(res.plans.items()):
            out += ["", f"Härledning {year}", *plan.explanation]
    out += ["", *res.fictitious] if res.fictitious else []
    return "\n".join(out) + "\n"


def _finding_detail(f: Finding) -> list[str]:
    out = []
    if f.derivation:
        out.append("  härledning av beloppet:")
        out += [f"    {x}" for x in lines(f.derivation)]
    if f.date_derivation:
        out.append("  härledning av fakturadagen:")
        out += [f"    {x}" for x in lines(f.date_derivation)]
    for a in f.alternatives:
        what = a["error"] or f"{_kr(a['expected_ore'])}: {a['verdict'] or ''}"
        out.append(f"  alternativ --{a['kind']} {a['choice']}" + (f" ({a['reading']})" if a["reading"] else "") + f": {what}")
    for r in f.readings:
        if r["status"] == "open":
            out.append(f"  öppen läsning {r['id']}: {r['chosen']}")
            out += [f"    alternativ: {a['reading']} ({a['effect']})" for a in r["alternatives"]]
    return out


def _finding_json(f: Finding) -> dict:
    d = {k: getattr(f, k) for k in ("verdict", "member", "member_label", "code", "year", "period", "period_label",
                                    "expected_ore", "invoiced_ore", "difference_ore", "invoice_number", "place",
                                    "reason", "notes", "derivation", "date_derivation", "readings", "alternatives")}
    d["due_date"] = f.due_date.isoformat() if f.due_date else None
    d["invoice_date"] = f.invoice_date.isoformat() if f.invoice_date else None
    return d


def as_json(res: AuditResult, project, explain: bool = False) -> dict:
    sch = res.schedule
    out = {"ok": res.ok, "fictitious": bool(res.fictitious), "fictitious_notes": res.fictitious,
           "file": res.invoices.path, "clause": sch.clause.id, "computation": sch.computation.name,
           "years": sorted(res.plans), "date_rule": res.date_rule,
           "reach": {"first_day": res.reach.first_day.isoformat() if res.reach.first_day else None,
                     "last_day": res.reach.last_day.isoformat() if res.reach.last_day else None, "why": res.reach.why},
           "counts": res.counts(), "findings": [_finding_json(f) for f in res.findings],
           "sources": res.sources(), "warnings": [{"reading": r, "message": m} for r, m in res.warnings]}
    if explain:
        out["explain"] = {str(y): p.explanation for y, p in sorted(res.plans.items())}
    return out


def as_csv(res: AuditResult) -> str:
    buf = io.StringIO()
    for note in res.fictitious:
        buf.write(f"# {note}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for f in res.findings:
        d = _finding_json(f)
        d["member"] = f.member_label
        d["period"] = f.period_label
        w.writerow(["" if d[k] is None else d[k] for k in CSV_FIELDS])
    return buf.getvalue()
