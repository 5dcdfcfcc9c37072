"""Running one hostile case: a copy of a project, the case's edits, the command in-process via
the CLI's ``main()`` (or in a subprocess when its time and memory are measured), and the checks
every case must pass: no traceback, the expected exit code, the expected ``path:line:col``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECTS = {"andra": ROOT / "tests" / "fixtures" / "andra_avtalet", "main": ROOT}
MAIN_DIRS = ("rules", "specs", "readings", "agreement", "data", "amendments", "docs", "examples")
MAIN_FILES = ("mkdocs.yml",)
SECONDS, MEGABYTES = 5.0, 300


@dataclass(frozen=True)
class At:
    """The place of the first ``needle`` (after ``after``, if given) in ``file``, ``dcol``
    columns on; ``line`` alone gives a line at column ``col``."""

    file: str
    needle: str = ""
    dcol: int = 0
    after: str = ""
    line: int = 0
    col: int = 1

    def resolve(self, root: Path) -> str:
        if self.line:
            return re.escape(f"{self.file}:{self.line}:{self.col}")
        data = (root / self.file).read_bytes().decode("utf-8", "surrogateescape")
        start = data.index(self.after) if self.after else 0
        i = data.index(self.needle, start)
        line = data.count("\n", 0, i) + 1
        col = i - (data.rfind("\n", 0, i) + 1) + 1 + self.dcol
        return re.escape(f"{self.file}:{line}:{col}")


@dataclass
class Case:
    """One bad input. ``edits`` change the project copy (``(file, old, new)`` replaces text once,
    ``(file, content)`` writes a file, content as str, bytes or a function of nothing that
    returns either, so large inputs are generated at test time); ``argv`` is the command;
    ``where`` the ``path:line:col`` expected at the start of the error: ``At(file, needle)``
    (the place of ``needle`` in the file as edited, found at test time), a regular expression,
    or None when the error has no place (a bad command-line value); ``says`` a text the message
    must contain."""

    id: str
    argv: list[str]
    exit: int
    where: At | str | None
    edits: list[tuple] = field(default_factory=list)
    says: str = ""
    project: str = "andra"
    measured: bool = False
    private: str = ""        # a file whose lines after the first must never appear in the message


def prepare(case: Case, tmp: Path) -> Path:
    src = PROJECTS[case.project]
    root = tmp / "p"
    if case.project == "main":
        root.mkdir()
        for d in MAIN_DIRS:
            if (src / d).exists():
                shutil.copytree(src / d, root / d)
        for f in MAIN_FILES:
            shutil.copy(src / f, root / f)
    else:
        shutil.copytree(src, root)
    for edit in case.edits:
        path = root / edit[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        if len(edit) == 3:
            text = path.read_text(encoding="utf-8")
            assert edit[1] in text, f"{case.id}: {edit[1]!r} is not in {edit[0]}"
            path.write_bytes(text.replace(edit[1], edit[2], 1).encode("utf-8", "surrogateescape"))
            continue
        content = edit[1]() if callable(edit[1]) else edit[1]
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")   # "\udcff" is the byte 0xff
        path.write_bytes(content)
    return root


def run_in_process(case: Case, root: Path, capsys) -> tuple[int, str, float]:
    from avtalsregler.cli.main import main

    old = os.getcwd()
    os.chdir(root)
    start = time.perf_counter()
    try:
        code = main(["--root", ".", *case.argv])
    except SystemExit as exc:                     # argparse's own errors
        code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(old)
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    return code, err, elapsed


# The child reports its own peak (VmHWM of its memory after exec): ``ru_maxrss`` from ``wait4``
# also counts what the child inherited at fork from this process, which inside a long test run
# is itself over a gigabyte.
_PEAK = """import atexit, sys
peak_file = sys.argv.pop(1)
def _peak():
    try:
        with open("/proc/self/status") as f:
            kb = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
        with open(peak_file, "w") as out:
            out.write(kb)
    except (OSError, StopIteration):
        pass
atexit.register(_peak)
from avtalsregler.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def run_measured(case: Case, root: Path) -> tuple[int, str, float, float]:
    """The case in a fresh interpreter: exit code, stderr, seconds, peak resident megabytes
    (the child's own VmHWM where /proc has it, else ``ru_maxrss`` from ``os.wait4``); killed
    after 60 s."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    peak_file = root.parent / "peak-kb.txt"
    peak_file.unlink(missing_ok=True)
    with open(root.parent / "stderr.txt", "w+b") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _PEAK, str(peak_file), "--root", ".", *case.argv], cwd=root,
                                env=env, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(60, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    try:
        megabytes = int(peak_file.read_text()) / 1024
    except (OSError, ValueError):
        megabytes = usage.ru_maxrss / 1024
    return proc.returncode, text, elapsed, megabytes


def judge(case: Case, code: int, err: str, elapsed: float, megabytes: float = 0.0,
          root: Path | None = None) -> list[str]:
    problems = []
    where = case.where.resolve(root) if isinstance(case.where, At) else case.where
    if "Traceback" in err:
        problems.append("a traceback")
    if code != case.exit:
        problems.append(f"exit {code}, expected {case.exit}")
    first = err.strip().splitlines()[0] if err.strip() else ""
    if where is not None and not re.match(where + r": (error|warning)", first):
        problems.append(f"the error does not start with {where!r}: {first!r}")
    if where is None and case.exit == 2 and re.match(r"\S+:\d+:\d+: ", first):
        problems.append(f"an unexpected place: {first!r}")
    if case.exit == 2 and "error" not in err:
        problems.append("no error message")
    if case.private:
        lines = (root / case.private if root else Path(case.private)).read_text(encoding="utf-8", errors="replace").splitlines()[1:]
        echoed = [line for line in lines if len(line) > 8 and line in err]
        if echoed:
            problems.append(f"the message echoes the file beyond its first line: {echoed[0]!r}")
    if case.says and case.says not in err:
        problems.append(f"the message does not say {case.says!r}")
    if elapsed > SECONDS:
        problems.append(f"{elapsed:.1f} s, more than {SECONDS} s")
    if megabytes > MEGABYTES:
        problems.append(f"{megabytes:.0f} MB, more than {MEGABYTES} MB")
    return problems
