"""Performance rules: PERF-1 (monitoring on the day) and PERF-2 (measurable goals, results),
and the scorecard half of PERF-3 (``四(四)``); see ``docs/performance-management.md``.

PERF-1 monitors the years in progress that set ``targets`` (goals at design); an indicator the
year does not name keeps the profile's default target. A year without targets gets a notice.

Every number comes from the policy in force at the start of the contract year (PROF-1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from sgz_core.casework.counting import Counts, count_programme
from sgz_core.disbursement import actions_of, evaluations_in_order
from sgz_core.enums import Outcome
from sgz_core.model import ContractYear, Evaluation, Programme, Station
from sgz_core.performance.scoring import (
    build_scorecard,
    elapsed_share,
    measured_values,
    monitor,
    proposed_outcome,
    targets_of,
)
from sgz_core.profiles import Policy
from sgz_core.rules import Context, Say, Scope, error, notice, rule, warning

_COUNTS: dict[tuple[int, int, dt.date], tuple[Programme, Policy, Counts]] = {}


def _counts(programme: Programme, policy: Policy, station: str, year: int, day: dt.date) -> Counts:
    """The station-year's counts up to ``day``. The whole programme is counted once per day
    and policy during a check (a small cache), so a check stays linear in the records."""
    until = min(day, programme.year_end(year))
    key = (id(programme), id(policy), until)
    found = _COUNTS.get(key)
    if found is None or found[0] is not programme or found[1] is not policy:
        if len(_COUNTS) > 64 or any(v[0] is not programme for v in _COUNTS.values()):
            _COUNTS.clear()  # one programme at a time: never keep an old one alive
        found = (programme, policy, count_programme(programme, policy, until))
        _COUNTS[key] = found
    return found[2].select(station=station, year=year)


def _n(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def monitoring(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    programme, on = ctx.programme, ctx.as_of
    start, end = programme.year_start(year.year), programme.year_end(year.year)
    if not (start <= on <= end) or year.signed is None or year.signed > on:
        return  # monitoring is for a year in progress under contract
    if not year.targets:
        yield notice(
            f"第{year.year}年未设定绩效目标（targets），因此未作进度监控。",
            f"In year {year.year} no targets are set, so progress is not monitored.",
        )
        return
    policy = ctx.year_policy(year)
    counts = _counts(programme, policy, station.id, year.year, on)
    for p in monitor(programme, policy, station.id, year, on, counts):
        if p.short:
            yield warning(
                f"第{year.year}年指标“{p.indicator.name}”至{on.isoformat()}为{_n(p.value)}{p.indicator.unit}，"
                f"按进度应达{_n(p.expected)}（全年目标{_n(p.target)}），偏离超过{_n(policy.monitoring_tolerance * 100)}%。",
                f"In year {year.year} {p.indicator.name_en} ({p.indicator.id}) is {_n(p.value)} "
                f"{p.indicator.unit} on {on.isoformat()}, against {_n(p.expected)} due by now "
                f"(target {_n(p.target)} for the year), and is projected to miss by more than "
                f"{_n(policy.monitoring_tolerance * 100)}%.",
            )


rule(
    "PERF-1",
    clause="四(四)",
    scope=Scope.YEAR,
    title="全过程绩效管理：目标与执行监控",
    title_en="Performance management: goals and monitoring",
)(monitoring)


def measurable(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    system = ctx.year_policy(year).performance_indicators
    known = ", ".join(i.id for i in system.indicators)
    seen: set[str] = set()
    for k, t in enumerate(year.targets):
        where = f"第{year.year}年目标第{k + 1}条", f"In year {year.year} target {k + 1}"
        ind = system.indicator(t.indicator)
        if ind is None:
            yield error(
                f"{where[0]}的指标“{t.indicator}”不在指标体系中。",
                f"{where[1]} names indicator {t.indicator!r}, which is not one of {known}.",
            )
            continue
        if t.unit is not None and t.unit != ind.unit:
            yield error(
                f"{where[0]}的单位“{t.unit}”与指标“{ind.name}”的单位“{ind.unit}”不符。",
                f"{where[1]} has unit {t.unit!r}, which does not match {ind.id}'s unit {ind.unit!r}.",
            )
        if t.indicator in seen:
            yield error(
                f"{where[0]}重复设定指标“{ind.name}”。",
                f"{where[1]} sets {ind.id} a second time.",
            )
        seen.add(t.indicator)
    for e in year.evaluations:
        for k, r in enumerate(e.results):
            where = (
                f"第{year.year}年{e.kind.zh}（{e.date.isoformat()}）结果第{k + 1}条",
                f"In year {year.year} result {k + 1} of the {e.kind.en} of {e.date.isoformat()}",
            )
            ind = system.indicator(r.indicator)
            if ind is None:
                yield error(
                    f"{where[0]}的指标“{r.indicator}”不在指标体系中。",
                    f"{where[1]} names indicator {r.indicator!r}, which is not one of {known}.",
                )
                continue
            if ind.measured:
                yield warning(
                    f"{where[0]}为“{ind.name}”评分，但该指标由台账计量，不应另行评分。",
                    f"{where[1]} scores {ind.id}, which is measured from the records, not assessed.",
                )
                continue
            if r.evaluator is not None and r.evaluator is not ind.evaluator:
                assert ind.evaluator is not None
                yield warning(
                    f"{where[0]}中“{ind.name}”应由{ind.evaluator.zh}评分，而非{r.evaluator.zh}。",
                    f"{where[1]} has {ind.id} scored by the {r.evaluator.en}, but the "
                    f"{ind.evaluator.en} scores it.",
                )
            if r.points is not None and r.points > ind.weight:
                yield warning(
                    f"{where[0]}中“{ind.name}”得分{_n(r.points)}，超过其权重{_n(ind.weight)}。",
                    f"{where[1]} gives {_n(r.points)} points for {ind.id}, more than its weight "
                    f"{_n(ind.weight)}.",
                )


rule(
    "PERF-2",
    clause="四(四)",
    scope=Scope.YEAR,
    title="绩效指标可测量、可比较、可追踪",
    title_en="Indicators are measurable, comparable, traceable",
)(measurable)


def evaluation_card_score(
    programme: Programme, station: Station, year: ContractYear, e: Evaluation, policy: Policy
) -> tuple[object, Outcome]:
    """The computed score of an evaluation (None where it carries no results) and the proposed outcome."""
    if not e.results:
        assert e.score is not None or e.outcome is not None
        return None, proposed_outcome(e.score, policy) if e.score is not None else e.outcome  # type: ignore[return-value]
    counts = _counts(programme, policy, station.id, year.year, e.date)
    system = policy.performance_indicators
    card = build_scorecard(
        station.id,
        year.year,
        e.date,
        policy,
        targets_of(year, system),
        measured_values(system, counts),
        e,
        elapsed_share(programme, year.year, e.date),
    )
    return card.total, card.proposed


def perf_3_results(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    """PERF-3: overrides without a reason, corrective actions missing, overdue, unattached or
    closed before the evaluation that asked for them."""
    policy = ctx.year_policy(year)
    for e in evaluations_in_order(year, ctx.as_of):
        day = e.date.isoformat()
        computed, proposed = evaluation_card_score(ctx.programme, station, year, e, policy)
        if e.reason:
            pass
        elif computed is not None and e.score is not None and e.score != computed:
            yield warning(
                f"第{year.year}年{e.kind.zh}（{day}）记录得分{e.score:f}，与计算得分{computed}不符，且未写明理由（reason）。",
                f"In year {year.year} the {e.kind.en} of {day} records a score of {e.score:f} "
                f"where the scorecard gives {computed}, and no reason is given.",
            )
        elif e.outcome is not None and e.outcome is not proposed:
            yield warning(
                f"第{year.year}年{e.kind.zh}（{day}）的结论“{e.outcome.zh}”与按得分建议的“{proposed.zh}”不符，且未写明理由（reason）。",
                f"In year {year.year} the {e.kind.en} of {day} says {e.outcome.value} where the "
                f"score proposes {proposed.value}, and no reason is given.",
            )
        outcome = e.effective_outcome(policy.evaluation_pass_mark)
        if outcome in (Outcome.CORRECT, Outcome.SUSPEND) and not actions_of(year, e):
            yield warning(
                f"第{year.year}年{e.kind.zh}（{day}）的结论为“{outcome.zh}”，但未记录整改措施（actions）。",
                f"In year {year.year} the {e.kind.en} of {day} said {outcome.value}, and no "
                "corrective action records it.",
            )
    dates = {e.date for e in year.evaluations}
    for a in year.actions:
        if a.evaluation not in dates:
            yield warning(
                f"第{year.year}年整改措施“{a.id}”所依据的评估（{a.evaluation.isoformat()}）不存在。",
                f"In year {year.year} corrective action {a.id!r} names an evaluation on "
                f"{a.evaluation.isoformat()}, and there is none.",
            )
        if a.closed is not None and a.closed < a.evaluation <= ctx.as_of:
            # closed before it was asked for: a slip that would lift a suspension unseen
            yield warning(
                f"第{year.year}年整改措施“{a.id}”的完成日期（{a.closed.isoformat()}）"
                f"早于提出它的评估（{a.evaluation.isoformat()}）。",
                f"In year {year.year} corrective action {a.id!r} was closed on "
                f"{a.closed.isoformat()}, before the evaluation of {a.evaluation.isoformat()} "
                "that asked for it.",
            )
        if a.due < ctx.as_of and not a.closed_by(ctx.as_of) and a.evaluation <= ctx.as_of:
            yield warning(
                f"第{year.year}年整改措施“{a.id}”（{a.action}）已于{a.due.isoformat()}到期，尚未完成。",
                f"In year {year.year} corrective action {a.id!r} ({a.action}) was due on "
                f"{a.due.isoformat()} and is not closed.",
            )


__all__ = [
    "evaluation_card_score",
    "measurable",
    "monitoring",
    "perf_3_results",
]
