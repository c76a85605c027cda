"""Staffing rules: STAFF-1 … STAFF-4 (seed ``三(四)``).

STAFF-1 and STAFF-2 count who is on staff on the day checked, each person once. Where staff
entries carry ``start``/``end`` dates, a spell short of staff is a warning while it is within
the profile's ``staff_shortfall_days`` and an error beyond it; an earlier spell that lasted
longer is a warning with its dates.
"""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.model import StaffMember, Station
from sgz_core.performance.staffing import certified_on, dated, overlaps, residents_on, shortfalls
from sgz_core.rules import Context, Say, Scope, error, rule, warning


def _spells(station: Station, ctx: Context, certified: bool) -> Iterator[Say]:
    """Spells short of staff, with their dates (STAFF-1, STAFF-2 over time)."""
    policy = ctx.policy
    need = policy.min_resident_social_workers
    need_certified = policy.min_certified_resident_social_workers
    allowed = policy.staff_shortfall_days
    last = ctx.as_of
    first = min(ctx.programme.start, last)
    what, what_en = (
        ("持证驻站社工", "certified resident social worker(s)")
        if certified
        else (
            "驻站社工",
            "resident social worker(s)",
        )
    )
    for spell in shortfalls(station, first, last, need, need_certified):
        if spell.certified is not certified:
            continue
        ongoing = spell.end == last
        span = f"{spell.start.isoformat()}至{spell.end.isoformat()}"
        span_en = f"from {spell.start.isoformat()} to {spell.end.isoformat()}"
        if ongoing and spell.days > allowed:
            yield error(
                f"自{spell.start.isoformat()}起本站{what}仅{spell.have}名，少于规定的{spell.need}名，"
                f"已持续{spell.days}天（允许{allowed}天）。",
                f"Since {spell.start.isoformat()} the station has had {spell.have} {what_en}, "
                f"fewer than the required {spell.need}, for {spell.days} days (the profile allows "
                f"{allowed}).",
            )
        elif ongoing:
            yield warning(
                f"自{spell.start.isoformat()}起本站{what}仅{spell.have}名，少于规定的{spell.need}名，"
                f"已持续{spell.days}天，尚在允许的{allowed}天之内。",
                f"Since {spell.start.isoformat()} the station has had {spell.have} {what_en}, "
                f"fewer than the required {spell.need}, for {spell.days} days, within the "
                f"{allowed} the profile allows.",
            )
        elif spell.days > allowed:
            yield warning(
                f"{span}本站{what}仅{spell.have}名，少于规定的{spell.need}名，共{spell.days}天，"
                f"超过允许的{allowed}天。",
                f"{span_en[0].upper()}{span_en[1:]} the station had {spell.have} {what_en}, fewer "
                f"than the required {spell.need}, for {spell.days} days, longer than the "
                f"{allowed} the profile allows.",
            )


def _masked(member: StaffMember, ctx: Context) -> str:
    if member.certificate:
        return f"{member.name}（{ctx.policy.id_number_mask.apply(member.certificate)}）"
    return member.name


def enough_residents(station: Station, ctx: Context) -> Iterator[Say]:
    for i, j in overlaps(station):
        a = station.staff[i]
        yield error(
            f"{_masked(a, ctx)}在本站登记两次且任职期间重叠（第{i + 1}、{j + 1}条）。",
            f"Staff entries {i + 1} and {j + 1} name {_masked(a, ctx)} twice, for overlapping "
            "spells.",
        )
    if dated(station):
        yield from _spells(station, ctx, certified=False)
        return
    need = ctx.policy.min_resident_social_workers
    have = len(residents_on(station, ctx.as_of))
    if have < need:
        yield error(
            f"本站驻站社工{have}名，少于规定的{need}名。",
            f"The station has {have} resident social worker(s), fewer than the required {need}.",
        )


rule(
    "STAFF-1",
    clause="三(四)",
    scope=Scope.STATION,
    title="驻站社工人数",
    title_en="Enough resident social workers",
)(enough_residents)


def enough_certified(station: Station, ctx: Context) -> Iterator[Say]:
    if dated(station):
        yield from _spells(station, ctx, certified=True)
        return
    need = ctx.policy.min_certified_resident_social_workers
    have = len(certified_on(station, ctx.as_of))
    if have < need:
        yield error(
            f"本站持证驻站社工{have}名，少于规定的{need}名。",
            f"The station has {have} certified resident social worker(s), fewer than the required {need}.",
        )


rule(
    "STAFF-2",
    clause="三(四)",
    scope=Scope.STATION,
    title="持证驻站社工人数",
    title_en="Enough certified resident social workers",
)(enough_certified)


def employed_by_contractor(station: Station, ctx: Context) -> Iterator[Say]:
    for member in station.residents:
        if member.employer != station.contractor:
            yield error(
                f"驻站社工{member.name}由“{member.employer}”聘用，而不是由本站承接机构“{station.contractor}”聘用。",
                f"Resident social worker {member.name} is employed by {member.employer!r}, "
                f"not by the station's contractor {station.contractor!r}.",
            )


rule(
    "STAFF-3",
    clause="三(四)",
    scope=Scope.STATION,
    title="驻站社工由承接机构聘用",
    title_en="Resident social workers are employed by the contractor",
)(employed_by_contractor)


def dispatched_qualified(station: Station, ctx: Context) -> Iterator[Say]:
    for member in station.dispatched:
        if not member.certified and not member.social_work_degree:
            yield error(
                f"选派社工{member.name}既未持证，也不是社会工作专业毕业。",
                f"Dispatched social worker {member.name} is neither certified nor a social work graduate.",
            )


rule(
    "STAFF-4",
    clause="三(四)",
    scope=Scope.STATION,
    title="选派社工须持证或社工专业毕业",
    title_en="Dispatched social workers are certified or graduates",
)(dispatched_qualified)


__all__ = [
    "dispatched_qualified",
    "employed_by_contractor",
    "enough_certified",
    "enough_residents",
]
