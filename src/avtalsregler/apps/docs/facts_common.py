"""What the start page's facts share: the line that says which rule and readings computed them."""

from __future__ import annotations

from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.render import Safe, md_link
from avtalsregler.project.model import Clause


def sources(clause: Clause, readings: list[str]) -> Safe:
    link = md_link(f"paragrafer/{page_name(clause.id)}", clause.id)
    if not readings:
        return Safe("Räknat med regeln i {}.").format(link)
    rs = Safe(", ").join(md_link(f"lasningar.md#{r.lower()}", r) for r in readings)
    return Safe("Räknat med regeln i {} (läsningar: {}).").format(link, rs)
