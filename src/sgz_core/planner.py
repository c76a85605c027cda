"""The budget planner (``sgz plan``): what each co-funding level must budget per contract year for
N stations, the month-by-month cash flow of the tranches, and what a change of policy costs.

Pure: the number of stations, the profile and the start day come in; a :class:`Plan` comes out.

- **Budget** (FUND-1, FUND-2). A station's contract value in a year is the profile's
  ``min_station_funding``; each level's base share of it is that value split by the
  ``cofunding_ratio`` (largest remainder, exact to the fen: ``150000.01`` at 1:1:1 gives
  ``50000.01``, ``50000.00``, ``50000.00``). A level budgets the stations times its base share.
- **PROF-1.** Every number of a contract year is the one in force on that year's first day, so a
  change dated in the middle of a year applies from the next year that starts on or after it.
- **Tranches** (PAY-1). One station's contract value is split into the profile's ``tranches``
  as the disbursement schedule splits it, and each tranche into the levels' parts, tranche by
  tranche, in proportion to what each level still has to pay of its share (largest remainder
  again), so the last tranche takes exactly what is left: the tranches of a level sum to its
  share and the levels of a tranche to the tranche. The plan is that one station's plan times
  the stations, so it matches the schedule of N stations funded at the base shares fen for fen.
- **Months.** The contract-signed tranche falls in the year's first month; the mid-term and
  final tranches in the month of the profile's ``evaluation_deadline_days`` after the year's
  first day (local practice: 213 and 365 days in Chengguan), the day by which each evaluation
  is due, so the latest its tranche is paid. A year's final tranche thus often falls in the
  first month of the next year: it is still that year's money.

Every amount is a ``Decimal`` exact to the fen; totals are the sums of their parts, exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from sgz_core.enums import EvaluationKind, FundingSource, Milestone
from sgz_core.errors import InvalidInput, NotFound, Problem
from sgz_core.limits import DEFAULT_YEARS, MAX_STATIONS
from sgz_core.model import MAX_YEARS, Money, add_years
from sgz_core.money import FEN, ZERO, allocate
from sgz_core.performance.types import MAX_DEADLINE_DAYS
from sgz_core.profiles import Policy, Profile
from sgz_core.text import Text, refusal
from sgz_core.values import FrozenMap

MAX_YEAR_BUDGET = Decimal(10) ** 22
"""A year's budget must be below this (yuan), so that 99 years of it, to the fen, stay within
the 28 digits of the decimal context; only an absurd ``min_station_funding`` reaches it."""

LAST_PLANNED_YEAR = dt.MAXYEAR - (MAX_DEADLINE_DAYS // 365 + 1)
"""The calendar year by which a plan's last contract year must end, so that every evaluation
deadline (at most ``MAX_DEADLINE_DAYS`` after a year's first day) is still a date."""

_EVALUATION_OF = {
    Milestone.MID_TERM: EvaluationKind.MID_TERM,
    Milestone.FINAL: EvaluationKind.FINAL,
}

Amounts = FrozenMap[FundingSource, Money]
"""An amount per co-funding level."""


def _money(value: Decimal) -> Money:
    return Money(value.quantize(FEN))


def _amounts(pairs: Iterable[tuple[FundingSource, Decimal]]) -> Amounts:
    return FrozenMap((level, _money(amount)) for level, amount in pairs)


def _sum(values: Iterable[Decimal]) -> Money:
    return _money(sum(values, ZERO))


def month_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s month: how the plan names a month."""
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    if month.month == 12:
        return month.replace(year=month.year + 1, month=1)
    return month.replace(month=month.month + 1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def ordered_levels(levels: Iterable[FundingSource]) -> tuple[FundingSource, ...]:
    """``levels`` once each, in the order of :class:`~sgz_core.enums.FundingSource`."""
    given = set(levels)
    return tuple(level for level in FundingSource if level in given)


def _on(levels: tuple[FundingSource, ...], amounts: Mapping[FundingSource, Decimal]) -> Amounts:
    """``amounts`` over exactly ``levels`` (a level the map lacks has 0.00)."""
    return _amounts((level, amounts.get(level, ZERO)) for level in levels)


@attrs.frozen
class PlannedTranche:
    """One tranche of one contract year for all the stations: its planned day, levels' parts."""

    year: int
    milestone: Milestone
    share: Decimal
    date: dt.date
    """The day the milestone is planned: the year's first day, or an evaluation's deadline."""
    per_station: Money
    """One station's tranche, as the disbursement schedule computes it (PAY-1)."""
    levels: Amounts
    """Each co-funding level's part of the tranche, for all the stations."""

    @property
    def month(self) -> dt.date:
        return month_of(self.date)

    @property
    def total(self) -> Money:
        return _sum(self.levels.values())


@attrs.frozen
class MonthFlow:
    """What is paid out in one month (named by its first day), per level."""

    month: dt.date
    levels: Amounts

    @property
    def total(self) -> Money:
        return _sum(self.levels.values())


def _flows(
    tranches: Iterable[PlannedTranche],
    levels: tuple[FundingSource, ...],
    first: dt.date,
    last: dt.date,
) -> tuple[MonthFlow, ...]:
    """Every month from ``first``'s to ``last``'s (or a later tranche's), the money summed."""
    items = list(tranches)
    end = max([month_of(last), *(t.month for t in items)])
    table: dict[dt.date, dict[FundingSource, Decimal]] = {
        m: dict.fromkeys(levels, ZERO) for m in _months(first, end)
    }
    for t in items:
        cell = table[t.month]
        for level, amount in t.levels.items():
            cell[level] = cell.get(level, ZERO) + amount
    return tuple(MonthFlow(m, _on(levels, cell)) for m, cell in table.items())


@attrs.frozen
class YearBudget:
    """One contract year of the plan, under the policy in force on its first day (PROF-1)."""

    year: int
    start: dt.date
    end: dt.date
    station_value: Money
    """One station's contract value: the profile's minimum funding (FUND-1)."""
    ratio: FrozenMap[FundingSource, Decimal]
    """The co-funding ratio in force (FUND-2)."""
    station_shares: Amounts
    """Each level's base share of one station's contract value (FUND-2)."""
    levels: Amounts
    """What each level must budget: the stations times its base share."""
    tranches: tuple[PlannedTranche, ...]

    @property
    def total(self) -> Money:
        return _sum(self.levels.values())

    def cash_flow(self, levels: tuple[FundingSource, ...] | None = None) -> tuple[MonthFlow, ...]:
        """This year's money month by month, from its first month to its last month or its last
        tranche's, whichever is later; the months sum to the year's budget exactly."""
        return _flows(self.tranches, levels or tuple(self.levels), self.start, self.end)


@attrs.frozen
class Plan:
    """The budget of ``stations`` stations over contract years from ``start`` under a profile."""

    profile: str
    stations: int
    start: dt.date
    years: tuple[YearBudget, ...]

    @property
    def end(self) -> dt.date:
        return self.years[-1].end

    @property
    def levels(self) -> tuple[FundingSource, ...]:
        """Every level some year budgets, in FundingSource order."""
        return ordered_levels(level for y in self.years for level in y.levels)

    @property
    def totals(self) -> Amounts:
        """Each level's budget over all the years."""
        return _amounts(
            (level, sum((y.levels.get(level, ZERO) for y in self.years), ZERO))
            for level in self.levels
        )

    @property
    def total(self) -> Money:
        return _sum(y.total for y in self.years)

    def year(self, number: int) -> YearBudget:
        """Contract year ``number`` (1 to the plan's years); another is :class:`NotFound`."""
        for y in self.years:
            if y.year == number:
                return y
        raise NotFound("contract year", number, [y.year for y in self.years])

    def cash_flow(self) -> tuple[MonthFlow, ...]:
        """Every calendar month from the first year's first month to the last payment (or the
        last year's last month), every year's tranches summed: what leaves the treasury."""
        return _flows(
            (t for y in self.years for t in y.tranches), self.levels, self.start, self.end
        )


@attrs.frozen
class YearDifference:
    """What a change of policy costs in one contract year: ``other − base`` per level."""

    year: int
    base: Amounts
    other: Amounts
    levels: FrozenMap[FundingSource, Decimal]
    """The difference per level; negative where the other policy costs less."""

    @property
    def total(self) -> Decimal:
        return sum(self.levels.values(), ZERO)


@attrs.frozen
class Comparison:
    """Two plans of the same stations and years under two profiles, and their difference."""

    base: Plan
    other: Plan
    levels: tuple[FundingSource, ...]
    years: tuple[YearDifference, ...]

    @property
    def totals(self) -> FrozenMap[FundingSource, Decimal]:
        """The difference per level over all the years."""
        return FrozenMap(
            (level, sum((y.levels[level] for y in self.years), ZERO)) for level in self.levels
        )

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), ZERO)


