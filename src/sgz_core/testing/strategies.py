"""Hypothesis strategies for every sgz domain type, for property tests of code built on sgz.

Every strategy generates only valid values (the attrs classes accept them), and the
``compliant=True`` variants generate values on which the rules of the given policy (the built-in
Chengguan policy by default) find nothing at all. Arguments that take a value also take a
strategy of values. See ``docs/testing.md`` for a worked example.

Needs Hypothesis (the ``test`` extra); the rest of ``sgz_core`` never imports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from stdnum.cn import uscc

from sgz_core.enums import (
    Equipment,
    EvaluationKind,
    ExpenseCategory,
    FundingSource,
    Milestone,
    Outcome,
    PerformanceDimension,
    Qualification,
    Room,
    SharedFacility,
    StaffRole,
)
from sgz_core.errors import InvalidInput
from sgz_core.model import (
    Contractor,
    ContractYear,
    Evaluation,
    Expense,
    Funding,
    Money,
    Premises,
    Programme,
    Score,
    Signage,
    SquareMetres,
    StaffMember,
    Station,
    add_years,
)
from sgz_core.money import allocate, to_money
from sgz_core.profiles import (
    ALWAYS,
    DEFAULT_PROFILE_ID,
    Lot,
    Policy,
    Profile,
    TrancheSpec,
    builtin,
)

__all__ = [
    "DEFAULT_START",
    "MAX_MONEY",
    "USCC_ALPHABET",
    "Schedule",
    "communities",
    "contract_years",
    "contractors",
    "evaluations",
    "expenses",
    "fundings",
    "ids",
    "money",
    "parameter_values",
    "person_names",
    "premises",
    "profiles",
    "programmes",
    "schedules",
    "signage",
    "staff_members",
    "stations",
    "streets",
    "tranche_plans",
    "tranche_shares",
    "uscc_codes",
    "weights",
]

T = TypeVar("T")

MAX_MONEY = Money(Decimal("1000000.00"))
"""Default upper bound of :func:`money`: a million yuan, well above any station-year."""
DEFAULT_START = dt.date(2024, 7, 1)
"""Programme start used by :func:`contract_years` and :func:`stations` when none is given."""
LAST_START = dt.date(2060, 12, 31)
"""Latest programme start :func:`programmes` draws (the built-in profile starts at ``ALWAYS``)."""
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""Characters of a unified social credit code (GB 32100): no I, O, Z, S or V."""

_DIGITS = "0123456789"
_ID_HEAD = "abcdefghijklmnopqrstuvwxyz"
_ID_TAIL = _ID_HEAD + _DIGITS + "-_"
_FORBIDDEN_USCC = "IOZSV"
_DAY = dt.timedelta(days=1)


# --- small helpers ---------------------------------------------------------------------------
# Strategies built inside a draw must be validated on every draw, which made nested programmes
# slow; so the composites below share cached strategies and draw helpers (``_draw_*``) that
# take plain values, and only the public functions build new strategies.


def _strategy(value: T | st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``value`` itself if it is a strategy, else a strategy that always gives it."""
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _policy(policy: Policy | None) -> Policy:
    return policy if policy is not None else builtin().at(ALWAYS)


@functools.lru_cache(maxsize=32)
def _cjk(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        min_size=min_size,
        max_size=max_size,
    )


def _from_fen(fen: int) -> Money:
    return Money(Decimal(fen).scaleb(-2))


@functools.lru_cache(maxsize=256)
def _fen_amounts(lo_fen: int, hi_fen: int) -> st.SearchStrategy[Money]:
    lo_yuan, hi_yuan = -(-lo_fen // 100), hi_fen // 100
    fen = st.integers(lo_fen, hi_fen)
    if lo_yuan <= hi_yuan:
        fen = st.one_of(st.integers(lo_yuan, hi_yuan).map(lambda y: y * 100), fen)
    return fen.map(_from_fen)


@functools.lru_cache(maxsize=64)
def _tenths(low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    """Decimals from ``low`` to ``high`` with at most one decimal place (whole numbers first)."""
    lo, hi = math.ceil(low * 10), math.floor(high * 10)
    tenths = st.integers(lo, hi).map(lambda n: Decimal(n).scaleb(-1))
    whole_lo, whole_hi = math.ceil(low), math.floor(high)
    if whole_lo > whole_hi:
        return tenths
    return st.one_of(st.integers(whole_lo, whole_hi).map(Decimal), tenths)


def _window(start: dt.date, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of contract year ``year`` of a programme starting on ``start``."""
    return add_years(start, year - 1), add_years(start, year) - _DAY


def _draw_day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date:
    return low + _DAY * draw(st.integers(0, (high - low).days))


def _draw_amount(draw: st.DrawFn, high: Decimal) -> Money:
    """An amount from 0 to ``high`` (whole yuan as often as not)."""
    return draw(_fen_amounts(0, int(high.scaleb(2))))


def _draw_subset(draw: st.DrawFn, items: Sequence[T]) -> list[T]:
    """Some of ``items``, each at most once, in a drawn order."""
    return _draw_shuffled(draw, [item for item in items if draw(st.booleans())])


def _draw_shuffled(draw: st.DrawFn, items: Sequence[T]) -> list[T]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = draw(st.integers(0, i))
        out[i], out[j] = out[j], out[i]
    return out


streets = _cjk(2, 3).map(lambda s: s + "街道")
"""Street names such as ``白银路街道`` (made of random CJK characters)."""
communities = _cjk(2, 4).map(lambda s: s + "社区")
"""Community names such as ``正宁路社区``."""
person_names = _cjk(2, 3)
"""People's names of two or three CJK characters."""
_OPTIONAL_NOTE = st.one_of(st.just(""), _cjk(1, 10))
_OTHER_CATEGORIES = ("banquet", "gifts", "car_purchase", "investment")


# --- money, ids, codes -----------------------------------------------------------------------


def money(
    min_value: Decimal | int | str = 0, max_value: Decimal | int | str = MAX_MONEY
) -> st.SearchStrategy[Money]:
    """Yuan as ``Decimal`` with exactly two places, from ``min_value`` to ``max_value``.

    Whole yuan come up as often as amounts with fen; shrinks towards ``min_value``.
    """
    try:
        low = to_money(min_value, what="min_value")
        high = to_money(max_value, what="max_value")
    except InvalidInput as exc:
        raise InvalidArgument(str(exc)) from None
    if low > high:
        raise InvalidArgument(f"money: min_value={low} is more than max_value={high}")
    return _fen_amounts(int(low.scaleb(2)), int(high.scaleb(2)))


@functools.lru_cache(maxsize=1)
def ids() -> st.SearchStrategy[str]:
    """Short ids such as ``hexin`` or ``s-2``: a lowercase letter, then letters, digits, ``-``, ``_``."""
    return st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(_ID_HEAD),
        st.text(_ID_TAIL, max_size=9),
    )


