"""Funding and staffing rules, pinned: every field of every finding, at each rule's edge.

Each test builds a one-station programme that is exactly at a rule's boundary or one fen (one
person) either side, and compares whole ``Finding`` values: rule, severity, station, year and
both messages, Chinese included. Non-default profile values come from ``Profile.override``, so a
count that is off by one or counted twice cannot hide behind a default of 1. This is what
mutation testing (docs/testing.md) needs to kill the mutants of ``rules/funding.py`` and
``rules/staffing.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from sgz_core import profiles
from sgz_core.enums import (
    ExpenseCategory,
    FundingSource,
    Qualification,
    Severity,
    StaffRole,
)
from sgz_core.findings import Finding
from sgz_core.model import (
    Contractor,
    ContractYear,
    Expense,
    Funding,
    Programme,
    StaffMember,
    Station,
)
from sgz_core.profiles import Profile
from sgz_core.programme_file import loads
from sgz_core.rules import check, funding
from sgz_core.testing import strategies as sgz

ERROR, WARNING = Severity.ERROR, Severity.WARNING
P, C, D, S = (
    FundingSource.PROVINCE,
    FundingSource.CITY,
    FundingSource.DISTRICT,
    FundingSource.STREET,
)
START = dt.date(2024, 7, 1)
AS_OF = dt.date(2025, 3, 1)
VALID = "52620102MJ0000001X"  # a social organisation registered by civil affairs (5)
COMPANY = "91620102MA0000001C"  # a company (9)
ALL_ZH = "社工岗位、专业服务、站点打造、日常办公、交通和差旅"
ALL_EN = (
    "social-worker posts, professional services, station fit-out, daily office costs, "
    "transport and travel"
)


@pytest.fixture(autouse=True)
def _fresh_base_shares() -> Iterator[None]:
    """The base shares are cached; each test computes them itself."""
    funding._base_shares.cache_clear()
    yield
    funding._base_shares.cache_clear()


def money(*pairs: tuple[FundingSource, str]) -> tuple[Funding, ...]:
    return tuple(Funding(source, Decimal(amount)) for source, amount in pairs)


def even(each: str = "50000") -> tuple[Funding, ...]:
    return money((P, each), (C, each), (D, each))


def resident(name: str, *, certified: bool = False, employer: str = "hexin") -> StaffMember:
    q = Qualification.ASSISTANT if certified else Qualification.NONE
    return StaffMember(name, StaffRole.RESIDENT, employer, qualification=q)


def programme(
    *,
    funds: tuple[Funding, ...] | None = None,
    expenses: tuple[Expense, ...] = (),
    staff: tuple[StaffMember, ...] | None = None,
    code: str = VALID,
    year: int = 1,
) -> Programme:
    years = (
        ContractYear(
            year, signed=START, funding=even() if funds is None else funds, expenses=expenses
        ),
    )
    if staff is None:
        staff = (resident("王芳", certified=True), resident("李强"))
    station = Station("baiyin", "白银路街道", "hexin", staff=staff, years=years)
    return Programme(
        "p",
        "城关区社工站",
        START,
        contractors=(Contractor("hexin", "和信社工", code),),
        stations=(station,),
    )


def findings(
    rule_id: str, p: Programme, profile: Profile | None = None, as_of: dt.date = AS_OF
) -> list[Finding]:
    return check(p, profile or profiles.builtin(), as_of, only=[rule_id])


def with_(name: str, value: Any, start: dt.date = profiles.ALWAYS) -> Profile:
    return profiles.builtin().override(name, start, value)


def year_finding(rule_id: str, severity: Severity, zh: str, en: str, year: int = 1) -> Finding:
    return Finding(rule_id, severity, "baiyin", year, zh, en)


# --- FUND-1 -----------------------------------------------------------------------------------


def test_fund1_exactly_the_minimum_and_one_fen_above_are_enough() -> None:
    assert (
        findings("FUND-1", programme(funds=money((P, "50000"), (C, "50000"), (D, "50000")))) == []
    )
    assert (
        findings("FUND-1", programme(funds=money((P, "50000.01"), (C, "50000"), (D, "50000"))))
        == []
    )


def test_fund1_one_fen_below_the_minimum() -> None:
    p = programme(funds=money((P, "49999.99"), (C, "50000"), (D, "50000")), year=2)
    assert findings("FUND-1", p, as_of=dt.date(2026, 3, 1)) == [
        year_finding(
            "FUND-1",
            ERROR,
            "第2年省市区配套经费合计149,999.99元，低于每站150,000.00元的标准。",
            "In year 2 the co-funding totals 149,999.99 CNY, below the minimum of 150,000.00 CNY per station.",
            year=2,
        )
    ]


def test_fund1_counts_only_the_cofunding_levels() -> None:
    # a street top-up of 0.01 does not make up for the missing fen
    p = programme(funds=money((P, "49999.99"), (C, "50000"), (D, "50000"), (S, "0.01")))
    assert [f.rule for f in findings("FUND-1", p)] == ["FUND-1"]


def test_fund1_minimum_from_the_profile_in_force_at_year_start() -> None:
    profile = with_("min_station_funding", Decimal("200000.00"), START)
    p = programme(funds=money((P, "66666.67"), (C, "66666.66"), (D, "66666.66")))
    assert findings("FUND-1", p, profile) == [
        year_finding(
            "FUND-1",
            ERROR,
            "第1年省市区配套经费合计199,999.99元，低于每站200,000.00元的标准。",
            "In year 1 the co-funding totals 199,999.99 CNY, below the minimum of 200,000.00 CNY per station.",
        )
    ]
    # a minimum that starts after year 1 began does not apply to year 1 (PROF-1)
    later = with_("min_station_funding", Decimal("200000.00"), START + dt.timedelta(days=1))
    assert findings("FUND-1", p, later) == []


# --- FUND-2 -----------------------------------------------------------------------------------


def test_fund2_each_level_one_fen_short_of_its_share() -> None:
    p = programme(funds=money((P, "49999.99"), (C, "60000"), (D, "49999.99")))
    assert findings("FUND-2", p) == [
        year_finding(
            "FUND-2",
            ERROR,
            "第1年省民政厅配套49,999.99元，少于应配套的50,000.00元。",
            "In year 1 the province civil affairs gives 49,999.99 CNY, less than its share of 50,000.00 CNY.",
        ),
        year_finding(
            "FUND-2",
            ERROR,
            "第1年区民政局配套49,999.99元，少于应配套的50,000.00元。",
            "In year 1 the district civil affairs gives 49,999.99 CNY, less than its share of 50,000.00 CNY.",
        ),
    ]


def test_fund2_exact_shares_are_in_ratio() -> None:
    assert findings("FUND-2", programme()) == []


def test_fund2_shares_of_a_minimum_that_does_not_divide() -> None:
    # 100,000.00 in thirds: 33,333.34 / 33,333.33 / 33,333.33 (largest remainder, earlier first)
    profile = with_("min_station_funding", Decimal("100000.00"))
    p = programme(funds=money((P, "33333.33"), (C, "33333.33"), (D, "33333.33")))
    assert findings("FUND-2", profile=profile, p=p) == [
        year_finding(
            "FUND-2",
            ERROR,
            "第1年省民政厅配套33,333.33元，少于应配套的33,333.34元。",
            "In year 1 the province civil affairs gives 33,333.33 CNY, less than its share of 33,333.34 CNY.",
        )
    ]
    assert funding.base_shares(Decimal("100000.00"), profile.at(START).cofunding_ratio) == {
        P: Decimal("33333.34"),
        C: Decimal("33333.33"),
        D: Decimal("33333.33"),
    }


TWO_ONE_ONE = {P: Decimal(2), C: Decimal(1), D: Decimal(1)}


def test_fund2_ratio_warning_at_exactly_the_edge() -> None:
    """2 : 1 : 1 and the province two fen over: 2 × 0.02 = 0.04 = one fen × the weights 4."""
    profile = with_("cofunding_ratio", TWO_ONE_ONE)
    p = programme(funds=money((P, "75000.02"), (C, "37500"), (D, "37500")))
    assert findings("FUND-2", p, profile) == [
        year_finding(
            "FUND-2",
            WARNING,
            "第1年省民政厅、市民政局、区民政局配套75,000.02 / 37,500.00 / 37,500.00元，不符合2:1:1的比例。",
            "In year 1 the province civil affairs / city civil affairs / district civil affairs give "
            "75,000.02 / 37,500.00 / 37,500.00 CNY, which is not in the ratio 2:1:1.",
        )
    ]


def test_fund2_one_fen_inside_the_edge_is_in_ratio() -> None:
    profile = with_("cofunding_ratio", TWO_ONE_ONE)
    p = programme(funds=money((P, "75000.01"), (C, "37500"), (D, "37500")))
    assert findings("FUND-2", p, profile) == []


def test_fund2_one_fen_off_in_thirds_is_in_ratio_two_fen_is_not() -> None:
    assert (
        findings("FUND-2", programme(funds=money((P, "50000"), (C, "50000"), (D, "50000.01"))))
        == []
    )
    found = findings("FUND-2", programme(funds=money((P, "50000"), (C, "50000"), (D, "50000.02"))))
    assert [(f.severity, f.message) for f in found] == [
        (
            WARNING,
            "第1年省民政厅、市民政局、区民政局配套50,000.00 / 50,000.00 / 50,000.02元，不符合1:1:1的比例。",
        )
    ]


def test_fund2_fractional_ratio_text() -> None:
    profile = with_("cofunding_ratio", {P: Decimal("0.5"), C: Decimal("0.25"), D: Decimal("0.25")})
    p = programme(funds=money((P, "75000"), (C, "50000"), (D, "37500")))
    assert [f.message_en for f in findings("FUND-2", p, profile)] == [
        "In year 1 the province civil affairs / city civil affairs / district civil affairs give "
        "75,000.00 / 50,000.00 / 37,500.00 CNY, which is not in the ratio 0.5:0.25:0.25."
    ]


# --- FUND-3 -----------------------------------------------------------------------------------


def expense(category: str, amount: str = "1200.50", fund: FundingSource = P) -> Expense:
    return Expense(dt.date(2024, 9, 3), category, fund, Decimal(amount))


def test_fund3_names_the_categories_in_chinese() -> None:
    p = programme(expenses=(expense("posts"), expense("banquet"), expense("lottery ticket", "3")))
    assert findings("FUND-3", p) == [
        year_finding(
            "FUND-3",
            ERROR,
            f"第1年2024-09-03支出的1,200.50元用于“banquet”，不在规定的用途（{ALL_ZH}）之内。",
            "In year 1 an expense of 1,200.50 CNY on 2024-09-03 pays for 'banquet', which station "
            f"money may not pay for (allowed: {ALL_EN}).",
        ),
        year_finding(
            "FUND-3",
            ERROR,
            f"第1年2024-09-03支出的3.00元用于“lottery ticket”，不在规定的用途（{ALL_ZH}）之内。",
            "In year 1 an expense of 3.00 CNY on 2024-09-03 pays for 'lottery ticket', which station "
            f"money may not pay for (allowed: {ALL_EN}).",
        ),
    ]


def test_fund3_a_known_category_the_profile_excludes() -> None:
    profile = with_(
        "eligible_expense_categories", (ExpenseCategory.POSTS, ExpenseCategory.SERVICES)
    )
    p = programme(expenses=(expense("services"), expense("travel", "88")))
    assert findings("FUND-3", p, profile) == [
        year_finding(
            "FUND-3",
            ERROR,
            "第1年2024-09-03支出的88.00元用于“交通和差旅”，不在规定的用途（社工岗位、专业服务）之内。",
            "In year 1 an expense of 88.00 CNY on 2024-09-03 pays for 'transport and travel', which "
            "station money may not pay for (allowed: social-worker posts, professional services).",
        )
    ]


# --- FUND-4 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("top_up", "text"), [("0.01", "0.01"), ("1", "1.00"), ("2.5", "2.50")])
def test_fund4_a_small_top_up_does_not_replace_a_share(top_up: str, text: str) -> None:
    p = programme(funds=money((P, "50000"), (C, "49999.99"), (D, "50000"), (S, top_up)))
    assert findings("FUND-4", p) == [
        year_finding(
            "FUND-4",
            ERROR,
            f"第1年街道自筹{text}元，不能替代市民政局应配套的50,000.00元（实际配套49,999.99元）。",
            f"In year 1 the street's top-up of {text} CNY cannot replace the city civil affairs "
            "share of 50,000.00 CNY (given: 49,999.99 CNY).",
        )
    ]


def test_fund4_no_top_up_or_a_zero_one_is_not_fund4() -> None:
    short = money((P, "50000"), (C, "49999.99"), (D, "50000"))
    assert findings("FUND-4", programme(funds=short)) == []
    assert findings("FUND-4", programme(funds=(*short, Funding(S, Decimal(0))))) == []


def test_fund4_a_top_up_beside_full_shares_is_fine() -> None:
    p = programme(funds=money((P, "50000"), (C, "50000"), (D, "50000"), (S, "1")))
    assert findings("FUND-4", p) == []


def test_fund4_every_short_level_under_another_ratio() -> None:
    profile = with_("cofunding_ratio", TWO_ONE_ONE)
    p = programme(funds=money((P, "74999.99"), (C, "37500"), (D, "0"), (S, "80000")))
    assert [f.message for f in findings("FUND-4", p, profile)] == [
        "第1年街道自筹80,000.00元，不能替代省民政厅应配套的75,000.00元（实际配套74,999.99元）。",
        "第1年街道自筹80,000.00元，不能替代区民政局应配套的37,500.00元（实际配套0.00元）。",
    ]


# --- FUND-8 -----------------------------------------------------------------------------------


def test_fund8_spending_exactly_the_fund_is_fine() -> None:
    p = programme(expenses=(expense("posts", "30000"), expense("services", "20000")))
    assert findings("FUND-8", p) == []


def test_fund8_one_fen_over_the_fund_summed_over_expenses() -> None:
    p = programme(expenses=(expense("posts", "30000"), expense("services", "20000.01")))
    assert findings("FUND-8", p) == [
        year_finding(
            "FUND-8",
            ERROR,
            "第1年“省民政厅”的支出50,000.01元超过该项资金的50,000.00元，挤占了其他资金。",
            "In year 1 the province civil affairs expenses of 50,000.01 CNY exceed its 50,000.00 CNY, "
            "so another fund is being drawn on.",
        )
    ]


def test_fund8_a_fund_of_one_yuan_is_not_an_absent_fund() -> None:
    p = programme(
        funds=(*even(), Funding(FundingSource.LOTTERY, Decimal(1))),
        expenses=(expense("posts", "1.01", FundingSource.LOTTERY),),
    )
    assert [f.message for f in findings("FUND-8", p)] == [
        "第1年“彩票公益金”的支出1.01元超过该项资金的1.00元，挤占了其他资金。"
    ]


def test_fund8_booked_to_a_fund_that_gave_nothing() -> None:
    p = programme(
        expenses=(
            expense("posts", "0.01", FundingSource.CHARITY),
            expense("posts", "10", FundingSource.CHARITY),
            expense("posts", "10", FundingSource.CITY),
        )
    )
    assert findings("FUND-8", p) == [
        year_finding(
            "FUND-8",
            ERROR,
            "第1年有10.01元支出记在“慈善专项基金”名下，但该年没有这项资金。",
            "In year 1, 10.01 CNY of expenses are booked to the charity social-work fund, which gave "
            "no money that year.",
        )
    ]


# --- FUND-9 -----------------------------------------------------------------------------------


def contractor_finding(zh: str, en: str) -> Finding:
    return Finding("FUND-9", ERROR, None, None, zh, en)


def test_fund9_a_valid_civil_affairs_code_even_with_spaces_and_lower_case() -> None:
    assert findings("FUND-9", programme(code=VALID)) == []
    assert findings("FUND-9", programme(code=f" {VALID.lower()} ")) == []


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("52620102MJ000001", "长度不是18位", "The number has an invalid length"),
        (
            "5262010AMJ0000001X",
            "前8位含有非数字字符，或含有代码中不允许的字母",
            "The number has an invalid format",
        ),
        (
            "52620102MJ0000001Y",
            "最后一位校验码不对",
            "The number's checksum or check digit is invalid",
        ),
    ],
)
def test_fund9_gives_the_reason_in_chinese(code: str, zh: str, en: str) -> None:
    assert findings("FUND-9", programme(code=code)) == [
        contractor_finding(
            f"承接机构“和信社工”（hexin）的统一社会信用代码“{code}”无效：{zh}。",
            f"The unified social credit code {code!r} of contractor 'hexin' is not valid: {en}.",
        )
    ]


def test_fund9_reasons_for_every_stdnum_exception() -> None:
    assert funding._uscc_reason(InvalidLength()) == "长度不是18位"
    assert funding._uscc_reason(InvalidFormat()) == "前8位含有非数字字符，或含有代码中不允许的字母"
    assert funding._uscc_reason(InvalidChecksum()) == "最后一位校验码不对"
    assert (
        funding._uscc_reason(InvalidComponent()) == "其中的登记管理部门、机构类别或行政区划代码不对"
    )
    assert funding._uscc_reason(ValidationError()) == "不符合国家标准GB 32100"


def test_fund9_a_company_may_not_contract() -> None:
    assert findings("FUND-9", programme(code=COMPANY)) == [
        contractor_finding(
            "承接机构“和信社工”（hexin）的统一社会信用代码以“9”开头，不是民政部门登记的社会组织（应以5开头）。",
            "The credit code of contractor 'hexin' starts with '9', so it is not registered by civil "
            "affairs (expected 5); profit-seeking bodies may not contract.",
        )
    ]


def test_fund9_other_registration_authorities() -> None:
    profile = with_("contractor_registration_authorities", ("5", "9"))
    assert findings("FUND-9", programme(code=COMPANY), profile) == []
    only = with_("contractor_registration_authorities", ("1", "9"))
    assert findings("FUND-9", programme(code=COMPANY.lower()), only) == []
    assert [f.message for f in findings("FUND-9", programme(code=VALID), only)] == [
        "承接机构“和信社工”（hexin）的统一社会信用代码以“5”开头，不是民政部门登记的社会组织（应以1或9开头）。"
    ]
    assert [f.message_en for f in findings("FUND-9", programme(code=VALID), only)] == [
        "The credit code of contractor 'hexin' starts with '5', so it is not registered by civil "
        "affairs (expected 1 or 9); profit-seeking bodies may not contract."
    ]


# --- STAFF-1 … STAFF-4 (counts; what counts on which day is STAFF-1/2's own tests) ------------


def station_finding(rule_id: str, zh: str, en: str) -> Finding:
    return Finding(rule_id, ERROR, "baiyin", None, zh, en)


def residents(n: int, certified: int = 0) -> tuple[StaffMember, ...]:
    return tuple(resident(f"社工{i}", certified=i < certified) for i in range(n))


def test_staff1_three_residents_required() -> None:
    profile = with_("min_resident_social_workers", 3)
    assert findings("STAFF-1", programme(staff=residents(3)), profile) == []
    assert findings("STAFF-1", programme(staff=residents(2)), profile) == [
        station_finding(
            "STAFF-1",
            "本站驻站社工2名，少于规定的3名。",
            "The station has 2 resident social worker(s), fewer than the required 3.",
        )
    ]


def test_staff1_dispatched_workers_do_not_count() -> None:
    profile = with_("min_resident_social_workers", 3)
    staff = (*residents(2), StaffMember("赵六", StaffRole.DISPATCHED, "hexin"))
    assert [f.rule for f in findings("STAFF-1", programme(staff=staff), profile)] == ["STAFF-1"]


def test_staff2_two_certified_residents_required() -> None:
    profile = with_("min_certified_resident_social_workers", 2)
    assert findings("STAFF-2", programme(staff=residents(3, certified=2)), profile) == []
    assert findings("STAFF-2", programme(staff=residents(3, certified=1)), profile) == [
        station_finding(
            "STAFF-2",
            "本站持证驻站社工1名，少于规定的2名。",
            "The station has 1 certified resident social worker(s), fewer than the required 2.",
        )
    ]


def test_staff2_a_certified_dispatched_worker_does_not_count() -> None:
    profile = with_("min_certified_resident_social_workers", 2)
    staff = (
        *residents(2, certified=1),
        StaffMember("赵六", StaffRole.DISPATCHED, "hexin", qualification=Qualification.SENIOR),
    )
    assert [f.message for f in findings("STAFF-2", programme(staff=staff), profile)] == [
        "本站持证驻站社工1名，少于规定的2名。"
    ]


def test_staff3_every_resident_of_another_employer() -> None:
    staff = (resident("王芳"), resident("李强", employer="anning"), resident("张三", employer="x"))
    assert findings("STAFF-3", programme(staff=staff)) == [
        station_finding(
            "STAFF-3",
            "驻站社工李强由“anning”聘用，而不是由本站承接机构“hexin”聘用。",
            "Resident social worker 李强 is employed by 'anning', not by the station's contractor 'hexin'.",
        ),
        station_finding(
            "STAFF-3",
            "驻站社工张三由“x”聘用，而不是由本站承接机构“hexin”聘用。",
            "Resident social worker 张三 is employed by 'x', not by the station's contractor 'hexin'.",
        ),
    ]


def test_staff3_dispatched_workers_may_have_another_employer() -> None:
    staff = (
        *residents(2),
        StaffMember("赵六", StaffRole.DISPATCHED, "district", social_work_degree=True),
    )
    assert findings("STAFF-3", programme(staff=staff)) == []


def test_staff4_certified_or_graduate_is_enough() -> None:
    ok = (
        *residents(2),
        StaffMember("甲", StaffRole.DISPATCHED, "hexin", qualification=Qualification.ASSISTANT),
        StaffMember("乙", StaffRole.DISPATCHED, "hexin", social_work_degree=True),
        resident("丙"),  # residents are STAFF-2's business, not STAFF-4's
    )
    assert findings("STAFF-4", programme(staff=ok)) == []
    bad = (*residents(2), StaffMember("丁", StaffRole.DISPATCHED, "hexin"))
    assert findings("STAFF-4", programme(staff=bad)) == [
        station_finding(
            "STAFF-4",
            "选派社工丁既未持证，也不是社会工作专业毕业。",
            "Dispatched social worker 丁 is neither certified nor a social work graduate.",
        )
    ]


# --- every finding is a whole sentence (issue 9 §4) -------------------------------------------


def assert_sentences(found: list[Finding]) -> None:
    """Every rule's findings: Chinese ends in 。, English starts with a capital, ends in a full stop."""
    for f in found:
        assert f.message.endswith("。"), f
        assert f.message_en.endswith("."), f
        assert f.message_en[0].isupper() or f.message_en[0].isdigit(), f


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(programme=sgz.programmes(), on=st.dates(dt.date(2001, 1, 1), dt.date(2065, 12, 31)))
def test_every_finding_is_a_whole_sentence(programme: Programme, on: dt.date) -> None:
    assert_sentences(check(programme, profiles.builtin(), on))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(programme=sgz.casework_programmes())
