"""The strategies package: every public name still importable, a strategy for every parameter."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings

from sgz_core import profiles as sgz_profiles
from sgz_core.testing import strategies

# What `sgz_core.testing.strategies` exported when it was one module: users import these names.
EXPORTED_BEFORE_THE_SPLIT = [
    "DEFAULT_START",
    "MAX_MONEY",
    "USCC_ALPHABET",
    "Schedule",
    "communities",
    "contract_years",
    "contractors",
    "evaluations",
    "expenses",
    "fundings",
    "ids",
    "money",
    "parameter_values",
    "person_names",
    "premises",
    "profiles",
    "programmes",
    "schedules",
    "signage",
    "staff_members",
    "stations",
    "streets",
    "tranche_plans",
    "tranche_shares",
    "uscc_codes",
    "weights",
    "beneficiaries",
    "case_histories",
    "cases",
    "casework_programmes",
    "circumstances",
    "id_numbers",
    "meetings",
    "organisations",
    "publicity",
    "referrals",
    "resources",
    "service_records",
    "trainings",
    "visit_intervals",
    "volunteer_teams",
]


def test_every_name_exported_before_the_split_still_is() -> None:
    missing = [n for n in EXPORTED_BEFORE_THE_SPLIT if n not in strategies.__all__]
    assert not missing
    for name in strategies.__all__:
        assert getattr(strategies, name) is not None


def test_every_public_strategy_of_the_submodules_is_exported() -> None:
    for info in pkgutil.iter_modules(strategies.__path__):
        module = importlib.import_module(f"{strategies.__name__}.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if callable(value):
                assert name in strategies.__all__, f"{info.name}.{name} is not exported"


@pytest.mark.parametrize("name", sgz_profiles.PARAMETER_NAMES)
def test_every_profile_parameter_has_a_strategy(name: str) -> None:
    values = strategies.parameter_values(name)  # InvalidArgument for a parameter without one
    base = sgz_profiles.builtin()

    @settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
    @given(values)
    def accepted(value: object) -> None:
        changed = base.override(name, dt.date(2030, 1, 1), value)
        assert changed.at(dt.date(2030, 1, 1)) is not None

    accepted()


def test_parameter_values_refuses_an_unknown_name() -> None:
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="no strategy for 'no_such_parameter'"):
        strategies.parameter_values("no_such_parameter")


@pytest.mark.parametrize("name", sgz_profiles.PARAMETER_NAMES)
def test_profiles_draws_every_parameter(name: str) -> None:
    def overrides(profile: sgz_profiles.Profile) -> bool:
        return len(profile.parameter(name).values) > 1

    found = find(
        strategies.profiles(max_overrides=3),
        overrides,
        settings=settings(max_examples=2000, database=None, phases=[Phase.generate]),
    )
    assert overrides(found)
