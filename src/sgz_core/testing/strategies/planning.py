"""The budget planner: numbers of stations, plan start days and whole plans (``sgz plan``)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.planner import MAX_STATIONS, Plan, plan
from sgz_core.profiles import ALWAYS, Profile
from sgz_core.testing.strategies._base import LAST_START, _strategy
from sgz_core.testing.strategies.profile import profiles


def station_counts(*, max_value: int = MAX_STATIONS) -> st.SearchStrategy[int]:
    """Numbers of stations a plan takes (1 to ``max_value``), small ones and large ones."""
    if not 1 <= max_value <= MAX_STATIONS:
        raise InvalidArgument(f"station_counts: need 1 <= max_value <= {MAX_STATIONS}")
    return st.one_of(st.integers(1, min(max_value, 50)), st.integers(1, max_value))


def plan_starts(
    *, first: dt.date = ALWAYS, last: dt.date = LAST_START
) -> st.SearchStrategy[dt.date]:
    """First days of contract year 1 from ``first`` to ``last``, 29 February and month ends
    included (the built-in profile's values start on ``ALWAYS``)."""
    if first > last:
        raise InvalidArgument("plan_starts: need first <= last")
    return st.dates(min_value=first, max_value=last)


def plans(
    *,
    profile: Profile | st.SearchStrategy[Profile] | None = None,
    stations: int | st.SearchStrategy[int] | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    years: int | st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[Plan]:
    """Budget plans (:func:`sgz_core.planner.plan`) of drawn or given stations, profile (by
    default :func:`profiles`, with dated overrides), start and years (1 to 5)."""
    return st.builds(
        plan,
        _strategy(stations) if stations is not None else station_counts(),
        _strategy(profile) if profile is not None else profiles(),
        _strategy(start) if start is not None else plan_starts(),
        _strategy(years) if years is not None else st.integers(1, 5),
    )


__all__ = ["plan_starts", "plans", "station_counts"]
