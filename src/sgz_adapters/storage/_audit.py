"""What the built-in storages share for the audit trail (AUD-1): the clock and the user."""

from __future__ import annotations

import datetime as dt
import getpass
import os

from sgz_core.audit import AuditEntry

USER_VARIABLE = "SGZ_USER"
"""The environment variable naming who works, when a command is not given ``--by``."""


def now() -> dt.datetime:
    """Now, in UTC, to the microsecond: when an audit entry is appended."""
    return dt.datetime.now(dt.UTC)


def login_name() -> str:
    """Who writes when nobody said: ``$SGZ_USER``, else the operating system's login name
    (``uid N`` where the system has no name for the user)."""
    name = os.environ.get(USER_VARIABLE, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (a container), no LOGNAME/USER
        return f"uid {os.getuid()}"


def row(entry: AuditEntry) -> tuple[object, ...]:
    """The stored row of an entry (``at`` as ISO text), in ``_schema.AUDIT_COLUMNS`` order."""
    return (
        entry.seq,
        entry.at.isoformat(),
        entry.who,
        entry.action.value,
        entry.programme,
        entry.station,
        entry.year,
        entry.subject,
        entry.before,
        entry.after,
        entry.prev,
        entry.hash,
    )
