"""Policy profiles and the values of every profile parameter (PROF-1)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.casework.discovery import AgeRange
from sgz_core.casework.identity import IdMask
from sgz_core.categories import DEFAULT_CATEGORIES, GOVERNANCE_GROUPS, Category
from sgz_core.enums import (
    Equipment,
    ExpenseCategory,
    PerformanceDimension,
    Room,
    SharedFacility,
)
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


@functools.lru_cache(maxsize=1)
def _parameter_strategies() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "city": _cjk(2, 3).map(lambda s: s + "市"),
        "district": _cjk(2, 3).map(lambda s: s + "区"),
        "min_station_funding": money(0, 500_000),
        "cofunding_ratio": _weight_table(_LEVELS),
        "eligible_expense_categories": _subsets(list(ExpenseCategory)),
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
    }


def parameter_values(name: str) -> st.SearchStrategy[Any]:
    """Valid values of the profile parameter ``name``, for ``Profile.override`` (PROF-1).

    Covers every parameter of :data:`sgz_core.profiles.PARAMETER_NAMES`: the numbers, ratios,
    tranche plans, vocabularies, plaque texts, lots and casework settings a locality changes.
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
