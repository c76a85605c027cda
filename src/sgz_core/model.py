"""The programme and everything in it, as frozen attrs value objects.

Field names are the keys of the programme file (``../docs/programme-file.md``). Change a value
with ``attrs.evolve``. Money fields convert through :func:`sgz_core.money.to_money`, so a float
given for money is refused here too, not only by the file loader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, NewType

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
    VolunteerTeam,
)
from sgz_core.casework.referrals import Referral
from sgz_core.enums import Equipment as EquipmentItem
from sgz_core.enums import (
    EvaluationKind,
    ExpenseCategory,
    FundingSource,
    Outcome,
    Qualification,
    Room,
    SharedFacility,
    StaffRole,
)
from sgz_core.errors import InvalidInput, NotFound
from sgz_core.money import ZERO, to_money

Money = NewType("Money", Decimal)
"""Yuan, exact to the fen, zero or more."""
SquareMetres = NewType("SquareMetres", Decimal)
"""An area in m², zero or more."""
Score = NewType("Score", Decimal)
"""An evaluation score from 0 to 100."""


def _money(value: object) -> Money:
    return Money(to_money(value))


def _non_negative_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise InvalidInput(f"{what}: expected a number, got {type(value).__name__} {value!r}")
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except ArithmeticError:
        raise InvalidInput(f"{what}: expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"{what}: expected a number of zero or more, got {value!r}")
    return number.copy_abs()  # never Decimal("-0"), which would print as a negative number


def _area(value: object) -> SquareMetres:
    return SquareMetres(_non_negative_decimal(value, "area"))


def _score(value: object) -> Score:
    number = _non_negative_decimal(value, "score")
    if number > 100:
        raise InvalidInput(f"score: expected a score from 0 to 100, got {value!r}")
    return Score(number)


def _optional_score(value: object) -> Score | None:
    return None if value is None else _score(value)


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    # ``converter=tuple`` would type every such field as ``Iterable[_T_co]`` for mypy,
    # so that no typed caller could pass a list or tuple of values
    return tuple(values)


MAX_YEARS = 99
"""Contract years are numbered 1 … MAX_YEARS (terms are a few years; this bounds dates)."""


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February becomes 28 February), clamped to the calendar."""
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


@attrs.frozen
class Contractor:
    """承接机构: the non-profit that wins a lot and employs the resident social workers."""

    id: str
    name: str
    uscc: str
    """Unified social credit code (GB 32100); checked by FUND-9, not by the loader."""


