"""Argument helpers shared by every ``sgz`` subcommand module."""

from __future__ import annotations

import argparse
import datetime as dt


def date_arg(text: str) -> dt.date:
    """``--on 2025-01-31`` as a date; anything else is a usage error (exit status 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-01-31, got {text!r}") from None


def today() -> dt.date:
    """The default for ``--on``: the command line reads the clock, the core never does."""
    return dt.date.today()
