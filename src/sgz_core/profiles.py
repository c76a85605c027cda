"""Policy profiles: every number of the rules as a dated parameter with its clause (PROF-1).

A :class:`Profile` maps parameter names to :class:`Parameter` values keyed by the date they
take effect. ``profile.at(day)`` gives the :class:`Policy` in force on that day, a typed record
the rules read. The Chengguan profile (``lanzhou-chengguan``) is built in and is the default;
a profile TOML may extend it and override any value from a given date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from sgz_core._convert import CONVERTER, mask_ids, problems_of, unstructure
from sgz_core.categories import DEFAULT_CATEGORIES, Category
from sgz_core.enums import (
    Equipment,
    EvaluationKind,
    ExpenseCategory,
    FundingSource,
    Milestone,
    Outcome,
    PerformanceDimension,
    Room,
    ServiceDomain,
    Severity,
    SharedFacility,
)
from sgz_core.errors import InvalidInput, NotFound, Problem, ProfileError
from sgz_core.model import Money
from sgz_core.performance.types import (
    Band,
    Evaluator,
    GradeBand,
    Indicator,
    IndicatorSystem,
    Measure,
    Scoring,
    deadline_problems,
    grade_problems,
    system_problems,
    threshold_problems,
)
from sgz_core.values import (
    AgeRange,
    FrozenMap,
    IdMask,
    Lot,
    TrancheSpec,
    VisitInterval,
    frozen_enum_map,
    frozen_map,
    to_date,
    to_enum,
    to_enum_tuple,
    to_tuple,
)

__all__ = [
    "ALWAYS",
    "BUILTIN",
    "CHENGGUAN",
    "DEFAULT_PROFILE_ID",
    "PARAMETER_NAMES",
    "DatedValue",
    "Lot",  # defined in sgz_core.values; importable from here as before
    "Parameter",
    "Policy",
    "Profile",
    "Resolver",
    "TrancheSpec",  # defined in sgz_core.values; importable from here as before
    "builtin",
    "from_dict",
    "to_dict",
]
from sgz_core.text import Text


def _cofunding_ratio(value: object) -> FrozenMap[FundingSource, Decimal]:
    return frozen_enum_map(FundingSource, value, "cofunding_ratio")


def _performance_weights(value: object) -> FrozenMap[PerformanceDimension, Decimal]:
    return frozen_enum_map(PerformanceDimension, value, "performance_weights")


def _visit_intervals(value: object) -> FrozenMap[str, VisitInterval]:
    return frozen_map(value, "visit_intervals")


def _expense_categories(value: object) -> tuple[ExpenseCategory, ...]:
    return to_enum_tuple(ExpenseCategory, value, "eligible_expense_categories")


def _category_severity(value: object) -> Severity:
    return to_enum(Severity, value, "other_expense_category_severity")


def _required_equipment(value: object) -> tuple[Equipment, ...]:
    return to_enum_tuple(Equipment, value, "required_equipment")


def _shared_facilities(value: object) -> tuple[SharedFacility, ...]:
    return to_enum_tuple(SharedFacility, value, "shared_facilities")


def _advisory_rooms(value: object) -> tuple[Room, ...]:
    return to_enum_tuple(Room, value, "advisory_rooms")


def _tranches(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value, "tranches")


def _plaque_templates(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value, "plaque_templates")


def _contractor_registration_authorities(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value, "contractor_registration_authorities")


def _lots(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value, "lots")


def _outcome_thresholds(value: object) -> FrozenMap[Outcome, Decimal]:
    return frozen_enum_map(Outcome, value, "outcome_thresholds")


def _evaluation_deadline_days(value: object) -> FrozenMap[EvaluationKind, int]:
    return frozen_enum_map(EvaluationKind, value, "evaluation_deadline_days")


def _performance_grades(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value, "performance_grades")


def _beneficiary_categories(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value, "beneficiary_categories")


@attrs.frozen
class Policy:
    """The values of every parameter in force on one day. Field names are parameter names.

    Immutable all the way down (tuples and :class:`~sgz_core.values.FrozenMap`), so the
    policies a profile caches per day cannot be changed by a caller.
    """

    city: str
    district: str
    min_station_funding: Money
    cofunding_ratio: FrozenMap[FundingSource, Decimal] = attrs.field(converter=_cofunding_ratio)
    eligible_expense_categories: tuple[ExpenseCategory, ...] = attrs.field(
        converter=_expense_categories
    )
    other_expense_category_severity: Severity = attrs.field(converter=_category_severity)
    tranches: tuple[TrancheSpec, ...] = attrs.field(converter=_tranches)
    min_resident_social_workers: int
    min_certified_resident_social_workers: int
    min_activity_area_m2: Decimal
    min_office_area_m2: Decimal
    required_equipment: tuple[Equipment, ...] = attrs.field(converter=_required_equipment)
    shared_facilities: tuple[SharedFacility, ...] = attrs.field(converter=_shared_facilities)
    advisory_rooms: tuple[Room, ...] = attrs.field(converter=_advisory_rooms)
    logo_required: bool
    plaque_templates: tuple[str, ...] = attrs.field(converter=_plaque_templates)
    term_years: int
    hardship_fund_cap_share: Decimal
    evaluation_pass_mark: Decimal
    performance_weights: FrozenMap[PerformanceDimension, Decimal] = attrs.field(
        converter=_performance_weights
    )
    contractor_registration_authorities: tuple[str, ...] = attrs.field(
        converter=_contractor_registration_authorities
    )
    lots: tuple[Lot, ...] = attrs.field(converter=_lots)
    beneficiary_categories: tuple[Category, ...] = attrs.field(converter=_beneficiary_categories)
    # casework (DOM-1 … DOM-3, PII-1); see docs/casework.md
    visit_intervals: FrozenMap[str, VisitInterval] = attrs.field(converter=_visit_intervals)
    visit_due_soon_days: int
    id_number_mask: IdMask
    minimum_allowance_line: Money
    low_income_multiplier: Decimal
    nursing_subsidy_max_grade: int
    working_age: AgeRange
    # performance management (PERF-1 … PERF-3, TERM-1, STAFF over time): performance-management.md
    performance_indicators: IndicatorSystem
    performance_grades: tuple[GradeBand, ...] = attrs.field(converter=_performance_grades)
    outcome_thresholds: FrozenMap[Outcome, Decimal] = attrs.field(converter=_outcome_thresholds)
    evaluation_deadline_days: FrozenMap[EvaluationKind, int] = attrs.field(
        converter=_evaluation_deadline_days
    )
    monitoring_tolerance: Decimal
    mid_term_correct_holds: bool
    staff_shortfall_days: int

    @property
    def cofunding_levels(self) -> tuple[FundingSource, ...]:
        """The sources whose money makes the contract value (province, city, district)."""
        return tuple(self.cofunding_ratio)

    def plaques(self, street: str) -> tuple[str, ...]:
        """The plaque texts a station on ``street`` must show (SIGN-1, SIGN-2)."""
        return tuple(
            t.format(city=self.city, district=self.district, street=street)
            for t in self.plaque_templates
        )


PARAMETER_NAMES: tuple[str, ...] = tuple(a.name for a in attrs.fields(Policy))
_TYPES: dict[str, Any] = typing.get_type_hints(Policy)


def _check_value(name: str, value: object) -> Any:
    """Structure a parameter value to its type; raises InvalidInput (relative paths)."""
    try:
        result = CONVERTER.structure(value, _TYPES[name])
    except Exception as exc:  # messages show ID numbers masked, even in a wrong place (PII-1)
        raise InvalidInput(
            [Problem(p.path, mask_ids(p.message), zh=p.zh) for p in problems_of(exc)]
        ) from None
    if isinstance(result, Decimal) and not result.is_finite():  # TOML's nan and inf
        raise InvalidInput(f"expected a finite number, got {result}")  # no comparison raises
    if name == "tranches":
        total = sum((t.share for t in result), Decimal(0))
        if not result or total != 1 or any(t.share < 0 for t in result):
            raise InvalidInput(
                f"expected tranche shares of zero or more that sum to 1, got {total}"
            )
    if name in ("cofunding_ratio", "performance_weights"):
        odd = [w for w in result.values() if isinstance(w, Decimal) and not w.is_finite()]
        if odd:  # NaN would raise in the comparisons below (a traceback, not a message)
            raise InvalidInput(f"expected finite weights, got {odd[0]}")
    if name in ("cofunding_ratio", "performance_weights") and (
        not result or any(w < 0 for w in result.values()) or sum(result.values()) <= 0
    ):
        raise InvalidInput("expected weights of zero or more, not all zero")
    if name == "other_expense_category_severity" and result is Severity.NOTICE:
        raise InvalidInput("expected warning or error, got notice")
    if name == "hardship_fund_cap_share":  # FUND-5: a share of the hardship-relief funds
        if not 0 <= result <= 1:
            raise InvalidInput(f"expected a share from 0 to 1, got {result}")
        result = abs(result)  # never Decimal("-0"), which would print as "-0%"
    if name in _PERFORMANCE_CHECKS:
        problems = _PERFORMANCE_CHECKS[name](result)
        if problems:
            raise InvalidInput("; ".join(problems))
    if name == "plaque_templates":
        for i, t in enumerate(result):
            if not _plain_template(t):
                raise InvalidInput(
                    [
                        Problem(
                            f"[{i}]",
                            "expected a template using only {city}, {district} and {street}, "
                            f"without format specs or conversions, got {t[:80]!r}",
                        )
                    ]
                )
    return result


_PERFORMANCE_CHECKS: dict[str, Callable[[Any], list[str]]] = {
    "performance_indicators": system_problems,
    "performance_grades": grade_problems,
    "outcome_thresholds": threshold_problems,
    "evaluation_deadline_days": deadline_problems,
    "monitoring_tolerance": lambda t: [] if 0 <= t <= 1 else ["expected a share from 0 to 1"],
    "staff_shortfall_days": lambda d: [] if d >= 0 else ["expected days, zero or more"],
}


def _start(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "start")


_TEMPLATE_FIELDS = frozenset({"city", "district", "street"})


def _plain_template(template: str) -> bool:
    """True if ``template`` has only ``{city}``, ``{district}``, ``{street}`` and ``{{ }}``:
    no format spec (``{street:>99999999999}`` would build gigabytes), conversion, attribute or
    index (``{street.__class__}``)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:  # an unmatched { or }
        return False
    return all(
        field is None or (field in _TEMPLATE_FIELDS and not spec and conversion is None)
        for _, field, spec, conversion in parts
    )


