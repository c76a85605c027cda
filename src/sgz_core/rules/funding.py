"""Funding rules: FUND-1 … FUND-9 (seed ``三(二)``, ``四(二)``, ``四(三)``)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from sgz_core.enums import ExpenseCategory, FundingSource, Severity
from sgz_core.fund_ledger import overdrafts
from sgz_core.model import (
    RING_FENCED,
    Contractor,
    ContractYear,
    Expense,
    Money,
    Programme,
    Station,
)
from sgz_core.money import FEN, ZERO, allocate, exact
from sgz_core.rules import Context, Say, Scope, error, notice, rule, warning

if TYPE_CHECKING:
    from stdnum.exceptions import ValidationError


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _uscc_reasons() -> tuple[tuple[type[ValidationError], str], ...]:
    """Why a credit code is invalid, in Chinese, for each of stdnum's exceptions (FUND-9).
    ``stdnum`` is imported when a code is first checked, not with the rules (issue 12)."""
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

    return (
        (InvalidLength, "长度不是18位"),
        (InvalidFormat, "前8位含有非数字字符，或含有代码中不允许的字母"),
        (InvalidChecksum, "最后一位校验码不对"),
        (InvalidComponent, "其中的登记管理部门、机构类别或行政区划代码不对"),
    )


def _uscc_reason(exc: ValidationError) -> str:
    """stdnum's reason ``exc`` as a Chinese phrase."""
    for kind, zh in _uscc_reasons():
        if isinstance(exc, kind):
            return zh
    return "不符合国家标准GB 32100"


def _category_zh(category: str) -> str:
    """The Chinese label of an expense category; a category sgz does not know stays as it is."""
    try:
        return ExpenseCategory(category).zh
    except ValueError:
        return category


def _category_en(category: str) -> str:
    try:
        return ExpenseCategory(category).en
    except ValueError:
        return category


def base_shares(
    min_funding: Decimal, ratio: Mapping[FundingSource, Decimal]
) -> dict[FundingSource, Decimal]:
    """Each co-funding level's base share of the minimum funding (FUND-2)."""
    return dict(_base_shares(min_funding, tuple(ratio.items())))


def _split_minimum(
    min_funding: Decimal, ratio: tuple[tuple[FundingSource, Decimal], ...]
) -> tuple[tuple[FundingSource, Decimal], ...]:
    parts = allocate(min_funding, [weight for _, weight in ratio])
    return tuple(zip((level for level, _ in ratio), parts, strict=True))


# the same few (minimum, ratio) pairs recur for every station-year: split each once. Wrapped
# here rather than decorated so that mutation testing mutates the function (docs/testing.md).
_base_shares = functools.lru_cache(maxsize=256)(_split_minimum)


