"""Whether an output rests on made-up values, and the marker lines that say so.

Made-up values are marked in the data itself with the word ``fiktiv`` (any case): an index file
with ``fiktiv: true`` (its values come with a warning that says ``FIKTIVA``), a data file row
whose ``source`` says ``fiktiv``, an invoice file with a ``# … FIKTIV …`` comment, an agreement
text whose title says ``FIKTIV`` (a test fixture). Every output computed from such values
carries the marker lines, on standard output and in the file itself (see ``data/README.md``).
"""

from __future__ import annotations

from collections.abc import Iterable

WORD = "fiktiv"


def is_marked(text: str | None) -> bool:
    return bool(text) and WORD in text.casefold()


def agreement_marks(project) -> list[str]:
    agreement = getattr(project, "agreement", None)
    title = getattr(agreement, "title", "") or ""
    if not is_marked(title):
        return []
    if title.upper().startswith("FIKTIV"):
        return [f"{title} ({agreement.path})"]
    return [f"FIKTIV ÖVERENSKOMMELSE ({agreement.path}): {title}"]


def data_marks(pop) -> list[str]:
    """A data file's rows (a :class:`~avtalsregler.apps.data.Population`) whose source says fiktiv."""
    marked = [r for r in pop.rows.values() if is_marked(r.source)]
    if not marked:
        return []
    return [f"FIKTIVA UPPGIFTER i {pop.path} ({pop.date.isoformat()}): {len(marked)} av {len(pop.rows)} rader "
            f"har en källa märkt fiktiv, t.ex. \"{marked[0].source}\"; resultatet är inte verkligt"]


def warning_marks(warnings: Iterable[tuple[str, str]]) -> list[str]:
    return [m for _, m in warnings if is_marked(m)]


def merged(*groups: Iterable[str]) -> list[str]:
    """The marker lines of every group, each once, in order."""
    out: list[str] = []
    for group in groups:
        out += [m for m in group if m not in out]
    return out
