"""Tooling around the commands: progress on a terminal, ``--version`` with the rules' version,
shell completion, the ``docs --serve`` address, and that the base install's dependencies cover
every package the code imports (also the ones imported lazily, inside functions)."""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from avtalsregler.cli.commands.docs import serve_url
from avtalsregler.cli.main import main
from avtalsregler.cli.progress import Progress
from avtalsregler.cli.version import rules_hash
from avtalsregler.errors import DataError
from avtalsregler.prover.check import check_project

from ..conftest import ROOT, SESSION_DIR
from . import base_install

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


# -- dependencies -----------------------------------------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_modules() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((ROOT / "src/avtalsregler").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                top = n.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("avtalsregler", "__future__"):
                    found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _missing(deps: list[str]) -> dict[str, str]:
    """Imported packages that no distribution named in ``deps`` provides."""
    declared = {_norm(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in deps}
    dists = packages_distributions()
    return {m: where for m, where in _imported_top_modules().items()
            if not {_norm(d) for d in dists.get(m, [m])} & declared}


def test_every_imported_package_is_a_runtime_dependency():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert {"yaml", "z3", "mkdocs", "icalendar", "openpyxl", "shtab"} <= set(_imported_top_modules())  # lazy ones too
    assert not _missing(deps), f"imported but not in [project] dependencies: {_missing(deps)}"
    # the site's theme is a package too, named only in mkdocs.yml
    theme = re.search(r"(?m)^\s+name:\s*(\w+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))[1]
    assert f"mkdocs-{theme}" in {_norm(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in deps}


def test_the_dependency_check_can_fail():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    without = [d for d in deps if not d.lower().startswith(("mkdocs", "icalendar"))]
    assert set(_missing(without)) == {"mkdocs", "icalendar"}      # PyYAML's module 'yaml' is still found


# -- progress ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", [0, 1, 2])           # 0: one clause after the other, here
def test_progress_line_per_clause(project, jobs):
    stream = io.StringIO()
    progress = Progress("check", enabled=True, stream=stream)
    results = check_project(project, ["§12", "§3"], jobs=jobs, on_clause=progress)
    progress.done()
    text = stream.getvalue()
    assert [r.clause.id for r in results] == ["§3", "§12"]                 # the report keeps clause order
    lines = text.split("\r\x1b[2K")
    assert lines[0] == "" and lines[-1] == "" and len(lines) == 4 and "\n" not in text   # one live line, cleared
    assert lines[1].startswith("check: 1/2 clauses, last §") and lines[2].startswith("check: 2/2 clauses, last §")
    assert {lines[1].split("last ")[1].split()[0], lines[2].split("last ")[1].split()[0]} == {"§3", "§12"}


def test_progress_is_silent_when_not_a_terminal_and_finishes(project):
    stream = io.StringIO()
    finished = []
    progress = Progress("docs", stream=stream, on_finish=lambda: finished.append(True))
    check_project(project, ["§12"], on_clause=progress)
    assert stream.getvalue() == "" and finished == [True]


def test_amend_check_reports_progress_per_clause():
    from avtalsregler.apps.amend.report import check_amendment

    stream = io.StringIO()
    progress = Progress("amend check", enabled=True, stream=stream)
    report = check_amendment(ROOT, ROOT / "amendments/tak_60_procent_med_spec.yaml", on_clause=progress)
    assert report.exit_code == 0
    assert [r["clause"] for r in report.reverified] == ["§12"]      # the amendment changes §12 only
    assert "amend check: 1/1 clauses, last §12 ok" in stream.getvalue()


@pytest.mark.parametrize("fmt,shown", [("text", True), ("json", False)])
def test_progress_on_a_real_terminal(fmt, shown):
    import pty

    master, slave = pty.openpty()
    try:
        # --no-cache: a check the whole-check memo answers checks no clause and shows no progress
        r = subprocess.run([sys.executable, "-m", "avtalsregler", "check", "--clause", "12", "--format", fmt, "--no-cache"],
                           cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=slave, timeout=300)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert r.returncode == 0
    assert (b"check: 1/1 clauses, last \xc2\xa712 ok" in seen) == shown, seen
    assert b"1/1 clauses" not in r.stdout                             # the report stays clean


def test_serve_address():
    assert serve_url("127.0.0.1:8000") == "http://127.0.0.1:8000/"
    assert serve_url("0.0.0.0:9000") == "http://localhost:9000/"
    with pytest.raises(DataError):
        serve_url("8000")


# -- version and completion --------------------------------------------------------------------------

def test_version_names_the_tool_and_the_rules(capsys, tmp_path):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    from avtalsregler import __version__

    assert out.startswith(f"avtalsregler {__version__}\n")
    digest = rules_hash(ROOT)
    assert re.fullmatch(r"[0-9a-f]{12}", digest) and f"rules {digest}" in out
    # the hash follows the files, not git: a copy has the same, one changed byte another
    for d in ("agreement", "rules", "specs", "readings"):
        shutil.copytree(ROOT / d, tmp_path / d)
    assert rules_hash(tmp_path) == digest
    spec = tmp_path / "specs/s12_tvist.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert rules_hash(tmp_path) != digest
    assert rules_hash(tmp_path / "nothing") is None


def test_bash_completion_completes_commands_and_options():
    script = subprocess.run([sys.executable, "-m", "avtalsregler", "completion", "bash"], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, timeout=120).stdout
    func = re.search(r"complete .*-F (\S+) avtalsregler", script)[1]
    probe = (script + f"\nCOMP_WORDS=(avtalsregler am); COMP_CWORD=1; COMP_LINE='avtalsregler am'; COMP_POINT=15; "
             f"{func}; echo \"${{COMPREPLY[@]}}\"\n"
             f"COMP_WORDS=(avtalsregler check --for); COMP_CWORD=2; COMP_LINE='avtalsregler check --for'; "
             f"COMP_POINT=24; {func}; echo \"${{COMPREPLY[@]}}\"\n")
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], capture_output=True, text=True, timeout=60)
    first, second = r.stdout.strip().split("\n")[-2:]
    assert first.split() == ["amend"], r.stdout + r.stderr
    assert "--format" in second.split(), r.stdout + r.stderr



def _bash_complete(script: str, *lines: str) -> list[list[str]]:
    """What bash offers at the end of each command line (the word being typed is the last word;
    a line ending in a space completes a new, empty word)."""
    func = re.search(r"complete .*-F (\S+) avtalsregler", script)[1]
    probe = script
    for line in lines:
        words = line.split() + ([""] if line.endswith(" ") else [])
        quoted = " ".join(f"'{w}'" for w in words)
        probe += (f"\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMP_LINE='{line}'; "
                  f"COMP_POINT={len(line)}; COMPREPLY=(); {func}; echo \"${{COMPREPLY[@]}}\"\n")
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], capture_output=True, text=True, timeout=60)
    out = r.stdout.rstrip("\n").split("\n")[-len(lines):]
    assert len(out) == len(lines), r.stdout + r.stderr
    return [o.split() for o in out]