@attrs.frozen
class Premises:
    """办公场地 (SITE-1 … SITE-5)."""

    activity_area_m2: SquareMetres = attrs.field(converter=_area)
    office_area_m2: SquareMetres = attrs.field(converter=_area)
    equipment: tuple[EquipmentItem, ...] = attrs.field(default=(), converter=_tuple)
    shared_facilities: tuple[SharedFacility, ...] = attrs.field(default=(), converter=_tuple)
    rooms: tuple[Room, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen
class Signage:
    """统一标识 (SIGN-1, SIGN-2): the logo and the plaques actually shown."""

    logo: bool = False
    plaques: tuple[str, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen
class StaffMember:
    """A social worker at a station (STAFF-1 … STAFF-4)."""

    name: str
    role: StaffRole
    employer: str
    """A contractor id."""
    qualification: Qualification = Qualification.NONE
    social_work_degree: bool = False

    @property
    def certified(self) -> bool:
        return self.qualification.certified


@attrs.frozen
class Funding:
    """Money for one station-year from one source (FUND-1, FUND-2, FUND-4)."""

    source: FundingSource
    amount: Money = attrs.field(converter=_money)


@attrs.frozen
class Evaluation:
    """A mid-term or final evaluation (PAY-1, PERF-2, PERF-3).

    ``outcome`` absent means: pass if ``score`` reaches the profile's pass mark, else correct.
    """

    kind: EvaluationKind
    date: dt.date
    score: Score | None = attrs.field(default=None, converter=_optional_score)
    outcome: Outcome | None = None

    def __attrs_post_init__(self) -> None:
        if self.score is None and self.outcome is None:
            raise InvalidInput("an evaluation needs a score, an outcome, or both")

    def effective_outcome(self, pass_mark: Decimal) -> Outcome:
        if self.outcome is not None:
            return self.outcome
        assert self.score is not None
        return Outcome.PASS if self.score >= pass_mark else Outcome.CORRECT


@attrs.frozen
class Expense:
    """Money spent in a station-year, naming the fund that pays (FUND-3, FUND-8)."""

    date: dt.date
    category: str
    """One of :class:`~sgz_core.enums.ExpenseCategory`, or anything else (then FUND-3)."""
    fund: FundingSource
    amount: Money = attrs.field(converter=_money)
    note: str = ""

    @property
    def known_category(self) -> ExpenseCategory | None:
        try:
            return ExpenseCategory(self.category)
        except ValueError:
            return None


@attrs.frozen
class ContractYear:
    """One contract year of a station (TERM-1): its own signing, funding, evaluations, expenses."""

    year: int
    signed: dt.date | None = None
    funding: tuple[Funding, ...] = attrs.field(default=(), converter=_tuple)
    evaluations: tuple[Evaluation, ...] = attrs.field(default=(), converter=_tuple)
    expenses: tuple[Expense, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.year, bool) or not 1 <= self.year <= MAX_YEARS:
            raise InvalidInput(
                f"year: expected a contract year number from 1 to {MAX_YEARS}, got {self.year!r}"
            )

    def funded_by(self, source: FundingSource) -> Money:
        """Total from one source (several entries of one source add up)."""
        return Money(sum((f.amount for f in self.funding if f.source is source), ZERO))

    def contract_value(self, levels: tuple[FundingSource, ...]) -> Money:
        """Sum of the co-funding levels' money: what the contractor is paid (PAY-1)."""
        return Money(sum((f.amount for f in self.funding if f.source in levels), ZERO))


@attrs.frozen
class Station:
    """A street social work station (社工站): one per lot, serving one or more communities."""

    id: str
    street: str
    contractor: str
    """A contractor id."""
    lot: int | None = None
    communities: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    premises: Premises | None = None
    signage: Signage = Signage()
    staff: tuple[StaffMember, ...] = attrs.field(default=(), converter=_tuple)
    years: tuple[ContractYear, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def residents(self) -> tuple[StaffMember, ...]:
        return tuple(s for s in self.staff if s.role is StaffRole.RESIDENT)

    @property
    def dispatched(self) -> tuple[StaffMember, ...]:
        return tuple(s for s in self.staff if s.role is StaffRole.DISPATCHED)

    def year(self, number: int) -> ContractYear:
        for y in self.years:
            if y.year == number:
                return y
        raise NotFound("contract year", number, [y.year for y in self.years])


@attrs.frozen
class Programme:
    """One district's procurement of station services."""

    id: str
    name: str
    start: dt.date
    """Contract year 1 starts here; each year is twelve months."""
    profile: str = "lanzhou-chengguan"
    """A built-in profile id, or a path to a profile TOML (resolved by the caller)."""
    contractors: tuple[Contractor, ...] = attrs.field(default=(), converter=_tuple)
    stations: tuple[Station, ...] = attrs.field(default=(), converter=_tuple)
    # casework and the service ledger (docs/casework.md); each a top-level [[section]]
    beneficiaries: tuple[Beneficiary, ...] = attrs.field(default=(), converter=_tuple)
    cases: tuple[Case, ...] = attrs.field(default=(), converter=_tuple)
    records: tuple[ServiceRecord, ...] = attrs.field(default=(), converter=_tuple)
    referrals: tuple[Referral, ...] = attrs.field(default=(), converter=_tuple)
    organisations: tuple[Organisation, ...] = attrs.field(default=(), converter=_tuple)
    volunteer_teams: tuple[VolunteerTeam, ...] = attrs.field(default=(), converter=_tuple)
    resources: tuple[CharitableResource, ...] = attrs.field(default=(), converter=_tuple)
    meetings: tuple[DeliberationMeeting, ...] = attrs.field(default=(), converter=_tuple)
    trainings: tuple[Training, ...] = attrs.field(default=(), converter=_tuple)
    publicity: tuple[Publicity, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        if self.start.year > dt.MAXYEAR - MAX_YEARS - 1:
            raise InvalidInput(
                f"start: expected a date before year {dt.MAXYEAR - MAX_YEARS}, got {self.start}"
            )

    def station(self, station_id: str) -> Station:
        for s in self.stations:
            if s.id == station_id:
                return s
        raise NotFound("station", station_id, [s.id for s in self.stations])

    def contractor(self, contractor_id: str) -> Contractor:
        for c in self.contractors:
            if c.id == contractor_id:
                return c
        raise NotFound("contractor", contractor_id, [c.id for c in self.contractors])

    def year_start(self, number: int) -> dt.date:
        """First day of contract year ``number``."""
        return add_years(self.start, number - 1)

    def year_end(self, number: int) -> dt.date:
        """Last day of contract year ``number``."""
        return add_years(self.start, number) - dt.timedelta(days=1)

    def station_years(self) -> Iterator[tuple[Station, ContractYear]]:
        for station in self.stations:
            for year in station.years:
                yield station, year


__all__ = [
    "MAX_YEARS",
    "ContractYear",
    "Contractor",
    "Evaluation",
    "Expense",
    "Funding",
    "Money",
    "Premises",
    "Programme",
    "Score",
    "Signage",
    "SquareMetres",
    "StaffMember",
    "Station",
    "add_years",
]
