"""Policy profiles: every number of the rules as a dated parameter with its clause (PROF-1).

A :class:`Profile` maps parameter names to :class:`Parameter` values keyed by the date they
take effect. ``profile.at(day)`` gives the :class:`Policy` in force on that day, a typed record
the rules read. The Chengguan profile (``lanzhou-chengguan``) is built in and is the default;
a profile TOML may extend it and override any value from a given date.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from sgz_core._convert import CONVERTER, problems_of, unstructure
from sgz_core.casework.discovery import AgeRange
from sgz_core.casework.identity import IdMask
from sgz_core.casework.visits import VisitInterval
from sgz_core.categories import DEFAULT_CATEGORIES, Category
from sgz_core.enums import (
    Equipment,
    ExpenseCategory,
    FundingSource,
    Milestone,
    PerformanceDimension,
    Room,
    ServiceDomain,
    SharedFacility,
)
from sgz_core.errors import InvalidInput, NotFound, Problem, ProfileError
from sgz_core.model import Money


@attrs.frozen
class TrancheSpec:
    """One tranche of PAY-1: what releases it and its share of the contract value."""

    milestone: Milestone
    share: Decimal


@attrs.frozen
class Lot:
    """A procurement lot (LOT-1): one station on one street serving these communities."""

    lot: int
    street: str
    communities: tuple[str, ...]


@attrs.frozen
class Policy:
    """The values of every parameter in force on one day. Field names are parameter names."""

    city: str
    district: str
    min_station_funding: Money
    cofunding_ratio: dict[FundingSource, Decimal]
    eligible_expense_categories: tuple[ExpenseCategory, ...]
    tranches: tuple[TrancheSpec, ...]
    min_resident_social_workers: int
    min_certified_resident_social_workers: int
    min_activity_area_m2: Decimal
    min_office_area_m2: Decimal
    required_equipment: tuple[Equipment, ...]
    shared_facilities: tuple[SharedFacility, ...]
    advisory_rooms: tuple[Room, ...]
    logo_required: bool
    plaque_templates: tuple[str, ...]
    term_years: int
    hardship_fund_cap_share: Decimal
    evaluation_pass_mark: Decimal
    performance_weights: dict[PerformanceDimension, Decimal]
    contractor_registration_authorities: tuple[str, ...]
    lots: tuple[Lot, ...]
    beneficiary_categories: tuple[Category, ...]
    # casework (DOM-1 … DOM-3, PII-1); see docs/casework.md
    visit_intervals: dict[str, VisitInterval]
    visit_due_soon_days: int
    id_number_mask: IdMask
    minimum_allowance_line: Money
    low_income_multiplier: Decimal
    nursing_subsidy_max_grade: int
    working_age: AgeRange

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
    except Exception as exc:
        raise InvalidInput(problems_of(exc)) from None
    if name == "tranches":
        total = sum((t.share for t in result), Decimal(0))
        if not result or total != 1 or any(t.share < 0 for t in result):
            raise InvalidInput(
                f"expected tranche shares of zero or more that sum to 1, got {total}"
            )
    if name in ("cofunding_ratio", "performance_weights") and (
        not result or any(w < 0 for w in result.values()) or sum(result.values()) <= 0
    ):
        raise InvalidInput("expected weights of zero or more, not all zero")
    if name == "plaque_templates":
        for t in result:
            try:
                t.format(city="", district="", street="")
            except (KeyError, IndexError, ValueError):
                raise InvalidInput(
                    f"expected a template using only {{city}}, {{district}} and {{street}}, got {t!r}"
                ) from None
    return result


@attrs.frozen
class DatedValue:
    """A parameter's value from ``start`` on, with the clause or document it comes from."""

    start: dt.date
    value: Any
    reference: str = ""


@attrs.frozen
class Parameter:
    """A named policy number with its values over time (openfisca-style)."""

    name: str
    values: tuple[DatedValue, ...]
    description: str = ""
    reference: str = ""
    """Where the number comes from (requirement id and seed clause)."""
    local_practice: bool = False
    """True where the seed gives no number and the default is documented local practice."""

    def at(self, day: dt.date) -> Any:
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
        return attrs.evolve(self, values=tuple(sorted([*kept, value], key=lambda v: v.start)))


@attrs.frozen(eq=False)
class Profile:
    """A named set of dated parameters. ``at(day)`` is cached per day."""

    id: str
    name: str
    parameters: Mapping[str, Parameter]
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
        """The policy in force on ``day``."""
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
}


def _build(profile_id: str, name: str, table: Mapping[str, _P]) -> Profile:
    params = {
        key: Parameter(
            name=key,
            values=(DatedValue(ALWAYS, _check_value(key, unstructure(value)), reference),),
            description=description,
            reference=reference,
            local_practice=local,
        )
        for key, (description, reference, local, value) in table.items()
    }
    return Profile(profile_id, name, params)


DEFAULT_PROFILE_ID = "lanzhou-chengguan"
BUILTIN: dict[str, Profile] = {
    DEFAULT_PROFILE_ID: _build(
        DEFAULT_PROFILE_ID, "兰州市城关区街道社工站 (Lanzhou Chengguan)", CHENGGUAN
    ),
}


def builtin(profile_id: str = DEFAULT_PROFILE_ID) -> Profile:
    """A built-in profile by id."""
    try:
        return BUILTIN[profile_id]
    except KeyError:
        raise NotFound("built-in profile", profile_id, sorted(BUILTIN)) from None


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
                    problems.append(Problem(f"{epath}.value{sub}", p.message))
                continue
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


__all__ = [
    "ALWAYS",
    "BUILTIN",
    "CHENGGUAN",
    "DEFAULT_PROFILE_ID",
    "PARAMETER_NAMES",
    "DatedValue",
    "Lot",
    "Parameter",
    "Policy",
    "Profile",
    "Resolver",
    "TrancheSpec",
    "builtin",
    "from_dict",
    "to_dict",
]
