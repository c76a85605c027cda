"""Signage rules: SIGN-1, SIGN-2 (seed ``三(六)``).

The plaque texts come from the profile's templates, city, district and the station's street:
the first template is SIGN-1's plaque, the others SIGN-2's.
"""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.model import Station
from sgz_core.rules import Context, Say, Scope, error, rule


def _shown(station: Station) -> set[str]:
    return {p.strip() for p in station.signage.plaques}


def station_sign(station: Station, ctx: Context) -> Iterator[Say]:
    policy = ctx.policy
    if policy.logo_required and not station.signage.logo:
        yield error("本站未设置中国社会工作标志。", "The China social work logo is not shown.")
    plaques = policy.plaques(station.street)
    if plaques and plaques[0] not in _shown(station):
        yield error(f"本站未挂设“{plaques[0]}”标牌。", f"The plaque {plaques[0]!r} is not shown.")


rule(
    "SIGN-1",
    clause="三(六)",
    scope=Scope.STATION,
    title="社工站标识和标牌",
    title_en="Social work station sign and plaque",
)(station_sign)


def second_plaque(station: Station, ctx: Context) -> Iterator[Say]:
    shown = _shown(station)
    for text in ctx.policy.plaques(station.street)[1:]:
        if text not in shown:
            yield error(f"本站未加挂“{text}”牌子。", f"The plaque {text!r} is not shown.")


rule(
    "SIGN-2",
    clause="三(六)",
    scope=Scope.STATION,
    title="加挂未成年人保护工作站牌子",
    title_en="Second plaque (minors' protection)",
)(second_plaque)


__all__ = [
    "second_plaque",
    "station_sign",
]
