"""Run every Python block of ``README.md`` and ``docs/*.md`` as a test (Sybil).

The blocks of one page run in order, in one namespace, with the working directory set to a fresh
temporary directory that holds a copy of ``examples/``, so that ``Path("examples/…")`` works and
nothing a block writes lands in the repository. A block directly preceded by the line
``<!-- fragment -->`` is a fragment: it is only compiled, not run (see docs/testing.md).

A TOML block whose first line is ``# file: NAME`` is saved as ``NAME`` in that directory (and
``# append: NAME`` adds it to the end of ``NAME``), so a page can show a file and then use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

ROOT = Path(__file__).parent
FRAGMENT_MARKER = "<!-- fragment -->"


def _is_fragment(document: Document, region: Region) -> bool:
    before = document.text[: region.start].rstrip()
    return before.endswith(FRAGMENT_MARKER)


def _compile_only(example: Example) -> None:
    compile(example.parsed, f"{example.path}:{example.line}", "exec", dont_inherit=True)


class DocsPythonParser:
    """Python fences run; fences marked as fragments are compiled only."""

    def __init__(self) -> None:
        self._python = PythonCodeBlockParser()

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self._python(document):
            if _is_fragment(document, region):
                region.evaluator = _compile_only
            yield region


def _file_target(source: str) -> tuple[str, str] | None:
    """``("w" or "a", NAME)`` for a TOML block starting ``# file: NAME`` / ``# append: NAME``."""
    first, _, _ = source.partition("\n")
    action, _, name = first.removeprefix("# ").partition(": ")
    if action not in ("file", "append") or not name.strip():
        return None
    return ("a" if action == "append" else "w", name.strip())


def _save_toml(example: Example) -> None:
    target = _file_target(example.parsed)
    assert target is not None
    mode, name = target
    with open(name, mode, encoding="utf-8") as out:
        out.write(example.parsed)


class TomlFileParser:
    """TOML blocks marked as files are saved; other TOML blocks are only shown."""

    def __init__(self) -> None:
        self._toml = CodeBlockParser("toml", _save_toml)

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self._toml(document):
            if _file_target(region.parsed) is not None:
                yield region


def _setup(namespace: dict[str, Any]) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="sgz-docs-"))
    shutil.copytree(ROOT / "examples", workdir / "examples")
    namespace["__sgz_docs_previous_cwd__"] = os.getcwd()
    namespace["__sgz_docs_workdir__"] = workdir
    os.chdir(workdir)


def _teardown(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["__sgz_docs_previous_cwd__"])
    shutil.rmtree(namespace["__sgz_docs_workdir__"], ignore_errors=True)


pytest_collect_file = Sybil(
    parsers=[DocsPythonParser(), TomlFileParser()],
    patterns=["README.md", "docs/*.md"],
    setup=_setup,
    teardown=_teardown,
    name="docs",
).pytest()
