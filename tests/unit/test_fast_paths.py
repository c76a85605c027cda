"""The loader's fast paths give exactly what the detailed paths give (issue 12).

Structuring runs a non-detailed cattrs converter first and the detailed one only when that
fails, so a file that loads gives the same programme and a file that does not gives the same
problems, word for word. Enum lookups and ``to_money`` take shortcuts for the common case.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_core import _convert, money, programme_file
from sgz_core.enums import FundingSource, Labelled, Qualification, StaffRole
from sgz_core.errors import InvalidInput
from sgz_core.model import Programme
from sgz_core.money import to_money
from sgz_core.testing.strategies import programmes

ROOT = Path(__file__).resolve().parents[2]
PARSED = {
    p.name: programme_file.parse_toml(p.read_text(encoding="utf-8"), p.name)
    for p in sorted((ROOT / "examples").glob("*.toml"))
}
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.text(max_size=8),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.sampled_from(["resident", "province", "mid_term", "pass", "none", "", "posts"]),
)


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in data.items() if k != "programme"}
    flat.update(data.get("programme", {}))
    return flat


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _outcome(fn: Any, data: Any) -> tuple[str, Any]:
    try:
        return "loaded", fn(data, Programme, "f.toml")
    except InvalidInput as exc:
        return "refused", (exc.source, exc.problems)


def _fast_only(data: Any, cl: type, source: str) -> Any:
    try:
        return _convert._FAST.structure(data, cl)
    except Exception as exc:
        raise InvalidInput("the fast path failed", source) from exc


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(data=st.data())
def test_fast_and_detailed_structuring_agree_on_mutated_examples(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(PARSED)))
    tree: Any = _flat(copy.deepcopy(PARSED[name]))
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        path = data.draw(st.sampled_from(_paths(tree)))
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        how = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if how == "replace":
            parent[path[-1]] = data.draw(VALUES)
        elif how == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[f"{path[-1]}_extra"] = data.draw(VALUES)
    detailed = _outcome(_convert.structure_detailed, tree)
    # what structure() gives is exactly the detailed outcome ...
    assert _outcome(_convert.structure, tree) == detailed
    # ... and the fast path alone loads exactly what the detailed path loads, equal
    fast = _outcome(_fast_only, tree)
    assert fast[0] == detailed[0]
    if fast[0] == "loaded":
        assert fast[1] == detailed[1]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=50)
@given(programme=programmes())
def test_fast_and_detailed_structuring_give_equal_generated_programmes(
    programme: Programme,
) -> None:
    flat = _flat(programme_file.to_dict(programme))
    fast = _convert._FAST.structure(flat, Programme)
    assert fast == _convert.structure_detailed(flat, Programme) == programme


@pytest.mark.parametrize("cls", [StaffRole, Qualification, FundingSource])
def test_enum_lookup_by_value_gives_the_member_and_refuses_the_rest(
    cls: type[Labelled],
) -> None:
    for member in cls:
        assert _convert.CONVERTER.structure(member.value, cls) is member
        assert _convert.CONVERTER.structure(str(member.value), cls) is member
    for bad in ("", "RESIDENT", "x", *(m.name for m in cls)):
        if bad in cls._value2member_map_:
            continue
        with pytest.raises(InvalidInput, match="expected "):
            _convert.CONVERTER.structure(bad, cls)


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None) | st.integers())
def test_to_money_gives_what_quantizing_to_the_fen_gives(value: Decimal | int) -> None:
    try:
        got: Any = to_money(value)
    except InvalidInput as exc:
        got = str(exc)
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        assert isinstance(got, str)
        return
    try:
        quantized = amount.quantize(Decimal("0.01"))
    except ArithmeticError:
        assert isinstance(got, str)
        return
    if quantized != amount:
        assert isinstance(got, str) and "exact to the fen" in got
    else:
        assert isinstance(got, Decimal) and got == amount
        assert got.as_tuple().exponent == -2 and not got.is_signed()


WEIGHTS = st.decimals(min_value=0, max_value=10, places=4) | st.integers(min_value=0, max_value=9)


@given(
    st.decimals(min_value=0, max_value=10**9, places=2) | st.decimals(allow_nan=True),
    st.lists(WEIGHTS | st.decimals(allow_nan=True, allow_infinity=True), max_size=5),
)
def test_memoised_allocate_gives_what_the_plain_split_gives(
    total: Decimal, weights: list[Decimal | int]
) -> None:
    def outcome(fn: Any) -> Any:
        try:
            parts = fn(total, weights)
        except Exception as exc:
            return type(exc), str(exc)
        return [(p, p.as_tuple()) for p in parts]

    first = outcome(money.allocate)
    assert first == outcome(money._allocate)
    assert not isinstance(first, tuple) or first[0] is InvalidInput  # every refusal
    assert outcome(money.allocate) == first  # the second call, from the memo when it loaded
