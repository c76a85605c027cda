"""Every public module of sgz_core and sgz_adapters says what it exports (``__all__``), and every
name there exists."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import sgz_adapters
import sgz_core

# tabular.py is being moved out of the core into the storage adapters (issue 9).
NOT_YET = {"sgz_core.tabular"}


def _public_modules() -> list[str]:
    found = ["sgz_core", "sgz_adapters"]
    for package in (sgz_core, sgz_adapters):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                found.append(info.name)
    return sorted(set(found) - NOT_YET)


def test_the_adapters_modules_are_among_them() -> None:
    names = _public_modules()
    assert {"sgz_adapters.cli", "sgz_adapters.storage.memory", "sgz_adapters.files"} <= set(names)
    assert not any(part.startswith("_") for name in names for part in name.split("."))


@pytest.mark.parametrize("name", _public_modules())
def test_public_module_has_all(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list), f"{name} has no __all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what the module lacks: {missing}"
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
