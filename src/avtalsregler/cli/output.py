"""Where a command's output goes: standard output, or ``--output FILE`` — written whole (a
temporary file renamed into place), never over an existing file without ``--force``, which
keeps the old one as ``FILE.bak`` (``FILE.bak.1``, … when that exists). XLSX is binary: it is
only written to a file. The formats an output can take are listed here once."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

from avtalsregler.errors import DataError

TABLE_FORMATS = ("table", "json", "csv", "csv-excel", "xlsx")
BINARY = ("xlsx",)
EXPLAIN_TO_STDERR = ("csv", "csv-excel")     # --explain never goes into a CSV's rows


MAX_SECONDS = 86_400


def seconds(text: str) -> float:
    """A ``--timeout``: a positive, finite number of seconds, at most a day (argparse type)."""
    import argparse
    import math

    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds up to {MAX_SECONDS}")
    return value


def now() -> datetime.datetime:
    """The time of the output: ``SOURCE_DATE_EPOCH`` when set (reproducible files), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise DataError(f"SOURCE_DATE_EPOCH {epoch!r} is not a number of seconds", None,
                        "set it to a whole number of seconds since 1970-01-01 UTC, or unset it") from None


def check_output(path: Path, force: bool) -> None:
    if path.is_dir():
        raise DataError(f"--output {str(path)!r} is a folder", None, "give a file name")
    if not path.parent.is_dir():
        raise DataError(f"the folder of --output {str(path)!r} does not exist", None, "create it first")
    if path.exists() and not force:
        raise DataError(f"--output {str(path)!r} already exists; it is not overwritten", None,
                        "choose another file, or add --force to replace it (a copy is kept as "
                        f"{path.name}.bak)")


def prepare(fmt: str, output: str | None, force: bool) -> Path | None:
    """Check the output before anything is computed: a binary format needs a file, and an
    existing file needs ``--force``."""
    if output is None:
        if fmt in BINARY:
            raise DataError(f"--format {fmt} is a binary file and is not written to standard output", None,
                            f"add --output FILE.{fmt}")
        return None
    path = Path(output)
    check_output(path, force)
    return path


def write_file(path: Path, data: bytes) -> Path | None:
    """Write ``data`` to ``path`` whole; the old file, if any, is kept (its name is returned) and
    the new one gets its mode (one writer: :func:`~avtalsregler.apps.dataimport.files.replace_file`)."""
    from avtalsregler.apps.dataimport.files import replace_file

    return replace_file(path, data)


def emit(data: bytes | str, path: Path | None, what: str = "") -> None:
    """``data`` to standard output, or to ``path`` with a note on standard error."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    backup = write_file(path, raw)
    note = f" (the old file is kept as {backup})" if backup else ""
    print(f"wrote {what + ' ' if what else ''}to {path}{note}", file=sys.stderr)
