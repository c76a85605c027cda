"""Counting: the numbers a station's work is judged by, per station, contract year and domain.

People served by category, cases opened and closed, service hours, visits done against visits
due, referrals by status, volunteer hours, and the five-party linkage figures. Every function
is one pass over its items with dictionary lookups (no sorting, no pairwise steps), so it runs
over millions of records as a stream.

Counts are additive: :class:`Counts` has ``+``, and the counts of a union of disjoint record
sets equal the sum of the counts of the parts. People served are kept as sets of beneficiary
ids, so adding two counts unites them and a person served in both parts is counted once.

SCOPE-2: administrative records are counted apart (``administrative_records``/``_hours``) and
never as service: not in ``records``, ``hours``, ``served`` or ``visits_done``.

The contract year of a day comes from the programme's ``start`` (year 1 is its first twelve
months); a day before the start falls in year 0 or earlier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from sgz_core.casework.beneficiaries import Beneficiary
from sgz_core.casework.cases import Case
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.linkage import (
    CharitableResource,
    DeliberationMeeting,
    Organisation,
    Publicity,
    Training,
)
from sgz_core.casework.referrals import Referral
from sgz_core.casework.visits import VisitInterval, due_dates, visit_plan
from sgz_core.casework.vocabulary import (
    CaseStage,
    Medium,
    OrganisationKind,
    OrganisationStage,
    ReferralStatus,
    ResourceKind,
    ServiceType,
)
from sgz_core.categories import Category
from sgz_core.enums import Method, ServiceDomain
from sgz_core.model import add_years
from sgz_core.values import to_enum

if TYPE_CHECKING:
    from sgz_core.model import Programme
    from sgz_core.profiles import Policy


def contract_year(start: dt.date, day: dt.date) -> int:
    """The contract year ``day`` falls in, year 1 starting on ``start`` (PROF-1, TERM-1)."""
    years = day.year - start.year
    if day < add_years(start, years):
        years -= 1
    return years + 1


def _key_domain(value: object) -> ServiceDomain:
    return value if type(value) is ServiceDomain else to_enum(ServiceDomain, value, "domain")


@attrs.frozen
class Key:
    """Where a count belongs: station, contract year, domain."""

    station: str
    year: int
    domain: ServiceDomain = attrs.field(converter=_key_domain)

    def sort_key(self) -> tuple[str, int, int]:
        return (self.station, self.year, list(ServiceDomain).index(self.domain))


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, frozenset | set):
        return a | b if b else a
    if isinstance(a, Mapping):
        if not b:
            return a
        out = dict(a)
        for k, v in b.items():
            out[k] = _merge(out[k], v) if k in out else v
        return out
    return a + b


def _thawed(value: Any) -> Any:
    """A mutable copy of a tally's value (sets and mappings, nested), to add into in place."""
    if isinstance(value, frozenset | set):
        return set(value)
    if isinstance(value, Mapping):
        return {k: _thawed(v) for k, v in value.items()}
    return value


def _absorb(into: dict[Any, Any], key: Any, value: Any) -> None:
    """``into[key] = _merge(into[key], value)``, in place: sets are updated and mappings added
    into key by key rather than copied, so folding many tallies costs their size, not the
    size of the running total at every step."""
    if key not in into:
        into[key] = _thawed(value)
        return
    current = into[key]
    if isinstance(current, set):
        current.update(value)
    elif isinstance(current, dict):
        for k, v in value.items():
            _absorb(current, k, v)
    else:
        into[key] = current + value


