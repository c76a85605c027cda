"""PERF-3 builds a station-year's tranche schedule only when a tranche can be held (issue 12).

What makes the skip exact: with no ``correct`` and no ``suspend`` among the year's evaluations up
to the day, :func:`~sgz_core.disbursement.year_tranches` holds no tranche, whatever the signing,
the other outcomes, the scores, the corrective actions and the profile's
``mid_term_correct_holds``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.disbursement import evaluations_in_order, year_tranches
from sgz_core.enums import EvaluationKind, FundingSource, Outcome, TrancheStatus
from sgz_core.model import ContractYear, CorrectiveAction, Evaluation, Funding, Station
from sgz_core.programme_file import loads
from sgz_core.rules import Context
from sgz_core.rules.disbursement import evaluation_outcomes

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = loads((ROOT / "examples" / "chengguan.toml").read_text(encoding="utf-8"), "chengguan")
START = dt.date(2024, 7, 1)
STATION = Station(id="s", street="白银路街道", contractor="c")
PROFILE = profiles.builtin()
HOLDING = PROFILE.override("mid_term_correct_holds", profiles.ALWAYS, True)
DAYS = st.integers(0, 500).map(lambda n: START + dt.timedelta(days=n))
FUNDING = (
    Funding(FundingSource.PROVINCE, Decimal("50000")),
    Funding(FundingSource.CITY, Decimal("50000.01")),
    Funding(FundingSource.DISTRICT, Decimal("49999.99")),
)


@st.composite
def evaluations(draw: st.DrawFn) -> Evaluation:
    score = draw(st.one_of(st.none(), st.integers(0, 100)))
    outcome = draw(st.one_of(st.none(), st.sampled_from(list(Outcome))))
    if score is None and outcome is None:
        score = draw(st.integers(0, 100))
    return Evaluation(draw(st.sampled_from(list(EvaluationKind))), draw(DAYS), score, outcome)


@st.composite
def years(draw: st.DrawFn) -> ContractYear:
    evaluated = draw(st.lists(evaluations(), max_size=5))
    actions = tuple(
        CorrectiveAction(
            f"a{i}",
            e.date,
            "整改台账",
            e.date + dt.timedelta(days=30),
            closed=draw(st.one_of(st.none(), DAYS)),
        )
        for i, e in enumerate(evaluated)
        if draw(st.booleans())
    )
    signed = draw(st.one_of(st.none(), DAYS))
    return ContractYear(
        1, signed=signed, funding=FUNDING, evaluations=tuple(evaluated), actions=actions
    )


def _may_hold(year: ContractYear, pass_mark: Decimal, on: dt.date) -> bool:
    outcomes = {e.effective_outcome(pass_mark) for e in evaluations_in_order(year, on)}
    return bool(outcomes & {Outcome.CORRECT, Outcome.SUSPEND})


@settings(max_examples=300, deadline=None)
@given(year=years(), on=DAYS, holding=st.booleans())
def test_without_a_correct_or_a_suspend_no_tranche_is_held(
    year: ContractYear, on: dt.date, holding: bool
) -> None:
    policy = (HOLDING if holding else PROFILE).at(START)
    held = [t for t in year_tranches(STATION, year, policy, on) if t.status is TrancheStatus.HELD]
    if not _may_hold(year, policy.evaluation_pass_mark, on):
        assert held == []


def test_a_correct_still_gives_the_held_notice() -> None:
    year = ContractYear(
        1,
        signed=START,
        funding=FUNDING,
        evaluations=(
            Evaluation(EvaluationKind.MID_TERM, START + dt.timedelta(days=180), score=80),
            Evaluation(
                EvaluationKind.FINAL, START + dt.timedelta(days=350), outcome=Outcome.CORRECT
            ),
        ),
    )
    ctx = Context(EXAMPLE, PROFILE, START + dt.timedelta(days=400))
    said = list(evaluation_outcomes(STATION, year, ctx))
    assert any("is held" in s.message_en for s in said)
