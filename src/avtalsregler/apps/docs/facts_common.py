"""What the start page's facts share: the line that says which rule and readings computed them."""

from __future__ import annotations

from avtalsregler.apps.docs.pages import page_name
from avtalsregler.project.model import Clause


def sources(clause: Clause, readings: list[str]) -> str:
    link = f"[{clause.id}](paragrafer/{page_name(clause.id)})"
    if not readings:
        return f"Räknat med regeln i {link}."
    rs = ", ".join(f"[{r}](lasningar.md#{r.lower()})" for r in readings)
    return f"Räknat med regeln i {link} (läsningar: {rs})."
