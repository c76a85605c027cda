"""Properties of money, staffing, serialisation and disbursement, over generated programmes.

Every value comes from ``sgz_core.testing.strategies``, the strategies users get, so these tests
also check the strategies' own promises (valid objects; ``compliant=True`` means no finding).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from stdnum.cn import uscc

from sgz_core import _convert, profiles, programme_file
from sgz_core.disbursement import evaluations_in_order, schedule, year_tranches
from sgz_core.enums import (
    EvaluationKind,
    Milestone,
    Outcome,
    Qualification,
    Severity,
    StaffRole,
    TrancheStatus,
)
from sgz_core.model import (
    Contractor,
    ContractYear,
    Evaluation,
    Expense,
    Funding,
    Premises,
    Programme,
    Signage,
    StaffMember,
    Station,
)
from sgz_core.money import FEN, allocate
from sgz_core.rules import check
from sgz_core.testing import strategies as s
from sgz_core.testing import strategies_performance as sp

CHENGGUAN = profiles.builtin()
POLICY = CHENGGUAN.at(profiles.ALWAYS)
STAFF_RULES = ["STAFF-1", "STAFF-2", "STAFF-3", "STAFF-4"]
days = st.dates(dt.date(2000, 1, 1), dt.date(2065, 12, 31))


def _exact(total: Decimal, weight: Decimal | int, weight_sum: Decimal | int) -> Fraction:
    return Fraction(total) * Fraction(weight) / Fraction(weight_sum)


def _rules_of(findings: list[Any]) -> set[str]:
    return {f.rule for f in findings}


# --- PAY-1, FUND-2: exact splits ---------------------------------------------------------


@given(total=s.money(), weights=s.weights())
def test_allocate_sums_exactly_and_stays_within_a_fen(total: Decimal, weights: list[Any]) -> None:
    """PAY-1, FUND-2: parts sum to the total, are never negative, each within a fen of its share."""
    parts = allocate(total, weights)
    assert sum(parts, Decimal(0)) == total
    assert all(p >= 0 and p == p.quantize(FEN) for p in parts)
    weight_sum = sum((Decimal(w) for w in weights), Decimal(0))
    for part, w in zip(parts, weights, strict=True):
        assert abs(Fraction(part) - _exact(total, w, weight_sum)) < Fraction(1, 100)


@given(total=s.money(max_value=10**9))
def test_one_one_one_shares_sum_exactly(total: Decimal) -> None:
    """FUND-2: province : city : district = 1 : 1 : 1 shares of any amount sum exactly."""
    parts = allocate(total, [1, 1, 1])
    assert sum(parts, Decimal(0)) == total
    assert max(parts) - min(parts) <= FEN
    assert parts == sorted(parts, reverse=True)  # the odd fen go to the earlier levels


@given(plan=s.schedules())
def test_schedule_shares_sum_to_the_contract_value(plan: s.Schedule) -> None:
    """PAY-1: a contract value split into any tranche shares sums back exactly."""
    parts = allocate(plan.value, plan.shares)
    assert sum(parts, Decimal(0)) == plan.value
    for part, share in zip(parts, plan.shares, strict=True):
        assert part >= 0
        assert abs(Fraction(part) - Fraction(plan.value) * Fraction(share)) < Fraction(1, 100)


@given(
    tranches=s.tranche_plans(),
    funding=st.lists(s.fundings(), max_size=6),
    on=days,
)
def test_year_tranches_sum_to_the_contract_value(
    tranches: tuple[profiles.TrancheSpec, ...], funding: list[Funding], on: dt.date
) -> None:
    """PAY-1: with any tranche plan, a year's tranches sum exactly to its contract value."""
    policy = CHENGGUAN.override("tranches", profiles.ALWAYS, tranches).at(profiles.ALWAYS)
    year = ContractYear(year=1, funding=funding)
    station = Station(id="s", street="白银路街道", contractor="c", years=[year])
    found = year_tranches(station, year, policy, on)
    value = year.contract_value(policy.cofunding_levels)
    assert sum((t.amount for t in found), Decimal(0)) == value
    for t in found:
        assert t.amount >= 0
        assert abs(Fraction(t.amount) - Fraction(value) * Fraction(t.share)) < Fraction(1, 100)


