"""Recorded payments (PAY-1), pinned: whole payments, decisions, tranches, totals and findings.

``test_payments.py`` checks outcomes and a few words of each message; these tests compare whole
``Payment``, ``PayDecision``, ``Tranche``, ``Adjustment``, ``Totals`` and ``Finding`` values and
every message word for word in both languages, check each field's refusal at exactly its limit and
one character (one day, one fen) either side, and use profile values other than the defaults (a
pass mark of 75, ``mid_term_correct_holds``, two tranches). What they kill under mutation testing
is listed in docs/testing.md (issue 13).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from sgz_core import profiles
from sgz_core.disbursement import Tranche, schedule
from sgz_core.enums import (
    EvaluationKind,
    Milestone,
    Outcome,
    PaymentOutcome,
    Severity,
    TrancheStatus,
)
from sgz_core.errors import InvalidInput
from sgz_core.findings import Finding
from sgz_core.limits import MAX_KEY_LENGTH
from sgz_core.model import Evaluation, Programme
from sgz_core.payments import (
    MAX_TEXT,
    Adjustment,
    AlreadyPaid,
    Applied,
    PayDecision,
    Payment,
    Totals,
    adjustment_findings,
    already_paid_text,
    apply_payments,
    decide,
    payment_order,
    recorded_text,
    totals,
    tranche_on,
)
from sgz_core.profiles import TrancheSpec
from sgz_core.programme_file import loads
from sgz_core.text import Text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = loads((ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml")
PROFILE = profiles.builtin()
SIGNED = dt.date(2024, 7, 1)  # zhengning year 1 in the example
MID = dt.date(2025, 1, 15)
CS, MT, FI = Milestone.CONTRACT_SIGNED, Milestone.MID_TERM, Milestone.FINAL
DUE, PAID, HELD, CANCELLED, PENDING = (
    TrancheStatus.DUE,
    TrancheStatus.PAID,
    TrancheStatus.HELD,
    TrancheStatus.CANCELLED,
    TrancheStatus.PENDING,
)
D = Decimal


def with_year(programme: Programme, **changes: object) -> Programme:
    """The example with zhengning's year 1 changed."""
    station = programme.stations[0]
    year = attrs.evolve(station.years[0], **changes)
    years = (year, *station.years[1:])
    return attrs.evolve(
        programme, stations=(attrs.evolve(station, years=years), *programme.stations[1:])
    )


def only_zhengning_1(programme: Programme = EXAMPLE, **changes: object) -> Programme:
    """The example cut to zhengning's year 1 (changed by ``changes``): one station-year."""
    station = programme.stations[0]
    year = attrs.evolve(station.years[0], **changes)
    return attrs.evolve(programme, stations=(attrs.evolve(station, years=(year,)),))


def ev(kind: str, day: dt.date, outcome: str | None = None, score: str | None = None) -> Evaluation:
    return Evaluation(
        EvaluationKind(kind),
        day,
        score=D(score) if score is not None else None,
        outcome=Outcome(outcome) if outcome else None,
    )


def ask(
    programme: Programme = EXAMPLE,
    milestone: Milestone | str = CS,
    on: dt.date = SIGNED,
    payments: tuple[Payment, ...] = (),
    by: str = "李会计",
    reference: str | None = "V-1",
    profile: profiles.Profile = PROFILE,
    station: str = "zhengning",
    year: int = 1,
) -> PayDecision:
    return decide(
        programme,
        profile,
        station=station,
        year=year,
        milestone=milestone,
        on=on,
        by=by,
        reference=reference,
        payments=payments,
    )


def pay(
    milestone: Milestone = CS,
    amount: str = "90000.00",
    day: dt.date = SIGNED,
    station: str = "zhengning",
    year: int = 1,
    by: str = "李会计",
    reference: str | None = None,
) -> Payment:
    return Payment(station, year, milestone, D(amount), day, by, reference)


def tranche(
    milestone: Milestone,
    amount: str,
    status: TrancheStatus,
    day: dt.date | None,
    station: str = "zhengning",
    year: int = 1,
) -> Tranche:
    share = {CS: D("0.60"), MT: D("0.30"), FI: D("0.10")}[milestone]
    return Tranche(station, year, milestone, share, D(amount), status, day)


# --- a payment's fields ----------------------------------------------------------------------------


def refusal(excinfo: pytest.ExceptionInfo[InvalidInput]) -> str:
    return str(excinfo.value)


