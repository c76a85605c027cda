"""Helpers for testing code built on sgz: Hypothesis strategies for every domain type in
:mod:`sgz_core.testing.strategies` (see ``docs/testing.md``) and the storage conformance kit
``StorageContract``.

Importing this package costs nothing; its modules need the ``testing`` extra (Hypothesis, pytest),
which the rest of the core never imports.
"""

from __future__ import annotations

from typing import Any

__all__ = ["StorageContract"]


def __getattr__(name: str) -> Any:
    # ``StorageContract`` needs pytest and Hypothesis: imported on first use, not with the package.
    if name == "StorageContract":
        from sgz_core.testing.storage_contract import StorageContract

        return StorageContract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