@attrs.frozen
class DatedValue:
    """A parameter's value from ``start`` on, with the clause or document it comes from."""

    start: dt.date = attrs.field(converter=_start)
    value: Any
    reference: str = ""


_LATIN = re.compile(r"[A-Za-z]")


def describe(description: str) -> Text:
    """``"活动场地最小面积 Minimum activity space (m²)"`` as ``Text(zh, en)``; a description in
    one language only is that text in both."""
    text = description.strip()
    latin = _LATIN.search(text)
    if latin is not None and text[: latin.start()].strip():
        return Text(text[: latin.start()].strip(), text[latin.start() :])
    return Text(text, text)


def _dated_values(values: Iterable[DatedValue]) -> tuple[DatedValue, ...]:
    if isinstance(values, str | Mapping) or not isinstance(values, Iterable):
        raise InvalidInput([Problem("values", "expected a list of DatedValue")])
    items = tuple(values)
    for i, v in enumerate(items):
        if not isinstance(v, DatedValue):
            raise InvalidInput(
                [Problem(f"values[{i}]", f"expected a DatedValue, got {type(v).__name__}")]
            )
    return tuple(sorted(items, key=lambda v: v.start))


@attrs.frozen
class Parameter:
    """A named policy number with its values over time (openfisca-style).

    The values are sorted by start date on construction; two values starting on one day are
    refused (:class:`~sgz_core.errors.ProfileError`).
    """

    name: str
    values: tuple[DatedValue, ...] = attrs.field(converter=_dated_values)
    description: str = ""
    reference: str = ""
    """Where the number comes from (requirement id and seed clause)."""
    local_practice: bool = False
    """True where the seed gives no number and the default is documented local practice."""

    def __attrs_post_init__(self) -> None:
        for before, after in zip(self.values, self.values[1:], strict=False):
            if before.start == after.start:
                raise ProfileError(
                    f"parameter {self.name!r}: two values start on {after.start.isoformat()}; "
                    "expected one value per start date"
                )

    @property
    def text(self) -> Text:
        """The description as :class:`~sgz_core.text.Text`: descriptions are written
        ``中文 English``; the Chinese part ends before the first Latin letter."""
        return describe(self.description)

    def at(self, day: dt.date) -> Any:
        if type(day) is not dt.date:
            day = to_date(day, "day")
        found = None
        for v in self.values:
            if v.start <= day:
                found = v
            else:
                break
        if found is None:
            first = self.values[0].start if self.values else None
            raise ProfileError(
                f"parameter {self.name!r} has no value in force on {day.isoformat()}"
                + (f"; its first value starts {first.isoformat()}" if first else "")
            )
        return found.value

    def with_value(self, value: DatedValue) -> Parameter:
        """This parameter with ``value`` added (replacing one that starts the same day)."""
        kept = [v for v in self.values if v.start != value.start]
        return attrs.evolve(self, values=(*kept, value))