@given(programme=s.programmes(), profile=s.profiles(), on=days)
def test_schedule_sums_per_station_year(
    programme: Programme, profile: profiles.Profile, on: dt.date
) -> None:
    """PAY-1, PROF-1: every station-year's tranches sum to its contract value under the policy
    in force when that contract year starts, and no amount is negative."""
    totals: dict[tuple[str, int], Decimal] = {}
    for t in schedule(programme, profile, on):
        assert t.amount >= 0
        totals[(t.station, t.year)] = totals.get((t.station, t.year), Decimal(0)) + t.amount
    for station, year in programme.station_years():
        policy = profile.at(programme.year_start(year.year))
        assert totals[(station.id, year.year)] == year.contract_value(policy.cofunding_levels)


# --- STAFF-1 … STAFF-4, PROF-1 -----------------------------------------------------------


@st.composite
def staffed_programmes(draw: st.DrawFn, policy: profiles.Policy = POLICY) -> Programme:
    """A programme of one station that meets every staffing minimum of ``policy``."""
    contractor_ids = draw(st.lists(s.ids(), min_size=2, max_size=3, unique=True))
    station = draw(
        s.stations(contractor_ids=contractor_ids, compliant=True, policy=policy, max_years=0)
    )
    return Programme(
        id="p",
        name="项目",
        start=dt.date(2024, 7, 1),
        contractors=[draw(s.contractors(id=c)) for c in contractor_ids],
        stations=[station],
    )


def _with_staff(programme: Programme, staff: list[StaffMember]) -> Programme:
    station = attrs.evolve(programme.stations[0], staff=staff)
    return attrs.evolve(programme, stations=[station])


@given(programme=staffed_programmes(), as_of=days)
def test_station_meeting_every_minimum_has_no_staff_finding(
    programme: Programme, as_of: dt.date
) -> None:
    """STAFF-1 … STAFF-4: a station that meets every staffing minimum gets no STAFF finding."""
    assert check(programme, CHENGGUAN, as_of, only=STAFF_RULES) == []


@st.composite
def understaffed(draw: st.DrawFn) -> tuple[str, Programme]:
    """A staffed programme broken in one way, with the rule that must notice."""
    programme = draw(staffed_programmes())
    station = programme.stations[0]
    residents, dispatched = list(station.residents), list(station.dispatched)
    rule = draw(st.sampled_from(STAFF_RULES))
    if rule == "STAFF-1":
        keep = draw(st.integers(0, POLICY.min_resident_social_workers - 1))
        staff = residents[:keep] + dispatched
    elif rule == "STAFF-2":
        staff = [attrs.evolve(m, qualification=Qualification.NONE) for m in residents] + dispatched
    elif rule == "STAFF-3":
        i = draw(st.integers(0, len(residents) - 1))
        other = draw(
            st.sampled_from([c.id for c in programme.contractors if c.id != station.contractor])
        )
        residents[i] = attrs.evolve(residents[i], employer=other)
        staff = residents + dispatched
    else:
        unqualified = {"qualification": Qualification.NONE, "social_work_degree": False}
        if dispatched:
            i = draw(st.integers(0, len(dispatched) - 1))
            dispatched[i] = attrs.evolve(dispatched[i], **unqualified)
        else:
            dispatched = [
                draw(
                    s.staff_members(
                        employer=station.contractor, role=StaffRole.DISPATCHED, qualified=False
                    )
                )
            ]
        staff = residents + dispatched
    return rule, _with_staff(programme, draw(st.permutations(staff)))


@given(case=understaffed(), as_of=days)
def test_station_missing_a_minimum_gets_that_staff_finding(
    case: tuple[str, Programme], as_of: dt.date
) -> None:
    """STAFF-1 … STAFF-4: dropping residents below the minimum, leaving no resident certified,
    giving a resident another employer, or an unqualified dispatched worker is always found."""
    rule, programme = case
    findings = check(programme, CHENGGUAN, as_of, only=STAFF_RULES)
    hits = [f for f in findings if f.rule == rule]
    assert hits, (rule, findings)
    assert all(f.severity is Severity.ERROR and f.station == programme.stations[0].id for f in hits)


@given(
    minimum=st.integers(0, 6),
    start=st.dates(dt.date(2001, 1, 1), dt.date(2050, 12, 31)),
    data=st.data(),
)
def test_resident_minimum_follows_the_profile_in_force(
    minimum: int, start: dt.date, data: st.DataObject
) -> None:
    """PROF-1, STAFF-1: with ``min_resident_social_workers`` overridden to n from a day, a station
    is found short from that day exactly when it has fewer than n residents (before it, fewer than 2)."""
    profile = CHENGGUAN.override("min_resident_social_workers", start, minimum)
    after = profile.at(start)
    programme = data.draw(staffed_programmes(after), label="programme")
    station = programme.stations[0]
    keep = data.draw(st.integers(0, len(station.residents)), label="residents kept")
    programme = _with_staff(programme, list(station.residents[:keep]) + list(station.dispatched))

    on = data.draw(st.dates(start, dt.date(2065, 12, 31)), label="on or after")
    assert ("STAFF-1" in _rules_of(check(programme, profile, on, only=["STAFF-1"]))) is (
        keep < minimum
    )
    before = data.draw(st.dates(profiles.ALWAYS, start - dt.timedelta(days=1)), label="before")
    expected_before = keep < POLICY.min_resident_social_workers
    assert (
        "STAFF-1" in _rules_of(check(programme, profile, before, only=["STAFF-1"]))
    ) is expected_before