def uscc_codes(*, valid: bool = True, prefix: str = "52") -> st.SearchStrategy[str]:
    """Unified social credit codes (GB 32100) that start with ``prefix``.

    ``prefix`` is the registration authority and kind (``52``: a social service organisation
    registered by civil affairs, what FUND-9 expects; ``91``: a company). With ``valid=True`` the
    check character is computed with ``stdnum.cn.uscc``; with ``valid=False`` every code is
    malformed (wrong check character, a forbidden letter I/O/Z/S/V, a letter among the first
    eight digits, or the wrong length), so FUND-9 rejects it.
    """
    if not (1 <= len(prefix) <= 8 and prefix.isdigit() and prefix.isascii()):
        raise InvalidArgument(f"uscc_codes: prefix must be 1 to 8 digits, got {prefix!r}")
    return _uscc_codes(valid, prefix)


@functools.lru_cache(maxsize=16)
def _uscc_codes(valid: bool, prefix: str) -> st.SearchStrategy[str]:
    return _uscc_composite(valid, prefix)


@st.composite
def _uscc_composite(draw: st.DrawFn, valid: bool, prefix: str) -> str:
    division = draw(st.text(_DIGITS, min_size=8 - len(prefix), max_size=8 - len(prefix)))
    organisation = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    body = prefix + division + organisation
    code = body + uscc.calc_check_digit(body)
    if valid:
        return code
    how = draw(st.sampled_from(("check", "letter", "head", "short", "long")))
    if how == "check":
        shift = draw(st.integers(1, len(USCC_ALPHABET) - 1))
        wrong = USCC_ALPHABET[(USCC_ALPHABET.index(code[-1]) + shift) % len(USCC_ALPHABET)]
        return code[:-1] + wrong
    if how == "letter":
        at = draw(st.integers(8, 16))
        return code[:at] + draw(st.sampled_from(_FORBIDDEN_USCC)) + code[at + 1 :]
    if how == "head":
        at = draw(st.integers(0, 7))
        return code[:at] + draw(st.sampled_from(USCC_ALPHABET[10:])) + code[at + 1 :]
    if how == "short":
        return code[: draw(st.integers(1, 17))]
    return code + draw(st.text(USCC_ALPHABET, min_size=1, max_size=3))


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


# --- money in a contract year ----------------------------------------------------------------


def fundings(
    *,
    source: FundingSource | st.SearchStrategy[FundingSource] | None = None,
    amount: st.SearchStrategy[Money] | None = None,
) -> st.SearchStrategy[Funding]:
    """Funding entries: any source (or ``source``), amount from ``amount`` (default 0 … 200,000)."""
    if source is None and amount is None:
        return _any_funding()
    return st.builds(
        Funding,
        source=st.sampled_from(FundingSource) if source is None else _strategy(source),
        amount=money(0, 200_000) if amount is None else amount,
    )


@functools.lru_cache(maxsize=1)
def _any_funding() -> st.SearchStrategy[Funding]:
    return st.builds(Funding, source=st.sampled_from(FundingSource), amount=money(0, 200_000))


def expenses(
    *,
    date: dt.date | st.SearchStrategy[dt.date] | None = None,
    fund: FundingSource | st.SearchStrategy[FundingSource] | None = None,
    amount: st.SearchStrategy[Money] | None = None,
    eligible: bool | None = None,
) -> st.SearchStrategy[Expense]:
    """Expenses. ``eligible=True``: a category of FUND-3 (``posts`` …); ``False``: another
    category (``banquet`` …); ``None``: either. ``amount`` defaults to 0 … 50,000."""
    return st.builds(
        Expense,
        date=_dates() if date is None else _strategy(date),
        category=_categories(eligible),
        fund=st.sampled_from(FundingSource) if fund is None else _strategy(fund),
        amount=money(0, 50_000) if amount is None else amount,
        note=_OPTIONAL_NOTE,
    )


@functools.lru_cache(maxsize=3)
def _categories(eligible: bool | None) -> st.SearchStrategy[str]:
    known = st.sampled_from(ExpenseCategory.values())
    other = st.one_of(st.sampled_from(_OTHER_CATEGORIES), ids()).filter(
        lambda c: c not in ExpenseCategory.values()
    )
    return known if eligible is True else other if eligible is False else st.one_of(known, other)


def _draw_expense(draw: st.DrawFn, low: dt.date, high: dt.date) -> Expense:
    return Expense(
        date=_draw_day(draw, low, high),
        category=draw(_categories(None)),
        fund=draw(st.sampled_from(FundingSource)),
        amount=draw(money(0, 50_000)),
        note=draw(_OPTIONAL_NOTE),
    )


@functools.lru_cache(maxsize=1)
def _dates() -> st.SearchStrategy[dt.date]:
    return st.dates(ALWAYS, LAST_START)


def _scores(low: Decimal = Decimal(0)) -> st.SearchStrategy[Score]:
    return _tenths(max(low, Decimal(0)), Decimal(100)).map(Score)


def evaluations(
    *,
    kind: EvaluationKind | st.SearchStrategy[EvaluationKind] | None = None,
    date: dt.date | st.SearchStrategy[dt.date] | None = None,
    outcome: Outcome | None = None,
) -> st.SearchStrategy[Evaluation]:
    """Evaluations with a score, an outcome, or both (the model refuses neither).

    ``outcome=None``: any outcome or none (then the score decides against the pass mark);
    an :class:`~sgz_core.enums.Outcome`: exactly that outcome, with or without a score.
    """
    return _evaluations(
        st.sampled_from(EvaluationKind) if kind is None else _strategy(kind),
        _dates() if date is None else _strategy(date),
        outcome,
    )


@st.composite
def _evaluations(
    draw: st.DrawFn,
    kind: st.SearchStrategy[EvaluationKind],
    date: st.SearchStrategy[dt.date],
    outcome: Outcome | None,
) -> Evaluation:
    return _draw_evaluation(draw, draw(kind), draw(date), outcome)


def _draw_evaluation(
    draw: st.DrawFn, kind: EvaluationKind, day: dt.date, outcome: Outcome | None
) -> Evaluation:
    chosen = outcome if outcome is not None else draw(st.sampled_from((None, *Outcome)))
    score = draw(_scores()) if chosen is None or draw(st.booleans()) else None
    return Evaluation(kind=kind, date=day, score=score, outcome=chosen)