def _parameters(value: Mapping[str, Parameter]) -> FrozenMap[str, Parameter]:
    return frozen_map(value, "parameters")


@attrs.frozen(eq=False)
class Profile:
    """A named set of dated parameters. ``at(day)`` is cached per day."""

    id: str
    name: str
    parameters: Mapping[str, Parameter] = attrs.field(converter=_parameters)
    _cache: dict[dt.date, Policy] = attrs.field(factory=dict, repr=False, alias="_cache")

    def __attrs_post_init__(self) -> None:
        missing = [n for n in PARAMETER_NAMES if n not in self.parameters]
        unknown = [n for n in self.parameters if n not in _TYPES]
        if missing or unknown:
            problems = [Problem(f"parameters.{n}", "missing: no value given") for n in missing]
            problems += [Problem(f"parameters.{n}", "unknown parameter") for n in unknown]
            raise ProfileError(problems, f"profile {self.id!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (self.id, self.name, dict(self.parameters)) == (
            other.id,
            other.name,
            dict(other.parameters),
        )

    __hash__ = None  # type: ignore[assignment]

    def at(self, day: dt.date) -> Policy:
        """The policy in force on ``day`` (a date; a ``datetime`` is refused)."""
        if type(day) is not dt.date:
            day = to_date(day, "day")
        policy = self._cache.get(day)
        if policy is None:
            values = {name: p.at(day) for name, p in self.parameters.items()}
            policy = Policy(**values)
            self._cache[day] = policy
        return policy

    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise NotFound("parameter", name, PARAMETER_NAMES) from None

    def override(self, name: str, start: dt.date, value: Any, reference: str = "") -> Profile:
        """A new profile where ``name`` has ``value`` from ``start`` on."""
        parameter = self.parameter(name)
        try:
            # domain values (TrancheSpec, Lot …) become plain data first, as the built-ins do
            checked = _check_value(name, unstructure(value))
        except InvalidInput as exc:
            raise ProfileError(
                [
                    Problem(
                        f"parameters.{name}{('.' + p.path) if p.path and not p.path.startswith('[') else p.path}",
                        p.message,
                    )
                    for p in exc.problems
                ],
                f"profile {self.id!r}",
            ) from None
        params = dict(self.parameters)
        params[name] = parameter.with_value(DatedValue(start, checked, reference))
        return Profile(self.id, self.name, params)

    def renamed(self, profile_id: str, name: str) -> Profile:
        return Profile(profile_id, name, dict(self.parameters))


