"""The README's first command in a fresh venv, run in the background of the test session.

``tests/cli/test_tooling.py::test_base_install_runs_docs_and_the_calendar`` checks what a user
gets from ``pip install .`` alone. The steps (a clone of the committed tree, a venv, the install,
then ``docs`` and ``calendar`` with the installed tool) take 10–20 s, most of it waiting on pip;
so, when that test is among the collected ones, ``start`` runs them in a thread from the end of
collection on, while the other tests run, and the test reads what each step returned (``wait``).
The steps and what the test asserts on them are the same as when it ran them itself.

Under pytest-xdist every worker collects the test; the first to create the job's folder (an
atomic ``mkdir`` in the session folder shared by the workers) runs the steps, and the test, on
whichever worker it runs, waits for the job's ``result.json``. The process that runs the steps
finishes them before it exits (``finish``), so a test never reads half a job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

TEST = "test_base_install_runs_docs_and_the_calendar"
RESULT = "result.json"
_THREAD: list[threading.Thread] = []


def _run(cmd: list[str], **kw) -> dict:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, **kw)
        return {"cmd": cmd, "returncode": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
    except (OSError, subprocess.SubprocessError) as exc:
        return {"cmd": cmd, "returncode": None, "stdout": "", "stderr": f"{type(exc).__name__}: {exc}"}


def steps(root: Path, folder: Path) -> dict:
    """Clone ``root``'s committed tree, make a venv without this environment, ``pip install .``
    in it, then run the installed ``docs`` and ``calendar``: what each step returned."""
    clone, venv, site = folder / "clone", folder / "venv", folder / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    py, tool = str(venv / "bin" / "python"), str(venv / "bin" / "avtalsregler")
    out: dict = {"clone": str(clone), "venv": str(venv), "site": str(site)}
    out["git"] = _run(["git", "clone", "-q", str(root), str(clone)], timeout=300)
    out["mkvenv"] = _run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    if out["git"]["returncode"] != 0 or out["mkvenv"]["returncode"] != 0:
        return out
    out["pip"] = _run([py, "-m", "pip", "install", "-q", "."], cwd=clone, env=env, timeout=900)
    if out["pip"]["returncode"] != 0:
        return out
    out["where"] = _run([py, "-c", "import avtalsregler; print(avtalsregler.__file__)"], cwd=folder,
                        env=env, timeout=60)
    out["docs"] = _run([tool, "docs", "--output", str(site), "--date", "2026-01-01"], cwd=clone, env=env,
                       timeout=900)
    out["calendar"] = _run([tool, "calendar", "--format", "ics", "--from", "2026-01-01", "--to", "2026-12-31"],
                           cwd=clone, env=env, timeout=300)
    return out


def _job(root: Path, folder: Path) -> None:
    try:
        out = steps(root, folder)
    except BaseException as exc:                  # the test must see it, not wait for ever
        out = {"error": f"{type(exc).__name__}: {exc}"}
    tmp = folder / (RESULT + ".tmp")
    tmp.write_text(json.dumps(out), encoding="utf-8")
    os.replace(tmp, folder / RESULT)


def start(root: Path, session_dir: Path) -> None:
    """Start the steps in a thread of this process unless another process of the session has."""
    folder = session_dir / "base-install"
    try:
        folder.mkdir()
    except FileExistsError:
        return
    thread = threading.Thread(target=_job, args=(root, folder), name="base install", daemon=True)
    thread.start()
    _THREAD.append(thread)


def wait(session_dir: Path, timeout_s: float = 1800) -> dict:
    """What the steps returned, once they are done (started by ``start`` or, if nothing started
    them, run here and now)."""
    folder = session_dir / "base-install"
    result = folder / RESULT
    if not folder.exists():
        from tests.conftest import ROOT
        start(ROOT, session_dir)
    end = time.monotonic() + timeout_s
    while not result.exists():
        if time.monotonic() > end:
            raise TimeoutError(f"the base install in {folder} did not finish in {timeout_s:.0f} s")
        time.sleep(0.2)
    return json.loads(result.read_text(encoding="utf-8"))


def finish() -> None:
    """Wait for the steps this process runs (at the end of the session)."""
    for thread in _THREAD:
        thread.join()
