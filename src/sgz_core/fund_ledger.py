"""The fund ledger of a station-year: per fund, on a day, what was pledged, received, paid out,
spent and committed, and the balance (FUND-6, FUND-7, FUND-8). Pure: the day is an argument.

Definitions, per fund (a :class:`~sgz_core.enums.FundingSource`) of one station-year, on day
``on`` (every amount exact to the fen):

- **pledged**: the year's funding lines of that source (undated: what was promised);
- **received**: its receipts dated on or before ``on``;
- **spent**: the expenses booked to it dated on or before ``on``;
- **committed**: the expenses booked to it dated **after** ``on`` (spending already booked
  for a later day: salaries, rent), not pledged money still to come;
- **balance**: ``received - spent`` (negative: the fund is overdrawn on that day);
- **outstanding**: ``pledged - received`` (what is still to arrive; negative: more arrived than
  was pledged);
- **paid_out**: for the co-funding levels only (province, city, district), their part of the
  recorded payments to the contractor dated on or before ``on``: each payment is split over the
  levels in proportion to what they pledged (largest remainder, exact to the fen; in equal parts
  when none pledged anything). Zero for the other sources.

The ledger lists every source that has a funding line, a receipt or an expense in the year,
or a part of its payments (``paid_out`` above zero), in the order of
:class:`~sgz_core.enums.FundingSource`; lottery welfare money (FUND-6) and a charity's
social-work fund (FUND-7) are funds of their own, like every other source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from sgz_core.enums import FundingSource
from sgz_core.model import RING_FENCED, ContractYear, Money, Programme
from sgz_core.money import ZERO, allocate, exact
from sgz_core.profiles import Profile

PaidOut = tuple[dt.date, Money]
"""A recorded payment to the contractor: its date and amount (the schedule's tranches)."""


def _sum(amounts: Iterable[Decimal]) -> Money:
    with exact():
        return Money(sum(amounts, ZERO))


@attrs.frozen
class Amounts:
    """The ledger's numbers for one fund, or summed over funds."""

    pledged: Money
    received: Money
    paid_out: Money
    spent: Money
    committed: Money

    @property
    def balance(self) -> Decimal:
        """``received - spent``; negative when the fund is overdrawn."""
        with exact():
            return self.received - self.spent

    @property
    def outstanding(self) -> Decimal:
        """``pledged - received``; negative when more arrived than was pledged."""
        with exact():
            return self.pledged - self.received


@attrs.frozen
class FundLine(Amounts):
    """One fund of a station-year in the ledger."""

    source: FundingSource = attrs.field(kw_only=True)
    purposes: tuple[str, ...] = ()
    """What a ring-fenced fund (``external``, ``charity``) may pay for (FUND-8)."""

    @property
    def ring_fenced(self) -> bool:
        return self.source in RING_FENCED


@attrs.frozen
class StationYearLedger:
    """The fund ledger of one station-year on one day."""

    station: str
    year: int
    on: dt.date
    funds: tuple[FundLine, ...]
    receipts_recorded: bool
    """Whether the year records receipts (FUND-8 then judges every fund against them)."""

    @property
    def total(self) -> Amounts:
        return totals(self.funds)

    def fund(self, source: FundingSource) -> FundLine | None:
        return next((f for f in self.funds if f.source is source), None)


def totals(lines: Iterable[Amounts]) -> Amounts:
    """The sums of ``lines``, field by field."""
    items = list(lines)
    return Amounts(
        pledged=_sum(x.pledged for x in items),
        received=_sum(x.received for x in items),
        paid_out=_sum(x.paid_out for x in items),
        spent=_sum(x.spent for x in items),
        committed=_sum(x.committed for x in items),
    )


def paid_out_by_level(
    year: ContractYear,
    levels: Sequence[FundingSource],
    payments: Sequence[PaidOut],
    on: dt.date,
) -> dict[FundingSource, Money]:
    """Each co-funding level's part of the payments dated on or before ``on``."""
    out = {level: Money(ZERO) for level in levels}
    if not levels:
        return out
    weights: list[Decimal] = [year.funded_by(level) for level in levels]
    if sum(weights, ZERO) == 0:
        weights = [Decimal(1)] * len(levels)
    for day, amount in payments:
        if day <= on:
            for level, part in zip(levels, allocate(amount, weights), strict=True):
                with exact():  # several payments: more than 28 digits
                    out[level] = Money(out[level] + part)
    return out


def fund_ledger(
    year: ContractYear,
    *,
    station: str,
    on: dt.date,
    cofunding_levels: Sequence[FundingSource],
    payments: Sequence[PaidOut] = (),
) -> StationYearLedger:
    """The ledger of contract year ``year`` of ``station`` on day ``on``.

    ``cofunding_levels``: the sources that make the contract value (the policy's
    ``cofunding_levels``); ``payments``: the recorded payments of that station-year to the
    contractor, as ``(date, amount)`` pairs, whatever records them.
    """
    used = (
        {f.source for f in year.funding}
        | {r.source for r in year.receipts}
        | {e.fund for e in year.expenses}
    )
    paid = paid_out_by_level(year, cofunding_levels, payments, on)
    lines = []
    for source in FundingSource:
        if source not in used and not paid.get(source):
            continue
        lines.append(
            FundLine(
                pledged=year.funded_by(source),
                received=_sum(
                    r.amount for r in year.receipts if r.source is source and r.date <= on
                ),
                paid_out=paid.get(source, Money(ZERO)),
                spent=_sum(e.amount for e in year.expenses if e.fund is source and e.date <= on),
                committed=_sum(e.amount for e in year.expenses if e.fund is source and e.date > on),
                source=source,
                purposes=year.purposes_of(source) if source in RING_FENCED else (),
            )
        )
    return StationYearLedger(station, year.year, on, tuple(lines), bool(year.receipts))


def programme_ledgers(
    programme: Programme,
    profile: Profile,
    *,
    on: dt.date,
    station: str | None = None,
    year: int | None = None,
    payments: Mapping[tuple[str, int], Sequence[PaidOut]] | None = None,
) -> tuple[StationYearLedger, ...]:
    """The ledgers of every station-year of ``programme`` (or of one station, one year).

    The co-funding levels of each year are the policy's in force on the year's first day;
    ``payments`` gives each ``(station, year)`` its recorded payments."""
    out = []
    for s, y in programme.station_years():
        if (station is None or s.id == station) and (year is None or y.year == year):
            policy = profile.at(programme.year_start(y.year))
            out.append(
                fund_ledger(
                    y,
                    station=s.id,
                    on=on,
                    cofunding_levels=policy.cofunding_levels,
                    payments=(payments or {}).get((s.id, y.year), ()),
                )
            )
    return tuple(out)


def by_source(ledgers: Iterable[StationYearLedger]) -> dict[FundingSource, Amounts]:
    """Each source's amounts summed over ``ledgers`` (sources in enumeration order)."""
    lines: dict[FundingSource, list[FundLine]] = {}
    for ledger in ledgers:
        for line in ledger.funds:
            lines.setdefault(line.source, []).append(line)
    return {source: totals(lines[source]) for source in FundingSource if source in lines}


@attrs.frozen
class Overdraft:
    """A fund that pays out more than it has (FUND-8)."""

    source: FundingSource
    spent: Money
    available: Money
    day: dt.date | None
    """The first day the fund is overdrawn against its receipts; ``None``: judged against its
    pledged funding over the whole year (the year records no receipts)."""
    exists: bool
    """Whether the fund has any money in the year: a receipt or a funding line when receipts
    are recorded, else pledged funding above zero."""


def overdrafts(year: ContractYear) -> list[Overdraft]:
    """The funds of ``year`` that its expenses overdraw, in the order they are first booked.

    When the year records receipts, every fund is judged day by day against what it had
    received by each expense's date (receipts of a day count before its expenses); otherwise
    against its pledged funding, over the whole year.
    """
    booked: dict[FundingSource, list[tuple[dt.date, Decimal]]] = {}
    for expense in year.expenses:
        booked.setdefault(expense.fund, []).append((expense.date, expense.amount))
    out = []
    for fund, items in booked.items():
        exists = any(f.source is fund for f in year.funding) or any(
            r.source is fund for r in year.receipts
        )
        if not year.receipts:
            spent, available = _sum(a for _, a in items), year.funded_by(fund)
            if spent > available or available == 0:
                out.append(Overdraft(fund, spent, available, None, available > 0))
            continue
        if not exists:
            out.append(Overdraft(fund, _sum(a for _, a in items), Money(ZERO), None, False))
            continue
        receipts = sorted((r.date, r.amount) for r in year.receipts if r.source is fund)
        by_day: dict[dt.date, Decimal] = {}
        for day, amount in items:
            by_day[day] = by_day.get(day, ZERO) + amount
        so_far, had, k = ZERO, ZERO, 0
        for day in sorted(by_day):  # one pass: running sums, a day's receipts first
            so_far += by_day[day]
            while k < len(receipts) and receipts[k][0] <= day:
                had += receipts[k][1]
                k += 1
            if so_far > had:
                out.append(Overdraft(fund, Money(so_far), Money(had), day, True))
                break
    return out


__all__ = [
    "Amounts",
    "FundLine",
    "Overdraft",
    "PaidOut",
    "StationYearLedger",
    "by_source",
    "fund_ledger",
    "overdrafts",
    "paid_out_by_level",
    "programme_ledgers",
    "totals",
]
