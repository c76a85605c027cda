"""Every registered rule: one programme that makes it fire, one that does not.

Programmes are the example file (examples/chengguan.toml) changed with ``attrs.evolve``, or
small TOML snippets. The last tests check that every rule of ``all_rules()`` is exercised here,
and that a dated profile override changes a rule's outcome from its date on (PROF-1).
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from stdnum.cn import uscc

from sgz_core import profiles
from sgz_core.enums import (
    Equipment,
    EvaluationKind,
    FundingSource,
    Outcome,
    Qualification,
    Severity,
    SharedFacility,
    StaffRole,
)
from sgz_core.findings import Finding
from sgz_core.model import (
    ContractYear,
    CorrectiveAction,
    Evaluation,
    Expense,
    Funding,
    HardshipRelief,
    Programme,
    Receipt,
    Result,
    StaffMember,
    Target,
)
from sgz_core.performance.types import Evaluator
from sgz_core.profiles import Profile
from sgz_core.programme_file import loads
from sgz_core.rules import all_rules, check

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "examples" / "chengguan.toml"
AS_OF = dt.date(2025, 12, 1)
ERROR, WARNING, NOTICE = Severity.ERROR, Severity.WARNING, Severity.NOTICE


@pytest.fixture(scope="module")
def example() -> Programme:
    return loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))


# --- helpers ---------------------------------------------------------------------------------


def run(
    programme: Programme,
    rule_id: str,
    *,
    as_of: dt.date = AS_OF,
    profile: Profile | None = None,
) -> list[Finding]:
    """The findings of one rule."""
    profile = profile or profiles.builtin()
    return [f for f in check(programme, profile, as_of) if f.rule == rule_id]


def where(findings: list[Finding]) -> set[tuple[str, Severity, str | None, int | None]]:
    return {(f.rule, f.severity, f.station, f.year) for f in findings}


def with_station(programme: Programme, station_id: str, **changes: Any) -> Programme:
    stations = tuple(
        attrs.evolve(s, **changes) if s.id == station_id else s for s in programme.stations
    )
    return attrs.evolve(programme, stations=stations)


def with_year(programme: Programme, station_id: str, number: int, **changes: Any) -> Programme:
    station = programme.station(station_id)
    years = tuple(attrs.evolve(y, **changes) if y.year == number else y for y in station.years)
    return with_station(programme, station_id, years=years)


def with_premises(programme: Programme, station_id: str, **changes: Any) -> Programme:
    premises = programme.station(station_id).premises
    assert premises is not None
    return with_station(programme, station_id, premises=attrs.evolve(premises, **changes))


def with_funding(
    programme: Programme, station_id: str, number: int, source: FundingSource, amount: str
) -> Programme:
    year = programme.station(station_id).year(number)
    funding = tuple(
        Funding(f.source, Decimal(amount)) if f.source is source else f for f in year.funding
    )
    return with_year(programme, station_id, number, funding=funding)


def with_staff(programme: Programme, station_id: str, name: str, **changes: Any) -> Programme:
    station = programme.station(station_id)
    staff = tuple(attrs.evolve(m, **changes) if m.name == name else m for m in station.staff)
    return with_station(programme, station_id, staff=staff)


def evaluation(
    kind: str, day: dt.date, *, score: int | None = None, outcome: str | None = None
) -> Evaluation:
    return Evaluation(
        EvaluationKind(kind), day, score=score, outcome=Outcome(outcome) if outcome else None
    )


# --- the example ---------------------------------------------------------------------------


def test_example_has_no_error_level_finding(example: Programme) -> None:
    findings = check(example, profiles.builtin(), AS_OF)
    assert [f for f in findings if f.severity is ERROR] == []


def test_example_has_no_warning_either(example: Programme) -> None:
    findings = check(example, profiles.builtin(), AS_OF)
    assert [f for f in findings if f.severity is WARNING] == []


# --- FUND-1 minimum funding per station-year ------------------------------------------------


def test_fund_1_fires_below_the_minimum(example: Programme) -> None:
    p = with_funding(example, "yanbin", 1, FundingSource.DISTRICT, "49999.99")
    found = run(p, "FUND-1")
    assert where(found) == {("FUND-1", ERROR, "yanbin", 1)}
    assert "149,999.99" in found[0].message_en


def test_fund_1_counts_only_cofunding_levels_not_the_street_top_up(example: Programme) -> None:
    # zhengning year 1 has a street top-up of 10 000: it does not make up a shortfall
    p = with_funding(example, "zhengning", 1, FundingSource.CITY, "45000")
    assert where(run(p, "FUND-1")) == {("FUND-1", ERROR, "zhengning", 1)}


def test_fund_1_silent_at_exactly_the_minimum(example: Programme) -> None:
    assert example.station("yanbin").year(1).contract_value(
        (FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT)
    ) == Decimal("150000.00")
    assert run(example, "FUND-1") == []


# --- FUND-2 province : city : district = 1 : 1 : 1 ------------------------------------------


def test_fund_2_fires_when_a_level_gives_less_than_its_share(example: Programme) -> None:
    p = with_funding(example, "yanbin", 1, FundingSource.PROVINCE, "40000")
    found = run(p, "FUND-2")
    assert where(found) == {("FUND-2", ERROR, "yanbin", 1)}
    assert "province" in found[0].message_en


def test_fund_2_warns_when_levels_are_out_of_ratio(example: Programme) -> None:
    p = with_funding(example, "yanbin", 1, FundingSource.CITY, "60000")
    assert where(run(p, "FUND-2")) == {("FUND-2", WARNING, "yanbin", 1)}


def test_fund_2_a_missing_level_is_an_error(example: Programme) -> None:
    year = example.station("yanbin").year(1)
    funding = tuple(f for f in year.funding if f.source is not FundingSource.CITY)
    p = with_year(example, "yanbin", 1, funding=funding)
    assert ("FUND-2", ERROR, "yanbin", 1) in where(run(p, "FUND-2"))


def test_fund_2_silent_in_ratio_and_within_a_fen(example: Programme) -> None:
    # zhanjiaguaizi's district gives 50 000.01 against 50 000 / 50 000: within a fen
    assert run(example, "FUND-2") == []


# --- FUND-3 eligible spending ---------------------------------------------------------------


def test_fund_3_fires_on_an_ineligible_category(example: Programme) -> None:
    banquet = Expense(dt.date(2024, 9, 1), "banquet", FundingSource.PROVINCE, Decimal(500))
    year = example.station("zhengning").year(1)
    p = with_year(example, "zhengning", 1, expenses=(*year.expenses, banquet))
    found = run(p, "FUND-3")
    assert where(found) == {("FUND-3", ERROR, "zhengning", 1)}
    assert "banquet" in found[0].message_en


def test_fund_3_silent_on_eligible_categories(example: Programme) -> None:
    assert run(example, "FUND-3") == []


def test_fund_3_an_other_category_with_a_written_reason_is_a_warning(example: Programme) -> None:
    # the seed's list ends in 等 ("and the like"): a reason turns the error into a warning
    meals = Expense(
        dt.date(2024, 9, 1), "meals", FundingSource.PROVINCE, Decimal(300), reason="志愿者午餐"
    )
    year = example.station("zhengning").year(1)
    p = with_year(example, "zhengning", 1, expenses=(*year.expenses, meals))
    found = run(p, "FUND-3")
    assert where(found) == {("FUND-3", WARNING, "zhengning", 1)}
    assert found[0].message.endswith("，给出的理由是“志愿者午餐”。")
    assert "the reason given is '志愿者午餐'" in found[0].message_en
    strict = profiles.builtin().override(
        "other_expense_category_severity", profiles.ALWAYS, "error"
    )
    assert where(run(p, "FUND-3", profile=strict)) == {("FUND-3", ERROR, "zhengning", 1)}


def test_fund_3_a_blank_reason_is_no_reason(example: Programme) -> None:
    meals = Expense(dt.date(2024, 9, 1), "meals", FundingSource.CITY, Decimal(300), reason="  ")
    year = example.station("zhengning").year(1)
    p = with_year(example, "zhengning", 1, expenses=(*year.expenses, meals))
    assert where(run(p, "FUND-3")) == {("FUND-3", ERROR, "zhengning", 1)}


def test_fund_3_silent_on_ring_fenced_money(example: Programme) -> None:
    # external and charity money pay for their declared purposes: FUND-8's, not FUND-3's
    year = example.station("yanbin").year(1)
    p = with_year(
        example,
        "yanbin",
        1,
        funding=(*year.funding, Funding(FundingSource.EXTERNAL, Decimal(5000), ("meals",))),
        expenses=(
            *year.expenses,
            Expense(dt.date(2024, 9, 1), "meals", FundingSource.EXTERNAL, Decimal(300)),
        ),
    )
    assert run(p, "FUND-3") == []
    assert run(p, "FUND-8") == []


# --- FUND-5 hardship-relief funds buy social work within the cap -------------------------------


def test_fund_5_fires_one_fen_over_the_cap(example: Programme) -> None:
    relief = HardshipRelief(year=1, budget=Decimal(1_000_000), social_work=Decimal("20000.01"))
    found = run(attrs.evolve(example, hardship_relief=(relief,)), "FUND-5")
    assert where(found) == {("FUND-5", ERROR, None, 1)}
    assert found[0].message == (
        "第1年困难群众救助补助资金1,000,000.00元中，用于购买社会工作服务的20,000.01元超过了2%的上限"
        "20,000.00元。"
    )


def test_fund_5_silent_at_exactly_the_cap(example: Programme) -> None:
    relief = HardshipRelief(year=1, budget=Decimal(1_000_000), social_work=Decimal(20000))
    assert run(attrs.evolve(example, hardship_relief=(relief,)), "FUND-5") == []
    assert run(example, "FUND-5") == []


# --- FUND-6 / FUND-7 lottery and charity money as sources of their own ------------------------


def _received(example: Programme, source: FundingSource, amount: str) -> Programme:
    year = example.station("yanbin").year(1)
    receipt = Receipt(dt.date(2024, 8, 1), source, Decimal(amount))
    return with_year(example, "yanbin", 1, receipts=(*year.receipts, receipt))


def test_fund_6_fires_on_lottery_money_received_without_a_funding_line(
    example: Programme,
) -> None:
    found = run(_received(example, FundingSource.LOTTERY, "8000"), "FUND-6")
    assert where(found) == {("FUND-6", NOTICE, "yanbin", 1)}
    assert "彩票公益金" in found[0].message


def test_fund_6_silent_on_pledged_lottery_money(example: Programme) -> None:
    p = _received(example, FundingSource.LOTTERY, "8000")
    year = p.station("yanbin").year(1)
    p = with_year(
        p, "yanbin", 1, funding=(*year.funding, Funding(FundingSource.LOTTERY, Decimal(8000)))
    )
    assert run(p, "FUND-6") == []
    assert run(example, "FUND-6") == []


def test_fund_7_fires_on_charity_money_received_beyond_its_line(example: Programme) -> None:
    p = _received(example, FundingSource.CHARITY, "3000.01")
    year = p.station("yanbin").year(1)
    p = with_year(
        p, "yanbin", 1, funding=(*year.funding, Funding(FundingSource.CHARITY, Decimal(3000)))
    )
    found = run(p, "FUND-7")
    assert where(found) == {("FUND-7", NOTICE, "yanbin", 1)}
    assert "3,000.01" in found[0].message_en


def test_fund_7_silent_without_charity_receipts(example: Programme) -> None:
    assert run(_received(example, FundingSource.LOTTERY, "1"), "FUND-7") == []
    assert run(example, "FUND-7") == []


# --- FUND-4 street top-ups never replace a level's share --------------------------------------


def test_fund_4_fires_when_a_top_up_stands_in_for_a_share(example: Programme) -> None:
    p = with_funding(example, "zhengning", 1, FundingSource.CITY, "40000")
    found = run(p, "FUND-4")
    assert where(found) == {("FUND-4", ERROR, "zhengning", 1)}
    assert "city" in found[0].message_en


def test_fund_4_silent_without_a_top_up(example: Programme) -> None:
    # the same shortfall on a station without street money is FUND-2's, not FUND-4's
    p = with_funding(example, "yanbin", 1, FundingSource.CITY, "40000")
    assert run(p, "FUND-4") == []
    assert run(p, "FUND-2") != []


def test_fund_4_silent_with_a_top_up_on_full_shares(example: Programme) -> None:
    assert example.station("zhengning").year(1).funded_by(FundingSource.STREET) > 0
    assert run(example, "FUND-4") == []


# --- FUND-8 separate accounts ---------------------------------------------------------------


def test_fund_8_fires_on_spending_from_a_fund_the_year_does_not_have(example: Programme) -> None:
    lottery = Expense(dt.date(2024, 9, 1), "services", FundingSource.LOTTERY, Decimal(100))
    year = example.station("yanbin").year(1)
    p = with_year(example, "yanbin", 1, expenses=(*year.expenses, lottery))
    found = run(p, "FUND-8")
    assert where(found) == {("FUND-8", ERROR, "yanbin", 1)}
    assert "lottery" in found[0].message_en


def test_fund_8_fires_when_a_fund_overspends(example: Programme) -> None:
    # zhengning year 1: street gave 10 000; 4 200 already spent from it
    extra = Expense(dt.date(2024, 12, 1), "office", FundingSource.STREET, Decimal("5800.01"))
    year = example.station("zhengning").year(1)
    p = with_year(example, "zhengning", 1, expenses=(*year.expenses, extra))
    found = run(p, "FUND-8")
    assert where(found) == {("FUND-8", ERROR, "zhengning", 1)}
    assert "10,000.01" in found[0].message_en


def test_fund_8_silent_when_spending_exactly_uses_up_a_fund(example: Programme) -> None:
    extra = Expense(dt.date(2024, 12, 1), "office", FundingSource.STREET, Decimal("5800.00"))
    year = example.station("zhengning").year(1)
    p = with_year(example, "zhengning", 1, expenses=(*year.expenses, extra))
    assert run(p, "FUND-8") == []
    assert run(example, "FUND-8") == []


def test_fund_8_fires_when_external_money_pays_for_posts(example: Programme) -> None:
    # issue 11: 30,000 yuan of external money paying for posts used to pass
    year = example.station("yanbin").year(1)
    p = with_year(
        example,
        "yanbin",
        1,
        funding=(*year.funding, Funding(FundingSource.EXTERNAL, Decimal(30000), ("services",))),
        expenses=(
            *year.expenses,
            Expense(dt.date(2024, 9, 1), "posts", FundingSource.EXTERNAL, Decimal(30000)),
        ),
    )
    found = run(p, "FUND-8")
    assert where(found) == {("FUND-8", ERROR, "yanbin", 1)}
    assert found[0].message == (
        "第1年2024-09-01从“民政以外链接资金”支出的30,000.00元用于“社工岗位”，"
        "不在“民政以外链接资金”申明的用途（专业服务）之内。"
    )


def test_fund_8_fires_on_one_ring_fenced_fund_drawn_for_another_s_purpose(
    example: Programme,
) -> None:
    year = example.station("yanbin").year(1)
    p = with_year(
        example,
        "yanbin",
        1,
        funding=(
            *year.funding,
            Funding(FundingSource.EXTERNAL, Decimal(9000), ("meals",)),
            Funding(FundingSource.CHARITY, Decimal(9000), ("services",)),
        ),
        expenses=(
            *year.expenses,
            Expense(dt.date(2024, 9, 1), "meals", FundingSource.CHARITY, Decimal(100)),
            Expense(dt.date(2024, 9, 2), "meals", FundingSource.DISTRICT, Decimal(50)),
        ),
    )
    found = run(p, "FUND-8")
    assert len(found) == 2
    assert "charity social-work fund" in found[0].message_en
    assert "funds linked from outside civil affairs" in found[0].message_en
    assert "“民政以外链接资金”申明的用途" in found[1].message and "区民政局" in found[1].message


def test_fund_8_judges_funds_against_receipts_when_they_are_recorded(example: Programme) -> None:
    year = example.station("yanbin").year(1)
    early = Receipt(dt.date(2024, 7, 10), FundingSource.PROVINCE, Decimal(1000))
    p = with_year(example, "yanbin", 1, receipts=(early,))
    found = run(p, "FUND-8")
    assert ("FUND-8", ERROR, "yanbin", 1) in where(found)
    assert any("received by then" in f.message_en for f in found)
    assert year.expenses  # the example's expenses exceed 1,000 yuan received


def test_fund_8_silent_when_receipts_cover_every_expense_in_time(example: Programme) -> None:
    year = example.station("yanbin").year(1)
    ahead = tuple(Receipt(dt.date(2024, 7, 1), f.source, f.amount) for f in year.funding)
    p = with_year(example, "yanbin", 1, receipts=ahead)
    assert run(p, "FUND-8") == []


# --- FUND-9 non-profit contractors ------------------------------------------------------------


def _with_uscc(programme: Programme, contractor_id: str, code: str) -> Programme:
    contractors = tuple(
        attrs.evolve(c, uscc=code) if c.id == contractor_id else c for c in programme.contractors
    )
    return attrs.evolve(programme, contractors=contractors)


def test_fund_9_fires_on_an_invalid_credit_code(example: Programme) -> None:
    p = _with_uscc(example, "anning", "52620102MJA000020X")  # wrong check character
    found = run(p, "FUND-9")
    assert where(found) == {("FUND-9", ERROR, None, None)}
    assert "'anning'" in found[0].message_en


def test_fund_9_fires_on_a_business_registered_by_market_regulation(example: Programme) -> None:
    code = "91620102MJA000010Q"
    assert uscc.is_valid(code)  # valid in form; only the registration authority is wrong
    p = _with_uscc(example, "hexin", code)
    found = run(p, "FUND-9")
    assert where(found) == {("FUND-9", ERROR, None, None)}
    assert "'hexin'" in found[0].message_en


def test_fund_9_silent_on_civil_affairs_registrations(example: Programme) -> None:
    assert run(example, "FUND-9") == []
    # lower case and surrounding blanks are tolerated
    p = _with_uscc(example, "hexin", " 52620102mja000010r ")
    assert run(p, "FUND-9") == []


# --- LOT-1 lots -------------------------------------------------------------------------------


def test_lot_1_fires_on_a_station_on_the_wrong_street(example: Programme) -> None:
    p = with_station(example, "yanbin", street="白银路街道")
    found = run(p, "LOT-1")
    assert where(found) == {("LOT-1", ERROR, "yanbin", None)}


def test_lot_1_fires_on_an_unknown_lot_and_the_lot_left_without_a_station(
    example: Programme,
) -> None:
    p = with_station(example, "zhanjiaguaizi", lot=4)
    found = run(p, "LOT-1")
    # the station's own lot is wrong, and lot 3 is left without a station (about the programme)
    assert where(found) == {("LOT-1", ERROR, "zhanjiaguaizi", None), ("LOT-1", ERROR, None, None)}


def test_lot_1_fires_on_a_community_not_served(example: Programme) -> None:
    p = with_station(example, "zhengning", communities=("别的社区",))
    assert where(run(p, "LOT-1")) == {("LOT-1", ERROR, "zhengning", None)}


def test_lot_1_fires_on_two_stations_in_one_lot(example: Programme) -> None:
    p = with_station(example, "yanbin", lot=1, street="白银路街道", communities=("正宁路社区",))
    found = run(p, "LOT-1")
    assert ("LOT-1", ERROR, "yanbin", None) in where(found)  # lot 1 taken twice
    assert ("LOT-1", ERROR, None, None) in where(found)  # lot 2 has no station


def test_lot_1_fires_on_a_station_without_a_lot(example: Programme) -> None:
    p = with_station(example, "yanbin", lot=None)
    assert ("LOT-1", ERROR, "yanbin", None) in where(run(p, "LOT-1"))


def test_lot_1_fires_for_every_lot_of_an_empty_programme() -> None:
    p = loads('[programme]\nid = "p"\nname = "P"\nstart = 2024-07-01\n', "empty.toml")
    found = run(p, "LOT-1")
    assert len(found) == 3
    assert where(found) == {("LOT-1", ERROR, None, None)}


def test_lot_1_silent_on_the_example(example: Programme) -> None:
    assert run(example, "LOT-1") == []


# --- PAY-1 milestones in order ----------------------------------------------------------------


def test_pay_1_fires_on_an_evaluation_before_signing(example: Programme) -> None:
    p = with_year(example, "zhengning", 2, signed=dt.date(2026, 2, 1))  # mid-term 2026-01-12
    found = run(p, "PAY-1")
    assert where(found) == {("PAY-1", ERROR, "zhengning", 2)}
    assert "before the contract was signed" in found[0].message_en


def test_pay_1_fires_on_an_evaluation_of_an_unsigned_year(example: Programme) -> None:
    p = with_year(example, "zhengning", 2, signed=None)
    found = run(p, "PAY-1")
    assert where(found) == {("PAY-1", ERROR, "zhengning", 2)}
    assert "not signed" in found[0].message_en


def test_pay_1_fires_on_a_final_before_any_mid_term(example: Programme) -> None:
    year = example.station("yanbin").year(1)
    finals = tuple(e for e in year.evaluations if e.kind is EvaluationKind.FINAL)
    p = with_year(example, "yanbin", 1, evaluations=finals)
    found = run(p, "PAY-1")
    assert where(found) == {("PAY-1", ERROR, "yanbin", 1)}
    assert "without any mid-term evaluation" in found[0].message_en


def test_pay_1_names_the_later_mid_term_when_the_final_comes_first(example: Programme) -> None:
    year = example.station("yanbin").year(1)
    final = next(e for e in year.evaluations if e.kind is EvaluationKind.FINAL)
    late_mid = attrs.evolve(
        next(e for e in year.evaluations if e.kind is EvaluationKind.MID_TERM),
        date=final.date + dt.timedelta(days=3),
    )
    found = run(with_year(example, "yanbin", 1, evaluations=(final, late_mid)), "PAY-1")
    assert where(found) == {("PAY-1", ERROR, "yanbin", 1)}
    assert (
        f"before the first mid-term evaluation on {late_mid.date.isoformat()}"
        in found[0].message_en
    )


def test_pay_1_silent_when_milestones_come_in_order(example: Programme) -> None:
    assert run(example, "PAY-1") == []
    # an unsigned year without evaluations is simply pending
    p = with_year(example, "zhengning", 2, signed=None, evaluations=())
    assert run(p, "PAY-1") == []


# --- PERF-3 evaluation outcomes ---------------------------------------------------------------


def test_perf_3_warns_on_a_score_below_the_pass_mark(example: Programme) -> None:
    p = with_year(
        example,
        "zhengning",
        2,
        evaluations=(evaluation("mid_term", dt.date(2026, 1, 12), score=59),),
    )
    found = run(p, "PERF-3", as_of=dt.date(2026, 2, 1))
    assert where(found) == {("PERF-3", WARNING, "zhengning", 2)}
    assert "correction" in found[0].message_en


def test_perf_3_on_suspend_warns_and_notes_the_held_tranches(example: Programme) -> None:
    p = with_year(
        example,
        "zhengning",
        2,
        evaluations=(evaluation("mid_term", dt.date(2026, 1, 12), outcome="suspend"),),
    )
    found = run(p, "PERF-3", as_of=dt.date(2026, 2, 1))
    assert where(found) == {("PERF-3", WARNING, "zhengning", 2), ("PERF-3", NOTICE, "zhengning", 2)}
    assert sum(f.severity is NOTICE for f in found) == 2  # the mid-term and the final tranche


def test_perf_3_stop_is_an_error(example: Programme) -> None:
    p = with_year(
        example,
        "zhengning",
        2,
        evaluations=(
            attrs.evolve(
                evaluation("mid_term", dt.date(2026, 1, 12), score=90, outcome="stop"),
                reason="承接机构严重违约",
            ),
        ),
    )
    found = run(p, "PERF-3", as_of=dt.date(2026, 2, 1))
    assert where(found) == {("PERF-3", ERROR, "zhengning", 2)}


def test_perf_3_ignores_evaluations_after_the_as_of_date(example: Programme) -> None:
    p = with_year(
        example,
        "zhengning",
        2,
        evaluations=(evaluation("mid_term", dt.date(2026, 1, 12), outcome="stop"),),
    )
    assert run(p, "PERF-3", as_of=dt.date(2026, 1, 11)) == []
    assert run(p, "PERF-3", as_of=dt.date(2026, 1, 12)) != []


def test_perf_3_silent_when_evaluations_pass(example: Programme) -> None:
    # zhengning year 2's mid-term said correct, with its reason and its action closed: only
    # the correction itself is reported
    found = run(example, "PERF-3", as_of=dt.date(2026, 6, 30))
    assert [(f.station, f.year, f.severity) for f in found] == [("zhengning", 2, WARNING)]
    assert "asks for correction" in found[0].message_en
    p = with_year(
        example,
        "zhengning",
        2,
        evaluations=(evaluation("mid_term", dt.date(2026, 1, 12), score=60),),
    )
    assert run(p, "PERF-3", as_of=dt.date(2026, 6, 30)) == []


# --- SIGN-1, SIGN-2 signage -------------------------------------------------------------------


def test_sign_1_fires_without_the_logo(example: Programme) -> None:
    signage = attrs.evolve(example.station("yanbin").signage, logo=False)
    found = run(with_station(example, "yanbin", signage=signage), "SIGN-1")
    assert where(found) == {("SIGN-1", ERROR, "yanbin", None)}
    assert "logo" in found[0].message_en


def test_sign_1_fires_without_the_station_plaque(example: Programme) -> None:
    signage = attrs.evolve(
        example.station("yanbin").signage, plaques=("兰州市城关区雁园街道未成年人保护工作站",)
    )
    found = run(with_station(example, "yanbin", signage=signage), "SIGN-1")
    assert where(found) == {("SIGN-1", ERROR, "yanbin", None)}
    assert "兰州市城关区雁园街道社会工作服务站" in found[0].message


def test_sign_1_the_plaque_must_name_the_station_s_own_street(example: Programme) -> None:
    signage = attrs.evolve(
        example.station("yanbin").signage,
        plaques=("兰州市城关区白银路街道社会工作服务站", "兰州市城关区雁园街道未成年人保护工作站"),
    )
    assert where(run(with_station(example, "yanbin", signage=signage), "SIGN-1")) == {
        ("SIGN-1", ERROR, "yanbin", None)
    }


def test_sign_1_silent_with_logo_and_plaque(example: Programme) -> None:
    assert run(example, "SIGN-1") == []


def test_sign_2_fires_without_the_minors_protection_plaque(example: Programme) -> None:
    signage = attrs.evolve(
        example.station("zhengning").signage, plaques=("兰州市城关区白银路街道社会工作服务站",)
    )
    found = run(with_station(example, "zhengning", signage=signage), "SIGN-2")
    assert where(found) == {("SIGN-2", ERROR, "zhengning", None)}
    assert "兰州市城关区白银路街道未成年人保护工作站" in found[0].message


def test_sign_2_silent_with_the_second_plaque(example: Programme) -> None:
    assert run(example, "SIGN-2") == []
    # a missing first plaque is SIGN-1's business only
    signage = attrs.evolve(
        example.station("zhengning").signage, plaques=("兰州市城关区白银路街道未成年人保护工作站",)
    )
    assert run(with_station(example, "zhengning", signage=signage), "SIGN-2") == []


# --- SITE-1 … SITE-5 premises -----------------------------------------------------------------


def test_site_1_fires_below_200_m2(example: Programme) -> None:
    found = run(
        with_premises(example, "zhanjiaguaizi", activity_area_m2=Decimal("199.9")), "SITE-1"
    )
    assert where(found) == {("SITE-1", ERROR, "zhanjiaguaizi", None)}
    assert "199.9" in found[0].message_en


def test_site_1_fires_without_premises(example: Programme) -> None:
    found = run(with_station(example, "yanbin", premises=None), "SITE-1")
    assert where(found) == {("SITE-1", ERROR, "yanbin", None)}


def test_site_1_silent_at_200_m2_and_more(example: Programme) -> None:
    assert run(example, "SITE-1") == []
    assert run(with_premises(example, "zhanjiaguaizi", activity_area_m2=200), "SITE-1") == []


def test_site_2_fires_below_15_m2(example: Programme) -> None:
    found = run(with_premises(example, "zhengning", office_area_m2=Decimal("14.5")), "SITE-2")
    assert where(found) == {("SITE-2", ERROR, "zhengning", None)}


def test_site_2_fires_without_premises(example: Programme) -> None:
    assert where(run(with_station(example, "yanbin", premises=None), "SITE-2")) == {
        ("SITE-2", ERROR, "yanbin", None)
    }


def test_site_2_silent_at_15_m2(example: Programme) -> None:
    assert example.station("zhanjiaguaizi").premises.office_area_m2 == 15  # type: ignore[union-attr]
    assert run(example, "SITE-2") == []


def test_site_3_fires_on_missing_equipment(example: Programme) -> None:
    kit = (Equipment.DESK, Equipment.CHAIR, Equipment.COMPUTER, Equipment.FILE_CABINET)
    found = run(with_premises(example, "yanbin", equipment=kit), "SITE-3")
    assert where(found) == {("SITE-3", ERROR, "yanbin", None)}
    assert "printer" in found[0].message_en


def test_site_3_fires_without_premises(example: Programme) -> None:
    assert where(run(with_station(example, "yanbin", premises=None), "SITE-3")) == {
        ("SITE-3", ERROR, "yanbin", None)
    }


def test_site_3_silent_with_all_equipment(example: Programme) -> None:
    assert run(example, "SITE-3") == []


def test_site_4_fires_on_a_facility_the_profile_does_not_count(example: Programme) -> None:
    profile = profiles.builtin().override(
        "shared_facilities", profiles.ALWAYS, [SharedFacility.CHILDREN_HOME.value]
    )
    found = run(example, "SITE-4", profile=profile)
    # zhengning shares a day-care centre, yanbin an elderly service centre, zhanjiaguaizi a
    # volunteer station: only the children's home still counts
    assert where(found) == {
        ("SITE-4", ERROR, "zhengning", None),
        ("SITE-4", ERROR, "yanbin", None),
        ("SITE-4", ERROR, "zhanjiaguaizi", None),
    }


def test_site_4_silent_on_the_seed_s_facilities(example: Programme) -> None:
    assert run(example, "SITE-4") == []
    assert run(with_station(example, "yanbin", premises=None), "SITE-4") == []


def test_site_5_notices_missing_rooms(example: Programme) -> None:
    found = run(example, "SITE-5")
    assert where(found) == {
        ("SITE-5", NOTICE, "zhengning", None),
        ("SITE-5", NOTICE, "zhanjiaguaizi", None),
    }
    assert "incubation base" in next(f for f in found if f.station == "zhengning").message_en


def test_site_5_silent_with_every_room(example: Programme) -> None:
    assert not [f for f in run(example, "SITE-5") if f.station == "yanbin"]


# --- STAFF-1 … STAFF-4 ------------------------------------------------------------------------


def test_staff_1_fires_below_two_residents(example: Programme) -> None:
    station = example.station("yanbin")
    p = with_station(example, "yanbin", staff=station.staff[:1])
    found = run(p, "STAFF-1")
    assert where(found) == {("STAFF-1", ERROR, "yanbin", None)}
    assert "1 resident" in found[0].message_en


def test_staff_1_dispatched_workers_do_not_count(example: Programme) -> None:
    # zhengning: 2 residents and 1 dispatched; one resident becomes dispatched
    p = with_staff(example, "zhengning", "李明", role="dispatched")
    assert where(run(p, "STAFF-1")) == {("STAFF-1", ERROR, "zhengning", None)}


def test_staff_1_silent_with_two_residents(example: Programme) -> None:
    assert len(example.station("yanbin").residents) == 2
    assert run(example, "STAFF-1") == []


def test_staff_2_fires_without_a_certified_resident(example: Programme) -> None:
    p = with_staff(example, "yanbin", "张静", qualification=Qualification.NONE)
    found = run(p, "STAFF-2")
    assert where(found) == {("STAFF-2", ERROR, "yanbin", None)}


def test_staff_2_a_certified_dispatched_worker_does_not_count(example: Programme) -> None:
    p = with_staff(example, "zhengning", "王芳", qualification=Qualification.NONE)
    p = with_staff(p, "zhengning", "李明", qualification=Qualification.NONE)
    p = with_staff(p, "zhengning", "赵磊", qualification=Qualification.SENIOR)
    assert where(run(p, "STAFF-2")) == {("STAFF-2", ERROR, "zhengning", None)}


def test_staff_2_silent_with_one_certified_resident(example: Programme) -> None:
    # yanbin: one senior, one uncertified resident
    assert sum(s.certified for s in example.station("yanbin").residents) == 1
    assert run(example, "STAFF-2") == []


def test_staff_3_fires_on_a_resident_employed_by_another_contractor(example: Programme) -> None:
    p = with_staff(example, "zhengning", "李明", employer="anning")
    found = run(p, "STAFF-3")
    assert where(found) == {("STAFF-3", ERROR, "zhengning", None)}
    assert "李明" in found[0].message


def test_staff_3_silent_for_dispatched_workers_and_own_residents(example: Programme) -> None:
    assert run(example, "STAFF-3") == []
    p = with_staff(example, "zhengning", "赵磊", employer="anning")  # dispatched
    assert run(p, "STAFF-3") == []


def test_staff_4_fires_on_an_unqualified_dispatched_worker(example: Programme) -> None:
    p = with_staff(example, "zhengning", "赵磊", social_work_degree=False)
    found = run(p, "STAFF-4")
    assert where(found) == {("STAFF-4", ERROR, "zhengning", None)}
    assert "赵磊" in found[0].message


def test_staff_4_silent_on_a_certified_or_graduate_dispatched_worker(example: Programme) -> None:
    assert run(example, "STAFF-4") == []  # 赵磊: uncertified graduate
    p = with_staff(
        example,
        "zhengning",
        "赵磊",
        social_work_degree=False,
        qualification=Qualification.ASSISTANT,
    )
    assert run(p, "STAFF-4") == []
    # residents are not held to STAFF-4 (马丽 is neither certified nor a graduate)
    assert example.station("zhanjiaguaizi").residents[1].name == "马丽"


# --- TERM-1 service term ----------------------------------------------------------------------


def _year_4() -> ContractYear:
    return ContractYear(
        4,
        signed=dt.date(2027, 7, 1),
        funding=[
            Funding(s, Decimal(50000))
            for s in (FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT)
        ],
    )


def test_term_1_fires_on_a_year_beyond_the_term(example: Programme) -> None:
    years = (*example.station("yanbin").years, _year_4())
    found = run(with_station(example, "yanbin", years=years), "TERM-1")
    assert where(found) == {("TERM-1", ERROR, "yanbin", 4)}


def test_term_1_warns_on_a_contract_signed_after_its_year(example: Programme) -> None:
    # year 2 runs 2025-07-01 … 2026-06-30
    p = with_year(example, "zhengning", 2, signed=dt.date(2026, 7, 1))
    assert where(run(p, "TERM-1")) == {("TERM-1", WARNING, "zhengning", 2)}


def test_term_1_silent_within_the_term(example: Programme) -> None:
    assert run(example, "TERM-1") == []
    p = with_year(example, "zhengning", 2, signed=dt.date(2026, 6, 30))
    assert run(p, "TERM-1") == []
    year_3 = attrs.evolve(_year_4(), year=3, signed=dt.date(2026, 7, 1))
    years = (*example.station("yanbin").years, year_3)
    assert run(with_station(example, "yanbin", years=years), "TERM-1") == []


def test_term_1_fires_from_a_toml_snippet() -> None:
    text = """
