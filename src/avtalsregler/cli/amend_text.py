"""The text report of ``amend check``, in Swedish from start to end: what a lawyer reads on the
terminal. Tables only for what the amendment touches, each column named with what it shows.

:func:`report_text` returns the lines for standard output and for standard error (the errors and
warnings, as ``path:line:col: fel: …``); :func:`print_report` prints them.
"""

from __future__ import annotations

import sys

from avtalsregler.apps.amend.justify import message as justification_message
from avtalsregler.apps.amend.swedish import CHANGE_SV, KIND_SV, STATUS_SV

SEVERITY_SV = {"error": "fel", "warning": "varning", "notice": "notis"}


def table(head: list[str], rows: list[list[str]], indent: str = "    ") -> list[str]:
    """Columns aligned; numbers (cells that end in kr, a digit or 'dagar') right-aligned."""
    cells = [head] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    right = [all(_numeric(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(head))]
    out = []
    for n, r in enumerate(cells):
        parts = [c.rjust(w) if right[i] and n else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        out.append((indent + "  ".join(parts)).rstrip())
        if n == 0:
            out.append(indent + "  ".join("-" * w for w in widths))
    return out


def _numeric(cell: str) -> bool:
    c = cell.strip()
    if ";" in c or ": " in c:
        return False
    return c in ("", "–") or c.endswith((" kr", " dagar", " månader")) or c.replace(" ", "").lstrip("+-").isdigit()


def _signed(diff: str | None) -> str:
    if not diff:
        return ""
    return diff if diff.startswith(("-", "+")) else "+" + diff


def _seconds(s: float) -> str:
    return f"{s:.2f}".replace(".", ",") + " s"


def report_text(report) -> tuple[list[str], list[str]]:
    a = report.amendment
    out: list[str] = [*report.marks, f"Ändringsförslag {a.id}: {a.title}  [{a.path}]",
                      f"  Föreslås av {a.proposed_by[0]}; gäller från {a.effective.isoformat()}; "
                      f"ändrar {', '.join(a.clauses)}."]
    if report.text_changes:
        out += ["", "Ny lydelse"]
        for t in report.text_changes:
            out.append(f"  {t['clause']}, mening {t['sentence']}:" if t.get("sentence") else f"  {t['clause']}:")
            out += [f"    före:  {t['old']}", f"    efter: {t['new']}"]
    if report.reverified:
        out += ["", "Omprövade paragrafer"] + [f"  {r['clause']}: {r['why']}" for r in report.reverified]
    if report.not_reverified:
        out.append("  Inte berörda: " + ", ".join(report.not_reverified))
    if report.justifications:
        out += ["", "Ändrade definitioner och deras motivering"]
        for j in report.justifications:
            sev, msg, _ = justification_message(j)
            out.append(f"  {'SAKNAR MOTIVERING: ' if sev == 'error' else ''}{msg}")
    out += _effects(report.effects)
    out += _guarantees(report)
    proc = report.procedure
    if proc is not None:
        out += ["", "Förfarandet", f"  {'Följs' if proc.ok else 'FÖLJS INTE'}; godkänt av: "
                f"{', '.join(proc.agreed) or 'ingen'}."]
        if proc.diverging:
            out.append(f"  Överenskommelserna skulle skilja sig för: {', '.join(proc.diverging)}.")
    notes = [f for f in report.findings if f.severity == "notice" and f.category not in ("guarantee", "justification")]
    if notes or report.kept:
        out += ["", "Anmärkningar"] + [f"  {f.message[:1].upper()}{f.message[1:]}" for f in notes]
        if report.kept:
            out.append(f"  Den ändrade kopian av projektet finns kvar i {report.kept}")
    err: list[str] = []
    problems = [f for f in report.findings if f.severity == "error"] + [f for f in report.findings
                                                                          if f.severity == "warning"]
    for f in problems:
        err.append(f"{str(f.where) + ': ' if f.where else ''}{SEVERITY_SV[f.severity]}: {f.message}")
        err += ["  " + ("råd: " + d[len("hint: "):] if d.startswith("hint: ") else d) for d in f.detail]
    errors = sum(f.severity == "error" for f in report.findings)
    n = len(report.reverified)
    verdict = "HÅLLER — inga fel" if report.exit_code == 0 else f"HÅLLER INTE — {errors} fel (se ovan)"
    out += ["", f"Resultat: {verdict}; {n} {'paragraf omprövad' if n == 1 else 'paragrafer omprövade'} på "
                f"{_seconds(report.seconds)}." + (f" {' '.join(report.marks)}" if report.marks else "")]
    return out, err


def _effects(eff: dict) -> list[str]:
    out: list[str] = []
    if eff.get("parameters"):
        out += ["", "Tal i reglerna som ändras"]
        out += table(["Paragraf", "Parameter", "Före", "Efter", "Skillnad"],
                     [[p["clause"], p["name"], p["before"] or "–", p["after"] or "–", _signed(p.get("difference"))]
                      for p in eff["parameters"]])
    pm = eff.get("per_municipality") or {}
    if pm.get("status") == "skipped":
        out += ["", f"Per part: inte beräknat: {pm['reason']}"]
    elif computed := [r for r in pm.get("rows") or [] if r.get("source")]:
        # (the rows from the examples are in the examples' tables below)
        who = (pm.get("enum") or "part").capitalize()
        for label in dict.fromkeys(r.get("label") or r["name"] for r in computed):
            rows = [r for r in computed if (r.get("label") or r["name"]) == label]
            out += ["", f"{label} per {who.lower()} och år ({pm.get('clause') or ''})".replace(" ()", "")]
            if pm.get("note"):
                out.append(f"  {pm['note']}")
            out += table(["År", who, f"{label} före", f"{label} efter", "Skillnad"],
                         [[str(r["year"]), r["key"], r["before"], r["after"], _signed(r.get("difference"))] for r in rows])
    for u in pm.get("unchanged") or []:
        who = pm.get("enum") or "part"
        out += ["", f"{', '.join(u['labels'])} per {who} ({u['clause']}): ändras inte för någon {who}."]
    for e in eff.get("examples", []):
        out += ["", f"Exempel {e['clause']} {e['example']}: värden som ändras"]
        out += table(["Storhet", "Före", "Efter", "Skillnad"],
                     [[r["name"] + (f" [{r['key']}]" if r.get("key") else ""), r["before"], r["after"],
                       _signed(r.get("difference"))] for r in e["changes"]])
    dm = eff.get("dates_moved") or {}
    rows = [r for r in dm.get("rows") or [] if r.get("source") != "example"]   # those are in the tables above
    if rows:
        out += ["", "Datum som flyttas"]
        src = {"parameter": "parameter", "example": "exempel", "wording": "lydelsen"}
        out += table(["Paragraf", "Var", "Vad", "Före", "Efter", "Skillnad"],
                     [[r.get("clause") or "", src.get(r.get("source"), r.get("source") or "")
                       + (f" {r['example']}" if r.get("example") else ""),
                       (r.get("name") or "") + (f" [{r['key']}]" if r.get("key") else ""),
                       r["before"] or "–", r["after"] or "–", _signed(r.get("difference"))] for r in rows])
    return out


def _guarantees(report) -> list[str]:
    lines = []
    for g in report.on_purpose:
        change = CHANGE_SV[g["change"]]
        what = f"  {g['clause']} {g['name']} {change} avsiktligt"
        if g["change"] == "changed":
            what += f": {' '.join(g['old_holds'].split())} → {' '.join(g['new_holds'].split())}"
        lines.append(what + (f" (nu {STATUS_SV.get(g['after'], g['after'])})" if g["after"] else ""))
    for g in report.guarantees:
        if g["kind"] == "invariant" or g["after"] != "proved":
            lines.append(f"  {g['clause']} {KIND_SV.get(g['kind'], g['kind'])} {g['name']}: "
                         f"{STATUS_SV.get(g['before'], g['before'])} → {STATUS_SV.get(g['after'], g['after'])}")
    return (["", "Garantier"] + lines) if lines else []


def print_report(report) -> None:
    """The report, then its errors (standard error), then the verdict, in that order."""
    out, err = report_text(report)
    print("\n".join(out[:-1]), flush=True)
    if err:
        print("\n".join(err), file=sys.stderr, flush=True)
    print(out[-1])
