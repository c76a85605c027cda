"""What the databases can hold is refused when a programme file loads (issue 8 §5), with the
limit and the key path: ids over ``MAX_KEY_LENGTH`` characters, decimals over
``MAX_DECIMAL_TEXT`` characters as text. The schema takes the same numbers."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sgz_adapters.storage import _schema
from sgz_core.errors import InvalidInput
from sgz_core.limits import MAX_DECIMAL_TEXT, MAX_KEY_LENGTH
from sgz_core.programme_file import from_dict, limit_problems, loads, to_dict
from sgz_core.storage import save_problems

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"
DATA = to_dict(loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE)))


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(InvalidInput) as caught:
        from_dict(data, "p.toml")
    return str(caught.value)


def test_the_example_is_within_every_limit() -> None:
    assert list(limit_problems(from_dict(copy.deepcopy(DATA)))) == []


def test_the_schema_uses_the_same_limits() -> None:
    assert _schema.TYPES["mysql"]["key"] == f"VARCHAR({MAX_KEY_LENGTH})"
    assert _schema.TYPES["mysql"]["decimal"] == f"VARCHAR({MAX_DECIMAL_TEXT})"


def test_a_programme_id_over_the_limit_is_refused_with_its_path() -> None:
    data = copy.deepcopy(DATA)
    data["programme"]["id"] = "p" * (MAX_KEY_LENGTH + 1)
    message = _refused(data)
    assert message.startswith("p.toml: programme.id: an id of 256 characters")
    assert "at most 255" in message


def test_an_id_and_every_reference_to_it_over_the_limit_are_refused() -> None:
    data = copy.deepcopy(DATA)
    old = data["stations"][0]["id"]
    new = "站" * 300
    data["stations"][0]["id"] = new
    _rename_station(data, old, new)
    message = _refused(data)
    assert "stations[0].id: an id of 300 characters; expected at most 255" in message
    assert "records[0].station: an id of 300 characters" in message
    assert "unknown" not in message  # the references hold: only the length is wrong


def _rename_station(value: Any, old: str, new: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "station" and item == old:
                value[key] = new
            else:
                _rename_station(item, old, new)
    elif isinstance(value, list):
        for item in value:
            _rename_station(item, old, new)


def test_an_id_at_the_limit_is_fine() -> None:
    data = copy.deepcopy(DATA)
    data["programme"]["id"] = "p" * MAX_KEY_LENGTH
    assert from_dict(data).id == "p" * MAX_KEY_LENGTH


# The file loader bounds decimals more tightly still (20 digits either side of the point:
# tests/unit/test_loader_limits.py), so the decimal-column limit guards programmes built in
# Python, which reach storage through ``save`` (``save_problems`` runs ``limit_problems``).

PROGRAMME = loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def _with_record(**changes: Any) -> Any:
    record = attrs.evolve(PROGRAMME.records[0], **changes)
    return attrs.evolve(PROGRAMME, records=(record, *PROGRAMME.records[1:]))


def test_the_file_loader_refuses_such_decimals_even_sooner() -> None:
    data = copy.deepcopy(DATA)
    data["records"][0]["hours"] = Decimal("1." + "25" * 60)
    assert "records[0].hours: expected a number with at most 20 digits" in _refused(data)


@pytest.mark.parametrize("key", ["hours", "volunteer_hours"])
def test_a_decimal_longer_than_a_decimal_column_is_refused(key: str) -> None:
    programme = _with_record(**{key: Decimal("1." + "25" * 60), "volunteers": 1})
    messages = [str(p) for p in limit_problems(programme)]
    assert any(
        m.startswith(f"records[0].{key}: a number of 122 characters; expected at most 100")
        for m in messages
    )
    assert any(key in str(p) for p in save_problems(programme))


def test_a_long_decimal_anywhere_is_refused_with_its_path() -> None:
    station = PROGRAMME.stations[0]
    assert station.premises is not None
    premises = attrs.evolve(station.premises, activity_area_m2=Decimal("2" * 99 + ".5"))
    programme = attrs.evolve(
        PROGRAMME, stations=(attrs.evolve(station, premises=premises), *PROGRAMME.stations[1:])
    )
    messages = " ".join(str(p) for p in limit_problems(programme))
    assert "stations[0].premises.activity_area_m2: a number of 101 characters" in messages


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 400), st.integers(1, 160))
def test_the_limits_are_exact(id_length: int, digits: int) -> None:
    hours = Decimal("1" * digits if digits < 3 else "0." + "1" * (digits - 2))
    programme = _with_record(hours=hours)
    programme = attrs.evolve(programme, id="x" * max(id_length, 1))
    problems = " ".join(str(p) for p in limit_problems(programme))
    assert ("programme.id" in problems) is (max(id_length, 1) > MAX_KEY_LENGTH)
    assert ("records[0].hours" in problems) is (digits > MAX_DECIMAL_TEXT)


def _parts(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) in an attrs value, as ``(field or index, ...)`` steps."""
    out = [(path, value)]
    if attrs.has(type(value)):
        for f in attrs.fields(type(value)):
            out += _parts(getattr(value, f.name), (*path, f.name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            out += _parts(item, (*path, i))
    return out


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        return (*value[:step], _replaced(value[step], rest, new), *value[step + 1 :])
    copy = attrs.evolve(value)
    # set as it is, past the field's converter: a Python caller's value the limits are for
    object.__setattr__(copy, step, _replaced(getattr(value, step), rest, new))
    return copy


_PLACES = [
    p
    for p, v in _parts(PROGRAMME)
    if p and p[0] != "records" and isinstance(v, str | Decimal) and not isinstance(v, bool)
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_PLACES), st.integers(0, 2), st.booleans())
@example(("stations", 0, "id"), 2, True)
@example(("stations", 0, "years", 0, "expenses", 0, "amount"), 2, True)
def test_the_quick_test_finds_exactly_what_the_walk_finds(
    place: tuple[Any, ...], over: int, wide: bool
) -> None:
    """``limit_problems`` walks a section for key paths only where ``_over_limit`` finds
    something (issue 12): on every section, the two agree, a value at, under or over a limit
    put anywhere in the example."""
    from sgz_core import programme_file

    old = next(v for p, v in _parts(PROGRAMME) if p == place)
    new: Any = old
    if wide and isinstance(old, Decimal):
        new = Decimal("1" * (MAX_DECIMAL_TEXT - 1 + over))
    elif wide and type(old) is str:
        new = "站" * (MAX_KEY_LENGTH - 1 + over)
    programme = _replaced(PROGRAMME, place, new)
    for field in attrs.fields(type(programme)):
        value = getattr(programme, field.name)
        walked = programme_file._section_problems(value, field.name, field.name)
        assert programme_file._over_limit(value, field.name) is bool(walked), field.name
