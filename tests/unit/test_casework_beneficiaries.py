"""Beneficiaries (SCOPE-1, PRIN-1, PII-1): categories, priority, groups, links, consent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from sgz_core.casework.beneficiaries import (
    UNRANKED,
    Beneficiary,
    Circumstances,
    Link,
    category_table,
    governance_groups,
    priority,
    top_category,
)
from sgz_core.casework.vocabulary import Consent, Relation, Sex
from sgz_core.categories import DEFAULT_CATEGORIES
from sgz_core.errors import InvalidInput
from sgz_core.testing import strategies as s

TABLE = category_table(DEFAULT_CATEGORIES)
NUMBER = "620102201403120352"  # a boy born 2014-03-12, fictitious


def child(**changes: object) -> Beneficiary:
    fields: dict[str, object] = {
        "id": "b1",
        "name": "陈小宇",
        "station": "s1",
        "registered": dt.date(2025, 3, 1),
        "categories": ("de_facto_unsupported_child",),
        "id_number": NUMBER,
        "links": (Link("陈秀英", Relation.GRANDPARENT, guardian=True),),
    }
    fields.update(changes)
    return Beneficiary(**fields)  # type: ignore[arg-type]


def test_birth_date_sex_and_age_come_from_the_id_number() -> None:
    b = child()
    assert b.known_birth_date == dt.date(2014, 3, 12)
    assert b.known_sex is Sex.MALE
    assert b.age_on(dt.date(2025, 11, 24)) == 11
    assert b.is_child_on(dt.date(2025, 11, 24))
    assert [g.name for g in b.guardians] == ["陈秀英"]


def test_without_a_number_the_given_birth_date_and_sex_count() -> None:
    b = child(id_number=None, birth_date=dt.date(2010, 1, 1), sex=Sex.FEMALE)
    assert b.age_on(dt.date(2025, 1, 1)) == 15 and b.known_sex is Sex.FEMALE
    assert child(id_number=None).age_on(dt.date(2025, 1, 1)) is None


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"id_number": "620102201403120353"}, "id_number"),
        ({"birth_date": dt.date(2014, 3, 13)}, "birth_date"),
        ({"sex": Sex.FEMALE}, "sex"),
        ({"until": dt.date(2025, 2, 1)}, "until"),
        ({"categories": ("orphan", "orphan")}, "categories"),
    ],
)
def test_inconsistent_beneficiaries_are_invalid_input_naming_the_field(
    changes: dict[str, object], path: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        child(**changes)
    assert exc.value.problems[0].path == path


def test_repr_and_errors_never_show_the_full_number() -> None:
    b = child()
    assert NUMBER not in repr(b)
    assert "6201**********0352" in repr(b)
    assert b.masked_id() == "6201**********0352"
    with pytest.raises(InvalidInput) as exc:
        child(id_number=NUMBER[:-1] + "9")
    assert NUMBER[:-1] not in str(exc.value)


def test_priority_is_the_most_vulnerable_category() -> None:
    both = ("minimum_allowance", "elderly_alone")
    assert priority(both, TABLE) == TABLE["elderly_alone"].priority
    top = top_category(both, TABLE)
    assert top is not None and top.id == "elderly_alone"
    assert priority((), TABLE) == UNRANKED
    assert priority(("not_a_category",), TABLE) == UNRANKED
    assert top_category(("not_a_category",), TABLE) is None


def test_governance_groups_are_derived_from_categories() -> None:
    assert governance_groups(("minimum_allowance", "elderly_alone"), TABLE) == ("old", "hardship")
    assert governance_groups(("orphan", "left_behind_child"), TABLE) == ("young", "orphaned")
    assert governance_groups(("left_behind_woman",), TABLE) == ()


def test_active_on_follows_registration_and_leaving() -> None:
    b = child(until=dt.date(2025, 12, 1))
    assert not b.active_on(dt.date(2025, 2, 28))
    assert b.active_on(dt.date(2025, 3, 1)) and b.active_on(dt.date(2025, 11, 30))
    assert not b.active_on(dt.date(2025, 12, 1))
    assert not child(registered=None).active_on(dt.date(2025, 6, 1))


def test_circumstances_validate_their_numbers() -> None:
    assert Circumstances(household_size=3, monthly_income=1800).per_capita_income == 600
    with pytest.raises(InvalidInput) as exc:
        Circumstances(household_size=0)
    assert exc.value.problems[0].path == "household_size"
    with pytest.raises(InvalidInput) as exc:
        Circumstances(monthly_income=12.5)  # type: ignore[arg-type]
    assert exc.value.problems[0].path == "monthly_income"
    with pytest.raises(InvalidInput) as exc:
        Circumstances(disability_grade=5)
    assert exc.value.problems[0].path == "disability_grade"


def test_consent_given() -> None:
    assert Consent.ORAL.given and Consent.WRITTEN.given
    assert not Consent.NONE.given and not Consent.WITHDRAWN.given


@given(b=s.beneficiaries())
def test_generated_beneficiaries_never_show_their_number_in_repr(b: Beneficiary) -> None:
    if b.id_number:
        assert b.id_number not in repr(b)
        assert b.id_number not in str(b)