[programme]
id = "p"
name = "P"
start = 2024-07-01

[[contractors]]
id = "c"
name = "C"
uscc = "52620102MJA000010R"

[[stations]]
id = "s"
street = "白银路街道"
contractor = "c"

[[stations.years]]
year = 5
"""
    found = run(loads(text, "snippet.toml"), "TERM-1")
    # year 5 is beyond the term; years 1 and 2 have begun without a contract
    assert where(found) == {
        ("TERM-1", ERROR, "s", 5),
        ("TERM-1", ERROR, "s", 1),
        ("TERM-1", ERROR, "s", 2),
    }
    assert "5" in found[0].message_en and "3 years" in found[0].message_en


# --- PROF-1 dated profile overrides -----------------------------------------------------------


def test_prof_1_override_in_force_makes_staff_1_fire(example: Programme) -> None:
    assert run(example, "STAFF-1") == []
    profile = profiles.builtin().override("min_resident_social_workers", dt.date(2025, 1, 1), 3)
    found = run(example, "STAFF-1", profile=profile)
    # zhengning and yanbin have 2 residents; zhanjiaguaizi has 3
    assert where(found) == {
        ("STAFF-1", ERROR, "zhengning", None),
        ("STAFF-1", ERROR, "yanbin", None),
    }
    assert "required 3" in found[0].message_en


def test_prof_1_override_dated_after_as_of_does_not_apply(example: Programme) -> None:
    profile = profiles.builtin().override("min_resident_social_workers", dt.date(2025, 12, 2), 3)
    assert run(example, "STAFF-1", profile=profile) == []
    assert run(example, "STAFF-1", profile=profile, as_of=dt.date(2025, 12, 2)) != []


def test_prof_1_override_on_the_as_of_day_applies(example: Programme) -> None:
    profile = profiles.builtin().override("min_resident_social_workers", AS_OF, 3)
    assert run(example, "STAFF-1", profile=profile) != []


def test_prof_1_year_rules_use_the_policy_at_the_start_of_the_year(example: Programme) -> None:
    # the minimum rises from 2025-07-01: year 1 (from 2024-07-01) keeps 150 000, year 2 not
    profile = profiles.builtin().override(
        "min_station_funding", dt.date(2025, 7, 1), Decimal(160000)
    )
    found = run(example, "FUND-1", profile=profile)
    assert {(f.station, f.year) for f in found} == {
        (station, year) for station in ("zhengning", "yanbin", "zhanjiaguaizi") for year in (2, 3)
    }


# --- meta: every registered rule is tested here -----------------------------------------------


def _ids_used_by_tests() -> set[str]:
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    used: set[str] = set()
    for node in tree.body:
        if (
            isinstance(node, ast.FunctionDef)
            and node.name.startswith("test_")
            and node.name != ("test_every_registered_rule_is_tested_here")
        ):
            used |= {
                n.value
                for n in ast.walk(node)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            }
    return used


def test_every_registered_rule_is_tested_here() -> None:
    ids = [r.id for r in all_rules()]
    assert ids, "no rules registered"
    used = _ids_used_by_tests()
    untested = [i for i in ids if i not in used]
    assert untested == [], f"rules without a test in {Path(__file__).name}: {untested}"


def test_the_registered_rules_are_the_catalogue_s() -> None:
    expected = {
        "FUND-1",
        "FUND-2",
        "FUND-3",
        "FUND-4",
        "FUND-5",
        "FUND-6",
        "FUND-7",
        "FUND-8",
        "FUND-9",
        "LOT-1",
        "PAY-1",
        "PERF-3",
        "SIGN-1",
        "SIGN-2",
        "SITE-1",
        "SITE-2",
        "SITE-3",
        "SITE-4",
        "SITE-5",
        "STAFF-1",
        "STAFF-2",
        "STAFF-3",
        "STAFF-4",
        "TERM-1",
    }
    assert expected <= {r.id for r in all_rules()}


def test_check_only_runs_the_named_rules(example: Programme) -> None:
    p = with_station(example, "yanbin", premises=None)
    found = check(p, profiles.builtin(), AS_OF, only=["SITE-1"])
    assert {f.rule for f in found} == {"SITE-1"}


# --- SCOPE-1, SCOPE-2, PII-1 (casework; more in test_casework_*.py) -----------------------------


def test_scope_1_fires_on_a_category_the_profile_does_not_have(example: Programme) -> None:
    people = list(example.beneficiaries)
    people[0] = attrs.evolve(people[0], categories=("astronaut",))
    p = attrs.evolve(example, beneficiaries=people)
    assert where(run(p, "SCOPE-1")) == {("SCOPE-1", ERROR, "zhengning", None)}
    assert run(example, "SCOPE-1") == []


def test_scope_2_fires_when_station_money_pays_administrative_work(example: Programme) -> None:
    assert where(run(example, "SCOPE-2")) == {("SCOPE-2", NOTICE, "zhengning", None)}
    records = tuple(
        attrs.evolve(r, fund=FundingSource.CITY) if r.administrative else r for r in example.records
    )
    p = attrs.evolve(example, records=records)
    assert where(run(p, "SCOPE-2")) == {
        ("SCOPE-2", ERROR, "zhengning", None),
        ("SCOPE-2", NOTICE, "zhengning", None),
    }


def test_pii_1_warns_on_a_child_without_a_guardian(example: Programme) -> None:
    assert run(example, "PII-1") == []
    people = [attrs.evolve(b, links=()) if b.id == "zn-004" else b for b in example.beneficiaries]
    p = attrs.evolve(example, beneficiaries=people)
    assert where(run(p, "PII-1")) == {("PII-1", WARNING, "zhengning", None)}


# --- issue 10: PERF-1 monitoring, PERF-2 goals and results, PERF-3 results put to use ---------

MID_2 = dt.date(2026, 1, 12)


def _targets(example: Programme) -> tuple[Target, ...]:
    return example.station("zhengning").year(2).targets


def test_perf_1_warns_when_a_year_is_projected_to_miss_a_target(example: Programme) -> None:
    raised = tuple(
        Target(t.indicator, Decimal(400)) if t.indicator == "service_hours" else t
        for t in _targets(example)
    )
    found = run(with_year(example, "zhengning", 2, targets=raised), "PERF-1")
    found = [f for f in found if f.severity is WARNING]
    assert where(found) == {("PERF-1", WARNING, "zhengning", 2)}
    # names the indicator, the value so far, and the target
    assert "service_hours" in found[0].message_en and "16 " in found[0].message_en
    assert "target 400" in found[0].message_en


def test_perf_1_silent_on_track_and_notices_a_year_without_goals(example: Programme) -> None:
    found = run(example, "PERF-1")
    assert {(f.station, f.severity) for f in found} == {
        ("yanbin", NOTICE),
        ("zhanjiaguaizi", NOTICE),
    }
    # the tolerance decides: with none at all, 6 people against 6.33 due by now falls short
    strict = profiles.builtin().override("monitoring_tolerance", profiles.ALWAYS, Decimal(0))
    short = [f for f in run(example, "PERF-1", profile=strict) if f.severity is WARNING]
    assert {f.station for f in short} == {"zhengning"}
    assert any("people_served" in f.message_en and "6.33" in f.message_en for f in short)
    # a year not in progress is not monitored
    assert run(example, "PERF-1", as_of=dt.date(2024, 6, 30)) == []
    unsigned = with_year(example, "yanbin", 2, signed=None)
    assert not [f for f in run(unsigned, "PERF-1") if f.station == "yanbin"]


def test_perf_2_fires_on_an_unknown_indicator_a_wrong_unit_and_a_repeat(example: Programme) -> None:
    targets = (
        *_targets(example),
        Target("happiness", Decimal(1)),
        Target("people_served", Decimal(10), unit="小时"),
    )
    found = run(with_year(example, "zhengning", 2, targets=targets), "PERF-2")
    assert where(found) == {("PERF-2", ERROR, "zhengning", 2)}
    text = " ".join(f.message_en for f in found)
    assert "'happiness'" in text and "unit '小时'" in text and "second time" in text


def test_perf_2_warns_on_results_of_the_wrong_evaluator_or_over_the_weight(
    example: Programme,
) -> None:
    e = evaluation("mid_term", MID_2, score=70)
    e = attrs.evolve(
        e,
        results=(
            Result("satisfaction", value=Decimal(90), evaluator=Evaluator.COMMUNITY),
            Result("file_quality", points=Decimal(8)),
            Result("people_served", value=Decimal(3)),
            Result("nope", points=Decimal(1)),
        ),
        reason="测试",
    )
    found = run(with_year(example, "zhengning", 2, evaluations=(e,)), "PERF-2")
    assert [f.severity for f in found] == [WARNING, WARNING, WARNING, ERROR]


def test_perf_2_silent_on_the_example_s_goals_and_results(example: Programme) -> None:
    assert run(example, "PERF-2") == []
    assert run(example, "PERF-2", as_of=dt.date(2026, 6, 30)) == []


def test_perf_3_needs_a_reason_for_an_outcome_the_score_does_not_give(example: Programme) -> None:
    # today's silent override: outcome "pass" with score 30
    e = evaluation("mid_term", MID_2, score=30, outcome="pass")
    found = run(with_year(example, "zhengning", 2, evaluations=(e,)), "PERF-3", as_of=MID_2)
    assert where(found) == {("PERF-3", WARNING, "zhengning", 2)}
    assert "no reason" in found[0].message_en and "suspend" in found[0].message_en
    reasoned = attrs.evolve(e, reason="复核后改判")
    assert (
        run(with_year(example, "zhengning", 2, evaluations=(reasoned,)), "PERF-3", as_of=MID_2)
        == []
    )


def test_perf_3_needs_a_reason_for_a_score_other_than_the_scorecard_s(example: Programme) -> None:
    year = example.station("zhengning").year(2)
    mid = attrs.evolve(year.evaluations[0], score=Decimal(85), reason=None, outcome=None)
    found = run(with_year(example, "zhengning", 2, evaluations=(mid,)), "PERF-3", as_of=MID_2)
    assert [f.message_en for f in found if "scorecard gives 70.03" in f.message_en]
    exact = attrs.evolve(mid, score=Decimal("70.03"))
    found = run(with_year(example, "zhengning", 2, evaluations=(exact,)), "PERF-3", as_of=MID_2)
    assert found == []


def test_perf_3_fires_on_a_correct_without_actions_and_on_an_overdue_action(
    example: Programme,
) -> None:
    p = with_year(example, "zhengning", 2, actions=())
    found = run(p, "PERF-3", as_of=dt.date(2026, 2, 1))
    assert any("no corrective action" in f.message_en for f in found)
    open_action = attrs.evolve(_targets_action(example), closed=None)
    p = with_year(example, "zhengning", 2, actions=(open_action,))
    assert any("is not closed" in f.message_en for f in run(p, "PERF-3", as_of=dt.date(2026, 4, 1)))
    assert not any(
        "is not closed" in f.message_en for f in run(p, "PERF-3", as_of=dt.date(2026, 3, 31))
    )
    stray = attrs.evolve(_targets_action(example), evaluation=dt.date(2026, 2, 2))
    p = with_year(example, "zhengning", 2, actions=(_targets_action(example), stray))
    assert any("there is none" in f.message_en for f in run(p, "PERF-3", as_of=dt.date(2026, 2, 3)))


def _targets_action(example: Programme) -> CorrectiveAction:
    return example.station("zhengning").year(2).actions[0]


def test_perf_3_silent_on_a_closed_action(example: Programme) -> None:
    found = run(example, "PERF-3", as_of=dt.date(2026, 4, 1))
    assert not any("not closed" in f.message_en or "no corrective" in f.message_en for f in found)


# --- issue 10: TERM-1, the contract year's lifecycle ------------------------------------------


def test_term_1_fires_on_a_year_begun_without_a_contract(example: Programme) -> None:
    # the example checked in its third year, with no third contract (was exit 0)
    stations = tuple(
        attrs.evolve(s, years=tuple(y for y in s.years if y.year < 3)) for s in example.stations
    )
    found = run(attrs.evolve(example, stations=stations), "TERM-1", as_of=dt.date(2026, 7, 10))
    assert where(found) == {
        ("TERM-1", ERROR, s, 3) for s in ("zhengning", "yanbin", "zhanjiaguaizi")
    }
    assert all("has no signed contract" in f.message_en for f in found)
    # an unsigned entry for the year is no contract either
    unsigned = with_year(example, "yanbin", 3, signed=None)
    assert where(run(unsigned, "TERM-1", as_of=dt.date(2026, 7, 10))) == {
        ("TERM-1", ERROR, "yanbin", 3)
    }


def test_term_1_warns_on_an_overdue_evaluation(example: Programme) -> None:
    assert not [
        f for f in run(example, "TERM-1", as_of=dt.date(2026, 2, 1)) if "due by" in f.message_en
    ]
    late = with_year(example, "yanbin", 2, evaluations=())
    found = run(late, "TERM-1", as_of=dt.date(2026, 2, 1))
    overdue = {(f.station, f.year) for f in found if "was due by" in f.message_en}
    assert overdue == {("yanbin", 2)}  # the mid-term was due by 2026-01-30
    assert all(f.severity is WARNING for f in found if "was due by" in f.message_en)


def test_term_1_warns_on_an_evaluation_outside_its_year(example: Programme) -> None:
    late = evaluation("final", dt.date(2025, 7, 5), score=90)
    year = example.station("yanbin").year(1)
    p = with_year(example, "yanbin", 1, evaluations=(*year.evaluations, late))
    found = run(p, "TERM-1")
    assert where(found) == {("TERM-1", WARNING, "yanbin", 1)}
    assert "outside the contract year" in found[0].message_en


def test_term_1_fires_on_a_renewal_after_a_stop_or_an_unexplained_failed_final(
    example: Programme,
) -> None:
    year = example.station("yanbin").year(1)
    stopped = (year.evaluations[0], evaluation("final", dt.date(2025, 6, 25), outcome="stop"))
    p = with_year(example, "yanbin", 1, evaluations=stopped)
    assert ("TERM-1", ERROR, "yanbin", 2) in where(run(p, "TERM-1"))
    failed = (year.evaluations[0], evaluation("final", dt.date(2025, 6, 25), score=50))
    p = with_year(example, "yanbin", 1, evaluations=failed)
    found = run(p, "TERM-1")
    assert where(found) == {("TERM-1", WARNING, "yanbin", 2)}
    assert "renewal_reason" in found[0].message_en
    p = with_year(p, "yanbin", 2, renewal_reason="整改到位，经区民政局研究同意续签")
    assert run(p, "TERM-1") == []


def test_term_1_silent_on_the_example_s_lifecycle(example: Programme) -> None:
    for day in (dt.date(2024, 7, 1), dt.date(2025, 6, 30), AS_OF, dt.date(2026, 12, 1)):
        assert run(example, "TERM-1", as_of=day) == []


# --- issue 10: staff over time (STAFF-1, STAFF-2) ----------------------------------------------


def _dated_staff(example: Programme, *members: StaffMember) -> Programme:
    return with_station(example, "yanbin", staff=members)


def _resident(name: str, start: str | None, end: str | None, **more: Any) -> StaffMember:
    return StaffMember(
        name,
        StaffRole.RESIDENT,
        "hexin",
        more.pop("qualification", Qualification.ASSISTANT),
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
        **more,
    )


def test_staff_1_counts_who_is_on_staff_on_the_day(example: Programme) -> None:
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", None),
        _resident("陈晓燕", "2024-07-01", "2025-10-31"),
    )
    found = run(p, "STAFF-1")  # one resident since 2025-11-01: 31 days by 2025-12-01
    assert where(found) == {("STAFF-1", ERROR, "yanbin", None)}
    assert "Since 2025-11-01" in found[0].message_en
    # within the profile's 30 days it is a warning
    found = run(p, "STAFF-1", as_of=dt.date(2025, 11, 20))
    assert where(found) == {("STAFF-1", WARNING, "yanbin", None)}


def test_staff_1_reports_a_past_spell_longer_than_allowed_with_its_dates(
    example: Programme,
) -> None:
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", None),
        _resident("陈晓燕", "2024-07-01", "2025-01-31"),
        _resident("孙丽", "2025-04-01", None),
    )
    found = run(p, "STAFF-1")
    assert where(found) == {("STAFF-1", WARNING, "yanbin", None)}
    assert "From 2025-02-01 to 2025-03-31" in found[0].message_en


def test_staff_1_fires_on_the_same_person_twice_at_once(example: Programme) -> None:
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", None, certificate="Z2019620100999"),
        _resident("张静", "2025-01-01", None, certificate="Z2019620100999"),
        _resident("陈晓燕", "2024-07-01", None),
    )
    found = run(p, "STAFF-1")
    assert where(found) == {("STAFF-1", ERROR, "yanbin", None)}
    assert "twice" in found[0].message_en and "Z2019620100999" not in found[0].message_en
    # counted once: two entries of one person do not make two residents
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", None, certificate="Z1"),
        _resident("张静", "2025-01-01", None, certificate="Z1"),
    )
    assert any("1 resident" in f.message_en for f in run(p, "STAFF-1"))


def test_staff_1_silent_on_consecutive_spells_of_one_person(example: Programme) -> None:
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", "2024-12-31", certificate="Z1"),
        _resident("张静", "2025-01-01", None, certificate="Z1"),
        _resident("陈晓燕", "2024-07-01", None),
    )
    assert run(p, "STAFF-1") == []


def test_staff_2_reports_a_spell_without_a_certified_resident(example: Programme) -> None:
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", "2025-05-31", qualification=Qualification.SENIOR),
        _resident("陈晓燕", "2024-07-01", None, qualification=Qualification.NONE),
        _resident("孙丽", "2025-06-01", None, qualification=Qualification.NONE),
    )
    found = run(p, "STAFF-2")
    assert where(found) == {("STAFF-2", ERROR, "yanbin", None)}
    assert "Since 2025-06-01" in found[0].message_en
    p = _dated_staff(
        example,
        _resident("张静", "2024-07-01", "2025-05-31", qualification=Qualification.SENIOR),
        _resident("陈晓燕", "2024-07-01", None, qualification=Qualification.NONE),
        _resident("孙丽", "2025-06-10", None, qualification=Qualification.SENIOR),
    )
    assert run(p, "STAFF-2") == []  # 9 days without: within the 30 allowed


def test_term_1_owes_no_contract_after_a_stop_or_an_unrenewed_failed_final(
    example: Programme,
) -> None:
    year = example.station("yanbin").year(1)
    stopped = (year.evaluations[0], evaluation("final", dt.date(2025, 6, 25), outcome="stop"))
    station = example.station("yanbin")
    only_year_1 = (attrs.evolve(year, evaluations=stopped),)
    p = with_station(example, "yanbin", years=only_year_1)
    assert [f for f in run(p, "TERM-1") if f.station == "yanbin"] == []
    failed = (year.evaluations[0], evaluation("final", dt.date(2025, 6, 25), score=50))
    p = with_station(example, "yanbin", years=(attrs.evolve(year, evaluations=failed),))
    assert [f for f in run(p, "TERM-1") if f.station == "yanbin"] == []
    # but a passing final leaves year 2 owed
    p = with_station(example, "yanbin", years=station.years[:1])
    assert where([f for f in run(p, "TERM-1") if f.station == "yanbin"]) == {
        ("TERM-1", ERROR, "yanbin", 2)
    }
