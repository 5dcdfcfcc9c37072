"""Unit tests of prover/memo.py, the memo of whole checks. What matters most: an entry is replayed
only for the very check it was stored for (same head, same files, same listings) and only when it
is whole; anything else is a miss (the check runs again). No Z3, no project."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys

import pytest

from avtalsregler.project.inputs import listing, read_input, recording
from avtalsregler.prover import memo as M
from avtalsregler.prover.memo import HOLES, MAX_MEMOS, SENTINELS, Memo, fill, forms, template

OUT = [{"dest": None, "append": False, "pieces": ["ok in ", " s\n"], "holes": ["text"]}]


@pytest.fixture
def fixed(monkeypatch, tmp_path):
    """A fixed engine, versions, date and working folder, so that a head is reproducible."""
    monkeypatch.setattr(M, "engine_hash", lambda: "E")
    monkeypatch.setattr(M, "versions", lambda: {"python": "P"})
    monkeypatch.setattr(M, "today", lambda: datetime.date(2026, 3, 1))
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def stored(tmp_path, outputs=OUT, code=0, head="h"):
    """A memo with one entry for ``head``, depending on in/a.yaml and the listing of in/*.yaml."""
    (tmp_path / "in").mkdir(exist_ok=True)
    f = tmp_path / "in" / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    memo = Memo(tmp_path / "c")
    with recording() as reads:
        listing(tmp_path / "in", "*.yaml")
        read_input(f)
    assert memo.store(head, reads, outputs, code) is True
    return memo, reads


# -- the head ---------------------------------------------------------------------------------------
def test_head_is_the_hash_of_command_options_cwd_date_engine_and_versions(fixed, tmp_path):
    doc = {"format": 1, "command": "check", "options": {"format": "text"}, "cwd": os.getcwd(),
           "date": "2026-03-01", "engine": "E", "versions": {"python": "P"}}
    want = hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert Memo(tmp_path).head("check", {"format": "text"}) == want


def test_head_changes_with_anything_the_result_depends_on(fixed, tmp_path):
    memo = Memo(tmp_path / "c")
    base = memo.head("check", {"format": "text"})
    assert memo.head("check", {"format": "text"}) == base
    assert memo.head("amend", {"format": "text"}) != base
    assert memo.head("check", {"format": "json"}) != base
    fixed.setattr(M, "today", lambda: datetime.date(2026, 3, 2))         # a day later
    assert memo.head("check", {"format": "text"}) != base
    fixed.setattr(M, "today", lambda: datetime.date(2026, 3, 1))
    fixed.setattr(M, "engine_hash", lambda: "E2")                        # one byte of the engine
    assert memo.head("check", {"format": "text"}) != base
    fixed.setattr(M, "engine_hash", lambda: "E")
    fixed.setattr(M, "versions", lambda: {"python": "P2"})               # another Z3, Python, …
    assert memo.head("check", {"format": "text"}) != base
    fixed.setattr(M, "versions", lambda: {"python": "P"})
    (tmp_path / "sub").mkdir()
    fixed.chdir(tmp_path / "sub")                                        # paths are shown relative to it
    assert memo.head("check", {"format": "text"}) != base
    fixed.chdir(tmp_path)
    assert memo.head("check", {"format": "text"}) == base


def test_today_is_today():
    assert M.today() == datetime.date.today()


def package(root):
    (root / "sub").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "a.py").write_bytes(b"A = 1\n")
    (root / "sub" / "b.py").write_bytes(b"B = 2\n")
    return root


def test_engine_hash_covers_every_py_file_by_path_and_bytes_only(monkeypatch, tmp_path):
    monkeypatch.setattr(M, "PACKAGE", package(tmp_path / "one"))
    first = M.engine_hash()
    assert len(first) == 64 and first == M.engine_hash()
    monkeypatch.setattr(M, "PACKAGE", package(tmp_path / "two"))         # the same files elsewhere
    assert M.engine_hash() == first
    (tmp_path / "two" / "notes.txt").write_text("x", encoding="utf-8")   # not source
    (tmp_path / "two" / "__pycache__" / "a.py").write_text("x", encoding="utf-8")
    assert M.engine_hash() == first
    (tmp_path / "two" / "sub" / "b.py").write_bytes(b"B = 3\n")          # a byte in a subpackage
    assert M.engine_hash() != first
    (tmp_path / "two" / "sub" / "b.py").write_bytes(b"B = 2\n")
    assert M.engine_hash() == first
    (tmp_path / "two" / "a.py").rename(tmp_path / "two" / "c.py")        # another path, same bytes
    assert M.engine_hash() != first


def test_engine_hash_of_the_package_is_stable():
    assert M.engine_hash() == M.engine_hash() and M.PACKAGE.name == "avtalsregler"
    assert (M.PACKAGE / "prover" / "memo.py").is_file()


def test_distribution_names_origin_dist_info_and_compiled_libraries(monkeypatch, tmp_path):
    pkg = tmp_path / "fakepkg_u"
    (pkg / "lib").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "lib" / "libx.so").write_bytes(b"12345")
    (tmp_path / "fakepkg_u-1.2.dist-info").mkdir()
    (tmp_path / "Fakepkg_u-1.3.dist-info").mkdir()               # compared in lower case
    (tmp_path / "other-1.0.dist-info").mkdir()
    (tmp_path / "single_u.py").write_text("", encoding="utf-8")
    (tmp_path / "single_u-0.1.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    st = (pkg / "lib" / "libx.so").stat()
    assert M._distribution("fakepkg_u") == [str(pkg / "__init__.py"), "Fakepkg_u-1.3.dist-info",
                                            "fakepkg_u-1.2.dist-info", ["libx.so", 5, st.st_mtime_ns]]
    # a single-file module: its dist-info folders are beside it, in the same folder
    assert M._distribution("single_u") == [str(tmp_path / "single_u.py"), "single_u-0.1.dist-info"]
    assert M._distribution("no_such_module_u") == ["no_such_module_u", None]


def test_dist_prefix_knows_the_distribution_names_of_z3_and_yaml():
    assert M._dist_prefix("z3") == "z3_solver-"
    assert M._dist_prefix("yaml") == "pyyaml-"
    assert M._dist_prefix("_yaml") == "_yaml-"


def test_versions_name_python_the_package_and_the_libraries():
    v = M.versions()
    assert v["python"] == sys.version and set(v) == {"python", "avtalsregler", "z3", "yaml", "_yaml"}
    assert v["z3"][0].endswith("__init__.py")


# -- store and lookup ---------------------------------------------------------------------------------
def test_an_entry_is_found_under_its_head_only(tmp_path):
    memo, _ = stored(tmp_path)
    assert memo.folder == tmp_path / "c" / "memo"
    assert [p.name for p in memo.folder.iterdir()] == ["h.json"]
    body = memo.lookup("h")
    assert body["outputs"] == OUT and body["code"] == 0 and body["head"] == "h"
    assert body["files"] == [[str(tmp_path / "in" / "a.yaml"), hashlib.sha256(b"x: 1\n").hexdigest()]]
    assert body["listings"] == [[str(tmp_path / "in"), "*.yaml", ["a.yaml"]]]
    assert memo.lookup("other") is None


def test_an_entry_copied_to_another_head_is_never_replayed(tmp_path):
    """A whole, checksummed entry under another check's name: its own head says whose it is."""
    memo, _ = stored(tmp_path)
    (memo.folder / "h.json").rename(memo.folder / "g.json")
    assert memo.lookup("g") is None


def test_a_tampered_entry_is_ignored(tmp_path):
    memo, _ = stored(tmp_path)
    path = memo.folder / "h.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["body"]["outputs"][0]["pieces"][0] = "fine in "            # the checksum no longer matches
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert memo.lookup("h") is None
    path.write_text("{not json", encoding="utf-8")
    assert memo.lookup("h") is None


def test_a_changed_or_missing_file_or_listing_is_a_miss(tmp_path):
    memo, _ = stored(tmp_path)
    f = tmp_path / "in" / "a.yaml"
    f.write_text("x: 2\n", encoding="utf-8")
    assert memo.lookup("h") is None
    f.write_text("x: 1\n", encoding="utf-8")
    assert memo.lookup("h") is not None
    (tmp_path / "in" / "b.yaml").write_text("", encoding="utf-8")
    assert memo.lookup("h") is None
    (tmp_path / "in" / "b.yaml").unlink()
    f.unlink()
    assert memo.lookup("h") is None


@pytest.mark.parametrize("code, found", [(0, True), (1, True), (2, False), (3, False), (-1, False)])
def test_only_exit_codes_0_and_1_are_replayed(tmp_path, code, found):
    memo, _ = stored(tmp_path, code=code)
    assert (memo.lookup("h") is not None) is found


def whole(pieces, holes):
    return [{"dest": None, "append": False, "pieces": pieces, "holes": holes}]


@pytest.mark.parametrize("outputs, found", [
    (whole(["a"], []), True),
    (whole(["a", "b"], ["text"]), True),
    (whole(["", "", "", "", ""], ["json", "text", "sv", "token"]), True),    # every kind of hole
    (whole(["a", "b", "c"], ["text", "text"]), True),
    (whole(["a"], ["text"]), False),                  # a hole without the piece after it
    (whole(["a", "b", "c"], ["text"]), False),
    (whole(["a", "b"], ["date"]), False),             # not a hole this memo fills
    (whole(["a", 1], ["text"]), False),
    ({}, False), ("text", False), ([], True),
])
def test_only_whole_outputs_are_replayed(tmp_path, outputs, found):
    memo, _ = stored(tmp_path, outputs=outputs)
    assert (memo.lookup("h") is not None) is found


def test_a_file_read_twice_with_different_bytes_is_not_stored(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    memo = Memo(tmp_path / "c")
    with recording() as reads:
        read_input(f)
        read_input(f)                                  # the same bytes twice: one file
    assert memo.store("h", reads, OUT, 0) is True
    assert len(memo.lookup("h")["files"]) == 1
    with recording() as reads:
        read_input(f)
        f.write_text("x: 3\n", encoding="utf-8")
        read_input(f)
    assert memo.store("g", reads, OUT, 0) is False
    assert memo.lookup("g") is None


def test_store_says_false_when_the_folder_cannot_be_written(tmp_path):
    (tmp_path / "c").write_text("", encoding="utf-8")
    with recording() as reads:
        pass
    assert Memo(tmp_path / "c").store("h", reads, OUT, 0) is False


def entries_of_age(memo, n):
    memo.folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        p = memo.folder / f"old{i:03}.json"
        p.write_text("{}", encoding="utf-8")
        os.utime(p, (1_000_000 + i, 1_000_000 + i))


def test_at_most_100_entries_are_kept(tmp_path):
    assert MAX_MEMOS == 100
    memo = Memo(tmp_path / "c")
    entries_of_age(memo, 101)
    assert memo.prune() == 1 and not (memo.folder / "old000.json").exists()
    assert len(list(memo.folder.glob("*.json"))) == 100
    assert memo.prune(keep=98) == 2 and len(list(memo.folder.glob("*.json"))) == 98


def test_store_prunes_the_oldest(tmp_path):
    memo = Memo(tmp_path / "c")
    entries_of_age(memo, 100)
    with recording() as reads:
        pass
    assert memo.store("new", reads, OUT, 0) is True
    assert len(list(memo.folder.glob("*.json"))) == 100
    assert (memo.folder / "new.json").exists() and not (memo.folder / "old000.json").exists()


def test_clear_removes_every_entry(tmp_path):
    memo, reads = stored(tmp_path)
    assert memo.store("g", reads, OUT, 1) is True
    (memo.folder / "notes.txt").write_text("", encoding="utf-8")
    assert memo.clear() == 2 and memo.lookup("h") is None
    assert [p.name for p in memo.folder.iterdir()] == ["notes.txt"]


# -- the total time and the token, left open ----------------------------------------------------------
def test_forms_of_the_total():
    assert forms(1.23456) == {"json": "1.235", "text": "1.23", "sv": "1,23"}
    assert forms(SENTINELS[0]) == {"json": "8765.432", "text": "8765.43", "sv": "8765,43"}
    assert HOLES == ("json", "text", "sv", "token")


def test_split_cuts_at_every_form_the_longest_first():
    text = "::stop-commands::" + "c" * 32 + "\nt 8765.43 j 8765.432 s 8765,43\n::" + "c" * 32 + "::"
    assert M._split(text, SENTINELS[0]) == (
        ["::stop-commands::", "\nt ", " j ", " s ", "\n::", "::"], ["token", "text", "json", "sv", "token"])
    assert M._split("no total", 1.0) == (["no total"], [])
    assert M._split("1.00 x", 1.0) == (["", " x"], ["text"])


def render(total, token):
    return (f"::stop-commands::{token}\n14 clauses in {total:.2f} s\n::{token}::\n"
            f'{{"seconds": {round(total, 3)}}} på {f"{total:.2f}".replace(".", ",")} s')


def test_template_and_fill_replay_with_a_new_total_and_a_fresh_token():
    t = template(render(SENTINELS[0], "a" * 32), render(SENTINELS[1], "b" * 32))
    assert t == {"pieces": ["::stop-commands::", "\n14 clauses in ", " s\n::", '::\n{"seconds": ', "} på ", " s"],
                 "holes": ["token", "text", "token", "json", "sv"]}
    out = fill(t, 1.5)
    token = out.split("\n")[0].removeprefix("::stop-commands::")
    assert len(token) == 32 and int(token, 16) >= 0 and token not in ("a" * 32, "b" * 32)
    assert out == render(1.5, token)
    assert fill(t, 1.5) != out                        # each replay its own token
    assert template(render(SENTINELS[0], "a" * 32) + "x", render(SENTINELS[1], "b" * 32)) is None
    # the same text for both totals: the total is not in it, nothing is left open but it is kept
    assert template("same", "same") == {"pieces": ["same"], "holes": []}
    assert template("t 8765.43", "t 8765.43") is None            # the second total missing


def test_fill_without_a_token_and_with_only_pieces():
    assert fill({"pieces": ["a ", " b ", ""], "holes": ["sv", "json"]}, 0.5) == "a 0,50 b 0.5"
    assert fill({"pieces": ["only"], "holes": []}, 3.0) == "only"
