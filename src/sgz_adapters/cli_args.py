"""Argument helpers shared by every ``sgz`` subcommand module."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from sgz_core.model import MAX_YEARS

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
        raise argparse.ArgumentTypeError(f"expected a date like 2025-01-31, got {text!r}") from None


def year_arg(text: str) -> int:
    """``--year 2`` as a contract year number from 1 to MAX_YEARS, for a FILE and ``--db`` alike."""
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= MAX_YEARS:
        raise argparse.ArgumentTypeError(
            f"expected a contract year number from 1 to {MAX_YEARS}, got {text!r}"
        )
    return int(text)


def today() -> dt.date:
    """The default for ``--on``: the command line reads the clock, the core never does."""
    return dt.date.today()
