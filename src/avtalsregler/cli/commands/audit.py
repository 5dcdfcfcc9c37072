"""``avtalsregler audit FILE``: check invoices (CSV or XLSX) against the invoices the rules give.

Exit 0 when every invoice is right, 1 on any difference, 2 for a malformed file or option. The
computation's own options (e.g. ``--annual-amount``) and data files (``--population``,
``--index``, the alternatives) are taken as ``compute`` takes them. Formats and ``--output`` as
for ``compute``: table, json, csv (``# …`` marker lines, then a header), csv-excel, xlsx."""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import sys
from dataclasses import replace

from avtalsregler.apps.amend.versions import versions
from avtalsregler.apps.audit import AuditResult, Finding, find_schedule
from avtalsregler.apps.audit import report
from avtalsregler.apps.audit.derive import lines
from avtalsregler.apps.audit.in_force import INVOICE_DAY, audit_in_force
from avtalsregler.apps.audit.verdicts import DATE_RULES, DATE_RULES_SV
from avtalsregler.apps.compute.in_force import TRANSITIONS
from avtalsregler.apps.export.csv_excel import write_csv_excel
from avtalsregler.apps.export.xlsx import write_xlsx
from avtalsregler.cli.commands.compute import add_output_options
from avtalsregler.cli.output import EXPLAIN_TO_STDERR, emit, now, prepare
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project


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
    q.add_argument("--as-of", metavar="DATE", help="judge by the version of the agreement in force on this day "
                   "(default: the version in force on the first day of the years the file invoices)")
    about = comp.about
    if about is not None and about.transition:
        q.add_argument("--transition", choices=(*TRANSITIONS, "pro-rata", INVOICE_DAY), default=None,
                       help=f"which version judges a year in which one takes effect (reading {about.transition}); "
                            "where the invoice event declares the period it covers, the alternative of its "
                            "transition reading, as for the calendar (default: the declared choice); "
                            f"{INVOICE_DAY}: each invoice by the version in force on its invoice day")
    q.add_argument("--dates", choices=DATE_RULES, default=DATE_RULES[0],
                   help="in-advance (default): a date on or before the declared invoice day and after the previous "
                        "one is right; exact: only the declared day")
    add_output_options(q)
    q.add_argument("--explain", action="store_true", help="add the full derivation of every year (JSON: an "
                   "'explain' field; XLSX: a sheet; CSV: on standard error, never in the rows)")
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
    path = prepare(fmt, opts.pop("output"), opts.pop("force"))
    years = opts.pop(schedule.year_flag.replace("-", "_")) or []
    extra = {k: opts.pop(k) for k in ("computation", "notice", "ends", "dates", "as_of")}
    transition = opts.pop("transition", None)
    options = {k.replace("_", "-"): v for k, v in opts.items()}
    parts = audit_in_force(
        args.root, args.file, options, as_of=_date(extra["as_of"], "as-of"), transition=transition,
        computation=extra["computation"],
        years=years, notice=_date(extra["notice"], "notice"), ends=_date(extra["ends"], "ends"),
        date_rule=extra["dates"])
    named = len(versions(args.root)) > 1
    if len(parts) == 1:
        out = render(parts[0].result, parts[0].project, fmt, want_explain)
        out = _named(out, fmt, parts[0].version) if named else out
    else:
        out = render_parts(parts, fmt, want_explain)
    emit(out, path, f"the audit ({fmt})")
    for part in parts:
        res = part.result
        if want_explain and fmt in EXPLAIN_TO_STDERR:
            print(f"Härledning (på standardfel: {fmt} har bara raderna)", file=sys.stderr)
            for year, plan in sorted(res.plans.items()):
                print("\n".join([f"Härledning {year}", *plan.explanation, ""]), file=sys.stderr)
        for rid, msg in res.warnings:
            print(f"varning: {msg}" + (f" (tolkning {rid})" if rid else ""), file=sys.stderr)
    return 0 if all(p.ok for p in parts) else 1       # the worst of the parts


def _named(out: bytes | str, fmt: str, version) -> bytes | str:
    """The output naming the version of the agreement it was judged by (text formats)."""
    line = f"Granskat mot avtalets {version.label}"
    if fmt == "table":
        return f"{line}\n{out}"
    if fmt == "csv":
        return f"# {line}\n{out}"
    if fmt == "json":
        doc = json.loads(out)
        doc["in_force"] = version.as_json()
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return out


def _years(part) -> str:
    days = f" ({part.window[0].isoformat()}–{part.window[1].isoformat()})" if part.window else ""
    return (", ".join(map(str, part.years)) or "–") + days


