"""The programme and everything in it, as frozen attrs value objects.

Field names are the keys of the programme file (``../docs/programme-file.md``). Change a value
with ``attrs.evolve``. Money fields convert through :func:`sgz_core.money.to_money`, so a float
given for money is refused here too, not only by the file loader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, NewType

import attrs

from sgz_core import limits
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
from sgz_core.performance.types import Evaluator
from sgz_core.values import to_date, to_enum, to_enum_tuple, to_optional_date, to_optional_enum

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


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An id or a reference to one: a ``str`` (an int or None would be kept, and fail later)."""
    if not isinstance(value, str):
        raise InvalidInput(
            f"{attribute.name}: expected a text, got {type(value).__name__} {value!r}"
        )


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    # ``converter=tuple`` would type every such field as ``Iterable[_T_co]`` for mypy,
    # so that no typed caller could pass a list or tuple of values
    if type(values) is tuple:
        return values
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        # a string would be kept letter by letter, None fail with a bare TypeError
        shown = repr(values)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise InvalidInput(f"expected a list, got {type(values).__name__} {shown}")
    return tuple(values)


MAX_YEARS = limits.MAX_YEARS
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

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    uscc: str = attrs.field(validator=_text)
    """Unified social credit code (GB 32100); checked by FUND-9, not by the loader."""


def _premises_equipment(value: object) -> tuple[EquipmentItem, ...]:
    return to_enum_tuple(EquipmentItem, value, "equipment")


def _premises_shared_facilities(value: object) -> tuple[SharedFacility, ...]:
    return to_enum_tuple(SharedFacility, value, "shared_facilities")


def _premises_rooms(value: object) -> tuple[Room, ...]:
    return to_enum_tuple(Room, value, "rooms")


@attrs.frozen
class Premises:
    """办公场地 (SITE-1 … SITE-5)."""

    activity_area_m2: SquareMetres = attrs.field(converter=_area)
    office_area_m2: SquareMetres = attrs.field(converter=_area)
    equipment: tuple[EquipmentItem, ...] = attrs.field(default=(), converter=_premises_equipment)
    shared_facilities: tuple[SharedFacility, ...] = attrs.field(
        default=(), converter=_premises_shared_facilities
    )
    rooms: tuple[Room, ...] = attrs.field(default=(), converter=_premises_rooms)


@attrs.frozen
class Signage:
    """统一标识 (SIGN-1, SIGN-2): the logo and the plaques actually shown."""

    logo: bool = False
    plaques: tuple[str, ...] = attrs.field(default=(), converter=_tuple)


def _staff_member_role(value: object) -> StaffRole:
    return value if type(value) is StaffRole else to_enum(StaffRole, value, "role")


def _staff_start(value: object) -> dt.date | None:
    return to_optional_date(value, "start")


def _staff_end(value: object) -> dt.date | None:
    return to_optional_date(value, "end")


def _result_evaluator(value: object) -> Evaluator | None:
    return to_optional_enum(Evaluator, value, "evaluator")


def _action_evaluation(value: object) -> dt.date:
    return to_date(value, "evaluation")


def _action_due(value: object) -> dt.date:
    return to_date(value, "due")


def _action_closed(value: object) -> dt.date | None:
    return to_optional_date(value, "closed")


def _staff_member_qualification(value: object) -> Qualification:
    return value if type(value) is Qualification else to_enum(Qualification, value, "qualification")


