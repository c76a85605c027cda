"""Scoring and monitoring (PERF-1, PERF-2): a station-year's indicators, points, grade and outcome.

Measured indicators come from :func:`sgz_core.casework.counting.count_programme` (the year's
cell of the station, counted up to the day); assessed ones from an evaluation's ``results``.
Cumulative counts are compared with their target pro-rated to the day (the share of the
contract year's days gone by); a rate (visits done of visits due) with the whole target.
Each indicator's points are rounded to the fen of a point (0.01), and the score is their sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import attrs

from sgz_core.casework.counting import Counts, Tally, count_programme
from sgz_core.casework.vocabulary import ReferralStatus
from sgz_core.enums import EvaluationKind, Outcome, PerformanceDimension
from sgz_core.model import ContractYear, Evaluation, Programme, Result
from sgz_core.performance.types import (
    HUNDRED,
    GradeBand,
    Indicator,
    IndicatorSystem,
    Measure,
    Scoring,
)
from sgz_core.profiles import Policy, Profile

POINT = Decimal("0.01")
_KIND_ORDER = {EvaluationKind.MID_TERM: 0, EvaluationKind.FINAL: 1}


def elapsed_share(programme: Programme, year: int, on: dt.date) -> Decimal:
    """The share (0 … 1) of contract year ``year``'s days up to and including ``on``."""
    start, end = programme.year_start(year), programme.year_end(year)
    if on < start:
        return Decimal(0)
    days = (end - start).days + 1
    gone = (min(on, end) - start).days + 1
    return Decimal(gone) / Decimal(days)


def targets_of(year: ContractYear, system: IndicatorSystem) -> dict[str, Decimal]:
    """Each indicator's target for the year: the year's ``targets``, else the profile's default."""
    table = {i.id: i.target for i in system.indicators}
    for t in year.targets:
        if t.indicator in table:
            table[t.indicator] = t.value
    return table


def measured_value(indicator: Indicator, counts: Counts) -> Decimal:
    """A measured indicator's value in ``counts`` (already one station-year)."""
    tally: Tally = counts.select(domain=indicator.domain).total()
    m = indicator.measure
    if m is Measure.PEOPLE_SERVED:
        if indicator.category is not None:
            return Decimal(len(tally.served_by_category.get(indicator.category, frozenset())))
        return Decimal(tally.people)
    if m is Measure.SERVICE_HOURS:
        return tally.hours
    if m is Measure.VISIT_RATE:
        if tally.visits_due == 0:
            return HUNDRED
        return min(HUNDRED, Decimal(tally.visits_done) * HUNDRED / Decimal(tally.visits_due))
    if m is Measure.CASES_CLOSED:
        return Decimal(tally.cases_closed)
    if m is Measure.REFERRALS_DONE:
        return Decimal(tally.referrals.get(ReferralStatus.DONE, 0))
    if m is Measure.VOLUNTEER_HOURS:
        return tally.volunteer_hours
    if m is Measure.ORGANISATIONS:
        return Decimal(sum(tally.organisations.values()))
    if m is Measure.TRAINING_HOURS:
        return tally.training_hours
    if m is Measure.PUBLICITY:
        return Decimal(sum(tally.publicity.values()))
    raise ValueError(f"not a measured indicator: {indicator.id}")


def points_for(indicator: Indicator, value: Decimal, target: Decimal) -> Decimal:
    """Points of a result ``value`` against ``target``: never below 0 nor above the weight,
    and never fewer for a larger value."""
    achieved = HUNDRED if target == 0 else value * HUNDRED / target  # % of the target
    if indicator.scoring is Scoring.LINEAR:
        share = min(Decimal(1), achieved / HUNDRED)
    else:
        share = Decimal(0)
        for band in indicator.bands:
            if achieved >= band.at_least:
                share = band.share
    return (indicator.weight * share).quantize(POINT, rounding=ROUND_HALF_UP)


def grade_of(score: Decimal, grades: tuple[GradeBand, ...]) -> GradeBand:
    for g in grades:
        if score >= g.min_score:
            return g
    return grades[-1]


def proposed_outcome(score: Decimal, policy: Policy) -> Outcome:
    """Pass from the pass mark; below it correct, suspend or stop by the profile's thresholds."""
    if score >= policy.evaluation_pass_mark:
        return Outcome.PASS
    if score >= policy.outcome_thresholds[Outcome.CORRECT]:
        return Outcome.CORRECT
    if score >= policy.outcome_thresholds[Outcome.SUSPEND]:
        return Outcome.SUSPEND
    return Outcome.STOP