def _frozen(value: Any) -> Any:
    if isinstance(value, set):
        return frozenset(value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


_NONE: Mapping[Any, Any] = MappingProxyType({})
"""The empty mapping every tally without such counts shares (a national count has some
90,000 cells, most with nothing in four of their six mappings; issue 12)."""


@attrs.frozen
class Tally:
    """The counts of one cell (or of a whole selection, see :meth:`Counts.total`)."""

    served: frozenset[str] = frozenset()
    """Beneficiary ids served (social-work service, distinct people)."""
    served_by_category: Mapping[str, frozenset[str]] = _NONE
    participants: int = 0
    """Headcount of groups and activities beyond the named people."""
    records: int = 0
    hours: Decimal = Decimal(0)
    by_method: Mapping[Method, int] = _NONE
    by_service: Mapping[str, int] = _NONE
    administrative_records: int = 0
    administrative_hours: Decimal = Decimal(0)
    volunteers: int = 0
    volunteer_hours: Decimal = Decimal(0)
    visits_done: int = 0
    visits_due: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    cases_reopened: int = 0
    referrals: Mapping[ReferralStatus, int] = _NONE
    organisations: Mapping[OrganisationStage, int] = _NONE
    resources_money: Decimal = Decimal(0)
    resources_in_kind: int = 0
    meetings: int = 0
    meeting_participants: int = 0
    training_hours: Decimal = Decimal(0)
    """Person-hours of staff training."""
    publicity: Mapping[Medium, int] = _NONE

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally(
            **{
                f.name: _merge(getattr(self, f.name), getattr(other, f.name))
                for f in attrs.fields(Tally)
            }
        )

    @property
    def people(self) -> int:
        return len(self.served)

    def people_by_category(self) -> dict[str, int]:
        return {c: len(ids) for c, ids in sorted(self.served_by_category.items())}


EMPTY = Tally()


@attrs.frozen
class Counts:
    """Tallies per (station, contract year, domain). Add counts with ``+``."""

    cells: Mapping[Key, Tally] = attrs.field(factory=dict)

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        if not self.cells:  # nothing to add to (a ledger with no odd rows, issue 12)
            return other
        return Counts(_merge(self.cells, other.cells))

    @staticmethod
    def sum(parts: Iterable[Counts]) -> Counts:
        """``a + b + c …``, with one copy of the cells rather than one per ``+``: the first
        part is copied whole (no key hashed: a national ledger's 90,000 cells come first in
        ``count_programme``, issue 12), and the others are added into it, in order."""
        each = iter(parts)
        first = next(each, None)
        cells: dict[Key, Tally] = {} if first is None else dict(first.cells)
        for part in each:
            for key, tally in part.cells.items():
                found = cells.get(key)
                cells[key] = tally if found is None else found + tally
        return Counts(cells)

    def select(
        self,
        *,
        station: str | None = None,
        year: int | None = None,
        domain: ServiceDomain | None = None,
    ) -> Counts:
        if station is None and year is None and domain is None:
            return self
        return Counts(
            {
                k: t
                for k, t in self.cells.items()
                if (station is None or k.station == station)
                and (year is None or k.year == year)
                and (domain is None or k.domain is domain)
            }
        )

    def total(self) -> Tally:
        """Everything in these counts as one tally (people counted once across cells)."""
        # the same left fold as ``EMPTY + a + b …``, added into one mutable total (each
        # ``+`` would copy the people served so far: quadratic over 90,000 cells)
        names = [f.name for f in attrs.fields(Tally)]
        out = {name: _thawed(getattr(EMPTY, name)) for name in names}
        for tally in self.cells.values():
            for name in names:
                value = getattr(tally, name)
                if value or not isinstance(value, Mapping | frozenset):
                    _absorb(out, name, value)
        return Tally(**{name: _frozen(value) for name, value in out.items()})

    def sorted_keys(self) -> list[Key]:
        return sorted(self.cells, key=Key.sort_key)


# --- accumulation ------------------------------------------------------------------------------


class _Acc:
    """Mutable accumulators for one pass; frozen into :class:`Counts` at the end."""

    def __init__(self, start: dt.date) -> None:
        self.start = start
        self.cells: dict[Key, dict[str, Any]] = {}
        self._years: dict[dt.date, int] = {}

    def year(self, day: dt.date) -> int:
        found = self._years.get(day)
        if found is None:
            found = self._years[day] = contract_year(self.start, day)
        return found

    def cell(self, station: str, day: dt.date, domain: ServiceDomain) -> dict[str, Any]:
        key = Key(station, self.year(day), domain)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = {}
        return cell

    @staticmethod
    def add(cell: dict[str, Any], name: str, amount: Any) -> None:
        cell[name] = cell.get(name, 0) + amount

    @staticmethod
    def bump(cell: dict[str, Any], name: str, key: Any, amount: int = 1) -> None:
        table = cell.setdefault(name, {})
        table[key] = table.get(key, 0) + amount

    @staticmethod
    def person(cell: dict[str, Any], person: str, categories: Iterable[str]) -> None:
        cell.setdefault("served", set()).add(person)
        by_category = cell.setdefault("served_by_category", {})
        for c in categories:
            by_category.setdefault(c, set()).add(person)

    def freeze(self) -> Counts:
        return _freeze(self.cells)


def _freeze(cells: dict[Key, dict[str, Any]]) -> Counts:
    """The accumulated cells as tallies; ``cells`` is emptied as they are made, so the
    accumulators and the tallies are never all held at once (issue 12)."""
    return Counts({key: _tally(cells.pop(key)) for key in list(cells)})


def _tally(values: dict[str, Any]) -> Tally:
    """One accumulated cell as its tally (``values`` is used up)."""
    if "served" in values:
        values["served"] = frozenset(values["served"])
    if "served_by_category" in values:
        values["served_by_category"] = {
            c: frozenset(s) for c, s in values["served_by_category"].items()
        }
    for name in _DECIMALS:
        if name in values:
            values[name] = Decimal(values[name])
    return Tally(**values)


_DECIMALS = (
    "hours",
    "administrative_hours",
    "volunteer_hours",
    "resources_money",
    "training_hours",
)
"""The tally's Decimal fields (an accumulated sum may still be the int 0 it started from)."""


def _until(day: dt.date, until: dt.date | None) -> bool:
    return until is None or day <= until


def count_records(
    records: Iterable[ServiceRecord],
    start: dt.date,
    categories_of: Mapping[str, tuple[str, ...]] | None = None,
    *,
    until: dt.date | None = None,
) -> Counts:
    """The ledger's counts: people served, records, hours, methods, visits done, volunteers (one pass).

    ``categories_of`` maps a beneficiary id to their categories (:func:`categories_by_person`).
    """
    lookup = categories_of or {}
    acc = _Acc(start)
    for r in records:
        if not _until(r.date, until):
            continue
        cell = acc.cell(r.station, r.date, r.domain)
        if r.volunteers or r.volunteer_hours:
            acc.add(cell, "volunteers", r.volunteers)
            acc.add(cell, "volunteer_hours", r.volunteer_hours)
        if r.administrative:
            acc.add(cell, "administrative_records", 1)
            acc.add(cell, "administrative_hours", r.hours)
            continue
        acc.add(cell, "records", 1)
        acc.add(cell, "hours", r.hours)
        acc.bump(cell, "by_method", r.method)
        acc.bump(cell, "by_service", r.service.value)
        if r.participants:
            acc.add(cell, "participants", r.participants)
        for person in r.beneficiaries:
            acc.person(cell, person, lookup.get(person, ()))
        if r.is_visit:
            acc.add(cell, "visits_done", len(r.beneficiaries))
    return acc.freeze()


# --- the ledger counted by a database ---------------------------------------------------------
#
# A database adapter counts the ledger with two grouped queries instead of streaming every
# record (``Storage.ledger_counts``); these functions are the pure half it shares: the contract
# year of each date, as ranges a ``CASE`` can test, and the fold of the grouped rows into the
# same :class:`Counts` that :func:`count_records` gives.

LEDGER_TOTALS = (
    "station",
    "year",
    "domain",
    "method",
    "service",
    "administrative",
    "hours",
    "volunteer_hours",
)
"""What the totals query groups by; each row then has the record count and the sums of
``participants``, ``volunteers`` and the number of beneficiaries named."""

LEDGER_SERVED = ("station", "year", "domain", "beneficiary")
"""The distinct people served (non-administrative records only), one row per person and cell."""


def year_limits(
    start: dt.date, first_day: dt.date, last_day: dt.date
) -> tuple[int, list[tuple[int, dt.date]]]:
    """Contract years of the days from ``first_day`` to ``last_day``: ``(last year, [(year, first
    day of the next year), …])``. A day before the first listed limit (tested in order) is in that
    year; a day past all of them is in the last year."""
    first, last = contract_year(start, first_day), contract_year(start, last_day)
    return last, [(year, add_years(start, year)) for year in range(first, last)]


def fold_ledger(
    totals: Iterable[Sequence[Any]],
    served: Iterable[Sequence[Any]],
    categories_of: Mapping[str, tuple[str, ...]] | None = None,
) -> Counts:
    """:class:`Counts` from the rows of the two ledger queries (see :data:`LEDGER_TOTALS` and
    :data:`LEDGER_SERVED`); equal to :func:`count_records` over the same records."""
    # One step per grouped row, and a million rows at national scale (issue 12): cells are
    # found by the row's own (station, year, domain) and made Keys once each at the end, each
    # distinct hour text becomes a Decimal once, and the sums are added in place, in the
    # order count_records adds them (exact Decimal sums, the same exponents).
    lookup = categories_of or {}
    raw: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    methods = {m.value: m for m in Method}
    decimals: dict[str, Decimal] = {}
    visit = ServiceType.VISIT.value
    # a database gives each row its own copy of every text: the cells keep one copy of each
    # station id and service name (some 500,000 strings at national scale, issue 12)
    stations: dict[Any, Any] = {}
    services: dict[Any, Any] = {s.value: s.value for s in ServiceType}
    last_station: Any = _NOTHING
    last_year: Any = _NOTHING
    last_domain: Any = _NOTHING
    c: dict[str, Any] = {}
    found: dict[str, Any] | None

    def number(value: Any) -> Decimal:
        # only texts are cached: Decimal("1.5") and Decimal("1.50") are one key, of two
        # exponents
        if type(value) is not str:
            return Decimal(value)
        found = decimals.get(value)
        if found is None:
            found = decimals[value] = Decimal(value)
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
        # a database that groups by sorting gives a cell's rows one after another: the last
        # cell is tried first (equal texts compare without hashing)
        if station != last_station or year != last_year or domain != last_domain:
            found = raw.get((station, year, domain))
            if found is None:
                station = stations.setdefault(station, station)
                found = raw[station, year, domain] = {}
            c = found
            last_station, last_year, last_domain = station, year, domain
        records = int(records)
        if volunteers or volunteer_hours:
            volunteers = int(volunteers or 0)
            if volunteer_hours:
                each = decimals.get(volunteer_hours)  # only texts are kept: see number
                if each is None:
                    each = number(volunteer_hours)
            else:
                each = _NO_HOURS
            if volunteers or each:
                volunteer_total = each * records
                if volunteers or volunteer_total:
                    c["volunteers"] = c.get("volunteers", 0) + volunteers
                    c["volunteer_hours"] = c.get("volunteer_hours", 0) + volunteer_total
        each = decimals.get(hours)
        if each is None:
            each = number(hours)
        if administrative:
            c["administrative_records"] = c.get("administrative_records", 0) + records
            c["administrative_hours"] = c.get("administrative_hours", 0) + each * records
            continue
        member = methods[method]
        done = c.get("records")
        if done is None:  # the cell's first service row
            c["records"] = records
            c["hours"] = 0 + each * records
            c["by_method"] = {member: records}
            c["by_service"] = {services.setdefault(service, service): records}
        else:
            c["records"] = done + records
            c["hours"] += each * records
            by_method = c["by_method"]
            by_method[member] = by_method.get(member, 0) + records
            by_service = c["by_service"]
            done = by_service.get(service)
            if done is None:
                by_service[services.setdefault(service, service)] = records
            else:
                by_service[service] = done + records
        if participants:
            c["participants"] = c.get("participants", 0) + int(participants)
        if service == visit:
            c["visits_done"] = c.get("visits_done", 0) + int(people or 0)
    for station, year, domain, person in served:
        found = raw.get((station, year, domain))
        if found is None:
            station = stations.setdefault(station, station)
            found = raw[station, year, domain] = {}
        _Acc.person(found, person, lookup.get(person, ()))
    return _keyed(raw)


_NOTHING = object()
"""Equal to no cell's station, year or domain."""
_NO_HOURS = Decimal(0)
"""The volunteer hours of a row that gives none (as count_records reads a missing value)."""


def _keyed(raw: dict[tuple[Any, Any, Any], dict[str, Any]]) -> Counts:
    """The cells as tallies under their :class:`Key` (``raw`` is emptied as they are made);
    rows whose year or domain are spelt otherwise (``1`` and ``1.0``, a domain and its member)
    but are the same key are one cell."""
    domains = {d.value: d for d in ServiceDomain}
    out: dict[Key, Tally] = {}
    for station, year, domain in list(raw):
        tally = _tally(raw.pop((station, year, domain)))
        key = Key(station, int(year), domains[domain])
        found = out.get(key)
        out[key] = tally if found is None else found + tally
    return Counts(out)


def count_cases(cases: Iterable[Case], start: dt.date, *, until: dt.date | None = None) -> Counts:
    """Cases opened, closed and reopened, each in the year of that day."""
    acc = _Acc(start)
    for case in cases:
        previous: CaseStage | None = None
        for change in case.history:
            if not _until(change.date, until):
                break
            if previous is None:
                acc.add(acc.cell(case.station, change.date, case.domain), "cases_opened", 1)
            elif change.stage is CaseStage.CLOSED:
                acc.add(acc.cell(case.station, change.date, case.domain), "cases_closed", 1)
            elif previous is CaseStage.CLOSED:
                acc.add(acc.cell(case.station, change.date, case.domain), "cases_reopened", 1)
            previous = change.stage
    return acc.freeze()


def count_referrals(
    referrals: Iterable[Referral], start: dt.date, *, until: dt.date | None = None
) -> Counts:
    """Referrals by their status, in the year each was made (DOM-1 for "8+1", DOM-5 for the subsidies)."""
    acc = _Acc(start)
    for f in referrals:
        if _until(f.date, until):
            acc.bump(acc.cell(f.station, f.date, f.domain), "referrals", f.status)
    return acc.freeze()


def count_linkage(
    start: dt.date,
    *,
    organisations: Iterable[Organisation] = (),
    resources: Iterable[CharitableResource] = (),
    meetings: Iterable[DeliberationMeeting] = (),
    trainings: Iterable[Training] = (),
    publicity: Iterable[Publicity] = (),
    until: dt.date | None = None,
) -> Counts:
    """Five-party linkage (DOM-4), talent (DOM-6) and publicity (PUB-1, counted under DOM-6)."""
    acc = _Acc(start)
    governance, talent = ServiceDomain.COMMUNITY_GOVERNANCE, ServiceDomain.TALENT
    for o in organisations:
        if _until(o.since, until):
            domain = talent if o.kind is OrganisationKind.LOCAL_SOCIAL_WORK else governance
            acc.bump(acc.cell(o.station, o.since, domain), "organisations", o.stage)
    for g in resources:
        if _until(g.date, until):
            cell = acc.cell(g.station, g.date, governance)
            if g.kind is ResourceKind.MONEY:
                acc.add(cell, "resources_money", g.amount or Decimal(0))
            else:
                acc.add(cell, "resources_in_kind", 1)
    for m in meetings:
        if _until(m.date, until):
            cell = acc.cell(m.station, m.date, governance)
            acc.add(cell, "meetings", 1)
            acc.add(cell, "meeting_participants", m.participants)
    for t in trainings:
        if _until(t.date, until):
            acc.add(acc.cell(t.station, t.date, talent), "training_hours", t.person_hours)
    for p in publicity:
        if _until(p.date, until):
            acc.bump(acc.cell(p.station, p.date, talent), "publicity", p.medium)
    return acc.freeze()


def count_visits_due(
    beneficiaries: Iterable[Beneficiary],
    intervals: Mapping[str, VisitInterval],
    table: Mapping[str, Category],
    start: dt.date,
    on: dt.date,
    *,
    since: dt.date | None = None,
) -> Counts:
    """Visits the schedules call for from ``since`` (default: the programme start) up to ``on``."""
    acc = _Acc(start)
    first = start if since is None else since
    for person in beneficiaries:
        plan = visit_plan(person.categories, intervals, table)
        if plan is None:
            continue
        _, interval = plan
        for day in due_dates(person, interval, first, on):
            acc.add(acc.cell(person.station, day, interval.domain), "visits_due", 1)
    return acc.freeze()


def categories_by_person(beneficiaries: Iterable[Beneficiary]) -> dict[str, tuple[str, ...]]:
    return {b.id: b.categories for b in beneficiaries}


def count_programme(
    programme: Programme, policy: Policy, on: dt.date, *, ledger: Counts | None = None
) -> Counts:
    """All the counts of a programme up to ``on`` (visits due by the schedules in force then).

    ``ledger``: the counts of the programme's service records, when they were counted elsewhere
    (a database, see ``Storage.ledger_counts``); by default they are counted from ``programme.records``.
    """
    start = programme.start
    table = {c.id: c for c in policy.beneficiary_categories}
    if ledger is None:
        ledger = count_records(
            programme.records, start, categories_by_person(programme.beneficiaries), until=on
        )
    return Counts.sum(
        (
            ledger,
            count_cases(programme.cases, start, until=on),
            count_referrals(programme.referrals, start, until=on),
            count_linkage(
                start,
                organisations=programme.organisations,
                resources=programme.resources,
                meetings=programme.meetings,
                trainings=programme.trainings,
                publicity=programme.publicity,
                until=on,
            ),
            count_visits_due(programme.beneficiaries, policy.visit_intervals, table, start, on),
        )
    )


__all__ = [
    "EMPTY",
    "LEDGER_SERVED",
    "LEDGER_TOTALS",
    "Counts",
    "Key",
    "Tally",
    "categories_by_person",
    "contract_year",
    "count_cases",
    "count_linkage",
    "count_programme",
    "count_records",
    "count_referrals",
    "count_visits_due",
    "fold_ledger",
    "year_limits",
]
