"""A content-addressed cache of solver answers that cannot lie (:class:`ProofCache`).

The key of an answer is a hash of exactly what the solver was asked: the SMT-LIB text of the
solver's assertions (``Solver.sexpr()``, goal included), its options and timeout, Z3's
version and the engine's version (the package version and a hash of the prover's own source,
which reads the answers). An answer is reused only when the key matches; anything else is
solved again. Only ``unsat`` and ``sat`` are stored, never ``unknown``; a ``sat`` answer is
stored with its model (the value of every constant), so that a counterexample or a witness is
read back and replayed through the exact semantics as when it was found. An entry that cannot
be read, does not parse, or whose recorded key or checksum does not match its name is ignored
(and solved again), never trusted. Writes are atomic (a temporary file, then ``os.replace``),
so concurrent runs at worst solve the same query twice; the folder is pruned to a bounded
number of entries, the least recently written first."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

import z3

from avtalsregler import __version__
from avtalsregler.prover.cachedir import (CACHE_DIR_NAME, cache_folder, default_folder, prune_oldest,
                                          remove_entries, write_json)

__all__ = ["CACHE_DIR_NAME", "Answer", "CachedModel", "ProofCache", "default_folder", "engine_version", "open_cache"]

MAX_ENTRIES = 20000            # about 2–20 MB; a whole check of our agreement writes ~300
_FORMAT = 1


def engine_version() -> str:
    """The package version and a hash of the prover's source (what turns answers into proofs)."""
    h = hashlib.sha256(__version__.encode())
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"


class Answer:
    """A solver's answer read from the cache: what the proofs ask of a solver after ``check``
    (``model()`` and ``reason_unknown()``)."""

    def __init__(self, model: CachedModel | None):
        self._model = model

    def model(self) -> CachedModel:
        return self._model

    def reason_unknown(self) -> str:   # pragma: no cover - only sat and unsat are cached
        return ""

    def check(self):                  # what a proof that re-checks a solver would see
        return z3.sat


class CachedModel:
    """A model of 0-ary constants, evaluated like ``ModelRef.eval(t, model_completion=True)``:
    the stored values are substituted, constants the model does not mention get Z3's default
    (0, false), and the result must simplify to a value."""

    def __init__(self, values: list[tuple[str, str, str]], text: str, ctx: z3.Context):
        self.values, self.text, self.ctx = values, text, ctx
        self._by_name = {(n, s): _value(s, v, ctx) for n, s, v in values}

    def eval(self, term, model_completion: bool = True):
        # only the term's own constants are substituted (a model holds hundreds; a term asked
        # for is mostly one variable): each by its stored value, else Z3's default
        pairs = []
        for x in _constants(term):
            got = self._by_name.get((x.decl().name(), _sort_name(x)))
            pairs.append((x, got if got is not None else _default(x)))
        t = z3.simplify(z3.substitute(term, *pairs) if pairs else term)
        if not _is_value(t):
            raise ValueError(f"the cached model gives no value to {term}")
        return t

    def __str__(self) -> str:
        return self.text


