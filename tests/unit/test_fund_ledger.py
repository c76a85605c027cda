"""The fund ledger (sgz_core.fund_ledger) and the money rules around it: FUND-3, FUND-5, FUND-8.

Properties over the strategies users get: a fund's balance is always what it received minus what
it spent (summed here independently of the ledger); a year whose funds are never overdrawn and
whose ring-fenced money pays only for its declared purposes passes FUND-8, and one fen more on
any fund fails it; FUND-5 passes exactly at the cap and fails one fen over it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal, localcontext
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.enums import FundingSource, Severity
from sgz_core.errors import InvalidInput
from sgz_core.fund_ledger import fund_ledger, overdrafts, paid_out_by_level, programme_ledgers
from sgz_core.model import (
    ContractYear,
    Expense,
    Funding,
    HardshipRelief,
    Money,
    Programme,
    Receipt,
)
from sgz_core.money import FEN, ZERO
from sgz_core.programme_file import loads
from sgz_core.rules import check
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
CHENGGUAN = profiles.builtin()
POLICY = CHENGGUAN.at(profiles.ALWAYS)
LEVELS = POLICY.cofunding_levels
P, C, D = FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT
EXTERNAL, CHARITY, LOTTERY = FundingSource.EXTERNAL, FundingSource.CHARITY, FundingSource.LOTTERY
START = dt.date(2024, 7, 1)
days = st.dates(dt.date(2023, 1, 1), dt.date(2028, 12, 31))
payments = st.lists(st.tuples(days, s.money(0, 200_000)), max_size=4)


@pytest.fixture(scope="module")
def example() -> Programme:
    return loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def a_programme(year: ContractYear, *, relief: tuple[HardshipRelief, ...] = ()) -> Programme:
    text = EXAMPLE.read_text(encoding="utf-8")
    base = loads(text, str(EXAMPLE))
    station = attrs.evolve(base.stations[0], years=(year,))
    return attrs.evolve(base, stations=(station,), hardship_relief=relief, records=())


def findings(programme: Programme, rule: str, profile: profiles.Profile = CHENGGUAN) -> list:  # type: ignore[type-arg]
    return [f for f in check(programme, profile, dt.date(2025, 12, 1), only=[rule])]


# --- the ledger's arithmetic -------------------------------------------------------------------


@given(year=s.contract_years(), on=days, paid=payments)
def test_balance_is_received_minus_spent_for_every_fund(
    year: ContractYear, on: dt.date, paid: list[tuple[dt.date, Money]]
) -> None:
    ledger = fund_ledger(year, station="x", on=on, cofunding_levels=LEVELS, payments=paid)
    for line in ledger.funds:
        received = sum(
            (r.amount for r in year.receipts if r.source is line.source and r.date <= on), ZERO
        )
        spent = sum(
            (e.amount for e in year.expenses if e.fund is line.source and e.date <= on), ZERO
        )
        booked = sum((e.amount for e in year.expenses if e.fund is line.source), ZERO)
        assert line.received == received and line.spent == spent
        assert line.balance == received - spent
        assert line.committed == booked - spent
        assert line.pledged == year.funded_by(line.source)
        assert line.outstanding == line.pledged - received
    total = ledger.total
    assert total.balance == total.received - total.spent
    assert total.received == sum((r.amount for r in year.receipts if r.date <= on), ZERO)
    assert total.spent == sum((e.amount for e in year.expenses if e.date <= on), ZERO)
    assert total.paid_out == sum((a for d, a in paid if d <= on), ZERO)
    for amount in (total.pledged, total.received, total.spent, total.committed, total.paid_out):
        assert amount == amount.quantize(FEN)


@given(year=s.contract_years(), on=days)
def test_every_source_the_year_names_has_a_line_and_no_other(
    year: ContractYear, on: dt.date
) -> None:
    ledger = fund_ledger(year, station="x", on=on, cofunding_levels=LEVELS)
    named = (
        {f.source for f in year.funding}
        | {r.source for r in year.receipts}
        | {e.fund for e in year.expenses}
    )
    assert [line.source for line in ledger.funds] == [f for f in FundingSource if f in named]


@given(year=s.contract_years(), on=days, paid=payments)
def test_paid_out_splits_each_payment_exactly_over_the_levels(
    year: ContractYear, on: dt.date, paid: list[tuple[dt.date, Money]]
) -> None:
    parts = paid_out_by_level(year, LEVELS, paid, on)
    assert sum(parts.values(), ZERO) == sum((a for d, a in paid if d <= on), ZERO)
    assert all(part >= 0 for part in parts.values())


def test_a_payment_splits_by_what_each_level_pledged() -> None:
    year = ContractYear(1, funding=[Funding(P, 50000), Funding(C, 50000), Funding(D, 50000)])
    paid = [(dt.date(2024, 7, 2), Decimal("90000.01")), (dt.date(2025, 2, 1), Decimal(45000))]
    on_first = paid_out_by_level(year, LEVELS, paid, dt.date(2024, 7, 2))
    assert on_first == {P: Decimal("30000.01"), C: Decimal("30000.00"), D: Decimal("30000.00")}
    ledger = fund_ledger(
        year, station="x", on=dt.date(2025, 6, 1), cofunding_levels=LEVELS, payments=paid
    )
    assert [str(line.paid_out) for line in ledger.funds] == ["45000.01", "45000.00", "45000.00"]
    unfunded = paid_out_by_level(ContractYear(1), LEVELS, paid[:1], dt.date(2024, 7, 2))
    assert sorted(unfunded.values()) == [
        Decimal("30000.00"),
        Decimal("30000.00"),
        Decimal("30000.01"),
    ]


def test_paid_out_stays_exact_when_a_level_s_payments_pass_28_digits() -> None:
    """Each payment is under 10**26 yuan; a level's sum of several is not, and was rounded to
    200000000000000000000000000.0 (FUND-8: the ledger is exact to the fen)."""
    big = Decimal("99999999999999999999999999.99")
    year = ContractYear(1, funding=[Funding(P, 1)])
    parts = paid_out_by_level(year, LEVELS, [(START, big), (START, big)], START)
    assert parts == {P: Decimal("199999999999999999999999999.98"), C: 0, D: 0}


def test_the_example_s_first_year_on_two_days(example: Programme) -> None:
    year = example.station("zhengning").year(1)
    early = fund_ledger(year, station="zhengning", on=dt.date(2024, 8, 1), cofunding_levels=LEVELS)
    rows = {line.source: line for line in early.funds}
    assert list(rows) == [P, C, D, FundingSource.STREET, CHARITY]
    assert rows[P].received == 50000 and rows[P].spent == 12000 and rows[P].balance == 38000
    assert rows[D].received == 0 and rows[D].committed == Decimal("6800.50")
    assert rows[D].outstanding == 50000 and rows[D].balance == 0
    assert rows[CHARITY].ring_fenced and rows[CHARITY].purposes == ("elderly_meals",)
    assert early.receipts_recorded
    late = fund_ledger(year, station="zhengning", on=dt.date(2025, 6, 30), cofunding_levels=LEVELS)
    assert late.total.received == 146000 and late.total.spent == Decimal("25400.50")
    assert late.total.balance == Decimal("120599.50") and late.total.committed == 0
    assert late.fund(D) is not None and late.fund(D).outstanding == 20000  # type: ignore[union-attr]
    assert late.fund(LOTTERY) is None


def test_programme_ledgers_select_a_station_and_a_year(example: Programme) -> None:
    on = dt.date(2025, 6, 30)
    every = programme_ledgers(example, CHENGGUAN, on=on)
    assert len(every) == sum(len(st_.years) for st_ in example.stations)
    one = programme_ledgers(example, CHENGGUAN, on=on, station="zhengning", year=1)
    assert [(x.station, x.year) for x in one] == [("zhengning", 1)]
    paid = {("zhengning", 1): [(dt.date(2024, 7, 2), Decimal(96000))]}
    [with_paid] = programme_ledgers(
        example, CHENGGUAN, on=on, station="zhengning", year=1, payments=paid
    )
    assert with_paid.total.paid_out == 96000


def test_sums_over_station_years_stay_exact_to_the_fen_beyond_28_digits() -> None:
    """A station-year may hold up to 10**26 yuan (the file's bound); the sums over several of
    them, and their balances, have more digits than Decimal's default 28 and must not be
    rounded (FUND-8: balances equal receipts minus payments, to the fen)."""
    big = Decimal("89999999999999999999999999.99")
    year = ContractYear(
        1,
        funding=[Funding(EXTERNAL, big, purposes=["services"])],
        receipts=[Receipt(START, EXTERNAL, big)],
        expenses=[Expense(START, "services", EXTERNAL, Decimal("0.01"))],
    )
    ledgers = [fund_ledger(year, station=name, on=START, cofunding_levels=LEVELS) for name in "abc"]
    from sgz_core.fund_ledger import by_source, totals

    every = totals(ledger.total for ledger in ledgers)
    assert every.received == Decimal("269999999999999999999999999.97")
    assert every.spent == Decimal("0.03")
    assert every.balance == Decimal("269999999999999999999999999.94")
    assert every.outstanding == 0
    assert by_source(ledgers)[EXTERNAL].pledged == Decimal("269999999999999999999999999.97")


# --- FUND-8 ------------------------------------------------------------------------------------


@given(year=s.contract_years(compliant=True))
def test_no_fund_overdrawn_passes_fund_8(year: ContractYear) -> None:
    assert overdrafts(year) == []
    assert findings(a_programme(year), "FUND-8") == []


@given(year=s.contract_years(compliant=True), data=st.data())
def test_one_fen_beyond_any_fund_fails_fund_8(year: ContractYear, data: st.DataObject) -> None:
    funds = sorted({f.source for f in year.funding if f.source not in (EXTERNAL, CHARITY)})
    assume(funds)
    fund = data.draw(st.sampled_from(funds))
    last = max([e.date for e in year.expenses] + [START + dt.timedelta(days=400)])
    if year.receipts:
        had = sum((r.amount for r in year.receipts if r.source is fund), ZERO)
    else:
        had = year.funded_by(fund)
    left = had - sum((e.amount for e in year.expenses if e.fund is fund), ZERO)
    extra = Expense(last, "posts", fund, left + FEN)
    over = attrs.evolve(year, expenses=(*year.expenses, extra))
    assert [o.source for o in overdrafts(over)] == [fund]
    found = findings(a_programme(over), "FUND-8")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert fund.zh in found[0].message and fund.en in found[0].message_en


_NEAR = st.dates(dt.date(2024, 2, 26), dt.date(2024, 3, 3))  # a few days, a leap day among them


@given(
    receipts=st.lists(
        st.builds(Receipt, _NEAR, st.sampled_from(FundingSource), s.money(0, 5)),
        min_size=1,
        max_size=6,
    ),
    spent=st.lists(
        st.builds(Expense, _NEAR, st.just("posts"), st.sampled_from(FundingSource), s.money(0, 5)),
        max_size=6,
    ),
)
def test_fund_8_fires_exactly_when_the_ledger_shows_a_fund_overdrawn_on_some_day(
    receipts: list[Receipt], spent: list[Expense]
) -> None:
    """FUND-8 with receipts, any sequence of receipts and expenses of any funds: a fund's first
    overdrawn day is the first day its ledger balance is negative, and a fund the ledger never
    shows negative is not overdrawn (unless it has no money at all)."""
    year = ContractYear(1, receipts=receipts, expenses=spent)
    found = {o.source: o for o in overdrafts(year)}
    every_day = [dt.date(2024, 2, 26) + dt.timedelta(days=n) for n in range(7)]
    for fund in FundingSource:
        negative = [
            day
            for day in every_day
            if (line := fund_ledger(year, station="x", on=day, cofunding_levels=LEVELS).fund(fund))
            and line.balance < 0
        ]
        if fund not in found:
            assert negative == []
        elif found[fund].exists:
            assert negative and negative[0] == found[fund].day
        else:
            assert not any(r.source is fund for r in receipts)


def test_fund_8_against_receipts_counts_a_day_s_receipts_before_its_expenses() -> None:
    year = ContractYear(
        1,
        funding=[Funding(P, 50000)],
        receipts=[Receipt(dt.date(2024, 8, 1), P, 1000)],
        expenses=[Expense(dt.date(2024, 8, 1), "posts", P, 1000)],
    )
    assert overdrafts(year) == []
    later = attrs.evolve(year, expenses=(Expense(dt.date(2024, 7, 31), "posts", P, 1),))
    [found] = findings(a_programme(later), "FUND-8")
    assert found.message == (
        "第1年截至2024-07-31，“省民政厅”已支出1.00元，超过当时已到账的0.00元，挤占了其他资金。"
    )
    assert found.message_en == (
        "In year 1, by 2024-07-31 the province civil affairs expenses of 1.00 CNY exceed the "
        "0.00 CNY it had received by then, so another fund is being drawn on."
    )


def test_fund_8_a_ring_fenced_fund_without_declared_purposes_pays_for_nothing() -> None:
    year = ContractYear(
        1,
        funding=[Funding(CHARITY, 5000)],
        expenses=[Expense(dt.date(2024, 8, 1), "services", CHARITY, 100)],
    )
    [found] = findings(a_programme(year), "FUND-8")
    assert found.message == (
        "第1年2024-08-01从“慈善专项基金”支出的100.00元用于“专业服务”，"
        "不在“慈善专项基金”申明的用途（未申明任何用途）之内。"
    )
    assert "(none declared)" in found.message_en


def test_fund_8_names_both_funds_when_one_pays_for_another_s_purpose() -> None:
    year = ContractYear(
        1,
        funding=[
            Funding(P, 50000),
            Funding(EXTERNAL, 30000, ["elderly_meals"]),
            Funding(CHARITY, 5000, ["services"]),
        ],
        expenses=[
            Expense(dt.date(2024, 8, 1), "elderly_meals", CHARITY, 100),
            Expense(dt.date(2024, 8, 2), "elderly_meals", P, 200),
            Expense(dt.date(2024, 8, 3), "services", P, 300),  # station money's own purpose
        ],
    )
    first, second = findings(a_programme(year), "FUND-8")
    assert first.message == (
        "第1年2024-08-01从“慈善专项基金”支出的100.00元用于“elderly_meals”，这是“民政以外链接资金”"
        "申明的用途，不是“慈善专项基金”申明的用途（专业服务），属于挪用。"
    )
    assert first.message_en == (
        "In year 1 an expense of 100.00 CNY on 2024-08-01 from the charity social-work fund pays "
        "for 'elderly_meals', a purpose declared by the funds linked from outside civil affairs, "
        "not one declared for the charity social-work fund (professional services): "
        "one fund is drawn for another's purpose."
    )
    assert second.message == (
        "第1年2024-08-02从“省民政厅”支出的200.00元用于“elderly_meals”，这是“民政以外链接资金”申明的"
        "用途，不是站点经费的用途，“民政以外链接资金”的支出挤占了“省民政厅”。"
    )


def test_purposes_belong_to_ring_fenced_funding_only() -> None:
    assert Funding(EXTERNAL, 1, ["posts"]).purposes == ("posts",)
    assert Funding(CHARITY, 1).purposes is None
    with pytest.raises(InvalidInput, match="only external and charity funding declares"):
        Funding(P, 1, ["posts"])
    with pytest.raises(InvalidInput, match="expected a list of expense categories"):
        Funding(EXTERNAL, 1, "posts")  # type: ignore[arg-type]


# --- FUND-5 ------------------------------------------------------------------------------------


@given(
    budget=s.money(0, 100_000_000),
    share=s.parameter_values("hardship_fund_cap_share"),
    year=st.integers(1, 3),
)
def test_fund_5_boundary_exactly_at_the_cap_and_one_fen_either_side(
    budget: Money, share: Decimal, year: int
) -> None:
    profile = CHENGGUAN.override("hardship_fund_cap_share", profiles.ALWAYS, share)
    at_cap = (budget * share).quantize(FEN, rounding=ROUND_DOWN)  # the most, in fen, within it
    base = a_programme(ContractYear(1))

    def fund_5(social_work: Decimal) -> list:  # type: ignore[type-arg]
        relief = HardshipRelief(year=year, budget=budget, social_work=social_work)
        return findings(attrs.evolve(base, hardship_relief=(relief,)), "FUND-5", profile)

    assert fund_5(at_cap) == []
    if at_cap >= FEN:
        assert fund_5(at_cap - FEN) == []
    [over] = fund_5(at_cap + FEN)
    assert over.severity is Severity.ERROR and over.year == year and over.station is None


@given(
    budget=s.money(0, "99999999999999999999999999.99"),
    share=s.parameter_values("hardship_fund_cap_share"),
)
def test_fund_5_boundary_holds_for_any_budget_the_file_takes(budget: Money, share: Decimal) -> None:
    """FUND-5 for budgets up to the file's bound (10**26 yuan): the cap has more digits than
    Decimal's default 28 there, and one fen over it must still fail (a rounded cap let
    2,000,000,000,000,000,000,000,000.00 of 99,999,999,999,999,999,999,999,999.99 pass)."""
    profile = CHENGGUAN.override("hardship_fund_cap_share", profiles.ALWAYS, share)
    with localcontext(prec=80):
        at_cap = (budget * share).quantize(FEN, rounding=ROUND_DOWN)
    base = a_programme(ContractYear(1))

    def fund_5(social_work: Decimal) -> list:  # type: ignore[type-arg]
        relief = HardshipRelief(year=1, budget=budget, social_work=social_work)
        return findings(attrs.evolve(base, hardship_relief=(relief,)), "FUND-5", profile)

    assert fund_5(at_cap) == []
    [over] = fund_5(at_cap + FEN)
    assert f"{at_cap:,.2f}元" in over.message


def test_fund_5_a_fen_over_the_cap_of_the_largest_budget() -> None:
    budget = Decimal("99999999999999999999999999.99")
    relief = HardshipRelief(year=1, budget=budget, social_work=Decimal("2000000000000000000000000"))
    [over] = findings(
        attrs.evolve(a_programme(ContractYear(1)), hardship_relief=(relief,)), "FUND-5"
    )
    assert "上限1,999,999,999,999,999,999,999,999.99元" in over.message


def test_fund_5_the_seed_s_two_percent_in_chinese() -> None:
    relief = HardshipRelief(year=2, budget=Decimal("100.01"), social_work=Decimal("2.01"))
    [found] = findings(
        attrs.evolve(a_programme(ContractYear(1)), hardship_relief=(relief,)), "FUND-5"
    )
    assert found.message == (
        "第2年困难群众救助补助资金100.01元中，用于购买社会工作服务的2.01元超过了2%的上限2.00元。"
    )
    assert found.message_en == (
        "In year 2, 2.01 CNY of the 100.01 CNY hardship-relief funds buy social-work services, "
        "more than the cap of 2% (2.00 CNY)."
    )
    ok = HardshipRelief(year=2, budget=Decimal("100.01"), social_work=Decimal("2.00"))
    assert (
        findings(attrs.evolve(a_programme(ContractYear(1)), hardship_relief=(ok,)), "FUND-5") == []
    )


@pytest.mark.parametrize("share", ["-0.01", "1.01", "NaN", "Infinity", "-0"])
def test_fund_5_a_profile_s_cap_is_a_share_from_0_to_1(share: str) -> None:
    """FUND-5's cap is a share of the hardship-relief funds: a negative one made every budget
    fail ("0.00元超过了-1%的上限-1.00元"), one over 1 allowed more than the budget, NaN ended
    in an internal error."""
    doc = {
        "profile": {"id": "x", "name": "x", "extends": "lanzhou-chengguan"},
        "parameters": {
            "hardship_fund_cap_share": [{"from": profiles.ALWAYS, "value": Decimal(share)}]
        },
    }
    if share == "-0":
        assert profiles.from_dict(doc).at(profiles.ALWAYS).hardship_fund_cap_share == 0
        return
    with pytest.raises(InvalidInput, match=r"expected a (share from 0 to 1|finite number)"):
        profiles.from_dict(doc)


def test_fund_5_uses_the_cap_in_force_at_the_year_s_start() -> None:
    second_year = dt.date(2025, 7, 1)
    profile = CHENGGUAN.override("hardship_fund_cap_share", second_year, Decimal("0.03"))
    relief = (
        HardshipRelief(year=1, budget=Decimal(1000), social_work=Decimal(30)),
        HardshipRelief(year=2, budget=Decimal(1000), social_work=Decimal(30)),
    )
    found = findings(
        attrs.evolve(a_programme(ContractYear(1)), hardship_relief=relief), "FUND-5", profile
    )
    assert [f.year for f in found] == [1]


# --- FUND-3 ------------------------------------------------------------------------------------


@given(
    reason=st.one_of(st.none(), st.text(max_size=8)),
    severity=s.parameter_values("other_expense_category_severity"),
)
def test_fund_3_severity_follows_the_reason_and_the_profile(
    reason: str | None, severity: Severity
) -> None:
    year = ContractYear(
        1,
        funding=[Funding(P, 50000)],
        expenses=[Expense(dt.date(2024, 8, 1), "meals", P, 10, reason=reason)],
    )
    profile = CHENGGUAN.override("other_expense_category_severity", profiles.ALWAYS, severity)
    [found] = findings(a_programme(year), "FUND-3", profile)
    explained = bool((reason or "").strip())
    expected = Severity.WARNING if explained and severity is Severity.WARNING else Severity.ERROR
    assert found.severity is expected
    assert ("给出的理由是" in found.message) is explained


def test_fund_3_quotes_the_reason_in_chinese() -> None:
    year = ContractYear(
        1,
        funding=[Funding(P, 50000)],
        expenses=[Expense(dt.date(2024, 8, 1), "meals", P, 10, reason="为探访的独居老人备餐")],
    )
    [found] = findings(a_programme(year), "FUND-3")
    assert found.severity is Severity.WARNING
    assert found.message == (
        "第1年2024-08-01支出的10.00元用于“meals”，不在规定的用途（社工岗位、专业服务、站点打造、"
        "日常办公、交通和差旅）之内，给出的理由是“为探访的独居老人备餐”。"
    )


def test_the_severity_parameter_refuses_a_notice() -> None:
    with pytest.raises(InvalidInput, match="expected warning or error"):
        profiles.from_dict(
            {
                "profile": {"id": "x", "name": "x", "extends": "lanzhou-chengguan"},
                "parameters": {
                    "other_expense_category_severity": [
                        {"from": profiles.ALWAYS, "value": "notice"}
                    ]
                },
            }
        )


# --- the file format ---------------------------------------------------------------------------

YEAR_ONE = """
[programme]
id = "p"
name = "p"
start = 2024-07-01

