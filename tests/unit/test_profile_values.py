"""Profiles that do not trust their caller: sorted dated values, no duplicates, immutable policies.

``Parameter`` used to keep its values in the order given (values for 2024 then 2020 made
``at(2025-01-01)`` return the 2020 value) and ``builtin().at(d).cofunding_ratio[CITY] = 5``
changed every later policy, because policies are cached per day.
"""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.casework import discovery, identity, visits
from sgz_core.enums import FundingSource, PerformanceDimension, ServiceDomain
from sgz_core.errors import InvalidInput, ProfileError
from sgz_core.profiles import ALWAYS, DatedValue, Parameter, Policy
from sgz_core.values import AgeRange, FrozenMap, IdMask, Lot, TrancheSpec, VisitInterval

DAY = dt.date(2025, 1, 1)
days = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


def fresh_policy(day: dt.date = DAY) -> Policy:
    """The built-in policy of ``day`` computed anew, never from the cache."""
    profile = profiles.builtin()
    return Policy(**{name: p.at(day) for name, p in profile.parameters.items()})


# --- Parameter ---------------------------------------------------------------------------------


@given(starts=st.lists(days, min_size=1, max_size=8, unique=True), data=st.data())
def test_parameter_sorts_its_values_whatever_the_order_given(
    starts: list[dt.date], data: st.DataObject
) -> None:
    given_order = data.draw(st.permutations(starts))
    param = Parameter("term_years", tuple(DatedValue(d, d.year) for d in given_order))
    assert [v.start for v in param.values] == sorted(starts)
    day = data.draw(days.filter(lambda d: d >= min(starts)))
    in_force = max(d for d in starts if d <= day)
    assert param.at(day) == in_force.year


def test_the_later_value_is_in_force_when_given_first() -> None:
    param = Parameter(
        "term_years", (DatedValue(dt.date(2024, 1, 1), 5), DatedValue(dt.date(2020, 1, 1), 3))
    )
    assert param.at(dt.date(2025, 1, 1)) == 5
    assert param.at(dt.date(2021, 1, 1)) == 3


@given(start=days, a=st.integers(1, 9), b=st.integers(1, 9))
def test_two_values_on_one_start_date_are_refused(start: dt.date, a: int, b: int) -> None:
    with pytest.raises(ProfileError, match=f"two values start on {start.isoformat()}"):
        Parameter("term_years", (DatedValue(start, a), DatedValue(start, b)))


def test_with_value_replaces_the_value_of_the_same_day() -> None:
    param = Parameter("term_years", (DatedValue(ALWAYS, 3),))
    assert param.with_value(DatedValue(ALWAYS, 4)).values == (DatedValue(ALWAYS, 4),)


def test_a_parameter_refuses_values_that_are_not_dated_values() -> None:
    with pytest.raises(InvalidInput, match=r"values\[0\]"):
        Parameter("term_years", ((ALWAYS, 3),))  # type: ignore[arg-type]


def test_a_dated_value_refuses_a_datetime() -> None:
    with pytest.raises(InvalidInput, match="start"):
        DatedValue(dt.datetime(2025, 1, 1, 8), 3)


def test_a_profile_file_giving_one_day_twice_is_refused() -> None:
    data = {
        "profile": {"id": "x", "name": "X", "extends": profiles.DEFAULT_PROFILE_ID},
        "parameters": {"term_years": [{"from": DAY, "value": 4}, {"from": DAY, "value": 5}]},
    }
    with pytest.raises(ProfileError) as info:
        profiles.from_dict(data, "x.toml")
    assert [p.path for p in info.value.problems] == ["parameters.term_years[1].from"]
    assert "one value per start date" in str(info.value)


def test_a_profile_file_may_replace_a_base_value_of_the_same_day() -> None:
    data = {
        "profile": {"id": "x", "name": "X", "extends": profiles.DEFAULT_PROFILE_ID},
        "parameters": {"term_years": [{"from": ALWAYS, "value": 4}]},
    }
    assert profiles.from_dict(data, "x.toml").at(DAY).term_years == 4


# --- immutable policies ------------------------------------------------------------------------


MAPS = ("cofunding_ratio", "performance_weights", "visit_intervals")


@pytest.mark.parametrize("name", MAPS)
def test_no_mapping_of_a_policy_can_be_changed(name: str) -> None:
    policy = profiles.builtin().at(DAY)
    mapping: Any = getattr(policy, name)
    key = next(iter(mapping))
    for attempt in (
        lambda: mapping.__setitem__(key, Decimal(5)),
        lambda: mapping.__delitem__(key),
        lambda: mapping.update({key: Decimal(5)}),
        lambda: mapping.clear(),
        lambda: mapping.pop(key),
        lambda: setattr(mapping, "_items", {}),
    ):
        with pytest.raises((TypeError, AttributeError)):
            attempt()
    assert getattr(profiles.builtin().at(DAY), name) == getattr(fresh_policy(), name)


