"""Five-party linkage, talent and publicity (DOM-4, DOM-6, PUB-1) and how they are counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sgz_core.casework.counting import count_linkage
from sgz_core.casework.linkage import (
    CharitableResource,
    DeliberationMeeting,
    Organisation,
    Publicity,
    Training,
)
from sgz_core.casework.vocabulary import Medium, OrganisationKind, OrganisationStage, ResourceKind
from sgz_core.enums import ServiceDomain
from sgz_core.errors import InvalidInput

START = dt.date(2024, 7, 1)
DAY = dt.date(2025, 11, 20)


def test_money_is_exact_yuan_and_floats_are_refused() -> None:
    gift = CharitableResource(DAY, "s1", "某公司", ResourceKind.MONEY, amount=5000)
    assert gift.amount == Decimal("5000.00")
    for bad in (12.5, Decimal("-1"), Decimal("0.001")):
        with pytest.raises(InvalidInput) as exc:
            CharitableResource(DAY, "s1", "某公司", ResourceKind.MONEY, amount=bad)  # type: ignore[arg-type]
        assert exc.value.problems[0].path == "amount"
    with pytest.raises(InvalidInput) as exc:
        CharitableResource(DAY, "s1", "某公司", ResourceKind.MONEY)
    assert exc.value.problems[0].path == "amount"
    with pytest.raises(InvalidInput) as exc:
        CharitableResource(DAY, "s1", "慈善会", ResourceKind.IN_KIND)
    assert exc.value.problems[0].path == "description"


def test_training_needs_attendees_and_counts_person_hours() -> None:
    course = Training(DAY, "s1", "伦理", Decimal(3), ("王芳", "李明"))
    assert course.person_hours == 6
    with pytest.raises(InvalidInput) as exc:
        Training(DAY, "s1", "伦理", Decimal(3))
    assert exc.value.problems[0].path == "attendees"


def test_linkage_counts_by_domain() -> None:
    counts = count_linkage(
        START,
        organisations=[
            Organisation(
                "o1", "互助会", "s1", OrganisationKind.SENIOR, OrganisationStage.INCUBATING, DAY
            ),
            Organisation(
                "o2",
                "本土机构",
                "s1",
                OrganisationKind.LOCAL_SOCIAL_WORK,
                OrganisationStage.REGISTERED,
                DAY,
            ),
        ],
        resources=[
            CharitableResource(DAY, "s1", "甲", ResourceKind.MONEY, amount=Decimal("100.50")),
            CharitableResource(DAY, "s1", "乙", ResourceKind.MONEY, amount=Decimal("99.50")),
            CharitableResource(DAY, "s1", "丙", ResourceKind.IN_KIND, description="棉被"),
        ],
        meetings=[DeliberationMeeting(DAY, "s1", "加装电梯", participants=18)],
        trainings=[Training(DAY, "s1", "伦理", Decimal("1.5"), ("王芳", "李明"))],
        publicity=[
            Publicity(DAY, "s1", Medium.TELEVISION, "报道"),
            Publicity(DAY, "s1", Medium.INTERNET, "推文"),
            Publicity(DAY, "s1", Medium.INTERNET, "推文2"),
        ],
    )
    governance = counts.select(domain=ServiceDomain.COMMUNITY_GOVERNANCE).total()
    talent = counts.select(domain=ServiceDomain.TALENT).total()
    assert governance.organisations == {OrganisationStage.INCUBATING: 1}
    assert governance.resources_money == Decimal("200.00") and governance.resources_in_kind == 1
    assert governance.meetings == 1 and governance.meeting_participants == 18
    assert talent.organisations == {OrganisationStage.REGISTERED: 1}
    assert talent.training_hours == 3
    assert talent.publicity == {Medium.TELEVISION: 1, Medium.INTERNET: 2}
    assert {k.year for k in counts.cells} == {2}
    assert (
        count_linkage(
            START, meetings=[DeliberationMeeting(DAY, "s1", "x")], until=DAY - dt.timedelta(days=1)
        ).cells
        == {}
    )
