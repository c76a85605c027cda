"""Counting (per station, contract year and domain): one pass, and additive."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import profiles, programme_file
from sgz_core.casework import counting
from sgz_core.casework.counting import (
    EMPTY,
    Counts,
    Key,
    Tally,
    categories_by_person,
    contract_year,
    count_cases,
    count_programme,
    count_records,
    count_referrals,
    fold_ledger,
    year_limits,
)
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import ReferralStatus, ServiceType
from sgz_core.enums import Method, ServiceDomain
from sgz_core.model import Programme
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
START = dt.date(2024, 7, 1)
PEOPLE = [f"b{i}" for i in range(6)]
CATEGORIES = {
    p: (("elderly_alone",) if i % 2 else ("orphan", "left_behind_child"))
    for i, p in enumerate(PEOPLE)
}


def load_example() -> Programme:
    return programme_file.loads(
        (ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml"
    )


def test_contract_years_come_from_the_programme_start() -> None:
    assert contract_year(START, START) == 1
    assert contract_year(START, dt.date(2025, 6, 30)) == 1
    assert contract_year(START, dt.date(2025, 7, 1)) == 2
    assert contract_year(START, dt.date(2024, 6, 30)) == 0
    leap = dt.date(2024, 2, 29)
    assert contract_year(leap, dt.date(2025, 2, 27)) == 1
    assert contract_year(leap, dt.date(2025, 2, 28)) == 2


def test_the_example_week_in_numbers() -> None:
    example = load_example()
    on = dt.date(2025, 11, 24)
    counts = count_programme(example, profiles.builtin().at(on), on).select(
        station="zhengning", year=2
    )
    total = counts.total()
    assert total.people == 6
    assert total.people_by_category()["minimum_allowance"] == 2
    assert total.records == 13 and total.hours == Decimal(16)
    assert total.administrative_records == 1 and total.administrative_hours == 3
    assert (total.cases_opened, total.cases_closed) == (2, 1)
    assert total.referrals == {
        ReferralStatus.DONE: 1,
        ReferralStatus.REJECTED: 1,
        ReferralStatus.IN_PROGRESS: 1,
    }
    assert total.volunteer_hours == 12 and total.volunteers == 6
    assert (total.visits_done, total.visits_due) == (6, 16)
    elderly = counts.cells[Key("zhengning", 2, ServiceDomain.ELDERLY)]
    assert (elderly.visits_done, elderly.visits_due) == (3, 11)
    year_one = (
        count_programme(example, profiles.builtin().at(on), on)
        .select(station="zhengning", year=1)
        .total()
    )
    assert (year_one.cases_opened, year_one.cases_closed) == (3, 1)
    assert year_one.cases_opened + total.cases_opened == len(
        [c for c in example.cases if c.station == "zhengning"]
    )


def test_counting_stops_at_the_day_given() -> None:
    example = load_example()
    early = count_records(example.records, example.start, until=dt.date(2025, 11, 17)).total()
    assert early.records == 7  # five earlier visits (one at yanbin) and the first two of the week
    assert count_cases(example.cases, example.start, until=dt.date(2024, 1, 1)).cells == {}
    assert count_referrals(
        example.referrals, example.start, until=dt.date(2025, 10, 1)
    ).total().referrals == {ReferralStatus.REJECTED: 1}


def test_a_person_served_twice_is_one_person_and_reopening_is_counted() -> None:
    a = ServiceRecord(
        dt.date(2025, 1, 1),
        "s1",
        "王芳",
        ServiceDomain.ELDERLY,
        Method.CASEWORK,
        ServiceType.VISIT,
        Decimal(1),
        beneficiaries=("b1",),
    )
    counts = count_records([a, a], START, CATEGORIES) + count_records([a], START, CATEGORIES)
    assert counts.total().people == 1 and counts.total().records == 3
    assert counts + Counts() == counts and Tally() + EMPTY == Tally()


# --- property: counting is additive ---------------------------------------------------------


records_strategy = st.lists(
    s.service_records(
        station=st.sampled_from(["s1", "s2"]),
        beneficiaries=PEOPLE,
        first=dt.date(2024, 1, 1),
        last=dt.date(2027, 12, 31),
    ),
    max_size=25,
)


@given(records=records_strategy, cuts=st.lists(st.integers(0, 25), max_size=3))
def test_counts_of_a_union_equal_the_sum_of_the_counts_of_its_parts(
    records: list[ServiceRecord], cuts: list[int]
) -> None:
    bounds = sorted({0, len(records), *(min(c, len(records)) for c in cuts)})
    parts = [records[a:b] for a, b in itertools.pairwise(bounds)]
    whole = count_records(records, START, CATEGORIES)
    summed = Counts()
    for part in parts:
        summed = summed + count_records(part, START, CATEGORIES)
    assert summed == whole
    # and in any order of adding
    reverse = Counts()
    for part in reversed(parts):
        reverse = count_records(part, START, CATEGORIES) + reverse
    assert reverse == whole


@given(programme=s.casework_programmes(), data=st.data())
def test_cases_and_referrals_count_additively_too(
    programme: Programme, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(programme.cases)))
    assert count_cases(programme.cases, programme.start) == (
        count_cases(programme.cases[:cut], programme.start)
        + count_cases(programme.cases[cut:], programme.start)
    )
    cut = data.draw(st.integers(0, len(programme.referrals)))
    assert count_referrals(programme.referrals, programme.start) == (
        count_referrals(programme.referrals[:cut], programme.start)
        + count_referrals(programme.referrals[cut:], programme.start)
    )
    served = count_records(
        programme.records, programme.start, categories_by_person(programme.beneficiaries)
    )
    assert served.total().records == sum(1 for r in programme.records if not r.administrative)


def test_counting_is_a_stream() -> None:
    """One pass over a generator of many records, no list kept of them."""
    day = dt.date(2025, 1, 1)

    def many() -> object:
        for i in range(20_000):
            yield ServiceRecord(
                day + dt.timedelta(days=i % 700),
                f"s{i % 3}",
                "王芳",
                ServiceDomain.ELDERLY,
                Method.CASEWORK,
                ServiceType.VISIT,
                Decimal("0.5"),
                beneficiaries=(f"b{i % 500}",),
            )

    total = count_records(many(), START).total()  # type: ignore[arg-type]
    assert total.records == 20_000 and total.people == 500 and total.hours == 10_000


# --- the fold a database adapter uses (Storage.ledger_counts) ------------------------------------


def _grouped_like_sql(
    records: list[ServiceRecord], start: dt.date
) -> tuple[list[tuple], list[tuple]]:
    """What the two ledger queries return for ``records``, computed here row by row."""
    totals: dict[tuple, list[int]] = {}
    served: set[tuple] = set()
    for r in records:
        year = contract_year(start, r.date)
        key = (
            r.station,
            year,
            r.domain.value,
            r.method.value,
            r.service.value,
            r.administrative,
            str(r.hours),
            str(r.volunteer_hours),
        )
        acc = totals.setdefault(key, [0, 0, 0, 0])
        acc[0] += 1
        acc[1] += r.participants
        acc[2] += r.volunteers
        acc[3] += len(r.beneficiaries)
        if not r.administrative:
            served |= {(r.station, year, r.domain.value, b) for b in r.beneficiaries}
    return [(*k, *v) for k, v in totals.items()], sorted(served)


_many_records = st.lists(
    s.service_records(
        station=st.sampled_from(["s1", "s2"]),
        worker="王芳",
        beneficiaries=PEOPLE,
        first=dt.date(2023, 1, 1),
        last=dt.date(2027, 12, 31),
    ),
    max_size=40,
)


@given(_many_records)
def test_the_database_fold_equals_counting_the_records(records: list[ServiceRecord]) -> None:
    totals, served = _grouped_like_sql(records, START)
    assert fold_ledger(totals, served, CATEGORIES) == count_records(records, START, CATEGORIES)


# The fold as it was before issue 12 made it faster (a Key and a Decimal per row, _Acc's
# helpers): the reference the new fold must equal, to the Decimal exponents of its sums.
def reference_fold(
    totals: Iterable[Sequence[Any]],
    served: Iterable[Sequence[Any]],
    categories_of: Mapping[str, tuple[str, ...]] | None = None,
) -> Counts:
    """:class:`Counts` from the rows of the two ledger queries (see :data:`LEDGER_TOTALS` and
    :data:`LEDGER_SERVED`); equal to :func:`count_records` over the same records."""
    lookup = categories_of or {}
    cells: dict[Key, dict[str, Any]] = {}
    domains = {d.value: d for d in ServiceDomain}
    methods = {m.value: m for m in Method}

    def cell(station: str, year: Any, domain: str) -> dict[str, Any]:
        key = Key(station, int(year), domains[domain])
        found = cells.get(key)
        if found is None:
            found = cells[key] = {}
        return found

    for (
        station,
        year,
        domain,
        method,
        service,
        administrative,
        hours,
        volunteer_hours,
        records,
        participants,
        volunteers,
        people,
    ) in totals:
        c = cell(station, year, domain)
        records = int(records)
        volunteers = int(volunteers or 0)
        volunteer_total = Decimal(volunteer_hours or 0) * records
        if volunteers or volunteer_total:
            counting._Acc.add(c, "volunteers", volunteers)
            counting._Acc.add(c, "volunteer_hours", volunteer_total)
        hour_total = Decimal(hours) * records
        if administrative:
            counting._Acc.add(c, "administrative_records", records)
            counting._Acc.add(c, "administrative_hours", hour_total)
            continue
        counting._Acc.add(c, "records", records)
        counting._Acc.add(c, "hours", hour_total)
        counting._Acc.bump(c, "by_method", methods[method], records)
        counting._Acc.bump(c, "by_service", service, records)
        if participants:
            counting._Acc.add(c, "participants", int(participants))
        if service == ServiceType.VISIT.value:
            counting._Acc.add(c, "visits_done", int(people or 0))
    for station, year, domain, person in served:
        counting._Acc.person(cell(station, year, domain), person, lookup.get(person, ()))
    return counting._freeze(cells)


def _exact(counts: Counts) -> dict[Key, dict[str, object]]:
    """Every field of every cell, Decimals as their text (``3.0`` is not ``3.00``)."""
    return {
        k: {f: str(v) if isinstance(v, Decimal) else v for f, v in attrs.asdict(t).items()}
        for k, t in counts.cells.items()
    }


@given(_many_records, st.booleans())
def test_the_fold_equals_the_fold_before_issue_12_exactly(
    records: list[ServiceRecord], no_volunteer_hours: bool
) -> None:
    totals, served = _grouped_like_sql(records, START)
    if no_volunteer_hours:  # a NULL volunteer_hours column, as a server may give it
        totals = [(*row[:7], None, *row[8:]) for row in totals]
    new = fold_ledger(iter(totals), iter(served), CATEGORIES)
    assert _exact(new) == _exact(reference_fold(totals, served, CATEGORIES))


def test_rows_spelling_one_cell_two_ways_are_one_cell() -> None:
    row = ("s1", 1, "elderly", "casework", "visit", False, "1.5", "0", 2, 0, 0, 1)
    again = ("s1", Decimal(1), "elderly", "casework", "visit", False, "0.5", "0", 1, 3, 0, 1)
    served = [("s1", 1, "elderly", "b1"), ("s1", 1.0, "elderly", "b2")]
    new = fold_ledger([row, again], served)
    assert _exact(new) == _exact(reference_fold([row, again], served))
    assert list(new.cells) == [Key("s1", 1, ServiceDomain.ELDERLY)]


@given(
    st.dates(dt.date(1990, 1, 1), dt.date(2050, 12, 31)),
    st.dates(dt.date(1990, 1, 1), dt.date(2050, 12, 31)),
    st.data(),
)
def test_year_limits_give_the_contract_year_of_every_day(
    start: dt.date, first: dt.date, data: st.DataObject
) -> None:
    last = data.draw(st.dates(first, min(first + dt.timedelta(days=4000), dt.date(2060, 1, 1))))
    day = data.draw(st.dates(first, last))
    last_year, limits = year_limits(start, first, last)
    case = next((year for year, limit in limits if day < limit), last_year)  # what the CASE does
    assert case == contract_year(start, day)
