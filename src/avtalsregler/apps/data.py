"""Input data with provenance: populations (CSV) and LPIK index forecasts (YAML).

Every value carries its source; a bad file is an error at ``path:line:col`` with a hint, and a
missing value is an error naming what to add where — never a default.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from avtalsregler.errors import DataError, Span
from avtalsregler.project.source import Node, expect, fields, load_yaml
from avtalsregler.language.types import FRAC
from avtalsregler.project.values import parse_value

# Municipality codes of Jämtlands län (agreement/README, SCB's kommunkoder) → `kommun` ids.
KOMMUNKODER = {"2303": "ragunda", "2305": "bracke", "2309": "krokom", "2313": "stromsund",
               "2321": "are", "2326": "berg", "2361": "harjedalen", "2380": "ostersund"}

# Known doubts about stated figures (data/README.md); shown as warnings, never silently fixed.
KNOWN_DOUBTS = {
    datetime.date(2021, 11, 1): (
        "R7-befolkningsdata",
        "the eight figures for 2021-11-01 sum to 131 870 but the source states a county total of "
        "131 914; the difference (44) equals Bräcke's stated yearly change, so Bräcke's figure or "
        "the total is in doubt. The figures are used as stated."),
}

POPULATION_COLUMNS = ("municipality", "code", "date", "population", "source")


@dataclass(frozen=True)
class PopulationRow:
    kommun: str          # enum id
    name: str
    code: str
    date: datetime.date
    population: int
    source: str
    span: Span


@dataclass(frozen=True)
class Population:
    path: str
    date: datetime.date
    rows: dict[str, PopulationRow]      # kommun id → row, in enumeration order
    warnings: tuple[tuple[str, str], ...]  # (reading, message)

    @property
    def values(self) -> dict[str, int]:
        return {k: r.population for k, r in self.rows.items()}


def population_date(year: int) -> datetime.date:
    """§7: "befolkningsmängd 1 november, året före verksamhetsåret"."""
    return datetime.date(year - 1, 11, 1)


def load_population(path: str | Path, year: int, members: tuple[str, ...], labels: dict[str, str]) -> Population:
    """The population of each party on 1 November of the year before ``year``."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read the population file {shown!r}: {exc.strerror}", None,
                        "give a CSV file with columns " + ",".join(POPULATION_COLUMNS)) from None
    except UnicodeDecodeError:
        raise DataError("the population file is not valid UTF-8", Span(shown, 1, 1), "save it as UTF-8") from None
    lines = text.splitlines()
    if not lines:
        raise DataError("the population file is empty", Span(shown, 1, 1),
                        "the first line must be: " + ",".join(POPULATION_COLUMNS))
    reader = csv.reader(lines)
    header = [h.strip() for h in next(reader)]
    missing = [c for c in POPULATION_COLUMNS if c not in header]
    if missing:
        raise DataError(f"the population file has no column {', '.join(map(repr, missing))}", Span(shown, 1, 1),
                        "the first line must be: " + ",".join(POPULATION_COLUMNS))
    col = {c: header.index(c) for c in POPULATION_COLUMNS}
    want = population_date(year)
    by_code = {code: kid for code, kid in KOMMUNKODER.items() if kid in members}
    chosen: dict[str, PopulationRow] = {}
    dates: set[datetime.date] = set()
    for lineno, raw in enumerate(reader, start=2):
        if not raw or all(not x.strip() for x in raw):
            continue
        sp = lambda c: Span(shown, lineno, _col(lines[lineno - 1], col[c]))  # noqa: E731
        if len(raw) != len(header):
            raise DataError(f"the row has {len(raw)} fields, the header {len(header)}", Span(shown, lineno, 1),
                            "quote fields that contain commas with double quotes")
        get = {c: raw[col[c]].strip() for c in POPULATION_COLUMNS}
        try:
            date = datetime.date.fromisoformat(get["date"])
        except ValueError:
            raise DataError(f"{get['date']!r} is not a date", sp("date"), "write the date as YYYY-MM-DD") from None
        pop = get["population"]
        if not re.fullmatch(r"\d+", pop):
            what = "negative" if pop.startswith("-") else "not a whole number"
            raise DataError(f"the population {pop!r} of {get['municipality']} is {what}", sp("population"),
                            "a population is a whole, non-negative number of persons, without spaces")
        if not get["source"]:
            raise DataError(f"the row for {get['municipality']} has no source", sp("source"),
                            "every figure needs the source it was read from")
        code = get["code"]
        if code not in by_code:
            raise DataError(f"{get['municipality']} (code {code!r}) is not a party to the agreement", sp("code"),
                            "the parties are: " + ", ".join(f"{labels[k]} {c}" for c, k in by_code.items()))
        kid = by_code[code]
        if get["municipality"] != labels[kid]:
            raise DataError(f"code {code} is {labels[kid]}, not {get['municipality']!r}", sp("municipality"),
                            "check that the name and the code belong to the same municipality")
        dates.add(date)
        if date != want:
            continue
        if kid in chosen:
            raise DataError(f"{labels[kid]} has two rows for {want.isoformat()} (first at line {chosen[kid].span.line})",
                            Span(shown, lineno, 1), "remove the duplicate row")
        chosen[kid] = PopulationRow(kid, labels[kid], code, date, int(pop), get["source"], Span(shown, lineno, 1))
    if not chosen:
        seen = ", ".join(d.isoformat() for d in sorted(dates)[-4:]) or "none"
        raise DataError(f"no population dated {want.isoformat()} (1 November of the year before {year}) "
                        f"in {shown}", Span(shown, 1, 1),
                        f"§7 distributes by the population on 1 November the year before; the file's latest "
                        f"dates are: {seen}. Add SCB's 'Folkmängd 1 november' for every municipality")
    absent = [labels[k] for k in members if k not in chosen]
    if absent:
        raise DataError(f"no population on {want.isoformat()} for {', '.join(absent)} in {shown}",
                        Span(shown, 1, 1), "every party needs a figure for the same date; add the missing rows")
    warnings = ()
    if want in KNOWN_DOUBTS:
        warnings = (KNOWN_DOUBTS[want],)
    return Population(shown, want, {k: chosen[k] for k in members}, warnings)


