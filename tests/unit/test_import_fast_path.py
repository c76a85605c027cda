"""The first import's fast paths (issue 12) give exactly what the paths they replace give.

- ``RecordCodec.encode_many`` (one generated loop over the ledger) writes, record for record,
  the general path's row (``entity_row`` of the unstructured record), for records with every
  optional field, unicode and the edges of each column, records whose values do not fit a
  column (kept in ``extra``) and records of a subclass;
- ``casework_problems`` with its check of the distinct names the ledger uses reports the same
  problems, in the same order, as the loop over every record (the old path).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_adapters.storage import _tabular as tabular
from sgz_core.casework import references
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.enums import FundingSource
from sgz_core.jsonvalue import to_plain
from sgz_core.model import Programme
from sgz_core.testing import strategies
from sgz_core.testing.samples import TRICKY_STRINGS, sample_ledger, sample_programme

_texts = st.text(max_size=12) | st.sampled_from(TRICKY_STRINGS)
_decimals = st.decimals(0, 10**6, places=4) | st.sampled_from(
    [Decimal("1E+2"), Decimal("0E-7"), Decimal("1.50"), Decimal("0." + "0" * 98 + "1")]
)


@attrs.frozen
class LaterRecord(ServiceRecord):
    """A record class with a field the ledger table does not know (the general path)."""

    tag: str = ""


@st.composite
def _records(draw: st.DrawFn) -> Any:
    people = draw(st.lists(_texts, unique=True, max_size=4))
    record = draw(strategies.service_records(station=_texts, worker=_texts, beneficiaries=people))
    record = attrs.evolve(
        record,
        group=draw(_texts),
        participants=draw(st.sampled_from([0, 1, 10**6]) | st.integers(0, 10**6)),
        case=draw(st.none() | _texts | st.just("c" * 255) | st.just("c" * 256)),
        volunteers=draw(st.integers(1, 10**6)),  # volunteer hours need volunteers
        volunteer_team=draw(st.none() | _texts | st.just("t" * 300)),
        fund=draw(st.none() | st.sampled_from(list(FundingSource))),
        note=draw(_texts),
        hours=draw(_decimals),
        volunteer_hours=draw(_decimals),
        station=draw(_texts | st.just("s" * 256)),
    )
    if draw(st.booleans()) and draw(st.booleans()):
        return LaterRecord(**{f.name: getattr(record, f.name) for f in attrs.fields(ServiceRecord)})
    return record


def _general(records: list[Any], dates_as_text: bool) -> list[tuple[Any, ...]]:
    return [
        tabular.entity_row(tabular.RECORDS, ("p", pos), to_plain(r), dates_as_text)
        for pos, r in enumerate(records)
    ]


@given(st.lists(_records(), max_size=6), st.booleans())
def test_encode_many_writes_the_general_paths_rows(records: list[Any], dates_as_text: bool) -> None:
    codec = tabular.record_codec(ServiceRecord)
    rows = list(codec.encode_many("p", records, dates_as_text))
    assert rows == _general(records, dates_as_text)
    assert rows == [codec.encode(("p", i), r, dates_as_text) for i, r in enumerate(records)] or any(
        type(r) is not ServiceRecord for r in records
    )


def test_encode_many_on_the_sample_ledger_and_its_edges() -> None:
    programme = sample_ledger(sample_programme("p", texts=TRICKY_STRINGS), size=500)
    records = list(programme.records)
    base = records[0]
    records += [
        attrs.evolve(base, station="s" * 255),  # the longest key a column takes
        attrs.evolve(base, station="s" * 256),  # one more: kept in extra
        attrs.evolve(base, hours=Decimal("1." + "0" * 98)),  # 100 characters as text
        attrs.evolve(base, hours=Decimal("1." + "0" * 99)),  # 101: kept in extra
        attrs.evolve(base, participants=10**6, volunteers=10**6),
        attrs.evolve(base, beneficiaries=('a"b', "c\\d", "\u4e00\x00\u2028", "\ud800")),
        attrs.evolve(base, beneficiaries=()),
    ]
    rows = list(tabular.record_codec(ServiceRecord).encode_many("p", records, True))
    assert rows == _general(records, True)
    names = [c.name for c in tabular.RECORDS.all_columns]
    assert rows[-6][names.index("station")] is None and rows[-6][-1] is not None
    assert rows[-5][names.index("hours")] == "1." + "0" * 98 and rows[-5][-1] is None
    assert rows[-4][names.index("hours")] is None and rows[-4][-1] is not None
    assert (
        rows[-2][names.index("beneficiaries")]
        == '["a\\"b","c\\\\d","\u4e00\\u0000\u2028","\ud800"]'
    )


@given(st.lists(st.text(max_size=6) | st.sampled_from(TRICKY_STRINGS), unique=True, max_size=5))
def test_beneficiary_lists_are_written_as_the_json_encoder_writes_them(items: list[str]) -> None:
    assert tabular._encode_strings(tuple(items)) == tabular._JSON_TEXT(items)


# --- casework_problems: the check of distinct names against the loop over every record --------


def _loop_only(monkeypatch: pytest.MonkeyPatch, programme: Programme) -> list[Any]:
    with monkeypatch.context() as m:
        m.setattr(references, "_ledger_names_known", lambda *args: False)
        return list(references.casework_problems(programme))


@st.composite
def _broken(draw: st.DrawFn) -> Programme:
    """A casework programme some of whose records name what does not exist (or is not theirs)."""
    programme = draw(strategies.casework_programmes(max_records=6))
    records = list(programme.records)
    other = [c.id for c in programme.cases]
    for i in draw(st.lists(st.integers(0, max(0, len(records) - 1)), max_size=4)):
        if not records:
            break
        r = records[i]
        change = draw(st.sampled_from(["station", "worker", "people", "team", "case", "none"]))
        if change == "station":
            r = attrs.evolve(r, station=draw(st.sampled_from(["nowhere", r.station])))
        elif change == "worker":
            r = attrs.evolve(r, worker=draw(st.sampled_from(["nobody", "", r.worker])))
        elif change == "people" and r.beneficiaries:
            r = attrs.evolve(r, beneficiaries=(*r.beneficiaries[:-1], "stranger"))
        elif change == "team":
            r = attrs.evolve(r, volunteer_team=draw(st.sampled_from(["no-team", ""])))
        elif change == "case":
            r = attrs.evolve(r, case=draw(st.sampled_from(["no-case", "", *other])))
        elif change == "none":
            r = attrs.evolve(r, case=None, volunteer_team=None)
        records[i] = r
    return attrs.evolve(programme, records=tuple(records))


@given(_broken())
def test_casework_problems_are_the_loops_in_its_order(programme: Programme) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert list(references.casework_problems(programme)) == _loop_only(monkeypatch, programme)


def test_casework_problems_on_a_large_ledger_with_a_few_bad_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    programme = sample_ledger(sample_programme("p", texts=("一", "二")), size=3000)
    assert list(references.casework_problems(programme)) == []
    assert references._ledger_names_known(
        programme.records,
        {s.id: s for s in programme.stations},
        {s.id: {m.name for m in s.staff} for s in programme.stations},
        {b.id: b for b in programme.beneficiaries},
        {t.id for t in programme.volunteer_teams},
    )
    records = list(programme.records)
    records[7] = attrs.evolve(records[7], worker="nobody")
    records[2999] = attrs.evolve(records[2999], station="nowhere")
    broken = attrs.evolve(programme, records=tuple(records))
    found = list(references.casework_problems(broken))
    assert found == _loop_only(monkeypatch, broken)
    assert [p.path for p in found][:1] == ["records[7].worker"]
    assert "records[2999].station" in [p.path for p in found]


def test_an_unhashable_name_takes_the_loop_and_raises_as_it_did(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    programme = sample_ledger(sample_programme("p"), size=3)
    record = programme.records[0]
    odd = attrs.evolve(programme, records=(record, attrs.evolve(record, station=["s0"])))  # type: ignore[arg-type]
    with pytest.raises(TypeError) as fast:
        list(references.casework_problems(odd))
    with pytest.raises(TypeError) as slow:
        _loop_only(monkeypatch, odd)
    assert str(fast.value) == str(slow.value)


def test_records_dates_do_not_matter_to_the_name_check() -> None:
    programme = sample_ledger(sample_programme("p"), size=10)
    moved = attrs.evolve(
        programme,
        records=tuple(
            attrs.evolve(r, date=r.date + dt.timedelta(days=1)) for r in programme.records
        ),
    )
    assert list(references.casework_problems(moved)) == list(
        references.casework_problems(programme)
    )
