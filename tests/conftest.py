"""Shared fixtures: the bundled project, loaded once, and a helper that copies it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from avtalsregler.project.load import load_project

ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIRS = ("rules", "specs", "readings", "agreement", "data")


@pytest.fixture(scope="session")
def project():
    return load_project(ROOT)


@pytest.fixture
def project_copy(tmp_path):
    """A copy of the project's rule, spec, reading, agreement and data folders to change."""
    for d in PROJECT_DIRS:
        if (ROOT / d).exists():
            shutil.copytree(ROOT / d, tmp_path / d)
    return tmp_path
