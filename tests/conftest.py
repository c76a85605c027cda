"""Hypothesis profiles: ``dev`` (quick, the default) and ``ci`` (thorough).

Choose with ``SGZ_HYPOTHESIS_PROFILE=dev|ci``; without it, ``ci`` when ``CI`` is set, else ``dev``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    # 150 per property: the suite runs on both cores (pytest-xdist, `-n auto` in pyproject.toml),
    # 7 min 20 s on a 2-core machine, where one process took 13 min with 100 (2026-12-03)
    max_examples=150,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("SGZ_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
