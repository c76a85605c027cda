"""The fund ledger (FUND-6, FUND-7, FUND-8), pinned: whole ledgers, lines and overdrafts.

``test_fund_ledger.py`` checks properties and a few numbers; these tests compare whole
``StationYearLedger``, ``FundLine``, ``Amounts`` and ``Overdraft`` values, put receipts, expenses
and payments exactly on the day asked about and one day either side, overdraw a fund by exactly
one fen and stop one fen short, and use co-funding levels other than the default three. What they
kill under mutation testing is listed in docs/testing.md (issue 13).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from sgz_core import profiles
from sgz_core.enums import FundingSource
from sgz_core.fund_ledger import (
    Amounts,
    FundLine,
    Overdraft,
    StationYearLedger,
    by_source,
    fund_ledger,
    overdrafts,
    paid_out_by_level,
    programme_ledgers,
    totals,
)
from sgz_core.model import (
    Contractor,
    ContractYear,
    Expense,
    Funding,
    Programme,
    Receipt,
    Station,
)

P, C, DI, ST = (
    FundingSource.PROVINCE,
    FundingSource.CITY,
    FundingSource.DISTRICT,
    FundingSource.STREET,
)
LOTTERY, CHARITY, EXTERNAL = FundingSource.LOTTERY, FundingSource.CHARITY, FundingSource.EXTERNAL
LEVELS = (P, C, DI)
D = Decimal
ON = dt.date(2025, 1, 15)
BEFORE, AFTER = ON - dt.timedelta(days=1), ON + dt.timedelta(days=1)
PROFILE = profiles.builtin()


def m(x: str) -> Decimal:
    return D(x).quantize(D("0.01"))


def line(
    source: FundingSource,
    pledged: str = "0",
    received: str = "0",
    paid_out: str = "0",
    spent: str = "0",
    committed: str = "0",
    purposes: tuple[str, ...] = (),
) -> FundLine:
    return FundLine(
        m(pledged),
        m(received),
        m(paid_out),
        m(spent),
        m(committed),
        source=source,
        purposes=purposes,
    )


def exp(day: dt.date, fund: FundingSource, amount: str, category: str = "posts") -> Expense:
    return Expense(day, category, fund, D(amount))


# --- amounts -------------------------------------------------------------------------------------


def test_balance_and_outstanding_are_differences_and_may_be_negative() -> None:
    a = Amounts(m("100"), m("30.01"), m("7"), m("40.02"), m("5"))
    assert (a.balance, a.outstanding) == (D("-10.01"), D("69.99"))
    b = Amounts(m("10"), m("10.01"), m("0"), m("0"), m("0"))
    assert (b.balance, b.outstanding) == (D("10.01"), D("-0.01"))


def test_totals_sum_each_field_on_its_own() -> None:
    lines = [
        Amounts(m("1"), m("20"), m("300"), m("4000"), m("50000")),
        line(C, "0.01", "0.02", "0.03", "0.04", "0.05"),
    ]
    assert totals(lines) == Amounts(m("1.01"), m("20.02"), m("300.03"), m("4000.04"), m("50000.05"))
    empty = totals([])
    assert empty == Amounts(m("0"), m("0"), m("0"), m("0"), m("0"))
    assert [str(x) for x in attrs.astuple(empty)] == ["0.00"] * 5
    assert totals(iter(lines)) == totals(lines)  # an iterator is read once


def test_only_external_and_charity_money_is_ring_fenced() -> None:
    assert [s for s in FundingSource if line(s).ring_fenced] == [CHARITY, EXTERNAL]
    assert FundLine(m("0"), m("0"), m("0"), m("0"), m("0"), source=P).purposes == ()


# --- paid out ------------------------------------------------------------------------------------


def test_paid_out_counts_payments_on_the_day_and_not_after() -> None:
    year = ContractYear(1, funding=[Funding(P, 100), Funding(C, 300)])
    paid = [(BEFORE, D("4.00")), (ON, D("0.04")), (AFTER, D("400"))]
    assert paid_out_by_level(year, (P, C), paid, ON) == {P: D("1.01"), C: D("3.03")}
    assert paid_out_by_level(year, (P, C), paid, BEFORE) == {P: D("1.00"), C: D("3.00")}
    assert paid_out_by_level(year, (P, C), paid, AFTER) == {P: D("101.01"), C: D("303.03")}


def test_paid_out_splits_each_payment_on_its_own_by_largest_remainder() -> None:
    """0.01 paid twice over 1:1 goes to the first level twice (each split on its own), not
    0.01 to each as one split of 0.02 would."""
    year = ContractYear(1, funding=[Funding(P, 5), Funding(C, 5)])
    paid = [(ON, D("0.01")), (ON, D("0.01"))]
    assert paid_out_by_level(year, (P, C), paid, ON) == {P: D("0.02"), C: D("0.00")}


def test_paid_out_in_equal_parts_when_no_level_pledged_anything() -> None:
    year = ContractYear(1, funding=[Funding(ST, 999)])
    parts = paid_out_by_level(year, LEVELS, [(ON, D("0.10"))], ON)
    assert parts == {P: D("0.04"), C: D("0.03"), DI: D("0.03")}
    assert list(parts) == [P, C, DI]
    one_pledged = ContractYear(1, funding=[Funding(C, D("0.01"))])
    assert paid_out_by_level(one_pledged, LEVELS, [(ON, D("0.10"))], ON) == {
        P: D("0.00"),
        C: D("0.10"),
        DI: D("0.00"),
    }


def test_paid_out_over_no_level_or_no_payment_is_zero_for_each_level() -> None:
    year = ContractYear(1, funding=[Funding(P, 100)])
    assert paid_out_by_level(year, (), [(ON, D("5"))], ON) == {}
    zero = paid_out_by_level(year, (C, P), [], ON)
    assert zero == {C: D("0.00"), P: D("0.00")} and list(zero) == [C, P]
    assert [str(x) for x in zero.values()] == ["0.00", "0.00"]


# --- the ledger of a station-year ---------------------------------------------------------------


YEAR = ContractYear(
    1,
    funding=[
        Funding(P, 100),
        Funding(C, 200),
        Funding(P, D("0.01")),  # two lines of one source add up
        Funding(CHARITY, 50, purposes=["elderly_meals"]),
        Funding(CHARITY, 10, purposes=["posts", "elderly_meals"]),
    ],
    receipts=[
        Receipt(BEFORE, P, D("60")),
        Receipt(ON, P, D("0.01")),
        Receipt(AFTER, P, D("40")),
        Receipt(ON, LOTTERY, D("7")),
    ],
    expenses=[
        exp(BEFORE, P, "10"),
        exp(ON, P, "0.02"),
        exp(AFTER, P, "30"),
        exp(AFTER, LOTTERY, "1"),
        exp(ON, EXTERNAL, "2", "training"),
    ],
)


def test_a_station_year_ledger_on_a_day_whole() -> None:
    ledger = fund_ledger(
        YEAR, station="baiyin", on=ON, cofunding_levels=LEVELS, payments=[(ON, D("9.00"))]
    )
    assert ledger == StationYearLedger(
        "baiyin",
        1,
        ON,
        (
            line(P, "100.01", "60.01", "3.00", "10.02", "30"),
            line(C, "200", "0", "6.00", "0", "0"),
            line(LOTTERY, "0", "7", "0", "0", "1"),
            line(CHARITY, "60", "0", "0", "0", "0", ("elderly_meals", "posts")),
            line(EXTERNAL, "0", "0", "0", "2", "0"),
        ),
        True,
    )
    assert ledger.total == Amounts(m("360.01"), m("67.01"), m("9"), m("12.02"), m("31"))
    assert ledger.fund(C) == line(C, "200", "0", "6.00", "0", "0")
    assert ledger.fund(DI) is None and ledger.fund(ST) is None
    assert [(x.balance, x.outstanding) for x in ledger.funds[:2]] == [
        (D("49.99"), D("40.00")),
        (D("0.00"), D("200.00")),
    ]


def test_a_level_with_only_a_payment_gets_a_line_and_one_without_does_not() -> None:
    """No funding line of a level: a payment split in equal parts gives each level a line; a
    level whose part is 0.00 (one fen over three levels) has none."""
    year = ContractYear(1, funding=[Funding(ST, 5)])
    ledger = fund_ledger(
        year, station="x", on=ON, cofunding_levels=LEVELS, payments=[(ON, D("0.01"))]
    )
    assert ledger.funds == (line(P, paid_out="0.01"), line(ST, "5"))
    assert not ledger.receipts_recorded
    later = fund_ledger(
        year, station="x", on=ON, cofunding_levels=LEVELS, payments=[(AFTER, D("3"))]
    )
    assert later.funds == (line(ST, "5"),)


def test_a_ledger_with_other_co_funding_levels() -> None:
    """Two levels, city and district (a profile other than the default): the province's money
    is a fund of its own and gets no part of the payments."""
    year = ContractYear(1, funding=[Funding(P, 10), Funding(C, 30), Funding(DI, 10)])
    ledger = fund_ledger(
        year, station="x", on=ON, cofunding_levels=(C, DI), payments=[(ON, D("8"))]
    )
    assert ledger.funds == (
        line(P, "10"),
        line(C, "30", paid_out="6"),
        line(DI, "10", paid_out="2"),
    )


def test_programme_ledgers_by_station_and_year_with_each_year_s_levels() -> None:
    contractor = Contractor("hexin", "和信", "52620102MJ0000001X")
    y1 = ContractYear(1, funding=[Funding(P, 10), Funding(C, 30)])
    y2 = ContractYear(2, funding=[Funding(P, 10), Funding(C, 30)])
    programme = Programme(
        "p",
        "城关区",
        dt.date(2024, 7, 1),
        contractors=(contractor,),
        stations=(
            Station("a", "甲街道", "hexin", years=(y1, y2)),
            Station("b", "乙街道", "hexin", years=(y1,)),
        ),
    )
    ratio = {"province": D(1)}
    profile = PROFILE.override("cofunding_ratio", dt.date(2025, 7, 1), ratio)
    paid = {("a", 1): [(ON, D("4"))], ("a", 2): [(ON, D("4"))], ("b", 1): [(AFTER, D("4"))]}
    every = programme_ledgers(programme, profile, on=ON, payments=paid)
    assert [(x.station, x.year) for x in every] == [("a", 1), ("a", 2), ("b", 1)]
    assert [[(f.source, f.paid_out) for f in x.funds] for x in every] == [
        [(P, D("1.00")), (C, D("3.00"))],
        [(P, D("4.00")), (C, D("0.00"))],  # year 2: the province alone is the co-funding level
        [(P, D("0.00")), (C, D("0.00"))],
    ]
    assert all(x.on == ON for x in every)
    assert [
        (x.station, x.year) for x in programme_ledgers(programme, profile, on=ON, station="a")
    ] == [
        ("a", 1),
        ("a", 2),
    ]
    assert [(x.station, x.year) for x in programme_ledgers(programme, profile, on=ON, year=1)] == [
        ("a", 1),
        ("b", 1),
    ]
    [one] = programme_ledgers(programme, profile, on=ON, station="b", year=1, payments=paid)
    assert one == every[2]
    assert programme_ledgers(programme, profile, on=ON, station="b", year=2) == ()
    unpaid = programme_ledgers(programme, profile, on=ON)
    assert [x.total.paid_out for x in unpaid] == [D("0.00")] * 3
    by = by_source(every)
    assert by == {
        P: Amounts(m("30"), m("0"), m("5"), m("0"), m("0")),
        C: Amounts(m("90"), m("0"), m("3"), m("0"), m("0")),
    }
    assert list(by) == [P, C]
    assert by_source([]) == {}


def test_by_source_lists_sources_in_enumeration_order_whatever_the_ledgers_order() -> None:
    first = fund_ledger(
        ContractYear(1, funding=[Funding(EXTERNAL, 1)]), station="a", on=ON, cofunding_levels=LEVELS
    )
    second = fund_ledger(
        ContractYear(1, funding=[Funding(C, 2), Funding(EXTERNAL, 3)]),
        station="b",
        on=ON,
        cofunding_levels=LEVELS,
    )
    by = by_source([first, second])
    assert list(by) == [C, EXTERNAL]
    assert by[EXTERNAL] == Amounts(m("4"), m("0"), m("0"), m("0"), m("0"))


# --- FUND-8 overdrafts ---------------------------------------------------------------------------


def test_without_receipts_a_fund_is_judged_against_its_pledge_to_the_fen() -> None:
    exactly = ContractYear(
        1, funding=[Funding(P, 100)], expenses=[exp(ON, P, "60"), exp(AFTER, P, "40")]
    )
    assert overdrafts(exactly) == []
    over = ContractYear(
        1, funding=[Funding(P, 100)], expenses=[exp(ON, P, "60"), exp(AFTER, P, "40.01")]
    )
    assert overdrafts(over) == [Overdraft(P, m("100.01"), m("100"), None, True)]
    under = ContractYear(
        1, funding=[Funding(P, 100)], expenses=[exp(ON, P, "60"), exp(AFTER, P, "39.99")]
    )
    assert overdrafts(under) == []


def test_without_receipts_an_unfunded_fund_is_overdrawn_even_by_nothing() -> None:
    year = ContractYear(
        1,
        funding=[Funding(P, 100), Funding(C, 0)],
        expenses=[exp(ON, LOTTERY, "0"), exp(ON, P, "1"), exp(ON, C, "0.01")],
    )
    assert overdrafts(year) == [
        Overdraft(LOTTERY, m("0"), m("0"), None, False),
        Overdraft(C, m("0.01"), m("0"), None, False),
    ]


def test_with_receipts_a_fund_without_money_is_overdrawn_by_all_it_spent() -> None:
    year = ContractYear(
        1,
        funding=[Funding(P, 100)],
        receipts=[Receipt(BEFORE, P, D("100"))],
        expenses=[exp(ON, LOTTERY, "2"), exp(AFTER, LOTTERY, "3"), exp(ON, P, "1")],
    )
    assert overdrafts(year) == [Overdraft(LOTTERY, m("5"), m("0"), None, False)]


def test_with_receipts_the_first_day_overdrawn_a_day_s_receipts_counting_first() -> None:
    """Received 10 the day before and 5 on the day; spent 10 the day before, 5 on the day
    (exactly what it had), then 0.01 the next day: overdrawn on the next day by the fen."""
    year = ContractYear(
        1,
        funding=[Funding(P, 100)],
        receipts=[Receipt(ON, P, D("5")), Receipt(BEFORE, P, D("10"))],
        expenses=[exp(ON, P, "3"), exp(BEFORE, P, "10"), exp(ON, P, "2"), exp(AFTER, P, "0.01")],
    )
    assert overdrafts(year) == [Overdraft(P, m("15.01"), m("15"), AFTER, True)]
    enough = attrs.evolve(year, receipts=(*year.receipts, Receipt(AFTER, P, D("0.01"))))
    assert overdrafts(enough) == []


def test_with_receipts_only_the_first_day_overdrawn_is_reported() -> None:
    year = ContractYear(
        1,
        receipts=[Receipt(BEFORE, C, D("1")), Receipt(AFTER, C, D("100"))],
        expenses=[exp(ON, C, "1.01"), exp(AFTER, C, "50"), exp(AFTER + dt.timedelta(1), C, "60")],
    )
    assert overdrafts(year) == [Overdraft(C, m("1.01"), m("1"), ON, True)]


def test_with_receipts_a_pledged_fund_with_no_receipt_yet_is_overdrawn_on_its_first_expense() -> (
    None
):
    """The year records receipts (of the city); the province pledged but received nothing."""
    year = ContractYear(
        1,
        funding=[Funding(P, 100)],
        receipts=[Receipt(BEFORE, C, D("1"))],
        expenses=[exp(AFTER, P, "0.01"), exp(ON, C, "1"), exp(ON, EXTERNAL, "1")],
    )
    assert overdrafts(year) == [
        Overdraft(P, m("0.01"), m("0"), AFTER, True),
        Overdraft(EXTERNAL, m("1"), m("0"), None, False),
    ]


def test_with_receipts_a_receipt_of_another_fund_does_not_count() -> None:
    year = ContractYear(
        1,
        receipts=[Receipt(BEFORE, C, D("100")), Receipt(BEFORE, P, D("1"))],
        expenses=[exp(ON, P, "1.01")],
    )
    assert overdrafts(year) == [Overdraft(P, m("1.01"), m("1"), ON, True)]


def test_with_receipts_a_fund_without_money_does_not_end_the_check_of_later_funds() -> None:
    """The lottery, which has no money, is booked first; the city after it is still judged."""
    year = ContractYear(
        1,
        receipts=[Receipt(BEFORE, C, D("1"))],
        expenses=[exp(BEFORE, LOTTERY, "1"), exp(ON, C, "1.01")],
    )
    assert overdrafts(year) == [
        Overdraft(LOTTERY, m("1"), m("0"), None, False),
        Overdraft(C, m("1.01"), m("1"), ON, True),
    ]
