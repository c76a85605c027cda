"""The budget planner (``sgz_core.planner``): budgets per level and year, tranches month by month,
the comparison of two profiles, and PROF-1 (each year under the policy of its first day)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import planner, profiles
from sgz_core.disbursement import year_tranches
from sgz_core.enums import EvaluationKind, FundingSource, Milestone, Outcome, TrancheStatus
from sgz_core.errors import InvalidInput
from sgz_core.model import ContractYear, Evaluation, Funding, Station, add_years
from sgz_core.money import ZERO, allocate
from sgz_core.planner import MAX_STATIONS, Plan, compare, plan
from sgz_core.rules.funding import base_shares as fund2_base_shares
from sgz_core.testing import strategies as sgz
from sgz_core.values import TrancheSpec

ROOT = Path(__file__).resolve().parents[2]
P, C, D = FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT
CHENGGUAN = profiles.builtin()
START = dt.date(2024, 7, 1)


def _guangdong() -> profiles.Profile:
    import tomllib

    text = (ROOT / "examples" / "profiles" / "guangdong-shuangbai.toml").read_text("utf-8")
    return profiles.from_dict(tomllib.loads(text, parse_float=Decimal), "guangdong.toml")


# --- properties --------------------------------------------------------------------------------


@given(st.data())
def test_level_budgets_sum_to_the_stations_times_the_contract_value(data: st.DataObject) -> None:
    profile = data.draw(sgz.profiles())
    p = data.draw(sgz.plans(profile=profile))
    for y in p.years:
        policy = profile.at(y.start)  # the policy of the year's first day (PROF-1)
        assert y.station_value == policy.min_station_funding
        assert sum(y.levels.values(), ZERO) == p.stations * y.station_value == y.total
        assert sum(y.station_shares.values(), ZERO) == y.station_value
        assert set(y.levels) == set(policy.cofunding_ratio)
        for level, share in y.station_shares.items():
            assert y.levels[level] == p.stations * share
    assert p.total == sum((y.total for y in p.years), ZERO)
    assert sum(p.totals.values(), ZERO) == p.total


@given(st.data())
def test_the_cash_flow_sums_to_the_budget(data: st.DataObject) -> None:
    profile = data.draw(sgz.profiles())
    p = data.draw(sgz.plans(profile=profile))
    for y in p.years:
        policy = profile.at(y.start)
        months = y.cash_flow()
        assert sum((m.total for m in months), ZERO) == y.total
        for level in y.levels:
            assert sum((m.levels[level] for m in months), ZERO) == y.levels[level]
            assert sum((t.levels[level] for t in y.tranches), ZERO) == y.levels[level]
        # the months run without a gap from the year's first month, every tranche in its month
        assert months[0].month == y.start.replace(day=1)
        assert all(
            b.month == (a.month + dt.timedelta(days=32)).replace(day=1)
            for a, b in itertools.pairwise(months)
        )
        for t in y.tranches:
            assert t.total == p.stations * t.per_station
            assert all(part >= 0 for part in t.levels.values())
            deadline = policy.evaluation_deadline_days
            expected = {
                Milestone.CONTRACT_SIGNED: y.start,
                Milestone.MID_TERM: y.start + dt.timedelta(days=deadline[EvaluationKind.MID_TERM]),
                Milestone.FINAL: y.start + dt.timedelta(days=deadline[EvaluationKind.FINAL]),
            }[t.milestone]
            assert t.date == expected
        # one station's tranches are the schedule's (PAY-1)
        shares = [s.share for s in policy.tranches]
        assert [t.per_station for t in y.tranches] == allocate(y.station_value, shares)
    calendar = p.cash_flow()
    assert sum((m.total for m in calendar), ZERO) == p.total
    for level in p.levels:
        assert sum((m.levels[level] for m in calendar), ZERO) == p.totals[level]


@given(st.data())
def test_vs_the_same_profile_is_zero_everywhere(data: st.DataObject) -> None:
    profile = data.draw(sgz.profiles())
    p = data.draw(sgz.plans(profile=profile))
    again = plan(p.stations, profile, p.start, len(p.years))
    c = compare(p, again)
    assert c.total == 0 and all(v == 0 for v in c.totals.values())
    for d in c.years:
        assert d.total == 0 and all(v == 0 for v in d.levels.values())
        assert d.base == d.other


@given(st.data())
def test_vs_is_the_other_minus_the_base(data: st.DataObject) -> None:
    base, other = data.draw(sgz.profiles()), data.draw(sgz.profiles())
    stations = data.draw(sgz.station_counts(max_value=1000))
    start, years = data.draw(sgz.plan_starts()), data.draw(st.integers(1, 4))
    a, b = plan(stations, base, start, years), plan(stations, other, start, years)
    c = compare(a, b)
    assert c.total == b.total - a.total
    for d, ya, yb in zip(c.years, a.years, b.years, strict=True):
        assert d.total == yb.total - ya.total
        for level in c.levels:
            assert d.levels[level] == yb.levels.get(level, ZERO) - ya.levels.get(level, ZERO)
    assert sum(c.totals.values(), ZERO) == c.total


@given(
    sgz.station_counts(max_value=500),
    sgz.plan_starts(last=dt.date(2050, 12, 31)),
    st.integers(1, 4),
    st.data(),
)
def test_a_change_dated_mid_year_applies_from_the_next_year(
    stations: int, start: dt.date, years: int, data: st.DataObject
) -> None:
    """PROF-1: a value dated after year k's first day (its mid-term, say) changes nothing in
    year k and applies from the first year that starts on or after it."""
    k = data.draw(st.integers(1, years))
    first, nxt = add_years(start, k - 1), add_years(start, k)
    change = data.draw(st.dates(first + dt.timedelta(days=1), nxt - dt.timedelta(days=1)))
    value = data.draw(sgz.parameter_values("min_station_funding"))
    ratio = data.draw(sgz.parameter_values("cofunding_ratio"))
    changed = CHENGGUAN.override("min_station_funding", change, value).override(
        "cofunding_ratio", change, ratio
    )
    before = plan(stations, CHENGGUAN, start, years + 1)
    after = plan(stations, changed, start, years + 1)
    for old, new in zip(before.years, after.years, strict=True):
        if new.year <= k:
            assert new == old
        else:
            assert new.station_value == value
            assert dict(new.station_shares) == dict(fund2_base_shares(value, ratio))


@given(st.decimals(0, 10**6, places=2), st.lists(st.integers(0, 9), min_size=1, max_size=5))
def test_a_tranche_split_never_takes_more_than_a_level_has_left(
    amount: Decimal, weights: list[int]
) -> None:
    levels = list(FundingSource)[: len(weights)]
    if not any(weights):
        weights = [1, *weights[1:]]
    remaining = dict(zip(levels, allocate(amount, weights), strict=True))
    tranches = allocate(amount, [Decimal("0.6"), Decimal("0.3"), Decimal("0.1")])
    for tranche in tranches:
        parts = planner.split_tranche(tranche, remaining)
        assert sum(parts.values(), ZERO) == tranche
        for level, part in parts.items():
            assert 0 <= part <= remaining[level]
            remaining[level] -= part
    assert all(v == 0 for v in remaining.values())


# --- examples ---------------------------------------------------------------------------------


def test_chengguan_three_stations() -> None:
    p = plan(3, CHENGGUAN, START)
    assert [y.start for y in p.years] == [START, dt.date(2025, 7, 1), dt.date(2026, 7, 1)]
    assert p.years[0].end == dt.date(2025, 6, 30)
    y = p.year(1)
    assert dict(y.levels) == {
        P: Decimal("150000.00"),
        C: Decimal("150000.00"),
        D: Decimal("150000.00"),
    }
    assert [(t.milestone, t.date, t.total) for t in y.tranches] == [
        (Milestone.CONTRACT_SIGNED, START, Decimal("270000.00")),
        (Milestone.MID_TERM, dt.date(2025, 1, 30), Decimal("135000.00")),  # 213 days on
        (Milestone.FINAL, dt.date(2025, 7, 1), Decimal("45000.00")),  # 365 days on
    ]
    assert p.total == Decimal("1350000.00")
    money = {m.month: m.total for m in p.cash_flow() if m.total}
    assert money == {
        dt.date(2024, 7, 1): Decimal("270000.00"),
        dt.date(2025, 1, 1): Decimal("135000.00"),
        dt.date(2025, 7, 1): Decimal("315000.00"),  # year 1's final and year 2's signing
        dt.date(2026, 1, 1): Decimal("135000.00"),
        dt.date(2026, 7, 1): Decimal("315000.00"),
        dt.date(2027, 1, 1): Decimal("135000.00"),
        dt.date(2027, 7, 1): Decimal("45000.00"),
    }
    # year 1's own cash flow: thirteen months, its final tranche in the thirteenth
    months = y.cash_flow()
    assert len(months) == 13 and months[-1].total == Decimal("45000.00")


def test_shares_that_do_not_divide_are_exact_to_the_fen() -> None:
    odd = CHENGGUAN.override("min_station_funding", profiles.ALWAYS, Decimal("150000.01"))
    y = plan(7, odd, START, 1).year(1)
    assert dict(y.station_shares) == {
        P: Decimal("50000.01"),
        C: Decimal("50000.00"),
        D: Decimal("50000.00"),
    }
    assert dict(y.levels) == {
        P: Decimal("350000.07"),
        C: Decimal("350000.00"),
        D: Decimal("350000.00"),
    }
    # the schedule's 90000.01 / 45000.00 / 15000.00 (programme-format.md), seven times
    assert [t.per_station for t in y.tranches] == [
        Decimal("90000.01"),
        Decimal("45000.00"),
        Decimal("15000.00"),
    ]
    assert [t.total for t in y.tranches] == [
        Decimal("630000.07"),
        Decimal("315000.00"),
        Decimal("105000.00"),
    ]
    assert y.total == Decimal("1050000.07")


def test_one_station_matches_the_disbursement_schedule() -> None:
    """A station funded at the plan's base shares is paid, tranche by tranche, what the plan
    says (PAY-1), and FUND-2's base shares are the plan's."""
    odd = CHENGGUAN.override("min_station_funding", profiles.ALWAYS, Decimal("150000.02"))
    policy = odd.at(START)
    y = plan(1, odd, START, 1).year(1)
    assert dict(y.station_shares) == dict(
        fund2_base_shares(policy.min_station_funding, policy.cofunding_ratio)
    )
    year = ContractYear(
        1,
        START,
        tuple(Funding(level, amount) for level, amount in y.station_shares.items()),
        (
            Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 1, 15), 80, Outcome.PASS),
            Evaluation(EvaluationKind.FINAL, dt.date(2025, 6, 20), 90, Outcome.PASS),
        ),
    )
    paid = year_tranches(Station("s", "白银路街道", "c"), year, policy, dt.date(2025, 12, 31))
    assert all(t.status is TrancheStatus.DUE for t in paid)
    assert [t.amount for t in paid] == [t.total for t in y.tranches]


def test_guangdong_example_profile() -> None:
    """The example profile's 200,000 at 2:1:1 from 2019-01-01: in the middle of a year that
    began on 2018-07-01, so it applies from year 2 (PROF-1)."""
    gd = _guangdong()
    p = plan(10, gd, dt.date(2018, 7, 1), 3)
    assert dict(p.year(1).levels) == {
        P: Decimal("500000.00"),
        C: Decimal("500000.00"),
        D: Decimal("500000.00"),
    }
    for n in (2, 3):
        assert p.year(n).station_value == Decimal("200000.00")
        assert dict(p.year(n).levels) == {
            P: Decimal("1000000.00"),
            C: Decimal("500000.00"),
            D: Decimal("500000.00"),
        }
    c = compare(plan(10, CHENGGUAN, dt.date(2018, 7, 1), 3), p)
    assert [d.total for d in c.years] == [Decimal(0), Decimal("500000.00"), Decimal("500000.00")]
    assert dict(c.totals) == {P: Decimal("1000000.00"), C: Decimal(0), D: Decimal(0)}


def test_levels_a_ratio_adds_or_drops_are_compared_as_zero() -> None:
    four = CHENGGUAN.override(
        "cofunding_ratio",
        dt.date(2025, 7, 1),
        {"province": 1, "city": 1, "district": 1, "street": 1},
    )
    p = plan(2, four, START, 2)
    assert p.levels == (P, C, D, FundingSource.STREET)
    assert FundingSource.STREET not in p.year(1).levels
    assert p.year(2).levels[FundingSource.STREET] == Decimal("75000.00")
    assert p.totals[FundingSource.STREET] == Decimal("75000.00")
    c = compare(plan(2, CHENGGUAN, START, 2), p)
    assert c.levels == (P, C, D, FundingSource.STREET)
    assert dict(c.years[1].levels) == {
        P: Decimal("-25000.00"),
        C: Decimal("-25000.00"),
        D: Decimal("-25000.00"),
        FundingSource.STREET: Decimal("75000.00"),
    }
    assert c.total == 0  # the same 150,000 a station, split four ways instead of three


def test_tranches_of_any_plan_and_zero_funding() -> None:
    two = CHENGGUAN.override(
        "tranches",
        profiles.ALWAYS,
        (
            TrancheSpec(Milestone.CONTRACT_SIGNED, Decimal("0.5")),
            TrancheSpec(Milestone.FINAL, Decimal("0.5")),
        ),
    ).override("min_station_funding", profiles.ALWAYS, Decimal("0.01"))
    y = plan(3, two, START, 1).year(1)
    assert [t.per_station for t in y.tranches] == [Decimal("0.01"), Decimal("0.00")]
    assert y.total == Decimal("0.03")
    free = CHENGGUAN.override("min_station_funding", profiles.ALWAYS, Decimal(0))
    assert plan(5, free, START, 2).total == 0


@pytest.mark.parametrize(
    ("stations", "start", "years", "key"),
    [
        (0, START, 3, "stations"),
        (-1, START, 3, "stations"),
        (MAX_STATIONS + 1, START, 3, "stations"),
        (True, START, 3, "stations"),
        ("3", START, 3, "stations"),
        (3, START, 0, "years"),
        (3, START, 100, "years"),
        (3, START, None, "years"),
        (3, dt.datetime(2024, 7, 1), 3, "start"),
        (3, "2024-07-01", 3, "start"),
        (3, dt.date(9987, 1, 1), 3, "start"),
    ],
)
def test_bad_arguments_are_invalid_input(
    stations: object, start: object, years: object, key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        plan(stations, CHENGGUAN, start, years)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == key
    (problem,) = [p for p in planner.request_problems(stations, start, years) if p[0] == key]
    assert problem[1].zh != problem[1].en


def test_the_largest_plan_fits_the_calendar() -> None:
    last = dt.date(planner.LAST_PLANNED_YEAR - 99, 12, 31)
    deadline = CHENGGUAN.override(
        "evaluation_deadline_days", profiles.ALWAYS, {"mid_term": 3660, "final": 3660}
    )
    p = plan(MAX_STATIONS, deadline, last, 99)
    assert p.total == MAX_STATIONS * 99 * Decimal("150000.00")
    assert planner.request_problems(MAX_STATIONS, last, 99) == []


def test_plans_of_different_requests_do_not_compare() -> None:
    with pytest.raises(InvalidInput, match="same stations"):
        compare(plan(3, CHENGGUAN, START), plan(4, CHENGGUAN, START))


def test_an_absurd_minimum_funding_is_invalid_input_not_a_rounded_amount() -> None:
    huge = CHENGGUAN.override("min_station_funding", profiles.ALWAYS, Decimal(10) ** 20)
    assert plan(99, huge, START, 99).total == 99 * 99 * Decimal(10) ** 20
    with pytest.raises(InvalidInput, match="budget below"):
        plan(100, huge, START, 1)


def test_the_strategies_refuse_impossible_bounds() -> None:
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="station_counts"):
        sgz.station_counts(max_value=0)
    with pytest.raises(InvalidArgument, match="plan_starts"):
        sgz.plan_starts(first=dt.date(2025, 1, 1), last=dt.date(2024, 1, 1))


@given(sgz.plans(stations=2, start=START, years=st.integers(1, 2), profile=CHENGGUAN))
def test_plans_takes_values_and_strategies(p: Plan) -> None:
    assert p.stations == 2 and p.start == START and 1 <= len(p.years) <= 2
    assert p.years[0].station_value == Decimal("150000.00")
