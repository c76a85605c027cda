"""Scope rules: TERM-1 (``一``, ``三(七)``) and LOT-1 (``一``).

TERM-1 follows each station's contract years through the term: years beyond it, a year begun
without a contract, evaluations overdue (profile deadlines) or dated outside their year, a
renewal after a ``stop`` or, without a ``renewal_reason``, after a final that did not pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sgz_core.disbursement import evaluations_in_order
from sgz_core.enums import EvaluationKind, Outcome
from sgz_core.model import ContractYear, Programme, Station
from sgz_core.rules import Context, Say, Scope, error, rule, warning


def _final_outcome(year: ContractYear, ctx: Context) -> Outcome | None:
    """The outcome of the year's last final evaluation up to the day checked (None: none yet)."""
    finals = [e for e in evaluations_in_order(year, ctx.as_of) if e.kind is EvaluationKind.FINAL]
    return (
        finals[-1].effective_outcome(ctx.year_policy(year).evaluation_pass_mark) if finals else None
    )


def _stopped(year: ContractYear, ctx: Context) -> dt.date | None:
    pass_mark = ctx.year_policy(year).evaluation_pass_mark
    for e in evaluations_in_order(year, ctx.as_of):
        if e.effective_outcome(pass_mark) is Outcome.STOP:
            return e.date
    return None


def within_term(station: Station, ctx: Context) -> Iterator[Say]:
    programme, on = ctx.programme, ctx.as_of
    years = {y.year: y for y in station.years}
    term = ctx.policy.term_years
    for year in sorted(station.years, key=lambda y: y.year):
        n = year.year
        if n > term:
            yield error(
                f"第{n}年超出{term}年的服务期限。",
                f"Contract year {n} is beyond the service term of {term} years.",
                year=n,
            )
        start, end = programme.year_start(n), programme.year_end(n)
        if year.signed is not None and year.signed > end:
            yield warning(
                f"第{n}年合同签订日{year.signed.isoformat()}晚于该合同年结束日{end.isoformat()}。",
                f"In year {n} the contract was signed on {year.signed.isoformat()}, after the "
                f"contract year ended on {end.isoformat()}.",
                year=n,
            )
        for e in year.evaluations:
            if not start <= e.date <= end:
                yield warning(
                    f"第{n}年{e.kind.zh}日期{e.date.isoformat()}不在该合同年（{start.isoformat()}至{end.isoformat()}）内。",
                    f"In year {n} the {e.kind.en} of {e.date.isoformat()} is outside the "
                    f"contract year ({start.isoformat()} to {end.isoformat()}).",
                    year=n,
                )
        yield from _overdue(year, ctx)
        previous = years.get(n - 1)
        if previous is not None and year.signed is not None:
            yield from _renewal(previous, year, ctx)
    # a year of the term that has begun without a contract
    for n in range(1, term + 1):
        start = programme.year_start(n)
        if start > on:
            break
        entry = years.get(n)
        if entry is not None and entry.signed is not None:
            continue
        previous = years.get(n - 1)
        if previous is not None and (
            _stopped(previous, ctx) is not None
            or (_final_outcome(previous, ctx) not in (None, Outcome.PASS) and entry is None)
        ):
            break  # not renewed after a stop or a failed final: the term ends, nothing more is owed
        yield error(
            f"第{n}年已于{start.isoformat()}开始，尚未签订合同。",
            f"Year {n} began on {start.isoformat()} and has no signed contract.",
            year=n,
        )


rule(
    "TERM-1",
    clause="一 三(七)",
    scope=Scope.STATION,
    title="服务期限，合同每年续签",
    title_en="Service term; contract renewed yearly",
)(within_term)


def _overdue(year: ContractYear, ctx: Context) -> Iterator[Say]:
    """A mid-term or final evaluation past its deadline (profile, local practice)."""
    if year.signed is None or year.signed > ctx.as_of or _stopped(year, ctx) is not None:
        return
    deadlines = ctx.year_policy(year).evaluation_deadline_days
    start = ctx.programme.year_start(year.year)
    for kind in EvaluationKind:
        try:
            due = start + dt.timedelta(days=deadlines[kind])
        except OverflowError:
            continue  # a deadline past the calendar's end is never overdue
        done = any(e.kind is kind and e.date <= ctx.as_of for e in year.evaluations)
        if ctx.as_of > due and not done:
            yield warning(
                f"第{year.year}年{kind.zh}应于{due.isoformat()}前完成，至今未见记录。",
                f"In year {year.year} the {kind.en} was due by {due.isoformat()} and is not "
                "recorded.",
                year=year.year,
            )


def _renewal(previous: ContractYear, year: ContractYear, ctx: Context) -> Iterator[Say]:
    """Results tied to later purchases: no renewal after a stop; a reason after a failed final."""
    n = year.year
    stopped = _stopped(previous, ctx)
    if stopped is not None:
        yield error(
            f"第{n - 1}年已于{stopped.isoformat()}决定停止执行，第{n}年仍续签了合同。",
            f"Year {n} was renewed although year {n - 1} was stopped on {stopped.isoformat()}.",
            year=n,
        )
        return
    outcome = _final_outcome(previous, ctx)
    if outcome is not None and outcome is not Outcome.PASS and not year.renewal_reason:
        yield warning(
            f"第{n - 1}年末期评估未通过（{outcome.zh}），第{n}年续签却未记录理由（renewal_reason）。",
            f"Year {n} was renewed after year {n - 1}'s final evaluation said {outcome.value}, "
            "with no renewal_reason recorded.",
            year=n,
        )


def lots(programme: Programme, ctx: Context) -> Iterator[Say]:
    table = {lot.lot: lot for lot in ctx.policy.lots}
    if not table:
        return
    seen: dict[int, str] = {}
    for station in programme.stations:
        if station.lot is None:
            yield error("本站未标明包号。", "The station names no lot.", station=station.id)
            continue
        lot = table.get(station.lot)
        if lot is None:
            known = ", ".join(str(n) for n in sorted(table))
            yield error(
                f"本站的包号{station.lot}不存在（应为{known}之一）。",
                f"Lot {station.lot} does not exist (expected one of {known}).",
                station=station.id,
            )
            continue
        if station.lot in seen:
            yield error(
                f"包号{station.lot}已由站点“{seen[station.lot]}”承接，每包只设一站。",
                f"Lot {station.lot} already has station {seen[station.lot]!r}, and each lot has "
                "one station.",
                station=station.id,
            )
        seen.setdefault(station.lot, station.id)
        if station.street != lot.street:
            yield error(
                f"包号{lot.lot}应在{lot.street}，而本站在{station.street}。",
                f"Lot {lot.lot} is on {lot.street}, not on {station.street}.",
                station=station.id,
            )
        missing = [c for c in lot.communities if c not in station.communities]
        if missing:
            yield error(
                f"包号{lot.lot}还应服务" + "、".join(missing) + "。",
                f"Lot {lot.lot} must also serve " + ", ".join(missing) + ".",
                station=station.id,
            )
    for number, lot in sorted(table.items()):
        if number not in seen:
            yield error(
                f"包号{number}（{lot.street}）没有站点。",
                f"Lot {number} ({lot.street}) has no station.",
            )


rule(
    "LOT-1",
    clause="一",
    scope=Scope.PROGRAMME,
    title="包号与服务社区",
    title_en="Lots: one station each, on its street and communities",
)(lots)


__all__ = [
    "lots",
    "within_term",
]
