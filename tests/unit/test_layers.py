"""The core's layers, written down as import-linter contracts in ``pyproject.toml``, hold.

Each contract is also shown to fail: on a copy of the sources with one import that breaks it
(the old circle between ``profiles`` and ``casework.discovery`` among them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert "Contracts: 3 kept, 0 broken." in output


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