def test_a_payment_keeps_every_field_as_given() -> None:
    at = dt.datetime(2024, 7, 1, 8, 30, 15, tzinfo=dt.UTC)
    p = Payment("zhengning", 2, "final", D("15000"), dt.date(2025, 6, 20), "李会计", "V-7", at)
    assert (p.station, p.year, p.milestone, p.amount, p.paid_on, p.by, p.reference) == (
        "zhengning",
        2,
        FI,
        D("15000.00"),
        dt.date(2025, 6, 20),
        "李会计",
        "V-7",
    )
    assert str(p.amount) == "15000.00"
    assert p.recorded_at == at
    assert p.key == ("zhengning", 2, FI)
    assert Payment("s", 1, CS, D("1"), SIGNED, "x").reference is None
    assert Payment("s", 1, CS, D("1"), SIGNED, "x").recorded_at is None


@pytest.mark.parametrize("station", ["s", "x" * MAX_KEY_LENGTH, " a "])
def test_a_station_id_of_one_to_the_longest_key_is_kept(station: str) -> None:
    assert Payment(station, 1, CS, D("1"), SIGNED, "x").station == station


@pytest.mark.parametrize("station", ["", "   ", "x" * (MAX_KEY_LENGTH + 1), 7, None])
def test_a_station_id_that_is_blank_too_long_or_not_text_is_refused(station: object) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        Payment(station, 1, CS, D("1"), SIGNED, "x")  # type: ignore[arg-type]
    assert refusal(excinfo) == f"station: expected a station id, got {station!r}"


@pytest.mark.parametrize("year", [1, 2, 98, 99])
def test_a_year_from_1_to_99_is_kept(year: int) -> None:
    assert Payment("s", year, CS, D("1"), SIGNED, "x").year == year


@pytest.mark.parametrize("year", [0, 100, -1, True, False, "1", 1.0, None])
def test_a_year_outside_1_to_99_or_not_an_integer_is_refused(year: object) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", year, CS, D("1"), SIGNED, "x")  # type: ignore[arg-type]
    assert refusal(excinfo) == (f"year: expected a contract year number from 1 to 99, got {year!r}")


@pytest.mark.parametrize("text", ["x", "x" * MAX_TEXT, " 李 ", "第一\n第二"])
def test_a_name_and_reference_up_to_the_longest_text_are_kept(text: str) -> None:
    p = Payment("s", 1, CS, D("1"), SIGNED, text, text)
    assert (p.by, p.reference) == (text, text)


@pytest.mark.parametrize("value", [None, "", "  ", "\n", 5])
def test_a_missing_or_blank_name_is_refused_as_a_name(value: object) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", 1, CS, D("1"), SIGNED, value)  # type: ignore[arg-type]
    assert refusal(excinfo) == f"by: expected a name, got {value!r}"


@pytest.mark.parametrize("value", ["", "  ", 5])
def test_a_blank_reference_is_refused_as_a_text(value: object) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", 1, CS, D("1"), SIGNED, "x", value)  # type: ignore[arg-type]
    assert refusal(excinfo) == f"reference: expected a text, got {value!r}"


@pytest.mark.parametrize("field", ["by", "reference"])
@pytest.mark.parametrize(
    ("text", "length"), [("x" * (MAX_TEXT + 1), MAX_TEXT + 1), ("a\x00b", 3), ("\x00", 1)]
)
def test_a_text_one_character_too_long_or_with_nul_is_refused(
    field: str, text: str, length: int
) -> None:
    values = {"by": "x", "reference": None, field: text}
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", 1, CS, D("1"), SIGNED, values["by"], values["reference"])
    assert refusal(excinfo) == (
        f"{field}: expected at most 1000 characters without NUL, got {length}"
    )
    assert MAX_TEXT == 1000


def test_recorded_at_is_kept_in_utc_to_the_second() -> None:
    at = dt.datetime(2024, 7, 1, 8, 30, 15, 999999, tzinfo=dt.UTC)
    p = Payment("s", 1, CS, D("1"), SIGNED, "x", recorded_at=at)
    assert p.recorded_at == dt.datetime(2024, 7, 1, 8, 30, 15, tzinfo=dt.UTC)
    assert p.recorded_at is not None and p.recorded_at.tzinfo is dt.UTC
    zulu = dt.timezone(dt.timedelta(0), "Z")
    q = Payment("s", 1, CS, D("1"), SIGNED, "x", recorded_at=dt.datetime(2024, 7, 1, tzinfo=zulu))
    assert q.recorded_at is not None and q.recorded_at.tzinfo is dt.UTC
    assert q.recorded_at.tzname() == "UTC"


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2024, 7, 1, 8),
        dt.datetime(2024, 7, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        dt.datetime(2024, 7, 1, 8, tzinfo=dt.timezone(dt.timedelta(seconds=-1))),
        SIGNED,
        "2024-07-01T08:00:00Z",
    ],
)
def test_recorded_at_not_in_utc_is_refused(at: object) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", 1, CS, D("1"), SIGNED, "x", recorded_at=at)  # type: ignore[arg-type]
    assert refusal(excinfo) == f"recorded_at: expected a datetime in UTC, got {at!r}"