# --- The Chengguan profile ------------------------------------------------------------------

ALWAYS = dt.date(2000, 1, 1)
"""The seed is undated: the built-in values apply from this day, i.e. to any programme."""

_P = tuple[str, str, bool, Any]  # description, reference, local practice, value

_MONTHLY_ELDERLY = VisitInterval(1, ServiceDomain.ELDERLY)
_MONTHLY_CHILD = VisitInterval(1, ServiceDomain.CHILD_WELFARE)
_CASEWORK: dict[str, _P] = {
    "visit_intervals": (
        "定期探访频次（按对象类别）How often each category is visited (local practice: monthly; the seed says only 定期)",
        "DOM-2 二(二) DOM-3 二(三)",
        True,
        {
            "elderly_special_hardship": _MONTHLY_ELDERLY,
            "disabled_elderly": _MONTHLY_ELDERLY,
            "elderly_alone": _MONTHLY_ELDERLY,
            "orphan": _MONTHLY_CHILD,
            "de_facto_unsupported_child": _MONTHLY_CHILD,
            "child_in_distress": _MONTHLY_CHILD,
            "left_behind_child": VisitInterval(3, ServiceDomain.CHILD_WELFARE),
        },
    ),
    "visit_due_soon_days": (
        "工作清单提前提示天数 Days ahead a visit shows as due soon in the work list (local practice)",
        "DOM-2 DOM-3",
        True,
        7,
    ),
    "id_number_mask": (
        "身份证号脱敏显示规则 How ID numbers are masked on display (GB/T 35273 fixes no pattern)",
        "PII-1",
        True,
        IdMask(4, 4, "*"),
    ),
    "minimum_allowance_line": (
        "最低生活保障标准（元/人·月）Minimum-allowance line per person and month, for proactive discovery "
        "(local practice placeholder: set the city's published line)",
        "DOM-1 二(一)",
        True,
        Money(Decimal("800.00")),
    ),
    "low_income_multiplier": (
        "低收入认定倍数 Low income: below this multiple of the minimum-allowance line (local practice)",
        "DOM-1 二(一)",
        True,
        Decimal("1.5"),
    ),
    "nursing_subsidy_max_grade": (
        "重度残疾人护理补贴最高残疾等级 Nursing subsidy: disability grades up to this one (国发〔2015〕52号: 1–2)",
        "DOM-5 二(五)",
        False,
        2,
    ),
    "working_age": (
        "劳动年龄 Working age (特困人员认定: under 16 and 60 or over count as unable to work)",
        "DOM-1 二(一)",
        False,
        AgeRange(16, 60),
    ),
}

