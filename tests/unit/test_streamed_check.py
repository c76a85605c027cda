"""The check read station by station (``check --db``, issue 12) gives exactly the whole check's
findings, in the same order: on the examples, on generated programmes (Hypothesis, the
strategies users get), at every part size, and for the programme-scope rules that look across
stations (LOT-1's earlier station of a lot, SCOPE-2's administrative records, PII-1's records
after a withdrawal of consent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_adapters import files
from sgz_core import profiles
from sgz_core.casework.vocabulary import Consent
from sgz_core.enums import FundingSource
from sgz_core.findings import Finding
from sgz_core.model import Programme
from sgz_core.profiles import Profile
from sgz_core.rules import RULES, Rule, Scope, check, select_rules
from sgz_core.storage import check_parts
from sgz_core.streamed_check import HEAD_RULES, PART_RULES, StreamedCheck, streamable
from sgz_core.testing import strategies as s
from sgz_core.testing.samples import sample_ledger, sample_programme

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
DAYS = (dt.date(2024, 12, 31), dt.date(2025, 9, 1), dt.date(2026, 11, 28))


def streamed(
    programme: Programme,
    profile: Profile,
    on: dt.date,
    size: int,
    only: list[str] | None = None,
) -> list[Finding]:
    head = attrs.evolve(programme, stations=(), records=())
    run = StreamedCheck(head, profile, on, select_rules(only))
    for part in check_parts(programme, size):
        run.add(part.stations, part.records)
    return run.findings()


def test_every_programme_scope_rule_is_streamed() -> None:
    """A new built-in programme-scope rule must say how it is streamed (else it falls back)."""
    programme_wide = {r.id for r in select_rules() if r.scope is Scope.PROGRAMME}
    assert programme_wide == HEAD_RULES | PART_RULES
    assert streamable(select_rules())


def test_a_plugin_rule_is_not_streamable() -> None:
    extra = Rule("ZZZ-1", "x", "t", "t", Scope.STATION, lambda station, ctx: iter(()))
    assert not streamable([*select_rules(), extra])
    copy = attrs.evolve(RULES["SITE-1"])  # same id, not the registered rule
    assert not streamable([copy])
    with pytest.raises(ValueError, match="whole"):
        StreamedCheck(
            Programme(id="p", name="p", start=dt.date(2024, 7, 1)),
            profiles.builtin(),
            DAYS[0],
            [extra],
        )


def test_the_head_holds_no_stations() -> None:
    programme = sample_programme("p")
    with pytest.raises(ValueError, match="no stations"):
        StreamedCheck(programme, profiles.builtin(), DAYS[0], select_rules())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("on", DAYS)
def test_examples(path: Path, on: dt.date) -> None:
    loaded = files.load_programme(path)
    whole = check(loaded.programme, loaded.profile, on)
    assert whole, "an example with nothing to find compares nothing"
    for size in (1, 2, 3, 500):
        assert streamed(loaded.programme, loaded.profile, on, size) == whole, size


ORDER = (3, 0, 6, 1, 7, 2, 5, 4)
"""Programme order of the sample's stations: not the order of their ids (SCOPE-2 and PII-1 sort
by station id, LOT-1 and the station rules go in programme order)."""


def across_stations() -> Programme:
    """Eight stations, not in id order: repeated, missing and unknown lots; administrative
    records paid from station money at every station; a child who withdrew consent and is
    served after it, and another child without a guardian (PII-1's two halves)."""
    base = sample_ledger(sample_programme("across", texts=tuple("东西南北中上下左")), size=300)
    lots = (1, None, 1, 2, 1, 9, 9, 2)  # lot 3 has no station
    stations = tuple(
        attrs.evolve(base.stations[i], lot=lot) for i, lot in zip(ORDER, lots, strict=True)
    )
    records = tuple(
        attrs.evolve(r, administrative=True, fund=FundingSource.DISTRICT if i % 2 else None)
        if i % 7 == 0
        else r
        for i, r in enumerate(base.records)
    )
    child = {"registered": base.start, "birth_date": dt.date(2016, 5, 1)}
    people = tuple(
        attrs.evolve(b, consent=Consent.WITHDRAWN, consent_date=dt.date(2025, 1, 1), **child)
        if b.id == "b1"
        else b
        for b in base.beneficiaries
    )
    other = attrs.evolve(
        people[0], id="b9", station=stations[5].id, consent=Consent.NONE, consent_date=None
    )
    return attrs.evolve(base, stations=stations, records=records, beneficiaries=(other, *people))


@pytest.mark.parametrize("on", DAYS)
def test_rules_across_stations(on: dt.date) -> None:
    programme = across_stations()
    profile = profiles.builtin()
    whole = check(programme, profile, on)
    rules = {f.rule for f in whole}
    assert {"LOT-1", "SCOPE-2"} <= rules
    if on == DAYS[-1]:
        pii = [f for f in whole if f.rule == "PII-1"]
        assert sum("no guardian" in f.message_en for f in pii) == 2
        assert sum("withdrew" in f.message_en for f in pii) == len(programme.stations)
        paid = [f for f in whole if "paid from station money" in f.message_en]
        assert [f.station for f in paid] == sorted(s.id for s in programme.stations)
        assert [s.id for s in programme.stations] != sorted(s.id for s in programme.stations)
        assert any(f.rule == "LOT-1" and f.station is None for f in whole)  # lot 3
    for size in (1, 2, 3, 5, 8):
        assert streamed(programme, profile, on, size) == whole, size
    for only in (["LOT-1"], ["PII-1", "SCOPE-2"], ["FUND-9", "SITE-1", "PERF-3"]):
        assert streamed(programme, profile, on, 3, only) == check(programme, profile, on, only=only)


@settings(max_examples=40, deadline=None)
@given(
    programme=s.casework_programmes(max_stations=4, max_records=10),
    profile=s.profiles(),
    on=st.dates(dt.date(2000, 1, 1), dt.date(2065, 12, 31)),
    size=st.integers(1, 4),
    funds=st.lists(st.sampled_from([None, *FundingSource]), max_size=10),
)
def test_generated_programmes(
    programme: Programme,
    profile: Profile,
    on: dt.date,
    size: int,
    funds: list[FundingSource | None],
) -> None:
    # the generated records never name a fund: give some administrative ones one (SCOPE-2)
    records = tuple(
        attrs.evolve(r, fund=funds[i]) if r.administrative and i < len(funds) else r
        for i, r in enumerate(programme.records)
    )
    programme = attrs.evolve(programme, records=records)
    try:
        whole = check(programme, profile, on)
    except Exception as exc:  # a profile without values on the day: raised either way
        with pytest.raises(type(exc)):
            streamed(programme, profile, on, size)
        return
    assert streamed(programme, profile, on, size) == whole