def test_bash_completion_knows_the_options_of_each_computation(tmp_path):
    """compute NAME's options come from the rules' computations (parsed in a second step), so
    the script is made with the computations of the project in --root as sub-commands of
    compute. Expected: the names 'compute' lists (ersattning, giltighet for this agreement;
    avgift, uppsagning for the fictitious second one) and options of each from its declaration."""
    def script(root):
        r = subprocess.run([sys.executable, "-m", "avtalsregler", "--root", str(root), "completion", "bash"],
                           cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return r
    ours = script(ROOT)
    assert ours.stderr == ""
    names, ann, vintage, date = _bash_complete(ours.stdout, "avtalsregler compute ", "avtalsregler compute ersattning --ann",
                                               "avtalsregler compute ersattning --vintage ",
                                               "avtalsregler compute giltighet --da")
    assert names == ["ersattning", "giltighet"] and ann == ["--annual-amount"] and date == ["--date"]
    assert vintage == ["before-year", "latest"]
    other = script(ROOT / "tests" / "fixtures" / "andra_avtalet")
    assert _bash_complete(other.stdout, "avtalsregler compute ")[0] == ["avgift", "uppsagning"]
    # No project in --root: the script is still made (every other command completes), with a note.
    empty = script(tmp_path)
    assert "'compute NAME' options are left out" in empty.stderr and "Traceback" not in empty.stderr
    first, opts = _bash_complete(empty.stdout, "avtalsregler am", "avtalsregler compute --")
    assert first == ["amend"] and opts == ["--help"]

def test_zsh_completion_knows_every_command(capsys):
    assert main(["completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert script.startswith("#compdef avtalsregler")
    for cmd in ("check", "amend", "docs", "calendar", "completion"):
        assert re.search(rf"\b{cmd}\b", script), cmd
    if shutil.which("zsh"):
        r = subprocess.run(["zsh", "-n"], input=script, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr


@pytest.mark.slow
def test_base_install_runs_docs_and_the_calendar():
    """The README's first command in a fresh venv (no test extras, nothing of this environment),
    from a clone of the committed tree: then 'docs' builds the site and 'calendar --format ics'
    writes a calendar (both need packages that only the base dependencies bring). The steps run
    in the background of the session from the end of collection on (tests/cli/base_install.py);
    here, what each returned."""
    job = base_install.wait(SESSION_DIR)
    assert "error" not in job, job.get("error")
    for step in ("git", "mkvenv"):
        assert job[step]["returncode"] == 0, job[step]
    r = job["pip"]
    assert r["returncode"] == 0, r["stdout"] + r["stderr"]
    assert job["venv"] in job["where"]["stdout"]                  # the venv's copy, not this tree's
    r = job["docs"]
    assert r["returncode"] == 0, r["stdout"] + r["stderr"]
    assert (Path(job["site"]) / "index.html").is_file()
    r = job["calendar"]
    assert r["returncode"] == 0 and r["stdout"].startswith("BEGIN:VCALENDAR"), r["stderr"]
