"""Shared fixtures: the bundled project, loaded once, and checked once (``check_results``);
one proof cache for the whole session (also for the command line run in-process or as a
subprocess, through ``$AVTALSREGLER_CACHE``); the Hypothesis profile (``HYPOTHESIS_PROFILE``:
``quick`` by default, ``ci`` in CI, see ``tests/profiles.py``); and a helper that copies the
project."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from avtalsregler.project.load import load_project
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.check import check_project, configure

from tests import profiles  # noqa: F401  (registers and loads the Hypothesis profile)

ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIRS = ("rules", "specs", "readings", "agreement", "data")


# One proof cache for the session: a fresh folder, so that the session does not depend on an
# earlier one; every check of the session (in-process, or a subprocess through the environment)
# answers a query it has already seen from it. The cache is sound by construction (its key is
# exactly what the solver is asked), so sharing it changes no verdict (tests/prover/test_cache.py).
_CACHE_DIR = Path(tempfile.mkdtemp(prefix="avtalsregler-test-cache-"))
os.environ["AVTALSREGLER_CACHE"] = str(_CACHE_DIR)
SESSION_CACHE = ProofCache(_CACHE_DIR)
configure(SESSION_CACHE, 0)


@pytest.fixture(autouse=True)
def _session_proving():
    """Every test starts with the session's cache, proving in its own process (a command run in-process
    may have configured its own)."""
    configure(SESSION_CACHE, 0)
    yield


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="session")
def check_results(project):
    """The bundled project checked once for the whole session (examples, grounding, proofs)."""
    return check_project(project, cache=SESSION_CACHE, jobs=0)


@pytest.fixture
def project_copy(tmp_path):
    """A copy of the project's rule, spec, reading, agreement and data folders to change."""
    for d in PROJECT_DIRS:
        if (ROOT / d).exists():
            shutil.copytree(ROOT / d, tmp_path / d)
    return tmp_path
