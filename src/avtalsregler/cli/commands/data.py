"""``avtalsregler data``: bring official data into the project's data files.

- ``data import-population FILE``: a statistical database export (JSON-stat 2.0 from a PxWeb
  API, or the CSV its web interface exports) merged into the per-member figures file the
  project's computations read, each row with its source (table, reference day, retrieval day).
- ``data add-index``: one yearly index value with its publication, appended to the index file.

Both keep a backup of the file they change (``FILE.bak``, ``FILE.bak.1``, …); ``--dry-run``
shows what would change and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from avtalsregler.apps import dataimport
from avtalsregler.apps.dataimport.targets import default_file, index_targets, members_of, population_files
from avtalsregler.apps.dataimport.text import parse_day
from avtalsregler.cli.commands import date_option
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):          # as the main parser's errors, with the full command in the hint
        self.print_usage(sys.stderr)
        sys.stderr.write(f"avtalsregler: error: {message}\n  hint: see '{self.prog} --help'\n")
        sys.exit(2)


def register(sub) -> None:
    p = sub.add_parser("data", help="import official figures and index values into the data files",
                       description="Bring official data into the project's data files, each value with its source.")
    ds = p.add_subparsers(dest="data_command", metavar="SUBCOMMAND", parser_class=_Parser)
    p.set_defaults(run=lambda args: _no_subcommand(p))
    q = ds.add_parser("import-population", help="merge a statistical database export into the figures file",
                      description="Read an export of a table of figures per area and year (JSON-stat 2.0 as a "
                                  "PxWeb API returns it, or the CSV a PxWeb web interface exports, e.g. SCB's "
                                  "Statistikdatabasen), match the areas to the parties by their codes and merge "
                                  "the figures into the per-member figures file, each row with its source. A "
                                  "figure that differs from the file's for the same party and date is refused "
                                  "unless --replace.")
    q.add_argument("file", metavar="FILE", help="the export (.json or .csv)")
    q.add_argument("--retrieved", required=True, metavar="YYYY-MM-DD", help="the day the file was downloaded")
    q.add_argument("--table", metavar="ID", help="the table's id, when the file does not name it (CSV)")
    q.add_argument("--day", metavar="MM-DD", help="the day of the year the figures refer to, when the file does not say")
    q.add_argument("--publisher", help="who publishes the table (default: the file's 'source', else SCB)")
    q.add_argument("--database", help="the database's name in the source (default: Statistikdatabasen)")
    q.add_argument("--url", help="the address the file was downloaded from (added to the source)")
    q.add_argument("--encoding", default="utf-8-sig", help="the CSV's encoding (default: UTF-8, with or without BOM)")
    q.add_argument("--output", "-o", metavar="FILE", help="write this file instead of the project's figures file")
    q.add_argument("--replace", action="store_true", help="imported figures replace differing ones in the file")
    q.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    q.set_defaults(run=run_import)
    a = ds.add_parser("add-index", help="add one yearly index value with its publication",
                      description="Append one forecast value of the yearly index to the index file, with the "
                                  "publication it comes from. A value without a title, a date and a reference "
                                  "is refused, as is a second value for the same year and publication date.")
    a.add_argument("--year", required=True, type=int, help="the year the value is for")
    a.add_argument("--change", required=True, help="the yearly change as a percentage, e.g. 2,9%%")
    a.add_argument("--title", required=True, help="the publication's title")
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the publication's date (decides the vintage)")
    a.add_argument("--reference", required=True, help="where the publication is (a web address or a document id)")
    a.add_argument("--file", metavar="FILE", help="the index file (default: the one the project's rules read)")
    a.add_argument("--dry-run", action="store_true", help="show the entry; write nothing")
    a.set_defaults(run=run_add_index)


def _no_subcommand(p) -> int:
    p.print_help(sys.stderr)
    return 2


def run_import(args) -> int:
    project = load_project(args.root)
    members = members_of(project)
    target = Path(args.output) if args.output else default_file(population_files(project), "per-member figures",
                                                                "--output")
    plan = dataimport.import_population(
        args.file, target, members, retrieved=date_option(args.retrieved, "--retrieved"), table=args.table,
        day=parse_day(args.day) if args.day else None, publisher=args.publisher, database=args.database,
        url=args.url, replace=args.replace, encoding=args.encoding)
    out = sys.stdout
    for r in plan.added:
        out.write(f"+ {r.label} {r.date.isoformat()} {r.population}  ({r.source})\n")
    for r, e in plan.replaced:
        out.write(f"~ {r.label} {r.date.isoformat()} {e.population} -> {r.population}  (line {e.span.line})\n")
    for r, e in plan.unchanged:
        out.write(f"= {r.label} {r.date.isoformat()} {r.population}  (already at line {e.span.line})\n")
    for note in plan.missing:
        print(f"note: {note}", file=sys.stderr)
    if plan.skipped_areas:
        print(f"note: {len(plan.skipped_areas)} area(s) of the export are not parties and were left out: "
              + ", ".join(plan.skipped_areas[:8]) + (" …" if len(plan.skipped_areas) > 8 else ""), file=sys.stderr)
    summary = f"{len(plan.added)} added, {len(plan.replaced)} replaced, {len(plan.unchanged)} unchanged"
    if args.dry_run or not plan.changed:
        print(f"{summary}; {'nothing written (--dry-run)' if args.dry_run else 'the file is up to date'}: {plan.target}",
              file=sys.stderr)
        return 0
    backup = dataimport.write_with_backup(target, plan.text)
    print(f"{summary}; wrote {plan.target}" + (f" (the old file is kept as {backup})" if backup else ""), file=sys.stderr)
    return 0


def run_add_index(args) -> int:
    project = load_project(args.root)
    targets = index_targets(project)
    if args.file:
        path = Path(args.file)
        t = next((t for t in targets if t.path.resolve() == path.resolve()), None)
    else:
        path = default_file([t.path for t in targets], "index", "--file")
        t = next(t for t in targets if t.path == path)
    if not path.exists() and not args.file:
        raise DataError(f"the index file {str(path)!r} does not exist", None, "create it (see data/README.md) or give --file")
    add = dataimport.add_index_value(path, year=args.year, change=args.change, title=args.title,
                                     date=date_option(args.date, "--date"), reference=args.reference,
                                     first_year=t.first_year if t else None, last_year=t.last_year if t else None,
                                     name=t.name if t else "index")
    sys.stdout.write(add.entry)
    if add.fictitious:
        print(f"warning: {add.path} is marked fiktiv: true (made-up values); the new value is read as made up too",
              file=sys.stderr)
    if add.created:
        print(f"note: {add.path} does not exist; it is created with this one value"
              + ("" if t else " (no rule reads it: the rules' index file is given in their data declarations)"),
              file=sys.stderr)
    if args.dry_run:
        print(f"nothing written (--dry-run): {add.path}" + (" would be created" if add.created else ""),
              file=sys.stderr)
        return 0
    backup = dataimport.write_with_backup(path, add.text)
    print(f"{'created' if add.created else 'added'} {add.year} {add.change} ({add.published.isoformat()}) "
          f"{'in' if add.created else 'to'} {add.path}"
          + (f" (the old file is kept as {backup})" if backup else ""), file=sys.stderr)
    return 0
