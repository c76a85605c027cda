"""A programme's money part (``sgz_core.storage.money_part``, issue 11, PAY-1) gives the same
disbursement schedule and the same payment decisions as the whole programme, on generated
programmes (suspensions, their corrective actions and lifting, stops, renewals) and on every
example; and it holds nothing the money use cases do not read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import event, given, settings

from sgz_adapters import files
from sgz_core import profiles
from sgz_core.disbursement import schedule
from sgz_core.enums import Outcome
from sgz_core.model import ContractYear, Programme, Station
from sgz_core.payments import PayRequest, decide, decide_many
from sgz_core.programme_file import loads
from sgz_core.storage import MONEY_DROPS_STATION, MONEY_DROPS_YEAR, money_part
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml")) + sorted(
    (ROOT / "examples" / "money-year").glob("0*.toml")
)
"""Every example, and the worked year of docs/money.md: a mid-term correct, its actions closed."""


def days_of(programme: Programme) -> list[dt.date]:
    """Every milestone day of the programme, the day before and after, and two far days."""
    found = {programme.start - dt.timedelta(days=1), programme.start + dt.timedelta(days=4000)}
    for station in programme.stations:
        for year in station.years:
            marks = [year.signed] if year.signed else []
            marks += [e.date for e in year.evaluations]
            marks += [a.closed for a in year.actions if a.closed]
            for day in marks:
                found |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return sorted(found)


def requests_of(
    programme: Programme, profile: profiles.Profile, days: list[dt.date]
) -> list[PayRequest]:
    return [
        PayRequest(station.id, year.year, spec.milestone, day, "李会计", "V-1")
        for station in programme.stations
        for year in station.years
        for spec in profile.at(programme.year_start(year.year)).tranches
        for day in days[:: max(1, len(days) // 6)]
    ]


def assert_same_money(programme: Programme, profile: profiles.Profile) -> None:
    lean = money_part(programme)
    days = days_of(programme)
    for day in days:
        assert schedule(lean, profile, day) == schedule(programme, profile, day), day
    asked = requests_of(programme, profile, days)
    assert decide_many(lean, profile, asked) == decide_many(programme, profile, asked)
    for r in asked[:: max(1, len(asked) // 25)]:
        kwargs = {
            "station": r.station,
            "year": r.year,
            "milestone": r.tranche,
            "on": r.on,
            "by": r.by,
            "reference": r.reference,
        }
        assert decide(lean, profile, **kwargs) == decide(programme, profile, **kwargs)


@settings(max_examples=120, deadline=None)
@given(programme=s.money_programmes())
def test_the_money_part_gives_the_same_schedule_and_decisions(programme: Programme) -> None:
    years = [y for st_ in programme.stations for y in st_.years]
    outcomes = {e.outcome for y in years for e in y.evaluations}
    for outcome in Outcome:  # what the runs exercised (hypothesis --hypothesis-show-statistics)
        if outcome in outcomes:
            event(f"an evaluation says {outcome.value}")
    if any(y.actions for y in years):
        event("corrective actions")
    assert_same_money(programme, profiles.builtin(programme.profile))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gives_the_same_schedule_and_decisions(path: Path) -> None:
    loaded = files.load_programme(path)  # with the profile it names (a file of its own too)
    assert_same_money(loaded.programme, loaded.profile)


@given(programme=s.money_programmes(max_stations=2))
def test_the_money_part_keeps_only_what_money_reads(programme: Programme) -> None:
    lean = money_part(programme)
    assert (lean.id, lean.name, lean.start, lean.profile) == (
        programme.id,
        programme.name,
        programme.start,
        programme.profile,
    )
    assert attrs.evolve(lean, stations=()) == Programme(
        programme.id, programme.name, programme.start, programme.profile
    )
    station_defaults = {f.name: f.default for f in attrs.fields(Station)}
    year_defaults = {f.name: f.default for f in attrs.fields(ContractYear)}
    assert len(lean.stations) == len(programme.stations)
    for kept, whole in zip(lean.stations, programme.stations, strict=True):
        for name in MONEY_DROPS_STATION:
            assert getattr(kept, name) == station_defaults[name]
        assert (kept.id, kept.street, kept.contractor) == (whole.id, whole.street, whole.contractor)
        assert len(kept.years) == len(whole.years)
        for year, full in zip(kept.years, whole.years, strict=True):
            for name in MONEY_DROPS_YEAR:
                assert getattr(year, name) == year_defaults[name]
            assert attrs.evolve(full, **{n: year_defaults[n] for n in MONEY_DROPS_YEAR}) == year
    assert money_part(lean) == lean


def test_the_example_s_money_part_drops_its_staff_and_sections() -> None:
    programme = loads((ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml")
    lean = money_part(programme)
    assert any(st_.staff for st_ in programme.stations)
    assert not any(st_.staff or st_.premises for st_ in lean.stations)
    assert not lean.contractors and not lean.records and not lean.beneficiaries
    assert sum(len(y.funding) for st_ in lean.stations for y in st_.years) == sum(
        len(y.funding) for st_ in programme.stations for y in st_.years
    )
