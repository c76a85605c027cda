"""The performance strategies, importable from here as before; they live in
:mod:`sgz_core.testing.strategies` (module ``performance``) now."""

from __future__ import annotations

from sgz_core.testing.strategies.lifecycle import lifecycle_compliant
from sgz_core.testing.strategies.performance import (
    compliant_programmes,
    corrective_actions,
    evaluations_with_results,
    results,
    staff_over_time,
    targets,
)

__all__ = [
    "compliant_programmes",
    "corrective_actions",
    "evaluations_with_results",
    "lifecycle_compliant",
    "results",
    "staff_over_time",
    "targets",
]
