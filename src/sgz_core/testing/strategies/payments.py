"""Recorded payments (PAY-1): payment values and sequences of requests to pay tranches."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from hypothesis import strategies as st

from sgz_core.enums import Milestone
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.testing.strategies._base import _cjk
from sgz_core.testing.strategies.codes import money


class PayRequest(NamedTuple):
    """A request to pay one tranche of one station-year on a day (what ``sgz pay`` is given)."""

    station: str
    year: int
    milestone: Milestone
    on: dt.date
    by: str


def _names() -> st.SearchStrategy[str]:
    return st.one_of(_cjk(2, 4), st.sampled_from(["李会计", "王出纳", "finance office"]))


def payments() -> st.SearchStrategy[Payment]:
    """Valid :class:`~sgz_core.payments.Payment` values (any station id, amount and day)."""
    return st.builds(
        Payment,
        station=st.sampled_from(["zhengning", "yanbin", "s-1"]),
        year=st.integers(1, 3),
        milestone=st.sampled_from(list(Milestone)),
        amount=money(),
        paid_on=st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
        by=_names(),
        reference=st.none()
        | st.text(  # a reference never holds NUL (Payment refuses it)
            st.characters(codec="utf-8", exclude_characters="\x00"),
            min_size=1,
            max_size=20,
        ).filter(str.strip),
        recorded_at=st.none()
        | st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2028, 12, 31)).map(
            lambda d: d.replace(microsecond=0, tzinfo=dt.UTC)
        ),
    )


def pay_requests(
    programme: Programme, *, max_size: int = 12, last: dt.date | None = None
) -> st.SearchStrategy[list[PayRequest]]:
    """Sequences of requests to pay the programme's tranches, on days from its start to
    ``last`` (default: four years after it), in any order: repeats, early and late ones."""
    keys = [(s.id, y.year) for s in programme.stations for y in s.years]
    if not keys:
        return st.just([])
    end = last or programme.start + dt.timedelta(days=4 * 366)
    # days of milestones (signing, evaluations) and just around them, so requests often land on
    # a due tranche, and any other day too
    near = sorted(
        {
            d + dt.timedelta(days=k)
            for s in programme.stations
            for y in s.years
            for d in ([y.signed] if y.signed else []) + [e.date for e in y.evaluations]
            for k in (-1, 0, 1, 40)
        }
    )
    days = st.dates(programme.start - dt.timedelta(days=30), end)
    if near:
        days = st.one_of(st.sampled_from(near), days)
    one = st.builds(
        lambda key, milestone, on, by: PayRequest(key[0], key[1], milestone, on, by),
        st.sampled_from(keys),
        st.sampled_from(list(Milestone)),
        days,
        _names(),
    )
    return st.lists(one, max_size=max_size)


__all__ = ["PayRequest", "pay_requests", "payments"]
