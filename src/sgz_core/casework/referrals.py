"""Referrals (转介): helping a beneficiary apply for assistance (DOM-1 "8+1", DOM-5 two subsidies).

A referral names the assistance (:class:`~sgz_core.enums.AssistanceKind`: the eight kinds of
Decree 649, "+1" participation of social forces, the disability living and nursing subsidies),
the department that decides, and its status. ``done`` requires an outcome; ``rejected`` requires
a reason. Status moves forward only: in progress → accepted → done, and from either of those
to rejected or withdrawn; rejected, withdrawn and done are final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from sgz_core.casework._fields import problem
from sgz_core.casework.vocabulary import ReferralStatus, referral_domain
from sgz_core.enums import AssistanceKind, ServiceDomain
from sgz_core.errors import InvalidInput
from sgz_core.values import to_date, to_enum

R = ReferralStatus

STATUS_MOVES: Mapping[ReferralStatus, tuple[ReferralStatus, ...]] = {
    R.IN_PROGRESS: (R.ACCEPTED, R.REJECTED, R.WITHDRAWN, R.DONE),
    R.ACCEPTED: (R.REJECTED, R.WITHDRAWN, R.DONE),
    R.REJECTED: (),
    R.WITHDRAWN: (),
    R.DONE: (),
}


def _referral_kind(value: object) -> AssistanceKind:
    return value if type(value) is AssistanceKind else to_enum(AssistanceKind, value, "kind")


def _referral_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


def _referral_status(value: object) -> ReferralStatus:
    return value if type(value) is ReferralStatus else to_enum(ReferralStatus, value, "status")


def _referral_updated(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "updated")


@attrs.frozen
class Referral:
    """A referral of one beneficiary to one assistance programme."""

    id: str
    station: str
    beneficiary: str
    kind: AssistanceKind = attrs.field(converter=_referral_kind)
    date: dt.date = attrs.field(converter=_referral_date)
    """The day the referral was made."""
    status: ReferralStatus = attrs.field(
        default=ReferralStatus.IN_PROGRESS, converter=_referral_status
    )
    updated: dt.date | None = attrs.field(default=None, converter=_referral_updated)
    """The day the status last changed; absent: ``date``."""
    department: str = ""
    """Who decides: civil affairs, or another department for the "8+1" policies."""
    case: str | None = None
    worker: str = ""
    outcome: str = ""
    """What was granted (required when done)."""
    reason: str = ""
    """Why it was refused (required when rejected)."""

    def __attrs_post_init__(self) -> None:
        if self.status is R.DONE and not self.outcome.strip():
            raise problem("outcome", "a referral that is done needs an outcome (what was granted)")
        if self.status is R.REJECTED and not self.reason.strip():
            raise problem("reason", "a rejected referral needs the reason it was refused")
        if self.updated is not None and self.updated < self.date:
            raise problem(
                "updated", f"expected a day on or after the referral ({self.date.isoformat()})"
            )

    @property
    def domain(self) -> ServiceDomain:
        return referral_domain(self.kind)

    @property
    def status_date(self) -> dt.date:
        return self.updated or self.date

    @property
    def is_open(self) -> bool:
        return not self.status.final

    def advance(
        self, status: ReferralStatus, on: dt.date, *, outcome: str = "", reason: str = ""
    ) -> Referral:
        """This referral with a new status on ``on``; refuses moves back or out of a final status."""
        if status not in STATUS_MOVES[self.status]:
            allowed = (
                " | ".join(s.value for s in STATUS_MOVES[self.status]) or "nothing (it is final)"
            )
            raise InvalidInput(
                f"referral {self.id!r} cannot go from {self.status.value} to {status.value}; expected {allowed}"
            )
        if on < self.status_date:
            raise InvalidInput(f"referral {self.id!r}: {on.isoformat()} is before its last change")
        return attrs.evolve(
            self,
            status=status,
            updated=on,
            outcome=outcome or self.outcome,
            reason=reason or self.reason,
        )


__all__ = [
    "STATUS_MOVES",
    "Referral",
]
