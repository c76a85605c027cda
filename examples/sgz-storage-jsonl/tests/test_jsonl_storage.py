"""The JSON-lines adapter passes sgz's storage conformance kit, opened through its entry point."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from sgz_storage_jsonl import JsonlStorage

from sgz_adapters.storage import open_storage
from sgz_core.storage import Storage
from sgz_core.testing import StorageContract


class TestJsonlStorage(StorageContract):
    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.directory = tmp_path
        self.names = itertools.count()

    def make_storage(self) -> Storage:
        # by URL, as a user would: this goes through the `sgz` entry point and the plugin hook
        return open_storage(f"jsonl:///{self.directory / f'store-{next(self.names)}'}")

    def reopen(self, storage: Storage) -> Storage:
        assert isinstance(storage, JsonlStorage)
        return JsonlStorage(storage.directory)

    def corrupt_record(
        self, storage: Storage, programme_id: str, position: int, field: str, text: str
    ) -> bool:
        path: Path = storage.path(programme_id)  # type: ignore[attr-defined]
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        record = json.loads(lines[position + 1])  # line 1 is the programme
        record[field] = text
        lines[position + 1] = json.dumps(record, ensure_ascii=False) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        return True

    def audit_rows(self, storage: Storage) -> list[dict[str, object]]:
        path: Path = storage.directory / "audit.ndjson"  # type: ignore[attr-defined]
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def write_audit_rows(self, storage: Storage, rows: list[dict[str, object]]) -> None:
        path: Path = storage.directory / "audit.ndjson"  # type: ignore[attr-defined]
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        path.write_text(text, encoding="utf-8")
