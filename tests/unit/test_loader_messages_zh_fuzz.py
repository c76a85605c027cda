"""Generated bad input through every loader path, each refusal read in Chinese (issue 9 §4).

Hypothesis takes the example programme (header, stations, years, funding, evaluations and
every casework section: beneficiaries with their ID numbers, cases and their histories,
records, referrals …) and the built-in profile as a profile file, puts one wrong value at any
key path, drops a key or adds one, and reads the result. Every problem of the refusal must come
out of :func:`sgz_adapters.messages.in_chinese` in Chinese with no English sentence left, its
quoted values unchanged and no full ID number; and ``--lang en`` is ``str()`` of the error.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sgz_adapters.messages import english_left, in_chinese
from sgz_adapters.said import shown
from sgz_core import profiles
from sgz_core.errors import InvalidInput, NotFound
from sgz_core.programme_file import from_dict, parse_toml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = parse_toml((ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml")
PROFILE = profiles.to_dict(profiles.builtin())
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
"""A value the message quotes as ``repr`` does: in single quotes, or in double quotes when it
holds a single quote (``"'"``, which the single-quote pattern alone read as the text between
that quote and the next value's)."""
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")

Path_ = tuple[str | int, ...]


def _paths(value: Any, at: Path_ = ()) -> Iterator[Path_]:
    """Every key path of ``value``: tables, lists and leaves."""
    if at:
        yield at
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*at, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value[:3]):  # the first few items of a list are enough
            yield from _paths(inner, (*at, i))


PROGRAMME_PATHS = sorted(_paths(EXAMPLE), key=repr)
PROFILE_PATHS = sorted(_paths(PROFILE), key=repr)

ID_LIKE = st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True)
"""An 18-character run that may or may not be a valid ID number (checksum, birth date)."""

BAD = st.one_of(
    st.text(max_size=6),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, places=3, min_value=-(10**6), max_value=10**6),
    st.sampled_from([Decimal("1e999999"), Decimal("-0.001"), Decimal("0.001")]),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["x", "id", "value"]), st.integers(0, 3), max_size=2),
    ID_LIKE,
    st.sampled_from(["screening", "closed", "intake", "done", "elderly", "visit", "", "zn-404"]),
)
"""Values of every kind a field can be given by mistake."""


