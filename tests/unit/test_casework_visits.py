"""Visit schedules (DOM-2, DOM-3): next-due and overdue visits, checked against a day-by-day reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.casework.beneficiaries import Beneficiary, category_table
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.visits import (
    VisitDue,
    VisitInterval,
    VisitOverdue,
    add_months,
    due_dates,
    last_visits,
    visit_events,
    visit_plan,
)
from sgz_core.casework.vocabulary import Consent, IntervalUnit, ServiceType
from sgz_core.enums import Method, ServiceDomain
from sgz_core.testing import strategies as s

POLICY = profiles.builtin().at(dt.date(2025, 1, 1))
TABLE = category_table(POLICY.beneficiary_categories)
MONTHLY = VisitInterval(1, ServiceDomain.ELDERLY)
ONE_DAY = dt.timedelta(days=1)


def person(
    registered: dt.date, categories: tuple[str, ...] = ("elderly_alone",), **changes: object
) -> Beneficiary:
    return Beneficiary(
        "b1", "张桂兰", "s1", registered=registered, categories=categories, **changes
    )  # type: ignore[arg-type]


def visit(
    day: dt.date,
    *people: str,
    service: ServiceType = ServiceType.VISIT,
    administrative: bool = False,
) -> ServiceRecord:
    return ServiceRecord(
        day,
        "s1",
        "王芳",
        ServiceDomain.ELDERLY,
        Method.CASEWORK,
        service,
        Decimal(1),
        beneficiaries=people or ("b1",),
        administrative=administrative,
    )


def events(
    b: Beneficiary,
    records: list[ServiceRecord],
    on: dt.date,
    soon: int = 7,
    intervals: dict[str, VisitInterval] | None = None,
) -> list[VisitOverdue | VisitDue]:
    return list(visit_events([b], records, intervals or POLICY.visit_intervals, TABLE, on, soon))


def test_chengguan_visits_the_elderly_and_children_monthly_by_default() -> None:
    param = profiles.builtin().parameter("visit_intervals")
    assert param.local_practice
    intervals = POLICY.visit_intervals
    for category in (
        "elderly_alone",
        "elderly_special_hardship",
        "disabled_elderly",
        "de_facto_unsupported_child",
        "orphan",
        "child_in_distress",
    ):
        assert intervals[category].every == 1 and intervals[category].unit is IntervalUnit.MONTH
    assert intervals["elderly_alone"].domain is ServiceDomain.ELDERLY
    assert intervals["orphan"].domain is ServiceDomain.CHILD_WELFARE
    assert "minimum_allowance" not in intervals


def test_months_are_counted_from_the_anchor_and_clamped_at_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(9999, 12, 1), 1) == dt.date.max
    assert MONTHLY.after(dt.date(2025, 1, 31), 2) == dt.date(2025, 3, 31)
    assert VisitInterval(2, ServiceDomain.ELDERLY, IntervalUnit.WEEK).after(
        dt.date(2025, 1, 1)
    ) == dt.date(2025, 1, 15)


def test_never_visited_is_due_one_interval_after_registration() -> None:
    b = person(dt.date(2025, 10, 20))
    assert events(b, [], dt.date(2025, 11, 12)) == []
    due = events(b, [], dt.date(2025, 11, 13))
    assert due == [
        VisitDue(
            "b1",
            "s1",
            "elderly_alone",
            ServiceDomain.ELDERLY,
            dt.date(2025, 11, 20),
            None,
            7,
            dt.date(2025, 11, 13),
        )
    ]
    assert isinstance(events(b, [], dt.date(2025, 11, 20))[0], VisitDue)
    overdue = events(b, [], dt.date(2025, 11, 24))
    assert overdue == [
        VisitOverdue(
            "b1",
            "s1",
            "elderly_alone",
            ServiceDomain.ELDERLY,
            dt.date(2025, 11, 20),
            None,
            4,
            dt.date(2025, 11, 24),
        )
    ]


def test_the_latest_visit_on_or_before_the_day_resets_the_schedule() -> None:
    b = person(dt.date(2025, 1, 10))
    records = [visit(dt.date(2025, 10, 9)), visit(dt.date(2025, 11, 30))]
    [event] = events(b, records, dt.date(2025, 11, 24))
    assert (
        isinstance(event, VisitOverdue)
        and event.due == dt.date(2025, 11, 9)
        and event.days_overdue == 15
    )
    assert event.last_visit == dt.date(2025, 10, 9)
    assert events(b, records, dt.date(2025, 11, 30)) == []


def test_only_real_visits_count() -> None:
    b = person(dt.date(2025, 1, 10))
    not_visits = [
        visit(dt.date(2025, 11, 20), service=ServiceType.EMOTIONAL_SUPPORT),
        visit(dt.date(2025, 11, 21), administrative=True),
        visit(dt.date(2025, 11, 22), "someone-else"),
    ]
    assert last_visits(not_visits, dt.date(2025, 12, 1)) == {"someone-else": dt.date(2025, 11, 22)}
    assert isinstance(events(b, not_visits, dt.date(2025, 11, 24))[0], VisitOverdue)


def test_no_schedule_without_registration_category_consent_or_after_leaving() -> None:
    on = dt.date(2025, 11, 24)
    assert events(person(dt.date(2025, 1, 1), ("minimum_allowance",)), [], on) == []
    assert events(Beneficiary("b1", "x", "s1", categories=("elderly_alone",)), [], on) == []
    assert events(person(dt.date(2025, 1, 1), consent=Consent.WITHDRAWN), [], on) == []
    assert events(person(dt.date(2025, 1, 1), until=on), [], on) == []
    assert events(person(dt.date(2026, 1, 1)), [], on) == []


def test_the_most_frequent_interval_wins() -> None:
    intervals = {
        "elderly_alone": MONTHLY,
        "minimum_allowance": VisitInterval(2, ServiceDomain.SOCIAL_ASSISTANCE, IntervalUnit.WEEK),
    }
    plan = visit_plan(("elderly_alone", "minimum_allowance"), intervals, TABLE)
    assert plan is not None and plan[0] == "minimum_allowance"
    equal = {"elderly_alone": MONTHLY, "disabled_elderly": MONTHLY}
    plan = visit_plan(("elderly_alone", "disabled_elderly"), equal, TABLE)
    assert plan is not None and plan[0] == "disabled_elderly"  # the higher priority


def test_due_dates_are_whole_intervals_from_registration() -> None:
    b = person(dt.date(2025, 1, 31), until=dt.date(2025, 6, 1))
    days = list(due_dates(b, MONTHLY, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert days == [
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 31),
    ]
    assert list(due_dates(b, MONTHLY, dt.date(2025, 4, 1), dt.date(2025, 4, 30))) == [
        dt.date(2025, 4, 30)
    ]
    long_ago = person(dt.date(1990, 1, 1))
    daily = VisitInterval(1, ServiceDomain.ELDERLY, IntervalUnit.DAY)
    assert len(list(due_dates(long_ago, daily, dt.date(2025, 1, 1), dt.date(2025, 1, 31)))) == 31


# --- property: agreement with a brute-force, day-by-day reference ------------------------------


def reference(
    registered: dt.date, visits: list[dt.date], interval: VisitInterval, on: dt.date, soon: int
) -> tuple[str, dt.date] | None:
    """Walk day by day: a day is covered when some anchor (registration or a visit by ``on``) is at
    most one interval before it. Overdue: ``on`` is not covered; due soon: a day within the window
    after ``on`` is not covered."""
    anchors = [registered, *(v for v in visits if v <= on)]

    def covered(day: dt.date) -> bool:
        return any(a <= day <= interval.after(a) for a in anchors)

    day = on
    if covered(on):
        while covered(day + ONE_DAY):
            day += ONE_DAY
        if any(not covered(on + dt.timedelta(days=k)) for k in range(1, soon + 2)):
            return ("due", day)
        return None
    while not covered(day):
        day -= ONE_DAY
    return ("overdue", day)


@given(
    registered=st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
    offsets=st.lists(st.integers(-40, 400), max_size=8),
    on_offset=st.integers(0, 450),
    interval=s.visit_intervals(),
    soon=st.integers(0, 14),
)
def test_overdue_detection_agrees_with_a_day_by_day_reference(
    registered: dt.date, offsets: list[int], on_offset: int, interval: VisitInterval, soon: int
) -> None:
    visits = [registered + dt.timedelta(days=k) for k in offsets]
    on = registered + dt.timedelta(days=on_offset)
    b = person(registered)
    found = events(b, [visit(v) for v in visits], on, soon, {"elderly_alone": interval})
    expected = reference(registered, visits, interval, on, soon)
    if expected is None:
        assert found == []
        return
    [event] = found
    kind, due = expected
    assert event.due == due
    if kind == "overdue":
        assert isinstance(event, VisitOverdue) and event.days_overdue == (on - due).days > 0
    else:
        assert isinstance(event, VisitDue) and 0 <= event.days_left == (due - on).days <= soon
