"""The value types of performance management (PERF-1 … PERF-3): indicators, bands, grades.

A leaf module: it imports only the enumerations, so that the profile and the model can use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from sgz_core.enums import EvaluationKind, Labelled, Outcome, PerformanceDimension, ServiceDomain
from sgz_core.errors import InvalidInput
from sgz_core.values import FrozenMap, frozen_enum_map, to_enum, to_optional_enum

HUNDRED = Decimal(100)
MAX_DEADLINE_DAYS = 3660
"""Evaluation deadlines are at most ten years after the contract year's start."""


class Evaluator(Labelled):
    """Who scores an assessed indicator (the 2012 guidance: purchaser, users, third party)."""

    THIRD_PARTY = ("third_party", "第三方评估机构", "third-party evaluator")
    PURCHASER = ("purchaser", "购买方（区民政局）", "purchaser (district bureau)")
    STREET_OFFICE = ("street_office", "街道办事处", "street office")
    COMMUNITY = ("community", "社区居委会", "community committee")


class Measure(Labelled):
    """What a measured indicator counts, from :mod:`sgz_core.casework.counting`."""

    PEOPLE_SERVED = ("people_served", "服务对象人数", "people served")
    SERVICE_HOURS = ("service_hours", "服务时数", "service hours")
    VISIT_RATE = ("visit_rate", "探访完成率（%）", "visits done of visits due (%)")
    CASES_CLOSED = ("cases_closed", "结案数", "cases closed")
    REFERRALS_DONE = ("referrals_done", "转介办结数", "referrals completed")
    VOLUNTEER_HOURS = ("volunteer_hours", "志愿服务时数", "volunteer hours")
    ORGANISATIONS = ("organisations", "培育社区社会组织数", "organisations fostered")
    TRAINING_HOURS = ("training_hours", "培训人次时数", "training person-hours")
    PUBLICITY = ("publicity", "宣传报道数", "publicity items")

    @property
    def cumulative(self) -> bool:
        """True for counts that grow over the year (pro-rated); a rate is not."""
        return self is not Measure.VISIT_RATE


