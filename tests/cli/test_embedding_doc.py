"""docs/embedding.md and the README's Python example run as written, through the service layer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sgz_adapters import plugins

ROOT = Path(__file__).resolve().parents[2]


def blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)


@pytest.fixture(autouse=True)
def builtin_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "")
    plugins.reset()


def test_embedding_md_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    found = blocks(ROOT / "docs" / "embedding.md")
    assert len(found) >= 6
    namespace: dict[str, object] = {}
    for i, block in enumerate(found):
        exec(compile(block, f"docs/embedding.md block {i + 1}", "exec"), namespace)


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (block,) = blocks(ROOT / "README.md")
    assert "sgz_adapters.service" in block
    exec(compile(block, "README.md", "exec"), {})