def contract_years(
    *,
    year: int | st.SearchStrategy[int] | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    compliant: bool = False,
    policy: Policy | None = None,
) -> st.SearchStrategy[ContractYear]:
    """Contract years numbered ``year`` (default 1 … 3) of a programme starting on ``start``.

    Dates fall in or near that contract year. ``compliant=True``: no year rule of ``policy``
    finds anything (FUND-1 … FUND-4, FUND-8, PAY-1, PERF-3, TERM-1): co-funding at least the
    minimum and in ratio, eligible expenses within each fund, evaluations after signing, mid-term
    before final, all passed.
    """
    chosen = _policy(policy)
    if compliant and chosen.term_years < 1:
        raise InvalidArgument("contract_years: the policy's term has no contract year")
    last = chosen.term_years if compliant else 3
    if isinstance(year, int) and compliant and not 1 <= year <= last:
        raise InvalidArgument(f"contract_years: year {year} is outside the term of {last} years")
    return _contract_years(
        st.integers(1, last) if year is None else _strategy(year),
        st.just(DEFAULT_START) if start is None else _strategy(start),
        compliant,
        chosen,
    )


@st.composite
def _contract_years(
    draw: st.DrawFn,
    year: st.SearchStrategy[int],
    start: st.SearchStrategy[dt.date],
    compliant: bool,
    policy: Policy,
) -> ContractYear:
    return _draw_year(draw, draw(year), draw(start), compliant, policy)


def _draw_year(
    draw: st.DrawFn, number: int, first_day: dt.date, compliant: bool, policy: Policy
) -> ContractYear:
    begin, end = _window(first_day, number)
    if not compliant:
        signed = (
            _draw_day(draw, begin - 30 * _DAY, end + 30 * _DAY) if draw(st.booleans()) else None
        )
        if draw(st.booleans()):
            funding = list(draw(_STANDARD_FUNDING))
        else:
            funding = [draw(_any_funding()) for _ in range(draw(st.integers(0, 5)))]
        kinds = st.sampled_from(EvaluationKind)
        evaluations_ = [
            _draw_evaluation(draw, draw(kinds), _draw_day(draw, begin, end + 90 * _DAY), None)
            for _ in range(draw(st.integers(0, 3)))
        ]
        spent = [_draw_expense(draw, begin, end) for _ in range(draw(st.integers(0, 4)))]
        return ContractYear(
            year=number, signed=signed, funding=funding, evaluations=evaluations_, expenses=spent
        )

    funding = _draw_compliant_funding(draw, policy)
    signed = _draw_day(draw, begin, end) if draw(st.booleans()) else None
    done: list[Evaluation] = []
    if signed is not None and draw(st.booleans()):
        mid_day = _draw_day(draw, signed, end + 60 * _DAY)
        done.append(_draw_passing(draw, EvaluationKind.MID_TERM, mid_day, policy))
        if draw(st.booleans()):
            final_day = _draw_day(draw, mid_day, end + 120 * _DAY)
            done.append(_draw_passing(draw, EvaluationKind.FINAL, final_day, policy))
    remaining: dict[FundingSource, Decimal] = {}
    for f in funding:
        remaining[f.source] = remaining.get(f.source, Decimal(0)) + f.amount
    spent = []
    categories = [c.value for c in policy.eligible_expense_categories]
    for _ in range(draw(st.integers(0, 4))):
        funds = [source for source, left in remaining.items() if left > 0]
        if not funds or not categories:
            break
        fund = draw(st.sampled_from(funds))
        amount = _draw_amount(draw, remaining[fund])
        remaining[fund] -= amount
        spent.append(
            Expense(
                date=_draw_day(draw, begin, end),
                category=draw(st.sampled_from(categories)),
                fund=fund,
                amount=amount,
            )
        )
    return ContractYear(
        year=number, signed=signed, funding=funding, evaluations=done, expenses=spent
    )


_LEVELS = (FundingSource.PROVINCE, FundingSource.CITY, FundingSource.DISTRICT)
_STANDARD_FUNDING = st.sampled_from(("50000", "40000", "50000.01", "60000")).map(
    lambda a: tuple(Funding(level, Decimal(a)) for level in _LEVELS)
)


def _draw_passing(
    draw: st.DrawFn, kind: EvaluationKind, day: dt.date, policy: Policy
) -> Evaluation:
    """An evaluation whose effective outcome is pass under ``policy``."""
    if policy.evaluation_pass_mark <= 100 and draw(st.booleans()):
        return Evaluation(kind=kind, date=day, score=draw(_scores(policy.evaluation_pass_mark)))
    score = draw(_scores()) if draw(st.booleans()) else None
    return Evaluation(kind=kind, date=day, score=score, outcome=Outcome.PASS)


def _draw_compliant_funding(draw: st.DrawFn, policy: Policy) -> list[Funding]:
    levels = list(policy.cofunding_ratio)
    weights_ = list(policy.cofunding_ratio.values())
    base = allocate(policy.min_station_funding, weights_)
    amounts = allocate(policy.min_station_funding + draw(money(0, 100_000)), weights_)
    if any(a < b for a, b in zip(amounts, base, strict=True)):
        amounts = base
    entries = [Funding(level, a) for level, a in zip(levels, amounts, strict=True)]
    others = [source for source in FundingSource if source not in levels]
    if others:
        for _ in range(draw(st.integers(0, 2))):
            entries.append(Funding(draw(st.sampled_from(others)), draw(money(0, 50_000))))
    return _draw_shuffled(draw, entries)


# --- stations and programmes -----------------------------------------------------------------


def stations(
    *,
    contractor_ids: Sequence[str] | None = None,
    compliant: bool = False,
    policy: Policy | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    id: str | st.SearchStrategy[str] | None = None,
    lot: Lot | None = None,
    max_staff: int = 6,
    max_years: int = 3,
) -> st.SearchStrategy[Station]:
    """Stations whose contractor and staff employers are among ``contractor_ids``.

    ``contractor_ids`` default: one to three drawn ids. ``lot``: a :class:`~sgz_core.profiles.Lot`
    gives the lot number, street and communities. Up to ``max_years`` contract years with
    distinct numbers from 1 to 3 (to the policy's term if compliant), dated from ``start``
    (default 2024-07-01); up to ``max_staff`` staff (more if a compliant station needs them).

    ``compliant=True``: no station or year rule of ``policy`` (built-in Chengguan by default)
    finds anything: at least the minimum of resident social workers, all employed by the
    station's contractor, enough of them certified; dispatched workers certified or graduates;
    premises as :func:`premises`, signage as :func:`signage` and years as
    :func:`contract_years`, all with ``compliant=True``.
    """
    if contractor_ids is not None and not contractor_ids:
        raise InvalidArgument("stations: contractor_ids must name at least one contractor")
    if max_staff < 0 or max_years < 0:
        raise InvalidArgument("stations: max_staff and max_years must be zero or more")
    return _stations(
        None if contractor_ids is None else tuple(contractor_ids),
        compliant,
        _policy(policy),
        st.just(DEFAULT_START) if start is None else _strategy(start),
        ids() if id is None else _strategy(id),
        lot,
        max_staff,
        max_years,
    )


