"""``avtalsregler compute NAME``: run a computation that a rule declares (``computations:``).

The options of ``NAME`` are built at run time from its declaration (``--year``, ``--date``, …),
plus ``--format table|json|csv``, ``--explain`` and one option per data file the computation
reads (``--population FILE``, ``--index FILE``) and per alternative reading it offers."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from fractions import Fraction
from typing import Any

from avtalsregler.apps.compute import Result, computations, explanation, find_computation, run_computation
from avtalsregler.errors import DataError
from avtalsregler.language.types import Type, group3, show
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
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q.add_argument("--explain", action="store_true", help="show how every value is derived")
    return q


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
            print(f"{c.name:<16} {c.clause}: {c.help}")
        return 0
    comp = find_computation(project, args.computation)
    opts = vars(build_parser(comp).parse_args(args.rest))
    fmt, want_explain = opts.pop("format"), opts.pop("explain")
    options = {k.replace("_", "-"): v for k, v in opts.items()}
    res = run_computation(project, comp.name, options)
    out = sys.stdout
    if fmt == "json":
        data = as_json(res, project)
        if want_explain:
            data["explain"] = [{"name": s.name, "value": s.shown, "formula": s.formula, "sentence": s.quote,
                                "reading": s.reading} for s in res.steps]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(as_csv(res, project) if fmt == "csv" else as_table(res, project))
    if want_explain:
        out.write("\n" + "\n".join(explanation(res, project)) + "\n")
    for rid, msg in res.warnings:
        print(f"warning: {msg}" + (f" (reading {rid})" if rid else ""), file=sys.stderr)
    return 0


# -- formats -------------------------------------------------------------------------------------

def _pct(x: Fraction) -> str:
    hundredths = (x * 10000 * 2 + 1) // 2     # percent with two decimals, half up, for display only
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def _cell(value: Any, t: Type, fmt: str | None, enums) -> str:
    if fmt == "percent" and t.kind == "frac":
        return _pct(Fraction(value))
    if t.kind == "int" and not t.is_money:
        return group3(value)
    return show(value, t, enums)


def _plain(value: Any, t: Type, enums) -> Any:
    """A value for JSON and CSV: öre and counts as ints, fractions as text, dates ISO."""
    if t.kind == "map":
        return [_plain(value[k], t.elem, enums) for k in enums[t.enum].values]
    if t.kind == "frac":
        return str(Fraction(value))
    if t.kind == "date":
        return value.isoformat()
    return value


def _expand(col, enums) -> list[tuple[str, str, Type, Any]]:
    """A column's cells for one member → [(label, csv name, type, getter)], one per inner key."""
    t = col.type.elem
    if t.kind != "map":
        return [(col.label, col.shown.csv or col.key, t, lambda m: col.value[m])]
    e = enums[t.enum]
    return [(col.label.replace("{n}", str(i)).replace("{label}", e.label(k)),
             (col.shown.csv or col.key + "_{n}").replace("{n}", str(i)).replace("{label}", k), t.elem,
             lambda m, k=k: col.value[m][k]) for i, k in enumerate(e.values, start=1)]


def title(res: Result, project) -> str | None:
    comp = res.computation
    if not comp.title:
        return None
    text = comp.title
    for name in set(res.given) | {s.name for s in res.steps} | set(res.clause.parameters):
        if "{" + name + "}" in text:
            t = res.clause.type_of(name)
            v = res.value(name)
            text = text.replace("{" + name + "}", str(v) if t.kind == "int" and not t.unit else show(v, t, project.enums))
    if res.due_dates:
        text += "; förfallodagar " + ", ".join(d.isoformat() for d in res.due_dates)
    return text


def as_table(res: Result, project) -> str:
    enums = project.enums
    lines = [x for x in [title(res, project)] if x]
    scalars = [v for v in res.values if "table" in v.shown.formats]
    if scalars:
        width = max(len(v.label) for v in scalars)
        lines += [f"{v.label:<{width}}  {_cell(v.value, v.type, v.shown.format, enums)}" for v in scalars]
    if res.computation.members:
        lines += ([""] if lines else []) + _members_table(res, enums)
    return "\n".join(lines) + "\n"


