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
from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.disbursement import releases, schedule, year_tranches
from sgz_core.enums import EvaluationKind, FundingSource, Milestone, Outcome, TrancheStatus
from sgz_core.model import ContractYear, CorrectiveAction, Evaluation, Funding, Station
from sgz_core.profiles import Policy
from sgz_core.programme_file import loads

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "examples" / "chengguan.toml"

R, H, C, P = (
    TrancheStatus.DUE,
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


def action(
    action_id: str = "a1", *, evaluation: dt.date = MID, closed: dt.date | None = None
) -> CorrectiveAction:
    due = evaluation + dt.timedelta(days=30)
    return CorrectiveAction(action_id, evaluation, "整改台账", due, closed=closed)


def tranches(
    *evaluations: Evaluation,
    signed: dt.date | None = SIGNED,
    on: dt.date = LATER,
    policy: Policy = POLICY,
    money: tuple[Funding, ...] | None = None,
    actions: tuple[CorrectiveAction, ...] = (),
) -> list[tuple[TrancheStatus, dt.date | None]]:
    year = ContractYear(
        1, signed=signed, funding=money or funding(), evaluations=evaluations, actions=actions
    )
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


def test_a_suspension_is_lifted_by_a_later_pass_once_its_actions_are_closed() -> None:
    # decisions 2026-12-01 #1: suspension holds, it does not cancel
    closed = MID + dt.timedelta(days=10)
    later = MID + dt.timedelta(days=20)
    evaluations = (mid(outcome="suspend"), mid(later, outcome="pass"), final(score=95))
    actions = (action(closed=closed),)
    assert tranches(*evaluations, actions=actions, on=later - dt.timedelta(days=1)) == [
        (R, SIGNED),
        (H, MID),
        (H, MID),
    ]
    assert tranches(*evaluations, actions=actions, on=later) == [(R, SIGNED), (R, later), (P, None)]
    assert tranches(*evaluations, actions=actions) == [(R, SIGNED), (R, later), (R, FINAL)]


def test_a_suspension_with_an_open_action_stays_held_whatever_passes() -> None:
    later = MID + dt.timedelta(days=20)
    evaluations = (mid(outcome="suspend"), mid(later, outcome="pass"), final(score=95))
    assert statuses(*evaluations, actions=(action(),)) == [R, H, H]
    # closed after the passing re-evaluations: a further pass is needed
    closed = FINAL + dt.timedelta(days=1)
    assert statuses(*evaluations, actions=(action(closed=closed),)) == [R, H, H]
    again = final(closed + dt.timedelta(days=5), outcome="pass")
    got = tranches(*evaluations, again, actions=(action(closed=closed),))
    assert got == [(R, SIGNED), (R, again.date), (R, again.date)]


def test_every_action_of_the_suspension_must_be_closed() -> None:
    later = MID + dt.timedelta(days=20)
    done = action("a1", closed=MID + dt.timedelta(days=1))
    assert statuses(mid(outcome="suspend"), mid(later, score=90), actions=(done, action("a2"))) == [
        R,
        H,
        H,
    ]
    # an action of another evaluation does not count against this suspension
    other = action("a3", evaluation=MID - dt.timedelta(days=40))
    assert statuses(mid(outcome="suspend"), mid(later, score=90), actions=(done, other)) == [
        R,
        R,
        P,
    ]


def test_a_correct_during_a_suspension_does_not_lift_it() -> None:
    later = MID + dt.timedelta(days=20)
    done = (action(closed=MID + dt.timedelta(days=1)),)
    assert statuses(mid(outcome="suspend"), mid(later, outcome="correct"), actions=done) == [
        R,
        H,
        H,
    ]
    assert statuses(mid(outcome="suspend"), mid(later, score=10), actions=done) == [R, H, H]
    # the mid-term correct still counts as the mid-term milestone once a pass lifts it
    lift = final(later + dt.timedelta(days=30), score=90)
    got = tranches(mid(outcome="suspend"), mid(later, outcome="correct"), lift, actions=done)
    assert got == [(R, SIGNED), (R, lift.date), (R, lift.date)]


def test_a_suspension_lifted_by_a_final_pass_leaves_a_missing_mid_term_pending() -> None:
    done = (action(closed=MID + dt.timedelta(days=1)),)
    got = tranches(mid(outcome="suspend"), final(score=90), actions=done)
    assert got == [(R, SIGNED), (P, None), (R, FINAL)]


def test_a_suspension_after_a_final_correct_keeps_the_final_tranche_held_after_lifting() -> None:
    suspend = mid(FINAL + dt.timedelta(days=1), outcome="suspend")
    lift = mid(FINAL + dt.timedelta(days=2), outcome="pass")
    got = tranches(mid(score=80), final(outcome="correct"), suspend, lift)
    assert got == [(R, SIGNED), (R, MID), (H, FINAL)]


def test_a_final_pass_during_a_suspension_ends_the_hold_of_an_earlier_final_correct() -> None:
    """PAY-1, decisions 2026-12-01 #1: a final ``correct`` holds the 10% until a later final
    evaluation passes; one that passes while a suspension is open is remembered (the tranches
    stay held), so when a later pass lifts the suspension the 10% is due, not held by the
    ``correct`` a final pass has since answered."""
    suspend = final(FINAL + dt.timedelta(days=1), outcome="suspend")
    passed = final(FINAL + dt.timedelta(days=5), outcome="pass")  # the action still open
    closed = FINAL + dt.timedelta(days=10)
    lift = mid(FINAL + dt.timedelta(days=20), outcome="pass")
    done = (action(evaluation=suspend.date, closed=closed),)
    evaluations = (mid(score=80), final(outcome="correct"), suspend, passed, lift)
    assert tranches(*evaluations, actions=done, on=lift.date - dt.timedelta(days=1)) == [
        (R, SIGNED),
        (R, MID),
        (H, suspend.date),
    ]
    assert tranches(*evaluations, actions=done) == [(R, SIGNED), (R, MID), (R, lift.date)]


def test_a_mid_term_pass_during_a_suspension_ends_the_hold_of_a_mid_term_correct() -> None:
    """The same for the 30% under ``mid_term_correct_holds``: a mid-term ``correct`` holds it
    until a later mid-term passes; a mid-term that passes while suspended counts once lifted."""
    policy = profiles.builtin().override("mid_term_correct_holds", profiles.ALWAYS, True)
    suspend = mid(MID + dt.timedelta(days=10), outcome="suspend")
    passed = mid(MID + dt.timedelta(days=20), outcome="pass")  # the action still open
    done = (action(evaluation=suspend.date, closed=MID + dt.timedelta(days=30)),)
    evaluations = (mid(outcome="correct"), suspend, passed, final(score=90))
    got = tranches(*evaluations, actions=done, policy=policy.at(SIGNED))
    assert got == [(R, SIGNED), (R, FINAL), (R, FINAL)]


def test_a_mid_term_correct_holds_the_30_percent_where_the_profile_says_so() -> None:
    holding = profiles.builtin().override("mid_term_correct_holds", profiles.ALWAYS, True)
    policy = holding.at(SIGNED)
    later = MID + dt.timedelta(days=30)
    assert tranches(mid(outcome="correct"), policy=policy) == [(R, SIGNED), (H, MID), (P, None)]
    got = tranches(mid(outcome="correct"), mid(later, score=70), policy=policy)
    assert got == [(R, SIGNED), (R, later), (P, None)]
    assert tranches(mid(outcome="correct")) == [(R, SIGNED), (R, MID), (P, None)]


_DAYS = st.integers(1, 150).map(lambda n: MID + dt.timedelta(days=n))


@settings(max_examples=200, deadline=None)
@given(
    closes=st.lists(st.one_of(st.none(), _DAYS), min_size=0, max_size=3),
    later=st.lists(
        st.tuples(_DAYS, st.sampled_from(["pass", "correct"]), st.sampled_from(["mid", "final"])),
        max_size=4,
    ),
    on=_DAYS,
)
def test_a_suspension_is_lifted_by_closed_actions_and_a_pass_and_never_otherwise(
    closes: list[dt.date | None], later: list[tuple[dt.date, str, str]], on: dt.date
) -> None:
    actions = tuple(action(f"a{i}", closed=c) for i, c in enumerate(closes))
    evaluations = [mid(outcome="suspend")] + [
        (mid if kind == "mid" else final)(day, outcome=outcome) for day, outcome, kind in later
    ]
    got = statuses(*evaluations, actions=actions, on=on)
    all_closed = [c for c in closes if c is not None] if None not in closes else None
    lifted = all_closed is not None and any(
        outcome == "pass" and day <= on and all(c <= day for c in all_closed)
        for day, outcome, _ in later
    )
    if lifted:
        assert H not in got[1:] or got[2] is H  # only a final correct may keep the 10% held
        assert R in got[1:]
    else:
        assert got == [R, H, H]


_GRID = [SIGNED + dt.timedelta(days=45 * i) for i in range(-1, 14)]
"""Days a generated year's events fall on: few enough that events often share one."""


@st.composite
def _years(draw: st.DrawFn) -> ContractYear:
    """A contract year with any evaluations and outcomes, and actions for its suspensions
    (closed on some day or open)."""
    evaluations = draw(
        st.lists(
            st.builds(
                Evaluation,
                st.sampled_from(EvaluationKind),
                st.sampled_from(_GRID),
                outcome=st.sampled_from(Outcome),
            ),
            max_size=5,
        )
    )
    actions = tuple(
        CorrectiveAction(
            f"a{i}", e.date, "整改", e.date, closed=draw(st.none() | st.sampled_from(_GRID))
        )
        for i, e in enumerate(evaluations)
        if e.outcome is Outcome.SUSPEND and draw(st.booleans())
    )
    signed = draw(st.none() | st.sampled_from(_GRID))
    return ContractYear(
        1, signed=signed, funding=funding(), evaluations=tuple(evaluations), actions=actions
    )


@settings(max_examples=150, deadline=None)
@given(year=_years(), holds_mid=st.booleans())
def test_a_due_tranche_stays_due_with_its_date_on_every_later_day(
    year: ContractYear, holds_mid: bool
) -> None:
    """PAY-1 (disbursement.md §3: "a due tranche is never taken back"): whatever the
    evaluations, suspensions, corrections and stops, a tranche due on a day is due, on the same
    date and for the same amount, on every later day. ``decide_many`` relies on it, and a
    tranche paid once due is never wrongly refused afterwards."""
    policy = (
        profiles.builtin().override("mid_term_correct_holds", profiles.ALWAYS, True).at(SIGNED)
        if holds_mid
        else POLICY
    )
    seen: dict[Milestone, tuple[dt.date | None, Decimal]] = {}
    for day in _GRID:
        for t in year_tranches(STATION, year, policy, day):
            if t.milestone in seen:
                assert t.status is R and (t.date, t.amount) == seen[t.milestone], (day, t)
            elif t.status is R:
                assert t.date is not None and t.date <= day
                seen[t.milestone] = (t.date, t.amount)


def _as_documented(
    year: ContractYear, on: dt.date, holds_mid: bool
) -> list[tuple[TrancheStatus, dt.date | None]]:
    """The statuses by the table "What each event does" of ``docs/disbursement.md`` §3, read
    row by row (a model written from the document, not from the code)."""
    order = {EvaluationKind.MID_TERM: 0, EvaluationKind.FINAL: 1}
    events: list[tuple[dt.date, int, int, Evaluation | None]] = []
    if year.signed is not None and year.signed <= on:
        events.append((year.signed, -1, -1, None))
    events += [
        (e.date, order[e.kind], i, e) for i, e in enumerate(year.evaluations) if e.date <= on
    ]
    events.sort(key=lambda t: t[:3])
    status = {m: P for m in Milestone}
    day_of: dict[Milestone, dt.date | None] = {m: None for m in Milestone}
    happened: set[Milestone] = set()
    corrected: dict[Milestone, dt.date] = {}  # held by a correct until one of its kind passes
    open_: list[Evaluation] = []

    def put(m: Milestone, s: TrancheStatus, day: dt.date | None) -> None:
        if status[m] is not R:  # a due tranche is never taken back
            status[m], day_of[m] = s, day

    for day, _, _, e in events:
        if e is None:  # contract signed
            happened.add(Milestone.CONTRACT_SIGNED)
            put(Milestone.CONTRACT_SIGNED, H if open_ else R, day)
            continue
        outcome = e.effective_outcome(POLICY.evaluation_pass_mark)
        if outcome is Outcome.STOP:
            for m in Milestone:
                put(m, C, day)
            break
        if outcome is Outcome.SUSPEND:
            open_.append(e)
            for m in Milestone:
                put(m, H, day)
            continue
        own = Milestone.MID_TERM if e.kind is EvaluationKind.MID_TERM else Milestone.FINAL
        holds = outcome is Outcome.CORRECT and (own is Milestone.FINAL or holds_mid)
        if outcome is Outcome.PASS:
            corrected.pop(own, None)
        if holds:
            corrected.setdefault(own, day)
        else:
            happened.add(own)
        if open_:
            closed = all(
                a.closed_by(day) for s in open_ for a in year.actions if a.evaluation == s.date
            )
            if outcome is Outcome.PASS and closed:  # lifts the suspension
                open_ = []
                for m in Milestone:
                    if m in corrected:
                        put(m, H, corrected[m])
                    elif m in happened:
                        put(m, R, day)
                    else:
                        put(m, P, None)
            continue
        put(own, H if holds else R, day)
    return [(status[m], day_of[m] if status[m] is not P else None) for m in Milestone]


@settings(max_examples=300, deadline=None)
@given(year=_years(), holds_mid=st.booleans(), on=st.sampled_from(_GRID))
def test_the_schedule_is_the_documented_table_of_events(
    year: ContractYear, holds_mid: bool, on: dt.date
) -> None:
    """PAY-1, PERF-3, decisions 2026-12-01 #1 and #10: on any generated year (evaluations of
    both kinds with every outcome, on shared days, suspensions with actions open or closed,
    either ``mid_term_correct_holds``) every tranche's status and date are those the table of
    ``docs/disbursement.md`` §3 gives."""
    policy = (
        profiles.builtin().override("mid_term_correct_holds", profiles.ALWAYS, True).at(SIGNED)
        if holds_mid
        else POLICY
    )
    got = [(t.status, t.date) for t in year_tranches(STATION, year, policy, on)]
    assert got == _as_documented(year, on, holds_mid)


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
    # written pass-first; the suspension comes first in time, the pass later lifts it
    assert statuses(mid(lift, outcome="pass"), mid(outcome="suspend")) == [R, R, P]
    assert statuses(mid(lift, outcome="pass"), mid(outcome="suspend"), actions=(action(),)) == [
        R,
        H,
        H,
    ]
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
        ("zhengning", 3),
        ("yanbin", 1),
        ("yanbin", 2),
        ("yanbin", 3),
        ("zhanjiaguaizi", 1),
        ("zhanjiaguaizi", 2),
        ("zhanjiaguaizi", 3),
    ]
    by_key = {(t.station, t.year, t.milestone): t for t in got}
    z = [by_key["zhanjiaguaizi", 1, m] for m in Milestone]
    assert [t.amount for t in z] == [Decimal("90000.01"), Decimal("45000.00"), Decimal("15000.00")]
    assert [t.status for t in z] == [R, R, R]  # final 82 passes
    assert [by_key["zhanjiaguaizi", 2, m].status for m in Milestone] == [R, P, P]
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
        (3, Milestone.CONTRACT_SIGNED, Decimal("150000.00")),
    ]


