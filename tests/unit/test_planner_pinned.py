"""The budget planner, pinned: whole tranches, year differences and comparisons, every refusal
word for word in both languages, and the calendar's edge.

``test_planner.py`` checks properties and the main numbers; these tests compare whole
``PlannedTranche``, ``MonthFlow``, ``YearDifference`` and ``Comparison`` values, give each
refusal of ``request_problems`` in Chinese and English, and take a start at exactly the last
year a plan may start and one day after. What they kill under mutation testing is listed in
docs/testing.md (issue 13).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sgz_core import planner, profiles
from sgz_core.enums import FundingSource, Milestone
from sgz_core.errors import InvalidInput
from sgz_core.planner import (
    MonthFlow,
    PlannedTranche,
    YearDifference,
    compare,
    plan,
    request_problems,
)
from sgz_core.text import Text
from sgz_core.values import FrozenMap

P, C, DI, ST = (
    FundingSource.PROVINCE,
    FundingSource.CITY,
    FundingSource.DISTRICT,
    FundingSource.STREET,
)
CS, MT, FI = Milestone.CONTRACT_SIGNED, Milestone.MID_TERM, Milestone.FINAL
CHENGGUAN = profiles.builtin()
START = dt.date(2024, 7, 1)
D = Decimal


def amounts(**by_level: str) -> FrozenMap[FundingSource, Decimal]:
    return FrozenMap((FundingSource(k), D(v).quantize(D("0.01"))) for k, v in by_level.items())


def test_next_month_after_december_is_january_of_the_next_year() -> None:
    assert planner._next_month(dt.date(2024, 12, 1)) == dt.date(2025, 1, 1)
    assert planner._next_month(dt.date(2024, 11, 1)) == dt.date(2024, 12, 1)
    assert planner._next_month(dt.date(2025, 1, 1)) == dt.date(2025, 2, 1)


def test_a_year_s_tranches_whole() -> None:
    p = plan(2, CHENGGUAN, START, 2)
    assert p.profile == CHENGGUAN.id == "lanzhou-chengguan"
    y = p.year(2)
    assert y.ratio == CHENGGUAN.at(START).cofunding_ratio
    assert dict(y.ratio) == {P: D(1), C: D(1), DI: D(1)}
    assert y.tranches == (
        PlannedTranche(
            2,
            CS,
            D("0.60"),
            dt.date(2025, 7, 1),
            D("90000.00"),
            amounts(province="60000", city="60000", district="60000"),
        ),
        PlannedTranche(
            2,
            MT,
            D("0.30"),
            dt.date(2026, 1, 30),
            D("45000.00"),
            amounts(province="30000", city="30000", district="30000"),
        ),
        PlannedTranche(
            2,
            FI,
            D("0.10"),
            dt.date(2026, 7, 1),
            D("15000.00"),
            amounts(province="10000", city="10000", district="10000"),
        ),
    )


def test_a_year_s_cash_flow_over_some_levels_only() -> None:
    y = plan(1, CHENGGUAN, START, 1).year(1)
    months = y.cash_flow((P,))
    assert months[0] == MonthFlow(dt.date(2024, 7, 1), amounts(province="30000"))
    assert months[6] == MonthFlow(dt.date(2025, 1, 1), amounts(province="15000"))
    assert months[12] == MonthFlow(dt.date(2025, 7, 1), amounts(province="5000"))
    assert [m.total for m in months if m.total] == [D("30000.00"), D("15000.00"), D("5000.00")]
    assert y.cash_flow()[0] == MonthFlow(
        dt.date(2024, 7, 1), amounts(province="30000", city="30000", district="30000")
    )


def test_compare_gives_whole_year_differences_and_keeps_both_plans() -> None:
    more = CHENGGUAN.override("min_station_funding", dt.date(2025, 7, 1), D("150000.03"))
    base, other = plan(3, CHENGGUAN, START, 2), plan(3, more, START, 2)
    c = compare(base, other)
    assert c.base is base and c.other is other
    assert c.levels == (P, C, DI)
    same = amounts(province="150000", city="150000", district="150000")
    assert c.years == (
        YearDifference(1, same, same, FrozenMap({P: D("0.00"), C: D("0.00"), DI: D("0.00")})),
        YearDifference(
            2,
            same,
            amounts(province="150000.03", city="150000.03", district="150000.03"),
            FrozenMap({P: D("0.03"), C: D("0.03"), DI: D("0.03")}),
        ),
    )
    assert c.total == D("0.09") and [y.total for y in c.years] == [D("0.00"), D("0.09")]


def test_plans_of_other_requests_are_refused_word_for_word() -> None:
    with pytest.raises(InvalidInput) as caught:
        compare(plan(3, CHENGGUAN, START), plan(4, CHENGGUAN, dt.date(2024, 7, 2), 2))
    assert str(caught.value) == (
        "vs: expected two plans of the same stations, start and years, got "
        "3/2024-07-01/3 and 4/2024-07-02/2"
    )
    [problem] = caught.value.problems
    assert (
        problem.zh
        == "应为站点数、起始日与年数都相同的两份规划，实为 3/2024-07-01/3 与 4/2024-07-02/2"
    )


def test_a_budget_too_large_is_refused_naming_stations() -> None:
    huge = CHENGGUAN.override("min_station_funding", profiles.ALWAYS, D(10) ** 20)
    with pytest.raises(InvalidInput) as caught:
        plan(100, huge, START, 1)
    [problem] = caught.value.problems
    assert (problem.path, problem.message) == (
        "stations",
        "expected a year's budget below 10,000,000,000,000,000,000,000 yuan, got 100 stations "
        "at 100000000000000000000.00 yuan in year 1",
    )
    assert problem.zh == (
        "第 1 年的预算应低于 10,000,000,000,000,000,000,000 元，"
        "实为 100 个社工站、每站 100000000000000000000.00 元"
    )


def test_each_refusal_of_a_plan_request_in_both_languages() -> None:
    assert request_problems(0, "2024-07-01", 0) == [
        (
            "stations",
            Text(
                "应为 1 至 100000 的站点数，实为 0",
                "expected a number of stations from 1 to 100000, got 0",
            ),
        ),
        (
            "years",
            Text(
                "应为 1 至 99 的合同年数，实为 0",
                "expected a number of contract years from 1 to 99, got 0",
            ),
        ),
        (
            "start",
            Text(
                "应为形如 2024-07-01 的日期，实为 '2024-07-01'",
                "expected a date like 2024-07-01, got '2024-07-01'",
            ),
        ),
    ]


def test_the_last_start_a_plan_takes_and_one_day_later() -> None:
    assert planner.LAST_PLANNED_YEAR == 9988
    assert request_problems(3, dt.date(9985, 12, 31), 3) == []
    assert request_problems(3, dt.date(9986, 1, 1), 3) == [
        (
            "start",
            Text(
                "应为 9985 年底之前的开始日期（3 个合同年及其评估须在日历之内），实为 9986-01-01",
                "expected a start by the end of 9985 (3 contract years and their evaluations "
                "must fit the calendar), got 9986-01-01",
            ),
        )
    ]
    assert request_problems(99, dt.date(9889, 12, 31), 99) == []
    assert request_problems(99, dt.date(9890, 1, 1), 99)[0][1].en.startswith(
        "expected a start by the end of 9889 (99 contract years"
    )


def test_a_refused_plan_request_keeps_its_chinese() -> None:
    """The core's refusal carried only the English of each problem, so an embedder showing it
    under ``--lang zh`` (``said.shown``) printed English; the request's Chinese is kept."""
    from sgz_adapters.said import shown

    with pytest.raises(InvalidInput) as caught:
        planner.plan(0, profiles.builtin(), dt.date(2024, 7, 1), 0)
    assert [(p.path, p.zh) for p in caught.value.problems] == [
        ("stations", "应为 1 至 100000 的站点数，实为 0"),
        ("years", "应为 1 至 99 的合同年数，实为 0"),
    ]
    assert "应为 1 至 100000 的站点数" in shown(caught.value, "zh")
    assert "expected a number of stations" in shown(caught.value, "en")


def test_a_plan_s_year_outside_it_is_not_found_not_another_year() -> None:
    """``Plan.year(0)`` gave the last year (a negative index) and ``year(4)`` of a three-year plan
    an IndexError; like ``Station.year`` it is a NotFound naming the years there are (TERM-1)."""
    from sgz_core.errors import NotFound

    p = planner.plan(1, profiles.builtin(), dt.date(2024, 7, 1), 3)
    assert [p.year(n).year for n in (1, 2, 3)] == [1, 2, 3]
    for number in (0, -1, 4):
        with pytest.raises(NotFound) as caught:
            p.year(number)
        assert str(caught.value) == f"no contract year {number}; known: 1, 2, 3"