# --- Checking the request ------------------------------------------------------------------


def request_problems(stations: object, start: object, years: object) -> list[tuple[str, Text]]:
    """What is wrong with a plan's arguments: each key with a message in Chinese and English."""
    found: list[tuple[str, Text]] = []
    if (
        isinstance(stations, bool)
        or not isinstance(stations, int)
        or not 1 <= stations <= MAX_STATIONS
    ):
        found.append(
            (
                "stations",
                Text(
                    f"应为 1 至 {MAX_STATIONS} 的站点数，实为 {stations!r}",
                    f"expected a number of stations from 1 to {MAX_STATIONS}, got {stations!r}",
                ),
            )
        )
    n_years: int | None = None
    if isinstance(years, int) and not isinstance(years, bool) and 1 <= years <= MAX_YEARS:
        n_years = years
    else:
        found.append(
            (
                "years",
                Text(
                    f"应为 1 至 {MAX_YEARS} 的合同年数，实为 {years!r}",
                    f"expected a number of contract years from 1 to {MAX_YEARS}, got {years!r}",
                ),
            )
        )
    if isinstance(start, dt.datetime) or not isinstance(start, dt.date):
        found.append(
            (
                "start",
                Text(
                    f"应为形如 2024-07-01 的日期，实为 {start!r}",
                    f"expected a date like 2024-07-01, got {start!r}",
                ),
            )
        )
    elif n_years is not None and start.year + n_years > LAST_PLANNED_YEAR:
        latest = LAST_PLANNED_YEAR - n_years
        found.append(
            (
                "start",
                Text(
                    f"应为 {latest} 年底之前的开始日期（{n_years} 个合同年及其评估须在日历之内），"
                    f"实为 {start.isoformat()}",
                    f"expected a start by the end of {latest} ({n_years} contract years and "
                    f"their evaluations must fit the calendar), got {start.isoformat()}",
                ),
            )
        )
    return found


