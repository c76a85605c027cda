"""Amounts near the file's bound (a station-year under 10**26 yuan) are 28 digits with the fen,
Decimal's default precision: a sum over station-years, or a product with a ratio's weight, has
more. Every result must be the one worked out exactly: the same, to the digit, as when the
whole computation runs with room to spare (FUND-2, FUND-5, FUND-8, PAY-1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.disbursement import schedule
from sgz_core.enums import FundingSource
from sgz_core.fund_ledger import by_source, programme_ledgers
from sgz_core.fund_ledger import totals as ledger_totals
from sgz_core.model import (
    Contractor,
    ContractYear,
    Funding,
    HardshipRelief,
    Programme,
    Station,
)
from sgz_core.payments import apply_payments, totals
from sgz_core.profiles import Profile
from sgz_core.rules import check
from sgz_core.testing import strategies as s

START = dt.date(2024, 7, 1)
USCC = "52620102MJA000010R"
BOUND = Decimal(10) ** 26
"""The file's bound on a station-year's funding, receipts or expenses (each summed)."""


def _year_groups(y: ContractYear) -> tuple[tuple[Any, ...], ...]:
    return (tuple(y.funding), tuple(y.receipts), tuple(y.expenses))


def _groups(programme: Programme) -> list[Decimal]:
    """What the bound is on: each year's funding, receipts and expenses summed, and each
    hardship-relief amount."""
    out = [
        sum((x.amount for x in items), Decimal(0))
        for st_ in programme.stations
        for y in st_.years
        for items in (y.funding, y.receipts, y.expenses)
    ]
    out += [a for h in programme.hardship_relief for a in (h.budget, h.social_work)]
    return out


def _power(*sums: Decimal) -> int:
    """The largest power of ten that keeps each of ``sums`` (and the fen added) under the bound."""
    top = max(sums, default=Decimal(0)) + 100
    power = 0
    while top.scaleb(power + 1) < BOUND:
        power += 1
    return power


def _scaled(programme: Programme, data: st.DataObject) -> Programme:
    """``programme`` with the amounts of each station-year (and of each hardship-relief entry)
    times the largest power of ten that keeps each sum the bound is on under 10**26 yuan, plus
    a drawn number of fen: amounts of up to 28 digits, in the generated ratios within a year,
    whose sums over station-years have more digits than Decimal's default precision."""

    def fen() -> Decimal:
        return Decimal(data.draw(st.integers(0, 99))).scaleb(-2)

    def year(y: ContractYear) -> ContractYear:
        power = _power(*(sum((x.amount for x in g), Decimal(0)) for g in _year_groups(y)))
        return attrs.evolve(
            y,
            funding=[attrs.evolve(f, amount=f.amount.scaleb(power) + fen()) for f in y.funding],
            receipts=[attrs.evolve(r, amount=r.amount.scaleb(power) + fen()) for r in y.receipts],
            expenses=[attrs.evolve(e, amount=e.amount.scaleb(power) + fen()) for e in y.expenses],
        )

    def relief(h: HardshipRelief) -> HardshipRelief:
        power = _power(h.budget, h.social_work)
        return attrs.evolve(
            h,
            budget=h.budget.scaleb(power) + fen(),
            social_work=h.social_work.scaleb(power) + fen(),
        )

    with localcontext(prec=100):
        stations = tuple(
            attrs.evolve(st_, years=tuple(year(y) for y in st_.years)) for st_ in programme.stations
        )
        reliefs = tuple(relief(h) for h in programme.hardship_relief)
    scaled = attrs.evolve(programme, stations=stations, hardship_relief=reliefs)
    assert all(total < BOUND for total in _groups(scaled))
    return scaled


def _everything(programme: Programme, profile: Profile, on: dt.date) -> str:
    """Every money result of the programme on ``on``, as text (``repr`` keeps each Decimal's
    digits and exponent: ``2.000E+26`` is not ``199999999999999999999999999.98``)."""
    applied = apply_payments(schedule(programme, profile, on), [], on)
    ledgers = programme_ledgers(programme, profile, on=on)
    return repr(
        (
            totals(applied),
            check(programme, profile, on),
            ledger_totals(ledger.total for ledger in ledgers),
            by_source(ledgers),
        )
    )


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_money_near_the_bound_is_worked_exactly_whatever_the_precision(
    data: st.DataObject,
) -> None:
    programme = _scaled(data.draw(s.programmes()), data)
    # a ratio of other weights than 1:1:1 (FUND-2), other shares and tranches (PAY-1)
    profile = data.draw(s.profiles(dated=False))
    on = programme.start + dt.timedelta(days=data.draw(st.integers(0, 4 * 366)))
    found = _everything(programme, profile, on)
    with localcontext(prec=400):
        assert found == _everything(programme, profile, on)


def test_fund_2_compares_amounts_of_28_digits_with_a_ratio_exactly() -> None:
    """Province, city and district of about 10**25 yuan each in the ratio 0.5:1:3: worked
    exactly, the city gives a fen more than its share and the district a fen less, which is off
    the ratio (FUND-2 allows less than a fen: a warning); worked to Decimal's 28 digits, the
    products with the weights were rounded and the year passed."""
    ratio = {"province": Decimal("0.5"), "city": Decimal(1), "district": Decimal(3)}
    profile = profiles.builtin().override("cofunding_ratio", START, ratio)
    amounts = (
        "6815512628238138795534473.10",
        "13631025256476277591068946.21",
        "40893075769428832773206838.59",
    )
    year = ContractYear(
        1,
        signed=START,
        funding=[
            Funding(source, Decimal(a))
            for source, a in zip(
                (FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT),
                amounts,
                strict=True,
            )
        ],
    )
    programme = Programme(
        "p",
        "一一街道社工站项目",
        START,
        contractors=(Contractor("hexin", "兰州市和信社会工作服务中心", USCC),),
        stations=(Station("a", "甲街道", "hexin", years=(year,)),),
    )
    found = check(programme, profile, START, only=["FUND-2"])
    with localcontext(prec=400):
        assert check(programme, profile, START, only=["FUND-2"]) == found
    assert [(f.rule, f.severity.value, f.station, f.year) for f in found] == [
        ("FUND-2", "warning", "a", 1)
    ]
    assert "0.5:1:3" in found[0].message