def test_every_casework_finding_is_a_whole_sentence(programme: Programme) -> None:
    assert_sentences(check(programme, profiles.builtin(), dt.date(2026, 1, 1)))


@pytest.mark.parametrize("name", ["chengguan.toml", "mistakes.toml"])
@pytest.mark.parametrize(
    "on", ["2024-07-01", "2025-06-30", "2025-12-01", "2026-11-28", "2027-07-01"]
)
def test_every_finding_of_the_examples_is_a_whole_sentence(name: str, on: str) -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / name
    programme = loads(path.read_text(encoding="utf-8"), str(path))
    found = check(programme, profiles.builtin(), dt.date.fromisoformat(on))
    assert_sentences(found)


def test_the_mistakes_example_word_for_word() -> None:
    """Premises and signage findings of examples/mistakes.toml, in Chinese and English."""
    path = Path(__file__).resolve().parents[2] / "examples" / "mistakes.toml"
    found = check(
        loads(path.read_text(encoding="utf-8"), str(path)),
        profiles.builtin(),
        dt.date(2026, 11, 28),
    )
    assert_sentences(found)
    assert [
        (f.rule, f.message, f.message_en) for f in found if f.rule.startswith(("SITE", "SIGN"))
    ] == [
        ("SIGN-1", "本站未设置中国社会工作标志。", "The China social work logo is not shown."),
        (
            "SIGN-1",
            "本站未挂设“兰州市城关区白银路街道社会工作服务站”标牌。",
            "The plaque '兰州市城关区白银路街道社会工作服务站' is not shown.",
        ),
        (
            "SITE-1",
            "本站活动场地180平方米，少于规定的200平方米。",
            "The activity space is 180 m², less than the required 200 m².",
        ),
        ("SITE-3", "本站缺少办公设备：打印机。", "The station lacks office equipment: printer."),
    ]


