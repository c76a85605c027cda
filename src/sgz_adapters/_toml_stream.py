"""``tomli_w.dumps`` of a table one of whose lists is too big to hold: the same text, in pieces
(``sgz export`` writes 30,000 stations a batch at a time, issue 12).

Built on ``tomli_w.dumps`` alone, from what it does at the top level: first every value it
writes as a literal (``key = …``), in key order, then every table and array of tables, in key
order, each after an empty line when anything came before it. A list of tables is an array of
tables (``[[key]]`` blocks) unless every table in it fits on one line, when it is one literal
of inline tables. The pieces are cut from ``dumps`` of each value alone and of each batch, and
each cut is checked, so a ``tomli_w`` that wrote otherwise would fail loudly, not write another
text. ``tests/unit/test_toml_stream.py`` compares the result with ``tomli_w.dumps`` of the
whole table on generated data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import tomli_w

Batches = Callable[[], Iterable[Sequence[Mapping[str, Any]]]]
"""Gives the streamed list's tables, batch after batch; called more than once (each call
starts again from the first batch)."""

_NEVER_INLINE = {"sgz_never_inline": "x" * 120}
"""A table ``tomli_w`` never writes inline (longer than its line of 100 characters): put
after a batch, it makes the batch an array of tables, whatever the batch's own tables are."""
_CLOSE = ",\n]\n"


class StreamError(AssertionError):
    """``tomli_w`` wrote a piece in another form than this module cuts (a changed version)."""


def _cut_suffix(text: str, suffix: str) -> str:
    if not text.endswith(suffix):
        raise StreamError(f"tomli_w wrote {text[-80:]!r}, expected it to end {suffix[:80]!r}")
    return text[: len(text) - len(suffix)]


def _cut_prefix(text: str, prefix: str) -> str:
    if not text.startswith(prefix):
        raise StreamError(f"tomli_w wrote {text[:80]!r}, expected it to start {prefix!r}")
    return text[len(prefix) :]


def _inline(key: str, table: Mapping[str, Any]) -> bool:
    """Whether ``tomli_w`` writes ``table`` inline in a list of tables under ``key``."""
    return not tomli_w.dumps({key: [table]}).startswith("[")


def _all_inline(key: str, batches: Batches) -> bool | None:
    """``None`` for an empty list, else whether every table of it is written inline."""
    empty = True
    for batch in batches():
        for table in batch:
            if not isinstance(table, Mapping):
                raise TypeError(f"{key}: expected tables, got {type(table).__name__}")
            empty = False
            if not _inline(key, table):
                return False
    return None if empty else True


def _literal_pieces(key: str, batches: Batches) -> Iterator[str]:
    """``key = [ {…}, … ]`` of inline tables, a batch at a time."""
    opening = _cut_suffix(tomli_w.dumps({key: []}), "[]\n") + "[\n"
    yield opening
    first = True
    for batch in batches():
        if not batch:
            continue
        body = _cut_suffix(_cut_prefix(tomli_w.dumps({key: list(batch)}), opening), _CLOSE)
        yield body if first else ",\n" + body
        first = False
    yield _CLOSE


def _table_pieces(key: str, batches: Batches) -> Iterator[str]:
    """The ``[[key]]`` blocks, a batch at a time, an empty line between two."""
    tail = "\n" + tomli_w.dumps({key: [_NEVER_INLINE]})
    first = True
    for batch in batches():
        if not batch:
            continue
        text = _cut_suffix(tomli_w.dumps({key: [*batch, _NEVER_INLINE]}), tail)
        yield text if first else "\n" + text
        first = False


def dumps_streamed(data: Mapping[str, Any], key: str, batches: Batches) -> Iterator[str]:
    """The pieces of ``tomli_w.dumps(data)`` with ``data[key]`` the list of every table
    ``batches()`` gives (``data[key]`` itself is not read): ``"".join`` of them is that text,
    and at most one batch is rendered at a time."""
    if key not in data:
        raise KeyError(key)
    literals: list[str | None] = []  # None: the streamed list, at its place
    tables: list[str | None] = []
    streamed_inline: bool | None = None
    for k, value in data.items():
        if k == key:
            streamed_inline = _all_inline(key, batches)
            (tables if streamed_inline is False else literals).append(None)
            continue
        piece = tomli_w.dumps({k: value})
        (tables if piece.startswith("[") else literals).append(piece)
    wrote = False
    for literal in literals:
        if literal is not None:
            yield literal
        elif streamed_inline is None:
            yield tomli_w.dumps({key: []})
        else:
            yield from _literal_pieces(key, batches)
        wrote = True
    for table in tables:
        if wrote:
            yield "\n"
        wrote = True
        if table is not None:
            yield table
        else:
            yield from _table_pieces(key, batches)
