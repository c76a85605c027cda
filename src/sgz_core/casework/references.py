"""References between the casework sections of a programme file, checked with key paths.

Station ids, beneficiary ids, case ids, team ids and worker names (the station's staff) must
exist; ids must not repeat; a record that belongs to a case must fall while the case is open
(a closed case takes no services). One pass over each section, with lookups in dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, repeat
from operator import attrgetter, is_not
from typing import TYPE_CHECKING, Any

from sgz_core.casework.identity import mask
from sgz_core.errors import Problem

if TYPE_CHECKING:
    from sgz_core.model import Programme


def _known(values: Iterable[str]) -> str:
    items = sorted(set(values))
    if not items:
        return "(none defined)"
    shown = ", ".join(item or "''" for item in items[:8])  # an empty name is shown as ''
    return shown + (f" … ({len(items)} in all)" if len(items) > 8 else "")


def _duplicates(section: str, items: Iterable[Any], kind: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield Problem(f"{section}[{i}].id", f"duplicate {kind} id {item.id!r}")
        seen.add(item.id)


_STATION_WORKER = attrgetter("station", "worker")
_BENEFICIARIES = attrgetter("beneficiaries")
_TEAM = attrgetter("volunteer_team")
_CASE = attrgetter("case")


def _ledger_names_known(
    records: Sequence[Any],
    stations: Mapping[str, Any],
    staff: Mapping[str, set[str]],
    people: Mapping[str, Any],
    teams: set[str],
) -> bool:
    """Whether the records name only known stations, their stations' workers, known
    beneficiaries and known teams: the same lookups as the loop of :func:`casework_problems`,
    made once per distinct value with passes that run in C. Anything unusual (a value that
    cannot be hashed) is False, and the loop then finds it as it always did."""
    try:
        for station_id, name in set(map(_STATION_WORKER, records)):
            if station_id not in stations or name not in staff[station_id]:
                return False
        if not people.keys() >= set(chain.from_iterable(map(_BENEFICIARIES, records))):
            return False
        named = set(map(_TEAM, records))
        named.discard(None)
        return named <= teams
    except Exception:  # the loop raises or reports it, in record order
        return False


def casework_problems(programme: Programme) -> Iterator[Problem]:
    """Every dangling reference and repeated id in the casework sections."""
    stations = {s.id: s for s in programme.stations}
    staff = {s.id: {m.name for m in s.staff} for s in programme.stations}
    people = {b.id: b for b in programme.beneficiaries}
    cases = {c.id: c for c in programme.cases}
    teams = {t.id for t in programme.volunteer_teams}

    def station(path: str, station_id: str) -> Iterator[Problem]:
        if station_id not in stations:
            yield Problem(
                path, f"unknown station {station_id!r}; expected one of {_known(stations)}"
            )

    def worker(path: str, station_id: str, name: str) -> Iterator[Problem]:
        names = staff.get(station_id)
        if names is not None and name not in names:
            yield Problem(
                path,
                f"{name!r} is not on the staff of station {station_id!r}; expected one of {_known(names)}",
            )

    def person(path: str, beneficiary_id: str) -> Iterator[Problem]:
        if beneficiary_id not in people:
            yield Problem(path, f"unknown beneficiary {beneficiary_id!r}")

    # beneficiaries
    yield from _duplicates("beneficiaries", programme.beneficiaries, "beneficiary")
    numbers: dict[str, int] = {}
    for i, b in enumerate(programme.beneficiaries):
        path = f"beneficiaries[{i}]"
        yield from station(f"{path}.station", b.station)
        home = stations.get(b.station)
        if (
            home is not None
            and b.community
            and home.communities
            and b.community not in home.communities
        ):
            yield Problem(
                f"{path}.community",
                f"{b.community!r} is not served by station {b.station!r}; expected one of {_known(home.communities)}",
            )
        if b.id_number is not None:
            if b.id_number in numbers:
                yield Problem(
                    f"{path}.id_number",
                    f"the ID number {mask(b.id_number)} is also beneficiaries[{numbers[b.id_number]}]'s",
                )
            numbers.setdefault(b.id_number, i)
        for k, link in enumerate(b.links):
            if link.beneficiary is not None:
                if link.beneficiary == b.id:
                    yield Problem(
                        f"{path}.links[{k}].beneficiary", "a person cannot be linked to themselves"
                    )
                else:
                    yield from person(f"{path}.links[{k}].beneficiary", link.beneficiary)

    # cases
    yield from _duplicates("cases", programme.cases, "case")
    for i, c in enumerate(programme.cases):
        path = f"cases[{i}]"
        yield from station(f"{path}.station", c.station)
        yield from person(f"{path}.beneficiary", c.beneficiary)
        owner = people.get(c.beneficiary)
        if owner is not None and owner.station != c.station:
            yield Problem(
                f"{path}.station",
                f"beneficiary {c.beneficiary!r} is in the register of station {owner.station!r}",
            )
        yield from worker(f"{path}.worker", c.station, c.worker)
        for k, change in enumerate(c.history):
            if change.worker:
                yield from worker(f"{path}.history[{k}].worker", c.station, change.worker)

    # the ledger (a national one holds millions of records, issue 12): when every distinct
    # station and worker, beneficiary and team the records name is known, only a record that
    # names a case can have a problem, so only those go through the loop, in the same order
    records = programme.records
    if _ledger_names_known(records, stations, staff, people, teams):
        checked: Iterable[tuple[int, Any]] = compress(
            enumerate(records), map(is_not, map(_CASE, records), repeat(None))
        )
    else:
        checked = enumerate(records)
    for i, r in checked:
        path = f"records[{i}]"
        yield from station(f"{path}.station", r.station)
        yield from worker(f"{path}.worker", r.station, r.worker)
        for k, beneficiary_id in enumerate(r.beneficiaries):
            yield from person(f"{path}.beneficiaries[{k}]", beneficiary_id)
        if r.volunteer_team is not None and r.volunteer_team not in teams:
            yield Problem(
                f"{path}.volunteer_team",
                f"unknown volunteer team {r.volunteer_team!r}; expected one of {_known(teams)}",
            )
        if r.case is not None:
            case = cases.get(r.case)
            if case is None:
                yield Problem(f"{path}.case", f"unknown case {r.case!r}")
            elif case.station != r.station:
                yield Problem(
                    f"{path}.case", f"case {r.case!r} belongs to station {case.station!r}"
                )
            elif r.date < case.opened:
                yield Problem(
                    f"{path}.case",
                    f"case {r.case!r} opened on {case.opened.isoformat()}, after this record",
                )
            elif not case.takes_services_on(r.date):
                yield Problem(
                    f"{path}.case",
                    f"case {r.case!r} is closed on {r.date.isoformat()}; a closed case takes no services "
                    "(reopen it with a new assessment first)",
                )

    # referrals
    yield from _duplicates("referrals", programme.referrals, "referral")
    for i, f in enumerate(programme.referrals):
        path = f"referrals[{i}]"
        yield from station(f"{path}.station", f.station)
        yield from person(f"{path}.beneficiary", f.beneficiary)
        if f.worker:
            yield from worker(f"{path}.worker", f.station, f.worker)
        if f.case is not None:
            case = cases.get(f.case)
            if case is None:
                yield Problem(f"{path}.case", f"unknown case {f.case!r}")
            elif case.beneficiary != f.beneficiary:
                yield Problem(
                    f"{path}.case", f"case {f.case!r} is about beneficiary {case.beneficiary!r}"
                )

    # five-party linkage and talent
    yield from _duplicates("organisations", programme.organisations, "organisation")
    for i, o in enumerate(programme.organisations):
        yield from station(f"organisations[{i}].station", o.station)
    yield from _duplicates("volunteer_teams", programme.volunteer_teams, "volunteer team")
    for i, t in enumerate(programme.volunteer_teams):
        yield from station(f"volunteer_teams[{i}].station", t.station)
    for i, g in enumerate(programme.resources):
        yield from station(f"resources[{i}].station", g.station)
        for k, beneficiary_id in enumerate(g.beneficiaries):
            yield from person(f"resources[{i}].beneficiaries[{k}]", beneficiary_id)
    for i, m in enumerate(programme.meetings):
        yield from station(f"meetings[{i}].station", m.station)
    for i, course in enumerate(programme.trainings):
        yield from station(f"trainings[{i}].station", course.station)
        for k, name in enumerate(course.attendees):
            yield from worker(f"trainings[{i}].attendees[{k}]", course.station, name)
    for i, p in enumerate(programme.publicity):
        yield from station(f"publicity[{i}].station", p.station)


__all__ = [
    "casework_problems",
]