@st.composite
def _stations(
    draw: st.DrawFn,
    contractor_ids: tuple[str, ...] | None,
    compliant: bool,
    policy: Policy,
    start: st.SearchStrategy[dt.date],
    station_id: st.SearchStrategy[str],
    lot: Lot | None,
    max_staff: int,
    max_years: int,
) -> Station:
    known = contractor_ids or tuple(draw(st.lists(ids(), min_size=1, max_size=3, unique=True)))
    return _draw_station(
        draw, known, compliant, policy, draw(start), draw(station_id), lot, max_staff, max_years
    )


def _draw_station(
    draw: st.DrawFn,
    known: tuple[str, ...],
    compliant: bool,
    policy: Policy,
    first_day: dt.date,
    station_id: str,
    lot: Lot | None,
    max_staff: int,
    max_years: int,
) -> Station:
    employers = st.sampled_from(known)
    contractor = draw(employers)
    if lot is not None:
        number: int | None = lot.lot
        street = lot.street
        served = list(lot.communities)
        if draw(st.booleans()):
            extra = draw(communities)
            served += [] if extra in served else [extra]
    else:
        number = draw(st.integers(1, 5)) if draw(st.booleans()) else None
        street = draw(streets)
        served = list(dict.fromkeys(draw(communities) for _ in range(draw(st.integers(0, 3)))))
    last_year = min(3, policy.term_years) if compliant else 3
    numbers = sorted(_draw_subset(draw, range(1, last_year + 1))[:max_years])
    years = [_draw_year(draw, n, first_day, compliant, policy) for n in numbers]
    if compliant:
        need = max(policy.min_resident_social_workers, policy.min_certified_resident_social_workers)
        residents = draw(st.integers(need, need + 2))
        certified = draw(st.integers(policy.min_certified_resident_social_workers, residents))
        staff = [
            _draw_staff(draw, contractor, StaffRole.RESIDENT, i < certified, None)
            for i in range(residents)
        ]
        staff += [
            _draw_staff(draw, draw(employers), StaffRole.DISPATCHED, None, True)
            for _ in range(draw(st.integers(0, 2)))
        ]
        return Station(
            id=station_id,
            street=street,
            contractor=contractor,
            lot=number,
            communities=served,
            premises=_draw_premises(draw, True, policy),
            signage=_draw_signage(draw, street, True, policy),
            staff=_draw_shuffled(draw, staff),
            years=years,
        )
    roles = st.sampled_from(StaffRole)
    return Station(
        id=station_id,
        street=street,
        contractor=contractor,
        lot=number,
        communities=served,
        premises=_draw_premises(draw, False, policy) if draw(st.booleans()) else None,
        signage=_draw_signage(draw, street, False, policy),
        staff=[
            _draw_staff(draw, draw(employers), draw(roles), None, None)
            for _ in range(draw(st.integers(0, max_staff)))
        ],
        years=years,
    )


def programmes(
    *,
    compliant: bool = False,
    policy: Policy | None = None,
    start: dt.date | st.SearchStrategy[dt.date] | None = None,
    max_contractors: int = 3,
    max_stations: int = 3,
    profile_id: str = DEFAULT_PROFILE_ID,
) -> st.SearchStrategy[Programme]:
    """Programmes whose references hold: what ``programme_file.loads`` accepts.

    One to ``max_contractors`` contractors with distinct ids and valid ``52…`` credit codes;
    up to ``max_stations`` stations with distinct ids whose contractor and staff employers exist;
    per station distinct contract years from 1 to 3. ``start`` defaults to a day from 2000 to
    2060 (the built-in profile has values from 2000-01-01 on).

    ``compliant=True``: ``rules.check`` with a profile whose policy is ``policy`` on every day
    concerned (the built-in profile by default) finds nothing: one compliant station per lot of
    the policy, on its street and serving its communities, and contractors registered by one of
    the policy's registration authorities.
    """
    chosen = _policy(policy)
    if max_contractors < 1 or max_stations < 0:
        raise InvalidArgument("programmes: need max_contractors >= 1 and max_stations >= 0")
    authority = next((a for a in chosen.contractor_registration_authorities if a.isdigit()), None)
    if compliant and authority is None:
        raise InvalidArgument(
            "programmes: compliant=True needs a digit among the policy's registration authorities"
        )
    return _programmes(
        compliant,
        chosen,
        _dates() if start is None else _strategy(start),
        max_contractors,
        max_stations,
        profile_id,
        uscc_codes(prefix=(authority or "5") + "2"),
    )


@st.composite
def _programmes(
    draw: st.DrawFn,
    compliant: bool,
    policy: Policy,
    start: st.SearchStrategy[dt.date],
    max_contractors: int,
    max_stations: int,
    profile_id: str,
    codes: st.SearchStrategy[str],
) -> Programme:
    first_day = draw(start)
    contractor_ids = tuple(draw(st.lists(ids(), min_size=1, max_size=max_contractors, unique=True)))
    found = [_draw_contractor(draw, cid, codes) for cid in contractor_ids]
    lots: list[Lot | None]
    if compliant and policy.lots:
        lots = list(policy.lots)
    else:
        lots = [None] * draw(st.sampled_from(range(max_stations + 1)))  # integers() favour 0
    station_ids = draw(st.lists(ids(), min_size=len(lots), max_size=len(lots), unique=True))
    built = [
        _draw_station(draw, contractor_ids, compliant, policy, first_day, sid, lot, 6, 3)
        for sid, lot in zip(station_ids, lots, strict=True)
    ]
    return Programme(
        id=draw(ids()),
        name=draw(_cjk(2, 6)) + "街道社工站项目",
        start=first_day,
        profile=profile_id,
        contractors=found,
        stations=built,
    )


# --- disbursement: weights, shares, schedules ------------------------------------------------


def weights(*, min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[list[Decimal | int]]:
    """Weights for :func:`sgz_core.money.allocate`: integers and decimals, zero or more, not all zero."""
    if not 1 <= min_size <= max_size:
        raise InvalidArgument("weights: need 1 <= min_size <= max_size")
    one = st.one_of(
        st.integers(0, 1000),
        st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False, allow_infinity=False),
        st.integers(0, 10**12),
    )
    return st.lists(one, min_size=min_size, max_size=max_size).map(
        lambda ws: ws if any(w > 0 for w in ws) else [1, *ws[1:]]
    )


