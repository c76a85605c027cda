"""Five-party linkage, talent and publicity (DOM-4, DOM-6, PUB-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.casework.linkage import (
    CharitableResource,
    DeliberationMeeting,
    Organisation,
    Publicity,
    Training,
    VolunteerTeam,
)
from sgz_core.casework.vocabulary import (
    Medium,
    OrganisationKind,
    OrganisationStage,
    ResourceKind,
)
from sgz_core.testing.strategies._base import _cjk, _strategy
from sgz_core.testing.strategies.casework import _CASEWORK_END, _CASEWORK_START
from sgz_core.testing.strategies.codes import ids, money

# --- five-party linkage, talent and publicity -------------------------------------------------


def organisations(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Organisation]:
    """Organisations a station incubates or supports, of every kind and stage (DOM-4, DOM-6)."""
    return st.builds(
        Organisation,
        id=ids() if id is None else _strategy(id),
        name=_cjk(2, 8).map(lambda n: n + "协会"),
        station=_strategy(station),
        kind=st.sampled_from(list(OrganisationKind)),
        stage=st.sampled_from(list(OrganisationStage)),
        since=st.dates(first, last),
        community=_strategy(community),
        members=st.integers(0, 200),
        leader=_cjk(0, 3),
    )


def volunteer_teams(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[VolunteerTeam]:
    """Volunteer teams, with or without a founding day."""
    return st.builds(
        VolunteerTeam,
        id=ids() if id is None else _strategy(id),
        name=_cjk(2, 6).map(lambda n: n + "志愿队"),
        station=_strategy(station),
        founded=st.none() | st.dates(first, last),
        members=st.integers(0, 500),
        community=_strategy(community),
    )


@st.composite
def _resource(
    draw: st.DrawFn,
    station: st.SearchStrategy[str],
    people: Sequence[str],
    first: dt.date,
    last: dt.date,
) -> CharitableResource:
    kind = draw(st.sampled_from(list(ResourceKind)))
    amount = (
        draw(money(1, 100_000))
        if kind is ResourceKind.MONEY
        else draw(st.none() | money(0, 50_000))
    )
    return CharitableResource(
        date=draw(st.dates(first, last)),
        station=draw(station),
        donor=draw(_cjk(2, 8)),
        kind=kind,
        amount=amount,
        description=draw(_cjk(1 if kind is not ResourceKind.MONEY else 0, 10)),
        beneficiaries=draw(st.lists(st.sampled_from(people), unique=True, max_size=3))
        if people
        else (),
    )


def resources(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    beneficiaries: Sequence[str] = (),
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[CharitableResource]:
    """Charitable resources linked in: money with its amount, goods and services with a
    description (and sometimes an estimated value), for people among ``beneficiaries``."""
    return _resource(_strategy(station), tuple(beneficiaries), first, last)


def meetings(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[DeliberationMeeting]:
    """Residents' deliberation meetings (DOM-4)."""
    return st.builds(
        DeliberationMeeting,
        date=st.dates(first, last),
        station=_strategy(station),
        topic=_cjk(2, 10),
        community=_strategy(community),
        participants=st.integers(0, 300),
        outcome=_cjk(0, 10),
    )


def trainings(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    staff: Sequence[str] = ("王芳",),
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Training]:
    """Staff training (DOM-6): hours in halves, one or more attendees among ``staff``."""
    if not staff:
        raise InvalidArgument("trainings: need at least one staff name")
    return st.builds(
        Training,
        date=st.dates(first, last),
        station=_strategy(station),
        title=_cjk(2, 10),
        hours=st.integers(1, 80).map(lambda n: n * Decimal("0.5")),
        attendees=st.lists(st.sampled_from(list(staff)), unique=True, min_size=1, max_size=3),
        provider=_cjk(0, 6),
    )


def publicity(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Publicity]:
    """Publicity in every medium (PUB-1)."""
    return st.builds(
        Publicity,
        date=st.dates(first, last),
        station=_strategy(station),
        medium=st.sampled_from(list(Medium)),
        title=_cjk(2, 12),
        outlet=_cjk(0, 6),
        link=st.sampled_from(["", "https://example.org/a", "https://例子.中国/新闻"]),
    )


__all__ = [
    "meetings",
    "organisations",
    "publicity",
    "resources",
    "trainings",
    "volunteer_teams",
]