@attrs.frozen
class Line:
    """One indicator on a scorecard."""

    indicator: Indicator
    value: Decimal | None
    """Measured or assessed value; None where points were given or nothing was assessed."""
    target: Decimal
    expected: Decimal
    """The target pro-rated to the day (cumulative measured indicators), else the target."""
    points: Decimal
    note: str = ""


@attrs.frozen
class DimensionScore:
    dimension: PerformanceDimension
    weight: Decimal
    points: Decimal


@attrs.frozen
class Scorecard:
    """The 100-point scorecard of one station-year on one day (``sgz evaluate``)."""

    station: str
    year: int
    on: dt.date
    evaluation: Evaluation | None
    """The evaluation scored (its results and day), or None: measured indicators only."""
    lines: tuple[Line, ...]
    dimensions: tuple[DimensionScore, ...]
    total: Decimal
    grade: GradeBand
    proposed: Outcome
    explanation: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """Plain data for reporters (``sgz evaluate --format json``): numbers as strings."""

        def num(value: Decimal | None) -> str | None:
            return None if value is None else f"{value.quantize(POINT, rounding=ROUND_HALF_UP):f}"

        e = self.evaluation
        return {
            "station": self.station,
            "year": self.year,
            "on": self.on.isoformat(),
            "evaluation": None
            if e is None
            else {
                "kind": e.kind.value,
                "date": e.date.isoformat(),
                "score": num(e.score),
                "outcome": None if e.outcome is None else e.outcome.value,
                "reason": e.reason,
            },
            "dimensions": [
                {"dimension": d.dimension.value, "weight": num(d.weight), "points": num(d.points)}
                for d in self.dimensions
            ],
            "indicators": [
                {
                    "indicator": line.indicator.id,
                    "name": line.indicator.name,
                    "name_en": line.indicator.name_en,
                    "dimension": line.indicator.dimension.value,
                    "measured": line.indicator.measured,
                    "evaluator": None
                    if line.indicator.evaluator is None
                    else line.indicator.evaluator.value,
                    "unit": line.indicator.unit,
                    "value": num(line.value),
                    "target": num(line.target),
                    "expected": num(line.expected),
                    "weight": num(line.indicator.weight),
                    "points": num(line.points),
                    "note": line.note,
                }
                for line in self.lines
            ],
            "score": num(self.total),
            "grade": self.grade.grade,
            "grade_en": self.grade.grade_en,
            "proposed_outcome": self.proposed.value,
            "explanation": list(self.explanation),
        }


def score_lines(
    system: IndicatorSystem,
    targets: Mapping[str, Decimal],
    measured: Mapping[str, Decimal],
    results: tuple[Result, ...],
    share: Decimal,
) -> tuple[Line, ...]:
    """The lines of a scorecard from measured values and assessed results (pure arithmetic)."""
    given = {r.indicator: r for r in results}
    lines = []
    for ind in system.indicators:
        target = targets.get(ind.id, ind.target)
        expected = target * share if ind.measure is not None and ind.measure.cumulative else target
        if ind.measured:
            value = measured.get(ind.id, Decimal(0))
            lines.append(Line(ind, value, target, expected, points_for(ind, value, expected)))
            continue
        result = given.get(ind.id)
        if result is None:
            lines.append(Line(ind, None, target, expected, Decimal("0.00"), "not assessed"))
        elif result.points is not None:
            capped = min(result.points, ind.weight)
            note = f"{result.points} points capped at the weight" if capped < result.points else ""
            lines.append(Line(ind, None, target, expected, capped.quantize(POINT), note))
        else:
            assert result.value is not None
            lines.append(
                Line(ind, result.value, target, expected, points_for(ind, result.value, expected))
            )
    return tuple(lines)


def _n(value: Decimal) -> str:
    """A number for reading: to two decimals, without trailing zeros."""
    return f"{value.quantize(POINT, rounding=ROUND_HALF_UP).normalize():f}"


def _explain(
    card_lines: tuple[Line, ...], total: Decimal, policy: Policy, out: Outcome
) -> tuple[str, ...]:
    text = []
    for line in card_lines:
        ind = line.indicator
        how = (
            "measured"
            if ind.measured
            else f"assessed by {ind.evaluator.value if ind.evaluator else '?'}"
        )
        value = "—" if line.value is None else _n(line.value)
        text.append(
            f"{ind.id} ({how}): {value} against {_n(line.expected)} {ind.unit} "
            f"→ {line.points:f} of {_n(ind.weight)}" + (f" ({line.note})" if line.note else "")
        )
    text.append(
        f"score {total:f}: "
        + (
            f"at least the pass mark {policy.evaluation_pass_mark:f}"
            if out is Outcome.PASS
            else f"below the pass mark {policy.evaluation_pass_mark:f}"
        )
        + f", so the proposed outcome is {out.value}"
    )
    return tuple(text)