def render_parts(parts, fmt: str, explain: bool = False) -> bytes | str:
    """A file split by the versions that judge its years: each part under its version, named
    per year (table, sheets) or per invoice (the CSV's column ``version``), and a summary."""
    summary = [f"år {_years(p)}: {p.version.label}: " + ("allt stämmer" if p.ok else
                                                          f"{len(p.result.differences())} avvikelser") for p in parts]
    ok = all(p.ok for p in parts)
    head = (f"Filen granskas i {len(parts)} delar, varje år mot den lydelse som gäller för det: "
            + "; ".join(summary) + ". " + ("Allt stämmer." if ok else "Avvikelser finns."))
    if fmt == "json":
        docs = []
        for p in parts:
            doc = report.document(p.result, p.project, explain)
            doc["in_force"] = p.version.as_json()
            if p.window:
                doc["days"] = [d.isoformat() for d in p.window]
            docs.append(doc)
        return json.dumps({"ok": ok, "summary": head, "file": parts[0].result.invoices.path,
                           "years": sorted(y for p in parts for y in p.years), "parts": docs},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        marks = list(dict.fromkeys(m for p in parts for m in report.marks(p.result, p.project)))
        rows = []
        for i, p in enumerate(parts):
            body = report.csv_rows(p.result)
            rows += ([["version", *body[0]]] if i == 0 else []) + [[p.version.label, *r] for r in body[1:]]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return "".join(f"# {m}\n" for m in marks) + f"# {head}\n" + buf.getvalue()
    if fmt in ("xlsx", "csv-excel"):
        sheets = []
        for i, p in enumerate(parts, start=1):
            for s in report.sheets(p.result, p.project, explain)[:1 if fmt == "csv-excel" else None]:
                sheets.append(replace(s, name=f"{s.name} {i}"[:31],
                                      title=(f"Granskat mot avtalets {p.version.label}: år {_years(p)}", *s.title)))
        marks = [head, *dict.fromkeys(m for p in parts for m in report.marks(p.result, p.project))]
        return write_csv_excel(sheets, marks) if fmt == "csv-excel" else write_xlsx(sheets, marks, now())
    blocks = [head]
    for p in parts:
        blocks += ["", f"Granskat mot avtalets {p.version.label}: år {_years(p)}",
                   as_table(p.result, p.project, explain).rstrip("\n")]
    blocks += ["", head]
    return "\n".join(blocks) + "\n"


def render(res: AuditResult, project, fmt: str, explain: bool = False) -> bytes | str:
    marks = report.marks(res, project)
    if fmt == "json":
        return json.dumps(report.document(res, project, explain), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return "".join(f"# {m}\n" for m in marks) + as_csv(res)
    if fmt == "csv-excel":
        return write_csv_excel(report.sheets(res, project)[:1], marks)
    if fmt == "xlsx":
        return write_xlsx(report.sheets(res, project, explain), marks, now())
    return as_table(res, project, explain, marks)


def as_table(res: AuditResult, project, explain: bool = False, marks: list[str] | None = None) -> str:
    sch = res.schedule
    marks = report.marks(res, project) if marks is None else marks
    out = [*marks]
    out.append(f"Granskning av {res.invoices.path} mot {sch.clause.id} {sch.clause.title} "
               f"(beräkningen {sch.computation.name}), år {', '.join(map(str, sorted(res.plans))) or '–'}")
    out.append(f"Avtalets räckvidd: {res.reach.why}; datumregel: {DATE_RULES_SV.get(res.date_rule, res.date_rule)}")
    head, rows = report.table_head(res), report.table_rows(res)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = set(report.TABLE_NUMBERS)

    def fmt(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()

    out += ["", fmt(head), "  ".join("-" * w for w in widths), *map(fmt, rows), ""]
    counts = ", ".join(f"{n} {v}" for v, n in res.counts().items() if n)
    out.append(f"Summa: {counts}. " + ("Allt stämmer." if res.ok else f"{len(res.differences())} avvikelser."))
    out += [f"Del av perioden ({f.member_label}, {f.period_label} {f.year}): {f.share}"
            for f in res.findings if f.share and f.ok]
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
    out += ["", *marks] if marks else []
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
        what = a["error"] or f"{report.kr(a['expected_ore'])}: {a['verdict'] or ''}"
        out.append(f"  alternativ --{a['kind']} {a['choice']}" + (f" ({a['reading']})" if a["reading"] else "") + f": {what}")
    for r in f.readings:
        if r["status"] == "open":
            out.append(f"  öppen läsning {r['id']}: {r['chosen']}")
            out += [f"    alternativ: {a['reading']} ({a['effect']})" for a in r["alternatives"]]
    return out


def as_csv(res: AuditResult) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(report.csv_rows(res))
    return buf.getvalue()