# --- strategies' promises: compliant means no finding; credit codes (FUND-9) ------------


@given(programme=sp.compliant_programmes(), as_of=days)
def test_compliant_programmes_have_no_finding(programme: Programme, as_of: dt.date) -> None:
    """Every rule (LOT-1, FUND-*, PAY-1, PERF-3, STAFF-*, SITE-*, SIGN-*, TERM-1) finds nothing
    in a programme from ``programmes(compliant=True)``."""
    assert check(programme, CHENGGUAN, as_of) == []


@given(data=st.data())
def test_compliant_programmes_under_any_policy_have_no_finding(data: st.DataObject) -> None:
    """PROF-1: with any policy in force (minimums, ratios, tranches, lots … overridden), a
    programme from ``programmes(compliant=True, policy=...)`` has no finding either."""
    profile = data.draw(s.profiles(dated=False, max_overrides=5), label="profile")
    policy = profile.at(profiles.ALWAYS)
    assume(any(a.isdigit() for a in policy.contractor_registration_authorities))
    programme = data.draw(sp.compliant_programmes(policy), label="programme")
    assert check(programme, profile, data.draw(days, label="as of")) == []


@given(code=s.uscc_codes(), bad=s.uscc_codes(valid=False), company=s.uscc_codes(prefix="91"))
def test_credit_codes(code: str, bad: str, company: str) -> None:
    """FUND-9: valid ``52…`` codes pass, malformed codes and companies' codes are errors."""
    assert uscc.is_valid(code) and code.startswith("52")
    assert not uscc.is_valid(bad.strip().upper())
    assert uscc.is_valid(company)
    for text, ok in ((code, True), (bad, False), (company, False)):
        contractor = Contractor(id="c", name="机构", uscc=text)
        programme = Programme(
            id="p", name="项目", start=dt.date(2024, 7, 1), contractors=[contractor]
        )
        assert (check(programme, CHENGGUAN, dt.date(2025, 1, 1), only=["FUND-9"]) == []) is ok


# --- serialisation -----------------------------------------------------------------------

ROUND_TRIP: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Programme, s.programmes()),
    (Contractor, s.contractors()),
    (Station, s.stations()),
    (Premises, s.premises()),
    (Signage, s.signage()),
    (StaffMember, s.staff_members()),
    (ContractYear, s.contract_years()),
    (Funding, s.fundings()),
    (Evaluation, s.evaluations()),
    (Expense, s.expenses()),
]


