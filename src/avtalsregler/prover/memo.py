"""A memo of whole checks (:class:`Memo`), on top of the proof cache: a ``check`` whose inputs
are all unchanged prints the stored result of the last such check without loading, translating
or proving anything.

What a check's result depends on, and what the memo's entry records:

* every file the check read — the path and the SHA-256 of its bytes (every input is read by
  :func:`avtalsregler.project.inputs.read_input`, which records it while a
  :class:`~avtalsregler.project.inputs.recording` is on);
* the listing of every folder the loader listed (:func:`~avtalsregler.project.inputs.listing`),
  so that a new rule, spec or reading file is seen;
* the engine: a hash of every ``.py`` file of the package (:func:`engine_hash`), the versions of
  Python, Z3 and PyYAML and the package's (:func:`versions`);
* the command and every option that can change the result or its output (the format, the
  clauses, the timeout, the files written besides, …; not ``-j``), the working folder (paths
  are shown relative to it) and today's date.

The command, options, engine and date make the *head* (the entry's file name); the files and
listings are in the entry and compared on every lookup: one byte changed in any of them, one file
more or less in a listed folder, and the check runs again. The entry holds what the check wrote
(standard output, the files besides) with the total time left open, and its exit code. A run
with an ``unknown`` (or an internal error, or bad input) is never stored; an entry that cannot
be read, does not parse or whose checksum does not match is ignored. This module imports
neither Z3 nor the prover: a warm check is a few file hashes."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import sys
from pathlib import Path

from avtalsregler.prover.cachedir import prune_oldest, remove_entries, write_json

MEMO_DIR = "memo"
MAX_MEMOS = 100          # entries kept (each a few hundred kB at most), the least recently written go
_FORMAT = 1
PACKAGE = Path(__file__).resolve().parent.parent      # src/avtalsregler
# two totals no check takes, to find where the total time is in what a check wrote
SENTINELS = (8765.4321, 9876.5432)


def today() -> datetime.date:
    """Today: part of the head, so that nothing the date could change is replayed a day later."""
    return datetime.date.today()


def engine_hash() -> str:
    """A hash of every ``.py`` file of the package (its path and bytes)."""
    h = hashlib.sha256()
    base = len(str(PACKAGE))
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            p = os.path.join(folder, name)
            with open(p, "rb") as f:
                h.update(p[base:].encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()


def _distribution(module: str) -> list:
    """What identifies an installed library without importing it: its distribution folders'
    names (name and version) and the size and time of its compiled libraries."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return [module, None]
    where = Path(spec.origin).parent
    out: list = [spec.origin]
    base = where.parent if spec.submodule_search_locations else where
    out += sorted(p.name for p in base.glob("*.dist-info") if p.name.lower().startswith(_dist_prefix(module)))
    lib = where / "lib"
    for p in sorted(lib.iterdir()) if lib.is_dir() else []:
        st = p.stat()
        out.append([p.name, st.st_size, st.st_mtime_ns])
    return out


def _dist_prefix(module: str) -> str:
    return {"z3": "z3_solver-", "yaml": "pyyaml-"}.get(module, module + "-")


def versions() -> dict:
    from avtalsregler import __version__

    return {"python": sys.version, "avtalsregler": __version__,
            "z3": _distribution("z3"), "yaml": _distribution("yaml"), "_yaml": _distribution("_yaml")}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checksum(body: dict) -> str:
    return _sha(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())


