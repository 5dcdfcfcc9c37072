"""Unit tests of prover/cache.py, the proof cache. What matters most: an answer is returned only
for the very query it was stored for, and exactly as the solver gave it (``unsat`` stays
``unsat``, ``sat`` comes back with the same model); anything else is a miss. Tiny Z3 queries
only."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

import pytest
import z3

from avtalsregler import __version__
from avtalsregler.prover import cache as C
from avtalsregler.prover.cache import MAX_ENTRIES, Answer, CachedModel, ProofCache, engine_version, open_cache


def test_the_public_names():
    assert sorted(C.__all__) == ["Answer", "CACHE_DIR_NAME", "CachedModel", "ProofCache", "default_folder",
                                 "engine_version", "open_cache"]
    names: dict = {}
    exec("from avtalsregler.prover.cache import *", names)
    assert sorted(n for n in names if n != "__builtins__") == sorted(C.__all__)


def test_engine_version_is_the_package_version_and_a_hash_of_the_provers_source():
    h = hashlib.sha256(__version__.encode())
    for f in sorted((Path(C.__file__).parent).glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    assert engine_version() == f"{__version__}+{h.hexdigest()[:16]}"
    assert len(engine_version().rsplit("+", 1)[1]) == 16


def test_a_new_cache_holds_what_it_was_given(tmp_path):
    cache = ProofCache(str(tmp_path / "c"))
    assert cache.folder == tmp_path / "c" and cache.max_entries == MAX_ENTRIES == 20000
    assert cache.engine == engine_version() and cache.z3 == z3.get_full_version()
    assert cache.written == 0 and cache.entries() == [] and cache.prune() == 0 and cache.clear() == 0
    assert ProofCache(tmp_path, max_entries=5).max_entries == 5


# -- keys ----------------------------------------------------------------------------------------------
def test_the_key_is_the_hash_of_head_and_the_texts_of_the_assertions(tmp_path):
    """By hand: the head is the JSON of format, engine, Z3 version, timeout and the sorted options;
    then, per assertion, a NUL and the SHA-256 of the SMT-LIB text of a solver holding it alone."""
    cache = ProofCache(tmp_path)
    x = z3.Int("x")
    a, b = x > 0, x < 7
    head = json.dumps({"format": 1, "engine": cache.engine, "z3": z3.get_full_version(), "timeout_ms": 500,
                       "params": [["rlimit", "9"], ["seed", "1"]]}, sort_keys=True)
    h = hashlib.sha256(head.encode())
    for t in (a, b):
        one = z3.Solver()
        one.add(t)
        h.update(b"\0" + hashlib.sha256(one.sexpr().encode()).digest())
    assert cache.key([a, b], 500, {"seed": 1, "rlimit": 9}) == h.hexdigest()
    assert cache.key([a, b], 500, {"seed": 1, "rlimit": 9}) == h.hexdigest()      # the texts, remembered


def test_keys_differ_for_every_difference_in_the_query(tmp_path):
    cache = ProofCache(tmp_path)
    x, y = z3.Int("x"), z3.Int("y")
    k = cache.key([x > 0], 1000, None)
    assert k == cache.key([z3.Int("x") > 0], 1000, {})
    assert len({k, cache.key([y > 0], 1000, None), cache.key([x > 1], 1000, None),
                cache.key([x > 0, y > 0], 1000, None), cache.key([y > 0, x > 0], 1000, None),
                cache.key([x > 0], 999, None), cache.key([x > 0], 1000, {"rlimit": 1}),
                cache.key([x > 0], 1000, {"rlimit": 2}), cache.key([], 1000, None)}) == 9
    r = z3.Real("x")
    assert cache.key([x == 1], 1000, None) != cache.key([r == 1], 1000, None)


def test_terms_of_two_contexts(tmp_path):
    cache = ProofCache(tmp_path)
    c1, c2 = z3.Context(), z3.Context()
    a1, a2 = z3.Int("x", c1) > 0, z3.Int("y", c2) < 5
    assert a1.get_id() == a2.get_id()
    k1 = cache.key([a1], 1000, None)
    assert cache.key([a2], 1000, None) != k1                # the same term number, another term
    assert cache.key([z3.Int("x", c1) > 0], 1000, None) == k1
    with pytest.raises(ValueError, match="two Z3 contexts"):
        cache.key([a1, a2], 1000, None)


# -- entries ---------------------------------------------------------------------------------------------
def solved(*facts):
    s = z3.Solver()
    s.add(*facts)
    r = s.check()
    return r, s


def test_unsat_is_stored_and_read_back_as_unsat(tmp_path):
    cache = ProofCache(tmp_path)
    x = z3.Int("x")
    key = cache.key([x > 0, x < 0], 1000, None)
    r, s = solved(x > 0, x < 0)
    cache.put(key, r, s)
    assert cache.written == 1
    assert cache.entries() == [tmp_path / key[:2] / f"{key}.json"]
    got, answer = cache.get(key, z3.main_ctx())
    assert got == z3.unsat and answer.model() is None and answer.check() == z3.sat
    assert answer.reason_unknown() == ""
    assert cache.get(cache.key([x > 0], 1000, None), z3.main_ctx()) is None     # another query: a miss


def test_sat_is_stored_with_its_model_and_read_back_as_sat(tmp_path):
    cache = ProofCache(tmp_path)
    x, r, b, c = z3.Int("x"), z3.Real("r"), z3.Bool("b"), z3.Bool("c")
    facts = [x == -3, r == z3.Q(-5, 2), b, z3.Not(c)]
    key = cache.key(facts, 1000, None)
    res, s = solved(*facts)
    cache.put(key, res, s)
    got, answer = cache.get(key, z3.main_ctx())
    assert got == z3.sat
    m = answer.model()
    assert m.eval(x).as_long() == -3
    assert Fraction(m.eval(r).as_fraction()) == Fraction(-5, 2)
    assert z3.is_true(m.eval(b)) and z3.is_false(m.eval(c))
    assert m.eval(x + 5).as_long() == 2 and m.eval(x * x + 3).as_long() == 12
    assert str(m) == str(s.model())
    assert sorted(m.values) == [("b", "Bool", "true"), ("c", "Bool", "false"), ("r", "Real", "-5/2"),
                                ("x", "Int", "-3")]


def test_unknown_and_models_that_cannot_be_written_exactly_are_not_stored(tmp_path):
    cache = ProofCache(tmp_path)
    x, r = z3.Int("x"), z3.Real("r")
    cache.put("k" * 64, z3.unknown, None)
    f = z3.Function("f", z3.IntSort(), z3.IntSort())
    for facts in ([f(x) == 3], [r * r == 2, r > 0], [z3.BitVec("v", 8) == 3]):   # a function, an irrational, a bit-vector
        res, s = solved(*facts)
        assert res == z3.sat
        cache.put(cache.key(facts, 1000, None), res, s)
    assert cache.entries() == [] and cache.written == 0


def stored_sat(tmp_path):
    cache = ProofCache(tmp_path)
    x = z3.Int("x")
    key = cache.key([x == 4], 1000, None)
    cache.put(key, *solved(x == 4))
    return cache, key, cache.entries()[0]


def test_an_entry_under_another_key_is_never_an_answer(tmp_path):
    cache, key, path = stored_sat(tmp_path)
    other = cache.key([z3.Int("x") == 5], 1000, None)
    (tmp_path / other[:2]).mkdir(exist_ok=True)
    (tmp_path / other[:2] / f"{other}.json").write_bytes(path.read_bytes())     # copied whole
    assert cache.get(other, z3.main_ctx()) is None
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["key"] = other                                                            # the outer key fits, the body's not
    (tmp_path / other[:2] / f"{other}.json").write_text(json.dumps(entry), encoding="utf-8")
    assert cache.get(other, z3.main_ctx()) is None
    entry["body"]["key"] = other                                                    # both fit, the checksum not
    (tmp_path / other[:2] / f"{other}.json").write_text(json.dumps(entry), encoding="utf-8")
    assert cache.get(other, z3.main_ctx()) is None
    entry["sum"] = C._checksum(entry["body"])                                       # only the body's key is off
    entry["body"]["key"] = key
    entry["sum"] = C._checksum(entry["body"])
    (tmp_path / other[:2] / f"{other}.json").write_text(json.dumps(entry), encoding="utf-8")
    assert cache.get(other, z3.main_ctx()) is None
    assert cache.get(key, z3.main_ctx())[0] == z3.sat


def rewrite(path, body):
    path.write_text(json.dumps({"key": body["key"], "sum": C._checksum(body), "body": body}), encoding="utf-8")


def test_a_lying_or_broken_entry_is_ignored(tmp_path):
    cache, key, path = stored_sat(tmp_path)
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["body"]["result"] = "unsat"                                   # the checksum no longer matches
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert cache.get(key, z3.main_ctx()) is None
    for body in ({"key": key, "result": "unknown"}, {"key": key, "result": "sat"},
                 {"key": key, "result": "sat", "text": "", "model": [["x", "Bool", "maybe"]]},
                 {"key": key, "result": "sat", "text": "", "model": [["x", "Int", "4.5"]]}):
        rewrite(path, body)
        assert cache.get(key, z3.main_ctx()) is None
    path.write_text("{", encoding="utf-8")
    assert cache.get(key, z3.main_ctx()) is None
    rewrite(path, {"key": key, "result": "sat", "text": "[x = 4]", "model": [["x", "Int", "4"]]})
    got, answer = cache.get(key, z3.main_ctx())
    assert got == z3.sat and answer.model().eval(z3.Int("x")).as_long() == 4 and str(answer.model()) == "[x = 4]"


# -- the cached model ----------------------------------------------------------------------------------
def test_a_cached_model_evaluates_like_a_completed_z3_model():
    ctx = z3.main_ctx()
    m = CachedModel([("x", "Int", "2"), ("r", "Real", "1/3"), ("b", "Bool", "true"), ("c", "Bool", "false")],
                    "text", ctx)
    x, r, b, c = z3.Int("x"), z3.Real("r"), z3.Bool("b"), z3.Bool("c")
    assert m.values[0] == ("x", "Int", "2") and m.text == "text" and m.ctx is ctx and str(m) == "text"
    assert m.eval(x + 3).as_long() == 5 and m.eval(3 + x * x).as_long() == 7
    assert Fraction(m.eval(r * 3).as_fraction()) == 1
    assert z3.is_true(m.eval(z3.And(b, z3.Not(c)))) and z3.is_false(m.eval(c))
    assert z3.is_true(m.eval(z3.BoolVal(True))) and m.eval(z3.IntVal(9)).as_long() == 9
    # constants the model does not mention: Z3's default 0 / 0 / false
    assert m.eval(z3.Int("y") + 1).as_long() == 1
    assert Fraction(m.eval(z3.Real("s") + r).as_fraction()) == Fraction(1, 3)
    assert z3.is_false(m.eval(z3.Bool("d")))
    assert m.eval(z3.Int("r") + 1).as_long() == 1          # a name of the model with another sort: not it
    f = z3.Function("f", z3.IntSort(), z3.IntSort())
    with pytest.raises(ValueError, match="no value"):
        m.eval(f(x))


def test_a_cached_model_in_another_context():
    ctx = z3.Context()
    m = CachedModel([("x", "Int", "7")], "", ctx)
    assert m.eval(z3.Int("x", ctx) - 1).as_long() == 6
    assert m.eval(z3.Real("z", ctx)).as_fraction() == 0 and m.eval(z3.Int("w", ctx)).as_long() == 0


def test_answer():
    m = CachedModel([], "", z3.main_ctx())
    a = Answer(m)
    assert a.model() is m and a.check() == z3.sat and a.reason_unknown() == ""


def test_constants_are_found_once_each():
    x, y = z3.Int("x"), z3.Int("y")
    got = C._constants((x + y) * (x + 1) + 2)
    assert sorted(str(c) for c in got) == ["x", "y"]
    assert C._constants(z3.IntVal(3) + 4) == []
    assert C._sort_name(z3.Int("x")) == "Int" and C._sort_name(z3.Real("x")) == "Real"
    assert C._sort_name(z3.Bool("x")) == "Bool" and C._sort_name(z3.BitVec("x", 8)) is None


def test_values_and_defaults():
    ctx = z3.main_ctx()
    assert C._value("Int", "-12", ctx).as_long() == -12
    assert C._value("Real", "-7/4", ctx).as_fraction() == Fraction(-7, 4)
    assert z3.is_true(C._value("Bool", "true", ctx)) and z3.is_false(C._value("Bool", "false", ctx))
    with pytest.raises(ValueError):
        C._value("Bool", "True", ctx)
    assert C._default(z3.Int("x")).as_long() == 0 and C._default(z3.Int("x")).is_int()
    assert C._default(z3.Real("x")).as_fraction() == 0 and C._default(z3.Real("x")).is_real()
    assert z3.is_false(C._default(z3.Bool("x")))
    assert C._is_value(z3.IntVal(1)) and C._is_value(z3.RealVal("1/2")) and C._is_value(z3.BoolVal(False))
    assert C._is_value(z3.BoolVal(True)) and not C._is_value(z3.Int("x"))


# -- the folder --------------------------------------------------------------------------------------------
def test_prune_keeps_the_bound_and_clear_removes_entries_and_their_folders(tmp_path):
    cache = ProofCache(tmp_path, max_entries=3)
    s = z3.Solver()
    for i in range(3):
        cache.put(cache.key([z3.Int("x") == i], 1000, None), z3.unsat, s)
    assert cache.written == 3 and cache.prune() == 0 and len(cache.entries()) == 3
    for i in range(3, 5):
        cache.put(cache.key([z3.Int("x") == i], 1000, None), z3.unsat, s)
    assert cache.prune() == 2 and len(cache.entries()) == 3
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert cache.clear() == 3 and cache.entries() == []
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]       # the two-letter folders went too


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    cache = ProofCache(tmp_path / "file")
    cache.put("ab" * 32, z3.unsat, z3.Solver())
    assert cache.written == 0 and cache.get("ab" * 32, z3.main_ctx()) is None


def test_open_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("AVTALSREGLER_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    cache = open_cache(tmp_path)
    assert isinstance(cache, ProofCache) and cache.folder == tmp_path / ".avtalsregler-cache"
    (tmp_path / "f").write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "f"))
    assert open_cache(tmp_path / "f") is None
