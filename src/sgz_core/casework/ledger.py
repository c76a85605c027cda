"""The service ledger (台账): one record per service delivered.

A record says when, at which station, by which worker, for whom (beneficiaries, or a group with
a headcount), in which domain, by which method (casework, group work, community activity),
what was done (a service type from the domain's list), for how long, and with how many
volunteers and volunteer hours.

A record marked ``administrative`` (SCOPE-2, 避免社工服务行政化) is kept in the ledger but is
never counted as social-work service, and paying for it from station money (``fund``) is a
SCOPE-2 finding.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from sgz_core.casework._fields import MAX_COUNT, MAX_HOURS, count, hours, problem, tuple_of
from sgz_core.casework.vocabulary import SERVICE_DOMAINS, ServiceType, services_of
from sgz_core.enums import FundingSource, Method, ServiceDomain
from sgz_core.values import to_date, to_enum

# The converters test the common, valid case first: every record read back from storage comes
# through them (millions in a large ledger); anything else gets the full check and its message.


def _hours(value: object) -> Decimal:
    if type(value) is Decimal and value.is_finite() and 0 <= value <= MAX_HOURS:
        return value
    return hours(value, "hours")


def _volunteer_hours(value: object) -> Decimal:
    if type(value) is Decimal and value.is_finite() and 0 <= value <= MAX_HOURS:
        return value
    return hours(value, "volunteer_hours")


def _participants(value: object) -> int:
    if type(value) is int and 0 <= value <= MAX_COUNT:
        return value
    return count(value, "participants")


def _volunteers(value: object) -> int:
    if type(value) is int and 0 <= value <= MAX_COUNT:
        return value
    return count(value, "volunteers")


def _service_record_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


def _service_record_domain(value: object) -> ServiceDomain:
    return value if type(value) is ServiceDomain else to_enum(ServiceDomain, value, "domain")


def _service_record_method(value: object) -> Method:
    return value if type(value) is Method else to_enum(Method, value, "method")


def _service_record_service(value: object) -> ServiceType:
    return value if type(value) is ServiceType else to_enum(ServiceType, value, "service")


def _service_record_fund(value: object) -> FundingSource | None:
    return (
        value
        if value is None or type(value) is FundingSource
        else to_enum(FundingSource, value, "fund")
    )


@attrs.frozen
class ServiceRecord:
    """One entry of the service ledger."""

    date: dt.date = attrs.field(converter=_service_record_date)
    station: str
    worker: str
    """The staff member who delivered it (a name of the station's staff)."""
    domain: ServiceDomain = attrs.field(converter=_service_record_domain)
    method: Method = attrs.field(converter=_service_record_method)
    service: ServiceType = attrs.field(converter=_service_record_service)
    hours: Decimal = attrs.field(converter=_hours)
    """How long it took, in hours (e.g. 1.5)."""
    beneficiaries: tuple[str, ...] = attrs.field(default=(), converter=tuple_of)
    """Beneficiary ids served."""
    group: str = ""
    """The group or audience, where the record is not about named people (小组、社区活动)."""
    participants: int = attrs.field(default=0, converter=_participants)
    """Headcount of a group or activity beyond the named beneficiaries."""
    case: str | None = None
    """The case this record belongs to (a case id)."""
    volunteers: int = attrs.field(default=0, converter=_volunteers)
    volunteer_hours: Decimal = attrs.field(default=Decimal(0), converter=_volunteer_hours)
    volunteer_team: str | None = None
    """The volunteer team that helped (a team id)."""
    administrative: bool = False
    """A duty the government performs itself (SCOPE-2): kept, never counted as service."""
    fund: FundingSource | None = attrs.field(default=None, converter=_service_record_fund)
    """The money that paid for it, if any was spent (SCOPE-2 refuses station money for administrative work)."""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.domain not in SERVICE_DOMAINS[self.service]:
            allowed = " | ".join(t.value for t in services_of(self.domain))
            raise problem(
                "service",
                f"{self.service.value!r} is not a service of {self.domain.value}; expected one of {allowed}",
            )
        if self.method is Method.CASEWORK and not self.beneficiaries:
            raise problem(
                "beneficiaries", "casework serves named people: give at least one beneficiary id"
            )
        if self.service is ServiceType.VISIT and not self.beneficiaries:
            raise problem(
                "beneficiaries", "a visit is to named people: give at least one beneficiary id"
            )
        if len(self.beneficiaries) > 1 and len(set(self.beneficiaries)) != len(self.beneficiaries):
            raise problem("beneficiaries", "a beneficiary is listed twice")
        if self.volunteer_hours and not self.volunteers and self.volunteer_team is None:
            raise problem(
                "volunteers",
                "volunteer hours without volunteers: give the number of volunteers or the team",
            )

    @property
    def counts_as_service(self) -> bool:
        """Social-work service that counts (SCOPE-2: administrative records never do)."""
        return not self.administrative

    @property
    def is_visit(self) -> bool:
        return self.service is ServiceType.VISIT and not self.administrative

    @property
    def people(self) -> int:
        """Everyone served: the named beneficiaries and the headcount beyond them."""
        return len(self.beneficiaries) + self.participants


__all__ = [
    "ServiceRecord",
]
