"""Casework (docs/casework.md): beneficiaries, cases, the service ledger, referrals, visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st

from sgz_core.casework.beneficiaries import Beneficiary, Circumstances, Link
from sgz_core.casework.cases import MOVES, OPENING_STAGES, Case, StageChange
from sgz_core.casework.identity import with_check_digit
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.referrals import Referral
from sgz_core.casework.visits import VisitInterval
from sgz_core.casework.vocabulary import (
    CaseStage,
    Consent,
    IntervalUnit,
    ReferralStatus,
    Relation,
    ServiceType,
    Sex,
    services_of,
)
from sgz_core.categories import DEFAULT_CATEGORIES
from sgz_core.enums import (
    AssistanceKind,
    Method,
    ServiceDomain,
)
from sgz_core.testing.strategies._base import _cjk, _strategy
from sgz_core.testing.strategies.codes import ids, money

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


__all__ = [
    "beneficiaries",
    "case_histories",
    "cases",
    "circumstances",
    "id_numbers",
    "referrals",
    "service_records",
    "visit_intervals",
]
