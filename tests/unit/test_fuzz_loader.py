"""Hostile input never produces a traceback: mutated example files give a programme or InvalidInput.

Mutations of the parsed example (values of other types, deleted keys, unknown keys) and of its
text (characters dropped, inserted or swapped). When a mutant loads, the rules and the schedule
run on it too, and may only fail with an SgzError (exit status 2 in the command line).
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_core import profiles, programme_file
from sgz_core.disbursement import schedule
from sgz_core.errors import InvalidInput, SgzError
from sgz_core.rules import check

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES}
PARSED = {name: programme_file.parse_toml(text, name) for name, text in TEXTS.items()}

hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["resident", "province", "mid_term", "pass", "stop", "", "hexin", "posts"]),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(data: dict[str, Any], path: tuple[Any, ...], how: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    return data


def _must_not_crash(programme_data: Any, source: str) -> None:
    try:
        programme = programme_file.from_dict(programme_data, source)
    except InvalidInput as exc:
        assert source in str(exc)
        return
    try:
        profile = profiles.builtin(programme.profile)
    except SgzError:
        profile = profiles.builtin()
    for on in (dt.date(2026, 11, 28), programme.start):
        try:
            check(programme, profile, on)
            schedule(programme, profile, on)
        except SgzError:
            pass


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_structure_gives_a_programme_or_invalid_input(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(PARSED)))
    tree = PARSED[name]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(_paths(tree)))
        how = data.draw(st.sampled_from(["replace", "delete", "add"]))
        tree = _mutate(tree, path, how, data.draw(hostile_values))
    _must_not_crash(tree, name)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_text_gives_a_programme_or_invalid_input(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    text = TEXTS[name]
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        i = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
        how = data.draw(st.sampled_from(["drop", "insert", "swap"]))
        if how == "drop":
            text = text[:i] + text[i + 1 :]
        elif how == "insert":
            text = text[:i] + data.draw(st.sampled_from(list("=[]\"'.,-0159xé社\n#{}"))) + text[i:]
        elif i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    try:
        parsed = programme_file.parse_toml(text, name)
    except InvalidInput as exc:
        assert name in str(exc)
        return
    _must_not_crash(parsed, name)


def test_known_hostile_values() -> None:
    base = PARSED["chengguan.toml"]
    cases = [
        (("stations", 0, "years", 0, "year"), 10**9),
        (("stations", 0, "years", 0, "funding", 0, "amount"), Decimal("Infinity")),
        (("stations", 0, "years", 0, "funding", 0, "amount"), Decimal("NaN")),
        (("programme", "start"), dt.date(9999, 12, 31)),
        (("stations", 0, "communities"), "正宁路社区"),
        (("stations", 0, "staff"), {"name": "x"}),
        (("stations", 0, "years", 0, "evaluations", 0, "score"), Decimal(101)),
    ]
    for path, value in cases:
        mutated = _mutate(base, path, "replace", value)
        try:
            programme_file.from_dict(mutated, "chengguan.toml")
        except InvalidInput as exc:
            assert "chengguan.toml" in str(exc)
        else:
            raise AssertionError(f"{path} = {value!r} was accepted")
