"""Performance management (issue 10): the indicator system, scoring, the scorecard, monitoring,
staff over time, and the new programme-file keys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_core import profiles, programme_file
from sgz_core.enums import EvaluationKind, Outcome, PerformanceDimension, StaffRole
from sgz_core.errors import InvalidInput, ProfileError
from sgz_core.model import Programme, Result, StaffMember, Station, Target
from sgz_core.performance.scoring import (
    grade_of,
    monitor,
    points_for,
    proposed_outcome,
    score_lines,
    scorecard,
)
from sgz_core.performance.staffing import overlaps, residents_on, shortfalls
from sgz_core.performance.types import Indicator, IndicatorSystem, Scoring
from sgz_core.testing import strategies as s
from sgz_core.testing import strategies_performance as sp

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
POLICY = profiles.builtin().at(dt.date(2025, 7, 1))
SYSTEM = POLICY.performance_indicators
NUMBERS = st.integers(0, 10**7).map(lambda n: Decimal(n).scaleb(-2))


@pytest.fixture(scope="module")
def example() -> Programme:
    return programme_file.loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


# --- the indicator system in the profile ------------------------------------------------------


def test_the_built_in_system_has_the_four_dimensions_and_100_points() -> None:
    assert set(SYSTEM.dimensions) == set(PerformanceDimension)
    assert sum(SYSTEM.dimensions.values()) == 100
    assert sum(i.weight for i in SYSTEM.indicators) == 100
    assert all(i.evaluator is not None for i in SYSTEM.indicators if not i.measured)
    param = profiles.builtin().parameter("performance_indicators")
    assert param.local_practice and "PERF-2" in param.reference


@settings(max_examples=60)
@given(points=st.lists(st.integers(0, 60), min_size=4, max_size=4))
def test_profile_validation_refuses_dimension_points_not_summing_to_100(points: list[int]) -> None:
    dims = dict(zip(PerformanceDimension, map(Decimal, points), strict=True))
    data = profiles.to_dict(profiles.builtin())["parameters"]["performance_indicators"][0]["value"]
    data = {**data, "dimensions": {d.value: w for d, w in dims.items()}}
    if sum(points) == 100:
        # the indicators' weights no longer match the dimensions unless they did before
        matches = dims == SYSTEM.dimensions
        if matches:
            profiles.builtin().override("performance_indicators", profiles.ALWAYS, data)
            return
    with pytest.raises(ProfileError) as caught:
        profiles.builtin().override("performance_indicators", profiles.ALWAYS, data)
    assert "parameters.performance_indicators" in str(caught.value)


def test_profile_validation_refuses_indicator_weights_off_their_dimension() -> None:
    data = profiles.to_dict(profiles.builtin())["parameters"]["performance_indicators"][0]["value"]
    data["indicators"][0]["weight"] = Decimal(11)
    with pytest.raises(ProfileError, match="sum to 21, expected its 20 points"):
        profiles.builtin().override("performance_indicators", profiles.ALWAYS, data)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("performance_grades", [{"grade": "优", "grade_en": "x", "min_score": 90}], "down to 0"),
        ("outcome_thresholds", {"correct": 10, "suspend": 20}, "suspend <= correct"),
        ("evaluation_deadline_days", {"mid_term": 300, "final": 200}, "on or before"),
        ("monitoring_tolerance", Decimal(2), "from 0 to 1"),
        ("evaluation_deadline_days", {"mid_term": 10**12, "final": 10**12}, "from 0 to 3660"),
        ("staff_shortfall_days", -1, "zero or more"),
    ],
)
def test_profile_validation_of_the_other_performance_parameters(
    name: str, value: object, message: str
) -> None:
    with pytest.raises(ProfileError, match=message):
        profiles.builtin().override(name, profiles.ALWAYS, value)


def test_the_profile_file_round_trips_the_performance_parameters() -> None:
    data = profiles.to_dict(profiles.builtin())
    again = profiles.from_dict(data, "<p>")
    assert again.at(profiles.ALWAYS).performance_indicators == SYSTEM


# --- scoring ------------------------------------------------------------------------------------


@given(
    indicator=st.sampled_from(SYSTEM.indicators),
    a=NUMBERS,
    b=NUMBERS,
    target=NUMBERS,
)
def test_points_are_monotone_in_the_result_and_within_the_weight(
    indicator: Indicator, a: Decimal, b: Decimal, target: Decimal
) -> None:
    low, high = sorted((a, b))
    p_low, p_high = points_for(indicator, low, target), points_for(indicator, high, target)
    assert 0 <= p_low <= p_high <= indicator.weight


@given(
    results=st.lists(sp.results(), max_size=6),
    measured=st.dictionaries(st.sampled_from([i.id for i in SYSTEM.indicators]), NUMBERS),
    which=st.sampled_from(SYSTEM.indicators),
    more=NUMBERS,
    share=st.integers(1, 100).map(lambda n: Decimal(n) / 100),
)
def test_the_score_is_monotone_in_every_indicator_result(
    results: list[Result],
    measured: dict[str, Decimal],
    which: Indicator,
    more: Decimal,
    share: Decimal,
) -> None:
    targets = {i.id: i.target for i in SYSTEM.indicators}
    given_results = tuple({r.indicator: r for r in results}.values())

    def total(ms: dict[str, Decimal], rs: tuple[Result, ...]) -> Decimal:
        return sum(
            (line.points for line in score_lines(SYSTEM, targets, ms, rs, share)), Decimal(0)
        )

    before = total(measured, given_results)
    if which.measured:
        raised = {**measured, which.id: measured.get(which.id, Decimal(0)) + more}
        after = total(raised, given_results)
    else:
        old = next((r for r in given_results if r.indicator == which.id), None)
        if old is None:
            new = Result(which.id, value=more)
        elif old.points is not None:
            new = attrs.evolve(old, points=old.points + more)
        else:
            assert old.value is not None
            new = attrs.evolve(old, value=old.value + more)
        after = total(measured, (*[r for r in given_results if r.indicator != which.id], new))
    assert 0 <= before <= after <= 100


@given(mark=st.integers(0, 1000).map(lambda n: Decimal(n) / 10))
def test_the_pass_boundary_is_exact_at_the_pass_mark(mark: Decimal) -> None:
    policy = (
        profiles.builtin()
        .override("evaluation_pass_mark", profiles.ALWAYS, mark)
        .at(profiles.ALWAYS)
    )
    assert proposed_outcome(mark, policy) is Outcome.PASS
    below = mark - Decimal("0.01")
    if below >= 0:
        assert proposed_outcome(below, policy) is not Outcome.PASS


def test_proposed_outcomes_and_grades_follow_the_profile() -> None:
    got = [proposed_outcome(Decimal(n), POLICY) for n in (100, 60, "59.99", 40, "39.99", 20, 0)]
    P, C, S = Outcome.PASS, Outcome.CORRECT, Outcome.SUSPEND
    assert got == [P, P, C, C, S, S, Outcome.STOP]
    grades = [grade_of(Decimal(n), POLICY.performance_grades).grade for n in (90, 89, 80, 60, 59)]
    assert grades == ["优", "良", "良", "中", "差"]


def test_linear_scoring_is_capped_and_bands_step() -> None:
    people = SYSTEM.indicator("people_served")
    satisfaction = SYSTEM.indicator("satisfaction")
    assert people is not None and satisfaction is not None
    assert people.scoring is Scoring.LINEAR and satisfaction.scoring is Scoring.BANDS
    assert points_for(people, Decimal(30), Decimal(60)) == Decimal("5.00")
    assert points_for(people, Decimal(600), Decimal(60)) == Decimal("10.00")
    assert points_for(satisfaction, Decimal(72), Decimal(90)) == Decimal("8.00")  # 80 %
    assert points_for(satisfaction, Decimal(53), Decimal(90)) == Decimal("0.00")  # 58.9 %


# --- the scorecard of the example ----------------------------------------------------------------


def test_the_example_s_mid_term_scorecard(example: Programme) -> None:
    card = scorecard(example, profiles.builtin(), "zhengning", 2, dt.date(2026, 2, 1))
    assert card.evaluation is not None and card.evaluation.kind is EvaluationKind.MID_TERM
    assert card.total == Decimal("70.03") == card.evaluation.score
    assert card.grade.grade == "中" and card.proposed is Outcome.PASS
    assert [d.weight for d in card.dimensions] == [20, 40, 25, 15]
    assert sum(d.points for d in card.dimensions) == card.total
    lines = {line.indicator.id: line for line in card.lines}
    assert (
        lines["file_quality"].points == 0 and lines["corrective_follow_up"].note == "not assessed"
    )
    assert lines["people_served"].value == 6
    assert "proposed outcome is pass" in card.explanation[-1]


def test_the_scorecard_as_plain_data(example: Programme) -> None:
    card = scorecard(example, profiles.builtin(), "zhengning", 2, dt.date(2026, 1, 12))
    data: Any = card.as_dict()
    assert data["score"] == "70.03" and data["grade"] == "中" and data["proposed_outcome"] == "pass"
    assert data["evaluation"] == {
        "kind": "mid_term",
        "date": "2026-01-12",
        "score": "70.03",
        "outcome": "correct",
        "reason": card.evaluation.reason if card.evaluation else None,
    }
    people = next(i for i in data["indicators"] if i["indicator"] == "people_served")
    assert people["value"] == "6.00" and people["points"] == "7.45" and people["measured"] is True
    assert sum(Decimal(d["points"]) for d in data["dimensions"]) == Decimal(data["score"])


def test_the_example_s_final_scorecard_passes(example: Programme) -> None:
    card = scorecard(example, profiles.builtin(), "zhengning", 2, dt.date(2026, 6, 30))
    assert card.evaluation is not None and card.evaluation.kind is EvaluationKind.FINAL
    assert card.total == Decimal("64.03") and card.proposed is Outcome.PASS


def test_a_scorecard_without_an_evaluation_has_only_measured_points(example: Programme) -> None:
    card = scorecard(example, profiles.builtin(), "zhengning", 2, dt.date(2025, 12, 1))
    assert card.evaluation is None
    assert all(line.points == 0 for line in card.lines if not line.indicator.measured)


def test_monitoring_pro_rates_cumulative_targets_to_the_day(example: Programme) -> None:
    year = example.station("zhengning").year(2)
    got = {
        p.indicator.id: p for p in monitor(example, POLICY, "zhengning", year, dt.date(2025, 12, 1))
    }
    share = Decimal(154) / Decimal(365)
    assert got["people_served"].expected == Decimal(15) * share
    assert got["visit_rate"].expected == Decimal(40)  # a rate is not pro-rated
    assert not any(p.short for p in got.values())


# --- staff over time ---------------------------------------------------------------------------


@settings(max_examples=200)
@given(staff=sp.staff_over_time(), day=st.integers(0, 900))
def test_no_staff_interval_logic_counts_a_person_twice(
    staff: tuple[StaffMember, ...], day: int
) -> None:
    station = Station("s", "街道", "c", staff=staff)
    first = dt.date(2024, 1, 1)
    on = first + dt.timedelta(days=day)
    people = {m.certificate for m in staff if m.on_staff(on)}
    assert len(residents_on(station, on)) == len(people)
    # the spells agree with a day-by-day count
    last = first + dt.timedelta(days=900)
    for spell in shortfalls(station, first, last, 2, 1):
        for d in (spell.start, spell.end):
            have = (
                residents_on(station, d)
                if not spell.certified
                else {m.certificate for m in staff if m.on_staff(d) and m.certified}
            )
            assert len(have) < spell.need
    for i, j in overlaps(station):
        assert staff[i].certificate == staff[j].certificate


def test_a_shortfall_spell_has_its_dates() -> None:
    station = Station(
        "s",
        "街道",
        "c",
        staff=(
            StaffMember("a", StaffRole.RESIDENT, "c", start=dt.date(2024, 1, 1)),
            StaffMember("b", StaffRole.RESIDENT, "c", end=dt.date(2024, 3, 31)),
            StaffMember("c", StaffRole.RESIDENT, "c", start=dt.date(2024, 5, 1)),
        ),
    )
    got = [
        (x.start, x.end, x.days)
        for x in shortfalls(station, dt.date(2024, 1, 1), dt.date(2024, 12, 31), 2, 0)
    ]
    assert got == [(dt.date(2024, 4, 1), dt.date(2024, 4, 30), 30)]


def test_a_staff_entry_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match="end"):
        StaffMember(
            "a", StaffRole.RESIDENT, "c", start=dt.date(2024, 2, 1), end=dt.date(2024, 1, 1)
        )


# --- the programme file keeps the new keys --------------------------------------------------------


def test_the_example_round_trips(example: Programme) -> None:
    assert programme_file.loads(programme_file.dumps(example)) == example
    year = example.station("zhengning").year(2)
    assert year.targets and year.actions and year.evaluations[0].results


@settings(max_examples=50, deadline=None)
@given(
    programme=s.programmes(max_stations=2),
    targets=st.lists(sp.targets(), max_size=4),
    evaluation=sp.evaluations_with_results(),
    actions=st.lists(sp.corrective_actions(), max_size=3),
    staff=sp.staff_over_time(),
    reason=st.one_of(st.none(), st.just("经研究同意续签")),
)
def test_the_new_keys_round_trip_through_the_programme_file(
    programme: Programme,
    targets: list[Target],
    evaluation: object,
    actions: list[object],
    staff: tuple[StaffMember, ...],
    reason: str | None,
) -> None:
    contractor = programme.contractors[0].id
    stations = []
    for station in programme.stations:
        years = tuple(
            attrs.evolve(
                y,
                targets=tuple(targets),
                evaluations=(*y.evaluations, evaluation),
                actions=tuple(actions),
                renewal_reason=reason,
            )
            for y in station.years
        )
        members = tuple(attrs.evolve(m, employer=contractor) for m in staff)
        stations.append(attrs.evolve(station, years=years, staff=(*station.staff, *members)))
    p = attrs.evolve(programme, stations=tuple(stations))
    assert programme_file.loads(programme_file.dumps(p)) == p


def test_a_result_needs_a_value_or_points_and_a_bad_key_names_its_path(example: Programme) -> None:
    with pytest.raises(InvalidInput, match="value or points"):
        Result("satisfaction")
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'indicator = "financial_compliance"\nvalue = 90',
        'indicator = "financial_compliance"\nvalue = "90"',
    )
    with pytest.raises(InvalidInput) as caught:
        programme_file.loads(text, "x.toml")
    assert "x.toml" in str(caught.value) and "evaluations[0].results[0].value" in str(caught.value)


def test_an_unknown_indicator_system_id_is_just_none() -> None:
    assert IndicatorSystem({}, ()).indicator("x") is None


def test_a_deadline_past_the_calendar_s_end_is_never_overdue() -> None:
    from sgz_core.rules import check

    text = """
[programme]
id = "p"
name = "P"
start = 9898-01-01

[[contractors]]
id = "c"
name = "C"
uscc = "52620102MJA000010R"

[[stations]]
id = "s"
street = "白银路街道"
contractor = "c"

[[stations.years]]
year = 99
signed = 9996-01-01
"""
    programme = programme_file.loads(text, "far.toml")
    profile = profiles.builtin().override(
        "evaluation_deadline_days", profiles.ALWAYS, {"mid_term": 3660, "final": 3660}
    )
    found = check(programme, profile, dt.date(9999, 12, 31), only=["TERM-1"])
    assert not any("due by" in f.message_en for f in found)