def test_the_mistakes_example_word_for_word_pay_perf_term_lot() -> None:
    """PAY-1, PERF-3, TERM-1 and LOT-1 findings of examples/mistakes.toml, whole sentences."""
    path = Path(__file__).resolve().parents[2] / "examples" / "mistakes.toml"
    found = check(
        loads(path.read_text(encoding="utf-8"), str(path)),
        profiles.builtin(),
        dt.date(2026, 11, 28),
    )
    assert [
        (f.rule, f.station, f.year, f.message, f.message_en)
        for f in found
        if f.rule.startswith(("PAY", "PERF", "TERM", "LOT"))
    ] == [
        (
            "LOT-1",
            "yanbin",
            None,
            "包号2应在雁园街道，而本站在雁南街道。",
            "Lot 2 is on 雁园街道, not on 雁南街道.",
        ),
        (
            "TERM-1",
            "zhengning",
            4,
            "第4年超出3年的服务期限。",
            "Contract year 4 is beyond the service term of 3 years.",
        ),
        (
            "TERM-1",
            "zhengning",
            2,
            "第2年已于2025-07-01开始，尚未签订合同。",
            "Year 2 began on 2025-07-01 and has no signed contract.",
        ),
        (
            "TERM-1",
            "zhengning",
            3,
            "第3年已于2026-07-01开始，尚未签订合同。",
            "Year 3 began on 2026-07-01 and has no signed contract.",
        ),
        (
            "TERM-1",
            "yanbin",
            2,
            "第2年末期评估应于2026-07-01前完成，至今未见记录。",
            "In year 2 the final evaluation was due by 2026-07-01 and is not recorded.",
        ),
        (
            "TERM-1",
            "yanbin",
            3,
            "第3年已于2026-07-01开始，尚未签订合同。",
            "Year 3 began on 2026-07-01 and has no signed contract.",
        ),
        (
            "PAY-1",
            "yanbin",
            1,
            "第1年末期评估（2024-12-20）早于中期评估（2025-01-16）。",
            "In year 1 the final evaluation on 2024-12-20 comes before the first mid-term evaluation on 2025-01-16.",
        ),
        (
            "PERF-3",
            "yanbin",
            2,
            "第2年中期评估于2026-01-14决定暂缓执行，后续节点暂缓拨付。",
            "In year 2 the mid-term evaluation of 2026-01-14 suspended the project, so later tranches are held.",
        ),
        (
            "PERF-3",
            "yanbin",
            2,
            "第2年中期评估（2026-01-14）的结论“暂缓执行”与按得分建议的“限期整改”不符，且未写明理由（reason）。",
            "In year 2 the mid-term evaluation of 2026-01-14 says suspend where the score proposes correct, and no reason is given.",
        ),
        (
            "PERF-3",
            "yanbin",
            2,
            "第2年中期评估（2026-01-14）的结论为“暂缓执行”，但未记录整改措施（actions）。",
            "In year 2 the mid-term evaluation of 2026-01-14 said suspend, and no corrective action records it.",
        ),
        (
            "PERF-3",
            "yanbin",
            2,
            "第2年“中期评估”节点的45,000.00元暂缓拨付。",
            "In year 2 the 45,000.00 CNY tranche for 'mid-term evaluation' is held.",
        ),
        (
            "PERF-3",
            "yanbin",
            2,
            "第2年“末期评估通过”节点的15,000.00元暂缓拨付。",
            "In year 2 the 15,000.00 CNY tranche for 'final evaluation passed' is held.",
        ),
        (
            "TERM-1",
            "zhanjiaguaizi",
            1,
            "第1年中期评估应于2025-01-30前完成，至今未见记录。",
            "In year 1 the mid-term evaluation was due by 2025-01-30 and is not recorded.",
        ),
        (
            "TERM-1",
            "zhanjiaguaizi",
            1,
            "第1年末期评估应于2025-07-01前完成，至今未见记录。",
            "In year 1 the final evaluation was due by 2025-07-01 and is not recorded.",
        ),
        (
            "TERM-1",
            "zhanjiaguaizi",
            2,
            "第2年已于2025-07-01开始，尚未签订合同。",
            "Year 2 began on 2025-07-01 and has no signed contract.",
        ),
        (
            "TERM-1",
            "zhanjiaguaizi",
            3,
            "第3年已于2026-07-01开始，尚未签订合同。",
            "Year 3 began on 2026-07-01 and has no signed contract.",
        ),
    ]
