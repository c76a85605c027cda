"""Output for people (tables, with Rich when it is installed) and for programs (JSON).

Everything a command prints goes through :func:`emit` (text) or :func:`emit_bytes` (a rendered
report) and every error line through :func:`format_error`: the one step that masks resident ID
numbers and escapes control characters (:mod:`sgz_adapters.output`). Table cells are cleaned
before they are laid out, and Rich markup in them (``[draft]``) is shown literally.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from sgz_adapters import output, said
from sgz_adapters.pii import mask_id_numbers


def emit(text: str, *, end: str = "\n", err: bool = False, export: bool = False) -> None:
    """Print ``text`` for people: ID numbers masked, control characters escaped.

    ``err`` writes to standard error; ``export`` keeps the text as it is (``sgz export``: full
    ID numbers on purpose), escaping control characters only when it goes to a terminal.
    """
    output.write(text + end, err=err, export=export)


def emit_bytes(data: bytes) -> None:
    """Write a rendered report to standard output: UTF-8 text cleaned as :func:`emit` does,
    binary (a workbook) as it is, but refused on a terminal."""
    output.write_bytes(data)


def emit_chunks(chunks: Iterable[bytes]) -> None:
    """:func:`emit_bytes` of ``b"".join(chunks)``, written as the chunks come, a run of whole
    lines at a time (:func:`sgz_adapters.output.write_chunks`)."""
    output.write_chunks(chunks)


def format_error(
    exc: BaseException | str, *, prefix: str = "sgz: error: ", lang: str | None = None
) -> str:
    """The line(s) ``sgz`` prints for an error: the message cleaned, prefixed once; in ``lang``
    where the error says it in two languages (:mod:`sgz_adapters.said`), else as ``str()``."""
    return prefix + output.clean(said.shown(exc, lang))


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_id_numbers(value)
    if isinstance(value, dict):
        return {_masked(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def to_json(data: Any) -> str:
    """Stable JSON: keys in the order given, UTF-8 text kept as is, ID numbers masked in strings
    (so the document stays valid JSON)."""
    return json.dumps(_masked(data), ensure_ascii=False, indent=2)


def json_utf8(text: str) -> bytes:
    """JSON text as UTF-8 bytes. A lone surrogate (from a path or an argument of bytes that are
    not UTF-8) has no UTF-8 form: it is written as its JSON escape (``\\udcff``), which a JSON
    reader reads back as the same string, so the document stays valid JSON."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return output.LONE_SURROGATE.sub(_json_escape, text).encode("utf-8")


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m[0]):04x}"


def json_bytes(data: Any) -> bytes:
    """``(to_json(data) + "\n").encode("utf-8")``, byte for byte, built piece by piece: the
    items of the top-level lists (a national check's 90,000 findings) are encoded one at a
    time, and may come from an iterator, so the document is never also held as one structure,
    one masked copy and one text (issue 12)."""
    return b"".join(json_chunks(data))


def json_chunks(data: Any) -> Iterator[bytes]:
    """:func:`json_bytes` as the pieces it is made of, for a writer that writes them as they
    come (``sgz stats --db``: some 90,000 cells, whose document need never be held whole)."""
    for piece in _json_pieces(data, 0):
        yield json_utf8(piece)
    yield b"\n"


def _json_pieces(value: Any, level: int) -> Iterator[str]:
    pad = "  " * level
    if isinstance(value, Iterator):
        value = _Peeked(value)
    if level < 2 and isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        sep = "{\n"
        for key, item in value.items():
            yield f"{sep}{pad}  {json.dumps(_masked(key), ensure_ascii=False)}: "
            yield from _json_pieces(item, level + 1)
            sep = ",\n"
        yield f"\n{pad}}}"
    elif level < 2 and isinstance(value, list | tuple | _Peeked) and value:
        sep = "[\n"
        for item in value:
            yield f"{sep}{pad}  "
            yield from _json_pieces(item, level + 1)
            sep = ",\n"
        yield f"\n{pad}]"
    else:
        # a finding's or a count's record, written here rather than by the indenting
        # encoder (json's pure-Python path), which costs more per small object; what
        # _pretty does not write exactly as json.dumps does goes to the encoder
        try:
            yield _pretty(value, pad)
        except _NotPlain:
            # strings never hold a raw newline in JSON: re-indenting the lines is exact
            text = to_json(list(value) if isinstance(value, _Peeked) else value)
            yield text.replace("\n", "\n" + pad) if level else text


