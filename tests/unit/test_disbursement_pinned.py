"""The schedule and PAY-1, pinned: whole tranches and events, same-day order, whole messages.

``test_disbursement.py`` checks statuses; these tests compare whole ``Tranche`` and
``TrancheReleased`` values (station, year, milestone, share, amount, status, date), put several
events on one day, use tranche shares other than the default, and pin PAY-1's and PERF-3's
messages (correct and stop; suspension and held tranches are left to their own tests). What they
kill under mutation testing is listed in docs/testing.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from sgz_core import profiles
from sgz_core.disbursement import (
    Tranche,
    TrancheReleased,
    evaluations_in_order,
    releases,
    schedule,
    year_tranches,
)
from sgz_core.enums import (
    EvaluationKind,
    FundingSource,
    Milestone,
    Outcome,
    Severity,
    TrancheStatus,
)
from sgz_core.findings import Finding
from sgz_core.model import (
    Contractor,
    ContractYear,
    CorrectiveAction,
    Evaluation,
    Funding,
    Programme,
    Station,
)
from sgz_core.profiles import TrancheSpec
from sgz_core.rules import check

R, H, C, P = (
    TrancheStatus.DUE,
    TrancheStatus.HELD,
    TrancheStatus.CANCELLED,
    TrancheStatus.PENDING,
)
SIGNED_M, MID_M, FINAL_M = Milestone.CONTRACT_SIGNED, Milestone.MID_TERM, Milestone.FINAL
START = dt.date(2024, 7, 1)
DAY = dt.date(2024, 12, 16)
LATER = dt.date(2026, 6, 30)
PROFILE = profiles.builtin()
POLICY = PROFILE.at(START)
SHARES = (Decimal("0.60"), Decimal("0.30"), Decimal("0.10"))
VALUE = (
    Funding(FundingSource.PROVINCE, Decimal("50000.01")),
    Funding(FundingSource.CITY, Decimal("50000")),
    Funding(FundingSource.DISTRICT, Decimal("50000")),
    Funding(FundingSource.STREET, Decimal("999")),
)
AMOUNTS = (Decimal("90000.01"), Decimal("45000.00"), Decimal("15000.00"))
STATION = Station("baiyin", "白银路街道", "hexin")


def ev(kind: str, day: dt.date, outcome: str | None = None, score: int | None = None) -> Evaluation:
    return Evaluation(
        EvaluationKind(kind), day, score=score, outcome=Outcome(outcome) if outcome else None
    )


def year(*evaluations: Evaluation, signed: dt.date | None = START, number: int = 1) -> ContractYear:
    return ContractYear(number, signed=signed, funding=VALUE, evaluations=evaluations)


def tranches_of(y: ContractYear, on: dt.date = LATER) -> list[Tranche]:
    return year_tranches(STATION, y, POLICY, on)


def expect(*states: tuple[TrancheStatus, dt.date | None], number: int = 1) -> list[Tranche]:
    milestones = (SIGNED_M, MID_M, FINAL_M)
    return [
        Tranche("baiyin", number, m, share, amount, status, day)
        for m, share, amount, (status, day) in zip(milestones, SHARES, AMOUNTS, states, strict=True)
    ]


# --- whole tranches ---------------------------------------------------------------------------


def test_signed_on_the_day_asked_about_releases_the_first_tranche_that_day() -> None:
    assert tranches_of(year(), on=START) == expect((R, START), (P, None), (P, None))


def test_the_day_before_signing_everything_is_pending() -> None:
    assert tranches_of(year(), on=START - dt.timedelta(days=1)) == expect(
        (P, None), (P, None), (P, None)
    )


def test_every_milestone_passed() -> None:
    y = year(ev("mid_term", DAY, "pass"), ev("final", LATER, score=60))
    assert tranches_of(y) == expect((R, START), (R, DAY), (R, LATER))


def test_an_evaluation_the_day_after_is_not_counted() -> None:
    y = year(ev("mid_term", DAY, "pass"))
    assert tranches_of(y, on=DAY - dt.timedelta(days=1)) == expect((R, START), (P, None), (P, None))
    assert tranches_of(y, on=DAY) == expect((R, START), (R, DAY), (P, None))


def test_a_final_below_the_pass_mark_holds_the_final_tranche() -> None:
    y = year(ev("mid_term", DAY, score=59), ev("final", LATER, score=59))
    assert tranches_of(y) == expect((R, START), (R, DAY), (H, LATER))


def test_a_final_correct_without_a_mid_term_before_it() -> None:
    y = year(ev("final", DAY, "correct"))
    assert tranches_of(y) == expect((R, START), (P, None), (H, DAY))


def test_a_stop_cancels_what_is_not_released_on_its_day_and_ends_the_year() -> None:
    stop = DAY + dt.timedelta(days=30)
    y = year(ev("mid_term", DAY, "pass"), ev("final", stop, "stop"), ev("final", LATER, "pass"))
    assert tranches_of(y) == expect((R, START), (R, DAY), (C, stop))


def test_a_stop_cancels_what_a_lifted_suspension_left_unreleased() -> None:
    # The suspension records no action, so the final pass lifts it and releases the final
    # tranche (decisions 2026-12-01 #1); the mid-term milestone never happened (a suspend is not
    # a pass or correct), so the later stop cancels that tranche and nothing released.
    stop = DAY + dt.timedelta(days=60)
    lifted = DAY + dt.timedelta(days=30)
    y = year(
        ev("mid_term", DAY, "suspend"),
        ev("final", lifted, "pass"),
        ev("final", stop, "stop"),
    )
    assert [(t.status, t.date) for t in tranches_of(y)] == [(R, START), (C, stop), (R, lifted)]


def test_a_stop_before_signing_cancels_the_first_tranche_too() -> None:
    y = year(ev("mid_term", DAY, "stop"), signed=DAY + dt.timedelta(days=1))
    assert tranches_of(y) == expect((C, DAY), (C, DAY), (C, DAY))


# --- several events on one day ----------------------------------------------------------------


def test_signing_comes_before_a_stop_on_the_same_day() -> None:
    y = year(ev("mid_term", START, "stop"))
    assert tranches_of(y) == expect((R, START), (C, START), (C, START))


def test_signing_and_a_mid_term_pass_on_one_day() -> None:
    y = year(ev("mid_term", START, "pass"))
    assert tranches_of(y, on=START) == expect((R, START), (R, START), (P, None))


def test_a_mid_term_comes_before_a_final_on_the_same_day_whatever_the_file_order() -> None:
    y = year(ev("final", DAY, "stop"), ev("mid_term", DAY, "pass"))
    assert tranches_of(y) == expect((R, START), (R, DAY), (C, DAY))
    assert [e.kind for e in evaluations_in_order(y, DAY)] == [
        EvaluationKind.MID_TERM,
        EvaluationKind.FINAL,
    ]


def test_two_finals_on_one_day_keep_file_order() -> None:
    corrected = year(
        ev("mid_term", START, "pass"), ev("final", DAY, "correct"), ev("final", DAY, "pass")
    )
    assert tranches_of(corrected) == expect((R, START), (R, START), (R, DAY))
    stopped = year(
        ev("mid_term", START, "pass"), ev("final", DAY, "pass"), ev("final", DAY, "stop")
    )
    assert tranches_of(stopped) == expect((R, START), (R, START), (R, DAY))
    first, second = ev("final", DAY, "pass"), ev("final", DAY, score=70)
    assert evaluations_in_order(year(first, second), DAY) == [first, second]
    assert evaluations_in_order(year(second, first), DAY) == [second, first]


def test_evaluations_in_order_stops_at_the_day_asked_about() -> None:
    early, late = ev("mid_term", DAY, "pass"), ev("final", DAY + dt.timedelta(days=1), "pass")
    assert evaluations_in_order(year(late, early), DAY) == [early]
    assert evaluations_in_order(year(late, early), DAY + dt.timedelta(days=1)) == [early, late]


# --- other tranche plans ----------------------------------------------------------------------


def test_two_tranches_of_other_shares() -> None:
    plan = (TrancheSpec(SIGNED_M, Decimal("0.7")), TrancheSpec(FINAL_M, Decimal("0.3")))
    policy = PROFILE.override("tranches", profiles.ALWAYS, plan).at(START)
    y = year(ev("mid_term", DAY, "pass"), ev("final", LATER, "pass"))
    assert year_tranches(STATION, y, policy, LATER) == [
        Tranche("baiyin", 1, SIGNED_M, Decimal("0.7"), Decimal("105000.01"), R, START),
        Tranche("baiyin", 1, FINAL_M, Decimal("0.3"), Decimal("45000.00"), R, LATER),
    ]


def test_schedule_takes_each_year_policy_from_its_first_day() -> None:
    plan = (TrancheSpec(SIGNED_M, Decimal("1")),)
    year2 = dt.date(2025, 7, 1)
    profile = PROFILE.override("tranches", year2, plan)
    programme = Programme(
        "p",
        "城关区",
        START,
        contractors=(Contractor("hexin", "和信", "52620102MJ0000001X"),),
        stations=(
            Station(
                "baiyin",
                "白银路街道",
                "hexin",
                years=(year(signed=year2, number=2), year(signed=START, number=1)),
            ),
            Station("yanbin", "雁滩街道", "hexin", years=(year(signed=START, number=1),)),
        ),
    )
    got = schedule(programme, profile, LATER)
    assert got == [
        *expect((R, START), (P, None), (P, None)),
        Tranche("baiyin", 2, SIGNED_M, Decimal("1"), Decimal("150000.01"), R, year2),
        *[
            Tranche("yanbin", t.year, t.milestone, t.share, t.amount, t.status, t.date)
            for t in expect((R, START), (P, None), (P, None))
        ],
    ]
    assert releases(got) == [
        TrancheReleased("baiyin", 1, SIGNED_M, AMOUNTS[0], START),
        TrancheReleased("yanbin", 1, SIGNED_M, AMOUNTS[0], START),
        TrancheReleased("baiyin", 2, SIGNED_M, Decimal("150000.01"), year2),
    ]


def test_releases_leaves_out_every_tranche_not_released() -> None:
    y = year(ev("mid_term", DAY, "pass"), ev("final", LATER, "stop"))
    assert releases(tranches_of(y)) == [
        TrancheReleased("baiyin", 1, SIGNED_M, AMOUNTS[0], START),
        TrancheReleased("baiyin", 1, MID_M, AMOUNTS[1], DAY),
    ]


# --- PAY-1 and PERF-3 messages ----------------------------------------------------------------


def findings(rule_id: str, y: ContractYear, as_of: dt.date = LATER) -> list[Finding]:
    programme = Programme(
        "p",
        "城关区",
        START,
        contractors=(Contractor("hexin", "和信", "52620102MJ0000001X"),),
        stations=(Station("baiyin", "白银路街道", "hexin", years=(y,)),),
    )
    return check(programme, PROFILE, as_of, only=[rule_id])


def pay1(zh: str, en: str) -> Finding:
    return Finding("PAY-1", Severity.ERROR, "baiyin", 1, zh, en)


def test_pay1_an_evaluation_on_the_signing_day_is_in_order() -> None:
    assert findings("PAY-1", year(ev("mid_term", START, "pass"), ev("final", START, "pass"))) == []


def test_pay1_an_evaluation_the_day_before_signing() -> None:
    before = START - dt.timedelta(days=1)
    assert findings("PAY-1", year(ev("mid_term", before, "pass"), ev("final", DAY, "pass"))) == [
        pay1(
            "第1年中期评估于2024-06-30进行，早于2024-07-01合同签订。",
            "In year 1 the mid-term evaluation took place on 2024-06-30, before the contract was signed on 2024-07-01.",
        )
    ]


def test_pay1_evaluations_of_an_unsigned_year() -> None:
    assert findings("PAY-1", year(ev("mid_term", DAY, "pass"), signed=None)) == [
        pay1(
            "第1年中期评估于2024-12-16进行，但合同尚未签订。",
            "In year 1 the mid-term evaluation took place on 2024-12-16, but the contract is not signed.",
        )
    ]


def test_pay1_a_final_without_a_mid_term() -> None:
    assert findings("PAY-1", year(ev("final", DAY, "correct"))) == [
        pay1(
            "第1年末期评估于2024-12-16进行，此前没有中期评估。",
            "In year 1 the final evaluation took place on 2024-12-16 without any mid-term evaluation before it.",
        )
    ]


def test_pay1_a_final_before_the_first_of_two_mid_terms() -> None:
    mid1, mid2 = DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=40)
    y = year(ev("mid_term", mid2, "pass"), ev("final", DAY, "pass"), ev("mid_term", mid1, "pass"))
    assert findings("PAY-1", y) == [
        pay1(
            "第1年末期评估（2024-12-16）早于中期评估（2024-12-17）。",
            "In year 1 the final evaluation on 2024-12-16 comes before the first mid-term evaluation on 2024-12-17.",
        )
    ]
    # a final on the day of the first mid-term, or between two mid-terms, is in order
    between = year(ev("mid_term", DAY, "pass"), ev("final", DAY, "pass"), ev("final", mid1, "pass"))
    assert findings("PAY-1", attrs_evolve_with_mid(between, mid2)) == []


def attrs_evolve_with_mid(y: ContractYear, day: dt.date) -> ContractYear:
    return ContractYear(
        y.year,
        signed=y.signed,
        funding=y.funding,
        evaluations=(*y.evaluations, ev("mid_term", day, "pass")),
    )


def perf3(severity: Severity, zh: str, en: str) -> Finding:
    return Finding("PERF-3", severity, "baiyin", 1, zh, en)


def test_perf3_correct_with_and_without_a_score_and_stop() -> None:
    y = year(
        ev("mid_term", DAY, score=59),
        ev("final", DAY + dt.timedelta(days=1), "correct"),
        ev("final", DAY + dt.timedelta(days=2), "stop", score=75),
    )
    assert findings("PERF-3", y) == [
        perf3(
            Severity.WARNING,
            "第1年中期评估（59分）于2024-12-16作出限期整改的结论。",
            "In year 1 the mid-term evaluation of 2024-12-16 (score 59) asks for correction within a deadline.",
        ),
        perf3(
            Severity.WARNING,
            "第1年末期评估于2024-12-17作出限期整改的结论。",
            "In year 1 the final evaluation of 2024-12-17 asks for correction within a deadline.",
        ),
        perf3(
            Severity.ERROR,
            "第1年末期评估于2024-12-18决定停止执行，尚未拨付的资金停止拨付。",
            "In year 1 the final evaluation of 2024-12-18 stopped the project, so tranches not yet due are cancelled.",
        ),
        perf3(
            Severity.WARNING,
            "第1年中期评估（2024-12-16）的结论为“限期整改”，但未记录整改措施（actions）。",
            "In year 1 the mid-term evaluation of 2024-12-16 said correct, and no corrective action records it.",
        ),
        perf3(
            Severity.WARNING,
            "第1年末期评估（2024-12-17）的结论为“限期整改”，但未记录整改措施（actions）。",
            "In year 1 the final evaluation of 2024-12-17 said correct, and no corrective action records it.",
        ),
        perf3(
            Severity.WARNING,
            "第1年末期评估（2024-12-18）的结论“停止拨付”与按得分建议的“通过”不符，且未写明理由（reason）。",
            "In year 1 the final evaluation of 2024-12-18 says stop where the score proposes pass, and no reason is given.",
        ),
    ]


def test_perf3_only_evaluations_up_to_the_day_asked_about() -> None:
    y = year(ev("mid_term", DAY, "pass"), ev("final", LATER, "stop"))
    assert findings("PERF-3", y, as_of=LATER - dt.timedelta(days=1)) == []
    assert [f.severity for f in findings("PERF-3", y, as_of=LATER)] == [Severity.ERROR]


# --- suspension (PERF-3 held tranches, decisions 2026-12-01 #1) -------------------------------


def test_a_signing_during_a_suspension_holds_only_the_signing_tranche_on_its_day() -> None:
    signed = DAY + dt.timedelta(days=10)
    y = year(ev("mid_term", DAY, "suspend"), signed=signed)
    assert tranches_of(y) == expect((H, signed), (H, DAY), (H, DAY))


def test_perf3_suspend_and_its_held_tranches_word_for_word() -> None:
    y = year(ev("mid_term", DAY, "suspend"))
    assert findings("PERF-3", y) == [
        perf3(
            Severity.WARNING,
            "第1年中期评估于2024-12-16决定暂缓执行，后续节点暂缓拨付。",
            "In year 1 the mid-term evaluation of 2024-12-16 suspended the project, so later "
            "tranches are held.",
        ),
        perf3(
            Severity.WARNING,
            "第1年中期评估（2024-12-16）的结论为“暂缓执行”，但未记录整改措施（actions）。",
            "In year 1 the mid-term evaluation of 2024-12-16 said suspend, and no corrective "
            "action records it.",
        ),
        Finding(
            "PERF-3",
            Severity.NOTICE,
            "baiyin",
            1,
            "第1年“中期评估”节点的45,000.00元暂缓拨付。",
            "In year 1 the 45,000.00 CNY tranche for 'mid-term evaluation' is held.",
        ),
        Finding(
            "PERF-3",
            Severity.NOTICE,
            "baiyin",
            1,
            "第1年“末期评估通过”节点的15,000.00元暂缓拨付。",
            "In year 1 the 15,000.00 CNY tranche for 'final evaluation passed' is held.",
        ),
    ]


def test_a_final_correct_during_a_suspension_is_no_mid_term_milestone() -> None:
    # lifted by the final pass: the final tranche is due, the mid-term one never happened
    y = year(
        ev("mid_term", DAY, "suspend"),
        ev("final", DAY + dt.timedelta(days=10), "correct"),
        ev("final", DAY + dt.timedelta(days=20), "pass"),
    )
    assert tranches_of(y) == expect((R, START), (P, None), (R, DAY + dt.timedelta(days=20)))


def test_a_second_suspension_after_a_lifted_one_holds_again() -> None:
    lifted, again = DAY + dt.timedelta(days=10), DAY + dt.timedelta(days=20)
    y = year(
        ev("mid_term", DAY, "suspend"),
        ev("mid_term", lifted, "pass"),
        ev("final", again, "suspend"),
    )
    assert tranches_of(y) == expect((R, START), (R, lifted), (H, again))


def d(days: int) -> dt.date:
    return DAY + dt.timedelta(days=days)


def test_a_final_pass_lifting_a_suspension_releases_a_final_tranche_held_by_a_correct() -> None:
    y = year(
        ev("mid_term", DAY, "pass"),
        ev("final", d(10), "correct"),
        ev("final", d(20), "suspend"),
        ev("final", d(30), "pass"),
    )
    assert tranches_of(y) == expect((R, START), (R, DAY), (R, d(30)))


def test_a_final_correct_during_a_suspension_holds_the_final_tranche_past_a_mid_term_lift() -> None:
    y = year(
        ev("mid_term", DAY, "suspend"), ev("final", d(10), "correct"), ev("mid_term", d(20), "pass")
    )
    assert tranches_of(y) == expect((R, START), (R, d(20)), (H, d(10)))


def test_a_final_pass_while_actions_are_open_is_released_when_a_mid_term_lifts() -> None:
    action = CorrectiveAction("a1", DAY, "补齐档案", d(15), closed=d(15))
    y = attrs.evolve(
        year(
            ev("mid_term", DAY, "suspend"),
            ev("final", d(10), "pass"),
            ev("mid_term", d(20), "pass"),
        ),
        actions=(action,),
    )
    # the action is open on d(10): no lifting; closed on d(15), so the mid-term pass lifts
    assert tranches_of(y) == expect((R, START), (R, d(20)), (R, d(20)))


HOLDS = PROFILE.override("mid_term_correct_holds", profiles.ALWAYS, True).at(START)


def test_with_a_mid_term_correct_holding_its_tranche_a_later_lift_keeps_it_held() -> None:
    y = year(
        ev("mid_term", DAY, "correct"), ev("final", d(10), "suspend"), ev("final", d(20), "pass")
    )
    assert year_tranches(STATION, y, HOLDS, LATER) == expect((R, START), (H, DAY), (R, d(20)))
    # the default profile releases the mid-term tranche on a correct
    assert tranches_of(y) == expect((R, START), (R, DAY), (R, d(20)))


def test_with_a_mid_term_correct_during_a_suspension_the_lift_keeps_it_held() -> None:
    y = year(
        ev("mid_term", DAY, "suspend"), ev("mid_term", d(10), "correct"), ev("final", d(20), "pass")
    )
    assert year_tranches(STATION, y, HOLDS, LATER) == expect((R, START), (H, d(10)), (R, d(20)))
