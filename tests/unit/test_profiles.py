"""Policy profiles: the built-in Chengguan values, dated overrides (PROF-1) and profile files."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from decimal import Decimal
from typing import Any

import pytest
import tomli_w

from sgz_core import profiles
from sgz_core.enums import (
    Equipment,
    ExpenseCategory,
    FundingSource,
    Milestone,
    PerformanceDimension,
    Room,
    SharedFacility,
)
from sgz_core.errors import NotFound, ProfileError
from sgz_core.profiles import ALWAYS, PARAMETER_NAMES, Lot, Profile, TrancheSpec

DAY = dt.date(2024, 7, 1)
FROM = dt.date(2026, 1, 1)
SOURCE = "profiles/gansu.toml"


@pytest.fixture(scope="module")
def chengguan() -> Profile:
    return profiles.builtin()


def extending(parameters: dict[str, Any], **head: Any) -> dict[str, Any]:
    """Profile-file data that extends the built-in profile."""
    return {
        "profile": {"id": "gansu-x", "name": "Gansu X", "extends": "lanzhou-chengguan", **head},
        "parameters": parameters,
    }


def refused(data: object) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        profiles.from_dict(data, SOURCE)
    return info.value


def paths(exc: ProfileError) -> set[str]:
    return {p.path for p in exc.problems}


# --- the built-in Chengguan profile -------------------------------------------------------------


def test_builtin_is_the_default(chengguan: Profile) -> None:
    assert chengguan.id == profiles.DEFAULT_PROFILE_ID == "lanzhou-chengguan"
    assert profiles.builtin("lanzhou-chengguan") is chengguan


def test_unknown_builtin_profile() -> None:
    with pytest.raises(NotFound, match="lanzhou-chengguan"):
        profiles.builtin("shanghai")


def test_builtin_funding_values(chengguan: Profile) -> None:
    policy = chengguan.at(DAY)
    assert policy.min_station_funding == Decimal("150000")  # FUND-1
    assert policy.cofunding_ratio == {  # FUND-2
        FundingSource.PROVINCE: 1,
        FundingSource.CITY: 1,
        FundingSource.DISTRICT: 1,
    }
    assert policy.cofunding_levels == (
        FundingSource.PROVINCE,
        FundingSource.CITY,
        FundingSource.DISTRICT,
    )
    assert policy.eligible_expense_categories == tuple(ExpenseCategory)  # FUND-3
    assert policy.hardship_fund_cap_share == Decimal("0.02")  # FUND-5
    assert policy.contractor_registration_authorities == ("5",)  # FUND-9


def test_builtin_tranches(chengguan: Profile) -> None:
    assert chengguan.at(DAY).tranches == (  # PAY-1
        TrancheSpec(Milestone.CONTRACT_SIGNED, Decimal("0.60")),
        TrancheSpec(Milestone.MID_TERM, Decimal("0.30")),
        TrancheSpec(Milestone.FINAL, Decimal("0.10")),
    )


def test_builtin_staff_premises_term_and_evaluation(chengguan: Profile) -> None:
    policy = chengguan.at(DAY)
    assert policy.min_resident_social_workers == 2  # STAFF-1
    assert policy.min_certified_resident_social_workers == 1  # STAFF-2
    assert policy.min_activity_area_m2 == 200  # SITE-1
    assert policy.min_office_area_m2 == 15  # SITE-2
    assert policy.required_equipment == tuple(Equipment)  # SITE-3
    assert policy.shared_facilities == tuple(SharedFacility)  # SITE-4
    assert policy.advisory_rooms == tuple(Room)  # SITE-5
    assert policy.logo_required is True  # SIGN-1
    assert policy.term_years == 3  # TERM-1
    assert policy.evaluation_pass_mark == 60  # PERF-2
    assert policy.performance_weights == {d: Decimal("0.25") for d in PerformanceDimension}


def test_builtin_lots_and_plaques(chengguan: Profile) -> None:
    policy = chengguan.at(DAY)
    assert policy.lots == (
        Lot(1, "白银路街道", ("正宁路社区",)),
        Lot(2, "雁园街道", ("雁滨社区",)),
        Lot(3, "皋兰路街道", ("詹家拐子社区",)),
    )
    assert policy.plaques("雁园街道") == (
        "兰州市城关区雁园街道社会工作服务站",
        "兰州市城关区雁园街道未成年人保护工作站",
    )


def test_builtin_beneficiary_categories_are_in_priority_order(chengguan: Profile) -> None:
    categories = chengguan.at(DAY).beneficiary_categories
    assert [c.priority for c in categories] == sorted(c.priority for c in categories)
    assert {"orphan", "left_behind_child", "minimum_allowance", "low_income"} <= {
        c.id for c in categories
    }


def test_builtin_documents_every_parameter(chengguan: Profile) -> None:
    assert set(chengguan.parameters) == set(PARAMETER_NAMES)
    for name in PARAMETER_NAMES:
        parameter = chengguan.parameter(name)
        assert parameter.description and parameter.reference, name
        assert parameter.values[0].start == ALWAYS
    # the numbers the seed does not give are marked as local practice
    assert chengguan.parameter("evaluation_pass_mark").local_practice
    assert not chengguan.parameter("min_station_funding").local_practice


def test_no_value_before_the_builtin_values_start(chengguan: Profile) -> None:
    with pytest.raises(ProfileError, match="no value in force on 1999-12-31"):
        chengguan.at(ALWAYS - dt.timedelta(days=1))


def test_unknown_parameter_lookup(chengguan: Profile) -> None:
    with pytest.raises(NotFound, match="term_years"):
        chengguan.parameter("nonsense")


# --- Profile.override (PROF-1) ----------------------------------------------------------------


def test_override_applies_from_its_date(chengguan: Profile) -> None:
    changed = chengguan.override("min_resident_social_workers", FROM, 3)
    assert changed.at(FROM - dt.timedelta(days=1)).min_resident_social_workers == 2
    assert changed.at(FROM).min_resident_social_workers == 3
    assert changed.at(dt.date(2030, 1, 1)).min_resident_social_workers == 3
    # the original is unchanged, and not equal to the changed one
    assert chengguan.at(FROM).min_resident_social_workers == 2
    assert changed != chengguan


def test_override_on_the_same_day_replaces_the_value(chengguan: Profile) -> None:
    changed = chengguan.override("term_years", FROM, 4).override("term_years", FROM, 5)
    assert [v.value for v in changed.parameter("term_years").values] == [3, 5]


def test_override_keeps_values_in_date_order(chengguan: Profile) -> None:
    later = dt.date(2028, 1, 1)
    changed = chengguan.override("term_years", later, 5).override("term_years", FROM, 4)
    assert [v.start for v in changed.parameter("term_years").values] == [ALWAYS, FROM, later]
    assert [changed.at(d).term_years for d in (DAY, FROM, later)] == [3, 4, 5]


def test_override_accepts_domain_values(chengguan: Profile) -> None:
    changed = chengguan.override(
        "tranches",
        FROM,
        (
            TrancheSpec(Milestone.CONTRACT_SIGNED, Decimal("0.5")),
            TrancheSpec(Milestone.FINAL, Decimal("0.5")),
        ),
    )
    assert [t.milestone for t in changed.at(FROM).tranches] == [
        Milestone.CONTRACT_SIGNED,
        Milestone.FINAL,
    ]


def test_override_checks_the_value(chengguan: Profile) -> None:
    with pytest.raises(ProfileError) as info:
        chengguan.override("min_resident_social_workers", FROM, "3")
    assert "parameters.min_resident_social_workers" in str(info.value)
    assert "expected an integer" in str(info.value)
    with pytest.raises(NotFound):
        chengguan.override("nonsense", FROM, 1)


DECIMAL_PARAMETERS = [
    "min_activity_area_m2",
    "min_office_area_m2",
    "hardship_fund_cap_share",
    "evaluation_pass_mark",
    "low_income_multiplier",
    "monitoring_tolerance",
]


@pytest.mark.parametrize("name", DECIMAL_PARAMETERS)
@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_decimal_parameter_is_a_finite_number(chengguan: Profile, name: str, value: str) -> None:
    """A profile file may write ``nan`` or ``inf`` (TOML has them): a ``monitoring_tolerance``
    of NaN ended in an internal error when the profile was read, an ``evaluation_pass_mark`` of
    NaN in one when ``sgz check`` compared a score with it (PROF-1: the values are checked)."""
    assert name in PARAMETER_NAMES
    with pytest.raises(ProfileError) as info:
        chengguan.override(name, FROM, Decimal(value))
    assert f"parameters.{name}" in str(info.value)
    assert "expected a" in str(info.value)


# --- profile files: from_dict with extends --------------------------------------------------------


def test_extends_overrides_from_a_date() -> None:
    text = """