class Scoring(Labelled):
    """How a result becomes points: linear to the target and capped, or bands (程度分)."""

    LINEAR = ("linear", "按完成比例计分（封顶）", "linear to the target, capped")
    BANDS = ("bands", "分档计分", "bands")


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise InvalidInput(f"expected a number, got {type(value).__name__} {value!r}")
    try:
        number = value if isinstance(value, Decimal) else Decimal(value)
    except ArithmeticError:
        raise InvalidInput(f"expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"expected a number of zero or more, got {value!r}")
    return number.copy_abs()


@attrs.frozen
class Band:
    """A result of ``at_least`` or more earns ``share`` (0 … 1) of the indicator's weight."""

    at_least: Decimal = attrs.field(converter=_decimal)
    share: Decimal = attrs.field(converter=_decimal)

    def __attrs_post_init__(self) -> None:
        if self.share > 1:
            raise InvalidInput(f"share: expected 0 to 1, got {self.share}")


def _bands(values: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(values)


def _dimension(value: object) -> PerformanceDimension:
    return to_enum(PerformanceDimension, value, "dimension")


def _scoring(value: object) -> Scoring:
    return to_enum(Scoring, value, "scoring")


def _measure(value: object) -> Measure | None:
    return to_optional_enum(Measure, value, "measure")


def _evaluator(value: object) -> Evaluator | None:
    return to_optional_enum(Evaluator, value, "evaluator")


def _domain(value: object) -> ServiceDomain | None:
    return to_optional_enum(ServiceDomain, value, "domain")


def _dimensions(value: object) -> FrozenMap[PerformanceDimension, Decimal]:
    return frozen_enum_map(PerformanceDimension, value, "dimensions")


@attrs.frozen
class Indicator:
    """One indicator of the system: measured from the records (``measure``) or assessed."""

    id: str
    name: str
    name_en: str
    dimension: PerformanceDimension = attrs.field(converter=_dimension)
    weight: Decimal = attrs.field(converter=_decimal)
    """Points out of the 100."""
    unit: str
    method: str
    """How it is measured or assessed, in words."""
    target: Decimal = attrs.field(converter=_decimal)
    """The default target of a station-year (``targets`` in the file override it)."""
    scoring: Scoring = attrs.field(default=Scoring.LINEAR, converter=_scoring)
    bands: tuple[Band, ...] = attrs.field(default=(), converter=_bands)
    """For ``bands`` scoring: results are compared with ``at_least`` as a share of the target (%)."""
    measure: Measure | None = attrs.field(default=None, converter=_measure)
    """Absent: assessed by ``evaluator``."""
    evaluator: Evaluator | None = attrs.field(default=None, converter=_evaluator)
    domain: ServiceDomain | None = attrs.field(default=None, converter=_domain)
    """Measured in this service domain only."""
    category: str | None = None
    """``people_served`` of this beneficiary category only."""

    @property
    def measured(self) -> bool:
        return self.measure is not None


@attrs.frozen
class GradeBand:
    """A grade (优 良 中 差) from ``min_score`` on."""

    grade: str
    grade_en: str
    min_score: Decimal = attrs.field(converter=_decimal)


def _indicators(values: Iterable[Indicator]) -> tuple[Indicator, ...]:
    return tuple(values)


@attrs.frozen
class IndicatorSystem:
    """The four dimensions' points (sum 100) and the indicators (weights per dimension sum to them)."""

    dimensions: FrozenMap[PerformanceDimension, Decimal] = attrs.field(converter=_dimensions)
    indicators: tuple[Indicator, ...] = attrs.field(converter=_indicators)

    def indicator(self, indicator_id: str) -> Indicator | None:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        return None


def system_problems(system: IndicatorSystem) -> list[str]:
    """What is wrong with an indicator system (profile validation, PERF-2)."""
    problems = []
    total = sum(system.dimensions.values(), Decimal(0))
    if total != HUNDRED or any(w < 0 for w in system.dimensions.values()):
        problems.append(f"dimensions: expected points of zero or more that sum to 100, got {total}")
    seen: set[str] = set()
    for n, ind in enumerate(system.indicators):
        where = f"indicators[{n}]"
        if ind.id in seen:
            problems.append(f"{where}.id: duplicate indicator id {ind.id!r}")
        seen.add(ind.id)
        if ind.dimension not in system.dimensions:
            problems.append(f"{where}.dimension: {ind.dimension.value} has no points in dimensions")
        if ind.measure is None and ind.evaluator is None:
            problems.append(f"{where}: an assessed indicator needs an evaluator")
        if ind.scoring is Scoring.BANDS:
            cuts = [b.at_least for b in ind.bands]
            shares = [b.share for b in ind.bands]
            if not ind.bands or cuts != sorted(set(cuts)) or shares != sorted(shares):
                problems.append(
                    f"{where}.bands: expected bands with rising at_least and shares that never fall"
                )
    for dimension, points in system.dimensions.items():
        got = sum((i.weight for i in system.indicators if i.dimension is dimension), Decimal(0))
        if got != points:
            problems.append(
                f"indicators: the weights of {dimension.value} sum to {got}, "
                f"expected its {points} points"
            )
    return problems


def grade_problems(grades: tuple[GradeBand, ...]) -> list[str]:
    cuts = [g.min_score for g in grades]
    if not grades or cuts != sorted(set(cuts), reverse=True) or cuts[-1] != 0 or cuts[0] > 100:
        return ["expected grades with falling min_score from at most 100 down to 0"]
    return []


def threshold_problems(thresholds: dict[Outcome, Decimal]) -> list[str]:
    if set(thresholds) != {Outcome.CORRECT, Outcome.SUSPEND} or (
        thresholds[Outcome.SUSPEND] > thresholds[Outcome.CORRECT]
    ):
        return [
            "expected min scores for correct and suspend (below suspend: stop), suspend <= correct"
        ]
    return []


def deadline_problems(deadlines: dict[EvaluationKind, int]) -> list[str]:
    if set(deadlines) != set(EvaluationKind) or any(
        not 0 <= d <= MAX_DEADLINE_DAYS for d in deadlines.values()
    ):
        return [f"expected days from 0 to {MAX_DEADLINE_DAYS} for mid_term and final"]
    if deadlines[EvaluationKind.MID_TERM] > deadlines[EvaluationKind.FINAL]:
        return ["expected the mid-term deadline on or before the final one"]
    return []


__all__ = [
    "HUNDRED",
    "MAX_DEADLINE_DAYS",
    "Band",
    "Evaluator",
    "GradeBand",
    "Indicator",
    "IndicatorSystem",
    "Measure",
    "Scoring",
    "deadline_problems",
    "grade_problems",
    "system_problems",
    "threshold_problems",
]
