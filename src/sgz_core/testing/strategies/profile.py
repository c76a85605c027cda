"""Policy profiles and the values of every profile parameter (PROF-1)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.casework.discovery import AgeRange
from sgz_core.casework.identity import IdMask
from sgz_core.categories import DEFAULT_CATEGORIES, GOVERNANCE_GROUPS, Category
from sgz_core.enums import (
    Equipment,
    EvaluationKind,
    ExpenseCategory,
    Outcome,
    PerformanceDimension,
    Room,
    Severity,
    SharedFacility,
)
from sgz_core.performance.types import MAX_DEADLINE_DAYS, GradeBand, IndicatorSystem
from sgz_core.profiles import (
    ALWAYS,
    Lot,
    Profile,
    builtin,
)
from sgz_core.testing.strategies._base import (
    _DAY,
    LAST_START,
    T,
    _cjk,
    _draw_day,
    _tenths,
    communities,
    streets,
)
from sgz_core.testing.strategies.casework import _CATEGORY_IDS, visit_intervals
from sgz_core.testing.strategies.codes import ids, money
from sgz_core.testing.strategies.funding import _LEVELS
from sgz_core.testing.strategies.schedule import tranche_plans

# --- profiles --------------------------------------------------------------------------------


def _weight_table(keys: Sequence[T]) -> st.SearchStrategy[dict[T, Decimal]]:
    one = _tenths(Decimal(0), Decimal(5))
    return st.lists(one, min_size=len(keys), max_size=len(keys)).map(
        lambda ws: dict(zip(keys, ws if any(ws) else [Decimal(1), *ws[1:]], strict=True))
    )


def _subsets(items: Sequence[T]) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(st.sampled_from(list(items)), unique=True).map(tuple)


def _templates() -> st.SearchStrategy[str]:
    return st.builds(
        lambda head, tail: f"{head}{{city}}{{district}}{{street}}{tail}",
        _cjk(0, 2),
        st.sampled_from(["社会工作服务站", "未成年人保护工作站", "社工站"]),
    )


def _lots(number: int) -> st.SearchStrategy[Lot]:
    return st.builds(
        Lot,
        st.just(number),
        streets,
        st.lists(communities, min_size=1, max_size=2, unique=True).map(tuple),
    )


@st.composite
def _beneficiary_categories(draw: st.DrawFn) -> tuple[Category, ...]:
    """The default categories (every id the casework strategies use), priorities redrawn, and new ones."""
    known = [
        Category(c.id, c.zh, c.en, draw(st.integers(1, 9)), c.group, c.reference)
        for c in DEFAULT_CATEGORIES
    ]
    extra_ids = draw(
        st.lists(ids().filter(lambda i: i not in _CATEGORY_IDS), unique=True, max_size=2)
    )
    added = [
        Category(
            id_,
            draw(_cjk(2, 6)),
            draw(st.text("abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20)),
            draw(st.integers(1, 9)),
            draw(st.one_of(st.none(), st.sampled_from(sorted(GOVERNANCE_GROUPS)))),
        )
        for id_ in extra_ids
    ]
    return tuple(known + added)


def _age_ranges() -> st.SearchStrategy[AgeRange]:
    return st.integers(0, 30).flatmap(
        lambda s: st.integers(s + 1, 80).map(lambda e: AgeRange(s, e))
    )


def _split(total: int, parts: int) -> st.SearchStrategy[list[int]]:
    """``parts`` whole numbers of zero or more that sum to ``total``."""
    cuts = st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)
    return cuts.map(
        lambda cs: [b - a for a, b in zip([0, *sorted(cs)], [*sorted(cs), total], strict=True)]
    )


@st.composite
def _indicator_systems(draw: st.DrawFn) -> IndicatorSystem:
    """The built-in indicators with redrawn dimension points (sum 100), weights (per dimension,
    sum to its points) and targets (PERF-2)."""
    system = builtin().at(ALWAYS).performance_indicators
    dimensions = list(system.dimensions)
    points = dict(zip(dimensions, draw(_split(100, len(dimensions))), strict=True))
    weights: dict[str, int] = {}
    for dimension in dimensions:
        members = [i.id for i in system.indicators if i.dimension is dimension]
        if members:
            weights.update(zip(members, draw(_split(points[dimension], len(members))), strict=True))
    indicators = tuple(
        attrs.evolve(
            i,
            weight=Decimal(weights[i.id]),
            target=draw(
                st.sampled_from((i.target, i.target * 2, Decimal(draw(st.integers(1, 500)))))
            ),
        )
        for i in system.indicators
    )
    return IndicatorSystem(points, indicators)


def _grades() -> st.SearchStrategy[tuple[GradeBand, ...]]:
    """Grades with falling minimum scores from at most 100 down to 0."""
    names = [("优", "excellent"), ("良", "good"), ("中", "fair"), ("差", "poor")]
    return st.lists(st.integers(1, 100), unique=True, max_size=3).map(
        lambda cuts: tuple(
            GradeBand(zh, en, Decimal(cut))
            for (zh, en), cut in zip(names, [*sorted(cuts, reverse=True), 0], strict=False)
        )
    )


def _ordered_pair(low: int, high: int, key_low: T, key_high: T) -> st.SearchStrategy[dict[T, int]]:
    return st.integers(low, high).flatmap(
        lambda a: st.integers(a, high).map(lambda b: {key_low: a, key_high: b})
    )


@functools.lru_cache(maxsize=1)
def _parameter_strategies() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "city": _cjk(2, 3).map(lambda s: s + "市"),
        "district": _cjk(2, 3).map(lambda s: s + "区"),
        "min_station_funding": money(0, 500_000),
        "cofunding_ratio": _weight_table(_LEVELS),
        "eligible_expense_categories": _subsets(list(ExpenseCategory)),
        "other_expense_category_severity": st.sampled_from((Severity.WARNING, Severity.ERROR)),
        "tranches": tranche_plans(),
        "min_resident_social_workers": st.integers(0, 6),
        "min_certified_resident_social_workers": st.integers(0, 4),
        "min_activity_area_m2": _tenths(Decimal(0), Decimal(500)),
        "min_office_area_m2": _tenths(Decimal(0), Decimal(60)),
        "required_equipment": _subsets(list(Equipment)),
        "logo_required": st.booleans(),
        "term_years": st.integers(1, 5),
        "hardship_fund_cap_share": st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-3)),
        "evaluation_pass_mark": _tenths(Decimal(0), Decimal(100)),
        "performance_weights": _weight_table(list(PerformanceDimension)),
        "shared_facilities": _subsets(list(SharedFacility)),
        "advisory_rooms": _subsets(list(Room)),
        "plaque_templates": st.lists(_templates(), max_size=3).map(tuple),
        "contractor_registration_authorities": _subsets(["1", "5", "9", "Y"]),
        "lots": st.lists(st.integers(1, 9), unique=True, max_size=4).flatmap(
            lambda numbers: st.tuples(*(_lots(n) for n in numbers))
        ),
        "beneficiary_categories": _beneficiary_categories(),
        "visit_intervals": st.dictionaries(
            st.sampled_from(_CATEGORY_IDS), visit_intervals(), max_size=len(_CATEGORY_IDS)
        ),
        "visit_due_soon_days": st.integers(0, 60),
        "id_number_mask": st.builds(
            IdMask, st.integers(0, 6), st.integers(0, 4), st.sampled_from("*#×•-")
        ),
        "minimum_allowance_line": money(100, 3000),
        "low_income_multiplier": _tenths(Decimal(1), Decimal(3)),
        "nursing_subsidy_max_grade": st.integers(1, 4),
        "working_age": _age_ranges(),
        "performance_indicators": _indicator_systems(),
        "performance_grades": _grades(),
        "outcome_thresholds": _ordered_pair(0, 100, Outcome.SUSPEND, Outcome.CORRECT).map(
            lambda d: {k: Decimal(v) for k, v in d.items()}
        ),
        "evaluation_deadline_days": _ordered_pair(
            0, MAX_DEADLINE_DAYS, EvaluationKind.MID_TERM, EvaluationKind.FINAL
        ),
        "monitoring_tolerance": st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-2)),
        "mid_term_correct_holds": st.booleans(),
        "staff_shortfall_days": st.integers(0, 120),
    }


def parameter_values(name: str) -> st.SearchStrategy[Any]:
    """Valid values of the profile parameter ``name``, for ``Profile.override`` (PROF-1).

    Covers every parameter of :data:`sgz_core.profiles.PARAMETER_NAMES`: the numbers, ratios,
    tranche plans, vocabularies, plaque texts, lots, casework and performance settings (indicator
    systems whose weights sum to each dimension's points, grades, thresholds, deadlines) a
    locality changes.
    Drawn beneficiary categories keep every built-in category id, so casework stays valid.
    """
    table = _parameter_strategies()
    if name not in table:
        raise InvalidArgument(
            f"parameter_values: no strategy for {name!r}; one of {', '.join(table)}"
        )
    return table[name]


def profiles(
    *,
    base: Profile | None = None,
    max_overrides: int = 3,
    first: dt.date = ALWAYS,
    dated: bool = True,
) -> st.SearchStrategy[Profile]:
    """``base`` (built-in Chengguan by default) with up to ``max_overrides`` overrides.

    Each override sets a parameter from :func:`parameter_values` from a day after ``first``; with
    ``dated=False`` every override starts on ``first``, so the policy is the same on every day
    from then on (``profile.at(first)`` is then the policy to pass to ``compliant=True``).
    """
    if max_overrides < 0:
        raise InvalidArgument("profiles: max_overrides must be zero or more")
    return _profiles(base, max_overrides, first, dated)


@st.composite
def _profiles(
    draw: st.DrawFn, base: Profile | None, max_overrides: int, first: dt.date, dated: bool
) -> Profile:
    profile = base if base is not None else builtin()
    names = sorted(_parameter_strategies())
    for _ in range(draw(st.integers(0, max_overrides))):
        name = draw(st.sampled_from(names))
        profile = profile.override(
            name,
            _draw_day(draw, first + _DAY, LAST_START) if dated else first,
            draw(parameter_values(name)),
            draw(st.one_of(st.just(""), _cjk(1, 8))),
        )
    return profile


__all__ = [
    "parameter_values",
    "profiles",
]
