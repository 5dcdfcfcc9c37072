"""What the site's pages share: the file name of a clause's page (:func:`page_name`), and a
reading of the register as it is shown on its clause's page and in the register
(:func:`render_reading`)."""

from __future__ import annotations

import re

from avtalsregler.apps.docs.render import attr, code, esc, link, nowrap_numbers
from avtalsregler.project.model import Project, Reading

READING_STATUS_SV = {"decided": "beslutad", "open": "öppen fråga"}


def page_name(cid: str) -> str:
    """``§N`` → ``s0N.md`` (two digits, so the files sort in the order of the agreement)."""
    return f"s{int(cid.lstrip('§')):02d}.md"

def prose(text: str) -> str:
    """Text from a rule or register file as HTML: escaped, with a `command` or `name` between
    backticks shown as code (the files write them so), never as a literal backtick; the digit
    groups of a number kept on one line."""
    text = re.sub(r"[ \t\r\n]+", " ", str(text)).strip()
    parts = text.split("`")
    if len(parts) % 2 == 0:          # an unpaired backtick: plain text
        return esc(nowrap_numbers(text))
    return "".join(code(p.strip()) if i % 2 else _plain(p) for i, p in enumerate(parts))


def _plain(piece: str) -> str:
    """A piece of prose between two code spans: escaped, keeping the space on either side
    (``esc`` trims a text's ends; here they separate the piece from the code beside it)."""
    lead = " " if piece.startswith(" ") else ""
    tail = " " if piece.endswith(" ") and piece.strip() else ""
    return lead + esc(nowrap_numbers(piece)) + tail


def quote(text: str) -> str:
    return f"”{esc(text)}”"

def clause_readings(project: Project, cid: str) -> list[Reading]:
    c = project.clauses.get(cid)
    first = [project.readings[r] for r in (c.readings if c else []) if r in project.readings]
    rest = [r for r in project.readings.values() if r.clause == cid and r not in first]
    return first + rest


def reading_uses(project: Project, rid: str) -> list[tuple[str, str]]:
    out = []
    for c in project.ordered():
        for table in (c.inputs, c.parameters, c.definitions):
            for n, item in table.items():
                if item.reading == rid:
                    out.append((c.id, n))
    return out


def render_reading(r: Reading, project: Project, link_clause: bool, prefix: str = "") -> list[str]:
    status = READING_STATUS_SV.get(r.status, r.status)
    cls = "oppen" if r.status == "open" else "beslutad"
    # raw HTML (the line is a <p>): a link to the built page, not Markdown
    where = (" · " + link(f"{prefix}{page_name(r.clause)[:-3]}.html", r.clause)) if link_clause else ""
    out = [f"### {esc(r.id)} {{#{attr(r.id.lower())}}}", "",
           f'<p class="oversikt"><span class="status status-{cls}">{status}</span>{where}</p>', "",
           f"**Orden:** {quote(r.words)}", "",
           f"**Frågan:** {prose(r.question)}", "",
           f"**Vald läsning:** {prose(r.chosen)}", ""]
    if r.alternatives:
        out += ["| Annan läsning | Vad den skulle betyda |", "|---|---|"]
        out += [f"| {prose(a.reading)} | {prose(a.effect)} |" for a in r.alternatives]
        out.append("")
    uses = reading_uses(project, r.id)
    if uses:
        items = ", ".join(code(n) + ("" if cid == r.clause else f" ({cid})") for cid, n in uses)
        out += [f'<p class="liten">Används i: {items}</p>', ""]
    return out