def _mutated(data: dict[str, Any], path: Path_, action: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    parent: Any = out
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent[last] = value
    return out


def _assert_chinese(exc: InvalidInput) -> None:
    assert exc.problems
    for problem in exc.problems:
        zh = in_chinese(problem.message)
        assert zh is not None, f"no Chinese for {problem}"
        assert CJK.search(zh) and not english_left(zh), (problem.message, zh)
        for value in QUOTED.findall(problem.message):
            assert value in zh, (value, zh)
        assert not FULL_ID.search(zh), zh
    whole = shown(exc, "zh")
    assert all(p.path in whole for p in exc.problems)
    assert shown(exc, "en") == str(exc)


ACTIONS = st.sampled_from(["replace", "replace", "delete", "add"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PROGRAMME_PATHS), action=ACTIONS, value=BAD)
@example(path=("trainings", 0, "attendees", 0), action="replace", value="'")  # quoted as "'"
def test_a_programme_file_with_one_thing_wrong_is_refused_in_chinese(
    path: Path_, action: str, value: Any
) -> None:
    try:
        from_dict(_mutated(EXAMPLE, path, action, value), "bad.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PROFILE_PATHS), action=ACTIONS, value=BAD)
def test_a_profile_file_with_one_thing_wrong_is_refused_in_chinese(
    path: Path_, action: str, value: Any
) -> None:
    try:
        profiles.from_dict(_mutated(PROFILE, path, action, value), "bad-profile.toml")
    except NotFound as exc:  # an extends that names no profile
        zh = in_chinese(str(exc))
        assert zh is not None and CJK.search(zh) and not english_left(zh), str(exc)
    except InvalidInput as exc:
        _assert_chinese(exc)


@settings(max_examples=200, deadline=None)
@given(number=ID_LIKE, where=st.integers(0, 2))
def test_an_id_number_of_any_kind_is_refused_in_chinese_and_masked(number: str, where: int) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["beneficiaries"][where]["id_number"] = number
    try:
        from_dict(data, "bad.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)
        assert number not in shown(exc, "zh")


def test_the_mutations_reach_the_casework_sections() -> None:
    top = {p[0] for p in PROGRAMME_PATHS}
    assert {"beneficiaries", "cases", "records", "referrals", "stations", "programme"} <= top
    assert any(p[-1] == "id_number" for p in PROGRAMME_PATHS)
    assert any(p[:1] == ("parameters",) for p in PROFILE_PATHS)


def test_one_wrong_value_is_refused_in_chinese_with_its_key_path() -> None:
    bad = _mutated(EXAMPLE, ("cases", 0, "history", 1, "date"), "replace", dt.date(1990, 1, 1))
    try:
        from_dict(bad, "bad.toml")
    except InvalidInput as exc:
        assert "cases[0].history[1].date: 应为不早于上一次变更" in shown(exc, "zh")
    else:
        raise AssertionError("a stage change before the one before it was accepted")


def test_a_station_whose_only_community_is_empty_is_named_in_chinese() -> None:
    """Found by the fuzz: ``expected one of `` with nothing after it matched no template."""
    bad = _mutated(EXAMPLE, ("stations", 0, "communities", 0), "replace", "")
    try:
        from_dict(bad, "bad.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)
        assert "expected one of ''" in str(exc)
    else:
        raise AssertionError("a beneficiary of a community the station does not serve was accepted")


# --- the kinds of bad input issue 9 names: each drawn on purpose, not left to chance ------------

STAGES = st.sampled_from(
    ["screening", "intake", "assessment", "plan", "services", "closed", "done", "Intake", ""]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.integers(0, 2),
    stages=st.lists(STAGES, min_size=1, max_size=6),
    days=st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), min_size=6, max_size=6),
)
def test_a_case_history_in_any_order_of_stages_and_days_is_refused_in_chinese(
    case: int, stages: list[str], days: list[dt.date]
) -> None:
    """Stages that may not follow each other, unknown stages, days that go backwards."""
    data = copy.deepcopy(EXAMPLE)
    data["cases"][case]["history"] = [
        {"stage": s, "date": d, **({"needs": ["日常照料"]} if s == "assessment" else {})}
        for s, d in zip(stages, days, strict=False)
    ]
    try:
        from_dict(data, "bad.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.sampled_from(
        [
            ("beneficiaries", 0, "until"),
            ("beneficiaries", 1, "registered"),
            ("referrals", 0, "date"),
            ("stations", 0, "staff", 0, "end"),
            ("stations", 0, "staff", 0, "start"),
            ("cases", 0, "history", 4, "date"),
        ]
    ),
    day=st.dates(dt.date(1899, 1, 1), dt.date(2030, 1, 1)),
)
def test_casework_days_out_of_order_are_refused_in_chinese(where: Path_, day: dt.date) -> None:
    """A person leaving before being registered, a referral's changes before it, a staff
    member's end before their start, a stage change before the one before it."""
    try:
        data = _mutated(EXAMPLE, where, "replace", day)
    except (KeyError, IndexError, TypeError):  # the example has no such entry
        return
    if where[0] == "referrals":  # and its changes, a day on or after it
        for change in data["referrals"][0].get("history", []):
            change["date"] = day - dt.timedelta(days=1)
    try:
        from_dict(data, "bad.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)


ID_NUMBERS = st.one_of(
    ID_LIKE,
    st.from_regex(
        r"[0-9]{6}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]",
        fullmatch=True,
    ),  # a birth date that may be real, a check character that may not
    st.from_regex(r"[0-9X]{15,19}|[0-9]{17}[a-z]", fullmatch=True),  # the wrong length, a letter
    st.integers(10**16, 10**18),  # a number, not a string
)


@settings(max_examples=200, deadline=None)
@given(number=ID_NUMBERS, where=st.integers(0, 2), sex=st.sampled_from([None, "男", "女"]))
def test_an_id_number_of_any_shape_is_refused_in_chinese_and_masked(
    number: object, where: int, sex: str | None
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["beneficiaries"][where]["id_number"] = number
    if sex is not None:
        data["beneficiaries"][where]["sex"] = sex
    try:
        from_dict(data, "bad.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)
        if len(str(number)) == 18:  # one that can be an ID number is never shown whole
            assert str(number) not in shown(exc, "zh")


def _profile_with(name: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(PROFILE)
    data["parameters"][name] = [{**data["parameters"][name][0], "value": value}]
    return data


SHARES = st.one_of(
    st.decimals(min_value=-1, max_value=2, places=2),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), "0.5", 0.5, True]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tranches=st.lists(
        st.fixed_dictionaries(
            {
                "milestone": st.sampled_from(["contract_signed", "mid_term", "final", "later", ""]),
                "share": SHARES,
            }
        ),
        max_size=4,
    )
)
def test_bad_tranches_are_refused_in_chinese(tranches: list[dict[str, Any]]) -> None:
    """Shares that do not sum to 1, negative shares, unknown or repeated milestones."""
    try:
        profiles.from_dict(_profile_with("tranches", tranches), "bad-profile.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    weights=st.dictionaries(
        st.sampled_from(
            ["administrative_supervision", "service_effectiveness", "project_management", "x"]
        ),
        SHARES,
        max_size=4,
    )
)
def test_bad_performance_weights_are_refused_in_chinese(weights: dict[str, Any]) -> None:
    try:
        profiles.from_dict(_profile_with("performance_weights", weights), "bad-profile.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)


TEMPLATE_PARTS = st.sampled_from(
    [
        "{city}",
        "{district}",
        "{street}",
        "社会工作服务站",
        "{name}",
        "{city!r}",
        "{street:>20}",
        "{0}",
        "{}",
        "{",
        "}",
        "{{",
        "}}",
        "{street.upper}",
        "{city[0]}",
        "{district!s:^9}",
        "x",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.lists(TEMPLATE_PARTS, max_size=5).map("".join), min_size=1, max_size=3))
def test_bad_plaque_templates_are_refused_in_chinese(parts: list[str]) -> None:
    """Unknown fields, conversions, format specs, attribute and index lookups, lone braces."""
    try:
        profiles.from_dict(_profile_with("plaque_templates", parts), "bad-profile.toml")
    except InvalidInput as exc:
        _assert_chinese(exc)
