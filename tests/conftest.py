"""Shared fixtures: the bundled project, loaded once, and checked once (``check_results``);
one proof cache for the whole session (also for the command line run in-process or as a
subprocess, through ``$AVTALSREGLER_CACHE``); the Hypothesis profile (``HYPOTHESIS_PROFILE``:
``quick`` by default, ``ci`` in CI, see ``tests/profiles.py``); and a helper that copies the
project."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

from avtalsregler.project.load import load_project
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.check import check_project, configure

from tests import profiles  # noqa: F401  (registers and loads the Hypothesis profile)

ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIRS = ("rules", "specs", "readings", "agreement", "data")
SITE_FILES = ("rules", "specs", "readings", "agreement", "data", "docs", "mkdocs.yml", "amendments")


# One folder for the session, shared by the pytest-xdist workers: the controller (or the one
# process of a serial run) makes it, and the workers, started from it, find it in
# $AVTALSREGLER_TEST_SESSION. Only its maker removes it at the end.
_SHARED = "AVTALSREGLER_TEST_SESSION"
_OWNER = not os.environ.get(_SHARED)
if _OWNER:
    os.environ[_SHARED] = tempfile.mkdtemp(prefix="avtalsregler-test-session-")
SESSION_DIR = Path(os.environ[_SHARED])

# One proof cache for the session, in that folder, so that the session does not depend on an
# earlier one; every check of the session (in-process, or a subprocess through the environment;
# on any worker: writes are atomic, prover/cache.py) answers a query it has already seen from it.
# The cache is sound by construction (its key is exactly what the solver is asked), so sharing it
# changes no verdict (tests/prover/test_cache.py).
_CACHE_DIR = SESSION_DIR / "cache"
os.environ["AVTALSREGLER_CACHE"] = str(_CACHE_DIR)
SESSION_CACHE = ProofCache(_CACHE_DIR)
configure(SESSION_CACHE, 0)


@pytest.fixture(autouse=True)
def _session_proving():
    """Every test starts with the session's cache, proving in its own process (a command run in-process
    may have configured its own)."""
    configure(SESSION_CACHE, 0)
    yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The base install (tests/cli/base_install.py) starts in the background as soon as its test
    is known to be among the ones to run (after -k/-m deselection); its test runs last, so that
    it finds the steps done instead of holding a worker while they run."""
    from tests.cli import base_install

    last = [item for item in items if item.name == base_install.TEST]
    if last:
        items[:] = [item for item in items if item.name != base_install.TEST] + last
        if not config.option.collectonly:
            base_install.start(ROOT, SESSION_DIR)


def pytest_sessionfinish(session, exitstatus):
    from tests.cli import base_install

    base_install.finish()
    if _OWNER:
        shutil.rmtree(SESSION_DIR, ignore_errors=True)


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


def copy_project(src: Path, dest: Path, names=SITE_FILES) -> Path:
    """``names`` (folders and files) of the project ``src`` copied to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name)
        elif (src / name).exists():
            shutil.copy2(src / name, dest / name)
    return dest


# Whole sites, built once for the session and only read by the tests that use them. Under
# pytest-xdist each worker has its own session: the tests that read a site carry
# ``pytest.mark.xdist_group(<its name>)``, so that ``--dist loadgroup`` (.ci/run) runs them on one
# worker, which builds the site once.
SITE = "site-ours"
HOSTILE_SITE = "site-hostile"
SECOND_SITE = "site-second"
AMENDMENT_SITE = "site-amendment"
SECOND = ROOT / "tests" / "fixtures" / "andra_avtalet"
AMENDMENT = ROOT / "amendments" / "tak_60_procent_med_spec.yaml"


class BuiltSite(NamedTuple):
    root: Path              # the copied project
    report: object          # apps.docs.site.BuildReport: .site is the built site


class CliSite(NamedTuple):
    """A site built with the command line: the project, the site, and what the command did."""
    root: Path
    site: Path
    code: int
    out: str
    err: str
    before: str = ""        # with an amendment: the amended rule file before the command


def _cli(args: list[str]) -> tuple[int, str, str]:
    from avtalsregler.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The project (its rules, specs, readings, text, data, hand-written pages and amendments)
    copied to a temporary folder and its site built there (the repository's own build/ and
    site/ are left alone); the build's report, whose ``results`` the site shows."""
    from avtalsregler.apps.docs import site as docs

    base = tmp_path_factory.mktemp("site-ours")
    root = copy_project(ROOT, base / "project")
    return BuiltSite(root, docs.build(root, base / "site"))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """The site built from hostile texts (tests/hostile/site.py), with the hostile amendment's page."""
    from avtalsregler.apps.docs import site as docs
    from tests.hostile.site import AMEND, hostile_project

    base = tmp_path_factory.mktemp("site-hostile")
    root = hostile_project(base)
    return docs.build(root, base / "site", amendment=root / AMEND).site


@pytest.fixture(scope="session")
def second_site(tmp_path_factory):
    """The second (fictitious) agreement copied to a temporary folder and its site built there
    with the command line, ``docs --output … --date 2025-03-01``."""
    base = tmp_path_factory.mktemp("site-second")
    copy, site = base / "avtal", base / "site"
    shutil.copytree(SECOND, copy, ignore=shutil.ignore_patterns("build", "site"))
    return CliSite(copy, site, *_cli(["--root", str(copy), "docs", "--output", str(site), "--date", "2025-03-01"]))


@pytest.fixture(scope="session")
def amendment_site(tmp_path_factory):
    """The site of the amendment ``tak_60_procent_med_spec`` to the project itself, with the
    command line, ``--root <the project> docs --amendment … --output … --date 2024-05-17`` (it
    builds from an amended copy; ``before``: the amended rule file as it was before)."""
    site = tmp_path_factory.mktemp("site-amendment") / "site"
    before = (ROOT / "rules" / "s12_tvist.yaml").read_text(encoding="utf-8")
    return CliSite(ROOT, site, *_cli(["--root", str(ROOT), "docs", "--amendment", str(AMENDMENT),
                                      "--output", str(site), "--date", "2024-05-17"]), before=before)
