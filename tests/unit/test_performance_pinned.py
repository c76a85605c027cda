"""Scorecards pinned whole (issue 13): every line, dimension and explanation of the example's
cards as plain data, results given as points (capped) or values, and the pass mark at exactly
the card's score and one point-hundredth above it. The expected cards are
``tests/data/scorecards/*.json``; the checks below recompute some of their numbers by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from sgz_core import profiles
from sgz_core.casework.counting import Counts, Key, Tally
from sgz_core.casework.vocabulary import ReferralStatus
from sgz_core.enums import EvaluationKind, Outcome, PerformanceDimension, ServiceDomain
from sgz_core.model import Evaluation, Programme, Result, Target
from sgz_core.performance.scoring import (
    Scorecard,
    elapsed_share,
    grade_of,
    measured_value,
    points_for,
    score_lines,
    scorecard,
    year_counts,
)
from sgz_core.performance.types import Band, GradeBand, IndicatorSystem, Measure
from sgz_core.programme_file import loads

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "tests" / "data" / "scorecards"


@pytest.fixture(scope="module")
def example() -> Programme:
    path = ROOT / "examples" / "chengguan.toml"
    return loads(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 1, 12), "zhengning-2-mid-term.json"),
        (dt.date(2025, 12, 1), "zhengning-2-no-evaluation.json"),
    ],
)
def test_the_example_s_scorecards_whole(example: Programme, day: dt.date, name: str) -> None:
    card = scorecard(example, profiles.builtin(), "zhengning", 2, day)
    expected = json.loads((CARDS / name).read_text(encoding="utf-8"))
    assert card.as_dict() == expected
    # by hand: points = weight × value / target pro-rated to the day, capped at the weight
    people = next(i for i in expected["indicators"] if i["indicator"] == "people_served")
    share = elapsed_share(example, 2, card.on)
    assert Decimal(people["expected"]) == (Decimal(people["target"]) * share).quantize(
        Decimal("0.01")
    )
    ratio = Decimal(people["value"]) / (Decimal(people["target"]) * share)
    assert Decimal(people["points"]) == min(Decimal(10), 10 * ratio).quantize(Decimal("0.01"))
    assert sum(Decimal(i["points"]) for i in expected["indicators"]) == Decimal(expected["score"])


def _card_with(example: Programme, *results: Result, mark: Decimal | None = None) -> Scorecard:
    e = Evaluation(
        EvaluationKind.MID_TERM, dt.date(2026, 1, 12), score=Decimal(70), results=results
    )
    profile = profiles.builtin()
    if mark is not None:
        profile = profile.override("evaluation_pass_mark", profiles.ALWAYS, mark)
    return scorecard(example, profile, "zhengning", 2, dt.date(2026, 2, 1), evaluation=e)


def test_points_over_the_weight_are_capped_with_a_note_and_at_the_weight_are_not(
    example: Programme,
) -> None:
    over = _card_with(example, Result("file_quality", points=Decimal("5.01")))
    line = next(x for x in over.lines if x.indicator.id == "file_quality")
    assert (line.value, line.points, line.note) == (
        None,
        Decimal("5.00"),
        "5.01 points capped at the weight",
    )
    assert (
        "file_quality (assessed by third_party): — against 100 % → 5.00 of 5 (5.01 points capped at the weight)"
        in over.explanation
    )
    at = _card_with(example, Result("file_quality", points=Decimal(5)))
    line = next(x for x in at.lines if x.indicator.id == "file_quality")
    assert (line.value, line.target, line.points, line.note) == (None, 100, Decimal("5.00"), "")
    value = _card_with(example, Result("satisfaction", value=Decimal(90)))
    line = next(x for x in value.lines if x.indicator.id == "satisfaction")
    assert (line.value, line.points, line.note) == (Decimal(90), Decimal("10.00"), "")
    assert over.total == at.total


def test_the_pass_mark_at_exactly_the_score_and_just_above(example: Programme) -> None:
    total = _card_with(example).total
    at = _card_with(example, mark=total)
    assert at.proposed is Outcome.PASS
    assert at.explanation[-1] == (
        f"score {total:f}: at least the pass mark {total:f}, so the proposed outcome is pass"
    )
    above = total + Decimal("0.01")
    below = _card_with(example, mark=above)
    assert below.proposed is Outcome.CORRECT
    assert below.explanation[-1] == (
        f"score {total:f}: below the pass mark {above:f}, so the proposed outcome is correct"
    )
    assert attrs.evolve(below, proposed=Outcome.PASS, explanation=at.explanation) == at


def test_an_evaluation_without_an_outcome_is_plain_data_with_outcome_none(
    example: Programme,
) -> None:
    data: Any = _card_with(example).as_dict()
    assert data["evaluation"] == {
        "kind": "mid_term",
        "date": "2026-01-12",
        "score": "70.00",
        "outcome": None,
        "reason": None,
    }


def test_numbers_are_rounded_half_up(example: Programme) -> None:
    # 40.125 rounds to 40.13 (half up), not 40.12 (the decimal context's half even)
    targets = (Target("visit_rate", Decimal("40.125")),)
    p = attrs.evolve(
        example,
        stations=tuple(
            attrs.evolve(
                s,
                years=tuple(
                    attrs.evolve(y, targets=targets) if y.year == 2 else y for y in s.years
                ),
            )
            if s.id == "zhengning"
            else s
            for s in example.stations
        ),
    )
    card = scorecard(p, profiles.builtin(), "zhengning", 2, dt.date(2025, 12, 1))
    line = next(i for i in card.as_dict()["indicators"] if i["indicator"] == "visit_rate")  # type: ignore[attr-defined]
    assert (line["target"], line["expected"]) == ("40.13", "40.13")
    assert any(
        x.startswith("visit_rate (measured): ") and "against 40.13 %" in x for x in card.explanation
    )


def test_counts_given_are_used_as_given(example: Programme) -> None:
    profile = profiles.builtin()
    policy = profile.at(example.year_start(2))
    early = year_counts(example, policy, "zhengning", 2, dt.date(2025, 7, 1))
    on = dt.date(2025, 12, 1)
    given = scorecard(example, profile, "zhengning", 2, on, counts=early)
    counted = scorecard(example, profile, "zhengning", 2, on)
    assert given.total != counted.total
    assert given == scorecard(example, profile, "zhengning", 2, on, counts=early)
    people = next(x for x in given.lines if x.indicator.id == "people_served")
    assert people.value == measured_value(people.indicator, early)
    # with an evaluation too: the caller counted up to its day (sgz evaluate --db does)
    mid = dt.date(2026, 1, 12)
    at_mid = year_counts(example, policy, "zhengning", 2, mid)
    assert scorecard(example, profile, "zhengning", 2, mid, counts=at_mid) == scorecard(
        example, profile, "zhengning", 2, mid
    )
    assert scorecard(example, profile, "zhengning", 2, mid, counts=early) != scorecard(
        example, profile, "zhengning", 2, mid
    )


def test_score_lines_defaults_a_missing_target_and_a_missing_measured_value() -> None:
    system = profiles.builtin().at(dt.date(2024, 7, 1)).performance_indicators
    share = Decimal("0.5")
    bare = score_lines(system, {}, {}, (), share)
    spelled = score_lines(
        system,
        {i.id: i.target for i in system.indicators},
        {i.id: Decimal(0) for i in system.indicators if i.measured},
        (),
        share,
    )
    assert bare == spelled
    assert all(line.value == 0 for line in bare if line.indicator.measured)


SYSTEM = profiles.builtin().at(dt.date(2024, 7, 1)).performance_indicators


def test_bands_starting_above_zero_give_nothing_below_the_first() -> None:
    sat = SYSTEM.indicator("satisfaction")
    assert sat is not None
    ind = attrs.evolve(sat, bands=(Band(60, "0.5"), Band(90, 1)))
    got = [points_for(ind, Decimal(v), Decimal(100)) for v in ("59.99", 60, "89.99", 90)]
    assert got == [Decimal("0.00"), Decimal("5.00"), Decimal("5.00"), Decimal("10.00")]


def test_points_are_rounded_half_up() -> None:
    people = SYSTEM.indicator("people_served")
    assert people is not None and people.weight == 10
    # 10 × 1/80 = 0.125 → 0.13 (half even would give 0.12)
    assert points_for(people, Decimal(1), Decimal(80)) == Decimal("0.13")


def test_a_score_below_every_grade_gets_the_last_grade() -> None:
    grades = (
        GradeBand("优", "excellent", 90),
        GradeBand("中", "fair", 60),
        GradeBand("差", "poor", 30),
    )
    assert [grade_of(Decimal(n), grades).grade for n in (90, "89.99", 60, 30, "29.99", 0)] == [
        "优",
        "中",
        "中",
        "差",
        "差",
        "差",
    ]


# --- the last survivors of the second mutation pass (issue 13) -------------------------------

ELDERLY, CHILD = ServiceDomain.ELDERLY, ServiceDomain.CHILD_WELFARE
COUNTS = Counts(
    {
        Key("s", 1, ELDERLY): Tally(
            served=frozenset({"a", "b"}),
            served_by_category={"低保": frozenset({"a"}), "特困": frozenset({"b"})},
            referrals={ReferralStatus.DONE: 2, ReferralStatus.ACCEPTED: 1},
        ),
        Key("s", 1, CHILD): Tally(
            served=frozenset({"a", "c", "d"}),
            served_by_category={"低保": frozenset({"a", "c"})},
            referrals={ReferralStatus.IN_PROGRESS: 4},
        ),
    }
)


def test_a_measured_indicator_of_one_domain_or_one_category() -> None:
    people = SYSTEM.indicator("people_served")
    referrals = SYSTEM.indicator("referrals_done")
    assert people is not None and referrals is not None
    assert measured_value(people, COUNTS) == 4  # a, b, c, d: each person once
    assert measured_value(attrs.evolve(people, domain=ELDERLY), COUNTS) == 2
    assert measured_value(attrs.evolve(people, domain=CHILD), COUNTS) == 3
    assert measured_value(attrs.evolve(people, category="低保"), COUNTS) == 2  # a, c
    assert measured_value(attrs.evolve(people, category="低保", domain=CHILD), COUNTS) == 2
    assert measured_value(attrs.evolve(people, category="特困", domain=CHILD), COUNTS) == 0
    assert measured_value(attrs.evolve(people, category="孤儿"), COUNTS) == 0
    assert measured_value(referrals, COUNTS) == 2
    # no referral done: zero, whatever else is under way
    assert measured_value(attrs.evolve(referrals, domain=CHILD), COUNTS) == 0
    assert measured_value(referrals, Counts()) == 0


def test_an_assessed_indicator_has_no_measured_value() -> None:
    sat = SYSTEM.indicator("satisfaction")
    assert sat is not None and sat.measure is None
    with pytest.raises(ValueError, match=r"^not a measured indicator: satisfaction$"):
        measured_value(sat, COUNTS)
    assert measured_value(attrs.evolve(sat, measure=Measure.CASES_CLOSED), COUNTS) == 0


def test_a_dimension_of_no_points_and_no_indicators_scores_zero_points(
    example: Programme,
) -> None:
    # social impact's 15 points and its indicators moved to project management: allowed
    impact, management = PerformanceDimension.SOCIAL_IMPACT, PerformanceDimension.PROJECT_MANAGEMENT
    dims = dict(SYSTEM.dimensions)
    dims[management] += dims[impact]
    dims[impact] = Decimal(0)
    moved = tuple(
        attrs.evolve(i, dimension=management) if i.dimension is impact else i
        for i in SYSTEM.indicators
    )
    profile = profiles.builtin().override(
        "performance_indicators", profiles.ALWAYS, IndicatorSystem(dims, moved)
    )
    card = scorecard(example, profile, "zhengning", 2, dt.date(2025, 12, 1))
    usual = scorecard(example, profiles.builtin(), "zhengning", 2, dt.date(2025, 12, 1))
    assert card.total == usual.total
    data: Any = card.as_dict()
    assert data["dimensions"][-1] == {
        "dimension": "social_impact",
        "weight": "0.00",
        "points": "0.00",
    }
    by_dim = {d["dimension"]: d for d in data["dimensions"]}
    before: Any = usual.as_dict()
    was = {d["dimension"]: Decimal(d["points"]) for d in before["dimensions"]}
    assert Decimal(by_dim["project_management"]["points"]) == (
        was["project_management"] + was["social_impact"]
    )
