"""Hostile input never produces a traceback: mutated example files give a programme or InvalidInput.

Mutations of the parsed example (values of other types and sizes, unicode and control
characters, deep nesting, deleted, duplicated and unknown keys) and of its text (characters
dropped, inserted or swapped; hostile fragments spliced in). A refusal names the file and a
key path or line, and shows no full resident ID number (issue 8). When a mutant loads, the
rules and the schedule run on it too, and may only fail with an SgzError (exit status 2 in the
command line). A few mutants also go through the real ``sgz`` in a subprocess.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_core import profiles, programme_file
from sgz_core.casework.identity import is_valid, with_check_digit
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
ID_NUMBER = with_check_digit("62010219420516024")
ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def _deep(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


nested = st.recursive(
    st.integers(), lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.just("k"), inner)
)
unicode_text = st.text(st.characters(codec="utf-8"), max_size=40)
extreme_values = st.one_of(
    st.integers(min_value=2**62, max_value=10**300),
    st.integers(min_value=-(10**300), max_value=-(2**62)),
    st.builds(lambda e: Decimal(f"1e{e}"), st.integers(min_value=-(10**12), max_value=10**12)),
    st.decimals(places=30, allow_nan=False, allow_infinity=False),
    unicode_text,
    st.text(st.sampled_from("\x00\x07\x1b\x7f\u202e\ufeff[]{}=.#\"'\n"), min_size=1, max_size=30),
    st.text(min_size=500, max_size=2000),
    nested,
    st.integers(min_value=1, max_value=60).map(_deep),
    st.sampled_from([ID_NUMBER, f"x{ID_NUMBER}y", int(ID_NUMBER)]),
    st.sampled_from(["{street:>99999999999}", "{street.__class__}", "a\u0000b", "/dev/zero", ".."]),
)

TEXT_FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            "\ufeff",
            "\x00",
            "\x1b[31m",
            "x = " + "[" * 40 + "]" * 40 + "\n",
            "[" + ".".join("a" * 40) + "]\n",
            "n = " + "9" * 1200 + "\n",
            "n = 1e9999999999999999999\n",
            "n = 0x" + "f" * 300 + "\n",
            f'id_number = "{ID_NUMBER}"\n',
            f'contractor = "{ID_NUMBER}"\n',
            f"lot = {ID_NUMBER}\n",
            "id = 1\nid = 2\n",
            "[programme]\n",
            '"' * 3,
            "'" * 3,
        ]
    ),
    unicode_text,
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
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif how == "duplicate" and isinstance(parent, dict):
        parent[f"{last} "] = copy.deepcopy(parent[last])  # a near-duplicate key
    return data


def assert_refusal_holds(exc: InvalidInput, source: str) -> None:
    """What issue 8 asks of a refusal, besides no traceback (which getting here shows)."""
    text = str(exc)
    assert exc.source == source and text.startswith(f"{source}: ")
    for p in exc.problems:  # where: a key path, or for TOML the parser cannot take a line
        where = r"(line \d+: |not valid TOML|expected a table at the top)"
        assert p.path or re.match(where, p.message), p
    leaked = [m[0] for m in ID_LIKE.finditer(text) if is_valid(m[0].upper())]
    assert not leaked, text


def _must_not_crash(programme_data: Any, source: str) -> None:
    try:
        programme = programme_file.from_dict(programme_data, source)
    except InvalidInput as exc:
        assert_refusal_holds(exc, source)
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
        assert_refusal_holds(exc, name)
        return
    _must_not_crash(parsed, name)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_extreme_values_and_duplicates_give_a_programme_or_a_clear_refusal(
    data: st.DataObject,
) -> None:
    name = data.draw(st.sampled_from(sorted(PARSED)))
    tree = PARSED[name]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(_paths(tree)))
        how = data.draw(st.sampled_from(["replace", "replace", "add", "duplicate"]))
        tree = _mutate(tree, path, how, data.draw(extreme_values))
    try:
        text = tomli_w.dumps(tree)
    except (TypeError, ValueError):  # not expressible in TOML
        _must_not_crash(tree, name)
        return
    try:
        parsed = programme_file.parse_toml(text, name)
    except InvalidInput as exc:
        assert_refusal_holds(exc, name)
        return
    _must_not_crash(parsed, name)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_fragments_spliced_into_the_text_give_a_clear_refusal(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines(keepends=True)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        i = data.draw(st.integers(min_value=0, max_value=len(lines)))
        lines.insert(i, data.draw(TEXT_FRAGMENTS))
    text = "".join(lines)
    try:
        parsed = programme_file.parse_toml(text, name)
    except InvalidInput as exc:
        assert_refusal_holds(exc, name)
        return
    _must_not_crash(parsed, name)


@settings(
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_few_mutants_through_the_real_sgz(data: st.DataObject, tmp_path: Path) -> None:
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines(keepends=True)
    lines.insert(
        data.draw(st.integers(min_value=0, max_value=len(lines))), data.draw(TEXT_FRAGMENTS)
    )
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sgz_adapters.cli", "check", str(path), "--on", "2025-11-24"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output
    assert proc.returncode in (0, 1, 2), output
    if proc.returncode == 2:
        assert proc.stderr.startswith(f"sgz: error: {path}: "), output
    assert not [m[0] for m in ID_LIKE.finditer(output) if is_valid(m[0].upper())], output


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


PROFILE_DATA = profiles.to_dict(profiles.builtin())
PROGRAMME = programme_file.loads(TEXTS["chengguan.toml"], "chengguan.toml")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_profile_values_give_a_profile_or_a_clear_refusal(data: st.DataObject) -> None:
    """Any parameter set to an extreme value: the profile loads and every rule and the schedule
    run on it with at most an SgzError, or it is refused naming the parameter's path."""
    name = data.draw(st.sampled_from(sorted(profiles.PARAMETER_NAMES)))
    tree = {"parameters": {name: copy.deepcopy(PROFILE_DATA["parameters"][name])}}
    inner = _paths(tree["parameters"][name][0]["value"])
    path = data.draw(st.sampled_from([("value",), *(("value", *p) for p in inner)]))
    entry = _mutate(tree["parameters"][name][0], path, "replace", data.draw(extreme_values))
    source = "hostile-profile.toml"
    head = {"id": "x", "name": "x", "extends": profiles.DEFAULT_PROFILE_ID}
    try:
        profile = profiles.from_dict({"profile": head, "parameters": {name: [entry]}}, source)
    except InvalidInput as exc:
        assert_refusal_holds(exc, source)
        assert all(p.path.startswith(f"parameters.{name}[0].value") for p in exc.problems)
        return
    for on in (dt.date(2026, 11, 28), PROGRAMME.start):
        try:
            check(PROGRAMME, profile, on)
            schedule(PROGRAMME, profile, on)
        except SgzError:
            pass