_SA, _SE, _PM, _SI = (
    PerformanceDimension.ADMINISTRATIVE_SUPERVISION,
    PerformanceDimension.SERVICE_EFFECTIVENESS,
    PerformanceDimension.PROJECT_MANAGEMENT,
    PerformanceDimension.SOCIAL_IMPACT,
)
_DEGREE = (  # 程度分: the share of the weight by the result's share of its target (%)
    Band(Decimal(0), Decimal(0)),
    Band(Decimal(60), Decimal("0.6")),
    Band(Decimal(80), Decimal("0.8")),
    Band(Decimal(100), Decimal(1)),
)


def _measured(
    iid: str,
    zh: str,
    en: str,
    dim: PerformanceDimension,
    weight: int,
    unit: str,
    target: int,
    measure: Measure,
    method: str,
) -> Indicator:
    return Indicator(
        iid, zh, en, dim, Decimal(weight), unit, method, Decimal(target), measure=measure
    )


def _assessed(
    iid: str,
    zh: str,
    en: str,
    dim: PerformanceDimension,
    weight: int,
    unit: str,
    target: int,
    evaluator: Evaluator,
    method: str,
) -> Indicator:
    return Indicator(
        iid,
        zh,
        en,
        dim,
        Decimal(weight),
        unit,
        method,
        Decimal(target),
        scoring=Scoring.BANDS,
        bands=_DEGREE,
        evaluator=evaluator,
    )


CHENGGUAN_INDICATORS = IndicatorSystem(
    {_SA: Decimal(20), _SE: Decimal(40), _PM: Decimal(25), _SI: Decimal(15)},
    (
        _assessed(
            "financial_compliance",
            "资金使用合规",
            "financial compliance",
            _SA,
            10,
            "%",
            100,
            Evaluator.THIRD_PARTY,
            "第三方财务审核得分率 Share of the audit checklist met",
        ),
        _assessed(
            "daily_management",
            "日常管理",
            "daily management",
            _SA,
            10,
            "%",
            100,
            Evaluator.STREET_OFFICE,
            "街道考勤、值班与台账检查得分率 Street office's check of attendance and ledgers",
        ),
        _measured(
            "people_served",
            "服务对象人数",
            "people served",
            _SE,
            10,
            "人",
            60,
            Measure.PEOPLE_SERVED,
            "台账中接受社工服务的不同人数 Distinct people in the service ledger",
        ),
        _measured(
            "service_hours",
            "专业服务时数",
            "service hours",
            _SE,
            10,
            "小时",
            400,
            Measure.SERVICE_HOURS,
            "台账服务时数（不含行政事务）Ledger hours, administrative work left out",
        ),
        _measured(
            "visit_rate",
            "定期探访完成率",
            "visits done of visits due",
            _SE,
            10,
            "%",
            100,
            Measure.VISIT_RATE,
            "已探访次数 ÷ 应探访次数 Visits done divided by visits due",
        ),
        _assessed(
            "satisfaction",
            "服务对象满意度",
            "service users' satisfaction",
            _SE,
            10,
            "%",
            90,
            Evaluator.THIRD_PARTY,
            "第三方满意度调查 Third-party survey of service users",
        ),
        _measured(
            "cases_closed",
            "个案结案数",
            "cases closed",
            _PM,
            5,
            "个",
            6,
            Measure.CASES_CLOSED,
            "当年结案的个案 Cases closed in the year",
        ),
        _measured(
            "referrals_done",
            "转介办结数",
            "referrals completed",
            _PM,
            5,
            "件",
            6,
            Measure.REFERRALS_DONE,
            "当年办结的转介 Referrals done in the year",
        ),
        _measured(
            "training_hours",
            "社工培训时数",
            "staff training",
            _PM,
            5,
            "人·小时",
            24,
            Measure.TRAINING_HOURS,
            "培训时数 × 参训人数 Person-hours of training",
        ),
        _assessed(
            "file_quality",
            "档案规范",
            "quality of case files",
            _PM,
            5,
            "%",
            100,
            Evaluator.THIRD_PARTY,
            "第三方抽查档案得分率 Third-party sample of case files",
        ),
        _assessed(
            "corrective_follow_up",
            "整改落实",
            "corrective follow-up",
            _PM,
            5,
            "%",
            100,
            Evaluator.PURCHASER,
            "区民政局核查整改 Bureau's check of corrective actions",
        ),
        _measured(
            "volunteer_hours",
            "志愿服务时数",
            "volunteer hours",
            _SI,
            4,
            "小时",
            100,
            Measure.VOLUNTEER_HOURS,
            "台账志愿者时数 Volunteer hours in the ledger",
        ),
        _measured(
            "organisations",
            "培育社区社会组织",
            "organisations fostered",
            _SI,
            3,
            "个",
            1,
            Measure.ORGANISATIONS,
            "当年开始培育的组织 Organisations taken on in the year",
        ),
        _measured(
            "publicity",
            "宣传报道",
            "publicity items",
            _SI,
            4,
            "篇",
            4,
            Measure.PUBLICITY,
            "报刊、广播电视、网络报道（PUB-1）Press, broadcast and online items",
        ),
        _assessed(
            "community_rating",
            "社区评价",
            "community committee's rating",
            _SI,
            4,
            "%",
            100,
            Evaluator.COMMUNITY,
            "社区居委会评分率 The community committee's rating",
        ),
    ),
)
"""Chengguan's default indicator system: every weight and target is local practice."""

