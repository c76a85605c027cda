"""The library's exceptions: one base class, each subclass also the built-in it resembles."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

_ID_LIKE = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9])")
"""An 18-character run that could be a resident ID number (GB 11643), valid or not."""


def mask_id_like(text: str) -> str:
    """``text`` with every run that could be a resident ID number shown as ``6201**********123X``.

    Every message of an :class:`InvalidInput` passes through it, so no refusal repeats a full
    ID number whatever field it was put in (PII-1); the output edge masks again."""
    return _ID_LIKE.sub(lambda m: f"{m[1]}{'*' * 10}{m[2]}", text)


class SgzError(Exception):
    """Base class of every error sgz raises on purpose."""


@attrs.frozen
class Problem:
    """One thing wrong with an input: where (key path) and what was expected.

    ``message`` is English (what ``str()`` gives); ``zh``, when the raise site says it in
    Chinese too, is shown for ``--lang zh`` instead of a template's translation (issue 9 §4).
    It takes no part in equality: the problem is the same in either language."""

    path: str
    message: str
    zh: str | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidInput(SgzError, ValueError):
    """Input that cannot be used: names the source, the key path(s) and what was expected."""

    def __init__(self, problems: Sequence[Problem] | str, source: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems: tuple[Problem, ...] = tuple(
            Problem(
                mask_id_like(p.path),
                mask_id_like(p.message),
                zh=None if p.zh is None else mask_id_like(p.zh),
            )
            for p in problems
        )
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            text = head + str(self.problems[0])
        else:
            lines = [f"{head}{len(self.problems)} problems:"]
            lines += [f"  - {p}" for p in self.problems]
            text = "\n".join(lines)
        super().__init__(text)

    def with_source(self, source: str) -> InvalidInput:
        """The same problems, attributed to ``source`` (a file name)."""
        return InvalidInput(self.problems, source)


class ProfileError(InvalidInput):
    """A policy profile that cannot be used (unknown parameter, bad value, no value in force)."""


class NotFound(SgzError, KeyError):
    """Something asked for by id that does not exist."""

    def __init__(self, kind: str, key: object, known: Sequence[object] = ()) -> None:
        self.kind = kind
        self.key = key
        # masked before repr(): an escape such as \\x00 must not join the digits of a number
        shown = repr(mask_id_like(key)) if isinstance(key, str) else mask_id_like(repr(key))
        hint = f"; known: {', '.join(mask_id_like(str(k)) for k in known)}" if known else ""
        super().__init__(mask_id_like(f"no {kind} {shown}{hint}"))

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class NoProgramme(NotFound):
    """A storage that holds no programme at all, asked for the one it holds (``--db`` without
    ``--programme``): a :class:`NotFound` that says what to do."""

    def __init__(self, url: str = "") -> None:
        super().__init__("programme", None)
        where = f"{url}: " if url else ""
        self.args = (
            f"{where}the database holds no programme yet; import one first (sgz import FILE)",
        )


class StorageError(SgzError, RuntimeError):
    """A storage backend that cannot do what was asked: unreachable, locked, corrupt or too new."""


class AlreadyExists(SgzError, ValueError):
    """Something saved under an id that is already taken (replace it explicitly instead)."""

    def __init__(self, kind: str, key: object, hint: str = "") -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} already exists{'; ' + hint if hint else ''}")


class PluginError(SgzError, RuntimeError):
    """A plugin that cannot be used: fails to import, misspells a hook, registers a name twice."""


class NotificationError(SgzError, RuntimeError):
    """A notifier that could not deliver (the server refused, timed out or was unreachable)."""


__all__ = [
    "AlreadyExists",
    "InvalidInput",
    "NoProgramme",
    "NotFound",
    "NotificationError",
    "PluginError",
    "Problem",
    "ProfileError",
    "SgzError",
    "StorageError",
    "mask_id_like",
]
