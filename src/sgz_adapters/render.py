"""Output for people (tables, with Rich when it is installed) and for programs (JSON)."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO


def to_json(data: Any) -> str:
    """Stable JSON: keys in the order given, UTF-8 text kept as is."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def plain_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [_width(c) for c in columns]
    for row in rows:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [title] if title else []
    lines.append("  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(esc, columns)) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(map(esc, row)) + " |" for row in rows]
    return "\n".join(lines)


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: TextIO | None = None,
) -> None:
    """A table for people: Rich when installed and writing to a terminal, else plain text."""
    out = out or sys.stdout
    try:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text
    except ImportError:  # the cli extra is not installed
        print(plain_table(title, columns, rows), file=out)
        return
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    Console(file=out, soft_wrap=False, width=None if out.isatty() else 160).print(table)


def emit(text: str, *, err: bool = False, end: str = "\n") -> None:
    """Print ``text`` for people: everything sgz prints goes through here or :func:`emit_bytes`."""
    out = sys.stderr if err else sys.stdout
    out.write(text + end)
    out.flush()


def emit_bytes(data: bytes) -> None:
    """Write a reporter's document to standard output as it is (text reporters give UTF-8)."""
    out = sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO)
        out.write(data.decode("utf-8", errors="replace"))
    else:
        buffer.write(data)
        buffer.flush()
