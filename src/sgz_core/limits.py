"""What the storage backends can hold: the one place the loader and the schema take them from.

A leaf module (no imports), so the programme-file loader, the storage port and the SQL schema
all use the same numbers. See ``docs/storage.md`` ("Limits").
"""

from __future__ import annotations

MAX_KEY_LENGTH = 255
"""Characters in an id or a reference to one: a ``key`` column (``VARCHAR(255)`` on MariaDB)."""

UNENCODABLE = "[\ud800-\udfff]"
"""A regular expression of the characters no backend can hold in text: lone surrogates, which
have no UTF-8 form (Python makes them of bytes that are not UTF-8: a file name, an argument)."""

MAX_DECIMAL_TEXT = 100
"""Characters of an exact decimal written as text: a ``decimal`` column (``VARCHAR(100)``)."""

INT64 = 2**63 - 1
"""The largest integer (and number of fen) an integer column holds (``BIGINT``)."""

MAX_DECIMAL_PLACES = 20
"""Decimals (areas, hours, shares, weights) have at most this many digits after the point."""

MAX_DECIMAL_INTEGER_DIGITS = 20
"""... and at most this many before it: enough for any real quantity, small enough that no
arithmetic or formatting on them runs away (``1e-999999999`` would print a gigabyte)."""

MAX_YEARS = 99
"""Contract years are numbered 1 … MAX_YEARS (terms are a few years; this bounds dates).
Kept here, a leaf, so the command line's argument types need not import the model."""

DEFAULT_URL = "sqlite:///sgz.db"
"""The default storage: ``sgz.db`` in the working directory (also :data:`sgz_core.storage.DEFAULT_URL`)."""

MAX_STATIONS = 100_000
"""The most stations a plan takes: over three times a national deployment (about 30,000
township and street stations, requirements.md "Scale"); more is a typing mistake."""

DEFAULT_YEARS = 3
"""Contract years planned by default: Chengguan's service term (TERM-1)."""

__all__ = [
    "DEFAULT_URL",
    "DEFAULT_YEARS",
    "INT64",
    "MAX_DECIMAL_INTEGER_DIGITS",
    "MAX_DECIMAL_PLACES",
    "MAX_DECIMAL_TEXT",
    "MAX_KEY_LENGTH",
    "MAX_STATIONS",
    "MAX_YEARS",
    "UNENCODABLE",
]
