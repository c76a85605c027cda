"""Project hygiene: the README's commands, CI, lint and types stay true."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
)
MAIN_JOB = (
    "sgz import --replace examples/chengguan.toml && .venv/bin/sgz check --db sqlite:///sgz.db"
)
MAIN_COMMAND = f"python3 -m venv .venv && .venv/bin/pip install -e '.[cli]' && .venv/bin/{MAIN_JOB}"


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    assert found, f"{name} is not installed; it is part of the test extra"
    return found


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert MAIN_COMMAND in head
    assert TEST_COMMAND in head


def test_the_readme_main_job_runs_twice_on_the_embedded_sqlite_default(tmp_path: Path) -> None:
    """The main command's sgz part, word for word, in a fresh folder: twice (a user may copy it
    again), both times exit 0 with the check's summary line, and the database is SQLite."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    sgz = Path(sys.executable).parent / "sgz"
    assert sgz.exists(), "the sgz script is not installed in this environment"
    script = MAIN_JOB.replace(".venv/bin/sgz", str(sgz)).replace("sgz import", f"{sgz} import", 1)
    for _ in range(2):
        proc = subprocess.run(
            ["bash", "-c", script],
            cwd=tmp_path,
            env={**os.environ, "SGZ_LANG": "zh"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "chengguan-2024" in proc.stdout
        assert "错误 0" in proc.stdout, proc.stdout
    assert (tmp_path / "sgz.db").read_bytes().startswith(b"SQLite format 3")


def test_ci_runs_the_readme_test_command() -> None:
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [_tool("ruff"), "check", "src", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_clean() -> None:
    proc = subprocess.run(
        [_tool("ruff"), "format", "--check", "src", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_is_strict_on_the_core_and_the_adapters() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert set(config["files"]) == {"src/sgz_core", "src/sgz_adapters"}
    proc = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
