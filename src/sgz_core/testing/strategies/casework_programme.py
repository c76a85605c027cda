"""Programmes with every casework section, referencing what exists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from sgz_core.casework.beneficiaries import Beneficiary
from sgz_core.casework.cases import Case
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.linkage import (
    CharitableResource,
    DeliberationMeeting,
    Organisation,
    Publicity,
    Training,
    VolunteerTeam,
)
from sgz_core.casework.referrals import Referral
from sgz_core.enums import (
    FundingSource,
)
from sgz_core.model import (
    Programme,
    add_years,
)
from sgz_core.testing.strategies._base import _cjk
from sgz_core.testing.strategies.casework import beneficiaries, cases, referrals, service_records
from sgz_core.testing.strategies.linkage import (
    meetings,
    organisations,
    publicity,
    resources,
    trainings,
    volunteer_teams,
)
from sgz_core.testing.strategies.programme import programmes

_RECORD_NOTES = st.one_of(
    _cjk(1, 10),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20),
)
"""Notes of ledger records: CJK, or any text but NUL (which PostgreSQL text cannot hold) and lone
surrogates (which no UTF-8 file can hold)."""


def _draw_record_extras(
    draw: st.DrawFn, record: ServiceRecord, cases_here: Sequence[Case], teams: Sequence[str]
) -> ServiceRecord:
    """``record`` with some optional fields: a group, a case of its station (the record moved
    to a day the case takes services), a volunteer team, a fund, a note."""
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        changes["group"] = draw(_cjk(2, 6))
    with_case: bool = draw(st.booleans())
    if cases_here and with_case:
        case = draw(st.sampled_from(list(cases_here)))
        days = [c.date for c in case.history if case.takes_services_on(c.date)]
        if days:
            changes["case"] = case.id
            changes["date"] = draw(st.sampled_from(days))
    with_team: bool = draw(st.booleans())
    if teams and with_team:
        changes["volunteer_team"] = draw(st.sampled_from(list(teams)))
    if draw(st.booleans()):
        changes["fund"] = draw(st.sampled_from(list(FundingSource)))
    if draw(st.booleans()):
        changes["note"] = draw(_RECORD_NOTES)
    return attrs.evolve(record, **changes)


@st.composite
def _casework_programmes(
    draw: st.DrawFn, base: st.SearchStrategy[Programme], max_people: int, max_records: int
) -> Programme:
    programme = draw(base)
    staffed = [s for s in programme.stations if s.staff]
    if not programme.stations:
        return programme
    first, last = programme.start, add_years(programme.start, 3)
    people: list[Beneficiary] = []
    numbers: set[str] = set()
    for i in range(draw(st.integers(0, max_people))):
        home = draw(st.sampled_from(programme.stations))
        community = draw(st.sampled_from(["", *home.communities]))
        person = draw(
            beneficiaries(id=f"b{i}", station=home.id, community=community, first=first, last=last)
        )
        if person.id_number in numbers:
            person = attrs.evolve(person, id_number=None)
        if person.id_number:
            numbers.add(person.id_number)
        people.append(person)
    everyone = [p.id for p in people]
    team_list: list[VolunteerTeam] = []
    organisation_list: list[Organisation] = []
    resource_list: list[CharitableResource] = []
    meeting_list: list[DeliberationMeeting] = []
    publicity_list: list[Publicity] = []
    for station in programme.stations:
        local = st.sampled_from(["", *station.communities])
        for _ in range(draw(st.integers(0, 2))):
            team_list.append(
                draw(
                    volunteer_teams(
                        id=f"t{len(team_list)}",
                        station=station.id,
                        community=local,
                        first=first,
                        last=last,
                    )
                )
            )
        for _ in range(draw(st.integers(0, 2))):
            organisation_list.append(
                draw(
                    organisations(
                        id=f"o{len(organisation_list)}",
                        station=station.id,
                        community=local,
                        first=first,
                        last=last,
                    )
                )
            )
        resource_list += draw(
            st.lists(
                resources(station=station.id, beneficiaries=everyone, first=first, last=last),
                max_size=2,
            )
        )
        meeting_list += draw(
            st.lists(
                meetings(station=station.id, community=local, first=first, last=last), max_size=2
            )
        )
        publicity_list += draw(
            st.lists(publicity(station=station.id, first=first, last=last), max_size=2)
        )
    case_list: list[Case] = []
    records: list[ServiceRecord] = []
    referral_list: list[Referral] = []
    training_list: list[Training] = []
    team_ids = [t.id for t in team_list]
    for station in staffed:
        mine = [p.id for p in people if p.station == station.id]
        names = [m.name for m in station.staff]
        cases_here: list[Case] = []
        for person_id in mine:
            if draw(st.booleans()):
                case = draw(
                    cases(
                        id=f"c{len(case_list)}",
                        station=station.id,
                        beneficiary=person_id,
                        worker=st.sampled_from(names),
                        first=first,
                        max_steps=8,
                    )
                )
                case_list.append(case)
                cases_here.append(case)
            if draw(st.integers(0, 3)) == 0:
                referral_list.append(
                    draw(
                        referrals(
                            id=f"r{len(referral_list)}",
                            station=station.id,
                            beneficiary=person_id,
                            first=first,
                            last=last,
                        )
                    )
                )
        plain = draw(
            st.lists(
                service_records(
                    station=station.id,
                    worker=st.sampled_from(names),
                    beneficiaries=mine,
                    first=first,
                    last=last,
                ),
                max_size=max_records,
            )
        )
        records += [_draw_record_extras(draw, r, cases_here, team_ids) for r in plain]
        training_list += draw(
            st.lists(trainings(station=station.id, staff=names, first=first, last=last), max_size=2)
        )
    return attrs.evolve(
        programme,
        beneficiaries=people,
        cases=case_list,
        records=records,
        referrals=referral_list,
        organisations=organisation_list,
        volunteer_teams=team_list,
        resources=resource_list,
        meetings=meeting_list,
        trainings=training_list,
        publicity=publicity_list,
    )


def casework_programmes(
    *, max_people: int = 6, max_records: int = 8, max_stations: int = 2
) -> st.SearchStrategy[Programme]:
    """Programmes (see :func:`programmes`) with every casework section: beneficiaries, cases,
    ledger records (some with a group, a case, a volunteer team, a fund, a note), referrals,
    organisations, volunteer teams, charitable resources, deliberation meetings, staff training
    and publicity, all referencing their stations, staff and each other: what
    ``programme_file.loads`` accepts.
    """
    return _casework_programmes(programmes(max_stations=max_stations), max_people, max_records)


__all__ = [
    "casework_programmes",
]
