"""Visit schedules (定期探访, 走访核查; DOM-2, DOM-3): next-due and overdue visits on a given day.

The profile says how often each category is visited (``visit_intervals``; Chengguan default:
monthly for the elderly and children the seed names, a documented local practice since the seed
says only "periodic"). A person with several scheduled categories is visited at the most
frequent of their intervals.

On a day ``on`` a registered person's next visit is due one interval after their latest visit
on or before ``on`` (or after their registration, if never visited). It is *overdue* when that
day is before ``on``; *due soon* when it falls within the profile's ``visit_due_soon_days``.
The results are events, :class:`VisitOverdue` and :class:`VisitDue`; nothing is sent anywhere.

People who have left the register, or withdrawn their consent, have no visits due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

import attrs

from sgz_core.casework.beneficiaries import Beneficiary
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import Consent, IntervalUnit
from sgz_core.categories import Category
from sgz_core.enums import ServiceDomain
from sgz_core.values import VisitInterval as VisitInterval  # moved to the leaf values module
from sgz_core.values import add_days, to_date, to_enum
from sgz_core.values import add_months as add_months

_REFERENCE_DAY = dt.date(2001, 1, 1)


def visit_plan(
    categories: Iterable[str],
    intervals: Mapping[str, VisitInterval],
    table: Mapping[str, Category],
) -> tuple[str, VisitInterval] | None:
    """The category and interval that set a person's schedule: the most frequent; ties to priority."""
    found = [(c, intervals[c]) for c in categories if c in intervals]
    if not found:
        return None

    def key(item: tuple[str, VisitInterval]) -> tuple[dt.date, int, str]:
        category = table.get(item[0])
        return (item[1].after(_REFERENCE_DAY), category.priority if category else 10**6, item[0])

    return min(found, key=key)


def scheduled(beneficiary: Beneficiary, on: dt.date) -> bool:
    """Whether the person is owed visits on ``on``: registered, still in the register, consenting."""
    return beneficiary.active_on(on) and beneficiary.consent is not Consent.WITHDRAWN


def _visit_status_last_visit(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "last_visit")


def _visit_status_next_due(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "next_due")


def _visit_status_on(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "on")


@attrs.frozen
class VisitStatus:
    """Where one person's visits stand on ``on``."""

    beneficiary: str
    station: str
    category: str
    interval: VisitInterval
    last_visit: dt.date | None = attrs.field(converter=_visit_status_last_visit)
    next_due: dt.date = attrs.field(converter=_visit_status_next_due)
    on: dt.date = attrs.field(converter=_visit_status_on)

    @property
    def overdue(self) -> bool:
        return self.next_due < self.on

    @property
    def days_overdue(self) -> int:
        return max(0, (self.on - self.next_due).days)

    @property
    def days_left(self) -> int:
        return max(0, (self.next_due - self.on).days)


def _event_domain(value: object) -> ServiceDomain:
    return value if type(value) is ServiceDomain else to_enum(ServiceDomain, value, "domain")


def _event_due(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "due")


def _event_last_visit(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "last_visit")


def _event_on(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "on")


@attrs.frozen
class VisitOverdue:
    """Event: a person's visit was due before ``on`` and has not happened."""

    beneficiary: str
    station: str
    category: str
    domain: ServiceDomain = attrs.field(converter=_event_domain)
    due: dt.date = attrs.field(converter=_event_due)
    last_visit: dt.date | None = attrs.field(converter=_event_last_visit)
    days_overdue: int
    on: dt.date = attrs.field(converter=_event_on)


@attrs.frozen
class VisitDue:
    """Event: a person's visit falls due within the due-soon window (today included)."""

    beneficiary: str
    station: str
    category: str
    domain: ServiceDomain = attrs.field(converter=_event_domain)
    due: dt.date = attrs.field(converter=_event_due)
    last_visit: dt.date | None = attrs.field(converter=_event_last_visit)
    days_left: int
    on: dt.date = attrs.field(converter=_event_on)


def visit_status(
    beneficiary: Beneficiary,
    last_visit: dt.date | None,
    plan: tuple[str, VisitInterval],
    on: dt.date,
) -> VisitStatus | None:
    """The person's status on ``on`` given their latest visit on or before ``on`` (or none)."""
    if not scheduled(beneficiary, on):
        return None
    assert beneficiary.registered is not None
    anchor = (
        beneficiary.registered if last_visit is None else max(beneficiary.registered, last_visit)
    )
    category, interval = plan
    return VisitStatus(
        beneficiary.id,
        beneficiary.station,
        category,
        interval,
        last_visit,
        interval.after(anchor),
        on,
    )


def last_visits(records: Iterable[ServiceRecord], on: dt.date) -> dict[str, dt.date]:
    """Each person's latest visit on or before ``on``, in one pass over the ledger."""
    latest: dict[str, dt.date] = {}
    for record in records:
        if not record.is_visit or record.date > on:
            continue
        for person in record.beneficiaries:
            seen = latest.get(person)
            if seen is None or record.date > seen:
                latest[person] = record.date
    return latest


def visit_events(
    beneficiaries: Iterable[Beneficiary],
    records: Iterable[ServiceRecord],
    intervals: Mapping[str, VisitInterval],
    table: Mapping[str, Category],
    on: dt.date,
    due_soon_days: int,
) -> Iterator[VisitOverdue | VisitDue]:
    """:class:`VisitOverdue` and :class:`VisitDue` events on ``on``, in the order of ``beneficiaries``."""
    latest = last_visits(records, on)
    horizon = add_days(on, due_soon_days)
    for person in beneficiaries:
        plan = visit_plan(person.categories, intervals, table)
        if plan is None:
            continue
        status = visit_status(person, latest.get(person.id), plan, on)
        if status is None:
            continue
        if status.overdue:
            yield VisitOverdue(
                person.id,
                person.station,
                status.category,
                status.interval.domain,
                status.next_due,
                status.last_visit,
                status.days_overdue,
                on,
            )
        elif status.next_due <= horizon:
            yield VisitDue(
                person.id,
                person.station,
                status.category,
                status.interval.domain,
                status.next_due,
                status.last_visit,
                status.days_left,
                on,
            )


def due_dates(
    beneficiary: Beneficiary, interval: VisitInterval, first: dt.date, last: dt.date
) -> Iterator[dt.date]:
    """The days in ``[first, last]`` on which the schedule calls for a visit.

    These are whole intervals counted from the registration day (the calendar of the schedule,
    for "visits done vs due"), on days the person is in the register and consenting.
    """
    if beneficiary.registered is None or beneficiary.consent is Consent.WITHDRAWN:
        return
    start = beneficiary.registered
    end = last if beneficiary.until is None else min(last, beneficiary.until - dt.timedelta(days=1))
    # skip whole intervals before ``first`` without walking them (one step early, to be safe)
    if interval.unit is IntervalUnit.MONTH:
        elapsed = (first.year - start.year) * 12 + first.month - start.month
        k = max(1, elapsed // interval.every - 1)
    else:
        step = interval.every * (7 if interval.unit is IntervalUnit.WEEK else 1)
        k = max(1, (first - start).days // step - 1)
    while True:
        day = interval.after(start, k)
        if day > end or day in (dt.date.max, dt.date.min):
            return
        if day >= first:
            yield day
        k += 1


__all__ = [
    "VisitDue",
    "VisitInterval",
    "VisitOverdue",
    "VisitStatus",
    "add_months",
    "due_dates",
    "last_visits",
    "scheduled",
    "visit_events",
    "visit_plan",
    "visit_status",
]
