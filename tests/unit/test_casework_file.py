"""Casework in the programme file: sections, key paths, references, round trips, SCOPE-1 and PII-1."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core import _convert, profiles, programme_file
from sgz_core.casework.beneficiaries import Beneficiary, Circumstances
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
from sgz_core.casework.references import casework_problems
from sgz_core.casework.referrals import Referral
from sgz_core.casework.visits import VisitInterval
from sgz_core.casework.vocabulary import Consent
from sgz_core.enums import Severity
from sgz_core.errors import InvalidInput
from sgz_core.model import Programme
from sgz_core.rules import check
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "examples" / "chengguan.toml").read_text("utf-8")
DATA = programme_file.parse_toml(TEXT, "chengguan.toml")
AS_OF = dt.date(2025, 12, 1)


def load(data: dict[str, Any]) -> Programme:
    return programme_file.from_dict(data, "chengguan.toml")


def problems(mutate: Any) -> list[tuple[str, str]]:
    data = copy.deepcopy(DATA)
    mutate(data)
    with pytest.raises(InvalidInput) as exc:
        load(data)
    assert "chengguan.toml" in str(exc.value)
    return [(p.path, p.message) for p in exc.value.problems]


def test_the_example_holds_a_week_of_casework() -> None:
    p = load(DATA)
    assert len(p.beneficiaries) == 9 and len(p.cases) == 5 and len(p.referrals) == 3
    week = [r for r in p.records if dt.date(2025, 11, 17) <= r.date <= dt.date(2025, 11, 21)]
    assert {r.worker for r in week} == {"王芳"} and len(week) == 10
    assert (
        p.organisations
        and p.volunteer_teams
        and p.resources
        and p.meetings
        and p.trainings
        and p.publicity
    )
    assert programme_file.loads(programme_file.dumps(p)) == p


def test_the_example_has_no_error_and_no_warning() -> None:
    findings = check(load(DATA), profiles.builtin(), AS_OF)
    assert [f for f in findings if f.severity is not Severity.NOTICE] == []


def test_an_impossible_move_in_a_file_is_invalid_input_with_its_key_path() -> None:
    def skip_assessment(data: dict[str, Any]) -> None:
        data["cases"][2]["history"][1]["stage"] = "plan"  # intake → plan skips the assessment

    [(path, message)] = problems(skip_assessment)
    assert path == "cases[2].history[1].stage"
    assert "cannot move from intake to plan" in message and "expected one of assessment" in message


def test_closing_before_assessment_names_the_step() -> None:
    def close_at_intake(data: dict[str, Any]) -> None:
        data["cases"][4]["history"][2]["stage"] = "closed"

    [(path, message)] = problems(close_at_intake)
    assert (
        path == "cases[4].history[2].stage"
        and "never closed before it has been assessed" in message
    )


@pytest.mark.parametrize(
    ("section", "index", "key", "value", "path", "says"),
    [
        ("beneficiaries", 0, "station", "nowhere", "beneficiaries[0].station", "unknown station"),
        (
            "beneficiaries",
            0,
            "community",
            "别处社区",
            "beneficiaries[0].community",
            "not served by station",
        ),
        ("beneficiaries", 1, "id", "zn-001", "beneficiaries[1].id", "duplicate beneficiary id"),
        (
            "beneficiaries",
            1,
            "id_number",
            "620102194205160246",
            "beneficiaries[1].id_number",
            "also beneficiaries[0]",
        ),
        (
            "beneficiaries",
            0,
            "id_number",
            "620102194205160247",
            "beneficiaries[0].id_number",
            "check character",
        ),
        (
            "beneficiaries",
            0,
            "consent",
            "maybe",
            "beneficiaries[0].consent",
            "one of none | oral | written | withdrawn",
        ),
        ("cases", 0, "beneficiary", "nobody", "cases[0].beneficiary", "unknown beneficiary"),
        (
            "cases",
            0,
            "worker",
            "张静",
            "cases[0].worker",
            "not on the staff of station 'zhengning'",
        ),
        (
            "cases",
            0,
            "station",
            "yanbin",
            "cases[0].station",
            "in the register of station 'zhengning'",
        ),
        ("records", 4, "case", "zn-c999", "records[4].case", "unknown case"),
        ("records", 4, "worker", "nobody", "records[4].worker", "not on the staff"),
        (
            "records",
            4,
            "service",
            "premarital_counselling",
            "records[4].service",
            "not a service of child_welfare",
        ),
        ("records", 4, "hours", -1, "records[4].hours", "from 0 to"),
        (
            "records",
            5,
            "volunteer_team",
            "zn-vt9",
            "records[5].volunteer_team",
            "unknown volunteer team",
        ),
        ("records", 13, "date", dt.date(2025, 11, 22), "records[13].case", "closed on 2025-11-22"),
        ("records", 13, "date", dt.date(2025, 10, 1), "records[13].case", "opened on 2025-10-10"),
        ("referrals", 0, "outcome", "", "referrals[0].outcome", "needs an outcome"),
        ("referrals", 2, "reason", "", "referrals[2].reason", "needs the reason"),
        ("referrals", 1, "case", "zn-c001", "referrals[1].case", "about beneficiary 'zn-002'"),
        ("referrals", 1, "kind", "lottery", "referrals[1].kind", "one of minimum_allowance"),
        ("resources", 0, "amount", -5, "resources[0].amount", "zero or more"),
        (
            "trainings",
            0,
            "attendees",
            ["王芳", "张静"],
            "trainings[0].attendees[1]",
            "not on the staff",
        ),
        (
            "publicity",
            0,
            "medium",
            "billboard",
            "publicity[0].medium",
            "newspaper | radio | television | internet",
        ),
        ("organisations", 0, "stage", "grown", "organisations[0].stage", "one of idea"),
    ],
)
def test_bad_casework_input_names_the_key_path(
    section: str, index: int, key: str, value: Any, path: str, says: str
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data[section][index][key] = value

    found = problems(mutate)
    assert any(p == path and says in m for p, m in found), found


def test_a_float_for_hours_or_money_is_refused() -> None:
    found = problems(lambda d: d["resources"][0].__setitem__("amount", 5000.5))
    assert found[0][0] == "resources[0].amount" and "float" in found[0][1]


def test_an_unknown_section_key_is_an_error_listing_the_casework_sections() -> None:
    found = problems(lambda d: d.__setitem__("visits", []))
    assert found[0][0] == "visits" and "beneficiaries" in found[0][1] and "publicity" in found[0][1]
    found = problems(lambda d: d["programme"].__setitem__("cases", []))
    assert found[0][0] == "programme.cases"
    found = problems(lambda d: d["beneficiaries"][0].__setitem__("idnumber", "x"))
    assert found[0][0] == "beneficiaries[0].idnumber" and "unknown key" in found[0][1]


def test_error_messages_never_show_a_full_id_number() -> None:
    for value in ("620102194205160247", "62010219421316024X"):
        found = problems(lambda d, v=value: d["beneficiaries"][0].__setitem__("id_number", v))
        assert all(value not in m for _, m in found)


# --- SCOPE-1 and PII-1 --------------------------------------------------------------------------


def with_beneficiary(p: Programme, index: int, **changes: Any) -> Programme:
    people = list(p.beneficiaries)
    people[index] = attrs.evolve(people[index], **changes)
    return attrs.evolve(p, beneficiaries=people)


def test_scope_1_refuses_categories_the_profile_does_not_have() -> None:
    p = with_beneficiary(load(DATA), 0, categories=("elderly_alone", "astronaut"))
    [finding] = check(p, profiles.builtin(), AS_OF, only=["SCOPE-1"])
    assert (
        finding.severity is Severity.ERROR
        and finding.station == "zhengning"
        and "astronaut" in finding.message_en
    )


def test_pii_1_guardians_and_consent_of_children() -> None:
    base = load(DATA)
    no_guardian = with_beneficiary(base, 2, links=())
    said = [f.message_en for f in check(no_guardian, profiles.builtin(), AS_OF, only=["PII-1"])]
    assert any("zn-003 has no guardian" in m for m in said)
    assert any("zn-003 is under 14" in m for m in said)
    own_consent = with_beneficiary(base, 2, consent_by="")
    said = [f.message_en for f in check(own_consent, profiles.builtin(), AS_OF, only=["PII-1"])]
    assert said == [
        "Child zn-003 is under 14: consent must come from a guardian (consent_by names one of the guardians; PIPL art. 31)."
    ]
    withdrawn = with_beneficiary(
        base, 0, consent=Consent.WITHDRAWN, consent_date=dt.date(2025, 11, 1)
    )
    [late] = check(withdrawn, profiles.builtin(), AS_OF, only=["PII-1"])
    assert late.severity is Severity.WARNING and "2025-11-18" in late.message_en
    for f in check(no_guardian, profiles.builtin(), AS_OF):
        assert "620102" not in f.message and "620102" not in f.message_en


# --- round trips --------------------------------------------------------------------------------

ROUND_TRIP: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Beneficiary, s.beneficiaries()),
    (Circumstances, s.circumstances()),
    (Case, s.cases()),
    (ServiceRecord, s.service_records(beneficiaries=["b1", "b2"])),
    (Referral, s.referrals()),
    (VisitInterval, s.visit_intervals()),
    (Organisation, s.organisations()),
    (VolunteerTeam, s.volunteer_teams()),
    (CharitableResource, s.resources(beneficiaries=["b1", "b2"])),
    (DeliberationMeeting, s.meetings()),
    (Training, s.trainings(staff=["王芳", "李明"])),
    (Publicity, s.publicity()),
]


@pytest.mark.parametrize(("cls", "strategy"), ROUND_TRIP, ids=[c.__name__ for c, _ in ROUND_TRIP])
@given(data=st.data())
def test_structure_unstructure_round_trip(
    cls: type[Any], strategy: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    value = data.draw(strategy)
    assert _convert.structure(_convert.unstructure(value), cls) == value


@given(programme=s.casework_programmes())
def test_programme_file_round_trip_with_casework(programme: Programme) -> None:
    assert programme_file.loads(programme_file.dumps(programme)) == programme


# every section after contractors and stations, but [[payments]]: they are not a casework
# section of the Programme (the loader returns them beside it, docs/money.md)
CASEWORK_SECTIONS = tuple(k for k in programme_file.SECTION_KEYS[2:] if k != "payments")
RECORD_EXTRAS = ("group", "case", "volunteer_team", "fund", "note")


def test_generated_casework_programmes_fill_every_section_and_hold_their_references() -> None:
    """The kit's round trip over casework_programmes() is not vacuous: every section and every
    optional record field shows up in some example, and every example loads from its own TOML."""
    seen: set[str] = set()

    @settings(max_examples=150, database=None, derandomize=True, deadline=None)
    @given(programme=s.casework_programmes())
    def collect(programme: Programme) -> None:
        assert list(casework_problems(programme)) == []
        assert programme_file.loads(programme_file.dumps(programme)) == programme
        seen.update(name for name in CASEWORK_SECTIONS if getattr(programme, name))
        cases = {c.id: c for c in programme.cases}
        teams = {t.id: t for t in programme.volunteer_teams}
        for r in programme.records:
            seen.update(
                f"records.{name}" for name in RECORD_EXTRAS if getattr(r, name) not in (None, "")
            )
            if r.case is not None:  # a case of the record's station that takes services that day
                assert cases[r.case].station == r.station and cases[r.case].takes_services_on(
                    r.date
                )
            if r.volunteer_team is not None:
                assert r.volunteer_team in teams
        for course in programme.trainings:
            staff = {m.name for m in programme.station(course.station).staff}
            assert set(course.attendees) <= staff

    collect()
    expected = set(CASEWORK_SECTIONS) | {f"records.{name}" for name in RECORD_EXTRAS}
    assert seen == expected, f"never generated: {sorted(expected - seen)}"


def test_trainings_need_someone_to_attend() -> None:
    with pytest.raises(InvalidArgument, match="at least one staff name"):
        s.trainings(staff=())


def test_profile_casework_parameters_round_trip_and_override() -> None:
    profile = profiles.builtin()
    text = profiles.to_dict(profile)
    assert text["parameters"]["visit_intervals"][0]["value"]["elderly_alone"] == {
        "every": 1,
        "domain": "elderly",
        "unit": "month",
    }
    weekly = profile.override(
        "visit_intervals",
        dt.date(2026, 1, 1),
        {"elderly_alone": {"every": 2, "unit": "week", "domain": "elderly"}},
    )
    assert weekly.at(dt.date(2026, 1, 1)).visit_intervals["elderly_alone"].every == 2
    assert weekly.at(dt.date(2025, 12, 31)).visit_intervals["elderly_alone"].every == 1
    with pytest.raises(InvalidInput):
        profile.override(
            "id_number_mask", dt.date(2026, 1, 1), {"keep_start": 8, "keep_end": 4, "fill": "*"}
        )
