"""Pinned FUND-3, FUND-5 and FUND-8 cases that the mutation run of ``sgz_core.rules.funding``
found unpinned after the fund ledger and the FUND-8 fast path landed (issue 13): the order of
the expense loop, which funds own a purpose, a fund that declares none, two declared purposes,
FUND-3 as an error in English, and FUND-5's cap rounded down to the fen in the message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs

from sgz_core import profiles
from sgz_core.enums import FundingSource, Severity
from sgz_core.findings import Finding
from sgz_core.model import (
    ContractYear,
    Expense,
    Funding,
    HardshipRelief,
    Programme,
    Receipt,
)
from sgz_core.programme_file import loads
from sgz_core.rules import check

P, D = FundingSource.PROVINCE, FundingSource.DISTRICT
EXTERNAL, CHARITY = FundingSource.EXTERNAL, FundingSource.CHARITY
DAY = dt.date(2024, 8, 1)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"
CHENGGUAN = profiles.builtin()


def a_programme(year: ContractYear) -> Programme:
    """The example's first station with ``year`` its only contract year, and no ledger."""
    base = loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    station = attrs.evolve(base.stations[0], years=(year,))
    return attrs.evolve(base, stations=(station,), hardship_relief=(), records=())


def findings(
    programme: Programme, rule: str, profile: profiles.Profile = CHENGGUAN
) -> list[Finding]:
    return list(check(programme, profile, dt.date(2025, 12, 1), only=[rule]))


def a_year(funding: list[Funding], expenses: list[Expense]) -> ContractYear:
    """A year whose every funding line was received in full (so nothing is overdrawn)."""
    receipts = [Receipt(DAY, f.source, f.amount) for f in funding]
    return ContractYear(1, funding=funding, receipts=receipts, expenses=expenses)


def fund_8(year: ContractYear) -> list[tuple[str, str]]:
    return [(f.message, f.message_en) for f in findings(a_programme(year), "FUND-8")]


def test_fund_8_no_fund_owns_a_purpose_it_does_not_declare() -> None:
    # district money for a category that no ring-fenced fund declares: not FUND-8's business
    year = a_year(
        [Funding(P, 50000), Funding(D, 50000), Funding(EXTERNAL, 3000, purposes=["services"])],
        [Expense(DAY, "xyz", D, 10)],
    )
    assert fund_8(year) == []


def test_fund_8_an_expense_within_its_purpose_does_not_end_the_check_of_later_ones() -> None:
    year = a_year(
        [Funding(P, 50000), Funding(CHARITY, 3000, purposes=["elderly_meals"])],
        [Expense(DAY, "elderly_meals", CHARITY, 10), Expense(DAY, "office", CHARITY, 20)],
    )
    assert fund_8(year) == [
        (
            "第1年2024-08-01从“慈善专项基金”支出的20.00元用于“日常办公”，不在“慈善专项基金”"
            "申明的用途（elderly_meals）之内。",
            "In year 1 an expense of 20.00 CNY on 2024-08-01 from the charity social-work fund "
            "pays for 'daily office costs', which is not one of the purposes declared for the "
            "charity social-work fund (elderly_meals).",
        )
    ]


def test_fund_8_a_ring_fenced_fund_that_declares_no_purpose() -> None:
    year = a_year(
        [Funding(P, 50000), Funding(EXTERNAL, 3000)], [Expense(DAY, "services", EXTERNAL, 10)]
    )
    assert fund_8(year) == [
        (
            "第1年2024-08-01从“民政以外链接资金”支出的10.00元用于“专业服务”，不在“民政以外链接资金”"
            "申明的用途（未申明任何用途）之内。",
            "In year 1 an expense of 10.00 CNY on 2024-08-01 from the funds linked from outside "
            "civil affairs pays for 'professional services', which is not one of the purposes "
            "declared for the funds linked from outside civil affairs (none declared).",
        )
    ]


def test_fund_8_two_declared_purposes_are_listed_in_both_languages() -> None:
    year = a_year(
        [Funding(P, 50000), Funding(CHARITY, 3000, purposes=["elderly_meals", "training"])],
        [Expense(DAY, "office", CHARITY, 10)],
    )
    [(zh, en)] = fund_8(year)
    assert "（elderly_meals、training）之内。" in zh
    assert en.endswith("declared for the charity social-work fund (elderly_meals, training).")


def test_fund_8_station_money_drawn_for_a_ring_fenced_purpose() -> None:
    year = a_year(
        [
            Funding(P, 50000),
            Funding(D, 50000),
            Funding(EXTERNAL, 3000, purposes=["elderly_meals"]),
        ],
        [Expense(DAY, "elderly_meals", D, 10)],
    )
    assert fund_8(year) == [
        (
            "第1年2024-08-01从“区民政局”支出的10.00元用于“elderly_meals”，这是“民政以外链接资金”"
            "申明的用途，不是站点经费的用途，“民政以外链接资金”的支出挤占了“区民政局”。",
            "In year 1 an expense of 10.00 CNY on 2024-08-01 from the district civil affairs pays "
            "for 'elderly_meals', a purpose declared by the funds linked from outside civil "
            "affairs and not one station money pays for, so the district civil affairs is drawn "
            "for the funds linked from outside civil affairs's purpose.",
        )
    ]


def test_fund_3_as_an_error_keeps_its_english() -> None:
    profile = CHENGGUAN.override("other_expense_category_severity", profiles.ALWAYS, Severity.ERROR)
    year = ContractYear(
        1,
        funding=[Funding(P, 50000)],
        expenses=[Expense(DAY, "meals", P, 10, reason="为探访的独居老人备餐")],
    )
    [found] = findings(a_programme(year), "FUND-3", profile)
    assert found.severity is Severity.ERROR
    assert found.message_en == (
        "In year 1 an expense of 10.00 CNY on 2024-08-01 pays for 'meals', which station money "
        "may not pay for (allowed: social-worker posts, professional services, station fit-out, "
        "daily office costs, transport and travel); the reason given is '为探访的独居老人备餐'."
    )


def test_fund_5_names_the_cap_rounded_down_to_the_fen() -> None:
    # 2% of 100.33 is 2.0066: the most a sum in fen may be is 2.00, not 2.01
    relief = HardshipRelief(year=1, budget=Decimal("100.33"), social_work=Decimal("2.01"))
    [found] = findings(
        attrs.evolve(a_programme(ContractYear(1)), hardship_relief=(relief,)), "FUND-5"
    )
    assert found.message == (
        "第1年困难群众救助补助资金100.33元中，用于购买社会工作服务的2.01元超过了2%的上限2.00元。"
    )
    assert found.message_en == (
        "In year 1, 2.01 CNY of the 100.33 CNY hardship-relief funds buy social-work services, "
        "more than the cap of 2% (2.00 CNY)."
    )
