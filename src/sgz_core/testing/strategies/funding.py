"""Money in a contract year: funding, expenses, evaluations, contract years (FUND-*, PAY-1, PERF-3)."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_DOWN, Decimal

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.enums import (
    EvaluationKind,
    ExpenseCategory,
    FundingSource,
    Outcome,
)
from sgz_core.model import (
    RING_FENCED,
    ContractYear,
    Evaluation,
    Expense,
    Funding,
    HardshipRelief,
    Money,
    Receipt,
    Score,
)
from sgz_core.money import FEN, allocate
from sgz_core.profiles import (
    ALWAYS,
    Policy,
)
from sgz_core.testing.strategies._base import (
    _DAY,
    _OPTIONAL_NOTE,
    _OTHER_CATEGORIES,
    DEFAULT_START,
    LAST_START,
    _cjk,
    _draw_amount,
    _draw_day,
    _draw_shuffled,
    _policy,
    _strategy,
    _tenths,
    _window,
)
from sgz_core.testing.strategies.codes import ids, money

# --- money in a contract year ----------------------------------------------------------------


def fundings(
    *,
    source: FundingSource | st.SearchStrategy[FundingSource] | None = None,
    amount: st.SearchStrategy[Money] | None = None,
) -> st.SearchStrategy[Funding]:
    """Funding entries: any source (or ``source``), amount from ``amount`` (default 0 … 200,000)."""
    if source is None and amount is None:
        return _any_funding()
    return st.builds(
        Funding,
        source=st.sampled_from(FundingSource) if source is None else _strategy(source),
        amount=money(0, 200_000) if amount is None else amount,
    )


@functools.lru_cache(maxsize=1)
def _any_funding() -> st.SearchStrategy[Funding]:
    return st.builds(
        Funding, source=st.sampled_from(FundingSource), amount=money(0, 200_000)
    ).flatmap(_with_purposes)


def _with_purposes(funding: Funding) -> st.SearchStrategy[Funding]:
    """``funding``, and for a ring-fenced source (external, charity) maybe declared purposes."""
    if funding.source not in RING_FENCED:
        return st.just(funding)
    declared = st.lists(_categories(None), max_size=3, unique=True).map(tuple)
    return st.one_of(st.none(), declared).map(lambda p: attrs.evolve(funding, purposes=p))


def receipts(
    *,
    date: dt.date | st.SearchStrategy[dt.date] | None = None,
    source: FundingSource | st.SearchStrategy[FundingSource] | None = None,
    amount: st.SearchStrategy[Money] | None = None,
) -> st.SearchStrategy[Receipt]:
    """Receipts of money: any day (or ``date``), source and amount (default 0 … 100,000)."""
    return st.builds(
        Receipt,
        date=_dates() if date is None else _strategy(date),
        source=st.sampled_from(FundingSource) if source is None else _strategy(source),
        amount=money(0, 100_000) if amount is None else amount,
        note=_OPTIONAL_NOTE,
    )


def hardship_relief(
    *, year: int | st.SearchStrategy[int] | None = None, within_cap: Decimal | None = None
) -> st.SearchStrategy[HardshipRelief]:
    """A contract year's hardship-relief budget and its social-work part (FUND-5).

    ``within_cap``: a cap share (``0.02``): the social-work part is at most that share of the
    budget; ``None``: any part from zero to the whole budget."""
    return _hardship_relief(st.integers(1, 3) if year is None else _strategy(year), within_cap)


@st.composite
def _hardship_relief(
    draw: st.DrawFn, year: st.SearchStrategy[int], within_cap: Decimal | None
) -> HardshipRelief:
    budget = draw(money(0, 50_000_000))
    top = budget if within_cap is None else (budget * within_cap).quantize(FEN, ROUND_DOWN)
    return HardshipRelief(
        year=draw(year),
        budget=budget,
        social_work=_draw_amount(draw, top),
        note=draw(_OPTIONAL_NOTE),
    )


def expenses(
    *,
    date: dt.date | st.SearchStrategy[dt.date] | None = None,
    fund: FundingSource | st.SearchStrategy[FundingSource] | None = None,
    amount: st.SearchStrategy[Money] | None = None,
    eligible: bool | None = None,
) -> st.SearchStrategy[Expense]:
    """Expenses. ``eligible=True``: a category of FUND-3 (``posts`` …); ``False``: another
    category (``banquet`` …); ``None``: either. ``amount`` defaults to 0 … 50,000."""
    return st.builds(
        Expense,
        date=_dates() if date is None else _strategy(date),
        category=_categories(eligible),
        fund=st.sampled_from(FundingSource) if fund is None else _strategy(fund),
        amount=money(0, 50_000) if amount is None else amount,
        note=_OPTIONAL_NOTE,
        reason=_OPTIONAL_REASON,
    )


_OPTIONAL_REASON = st.one_of(st.none(), st.just(""), _cjk(2, 12))


@functools.lru_cache(maxsize=3)
def _categories(eligible: bool | None) -> st.SearchStrategy[str]:
    known = st.sampled_from(ExpenseCategory.values())
    other = st.one_of(st.sampled_from(_OTHER_CATEGORIES), ids()).filter(
        lambda c: c not in ExpenseCategory.values()
    )
    return known if eligible is True else other if eligible is False else st.one_of(known, other)


def _draw_expense(draw: st.DrawFn, low: dt.date, high: dt.date) -> Expense:
    return Expense(
        date=_draw_day(draw, low, high),
        category=draw(_categories(None)),
        fund=draw(st.sampled_from(FundingSource)),
        amount=draw(money(0, 50_000)),
        note=draw(_OPTIONAL_NOTE),
        reason=draw(_OPTIONAL_REASON),
    )


@functools.lru_cache(maxsize=1)
def _dates() -> st.SearchStrategy[dt.date]:
    return st.dates(ALWAYS, LAST_START)


def _scores(low: Decimal = Decimal(0)) -> st.SearchStrategy[Score]:
    return _tenths(max(low, Decimal(0)), Decimal(100)).map(Score)


def evaluations(
    *,
    kind: EvaluationKind | st.SearchStrategy[EvaluationKind] | None = None,
    date: dt.date | st.SearchStrategy[dt.date] | None = None,
    outcome: Outcome | None = None,
) -> st.SearchStrategy[Evaluation]:
    """Evaluations with a score, an outcome, or both (the model refuses neither).

    ``outcome=None``: any outcome or none (then the score decides against the pass mark);
    an :class:`~sgz_core.enums.Outcome`: exactly that outcome, with or without a score.
    """
    return _evaluations(
        st.sampled_from(EvaluationKind) if kind is None else _strategy(kind),
        _dates() if date is None else _strategy(date),
        outcome,
    )


@st.composite
def _evaluations(
    draw: st.DrawFn,
    kind: st.SearchStrategy[EvaluationKind],
    date: st.SearchStrategy[dt.date],
    outcome: Outcome | None,
) -> Evaluation:
    return _draw_evaluation(draw, draw(kind), draw(date), outcome)


def _draw_evaluation(
    draw: st.DrawFn, kind: EvaluationKind, day: dt.date, outcome: Outcome | None
) -> Evaluation:
    chosen = outcome if outcome is not None else draw(st.sampled_from((None, *Outcome)))
    score = draw(_scores()) if chosen is None or draw(st.booleans()) else None
    return Evaluation(kind=kind, date=day, score=score, outcome=chosen)


def contract_years(
    *,
    year: int | st.SearchStrategy[int] | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    compliant: bool = False,
    policy: Policy | None = None,
) -> st.SearchStrategy[ContractYear]:
    """Contract years numbered ``year`` (default 1 … 3) of a programme starting on ``start``.

    Dates fall in or near that contract year. ``compliant=True``: no year rule of ``policy``
    finds anything (FUND-1 … FUND-4, FUND-8, PAY-1, PERF-3, TERM-1): co-funding at least the
    minimum and in ratio, eligible expenses within each fund, evaluations after signing, mid-term
    before final, all passed.
    """
    chosen = _policy(policy)
    if compliant and chosen.term_years < 1:
        raise InvalidArgument("contract_years: the policy's term has no contract year")
    last = chosen.term_years if compliant else 3
    if isinstance(year, int) and compliant and not 1 <= year <= last:
        raise InvalidArgument(f"contract_years: year {year} is outside the term of {last} years")
    return _contract_years(
        st.integers(1, last) if year is None else _strategy(year),
        st.just(DEFAULT_START) if start is None else _strategy(start),
        compliant,
        chosen,
    )


@st.composite
def _contract_years(
    draw: st.DrawFn,
    year: st.SearchStrategy[int],
    start: st.SearchStrategy[dt.date],
    compliant: bool,
    policy: Policy,
) -> ContractYear:
    return _draw_year(draw, draw(year), draw(start), compliant, policy)


def _draw_year(
    draw: st.DrawFn, number: int, first_day: dt.date, compliant: bool, policy: Policy
) -> ContractYear:
    begin, end = _window(first_day, number)
    if not compliant:
        signed = (
            _draw_day(draw, begin - 30 * _DAY, end + 30 * _DAY) if draw(st.booleans()) else None
        )
        if draw(st.booleans()):
            funding = list(draw(_STANDARD_FUNDING))
        else:
            funding = [draw(_any_funding()) for _ in range(draw(st.integers(0, 5)))]
        kinds = st.sampled_from(EvaluationKind)
        evaluations_ = [
            _draw_evaluation(draw, draw(kinds), _draw_day(draw, begin, end + 90 * _DAY), None)
            for _ in range(draw(st.integers(0, 3)))
        ]
        spent = [_draw_expense(draw, begin, end) for _ in range(draw(st.integers(0, 4)))]
        got = [draw(receipts(date=st.dates(begin, end))) for _ in range(draw(st.integers(0, 3)))]
        return ContractYear(
            year=number,
            signed=signed,
            funding=funding,
            evaluations=evaluations_,
            expenses=spent,
            receipts=got,
        )

    funding = _draw_compliant_funding(draw, policy)
    signed = _draw_day(draw, begin, end) if draw(st.booleans()) else None
    done: list[Evaluation] = []
    if signed is not None and draw(st.booleans()):
        mid_day = _draw_day(draw, signed, end + 60 * _DAY)
        done.append(_draw_passing(draw, EvaluationKind.MID_TERM, mid_day, policy))
        if draw(st.booleans()):
            final_day = _draw_day(draw, mid_day, end + 120 * _DAY)
            done.append(_draw_passing(draw, EvaluationKind.FINAL, final_day, policy))
    remaining: dict[FundingSource, Decimal] = {}
    for f in funding:
        remaining[f.source] = remaining.get(f.source, Decimal(0)) + f.amount
    spent = []
    categories = [c.value for c in policy.eligible_expense_categories]
    declared = {
        source: purposes
        for source in RING_FENCED
        if (purposes := tuple(p for f in funding if f.source is source for p in f.purposes or ()))
    }
    for _ in range(draw(st.integers(0, 4))):
        funds = [
            source
            for source, left in remaining.items()
            if left > 0 and (source in declared if source in RING_FENCED else categories)
        ]
        if not funds:
            break
        fund = draw(st.sampled_from(funds))
        amount = _draw_amount(draw, remaining[fund])
        remaining[fund] -= amount
        spent.append(
            Expense(
                date=_draw_day(draw, begin, end),
                category=draw(st.sampled_from(declared.get(fund) or categories)),
                fund=fund,
                amount=amount,
            )
        )
    cash: list[Receipt] = []
    cash_book: bool = draw(st.booleans())
    if spent and cash_book:  # a cash book: each fund's money arrives on the year's first day
        pledged: dict[FundingSource, Decimal] = {}
        for f in funding:
            pledged[f.source] = pledged.get(f.source, Decimal(0)) + f.amount
        cash = [Receipt(date=begin, source=s, amount=a) for s, a in pledged.items()]
    return ContractYear(
        year=number,
        signed=signed,
        funding=funding,
        evaluations=done,
        expenses=spent,
        receipts=cash,
    )


_LEVELS = (FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT)
_STANDARD_FUNDING = st.sampled_from(("50000", "40000", "50000.01", "60000")).map(
    lambda a: tuple(Funding(level, Decimal(a)) for level in _LEVELS)
)


def _draw_passing(
    draw: st.DrawFn, kind: EvaluationKind, day: dt.date, policy: Policy
) -> Evaluation:
    """An evaluation whose effective outcome is pass under ``policy``."""
    if policy.evaluation_pass_mark <= 100 and draw(st.booleans()):
        return Evaluation(kind=kind, date=day, score=draw(_scores(policy.evaluation_pass_mark)))
    score = draw(_scores()) if draw(st.booleans()) else None
    return Evaluation(kind=kind, date=day, score=score, outcome=Outcome.PASS)


def _draw_compliant_funding(draw: st.DrawFn, policy: Policy) -> list[Funding]:
    levels = list(policy.cofunding_ratio)
    weights_ = list(policy.cofunding_ratio.values())
    base = allocate(policy.min_station_funding, weights_)
    amounts = allocate(policy.min_station_funding + draw(money(0, 100_000)), weights_)
    if any(a < b for a, b in zip(amounts, base, strict=True)):
        amounts = base
    entries = [Funding(level, a) for level, a in zip(levels, amounts, strict=True)]
    others = [source for source in FundingSource if source not in levels]
    eligible = [c.value for c in policy.eligible_expense_categories]
    if others:
        for _ in range(draw(st.integers(0, 2))):
            source = draw(st.sampled_from(others))
            purposes = None
            if source in RING_FENCED:
                purposes = tuple(
                    draw(
                        st.lists(st.sampled_from(eligible or ["services"]), max_size=3, unique=True)
                    )
                )
            entries.append(Funding(source, draw(money(0, 50_000)), purposes))
    return _draw_shuffled(draw, entries)


__all__ = [
    "contract_years",
    "evaluations",
    "expenses",
    "fundings",
    "hardship_relief",
    "receipts",
]
