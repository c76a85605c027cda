"""The domain core has no I/O (style.md): a walk over every module's imports and calls.

Fails when any module of ``sgz_core`` imports something that touches the outside world, or
``sgz_adapters``, or reads the clock or randomness. Dates come in as arguments.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sgz_core

CORE = Path(sgz_core.__file__).parent
FORBIDDEN_MODULES = {
    "sqlite3",
    "socket",
    "smtplib",
    "urllib",
    "http",
    "subprocess",
    "sgz_adapters",
    "os",
    "io",
    "shutil",
    "pathlib",
    "requests",
    "httpx",
    "random",
    "secrets",
    "time",
    "asyncio",
    "ssl",
    "ftplib",
    "email",
    "logging",
}
# Calls that read the clock, open files or draw randomness.
FORBIDDEN_CALLS = {"today", "now", "utcnow", "open", "time", "monotonic", "perf_counter"}
# The testing helpers are for users' tests; they may use Hypothesis (never I/O either).
MODULES = sorted(p for p in CORE.rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _calls(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute):
                names.add(f.attr)
            elif isinstance(f, ast.Name):
                names.add(f.id)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_module_imports_nothing_that_does_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _imports(tree) & FORBIDDEN_MODULES == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_module_never_reads_the_clock_or_opens_files(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _calls(tree) & FORBIDDEN_CALLS == set()


def test_the_walk_would_catch_a_violation() -> None:
    bad = ast.parse(
        "import sqlite3\nfrom sgz_adapters import cli\nimport datetime\ndatetime.date.today()"
    )
    assert _imports(bad) & FORBIDDEN_MODULES == {"sqlite3", "sgz_adapters"}
    assert "today" in _calls(bad)


def test_the_walk_sees_every_core_module() -> None:
    names = {p.name for p in MODULES}
    assert {"model.py", "money.py", "profiles.py", "disbursement.py", "funding.py"} <= names
