"""The memory adapter passes the storage conformance kit."""

from __future__ import annotations

import itertools

from sgz_adapters.storage.memory import MemoryStorage
from sgz_core.audit import AuditEntry
from sgz_core.storage import Storage
from sgz_core.testing import StorageContract

_names = itertools.count()


class TestMemoryStorage(StorageContract):
    def make_storage(self) -> Storage:
        return MemoryStorage.from_url(f"memory://kit-{next(_names)}")

    def reopen(self, storage: Storage) -> Storage:
        return MemoryStorage.from_url(storage.url)

    def audit_rows(self, storage: Storage) -> list[dict[str, object]]:
        assert isinstance(storage, MemoryStorage)
        return [e.to_plain() for e in storage._audit]

    def write_audit_rows(self, storage: Storage, rows: list[dict[str, object]]) -> None:
        assert isinstance(storage, MemoryStorage)
        storage._audit = [AuditEntry.from_plain(r) for r in rows]


def test_named_memory_stores_are_shared_in_a_process() -> None:
    a = MemoryStorage.from_url("memory://shared-test")
    b = MemoryStorage.from_url("memory://shared-test")
    assert a is b
    assert MemoryStorage.from_url("memory://") is not MemoryStorage.from_url("memory://")
