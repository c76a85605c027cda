"""The planning use case: :func:`plan`, re-exported by :mod:`sgz_adapters.service`.

Unlike the other use cases it reads no programme: the number of stations, a profile (a
built-in id, a plugin's profile, a profile file or a :class:`~sgz_core.profiles.Profile`) and
the first day of contract year 1 are all it needs. Its arguments are checked here the same way
for the command line and for embedders; a bad one is an
:class:`~sgz_adapters.said.InvalidArgument` said in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sgz_adapters import files, plugins
from sgz_adapters.said import say
from sgz_core.errors import NotFound, Problem, ProfileError
from sgz_core.planner import DEFAULT_YEARS, MAX_STATIONS, Plan, compare, request_problems
from sgz_core.planner import plan as core_plan
from sgz_core.profiles import Profile
from sgz_core.results import PlanResult
from sgz_core.text import Text


def _profile(ref: object, key: str) -> Profile:
    """A profile from an id, a path or a Profile; an unknown one names ``key`` and the known."""
    if isinstance(ref, Profile):
        return ref
    if not isinstance(ref, str) or not ref.strip():
        raise say(
            f"应为配置编号或配置文件，实为 {ref!r}",
            f"expected a profile id or a profile file, got {ref!r}",
            path=key,
        )
    known = sorted(plugins.builtin_profiles())
    if ref not in known and not _exists(ref):
        raise say(
            f"没有编号为 {ref!r} 的配置，也没有这个配置文件；已知配置：{', '.join(known)}",
            f"no profile {ref!r}: neither a known id nor a profile file; known: {', '.join(known)}",
            path=key,
        )
    try:
        return files.load_profile(ref)
    except NotFound as exc:  # e.g. a file removed since
        raise say(
            f"无法使用配置 {ref!r}（{exc}）",
            f"cannot use the profile {ref!r} ({exc})",
            path=key,
        ) from None


def _exists(ref: str) -> bool:
    try:
        return Path(ref).exists()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def _check(stations: object, start: object, years: object) -> None:
    problems = request_problems(stations, start, years)
    if problems:
        key, text = problems[0]
        raise say(text.zh, text.en, path=key)


def _planned(stations: int, profile: Profile, start: dt.date, years: int, key: str) -> Plan:
    """The core plan under ``profile``; a profile with no value in force on a year's first day
    names ``key`` (``profile`` or ``vs``), so that of two profiles the one at fault is said."""
    try:
        return core_plan(stations, profile, start, years)
    except ProfileError as exc:
        problems = [
            Problem(f"{key}.{p.path}" if p.path else key, p.message, zh=p.zh) for p in exc.problems
        ]
        raise ProfileError(problems, exc.source) from None


def plan(
    *,
    stations: int,
    profile: str | Profile,
    start: dt.date,
    years: int = DEFAULT_YEARS,
    vs: str | Profile | None = None,
) -> PlanResult:
    """What each co-funding level must budget per contract year for ``stations`` stations from
    ``start`` under ``profile``, the tranches' cash flow month by month, and with ``vs`` what
    that profile would cost more (or less) per level and year (``vs − profile``).

    ``stations`` is from 1 to :data:`~sgz_core.planner.MAX_STATIONS`, ``years`` from 1 to 99.
    """
    _check(stations, start, years)
    base = _profile(profile, "profile")
    other = None if vs is None else _profile(vs, "vs")
    planned = _planned(stations, base, start, years, "profile")
    if other is None:
        return PlanResult(base, planned)
    return PlanResult(
        base, planned, other, compare(planned, _planned(stations, other, start, years, "vs"))
    )


STATIONS_LIMIT = Text(
    f"最多 {MAX_STATIONS} 个站点（全国约 3 万个街道乡镇社工站的三倍以上）",
    f"at most {MAX_STATIONS} stations (over three times the about 30,000 stations nationally)",
)
"""Why the number of stations has a limit, for help texts."""

__all__ = ["STATIONS_LIMIT", "plan"]
