"""The disbursement schedule (PAY-1) and how evaluations gate it (PERF-3).

The semantics are those of ``programme-format.md``: tranches 60% / 30% / 10% cut to the fen by
largest remainder; released, held, cancelled or pending on a given day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from sgz_core import profiles
from sgz_core.disbursement import releases, schedule, year_tranches
from sgz_core.enums import EvaluationKind, FundingSource, Milestone, Outcome, TrancheStatus
from sgz_core.model import ContractYear, Evaluation, Funding, Station
from sgz_core.profiles import Policy
from sgz_core.programme_file import loads

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "examples" / "chengguan.toml"

R, H, C, P = (
    TrancheStatus.RELEASED,
    TrancheStatus.HELD,
    TrancheStatus.CANCELLED,
    TrancheStatus.PENDING,
)
SIGNED = dt.date(2024, 7, 1)
MID = dt.date(2025, 1, 15)
FINAL = dt.date(2025, 6, 20)
LATER = dt.date(2026, 6, 30)
STATION = Station(id="s", street="白银路街道", contractor="c")
POLICY = profiles.builtin().at(SIGNED)


def funding(
    province: str = "50000", city: str = "50000", district: str = "50000"
) -> tuple[Funding, ...]:
    return (
        Funding(FundingSource.PROVINCE, Decimal(province)),
        Funding(FundingSource.CITY, Decimal(city)),
        Funding(FundingSource.DISTRICT, Decimal(district)),
    )


def mid(
    day: dt.date = MID, *, score: int | str | None = None, outcome: str | None = None
) -> Evaluation:
    return Evaluation(
        EvaluationKind.MID_TERM, day, score=score, outcome=Outcome(outcome) if outcome else None
    )


def final(
    day: dt.date = FINAL, *, score: int | str | None = None, outcome: str | None = None
) -> Evaluation:
    return Evaluation(
        EvaluationKind.FINAL, day, score=score, outcome=Outcome(outcome) if outcome else None
    )


def tranches(
    *evaluations: Evaluation,
    signed: dt.date | None = SIGNED,
    on: dt.date = LATER,
    policy: Policy = POLICY,
    money: tuple[Funding, ...] | None = None,
) -> list[tuple[TrancheStatus, dt.date | None]]:
    year = ContractYear(1, signed=signed, funding=money or funding(), evaluations=evaluations)
    return [(t.status, t.date) for t in year_tranches(STATION, year, policy, on)]


def statuses(*evaluations: Evaluation, **kwargs: object) -> list[TrancheStatus]:
    return [s for s, _ in tranches(*evaluations, **kwargs)]  # type: ignore[arg-type]


# --- amounts --------------------------------------------------------------------------------


def test_150000_01_splits_into_90000_01_45000_00_15000_00() -> None:
    year = ContractYear(1, signed=SIGNED, funding=funding(district="50000.01"))
    got = year_tranches(STATION, year, POLICY, LATER)
    assert [t.milestone for t in got] == [
        Milestone.CONTRACT_SIGNED,
        Milestone.MID_TERM,
        Milestone.FINAL,
    ]
    assert [t.share for t in got] == [Decimal("0.60"), Decimal("0.30"), Decimal("0.10")]
    assert [t.amount for t in got] == [
        Decimal("90000.01"),
        Decimal("45000.00"),
        Decimal("15000.00"),
    ]
    assert all(t.amount.as_tuple().exponent == -2 for t in got)


def test_contract_value_leaves_out_street_and_other_money() -> None:
    money = (
        *funding(),
        Funding(FundingSource.STREET, Decimal(10000)),
        Funding(FundingSource.LOTTERY, Decimal(777)),
    )
    year = ContractYear(1, signed=SIGNED, funding=money)
    got = year_tranches(STATION, year, POLICY, LATER)
    assert [t.amount for t in got] == [
        Decimal("90000.00"),
        Decimal("45000.00"),
        Decimal("15000.00"),
    ]


def test_several_entries_of_one_level_add_up() -> None:
    money = (*funding(province="20000"), Funding(FundingSource.PROVINCE, Decimal(30000)))
    year = ContractYear(1, signed=SIGNED, funding=money)
    assert sum(t.amount for t in year_tranches(STATION, year, POLICY, LATER)) == Decimal(150000)


@pytest.mark.parametrize(
    ("province", "city", "district"),
    [
        ("0", "0", "0"),
        ("0", "0", "0.01"),
        ("0", "0.01", "0.01"),
        ("50000", "50000", "50000.01"),
        ("50000.03", "50000.01", "50000.01"),
        ("33333.33", "33333.33", "33333.33"),
        ("12345.67", "0.89", "98765.43"),
        ("1000000", "999999.99", "0.07"),
    ],
)
def test_tranches_always_sum_to_the_contract_value(province: str, city: str, district: str) -> None:
    year = ContractYear(1, signed=SIGNED, funding=funding(province, city, district))
    got = year_tranches(STATION, year, POLICY, LATER)
    value = Decimal(province) + Decimal(city) + Decimal(district)
    assert sum((t.amount for t in got), Decimal(0)) == value
    assert all(t.amount >= 0 for t in got)
    # each tranche is within a fen of its exact share
    for t in got:
        assert abs(t.amount - value * t.share) < Decimal("0.01")


def test_tranches_sum_to_the_contract_value_with_profile_shares() -> None:
    profile = profiles.builtin().override(
        "tranches",
        profiles.ALWAYS,
        [
            {"milestone": "contract_signed", "share": Decimal("0.333")},
            {"milestone": "mid_term", "share": Decimal("0.333")},
            {"milestone": "final", "share": Decimal("0.334")},
        ],
    )
    year = ContractYear(1, signed=SIGNED, funding=funding("0.01", "0.01", "0.03"))
    got = year_tranches(STATION, year, profile.at(SIGNED), LATER)
    assert [t.amount for t in got] == [Decimal("0.02"), Decimal("0.01"), Decimal("0.02")]
    assert sum(t.amount for t in got) == Decimal("0.05")


# --- released ---------------------------------------------------------------------------------


def test_an_unsigned_year_is_all_pending() -> None:
    assert tranches(signed=None) == [(P, None), (P, None), (P, None)]


def test_a_contract_signed_after_the_day_asked_about_is_pending() -> None:
    assert tranches(on=SIGNED - dt.timedelta(days=1)) == [(P, None), (P, None), (P, None)]


def test_signed_only_releases_the_first_tranche() -> None:
    assert tranches() == [(R, SIGNED), (P, None), (P, None)]
    assert tranches(on=SIGNED) == [(R, SIGNED), (P, None), (P, None)]


@pytest.mark.parametrize("outcome", ["pass", "correct"])
def test_a_mid_term_pass_or_correct_releases_the_second_tranche(outcome: str) -> None:
    assert tranches(mid(outcome=outcome)) == [(R, SIGNED), (R, MID), (P, None)]


def test_a_final_pass_releases_the_third_tranche() -> None:
    assert tranches(mid(score=80), final(outcome="pass")) == [(R, SIGNED), (R, MID), (R, FINAL)]


def test_an_unsigned_year_releases_nothing_even_after_evaluations() -> None:
    # PAY-1: a tranche is never released before its milestone; the signing comes first
    got = statuses(mid(score=90), final(score=90), signed=None)
    assert got[0] is P


# --- held --------------------------------------------------------------------------------------


def test_a_final_correct_holds_the_third_tranche() -> None:
    assert tranches(mid(score=80), final(outcome="correct")) == [(R, SIGNED), (R, MID), (H, FINAL)]


def test_a_final_correct_holds_until_a_later_final_passes() -> None:
    again = FINAL + dt.timedelta(days=30)
    evaluations = (mid(score=80), final(outcome="correct"), final(again, score=75))
    assert tranches(*evaluations, on=again - dt.timedelta(days=1))[2] == (H, FINAL)
    assert tranches(*evaluations, on=again)[2] == (R, again)


def test_a_final_correct_stays_held_after_another_correct_or_a_mid_term_pass() -> None:
    again = FINAL + dt.timedelta(days=30)
    assert (
        statuses(mid(score=80), final(outcome="correct"), final(again, outcome="correct"))[2] is H
    )
    assert statuses(mid(score=80), final(outcome="correct"), mid(again, outcome="pass"))[2] is H


def test_a_mid_term_suspend_holds_every_unreleased_tranche() -> None:
    assert tranches(mid(outcome="suspend")) == [(R, SIGNED), (H, MID), (H, MID)]


def test_a_final_suspend_holds_the_final_tranche() -> None:
    assert tranches(mid(score=80), final(outcome="suspend")) == [(R, SIGNED), (R, MID), (H, FINAL)]


def test_a_suspend_before_signing_holds_the_first_tranche_too() -> None:
    got = tranches(mid(SIGNED - dt.timedelta(days=10), outcome="suspend"))
    assert [s for s, _ in got] == [H, H, H]
    assert got[0] == (H, SIGNED)


def test_a_suspension_holds_for_the_rest_of_the_year() -> None:
    # programme-format.md: held when "any earlier evaluation of the year said suspend"
    later = MID + dt.timedelta(days=20)
    evaluations = (mid(outcome="suspend"), mid(later, outcome="pass"), final(score=95))
    assert tranches(*evaluations) == [(R, SIGNED), (H, MID), (H, MID)]


def test_nothing_after_a_suspension_releases_anything() -> None:
    later = MID + dt.timedelta(days=20)
    assert statuses(mid(outcome="suspend"), mid(later, outcome="correct")) == [R, H, H]
    assert statuses(mid(outcome="suspend"), mid(later, score=10)) == [R, H, H]
    got = statuses(
        mid(score=80),
        final(outcome="correct"),
        mid(FINAL + dt.timedelta(days=1), outcome="suspend"),
        final(FINAL + dt.timedelta(days=2), outcome="pass"),
    )
    assert got == [R, R, H]


# --- cancelled --------------------------------------------------------------------------------


def test_a_stop_cancels_every_unreleased_tranche() -> None:
    assert tranches(mid(outcome="stop")) == [(R, SIGNED), (C, MID), (C, MID)]


def test_a_stop_at_the_final_cancels_only_the_final_tranche() -> None:
    assert tranches(mid(score=70), final(outcome="stop")) == [(R, SIGNED), (R, MID), (C, FINAL)]


def test_after_a_stop_later_evaluations_change_nothing() -> None:
    later = (
        mid(MID + dt.timedelta(days=5), outcome="pass"),
        final(score=100),
        final(FINAL + dt.timedelta(days=1), outcome="suspend"),
    )
    assert tranches(mid(outcome="stop"), *later) == [(R, SIGNED), (C, MID), (C, MID)]


def test_a_stop_before_signing_cancels_everything_and_a_later_signing_releases_nothing() -> None:
    stop = mid(SIGNED - dt.timedelta(days=1), outcome="stop")
    assert statuses(stop) == [C, C, C]


def test_a_stop_overrides_a_suspension() -> None:
    got = tranches(mid(outcome="suspend"), final(outcome="stop"))
    assert got == [(R, SIGNED), (C, FINAL), (C, FINAL)]


# --- the day asked about ----------------------------------------------------------------------


def test_an_evaluation_after_the_day_asked_about_is_ignored() -> None:
    before = MID - dt.timedelta(days=1)
    assert tranches(mid(outcome="stop"), on=before) == [(R, SIGNED), (P, None), (P, None)]
    assert tranches(mid(outcome="suspend"), on=before) == [(R, SIGNED), (P, None), (P, None)]
    assert tranches(mid(score=90), final(score=90), on=FINAL - dt.timedelta(days=1)) == [
        (R, SIGNED),
        (R, MID),
        (P, None),
    ]


def test_a_milestone_on_the_day_asked_about_counts() -> None:
    assert tranches(mid(score=90), on=MID) == [(R, SIGNED), (R, MID), (P, None)]


def test_evaluations_are_taken_in_date_order_not_file_order() -> None:
    lift = MID + dt.timedelta(days=20)
    # written pass-first; the suspension comes first in time and holds what is left
    assert statuses(mid(lift, outcome="pass"), mid(outcome="suspend")) == [R, H, H]
    # the reverse: a pass, then a suspension that holds what is left
    assert statuses(mid(outcome="pass"), mid(lift, outcome="suspend")) == [R, R, H]


# --- outcome derived from the score -----------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [(60, R), (100, R), ("60.0", R), ("59.9", H), (59, H), (0, H)],
)
def test_outcome_absent_is_pass_from_60_else_correct(
    score: int | str, expected: TrancheStatus
) -> None:
    assert statuses(mid(score=80), final(score=score))[2] is expected


@pytest.mark.parametrize("score", [0, 59, 60, 100])
def test_a_mid_term_releases_on_any_score(score: int) -> None:
    # below the pass mark the mid-term says correct, which still releases the 2nd tranche
    assert statuses(mid(score=score))[1] is R


def test_an_explicit_outcome_wins_over_the_score() -> None:
    assert statuses(mid(score=80), final(score=95, outcome="correct"))[2] is H
    assert statuses(mid(score=80), final(score=10, outcome="pass"))[2] is R
    assert statuses(mid(score=95, outcome="stop")) == [R, C, C]


def test_the_pass_mark_comes_from_the_profile() -> None:
    stricter = profiles.builtin().override("evaluation_pass_mark", profiles.ALWAYS, Decimal(80))
    policy = stricter.at(SIGNED)
    assert statuses(mid(score=80), final(score=79), policy=policy)[2] is H
    assert statuses(mid(score=80), final(score=80), policy=policy)[2] is R


# --- the whole schedule -----------------------------------------------------------------------


def test_schedule_of_the_example() -> None:
    programme = loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))
    got = schedule(programme, profiles.builtin(), dt.date(2025, 12, 1))
    assert [(t.station, t.year) for t in got][::3] == [
        ("zhengning", 1),
        ("zhengning", 2),
        ("yanbin", 1),
        ("zhanjiaguaizi", 1),
    ]
    by_key = {(t.station, t.year, t.milestone): t for t in got}
    z = [by_key["zhanjiaguaizi", 1, m] for m in Milestone]
    assert [t.amount for t in z] == [Decimal("90000.01"), Decimal("45000.00"), Decimal("15000.00")]
    assert [t.status for t in z] == [R, R, P]  # no final evaluation yet
    assert [by_key["zhengning", 2, m].status for m in Milestone] == [R, P, P]  # mid-term in 2026
    assert [by_key["yanbin", 1, m].status for m in Milestone] == [R, R, R]  # final 84 passes
    events = releases(got)
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert len(events) == sum(t.status is R for t in got)


def test_schedule_uses_the_policy_at_the_start_of_each_contract_year() -> None:
    programme = loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))
    # from year 2 on (2025-07-01), everything is paid on signing
    profile = profiles.builtin().override(
        "tranches",
        dt.date(2025, 7, 1),
        [
            {"milestone": "contract_signed", "share": Decimal(1)},
        ],
    )
    got = [
        t for t in schedule(programme, profile, dt.date(2025, 12, 1)) if t.station == "zhengning"
    ]
    assert [(t.year, t.milestone, t.amount) for t in got] == [
        (1, Milestone.CONTRACT_SIGNED, Decimal("90000.00")),
        (1, Milestone.MID_TERM, Decimal("45000.00")),
        (1, Milestone.FINAL, Decimal("15000.00")),
        (2, Milestone.CONTRACT_SIGNED, Decimal("150000.00")),
    ]


def test_schedule_sorts_years_within_a_station() -> None:
    programme = loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))
    station = programme.station("zhengning")
    reversed_years = attrs.evolve(station, years=tuple(reversed(station.years)))
    programme = attrs.evolve(programme, stations=(reversed_years,))
    got = schedule(programme, profiles.builtin(), dt.date(2025, 12, 1))
    assert [t.year for t in got] == [1, 1, 1, 2, 2, 2]
