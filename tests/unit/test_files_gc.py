"""Loading a large programme pauses the cyclic garbage collector and restores it (issue 12)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sgz_adapters import files

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    states: list[bool] = []
    parse = files.parse_toml

    def spy(text: str, source: str) -> Any:
        states.append(gc.isenabled())
        return parse(text, source)

    monkeypatch.setattr(files, "parse_toml", spy)
    yield states
    gc.unfreeze()
    gc.enable()


@pytest.mark.parametrize("enabled", [True, False])
def test_a_large_file_loads_with_the_collector_paused_and_its_state_restored(
    seen: list[bool], monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    monkeypatch.setattr(files, "LARGE_PROGRAMME_BYTES", 0)
    (gc.enable if enabled else gc.disable)()
    small = files.load_programme(EXAMPLE)
    assert seen[0] is False  # paused while parsing (the programme's own parse, first)
    assert gc.isenabled() is enabled
    assert gc.get_freeze_count() == 0  # a library function never freezes the caller's objects
    monkeypatch.setattr(files, "LARGE_PROGRAMME_BYTES", 2**40)
    assert files.load_programme(EXAMPLE).programme == small.programme  # same either way


def test_a_small_file_leaves_the_collector_alone(seen: list[bool]) -> None:
    gc.enable()
    files.load_programme(EXAMPLE)
    assert seen[0] is True and gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_refused_large_file_restores_the_collector(
    seen: list[bool], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(files, "LARGE_PROGRAMME_BYTES", 0)
    bad = tmp_path / "bad.toml"
    bad.write_text("[programme\n", encoding="utf-8")
    gc.enable()
    with pytest.raises(files.InvalidInput, match=r"bad\.toml"):
        files.load_programme(bad)
    assert gc.isenabled() and seen == [False]
