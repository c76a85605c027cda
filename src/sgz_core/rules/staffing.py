"""Staffing rules: STAFF-1 … STAFF-4 (seed ``三(四)``)."""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.model import Station
from sgz_core.rules import Context, Say, Scope, error, rule


@rule(
    "STAFF-1",
    clause="三(四)",
    scope=Scope.STATION,
    title="驻站社工人数",
    title_en="Enough resident social workers",
)
def enough_residents(station: Station, ctx: Context) -> Iterator[Say]:
    need = ctx.policy.min_resident_social_workers
    have = len(station.residents)
    if have < need:
        yield error(
            f"驻站社工{have}名，少于{need}名",
            f"{have} resident social worker(s), fewer than the required {need}",
        )


@rule(
    "STAFF-2",
    clause="三(四)",
    scope=Scope.STATION,
    title="持证驻站社工人数",
    title_en="Enough certified resident social workers",
)
def enough_certified(station: Station, ctx: Context) -> Iterator[Say]:
    need = ctx.policy.min_certified_resident_social_workers
    have = sum(1 for s in station.residents if s.certified)
    if have < need:
        yield error(
            f"持证驻站社工{have}名，少于{need}名",
            f"{have} certified resident social worker(s), fewer than the required {need}",
        )


@rule(
    "STAFF-3",
    clause="三(四)",
    scope=Scope.STATION,
    title="驻站社工由承接机构聘用",
    title_en="Resident social workers are employed by the contractor",
)
def employed_by_contractor(station: Station, ctx: Context) -> Iterator[Say]:
    for member in station.residents:
        if member.employer != station.contractor:
            yield error(
                f"驻站社工{member.name}由“{member.employer}”聘用，不是本站承接机构“{station.contractor}”",
                f"resident social worker {member.name} is employed by {member.employer!r}, "
                f"not by the station's contractor {station.contractor!r}",
            )


@rule(
    "STAFF-4",
    clause="三(四)",
    scope=Scope.STATION,
    title="选派社工须持证或社工专业毕业",
    title_en="Dispatched social workers are certified or graduates",
)
def dispatched_qualified(station: Station, ctx: Context) -> Iterator[Say]:
    for member in station.dispatched:
        if not member.certified and not member.social_work_degree:
            yield error(
                f"选派社工{member.name}既未持证，也不是社会工作专业毕业",
                f"dispatched social worker {member.name} is neither certified nor a social work graduate",
            )


__all__ = [
    "dispatched_qualified",
    "employed_by_contractor",
    "enough_certified",
    "enough_residents",
]
