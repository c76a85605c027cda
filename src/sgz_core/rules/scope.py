"""Scope rules: TERM-1 (``一``, ``三(七)``) and LOT-1 (``一``)."""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.model import ContractYear, Programme, Station
from sgz_core.rules import Context, Say, Scope, error, rule, warning


@rule(
    "TERM-1",
    clause="一 三(七)",
    scope=Scope.YEAR,
    title="服务期限，合同每年续签",
    title_en="Service term; contract renewed yearly",
)
def within_term(station: Station, year: ContractYear, ctx: Context) -> Iterator[Say]:
    term = ctx.policy.term_years
    if year.year > term:
        yield error(
            f"第{year.year}年超出{term}年的服务期限",
            f"contract year {year.year} is beyond the service term of {term} years",
        )
    end = ctx.programme.year_end(year.year)
    if year.signed is not None and year.signed > end:
        yield warning(
            f"第{year.year}年合同签订日{year.signed.isoformat()}晚于该合同年结束日{end.isoformat()}",
            f"year {year.year}: contract signed on {year.signed.isoformat()}, after the contract "
            f"year ended on {end.isoformat()}",
        )


@rule(
    "LOT-1",
    clause="一",
    scope=Scope.PROGRAMME,
    title="包号与服务社区",
    title_en="Lots: one station each, on its street and communities",
)
def lots(programme: Programme, ctx: Context) -> Iterator[Say]:
    table = {lot.lot: lot for lot in ctx.policy.lots}
    if not table:
        return
    seen: dict[int, str] = {}
    for station in programme.stations:
        if station.lot is None:
            yield error("未标明包号", "the station names no lot", station=station.id)
            continue
        lot = table.get(station.lot)
        if lot is None:
            known = ", ".join(str(n) for n in sorted(table))
            yield error(
                f"包号{station.lot}不存在（应为{known}）",
                f"lot {station.lot} does not exist (expected one of {known})",
                station=station.id,
            )
            continue
        if station.lot in seen:
            yield error(
                f"包号{station.lot}已由站点“{seen[station.lot]}”承接，每包只设一站",
                f"lot {station.lot} already has station {seen[station.lot]!r}; one station per lot",
                station=station.id,
            )
        seen.setdefault(station.lot, station.id)
        if station.street != lot.street:
            yield error(
                f"包号{lot.lot}应在{lot.street}，而非{station.street}",
                f"lot {lot.lot} is on {lot.street}, not {station.street}",
                station=station.id,
            )
        missing = [c for c in lot.communities if c not in station.communities]
        if missing:
            yield error(
                f"包号{lot.lot}应服务" + "、".join(missing),
                f"lot {lot.lot} must serve " + ", ".join(missing),
                station=station.id,
            )
    for number, lot in sorted(table.items()):
        if number not in seen:
            yield error(
                f"包号{number}（{lot.street}）没有站点",
                f"lot {number} ({lot.street}) has no station",
            )


__all__ = [
    "lots",
    "within_term",
]
