"""The core's layers, and the adapters' use of the public core only, written down as
import-linter contracts in ``pyproject.toml``, hold.

Each contract is also shown to fail: on a copy of the sources with one import that breaks it
(the old circle between ``profiles`` and ``casework.discovery`` among them).
"""

from __future__ import annotations

import ast
import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import sgz_core

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
RUN = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(config: Path, source: Path | None = None, contract: str | None = None) -> str:
    """``lint-imports`` on ``config`` (with ``source`` first on the path); raises if it fails."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    args = [sys.executable, "-c", RUN, "--no-cache", "--no-logo", str(config)]
    if contract:
        args += ["--contract", contract]
    done = subprocess.run(
        args, capture_output=True, text=True, env=env, cwd=config.parent, timeout=300
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise AssertionError(output)
    return output


def test_the_contracts_are_kept() -> None:
    output = lint_imports(PYPROJECT)
    assert "Contracts: 4 kept, 0 broken." in output


def _private_core_modules() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(sgz_core.__path__, "sgz_core."):
        parts = info.name.split(".")
        if any(p.startswith("_") and not p.startswith("__") for p in parts):
            found.add(info.name)
    return found


def test_the_adapters_contract_lists_every_private_core_module() -> None:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    (contract,) = [
        c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "adapters-public-core"
    ]
    assert contract["source_modules"] == ["sgz_adapters"]
    assert "sgz_core._convert" in _private_core_modules()
    assert set(contract["forbidden_modules"]) == _private_core_modules()


def _private_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found += [n for n in names if n in _private_core_modules()]
    return found


def test_the_examples_import_no_private_core_module() -> None:
    # the example plugins are adapters outside the package, which import-linter does not see
    assert _private_imports("from sgz_core import _convert\nimport sgz_core.casework._fields")
    sources = sorted((ROOT / "examples").rglob("*.py"))
    assert sources
    offending = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := _private_imports(path.read_text(encoding="utf-8")))
    }
    assert not offending


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("sgz_core/enums.py", "import sgz_adapters.cli", "core-without-adapters"),
        ("sgz_core/values.py", "import sgz_core.model", "leaf-values"),
        ("sgz_core/errors.py", "import sgz_core.enums", "core-layers"),
        # the import circle this contract replaced: profiles imported parameter value types
        # from casework modules that are above it
        ("sgz_core/profiles.py", "from sgz_core.casework import discovery", "core-layers"),
        ("sgz_core/model.py", "from sgz_core import profiles", "core-layers"),
        # what service.py did before it used sgz_core.jsonvalue.to_plain
        (
            "sgz_adapters/service.py",
            "from sgz_core._convert import unstructure",
            "adapters-public-core",
        ),
        (
            "sgz_adapters/storage/memory.py",
            "import sgz_core.casework._fields",
            "adapters-public-core",
        ),
    ],
)
def test_a_broken_contract_fails(tmp_path: Path, module: str, line: str, contract: str) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    target = source / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    shutil.copy(PYPROJECT, config)
    with pytest.raises(AssertionError) as info:
        lint_imports(config, source, contract)
    assert "BROKEN" in str(info.value)
    assert module.removesuffix(".py").replace("/", ".") in str(info.value)