def test_same_payment_ignores_only_when_it_was_recorded() -> None:
    at = dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC)
    p = pay(reference="V-1")
    assert p.same_payment(attrs.evolve(p, recorded_at=at))
    assert attrs.evolve(p, recorded_at=at).same_payment(p)
    assert not p.same_payment(attrs.evolve(p, reference="V-2"))
    assert not p.same_payment(attrs.evolve(p, amount=D("90000.01")))
    assert not p.same_payment(attrs.evolve(p, by="王出纳"))


def test_payments_sort_by_station_then_year_then_milestone_in_schedule_order() -> None:
    ps = [
        pay(FI, station="b", year=1),
        pay(CS, station="b", year=2),
        pay(MT, station="a", year=2),
        pay(FI, station="a", year=1),
        pay(CS, station="a", year=1),
        pay(MT, station="a", year=1),
    ]
    assert [p.key for p in sorted(ps, key=payment_order)] == [
        ("a", 1, CS),
        ("a", 1, MT),
        ("a", 1, FI),
        ("a", 2, MT),
        ("b", 1, FI),
        ("b", 2, CS),
    ]
    assert [payment_order(p) for p in ps[3:]] == [("a", 1, 2), ("a", 1, 0), ("a", 1, 1)]


# --- messages ------------------------------------------------------------------------------------


def test_already_paid_says_when_by_whom_how_much_and_the_reference() -> None:
    p = pay(MT, "1234567.5", MID, by="王出纳", reference="V-9", year=2)
    assert already_paid_text(p) == Text(
        "站点 zhengning 第2年“中期评估”节点已于2025-01-15由王出纳拨付1,234,567.50元"
        "（凭证 V-9），本次未再记录。",
        "The 'mid-term evaluation' tranche of station zhengning, year 2 was already paid on "
        "2025-01-15 by 王出纳: 1,234,567.50 CNY (reference V-9); nothing new was recorded.",
    )
    assert already_paid_text(pay()) == Text(
        "站点 zhengning 第1年“合同签订”节点已于2024-07-01由李会计拨付90,000.00元，本次未再记录。",
        "The 'contract signed' tranche of station zhengning, year 1 was already paid on "
        "2024-07-01 by 李会计: 90,000.00 CNY; nothing new was recorded.",
    )


def test_already_paid_is_an_error_carrying_the_payment() -> None:
    p = pay(FI, "15000", reference="V-3")
    exc = AlreadyPaid(p)
    assert exc.payment is p
    assert str(exc) == already_paid_text(p).en
    assert isinstance(exc, ValueError)


def test_recorded_says_what_was_recorded() -> None:
    p = pay(FI, "15000.5", dt.date(2025, 6, 20), by="王出纳", reference="V-3")
    assert recorded_text(p) == Text(
        "已记录站点 zhengning 第1年“末期评估通过”节点于2025-06-20由王出纳拨付15,000.50元。",
        "Recorded: the 'final evaluation passed' tranche of station zhengning, year 1 paid on "
        "2025-06-20 by 王出纳, 15,000.50 CNY.",
    )


# --- deciding ------------------------------------------------------------------------------------


def test_a_due_tranche_is_recorded_whole() -> None:
    at = dt.datetime(2024, 7, 2, 1, 2, 3, tzinfo=dt.UTC)
    d = decide(
        EXAMPLE,
        PROFILE,
        station="zhengning",
        year=1,
        milestone="contract_signed",
        on=dt.date(2024, 7, 2),
        by="李会计",
        reference="V-1",
        recorded_at=at,
    )
    p = Payment("zhengning", 1, CS, D("90000.00"), dt.date(2024, 7, 2), "李会计", "V-1", at)
    assert d == PayDecision(
        PaymentOutcome.RECORDED,
        tranche(CS, "90000.00", DUE, SIGNED),
        recorded_text(p),
        p,
    )
    assert d.payment is not None and d.payment.recorded_at == at
    assert d.reason is None and d.evaluation is None


def test_a_due_tranche_without_a_reference_is_recorded_without_one() -> None:
    d = ask(reference=None)
    assert d.payment == Payment("zhengning", 1, CS, D("90000.00"), SIGNED, "李会计")


def test_a_payment_of_the_same_tranche_makes_it_already_paid_whole() -> None:
    first = pay(reference="V-0", by="王出纳")
    d = ask(on=dt.date(2024, 8, 1), payments=(first,))
    assert d == PayDecision(
        PaymentOutcome.ALREADY_PAID,
        tranche(CS, "90000.00", DUE, SIGNED),
        already_paid_text(first),
        first,
    )


