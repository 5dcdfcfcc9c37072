"""An amendment on the site: the report of ``amend check`` as a page, and a mark on every clause
the amendment changes. The rest of the site is built from the amended copy, so every clause
page shows the agreement as it would read, with fresh proofs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.render import Safe, code, md_link

CLAUSE_DIR = "paragrafer"
PAGE = "andring.md"
CATEGORY_SV = {"guarantee": "garanti", "example": "exempel", "procedure": "förfarande", "pinning": "citat",
               "load": "inläsning", "effect": "verkan", "skipped": "inte prövat", "timing": "tidpunkt",
               "justification": "motivering"}
STATUS_SV = {"proved": "bevisad", "counterexample": "motexempel", "unknown": "okänd", None: "–"}


def changed_clauses(report: dict) -> list[str]:
    out = list(report["amendment"].get("clauses") or [])
    out += [t["clause"] for t in report.get("text_changes", [])]
    return sorted(set(out), key=lambda c: int(c.lstrip("§")))


def banner(report: dict, cid: str) -> Safe:
    a = report["amendment"]
    return Safe('!!! warning "Ändrad av ändringsförslaget {}"\n\n'
                "    Sidan visar {} som den skulle lyda efter ändringsförslaget {}. "
                "Vad som ändras, vilka garantier som påverkas och vad det betyder i kronor och datum står i "
                "{}.\n\n").format(a["title"], cid, code(a['id']), md_link(f"../{PAGE}", "ändringsförslaget"))


def for_site(report: dict, root: Path, copy: Path, summaries_before: dict[str, str]) -> dict:
    """The report as the site shows it: every path relative to the project (never the
    temporary copy it was checked in), with the clauses' summaries before the amendment."""
    prefixes = [str(Path(copy).resolve()) + os.sep, str(copy) + os.sep,
                str(Path(root).resolve()) + os.sep, str(root) + os.sep]

    def strip(x: Any) -> Any:
        if isinstance(x, str):
            for p in prefixes:
                x = x.replace(p, "")
            return x
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items()}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    out = strip(report)
    out["summaries_before"] = dict(summaries_before)
    return out


def summary_is_stale(report: dict, cid: str, summary: str) -> bool:
    """The amendment changes the clause's wording but leaves its summary as it was."""
    changed = any(t["clause"] == cid for t in report.get("text_changes", []))
    before = (report.get("summaries_before") or {}).get(cid)
    return changed and before is not None and " ".join(before.split()) == " ".join(summary.split())


def stale_summary(report: dict, cid: str) -> Safe:
    return Safe('!!! warning "Sammanfattningen gäller den tidigare lydelsen"\n\n'
                "    Texten nedan skrevs för lydelsen före ändringsförslaget, och förslaget ändrar inte den. "
                "Den nya lydelsen står under Avtalstexten ovan, och vad som ändras står i "
                "{}.\n\n").format(md_link(f"../{PAGE}", "ändringsförslaget"))


_NUMBER = re.compile(r"\d+(?:[ \u00a0]\d{3})*(?:,\d+)?")


def _numbers(text: Any) -> set[str]:
    """The numbers a text writes (``1 000`` and ``1000`` the same number; ``50`` is not in ``150``)."""
    return {re.sub(r"[ \u00a0]", "", m) for m in _NUMBER.findall(str(text or ""))}


def _reading_texts(r: Any) -> list[str]:
    return [r.words, r.question, r.chosen] + [x for a in r.alternatives for x in (a.reading, a.effect)]


def stale_numbers(report: dict, cid: str, readings: list) -> list[tuple[str, list[str]]]:
    """The readings (of the clause) whose words or texts still write a number that the amendment
    takes out of the clause's wording: ``(reading id, the numbers)``, in the order given. A
    number counts as taken out when a changed sentence has it before and not after."""
    gone: set[str] = set()
    for t in report.get("text_changes", []):
        if t["clause"] == cid:
            gone |= _numbers(t["old"]) - _numbers(t["new"])
    out = []
    for r in readings:
        found = set().union(*map(_numbers, _reading_texts(r))) & gone
        if found:
            out.append((r.id, sorted(found, key=lambda n: (len(n), n))))
    return out