def tranche_shares(
    *, min_size: int = 1, max_size: int = 5, places: int = 2
) -> st.SearchStrategy[tuple[Decimal, ...]]:
    """Shares of zero or more with ``places`` decimals that sum to exactly 1 (like 0.60/0.30/0.10)."""
    if not 1 <= min_size <= max_size or places < 0:
        raise InvalidArgument("tranche_shares: need 1 <= min_size <= max_size and places >= 0")
    return st.integers(min_size, max_size).flatmap(lambda n: _shares(n, places))


@functools.lru_cache(maxsize=64)
def _shares(n: int, places: int) -> st.SearchStrategy[tuple[Decimal, ...]]:
    whole = 10**places

    def split(cuts: list[int]) -> tuple[Decimal, ...]:
        points = [0, *sorted(cuts), whole]
        return tuple(Decimal(b - a).scaleb(-places) for a, b in itertools.pairwise(points))

    return st.lists(st.integers(0, whole), min_size=n - 1, max_size=n - 1).map(split)


def tranche_plans(*, places: int = 2) -> st.SearchStrategy[tuple[TrancheSpec, ...]]:
    """Values for the ``tranches`` parameter: one to three milestones in PAY-1 order, shares summing to 1."""
    milestones = list(Milestone)

    @st.composite
    def plan(draw: st.DrawFn) -> tuple[TrancheSpec, ...]:
        chosen = draw(st.lists(st.sampled_from(milestones), min_size=1, unique=True))
        chosen.sort(key=milestones.index)
        shares = draw(_shares(len(chosen), places))
        return tuple(TrancheSpec(m, s) for m, s in zip(chosen, shares, strict=True))

    return plan()


class Schedule(NamedTuple):
    """A contract value and the tranche shares it is split into (PAY-1)."""

    value: Money
    shares: tuple[Decimal, ...]


def schedules(
    *,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = MAX_MONEY,
    max_tranches: int = 5,
) -> st.SearchStrategy[Schedule]:
    """A contract value from :func:`money` and shares from :func:`tranche_shares`."""
    return st.builds(
        Schedule,
        money(min_value, max_value),
        tranche_shares(max_size=max_tranches),
    )


# --- profiles --------------------------------------------------------------------------------


def _weight_table(keys: Sequence[T]) -> st.SearchStrategy[dict[T, Decimal]]:
    one = _tenths(Decimal(0), Decimal(5))
    return st.lists(one, min_size=len(keys), max_size=len(keys)).map(
        lambda ws: dict(zip(keys, ws if any(ws) else [Decimal(1), *ws[1:]], strict=True))
    )


def _subsets(items: Sequence[T]) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(st.sampled_from(list(items)), unique=True).map(tuple)


def _templates() -> st.SearchStrategy[str]:
    return st.builds(
        lambda head, tail: f"{head}{{city}}{{district}}{{street}}{tail}",
        _cjk(0, 2),
        st.sampled_from(["社会工作服务站", "未成年人保护工作站", "社工站"]),
    )


def _lots(number: int) -> st.SearchStrategy[Lot]:
    return st.builds(
        Lot,
        st.just(number),
        streets,
        st.lists(communities, min_size=1, max_size=2, unique=True).map(tuple),
    )


@functools.lru_cache(maxsize=1)
def _parameter_strategies() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "city": _cjk(2, 3).map(lambda s: s + "市"),
        "district": _cjk(2, 3).map(lambda s: s + "区"),
        "min_station_funding": money(0, 500_000),
        "cofunding_ratio": _weight_table(_LEVELS),
        "eligible_expense_categories": _subsets(list(ExpenseCategory)),
        "tranches": tranche_plans(),
        "min_resident_social_workers": st.integers(0, 6),
        "min_certified_resident_social_workers": st.integers(0, 4),
        "min_activity_area_m2": _tenths(Decimal(0), Decimal(500)),
        "min_office_area_m2": _tenths(Decimal(0), Decimal(60)),
        "required_equipment": _subsets(list(Equipment)),
        "logo_required": st.booleans(),
        "term_years": st.integers(1, 5),
        "hardship_fund_cap_share": st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-3)),
        "evaluation_pass_mark": _tenths(Decimal(0), Decimal(100)),
        "performance_weights": _weight_table(list(PerformanceDimension)),
        "shared_facilities": _subsets(list(SharedFacility)),
        "advisory_rooms": _subsets(list(Room)),
        "plaque_templates": st.lists(_templates(), max_size=3).map(tuple),
        "contractor_registration_authorities": _subsets(["1", "5", "9", "Y"]),
        "lots": st.lists(st.integers(1, 9), unique=True, max_size=4).flatmap(
            lambda numbers: st.tuples(*(_lots(n) for n in numbers))
        ),
    }


def parameter_values(name: str) -> st.SearchStrategy[Any]:
    """Valid values of the profile parameter ``name``, for ``Profile.override`` (PROF-1).

    Covers the numbers, ratios, tranche plans, vocabularies, plaque texts and lots a locality
    changes (every parameter but ``beneficiary_categories``).
    """
    table = _parameter_strategies()
    if name not in table:
        raise InvalidArgument(
            f"parameter_values: no strategy for {name!r}; one of {', '.join(table)}"
        )
    return table[name]


def profiles(
    *,
    base: Profile | None = None,
    max_overrides: int = 3,
    first: dt.date = ALWAYS,
    dated: bool = True,
) -> st.SearchStrategy[Profile]:
    """``base`` (built-in Chengguan by default) with up to ``max_overrides`` overrides.

    Each override sets a parameter from :func:`parameter_values` from a day after ``first``; with
    ``dated=False`` every override starts on ``first``, so the policy is the same on every day
    from then on (``profile.at(first)`` is then the policy to pass to ``compliant=True``).
    """
    if max_overrides < 0:
        raise InvalidArgument("profiles: max_overrides must be zero or more")
    return _profiles(base, max_overrides, first, dated)


@st.composite
def _profiles(
    draw: st.DrawFn, base: Profile | None, max_overrides: int, first: dt.date, dated: bool
) -> Profile:
    profile = base if base is not None else builtin()
    names = sorted(_parameter_strategies())
    for _ in range(draw(st.integers(0, max_overrides))):
        name = draw(st.sampled_from(names))
        profile = profile.override(
            name,
            _draw_day(draw, first + _DAY, LAST_START) if dated else first,
            draw(parameter_values(name)),
            draw(st.one_of(st.just(""), _cjk(1, 8))),
        )
    return profile


# --- casework (docs/casework.md) ---------------------------------------------------------------
# Beneficiaries with valid (fictitious) ID numbers, valid case histories, ledger records,
# referrals and visit intervals, and programmes whose casework sections reference what exists.

import attrs  # noqa: E402

