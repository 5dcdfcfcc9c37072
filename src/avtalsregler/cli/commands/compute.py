"""``avtalsregler compute NAME``: run a computation that a rule declares (``computations:``).

The options of ``NAME`` are built at run time from its declaration (``--year``, ``--date``, …),
plus ``--format table|json|csv|csv-excel|xlsx``, ``--output FILE`` (``--force``), ``--explain``
and one option per data file the computation reads (``--population FILE``, ``--index FILE``) and
per alternative reading it offers.

Formats: ``table`` (text, Swedish), ``json`` (with ``--explain``: an ``explain`` field), ``csv``
(machine-friendly: ``,``, öre as whole numbers, fractions as ``p/q``), ``csv-excel`` (Swedish
Excel: ``;``, kronor with decimal comma, UTF-8 with BOM, CRLF) and ``xlsx`` (results, derivations
and sources sheets; only with ``--output``). With a CSV, ``--explain`` goes to standard error,
never into the rows. When made-up values were used, every format says so on its first line(s):
the table, ``# …`` comment lines before a CSV's header, a first row of the Excel CSV and of every
sheet, ``fictitious``/``fictitious_notes`` in JSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

from avtalsregler.apps.compute import Result, computations, explanation, find_computation
from avtalsregler.apps.compute import report
from avtalsregler.apps.compute.in_force import LABELS, TRANSITIONS, run_in_force
from avtalsregler.cli.commands import date_option
from avtalsregler.apps.export.csv_excel import write_csv_excel
from avtalsregler.apps.export.xlsx import write_xlsx
from avtalsregler.cli.output import EXPLAIN_TO_STDERR, TABLE_FORMATS, emit, now, prepare
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        raise DataError(message, None, f"see '{self.prog} --help'")


def register(sub) -> None:
    p = sub.add_parser("compute", help="run a computation a rule declares (e.g. a split or a period) on given inputs",
                       description="Compute the values a rule's declared computation gives for real inputs, "
                                   "exactly, with an explanation of every number (--explain). "
                                   "'avtalsregler compute' lists the computations of the project.",
                       add_help=True)
    p.add_argument("computation", nargs="?", metavar="NAME", help="the computation (see the list without NAME)")
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(run=run)


def build_parser(comp) -> argparse.ArgumentParser:
    q = _Parser(prog=f"avtalsregler compute {comp.name}", description=f"{comp.clause}: {comp.help}")
    for spec in comp.options():
        o = spec.option
        extra = f" (default: as --{spec_flag(comp, o.default)})" if o.default else ""
        q.add_argument(f"--{o.flag}", required=o.required, metavar=spec.name.upper(), help=(o.help or spec.name) + extra)
    kinds = {i.data.kind for i in comp.inputs.values() if i.data}
    if "population" in kinds:
        q.add_argument("--population", metavar="FILE", help="CSV municipality,code,date,population,source "
                       "(default: " + ", ".join(i.data.file for i in comp.inputs.values() if i.data) + ")")
    recs = [i.recurrence for i in comp.inputs.values() if i.recurrence]
    for r in recs:
        q.add_argument("--index", metavar="FILE", help=f"{r.index_name} forecasts with publications (default {r.index_file})")
        for a in r.alternatives:
            q.add_argument(f"--{a.kind}", choices=a.choices, default=a.choices[0],
                           help=f"{a.help} (reading {a.reading})" if a.reading else a.help)
    q.add_argument("--as-of", metavar="YYYY-MM-DD", help="use the version of the agreement in force on this day "
                   "(default: the day or year the computation is about" + (f", --{spec_flag(comp, comp.about.input)}"
                                                                            if comp.about else "") + ")")
    if comp.about and comp.about.transition:
        q.add_argument("--transition", choices=TRANSITIONS, default=TRANSITIONS[0],
                       help="which version applies to a year in which one takes effect "
                            f"(reading {comp.about.transition})")
    elif comp.about and comp.about.period:
        q.add_argument("--transition", choices=TRANSITIONS, default=None,
                       help="which version applies to a period in which one takes effect (default: the "
                            f"alternative reading {comp.about.period.transition} chose, {comp.about.period.chosen})")
    add_output_options(q)
    q.add_argument("--explain", action="store_true", help="show how every value is derived (JSON: an 'explain' "
                   "field; XLSX: a sheet; CSV: on standard error, never in the rows)")
    return q


def add_output_options(q) -> None:
    q.add_argument("--format", choices=TABLE_FORMATS, default="table",
                   help="table (text), json, csv (machine: ',' and öre), csv-excel (Swedish Excel: ';', "
                        "kronor with decimal comma, BOM) or xlsx (needs --output)")
    q.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    q.add_argument("--force", action="store_true", help="replace an existing --output file (kept as FILE.bak)")


def spec_flag(comp, name: str) -> str:
    spec = comp.inputs[name]
    return spec.option.flag if spec.option else name


def run(args) -> int:
    project = load_project(args.root)
    if not args.computation:
        found = computations(project)
        if not found:
            print("the project declares no computation (a rule's 'computations:' section)", file=sys.stderr)
            return 2
        for c in found:
            print(f"{c.name:<16} {c.clause}: {c.label or c.help}")
        return 0
    comp = find_computation(project, args.computation)
    opts = vars(build_parser(comp).parse_args(args.rest))
    fmt, want_explain = opts.pop("format"), opts.pop("explain")
    as_of = date_option(opts.pop("as_of"), "--as-of") if opts.get("as_of") else opts.pop("as_of")
    transition = opts.pop("transition", None)
    path = prepare(fmt, opts.pop("output"), opts.pop("force"))
    options = {k.replace("_", "-"): v for k, v in opts.items()}
    res, project, info = run_in_force(args.root, comp.name, options, as_of, transition)
    lines = explanation(res, project) if want_explain else None
    emit(render_in_force(res, project, fmt, lines, info), path, f"{comp.name} ({fmt})")
    if lines is not None and fmt in EXPLAIN_TO_STDERR:
        print(f"Härledning (på standardfel: {fmt} har bara raderna)", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)
    for rid, msg in res.warnings:
        print(f"varning: {msg}" + (f" (tolkning {rid})" if rid else ""), file=sys.stderr)
    return 0


def render_in_force(res: Result, project, fmt: str, lines: list[str] | None, info) -> bytes | str:
    """``render`` naming the version of the agreement used: JSON always (``in_force``), table
    and CSV once the project has applied amendments (lines after the made-up marks)."""
    if fmt == "json":
        doc = report.document(res, project, lines is not None)
        doc["in_force"] = info.as_json()
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if len(info.parts) == 1 and info.version.latest and info.version.number == 0:
        return render(res, project, fmt, lines)           # no history: nothing to name
    out = render(res, project, fmt, lines)
    head = version_lines(info)
    n = len(report.marks(res, project))          # the made-up marks stay the first lines
    if fmt in ("table", "csv"):
        first = out.split("\n")
        lines = head if fmt == "table" else [f"# {x}" for x in head]
        return "\n".join(first[:n] + lines + first[n:])
    return out


def version_lines(info) -> list[str]:
    """The version used, in Swedish; for a year cut by a change, every alternative's effect."""
    lines = [f"Avtalets lydelse: {info.label}"]
    if info.period:
        p = info.period
        lines.append(f"Ändring under perioden ({', '.join(p['changes_inside'])}): övergång enligt läsningen "
                     f"{p['reading']}, {p['chosen']}: {p['version']['label']}")
        lines += [f"  {a['label']} (--transition {a['alternative']}): {a['from']}–{a['to']}, {a['version']}"
                  for a in p["alternatives"]]
    if len(info.parts) > 1:
        lines.append("Ändring under perioden: " + "; ".join(f"{a.isoformat()}–{b.isoformat()} {v.label}"
                                                            for a, b, v in info.parts))
        lines.append(f"Övergång enligt läsningen {info.reading or '(ingen deklarerad)'}: "
                     f"{LABELS[info.transition]} (--transition {info.transition})")
        lines.append("Varje alternativs effekt:")
        for e in info.effects:
            sums = {}
            for cols in e["members"].values():
                for k, v in cols.items():
                    sums[k] = sums.get(k, 0) + v
            how = f"--transition {e['alternative']}" if e["alternative"] in TRANSITIONS else "visas bara som effekt"
            lines.append(f"  {e['label']} ({how}): " + ", ".join(
                f"{e['columns'].get(k, k).lower()} sammanlagt {report_kr(v)}" for k, v in sums.items())
                + (f"; {e['note']}" if e["note"] else ""))
    for alt in getattr(info, "invoice_periods", []):
        if alt is info.invoice_periods[0]:
            lines.append(f"Fakturorna för perioderna enligt läsningen {alt['reading']} (varje alternativ, belopp "
                         "för alla parter):")
        lines.append(f"  {alt['label']} ({alt['alternative']}" + (", vald" if alt["chosen"] else "") + "): "
                     + "; ".join(f"{p['from']}–{p['to']} {report_kr(sum(p['members'].values()))}"
                                 + (f" ({p['days']} av {p['period_days']} dagar)" if p["days"] != p["period_days"] else "")
                                 for p in alt["parts"]) + f"; sammanlagt {report_kr(alt['total'])}")
    return lines


