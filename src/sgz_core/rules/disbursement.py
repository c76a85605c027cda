"""Disbursement rules: PAY-1 (``三(三)``) and PERF-3 (``四(四)``)."""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.disbursement import evaluations_in_order, year_tranches
from sgz_core.enums import EvaluationKind, Outcome, TrancheStatus
from sgz_core.model import ContractYear, Station
from sgz_core.rules import Context, Say, Scope, error, notice, rule, warning


def milestones_in_order(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    evaluations = sorted(year.evaluations, key=lambda e: e.date)
    for e in evaluations:
        if year.signed is None or e.date < year.signed:
            when = (
                "合同尚未签订" if year.signed is None else f"合同{year.signed.isoformat()}签订之前"
            )
            when_en = (
                "the contract is not signed"
                if year.signed is None
                else f"before the contract was signed on {year.signed.isoformat()}"
            )
            yield error(
                f"第{year.year}年{e.kind.zh}（{e.date.isoformat()}）在{when}",
                f"year {year.year}: {e.kind.en} on {e.date.isoformat()}, but {when_en}",
            )
    mid = [e.date for e in evaluations if e.kind is EvaluationKind.MID_TERM]
    for e in evaluations:
        if e.kind is EvaluationKind.FINAL and not mid:
            yield error(
                f"第{year.year}年末期评估（{e.date.isoformat()}）之前没有中期评估",
                f"year {year.year}: final evaluation on {e.date.isoformat()} without any mid-term evaluation before it",
            )
        elif e.kind is EvaluationKind.FINAL and e.date < mid[0]:
            yield error(
                f"第{year.year}年末期评估（{e.date.isoformat()}）早于中期评估（{mid[0].isoformat()}）",
                f"year {year.year}: final evaluation on {e.date.isoformat()} comes before the first "
                f"mid-term evaluation on {mid[0].isoformat()}",
            )


rule(
    "PAY-1",
    clause="三(三)",
    scope=Scope.YEAR,
    title="按节点拨付",
    title_en="Tranches follow their milestones",
)(milestones_in_order)


def evaluation_outcomes(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    policy = ctx.year_policy(year)
    for e in evaluations_in_order(year, ctx.as_of):
        outcome = e.effective_outcome(policy.evaluation_pass_mark)
        day = e.date.isoformat()
        if outcome is Outcome.CORRECT:
            score = f"（{e.score:f}分）" if e.score is not None else ""
            yield warning(
                f"第{year.year}年{e.kind.zh}{score}要求限期纠正（{day}）",
                f"year {year.year}: the {e.kind.en} of {day} asks for correction",
            )
        elif outcome is Outcome.SUSPEND:
            yield warning(
                f"第{year.year}年{e.kind.zh}决定暂缓执行（{day}），后续拨付暂缓",
                f"year {year.year}: the {e.kind.en} of {day} suspended the project; later tranches are held",
            )
        elif outcome is Outcome.STOP:
            yield error(
                f"第{year.year}年{e.kind.zh}决定停止执行（{day}），未拨付资金取消",
                f"year {year.year}: the {e.kind.en} of {day} stopped the project; unreleased tranches are cancelled",
            )
    from sgz_core.rules.performance import perf_3_results

    yield from perf_3_results(station, year, ctx)
    for t in year_tranches(station, year, policy, ctx.as_of):
        if t.status is TrancheStatus.HELD:
            yield notice(
                f"第{year.year}年“{t.milestone.zh}”节点{t.amount:,.2f}元暂缓拨付",
                f"year {year.year}: the {t.milestone.en} tranche of {t.amount:,.2f} CNY is held",
            )


rule(
    "PERF-3",
    clause="四(四)",
    scope=Scope.YEAR,
    title="评估结果运用：纠正、暂缓、停止",
    title_en="Evaluation outcomes: correct, suspend, stop",
)(evaluation_outcomes)


__all__ = [
    "evaluation_outcomes",
    "milestones_in_order",
]