def test_a_payment_of_the_same_tranche_counts_even_if_not_the_first_given() -> None:
    first = pay(reference="V-0")
    others = (pay(MT), pay(year=2), pay(station="yanbin"))
    d = ask(payments=(*others, first, pay(FI)))
    assert d.outcome is PaymentOutcome.ALREADY_PAID and d.payment is first


def test_payments_of_other_tranches_do_not_make_it_paid() -> None:
    others = (
        pay(MT, "45000"),
        pay(FI, "15000"),
        pay(year=2),
        pay(station="yanbin"),
    )
    d = ask(payments=others)
    assert d.outcome is PaymentOutcome.RECORDED
    assert d.payment == Payment("zhengning", 1, CS, D("90000.00"), SIGNED, "李会计", "V-1")


@pytest.mark.parametrize(
    ("milestone", "amount", "why_zh", "why_en"),
    [
        (CS, "90,000.00", "合同尚未签订", "the contract is not signed"),
        (
            MT,
            "45,000.00",
            "尚无通过或限期整改的中期评估",
            "no mid-term evaluation has passed or asked for correction",
        ),
        (FI, "15,000.00", "尚无通过的末期评估", "no final evaluation has passed"),
    ],
)
def test_a_pending_tranche_is_refused_with_why_word_for_word(
    milestone: Milestone, amount: str, why_zh: str, why_en: str
) -> None:
    day = SIGNED - dt.timedelta(days=1)
    d = ask(milestone=milestone, on=day)
    what_zh = f"站点 zhengning 第1年“{milestone.zh}”节点"
    what_en = f"The '{milestone.en}' tranche of station zhengning, year 1"
    assert d == PayDecision(
        PaymentOutcome.REFUSED,
        tranche(milestone, amount.replace(",", ""), PENDING, None),
        Text(
            f"{what_zh}的{amount}元截至2024-06-30尚未到拨付节点（{why_zh}），不予拨付。",
            f"{what_en} ({amount} CNY) is not paid: its milestone has not happened by "
            f"2024-06-30 ({why_en}).",
        ),
        reason=PENDING,
    )


def test_a_tranche_is_due_on_its_milestone_day_and_pending_the_day_before() -> None:
    day_before = ask(milestone=MT, on=MID - dt.timedelta(days=1))
    assert (day_before.outcome, day_before.tranche.status) == (PaymentOutcome.REFUSED, PENDING)
    on_the_day = ask(milestone=MT, on=MID)
    assert on_the_day.payment == Payment("zhengning", 1, MT, D("45000.00"), MID, "李会计", "V-1")
    day_after = ask(milestone=MT, on=MID + dt.timedelta(days=1))
    assert day_after.payment is not None and day_after.payment.paid_on == MID + dt.timedelta(1)


def test_a_tranche_held_by_a_suspension_is_refused_word_for_word() -> None:
    suspend = ev("mid_term", MID, "suspend")
    held = with_year(EXAMPLE, evaluations=(suspend,))
    d = ask(held, milestone=FI, on=dt.date(2025, 3, 1))
    assert d == PayDecision(
        PaymentOutcome.REFUSED,
        tranche(FI, "15000.00", HELD, MID),
        Text(
            "站点 zhengning 第1年“末期评估通过”节点的15,000.00元因2025-01-15中期评估的"
            "“暂缓执行”结论暂缓拨付，不予拨付。",
            "The 'final evaluation passed' tranche of station zhengning, year 1 (15,000.00 CNY) "
            "is not paid: it is held by the mid-term evaluation of 2025-01-15 (suspend).",
        ),
        reason=HELD,
        evaluation=suspend,
    )


def test_a_tranche_held_by_a_correction_names_it_with_a_pass_mark_other_than_the_default() -> None:
    """``mid_term_correct_holds`` and a pass mark of 75: a mid-term scored 70 (a pass at the
    default 60) is a correction that holds the mid-term tranche; at 75 it passes."""
    profile = PROFILE.override("mid_term_correct_holds", profiles.ALWAYS, True).override(
        "evaluation_pass_mark", profiles.ALWAYS, D(75)
    )
    scored = ev("mid_term", MID, score="74.99")
    programme = with_year(EXAMPLE, evaluations=(scored,))
    d = ask(programme, milestone=MT, on=dt.date(2025, 3, 1), profile=profile)
    assert d == PayDecision(
        PaymentOutcome.REFUSED,
        tranche(MT, "45000.00", HELD, MID),
        Text(
            "站点 zhengning 第1年“中期评估”节点的45,000.00元因2025-01-15中期评估的"
            "“限期整改”结论暂缓拨付，不予拨付。",
            "The 'mid-term evaluation' tranche of station zhengning, year 1 (45,000.00 CNY) is "
            "not paid: it is held by the mid-term evaluation of 2025-01-15 (correct within a "
            "deadline).",
        ),
        reason=HELD,
        evaluation=scored,
    )
    at_the_mark = with_year(EXAMPLE, evaluations=(ev("mid_term", MID, score="75"),))
    assert ask(at_the_mark, milestone=MT, on=MID, profile=profile).outcome is (
        PaymentOutcome.RECORDED
    )


