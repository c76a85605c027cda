"""Hypothesis strategies for performance management (issue 10): targets, assessed results,
corrective actions, evaluations with results, staff over time, and programmes whose whole
contract-year lifecycle is compliant (TERM-1, PERF-1 … PERF-3) on any day.

Kept apart from :mod:`sgz_core.testing.strategies`, whose ``programmes(compliant=True)`` knows
nothing of the lifecycle; :func:`lifecycle_compliant` completes such a programme.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from sgz_core.enums import EvaluationKind, Outcome, Qualification, StaffRole
from sgz_core.model import (
    ContractYear,
    CorrectiveAction,
    Evaluation,
    Funding,
    Programme,
    Result,
    StaffMember,
    Target,
)
from sgz_core.money import allocate
from sgz_core.profiles import Policy, builtin
from sgz_core.testing import strategies as base

__all__ = [
    "compliant_programmes",
    "corrective_actions",
    "evaluations_with_results",
    "lifecycle_compliant",
    "results",
    "staff_over_time",
    "targets",
]

_DAY = dt.timedelta(days=1)
_SYSTEM = builtin().at(dt.date(2000, 1, 1)).performance_indicators
_IDS = [i.id for i in _SYSTEM.indicators]
_ASSESSED = [i for i in _SYSTEM.indicators if not i.measured]
_NUMBERS = st.integers(0, 100_000).map(lambda n: Decimal(n).scaleb(-2))
_DATES = st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31))


def targets() -> st.SearchStrategy[Target]:
    """Targets of the built-in indicators, with or without the indicator's unit."""
    return st.sampled_from(_SYSTEM.indicators).flatmap(
        lambda i: st.builds(Target, st.just(i.id), _NUMBERS, st.sampled_from((None, i.unit)))
    )


def results() -> st.SearchStrategy[Result]:
    """Assessed results of the built-in assessed indicators: a value or points, by its evaluator."""
    return st.sampled_from(_ASSESSED).flatmap(
        lambda i: st.one_of(
            st.builds(Result, st.just(i.id), value=_NUMBERS, evaluator=st.just(i.evaluator)),
            st.builds(
                Result,
                st.just(i.id),
                points=st.integers(0, int(i.weight * 100)).map(lambda n: Decimal(n).scaleb(-2)),
                evaluator=st.sampled_from((None, i.evaluator)),
            ),
        )
    )


def corrective_actions(*, evaluation: dt.date | None = None) -> st.SearchStrategy[CorrectiveAction]:
    """Corrective actions (PERF-3), open or closed, of an evaluation on ``evaluation``."""
    return st.builds(
        _action,
        base.ids(),
        _DATES if evaluation is None else st.just(evaluation),
        st.integers(0, 120),
        st.one_of(st.none(), st.integers(0, 200)),
        st.sampled_from((None, *_IDS)),
    )


def _action(
    action_id: str, day: dt.date, due_in: int, closed_in: int | None, indicator: str | None
) -> CorrectiveAction:
    closed = None if closed_in is None else day + closed_in * _DAY
    return CorrectiveAction(action_id, day, "整改", day + due_in * _DAY, indicator, closed)


def evaluations_with_results() -> st.SearchStrategy[Evaluation]:
    """Evaluations carrying assessed results (distinct indicators) and maybe a reason."""
    return st.builds(
        lambda e, rs, reason: attrs.evolve(
            e, results=tuple({r.indicator: r for r in rs}.values()), reason=reason
        ),
        base.evaluations(),
        st.lists(results(), max_size=len(_ASSESSED)),
        st.one_of(st.none(), st.just("复核改判")),
    )


def staff_over_time(
    *, employer: str = "c", first: dt.date = dt.date(2024, 1, 1), people: int = 4
) -> st.SearchStrategy[tuple[StaffMember, ...]]:
    """Resident entries of up to ``people`` persons (certificates C0 …), each with spells that
    may touch, overlap or leave gaps, starting from ``first``."""
    spell = st.tuples(
        st.integers(0, people - 1),
        st.one_of(st.none(), st.integers(0, 400)),
        st.one_of(st.none(), st.integers(0, 400)),
        st.sampled_from(list(Qualification)),
    )

    def build(
        spells: list[tuple[int, int | None, int | None, Qualification]],
    ) -> tuple[StaffMember, ...]:
        out = []
        for person, start, length, qualification in spells:
            begin = None if start is None else first + start * _DAY
            end = None if length is None else (begin or first) + length * _DAY
            out.append(
                StaffMember(
                    f"社工{person}",
                    StaffRole.RESIDENT,
                    employer,
                    qualification,
                    start=begin,
                    end=end,
                    certificate=f"C{person}",
                )
            )
        return tuple(out)

    return st.lists(spell, max_size=8).map(build)


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


def compliant_programmes(policy: Policy | None = None) -> st.SearchStrategy[Programme]:
    """``strategies.programmes(compliant=True)`` completed by :func:`lifecycle_compliant`."""
    chosen = policy if policy is not None else builtin().at(dt.date(2000, 1, 1))
    return base.programmes(compliant=True, policy=chosen).map(
        lambda p: lifecycle_compliant(p, chosen)
    )
