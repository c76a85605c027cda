"""Staffing rules: STAFF-1 … STAFF-4 (seed ``三(四)``)."""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.model import Station
from sgz_core.rules import Context, Say, Scope, error, rule


def enough_residents(station: Station, ctx: Context) -> Iterator[Say]:
    need = ctx.policy.min_resident_social_workers
    have = len(station.residents)
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
    need = ctx.policy.min_certified_resident_social_workers
    have = sum(1 for s in station.residents if s.certified)
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