def test_a_held_tranche_names_the_evaluation_of_its_day_not_an_earlier_one() -> None:
    """Two corrections, then a suspension: the final is held by the suspension of its day."""
    profile = PROFILE.override("mid_term_correct_holds", profiles.ALWAYS, True)
    first = ev("mid_term", dt.date(2024, 12, 1), "correct")
    second = ev("mid_term", dt.date(2024, 12, 20), "correct")
    suspend = ev("mid_term", MID, "suspend")
    later = ev("mid_term", dt.date(2025, 2, 1), "correct")
    programme = with_year(EXAMPLE, evaluations=(first, second, suspend, later))
    d = ask(programme, milestone=FI, on=dt.date(2025, 3, 1), profile=profile)
    assert (d.tranche.status, d.tranche.date) == (HELD, MID)
    assert d.evaluation == suspend
    assert "2025-01-15中期评估的“暂缓执行”结论" in d.message.zh


def test_a_tranche_held_on_its_signing_day_names_the_latest_suspension_before() -> None:
    first = ev("mid_term", dt.date(2024, 7, 20), "suspend")
    second = ev("mid_term", dt.date(2024, 8, 1), "suspend")
    programme = with_year(EXAMPLE, signed=dt.date(2024, 9, 1), evaluations=(first, second))
    d = ask(programme, milestone=CS, on=dt.date(2024, 10, 1))
    assert d == PayDecision(
        PaymentOutcome.REFUSED,
        tranche(CS, "90000.00", HELD, dt.date(2024, 9, 1)),
        Text(
            "站点 zhengning 第1年“合同签订”节点的90,000.00元因2024-08-01中期评估的"
            "“暂缓执行”结论暂缓拨付，不予拨付。",
            "The 'contract signed' tranche of station zhengning, year 1 (90,000.00 CNY) is not "
            "paid: it is held by the mid-term evaluation of 2024-08-01 (suspend).",
        ),
        reason=HELD,
        evaluation=second,
    )


def test_a_cancelled_tranche_is_refused_word_for_word() -> None:
    stop = ev("final", dt.date(2025, 6, 20), "stop")
    programme = with_year(EXAMPLE, evaluations=(ev("mid_term", MID, "pass"), stop))
    d = ask(programme, milestone=FI, on=dt.date(2025, 7, 1))
    assert d == PayDecision(
        PaymentOutcome.REFUSED,
        tranche(FI, "15000.00", CANCELLED, dt.date(2025, 6, 20)),
        Text(
            "站点 zhengning 第1年“末期评估通过”节点的15,000.00元已因2025-06-20末期评估"
            "决定停止执行而取消，不予拨付。",
            "The 'final evaluation passed' tranche of station zhengning, year 1 (15,000.00 CNY) "
            "is not paid: it was cancelled when the final evaluation of 2025-06-20 stopped the "
            "project.",
        ),
        reason=CANCELLED,
        evaluation=stop,
    )


def test_a_stop_given_with_a_score_cancels_and_is_named_whatever_the_pass_mark() -> None:
    """The outcome given wins over the score: a stop scored 90 cancels (pass mark 75)."""
    scored = ev("mid_term", MID, "stop", score="90")
    programme = with_year(
        EXAMPLE, evaluations=(ev("mid_term", dt.date(2024, 12, 1), score="80"), scored)
    )
    profile = PROFILE.override("evaluation_pass_mark", profiles.ALWAYS, D(75))
    d = ask(programme, milestone=FI, on=dt.date(2025, 3, 1), profile=profile)
    assert (d.reason, d.evaluation, d.tranche.date) == (CANCELLED, scored, MID)
    assert "2025-01-15中期评估决定停止执行" in d.message.zh


def test_a_refused_tranche_still_checks_the_name_and_reference() -> None:
    day = SIGNED - dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as excinfo:
        ask(on=day, by="")
    assert refusal(excinfo) == "by: expected a name, got ''"
    with pytest.raises(InvalidInput) as excinfo:
        ask(on=day, reference=" ")
    assert refusal(excinfo) == "reference: expected a text, got ' '"
    assert ask(on=day, reference=None).outcome is PaymentOutcome.REFUSED


