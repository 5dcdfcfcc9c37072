"""Where the proof cache and the whole-check memo live (without importing Z3: a warm check
finds its memo here before anything else is loaded)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

CACHE_DIR_NAME = ".avtalsregler-cache"


def default_folder(root: Path | str) -> Path:
    """``$AVTALSREGLER_CACHE`` if set, else ``ROOT/.avtalsregler-cache``."""
    env = os.environ.get("AVTALSREGLER_CACHE")
    return Path(env) if env else Path(root) / CACHE_DIR_NAME


def cache_folder(root: Path | str) -> Path | None:
    """The cache folder of a project: its own folder when that can be made (with a
    ``.gitignore`` of its own, so that it is never committed), else the user's cache folder,
    else none."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "avtalsregler"
    for folder in (default_folder(root), home):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# the proof cache of avtalsregler (avtalsregler cache clear)\n*\n", encoding="utf-8")
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    return None


def prune_oldest(files: list[Path], keep: int) -> int:
    """Remove all but the ``keep`` most recently written of ``files``; returns how many went."""
    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    gone = 0
    for p in sorted(files, key=mtime)[:max(0, len(files) - keep)]:
        try:
            p.unlink()
            gone += 1
        except OSError:
            pass
    return gone


def remove_entries(folder: Path, pattern: str) -> int:
    """Remove every entry ``folder/pattern`` and the leftover temporary files beside them
    (``.tmp-*`` in the same folders); returns how many entries (temporary files not counted)."""
    if not folder.is_dir():
        return 0
    tmp = pattern.rsplit("/", 1)[0] + "/.tmp-*" if "/" in pattern else ".tmp-*"
    gone = 0
    for p in list(folder.glob(pattern)) + list(folder.glob(tmp)):
        try:
            p.unlink()
            gone += not p.name.startswith(".tmp-")
        except OSError:
            pass
    return gone


def write_json(path: Path, value) -> None:
    """``value`` as JSON to ``path``, atomically (a temporary file beside it renamed into place;
    it is removed on any failure). Raises ``OSError`` when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
