"""``avtalsregler --version``: the tool's version and the version of the rules it reads — a
hash of the agreement's files (``agreement/``, ``rules/``, ``specs/``, ``readings/``) that does
not depend on git: the same files give the same hash in any clone, copy or archive."""

from __future__ import annotations

import hashlib
from pathlib import Path

from avtalsregler import __version__

RULE_DIRS = ("agreement", "rules", "specs", "readings")


def rules_hash(root: str | Path) -> str | None:
    """The first 12 hex digits of SHA-256 over every file's path (relative, ``/``) and bytes, in
    path order; ``None`` when ``root`` has none of the folders."""
    root = Path(root)
    h = hashlib.sha256()
    found = False
    for d in RULE_DIRS:
        base = root / d
        if not base.is_dir():
            continue
        for p in sorted(x for x in base.rglob("*") if x.is_file()):
            rel = p.relative_to(root).as_posix()
            data = p.read_bytes()
            h.update(f"{rel}\0{len(data)}\0".encode())
            h.update(data)
            found = True
    return h.hexdigest()[:12] if found else None


def version_text(root: str | Path) -> str:
    digest = rules_hash(root)
    rules = f"rules {digest} ({', '.join(RULE_DIRS)} in {root})" if digest else f"no rules in {root}"
    return f"avtalsregler {__version__}\n{rules}"