_PERFORMANCE: dict[str, _P] = {
    "performance_indicators": (
        "绩效指标体系：维度分值与指标 Indicator system: points per dimension and the indicators "
        "(local practice: the seed names the four dimensions only)",
        "PERF-1 PERF-2 四(四)",
        True,
        CHENGGUAN_INDICATORS,
    ),
    "performance_grades": (
        "评估等级 Grades (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60; the fiscal evaluations' usual grades)",
        "PERF-2 四(四)",
        True,
        (
            GradeBand("优", "excellent", Decimal(90)),
            GradeBand("良", "good", Decimal(80)),
            GradeBand("中", "fair", Decimal(60)),
            GradeBand("差", "poor", Decimal(0)),
        ),
    ),
    "outcome_thresholds": (
        "评估结果建议：限期纠正、暂缓执行的最低分（更低则停止）Min scores for a proposed correct and "
        "suspend; below suspend: stop; pass from evaluation_pass_mark (local practice)",
        "PERF-3 四(四)",
        True,
        {Outcome.CORRECT: Decimal(40), Outcome.SUSPEND: Decimal(20)},
    ),
    "evaluation_deadline_days": (
        "中期、末期评估期限（合同年开始后天数）Days after the year's start by which each evaluation is "
        "due (local practice)",
        "TERM-1 PERF-1 三(三)",
        True,
        {EvaluationKind.MID_TERM: 213, EvaluationKind.FINAL: 365},
    ),
    "monitoring_tolerance": (
        "目标偏离容差 Share by which a projected result may fall short of its target (local practice)",
        "PERF-1 四(四)",
        True,
        Decimal("0.2"),
    ),
    "mid_term_correct_holds": (
        "中期评估限期纠正是否暂缓拨付30% Whether a mid-term correct holds its tranche (default no: "
        "中期评估后拨付, decisions 2026-12-01 #10)",
        "PAY-1 PERF-3 三(三)",
        True,
        False,
    ),
    "staff_shortfall_days": (
        "驻站社工不足或无持证社工的最长天数 Days a station may run short of residents or without a "
        "certified resident (local practice)",
        "STAFF-1 STAFF-2 三(四)",
        True,
        30,
    ),
}

