"""The output edge: one step that every character sgz prints for people passes (PII-1, issue 8).

:func:`clean` masks resident ID numbers (:func:`sgz_adapters.pii.mask_id_numbers`) and turns
control characters, terminal escape sequences and bidirectional overrides into visible
``\\u001b``-style escapes, so text from a programme file is shown, never obeyed by the terminal.
The escape is JSON's own, so a JSON document stays valid JSON and decodes to the same strings.

While ``sgz_adapters.cli.main`` runs, standard output and standard error are :class:`Guarded`:
whatever a command, a plugin or argparse writes is cleaned line by line, a character the stream
cannot encode (a GBK console and 𪚥) becomes the encoding's replacement character, and a write
that fails raises :class:`OutputFailed` (or :class:`OutputClosed` for a closed pipe) for ``main``
to report. Exports are the one output that keeps full ID numbers: they are written raw.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sgz_adapters.pii import mask_id_numbers
from sgz_core.errors import SgzError
from sgz_core.limits import UNENCODABLE

UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline; DEL; C1 (CSI, OSC, …)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff]"  # lone surrogates (undecodable file names)
)
"""Characters never written raw: a terminal would act on them (ESC starts every escape sequence;
CR and backspace overwrite what was shown) or a reader would see text reordered (Trojan Source)."""

LONE_SURROGATE = re.compile(UNENCODABLE)
"""A lone surrogate: in text Python decoded with ``surrogateescape`` (an argument or a file
name of bytes that are not UTF-8), never in text read from a UTF-8 file or a database."""

UNSAFE_IN_CELL = re.compile(UNSAFE.pattern[:-1] + "\t\n]")
"""In a table cell, tab and newline too: a cell is one line."""


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m[0]):04x}"


def escape_controls(text: str, *, cell: bool = False) -> str:
    """``text`` with each unsafe character as a visible ``\\uXXXX`` (tab and newline kept,
    unless ``cell``)."""
    return (UNSAFE_IN_CELL if cell else UNSAFE).sub(_escape, text)


def clean(text: str, *, cell: bool = False) -> str:
    """``text`` as it may be shown: ID numbers masked, unsafe characters escaped.

    Masked before escaping (so a control character next to a number does not join it to the
    escape's digits) and again after, so no ID number is made of an escape and the data."""
    masked = mask_id_numbers(text)
    pattern = UNSAFE_IN_CELL if cell else UNSAFE
    if not pattern.search(masked):
        return masked
    return mask_id_numbers(pattern.sub(_escape, masked))


def encodable(text: str, encoding: str | None) -> str:
    """``text`` with what ``encoding`` cannot represent replaced (``?`` for GBK)."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:
        return text
    return text


class OutputFailed(SgzError):
    """Standard output or error could not be written (a full disk, an I/O error)."""

    def __init__(self, stream: str, error: OSError | str) -> None:
        self.stream = stream
        reason = error if isinstance(error, str) else error.strerror or error
        super().__init__(f"cannot write {stream}: {reason}")


class OutputClosed(Exception):
    """The reader of standard output went away (``sgz … | head``): stop quietly."""


class _Closed:
    """What stands for a standard stream Python found closed at start (``sgz … >&-``)."""

    encoding = "utf-8"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        raise OSError("it is closed")

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


class Guarded:
    """A text stream that cleans what is written to it, line by line, then writes it to ``raw``.

    Text is held back until a newline (or :meth:`flush`), so an ID number written in two
    pieces is still masked as one.
    """

    def __init__(self, raw: TextIO | None, name: str, *, best_effort: bool = False) -> None:
        self.raw: Any = raw if raw is not None else _Closed(name)
        self.name = name
        self.best_effort = best_effort
        """Drop what cannot be written instead of failing (standard error: nowhere to say it)."""
        self._pending = ""

    # what print(), argparse and Rich look for on a stream
    @property
    def encoding(self) -> str:
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return "replace"

    @property
    def buffer(self) -> Any:
        return getattr(self.raw, "buffer", None)

    def isatty(self) -> bool:
        isatty = getattr(self.raw, "isatty", None)
        return bool(isatty()) if isatty else False

    def fileno(self) -> int:
        return int(self.raw.fileno())

    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return bool(getattr(self.raw, "closed", False))

    def __getattr__(self, name: str) -> Any:  # name, mode, line_buffering …: the stream's own
        if name.startswith("_") or name in {"buffer", "detach", "reconfigure"}:
            raise AttributeError(name)
        return getattr(self.raw, name)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in text:
            head, _, self._pending = self._pending.rpartition("\n")
            self._send(clean(head + "\n"))
        return len(text)

    def write_clean(self, text: str) -> None:
        """Write text that was cleaned already (a table rendered from cleaned cells)."""
        self._drain()
        self._send(text)

    def write_raw(self, text: str) -> None:
        """Write text as it is: an export, whose ID numbers are kept on purpose."""
        self._drain()
        self._send(text)

    def _drain(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._send(clean(pending))

    def flush(self) -> None:
        self._drain()
        try:
            self.raw.flush()
        except OSError as exc:
            if self.best_effort:
                return
            if isinstance(exc, BrokenPipeError):
                raise OutputClosed from None
            raise OutputFailed(self.name, exc) from None

    def _send(self, text: str) -> None:
        try:
            try:
                self.raw.write(text)
            except UnicodeEncodeError:
                self.raw.write(encodable(text, getattr(self.raw, "encoding", None)))
        except OSError as exc:
            if self.best_effort:
                return
            if isinstance(exc, BrokenPipeError):
                raise OutputClosed from None
            raise OutputFailed(self.name, exc) from None

    def write_bytes(self, data: bytes) -> None:
        """Write bytes to the binary stream beneath (a report)."""
        self._drain()
        buffer = self.buffer
        try:
            if buffer is None:
                self.raw.write(data.decode("utf-8", "replace"))
                return
            self.raw.flush()
            buffer.write(data)
            buffer.flush()
        except BrokenPipeError:
            raise OutputClosed from None
        except OSError as exc:
            raise OutputFailed(self.name, exc) from None


def unguarded(stream: TextIO) -> TextIO:
    """The stream beneath a :class:`Guarded` one, for a writer that cleans its own text and
    needs its escape sequences kept (Rich's progress bar)."""
    return stream.raw if isinstance(stream, Guarded) else stream


def write(text: str, *, err: bool = False, export: bool = False) -> None:
    """Write ``text`` to standard output (or error), cleaned unless it is an ``export``.

    An export written to a terminal still has its control characters escaped (it is being
    read, not saved); redirected to a file or a pipe it is written byte for byte.
    """
    stream: Any = sys.stderr if err else sys.stdout
    if export:
        if stream.isatty():
            text = escape_controls(text)
        if isinstance(stream, Guarded):
            stream.write_raw(text)
        else:
            stream.write(text)
        return
    if isinstance(stream, Guarded):
        stream.write_clean(clean(text))
        return
    text = clean(text)
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(encodable(text, getattr(stream, "encoding", None)))


def write_rendered(text: str, *, err: bool = False) -> None:
    """Write text whose parts were cleaned before it was laid out (Rich's colours kept)."""
    stream: Any = sys.stderr if err else sys.stdout
    if isinstance(stream, Guarded):
        stream.write_clean(text)
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(encodable(text, getattr(stream, "encoding", None)))


def text_pieces(data: bytes, size: int = 1 << 20) -> Iterator[str]:
    """``data`` decoded from UTF-8 in pieces of about ``size`` bytes, each ending after a
    newline (or at the end). A UTF-8 character never holds the newline byte, so the pieces
    decode exactly as the whole does (raising :class:`UnicodeDecodeError` where it would), and
    :func:`clean` of each gives :func:`clean` of the whole: nothing it masks or escapes spans a
    newline (issue 12)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + size)
        end = len(data) if end < 0 else end + 1
        yield data[start:end].decode("utf-8")
        start = end


def write_bytes(data: bytes) -> None:
    """Write ``data`` (a rendered report) to standard output.

    UTF-8 text is cleaned like any text and written as UTF-8; other bytes (a workbook) are
    written as they are, except to a terminal, which is refused: it would show garbage.
    """
    stream: Any = sys.stdout
    try:
        for _ in text_pieces(data):  # UTF-8 throughout? (decoded a megabyte at a time)
            pass
    except UnicodeDecodeError:
        if stream.isatty():
            raise BinaryToTerminal from None
        cleaned = data
    else:
        # text goes through the text layer, so a console that cannot encode a character
        # (a GBK terminal) gets a replacement character, as for any other text; a piece at a
        # time, so a national check's JSON is never held as one text and its cleaned copy
        for piece in text_pieces(data):
            stream.write(clean(piece))
        stream.flush()
        return
    if isinstance(stream, Guarded):
        stream.write_bytes(cleaned)
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(cleaned.decode("utf-8", "replace"))
    else:
        stream.flush()
        buffer.write(cleaned)
        buffer.flush()


CHUNK_LINES_BYTES = 1 << 20
"""How much :func:`write_chunks` gathers before it writes (whole lines, about a megabyte)."""


def write_chunks(chunks: Iterable[bytes], size: int = CHUNK_LINES_BYTES) -> None:
    """:func:`write_bytes` of ``b"".join(chunks)``, written as the chunks come: about ``size``
    bytes at a time, each run ending after a newline (a newline byte is never inside a UTF-8
    character, and nothing :func:`clean` masks or escapes spans one, so the runs are written
    exactly as the whole would be; issue 12)."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        if len(pending) >= size:
            cut = pending.rfind(b"\n") + 1
            if cut:
                write_bytes(bytes(pending[:cut]))
                del pending[:cut]
    if pending:
        write_bytes(bytes(pending))


class BinaryToTerminal(SgzError):
    """A binary report asked to be shown on a terminal."""

    def __init__(self) -> None:
        super().__init__(
            "this format is binary and standard output is a terminal; "
            "redirect it to a file (> report.xlsx) or give --to FILE"
        )


__all__ = [
    "CHUNK_LINES_BYTES",
    "UNSAFE",
    "UNSAFE_IN_CELL",
    "BinaryToTerminal",
    "Guarded",
    "OutputClosed",
    "OutputFailed",
    "clean",
    "encodable",
    "escape_controls",
    "text_pieces",
    "unguarded",
    "write",
    "write_bytes",
    "write_chunks",
    "write_rendered",
]
