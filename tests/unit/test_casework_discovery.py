"""Proactive discovery (DOM-1 主动发现): who probably qualifies for which assistance, with no open case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from sgz_core import profiles
from sgz_core.casework.beneficiaries import Beneficiary, Circumstances
from sgz_core.casework.cases import Case
from sgz_core.casework.discovery import AgeRange, discover, qualifies
from sgz_core.casework.referrals import Referral
from sgz_core.casework.vocabulary import CaseStage, ReferralStatus
from sgz_core.enums import AssistanceKind, ServiceDomain
from sgz_core.errors import InvalidInput
from sgz_core.testing import strategies as s

A = AssistanceKind
ON = dt.date(2025, 11, 24)
POLICY = profiles.builtin().at(ON)


def kinds(c: Circumstances, age: int | None = 45) -> set[AssistanceKind]:
    return {k for k, _ in qualifies(c, age, POLICY)}


def test_income_below_the_line_suggests_the_minimum_allowance() -> None:
    assert POLICY.minimum_allowance_line == Decimal("800.00")
    assert kinds(Circumstances(household_size=3, monthly_income=2399)) == {A.MINIMUM_ALLOWANCE}
    assert kinds(Circumstances(household_size=3, monthly_income=2400)) == set()
    assert (
        kinds(Circumstances(household_size=3, monthly_income=0, receiving=(A.MINIMUM_ALLOWANCE,)))
        == set()
    )


def test_extreme_poverty_needs_inability_no_supporter_and_low_income() -> None:
    alone = Circumstances(monthly_income=500, supporter=False)
    assert A.EXTREME_POVERTY in kinds(alone, age=72)
    assert A.EXTREME_POVERTY in kinds(alone, age=12)
    assert A.EXTREME_POVERTY not in kinds(alone, age=45)
    assert A.EXTREME_POVERTY in kinds(attrs.evolve(alone, work_ability=False), age=45)
    assert A.EXTREME_POVERTY in kinds(attrs.evolve(alone, disability_grade=2), age=45)
    assert A.EXTREME_POVERTY not in kinds(attrs.evolve(alone, supporter=True), age=72)


def test_low_income_opens_medical_education_housing_employment() -> None:
    low = Circumstances(household_size=2, monthly_income=2000)  # 1000 a person: below 1.5 × 800
    assert kinds(attrs.evolve(low, serious_illness=True)) == {A.MEDICAL}
    assert kinds(attrs.evolve(low, in_school=True)) == {A.EDUCATION}
    assert kinds(attrs.evolve(low, unsafe_housing=True)) == {A.HOUSING}
    assert kinds(attrs.evolve(low, unemployed=True)) == {A.EMPLOYMENT}
    assert kinds(attrs.evolve(low, unemployed=True), age=65) == set()
    assert kinds(attrs.evolve(low, unemployed=True), age=None) == set()
    well_off = Circumstances(
        household_size=1, monthly_income=5000, serious_illness=True, in_school=True
    )
    assert kinds(well_off) == set()


def test_sudden_hardship_disaster_and_the_two_disability_subsidies() -> None:
    assert kinds(Circumstances(monthly_income=9000, sudden_hardship=True)) == {A.TEMPORARY}
    assert kinds(Circumstances(monthly_income=9000, disaster_affected=True)) == {A.DISASTER_RELIEF}
    assert kinds(Circumstances(monthly_income=9000, disability_grade=1)) == {A.DISABILITY_NURSING}
    assert kinds(Circumstances(monthly_income=9000, disability_grade=3)) == set()
    poor_disabled = Circumstances(
        monthly_income=1300, household_size=2, disability_grade=3, receiving=(A.MINIMUM_ALLOWANCE,)
    )
    assert kinds(poor_disabled) == {A.DISABILITY_LIVING}


def test_working_age_is_a_checked_range() -> None:
    assert 16 in POLICY.working_age and 59 in POLICY.working_age and 60 not in POLICY.working_age
    with pytest.raises(InvalidInput):
        AgeRange(60, 16)


def test_people_with_an_open_case_or_a_pending_referral_are_left_out() -> None:
    poor = Circumstances(household_size=3, monthly_income=1800, unemployed=True)
    people = [
        Beneficiary("a", "甲", "s1", circumstances=poor, birth_date=dt.date(1980, 8, 8)),
        Beneficiary("b", "乙", "s1", circumstances=poor, birth_date=dt.date(1980, 8, 8)),
        Beneficiary("c", "丙", "s1", circumstances=poor, birth_date=dt.date(1980, 8, 8)),
        Beneficiary("d", "丁", "s1"),
        Beneficiary("e", "戊", "s1", circumstances=poor, until=ON),
    ]
    case = Case.new("c1", "s1", "b", ServiceDomain.SOCIAL_ASSISTANCE, "王芳", dt.date(2025, 11, 1))
    referral = Referral("r1", "s1", "c", A.MINIMUM_ALLOWANCE, dt.date(2025, 11, 2))
    found = list(discover(people, [case], POLICY, ON, [referral]))
    assert [(d.beneficiary, d.kinds) for d in found] == [
        ("a", (A.MINIMUM_ALLOWANCE, A.EMPLOYMENT)),
        ("c", (A.EMPLOYMENT,)),
    ]
    assert found[0].reasons[0].startswith("income per person 600.00")
    closed = (
        case.move(CaseStage.INTAKE, ON).move(CaseStage.ASSESSMENT, ON).move(CaseStage.CLOSED, ON)
    )
    rejected = attrs.evolve(referral, status=ReferralStatus.REJECTED, reason="不符合")
    assert [d.beneficiary for d in discover(people, [closed], POLICY, ON, [rejected])] == [
        "a",
        "b",
        "c",
    ]


@given(c=s.circumstances())
def test_discovery_never_suggests_what_is_received(c: Circumstances) -> None:
    suggested = kinds(c)
    assert not suggested & set(c.receiving)
    assert A.SOCIAL_FORCES not in suggested
