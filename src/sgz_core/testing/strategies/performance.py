"""Performance management (issue 10): targets, assessed results, corrective actions,
evaluations with results, staff over time, and compliant programmes (TERM-1, PERF-1 … PERF-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from sgz_core.enums import Qualification, StaffRole
from sgz_core.model import (
    CorrectiveAction,
    Evaluation,
    Programme,
    Result,
    StaffMember,
    Target,
)
from sgz_core.profiles import Policy, builtin
from sgz_core.testing.strategies.codes import ids
from sgz_core.testing.strategies.funding import evaluations
from sgz_core.testing.strategies.programme import programmes

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
        ids(),
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
        evaluations(),
        st.lists(results(), max_size=len(_ASSESSED)),
        st.one_of(st.none(), st.just("复核改判")),
    )


def money_programmes(*, max_stations: int = 3) -> st.SearchStrategy[Programme]:
    """Programmes (:func:`programmes`) whose contract years carry everything the schedule and
    the payment decisions read, and what they do not: evaluations of any outcome (suspend and
    stop too) with assessed results and maybe a reason, corrective actions of the evaluations
    (open, or closed before, on or after a later evaluation), targets and a renewal reason.
    For what reads a programme's money part (``sgz_core.storage.money_part``, issue 11)."""
    return programmes(max_stations=max_stations).flatmap(_money_detail)


@st.composite
def _money_detail(draw: st.DrawFn, programme: Programme) -> Programme:
    stations = []
    for station in programme.stations:
        years = []
        for year in station.years:
            checks = tuple(
                attrs.evolve(
                    e,
                    results=tuple(
                        {r.indicator: r for r in draw(st.lists(results(), max_size=2))}.values()
                    ),
                    reason=draw(st.sampled_from((None, "复核改判"))),
                )
                for e in year.evaluations
            )
            actions = []
            for k, e in enumerate(checks):
                for j in range(draw(st.integers(0, 2))):
                    actions.append(
                        _action(
                            f"a{k}-{j}",
                            e.date,
                            draw(st.integers(0, 120)),
                            draw(st.one_of(st.none(), st.integers(0, 200))),
                            draw(st.sampled_from((None, *_IDS))),
                        )
                    )
            years.append(
                attrs.evolve(
                    year,
                    evaluations=checks,
                    actions=tuple(actions),
                    targets=tuple(
                        {t.indicator: t for t in draw(st.lists(targets(), max_size=2))}.values()
                    ),
                    renewal_reason=draw(st.sampled_from((None, "末期未通过，经评审续签"))),
                )
            )
        stations.append(attrs.evolve(station, years=tuple(years)))
    return attrs.evolve(programme, stations=tuple(stations))


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


def compliant_programmes(policy: Policy | None = None) -> st.SearchStrategy[Programme]:
    """``programmes(compliant=True, policy=policy)``, which :func:`lifecycle_compliant` completes
    (kept for the code written when ``programmes`` did not)."""
    return programmes(compliant=True, policy=policy)


__all__ = [
    "compliant_programmes",
    "corrective_actions",
    "evaluations_with_results",
    "money_programmes",
    "results",
    "staff_over_time",
    "targets",
]