from sgz_core.casework.beneficiaries import Beneficiary, Circumstances, Link  # noqa: E402
from sgz_core.casework.cases import MOVES, OPENING_STAGES, Case, StageChange  # noqa: E402
from sgz_core.casework.identity import with_check_digit  # noqa: E402
from sgz_core.casework.ledger import ServiceRecord  # noqa: E402
from sgz_core.casework.linkage import (  # noqa: E402
    CharitableResource,
    DeliberationMeeting,
    Organisation,
    Publicity,
    Training,
    VolunteerTeam,
)
from sgz_core.casework.referrals import Referral  # noqa: E402
from sgz_core.casework.visits import VisitInterval  # noqa: E402
from sgz_core.casework.vocabulary import (  # noqa: E402
    CaseStage,
    Consent,
    IntervalUnit,
    Medium,
    OrganisationKind,
    OrganisationStage,
    ReferralStatus,
    Relation,
    ResourceKind,
    ServiceType,
    Sex,
    services_of,
)
from sgz_core.categories import DEFAULT_CATEGORIES  # noqa: E402
from sgz_core.enums import AssistanceKind, FundingSource, Method, ServiceDomain  # noqa: E402

__all__ += [
    "beneficiaries",
    "case_histories",
    "cases",
    "casework_programmes",
    "circumstances",
    "id_numbers",
    "meetings",
    "organisations",
    "publicity",
    "referrals",
    "resources",
    "service_records",
    "trainings",
    "visit_intervals",
    "volunteer_teams",
]

_ADDRESS_CODES = ("620102", "620103", "620104", "620105", "620111", "110101", "440106", "999999")
"""Address codes of ID numbers (the last is no place at all: the core does not check places)."""
_CATEGORY_IDS = tuple(c.id for c in DEFAULT_CATEGORIES)
_CASEWORK_START = dt.date(2020, 1, 1)
_CASEWORK_END = dt.date(2030, 12, 31)


@st.composite
def _id_number(draw: st.DrawFn, born: st.SearchStrategy[dt.date], sex: Sex | None) -> str:
    day = draw(born)
    sequence = draw(st.integers(0, 499)) * 2 + (
        1 if sex is Sex.MALE else 0 if sex is Sex.FEMALE else draw(st.integers(0, 1))
    )
    first17 = draw(st.sampled_from(_ADDRESS_CODES)) + day.strftime("%Y%m%d") + f"{sequence:03d}"
    return with_check_digit(first17)


def id_numbers(
    *,
    born: dt.date | st.SearchStrategy[dt.date] | None = None,
    sex: Sex | None = None,
) -> st.SearchStrategy[str]:
    """Valid resident ID numbers (GB 11643): right check character, real birth date from 1900.

    Fictitious by construction for tests; ``born`` and ``sex`` fix what the number holds.
    """
    days = st.dates(dt.date(1900, 1, 1), dt.date(2029, 12, 31)) if born is None else _strategy(born)
    return _id_number(days, sex)


def visit_intervals(
    *, domain: ServiceDomain | st.SearchStrategy[ServiceDomain] | None = None
) -> st.SearchStrategy[VisitInterval]:
    """Visit intervals of 1–60 days, 1–8 weeks or 1–6 months."""
    domains = st.sampled_from(list(ServiceDomain)) if domain is None else _strategy(domain)
    return st.one_of(
        st.builds(VisitInterval, st.integers(1, 60), domains, st.just(IntervalUnit.DAY)),
        st.builds(VisitInterval, st.integers(1, 8), domains, st.just(IntervalUnit.WEEK)),
        st.builds(VisitInterval, st.integers(1, 6), domains, st.just(IntervalUnit.MONTH)),
    )


def circumstances() -> st.SearchStrategy[Circumstances]:
    """Screening circumstances over the range that matters for proactive discovery."""
    return st.builds(
        Circumstances,
        household_size=st.integers(1, 6),
        monthly_income=money(0, 8000),
        work_ability=st.booleans(),
        supporter=st.booleans(),
        disability_grade=st.one_of(st.none(), st.integers(1, 4)),
        in_school=st.booleans(),
        unemployed=st.booleans(),
        serious_illness=st.booleans(),
        unsafe_housing=st.booleans(),
        disaster_affected=st.booleans(),
        sudden_hardship=st.booleans(),
        receiving=st.lists(st.sampled_from(list(AssistanceKind)), unique=True, max_size=3).map(
            tuple
        ),
    )


@st.composite
def _beneficiary(
    draw: st.DrawFn,
    beneficiary_id: st.SearchStrategy[str],
    station: st.SearchStrategy[str],
    community: st.SearchStrategy[str],
    registered: bool | None,
    first: dt.date,
    last: dt.date,
) -> Beneficiary:
    number = draw(st.one_of(st.none(), id_numbers(born=st.dates(dt.date(1920, 1, 1), last))))
    day = draw(st.dates(first, last))
    has_date = draw(st.booleans()) if registered is None else registered
    categories = draw(st.lists(st.sampled_from(_CATEGORY_IDS), unique=True, max_size=3))
    consent = draw(st.sampled_from(list(Consent)))
    links = draw(
        st.lists(
            st.builds(
                Link,
                name=_cjk(2, 3),
                relation=st.sampled_from(list(Relation)),
                guardian=st.booleans(),
            ),
            max_size=2,
        )
    )
    return Beneficiary(
        id=draw(beneficiary_id),
        name=draw(_cjk(2, 3)),
        station=draw(station),
        registered=day if has_date else None,
        community=draw(community),
        categories=categories,
        id_number=number,
        birth_date=None
        if number
        else draw(st.one_of(st.none(), st.dates(dt.date(1920, 1, 1), last))),
        consent=consent,
        consent_date=day if consent is not Consent.NONE else None,
        links=links,
        circumstances=draw(st.one_of(st.none(), circumstances())),
    )


def beneficiaries(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    registered: bool | None = None,
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Beneficiary]:
    """Beneficiaries with built-in categories, family links, consent and (often) an ID number.

    ``registered``: ``True`` always registered (between ``first`` and ``last``), ``False`` never
    (found in screening), ``None`` either.
    """
    return _beneficiary(
        ids() if id is None else _strategy(id),
        _strategy(station),
        _strategy(community),
        registered,
        first,
        last,
    )


@st.composite
def _case_history(draw: st.DrawFn, first: dt.date, max_steps: int) -> tuple[StageChange, ...]:
    stage = draw(st.sampled_from(OPENING_STAGES))
    day = draw(st.dates(first, first + dt.timedelta(days=365)))
    changes = [StageChange(stage, day)]
    for _ in range(draw(st.integers(0, max_steps))):
        stage = draw(st.sampled_from(MOVES[stage]))
        day = day + dt.timedelta(days=draw(st.integers(0, 60)))
        needs = (
            tuple(draw(st.lists(_cjk(2, 4), max_size=2))) if stage is CaseStage.ASSESSMENT else ()
        )
        changes.append(StageChange(stage, day, needs=needs))
    return tuple(changes)