def test_a_milestone_the_profile_has_no_tranche_for_is_refused_naming_those_it_has() -> None:
    plan = (TrancheSpec(CS, D("0.7")), TrancheSpec(FI, D("0.3")))
    profile = PROFILE.override("tranches", profiles.ALWAYS, plan)
    with pytest.raises(InvalidInput) as excinfo:
        ask(milestone=MT, profile=profile)
    assert refusal(excinfo) == (
        "tranche: the profile has no mid_term tranche; it has contract_signed, final"
    )
    [problem] = excinfo.value.problems
    assert problem.zh == "配置中没有 mid_term 这一期；只有：contract_signed, final"
    d = ask(milestone=FI, on=dt.date(2025, 7, 1), profile=profile)
    assert d.tranche == Tranche(
        "zhengning", 1, FI, D("0.3"), D("45000.00"), DUE, dt.date(2025, 6, 20)
    )


def test_tranche_on_gives_the_tranche_its_year_and_the_pass_mark_in_force() -> None:
    profile = PROFILE.override("evaluation_pass_mark", dt.date(2025, 7, 1), D(75))
    t, year, mark = tranche_on(EXAMPLE, profile, "zhengning", 2, MT, dt.date(2026, 3, 1))
    assert year is EXAMPLE.stations[0].years[1]
    assert mark == D(75)
    assert t.station == "zhengning" and t.year == 2 and t.milestone is MT
    _, _, first = tranche_on(EXAMPLE, profile, "zhengning", 1, MT, dt.date(2026, 3, 1))
    assert first == D(60)
    _, other, _ = tranche_on(EXAMPLE, profile, "yanbin", 3, CS, dt.date(2026, 3, 1))
    assert other is EXAMPLE.stations[1].years[2]


# --- the schedule with its payments --------------------------------------------------------------


def T(
    station: str | None,
    year: int | None,
    value: str,
    paid: str = "0",
    due: str = "0",
    held: str = "0",
    cancelled: str = "0",
    pending: str = "0",
    adjustment: str = "0",
) -> Totals:
    return Totals(
        station,
        year,
        *(D(x).quantize(D("0.01")) for x in (value, paid, due, held, cancelled, pending)),
        D(adjustment).quantize(D("0.01")),
    )


def test_payments_laid_over_a_schedule_whole() -> None:
    """Paid a fen more and a fen less than today's amounts, one paid the day after ``on``, and
    two tranches the programme lost, given out of schedule order."""
    on = MID
    computed = schedule(only_zhengning_1(), PROFILE, on)
    signed, mid = pay(CS, "90000.01", SIGNED), pay(MT, "44999.99", MID)
    tomorrow = pay(FI, "15000", MID + dt.timedelta(days=1))
    lost_2 = pay(CS, "1", station="gone", year=2)
    lost_1 = pay(MT, "2", station="gone", year=1)
    applied = apply_payments(computed, [mid, tomorrow, lost_2, lost_1, signed], on)
    assert applied == Applied(
        (
            tranche(CS, "90000.01", PAID, SIGNED),
            tranche(MT, "44999.99", PAID, MID),
            tranche(FI, "15000.00", PENDING, None),
            Tranche("gone", 1, MT, D("0.00"), D("2.00"), PAID, SIGNED),
            Tranche("gone", 2, CS, D("0.00"), D("1.00"), PAID, SIGNED),
        ),
        (signed, mid, lost_1, lost_2),
        (
            Adjustment(signed, D("90000.00")),
            Adjustment(mid, D("45000.00")),
            Adjustment(lost_1, D("0.00")),
            Adjustment(lost_2, D("0.00")),
        ),
        tuple(computed),
    )
    assert str(applied.tranches[3].share) == "0.00"
    assert [(a.recorded, a.current, a.difference, a.overpaid) for a in applied.adjustments] == [
        (D("90000.01"), D("90000.00"), D("-0.01"), True),
        (D("44999.99"), D("45000.00"), D("0.01"), False),
        (D("2.00"), D("0.00"), D("-2.00"), True),
        (D("1.00"), D("0.00"), D("-1.00"), True),
    ]
    assert str(applied.adjustments[2].current) == "0.00"
    assert totals(applied) == (
        T("zhengning", 1, "150000", paid="135000", pending="15000"),
        T("gone", 1, "0", paid="2", adjustment="-2"),
        T("gone", 2, "0", paid="1", adjustment="-1"),
        T("zhengning", None, "150000", paid="135000", pending="15000"),
        T("gone", None, "0", paid="3", adjustment="-3"),
        T(None, 1, "150000", paid="135002", pending="15000", adjustment="-2"),
        T(None, 2, "0", paid="1", adjustment="-1"),
        T(None, None, "150000", paid="135003", pending="15000", adjustment="-3"),
    )
    assert [a.outstanding for a in totals(applied)] == [
        D("15000.00"),
        D("-2.00"),
        D("-1.00"),
        D("15000.00"),
        D("-3.00"),
        D("14998.00"),
        D("-1.00"),
        D("14997.00"),
    ]


