"""The site's pages other than a clause's own: the start page (hand-written text, the facts of
the running period, the table of clauses with their status), the register of readings and the
glossary (``docs/glossary.yaml``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from avtalsregler.apps.docs.facts import render_facts
from avtalsregler.apps.docs.owned import DocsError
from avtalsregler.apps.docs.pages import clause_readings, page_name, render_reading
from avtalsregler.apps.docs.render import Safe, hand_written, md_link
from avtalsregler.errors import Span, expected_one_of
from avtalsregler.project.model import Project
from avtalsregler.project.source import expect, fields, load_yaml, text_of
from avtalsregler.project.inputs import read_text
from avtalsregler.prover.check import ClauseResult
from avtalsregler.prover.results import PROVED

HAND_DIR = "docs"
CLAUSE_DIR = "paragrafer"


@dataclass
class Version:
    version: str
    commit: str | None
    built: datetime.date

    def line(self) -> str:
        commit = f"commit {self.commit}" if self.commit else "commit okänd (inte en git-katalog)"
        return f"avtalsregler {self.version} · {commit} · byggd {self.built.isoformat()}"


def hand(root: Path, name: str) -> Safe:
    path = root / HAND_DIR / name
    if not path.is_file():
        raise DocsError(f"cannot read the hand-written page {name!r}: no such file", Span(str(path), 1, 1),
                        f"restore {HAND_DIR}/{name} from git")
    return hand_written(read_text(path, str(path), error=DocsError, what="the hand-written page"))


def render_index(project: Project, results: list[ClauseResult], version: Version, intro: Safe) -> Safe:
    by_id = {r.clause.id: r for r in results}
    out = [intro.rstrip(), "", Safe('<p class="version">Regelversion: {}</p>').format(version.line()), "",
           "## Aktuellt", ""]
    for title, text, computed in render_facts(project, results, version.built):
        cls = "fakta" if computed else "fakta platshallare"
        out += [Safe('<div class="{}" markdown="1">').format(cls), "", Safe("**{}**").format(title), "", text, "",
                Safe("</div>"), ""]
    out += ["## Paragraferna", "",
            Safe("Status vid bygget: *exempel* räknade för hand som stämmer med regeln, *invarianter* "
                 "bevisade för alla situationer, och *läsningar* där texten kan förstås på mer än ett sätt."), "",
            Safe("| Paragraf | Status | Exempel | Invarianter | Läsningar |"), Safe("|---|---|---|---|---|")]
    for cid in project.agreement.clauses:
        link = md_link(f"{CLAUSE_DIR}/{page_name(cid)}", f"{cid} {project.agreement.heading(cid)}")
        readings = clause_readings(project, cid)
        open_n = sum(r.status == "open" for r in readings)
        rtext = (f"{len(readings)}" + (f", {open_n} öppen" if open_n == 1 else f", {open_n} öppna" if open_n else "")
                 if readings else "–")
        c = project.clauses.get(cid)
        if c is None:
            out.append(Safe('| {} | <span class="status status-ejkodad">ännu inte kodad</span> | – | – | {} |').format(
                link, rtext))
            continue
        r = by_id.get(cid)
        spec = project.specs.get(cid)
        exs = r.examples if r else []
        inv = [p for p in (r.proofs if r else []) if p.kind == "invariant"]
        if r is not None and not r.ok:
            status = Safe('<span class="status status-counterexample">kodad, något håller inte</span>')
        elif spec is None:
            status = Safe('<span class="status status-rule">kodad</span> '
                          '<span class="status status-ejkodad">ingen spec</span>')
        else:
            status = Safe('<span class="status status-proved">kodad, allt håller</span>')
        ex = f"{sum(e.ok for e in exs)}/{len(exs)}" if exs else "–"
        iv = f"{sum(p.status == PROVED for p in inv)}/{len(inv)}" if inv else "–"
        out.append(Safe("| {} | {} | {} | {} | {} |").format(link, status, ex, iv, rtext))
    out.append("")
    return Safe("\n").join(out) + Safe("\n")


def render_register(project: Project) -> Safe:
    out = ["# Läsningar", "",
           Safe("Registret över läsningar: varje ställe där texten kan förstås på mer än ett sätt, den "
                "läsning som regeln följer, de andra läsningarna och vad de skulle betyda i kronor eller dagar. "
                "Registret står i <code>readings/*.yaml</code>."), ""]
    rs = sorted(project.readings.values(), key=lambda r: (int(r.clause.lstrip("§")), r.id))
    if not rs:
        return Safe("\n").join(out + ["Registret är tomt.", ""])
    open_n = sum(r.status == "open" for r in rs)
    out += [f"{len(rs)} läsningar, varav {open_n} öppna frågor.", ""]
    current = None
    for r in rs:
        if r.clause != current:
            current = r.clause
            out += [Safe("## {} {}").format(r.clause, project.agreement.heading(r.clause)), ""]
        out += render_reading(r, project, link_clause=True, prefix=f"{CLAUSE_DIR}/")
    return Safe("\n").join(out) + Safe("\n")


def render_glossary(root: Path, project: Project) -> Safe:
    path = root / HAND_DIR / "glossary.yaml"
    node = load_yaml(path)
    f = fields(node, "the glossary", required=("terms",), optional=("description",))
    out = ["# Ordlista", "", "Svenska ord i överenskommelsen och på webbplatsen, med engelsk motsvarighet.", "",
           Safe("| Svenska | Engelska | Förklaring | Paragrafer |"), Safe("|---|---|---|---|")]
    rows = []
    for item in expect(f["terms"], list, "terms"):
        g = fields(item, "a glossary term", required=("sv", "en", "note"), optional=("clauses",))
        clauses = [expect(n, str, "clause") for n in (expect(g["clauses"], list, "clauses") if "clauses" in g else [])]
        for n, cid in zip(g["clauses"].value if "clauses" in g else [], clauses):
            if cid not in project.agreement.clauses:
                raise DocsError(f"there is no clause {cid!r}", n.span, expected_one_of(project.agreement.clauses))
        links = Safe(", ").join(md_link(f"{CLAUSE_DIR}/{page_name(cid)}", cid) for cid in clauses) or Safe("–")
        english = Safe('<span lang="en">{}</span>').format(text_of(g["en"], "en"))    # not Swedish: marked so
        rows.append((text_of(g["sv"], "sv"), Safe("| **{}** | {} | {} | {} |").format(
            text_of(g['sv'], 'sv'), english, text_of(g['note'], 'note'), links)))
    out += [row for _, row in sorted(rows, key=lambda x: x[0].lower())]
    return Safe("\n").join(out) + Safe("\n")