def case_histories(
    *, first: dt.date = _CASEWORK_START, max_steps: int = 12
) -> st.SearchStrategy[tuple[StageChange, ...]]:
    """Valid histories: a random walk over the process's moves, days never going back."""
    return _case_history(first, max_steps)


def cases(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    beneficiary: str | st.SearchStrategy[str] = "b1",
    worker: str | st.SearchStrategy[str] = "王芳",
    first: dt.date = _CASEWORK_START,
    max_steps: int = 12,
) -> st.SearchStrategy[Case]:
    """Cases with valid histories (see :func:`case_histories`)."""
    return st.builds(
        Case,
        id=ids() if id is None else _strategy(id),
        station=_strategy(station),
        beneficiary=_strategy(beneficiary),
        domain=st.sampled_from(list(ServiceDomain)),
        worker=_strategy(worker),
        history=case_histories(first=first, max_steps=max_steps),
    )


@st.composite
def _service_record(
    draw: st.DrawFn,
    station: st.SearchStrategy[str],
    worker: st.SearchStrategy[str],
    people: Sequence[str],
    first: dt.date,
    last: dt.date,
    administrative: bool | None,
) -> ServiceRecord:
    domain = draw(st.sampled_from(list(ServiceDomain)))
    named = draw(st.lists(st.sampled_from(people), unique=True, max_size=3)) if people else []
    services = [t for t in services_of(domain) if named or t is not ServiceType.VISIT]
    methods = [m for m in Method if named or m is not Method.CASEWORK]
    volunteers = draw(st.integers(0, 5))
    return ServiceRecord(
        date=draw(st.dates(first, last)),
        station=draw(station),
        worker=draw(worker),
        domain=domain,
        method=draw(st.sampled_from(methods)),
        service=draw(st.sampled_from(services)),
        hours=draw(st.integers(0, 16)) * Decimal("0.5"),
        beneficiaries=named,
        participants=draw(st.integers(0, 40)),
        volunteers=volunteers,
        volunteer_hours=draw(st.integers(0, 20)) * Decimal("0.5") if volunteers else Decimal(0),
        administrative=draw(st.booleans()) if administrative is None else administrative,
    )


def service_records(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    worker: str | st.SearchStrategy[str] = "王芳",
    beneficiaries: Sequence[str] = (),
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
    administrative: bool | None = None,
) -> st.SearchStrategy[ServiceRecord]:
    """Ledger records: a domain, a service from its list, people among ``beneficiaries``.

    ``administrative`` fixes the SCOPE-2 flag; ``None`` draws it. Records never name a fund.
    """
    return _service_record(
        _strategy(station), _strategy(worker), tuple(beneficiaries), first, last, administrative
    )


@st.composite
def _referral(
    draw: st.DrawFn,
    referral_id: st.SearchStrategy[str],
    station: st.SearchStrategy[str],
    beneficiary: st.SearchStrategy[str],
    first: dt.date,
    last: dt.date,
) -> Referral:
    status = draw(st.sampled_from(list(ReferralStatus)))
    day = draw(st.dates(first, last))
    return Referral(
        id=draw(referral_id),
        station=draw(station),
        beneficiary=draw(beneficiary),
        kind=draw(st.sampled_from(list(AssistanceKind))),
        date=day,
        status=status,
        updated=None
        if status is ReferralStatus.IN_PROGRESS
        else day + dt.timedelta(days=draw(st.integers(0, 90))),
        outcome=draw(_cjk(2, 8)) if status is ReferralStatus.DONE else "",
        reason=draw(_cjk(2, 8)) if status is ReferralStatus.REJECTED else "",
    )


def referrals(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    beneficiary: str | st.SearchStrategy[str] = "b1",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Referral]:
    """Referrals in every status, with the outcome or reason their status requires."""
    return _referral(
        ids() if id is None else _strategy(id),
        _strategy(station),
        _strategy(beneficiary),
        first,
        last,
    )


# --- five-party linkage, talent and publicity -------------------------------------------------


def organisations(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Organisation]:
    """Organisations a station incubates or supports, of every kind and stage (DOM-4, DOM-6)."""
    return st.builds(
        Organisation,
        id=ids() if id is None else _strategy(id),
        name=_cjk(2, 8).map(lambda n: n + "协会"),
        station=_strategy(station),
        kind=st.sampled_from(list(OrganisationKind)),
        stage=st.sampled_from(list(OrganisationStage)),
        since=st.dates(first, last),
        community=_strategy(community),
        members=st.integers(0, 200),
        leader=_cjk(0, 3),
    )


