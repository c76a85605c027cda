"""Beneficiaries (服务对象): people in a station's register, with categories, family and consent.

SCOPE-1 names the key groups; a person may belong to several categories (an elderly person
living alone who is also a minimum-allowance recipient), each with the profile's priority
(PRIN-1). Children have guardian and family links (DOM-3); consent is none, oral, written or
withdrawn (PII-1, PIPL art. 31: a guardian consents for a child under 14). The resident ID
number is validated and kept in full in the programme file, but shown masked everywhere else,
``repr`` included; birth date and sex come from it where it is given.

A person found in screening (对象排查) but not yet taken on has no ``registered`` date: they
count for proactive discovery, not for visit schedules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from sgz_core.casework import identity
from sgz_core.casework._fields import count, money, problem, tuple_of
from sgz_core.casework.vocabulary import Consent, Relation, Sex
from sgz_core.categories import GOVERNANCE_GROUPS, Category
from sgz_core.enums import AssistanceKind
from sgz_core.errors import InvalidInput
from sgz_core.values import to_date, to_enum, to_enum_tuple

CHILD_AGE = 18
"""Under this age a person is a child (未成年人)."""
CONSENT_AGE = 14
"""Under this age a guardian consents for the child (PIPL art. 31)."""


def _id_number(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return identity.validate(value)
    except InvalidInput as exc:
        raise problem("id_number", exc.problems[0].message) from None


def _masked_repr(value: str | None) -> str:
    return repr(identity.mask(value)) if value is not None else "None"


def _disability_grade(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise problem(
            "disability_grade",
            f"expected a disability grade from 1 (most severe) to 4, got {value!r}",
        )
    return value


def _household_size(value: object) -> int:
    return count(value, "household_size", 100)


def _monthly_income(value: object) -> Decimal:
    return money(value, "monthly_income")


def _link_relation(value: object) -> Relation:
    return value if type(value) is Relation else to_enum(Relation, value, "relation")


@attrs.frozen
class Link:
    """A family member or carer of a beneficiary; ``guardian`` marks the legal guardian (监护人)."""

    name: str
    relation: Relation = attrs.field(converter=_link_relation)
    guardian: bool = False
    beneficiary: str | None = None
    """The beneficiary id of this person, when they are in the register too."""
    note: str = ""


def _circumstances_receiving(value: object) -> tuple[AssistanceKind, ...]:
    return to_enum_tuple(AssistanceKind, value, "receiving")


@attrs.frozen
class Circumstances:
    """What screening found about a person's household: the inputs of proactive discovery (DOM-1).

    ``monthly_income`` is the household's income per month in yuan; ``receiving`` lists the
    assistance already granted, so discovery does not suggest it again.
    """

    household_size: int = attrs.field(default=1, converter=_household_size)
    monthly_income: Decimal = attrs.field(default=Decimal("0.00"), converter=_monthly_income)
    work_ability: bool = True
    """Able to work (劳动能力)."""
    supporter: bool = True
    """Has a relative legally bound and able to support them (法定赡养、抚养、扶养义务人)."""
    disability_grade: int | None = attrs.field(default=None, converter=_disability_grade)
    in_school: bool = False
    unemployed: bool = False
    serious_illness: bool = False
    unsafe_housing: bool = False
    disaster_affected: bool = False
    sudden_hardship: bool = False
    """A sudden, urgent, temporary difficulty (突发性、紧迫性、临时性)."""
    receiving: tuple[AssistanceKind, ...] = attrs.field(
        default=(), converter=_circumstances_receiving
    )

    def __attrs_post_init__(self) -> None:
        if self.household_size < 1:
            raise problem("household_size", "expected at least 1 person in the household")

    @property
    def per_capita_income(self) -> Decimal:
        """Monthly household income per person, in yuan (not rounded)."""
        return self.monthly_income / self.household_size


def _beneficiary_registered(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "registered")


def _beneficiary_birth_date(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "birth_date")


def _beneficiary_sex(value: object) -> Sex | None:
    return value if value is None or type(value) is Sex else to_enum(Sex, value, "sex")


def _beneficiary_consent(value: object) -> Consent:
    return value if type(value) is Consent else to_enum(Consent, value, "consent")


def _beneficiary_consent_date(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "consent_date")


def _beneficiary_until(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "until")


@attrs.frozen
class Beneficiary:
    """A person in a station's register (服务对象档案)."""

    id: str
    name: str
    station: str
    """The station whose register holds the person (a station id)."""
    registered: dt.date | None = attrs.field(default=None, converter=_beneficiary_registered)
    """The day the person was taken on (建档); absent: found in screening, not taken on yet."""
    community: str = ""
    categories: tuple[str, ...] = attrs.field(default=(), converter=tuple_of)
    """Category ids of the profile (``elderly_alone``, ``minimum_allowance`` …); several may apply."""
    id_number: str | None = attrs.field(default=None, converter=_id_number, repr=_masked_repr)
    """Resident ID number (GB 11643), validated; shown only masked."""
    birth_date: dt.date | None = attrs.field(default=None, converter=_beneficiary_birth_date)
    """Give it only where there is no ID number (a number's own date wins, and must agree)."""
    sex: Sex | None = attrs.field(default=None, converter=_beneficiary_sex)
    consent: Consent = attrs.field(default=Consent.NONE, converter=_beneficiary_consent)
    consent_date: dt.date | None = attrs.field(default=None, converter=_beneficiary_consent_date)
    consent_by: str = ""
    """Who consented, when not the person: a guardian's name for a child under 14."""
    links: tuple[Link, ...] = attrs.field(default=(), converter=tuple_of)
    until: dt.date | None = attrs.field(default=None, converter=_beneficiary_until)
    """The day the person left the register (moved away, died, no longer eligible)."""
    circumstances: Circumstances | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.id_number is not None:
            from_number = identity.birth_date(self.id_number)
            if self.birth_date is not None and self.birth_date != from_number:
                raise problem(
                    "birth_date",
                    "does not agree with the birth date in the ID number; leave it out",
                )
            if self.sex is not None and self.sex is not identity.sex(self.id_number):
                raise problem("sex", "does not agree with the sex in the ID number; leave it out")
        if self.known_birth_date is not None and self.known_birth_date < identity.EARLIEST_BIRTH:
            raise problem(
                "birth_date", f"expected a birth date from {identity.EARLIEST_BIRTH.year} on"
            )
        if self.registered is not None and self.until is not None and self.until < self.registered:
            raise problem(
                "until",
                f"the person left the register ({self.until}) before being registered ({self.registered})",
            )
        if len(set(self.categories)) != len(self.categories):
            raise problem("categories", "a category is listed twice")

    @property
    def known_birth_date(self) -> dt.date | None:
        """From the ID number where given, else the ``birth_date`` field."""
        return identity.birth_date(self.id_number) if self.id_number else self.birth_date

    @property
    def known_sex(self) -> Sex | None:
        return identity.sex(self.id_number) if self.id_number else self.sex

    def age_on(self, day: dt.date) -> int | None:
        born = self.known_birth_date
        return None if born is None else identity.age_on(born, day)

    def is_child_on(self, day: dt.date) -> bool:
        age = self.age_on(day)
        return age is not None and age < CHILD_AGE

    def masked_id(self, pattern: identity.IdMask = identity.DEFAULT_MASK) -> str:
        return identity.mask(self.id_number, pattern)

    def active_on(self, day: dt.date) -> bool:
        """Registered on or before ``day`` and not yet left."""
        return (
            self.registered is not None
            and self.registered <= day
            and (self.until is None or day < self.until)
        )

    @property
    def guardians(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.guardian)


UNRANKED = 10**6
"""The priority of a person with no known category: after everyone else (PRIN-1)."""


def priority(categories: Iterable[str], table: Mapping[str, Category]) -> int:
    """The person's priority: that of their most vulnerable category (lower first)."""
    return min((table[c].priority for c in categories if c in table), default=UNRANKED)


def top_category(categories: Iterable[str], table: Mapping[str, Category]) -> Category | None:
    """The person's most vulnerable category, ties to the smaller id."""
    known = [table[c] for c in categories if c in table]
    return min(known, key=lambda c: (c.priority, c.id)) if known else None


def governance_groups(categories: Iterable[str], table: Mapping[str, Category]) -> tuple[str, ...]:
    """The four governance groups (一老一小一孤一困) the person belongs to, in their fixed order."""
    found = {table[c].group for c in categories if c in table}
    return tuple(g for g in GOVERNANCE_GROUPS if g in found)


def category_table(categories: Iterable[Category]) -> dict[str, Category]:
    return {c.id: c for c in categories}


__all__ = [
    "CHILD_AGE",
    "CONSENT_AGE",
    "UNRANKED",
    "Beneficiary",
    "Circumstances",
    "Link",
    "category_table",
    "governance_groups",
    "priority",
    "top_category",
]