CHENGGUAN: dict[str, _P] = {
    "city": ("城市名称（标牌）City name on plaques", "SIGN-1 三(六)", False, "兰州市"),
    "district": ("区名称（标牌）District name on plaques", "SIGN-1 三(六)", False, "城关区"),
    "min_station_funding": (
        "每站每合同年最低经费 Minimum funding per station-year (CNY)",
        "FUND-1 三(二)",
        False,
        Money(Decimal("150000.00")),
    ),
    "cofunding_ratio": (
        "省市区配套比例 Province : city : district co-funding ratio",
        "FUND-2 三(二)",
        False,
        {
            FundingSource.PROVINCE: Decimal(1),
            FundingSource.CITY: Decimal(1),
            FundingSource.DISTRICT: Decimal(1),
        },
    ),
    "eligible_expense_categories": (
        "经费使用范围 What station money may pay for",
        "FUND-3 三(二)",
        False,
        tuple(ExpenseCategory),
    ),
    "other_expense_category_severity": (
        "用途以外支出的严重程度 Severity of station money spent outside the eligible categories: "
        "warning when the expense gives a written reason (the seed's list ends in 等), error without "
        "one; error: always an error",
        "FUND-3 三(二)",
        True,
        Severity.WARNING,
    ),
    "tranches": (
        "拨付节点与比例 Tranches: milestone and share of the contract value",
        "PAY-1 三(三)",
        False,
        (
            TrancheSpec(Milestone.CONTRACT_SIGNED, Decimal("0.60")),
            TrancheSpec(Milestone.MID_TERM, Decimal("0.30")),
            TrancheSpec(Milestone.FINAL, Decimal("0.10")),
        ),
    ),
    "min_resident_social_workers": (
        "最少驻站社工人数 Minimum resident social workers",
        "STAFF-1 三(四)",
        False,
        2,
    ),
    "min_certified_resident_social_workers": (
        "最少持证驻站社工人数 Minimum certified resident social workers",
        "STAFF-2 三(四)",
        False,
        1,
    ),
    "min_activity_area_m2": (
        "活动场地最小面积 Minimum activity space (m²)",
        "SITE-1 三(五)",
        False,
        Decimal(200),
    ),
    "min_office_area_m2": (
        "办公阵地最小面积 Minimum office (m²)",
        "SITE-2 三(五)",
        False,
        Decimal(15),
    ),
    "required_equipment": (
        "必备办公设备 Required office equipment",
        "SITE-3 三(五)",
        False,
        tuple(Equipment),
    ),
    "shared_facilities": (
        "可共用的服务设施（一室多用）Facilities that may be shared",
        "SITE-4 三(五)",
        False,
        tuple(SharedFacility),
    ),
    "advisory_rooms": (
        "逐步建立的专业场所 Rooms to set up over time (notice only)",
        "SITE-5 三(五)",
        False,
        tuple(Room),
    ),
    "logo_required": (
        "须有中国社会工作标志 China social work logo required",
        "SIGN-1 三(六)",
        False,
        True,
    ),
    "plaque_templates": (
        "标牌文字模板 Plaque text templates",
        "SIGN-1 SIGN-2 三(六)",
        False,
        ("{city}{district}{street}社会工作服务站", "{city}{district}{street}未成年人保护工作站"),
    ),
    "term_years": ("服务期限（年）Service term in contract years", "TERM-1 一 三(七)", False, 3),
    "hardship_fund_cap_share": (
        "困难群众救助补助资金购买社工服务上限 Cap on hardship-relief funds for social work",
        "FUND-5 四(二)",
        False,
        Decimal("0.02"),
    ),
    "evaluation_pass_mark": (
        "评估合格分 Evaluation pass mark (local practice: 60, the finance departments' usual grade line)",
        "PERF-2 四(四)",
        True,
        Decimal(60),
    ),
    "performance_weights": (
        "绩效四个维度权重 Weights of the four performance dimensions (local practice: equal)",
        "PERF-2 四(四)",
        True,
        {d: Decimal("0.25") for d in PerformanceDimension},
    ),
    "contractor_registration_authorities": (
        "承接机构登记管理机关代码 Registration-authority codes accepted for contractors (5 = civil affairs)",
        "FUND-9 四(三)",
        False,
        ("5",),
    ),
    "lots": (
        "包号 Procurement lots",
        "LOT-1 一",
        False,
        (
            Lot(1, "白银路街道", ("正宁路社区",)),
            Lot(2, "雁园街道", ("雁滨社区",)),
            Lot(3, "皋兰路街道", ("詹家拐子社区",)),
        ),
    ),
    "beneficiary_categories": (
        "重点服务对象及优先级（1 最优先）Beneficiary categories and priority (1 first; order is local practice)",
        "SCOPE-1 PRIN-1 二",
        True,
        DEFAULT_CATEGORIES,
    ),
    **_CASEWORK,
    **_PERFORMANCE,
}


def _build(profile_id: str, name: str, table: Mapping[str, _P]) -> Profile:
    """The built-in profile, read exactly as a profile file is (:func:`from_dict`)."""
    data = {
        "profile": {"id": profile_id, "name": name},
        "parameters": {
            key: [{"from": ALWAYS, "value": unstructure(value), "reference": reference}]
            for key, (_, reference, _, value) in table.items()
        },
    }
    return from_dict(data, f"built-in profile {profile_id!r}", resolve=_no_base)


def _no_base(profile_id: str) -> Profile:
    raise NotFound("built-in profile", profile_id)


DEFAULT_PROFILE_ID = "lanzhou-chengguan"


def builtin(profile_id: str = DEFAULT_PROFILE_ID) -> Profile:
    """A built-in profile by id."""
    try:
        return _builtin_profiles()[profile_id]
    except KeyError:
        raise NotFound("built-in profile", profile_id, sorted(_builtin_profiles())) from None


# --- Profile files ---------------------------------------------------------------------------

Resolver = Callable[[str], Profile]