class _NotPlain(Exception):
    """A value :func:`_pretty` leaves to ``json.dumps``."""


def _pretty(value: Any, pad: str) -> str:
    """``to_json(value)`` indented by ``pad``, for dicts with text keys, lists, tuples, text,
    integers, booleans and ``None``; anything else raises :class:`_NotPlain`."""
    kind = type(value)
    if kind is str:
        return str(_text(mask_id_numbers(value)))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    inner = pad + "  "
    if kind is dict:
        if not value:
            return "{}"
        items = []
        for k, v in value.items():
            if type(k) is not str:
                raise _NotPlain
            items.append(f"{inner}{_text(mask_id_numbers(k))}: {_pretty(v, inner)}")
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _pretty(v, inner) for v in value) + "\n" + pad + "]"
    raise _NotPlain


_text = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes


class _Peeked:
    """An iterator that knows whether it is empty (``[]`` is written without a newline)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self._first = next(items, _Peeked)

    def __bool__(self) -> bool:
        return self._first is not _Peeked

    def __iter__(self) -> Iterator[Any]:
        if self._first is not _Peeked:
            yield self._first
            yield from self._items


def _cells(row: Sequence[str]) -> list[str]:
    return [output.clean(str(c), cell=True) for c in row]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def plain_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table in plain text, cells cleaned (one line each)."""
    title = output.clean(title, cell=True) if title else title
    columns, rows = _cells(columns), [_cells(r) for r in rows]
    widths = [_width(c) for c in columns]
    for row in rows:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [title] if title else []
    lines.append("  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def markdown_text(s: str) -> str:
    """``s`` as Markdown text on one line: ``&``, ``<`` and ``>`` as entities, so a name or a
    voucher that carries HTML (``<img onerror=…>``) is shown, not run, by a renderer that passes
    HTML on; a line break as a space, so a name cannot start a heading or a list of its own."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def esc(s: str) -> str:
        return output.clean(markdown_text(s).replace("|", "\\|").replace("\n", " "), cell=True)

    lines = ["| " + " | ".join(map(esc, columns)) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(map(esc, row)) + " |" for row in rows]
    return "\n".join(lines)


def table_text(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None = None,
    *,
    terminal: bool = False,
) -> str:
    """A table for people as text: Rich's box drawing when installed, else plain aligned text.

    Title, headers and cells are cleaned first and given to Rich as :class:`~rich.text.Text`,
    so markup in them is shown, not interpreted, and a folded cell cannot split an ID number
    out of the masking. ``terminal`` keeps Rich's styling (for a real terminal)."""
    try:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text
    except ImportError:  # the cli extra is not installed
        return plain_table(title, columns, rows) + "\n"
    table = Table(title=Text(output.clean(title, cell=True)) if title else None, show_lines=False)
    for c in _cells(columns):
        table.add_column(Text(c), overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in _cells(row)))
    buffer = io.StringIO()
    Console(
        file=buffer,
        soft_wrap=False,
        width=width or 160,
        force_terminal=terminal or None,
        color_system="auto" if terminal else None,
    ).print(table)
    return buffer.getvalue()


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: TextIO | None = None,
) -> None:
    """:func:`table_text` written to ``out`` (standard output by default, through the guard)."""
    stream = out or sys.stdout
    tty = stream.isatty()
    width = shutil.get_terminal_size((160, 24)).columns if tty else 160
    _write_rendered(table_text(title, columns, rows, width, terminal=tty), out)


def _write_rendered(text: str, out: TextIO | None) -> None:
    if out is None:
        output.write_rendered(text)
    else:
        out.write(text)


__all__ = [
    "emit",
    "emit_bytes",
    "emit_chunks",
    "format_error",
    "json_bytes",
    "json_chunks",
    "markdown_table",
    "markdown_text",
    "plain_table",
    "print_table",
    "table_text",
    "to_json",
]