@attrs.frozen
class StaffMember:
    """A social worker at a station (STAFF-1 … STAFF-4)."""

    name: str
    role: StaffRole = attrs.field(converter=_staff_member_role)
    employer: str
    """A contractor id."""
    qualification: Qualification = attrs.field(
        default=Qualification.NONE, converter=_staff_member_qualification
    )
    social_work_degree: bool = False
    start: dt.date | None = attrs.field(default=None, converter=_staff_start)
    """First day on staff; absent: on staff from the start."""
    end: dt.date | None = attrs.field(default=None, converter=_staff_end)
    """Last day on staff; absent: still on staff."""
    certificate: str | None = None
    """Certificate (or other identity) number: the same person at two entries; shown masked."""

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvalidInput(
                f"end: expected a day on or after start {self.start}, got {self.end}"
            )

    @property
    def certified(self) -> bool:
        return self.qualification.certified

    @property
    def identity(self) -> str | None:
        """Who this entry is: its certificate number; None where none is given (then the entry
        is taken as a person of its own: two namesakes are not one person)."""
        return self.certificate.strip() if self.certificate and self.certificate.strip() else None

    def on_staff(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _funding_source(value: object) -> FundingSource:
    return value if type(value) is FundingSource else to_enum(FundingSource, value, "source")


RING_FENCED: tuple[FundingSource, ...] = (FundingSource.EXTERNAL, FundingSource.CHARITY)
"""Money the contractor raises outside civil affairs: accounted separately, it pays only for
the purposes its funding lines declare (FUND-8); FUND-3 does not apply to it."""


def _purposes(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput(f"purposes: expected a list of expense categories, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInput(f"purposes: expected expense categories (text), got {item!r}")
    return items


@attrs.frozen
class Funding:
    """Money for one station-year from one source (FUND-1, FUND-2, FUND-4, FUND-8).

    ``purposes``: for the ring-fenced sources ``external`` and ``charity`` only, the expense
    categories the money was raised for (``posts`` … or any other category); the fund pays for
    nothing else (FUND-8).
    """

    source: FundingSource = attrs.field(converter=_funding_source)
    amount: Money = attrs.field(converter=_money)
    purposes: tuple[str, ...] | None = attrs.field(default=None, converter=_purposes)

    def __attrs_post_init__(self) -> None:
        if self.purposes is not None and self.source not in RING_FENCED:
            raise InvalidInput(
                "purposes: only external and charity funding declares purposes; "
                f"{self.source.value} money pays for the station's eligible costs (FUND-3)"
            )


def _receipt_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


@attrs.frozen
class Receipt:
    """Money a station-year actually received from one source, on a day (the fund ledger)."""

    date: dt.date = attrs.field(converter=_receipt_date)
    source: FundingSource = attrs.field(converter=_funding_source)
    amount: Money = attrs.field(converter=_money)
    note: str = ""


def _evaluation_kind(value: object) -> EvaluationKind:
    return value if type(value) is EvaluationKind else to_enum(EvaluationKind, value, "kind")


def _evaluation_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


def _evaluation_outcome(value: object) -> Outcome | None:
    return value if value is None or type(value) is Outcome else to_enum(Outcome, value, "outcome")


def _number(value: object) -> Decimal:
    return _non_negative_decimal(value, "value")


def _optional_number(value: object) -> Decimal | None:
    return None if value is None else _non_negative_decimal(value, "value")


@attrs.frozen
class Target:
    """A station-year's goal for one indicator (PERF-1, PERF-2); ``unit`` absent: the indicator's."""

    indicator: str
    value: Decimal = attrs.field(converter=_number)
    unit: str | None = None


@attrs.frozen
class Result:
    """An assessed result of one indicator in an evaluation: a ``value`` or the ``points`` given."""

    indicator: str
    value: Decimal | None = attrs.field(default=None, converter=_optional_number)
    points: Decimal | None = attrs.field(default=None, converter=_optional_number)
    evaluator: Evaluator | None = attrs.field(default=None, converter=_result_evaluator)

    def __attrs_post_init__(self) -> None:
        if (self.value is None) == (self.points is None):
            raise InvalidInput("a result needs either a value or points, not both")


@attrs.frozen
class CorrectiveAction:
    """整改: what a ``correct`` or ``suspend`` evaluation asks for, and when it was done (PERF-3)."""

    id: str
    evaluation: dt.date = attrs.field(converter=_action_evaluation)
    """The date of the evaluation it comes from."""
    action: str
    due: dt.date = attrs.field(converter=_action_due)
    indicator: str | None = None
    closed: dt.date | None = attrs.field(default=None, converter=_action_closed)

    def closed_by(self, day: dt.date) -> bool:
        return self.closed is not None and self.closed <= day


@attrs.frozen
class Evaluation:
    """A mid-term or final evaluation (PAY-1, PERF-2, PERF-3).

    ``outcome`` absent means: pass if ``score`` reaches the profile's pass mark, else correct.
    ``results`` are the assessed indicators; a ``score`` or ``outcome`` other than the computed
    one needs a ``reason``.
    """

    kind: EvaluationKind = attrs.field(converter=_evaluation_kind)
    date: dt.date = attrs.field(converter=_evaluation_date)
    score: Score | None = attrs.field(default=None, converter=_optional_score)
    outcome: Outcome | None = attrs.field(default=None, converter=_evaluation_outcome)
    results: tuple[Result, ...] = attrs.field(default=(), converter=_tuple)
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.score is None and self.outcome is None:
            raise InvalidInput("an evaluation needs a score, an outcome, or both")

    def effective_outcome(self, pass_mark: Decimal) -> Outcome:
        if self.outcome is not None:
            return self.outcome
        assert self.score is not None
        return Outcome.PASS if self.score >= pass_mark else Outcome.CORRECT


def _expense_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


def _expense_fund(value: object) -> FundingSource:
    return value if type(value) is FundingSource else to_enum(FundingSource, value, "fund")


@attrs.frozen
class Expense:
    """Money spent in a station-year, naming the fund that pays (FUND-3, FUND-8)."""

    date: dt.date = attrs.field(converter=_expense_date)
    category: str
    """One of :class:`~sgz_core.enums.ExpenseCategory`, or anything else (then FUND-3)."""
    fund: FundingSource = attrs.field(converter=_expense_fund)
    amount: Money = attrs.field(converter=_money)
    note: str = ""
    reason: str | None = None
    """Why station money pays for a category outside the profile's list (FUND-3: then a
    warning that quotes it, not an error)."""

    @property
    def known_category(self) -> ExpenseCategory | None:
        try:
            return ExpenseCategory(self.category)
        except ValueError:
            return None


def _contract_year_signed(value: object) -> dt.date | None:
    return value if value is None or type(value) is dt.date else to_date(value, "signed")


@attrs.frozen
class ContractYear:
    """One contract year of a station (TERM-1): its own signing, funding, evaluations, expenses."""

    year: int
    signed: dt.date | None = attrs.field(default=None, converter=_contract_year_signed)
    funding: tuple[Funding, ...] = attrs.field(default=(), converter=_tuple)
    evaluations: tuple[Evaluation, ...] = attrs.field(default=(), converter=_tuple)
    expenses: tuple[Expense, ...] = attrs.field(default=(), converter=_tuple)
    targets: tuple[Target, ...] = attrs.field(default=(), converter=_tuple)
    actions: tuple[CorrectiveAction, ...] = attrs.field(default=(), converter=_tuple)
    renewal_reason: str | None = None
    """Why the year was renewed after a final evaluation that did not pass (TERM-1)."""
    receipts: tuple[Receipt, ...] = attrs.field(default=(), converter=_tuple)
    """Money actually received, dated (the fund ledger; FUND-8 judges funds against it)."""

    def __attrs_post_init__(self) -> None:
        year = self.year
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= MAX_YEARS:
            raise InvalidInput(
                f"year: expected a contract year number from 1 to {MAX_YEARS}, got {self.year!r}"
            )

    def funded_by(self, source: FundingSource) -> Money:
        """Total from one source (several entries of one source add up)."""
        return Money(sum((f.amount for f in self.funding if f.source is source), ZERO))

    def purposes_of(self, source: FundingSource) -> tuple[str, ...]:
        """The purposes the funding lines of ``source`` declare, in order, without repeats."""
        found: dict[str, None] = {}
        for f in self.funding:
            if f.source is source and f.purposes:
                found.update(dict.fromkeys(f.purposes))
        return tuple(found)

    def contract_value(self, levels: tuple[FundingSource, ...]) -> Money:
        """Sum of the co-funding levels' money: what the contractor is paid (PAY-1)."""
        return Money(sum((f.amount for f in self.funding if f.source in levels), ZERO))


@attrs.frozen
class Station:
    """A street social work station (社工站): one per lot, serving one or more communities."""

    id: str = attrs.field(validator=_text)
    street: str = attrs.field(validator=_text)
    contractor: str = attrs.field(validator=_text)
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


def _positive_year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_YEARS:
        raise InvalidInput(
            f"year: expected a contract year number from 1 to {MAX_YEARS}, got {value!r}"
        )
    return value


@attrs.frozen
class HardshipRelief:
    """The district's hardship-relief funds (困难群众救助补助资金) of one contract year and the
    part of them used to buy social-work services (FUND-5)."""

    year: int = attrs.field(converter=_positive_year)
    budget: Money = attrs.field(converter=_money)
    social_work: Money = attrs.field(converter=_money)
    note: str = ""


def _programme_start(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "start")


@attrs.frozen
class Programme:
    """One district's procurement of station services."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    start: dt.date = attrs.field(converter=_programme_start)
    """Contract year 1 starts here; each year is twelve months."""
    profile: str = attrs.field(default="lanzhou-chengguan", validator=_text)
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
    hardship_relief: tuple[HardshipRelief, ...] = attrs.field(default=(), converter=_tuple)
    """Per contract year, the hardship-relief budget and its social-work part (FUND-5)."""

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
    "RING_FENCED",
    "ContractYear",
    "Contractor",
    "Evaluation",
    "Expense",
    "Funding",
    "HardshipRelief",
    "Money",
    "Premises",
    "Programme",
    "Receipt",
    "Score",
    "Signage",
    "SquareMetres",
    "StaffMember",
    "Station",
    "add_years",
]
