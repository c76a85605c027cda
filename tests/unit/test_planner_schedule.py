"""The planner agrees with the disbursement schedule (PAY-1, FUND-1, FUND-2, PROF-1): a
programme of N identical stations, each year funded at the plan's base shares, signed on the
year's first day and evaluated (pass) on each evaluation's deadline, is paid by ``sgz
schedule`` exactly what ``sgz plan`` budgets, tranche by tranche, on the planned days."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sgz_adapters.service as sgz
from sgz_adapters.cli import main
from sgz_core import programme_file
from sgz_core.enums import EvaluationKind, Milestone, Outcome, TrancheStatus
from sgz_core.model import Contractor, ContractYear, Evaluation, Funding, Programme, Station
from sgz_core.money import ZERO
from sgz_core.planner import Plan, plan
from sgz_core.profiles import Profile
from sgz_core.testing import strategies as sgzst

ROOT = Path(__file__).resolve().parents[2]
_KIND = {Milestone.MID_TERM: EvaluationKind.MID_TERM, Milestone.FINAL: EvaluationKind.FINAL}


def _programme_of(p: Plan) -> Programme:
    """N stations funded at the plan's base shares, every milestone on its planned day."""
    years = []
    for y in p.years:
        evaluations = [
            Evaluation(_KIND[t.milestone], t.date, Decimal(100), Outcome.PASS)
            for t in y.tranches
            if t.milestone in _KIND
        ]
        years.append(
            ContractYear(
                y.year,
                y.start,
                tuple(Funding(level, share) for level, share in y.station_shares.items()),
                tuple(evaluations),
            )
        )
    stations = [Station(f"s{i}", f"街道{i}", "c", years=tuple(years)) for i in range(p.stations)]
    contractor = Contractor("c", "承接机构", "52620102MJ0000000X")
    return Programme(
        "planned", "planned", p.start, contractors=(contractor,), stations=tuple(stations)
    )


@settings(max_examples=60, deadline=None)
@given(
    sgzst.profiles(),
    st.integers(1, 6),
    sgzst.plan_starts(last=dt.date(2200, 12, 31)),
    st.integers(1, 4),
)
def test_pay1_the_schedule_of_n_planned_stations_is_the_plan(
    profile: Profile, stations: int, start: dt.date, years: int
) -> None:
    p = plan(stations, profile, start, years)
    programme = _programme_of(p)
    on = max(t.date for y in p.years for t in y.tranches)
    result = sgz.schedule(programme, on=on, profile=profile)
    paid: dict[tuple[int, Milestone], list[Decimal]] = defaultdict(list)
    days: dict[tuple[int, Milestone], set[dt.date | None]] = defaultdict(set)
    for t in result.tranches:
        assert t.status is TrancheStatus.DUE, t
        paid[t.year, t.milestone].append(t.amount)
        days[t.year, t.milestone].add(t.date)
    for y in p.years:
        assert programme.year_start(y.year) == y.start
        assert programme.year_end(y.year) == y.end
        for t in y.tranches:
            amounts = paid[y.year, t.milestone]
            assert amounts == [t.per_station] * stations * (
                sum(1 for u in y.tranches if u.milestone is t.milestone)
            )
            assert days[y.year, t.milestone] == {t.date}
        scheduled = sum((t.amount for t in result.tranches if t.year == y.year), ZERO)
        assert scheduled == y.total
    assert sum((t.amount for t in result.tranches), ZERO) == p.total


@settings(max_examples=40, deadline=None)
@given(
    sgzst.profiles(),
    st.integers(1, 4),
    sgzst.plan_starts(last=dt.date(2200, 12, 31)),
    st.integers(1, 3),
)
def test_fund1_fund2_a_programme_funded_as_planned_has_no_funding_finding(
    profile: Profile, stations: int, start: dt.date, years: int
) -> None:
    """FUND-1, FUND-2: the plan's base shares meet the minimum and the ratio in every year."""
    p = plan(stations, profile, start, years)
    result = sgz.check(_programme_of(p), on=p.end, profile=profile, only=["FUND-1", "FUND-2"])
    funding = [f for f in result.findings if f.rule in ("FUND-1", "FUND-2")]
    assert funding == []


@pytest.mark.parametrize(
    ("profile", "stations", "start", "years"),
    [
        ("lanzhou-chengguan", 3, "2024-07-01", 3),
        ("lanzhou-chengguan", 7, "2024-02-29", 5),
        ("lanzhou-chengguan", 1, "2023-12-31", 2),
        ("lanzhou-chengguan", 11, "2024-01-31", 1),
        (str(ROOT / "examples" / "profiles" / "guangdong-shuangbai.toml"), 5, "2018-07-01", 3),
        (str(ROOT / "tests" / "data" / "eighths-profile.toml"), 3, "2025-03-31", 2),
    ],
)
def test_pay1_sgz_schedule_of_a_programme_file_agrees_with_sgz_plan(
    profile: str,
    stations: int,
    start: str,
    years: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command line end to end: ``sgz plan`` and ``sgz schedule`` of a programme file of
    N stations funded at the plan's base shares give the same money per year and milestone."""
    args = ["plan", "--stations", str(stations), "--profile", profile, "--start", start]
    assert main([*args, "--years", str(years), "--format", "json"]) == 0
    planned = json.loads(capsys.readouterr().out)
    result = sgz.plan(
        stations=stations, profile=profile, start=dt.date.fromisoformat(start), years=years
    )
    programme = attrs.evolve(_programme_of(result.plan), profile=profile)
    path = tmp_path / "programme.toml"
    path.write_text(programme_file.dumps(programme), "utf-8")
    on = max(t["date"] for y in planned["years"] for t in y["tranches"])
    assert main(["schedule", str(path), "--on", on, "--format", "json"]) == 0
    scheduled = json.loads(capsys.readouterr().out)["tranches"]
    got: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for t in scheduled:
        assert t["status"] == "due" and t["date"] is not None
        got[t["year"], t["milestone"]] += Decimal(t["amount"])
    want: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for y in planned["years"]:
        for t in y["tranches"]:
            want[y["year"], t["milestone"]] += Decimal(t["total"])
            days = {
                s["date"]
                for s in scheduled
                if (s["year"], s["milestone"]) == (y["year"], t["milestone"])
            }
            assert days == {t["date"]}
    assert got == want
    assert sum(got.values(), ZERO) == Decimal(planned["totals"]["total"])
