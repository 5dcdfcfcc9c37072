"""Where a command's output goes: standard output, or ``--output FILE`` — written whole (a
temporary file renamed into place), never over an existing file without ``--force``, which
keeps the old one as ``FILE.bak`` (``FILE.bak.1``, … when that exists). XLSX is binary: it is
only written to a file. The formats an output can take are listed here once."""

from __future__ import annotations

import datetime
import os
import shutil
import sys
import tempfile
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


def backup_name(path: Path) -> Path:
    bak = path.with_name(path.name + ".bak")
    n = 1
    while bak.exists():             # never overwrite an older backup either
        bak = path.with_name(f"{path.name}.bak.{n}")
        n += 1
    return bak


def write_file(path: Path, data: bytes) -> Path | None:
    """Write ``data`` to ``path`` whole; the old file, if any, is kept (its name is returned)."""
    backup = None
    if path.exists():
        backup = backup_name(path)
        shutil.copy2(path, backup)
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask          # as an ordinary new file, not mkstemp's 0600
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return backup


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
