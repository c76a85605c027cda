"""Proactive discovery (主动发现、主动救助, DOM-1): who probably qualifies for which assistance.

From people with screening circumstances (:class:`~sgz_core.casework.beneficiaries.Circumstances`),
the core says which assistance each probably qualifies for and is not receiving yet, leaving out
people who already have an open case. "Probably": the station helps them apply; the deciding
department checks. The tests are simplified forms of the national rules, with the numbers in
the profile (``minimum_allowance_line``, ``low_income_multiplier``, ``nursing_subsidy_max_grade``,
``working_age``):

- minimum allowance (最低生活保障): household income per person below the line;
- extreme-poverty support (特困人员供养): below the line, unable to work (under the working age,
  over it, disability grade 1–2, or no work ability) and no supporter able to support them;
- temporary assistance (临时救助): a sudden, urgent hardship;
- disaster relief (受灾人员救助): affected by a disaster;
- medical, education, housing, employment assistance: low income (below the line times the
  multiplier, or already receiving the minimum allowance or extreme-poverty support) together
  with a serious illness, a child in school, unsafe housing, or unemployment at working age with
  work ability;
- the disability living subsidy (困难残疾人生活补贴): a disability in a minimum-allowance
  household (receiving or qualifying);
- the disability nursing subsidy (重度残疾人护理补贴): disability grade up to the profile's
  maximum (grade 1–2 by 国发〔2015〕52号).

"+1" (participation of social forces) is never suggested by a test; it is linked by people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from sgz_core.casework.beneficiaries import Beneficiary, Circumstances
from sgz_core.casework.cases import Case
from sgz_core.casework.referrals import Referral
from sgz_core.casework.vocabulary import ReferralStatus
from sgz_core.enums import AssistanceKind
from sgz_core.values import AgeRange as AgeRange  # moved to the leaf values module
from sgz_core.values import to_enum_tuple

if TYPE_CHECKING:
    from sgz_core.profiles import Policy

A = AssistanceKind


def _discovery_kinds(value: object) -> tuple[AssistanceKind, ...]:
    return to_enum_tuple(AssistanceKind, value, "kinds")


@attrs.frozen
class Discovery:
    """One person who probably qualifies for ``kinds`` and has no open case."""

    beneficiary: str
    station: str
    kinds: tuple[AssistanceKind, ...] = attrs.field(converter=_discovery_kinds)
    reasons: tuple[str, ...]
    """One short English reason per kind, in the same order."""


def qualifies(
    circumstances: Circumstances, age: int | None, policy: Policy
) -> list[tuple[AssistanceKind, str]]:
    """The assistance these circumstances probably qualify for, with a reason, not yet received."""
    c = circumstances
    line: Decimal = policy.minimum_allowance_line
    per_person = c.per_capita_income
    receiving = set(c.receiving)
    supported = A.MINIMUM_ALLOWANCE in receiving or A.EXTREME_POVERTY in receiving
    below_line = per_person < line
    low_income = supported or per_person < line * policy.low_income_multiplier
    working_age = age is not None and age in policy.working_age
    unable = (
        not c.work_ability
        or (age is not None and not working_age)
        or (c.disability_grade is not None and c.disability_grade <= 2)
    )
    found: list[tuple[AssistanceKind, str]] = []
    if below_line and not supported:
        found.append(
            (A.MINIMUM_ALLOWANCE, f"income per person {per_person:.2f} below the line {line}")
        )
    if below_line and unable and not c.supporter and A.EXTREME_POVERTY not in receiving:
        found.append((A.EXTREME_POVERTY, "unable to work, no supporter, income below the line"))
    if c.sudden_hardship:
        found.append((A.TEMPORARY, "sudden, urgent hardship"))
    if c.disaster_affected:
        found.append((A.DISASTER_RELIEF, "affected by a disaster"))
    if low_income and c.serious_illness:
        found.append((A.MEDICAL, "serious illness on a low income"))
    if low_income and c.in_school:
        found.append((A.EDUCATION, "in school on a low income"))
    if low_income and c.unsafe_housing:
        found.append((A.HOUSING, "unsafe housing on a low income"))
    if low_income and c.unemployed and c.work_ability and working_age:
        found.append((A.EMPLOYMENT, "unemployed at working age on a low income"))
    if c.disability_grade is not None and (below_line or A.MINIMUM_ALLOWANCE in receiving):
        found.append((A.DISABILITY_LIVING, "disabled, in a minimum-allowance household"))
    if c.disability_grade is not None and c.disability_grade <= policy.nursing_subsidy_max_grade:
        found.append((A.DISABILITY_NURSING, f"disability grade {c.disability_grade}"))
    seen: set[AssistanceKind] = set()
    out = []
    for kind, reason in found:
        if kind not in receiving and kind not in seen:
            seen.add(kind)
            out.append((kind, reason))
    return out


def discover(
    people: Iterable[Beneficiary],
    cases: Iterable[Case],
    policy: Policy,
    on: dt.date,
    referrals: Iterable[Referral] = (),
) -> Iterator[Discovery]:
    """People with circumstances who probably qualify for assistance and have no open case on ``on``.

    Assistance a person already receives, or has been referred for (a referral made by ``on`` that
    was not rejected or withdrawn), is not suggested again.
    """
    with_open_case = {case.beneficiary for case in cases if case.open_on(on)}
    referred: dict[str, set[AssistanceKind]] = {}
    for f in referrals:
        if f.date <= on and f.status not in (ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN):
            referred.setdefault(f.beneficiary, set()).add(f.kind)
    for person in people:
        if person.circumstances is None or person.id in with_open_case:
            continue
        if person.until is not None and person.until <= on:
            continue
        already = referred.get(person.id, set())
        found = [
            (k, r)
            for k, r in qualifies(person.circumstances, person.age_on(on), policy)
            if k not in already
        ]
        if found:
            yield Discovery(
                person.id,
                person.station,
                tuple(k for k, _ in found),
                tuple(r for _, r in found),
            )


__all__ = [
    "AgeRange",
    "Discovery",
    "discover",
    "qualifies",
]