@pytest.mark.parametrize(("cls", "strategy"), ROUND_TRIP, ids=[c.__name__ for c, _ in ROUND_TRIP])
@given(data=st.data())
def test_structure_unstructure_round_trip(
    cls: type[Any], strategy: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    """style.md: ``structure(unstructure(x)) == x`` for every serialised type."""
    value = data.draw(strategy)
    assert _convert.structure(_convert.unstructure(value), cls) == value


@given(programme=s.programmes())
def test_programme_file_round_trip(programme: Programme) -> None:
    """The programme file: ``loads(dumps(p)) == p`` (TOML written with tomli-w, read exactly)."""
    assert programme_file.loads(programme_file.dumps(programme)) == programme


@settings(max_examples=300, deadline=None)
@given(programme=s.programmes(), on=st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
def test_a_programme_read_back_from_its_file_says_every_finding_word_for_word(
    programme: Programme, on: dt.date
) -> None:
    """``loads(dumps(p))`` is not only equal to ``p``: every number keeps its written form, so
    every finding reads the same (a score of 0 came back as 0.0 in PERF-3's message, hours of
    3 as 3.0 in SCOPE-2's: tomli-w writes a whole-number Decimal as a float)."""
    back = programme_file.loads(programme_file.dumps(programme))
    profile = profiles.builtin()
    assert [(f.rule, f.message, f.message_en) for f in check(back, profile, on)] == [
        (f.rule, f.message, f.message_en) for f in check(programme, profile, on)
    ]


def test_a_whole_number_is_written_as_an_integer_and_other_decimals_as_they_are() -> None:
    assert programme_file.toml_numbers(
        {"a": [Decimal("3"), Decimal("3.0"), Decimal("-0"), Decimal("1E+3")], "b": Decimal(2**63)}
    ) == {"a": [3, Decimal("3.0"), 0, Decimal("1E+3")], "b": Decimal(2**63)}


@given(profile=s.profiles())
def test_profile_file_round_trip(profile: profiles.Profile) -> None:
    """PROF-1: a profile with dated overrides survives ``to_dict`` → TOML → ``from_dict``."""
    text = tomli_w.dumps(profiles.to_dict(profile))
    assert profiles.from_dict(tomllib.loads(text, parse_float=Decimal)) == profile


# --- tranche statuses (PAY-1, PERF-3) ----------------------------------------------------


def _milestone_days(
    year: ContractYear, policy: profiles.Policy, on: dt.date
) -> dict[Milestone, set[dt.date]]:
    """The days each milestone happened on or before ``on``."""
    out: dict[Milestone, set[dt.date]] = {m: set() for m in Milestone}
    if year.signed is not None and year.signed <= on:
        out[Milestone.CONTRACT_SIGNED].add(year.signed)
    for e in evaluations_in_order(year, on):
        outcome = e.effective_outcome(policy.evaluation_pass_mark)
        if e.kind is EvaluationKind.MID_TERM and outcome in (Outcome.PASS, Outcome.CORRECT):
            out[Milestone.MID_TERM].add(e.date)
        if e.kind is EvaluationKind.FINAL and outcome is Outcome.PASS:
            out[Milestone.FINAL].add(e.date)
    return out


@given(programme=s.programmes(), on=days)
def test_released_tranches_have_happened_milestones(programme: Programme, on: dt.date) -> None:
    """PAY-1: a tranche is never released before its milestone happened, nor after ``on``.

    It is released on its milestone's day, or later on the day a suspension is lifted
    (decisions 2026-12-01 #1: every held tranche whose milestone has happened is due again)."""
    found = schedule(programme, CHENGGUAN, on)
    for t in found:
        if t.status is TrancheStatus.DUE:
            assert t.date is not None and t.date <= on
            year = programme.station(t.station).year(t.year)
            assert any(day <= t.date for day in _milestone_days(year, POLICY, on)[t.milestone])
        elif t.status is TrancheStatus.PENDING:
            assert t.date is None


@st.composite
def stopped_years(draw: st.DrawFn) -> tuple[ContractYear, dt.date]:
    """A contract year with at least one ``stop`` evaluation, and a day on or after it."""
    year = draw(s.contract_years(year=1))
    begin = dt.date(2024, 7, 1)
    stop = draw(s.evaluations(date=st.dates(begin, dt.date(2025, 9, 30)), outcome=Outcome.STOP))
    evaluations = list(year.evaluations)
    evaluations.insert(draw(st.integers(0, len(evaluations))), stop)
    on = draw(st.dates(stop.date, dt.date(2026, 12, 31)))
    return attrs.evolve(year, evaluations=evaluations), on


@given(case=stopped_years())
def test_nothing_is_released_after_a_stop(case: tuple[ContractYear, dt.date]) -> None:
    """PERF-3, PAY-1: after a ``stop`` evaluation no tranche is released; the rest are cancelled."""
    year, on = case
    station = Station(id="s", street="白银路街道", contractor="c", years=[year])
    first_stop = next(
        e.date
        for e in evaluations_in_order(year, on)
        if e.effective_outcome(POLICY.evaluation_pass_mark) is Outcome.STOP
    )
    for t in year_tranches(station, year, POLICY, on):
        if t.status is TrancheStatus.DUE:
            assert t.date is not None and t.date <= first_stop
        else:
            assert t.status is TrancheStatus.CANCELLED and t.date == first_stop


@pytest.mark.parametrize(
    "make",
    [
        lambda: s.money(5, 1),
        lambda: s.money(Decimal("0.001")),
        lambda: s.uscc_codes(prefix="5A"),
        lambda: s.staff_members(certified=True, qualified=False),
        lambda: s.signage(compliant=True),
        lambda: s.stations(contractor_ids=[]),
        lambda: s.contract_years(year=4, compliant=True),
        lambda: s.parameter_values("no_such_parameter"),
    ],
)
def test_strategies_refuse_bad_arguments(make: Any) -> None:
    """A strategy asked for something it cannot give says so when called, not when drawn."""
    with pytest.raises(InvalidArgument):
        make()
