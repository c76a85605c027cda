"""A station's work list on a day: overdue and due-soon visits, open cases, people to reach.

Ordered most vulnerable first (PRIN-1 "弱势优先"): by the priority of each person's most
vulnerable category in the profile; within one priority overdue visits come first (longest
overdue first), then visits due soon (soonest first), open cases, and people found by proactive
discovery. People are shown by name and masked ID number only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from sgz_core.casework.beneficiaries import (
    UNRANKED,
    Beneficiary,
    category_table,
    governance_groups,
    priority,
    top_category,
)
from sgz_core.casework.discovery import discover
from sgz_core.casework.visits import VisitDue, VisitOverdue, visit_events
from sgz_core.casework.vocabulary import CaseStage
from sgz_core.enums import AssistanceKind, Labelled, ServiceDomain
from sgz_core.values import to_date, to_enum, to_enum_tuple

if TYPE_CHECKING:
    from sgz_core.model import Programme
    from sgz_core.profiles import Policy


class WorkKind(Labelled):
    OVERDUE_VISIT = ("overdue_visit", "探访逾期", "overdue visit")
    DUE_VISIT = ("due_visit", "探访将到期", "visit due soon")
    OPEN_CASE = ("open_case", "在案个案", "open case")
    DISCOVERY = ("discovery", "主动发现", "may qualify for assistance")


_KIND_ORDER = {k: i for i, k in enumerate(WorkKind)}


def _work_item_kind(value: object) -> WorkKind:
    return value if type(value) is WorkKind else to_enum(WorkKind, value, "kind")


def _work_item_domain(value: object) -> ServiceDomain | None:
    return (
        value
        if value is None or type(value) is ServiceDomain
        else to_enum(ServiceDomain, value, "domain")
    )


def _work_item_due(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "due")


def _work_item_last_visit(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "last_visit")


def _work_item_stage(value: object) -> CaseStage | None:
    return (
        value if value is None or type(value) is CaseStage else to_enum(CaseStage, value, "stage")
    )


def _work_item_since(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "since")


def _work_item_assistance(value: object) -> tuple[AssistanceKind, ...]:
    return to_enum_tuple(AssistanceKind, value, "assistance")


@attrs.frozen
class WorkItem:
    """One line of a work list."""

    kind: WorkKind = attrs.field(converter=_work_item_kind)
    beneficiary: str
    name: str
    id_number: str
    """Masked with the profile's pattern (PII-1); never the full number."""
    priority: int
    category: str | None
    groups: tuple[str, ...] = ()
    domain: ServiceDomain | None = attrs.field(default=None, converter=_work_item_domain)
    due: dt.date | None = attrs.field(default=None, converter=_work_item_due)
    last_visit: dt.date | None = attrs.field(default=None, converter=_work_item_last_visit)
    days_overdue: int = 0
    case: str | None = None
    stage: CaseStage | None = attrs.field(default=None, converter=_work_item_stage)
    since: dt.date | None = attrs.field(default=None, converter=_work_item_since)
    worker: str = ""
    assistance: tuple[AssistanceKind, ...] = attrs.field(
        default=(), converter=_work_item_assistance
    )

    def sort_key(self) -> tuple[int, int, int, dt.date, str, str]:
        return (
            self.priority,
            _KIND_ORDER[self.kind],
            -self.days_overdue,
            self.due or dt.date.max,
            self.beneficiary,
            self.case or "",
        )


def _worklist_on(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "on")


@attrs.frozen
class Worklist:
    station: str
    on: dt.date = attrs.field(converter=_worklist_on)
    items: tuple[WorkItem, ...]


def worklist(programme: Programme, policy: Policy, station: str, on: dt.date) -> Worklist:
    """The work list of ``station`` on ``on``, most vulnerable first."""
    programme.station(station)  # NotFound for an unknown station
    table = category_table(policy.beneficiary_categories)
    mask = policy.id_number_mask
    people = [b for b in programme.beneficiaries if b.station == station]
    by_id = {b.id: b for b in people}

    def item(
        person: Beneficiary | None, beneficiary_id: str, kind: WorkKind, **fields: object
    ) -> WorkItem:
        categories = person.categories if person else ()
        top = top_category(categories, table)
        return WorkItem(
            kind=kind,
            beneficiary=beneficiary_id,
            name=person.name if person else "",
            id_number=person.masked_id(mask) if person else "",
            priority=priority(categories, table) if person else UNRANKED,
            category=top.id if top else None,
            groups=governance_groups(categories, table),
            **fields,  # type: ignore[arg-type]
        )

    items: list[WorkItem] = []
    records = (r for r in programme.records if r.station == station)
    for event in visit_events(
        people, records, policy.visit_intervals, table, on, policy.visit_due_soon_days
    ):
        person = by_id[event.beneficiary]
        if isinstance(event, VisitOverdue):
            items.append(
                item(
                    person,
                    person.id,
                    WorkKind.OVERDUE_VISIT,
                    domain=event.domain,
                    due=event.due,
                    last_visit=event.last_visit,
                    days_overdue=event.days_overdue,
                )
            )
        else:
            assert isinstance(event, VisitDue)
            items.append(
                item(
                    person,
                    person.id,
                    WorkKind.DUE_VISIT,
                    domain=event.domain,
                    due=event.due,
                    last_visit=event.last_visit,
                )
            )
    station_cases = [c for c in programme.cases if c.station == station]
    for case in station_cases:
        stage = case.stage_on(on)
        if stage is None or stage is CaseStage.CLOSED:
            continue
        since = max(c.date for c in case.history if c.date <= on)
        items.append(
            item(
                by_id.get(case.beneficiary),
                case.beneficiary,
                WorkKind.OPEN_CASE,
                domain=case.domain,
                case=case.id,
                stage=stage,
                since=since,
                worker=case.worker,
            )
        )
    referrals = (f for f in programme.referrals if f.station == station)
    for found in discover(people, station_cases, policy, on, referrals):
        items.append(
            item(
                by_id[found.beneficiary],
                found.beneficiary,
                WorkKind.DISCOVERY,
                domain=ServiceDomain.SOCIAL_ASSISTANCE,
                assistance=found.kinds,
            )
        )
    items.sort(key=WorkItem.sort_key)
    return Worklist(station, on, tuple(items))


__all__ = [
    "WorkItem",
    "WorkKind",
    "Worklist",
    "worklist",
]
