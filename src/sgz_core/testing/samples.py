"""Sample programmes for storage tests: hard strings, every CJK block, a service ledger.

Light (no pytest, no Hypothesis), so that child processes of reliability tests and benchmarks can
build the same data as :class:`sgz_core.testing.StorageContract`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from sgz_core.casework.beneficiaries import Beneficiary
from sgz_core.casework.cases import Case
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.linkage import VolunteerTeam
from sgz_core.casework.vocabulary import ServiceType, services_of
from sgz_core.enums import (
    EvaluationKind,
    FundingSource,
    Method,
    Outcome,
    Qualification,
    ServiceDomain,
    StaffRole,
)
from sgz_core.model import (
    Contractor,
    ContractYear,
    Evaluation,
    Expense,
    Funding,
    HardshipRelief,
    Premises,
    Programme,
    Receipt,
    Signage,
    StaffMember,
    Station,
)

CJK_BLOCKS: dict[str, tuple[int, int]] = {
    "CJK Radicals Supplement": (0x2E80, 0x2EFF),
    "Kangxi Radicals": (0x2F00, 0x2FDF),
    "Ideographic Description Characters": (0x2FF0, 0x2FFF),
    "CJK Symbols and Punctuation": (0x3000, 0x303F),
    "Bopomofo": (0x3100, 0x312F),
    "Kanbun": (0x3190, 0x319F),
    "Bopomofo Extended": (0x31A0, 0x31BF),
    "CJK Strokes": (0x31C0, 0x31EF),
    "Enclosed CJK Letters and Months": (0x3200, 0x32FF),
    "CJK Compatibility": (0x3300, 0x33FF),
    "CJK Unified Ideographs Extension A": (0x3400, 0x4DBF),
    "CJK Unified Ideographs": (0x4E00, 0x9FFF),
    "CJK Compatibility Ideographs": (0xF900, 0xFAFF),
    "CJK Compatibility Forms": (0xFE30, 0xFE4F),
    "Halfwidth and Fullwidth Forms": (0xFF00, 0xFFEF),
    "CJK Unified Ideographs Extension B": (0x20000, 0x2A6DF),
    "CJK Unified Ideographs Extension C": (0x2A700, 0x2B73F),
    "CJK Unified Ideographs Extension D": (0x2B740, 0x2B81F),
    "CJK Unified Ideographs Extension E": (0x2B820, 0x2CEAF),
    "CJK Unified Ideographs Extension F": (0x2CEB0, 0x2EBEF),
    "CJK Unified Ideographs Extension I": (0x2EBF0, 0x2EE5F),
    "CJK Compatibility Ideographs Supplement": (0x2F800, 0x2FA1F),
    "CJK Unified Ideographs Extension G": (0x30000, 0x3134F),
    "CJK Unified Ideographs Extension H": (0x31350, 0x323AF),
}
"""Every CJK block of Unicode 15.1, each code point of which must round-trip unchanged."""

TRICKY_STRINGS = (
    'O\'Brien "quoted" `back` \\ backslash',
    "'; DROP TABLE programmes; --",
    "Robert'); DELETE FROM stations WHERE ('1'='1",
    "%s %(name)s ? :name $1 {0} %% _ % LIKE",
    "emoji 😀👩‍👩‍👧‍👦🇨🇳🏳️‍🌈 and ZWJ\u200d, BOM\ufeff, RTL \u202e",
    "line\nbreak\r\nand\ttab",
    "  leading and trailing spaces  ",
    "trailing space ",
    "兰州市城关区白银路街道社会工作服务站 𠀀𪚥 々〆〤",
    "Ｆｕｌｌｗｉｄｔｈ　ｓｐａｃｅ",
    "e\u0301 vs é (not normalised)",
)
"""Strings that break naive quoting, encodings or normalisation (never the NUL character,
which PostgreSQL text cannot hold)."""


def cjk_block_text(first: int, last: int) -> str:
    """Every code point of a block, surrogates excluded (none of the CJK blocks has any)."""
    return "".join(chr(c) for c in range(first, last + 1) if not 0xD800 <= c <= 0xDFFF)


def sample_programme(programme_id: str = "sample", *, texts: tuple[str, ...] = ()) -> Programme:
    """A small programme touching every field, with ``texts`` in its free-text places."""
    texts = texts or ("样例",)
    contractors = (
        Contractor(
            id="hexin", name=f"兰州市和信社会工作服务中心 {texts[0]}", uscc="52620102MJA000010R"
        ),
        Contractor(id="c'2", name="安宁", uscc="52620102MJA000020T"),
    )
    staff = (
        StaffMember(
            name=texts[-1],
            role=StaffRole.RESIDENT,
            employer="hexin",
            qualification=Qualification.INTERMEDIATE,
            social_work_degree=True,
        ),
        StaffMember(name="李明", role=StaffRole.DISPATCHED, employer="c'2"),
    )
    years = (
        ContractYear(
            year=1,
            signed=dt.date(2024, 7, 1),
            funding=(
                Funding(FundingSource.PROVINCE, Decimal("50000")),
                Funding(FundingSource.CITY, Decimal("0.01")),
                Funding(FundingSource.DISTRICT, Decimal("50000.01")),
                Funding(FundingSource.STREET, Decimal("99999999999.99")),
                Funding(FundingSource.EXTERNAL, Decimal("0.10"), (texts[-1], "services")),
            ),
            evaluations=(
                Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 1, 15), Decimal("86.5")),
                Evaluation(EvaluationKind.FINAL, dt.date(2025, 6, 20), None, Outcome.STOP),
            ),
            expenses=(
                Expense(
                    dt.date(2024, 8, 1),
                    "posts",
                    FundingSource.PROVINCE,
                    Decimal("12000"),
                    note=texts[0],
                ),
                Expense(
                    dt.date(2024, 8, 2),
                    texts[-1],
                    FundingSource.EXTERNAL,
                    Decimal("0"),
                    reason=texts[0],
                ),
            ),
            receipts=(
                Receipt(dt.date(2024, 7, 5), FundingSource.PROVINCE, Decimal("50000"), texts[0]),
                Receipt(dt.date(2024, 7, 6), FundingSource.EXTERNAL, Decimal("0.10")),
            ),
        ),
        ContractYear(year=2),
    )
    stations = tuple(
        Station(
            id=f"s{i}-{text[:20]}",
            street=text,
            contractor="hexin",
            lot=i + 1 if i % 2 else None,
            communities=(text, "正宁路社区"),
            premises=Premises(Decimal("220.5"), Decimal("15")) if i % 2 == 0 else None,
            signage=Signage(logo=bool(i % 2), plaques=(text,)),
            staff=staff if i == 0 else (),
            years=years if i == 0 else (),
        )
        for i, text in enumerate(texts)
    )
    return Programme(
        id=programme_id,
        name=f"项目 {texts[0]}",
        start=dt.date(2024, 7, 1),
        profile="lanzhou-chengguan",
        contractors=contractors,
        stations=stations,
        hardship_relief=(
            HardshipRelief(year=1, budget=Decimal("99999999.99"), social_work=Decimal("0.01")),
            HardshipRelief(year=2, budget=Decimal(0), social_work=Decimal(0), note=texts[-1]),
        ),
    )


def sample_ledger(programme: Programme, size: int = 60) -> Programme:
    """``programme`` with ``size`` service records over its stations, domains, methods and its
    first three contract years; some administrative, some with volunteers. What the records
    refer to is added where missing (a staff member, beneficiaries ``b1`` and ``b2``, case
    ``c1``, volunteer team ``team-1``), so the programme passes the loader's reference checks."""
    stations = list(programme.stations)
    employer = programme.contractors[0].id if programme.contractors else None
    for k, station in enumerate(stations):
        if not station.staff and employer is not None:
            member = StaffMember(name="王芳", role=StaffRole.RESIDENT, employer=employer)
            stations[k] = attrs.evolve(station, staff=(member,))
    ids = [s.id for s in stations] or ["s0"]
    workers = {s.id: [m.name for m in s.staff] for s in stations}
    home = ids[0]
    methods = (Method.GROUP_WORK, Method.COMMUNITY_ACTIVITY, Method.CASEWORK)
    domains = tuple(ServiceDomain)
    records = []
    for i in range(size):
        domain = domains[i % len(domains)]
        services = services_of(domain)
        service = services[(i // len(domains)) % len(services)]
        method = methods[i % len(methods)]
        named = method is Method.CASEWORK or service is ServiceType.VISIT
        volunteers = i % 3
        at = ids[i % len(ids)]
        names = workers.get(at) or ["王芳", "李明", "O'Brien 😀"]
        records.append(
            ServiceRecord(
                date=programme.start + dt.timedelta(days=(15 * i) % 1095),  # three years
                station=at,
                worker=names[i % len(names)],
                domain=domain,
                method=method,
                service=service,
                hours=Decimal(i % 5) / 2 + Decimal("0.25"),
                beneficiaries=("b1", "b2")[: 1 + i % 2] if named else (),
                group="" if named else f"小组 {i % 4}",
                participants=i % 7,
                case="c1" if named and i % 4 == 0 and at == home else None,
                volunteers=volunteers,
                volunteer_hours=Decimal(volunteers) * Decimal("1.5"),
                volunteer_team="team-1" if i % 5 == 0 else None,
                administrative=i % 9 == 0,
                fund=FundingSource.DISTRICT if i % 6 == 0 else None,
                note=TRICKY_STRINGS[i % len(TRICKY_STRINGS)] if i % 10 == 0 else "",
            )
        )
    known = {b.id for b in programme.beneficiaries}
    people = tuple(
        Beneficiary(id=pid, name=f"服务对象 {pid}", station=home)
        for pid in ("b1", "b2")
        if pid not in known
    )
    cases: tuple[Case, ...] = ()
    if not any(c.id == "c1" for c in programme.cases) and workers.get(home):
        cases = (
            Case.new("c1", home, "b1", ServiceDomain.ELDERLY, workers[home][0], programme.start),
        )
    teams: tuple[VolunteerTeam, ...] = ()
    if not any(t.id == "team-1" for t in programme.volunteer_teams):
        teams = (VolunteerTeam(id="team-1", name="志愿服务队", station=home),)
    return attrs.evolve(
        programme,
        stations=tuple(stations),
        beneficiaries=(*programme.beneficiaries, *people),
        cases=(*programme.cases, *cases),
        volunteer_teams=(*programme.volunteer_teams, *teams),
        records=tuple(records),
    )


__all__ = ["CJK_BLOCKS", "TRICKY_STRINGS", "cjk_block_text", "sample_ledger", "sample_programme"]