[profile]
id = "gansu-x"
name = "Gansu X"
extends = "lanzhou-chengguan"

[[parameters.min_station_funding]]
from = 2026-01-01
value = 180000
reference = "a later notice"

[[parameters.city]]
from = 2000-01-01
value = "天水市"
"""
    profile = profiles.from_dict(tomllib.loads(text, parse_float=Decimal), SOURCE)
    assert (profile.id, profile.name) == ("gansu-x", "Gansu X")
    assert profile.at(dt.date(2025, 12, 31)).min_station_funding == Decimal(150000)
    assert profile.at(FROM).min_station_funding == Decimal(180000)
    assert profile.parameter("min_station_funding").values[-1].reference == "a later notice"
    assert profile.at(DAY).plaques("某街道")[0] == "天水市城关区某街道社会工作服务站"
    # everything else is the base profile's
    assert profile.at(FROM).term_years == 3


def test_extends_with_several_dated_values() -> None:
    profile = profiles.from_dict(
        extending(
            {
                "term_years": [
                    {"from": dt.date(2028, 1, 1), "value": 5},
                    {"from": FROM, "value": 4},
                ]
            }
        ),
        SOURCE,
    )
    assert [profile.at(d).term_years for d in (DAY, FROM, dt.date(2028, 1, 1))] == [3, 4, 5]


def test_extends_a_profile_found_by_the_resolver() -> None:
    base = profiles.builtin().override("term_years", ALWAYS, 5).renamed("base", "Base")
    profile = profiles.from_dict(
        extending({}, extends="base"),
        SOURCE,
        resolve=lambda ref: base if ref == "base" else profiles.builtin(ref),
    )
    assert profile.at(DAY).term_years == 5


def test_extends_an_unknown_profile() -> None:
    exc = refused(extending({}, extends="nowhere"))
    assert str(exc).startswith(f"{SOURCE}: profile.extends: ")
    assert "nowhere" in str(exc)


# --- profile files: what is refused --------------------------------------------------------------


def test_unknown_parameter_names_its_path() -> None:
    exc = refused(extending({"nonsense": [{"from": FROM, "value": 1}]}))
    assert paths(exc) == {"parameters.nonsense"}
    assert str(exc).startswith(f"{SOURCE}: parameters.nonsense: unknown parameter")
    assert "min_station_funding" in str(exc)  # the known names are listed


def test_unknown_key_inside_an_entry() -> None:
    exc = refused(
        extending({"term_years": [{"from": FROM, "value": 4, "until": dt.date(2027, 1, 1)}]})
    )
    assert paths(exc) == {"parameters.term_years[0].until"}
    assert "expected one of from, value, reference" in str(exc)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("min_resident_social_workers", "3", "expected an integer, got str '3'"),
        ("min_resident_social_workers", True, "expected an integer"),
        ("logo_required", 1, "expected true or false"),
        ("city", 7, "expected a string"),
        ("min_station_funding", "150000", "expected an amount in yuan"),
        ("min_station_funding", Decimal("0.001"), "exact to the fen"),
        ("min_station_funding", -1, "zero or more"),
        ("evaluation_pass_mark", 60.5, "binary float"),
        ("required_equipment", "desk", "expected a list"),
    ],
)
def test_bad_value_type_names_the_value_path(name: str, value: object, expected: str) -> None:
    exc = refused(extending({name: [{"from": FROM, "value": value}]}))
    assert paths(exc) == {f"parameters.{name}[0].value"}
    assert expected in str(exc)
    assert str(exc).startswith(f"{SOURCE}: parameters.{name}[0].value: ")


@pytest.mark.parametrize(
    "template",
    [
        "{town}",
        "{}",
        "{0}",
        "{street:>99999999999}",  # would build a string of 100 GB when formatted
        "{street:{city}}",
        "{street!r}",
        "{street.__class__}",
        "{street[0]}",
        "{street",
        "street}",
    ],
)
def test_plaque_templates_allow_only_the_three_plain_fields(template: str) -> None:
    value = ["{city}{district}{street}社会工作服务站", template]
    exc = refused(extending({"plaque_templates": [{"from": FROM, "value": value}]}))
    assert paths(exc) == {"parameters.plaque_templates[0].value[1]"}
    assert "only {city}, {district} and {street}" in str(exc)


def test_plaque_templates_may_escape_braces() -> None:
    value = ["{{{street}}} {city}{district}"]
    profile = profiles.from_dict(extending({"plaque_templates": [{"from": FROM, "value": value}]}))
    assert profile.at(FROM).plaques("白银路街道") == ("{白银路街道} 兰州市城关区",)


def test_bad_value_inside_a_structured_value_names_the_inner_path() -> None:
    value = [{"milestone": "contract_signed", "share": Decimal(1), "extra": 1}]
    exc = refused(extending({"tranches": [{"from": FROM, "value": value}]}))
    assert paths(exc) == {"parameters.tranches[0].value[0].extra"}
    value = [{"milestone": "paid", "share": Decimal(1)}]
    exc = refused(extending({"tranches": [{"from": FROM, "value": value}]}))
    assert paths(exc) == {"parameters.tranches[0].value[0].milestone"}


def test_the_second_entry_is_named_by_its_index() -> None:
    exc = refused(
        extending({"term_years": [{"from": FROM, "value": 4}, {"from": FROM, "value": "5"}]})
    )
    assert paths(exc) == {"parameters.term_years[1].value"}


@pytest.mark.parametrize(
    "shares",
    [
        ["0.60", "0.30"],
        ["0.60", "0.30", "0.20"],
        ["1.10", "-0.10"],
    ],
)
def test_tranche_shares_must_sum_to_one(shares: list[str]) -> None:
    milestones = ["contract_signed", "mid_term", "final"]
    value = [
        {"milestone": m, "share": Decimal(s)} for m, s in zip(milestones, shares, strict=False)
    ]
    exc = refused(extending({"tranches": [{"from": FROM, "value": value}]}))
    assert paths(exc) == {"parameters.tranches[0].value"}
    assert "sum to 1" in str(exc)


def test_no_tranches_at_all_is_refused() -> None:
    exc = refused(extending({"tranches": [{"from": FROM, "value": []}]}))
    assert paths(exc) == {"parameters.tranches[0].value"}


def test_tranche_shares_summing_to_one_are_accepted() -> None:
    value = [
        {"milestone": "contract_signed", "share": Decimal("0.7")},
        {"milestone": "final", "share": Decimal("0.3")},
    ]
    profile = profiles.from_dict(extending({"tranches": [{"from": FROM, "value": value}]}), SOURCE)
    assert sum(t.share for t in profile.at(FROM).tranches) == 1
    assert len(profile.at(DAY).tranches) == 3


def test_cofunding_weights_must_not_all_be_zero() -> None:
    value = {"province": 0, "city": 0, "district": 0}
    exc = refused(extending({"cofunding_ratio": [{"from": FROM, "value": value}]}))
    assert paths(exc) == {"parameters.cofunding_ratio[0].value"}


@pytest.mark.parametrize(
    ("entry", "path", "expected"),
    [
        ({"value": 4}, "parameters.term_years[0].from", "expected a date"),
        (
            {"from": dt.datetime(2026, 1, 1, 8, 0), "value": 4},
            "parameters.term_years[0].from",
            "expected a date",
        ),
        ({"from": "2026-01-01", "value": 4}, "parameters.term_years[0].from", "expected a date"),
        ({"from": FROM}, "parameters.term_years[0].value", "missing required key"),
        (
            {"from": FROM, "value": 4, "reference": 1},
            "parameters.term_years[0].reference",
            "expected a string",
        ),
    ],
)
def test_malformed_entries(entry: dict[str, Any], path: str, expected: str) -> None:
    exc = refused(extending({"term_years": [entry]}))
    assert paths(exc) == {path}
    assert expected in str(exc)


@pytest.mark.parametrize("entries", [[], 4, {"from": FROM, "value": 4}])
def test_a_parameter_needs_a_list_of_entries(entries: object) -> None:
    exc = refused(extending({"term_years": entries}))
    assert paths(exc) == {"parameters.term_years"}


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], ""),
        ({"parameters": {}}, "profile"),
        (
            {"profile": {"id": "x", "name": "X", "extends": "lanzhou-chengguan"}, "rules": {}},
            "rules",
        ),
        (
            {"profile": {"id": "x", "name": "X", "extends": "lanzhou-chengguan", "version": 2}},
            "profile.version",
        ),
        ({"profile": {"name": "X", "extends": "lanzhou-chengguan"}}, "profile.id"),
        ({"profile": {"id": "x", "name": 1, "extends": "lanzhou-chengguan"}}, "profile.name"),
        ({"profile": {"id": "x", "name": "X", "extends": 1}}, "profile.extends"),
        (
            {"profile": {"id": "x", "name": "X", "extends": "lanzhou-chengguan"}, "parameters": []},
            "parameters",
        ),
    ],
)
def test_malformed_profile_files(data: object, path: str) -> None:
    exc = refused(data)
    assert path in paths(exc)
    assert str(exc).startswith(f"{SOURCE}: ")


def test_every_problem_is_reported() -> None:
    exc = refused(
        extending(
            {
                "nonsense": [{"from": FROM, "value": 1}],
                "term_years": [{"from": FROM, "value": "4", "until": FROM}],
                "city": [{"from": FROM, "value": 1}],
            },
            colour="red",
        )
    )
    assert paths(exc) == {
        "profile.colour",
        "parameters.nonsense",
        "parameters.term_years[0].until",
        "parameters.term_years[0].value",
        "parameters.city[0].value",
    }


def test_a_standalone_profile_must_give_every_parameter(chengguan: Profile) -> None:
    data = profiles.to_dict(chengguan)
    del data["parameters"]["term_years"]
    del data["parameters"]["lots"]
    exc = refused(data)
    assert paths(exc) == {"parameters.term_years", "parameters.lots"}
    assert "missing" in str(exc) and "profile.extends" in str(exc)


def test_a_standalone_profile_with_one_parameter_lists_all_the_others() -> None:
    exc = refused(
        {
            "profile": {"id": "x", "name": "X"},
            "parameters": {"term_years": [{"from": FROM, "value": 3}]},
        }
    )
    assert paths(exc) == {f"parameters.{n}" for n in PARAMETER_NAMES if n != "term_years"}


def test_a_profile_object_missing_parameters_is_refused(chengguan: Profile) -> None:
    params = dict(chengguan.parameters)
    del params["term_years"]
    with pytest.raises(ProfileError, match=r"parameters\.term_years"):
        Profile("x", "X", params)


# --- to_dict / from_dict ------------------------------------------------------------------------


def test_to_dict_from_dict_round_trips_the_builtin(chengguan: Profile) -> None:
    data = profiles.to_dict(chengguan)
    assert "extends" not in data["profile"]
    assert set(data["parameters"]) == set(PARAMETER_NAMES)
    again = profiles.from_dict(copy.deepcopy(data), SOURCE)
    assert again == chengguan
    assert again.at(DAY) == chengguan.at(DAY)


def test_round_trip_through_toml_text_keeps_every_dated_value(chengguan: Profile) -> None:
    changed = (
        chengguan.override("min_station_funding", FROM, Decimal("180000.50"), "notice 2025-9")
        .override(
            "tranches",
            FROM,
            [
                {"milestone": "contract_signed", "share": Decimal("0.5")},
                {"milestone": "final", "share": Decimal("0.5")},
            ],
        )
        .override("shared_facilities", dt.date(2027, 1, 1), ["children_home"])
        .renamed("changed", "Changed")
    )
    text = tomli_w.dumps(profiles.to_dict(changed))
    again = profiles.from_dict(tomllib.loads(text, parse_float=Decimal), SOURCE)
    assert again == changed
    assert again.parameter("min_station_funding").values[-1].reference == "notice 2025-9"
    for day in (DAY, FROM, dt.date(2027, 1, 1)):
        assert again.at(day) == changed.at(day)


def test_profiles_differ_when_a_value_differs(chengguan: Profile) -> None:
    data = profiles.to_dict(chengguan)
    data["parameters"]["term_years"][0]["value"] = 4
    assert profiles.from_dict(data, SOURCE) != chengguan