def report_kr(ore: int) -> str:
    from avtalsregler.apps.audit.report import kr

    return kr(ore)


def render(res: Result, project, fmt: str, lines: list[str] | None = None) -> bytes | str:
    """The output of one format; ``lines`` is the explanation when --explain was given."""
    marks = report.marks(res, project)
    if fmt == "json":
        return json.dumps(report.document(res, project, lines is not None), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return "".join(f"# {m}\n" for m in marks) + as_csv(res, project)
    if fmt == "csv-excel":
        return write_csv_excel(report.sheets(res, project)[:1], marks)
    if fmt == "xlsx":
        return write_xlsx(report.sheets(res, project, lines), marks, now())
    text = "".join(f"{m}\n" for m in marks) + as_table(res, project)
    if lines is not None:
        text += "\n" + "\n".join(lines) + "\n"
    return text + ("\n" + "".join(f"{m}\n" for m in marks) if marks else "")


def as_table(res: Result, project) -> str:
    t = report.table(res, project)
    lines = [x for x in [t.title] if x]
    if t.scalars:
        width = max(len(label) for label, _ in t.scalars)
        lines += [f"{label:<{width}}  {text}" for label, text in t.scalars]
    if t.head:
        widths = [max(len(r[i]) for r in [t.head, *t.rows, t.total]) for i in range(len(t.head))]

        def fmt(r):
            return "  ".join(c.ljust(w) if i < t.fixed else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

        rule = "  ".join("-" * w for w in widths)
        lines += ([""] if lines else []) + [fmt(t.head), rule, *[fmt(r) for r in t.rows], rule, fmt(t.total)]
    return "\n".join(lines) + "\n"


def as_csv(res: Result, project) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(report.csv_rows(res, project))
    return buf.getvalue()
