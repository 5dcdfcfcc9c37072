"""`src/avtalsregler/` is an engine: it names nothing of the agreement it ships with. Everything
the text fixes (clause numbers, parties, sentence and reading ids, the names of inputs,
parameters, definitions, enumerations and their values, duties, dates) lives in rules/, specs/,
readings/ and data/. This test reads those names from the bundled project and greps the engine
for them, code and docstrings alike."""

from __future__ import annotations

import re
from pathlib import Path

from avtalsregler.project.load import load_project

from ..conftest import ROOT

SRC = ROOT / "src" / "avtalsregler"
# Words of our rules that are also ordinary words the engine may use: "are" (English), "dag"
# and "frist" (Swedish "day" and "deadline", in the engine's Swedish output).
ALLOWED = {"are", "dag", "frist"}
# The parties and the places of the text, and the dates the agreement fixes.
WORDS = ["Jämtland", "Härjedalen", "Ragunda", "Bräcke", "Krokom", "Strömsund", "Östersund", "Åre", "Berg",
         "Region", "regionen", "kommun", "kommuner", "kommunen", "kommunerna", "SKL", "SKR", "LPIK",
         "samverkansråd"]
DATES = [r"2019-01-01", r"2021-12-31", r"1 november", r"31 december", r"\b2018\b", r"\b2019\b"]


# words that are another format's own vocabulary there, not this agreement's: SARIF 2.1.0 names
# a location's line and column "region" (physicalLocation.region)
FORMAT_WORDS = {("avtalsregler/cli/reports/sarif.py", '"region"')}


def _hits(pattern: re.Pattern, src: Path = SRC) -> list[str]:
    out = []
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in pattern.finditer(text):
            rel = path.relative_to(src.parent).as_posix()
            if (rel, text[m.start() - 1:m.end() + 1]) in FORMAT_WORDS:
                continue
            line = text.count("\n", 0, m.start()) + 1
            out.append(f"{path.relative_to(src.parent)}:{line}: {m.group(0)!r}")
    return out


def _names() -> set[str]:
    p = load_project(ROOT)
    names: set[str] = set(p.readings)
    for c in p.clauses.values():
        names |= set(c.inputs) | set(c.parameters) | set(c.definitions) | set(c.duties)
        names |= {s.id for s in c.sentences}
    for e in p.enums.values():
        names |= {e.name, *e.values}
    return names - ALLOWED


def test_no_clause_number_in_the_engine():
    assert _hits(re.compile(r"§\s?\d+")) == []


def test_no_name_of_the_rules_in_the_engine():
    names = sorted(_names(), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    assert _hits(pattern) == []


def test_no_party_or_place_of_the_text_in_the_engine():
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, WORDS)) + r")(?![\w-])", re.IGNORECASE)
    assert _hits(pattern) == []


def test_no_date_of_the_agreement_in_the_engine():
    assert _hits(re.compile("|".join(DATES), re.IGNORECASE)) == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    """The grep is not vacuous: a module that names a clause, a definition, a party and a date is found."""
    (tmp_path / "m.py").write_text('X = "§7"  # arsandel for Östersund from 2019-01-01\n', encoding="utf-8")
    names = sorted(_names(), key=len, reverse=True)
    assert _hits(re.compile(r"§\s?\d+"), tmp_path)
    assert _hits(re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])"), tmp_path)
    assert _hits(re.compile("|".join(map(re.escape, WORDS))), tmp_path)
    assert _hits(re.compile("|".join(DATES)), tmp_path)