def volunteer_teams(
    *,
    id: str | st.SearchStrategy[str] | None = None,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[VolunteerTeam]:
    """Volunteer teams, with or without a founding day."""
    return st.builds(
        VolunteerTeam,
        id=ids() if id is None else _strategy(id),
        name=_cjk(2, 6).map(lambda n: n + "志愿队"),
        station=_strategy(station),
        founded=st.none() | st.dates(first, last),
        members=st.integers(0, 500),
        community=_strategy(community),
    )


@st.composite
def _resource(
    draw: st.DrawFn,
    station: st.SearchStrategy[str],
    people: Sequence[str],
    first: dt.date,
    last: dt.date,
) -> CharitableResource:
    kind = draw(st.sampled_from(list(ResourceKind)))
    amount = (
        draw(money(1, 100_000))
        if kind is ResourceKind.MONEY
        else draw(st.none() | money(0, 50_000))
    )
    return CharitableResource(
        date=draw(st.dates(first, last)),
        station=draw(station),
        donor=draw(_cjk(2, 8)),
        kind=kind,
        amount=amount,
        description=draw(_cjk(1 if kind is not ResourceKind.MONEY else 0, 10)),
        beneficiaries=draw(st.lists(st.sampled_from(people), unique=True, max_size=3))
        if people
        else (),
    )


def resources(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    beneficiaries: Sequence[str] = (),
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[CharitableResource]:
    """Charitable resources linked in: money with its amount, goods and services with a
    description (and sometimes an estimated value), for people among ``beneficiaries``."""
    return _resource(_strategy(station), tuple(beneficiaries), first, last)


def meetings(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    community: str | st.SearchStrategy[str] = "",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[DeliberationMeeting]:
    """Residents' deliberation meetings (DOM-4)."""
    return st.builds(
        DeliberationMeeting,
        date=st.dates(first, last),
        station=_strategy(station),
        topic=_cjk(2, 10),
        community=_strategy(community),
        participants=st.integers(0, 300),
        outcome=_cjk(0, 10),
    )


def trainings(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    staff: Sequence[str] = ("王芳",),
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Training]:
    """Staff training (DOM-6): hours in halves, one or more attendees among ``staff``."""
    if not staff:
        raise InvalidArgument("trainings: need at least one staff name")
    return st.builds(
        Training,
        date=st.dates(first, last),
        station=_strategy(station),
        title=_cjk(2, 10),
        hours=st.integers(1, 80).map(lambda n: n * Decimal("0.5")),
        attendees=st.lists(st.sampled_from(list(staff)), unique=True, min_size=1, max_size=3),
        provider=_cjk(0, 6),
    )


def publicity(
    *,
    station: str | st.SearchStrategy[str] = "s1",
    first: dt.date = _CASEWORK_START,
    last: dt.date = _CASEWORK_END,
) -> st.SearchStrategy[Publicity]:
    """Publicity in every medium (PUB-1)."""
    return st.builds(
        Publicity,
        date=st.dates(first, last),
        station=_strategy(station),
        medium=st.sampled_from(list(Medium)),
        title=_cjk(2, 12),
        outlet=_cjk(0, 6),
        link=st.sampled_from(["", "https://example.org/a", "https://例子.中国/新闻"]),
    )


_RECORD_NOTES = st.one_of(
    _cjk(1, 10),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20),
)
"""Notes of ledger records: CJK, or any text but NUL (which PostgreSQL text cannot hold) and lone
surrogates (which no UTF-8 file can hold)."""


def _draw_record_extras(
    draw: st.DrawFn, record: ServiceRecord, cases_here: Sequence[Case], teams: Sequence[str]
) -> ServiceRecord:
    """``record`` with some optional fields: a group, a case of its station (the record moved
    to a day the case takes services), a volunteer team, a fund, a note."""
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        changes["group"] = draw(_cjk(2, 6))
    with_case: bool = draw(st.booleans())
    if cases_here and with_case:
        case = draw(st.sampled_from(list(cases_here)))
        days = [c.date for c in case.history if case.takes_services_on(c.date)]
        if days:
            changes["case"] = case.id
            changes["date"] = draw(st.sampled_from(days))
    with_team: bool = draw(st.booleans())
    if teams and with_team:
        changes["volunteer_team"] = draw(st.sampled_from(list(teams)))
    if draw(st.booleans()):
        changes["fund"] = draw(st.sampled_from(list(FundingSource)))
    if draw(st.booleans()):
        changes["note"] = draw(_RECORD_NOTES)
    return attrs.evolve(record, **changes)


@st.composite
def _casework_programmes(
    draw: st.DrawFn, base: st.SearchStrategy[Programme], max_people: int, max_records: int
) -> Programme:
    programme = draw(base)
    staffed = [s for s in programme.stations if s.staff]
    if not programme.stations:
        return programme
    first, last = programme.start, add_years(programme.start, 3)
    people: list[Beneficiary] = []
    numbers: set[str] = set()
    for i in range(draw(st.integers(0, max_people))):
        home = draw(st.sampled_from(programme.stations))
        community = draw(st.sampled_from(["", *home.communities]))
        person = draw(
            beneficiaries(id=f"b{i}", station=home.id, community=community, first=first, last=last)
        )
        if person.id_number in numbers:
            person = attrs.evolve(person, id_number=None)
        if person.id_number:
            numbers.add(person.id_number)
        people.append(person)
    everyone = [p.id for p in people]
    team_list: list[VolunteerTeam] = []
    organisation_list: list[Organisation] = []
    resource_list: list[CharitableResource] = []
    meeting_list: list[DeliberationMeeting] = []
    publicity_list: list[Publicity] = []
    for station in programme.stations:
        local = st.sampled_from(["", *station.communities])
        for _ in range(draw(st.integers(0, 2))):
            team_list.append(
                draw(
                    volunteer_teams(
                        id=f"t{len(team_list)}",
                        station=station.id,
                        community=local,
                        first=first,
                        last=last,
                    )
                )
            )
        for _ in range(draw(st.integers(0, 2))):
            organisation_list.append(
                draw(
                    organisations(
                        id=f"o{len(organisation_list)}",
                        station=station.id,
                        community=local,
                        first=first,
                        last=last,
                    )
                )
            )
        resource_list += draw(
            st.lists(
                resources(station=station.id, beneficiaries=everyone, first=first, last=last),
                max_size=2,
            )
        )
        meeting_list += draw(
            st.lists(
                meetings(station=station.id, community=local, first=first, last=last), max_size=2
            )
        )
        publicity_list += draw(
            st.lists(publicity(station=station.id, first=first, last=last), max_size=2)
        )
    case_list: list[Case] = []
    records: list[ServiceRecord] = []
    referral_list: list[Referral] = []
    training_list: list[Training] = []
    team_ids = [t.id for t in team_list]
    for station in staffed:
        mine = [p.id for p in people if p.station == station.id]
        names = [m.name for m in station.staff]
        cases_here: list[Case] = []
        for person_id in mine:
            if draw(st.booleans()):
                case = draw(
                    cases(
                        id=f"c{len(case_list)}",
                        station=station.id,
                        beneficiary=person_id,
                        worker=st.sampled_from(names),
                        first=first,
                        max_steps=8,
                    )
                )
                case_list.append(case)
                cases_here.append(case)
            if draw(st.integers(0, 3)) == 0:
                referral_list.append(
                    draw(
                        referrals(
                            id=f"r{len(referral_list)}",
                            station=station.id,
                            beneficiary=person_id,
                            first=first,
                            last=last,
                        )
                    )
                )
        plain = draw(
            st.lists(
                service_records(
                    station=station.id,
                    worker=st.sampled_from(names),
                    beneficiaries=mine,
                    first=first,
                    last=last,
                ),
                max_size=max_records,
            )
        )
        records += [_draw_record_extras(draw, r, cases_here, team_ids) for r in plain]
        training_list += draw(
            st.lists(trainings(station=station.id, staff=names, first=first, last=last), max_size=2)
        )
    return attrs.evolve(
        programme,
        beneficiaries=people,
        cases=case_list,
        records=records,
        referrals=referral_list,
        organisations=organisation_list,
        volunteer_teams=team_list,
        resources=resource_list,
        meetings=meeting_list,
        trainings=training_list,
        publicity=publicity_list,
    )


def casework_programmes(
    *, max_people: int = 6, max_records: int = 8, max_stations: int = 2
) -> st.SearchStrategy[Programme]:
    """Programmes (see :func:`programmes`) with every casework section: beneficiaries, cases,
    ledger records (some with a group, a case, a volunteer team, a fund, a note), referrals,
    organisations, volunteer teams, charitable resources, deliberation meetings, staff training
    and publicity, all referencing their stations, staff and each other: what
    ``programme_file.loads`` accepts.
    """
    return _casework_programmes(programmes(max_stations=max_stations), max_people, max_records)
