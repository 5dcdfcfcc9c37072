"""``avtalsregler calendar``: every dated event the rules declare in a range — periods,
deadlines, invoices and duties (``events:`` sections) — as iCalendar, CSV, a CSV for Swedish
Excel (``csv-excel``: ``;``, UTF-8 with BOM, CRLF), JSON or XLSX (dates, derivations, sources;
only with ``--output``).

Defaults: ``--from`` is the day the agreement begins (the declared term's ``first_day``);
``--to`` is the last day of the third period after the one running today (the term's
``periods``), so a subscribed calendar always shows the coming deadlines. "Today" and DTSTAMP
follow ``SOURCE_DATE_EPOCH`` when it is set (reproducible output). A ``--from`` before the first
day is allowed; nothing happens before it. An existing ``--output`` file is replaced only with
``--force``, which keeps a ``.bak`` copy. When the agreement is marked made up (its title says
FIKTIV), every format says so: ``# …`` lines before the CSV header, a first row of the Excel CSV
and of every sheet, ``fictitious_notes`` in JSON, the calendar's description in iCalendar.
"""

from __future__ import annotations

import sys
from pathlib import Path

from avtalsregler.apps import calendar as cal
from avtalsregler.apps import calendar_render, calendar_report
from avtalsregler.apps.calendar_versions import events_in_force
from avtalsregler.apps.export.csv_excel import write_csv_excel
from avtalsregler.apps.export.xlsx import write_xlsx
from avtalsregler.cli.commands import date_option
from avtalsregler.cli.output import now, prepare, write_file
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project

FORMATS = ("ics", "csv", "csv-excel", "json", "xlsx")
SUFFIXES = {"ics": "ics", "csv": "csv", "json": "json", "xlsx": "xlsx"}


def register(sub) -> None:
    p = sub.add_parser("calendar", help="every date the rules declare in a range, as iCalendar, CSV, JSON or XLSX",
                       description="Every dated event the rules declare in a range: the periods, deadlines, "
                                   "invoices and duties the rules declare, each with its clause, its sentence "
                                   "and the reading that fixes it. Assumes what the rules' term says "
                                   "(e.g. that no party gives notice).")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                   help="first day of the range (default: the day the agreement begins, from the rules)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                   help="last day of the range (default: the last day of the third period after today's)")
    p.add_argument("--format", metavar="FORMAT",
                   help="ics (RFC 5545), csv, csv-excel (Swedish Excel), json or xlsx (needs --output) "
                        "(default: from the --output suffix, else ics)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--force", action="store_true",
                   help="replace an existing --output file (a copy is kept as FILE.bak)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="compute every date by the version of the agreement in force on this day (default: "
                        "each date by the version in force on it; a range over an amendment switches on its date)")
    p.add_argument("--transition", choices=("first-day", "last-day", "pro-rata"),
                   help="where a change takes effect inside a period an event covers or is about: "
                        "override the alternative the event's declared reading chose (default: that one)")
    p.set_defaults(run=run)


def _format(args) -> str:
    if args.format is None:
        suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
        return suffix if suffix in SUFFIXES else "ics"
    fmt = args.format.lower()
    if fmt not in FORMATS:
        raise DataError(f"unknown format {args.format!r}", None, "expected one of: " + ", ".join(FORMATS))
    return fmt


def run(args) -> int:
    fmt = _format(args)
    out_path = prepare(fmt, args.output, args.force)
    stamp = now()
    project = load_project(args.root)
    v = cal.validity(project)
    if args.start:
        start = date_option(args.start, "--from")
    elif v.first_day is not None:
        start = v.first_day
    else:
        raise DataError("no rule declares the agreement's first day (events: term: first_day)", None, "give --from")
    end = date_option(args.end, "--to") if args.end else cal.default_end(project, v, stamp.date())
    if end < start:
        raise DataError(f"the range runs backwards: --to {end.isoformat()} is before --from {start.isoformat()}",
                        None, "give a --to on or after --from")
    if v.last_day is not None and end > v.last_day:
        raise DataError(f"--to {end.isoformat()} is after {v.last_day.isoformat()}, the last day the "
                        f"{v.clause.id} rule covers", None, "give an earlier --to")
    as_of = date_option(args.as_of, "--as-of") if args.as_of else None
    events, parts, transitions = events_in_force(args.root, start, end, as_of, args.transition)
    marks = calendar_report.marks(project)
    if fmt == "ics":
        data = calendar_render.to_ics(events, stamp, start, end, v, marks)
    elif fmt == "csv":
        data = calendar_render.to_csv(events, marks)
    elif fmt == "json":
        data = calendar_render.to_json(events, start, end, v, marks, parts if len(parts) > 1 or parts[0]["number"] else None,
                           transitions)
    else:
        sheets = calendar_report.sheets(events, project, start, end, v)
        data = write_csv_excel(sheets[:1], marks) if fmt == "csv-excel" else write_xlsx(sheets, marks, stamp)
    if out_path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    backup = write_file(out_path, data)
    note = f" (the old file is kept as {backup})" if backup else ""
    print(f"wrote {len(events)} dates {start.isoformat()}–{end.isoformat()} to {out_path}{note}", file=sys.stderr)
    return 0
