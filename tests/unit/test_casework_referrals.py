"""Referrals (DOM-1 "8+1", DOM-5): done needs an outcome, rejected a reason; status moves forward."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from sgz_core.casework.referrals import STATUS_MOVES, Referral
from sgz_core.casework.vocabulary import ReferralStatus
from sgz_core.enums import AssistanceKind, ServiceDomain
from sgz_core.errors import InvalidInput
from sgz_core.testing import strategies as s

R = ReferralStatus
DAY = dt.date(2025, 10, 16)


def referral(**changes: object) -> Referral:
    fields: dict[str, object] = {
        "id": "r1",
        "station": "s1",
        "beneficiary": "b1",
        "kind": AssistanceKind.MEDICAL,
        "date": DAY,
    }
    fields.update(changes)
    return Referral(**fields)  # type: ignore[arg-type]


def test_done_requires_an_outcome_and_rejected_a_reason() -> None:
    with pytest.raises(InvalidInput) as exc:
        referral(status=R.DONE)
    assert exc.value.problems[0].path == "outcome"
    with pytest.raises(InvalidInput) as exc:
        referral(status=R.REJECTED, reason="  ")
    assert exc.value.problems[0].path == "reason"
    assert referral(status=R.DONE, outcome="3200 元").status is R.DONE
    assert referral(status=R.REJECTED, reason="收入超标").status is R.REJECTED
    with pytest.raises(InvalidInput) as exc:
        referral(updated=DAY - dt.timedelta(days=1))
    assert exc.value.problems[0].path == "updated"


def test_status_moves_forward_only() -> None:
    r = referral()
    accepted = r.advance(R.ACCEPTED, DAY + dt.timedelta(days=3))
    assert accepted.is_open and accepted.status_date == DAY + dt.timedelta(days=3)
    done = accepted.advance(R.DONE, DAY + dt.timedelta(days=30), outcome="已到账")
    assert not done.is_open and done.outcome == "已到账"
    with pytest.raises(InvalidInput, match="it is final"):
        done.advance(R.IN_PROGRESS, DAY + dt.timedelta(days=31))
    with pytest.raises(InvalidInput, match="needs an outcome"):
        r.advance(R.DONE, DAY)
    with pytest.raises(InvalidInput, match="needs the reason"):
        r.advance(R.REJECTED, DAY)
    with pytest.raises(InvalidInput, match="before its last change"):
        accepted.advance(R.WITHDRAWN, DAY)
    with pytest.raises(InvalidInput, match="cannot go from accepted to in_progress"):
        accepted.advance(R.IN_PROGRESS, DAY + dt.timedelta(days=5))


def test_the_two_subsidies_count_under_dom_5_the_rest_under_dom_1() -> None:
    assert (
        referral(kind=AssistanceKind.DISABILITY_NURSING).domain is ServiceDomain.OTHER_CIVIL_AFFAIRS
    )
    assert (
        referral(kind=AssistanceKind.DISABILITY_LIVING).domain is ServiceDomain.OTHER_CIVIL_AFFAIRS
    )
    for kind in AssistanceKind:
        if not kind.value.startswith("disability"):
            assert referral(kind=kind).domain is ServiceDomain.SOCIAL_ASSISTANCE


def test_final_statuses_have_no_moves() -> None:
    assert {st for st, moves in STATUS_MOVES.items() if not moves} == {s for s in R if s.final}


@given(r=s.referrals())
def test_generated_referrals_satisfy_the_status_rules(r: Referral) -> None:
    assert r.status is not R.DONE or r.outcome
    assert r.status is not R.REJECTED or r.reason
