"""What the site's pages share: the file name of a clause's page (:func:`page_name`), and a
reading of the register as it is shown on its clause's page and in the register
(:func:`render_reading`)."""

from __future__ import annotations

import re

from avtalsregler.apps.docs.formula import nowrap_numbers
from avtalsregler.apps.docs.render import Safe, attr, code, link
from avtalsregler.project.model import Project, Reading

READING_STATUS_SV = {"decided": "beslutad", "open": "öppen fråga"}


def page_name(cid: str) -> str:
    """``§N`` → ``s0N.md`` (two digits, so the files sort in the order of the agreement)."""
    return f"s{int(cid.lstrip('§')):02d}.md"

def prose(text: str) -> Safe:
    """Text from a rule or register file as HTML: escaped, with a `command` or `name` between
    backticks shown as code (the files write them so), never as a literal backtick; the digit
    groups of a number kept on one line."""
    text = re.sub(r"[ \t\r\n]+", " ", str(text)).strip()
    parts = text.split("`")
    if len(parts) % 2 == 0:          # an unpaired backtick: plain text
        return Safe("{}").format(nowrap_numbers(text))
    return Safe("").join(code(p.strip()) if i % 2 else _plain(p) for i, p in enumerate(parts))


def _plain(piece: str) -> Safe:
    """A piece of prose between two code spans: escaped, keeping the space on either side
    (escaping trims a text's ends; here they separate the piece from the code beside it)."""
    lead = Safe(" ") if piece.startswith(" ") else Safe("")
    tail = Safe(" ") if piece.endswith(" ") and piece.strip() else Safe("")
    return lead + nowrap_numbers(piece) + tail


def quote(text: str) -> Safe:
    return Safe("”{}”").format(text)


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


def render_reading(r: Reading, project: Project, link_clause: bool, prefix: str = "") -> list[Safe]:
    status = READING_STATUS_SV.get(r.status, r.status)
    cls = "oppen" if r.status == "open" else "beslutad"
    # raw HTML (the line is a <p>): a link to the built page, not Markdown
    where = (Safe(" · ") + link(f"{prefix}{page_name(r.clause)[:-3]}.html", r.clause)) if link_clause else Safe("")
    out = [Safe("### {} {{#{}}}").format(r.id, attr(r.id.lower())), Safe(""),
           Safe('<p class="oversikt"><span class="status status-{}">{}</span>{}</p>').format(cls, status, where),
           Safe(""),
           Safe("**Orden:** {}").format(quote(r.words)), Safe(""),
           Safe("**Frågan:** {}").format(prose(r.question)), Safe(""),
           Safe("**Vald läsning:** {}").format(prose(r.chosen)), Safe("")]
    if r.alternatives:
        out += [Safe("| Annan läsning | Vad den skulle betyda |"), Safe("|---|---|")]
        out += [Safe("| {} | {} |").format(prose(a.reading), prose(a.effect)) for a in r.alternatives]
        out.append(Safe(""))
    uses = reading_uses(project, r.id)
    if uses:
        items = Safe(", ").join(code(n) + (Safe("") if cid == r.clause else Safe(" ({})").format(cid))
                                for cid, n in uses)
        out += [Safe('<p class="liten">Används i: {}</p>').format(items), Safe("")]
    return out
