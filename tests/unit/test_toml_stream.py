"""``dumps_streamed`` writes exactly ``tomli_w.dumps`` of the whole table, a batch at a time
(``sgz export`` streams its stations so, issue 12)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from sgz_adapters._toml_stream import StreamError, dumps_streamed

KEYS = st.sampled_from(["a", "b", "id", "名字", "x y", "stations", "z"])
SCALARS = st.one_of(
    st.text(max_size=12),
    st.text(min_size=90, max_size=110),  # past tomli_w's 100-character line
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(KEYS, inner, max_size=3),
    ),
    max_leaves=8,
)
TABLES = st.dictionaries(KEYS, VALUES, max_size=4)


def _batches(items: list[dict[str, Any]], cuts: list[int]) -> list[list[dict[str, Any]]]:
    bounds = sorted({min(c, len(items)) for c in cuts} | {0, len(items)})
    out = [items[a:b] for a, b in itertools.pairwise(bounds)]
    return [[], *out, []]  # empty batches are skipped


def _streamed(data: Mapping[str, Any], key: str, batches: Sequence[Sequence[Any]]) -> str:
    calls = []

    def source() -> Iterator[Sequence[Any]]:
        calls.append(1)
        yield from batches

    text = "".join(dumps_streamed({**data, key: "not read"}, key, source))
    assert len(calls) <= 2
    return text


@given(
    data=st.dictionaries(KEYS, VALUES, max_size=5),
    key=KEYS,
    items=st.lists(TABLES, max_size=6),
    cuts=st.lists(st.integers(0, 6), max_size=4),
)
def test_the_pieces_are_the_whole_dump(
    data: dict[str, Any], key: str, items: list[dict[str, Any]], cuts: list[int]
) -> None:
    whole = {**data, key: items}
    assert _streamed(data, key, _batches(items, cuts)) == tomli_w.dumps(whole)


@pytest.mark.parametrize(
    "items",
    [
        [],  # key = []
        [{"a": 1}, {"a": 2}],  # every table fits on a line: one literal of inline tables
        [{"a": 1}, {"a": "x" * 120}],  # one does not: an array of tables, the short one too
        [{"a": "x" * 120}, {"a": 1}, {"b": {"c": [1, 2]}}],
    ],
)
def test_each_form_of_the_list(items: list[dict[str, Any]]) -> None:
    data = {"first": 1, "sub": {"k": dt.date(2024, 7, 1)}, "stations": None, "m": Decimal("1.5")}
    whole = {**data, "stations": items}
    for size in (1, 2, 3):
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        assert _streamed(data, "stations", batches) == tomli_w.dumps(whole)


def test_a_missing_key_or_a_list_of_non_tables_is_refused() -> None:
    with pytest.raises(KeyError):
        list(dumps_streamed({"a": 1}, "stations", lambda: [[{"b": 1}]]))
    with pytest.raises(TypeError, match="stations: expected tables, got int"):
        list(dumps_streamed({"stations": None}, "stations", lambda: [[1]]))


def test_a_tomli_w_that_writes_otherwise_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    import sgz_adapters._toml_stream as module

    real = tomli_w.dumps
    monkeypatch.setattr(module.tomli_w, "dumps", lambda obj: real(obj).replace(" = [\n", " =[\n"))
    with pytest.raises(StreamError, match="expected it to start"):
        list(dumps_streamed({"stations": None}, "stations", lambda: [[{"a": 1}]]))
    # a list of two tables written with a line more than a list of one
    monkeypatch.setattr(
        module.tomli_w,
        "dumps",
        lambda obj: real(obj) + "\n" * (len(next(iter(obj.values()))) > 1),
    )
    with pytest.raises(StreamError, match="expected it to end"):
        list(dumps_streamed({"stations": None}, "stations", lambda: [[{"a": "z" * 120}]]))
