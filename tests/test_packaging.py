"""The version is written once, and the extras give each kind of user what they need."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

import sgz_core
from sgz_adapters import cli

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_version_is_read_from_sgz_core() -> None:
    project = PROJECT["project"]
    assert "version" not in project
    assert "version" in project["dynamic"]
    assert PROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sgz_core.__version__"}


def test_installed_metadata_and_cli_show_that_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert importlib.metadata.version("sgz") == sgz_core.__version__
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"sgz {sgz_core.__version__}"


def test_testing_extra_is_what_the_strategies_and_the_kit_need() -> None:
    extras = PROJECT["project"]["optional-dependencies"]
    assert _names(extras["testing"]) == {"pytest", "hypothesis"}


def test_test_extra_is_the_same_set_as_dev() -> None:
    extras = PROJECT["project"]["optional-dependencies"]
    assert sorted(extras["test"]) == sorted(extras["dev"])
    assert _names(extras["testing"]) <= _names(extras["dev"])
    # what the suite itself runs: the docs, lint, types, both database drivers
    assert {"sybil", "mkdocs", "mkdocstrings", "ruff", "mypy", "psycopg", "pymysql"} <= _names(
        extras["dev"]
    )
