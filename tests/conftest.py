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
    # 100, not 150: the whole suite ran 14 minutes on a 2-core machine with 150, too near the
    # 15-minute limit of a CI run (2026-12-03); the properties and their strategies are unchanged
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("SGZ_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
