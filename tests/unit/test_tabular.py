"""The storage layout (``sgz_adapters.storage._tabular``): rows of a programme and back, the
ledger's fast path, strict reading of cells; and the core's JSON-value codec it uses."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_adapters.storage import _tabular as tabular
from sgz_core import jsonvalue
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.enums import FundingSource
from sgz_core.errors import InvalidInput, StorageError
from sgz_core.jsonvalue import from_plain
from sgz_core.jsonvalue import to_plain as unstructure
from sgz_core.testing import strategies
from sgz_core.testing.samples import TRICKY_STRINGS, sample_ledger, sample_programme

plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(plain)
def test_payloads_round_trip_exactly(value: Any) -> None:
    back = jsonvalue.load_payload(jsonvalue.dump_payload(value))
    assert back == value
    assert repr(back) == repr(value)  # Decimal('1.10') stays 1.10; dates stay dates


def test_tags_are_escaped_in_user_dicts() -> None:
    for value in (
        {"$decimal": "1"},
        {"$date": "x"},
        {"$dict": []},
        {"$": {"$decimal": Decimal("2")}},
    ):
        assert jsonvalue.load_payload(jsonvalue.dump_payload(value)) == value


def _store(programme: Any, dates_as_text: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    return {
        part.table.name: list(part.rows)
        for part in tabular.to_rows(programme, dates_as_text=dates_as_text)
    }


def test_rows_round_trip_a_programme_with_a_ledger() -> None:
    programme = sample_ledger(sample_programme("p", texts=TRICKY_STRINGS))
    for as_text in (True, False):
        store = _store(programme, as_text)
        assert len(store["service_records"]) == len(programme.records)
        assert tabular.from_rows(lambda t, s=store: s[t.name]) == programme


def test_the_fast_ledger_path_writes_the_general_paths_rows() -> None:
    programme = sample_ledger(sample_programme("p", texts=("一", "二")))
    fast = _store(programme)["service_records"]
    general = [
        tabular.entity_row(tabular.RECORDS, ("p", i), unstructure(r), dates_as_text=True)
        for i, r in enumerate(programme.records)
    ]
    assert fast == general
    codec = tabular.record_codec(type(programme.records[0]))
    assert [codec.decode(row) for row in general] == list(programme.records)
    assert [
        from_plain(tabular.entity_dict(tabular.RECORDS, row), codec.cls) for row in fast
    ] == list(programme.records)


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
    tabled |= {"hardship_relief"}
    assert names == {f.name for f in attrs.fields(type(programme))} - tabled
    assert tabular.from_rows(lambda t: store[t.name]) == programme


def test_money_is_integer_fen_and_dates_are_dates() -> None:
    store = _store(sample_programme("p"), dates_as_text=False)
    funding = store["funding"]
    assert [row[5] for row in funding] == [5000000, 1, 5000001, 9999999999999, 10]
    assert [row[6] for row in funding] == [None] * 4 + ['["样例","services"]']  # purposes
    years = store["contract_years"]
    assert years[0][4] == dt.date(2024, 7, 1)
    receipts = store["receipts"]  # date, source, amount_fen, note, extra
    assert [row[4:] for row in receipts] == [
        (dt.date(2024, 7, 5), "province", 5000000, "样例", None),
        (dt.date(2024, 7, 6), "external", 10, "", None),
    ]
    relief = store["hardship_relief"]  # year, budget_fen, social_work_fen, note, extra
    assert [row[2:] for row in relief] == [(1, 9999999999, 1, "", None), (2, 0, 0, "样例", None)]


# --- the generated codec ---------------------------------------------------------------------


_texts = st.text(max_size=12) | st.sampled_from(TRICKY_STRINGS)


@st.composite
def _records(draw: st.DrawFn) -> Any:
    people = draw(st.lists(_texts, unique=True, max_size=4))
    record = draw(strategies.service_records(station=_texts, worker=_texts, beneficiaries=people))
    return attrs.evolve(
        record,
        group=draw(_texts),
        case=draw(st.none() | _texts),
        volunteer_team=draw(st.none() | _texts | st.just("t" * 300)),
        fund=draw(st.none() | st.sampled_from(list(FundingSource))),
        note=draw(_texts),
        hours=draw(
            st.decimals(0, 10**6, places=draw(st.integers(0, 4))) | st.just(Decimal("1E+2"))
        ),
    )


@given(_records(), st.booleans())
def test_the_generated_codec_agrees_with_the_general_path(record: Any, dates_as_text: bool) -> None:
    codec = tabular.record_codec(type(record))
    row = codec.encode(("p", 7), record, dates_as_text)
    assert row == tabular.entity_row(tabular.RECORDS, ("p", 7), unstructure(record), dates_as_text)
    back = codec.decode(row)
    assert back == record
    assert repr(back.hours) == repr(record.hours)  # 1.50 stays 1.50
    assert codec._general_record(row) == record


@given(st.lists(_texts, max_size=5).map(tuple))
def test_beneficiary_lists_round_trip_through_their_column(items: tuple[str, ...]) -> None:
    text = tabular._encode_strings(items)
    assert tabular._decode_strings(text) == items
    assert json.loads(text) == list(items)


def test_beneficiary_lists_not_written_by_sgz_are_read_as_json() -> None:
    for text in ('["a", "b"]', '[ "a","b" ]', '["a\\",\\"b"]', '["\\u4e00"]'):
        assert tabular._decode_strings(text) == tuple(json.loads(text))


def _row(**changes: Any) -> tuple[Any, ...]:
    record = sample_ledger(sample_programme("p"), size=3).records[2]
    row = list(tabular.record_codec(type(record)).encode(("p", 0), record, True))
    names = [c.name for c in tabular.RECORDS.all_columns]
    for name, value in changes.items():
        row[names.index(name)] = value
    return tuple(row)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"domain": "astrology"}, "domain"),
        ({"hours": "-1"}, "hours"),
        ({"hours": "abc"}, "column hours: expected an exact decimal such as 12.5, got 'abc'"),
        ({"hours": " 1.5"}, "column hours: expected an exact decimal"),
        ({"hours": "1_0"}, "column hours: expected an exact decimal"),
        ({"hours": "NaN"}, "column hours: expected an exact decimal"),
        ({"hours": 1.5}, "column hours: expected an exact decimal"),
        ({"administrative": 2}, "column administrative: expected a boolean"),
        ({"administrative": "no"}, "column administrative: expected a boolean"),
        ({"participants": 1.5}, "column participants: expected a whole number"),
        ({"participants": "3"}, "column participants: expected a whole number"),
        ({"extra": "{bad"}, "column extra: not exact tagged JSON"),
        ({"extra": "[1]"}, "column extra: expected a JSON object"),
        ({"beneficiaries": "[1,"}, "column beneficiaries: not exact tagged JSON"),
        ({"date": "20240701"}, "column date: expected a date as YYYY-MM-DD"),
        ({"date": "2024-W01-1"}, "column date: expected a date as YYYY-MM-DD"),
        ({"date": None}, "column date"),
        ({"station": None}, "column station"),
        ({"hours": None}, "hours"),
        ({"service": "visit", "beneficiaries": "[]"}, "beneficiaries"),
        ({"domain": "elderly", "service": "premarital_counselling"}, "service"),
        ({"station": b"bytes"}, "station"),
        ({"participants": -3}, "participants"),
        ({"beneficiaries": "[1, 2]"}, "beneficiaries"),
        ({"date": "2024-02-30"}, "column date: expected a date as YYYY-MM-DD, got '2024-02-30'"),
    ],
)
def test_a_corrupt_row_is_a_storage_error_naming_the_field(
    changes: dict[str, Any], expected: str
) -> None:
    row = _row(**changes)
    with pytest.raises(StorageError, match=expected) as caught:
        tabular.record_codec(ServiceRecord, "x.db").decode(row)
    assert str(caught.value).startswith("x.db: table service_records, programme 'p', row pos 0")


def test_only_plain_slotted_attrs_classes_skip_init() -> None:
    assert tabular._plain_slotted(ServiceRecord)

    @attrs.frozen
    class Checked:
        x: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.define(slots=False)
    class Dict:
        x: int

    @attrs.frozen(cache_hash=True)
    class Cached:
        x: int

    class Plain:
        pass

    assert not any(tabular._plain_slotted(c) for c in (Checked, Dict, Cached, Plain))


def _programme_store() -> dict[str, list[tuple[Any, ...]]]:
    return _store(sample_ledger(sample_programme("p"), size=3))


def _edit(store: dict[str, list[tuple[Any, ...]]], table: str, row: int, column: str, value: Any):
    names = [c.name for c in tabular.TABLES[table].all_columns]
    cells = list(store[table][row])
    cells[names.index(column)] = value
    store[table][row] = tuple(cells)


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "expected"),
    [
        ("programmes", 0, "start", "soon", "table programmes, programme 'p', column start"),
        ("programmes", 0, "name", None, "table programmes, programme 'p', column name"),
        ("programmes", 0, "name", 7, "table programmes, programme 'p', column name"),
        (
            "funding",
            1,
            "amount_fen",
            12.5,
            "table funding, programme 'p', row station_pos 0, "
            "year_pos 0, pos 1, column amount_fen: expected a whole number of fen",
        ),
        (
            "funding",
            0,
            "source",
            "moon",
            "table funding, programme 'p', row station_pos 0, year_pos 0, pos 0, column source",
        ),
        ("evaluations", 0, "score", "8x", "table evaluations, .* column score"),
        ("staff", 0, "social_work_degree", "yes", "table staff, .* column social_work_degree"),
        ("stations", 0, "communities", "[", "table stations, .* column communities"),
        ("stations", 0, "activity_area_m2", "-", "table stations, .* column activity_area_m2"),
        ("contract_years", 0, "signed", "2024-13-01", "table contract_years, .* column signed"),
        ("sections", 0, "payload", "{", "table sections, programme 'p', row name .*payload"),
    ],
)
def test_a_corrupt_cell_of_a_programme_names_table_programme_row_and_column(
    table: str, row: int, column: str, value: Any, expected: str
) -> None:
    store = _programme_store()
    _edit(store, table, row, column, value)
    with pytest.raises(StorageError, match=expected):
        tabular.from_rows(lambda t: store[t.name], "x.db")


def test_a_programme_level_problem_is_located_in_its_table() -> None:
    store = _programme_store()
    _edit(store, "staff", 0, "role", "wizard")
    with pytest.raises(
        StorageError,
        match=r"table staff, programme 'p', row station_pos 0, pos 0, "
        r"column role",
    ):
        tabular.from_rows(lambda t: store[t.name], "x.db")


def test_payloads_that_sgz_did_not_write_are_invalid_input() -> None:
    for text in ("{", '{"$decimal": 5}', '{"$date": "x"}', '{"$dict": 3}', "1.5", "[" * 5000):
        with pytest.raises(InvalidInput):
            jsonvalue.load_payload(text)


def test_values_round_trip_through_the_core_json_codec() -> None:
    programme = sample_ledger(sample_programme("p", texts=TRICKY_STRINGS))
    from sgz_core.model import Programme

    assert jsonvalue.load_value(jsonvalue.dump_value(programme), Programme) == programme
    with pytest.raises(StorageError, match="Programme cannot be read back"):
        jsonvalue.load_value('{"id": 3}', Programme)
