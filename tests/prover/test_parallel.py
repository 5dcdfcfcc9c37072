"""How many workers ``check -j`` uses by default (prover/parallel.default_jobs): the cores this
process may use, from the affinity mask where the system has one, else every CPU, never 0."""

from __future__ import annotations

import os

from avtalsregler.prover import parallel


def test_the_default_is_the_affinity_mask(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    assert parallel.default_jobs() == 3


def test_without_an_affinity_mask_every_cpu_is_used(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)     # as on macOS and Windows
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert parallel.default_jobs() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)               # unknown: one worker
    assert parallel.default_jobs() == 1