def minimum_funding(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    policy = ctx.year_policy(year)
    value = year.contract_value(policy.cofunding_levels)
    if value < policy.min_station_funding:
        yield error(
            f"第{year.year}年省市区配套经费合计{_yuan(value)}元，低于每站{_yuan(policy.min_station_funding)}元的标准。",
            f"In year {year.year} the co-funding totals {_yuan(value)} CNY, "
            f"below the minimum of {_yuan(policy.min_station_funding)} CNY per station.",
        )


rule(
    "FUND-1",
    clause="三(二)",
    scope=Scope.YEAR,
    title="每站每年经费不低于标准",
    title_en="Minimum funding per station-year",
)(minimum_funding)


def cofunding_shares(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    policy = ctx.year_policy(year)
    ratio = policy.cofunding_ratio
    bases = base_shares(policy.min_station_funding, ratio)
    short = False
    for level, base in bases.items():
        given = year.funded_by(level)
        if given < base:
            short = True
            yield error(
                f"第{year.year}年{level.zh}配套{_yuan(given)}元，少于应配套的{_yuan(base)}元。",
                f"In year {year.year} the {level.en} gives {_yuan(given)} CNY, less than its share of {_yuan(base)} CNY.",
            )
    if short:
        return
    amounts = [year.funded_by(level) for level in ratio]
    # in ratio when every level is within a fen of its exact proportional share; exact: an
    # amount of 28 digits times a weight has more than Decimal's default precision
    with exact():
        total, weight = sum(amounts, ZERO), sum(ratio.values(), Decimal(0))
        off = any(
            abs(a * weight - total * w) >= FEN * weight
            for a, w in zip(amounts, ratio.values(), strict=True)
        )
    if off:
        ratio_text = ":".join(f"{w.normalize():f}" for w in ratio.values())
        given_text = " / ".join(_yuan(a) for a in amounts)
        levels_zh = "、".join(level.zh for level in ratio)
        levels_en = " / ".join(level.en for level in ratio)
        yield warning(
            f"第{year.year}年{levels_zh}配套{given_text}元，不符合{ratio_text}的比例。",
            f"In year {year.year} the {levels_en} give {given_text} CNY, which is not in the ratio {ratio_text}.",
        )


rule(
    "FUND-2",
    clause="三(二)",
    scope=Scope.YEAR,
    title="省市区按比例配套",
    title_en="Province, city and district co-fund in ratio",
)(cofunding_shares)


def eligible_spending(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    policy = ctx.year_policy(year)
    categories = policy.eligible_expense_categories
    eligible = {c.value for c in categories}
    allowed_zh = "、".join(c.zh for c in categories)
    allowed_en = ", ".join(c.en for c in categories)
    always_error = policy.other_expense_category_severity is Severity.ERROR
    for expense in year.expenses:
        if expense.fund in RING_FENCED or expense.category in eligible:
            continue  # ring-fenced money pays for its own declared purposes (FUND-8)
        zh = (
            f"第{year.year}年{expense.date.isoformat()}支出的{_yuan(expense.amount)}元用于"
            f"“{_category_zh(expense.category)}”，不在规定的用途（{allowed_zh}）之内"
        )
        en = (
            f"In year {year.year} an expense of {_yuan(expense.amount)} CNY on {expense.date.isoformat()} "
            f"pays for {_category_en(expense.category)!r}, which station money may not pay for "
            f"(allowed: {allowed_en})"
        )
        reason = (expense.reason or "").strip()
        if not reason:
            yield error(zh + "。", en + ".")
            continue
        zh += f"，给出的理由是“{reason}”。"
        en += f"; the reason given is {reason!r}."
        yield error(zh, en) if always_error else warning(zh, en)


rule(
    "FUND-3",
    clause="三(二)",
    scope=Scope.YEAR,
    title="经费只用于规定用途",
    title_en="Station money pays only for eligible costs",
)(eligible_spending)


def top_up_not_replacement(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    top_up = year.funded_by(FundingSource.STREET)
    if top_up <= 0:
        return
    policy = ctx.year_policy(year)
    for level, base in base_shares(policy.min_station_funding, policy.cofunding_ratio).items():
        given = year.funded_by(level)
        if given < base:
            yield error(
                f"第{year.year}年街道自筹{_yuan(top_up)}元，不能替代{level.zh}应配套的{_yuan(base)}元（实际配套{_yuan(given)}元）。",
                f"In year {year.year} the street's top-up of {_yuan(top_up)} CNY cannot replace the "
                f"{level.en} share of {_yuan(base)} CNY (given: {_yuan(given)} CNY).",
            )


rule(
    "FUND-4",
    clause="三(二)",
    scope=Scope.YEAR,
    title="街道自筹不能替代配套",
    title_en="Street top-ups never replace a level's share",
)(top_up_not_replacement)


def hardship_relief_cap(programme: Programme, ctx: Context) -> Iterator[Say]:
    ctx.policy  # noqa: B018 - a profile without a value on the day asked about fails for that day first
    for entry in sorted(programme.hardship_relief, key=lambda h: h.year):
        share = ctx.profile.at(programme.year_start(entry.year)).hardship_fund_cap_share
        # exact: a budget has up to 28 digits and a share up to 40, more than Decimal's default
        with exact():
            cap = entry.budget * share
            allowed = cap.quantize(FEN, rounding=ROUND_DOWN)  # the most a fen-exact sum may be
        if entry.social_work > cap:
            percent = f"{(share * 100).normalize():f}%"
            yield error(
                f"第{entry.year}年困难群众救助补助资金{_yuan(entry.budget)}元中，用于购买社会工作服务的"
                f"{_yuan(entry.social_work)}元超过了{percent}的上限{_yuan(allowed)}元。",
                f"In year {entry.year}, {_yuan(entry.social_work)} CNY of the {_yuan(entry.budget)} CNY "
                f"hardship-relief funds buy social-work services, more than the cap of {percent} "
                f"({_yuan(allowed)} CNY).",
                year=entry.year,
            )


rule(
    "FUND-5",
    clause="四(二)",
    scope=Scope.PROGRAMME,
    title="困难群众救助补助资金购买社工服务不超过上限",
    title_en="Hardship-relief funds buy social work within the cap",
)(hardship_relief_cap)


def _unpledged_receipts(year: ContractYear, source: FundingSource) -> Iterator[Say]:
    received = Money(sum((r.amount for r in year.receipts if r.source is source), ZERO))
    pledged = year.funded_by(source)
    if received <= pledged:
        return
    if not any(f.source is source for f in year.funding):
        yield notice(
            f"第{year.year}年收到“{source.zh}”{_yuan(received)}元，但该年的经费中没有这项资金；"
            "请把它作为单独的资金来源列入经费。",
            f"In year {year.year} the station received {_yuan(received)} CNY from the {source.en}, "
            "but the year's funding has no line for it; record it as a funding source of its own.",
        )
    else:
        yield notice(
            f"第{year.year}年收到“{source.zh}”{_yuan(received)}元，多于经费中列明的{_yuan(pledged)}元。",
            f"In year {year.year} the station received {_yuan(received)} CNY from the {source.en}, "
            f"more than the {_yuan(pledged)} CNY its funding lines show.",
        )


def lottery_fund_recorded(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    yield from _unpledged_receipts(year, FundingSource.LOTTERY)


rule(
    "FUND-6",
    clause="四(二)",
    scope=Scope.YEAR,
    title="彩票公益金作为单独的资金来源",
    title_en="Lottery welfare money is a funding source of its own",
)(lottery_fund_recorded)


def charity_fund_recorded(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    yield from _unpledged_receipts(year, FundingSource.CHARITY)


rule(
    "FUND-7",
    clause="四(二)",
    scope=Scope.YEAR,
    title="慈善专项基金作为单独的资金来源",
    title_en="A charity's social-work fund is a funding source of its own",
)(charity_fund_recorded)


def _purposes_zh(purposes: tuple[str, ...]) -> str:
    return "、".join(_category_zh(p) for p in purposes)


def _purposes_en(purposes: tuple[str, ...]) -> str:
    return ", ".join(_category_en(p) for p in purposes)


def _overdrawn(year: ContractYear) -> Iterator[Say]:
    for o in overdrafts(year):
        fund = o.source
        if not o.exists:
            yield error(
                f"第{year.year}年有{_yuan(o.spent)}元支出记在“{fund.zh}”名下，但该年没有这项资金。",
                f"In year {year.year}, {_yuan(o.spent)} CNY of expenses are booked to the {fund.en}, "
                "which gave no money that year.",
            )
        elif o.day is None:
            yield error(
                f"第{year.year}年“{fund.zh}”的支出{_yuan(o.spent)}元超过该项资金的{_yuan(o.available)}元，挤占了其他资金。",
                f"In year {year.year} the {fund.en} expenses of {_yuan(o.spent)} CNY exceed its "
                f"{_yuan(o.available)} CNY, so another fund is being drawn on.",
            )
        else:
            day = o.day.isoformat()
            yield error(
                f"第{year.year}年截至{day}，“{fund.zh}”已支出{_yuan(o.spent)}元，超过当时已到账的"
                f"{_yuan(o.available)}元，挤占了其他资金。",
                f"In year {year.year}, by {day} the {fund.en} expenses of {_yuan(o.spent)} CNY exceed "
                f"the {_yuan(o.available)} CNY it had received by then, so another fund is being drawn on.",
            )


def _expense_heads(year: ContractYear, expense: Expense) -> tuple[str, str]:
    """How a misdirected expense's finding begins, in Chinese and English."""
    fund, category = expense.fund, expense.category
    return (
        f"第{year.year}年{expense.date.isoformat()}从“{fund.zh}”支出的{_yuan(expense.amount)}元"
        f"用于“{_category_zh(category)}”",
        f"In year {year.year} an expense of {_yuan(expense.amount)} CNY on "
        f"{expense.date.isoformat()} from the {fund.en} pays for {_category_en(category)!r}",
    )


def _misdirected(year: ContractYear, eligible: set[str]) -> Iterator[Say]:
    """Expenses that draw one fund for another's purpose (不得混用、挤占、挪用)."""
    present = {f.source for f in year.funding} | {r.source for r in year.receipts}
    declared = {fund: year.purposes_of(fund) for fund in RING_FENCED if fund in present}
    if not declared:  # no ring-fenced money: nothing can be drawn for its purpose
        return
    for expense in year.expenses:
        fund, category = expense.fund, expense.category
        owners = [other for other, ps in declared.items() if other is not fund and category in ps]
        if fund in declared:
            own = declared[fund]
            if category in own:
                continue
            head_zh, head_en = _expense_heads(year, expense)
            own_zh = f"（{_purposes_zh(own)}）" if own else "（未申明任何用途）"
            # "declared for the fund", not "the fund's declared purposes": the external fund's
            # English name is plural ("funds linked from outside civil affairs's" read badly)
            own_en = f" ({_purposes_en(own)})" if own else " (none declared)"
            if owners:
                other = owners[0]
                yield error(
                    f"{head_zh}，这是“{other.zh}”申明的用途，不是“{fund.zh}”申明的用途{own_zh}，"
                    "属于挪用。",
                    f"{head_en}, a purpose declared by the {other.en}, not one declared for the "
                    f"{fund.en}{own_en}: one fund is drawn for another's purpose.",
                )
            else:
                yield error(
                    f"{head_zh}，不在“{fund.zh}”申明的用途{own_zh}之内。",
                    f"{head_en}, which is not one of the purposes declared for the "
                    f"{fund.en}{own_en}.",
                )
        elif fund not in RING_FENCED and owners and category not in eligible:
            head_zh, head_en = _expense_heads(year, expense)
            other = owners[0]
            yield error(
                f"{head_zh}，这是“{other.zh}”申明的用途，不是站点经费的用途，“{other.zh}”的支出"
                f"挤占了“{fund.zh}”。",
                f"{head_en}, a purpose declared by the {other.en} and not one station money pays "
                f"for, so the {fund.en} is drawn for the {other.en}'s purpose.",
            )


def separate_accounts(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    yield from _overdrawn(year)
    eligible = {c.value for c in ctx.year_policy(year).eligible_expense_categories}
    yield from _misdirected(year, eligible)


rule(
    "FUND-8",
    clause="四(三)",
    scope=Scope.YEAR,
    title="资金单独核算，不得混用挤占",
    title_en="Each fund pays only from its own money",
)(separate_accounts)


def non_profit_contractor(contractor: Contractor, ctx: Context) -> Iterator[Say]:
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError

    code = contractor.uscc.strip().upper()
    try:
        uscc.validate(code)
    except ValidationError as exc:
        yield error(
            f"承接机构“{contractor.name}”（{contractor.id}）的统一社会信用代码“{contractor.uscc}”无效：{_uscc_reason(exc)}。",
            f"The unified social credit code {contractor.uscc!r} of contractor {contractor.id!r} "
            f"is not valid: {str(exc).rstrip('.')}.",
        )
        return
    authorities = ctx.policy.contractor_registration_authorities
    if code[0] not in authorities:
        yield error(
            f"承接机构“{contractor.name}”（{contractor.id}）的统一社会信用代码以“{code[0]}”开头，"
            f"不是民政部门登记的社会组织（应以{'或'.join(authorities)}开头）。",
            f"The credit code of contractor {contractor.id!r} starts with {code[0]!r}, so it is not registered "
            f"by civil affairs (expected {' or '.join(authorities)}); profit-seeking bodies may not contract.",
        )


rule(
    "FUND-9",
    clause="四(三)",
    scope=Scope.CONTRACTOR,
    title="承接机构须为民政登记的非营利组织",
    title_en="Contractors are non-profits registered by civil affairs",
)(non_profit_contractor)


__all__ = [
    "base_shares",
    "charity_fund_recorded",
    "cofunding_shares",
    "eligible_spending",
    "hardship_relief_cap",
    "lottery_fund_recorded",
    "minimum_funding",
    "non_profit_contractor",
    "separate_accounts",
    "top_up_not_replacement",
]
