"""Fixtures for plugin tests: sample plugins registered inline and unregistered afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sgz_adapters import plugins


@pytest.fixture(autouse=True)
def fresh_plugins() -> Iterator[None]:
    """Every test starts from, and leaves behind, plugins loaded afresh from the environment."""
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def register() -> Iterator[Callable[..., str]]:
    """``register(plugin, name)``: a sample plugin for this test only."""
    names: list[str] = []

    def _register(plugin: object, name: str | None = None) -> str:
        registered = plugins.register_plugin(plugin, name)
        names.append(registered)
        return registered

    yield _register
    for name in names:
        if plugins.get_pm().get_plugin(name) is not None:
            plugins.unregister_plugin(name)