class Memo:
    """Entries in ``FOLDER/memo/<head>.json`` (the proof cache's folder)."""

    def __init__(self, cache_folder: Path | str):
        self.folder = Path(cache_folder) / MEMO_DIR

    def head(self, command: str, options: dict) -> str:
        """The hash of the command and its options, the engine, the versions, the working
        folder and the date."""
        doc = {"format": _FORMAT, "command": command, "options": options, "cwd": os.getcwd(),
               "date": today().isoformat(), "engine": engine_hash(), "versions": versions()}
        return _sha(json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str).encode())

    def _path(self, head: str) -> Path:
        return self.folder / f"{head}.json"

    # -- lookup -----------------------------------------------------------------------------
    def lookup(self, head: str) -> dict | None:
        """The entry's body when every file and listing it depends on is as recorded, else
        ``None`` (absent, unreadable, corrupt, or anything changed)."""
        try:
            entry = json.loads(self._path(head).read_text(encoding="utf-8"))
            body = entry["body"]
            if entry["sum"] != _checksum(body) or body["head"] != head:
                return None
            for path, digest in body["files"]:
                with open(path, "rb") as f:
                    if _sha(f.read()) != digest:
                        return None
            for folder, pattern, names in body["listings"]:
                if [p.relative_to(folder).as_posix() for p in sorted(Path(folder).glob(pattern))] != names:
                    return None
            if body["code"] not in (0, 1) or not isinstance(body["outputs"], list):
                return None
            for out in body["outputs"]:
                if len(out["pieces"]) != len(out["holes"]) + 1 or not set(out["holes"]) <= set(HOLES) \
                        or not all(isinstance(x, str) for x in out["pieces"]):
                    return None
            return body
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # -- store ------------------------------------------------------------------------------
    def store(self, head: str, reads, outputs: list[dict], code: int) -> bool:
        """Store what a check wrote (``outputs``, see :func:`template`) and its exit code, with
        the files and listings of ``reads`` (a ``recording``)."""
        files = sorted({(p, _sha(data)) for p, data in reads.files})
        if len({p for p, _ in files}) != len(files):      # a file read twice with different bytes
            return False
        listings = sorted({(f, pat, tuple(names)) for f, pat, names in reads.listings})
        body = {"head": head, "files": [list(x) for x in files],
                "listings": [[f, pat, list(names)] for f, pat, names in listings],
                "outputs": outputs, "code": code}
        try:
            write_json(self._path(head), {"sum": _checksum(body), "body": body})
        except OSError:
            return False
        self.prune()
        return True

    def prune(self, keep: int = MAX_MEMOS) -> int:
        """At most ``keep`` entries: the least recently written are removed."""
        return prune_oldest(list(self.folder.glob("*.json")), keep)

    def clear(self) -> int:
        return remove_entries(self.folder, "*.json")


# -- the total time (and a fresh token), left open in what a check wrote --------------------------
# GitHub's workflow commands are stopped around the verbatim report with a fresh random token
# (cli/reports/github.py): a replay gets a fresh one too, never the stored one.
_STOP = re.compile(r"^::stop-commands::([0-9a-f]{32})$", re.M)


def forms(total: float) -> dict[str, str]:
    """How a check writes its total time: in the text (``1.23``), in Swedish (``1,23``) and
    in JSON (rounded to milliseconds)."""
    text = f"{total:.2f}"
    return {"json": json.dumps(round(total, 3)), "text": text, "sv": text.replace(".", ",")}


HOLES = (*forms(0.0), "token")


def _split(text: str, total: float) -> tuple[list[str], list[str]]:
    f = forms(total)
    stop = _STOP.search(text)           # the first such line is the report's own (annotations are escaped)
    if stop:
        f["token"] = stop.group(1)
    kinds = sorted(f, key=lambda k: -len(f[k]))              # the longest form first
    pattern = re.compile("|".join(f"(?P<{k}>{re.escape(f[k])})" for k in kinds))
    pieces, holes, at = [], [], 0
    for m in pattern.finditer(text):
        pieces.append(text[at:m.start()])
        holes.append(m.lastgroup)
        at = m.end()
    pieces.append(text[at:])
    return pieces, holes


def template(first: str, second: str) -> dict | None:
    """What a check wrote with the total (and the token) left open, from two renderings of it
    with the totals :data:`SENTINELS`; ``None`` when they differ anywhere else (then nothing is
    stored)."""
    a, b = _split(first, SENTINELS[0]), _split(second, SENTINELS[1])
    return {"pieces": a[0], "holes": a[1]} if a == b else None


def fill(entry: dict, total: float) -> str:
    import secrets

    f = forms(total)
    if "token" in entry["holes"]:
        f["token"] = secrets.token_hex(16)
    out = [entry["pieces"][0]]
    for hole, piece in zip(entry["holes"], entry["pieces"][1:], strict=True):
        out += [f[hole], piece]
    return "".join(out)