def stale_readings(report: dict, cid: str, stale: list[tuple[str, list[str]]]) -> Safe:
    """A warning above the readings: which of them still name a number of the old wording."""
    changes = [t for t in report.get("text_changes", []) if t["clause"] == cid]
    said = Safe("; ").join(Safe("{}: {} blir {}").format(
        t.get('sentence') or cid, ', '.join(sorted(_numbers(t['old']) - _numbers(t['new']))) or '–',
        ', '.join(sorted(_numbers(t['new']) - _numbers(t['old']))) or '–')
        for t in changes if _numbers(t["old"]) != _numbers(t["new"]))
    items = Safe("\n").join(Safe("    - {} nämner {}").format(md_link(f"#{rid.lower()}", rid), ' och '.join(nums))
                             for rid, nums in stale)
    return Safe('!!! warning "Läsningar som nämner den tidigare lydelsens tal ({})"\n\n'
                "    Ändringsförslaget ändrar talen i lydelsen ({}), men läsningarna nedan skrevs för "
                "lydelsen före förslaget och nämner fortfarande det tidigare talet. Läs dem med den nya "
                "lydelsen, och skriv om dem i registret om ändringen antas.\n\n{}\n\n").format(cid, said, items)


_WHY = ((r"^changed by the amendment$", "ändras av förslaget"),
        (r"^it uses the enumeration (.+) of (§\d+)$", r"använder uppräkningen \1 i \2"),
        (r"^its rule uses (§\d+)$", r"regeln bygger på \1"))


def why_sv(text: str) -> str:
    for pattern, repl in _WHY:
        if re.match(pattern, text):
            return re.sub(pattern, repl, text)
    return text


def _q(text: str) -> Safe:
    return Safe("”{}”").format(" ".join(str(text).split()))


def _clause(cid: str) -> Safe:
    return md_link(f"{CLAUSE_DIR}/{page_name(cid)}", cid)