def test_schedule_sorts_years_within_a_station() -> None:
    programme = loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))
    station = programme.station("zhengning")
    reversed_years = attrs.evolve(station, years=tuple(reversed(station.years)))
    programme = attrs.evolve(programme, stations=(reversed_years,))
    got = schedule(programme, profiles.builtin(), dt.date(2025, 12, 1))
    assert [t.year for t in got] == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_the_example_s_mid_term_correct_releases_the_30_percent_by_default() -> None:
    # decisions 2026-12-01 #10: a mid-term correct releases; the final 64.03 passes
    programme = loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))
    got = [t for t in schedule(programme, profiles.builtin(), LATER) if t.station == "zhengning"]
    assert [(t.year, t.status, t.date) for t in got[3:6]] == [
        (2, R, dt.date(2025, 7, 1)),
        (2, R, dt.date(2026, 1, 12)),
        (2, R, dt.date(2026, 6, 20)),
    ]


def test_a_held_30_percent_keeps_the_day_of_the_first_mid_term_correct_through_a_suspension() -> (
    None
):
    """Under ``mid_term_correct_holds``, a second mid-term ``correct`` during a suspension does
    not move the day the 30% has been held since: once a final pass lifts the suspension, the
    tranche is held from the first ``correct`` of the suspension (kills
    ``x_year_tranches__mutmut_104``: ``PASS and milestone`` read as ``PASS or milestone``)."""
    policy = profiles.builtin().override("mid_term_correct_holds", profiles.ALWAYS, True)
    suspend = mid(MID, outcome="suspend")
    first = mid(MID + dt.timedelta(days=10), outcome="correct")
    second = mid(MID + dt.timedelta(days=20), outcome="correct")
    done = (action(evaluation=suspend.date, closed=MID + dt.timedelta(days=30)),)
    evaluations = (suspend, first, second, final(score=90))
    got = tranches(*evaluations, actions=done, policy=policy.at(SIGNED))
    assert got[1] == (H, first.date)
