"""Argument helpers shared by every ``sgz`` subcommand module."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping

from sgz_core.text import LANGS


def date_arg(text: str) -> dt.date:
    """``--on 2025-01-31`` as a date; anything else is a usage error (exit status 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-01-31, got {text!r}") from None


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
        warn(f"sgz: warning: {LANG_ENV}={value!r} is not one of {', '.join(LANGS)}; using zh")
        return "zh"
    return value


def add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang zh|en`` (default from ``SGZ_LANG``, then Chinese)."""
    parser.add_argument(
        "--lang",
        choices=list(LANGS),
        default=None,
        help=f"language of tables and messages (default: ${LANG_ENV}, else zh)",
    )
