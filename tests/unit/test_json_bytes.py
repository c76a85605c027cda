"""``render.json_bytes`` writes exactly ``to_json``'s document, piece by piece (the JSON of a
national ``check --db``, issue 12): on generated JSON values, iterators, ID numbers to mask, and
every example's check in the json reporter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.default_reporters import JsonReporter
from sgz_adapters.render import json_bytes, to_json
from sgz_adapters.views import json_data
from sgz_core.enums import ServiceDomain

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"  # masked in strings and keys alike

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.sampled_from([ID_NUMBER, f"号 {ID_NUMBER}\n", "", "\u2028", '"\\']),
    st.sampled_from(list(ServiceDomain)),  # a str enum: json writes its value
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=5), st.just(ID_NUMBER)), inner, max_size=4),
    ),
    max_leaves=30,
)


def expected(value: Any) -> bytes:
    return (to_json(value) + "\n").encode("utf-8")


@given(value=values)
def test_generated_values(value: Any) -> None:
    assert json_bytes(value) == expected(value)


@given(items=st.lists(values, max_size=5), key=st.text(max_size=3))
def test_iterators_are_written_as_lists(items: list[Any], key: str) -> None:
    assert json_bytes({key: iter(items), "n": len(items)}) == expected(
        {key: items, "n": len(items)}
    )
    assert json_bytes(iter(items)) == expected(items)


def test_keys_that_are_not_text_fall_back_to_the_whole_encoder() -> None:
    value = {"a": {1: "x", None: [1, {}]}, "b": [[], {}, [[]]]}
    assert json_bytes(value) == expected(value)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.name)
def test_every_example_check_renders_as_before(path: Path) -> None:
    result = service.check(path, on=dt.date(2026, 11, 28))
    assert result.findings
    got = JsonReporter().render(result)
    assert got == expected(json_data(result))


texts = st.lists(
    st.one_of(
        st.text(),
        st.sampled_from(
            [ID_NUMBER, "\n", "\x1b[31m", "\u202e", "１１０１０５１９４９１２３１００２x", "0" * 30]
        ),
    ),
    max_size=12,
).map("".join)


@given(text=texts, size=st.integers(0, 40))
def test_text_pieces_clean_like_the_whole(text: str, size: int) -> None:
    """Writing a report a piece at a time (issue 12) shows exactly the cleaned whole."""
    from sgz_adapters.output import clean, text_pieces

    data = text.encode("utf-8", "surrogatepass")
    try:
        whole = data.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            list(text_pieces(data, size))
        return
    pieces = list(text_pieces(data, size))
    assert "".join(pieces) == whole
    assert all(p.endswith("\n") for p in pieces[:-1])
    assert "".join(clean(p) for p in pieces) == clean(whole)


def test_text_pieces_refuse_what_is_not_utf8() -> None:
    from sgz_adapters.output import text_pieces

    with pytest.raises(UnicodeDecodeError):
        list(text_pieces(b"ok\n\xff\xfe\n", 1))


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.name)
def test_every_example_stats_renders_as_before(path: Path) -> None:
    """``stats`` in the json reporter writes its cells one at a time (a national ``stats --db``,
    issue 12): the same bytes as the whole document, per station and year too."""
    result = service.stats(path, on=dt.date(2026, 11, 28))
    assert JsonReporter().render(result) == expected(json_data(result))
    for key in list(result.counts.sorted_keys())[:3]:
        one = service.stats(path, on=dt.date(2026, 11, 28), station=key.station, year=key.year)
        assert JsonReporter().render(one) == expected(json_data(one))


@given(text=texts, cuts=st.lists(st.integers(0, 200), max_size=8), size=st.integers(1, 40))
def test_chunks_are_written_as_the_whole(text: str, cuts: list[int], size: int) -> None:
    """``stats --db --format json`` writes the reporter's chunks as they come (issue 12): the
    same text as the whole document written at once, wherever the chunks are cut (inside a
    UTF-8 character or an ID number too)."""
    import contextlib
    import io
    import itertools

    from sgz_adapters.output import write_bytes, write_chunks

    data = text.encode("utf-8")
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    chunks = [data[a:b] for a, b in itertools.pairwise(points)]
    whole, pieces = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(whole):
        write_bytes(data)
    with contextlib.redirect_stdout(pieces):
        write_chunks(chunks, size)
    assert pieces.getvalue() == whole.getvalue()


def test_the_json_reporter_chunks_join_to_its_document() -> None:
    result = service.stats(ROOT / "examples" / "chengguan.toml", on=dt.date(2026, 11, 28))
    chunks = list(JsonReporter().render_chunks(result))
    assert len(chunks) > 2
    assert b"".join(chunks) == JsonReporter().render(result) == expected(json_data(result))
