"""Meta-tests (datasette's): every hook is specified well, documented, and tested."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from sgz_core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugin-hooks.md"
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("sgz_"))


def section(name: str) -> str:
    """The text of the hook's section in docs/plugin-hooks.md, from its heading to the next."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(rf"^## `{name}\(.*?\)`\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/plugin-hooks.md has no '## `{name}(...)`' heading"
    return match.group(0)


def test_there_are_hooks() -> None:
    assert len(HOOKS) >= 6


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook: str) -> None:
    text = section(hook)
    assert f'<a id="{hook}"></a>' in DOCS.read_text(encoding="utf-8")
    for argument in inspect.signature(getattr(hookspecs, hook)).parameters:
        described = re.search(rf"^- `{argument}[`(:]", text, re.M)
        assert described, f"{hook}: argument {argument} has no '- `{argument}…' item"
    assert "```python" in text and "@hookimpl" in text, f"{hook}: no example"


def _test_function_names() -> set[str]:
    """The name of every test function in the test suite (found by parsing, not importing)."""
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                names.add(node.name)
    return names


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook: str) -> None:
    """A test *named for* the hook (``test_sgz_register_storage_adds_a_scheme``), not a mention."""
    named = sorted(n for n in _test_function_names() if hook in n)
    assert named, f"no test function is named for {hook} (e.g. test_{hook}_does_something)"


def test_the_meta_test_needs_a_name_not_a_mention() -> None:
    names = _test_function_names()
    assert "test_sgz_register_storage_adds_a_scheme" in names
    assert not any("sgz_no_such_hook" in n for n in names)


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_typed_and_described(hook: str) -> None:
    spec = getattr(hookspecs, hook)
    assert spec.__doc__ and "\n" not in spec.__doc__.strip(), f"{hook}: one docstring line"
    signature = inspect.signature(spec)
    assert signature.return_annotation is not inspect.Signature.empty
    assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())


def test_every_documented_hook_exists() -> None:
    documented = re.findall(r"^## `(sgz_\w+)\(", DOCS.read_text(encoding="utf-8"), re.M)
    assert sorted(documented) == HOOKS
