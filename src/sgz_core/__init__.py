"""sgz_core: the domain of street and township social work stations (社工站), with no I/O.

Everything here is pure: files are read and the clock is consulted by callers (the command
line, adapters), who pass text and dates in.
"""

from __future__ import annotations

from sgz_core.errors import (
    AlreadyExists,
    InvalidInput,
    NotFound,
    PluginError,
    ProfileError,
    SgzError,
    StorageError,
)
from sgz_core.hookspecs import hookimpl
from sgz_core.money import allocate, to_money

__version__ = "0.1.0"

__all__ = [
    "AlreadyExists",
    "InvalidInput",
    "NotFound",
    "PluginError",
    "ProfileError",
    "SgzError",
    "StorageError",
    "__version__",
    "allocate",
    "hookimpl",
    "to_money",
]