class ProofCache:
    """Solver answers in a folder, one JSON file per key (``ab/abcdef….json``)."""

    def __init__(self, folder: Path | str, max_entries: int = MAX_ENTRIES):
        self.folder = Path(folder)
        self.max_entries = max_entries
        self.engine = engine_version()
        self.z3 = z3.get_full_version()
        self.written = 0
        self._texts: dict[int, tuple] = {}     # ast id -> (the term, kept alive; its text's hash),
        self._ctx = None                       # for the terms of this Z3 context only

    # -- keys and entries ---------------------------------------------------------------------
    def key(self, assertions: list, timeout_ms: int, params: dict | None) -> str:
        """The hash of the assertions a solver is given (in order), its timeout and options (the
        resource limit ``rlimit`` of a heuristic attempt among them, see prover.solving)."""
        h = hashlib.sha256()
        head = json.dumps({"format": _FORMAT, "engine": self.engine, "z3": self.z3, "timeout_ms": timeout_ms,
                           "params": sorted((str(k), str(v)) for k, v in (params or {}).items())},
                          sort_keys=True)
        h.update(head.encode())
        if assertions and assertions[0].ctx is not self._ctx:
            # term ids are per context (and each clause has its own, prover.solving): the texts
            # of another context's terms must never be looked up by a number of this one
            self._texts.clear()
            self._ctx = assertions[0].ctx
        for a in assertions:
            h.update(b"\0" + self._text(a))
        return h.hexdigest()

    def _text(self, a) -> bytes:
        """The SMT-LIB text of one assertion with its declarations (``(declare-fun …)``, so
        that a symbol's sort is part of it), once per term: the input domains and the side
        constraints of a rule are in most of its queries."""
        if a.ctx is not self._ctx:
            raise ValueError("assertions of one query from two Z3 contexts")
        got = self._texts.get(a.get_id())
        if got is None:
            one = z3.Solver(ctx=a.ctx)
            one.add(a)
            got = self._texts[a.get_id()] = (a, hashlib.sha256(one.sexpr().encode()).digest())
        return got[1]

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, ctx: z3.Context):
        """``(z3.unsat, Answer)``, ``(z3.sat, Answer)`` or ``None`` (absent, unreadable, corrupt)."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            body = entry["body"]
            if entry["key"] != key or entry["sum"] != _checksum(body) or body["key"] != key:
                return None
            if body["result"] == "unsat":
                return z3.unsat, Answer(None)
            if body["result"] == "sat":
                values = [(str(n), str(s), str(v)) for n, s, v in body["model"]]
                return z3.sat, Answer(CachedModel(values, str(body["text"]), ctx))
        except (OSError, ValueError, KeyError, TypeError, z3.Z3Exception):
            return None
        return None

    def put(self, key: str, result, solver: z3.Solver) -> None:
        """Store an ``unsat`` or ``sat`` answer (with its model); ``unknown`` is never stored,
        nor a model this cache cannot write down exactly."""
        if result == z3.unsat:
            body = {"key": key, "result": "unsat"}
        elif result == z3.sat:
            model = solver.model()
            values = _model_values(model)
            if values is None:
                return
            body = {"key": key, "result": "sat", "model": values, "text": str(model)}
        else:
            return
        self._write(key, {"key": key, "sum": _checksum(body), "body": body})

    def _write(self, key: str, entry: dict) -> None:
        try:
            write_json(self._path(key), entry)
            self.written += 1
        except OSError:
            pass                      # a cache that cannot be written only costs time

    # -- the folder -------------------------------------------------------------------------------
    def entries(self) -> list[Path]:
        return sorted(self.folder.glob("??/*.json")) if self.folder.is_dir() else []

    def prune(self) -> int:
        """Keep at most ``max_entries`` entries, removing the least recently written first."""
        files = self.entries()
        return prune_oldest(files, self.max_entries) if len(files) > self.max_entries else 0

    def clear(self) -> int:
        """Remove every entry (and leftover temporary files); returns how many entries."""
        if not self.folder.is_dir():
            return 0
        gone = remove_entries(self.folder, "??/*.json")
        for d in self.folder.glob("??"):
            try:
                d.rmdir()
            except OSError:
                pass
        return gone


def open_cache(root: Path | str) -> ProofCache | None:
    """The cache for a project, in :func:`~avtalsregler.prover.cachedir.cache_folder`."""
    folder = cache_folder(root)
    return ProofCache(folder) if folder is not None else None


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _model_values(model: z3.ModelRef) -> list[list[str]] | None:
    out = []
    for d in model.decls():
        if d.arity() != 0:
            return None
        v = model[d]
        sort = d.range()
        if sort == z3.IntSort(sort.ctx) and z3.is_int_value(v):
            out.append([d.name(), "Int", str(v.as_long())])
        elif sort == z3.RealSort(sort.ctx) and z3.is_rational_value(v):
            out.append([d.name(), "Real", f"{v.numerator_as_long()}/{v.denominator_as_long()}"])
        elif sort == z3.BoolSort(sort.ctx) and (z3.is_true(v) or z3.is_false(v)):
            out.append([d.name(), "Bool", "true" if z3.is_true(v) else "false"])
        else:
            return None
    return sorted(out)


def _value(sort: str, text: str, ctx):
    if sort == "Int":
        return z3.IntVal(int(text), ctx)
    if sort == "Real":
        f = Fraction(text)
        return z3.RealVal(f"{f.numerator}/{f.denominator}", ctx)
    if text not in ("true", "false"):
        raise ValueError(text)
    return z3.BoolVal(text == "true", ctx)


def _sort_name(x) -> str | None:
    sort = x.sort()
    return {z3.Z3_INT_SORT: "Int", z3.Z3_REAL_SORT: "Real", z3.Z3_BOOL_SORT: "Bool"}.get(sort.kind())


def _is_value(t) -> bool:
    return z3.is_int_value(t) or z3.is_rational_value(t) or z3.is_true(t) or z3.is_false(t)


def _default(x):
    if z3.is_bool(x):
        return z3.BoolVal(False, x.ctx)
    if x.sort() == z3.RealSort(x.ctx):
        return z3.RealVal(0, x.ctx)
    return z3.IntVal(0, x.ctx)


def _constants(t) -> list:
    seen, out, todo = set(), [], [t]
    while todo:
        e = todo.pop()
        if e.get_id() in seen:
            continue
        seen.add(e.get_id())
        if z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.append(e)
        todo.extend(e.children())
    return out
