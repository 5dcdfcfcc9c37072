"""The agreement text: split into clauses, with whitespace-normalised matching of quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from avtalsregler.errors import SourceError
from avtalsregler.project.inputs import read_text

HEADING = re.compile(r"^\s*§\s*(\d+)\s+(\S.*?)\s*$")


def normalise(text: str) -> str:
    """Fold all whitespace (including line breaks of the extraction) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@dataclass
class Agreement:
    path: str
    title: str
    clauses: dict[str, tuple[str, str]]   # "§N" -> (heading title, raw body text)

    def body(self, clause: str) -> str:
        return self.clauses[clause][1]

    def heading(self, clause: str) -> str:
        return self.clauses[clause][0]

    def contains(self, clause: str, quote: str) -> bool:
        if clause not in self.clauses:
            return False
        return normalise(quote) in normalise(self.body(clause))


def load_agreement(path: str | Path) -> Agreement:
    p = Path(path)
    if not p.is_file():
        raise SourceError(f"cannot read the agreement text {str(p)!r}: no such file", None,
                          "run avtalsregler in the project folder (with agreement/, rules/ and specs/) "
                          "or pass --root FOLDER")
    lines = read_text(p, str(p), what="the agreement text").split("\n")
    title_lines: list[str] = []
    clauses: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    for line in lines:
        m = HEADING.match(line)
        if m:
            current = f"§{int(m.group(1))}"
            clauses[current] = (m.group(2), [])
            continue
        if current is None:
            title_lines.append(line)
        else:
            clauses[current][1].append(line)
    return Agreement(str(p), normalise(" ".join(title_lines)),
                     {k: (t, "\n".join(body)) for k, (t, body) in clauses.items()})
