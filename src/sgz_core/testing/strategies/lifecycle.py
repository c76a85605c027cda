"""The contract-year lifecycle of a compliant programme (TERM-1, PERF-1 … PERF-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from sgz_core.enums import EvaluationKind, Outcome
from sgz_core.model import ContractYear, Evaluation, Funding, Programme, Target
from sgz_core.money import allocate
from sgz_core.profiles import Policy

_DAY = dt.timedelta(days=1)


def lifecycle_compliant(programme: Programme, policy: Policy) -> Programme:
    """``programme`` with every year of the term signed on its first day, a passing mid-term and
    final within the year and before the profile's deadlines, and zero targets: TERM-1, PERF-1,
    PERF-2 and PERF-3 then find nothing on any day. Funding is kept, else the minimum."""
    levels = list(policy.cofunding_ratio)
    minimum = allocate(policy.min_station_funding, list(policy.cofunding_ratio.values()))
    deadlines = policy.evaluation_deadline_days
    zero = tuple(Target(i.id, Decimal(0)) for i in policy.performance_indicators.indicators)
    score = max(policy.evaluation_pass_mark, Decimal(0))
    stations = []
    for station in programme.stations:
        kept = {y.year: y for y in station.years}
        years = []
        for n in range(1, policy.term_years + 1):
            start, end = programme.year_start(n), programme.year_end(n)
            old = kept.get(n)
            funding = (
                old.funding
                if old is not None
                else tuple(Funding(level, a) for level, a in zip(levels, minimum, strict=True))
            )
            mid = min(start + deadlines[EvaluationKind.MID_TERM] * _DAY, end)
            final = max(mid, min(start + deadlines[EvaluationKind.FINAL] * _DAY, end))
            years.append(
                ContractYear(
                    n,
                    signed=start,
                    funding=funding,
                    evaluations=(
                        Evaluation(EvaluationKind.MID_TERM, mid, score=score),
                        Evaluation(EvaluationKind.FINAL, final, score=score, outcome=Outcome.PASS),
                    ),
                    expenses=old.expenses if old is not None else (),
                    targets=zero,
                )
            )
        stations.append(attrs.evolve(station, years=tuple(years)))
    return attrs.evolve(programme, stations=tuple(stations))


__all__ = ["lifecycle_compliant"]
