"""Argument helpers shared by every ``sgz`` subcommand module."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar

from sgz_core.limits import MAX_YEARS
from sgz_core.text import LANGS, Text

ARGUMENT_LANG: ContextVar[str] = ContextVar("sgz_argument_lang", default="en")
"""The language of argument errors: ``cli.main`` sets it from ``--lang`` / ``SGZ_LANG`` (default
zh) before parsing; a caller of :func:`date_arg` outside it gets English, as from the API."""


def lang_in_argv(argv: Sequence[str]) -> str | None:
    """The last ``--lang X`` (or ``--lang=X``) of ``argv`` when it is a known language: argument
    errors are raised while parsing, before ``--lang`` itself is read."""
    found = None
    for i, arg in enumerate(argv):
        value = arg[len("--lang=") :] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGS:
            found = value
    return found


def _refuse(text: Text) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(text.get(ARGUMENT_LANG.get()))


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_arg(text: str) -> dt.date:
    """``--on 2025-01-31`` as a date; anything else is a usage error (exit status 2).

    Only ``YYYY-MM-DD``: Python's ``fromisoformat`` would also take ``20250131`` and ``2025-W05-5``.
    """
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _refuse(
            Text(
                f"应为形如 2025-01-31 的日期，实为 {text!r}",
                f"expected a date like 2025-01-31, got {text!r}",
            )
        ) from None


def year_arg(text: str) -> int:
    """``--year 2`` as a whole number written in ASCII digits; the service checks that it is a
    contract year (1 to MAX_YEARS), the same way for a FILE, ``--db`` and the Python API."""
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise _refuse(
            Text(
                f"应为 1 至 {MAX_YEARS} 的合同年序号，实为 {text!r}",
                f"expected a contract year number from 1 to {MAX_YEARS}, got {text!r}",
            )
        )
    return int(text)


def today() -> dt.date:
    """The default for ``--on``: the command line reads the clock, the core never does."""
    return dt.date.today()


LANG_ENV = "SGZ_LANG"
"""The environment variable giving the default of ``--lang`` (``zh`` or ``en``)."""


def lang_of(given: str | None, environ: Mapping[str, str], warn: Callable[[str], None]) -> str:
    """``--lang``, else ``SGZ_LANG``, else ``zh``; an unknown ``SGZ_LANG`` is warned about."""
    if given is not None:
        return given
    value = environ.get(LANG_ENV, "").strip()
    if not value:
        return "zh"
    if value not in LANGS:
        # in both languages: the one the user reads is not known (the run goes on in Chinese)
        warn(
            f"sgz: warning: {LANG_ENV}={value!r} 不是 {'、'.join(LANGS)} 之一，使用 zh"
            f"（{LANG_ENV}={value!r} is not one of {', '.join(LANGS)}; using zh）"
        )
        return "zh"
    return value


def add_lang(parser: argparse.ArgumentParser, dest: str = "lang") -> None:
    """``--lang zh|en`` (default from ``SGZ_LANG``, then Chinese). ``sgz`` itself takes it under
    ``dest="top_lang"`` too (``sgz --lang en check …``): a subcommand's own default would
    overwrite a shared destination, so the two are read together by :func:`chosen_lang`."""
    parser.add_argument(
        "--lang",
        dest=dest,
        choices=list(LANGS),
        default=None,
        help=f"language of tables and messages (default: ${LANG_ENV}, else zh)",
    )


def chosen_lang(args: argparse.Namespace | None) -> str | None:
    """The ``--lang`` given after the command, else the one given before it, else ``None``."""
    return getattr(args, "lang", None) or getattr(args, "top_lang", None)


__all__ = ["LANG_ENV", "add_lang", "chosen_lang", "date_arg", "lang_of", "today", "year_arg"]