def test_a_payment_counts_on_its_day_and_not_the_day_before() -> None:
    computed = schedule(only_zhengning_1(), PROFILE, MID)
    mid = pay(MT, "45000", MID)
    on_the_day = apply_payments(computed, [mid], MID)
    assert on_the_day.tranches[1] == tranche(MT, "45000.00", PAID, MID)
    assert on_the_day.payments == (mid,) and on_the_day.adjustments == ()
    before = apply_payments(computed, [mid], MID - dt.timedelta(days=1))
    assert before.tranches[1] == tranche(MT, "45000.00", DUE, MID)
    assert before.payments == () and before.adjustments == ()
    lost = pay(station="gone", day=MID)
    assert apply_payments(computed, [lost], MID - dt.timedelta(days=1)).tranches == tuple(computed)


def test_a_paid_tranche_keeps_its_day_and_amount_whatever_held_or_cancelled_it() -> None:
    stop = ev("mid_term", MID, "stop")
    suspend = ev("mid_term", MID, "suspend")
    on = dt.date(2025, 3, 1)
    for evaluation, status in ((stop, CANCELLED), (suspend, HELD)):
        computed = schedule(only_zhengning_1(evaluations=(evaluation,)), PROFILE, on)
        assert [t.status for t in computed] == [DUE, status, status]
        late = pay(FI, "15000", dt.date(2025, 2, 1))
        applied = apply_payments(computed, [late], on)
        assert applied.tranches == (
            tranche(CS, "90000.00", DUE, SIGNED),
            tranche(MT, "45000.00", status, MID),
            tranche(FI, "15000.00", PAID, dt.date(2025, 2, 1)),
        )
        assert totals(applied)[0] == T(
            "zhengning",
            1,
            "150000",
            paid="15000",
            due="90000",
            held="45000" if status is HELD else "0",
            cancelled="45000" if status is CANCELLED else "0",
        )


def test_totals_per_contract_year_come_in_year_order_after_the_stations() -> None:
    """A programme of year 2 only and a lost payment of year 1: the contract-year totals are
    listed year 1 first, although year 2 comes first in the schedule."""
    station = EXAMPLE.stations[0]
    programme = attrs.evolve(EXAMPLE, stations=(attrs.evolve(station, years=(station.years[1],)),))
    on = dt.date(2026, 3, 1)
    computed = schedule(programme, PROFILE, on)
    lost = pay(station="gone", year=1, amount="5")
    applied = apply_payments(computed, [lost], on)
    assert [(t.station, t.year) for t in totals(applied)] == [
        ("zhengning", 2),
        ("gone", 1),
        ("zhengning", None),
        ("gone", None),
        (None, 1),
        (None, 2),
        (None, None),
    ]
    found = {(t.station, t.year): t for t in totals(applied)}
    assert found[(None, 1)] == T(None, 1, "0", paid="5", adjustment="-5")
    assert found[("zhengning", 2)] == T("zhengning", 2, "150000", due="135000", pending="15000")
    assert found[(None, 2)] == T(None, 2, "150000", due="135000", pending="15000")
    assert found[(None, None)] == T(
        None, None, "150000", paid="5", due="135000", pending="15000", adjustment="-5"
    )


def test_totals_of_nothing_are_one_programme_total_of_zero() -> None:
    applied = apply_payments([], [], SIGNED)
    assert applied == Applied((), (), (), ())
    assert totals(applied) == (T(None, None, "0"),)
    assert str(totals(applied)[0].contract_value) == "0.00"
    assert str(totals(applied)[0].adjustment) == "0.00"


# --- PAY-1 findings ------------------------------------------------------------------------------