def test_the_cache_cannot_be_poisoned() -> None:
    policy = profiles.builtin().at(DAY)
    with pytest.raises(TypeError):
        policy.cofunding_ratio[FundingSource.CITY] = Decimal(5)  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.term_years = 9  # type: ignore[misc]
    with pytest.raises(TypeError):
        profiles.builtin().parameters["term_years"] = Parameter("term_years", ())  # type: ignore[index]
    again = profiles.builtin().at(DAY)
    assert again == fresh_policy()
    assert again.cofunding_ratio[FundingSource.CITY] == 1
    assert hash(again) == hash(fresh_policy())


def test_every_collection_of_a_policy_is_immutable() -> None:
    policy = profiles.builtin().at(DAY)
    for field in attrs.fields(Policy):
        value = getattr(policy, field.name)
        assert not isinstance(value, list | dict | set), field.name
        hash(value)  # hashable all the way down


def test_a_policy_built_from_plain_data_freezes_and_converts_it() -> None:
    values = {name: p.at(DAY) for name, p in profiles.builtin().parameters.items()}
    ratio = {"province": Decimal(1), "city": Decimal(2), "district": Decimal(1)}
    values.update(cofunding_ratio=ratio, required_equipment=["desk", "chair"])
    policy = Policy(**values)
    ratio["city"] = Decimal(9)  # the caller's dict is not the policy's
    assert policy.cofunding_ratio == {
        FundingSource.PROVINCE: 1,
        FundingSource.CITY: 2,
        FundingSource.DISTRICT: 1,
    }
    assert isinstance(policy.cofunding_ratio, FrozenMap)
    assert policy.cofunding_levels == (
        FundingSource.PROVINCE,
        FundingSource.CITY,
        FundingSource.DISTRICT,
    )
    with pytest.raises(InvalidInput) as info:
        Policy(**{**values, "performance_weights": {"fun": Decimal(1)}})
    assert info.value.problems[0].path == "performance_weights.fun"


def test_a_profile_override_is_frozen_too() -> None:
    weights = {d: Decimal("0.25") for d in PerformanceDimension}
    profile = profiles.builtin().override("performance_weights", DAY, weights)
    weights[PerformanceDimension.SOCIAL_IMPACT] = Decimal(9)
    assert profile.at(DAY).performance_weights[PerformanceDimension.SOCIAL_IMPACT] == Decimal(
        "0.25"
    )
    assert isinstance(profile.parameter("performance_weights").at(DAY), FrozenMap)


# --- FrozenMap ----------------------------------------------------------------------------------

items = st.dictionaries(st.text(max_size=5), st.integers())


@given(a=items, b=items)
def test_frozen_maps_are_equal_and_hash_by_value(a: dict[str, int], b: dict[str, int]) -> None:
    fa, fb = FrozenMap(a), FrozenMap(b)
    assert (fa == fb) == (a == b)
    assert fa == a and dict(fa) == a and len(fa) == len(a)
    if a == b:
        assert hash(fa) == hash(fb)
    assert FrozenMap(dict(reversed(list(a.items())))) == fa
    assert pickle.loads(pickle.dumps(fa)) == fa


@given(a=items)
def test_a_frozen_map_keeps_a_private_copy(a: dict[str, int]) -> None:
    fa = FrozenMap(a)
    a["new key that is long"] = 1
    assert "new key that is long" not in fa


# --- the leaf values module -------------------------------------------------------------------


def test_the_old_import_paths_still_work() -> None:
    assert discovery.AgeRange is AgeRange
    assert identity.IdMask is IdMask
    assert visits.VisitInterval is VisitInterval
    assert profiles.TrancheSpec is TrancheSpec and profiles.Lot is Lot
    assert visits.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)


def test_the_built_in_profile_is_read_as_a_profile_file() -> None:
    built_in = profiles.builtin()
    assert profiles.from_dict(profiles.to_dict(built_in), "copy.toml").parameters == dict(
        built_in.parameters
    )
    interval = built_in.at(DAY).visit_intervals["orphan"]
    assert interval == VisitInterval(1, ServiceDomain.CHILD_WELFARE)


def test_a_string_for_a_list_is_refused_not_split_into_characters() -> None:
    values = {name: p.at(DAY) for name, p in profiles.builtin().parameters.items()}
    with pytest.raises(InvalidInput) as info:
        Policy(**{**values, "plaque_templates": "{street}社会工作服务站"})
    assert info.value.problems[0].path == "plaque_templates"
    with pytest.raises(InvalidInput) as info:
        Lot(1, "白银路街道", "正宁路社区")  # type: ignore[arg-type]
    assert info.value.problems[0].path == "communities"
    assert Lot(1, "白银路街道", ["正宁路社区"]).communities == ("正宁路社区",)  # type: ignore[arg-type]


def test_a_policy_is_looked_up_by_a_date_not_a_datetime() -> None:
    with pytest.raises(InvalidInput, match="without a time"):
        profiles.builtin().at(dt.datetime(2025, 1, 1, 8, 0))
    with pytest.raises(InvalidInput, match="without a time"):
        profiles.builtin().parameter("term_years").at(dt.datetime(2025, 1, 1, 8, 0))
