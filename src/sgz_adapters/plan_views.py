"""A budget plan (``sgz plan``) as JSON data, as TOML data and as a table, for the reporters.

The JSON shape is documented in ``docs/money.md`` ("Planning a budget") and is stable: keys
and their order are a contract; amounts are strings with two decimals (a difference may be
negative), months are ``YYYY-MM``, days ``YYYY-MM-DD``; every map of amounts has one key per
level of ``levels`` (a level a year does not fund has ``"0.00"``). The TOML is the same data
without the keys whose value is null (TOML has no null). :mod:`sgz_adapters.views` dispatches
the ``plan`` kind here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sgz_adapters.views import share_text
from sgz_core.enums import FundingSource
from sgz_core.planner import Comparison, MonthFlow, Plan, PlannedTranche, YearBudget
from sgz_core.results import PlanResult
from sgz_core.text import Text


def _yuan(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _month(flow_month: Any) -> str:
    return f"{flow_month.year:04d}-{flow_month.month:02d}"


def _levels(
    levels: tuple[FundingSource, ...], amounts: Mapping[FundingSource, Decimal]
) -> dict[str, str]:
    return {level.value: _yuan(amounts.get(level, Decimal(0))) for level in levels}


def _weight(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _tranche(t: PlannedTranche, levels: tuple[FundingSource, ...]) -> dict[str, Any]:
    return {
        "milestone": t.milestone.value,
        "share": share_text(t.share),
        "date": t.date.isoformat(),
        "month": _month(t.month),
        "per_station": _yuan(t.per_station),
        "levels": _levels(levels, t.levels),
        "total": _yuan(t.total),
    }


def _flow(f: MonthFlow, levels: tuple[FundingSource, ...]) -> dict[str, Any]:
    return {"month": _month(f.month), "levels": _levels(levels, f.levels), "total": _yuan(f.total)}


def _year(y: YearBudget, levels: tuple[FundingSource, ...]) -> dict[str, Any]:
    return {
        "year": y.year,
        "start": y.start.isoformat(),
        "end": y.end.isoformat(),
        "station_value": _yuan(y.station_value),
        "ratio": {level.value: _weight(w) for level, w in y.ratio.items()},
        "station_shares": _levels(levels, y.station_shares),
        "budget": _levels(levels, y.levels),
        "total": _yuan(y.total),
        "tranches": [_tranche(t, levels) for t in y.tranches],
        "cash_flow": [_flow(f, levels) for f in y.cash_flow(levels)],
    }


def _comparison(c: Comparison, vs: str) -> dict[str, Any]:
    levels = c.levels
    return {
        "profile": vs,
        "levels": [level.value for level in levels],
        "years": [
            {
                "year": d.year,
                "base": _levels(levels, d.base),
                "base_total": _yuan(sum(d.base.values(), Decimal(0))),
                "other": _levels(levels, d.other),
                "other_total": _yuan(sum(d.other.values(), Decimal(0))),
                "difference": _levels(levels, d.levels),
                "difference_total": _yuan(d.total),
            }
            for d in c.years
        ],
        "totals": {
            "base": _levels(levels, c.base.totals),
            "base_total": _yuan(c.base.total),
            "other": _levels(levels, c.other.totals),
            "other_total": _yuan(c.other.total),
            "difference": _levels(levels, c.totals),
            "difference_total": _yuan(c.total),
        },
    }


def plan_json(r: PlanResult) -> dict[str, Any]:
    """The JSON value of a plan (``sgz plan --format json``)."""
    p: Plan = r.plan
    levels = p.levels
    return {
        "profile": r.profile.id,
        "stations": p.stations,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "levels": [level.value for level in levels],
        "years": [_year(y, levels) for y in p.years],
        "totals": {"budget": _levels(levels, p.totals), "total": _yuan(p.total)},
        "cash_flow": [_flow(f, levels) for f in p.cash_flow()],
        "vs": None if r.comparison is None or r.vs is None else _comparison(r.comparison, r.vs.id),
    }


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def plan_toml_data(r: PlanResult) -> dict[str, Any]:
    """The plan's JSON data without its null values, for ``--format toml``."""
    data: dict[str, Any] = _without_nulls(plan_json(r))
    return data


# --- the table -------------------------------------------------------------------------------

