"""The storage layout: payload codec, rows of a programme and back, the ledger's fast path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import tabular
from sgz_core._convert import unstructure
from sgz_core.testing.samples import TRICKY_STRINGS, sample_ledger, sample_programme

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False) | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_payloads_round_trip_exactly(value: Any) -> None:
    back = tabular.load_payload(tabular.dump_payload(value))
    assert back == value
    assert repr(back) == repr(value)  # Decimal('1.10') stays 1.10; dates stay dates


def test_tags_are_escaped_in_user_dicts() -> None:
    for value in ({"$decimal": "1"}, {"$date": "x"}, {"$dict": []}, {"$": {"$decimal": Decimal("2")}}):
        assert tabular.load_payload(tabular.dump_payload(value)) == value


def _store(programme: Any, dates_as_text: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    return {part.table.name: list(part.rows) for part in tabular.to_rows(programme, dates_as_text=dates_as_text)}


def test_rows_round_trip_a_programme_with_a_ledger() -> None:
    programme = sample_ledger(sample_programme("p", texts=TRICKY_STRINGS))
    for as_text in (True, False):
        store = _store(programme, as_text)
        assert len(store["service_records"]) == len(programme.records)
        assert tabular.from_rows(lambda t, s=store: s[t.name]) == programme


def test_the_fast_ledger_path_writes_the_general_paths_rows() -> None:
    programme = sample_ledger(sample_programme("p", texts=("一", "二")))
    fast = _store(programme)["service_records"]
    general = [tabular.entity_row(tabular.RECORDS, ("p", i), unstructure(r), dates_as_text=True)
               for i, r in enumerate(programme.records)]
    assert fast == general
    codec = tabular.record_codec(type(programme.records[0]))
    assert [codec.decode(row) for row in general] == list(programme.records)
    assert [tabular.structure(tabular.entity_dict(tabular.RECORDS, row), codec.cls) for row in fast] == list(
        programme.records)


def test_values_that_do_not_fit_a_column_are_kept_in_extra() -> None:
    programme = sample_ledger(sample_programme("p"), size=3)
    long_station = "s" * 300  # longer than an indexed key column
    record = attrs.evolve(programme.records[0], station=long_station)
    row = tabular.record_codec(type(record)).encode(("p", 0), record, True)
    names = [c.name for c in tabular.RECORDS.all_columns]
    assert row[names.index("station")] is None and long_station in row[-1]
    assert tabular.record_from_row(row, type(record)) == record


def test_unknown_sections_and_fields_go_to_payloads() -> None:
    programme = sample_programme("p")
    store = _store(programme)
    names = {row[1] for row in store["sections"]}
    tabled = {"id", "name", "start", "profile", "contractors", "stations", "records"}
    assert names == {f.name for f in attrs.fields(type(programme))} - tabled
    assert tabular.from_rows(lambda t: store[t.name]) == programme


def test_money_is_integer_fen_and_dates_are_dates() -> None:
    store = _store(sample_programme("p"), dates_as_text=False)
    funding = store["funding"]
    assert [row[5] for row in funding] == [5000000, 1, 5000001, 9999999999999]
    years = store["contract_years"]
    assert years[0][4] == dt.date(2024, 7, 1)