# --- Planning ------------------------------------------------------------------------------


def base_shares(value: Decimal, ratio: Mapping[FundingSource, Decimal]) -> Amounts:
    """Each level's base share of a contract value ``value`` (FUND-2; largest remainder)."""
    levels = list(ratio)
    parts = allocate(value, [ratio[level] for level in levels])
    return _amounts(zip(levels, parts, strict=True))


def split_tranche(amount: Decimal, remaining: Mapping[FundingSource, Decimal]) -> Amounts:
    """One tranche's parts by level, in proportion to what each level has still to pay.

    ``amount`` is at most the sum of ``remaining``. A part is never more than its level has
    left, and a tranche equal to all that is left takes exactly that (largest remainder rounds
    a part up only when it has a fraction of a fen)."""
    levels = list(remaining)
    if sum(remaining.values(), ZERO) == 0:
        return _amounts((level, ZERO) for level in levels)
    parts = allocate(amount, [remaining[level] for level in levels])
    return _amounts(zip(levels, parts, strict=True))


def tranche_day(milestone: Milestone, start: dt.date, policy: Policy) -> dt.date:
    """The planned day of ``milestone`` in a year starting ``start``: that day for the signing,
    else the evaluation's deadline (``evaluation_deadline_days``, local practice)."""
    kind = _EVALUATION_OF.get(milestone)
    if kind is None:
        return start
    return start + dt.timedelta(days=policy.evaluation_deadline_days[kind])


