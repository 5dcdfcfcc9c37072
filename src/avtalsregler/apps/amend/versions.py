"""The versions of the agreement and the one in force on a day.

Version 0 is the agreement as first written; version k is the agreement after the k-th applied
amendment, in force from its ``effective`` date until the day before the next one's. The
current files are the last version; an earlier one is rebuilt (:func:`rebuild`) into a
temporary folder, once per process, and loaded from there.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from avtalsregler.apps.amend.apply import copy_project
from avtalsregler.apps.amend.history import Record, check_current, records, sha256, undo
from avtalsregler.project.load import load_project
from avtalsregler.project.model import Project

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Version:
    number: int                        # 0: the original
    record: Record | None              # the amendment that made it (None for the original)
    start: datetime.date | None        # in force from (None: from the beginning)
    end: datetime.date | None          # in force to, inclusive (None: until further notice)
    latest: bool

    @property
    def label(self) -> str:
        """The version's name in Swedish, as outputs for lawyers and auditors show it."""
        if self.record is None:
            return "ursprunglig lydelse" + (f" (till och med {self.end.isoformat()})" if self.end else "")
        r = self.record
        until = f" till och med {self.end.isoformat()}" if self.end else ""
        return f"lydelse enligt ändring {r.number} ({r.id}), från {r.effective.isoformat()}{until}"

    def as_json(self) -> dict:
        return {"number": self.number, "amendment": self.record.id if self.record else None,
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None, "label": self.label}


def versions(root: str | Path) -> list[Version]:
    recs = records(root)
    starts = [None, *[r.effective for r in recs]]
    out = []
    for k, start in enumerate(starts):
        nxt = starts[k + 1] if k + 1 < len(starts) else None
        out.append(Version(k, recs[k - 1] if k else None, start, nxt - ONE_DAY if nxt else None, k == len(recs)))
    return out


def in_force(vs: list[Version], day: datetime.date) -> Version:
    """The version in force on ``day`` (the last one whose effective date is on or before it)."""
    hit = vs[0]
    for v in vs[1:]:
        if v.start is not None and v.start <= day:
            hit = v
    return hit


def parts(vs: list[Version], start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date, Version]]:
    """``start``–``end`` cut where a version takes effect: each part with the version in force."""
    out = []
    day = start
    while day <= end:
        v = in_force(vs, day)
        later = [w.start for w in vs if w.start is not None and day < w.start <= end]
        stop = min(later) - ONE_DAY if later else end
        out.append((day, stop, v))
        day = stop + ONE_DAY
    return out


def rebuild(root: str | Path, number: int, dest: str | Path) -> Path:
    """Write version ``number`` of the project into ``dest``: the current files with every
    later amendment undone, each checked against the hashes it recorded."""
    root, dest = Path(root), Path(dest)
    recs = records(root)
    copy_project(root, dest)
    if recs:
        check_current(root, recs[-1], dest)
    for rec in reversed(recs[number:]):
        undo(root, rec, dest)
    return dest


VERSIONS_DIR = "build/versions"       # rebuilt versions, reused while the history is unchanged
_LOADED: dict[str, Project] = {}


def project_of(root: str | Path, version: Version) -> Project:
    """The loaded project of ``version`` (the current files for the latest). An earlier version
    is rebuilt once into ``build/versions/`` (named by the hashes of the amendments after it, so
    a changed history never reuses it); its data files are the project's own (data are not
    part of the agreement's text and are not versioned)."""
    if version.latest:
        return load_project(root)
    root = Path(root)
    later = records(root)[version.number:]
    digest = sha256((_tree(root) + "".join(f"{r.id}:{fc.path}:{fc.before}:{fc.after};" for r in later
                                           for fc in r.files)).encode("utf-8"))[:12]
    dest = root / VERSIONS_DIR / f"v{version.number}-{digest}"
    if str(dest) not in _LOADED:
        if not (dest / ".complete").exists():
            if recs_now := records(root):
                check_current(root, recs_now[-1])
            tmp = Path(tempfile.mkdtemp(prefix=f".v{version.number}-", dir=_mkdir(root / VERSIONS_DIR)))
            rebuild(root, version.number, tmp)
            (tmp / ".complete").write_text(version.label + "\n", encoding="utf-8")
            for stale in dest.parent.glob(f"v{version.number}-*"):    # an older history's rebuild
                shutil.rmtree(stale, ignore_errors=True)
            os.replace(tmp, dest)
        else:
            check_current(root, later[-1])
        _LOADED[str(dest)] = dataclasses.replace(load_project(dest), root=str(root))
    return _LOADED[str(dest)]


def project_file(root: str | Path, path: str | Path) -> tuple[str, str | None]:
    """A file of the project as the reader finds it, relative to ``root``: for a file of a
    version rebuilt into ``build/versions/`` the path it has in the project (``rules/…``) and
    the version's label; otherwise the path and None."""
    try:
        rel = Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return Path(path).as_posix(), None
    base = Path(VERSIONS_DIR).parts
    if rel.parts[:len(base)] != base or len(rel.parts) <= len(base) + 1:
        return rel.as_posix(), None
    built = Path(root) / VERSIONS_DIR / rel.parts[len(base)]
    try:
        label = (built / ".complete").read_text(encoding="utf-8").strip() or None
    except OSError:
        label = None
    return Path(*rel.parts[len(base) + 1:]).as_posix(), label


def _tree(root: Path) -> str:
    """The current files a version is rebuilt from, by hash: a rebuild is reused only for them."""
    from avtalsregler.apps.amend.amendment import PROJECT_DIRS

    return "".join(f"{p.relative_to(root).as_posix()}:{sha256(p.read_bytes())};" for d in PROJECT_DIRS
                   if d != "data" for p in sorted((root / d).rglob("*")) if p.is_file())


def _mkdir(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def project_in_force(root: str | Path, day: datetime.date) -> tuple[Project, Version]:
    v = in_force(versions(root), day)
    return project_of(root, v), v


def replay_mismatches(root: str | Path, number: int) -> list[str]:
    """Replay applied amendment ``number`` on the version before it: every file it gives must
    have the hash recorded when it was applied. Returns what differs (empty: exact)."""
    from avtalsregler.apps.amend.amendment import load_amendment
    from avtalsregler.apps.amend.apply import Applier, agreement_clauses
    rec = records(root)[number - 1]
    with tempfile.TemporaryDirectory(prefix="avtalsregler-replay-") as tmp:
        before = rebuild(root, number - 1, tmp)
        a = load_amendment(rec.path, agreement_clauses(before))
        files = Applier(a, before).apply().files
    want = {fc.path: fc.after for fc in rec.files}
    got = {rel: sha256(text.encode("utf-8")) for rel, text in files.items()}
    return [f"{p}: replayed {got.get(p, 'nothing')[:12]}, recorded {want.get(p, 'nothing')[:12]}"
            for p in sorted(set(want) | set(got)) if want.get(p) != got.get(p)]


def in_project(root: str | Path, doc):
    """``doc`` (JSON data) with every path into a version rebuilt under ``build/versions/``
    replaced by the file's path in the project (``ROOT/rules/…``, as the current version's files
    are named); which version it is, the document says beside it."""
    if isinstance(doc, dict):
        return {k: in_project(root, v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [in_project(root, v) for v in doc]
    if isinstance(doc, str) and VERSIONS_DIR in doc:
        base = str(Path(root) / VERSIONS_DIR) + os.sep
        return re.sub(re.escape(base) + r"[^" + re.escape(os.sep) + r"]+" + re.escape(os.sep),
                      lambda m: str(Path(root)) + os.sep, doc)
    return doc