def from_dict(data: object, source: str = "<profile>", resolve: Resolver = builtin) -> Profile:
    """A profile from parsed TOML (``[profile]`` and ``[[parameters.NAME]]``).

    With ``profile.extends`` the file overrides that profile (resolved by ``resolve``) from the
    dates it gives; without it, the file must give every parameter. Unknown keys are errors.
    """
    if not isinstance(data, dict):
        raise ProfileError("expected a table at the top of the file", source)
    problems: list[Problem] = []
    for key in data:
        if key not in ("profile", "parameters"):
            problems.append(Problem(key, "unknown key; expected one of profile, parameters"))
    head = data.get("profile")
    if not isinstance(head, dict):
        raise ProfileError(
            [*problems, Problem("profile", "missing required table [profile]")], source
        )
    for key in head:
        if key not in ("id", "name", "extends"):
            problems.append(
                Problem(f"profile.{key}", "unknown key; expected one of id, name, extends")
            )
    for key in ("id", "name"):
        if not isinstance(head.get(key), str):
            problems.append(Problem(f"profile.{key}", f"expected a string, got {head.get(key)!r}"))
    extends = head.get("extends")
    base: Profile | None = None
    if extends is not None:
        if not isinstance(extends, str):
            problems.append(Problem("profile.extends", "expected a profile id or path"))
        else:
            try:
                base = resolve(extends)
            except (NotFound, InvalidInput) as exc:
                problems.append(Problem("profile.extends", str(exc)))
    params_data = data.get("parameters", {})
    if not isinstance(params_data, dict):
        problems.append(Problem("parameters", "expected a table of parameters"))
        params_data = {}
    parameters: dict[str, Parameter] = dict(base.parameters) if base else {}
    for name, entries in params_data.items():
        path = f"parameters.{name}"
        if name not in _TYPES:
            problems.append(
                Problem(path, f"unknown parameter; expected one of {', '.join(PARAMETER_NAMES)}")
            )
            continue
        if not isinstance(entries, list) or not entries:
            problems.append(
                Problem(path, "expected [[parameters.NAME]] entries with from and value")
            )
            continue
        described = parameters.get(name) or _describe_only(name)
        starts: set[dt.date] = set()  # this file's own start dates (a base's may be replaced)
        for i, entry in enumerate(entries):
            epath = f"{path}[{i}]"
            if not isinstance(entry, dict):
                problems.append(Problem(epath, "expected a table with from, value and reference"))
                continue
            extra = [k for k in entry if k not in ("from", "value", "reference")]
            for k in extra:
                problems.append(
                    Problem(f"{epath}.{k}", "unknown key; expected one of from, value, reference")
                )
            start = entry.get("from")
            if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
                problems.append(
                    Problem(f"{epath}.from", f"expected a date like 2024-01-01, got {start!r}")
                )
                continue
            if "value" not in entry:
                problems.append(Problem(f"{epath}.value", "missing required key"))
                continue
            reference = entry.get("reference", "")
            if not isinstance(reference, str):
                problems.append(Problem(f"{epath}.reference", "expected a string"))
                continue
            try:
                value = _check_value(name, entry["value"])
            except InvalidInput as exc:
                for p in exc.problems:
                    sub = p.path if p.path.startswith("[") or not p.path else "." + p.path
                    problems.append(Problem(f"{epath}.value{sub}", p.message, zh=p.zh))
                continue
            if start in starts:
                problems.append(
                    Problem(
                        f"{epath}.from",
                        f"another value of {name} starts on {start.isoformat()}; "
                        "expected one value per start date",
                    )
                )
                continue
            starts.add(start)
            described = described.with_value(DatedValue(start, value, reference))
        parameters[name] = described
    if problems:
        raise ProfileError(problems, source)
    missing = [n for n in PARAMETER_NAMES if n not in parameters]
    if missing:
        raise ProfileError(
            [
                Problem(f"parameters.{n}", "missing: give a value, or set profile.extends")
                for n in missing
            ],
            source,
        )
    assert isinstance(head["id"], str) and isinstance(head["name"], str)
    return Profile(head["id"], head["name"], parameters)


def _describe_only(name: str) -> Parameter:
    spec = CHENGGUAN[name]
    return Parameter(name, (), spec[0], spec[1], spec[2])


def to_dict(profile: Profile) -> dict[str, Any]:
    """The profile as standalone profile-file data: every parameter, every dated value."""
    return {
        "profile": {"id": profile.id, "name": profile.name},
        "parameters": {
            name: [
                {"from": v.start, "value": unstructure(v.value), "reference": v.reference}
                for v in param.values
            ]
            for name, param in profile.parameters.items()
        },
    }


@functools.cache
def _builtin_profiles() -> dict[str, Profile]:
    """The built-in profiles by id, built on first use: building one reads its whole table as a
    profile file is read, which ``sgz --help`` and ``sgz rules`` need not pay for (issue 12)."""
    return {
        DEFAULT_PROFILE_ID: _build(
            DEFAULT_PROFILE_ID, "兰州市城关区街道社工站 (Lanzhou Chengguan)", CHENGGUAN
        ),
    }


if typing.TYPE_CHECKING:
    BUILTIN: dict[str, Profile]
    """The built-in profiles by id (built on first use)."""


def __getattr__(name: str) -> Any:
    if name == "BUILTIN":  # a module attribute computed on first use (PEP 562)
        return _builtin_profiles()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
