"""The folders the site generator owns. The generated pages go into the folder that
``mkdocs.yml`` names as ``docs_dir``: a marker file there lists every file it wrote with its
hash, and :func:`write_generated` refuses to touch the folder when it holds a file it did not
write, or one that was edited by hand, unless ``force`` is given — and then those files are
moved aside to a backup folder, never deleted. The built site's folder is checked likewise
(:func:`check_site_dir`)."""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path

from avtalsregler.apps.docs.render import Safe, require
from avtalsregler.errors import AvtalsreglerError

GENERATED_MARKER = ".avtalsregler-generated"
SITE_MARKER = ".avtalsregler-site"


class DocsError(AvtalsreglerError):
    """The site cannot be generated or built (a folder that is not ours, a MkDocs warning)."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _not_ours(folder: Path) -> list[str]:
    """Files in ``folder`` that the generator did not write, or that were changed since."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != GENERATED_MARKER)
    marker = folder / GENERATED_MARKER
    if not marker.is_file():
        return [p.relative_to(folder).as_posix() for p in files]
    try:
        known = json.loads(marker.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError, OSError):
        return [p.relative_to(folder).as_posix() for p in files] + [GENERATED_MARKER]
    out = []
    for p in files:
        rel = p.relative_to(folder).as_posix()
        if known.get(rel) != _digest(p.read_bytes()):
            out.append(rel)
    return out


def _backup(folder: Path, rels: list[str]) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = folder.parent / f"{folder.name}.bak-{stamp}"
    n = 1
    while dest.exists():
        n += 1
        dest = folder.parent / f"{folder.name}.bak-{stamp}-{n}"
    for rel in rels:
        src = folder / rel
        if src.exists():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dest / rel))
    return dest


def write_generated(folder: Path, files: dict[str, Safe], force: bool = False) -> list[str]:
    """Write ``files`` into the owned ``folder``; returns the files moved aside (with force). Every
    file is :class:`~avtalsregler.apps.docs.render.Safe` text (a plain ``str`` is an internal
    error, raised before anything is written): the one place pages reach the disk."""
    for rel, text in files.items():
        require(text, rel)
    moved: list[str] = []
    if folder.exists():
        if not folder.is_dir():
            raise DocsError(f"{folder} is a file, not the folder for generated pages", None,
                            "move it away or change docs_dir in mkdocs.yml")
        foreign = _not_ours(folder)
        if foreign:
            if not force:
                shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                raise DocsError(f"{folder} holds files that 'avtalsregler docs' did not write or that were "
                                f"edited by hand: {shown}", None,
                                "generated pages are never edited: change rules/, specs/, readings/ or docs/ "
                                "instead; --force moves these files to a backup folder next to it")
            dest = _backup(folder, foreign)
            moved = [f"{rel} → {dest / rel}" for rel in foreign]
        for p in sorted(folder.rglob("*"), reverse=True):   # our old files: safe to remove
            if p.is_file():
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    folder.mkdir(parents=True, exist_ok=True)
    digests = {}
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8")
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digests[rel] = _digest(data)
    marker = {"generator": "avtalsregler docs", "note": "generated; do not edit, run 'avtalsregler docs'",
              "files": digests}
    (folder / GENERATED_MARKER).write_text(json.dumps(marker, indent=1, ensure_ascii=False), encoding="utf-8")
    return moved


def check_site_dir(site: Path, root: Path, gen: Path, force: bool) -> list[str]:
    if site.exists() and not site.is_dir():
        raise DocsError(f"the output {str(site)!r} is a file, not a folder", None,
                        "give a folder for the site, e.g. --output site")
    site_r, root_r, gen_r = site.resolve(), root.resolve(), gen.resolve()
    if (site_r == root_r or root_r.is_relative_to(site_r) or site_r.is_relative_to(gen_r)
            or gen_r.is_relative_to(site_r)):
        raise DocsError(f"the output folder {site} overlaps the project or the generated pages", None,
                        "choose an empty folder of its own, e.g. --output site")
    if site.exists() and any(site.iterdir()) and not (site / SITE_MARKER).is_file():
        if not force:
            raise DocsError(f"the output folder {site} is not empty and was not built by 'avtalsregler docs'",
                            None, "MkDocs empties the output folder: choose another, or --force moves "
                                  "it to a backup folder first")
        dest = site.parent / f"{site.name}.bak-{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}"
        shutil.move(str(site), str(dest))
        return [f"{site} → {dest}"]
    return []
