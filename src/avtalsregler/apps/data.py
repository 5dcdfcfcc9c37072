"""Input data with provenance: a figure per member party (CSV, e.g. populations), known doubts
about such figures (YAML), and yearly index forecasts with their publications (YAML).

A figures file is CSV as a person or a spreadsheet saves it: UTF-8 with or without a byte order
mark, fields separated by ``,``, ``;`` or a tab (whichever splits the header into the columns),
a figure with spaces between groups of three digits (``64 354``) or a decimal part of zeros
(``5214,0``, as Excel writes a number); a figure with a fraction (``5214,5``) is refused. Rows
are checked against the declared parties (the member enumeration's codes and labels) and
taken for the day the rule gives; every value carries its source; a bad file is an error at
``path:line:col`` with a hint, and a missing value is an error naming what to add where — never
a default.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from avtalsregler.errors import DataError, Span, did_you_mean
from avtalsregler.project.source import expect, fields, load_yaml
from avtalsregler.project.inputs import read_text
from avtalsregler.language.types import FRAC, EnumType, group3
from avtalsregler.project.values import parse_value

POPULATION_COLUMNS = ("municipality", "code", "date", "population", "source")
DELIMITERS = (",", ";", "\t")
_SPACES = str.maketrans("", "", " \u00a0\u202f")
_WHOLE = re.compile(r"(?P<n>[0-9]+)(?:[,.]0+)?")          # ASCII digits only (\d takes any script's)
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?:[,.]0+)?")
MAX_DIGITS = 15                                        # a count of persons, not a number of any size
MEMBER_ALIASES = {"member": "municipality"}        # a header may say "member" instead


@dataclass(frozen=True)
class PopulationRow:
    member: str          # enum value of the member party
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
    rows: dict[str, PopulationRow]      # member id → row, in enumeration order
    warnings: tuple[tuple[str, str], ...]  # (reading, message)

    @property
    def values(self) -> dict[str, int]:
        return {k: r.population for k, r in self.rows.items()}


@dataclass(frozen=True)
class Doubt:
    date: datetime.date
    reading: str | None
    message: str
    source: str
    span: Span
    figures_sum: int | None = None       # the sum of the figures the doubt is about
    stated_total: int | None = None      # the total the source states

    def warning(self, figures: list[int]) -> str | None:
        """The warning for these figures of the doubt's date, derived from them; None when
        they are not the figures the doubt is about (changed, or now equal to the total)."""
        total = sum(figures)
        if self.figures_sum is not None and total != self.figures_sum:
            return None
        if self.stated_total is None:
            return self.message
        if total == self.stated_total:
            return None
        return (f"de {len(figures)} siffrorna för {self.date.isoformat()} summerar till {group3(total)}, men källan "
                f"anger summan {group3(self.stated_total)} (en skillnad på {group3(abs(total - self.stated_total))}); "
                + self.message)


def load_doubts(path: str | Path, readings: dict | None = None) -> dict[datetime.date, list[Doubt]]:
    """Known doubts about a population file's figures (a YAML list of date, reading, message,
    source); a missing file has none."""
    if not Path(path).exists():
        return {}
    root = load_yaml(str(path))
    f = fields(root, "a doubts file", required=("doubts",))
    out: dict[datetime.date, list[Doubt]] = {}
    for item in expect(f["doubts"], list, "doubts"):
        g = fields(item, "a doubt", required=("date", "message", "source"),
                   optional=("reading", "figures_sum", "stated_total"))
        numbers = {k: expect(g[k], int, k) for k in ("figures_sum", "stated_total") if k in g}
        date = g["date"].value
        if not isinstance(date, datetime.date):
            raise DataError(f"the doubt's date {date!r} is not a date", g["date"].span, "write YYYY-MM-DD")
        reading = expect(g["reading"], str, "reading") if "reading" in g else None
        if reading is not None and readings is not None and reading not in readings:
            raise DataError(f"the doubt names the reading {reading!r}, which the register does not have",
                            g["reading"].span, did_you_mean(reading, readings) or "name a reading of readings/")
        message = " ".join(expect(g["message"], str, "message").split())
        source = " ".join(expect(g["source"], str, "source").split())
        if not message or not source:
            raise DataError("a doubt needs a message and the source it is about", item.span,
                            "say what is in doubt and where the figures come from")
        out.setdefault(date, []).append(Doubt(date, reading, message, source, item.span, **numbers))
    return out


def delimiter(first_line: str) -> str:
    """The separator that splits the header line into the most fields (``,`` on a tie)."""
    return max(DELIMITERS, key=lambda d: (len(next(csv.reader([first_line], delimiter=d))), d == ","))


def whole_number(text: str) -> int | None:
    """A count as a person or Excel writes it (``64354``, ``64 354``, ``64354,0``), or None."""
    s = text.strip()
    if _GROUPED.fullmatch(s):
        s = s.translate(_SPACES)
    m = _WHOLE.fullmatch(s)
    return int(m.group("n")) if m and len(m.group("n")) <= MAX_DIGITS else None


def _header(reader, shown: str) -> dict[str, int]:
    header = [MEMBER_ALIASES.get(h.strip(), h.strip()) for h in next(reader)]
    missing = [c for c in POPULATION_COLUMNS if c not in header]
    if missing:
        raise DataError(f"the population file has no column {', '.join(map(repr, missing))}", Span(shown, 1, 1),
                        "the first line must be: " + ",".join(POPULATION_COLUMNS) + " (separated by ',', ';' or a tab)")
    return {c: header.index(c) for c in POPULATION_COLUMNS} | {"": len(header)}


def _read_text(path: str | Path, shown: str) -> list[str]:
    text = read_text(path, shown, error=DataError, what="the population file")  # a byte order mark is dropped
    lines = text.splitlines()
    if not lines:
        raise DataError("the population file is empty", Span(shown, 1, 1),
                        "the first line must be: " + ",".join(POPULATION_COLUMNS) + " (separated by ',', ';' or a tab)")
    return lines


def _member(members: EnumType, code: str, name: str, sp) -> str:
    """The member a row is about: by its official code when the enumeration has codes, else by label."""
    if members.codes:
        kid = members.by_code(code)
        if kid is None:
            raise DataError(f"{name} (code {code!r}) is not a party to the agreement", sp("code"),
                            "the parties are: " + ", ".join(f"{members.label(k)} {c}" for k, c in members.codes.items()))
        if name != members.label(kid):
            raise DataError(f"code {code} is {members.label(kid)}, not {name!r}", sp("municipality"),
                            "check that the name and the code belong to the same party")
        return kid
    kid = next((k for k in members.values if members.label(k) == name), None)
    if kid is None:
        raise DataError(f"{name!r} is not a party to the agreement", sp("municipality"),
                        did_you_mean(name, [members.label(k) for k in members.values])
                        or "the parties are: " + ", ".join(members.label(k) for k in members.values))
    return kid


def load_population(path: str | Path, date: datetime.date, members: EnumType, *,
                    doubts: dict[datetime.date, list[Doubt]] | None = None, why: str = "") -> Population:
    """The figure of every member of ``members`` (the parties' member enumeration) dated ``date``
    (the day the rule says the figures are counted; ``why`` says so in errors). Rows of other
    dates are checked and skipped; ``doubts`` (:func:`load_doubts`) of that date become warnings."""
    shown = str(path)
    lines = _read_text(path, shown)
    delim = delimiter(lines[0])
    reader = csv.reader(lines, delimiter=delim)
    col = _header(reader, shown)
    labels = {k: members.label(k) for k in members.values}
    chosen: dict[str, PopulationRow] = {}
    dates: set[datetime.date] = set()
    for lineno, raw in enumerate(reader, start=2):
        if not raw or all(not x.strip() for x in raw):
            continue
        sp = lambda c: Span(shown, lineno, _col(lines[lineno - 1], col[c], delim))  # noqa: E731
        if len(raw) != col[""]:
            sep = {"\t": "tab"}.get(delim, repr(delim))
            raise DataError(f"the row has {len(raw)} fields separated by {sep}, the header {col['']}",
                            Span(shown, lineno, 1), f"quote fields that contain {sep} with double quotes")
        get = {c: raw[col[c]].strip() for c in POPULATION_COLUMNS}
        try:
            day = datetime.date.fromisoformat(get["date"])
        except ValueError:
            raise DataError(f"{get['date']!r} is not a date", sp("date"), "write the date as YYYY-MM-DD") from None
        pop = get["population"]
        count = whole_number(pop)
        if count is None:
            what = ("negative" if pop.startswith(("-", "−")) else
                    f"too large (more than {MAX_DIGITS} digits)" if pop.isascii() and pop.isdigit() else "not a whole number")
            raise DataError(f"the population {pop!r} of {get['municipality']} is {what}", sp("population"),
                            "a population is a whole, non-negative number of persons, e.g. 64354, "
                            "'64 354' or 64354,0")
        if not get["source"]:
            raise DataError(f"the row for {get['municipality']} has no source", sp("source"),
                            "every figure needs the source it was read from")
        kid = _member(members, get["code"], get["municipality"], sp)
        dates.add(day)
        if day != date:
            continue
        if kid in chosen:
            raise DataError(f"{labels[kid]} has two rows for {date.isoformat()} (first at line {chosen[kid].span.line})",
                            Span(shown, lineno, 1), "remove the duplicate row")
        chosen[kid] = PopulationRow(kid, labels[kid], get["code"], day, count, get["source"], sp("population"))
    if not chosen:
        seen = ", ".join(d.isoformat() for d in sorted(dates)[-4:]) or "none"
        raise DataError(f"no population dated {date.isoformat()} in {shown}", Span(shown, 1, 1),
                        f"the rule counts the population on {date.isoformat()}{' (' + why + ')' if why else ''}; "
                        f"the file's latest dates are: {seen}. Add a sourced figure for every party on that day",
                        sv=f"det finns ingen befolkningssiffra per {date.isoformat()} i {shown} (de senaste "
                           f"datumen i filen: {seen})")
    absent = [labels[k] for k in members.values if k not in chosen]
    if absent:
        raise DataError(f"no population on {date.isoformat()} for {', '.join(absent)} in {shown}",
                        Span(shown, 1, 1), "every party needs a figure for the same date; add the missing rows",
                        sv=f"det finns ingen befolkningssiffra per {date.isoformat()} för {', '.join(absent)} i {shown}")
    figures = [chosen[k].population for k in members.values]
    warnings = tuple((d.reading or "", text) for d in (doubts or {}).get(date, [])
                     if (text := d.warning(figures)) is not None)
    return Population(shown, date, {k: chosen[k] for k in members.values}, warnings)


def population_dates(path: str | Path) -> set[datetime.date]:
    """The dates a population file has rows for (rows are checked by :func:`load_population`)."""
    shown = str(path)
    lines = _read_text(path, shown)
    reader = csv.reader(lines, delimiter=delimiter(lines[0]))
    col = _header(reader, shown)
    out = set()
    for raw in reader:
        if len(raw) == col[""]:
            try:
                out.add(datetime.date.fromisoformat(raw[col["date"]].strip()))
            except ValueError:
                continue
    return out


def _col(line: str, index: int, delim: str = ",") -> int:
    """1-based column where field ``index`` of a CSV line starts (approximately, for quotes)."""
    pos, field_no, quoted = 0, 0, False
    for pos, ch in enumerate(line):
        if field_no == index:
            return pos + 1
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            field_no += 1
    return len(line) + 1


# -- yearly index forecasts ------------------------------------------------------------------------

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
    name: str                        # what the index is called in messages, e.g. "KPI"
    fictitious: bool
    note: str
    values: tuple[IndexValue, ...]
    span: Span

    def choose(self, year: int, vintage: str = "before-year", reading: str | None = None) -> IndexValue:
        """The forecast for ``year`` (``before-year``: the latest published before 1 January of
        ``year``; ``latest``: the latest published), the choice of ``reading``."""
        cands = [v for v in self.values if v.year == year]
        hint = (f"add an entry for year {year} to {self.path} with its change (e.g. '2,9%') and the "
                "publication it comes from (title, date, reference); an index value is never assumed")
        if not cands:
            raise DataError(f"no {self.name} forecast for {year} in {self.path}", self.span, hint,
                            sv=f"det finns ingen prognos för {self.name} för {year} i {self.path}")
        if vintage == "before-year":
            cut = datetime.date(year, 1, 1)
            early = [v for v in cands if v.published < cut]
            if not early:
                raise DataError(f"no {self.name} forecast for {year} published before {cut.isoformat()} in "
                                f"{self.path}", cands[0].span,
                                hint + "; or choose --vintage latest" + (f" (reading {reading})" if reading else ""),
                                sv=f"det finns ingen prognos för {self.name} för {year} publicerad före "
                                   f"{cut.isoformat()} i {self.path}")
            cands = early
        return max(cands, key=lambda v: v.published)


def load_index(path: str | Path, first_year: int, last_year: int, name: str = "index") -> IndexFile:
    """Yearly forecasts for the years ``first_year``–``last_year`` (the first year raised from a
    recurrence's start, the last its year input allows)."""
    shown = str(path)
    root = load_yaml(shown)
    f = fields(root, f"an {name} index file", required=("values",), optional=("fiktiv", "note", "description"))
    fictitious = expect(f["fiktiv"], bool, "fiktiv") if "fiktiv" in f else False
    note = expect(f["note"], str, "note") if "note" in f else ""
    values: list[IndexValue] = []
    seen: dict[tuple[int, datetime.date], Span] = {}
    for item in expect(f["values"], list, "values"):
        g = fields(item, "an index value", required=("year", "change", "publication"))
        year = expect(g["year"], int, "year")
        if not first_year <= year <= last_year:
            raise DataError(f"year {year} is outside {first_year}–{last_year}", g["year"].span,
                            f"the first year raised from the start value ({first_year - 1}) is {first_year}")
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
    return IndexFile(shown, name, fictitious, note, tuple(values), root.span)