def test_pay1_findings_word_for_word_an_overpayment_and_an_adjustment_due() -> None:
    computed = schedule(only_zhengning_1(), PROFILE, MID)
    applied = apply_payments(
        computed,
        [
            pay(CS, "90000.01", SIGNED),
            pay(MT, "43999.50", MID, year=1),
            pay(FI, "1", station="gone"),
        ],
        MID,
    )
    assert adjustment_findings(applied) == [
        Finding(
            "PAY-1",
            Severity.ERROR,
            "zhengning",
            1,
            "站点 zhengning 第1年“合同签订”节点于2024-07-01已拨付90,000.01元，"
            "按现有资金计算应为90,000.00元，多付0.01元应予追回。",
            "The 'contract signed' tranche of station zhengning, year 1 was paid 90,000.01 CNY "
            "on 2024-07-01, but the funding now gives 90,000.00 CNY: 0.01 CNY was overpaid and "
            "is to be recovered.",
        ),
        Finding(
            "PAY-1",
            Severity.WARNING,
            "zhengning",
            1,
            "站点 zhengning 第1年“中期评估”节点于2025-01-15已拨付43,999.50元，"
            "按现有资金计算应为45,000.00元，应补拨1,000.50元。",
            "The 'mid-term evaluation' tranche of station zhengning, year 1 was paid 43,999.50 "
            "CNY on 2025-01-15, but the funding now gives 45,000.00 CNY: an adjustment of "
            "1,000.50 CNY is due to the contractor.",
        ),
        Finding(
            "PAY-1",
            Severity.ERROR,
            "gone",
            1,
            "站点 gone 第1年“末期评估通过”节点于2024-07-01已拨付1.00元，"
            "按现有资金计算应为0.00元，多付1.00元应予追回。",
            "The 'final evaluation passed' tranche of station gone, year 1 was paid 1.00 CNY on "
            "2024-07-01, but the funding now gives 0.00 CNY: 1.00 CNY was overpaid and is to be "
            "recovered.",
        ),
    ]


# --- the reasons given, in full ------------------------------------------------------------------


def test_a_bad_milestone_or_day_paid_is_refused_naming_its_field() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", 1, "second", D("1"), SIGNED, "x")
    assert refusal(excinfo) == (
        "milestone: expected one of contract_signed | mid_term | final, got str 'second'"
    )
    with pytest.raises(InvalidInput) as excinfo:
        Payment("s", 1, FI, D("1"), "2024-07-01", "x")  # type: ignore[arg-type]
    assert refusal(excinfo) == "paid_on: expected a date like 2024-07-01, got str '2024-07-01'"


def test_every_milestone_has_its_reason_for_being_pending() -> None:
    from sgz_core.payments import _NOT_HAPPENED

    assert set(_NOT_HAPPENED) == set(Milestone)


def test_a_tranche_held_on_its_signing_day_ignores_a_later_correction() -> None:
    """Suspended on 1 August, signed on 1 September, a mid-term asks for correction on
    1 October (still suspended): the signing tranche is held on its signing day by the
    suspension, not by the later correction."""
    suspend = ev("mid_term", dt.date(2024, 8, 1), "suspend")
    correct = ev("mid_term", dt.date(2024, 10, 1), "correct")
    programme = with_year(EXAMPLE, signed=dt.date(2024, 9, 1), evaluations=(suspend, correct))
    d = ask(programme, milestone=CS, on=dt.date(2024, 11, 1))
    assert d.tranche == tranche(CS, "90000.00", HELD, dt.date(2024, 9, 1))
    assert d.evaluation == suspend
    assert "2024-08-01中期评估的“暂缓执行”结论" in d.message.zh


def test_a_refusal_without_the_evaluation_behind_it_still_says_what_and_when() -> None:
    """A held or cancelled tranche whose evaluation the year does not show (the schedule always
    has one; a caller may not): the reason names the day, or "?" when there is none."""
    from sgz_core.payments import _refusal

    year = EXAMPLE.stations[0].years[0]
    empty = attrs.evolve(year, evaluations=())
    held = tranche(FI, "15000.00", HELD, MID)
    assert _refusal(held, empty, D(60), dt.date(2025, 3, 1)) == (
        Text(
            "站点 zhengning 第1年“末期评估通过”节点的15,000.00元因2025-01-15的评估结论"
            "暂缓拨付，不予拨付。",
            "The 'final evaluation passed' tranche of station zhengning, year 1 (15,000.00 CNY) "
            "is not paid: it is held by the evaluation of 2025-01-15.",
        ),
        None,
    )
    cancelled = tranche(FI, "15000.00", CANCELLED, MID)
    assert _refusal(cancelled, empty, D(60), dt.date(2025, 3, 1)) == (
        Text(
            "站点 zhengning 第1年“末期评估通过”节点的15,000.00元已因2025-01-15评估"
            "决定停止执行而取消，不予拨付。",
            "The 'final evaluation passed' tranche of station zhengning, year 1 (15,000.00 CNY) "
            "is not paid: it was cancelled when the evaluation of 2025-01-15 stopped the project.",
        ),
        None,
    )
    undated = tranche(FI, "15000.00", CANCELLED, None)
    assert _refusal(undated, year, D(60), dt.date(2025, 3, 1)) == (
        Text(
            "站点 zhengning 第1年“末期评估通过”节点的15,000.00元已因?评估决定停止执行而取消，"
            "不予拨付。",
            "The 'final evaluation passed' tranche of station zhengning, year 1 (15,000.00 CNY) "
            "is not paid: it was cancelled when the evaluation of ? stopped the project.",
        ),
        None,
    )
