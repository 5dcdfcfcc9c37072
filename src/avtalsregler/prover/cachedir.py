"""Where the proof cache and the whole-check memo live (without importing Z3: a warm check
finds its memo here before anything else is loaded)."""

from __future__ import annotations

import os
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