[[contractors]]
id = "hexin"
name = "和信"
uscc = "52620102MJ0000001X"

[[stations]]
id = "s"
street = "白银路街道"
contractor = "hexin"

[[stations.years]]
year = 1

[[stations.years.funding]]
source = "external"
amount = 30000
purposes = ["services", "elderly_meals"]

[[stations.years.receipts]]
date = 2024-08-01
source = "external"
amount = 30000
note = "某基金会"

[[stations.years.expenses]]
date = 2024-09-01
category = "meals"
fund = "street"
amount = 10
reason = "志愿者午餐"
"""

RELIEF = """
[[hardship_relief]]
year = 1
budget = 1000000
social_work = 20000
note = "2024年"
"""


def test_the_file_carries_receipts_purposes_reasons_and_relief() -> None:
    p = loads(YEAR_ONE + RELIEF, "p.toml")
    year = p.stations[0].year(1)
    assert year.funding[0].purposes == ("services", "elderly_meals")
    assert year.receipts == (Receipt(dt.date(2024, 8, 1), EXTERNAL, Decimal(30000), "某基金会"),)
    assert year.expenses[0].reason == "志愿者午餐"
    assert p.hardship_relief == (HardshipRelief(1, Decimal(1000000), Decimal(20000), "2024年"),)
    from sgz_core.programme_file import dumps

    assert loads(dumps(p)) == p


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (
            YEAR_ONE.replace(
                'source = "external"\namount = 30000\npurposes',
                'source = "city"\namount = 30000\npurposes',
            ),
            "stations[0].years[0].funding[0]",
            "only external and charity funding declares purposes",
        ),
        (
            YEAR_ONE.replace('note = "某基金会"', 'notes = "某基金会"'),
            "stations[0].years[0].receipts[0].notes",
            "unknown key; expected one of date, source, amount, note",
        ),
        (
            YEAR_ONE.replace(
                'source = "external"\namount = 30000\nnote', 'source = "bank"\namount = 30000\nnote'
            ),
            "stations[0].years[0].receipts[0].source",
            "expected one of province | city",
        ),
        (
            YEAR_ONE + RELIEF + RELIEF,
            "hardship_relief[1].year",
            "duplicate hardship-relief entry for contract year 1",
        ),
        (
            YEAR_ONE + RELIEF.replace("social_work = 20000", "social_work = -1"),
            "hardship_relief[0].social_work",
            "zero or more",
        ),
        (
            YEAR_ONE + RELIEF.replace("year = 1", "year = 0"),
            "hardship_relief[0]",
            "contract year number from 1 to 99",
        ),
    ],
)
def test_bad_fund_ledger_input_names_its_key_path(text: str, path: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        loads(text, "p.toml")
    problems = caught.value.problems
    assert any(p.path.startswith(path) and message in p.message for p in problems), problems


# --- FUND-6 / FUND-7: the notices in Chinese ------------------------------------------------------


def test_fund_6_and_7_notices_in_chinese_and_english() -> None:
    year = ContractYear(
        1,
        funding=[Funding(P, 50000), Funding(CHARITY, 3000)],
        receipts=[
            Receipt(dt.date(2024, 8, 1), LOTTERY, Decimal("8000")),
            Receipt(dt.date(2024, 8, 1), CHARITY, Decimal("3000.01")),
        ],
    )
    [lottery] = findings(a_programme(year), "FUND-6")
    assert lottery.severity is Severity.NOTICE
    assert lottery.message == (
        "第1年收到“彩票公益金”8,000.00元，但该年的经费中没有这项资金；请把它作为单独的资金来源列入经费。"
    )
    assert lottery.message_en == (
        "In year 1 the station received 8,000.00 CNY from the lottery welfare fund, but the "
        "year's funding has no line for it; record it as a funding source of its own."
    )
    [charity] = findings(a_programme(year), "FUND-7")
    assert charity.message == "第1年收到“慈善专项基金”3,000.01元，多于经费中列明的3,000.00元。"
    assert charity.message_en == (
        "In year 1 the station received 3,000.01 CNY from the charity social-work fund, more "
        "than the 3,000.00 CNY its funding lines show."
    )
    paid = attrs.evolve(year, funding=(*year.funding, Funding(LOTTERY, 8000)))
    assert findings(a_programme(paid), "FUND-6") == []
