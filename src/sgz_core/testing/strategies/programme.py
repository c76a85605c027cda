"""Stations and whole programmes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.enums import (
    StaffRole,
)
from sgz_core.model import (
    Programme,
    Station,
)
from sgz_core.profiles import (
    DEFAULT_PROFILE_ID,
    Lot,
    Policy,
)
from sgz_core.testing.strategies._base import (
    DEFAULT_START,
    _cjk,
    _draw_shuffled,
    _draw_subset,
    _policy,
    _strategy,
    communities,
    streets,
)
from sgz_core.testing.strategies.codes import ids, uscc_codes
from sgz_core.testing.strategies.funding import _dates, _draw_year, hardship_relief
from sgz_core.testing.strategies.lifecycle import lifecycle_compliant
from sgz_core.testing.strategies.sites import _draw_premises, _draw_signage
from sgz_core.testing.strategies.staff import _draw_contractor, _draw_staff

# --- stations and programmes -----------------------------------------------------------------


def stations(
    *,
    contractor_ids: Sequence[str] | None = None,
    compliant: bool = False,
    policy: Policy | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    id: str | st.SearchStrategy[str] | None = None,
    lot: Lot | None = None,
    max_staff: int = 6,
    max_years: int = 3,
) -> st.SearchStrategy[Station]:
    """Stations whose contractor and staff employers are among ``contractor_ids``.

    ``contractor_ids`` default: one to three drawn ids. ``lot``: a :class:`~sgz_core.profiles.Lot`
    gives the lot number, street and communities. Up to ``max_years`` contract years with
    distinct numbers from 1 to 3 (to the policy's term if compliant), dated from ``start``
    (default 2024-07-01); up to ``max_staff`` staff (more if a compliant station needs them).

    ``compliant=True``: no station or year rule of ``policy`` (built-in Chengguan by default)
    finds anything: at least the minimum of resident social workers, all employed by the
    station's contractor, enough of them certified; dispatched workers certified or graduates;
    premises as :func:`premises`, signage as :func:`signage` and years as
    :func:`contract_years`, all with ``compliant=True``. The lifecycle of the term (TERM-1,
    PERF-1 … PERF-3) needs the programme's start: :func:`programmes` completes it.
    """
    if contractor_ids is not None and not contractor_ids:
        raise InvalidArgument("stations: contractor_ids must name at least one contractor")
    if max_staff < 0 or max_years < 0:
        raise InvalidArgument("stations: max_staff and max_years must be zero or more")
    return _stations(
        None if contractor_ids is None else tuple(contractor_ids),
        compliant,
        _policy(policy),
        st.just(DEFAULT_START) if start is None else _strategy(start),
        ids() if id is None else _strategy(id),
        lot,
        max_staff,
        max_years,
    )


@st.composite
def _stations(
    draw: st.DrawFn,
    contractor_ids: tuple[str, ...] | None,
    compliant: bool,
    policy: Policy,
    start: st.SearchStrategy[dt.date],
    station_id: st.SearchStrategy[str],
    lot: Lot | None,
    max_staff: int,
    max_years: int,
) -> Station:
    known = contractor_ids or tuple(draw(st.lists(ids(), min_size=1, max_size=3, unique=True)))
    return _draw_station(
        draw, known, compliant, policy, draw(start), draw(station_id), lot, max_staff, max_years
    )


def _draw_station(
    draw: st.DrawFn,
    known: tuple[str, ...],
    compliant: bool,
    policy: Policy,
    first_day: dt.date,
    station_id: str,
    lot: Lot | None,
    max_staff: int,
    max_years: int,
) -> Station:
    employers = st.sampled_from(known)
    contractor = draw(employers)
    if lot is not None:
        number: int | None = lot.lot
        street = lot.street
        served = list(lot.communities)
        if draw(st.booleans()):
            extra = draw(communities)
            served += [] if extra in served else [extra]
    else:
        number = draw(st.integers(1, 5)) if draw(st.booleans()) else None
        street = draw(streets)
        served = list(dict.fromkeys(draw(communities) for _ in range(draw(st.integers(0, 3)))))
    last_year = min(3, policy.term_years) if compliant else 3
    numbers = sorted(_draw_subset(draw, range(1, last_year + 1))[:max_years])
    years = [_draw_year(draw, n, first_day, compliant, policy) for n in numbers]
    if compliant:
        need = max(policy.min_resident_social_workers, policy.min_certified_resident_social_workers)
        residents = draw(st.integers(need, need + 2))
        certified = draw(st.integers(policy.min_certified_resident_social_workers, residents))
        staff = [
            _draw_staff(draw, contractor, StaffRole.RESIDENT, i < certified, None)
            for i in range(residents)
        ]
        staff += [
            _draw_staff(draw, draw(employers), StaffRole.DISPATCHED, None, True)
            for _ in range(draw(st.integers(0, 2)))
        ]
        return Station(
            id=station_id,
            street=street,
            contractor=contractor,
            lot=number,
            communities=served,
            premises=_draw_premises(draw, True, policy),
            signage=_draw_signage(draw, street, True, policy),
            staff=_draw_shuffled(draw, staff),
            years=years,
        )
    roles = st.sampled_from(StaffRole)
    return Station(
        id=station_id,
        street=street,
        contractor=contractor,
        lot=number,
        communities=served,
        premises=_draw_premises(draw, False, policy) if draw(st.booleans()) else None,
        signage=_draw_signage(draw, street, False, policy),
        staff=[
            _draw_staff(draw, draw(employers), draw(roles), None, None)
            for _ in range(draw(st.integers(0, max_staff)))
        ],
        years=years,
    )


def programmes(
    *,
    compliant: bool = False,
    policy: Policy | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    max_contractors: int = 3,
    max_stations: int = 3,
    profile_id: str = DEFAULT_PROFILE_ID,
) -> st.SearchStrategy[Programme]:
    """Programmes whose references hold: what ``programme_file.loads`` accepts.

    One to ``max_contractors`` contractors with distinct ids and valid ``52…`` credit codes;
    up to ``max_stations`` stations with distinct ids whose contractor and staff employers exist;
    per station distinct contract years from 1 to 3. ``start`` defaults to a day from 2000 to
    2060 (the built-in profile has values from 2000-01-01 on).

    ``compliant=True``: ``rules.check`` with a profile whose policy is ``policy`` on every day
    concerned (the built-in profile by default) finds nothing: one compliant station per lot of
    the policy, on its street and serving its communities, contractors registered by one of
    the policy's registration authorities, and every year of the term signed, evaluated in time
    and passed, with zero targets (:func:`lifecycle_compliant`: TERM-1, PERF-1 … PERF-3).
    """
    chosen = _policy(policy)
    if max_contractors < 1 or max_stations < 0:
        raise InvalidArgument("programmes: need max_contractors >= 1 and max_stations >= 0")
    authority = next((a for a in chosen.contractor_registration_authorities if a.isdigit()), None)
    if compliant and authority is None:
        raise InvalidArgument(
            "programmes: compliant=True needs a digit among the policy's registration authorities"
        )
    return _programmes(
        compliant,
        chosen,
        _dates() if start is None else _strategy(start),
        max_contractors,
        max_stations,
        profile_id,
        uscc_codes(prefix=(authority or "5") + "2"),
    )


@st.composite
def _programmes(
    draw: st.DrawFn,
    compliant: bool,
    policy: Policy,
    start: st.SearchStrategy[dt.date],
    max_contractors: int,
    max_stations: int,
    profile_id: str,
    codes: st.SearchStrategy[str],
) -> Programme:
    first_day = draw(start)
    contractor_ids = tuple(draw(st.lists(ids(), min_size=1, max_size=max_contractors, unique=True)))
    found = [_draw_contractor(draw, cid, codes) for cid in contractor_ids]
    lots: list[Lot | None]
    if compliant and policy.lots:
        lots = list(policy.lots)
    else:
        lots = [None] * draw(st.sampled_from(range(max_stations + 1)))  # integers() favour 0
    station_ids = draw(st.lists(ids(), min_size=len(lots), max_size=len(lots), unique=True))
    built = [
        _draw_station(draw, contractor_ids, compliant, policy, first_day, sid, lot, 6, 3)
        for sid, lot in zip(station_ids, lots, strict=True)
    ]
    relief_years = _draw_subset(draw, range(1, 4))
    relief = [
        draw(
            hardship_relief(
                year=n, within_cap=policy.hardship_fund_cap_share if compliant else None
            )
        )
        for n in relief_years
    ]
    programme = Programme(
        id=draw(ids()),
        name=draw(_cjk(2, 6)) + "街道社工站项目",
        start=first_day,
        profile=profile_id,
        contractors=found,
        stations=built,
        hardship_relief=relief,
    )
    return lifecycle_compliant(programme, policy) if compliant else programme


__all__ = [
    "programmes",
    "stations",
]