def _col(line: str, index: int) -> int:
    """1-based column where field ``index`` of a CSV line starts (approximately, for quotes)."""
    pos, field_no, quoted = 0, 0, False
    for pos, ch in enumerate(line):
        if field_no == index:
            return pos + 1
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            field_no += 1
    return len(line) + 1


# -- LPIK index forecasts ------------------------------------------------------------------------

@dataclass(frozen=True)
class IndexValue:
    year: int
    change: Fraction                 # forecast yearly change, e.g. 29/1000 for 2,9 %
    title: str
    published: datetime.date
    reference: str
    span: Span


@dataclass(frozen=True)
class IndexFile:
    path: str
    fictitious: bool
    note: str
    values: tuple[IndexValue, ...]
    span: Span

    def choose(self, year: int, vintage: str = "before-year") -> IndexValue:
        """The forecast for ``year`` under reading R7-prognos (``before-year``: the latest
        published before 1 January of ``year``; ``latest``: the latest published)."""
        cands = [v for v in self.values if v.year == year]
        hint = (f"add an entry for year {year} to {self.path} with its change (e.g. '2,9%') and the "
                "publication it comes from (title, date, reference: SKR's LPIK-tabell or EkonomiNytt); "
                "an index value is never assumed")
        if not cands:
            raise DataError(f"no LPIK forecast for {year} in {self.path}", self.span, hint)
        if vintage == "before-year":
            cut = datetime.date(year, 1, 1)
            early = [v for v in cands if v.published < cut]
            if not early:
                raise DataError(f"no LPIK forecast for {year} published before {cut.isoformat()} in {self.path}",
                                cands[0].span, hint + "; or choose --vintage latest (reading R7-prognos)")
            cands = early
        return max(cands, key=lambda v: v.published)


def load_index(path: str | Path) -> IndexFile:
    shown = str(path)
    root = load_yaml(shown)
    f = fields(root, "an LPIK index file", required=("values",), optional=("fiktiv", "note", "description"))
    fictitious = expect(f["fiktiv"], bool, "fiktiv") if "fiktiv" in f else False
    note = expect(f["note"], str, "note") if "note" in f else ""
    values: list[IndexValue] = []
    seen: dict[tuple[int, datetime.date], Span] = {}
    for item in expect(f["values"], list, "values"):
        g = fields(item, "an index value", required=("year", "change", "publication"))
        year = expect(g["year"], int, "year")
        if not 2019 <= year <= 2100:
            raise DataError(f"year {year} is outside 2019–2100", g["year"].span,
                            "the first raise from the 2018 price level is for 2019")
        change = parse_value(g["change"], FRAC, {}, f"change for {year}")
        if not Fraction(-1, 2) <= change <= 1:
            raise DataError(f"the change {g['change'].value!r} for {year} is outside −50 %…100 %", g["change"].span,
                            "write the forecast yearly change as a percentage, e.g. '2,9%'")
        h = fields(g["publication"], "a publication", required=("title", "date", "reference"))
        title = expect(h["title"], str, "publication title").strip()
        ref = expect(h["reference"], str, "publication reference").strip()
        date = h["date"].value
        if not isinstance(date, datetime.date):
            raise DataError(f"publication date {date!r} is not a date", h["date"].span, "write YYYY-MM-DD")
        if not title or not ref:
            raise DataError("a publication needs a title and a reference", g["publication"].span,
                            "no index value without the publication it comes from")
        key = (year, date)
        if key in seen:
            raise DataError(f"two values for {year} from publications dated {date.isoformat()} "
                            f"(first at line {seen[key].line})", item.span, "keep one")
        seen[key] = item.span
        values.append(IndexValue(year, change, title, date, ref, item.span))
    return IndexFile(shown, fictitious, note, tuple(values), root.span)


_ = Node
