"""The agreement over time: every applied amendment kept as data in ``amendments/applied/``.

``amend apply`` moves the amendment file to ``amendments/applied/NNN-<id>.yaml`` with an
``applied:`` block appended (its number, the file it came from, the SHA-256 of every file it
changed before and after) and keeps the changed files as they were before in
``amendments/applied/NNN-<id>/before/``. The consolidated current files stay where they are.

Why not replay only: an amendment's edits are text replacements that cannot be inverted in
general, so going back needs the earlier bytes; why not whole versioned copies: the files an
amendment does not touch (most of the project) would be duplicated for every version. So a
version is rebuilt from the current files by restoring the ``before`` files of every later
amendment (each checked against its hashes), and replaying an amendment on the version before
it must give exactly its ``after`` hashes (:func:`replay_matches`, run by ``check
--all-versions`` and the tests).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from avtalsregler.errors import DataError, SchemaError
from avtalsregler.project.source import expect, load_yaml

HISTORY_DIR = "amendments/applied"
MARKER = "# ---- avtalsregler amend apply: tillämpad ändring (skrivet av verktyget; ändra inte för hand) ----"
_NAME = re.compile(r"^(\d{3})-(.+)\.yaml$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileChange:
    path: str                     # relative to the project root
    before: str | None            # SHA-256 before; None: the amendment created the file
    after: str


@dataclass(frozen=True)
class Record:
    """One applied amendment."""

    number: int
    id: str
    title: str
    effective: datetime.date
    proposed_by: str
    agreed_by: tuple[str, ...]
    rationale: str
    retroactive: bool
    clauses: tuple[str, ...]
    origin: str                   # where the amendment file was before it was applied
    applied_on: datetime.date
    source_bytes: int             # the amendment's own text is the first bytes of the record
    files: tuple[FileChange, ...]
    path: Path                    # the record file

    @property
    def stem(self) -> str:
        return f"{self.number:03d}-{self.id}"

    @property
    def before_dir(self) -> Path:
        return self.path.parent / self.stem / "before"


def record_path(root: Path, number: int, aid: str) -> Path:
    return root / HISTORY_DIR / f"{number:03d}-{aid}.yaml"


def records(root: str | Path) -> list[Record]:
    """The applied amendments, in the order they were applied (their numbers 1, 2, …)."""
    folder = Path(root) / HISTORY_DIR
    out = []
    for p in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if _NAME.match(p.name):
            out.append(read_record(p))
    for i, r in enumerate(out, 1):
        if r.number != i:
            raise DataError(f"{r.path}: the applied amendments are numbered {[x.number for x in out]}, not 1, 2, …",
                            None, "restore the missing record from version control")
    return out


def read_record(path: Path) -> Record:
    node = load_yaml(path)
    f = node.value if node.is_map() else {}
    if "applied" not in f:
        raise SchemaError(f"{path.name} has no 'applied' block", node.span,
                          "only 'avtalsregler amend apply' writes amendments/applied/")
    ap = f["applied"]
    files = tuple(FileChange(expect(x.value["path"], str, "path"),
                             None if x.value["before"].value is None else expect(x.value["before"], str, "before"),
                             expect(x.value["after"], str, "after"))
                  for x in expect(ap.value["files"], list, "files"))
    clauses = tuple(str(c.value["clause"].value) for c in f["changes"].value)
    return Record(expect(ap.value["number"], int, "number"), expect(f["amendment"], str, "amendment"),
                  expect(f["title"], str, "title"), f["effective"].value, expect(f["proposed_by"], str, "proposed_by"),
                  tuple(str(x.value) for x in f["agreed_by"].value), " ".join(str(f["rationale"].value).split()),
                  bool(f["retroactive"].value) if "retroactive" in f else False, clauses,
                  expect(ap.value["from"], str, "from"), ap.value["applied_on"].value,
                  expect(ap.value["source_bytes"], int, "source_bytes"), files, path)


def _block(number: int, origin: str, today: datetime.date, source_bytes: int, files: list[FileChange]) -> str:
    lines = [MARKER, "applied:", f"  number: {number}", f"  from: {json.dumps(origin, ensure_ascii=False)}",
             f"  applied_on: {today.isoformat()}", f"  source_bytes: {source_bytes}", "  files:"]
    for fc in files:
        lines += [f"    - path: {json.dumps(fc.path, ensure_ascii=False)}", f"      before: {fc.before if fc.before else 'null'}",
                  f"      after: {fc.after}"]
    return "\n".join(lines) + "\n"


def record_apply(root: Path, amendment_file: Path, aid: str, written: dict[str, str],
                 today: datetime.date) -> Record:
    """Write ``written`` (relative path -> new text) into ``root`` and keep the history: the
    files before, their hashes, and the amendment moved into ``amendments/applied/``."""
    number = len(records(root)) + 1
    target = record_path(root, number, aid)
    before_dir = target.parent / target.stem / "before"
    changes = []
    for rel, text in sorted(written.items()):
        p = root / rel
        old = p.read_bytes() if p.exists() else None
        if old is not None:
            keep = before_dir / rel
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_bytes(old)
        new = text.encode("utf-8")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(new)
        changes.append(FileChange(rel, None if old is None else sha256(old), sha256(new)))
    source = amendment_file.read_bytes()
    try:
        origin, inside = amendment_file.resolve().relative_to(root.resolve()).as_posix(), True
    except ValueError:
        origin, inside = str(amendment_file.resolve()), False
    glue = b"" if source.endswith(b"\n") else b"\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source + glue + b"\n" + _block(number, origin, today, len(source), changes).encode("utf-8"))
    if inside and amendment_file.resolve() != target.resolve():
        amendment_file.unlink()        # moved: a proposal that is applied is no longer a proposal
    return read_record(target)


def check_current(root: Path, rec: Record, where: Path | None = None) -> None:
    """Every file ``rec`` wrote is still byte for byte what it wrote (in ``where``, default root)."""
    base = where or root
    for fc in rec.files:
        p = base / fc.path
        now = sha256(p.read_bytes()) if p.exists() else None
        if now != fc.after:
            raise DataError(f"{fc.path} has changed since amendment {rec.stem} was applied", None,
                            f"the history in {HISTORY_DIR}/ no longer describes it; restore the file as "
                            f"{rec.stem} wrote it (git), or record the change as an amendment")


def undo(root: Path, rec: Record, where: Path) -> None:
    """In ``where`` (a copy of the project, or the project), put back the files as before ``rec``."""
    check_current(root, rec, where)
    for fc in rec.files:
        p = where / fc.path
        if fc.before is None:
            p.unlink()
            continue
        old = (rec.before_dir / fc.path).read_bytes()
        if sha256(old) != fc.before:
            raise DataError(f"{rec.before_dir / fc.path} is not the file {rec.stem} replaced (its hash differs)",
                            None, "restore amendments/applied/ from version control")
        p.write_bytes(old)


def revert_last(root: Path) -> Record:
    """Undo the last applied amendment: files restored byte for byte, the amendment file back
    where it came from, its record and kept files removed."""
    recs = records(root)
    if not recs:
        raise DataError(f"no amendment has been applied ({HISTORY_DIR}/ is empty)", None,
                        "apply one first with 'avtalsregler amend apply FILE'")
    rec = recs[-1]
    undo(root, rec, root)
    origin = root / rec.origin
    if not Path(rec.origin).is_absolute() and not origin.exists():
        origin.parent.mkdir(parents=True, exist_ok=True)
        origin.write_bytes(rec.path.read_bytes()[:rec.source_bytes])
    rec.path.unlink()
    shutil.rmtree(rec.path.parent / rec.stem, ignore_errors=True)
    return rec