def build_scorecard(
    station: str,
    year: int,
    on: dt.date,
    policy: Policy,
    targets: Mapping[str, Decimal],
    measured: Mapping[str, Decimal],
    evaluation: Evaluation | None,
    share: Decimal,
) -> Scorecard:
    system = policy.performance_indicators
    results = evaluation.results if evaluation is not None else ()
    lines = score_lines(system, targets, measured, results, share)
    total = sum((line.points for line in lines), Decimal(0)).quantize(POINT)
    dims = tuple(
        DimensionScore(
            d,
            w,
            sum((x.points for x in lines if x.indicator.dimension is d), Decimal(0)),
        )
        for d, w in system.dimensions.items()
    )
    out = proposed_outcome(total, policy)
    return Scorecard(
        station,
        year,
        on,
        evaluation,
        lines,
        dims,
        total,
        grade_of(total, policy.performance_grades),
        out,
        _explain(lines, total, policy, out),
    )


def year_counts(
    programme: Programme, policy: Policy, station: str, year: int, on: dt.date
) -> Counts:
    """The counts of one station-year up to ``on`` (or the year's last day, if earlier)."""
    until = min(on, programme.year_end(year))
    return count_programme(programme, policy, until).select(station=station, year=year)


def measured_values(system: IndicatorSystem, counts: Counts) -> dict[str, Decimal]:
    return {i.id: measured_value(i, counts) for i in system.indicators if i.measured}


def latest_evaluation(year: ContractYear, on: dt.date) -> Evaluation | None:
    ordered = sorted(
        (e for e in year.evaluations if e.date <= on),
        key=lambda e: (e.date, _KIND_ORDER[e.kind]),
    )
    return ordered[-1] if ordered else None


def scorecard(
    programme: Programme,
    profile: Profile,
    station_id: str,
    year: int,
    on: dt.date,
    *,
    evaluation: Evaluation | None = None,
    counts: Counts | None = None,
) -> Scorecard:
    """The scorecard of ``station_id``'s contract year ``year``.

    With ``evaluation`` (default: the year's latest evaluation on or before ``on``) the card is
    that evaluation's: measured up to its day, with its assessed results. Without one, it shows
    the measured indicators on ``on`` (assessed ones score 0, "not assessed").
    ``counts``: the station-year's counts up to the card's day, when counted elsewhere (a
    database: ``sgz evaluate --db``); without them the programme's own records are counted.
    """
    station = programme.station(station_id)
    contract_year = station.year(year)
    policy = profile.at(programme.year_start(year))
    chosen = evaluation if evaluation is not None else latest_evaluation(contract_year, on)
    day = chosen.date if chosen is not None else on
    if counts is None:
        counts = year_counts(programme, policy, station_id, year, day)
    system = policy.performance_indicators
    return build_scorecard(
        station_id,
        year,
        day,
        policy,
        targets_of(contract_year, system),
        measured_values(system, counts),
        chosen,
        elapsed_share(programme, year, day),
    )


@attrs.frozen
class Progress:
    """One measured indicator of a year in progress (PERF-1 monitoring)."""

    indicator: Indicator
    value: Decimal
    target: Decimal
    expected: Decimal
    """The target pro-rated to the day."""
    short: bool
    """Projected to miss the target by more than the profile's tolerance."""


def monitor(
    programme: Programme,
    policy: Policy,
    station_id: str,
    year: ContractYear,
    on: dt.date,
    counts: Counts | None = None,
) -> list[Progress]:
    """Each measured indicator's value so far against its target pro-rated to ``on``."""
    system = policy.performance_indicators
    if counts is None:
        counts = year_counts(programme, policy, station_id, year.year, on)
    share = elapsed_share(programme, year.year, on)
    targets = targets_of(year, system)
    out = []
    floor = Decimal(1) - policy.monitoring_tolerance
    for ind in system.indicators:
        if not ind.measured:
            continue
        assert ind.measure is not None
        value = measured_value(ind, counts)
        target = targets[ind.id]
        expected = target * share if ind.measure.cumulative else target
        out.append(Progress(ind, value, target, expected, value < expected * floor))
    return out


__all__ = [
    "POINT",
    "DimensionScore",
    "Line",
    "Progress",
    "Scorecard",
    "build_scorecard",
    "elapsed_share",
    "grade_of",
    "latest_evaluation",
    "measured_value",
    "measured_values",
    "monitor",
    "points_for",
    "proposed_outcome",
    "score_lines",
    "scorecard",
    "targets_of",
    "year_counts",
]
