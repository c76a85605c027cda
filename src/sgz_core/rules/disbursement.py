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
            day = e.date.isoformat()
            if year.signed is None:
                zh, en = "但合同尚未签订", "but the contract is not signed"
            else:
                signed = year.signed.isoformat()
                zh, en = f"早于{signed}合同签订", f"before the contract was signed on {signed}"
            yield error(
                f"第{year.year}年{e.kind.zh}于{day}进行，{zh}。",
                f"In year {year.year} the {e.kind.en} took place on {day}, {en}.",
            )
    mid = [e.date for e in evaluations if e.kind is EvaluationKind.MID_TERM]
    for e in evaluations:
        if e.kind is EvaluationKind.FINAL and not mid:
            yield error(
                f"第{year.year}年末期评估于{e.date.isoformat()}进行，此前没有中期评估。",
                f"In year {year.year} the final evaluation took place on {e.date.isoformat()} "
                "without any mid-term evaluation before it.",
            )
        elif e.kind is EvaluationKind.FINAL and e.date < mid[0]:
            yield error(
                f"第{year.year}年末期评估（{e.date.isoformat()}）早于中期评估（{mid[0].isoformat()}）。",
                f"In year {year.year} the final evaluation on {e.date.isoformat()} comes before "
                f"the first mid-term evaluation on {mid[0].isoformat()}.",
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
    # Only a ``correct`` or a ``suspend`` up to the day can hold a tranche (see
    # ``disbursement.year_tranches``): without one the year's schedule need not be built.
    may_hold = False
    for e in evaluations_in_order(year, ctx.as_of):
        outcome = e.effective_outcome(policy.evaluation_pass_mark)
        may_hold = may_hold or outcome is Outcome.CORRECT or outcome is Outcome.SUSPEND
        day = e.date.isoformat()
        if outcome is Outcome.CORRECT:
            score, score_en = (
                (f"（{e.score:f}分）", f" (score {e.score:f})") if e.score is not None else ("", "")
            )
            yield warning(
                f"第{year.year}年{e.kind.zh}{score}于{day}作出限期整改的结论。",
                f"In year {year.year} the {e.kind.en} of {day}{score_en} asks for correction "
                "within a deadline.",
            )
        elif outcome is Outcome.SUSPEND:
            yield warning(
                f"第{year.year}年{e.kind.zh}于{day}决定暂缓执行，后续节点暂缓拨付。",
                f"In year {year.year} the {e.kind.en} of {day} suspended the project, so later "
                "tranches are held.",
            )
        elif outcome is Outcome.STOP:
            yield error(
                f"第{year.year}年{e.kind.zh}于{day}决定停止执行，尚未拨付的资金停止拨付。",
                f"In year {year.year} the {e.kind.en} of {day} stopped the project, so tranches "
                "not yet due are cancelled.",
            )
    from sgz_core.rules.performance import perf_3_results

    yield from perf_3_results(station, year, ctx)
    if not may_hold:
        return
    for t in year_tranches(station, year, policy, ctx.as_of):
        if t.status is TrancheStatus.HELD:
            yield notice(
                f"第{year.year}年“{t.milestone.zh}”节点的{t.amount:,.2f}元暂缓拨付。",
                f"In year {year.year} the {t.amount:,.2f} CNY tranche for '{t.milestone.en}' is held.",
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
