"""Staff over time (STAFF-1, STAFF-2): who is on staff on a day, and the spells a station ran short.

An entry without ``start``/``end`` is on staff throughout. A person is their ``identity`` (the
certificate number) and is counted once on any day, however many entries name them; an entry
without a certificate is a person of its own.
"""

from __future__ import annotations

import datetime as dt

import attrs

from sgz_core.model import StaffMember, Station

_DAY = dt.timedelta(days=1)


def _person(station: Station, member: StaffMember) -> str:
    if member.identity is not None:
        return f"certificate {member.identity}"
    return f"entry {next(i for i, s in enumerate(station.staff) if s is member)}"


def residents_on(station: Station, day: dt.date) -> set[str]:
    """The people (see :func:`_person`) among the resident social workers on staff on ``day``."""
    return {_person(station, s) for s in station.residents if s.on_staff(day)}


def certified_on(station: Station, day: dt.date) -> set[str]:
    """The people among the certified residents on staff on ``day``."""
    return {_person(station, s) for s in station.residents if s.on_staff(day) and s.certified}


def dated(station: Station) -> bool:
    """Whether any staff entry of the station has a start or end date."""
    return any(s.start is not None or s.end is not None for s in station.staff)


def _overlap(a: StaffMember, b: StaffMember) -> bool:
    a_start, b_start = a.start or dt.date.min, b.start or dt.date.min
    a_end, b_end = a.end or dt.date.max, b.end or dt.date.max
    return a_start <= b_end and b_start <= a_end


def overlaps(station: Station) -> list[tuple[int, int]]:
    """Pairs of entries (indexes) naming the same person for overlapping spells."""
    out = []
    for i, a in enumerate(station.staff):
        for j in range(i + 1, len(station.staff)):
            b = station.staff[j]
            if a.identity is not None and a.identity == b.identity and _overlap(a, b):
                out.append((i, j))
    return out


@attrs.frozen
class Shortfall:
    """A spell from ``start`` to ``end`` (both included) with fewer residents than ``need``."""

    certified: bool
    """True: too few certified residents; False: too few residents."""
    start: dt.date
    end: dt.date
    have: int
    need: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _change_days(station: Station, first: dt.date, last: dt.date) -> list[dt.date]:
    days = {first}
    for s in station.residents:
        if s.start is not None and first < s.start <= last:
            days.add(s.start)
        if s.end is not None and first <= s.end < last:
            days.add(s.end + _DAY)
    return sorted(days)


def shortfalls(
    station: Station, first: dt.date, last: dt.date, need: int, need_certified: int
) -> list[Shortfall]:
    """The spells between ``first`` and ``last`` with too few residents, or too few certified ones.

    Staff only change on the days an entry starts or the day after one ends, so the count is
    taken once per spell between such days; adjacent short spells are merged.
    """
    if last < first:
        return []
    out: list[Shortfall] = []
    changes = _change_days(station, first, last)
    for certified, want in ((False, need), (True, need_certified)):
        current: Shortfall | None = None
        for k, day in enumerate(changes):
            end = changes[k + 1] - _DAY if k + 1 < len(changes) else last
            have = len(certified_on(station, day) if certified else residents_on(station, day))
            if have < want:
                if current is None:
                    current = Shortfall(certified, day, end, have, want)
                else:
                    current = attrs.evolve(current, end=end, have=min(current.have, have))
            elif current is not None:
                out.append(current)
                current = None
        if current is not None:
            out.append(current)
    return out


__all__ = [
    "Shortfall",
    "certified_on",
    "dated",
    "overlaps",
    "residents_on",
    "shortfalls",
]
