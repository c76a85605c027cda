"""Premises and signage (SITE-1 … SITE-5, SIGN-1, SIGN-2)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.enums import (
    Equipment,
    Room,
    SharedFacility,
)
from sgz_core.model import (
    Premises,
    Signage,
    SquareMetres,
)
from sgz_core.profiles import (
    Policy,
)
from sgz_core.testing.strategies._base import (
    _cjk,
    _draw_shuffled,
    _draw_subset,
    _policy,
    _strategy,
    _tenths,
    streets,
)

# --- premises and signage --------------------------------------------------------------------


def premises(
    *, compliant: bool = False, policy: Policy | None = None
) -> st.SearchStrategy[Premises]:
    """Premises. ``compliant=True``: SITE-1 … SITE-5 of ``policy`` find nothing.

    That is: areas at least the policy's minimums, every required piece of equipment, only
    shared facilities that may count, and every advisory room (so not even SITE-5's notice).
    """
    return _premises(compliant, _policy(policy))


@st.composite
def _premises(draw: st.DrawFn, compliant: bool, policy: Policy) -> Premises:
    return _draw_premises(draw, compliant, policy)


def _draw_premises(draw: st.DrawFn, compliant: bool, policy: Policy) -> Premises:
    if compliant:
        activity_min, office_min = policy.min_activity_area_m2, policy.min_office_area_m2
        equipment = list(policy.required_equipment)
        equipment += _draw_subset(draw, [e for e in Equipment if e not in equipment])
        facilities = _draw_subset(draw, policy.shared_facilities)
        rooms = list(policy.advisory_rooms)
        rooms += _draw_subset(draw, [r for r in Room if r not in rooms])
    else:
        activity_min = office_min = Decimal(0)
        equipment = _draw_subset(draw, list(Equipment))
        facilities = _draw_subset(draw, list(SharedFacility))
        rooms = _draw_subset(draw, list(Room))
    return Premises(
        activity_area_m2=SquareMetres(draw(_tenths(activity_min, activity_min + 400))),
        office_area_m2=SquareMetres(draw(_tenths(office_min, office_min + 60))),
        equipment=_draw_shuffled(draw, equipment),
        shared_facilities=facilities,
        rooms=_draw_shuffled(draw, rooms),
    )


def signage(
    *,
    street: str | st.SearchStrategy[str] | None = None,
    compliant: bool = False,
    policy: Policy | None = None,
) -> st.SearchStrategy[Signage]:
    """Signage for a station on ``street``. ``compliant=True``: SIGN-1 and SIGN-2 find nothing.

    Plaque texts come from the policy's templates (``兰州市城关区{street}社会工作服务站`` …), so
    ``compliant=True`` needs ``street``; otherwise a mix of right and made-up plaques.
    """
    if compliant and street is None:
        raise InvalidArgument("signage: compliant=True needs the station's street")
    return _signage(streets if street is None else _strategy(street), compliant, _policy(policy))


@st.composite
def _signage(
    draw: st.DrawFn, street: st.SearchStrategy[str], compliant: bool, policy: Policy
) -> Signage:
    return _draw_signage(draw, draw(street), compliant, policy)


def _draw_signage(draw: st.DrawFn, street: str, compliant: bool, policy: Policy) -> Signage:
    required = list(policy.plaques(street))
    extra = [draw(_cjk(4, 12))] if draw(st.booleans()) else []
    if compliant:
        logo = True if policy.logo_required else draw(st.booleans())
        plaques = required + extra
    else:
        logo = draw(st.booleans())
        plaques = _draw_subset(draw, required) + extra
    return Signage(logo=logo, plaques=_draw_shuffled(draw, plaques))


__all__ = [
    "premises",
    "signage",
]
