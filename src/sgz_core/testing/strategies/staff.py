"""Contractors and staff (STAFF-1 … STAFF-4, FUND-9)."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.enums import (
    Qualification,
    StaffRole,
)
from sgz_core.model import (
    Contractor,
    StaffMember,
)
from sgz_core.testing.strategies._base import _cjk, _strategy, person_names
from sgz_core.testing.strategies.codes import ids, uscc_codes

# --- contractors and staff -------------------------------------------------------------------


def contractors(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    valid: bool = True,
    prefix: str = "52",
) -> st.SearchStrategy[Contractor]:
    """Contractors (承接机构) with a credit code from :func:`uscc_codes` (``valid``, ``prefix``)."""
    codes = uscc_codes(valid=valid, prefix=prefix)
    return _contractors(ids() if id is None else _strategy(id), codes)


@st.composite
def _contractors(
    draw: st.DrawFn, id_: st.SearchStrategy[str], codes: st.SearchStrategy[str]
) -> Contractor:
    return _draw_contractor(draw, draw(id_), codes)


def _draw_contractor(draw: st.DrawFn, id_: str, codes: st.SearchStrategy[str]) -> Contractor:
    return Contractor(id=id_, name=f"兰州市{draw(_cjk(2, 4))}社会工作服务中心", uscc=draw(codes))


_CERTIFIED = tuple(q for q in Qualification if q.certified)


def staff_members(
    *,
    employer: str | st.SearchStrategy[str] | None = None,
    role: StaffRole | st.SearchStrategy[StaffRole] | None = None,
    certified: bool | None = None,
    qualified: bool | None = None,
) -> st.SearchStrategy[StaffMember]:
    """Social workers. ``None`` means any.

    ``employer``: a contractor id (default: any id). ``certified``: holds a qualification
    (STAFF-2). ``qualified``: certified or a social-work graduate, what STAFF-4 asks of a
    dispatched worker; ``qualified=False`` gives neither.
    """
    if certified is True and qualified is False:
        raise InvalidArgument("staff_members: a certified worker is always qualified")
    return _staff_members(
        ids() if employer is None else _strategy(employer),
        st.sampled_from(StaffRole) if role is None else _strategy(role),
        certified,
        qualified,
    )


@st.composite
def _staff_members(
    draw: st.DrawFn,
    employer: st.SearchStrategy[str],
    role: st.SearchStrategy[StaffRole],
    certified: bool | None,
    qualified: bool | None,
) -> StaffMember:
    return _draw_staff(draw, draw(employer), draw(role), certified, qualified)


def _draw_staff(
    draw: st.DrawFn, employer: str, role: StaffRole, certified: bool | None, qualified: bool | None
) -> StaffMember:
    if qualified is False or certified is False:
        qualification = Qualification.NONE
    elif certified:
        qualification = draw(st.sampled_from(_CERTIFIED))
    else:
        qualification = draw(st.sampled_from(Qualification))
    if qualified is False:
        degree = False
    elif qualified is True and not qualification.certified:
        degree = True
    else:
        degree = draw(st.booleans())
    return StaffMember(
        name=draw(person_names),
        role=role,
        employer=employer,
        qualification=qualification,
        social_work_degree=degree,
    )


__all__ = [
    "contractors",
    "staff_members",
]
