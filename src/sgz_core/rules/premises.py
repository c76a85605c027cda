"""Premises rules: SITE-1 … SITE-5 (seed ``三(五)``)."""

from __future__ import annotations

from collections.abc import Iterator

from sgz_core.model import Station
from sgz_core.rules import Context, Say, Scope, error, notice, rule

_NO_PREMISES = ("本站未登记办公场地", "No premises are recorded")


def _m2(value: object) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def activity_space(station: Station, ctx: Context) -> Iterator[Say]:
    need = ctx.policy.min_activity_area_m2
    if station.premises is None:
        yield error(
            f"{_NO_PREMISES[0]}，而活动场地应不少于{_m2(need)}平方米。",
            f"{_NO_PREMISES[1]}; activity space of at least {_m2(need)} m² is required.",
        )
    elif station.premises.activity_area_m2 < need:
        have = station.premises.activity_area_m2
        yield error(
            f"本站活动场地{_m2(have)}平方米，少于规定的{_m2(need)}平方米。",
            f"The activity space is {_m2(have)} m², less than the required {_m2(need)} m².",
        )


rule(
    "SITE-1", clause="三(五)", scope=Scope.STATION, title="活动场地面积", title_en="Activity space"
)(activity_space)


def office_space(station: Station, ctx: Context) -> Iterator[Say]:
    need = ctx.policy.min_office_area_m2
    if station.premises is None:
        yield error(
            f"{_NO_PREMISES[0]}，而办公阵地应不少于{_m2(need)}平方米。",
            f"{_NO_PREMISES[1]}; an office of at least {_m2(need)} m² is required.",
        )
    elif station.premises.office_area_m2 < need:
        have = station.premises.office_area_m2
        yield error(
            f"本站办公阵地{_m2(have)}平方米，少于规定的{_m2(need)}平方米。",
            f"The office is {_m2(have)} m², less than the required {_m2(need)} m².",
        )


rule("SITE-2", clause="三(五)", scope=Scope.STATION, title="办公阵地面积", title_en="Office space")(
    office_space
)


def equipment(station: Station, ctx: Context) -> Iterator[Say]:
    have = set(station.premises.equipment) if station.premises else set()
    missing = [e for e in ctx.policy.required_equipment if e not in have]
    if missing:
        yield error(
            "本站缺少办公设备：" + "、".join(e.zh for e in missing) + "。",
            "The station lacks office equipment: " + ", ".join(e.en for e in missing) + ".",
        )


rule("SITE-3", clause="三(五)", scope=Scope.STATION, title="办公设备", title_en="Office equipment")(
    equipment
)


def shared_facilities(station: Station, ctx: Context) -> Iterator[Say]:
    if station.premises is None:
        return
    allowed = set(ctx.policy.shared_facilities)
    for facility in station.premises.shared_facilities:
        if facility not in allowed:
            yield error(
                f"共用设施“{facility.zh}”不在本地可计入的设施之列。",
                f"The shared facility {facility.en!r} is not one that may count here.",
            )


rule(
    "SITE-4",
    clause="三(五)",
    scope=Scope.STATION,
    title="一室多用的共用设施",
    title_en="Shared facilities that may count",
)(shared_facilities)


def advisory_rooms(station: Station, ctx: Context) -> Iterator[Say]:
    have = set(station.premises.rooms) if station.premises else set()
    missing = [r for r in ctx.policy.advisory_rooms if r not in have]
    if missing:
        yield notice(
            "建议本站逐步建立：" + "、".join(r.zh for r in missing) + "。",
            "The station should set up over time: " + ", ".join(r.en for r in missing) + ".",
        )


rule(
    "SITE-5",
    clause="三(五)",
    scope=Scope.STATION,
    title="逐步建立专业场所（建议）",
    title_en="Professional rooms over time (advisory)",
)(advisory_rooms)


__all__ = [
    "activity_space",
    "advisory_rooms",
    "equipment",
    "office_space",
    "shared_facilities",
]