def _members_table(res: Result, enums) -> list[str]:
    cols = [(c, cell) for c in res.columns if "table" in c.shown.formats for cell in _expand(c, enums)]
    has_code = any(m.code for m in res.members)
    head = [res.computation.members.label] + (["Kod"] if has_code else []) + [cell[0] for _, cell in cols]
    fixed = 2 if has_code else 1
    rows = []
    for m in res.members:
        rows.append([m.label] + ([m.code or ""] if has_code else [])
                    + [_cell(cell[3](m.id), cell[2], c.shown.format, enums) for c, cell in cols])
    total = ["Summa"] + ([""] if has_code else [])
    for c, cell in cols:
        if c.shown.total == "none":
            total.append("")
        else:
            s = sum((cell[3](m.id) for m in res.members), Fraction(0) if cell[2].kind == "frac" else 0)
            total.append(_cell(s, cell[2], c.shown.format, enums))
    widths = [max(len(r[i]) for r in [head, *rows, total]) for i in range(len(head))]

    def fmt(r):
        return "  ".join(c.ljust(w) if i < fixed else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    rule = "  ".join("-" * w for w in widths)
    return [fmt(head), rule, *[fmt(r) for r in rows], rule, fmt(total)]


def as_csv(res: Result, project) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    comp = res.computation
    if not comp.members:
        w.writerow(["key", "value"])
        for v in res.values:
            if "csv" in v.shown.formats:
                w.writerow([v.key, _plain(v.value, v.type, {})])
        return buf.getvalue()
    cols = [(c, cell) for c in res.columns if "csv" in c.shown.formats for cell in _expand(c, project.enums)]
    w.writerow([comp.members.name_key, "code"] + [cell[1] for _, cell in cols])
    for m in res.members:
        w.writerow([m.label, m.code or ""] + [_plain(cell[3](m.id), cell[2], {}) for _, cell in cols])
    return buf.getvalue()


def as_json(res: Result, project) -> dict:
    enums = project.enums
    comp = res.computation
    regs = project.readings
    out: dict[str, Any] = {"clause": res.clause.id, "computation": comp.name}
    out.update({v.key: _plain(v.value, v.type, enums) for v in res.values if "json" in v.shown.formats})
    out["inputs"] = {n: {"source": res.sources.get(n, "")} for n in res.given if n in comp.inputs}
    for n, pop in res.data.items():
        out["inputs"][n].update({"file": pop.path, "date": pop.date.isoformat()})
    for n, r in res.recurrence.items():
        out["inputs"][n].update({"index_file": r.index_file, "steps": r.steps, "options": r.choices})
    out["readings"] = [{"id": r, "words": regs[r].words, "chosen": " ".join(regs[r].chosen.split()),
                        "status": regs[r].status} for r in res.readings]
    out["warnings"] = [{"reading": r, "message": m} for r, m in res.warnings]
    if comp.members:
        out["due_dates"] = [d.isoformat() for d in res.due_dates]
        cols = [c for c in res.columns if "json" in c.shown.formats]
        rows = []
        for m in res.members:
            row: dict[str, Any] = {comp.members.name_key: m.label, "id": m.id, "code": m.code}
            for c in cols:
                row[c.key] = _plain(c.value[m.id], c.type.elem, enums)
                src = next((p for n, p in res.data.items() if n == c.name), None)
                if src is not None:
                    row[c.key + "_source"] = src.rows[m.id].source
            rows.append(row)
        out[comp.members.key] = rows
        out["totals"] = {c.key: _total(c, res, enums) for c in cols if c.shown.total == "all"}
    return out


def _total(c, res: Result, enums) -> Any:
    t = c.type.elem
    if t.kind == "map":
        return [_plain(sum(c.value[m.id][k] for m in res.members), t.elem, enums) for k in enums[t.enum].values]
    return _plain(sum(c.value[m.id] for m in res.members), t, enums)

