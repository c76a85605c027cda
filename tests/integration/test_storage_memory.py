"""The memory adapter passes the storage conformance kit."""

from __future__ import annotations

import itertools

from sgz_adapters.storage.memory import MemoryStorage
from sgz_core.storage import Storage
from sgz_core.testing import StorageContract

_names = itertools.count()


class TestMemoryStorage(StorageContract):
    def make_storage(self) -> Storage:
        return MemoryStorage.from_url(f"memory://kit-{next(_names)}")

    def reopen(self, storage: Storage) -> Storage:
        return MemoryStorage.from_url(storage.url)


def test_named_memory_stores_are_shared_in_a_process() -> None:
    a = MemoryStorage.from_url("memory://shared-test")
    b = MemoryStorage.from_url("memory://shared-test")
    assert a is b
    assert MemoryStorage.from_url("memory://") is not MemoryStorage.from_url("memory://")