def year_budget(
    stations: int, number: int, start: dt.date, end: dt.date, policy: Policy
) -> YearBudget:
    """Contract year ``number`` (``start`` to ``end``) of ``stations`` stations under ``policy``."""
    value = _money(policy.min_station_funding)
    if value * stations >= MAX_YEAR_BUDGET:
        raise InvalidInput(
            [
                Problem(
                    "stations",
                    f"expected a year's budget below {MAX_YEAR_BUDGET:,} yuan, got {stations} "
                    f"stations at {value} yuan in year {number}",
                    zh=f"第 {number} 年的预算应低于 {MAX_YEAR_BUDGET:,} 元，"
                    f"实为 {stations} 个社工站、每站 {value} 元",
                )
            ]
        )
    shares = base_shares(value, policy.cofunding_ratio)
    per_station = allocate(value, [s.share for s in policy.tranches])
    remaining: dict[FundingSource, Decimal] = dict(shares)
    tranches = []
    for spec, amount in zip(policy.tranches, per_station, strict=True):
        parts = split_tranche(amount, remaining)
        for level, part in parts.items():
            remaining[level] -= part
        tranches.append(
            PlannedTranche(
                number,
                spec.milestone,
                spec.share,
                tranche_day(spec.milestone, start, policy),
                _money(amount),
                _amounts((level, part * stations) for level, part in parts.items()),
            )
        )
    if any(left != 0 for left in remaining.values()):  # the tranches sum to the value
        raise AssertionError(f"the tranches left {remaining} of the base shares unplanned")
    return YearBudget(
        number,
        start,
        end,
        value,
        policy.cofunding_ratio,
        shares,
        _amounts((level, share * stations) for level, share in shares.items()),
        tuple(tranches),
    )


def plan(stations: int, profile: Profile, start: dt.date, years: int = DEFAULT_YEARS) -> Plan:
    """The budget and cash flow of ``stations`` stations for ``years`` contract years from
    ``start``, each year under the policy in force on its first day (PROF-1).

    Bad arguments are :class:`~sgz_core.errors.InvalidInput` naming the key; a profile with no
    value in force on a year's first day is a :class:`~sgz_core.errors.ProfileError`."""
    problems = request_problems(stations, start, years)
    if problems:
        raise InvalidInput([Problem(key, text.en, zh=text.zh) for key, text in problems])
    budgets = []
    for number in range(1, years + 1):
        first = add_years(start, number - 1)
        last = add_years(start, number) - dt.timedelta(days=1)
        budgets.append(year_budget(stations, number, first, last, profile.at(first)))
    return Plan(profile.id, stations, start, tuple(budgets))


def compare(base: Plan, other: Plan) -> Comparison:
    """What ``other`` costs more than ``base`` (negative: less), per level and contract year.

    Both must plan the same stations from the same start over the same number of years."""
    if (base.stations, base.start, len(base.years)) != (
        other.stations,
        other.start,
        len(other.years),
    ):
        here = f"{base.stations}/{base.start}/{len(base.years)}"
        there = f"{other.stations}/{other.start}/{len(other.years)}"
        raise refusal(
            Text(
                f"应为站点数、起始日与年数都相同的两份规划，实为 {here} 与 {there}",
                f"expected two plans of the same stations, start and years, got {here} and {there}",
            ),
            "vs",
        )
    levels = ordered_levels([*base.levels, *other.levels])
    differences = []
    for mine, theirs in zip(base.years, other.years, strict=True):
        a, b = _on(levels, mine.levels), _on(levels, theirs.levels)
        differences.append(
            YearDifference(
                mine.year, a, b, FrozenMap((level, b[level] - a[level]) for level in levels)
            )
        )
    return Comparison(base, other, levels, tuple(differences))


__all__ = [
    "DEFAULT_YEARS",
    "LAST_PLANNED_YEAR",
    "MAX_STATIONS",
    "MAX_YEAR_BUDGET",
    "Amounts",
    "Comparison",
    "MonthFlow",
    "Plan",
    "PlannedTranche",
    "YearBudget",
    "YearDifference",
    "base_shares",
    "compare",
    "month_of",
    "ordered_levels",
    "plan",
    "request_problems",
    "split_tranche",
    "tranche_day",
    "year_budget",
]
