"""A third party's adapter: ``examples/sgz-storage-jsonl`` is installed with pip (into a
directory of its own, not into this environment), found through its ``sgz`` entry point, and
passes the same conformance kit as the built-in adapters."""

from __future__ import annotations

import importlib
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sgz_adapters import plugins
from sgz_adapters.storage import open_storage
from sgz_core.storage import Storage
from sgz_core.testing import StorageContract

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sgz-storage-jsonl"


@pytest.fixture(scope="module", autouse=True)
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(EXAMPLE),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip could not install {EXAMPLE.name}:\n{proc.stdout}{proc.stderr}")
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    plugins.reset()
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m.startswith("sgz_storage_jsonl")]:
            del sys.modules[name]
        plugins.reset()


def test_the_adapter_is_found_through_its_entry_point() -> None:
    found = {p.name: p for p in plugins.installed_plugins()}
    assert found["jsonl"].source == plugins.ENTRY_POINT
    assert found["jsonl"].distribution == "sgz-storage-jsonl"
    assert "jsonl" in plugins.storage_factories()


class TestJsonlStorage(StorageContract):
    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.directory = tmp_path
        self.names = itertools.count()

    def make_storage(self) -> Storage:
        return open_storage(f"jsonl:///{self.directory / f'store-{next(self.names)}'}")

    def reopen(self, storage: Storage) -> Storage:
        return open_storage(storage.url)

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


def test_the_cli_imports_and_checks_through_the_plugin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sgz_adapters.cli import main

    example = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"
    url = f"jsonl:///{tmp_path / 'data'}"
    assert main(["import", str(example), "--db", url]) == 0
    assert main(["check", "--db", url, "--on", "2026-11-28", "--format", "json"]) == 0
    assert '"programme": "chengguan-2024"' in capsys.readouterr().out
