"""Hypothesis profiles. ``quick`` (the default, for local runs) tries fewer examples; ``ci``
(``HYPOTHESIS_PROFILE=ci``, set by ``.ci/run``) the full number each test asks for with
:func:`examples`. Neither has a deadline (a Z3 query's time varies with the machine's load)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")
if PROFILE not in ("quick", "ci"):
    raise SystemExit(f"HYPOTHESIS_PROFILE={PROFILE!r}: expected 'quick' or 'ci'")

settings.register_profile("ci", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("quick", deadline=None, max_examples=10,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """``n`` examples in CI, a quarter of them (at least 8) locally."""
    return n if PROFILE == "ci" else max(8, n // 4)