T = Text
SAY: dict[str, Text] = {
    "title": T(
        "{profile}：{stations} 个站点自 {start} 起 {years} 个合同年的预算",
        "{profile}: budget of {stations} station{s} over {years} contract year{ys} from {start}",
    ),
    "year": T("合同年", "year"),
    "month": T("月份", "month"),
    "item": T("项目", "item"),
    "total": T("合计", "total"),
    "tranche": T("{milestone} {share}%", "{milestone} {share}%"),
    "year_budget": T("第{year}年预算", "year {year} budget"),
    "plan_total": T("{years} 年合计", "{years} year{ys} in total"),
    "other_budget": T("对比配置预算", "budget under --vs"),
    "difference": T("差额（对比 − 本配置）", "difference (--vs − profile)"),
    "difference_total": T("差额合计", "difference in total"),
    "policy": T(
        "第{year}年（{start} 至 {end}）：每站 {value} 元，{levels} = {ratio}（按 {day} 有效的配置，PROF-1）",
        "year {year} ({start} to {end}): {value} yuan a station, {levels} = {ratio} "
        "(the profile in force on {day}, PROF-1)",
    ),
    "months": T(
        "合同签订款在合同年首月；中期、末期评估款在配置的评估期限（evaluation_deadline_days，"
        "合同年开始后若干天）所在月份拨付；表中未列的月份没有拨付；末期款可能落在下一合同年，仍属本年预算。",
        "the contract-signed tranche falls in the year's first month, the mid-term and final "
        "ones in the month of the profile's evaluation deadline (evaluation_deadline_days after "
        "the year's first day); months not listed pay nothing; a final tranche may fall in the "
        "next contract year and is still its own year's money.",
    ),
    "vs": T(
        "对比配置 {vs}：差额为对比配置减本配置（{profile}），正数表示需多安排的预算。",
        "--vs {vs}: the difference is its budget minus that of {profile}; a positive amount "
        "is what the change costs more.",
    ),
    "term": T(
        "服务期限为 {term} 年（TERM-1）：第 {next} 年起超出服务期限。",
        "the service term is {term} years (TERM-1): from year {next} the plan goes beyond it.",
    ),
}


def _say(key: str, lang: str, **values: object) -> str:
    return SAY[key].get(lang).format(**values)


def _cells(
    levels: tuple[FundingSource, ...],
    amounts: Mapping[FundingSource, Decimal],
    total: Decimal,
    sign: bool = False,
) -> tuple[str, ...]:
    shown = "{:+.2f}" if sign else "{:.2f}"
    return (
        *(shown.format(amounts.get(level, Decimal(0))) for level in levels),
        shown.format(total),
    )


def _span(y: YearBudget) -> str:
    return f"{_month(y.start)}—{_month(y.end)}"


def plan_table(r: PlanResult, lang: str) -> Any:
    """The plan as one table in ``lang``: each year's tranches by month, its budget, the total,
    and with ``--vs`` the other profile's budget and the difference per year."""
    from sgz_adapters.views import Table

    p = r.plan
    c = r.comparison
    levels = c.levels if c is not None else p.levels
    rows: list[tuple[str, ...]] = []
    for y in p.years:
        for t in y.tranches:
            milestone = t.milestone.label(lang) if lang == "zh" else t.milestone.value
            item = _say("tranche", lang, milestone=milestone, share=_weight(t.share * 100))
            rows.append((str(y.year), _month(t.month), item, *_cells(levels, t.levels, t.total)))
        rows.append(
            (
                str(y.year),
                _span(y),
                _say("year_budget", lang, year=y.year),
                *_cells(levels, y.levels, y.total),
            )
        )
    rows.append(
        (
            "",
            "",
            _say("plan_total", lang, years=len(p.years), ys="" if len(p.years) == 1 else "s"),
            *_cells(levels, p.totals, p.total),
        )
    )
    if c is not None:
        for d in c.years:
            rows.append(
                (
                    str(d.year),
                    "",
                    _say("other_budget", lang),
                    *_cells(levels, d.other, sum(d.other.values(), Decimal(0))),
                )
            )
            rows.append(
                (
                    str(d.year),
                    "",
                    _say("difference", lang),
                    *_cells(levels, d.levels, d.total, True),
                )
            )
        rows.append(
            ("", "", _say("difference_total", lang), *_cells(levels, c.totals, c.total, True))
        )
    columns = (
        _say("year", lang),
        _say("month", lang),
        _say("item", lang),
        *(level.label(lang) for level in levels),
        _say("total", lang),
    )
    notes = []
    for y in p.years:
        names = ":".join(level.label(lang) if lang == "zh" else level.value for level in y.ratio)
        notes.append(
            _say(
                "policy",
                lang,
                year=y.year,
                start=y.start.isoformat(),
                end=y.end.isoformat(),
                value=_yuan(y.station_value),
                levels=names,
                ratio=":".join(_weight(w) for w in y.ratio.values()),
                day=y.start.isoformat(),
            )
        )
    notes.append(_say("months", lang))
    term = r.profile.at(p.start).term_years
    if len(p.years) > term:
        notes.append(_say("term", lang, term=term, next=term + 1))
    if c is not None and r.vs is not None:
        notes.append(_say("vs", lang, vs=r.vs.id, profile=r.profile.id))
    title = _say(
        "title",
        lang,
        profile=r.profile.id,
        stations=p.stations,
        s="" if p.stations == 1 else "s",
        start=p.start.isoformat(),
        years=len(p.years),
        ys="" if len(p.years) == 1 else "s",
    )
    return Table(title, columns, tuple(rows), None, tuple(notes))


__all__ = ["SAY", "plan_json", "plan_table", "plan_toml_data"]