def render(report: dict) -> Safe:
    a = report["amendment"]
    verdict = (Safe("**Allt håller**: garantierna är bevisade och förfarandet följs.") if report["ok"] else
               Safe("**Håller inte**: minst en garanti bryts eller förfarandet följs inte (se nedan)."))
    out = [Safe("# Ändringsförslag: {}").format(a['title']), "",
           verdict, "",
           Safe("| | |"), Safe("|---|---|"),
           Safe("| Förslag | {} ({}) |").format(code(a['id']), code(a['file'])),
           Safe("| Föreslås av | {} |").format(a['proposed_by']),
           Safe("| Godkänt av | {} |").format(Safe("{}").format(', '.join(a['agreed_by'])) or '–'),
           Safe("| Gäller från | {} |").format(a['effective']),
           Safe("| Ändrar | {} |").format(Safe(", ").join(_clause(c) for c in changed_clauses(report))),
           "", Safe("*Motivering:* {}").format(a['rationale']), ""]
    if report.get("text_changes"):
        out += ["## Ny lydelse", ""]
        for t in report["text_changes"]:
            out += [Safe("**{} {}**").format(t['clause'], t.get('sentence') or ''), "",
                    Safe("- Före: {}").format(_q(t['old'])), Safe("- Efter: {}").format(_q(t['new'])), ""]
    out += ["## Omprövade paragrafer", ""]
    out += [Safe("- {}: {}").format(_clause(r['clause']), why_sv(r['why'])) for r in report["reverified"]]
    out += [""]
    changed = report.get("guarantees_changed", [])
    purpose = report.get("guarantees_changed_on_purpose", [])
    out += ["## Garantier", ""]
    if not changed and not purpose:
        out += ["Inga bevisresultat ändras.", ""]
    for g in purpose:
        out += [Safe("- **{} {}** ändras avsiktligt i förslaget: {} → {} ({}).").format(
            g['clause'], g['name'], code(g['old_holds']), code(g['new_holds']), STATUS_SV.get(g['after'], g['after']))]
    for g in changed:
        out += [Safe("- **{} {}**: {} → **{}**. {}").format(
            g['clause'], g['name'], STATUS_SV.get(g['before'], g['before']), STATUS_SV.get(g['after'], g['after']),
            g.get('detail', ''))]
        if g.get("inputs"):
            out += ["", Safe("    | Situation | Värde |"), Safe("    |---|---|")]
            out += [Safe("    | {} | {} |").format(code(k), v) for k, v in g["inputs"].items()]
            out += [Safe("    | → {} | {} |").format(code(k), v) for k, v in (g.get("outputs") or {}).items()]
        out += [""]
    out += [""]
    eff = report.get("effects", {})
    if eff.get("parameters"):
        out += ["## Tal som ändras", "", Safe("| Paragraf | Parameter | Före | Efter | Skillnad |"),
                Safe("|---|---|---|---|---|")]
        out += [Safe("| {} | {} | {} | {} | {} |").format(p['clause'], code(p['name']), p['before'], p['after'],
                                                          p.get('difference') or '')
                for p in eff["parameters"]]
        out += [""]
    pm = eff.get("per_municipality") or {}
    if pm.get("status") == "computed" and pm.get("rows"):
        where = Safe(" ({})").format(pm['clause']) if pm.get("clause") else Safe("")
        out += [Safe("## Per part och år{}").format(where), "",
                "Beloppen per part och år före och efter ändringen, för varje år som har befolkningsdata.", "",
                Safe("| År | Part | Före | Efter | Skillnad |"), Safe("|---|---|---|---|---|")]
        out += [Safe("| {} | {} | {} | {} | {} |").format(r.get('year'), r.get('key'), r['before'], r['after'],
                                                          r.get('difference') or '') for r in pm["rows"]]
        out += [""]
    elif pm.get("status") == "skipped":
        out += ["## Per part och år", "", Safe("Inte beräknat: {}").format(pm.get('reason', '')), ""]
    dm = eff.get("dates_moved") or {}
    if dm.get("rows"):
        out += ["## Datum som flyttas", "", Safe("| Paragraf | Vad | Före | Efter |"), Safe("|---|---|---|---|")]
        out += [Safe("| {} | {} | {} | {} |").format(r.get('clause'), r.get('name') or r.get('source'), r['before'],
                                                     r['after'])
                for r in dm["rows"]]
        out += [""]
    examples = [e for e in eff.get("examples", []) if e.get("changes")]
    if examples:
        out += ["## Räknade exempel före och efter", "", Safe("| Paragraf | Exempel | Värde | Före | Efter |"),
                Safe("|---|---|---|---|---|")]
        for e in examples:
            for r in e["changes"]:
                key = Safe(" [{}]").format(r['key']) if r.get("key") else Safe("")
                out.append(Safe("| {} | {} | {}{} | {} | {} |").format(e['clause'], e['example'], code(r['name']), key,
                                                                       r['before'], r['after']))
        out += [""]
    proc: dict[str, Any] = report.get("procedure") or {}
    if proc:
        out += ["## Förfarandet", "", "Följs." if proc.get("ok") else Safe("**Följs inte.**"), ""]
    findings = [f for f in report.get("findings", []) if f["severity"] in ("error", "warning")]
    if findings:
        out += ["## Fel och varningar", ""]
        for f in findings:
            where = f"{f['file']}:{f['line']}:{f['col']}" if f.get("file") else ""
            out += [Safe("- **{}** ({}) {}{}").format('fel' if f['severity'] == 'error' else 'varning',
                                                      CATEGORY_SV.get(f['category'], f['category']), f['message'],
                                                      Safe(" — {}").format(code(where)) if where else Safe(""))]
        out += [""]
    return Safe("\n").join(out) + Safe("\n")
