"""Unit tests of prover/cachedir.py: where the cache lives, its bound, its clearing and its
atomic writer (no Z3, no project: each test is a few file operations)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from avtalsregler.prover.cachedir import CACHE_DIR_NAME, cache_folder, default_folder, prune_oldest, remove_entries, \
    write_json


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("AVTALSREGLER_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return monkeypatch


def test_default_folder_is_the_projects_own_unless_the_environment_names_one(no_env, tmp_path):
    assert CACHE_DIR_NAME == ".avtalsregler-cache"
    assert default_folder(tmp_path) == tmp_path / ".avtalsregler-cache"
    assert default_folder(str(tmp_path)) == tmp_path / ".avtalsregler-cache"
    no_env.setenv("AVTALSREGLER_CACHE", str(tmp_path / "elsewhere"))
    assert default_folder(tmp_path) == tmp_path / "elsewhere"
    no_env.setenv("AVTALSREGLER_CACHE", "")              # empty: as if unset
    assert default_folder(tmp_path) == tmp_path / ".avtalsregler-cache"


def test_cache_folder_is_made_with_a_gitignore_of_its_own(no_env, tmp_path):
    got = cache_folder(tmp_path)
    assert got == tmp_path / ".avtalsregler-cache" and got.is_dir()
    assert (got / ".gitignore").read_text(encoding="utf-8") == \
        "# the proof cache of avtalsregler (avtalsregler cache clear)\n*\n"
    (got / ".gitignore").write_text("mine\n", encoding="utf-8")          # an existing one is kept
    assert cache_folder(tmp_path) == got and (got / ".gitignore").read_text(encoding="utf-8") == "mine\n"


def test_cache_folder_falls_back_to_the_users_cache_folder(no_env, tmp_path):
    root = tmp_path / "project"
    root.write_text("a file, so no folder can be made in it", encoding="utf-8")
    no_env.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder(root) == tmp_path / "xdg" / "avtalsregler"
    assert (tmp_path / "xdg" / "avtalsregler" / ".gitignore").is_file()
    no_env.delenv("XDG_CACHE_HOME")
    no_env.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder(root) == tmp_path / "home" / ".cache" / "avtalsregler"
    (tmp_path / "home2").write_text("", encoding="utf-8")                   # nowhere to make one
    no_env.setenv("HOME", str(tmp_path / "home2"))
    assert cache_folder(root) is None


def files_of_age(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"f{i}.json"
        p.write_text("{}", encoding="utf-8")
        os.utime(p, (1_000_000 + i, 1_000_000 + i))                          # f0 the oldest
        out.append(p)
    return out


def test_prune_oldest_keeps_the_most_recently_written(tmp_path):
    files = files_of_age(tmp_path, 4)
    assert prune_oldest(list(reversed(files)), 2) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f2.json", "f3.json"]


@pytest.mark.parametrize("keep", [3, 4, 10])
def test_prune_oldest_removes_nothing_when_within_the_bound(tmp_path, keep):
    files = files_of_age(tmp_path, 3)
    assert prune_oldest(files, keep) == 0
    assert all(p.exists() for p in files)


def test_prune_oldest_counts_only_what_it_removed(tmp_path):
    files = files_of_age(tmp_path, 2)
    gone = tmp_path / "already-gone.json"          # cannot be read: counts as the oldest, is not removed
    assert prune_oldest([files[1], gone, files[0]], 1) == 1
    assert not files[0].exists() and files[1].exists()


def test_remove_entries_counts_entries_and_sweeps_temporary_files(tmp_path):
    """Temporary files without the entries' suffix (left by a writer that was stopped) go too."""
    assert remove_entries(tmp_path / "absent", "*.json") == 0
    (tmp_path / "ab").mkdir()
    for name in ("ab/x.json", "ab/y.json", "ab/.tmp-1", ".tmp-2", "z.json", "keep.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    # '??/*.json': the entries in the two-letter folders and the temporary files beside them only
    assert remove_entries(tmp_path, "??/*.json") == 2
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        [".tmp-2", "keep.txt", "z.json"]
    assert remove_entries(tmp_path, "*.json") == 1           # z.json; .tmp-2 swept, not counted
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["keep.txt"]


def test_remove_entries_with_a_deeper_pattern_sweeps_the_same_folder(tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    for name in ("a/b/x.json", "a/b/.tmp-1", "a/.tmp-2"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert remove_entries(tmp_path, "a/b/*.json") == 1
    assert [p.name for p in deep.iterdir()] == []
    assert (tmp_path / "a" / ".tmp-2").exists()         # not beside the entries: left alone


def test_write_json_writes_atomically_into_a_new_folder(tmp_path):
    path = tmp_path / "new" / "deeper" / "e.json"
    write_json(path, {"värde": [1, "å"]})
    assert path.read_text(encoding="utf-8") == '{"värde": [1, "å"]}'
    write_json(path, [2])
    assert json.loads(path.read_text(encoding="utf-8")) == [2]
    assert sorted(p.name for p in path.parent.iterdir()) == ["e.json"]     # no temporary file left


def test_write_json_leaves_nothing_behind_when_it_fails(tmp_path):
    path = tmp_path / "e.json"
    with pytest.raises(TypeError):
        write_json(path, {"x": object()})
    assert list(tmp_path.iterdir()) == []
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        write_json(blocked / "e.json", 1)
