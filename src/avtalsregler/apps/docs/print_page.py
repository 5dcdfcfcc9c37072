"""The print edition (:func:`render_print`): the whole agreement on one page for the binder, each
clause with its text, what it means, its rule, what is proved, the worked examples and its
readings, as on the clause's own page. Each clause begins on a new sheet (the site's print
style sheet, :mod:`~avtalsregler.apps.docs.site_assets`); the links lead within the page."""

from __future__ import annotations

import re

from avtalsregler.apps.docs.clause_page import ClausePage
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.render import Safe, md_link
from avtalsregler.project.model import Project
from avtalsregler.prover.check import ClauseResult

PAGE = "utskrift.md"
TITLE = "Utskrift"


def render_print(project: Project, results: list[ClauseResult], version_line: str) -> Safe:
    by_id = {r.clause.id: r for r in results}
    clauses = project.agreement.clauses
    out = ["---", "search:", Safe("  exclude: true"), "---", "",   # the clauses' own pages are what search finds
           "# Överenskommelsen i utskrift", "",
           Safe('<p class="utskrift-knapp"><button type="button" onclick="window.print()">Skriv ut</button></p>'), "",
           "Hela överenskommelsen på en sida, paragraf för paragraf: texten, vad den betyder, regeln, vad som "
           "är bevisat, de räknade exemplen och läsningarna. Varje paragraf börjar på ett nytt blad. "
           "Bevisen kördes när sidan byggdes.", "",
           Safe('<p class="version">Regelversion: {}</p>').format(version_line), "",
           "## Innehåll", ""]
    out += [Safe("- {}").format(md_link(f"#{page_name(cid)[:-3]}", f"{cid} {project.agreement.heading(cid)}"))
            for cid in clauses]
    out.append("")
    for cid in clauses:
        page = ClausePage(project, cid, by_id.get(cid), edition=True).render()
        out += [demote(page, f"{page_name(cid)[:-3]}"), ""]
    return Safe("\n").join(out) + Safe("\n")


def demote(page: Safe, anchor: str) -> Safe:
    """A clause page as a part of the edition: every heading one level down, the clause's own
    heading with its anchor and the class that starts a new sheet."""
    lines = page.split(Safe("\n"))
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"(#{1,5}) (.*)$", line)
        if m is None:
            out.append(line)
        elif m.group(1) == "#" and i == 0:
            out.append(Safe("#") + line + Safe(" {{#{} .paragraf}}").format(anchor))
        elif "{#" in m.group(2):
            out.append(Safe("#") + line)
        else:                                # headings repeat from clause to clause: ids of their own
            out.append(Safe("#") + line + Safe(" {{#{}-{}}}").format(anchor, _slug(m.group(2))))
    return Safe("\n").join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9åäö]+", "-", text.lower()).strip("-")
