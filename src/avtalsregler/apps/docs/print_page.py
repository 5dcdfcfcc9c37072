"""The print edition (:func:`render_print`): the whole agreement on one page for the binder, each
clause with its text, what it means, its rule, what is proved, the worked examples and its
readings, as on the clause's own page. Each clause begins on a new sheet (the site's print
style sheet, :mod:`~avtalsregler.apps.docs.site_assets`); the links lead within the page."""

from __future__ import annotations

import re

from avtalsregler.apps.docs.clause_page import ClausePage
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.render import esc
from avtalsregler.project.model import Project
from avtalsregler.prover.check import ClauseResult

PAGE = "utskrift.md"
TITLE = "Utskrift"


def render_print(project: Project, results: list[ClauseResult], version_line: str) -> str:
    by_id = {r.clause.id: r for r in results}
    clauses = project.agreement.clauses
    out = ["---", "search:", "  exclude: true", "---", "",   # the clauses' own pages are what search finds
           "# Överenskommelsen i utskrift", "",
           '<p class="utskrift-knapp"><button type="button" onclick="window.print()">Skriv ut</button></p>', "",
           "Hela överenskommelsen på en sida, paragraf för paragraf: texten, vad den betyder, regeln, vad som "
           "är bevisat, de räknade exemplen och läsningarna. Varje paragraf börjar på ett nytt blad. "
           "Bevisen kördes när sidan byggdes.", "",
           f'<p class="version">Regelversion: {esc(version_line)}</p>', "",
           "## Innehåll", ""]
    out += [f"- [{cid} {esc(project.agreement.heading(cid))}](#{page_name(cid)[:-3]})" for cid in clauses]
    out.append("")
    for cid in clauses:
        page = ClausePage(project, cid, by_id.get(cid), edition=True).render()
        out += [demote(page, f"{page_name(cid)[:-3]}"), ""]
    return "\n".join(out) + "\n"


def demote(page: str, anchor: str) -> str:
    """A clause page as a part of the edition: every heading one level down, the clause's own
    heading with its anchor and the class that starts a new sheet."""
    lines = page.split("\n")
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"(#{1,5}) (.*)$", line)
        if m is None:
            out.append(line)
        elif m.group(1) == "#" and i == 0:
            out.append(f"## {m.group(2)} {{#{anchor} .paragraf}}")
        else:
            text = m.group(2)
            if "{#" not in text:             # headings repeat from clause to clause: ids of their own
                text += f" {{#{anchor}-{_slug(text)}}}"
            out.append(f"#{m.group(1)} {text}")
    return "\n".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9åäö]+", "-", text.lower()).strip("-")
