"""Every hint that names a command names one that exists: the errors of every command and
sub-command (an unknown option, a missing argument) are collected, and each command a hint
names ("see 'avtalsregler amend check --help'") is parsed with --help and must print its usage."""

from __future__ import annotations

import argparse
import re

import pytest

from avtalsregler.cli.main import build_parser, main

from ..conftest import ROOT

NAMED = re.compile(r"'(avtalsregler(?: [^'\s-][^'\s]*)*)(?: --help)?'")


def _commands() -> list[list[str]]:
    """Every command and sub-command of the parser, and every computation of ``compute``."""
    out: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        for action in subs:
            for name, child in action.choices.items():
                out.append(path + [name])
                walk(child, path + [name])

    walk(build_parser(), [])
    from avtalsregler.apps.compute import computations
    from avtalsregler.project.load import load_project

    out += [["compute", c.name] for c in computations(load_project(ROOT))]
    return out


def _bad_calls() -> list[list[str]]:
    """Calls that fail while parsing (never a command that runs: no file is written)."""
    calls = [["no-such-command"], ["--no-such-option"]]
    calls += [cmd + ["--no-such-option"] for cmd in _commands()]
    # a missing argument
    calls += [["amend", "check"], ["amend", "apply"], ["compute", "giltighet"], ["data", "import-population"],
              ["data", "add-index"], ["audit"], ["compliance"]]
    calls += [["audit", "x.csv", "--no-such-option"], ["compute", "giltighet", "--date", "2024-13-01"],
              ["compute", "ersattning", "--year", "tjugo"]]
    return calls


def _hints(capsys, argv: list[str]) -> list[str]:
    try:
        main(["--root", str(ROOT), *argv])
    except SystemExit:
        pass
    out, err = capsys.readouterr()
    return [m.group(1) for line in (out + err).splitlines() if "hint" in line or "see" in line
            for m in NAMED.finditer(line)]


def test_every_command_a_hint_names_exists(capsys):
    named: dict[str, list[str]] = {}
    for argv in _bad_calls():
        for cmd in _hints(capsys, argv):
            named.setdefault(cmd, argv)
    # the hints of the sub-commands name them in full (not 'avtalsregler check' for 'amend check')
    assert "avtalsregler amend check" in named and "avtalsregler compute giltighet" in named
    assert "avtalsregler giltighet" not in named
    for cmd, argv in named.items():
        words = cmd.split()[1:]
        code = main(["--root", str(ROOT), *words, "--help"])     # main returns argparse's code
        out, err = capsys.readouterr()
        assert code == 0, (cmd, argv, err)
        assert out.startswith("usage: avtalsregler"), (cmd, argv, out[:200])


def test_amend_check_hint_names_amend_check(capsys):
    assert _hints(capsys, ["amend", "check"]) == ["avtalsregler amend check"]


def test_every_command_the_source_names_in_quotes_exists(capsys):
    """Hints and messages written in the code ("run 'avtalsregler check'", "'avtalsregler amend
    revert'") name commands that exist."""
    src = ROOT / "src" / "avtalsregler"
    named = {m.group(1) for p in src.rglob("*.py")
             for m in re.finditer(r"'(avtalsregler(?: [a-z][a-z-]*)+)'", p.read_text(encoding="utf-8"))}
    assert "avtalsregler check" in named
    for cmd in sorted(named):
        code = main(["--root", str(ROOT), *cmd.split()[1:], "--help"])
        out, _ = capsys.readouterr()
        assert code == 0 and out.startswith("usage: avtalsregler"), cmd
