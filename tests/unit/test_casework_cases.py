"""The casework process as a state machine (DOM-1 … DOM-3, DOM-5)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core.casework.cases import MOVES, OPENING_STAGES, Case, ImpossibleMove, StageChange
from sgz_core.casework.vocabulary import CaseStage
from sgz_core.enums import ServiceDomain
from sgz_core.errors import InvalidInput
from sgz_core.testing import strategies as s

S = CaseStage
DAY = dt.date(2025, 9, 1)


def new(stage: CaseStage = S.SCREENING) -> Case:
    return Case.new("c1", "s1", "b1", ServiceDomain.ELDERLY, "王芳", DAY, stage)


def walk(*stages: CaseStage) -> Case:
    case = new(stages[0])
    for i, stage in enumerate(stages[1:], start=1):
        case = case.move(stage, DAY + dt.timedelta(days=i))
    return case


def test_the_standard_process_from_screening_to_closure() -> None:
    case = walk(S.SCREENING, S.INTAKE, S.ASSESSMENT, S.PLAN, S.SERVICES, S.REVIEW, S.CLOSED)
    assert case.stage is S.CLOSED and case.assessed
    assert case.opened == DAY and case.closed == DAY + dt.timedelta(days=6)
    assert not case.open_on(DAY + dt.timedelta(days=6))
    assert case.open_on(DAY + dt.timedelta(days=5))
    assert case.stage_on(DAY - dt.timedelta(days=1)) is None
    assert case.stage_on(DAY + dt.timedelta(days=2)) is S.ASSESSMENT


def test_reviews_loop_back_and_a_closed_case_reopens_with_an_assessment() -> None:
    case = walk(
        S.INTAKE,
        S.ASSESSMENT,
        S.PLAN,
        S.SERVICES,
        S.REVIEW,
        S.SERVICES,
        S.REVIEW,
        S.PLAN,
        S.SERVICES,
        S.REVIEW,
        S.CLOSED,
        S.ASSESSMENT,
        S.CLOSED,
    )
    assert case.stage is S.CLOSED
    assert [c.stage for c in case.history].count(S.CLOSED) == 2


@pytest.mark.parametrize(
    ("stages", "wanted", "says"),
    [
        ((S.SCREENING,), S.CLOSED, "never closed before it has been assessed"),
        ((S.INTAKE,), S.CLOSED, "never closed before it has been assessed"),
        ((S.SCREENING,), S.SERVICES, "cannot move from screening to services"),
        ((S.INTAKE, S.ASSESSMENT, S.CLOSED), S.SERVICES, "a closed case takes no services"),
        ((S.INTAKE, S.ASSESSMENT), S.INTAKE, "expected one of plan | closed"),
    ],
)
def test_impossible_moves_raise_a_clear_error(
    stages: tuple[CaseStage, ...], wanted: CaseStage, says: str
) -> None:
    case = walk(*stages)
    assert not case.can_move(wanted)
    with pytest.raises(ImpossibleMove) as exc:
        case.move(wanted, DAY + dt.timedelta(days=30))
    assert says in str(exc.value)
    assert isinstance(exc.value, InvalidInput)


def test_a_case_opens_only_at_screening_or_intake() -> None:
    with pytest.raises(ImpossibleMove, match="cannot open at assessment"):
        new(S.ASSESSMENT)


def test_moves_never_go_back_in_time() -> None:
    with pytest.raises(InvalidInput, match="before the last one"):
        new().move(S.INTAKE, DAY - dt.timedelta(days=1))


def test_a_history_with_an_impossible_move_names_its_key_path() -> None:
    history = [
        StageChange(S.INTAKE, DAY),
        StageChange(S.ASSESSMENT, DAY),
        StageChange(S.SERVICES, DAY),
    ]
    with pytest.raises(ImpossibleMove) as exc:
        Case("c1", "s1", "b1", ServiceDomain.ELDERLY, "王芳", history)
    assert exc.value.problems[0].path == "history[2].stage"
    with pytest.raises(InvalidInput) as exc2:
        Case(
            "c1",
            "s1",
            "b1",
            ServiceDomain.ELDERLY,
            "王芳",
            [StageChange(S.INTAKE, DAY), StageChange(S.ASSESSMENT, DAY - dt.timedelta(days=1))],
        )
    assert exc2.value.problems[0].path == "history[1].date"
    with pytest.raises(InvalidInput) as exc3:
        Case("c1", "s1", "b1", ServiceDomain.ELDERLY, "王芳", [])
    assert exc3.value.problems[0].path == "history"
    with pytest.raises(InvalidInput) as exc4:
        Case(
            "c1",
            "s1",
            "b1",
            ServiceDomain.ELDERLY,
            "王芳",
            [StageChange(S.INTAKE, DAY, needs=("x",))],
        )
    assert exc4.value.problems[0].path == "history[0].needs"


def test_needs_come_from_the_latest_assessment() -> None:
    case = new(S.INTAKE).move(S.ASSESSMENT, DAY, needs=("照料",)).move(S.CLOSED, DAY)
    case = case.move(S.ASSESSMENT, DAY, needs=("陪伴", "就医"))
    assert case.needs == ("陪伴", "就医")


def test_a_closing_session_counts_as_a_service_on_the_closing_day() -> None:
    case = walk(S.INTAKE, S.ASSESSMENT, S.CLOSED)
    closed = DAY + dt.timedelta(days=2)
    assert case.takes_services_on(closed)
    assert not case.takes_services_on(closed + dt.timedelta(days=1))
    assert not case.takes_services_on(DAY - dt.timedelta(days=1))


@given(
    opening=st.sampled_from(OPENING_STAGES),
    attempts=st.lists(st.tuples(st.sampled_from(list(CaseStage)), st.integers(0, 5)), max_size=40),
)
def test_a_case_never_reaches_closure_without_an_assessment(
    opening: CaseStage, attempts: list[tuple[CaseStage, int]]
) -> None:
    """Whatever is tried, in any order, every closure is preceded by an assessment."""
    case = new(opening)
    day = DAY
    for stage, gap in attempts:
        day += dt.timedelta(days=gap)
        try:
            case = case.move(stage, day)
        except ImpossibleMove:
            assert stage not in MOVES[case.stage]
            continue
        assert stage in MOVES[case.history[-2].stage]
    stages = [c.stage for c in case.history]
    for i, stage in enumerate(stages):
        if stage is S.CLOSED:
            assert S.ASSESSMENT in stages[:i]
            later_services = S.SERVICES in stages[i + 1 :]
            if later_services:
                assert S.ASSESSMENT in stages[i + 1 : stages.index(S.SERVICES, i + 1)]


@given(case=s.cases())
def test_generated_histories_are_valid_and_closures_follow_assessments(case: Case) -> None:
    stages = [c.stage for c in case.history]
    assert stages[0] in OPENING_STAGES
    for i, stage in enumerate(stages):
        if stage is S.CLOSED:
            assert S.ASSESSMENT in stages[:i]
