"""Replace a data file safely: a copy of the old one is kept (``FILE.bak``, or ``FILE.bak.1``,
… when that exists — an older backup is never overwritten), and the new text is written to a
temporary file beside it and moved into place, so a failure leaves the old file whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from avtalsregler.errors import DataError


def backup_name(path: Path) -> Path:
    bak = path.with_name(path.name + ".bak")
    n = 1
    while bak.exists():
        bak = path.with_name(f"{path.name}.bak.{n}")
        n += 1
    return bak


def write_with_backup(path: str | Path, text: str) -> Path | None:
    """Write ``text`` (UTF-8) to ``path``; return the backup of the old file, if there was one."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{str(path)!r} is a folder", None, "give a file name")
    if not path.parent.is_dir():
        raise DataError(f"the folder of {str(path)!r} does not exist", None, "create it first")
    return replace_file(path, text.encode("utf-8"))


def replace_file(path: Path, data: bytes) -> Path | None:
    """Write ``data`` to ``path`` whole (a temporary file renamed into place). An old file is
    kept as ``FILE.bak`` (its name is returned) and the new file gets the old one's mode; a new
    file gets the mode of an ordinary new file (0666 less the umask), not mkstemp's 0600."""
    backup = None
    if path.exists():
        backup = backup_name(path)
        shutil.copy2(path, backup)
        mode = path.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
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
