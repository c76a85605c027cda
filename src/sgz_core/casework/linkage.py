"""Five-party linkage (五社联动, DOM-4), talent and team building (DOM-6) and publicity (PUB-1).

The five parties are the community, social organisations, social workers, community
volunteers and charitable resources. A station records the organisations it incubates (with
their stage), its volunteer teams (whose hours come from the ledger), the charitable resources
it links in (money as exact yuan, or in kind, and from whom), the residents' deliberation
meetings it holds, the training hours of its staff, and its publicity by medium.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from sgz_core.casework._fields import count, hours, money, problem, tuple_of
from sgz_core.casework.vocabulary import Medium, OrganisationKind, OrganisationStage, ResourceKind
from sgz_core.values import to_date, to_enum


def _members(value: object) -> int:
    return count(value, "members")


def _participants(value: object) -> int:
    return count(value, "participants")


def _amount(value: object) -> Decimal | None:
    return None if value is None else money(value, "amount")


def _hours(value: object) -> Decimal:
    return hours(value, "hours")


def _organisation_kind(value: object) -> OrganisationKind:
    return value if type(value) is OrganisationKind else to_enum(OrganisationKind, value, "kind")


def _organisation_stage(value: object) -> OrganisationStage:
    return value if type(value) is OrganisationStage else to_enum(OrganisationStage, value, "stage")


def _organisation_since(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "since")


@attrs.frozen
class Organisation:
    """A community social organisation (or local social-work organisation) the station incubates."""

    id: str
    name: str
    station: str
    kind: OrganisationKind = attrs.field(converter=_organisation_kind)
    stage: OrganisationStage = attrs.field(converter=_organisation_stage)
    since: dt.date = attrs.field(converter=_organisation_since)
    """The day it reached ``stage``."""
    community: str = ""
    members: int = attrs.field(default=0, converter=_members)
    leader: str = ""
    """A community leader (社区贤达) who leads it, if any."""


def _volunteer_team_founded(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "founded")


@attrs.frozen
class VolunteerTeam:
    """A volunteer team (志愿服务队伍); its hours are the ledger's records that name it."""

    id: str
    name: str
    station: str
    founded: dt.date | None = attrs.field(default=None, converter=_volunteer_team_founded)
    members: int = attrs.field(default=0, converter=_members)
    community: str = ""


def _charitable_resource_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


def _charitable_resource_kind(value: object) -> ResourceKind:
    return value if type(value) is ResourceKind else to_enum(ResourceKind, value, "kind")


@attrs.frozen
class CharitableResource:
    """A charitable resource linked in (社会慈善资源): money in exact yuan, or goods or services."""

    date: dt.date = attrs.field(converter=_charitable_resource_date)
    station: str
    donor: str
    """From whom: an enterprise, a charity, a person."""
    kind: ResourceKind = attrs.field(converter=_charitable_resource_kind)
    amount: Decimal | None = attrs.field(default=None, converter=_amount)
    """Money given, in yuan; for goods and services, their estimated value if known."""
    description: str = ""
    beneficiaries: tuple[str, ...] = attrs.field(default=(), converter=tuple_of)

    def __attrs_post_init__(self) -> None:
        if self.kind is ResourceKind.MONEY and self.amount is None:
            raise problem("amount", "money given needs its amount in yuan")
        if self.kind is not ResourceKind.MONEY and not self.description.strip():
            raise problem("description", "goods or services given need a description")


def _deliberation_meeting_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


@attrs.frozen
class DeliberationMeeting:
    """A residents' deliberation meeting (议事协商) the station organised or supported (DOM-4)."""

    date: dt.date = attrs.field(converter=_deliberation_meeting_date)
    station: str
    topic: str
    community: str = ""
    participants: int = attrs.field(default=0, converter=_participants)
    outcome: str = ""


def _training_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


@attrs.frozen
class Training:
    """Training taken by station staff (DOM-6): hours per attendee."""

    date: dt.date = attrs.field(converter=_training_date)
    station: str
    title: str
    hours: Decimal = attrs.field(converter=_hours)
    attendees: tuple[str, ...] = attrs.field(default=(), converter=tuple_of)
    """Names of the station's staff who attended."""
    provider: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.attendees:
            raise problem("attendees", "name at least one staff member who attended")

    @property
    def person_hours(self) -> Decimal:
        return self.hours * len(self.attendees)


def _publicity_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


def _publicity_medium(value: object) -> Medium:
    return value if type(value) is Medium else to_enum(Medium, value, "medium")


@attrs.frozen
class Publicity:
    """A piece of publicity about the station (PUB-1): newspaper, radio, television or internet."""

    date: dt.date = attrs.field(converter=_publicity_date)
    station: str
    medium: Medium = attrs.field(converter=_publicity_medium)
    title: str
    outlet: str = ""
    link: str = ""


__all__ = [
    "CharitableResource",
    "DeliberationMeeting",
    "Organisation",
    "Publicity",
    "Training",
    "VolunteerTeam",
]
