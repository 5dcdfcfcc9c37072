"""``avtalsregler calendar``: every dated event the rules declare in a range — periods,
deadlines, invoices and duties (``events:`` sections) — as iCalendar, CSV or JSON.

Defaults: ``--from`` is the day the agreement begins (the declared term's ``first_day``);
``--to`` is the last day of the third period after the one running today (the term's
``periods``), so a subscribed calendar always shows the coming deadlines. "Today" and DTSTAMP
follow ``SOURCE_DATE_EPOCH`` when it is set (reproducible output). A ``--from`` before the first
day is allowed; nothing happens before it. An existing ``--output`` file is replaced only with
``--force``, which keeps a ``.bak`` copy.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys
import tempfile
from pathlib import Path

from avtalsregler.apps import calendar as cal
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project
from avtalsregler.cli.commands import date_option

FORMATS = ("ics", "csv", "json")


def register(sub) -> None:
    p = sub.add_parser("calendar", help="every date the rules declare in a range, as iCalendar, CSV or JSON",
                       description="Every dated event the rules declare in a range: the periods, deadlines, "
                                   "invoices and duties the rules declare, each with its clause, its sentence "
                                   "and the reading that fixes it. Assumes what the rules' term says "
                                   "(e.g. that no party gives notice).")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                   help="first day of the range (default: the day the agreement begins, from the rules)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                   help="last day of the range (default: the last day of the third period after today's)")
    p.add_argument("--format", metavar="FORMAT",
                   help="ics (RFC 5545), csv or json (default: from the --output suffix, else ics)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--force", action="store_true",
                   help="replace an existing --output file (a copy is kept as FILE.bak)")
    p.set_defaults(run=run)



def _now() -> datetime.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise DataError(f"SOURCE_DATE_EPOCH {epoch!r} is not a number of seconds", None,
                        "set it to a whole number of seconds since 1970-01-01 UTC, or unset it") from None


def _format(args) -> str:
    if args.format is None:
        suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
        return suffix if suffix in FORMATS else "ics"
    fmt = args.format.lower()
    if fmt not in FORMATS:
        raise DataError(f"unknown format {args.format!r}", None, "expected one of: " + ", ".join(FORMATS))
    return fmt


def _check_output(path: Path, force: bool) -> None:
    if path.is_dir():
        raise DataError(f"--output {str(path)!r} is a folder", None, "give a file name, e.g. avtal.ics")
    if not path.parent.is_dir():
        raise DataError(f"the folder of --output {str(path)!r} does not exist", None, "create it first")
    if path.exists() and not force:
        raise DataError(f"--output {str(path)!r} already exists; it is not overwritten", None,
                        "choose another file, or add --force to replace it (a copy is kept as "
                        f"{path.name}.bak)")


def _backup_name(path: Path) -> Path:
    bak = path.with_name(path.name + ".bak")
    n = 1
    while bak.exists():             # never overwrite an older backup either
        bak = path.with_name(f"{path.name}.bak.{n}")
        n += 1
    return bak


def _write(path: Path, data: bytes) -> Path | None:
    backup = None
    if path.exists():
        backup = _backup_name(path)
        shutil.copy2(path, backup)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return backup


def run(args) -> int:
    fmt = _format(args)
    out_path = Path(args.output) if args.output else None
    if out_path is not None:
        _check_output(out_path, args.force)
    now = _now()
    project = load_project(args.root)
    v = cal.validity(project)
    if args.start:
        start = date_option(args.start, "--from")
    elif v.first_day is not None:
        start = v.first_day
    else:
        raise DataError("no rule declares the agreement's first day (events: term: first_day)", None, "give --from")
    end = date_option(args.end, "--to") if args.end else cal.default_end(project, v, now.date())
    if end < start:
        raise DataError(f"the range runs backwards: --to {end.isoformat()} is before --from {start.isoformat()}",
                        None, "give a --to on or after --from")
    if v.last_day is not None and end > v.last_day:
        raise DataError(f"--to {end.isoformat()} is after {v.last_day.isoformat()}, the last day the "
                        f"{v.clause.id} rule covers", None, "give an earlier --to")
    events = cal.events(project, start, end)
    if fmt == "ics":
        data = cal.to_ics(events, now, start, end, v)
    elif fmt == "csv":
        data = cal.to_csv(events)
    else:
        data = cal.to_json(events, start, end, v)
    if out_path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    backup = _write(out_path, data)
    note = f" (the old file is kept as {backup})" if backup else ""
    print(f"wrote {len(events)} dates {start.isoformat()}–{end.isoformat()} to {out_path}{note}", file=sys.stderr)
    return 0
