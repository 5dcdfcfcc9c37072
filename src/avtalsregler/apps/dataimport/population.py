"""Turn an export's figures into rows of a per-member figures file (the CSV that
:func:`avtalsregler.apps.data.load_population` reads: ``municipality,code,date,population,source``)
and merge them into an existing file without losing a row.

Each imported row's source names the publisher, the database, the table id, what the figure is
and its reference date, and the day it was retrieved, e.g. "SCB, Statistikdatabasen, tabell
TAB1234 (BE0101), folkmängd 15 mars 2024, hämtad 2024-04-02". A row for a member and a date the
file already has is kept once (the file's row) when the figure is the same, and refused when it
differs, unless ``replace``; the existing file's lines, order, separator, line endings and byte-order mark are
kept, new rows go after the last row of an earlier or the same date.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from avtalsregler.apps.data import MEMBER_ALIASES, POPULATION_COLUMNS
from avtalsregler.apps.dataimport.export import Export, member_of_area
from avtalsregler.apps.dataimport.text import day_text, detect_delimiter, split_line
from avtalsregler.errors import DataError, Span
from avtalsregler.language.types import EnumType
from avtalsregler.project.inputs import decode, read_input

DEFAULT_PUBLISHER = "SCB"
DEFAULT_DATABASE = "Statistikdatabasen"


@dataclass(frozen=True)
class Row:
    member: str
    label: str
    code: str
    date: datetime.date
    population: int
    source: str


@dataclass(frozen=True)
class Existing:
    index: int                  # line index in the file (0-based)
    member: str
    date: datetime.date
    population: int
    source: str
    span: Span


@dataclass
class Plan:
    """What an import does to the file: ``text`` is the file after it."""

    target: str
    rows: list[Row]
    added: list[Row] = field(default_factory=list)
    unchanged: list[tuple[Row, Existing]] = field(default_factory=list)
    replaced: list[tuple[Row, Existing]] = field(default_factory=list)
    skipped_areas: list[str] = field(default_factory=list)     # areas of the export that are no party
    missing: list[str] = field(default_factory=list)           # notes: members or figures absent
    text: str = ""
    changed: bool = False


def rows_of(export: Export, members: EnumType, *, retrieved: datetime.date, table: str | None = None,
            day: tuple[int, int] | None = None, publisher: str | None = None, database: str | None = None,
            url: str | None = None) -> tuple[list[Row], list[str], list[str]]:
    """The export's figures as rows for the parties; also the areas that are no party and notes
    on what is missing. ``table`` and ``day`` fill in what the file does not say (and must agree
    with what it says)."""
    table_id = _table(export, table)
    month, dd = _day(export, day)
    publisher = publisher or export.publisher or DEFAULT_PUBLISHER
    database = DEFAULT_DATABASE if database is None else database
    what = _what(export.contents, month, dd)
    out: dict[tuple[str, int], Row] = {}
    skipped: list[str] = []
    notes: list[str] = []
    for ob in export.observations:
        kid = member_of_area(members, ob.area, ob.area_span or ob.span)
        if kid is None:
            if ob.area not in skipped:
                skipped.append(ob.area)
            continue
        date = datetime.date(ob.year, month, dd)
        if ob.value is None:
            notes.append(f"no figure for {members.label(kid)} on {date.isoformat()} in the export")
            continue
        if (kid, ob.year) in out:
            raise DataError(f"two figures for {members.label(kid)} and {ob.year}", ob.span,
                            "export each area once")
        if retrieved < date:
            raise DataError(f"--retrieved {retrieved.isoformat()} is before {date.isoformat()}, the day the "
                            "figures refer to", None, "give the day the file was downloaded")
        phrase = what.replace("{year}", str(ob.year))
        parts = [publisher, database, f"tabell {table_id}", phrase, f"hämtad {retrieved.isoformat()}"] + ([url] if url else [])
        out[(kid, ob.year)] = Row(kid, members.label(kid), members.codes.get(kid, ""), date, ob.value,
                                  ", ".join(p for p in parts if p))
    years = sorted({y for _, y in out})
    for y in years:
        absent = [members.label(k) for k in members.values if (k, y) not in out]
        if absent:
            notes.append(f"{y}: the export has no figure for {', '.join(absent)}")
    order = {k: i for i, k in enumerate(members.values)}
    rows = sorted(out.values(), key=lambda r: (r.date, order[r.member]))
    if not rows:
        raise DataError("the export has no figure for any party", Span(export.path, 1, 1),
                        "select the parties' areas when exporting")
    return rows, skipped, notes


def _table(export: Export, table: str | None) -> str:
    if table and export.table and table.split()[0] != export.table.split()[0]:
        raise DataError(f"--table {table!r} but the file says it is table {export.table!r}", None,
                        "leave --table out: the file names its table")
    found = export.table or table
    if not found:
        raise DataError(f"{export.path} does not say which table it comes from", None,
                        "give --table with the table's id as the database shows it (e.g. TAB1234)")
    return found


def _day(export: Export, day: tuple[int, int] | None) -> tuple[int, int]:
    if day is not None:
        if export.days and day not in export.days:
            said = ", ".join(day_text(m, d) for m, d in sorted(export.days))
            raise DataError(f"--day {day_text(*day)} but the file says the figures are of {said}", None,
                            "leave --day out, or check that this is the table you mean")
        return day
    if len(export.days) == 1:
        return next(iter(export.days))
    if not export.days:
        raise DataError(f"{export.path} does not say which day of the year its figures refer to", None,
                        "give --day MM-DD (the reference day the table's description states)")
    said = ", ".join(day_text(m, d) for m, d in sorted(export.days))
    raise DataError(f"{export.path} names several days ({said})", None, "give --day MM-DD to say which one the figures refer to")


def _what(contents: str | None, month: int, day: int) -> str:
    what = " ".join((contents or "uppgift").split())
    if what[:1].isupper() and not what[1:2].isupper():
        what = what[0].lower() + what[1:]
    dtext = day_text(month, day)
    return f"{what} {{year}}" if dtext in what else f"{what} {dtext} {{year}}"


# -- the existing file ----------------------------------------------------------------------------

@dataclass
class _Target:
    path: str
    lines: list[str]
    newline: str
    bom: bool
    delimiter: str
    rows: list[Existing]


def _read_target(path: Path, members: EnumType) -> _Target:
    shown = str(path)
    if not path.exists():
        return _Target(shown, [",".join(POPULATION_COLUMNS)], "\n", False, ",", [])
    data = read_input(path, shown, error=DataError, what="the population file")
    bom = data.startswith(b"\xef\xbb\xbf")
    raw = decode(data, shown, DataError)
    newline = "\r\n" if "\r\n" in raw else "\n"
    lines = raw.splitlines()
    if not lines:
        return _Target(shown, [",".join(POPULATION_COLUMNS)], newline, bom, ",", [])
    delim = detect_delimiter(lines[0]) or ","
    head = [MEMBER_ALIASES.get(f.text.strip(), f.text.strip()) for f in split_line(lines[0], delim, Span(shown, 1, 1))]
    missing = [c for c in POPULATION_COLUMNS if c not in head]
    if missing:
        raise DataError(f"the population file has no column {', '.join(map(repr, missing))}", Span(shown, 1, 1),
                        "the first line must be: " + ",".join(POPULATION_COLUMNS))
    col = {c: head.index(c) for c in POPULATION_COLUMNS}
    rows = []
    for i, line in enumerate(lines[1:], start=1):
        if not line.strip():
            continue
        f = split_line(line, delim, Span(shown, i + 1, 1))
        if len(f) != len(head):
            continue
        get = {c: f[col[c]].text.strip() for c in POPULATION_COLUMNS}
        kid = members.by_code(get["code"]) if members.codes and get["code"] else None
        kid = kid or next((k for k in members.values if members.label(k) == get["municipality"]), None)
        try:
            date, pop = datetime.date.fromisoformat(get["date"]), int(get["population"])
        except ValueError:
            continue
        if kid is not None:
            rows.append(Existing(i, kid, date, pop, get["source"], Span(shown, i + 1, f[col["population"]].col)))
    return _Target(shown, lines, newline, bom, delim, rows)


def _line(row: Row, delimiter: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(
        [row.label, row.code, row.date.isoformat(), row.population, row.source])
    return buf.getvalue()


def plan_import(rows: list[Row], target: str | Path, members: EnumType, *, replace: bool = False) -> Plan:
    """What merging ``rows`` into the file ``target`` (which may not exist yet) gives."""
    t = _read_target(Path(target), members)
    plan = Plan(t.path, rows)
    have = {(e.member, e.date): e for e in t.rows}
    conflicts = []
    for r in rows:
        e = have.get((r.member, r.date))
        if e is None:
            plan.added.append(r)
        elif e.population == r.population:
            plan.unchanged.append((r, e))           # the same figure: the file's row (and source) stays
        elif e.population != r.population and not replace:
            conflicts.append((r, e))
        else:
            plan.replaced.append((r, e))
    if conflicts:
        shown = "; ".join(f"{r.label} {r.date.isoformat()}: the file has {e.population} (line {e.span.line}), "
                          f"the export {r.population}" for r, e in conflicts[:5])
        more = f" and {len(conflicts) - 5} more" if len(conflicts) > 5 else ""
        raise DataError(f"{len(conflicts)} imported figure(s) differ from the file's: {shown}{more}", conflicts[0][1].span,
                        "check which is right; --replace puts the imported rows in place of the file's")
    lines = list(t.lines)
    for r, e in plan.replaced:
        lines[e.index] = _line(r, t.delimiter)
    inserted: dict[int, list[str]] = {}
    for r in plan.added:
        after = max((e.index for e in t.rows if e.date <= r.date), default=0 if not t.rows else None)
        if after is None:
            after = min(e.index for e in t.rows) - 1
        inserted.setdefault(after, []).append(_line(r, t.delimiter))
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        out += inserted.get(i, [])
    plan.text = ("\ufeff" if t.bom else "") + t.newline.join(out) + t.newline
    plan.changed = bool(plan.added or plan.replaced)
    return plan
