"""What the built-in storages share for the audit trail (AUD-1): the clock and the user."""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import operator
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sgz_core.audit import (
    COLUMNS,
    MAX_WHO,
    SEPARATOR,
    AuditAction,
    AuditEntry,
    AuditHead,
    AuditProblem,
    Verdict,
    from_row,
    verify,
)
from sgz_core.limits import MAX_KEY_LENGTH
from sgz_core.text import Text

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


# --- verifying the stored rows (AUD-1, issue 11) ----------------------------------------------
#
# ``audit verify`` of a storage used to build an :class:`AuditEntry` per row (its converters
# check every field) and hand the entries to :func:`sgz_core.audit.verify`: exact, but about
# twenty times slower than hashing the same bytes. :func:`verify_batches` checks a batch of rows
# at a time, column by column, with the loops in C (joins, ``map``, list comparisons): a batch
# passes only if every row of it is one that ``from_row`` reads back as an entry whose
# encoding is the row's fields joined as they are, whose hash is the stored one, in sequence and
# chained to the row before. Any batch with anything else in it (a changed field, a NULL, a
# wrong type, a time not in sgz's form, a separator, a missing or extra row) goes through the
# reference (``from_row`` and ``verify``, resumed where the fast check stopped), so the verdict,
# the first bad entry, its problem and its message are always the reference's.

BATCH = 2000
"""Rows checked at a time."""

_STR = frozenset({str})
_INT = frozenset({int})
_AT_LENGTHS = frozenset({25, 32})
_ACTIONS = frozenset(v for v in AuditAction.values() if SEPARATOR not in v)
_DATE = (
    "(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.(?!000000)[0-9]{6})?\+00:00"
_ATS = re.compile(f"(?:{_DATE}T{_TIME}\n)*")
"""Times as ``at.isoformat()`` writes an aware UTC datetime (a real date from year 1, no
``.000000``, ``+00:00``), each followed by a newline: exactly the ``at`` texts that ``from_row``
reads back as a time whose ISO text is the same text (a test pins it on generated texts)."""
_none_empty = {None: ""}.get
"""``_none_empty(v, v)``: ``""`` for ``None``, else ``v`` (the encoding's empty field)."""
_is_value = functools.partial(operator.is_not, None)
_hexdigest = type(hashlib.sha256()).hexdigest


def _keys(values: Sequence[Any], limit: int) -> bool:
    """Each value a non-empty ``str`` of at most ``limit`` characters without NUL or U+001F:
    what ``_checked_text`` in :mod:`sgz_core.audit` accepts, unchanged."""
    if "" in values or max(map(len, values), default=0) > limit:
        return False
    joined = "".join(values)  # a TypeError for anything but text: the reference decides then
    return SEPARATOR not in joined and "\x00" not in joined


def _json_texts(values: Sequence[Any]) -> bool:
    """Each value a non-empty ``str`` without U+001F: JSON text that ``from_row`` keeps as it is."""
    return "" not in values and SEPARATOR not in "".join(values)  # "".join: text only


def canonical_times(ats: Sequence[Any]) -> bool:
    """Whether every value is an ``at`` text in sgz's form (:data:`_ATS`)."""
    if not set(map(type, ats)) <= _STR or not set(map(len, ats)) <= _AT_LENGTHS:
        return False
    return _ATS.fullmatch("\n".join(ats) + "\n") is not None


def _batch_whole(rows: Sequence[Sequence[Any]], count: int, last: str) -> bool:
    """Whether ``rows`` (in :data:`sgz_core.audit.COLUMNS` order) are the entries
    ``count + 1, count + 2, …`` exactly as ``from_row`` and ``verify`` would pass them, after an
    entry with hash ``last``. ``False`` says only "not sure": the reference decides then.

    Each field is checked as ``from_row``'s converters check it, and then passes unchanged into
    the encoding; U+001F can be in none of them, so ``verify``'s count of separators holds."""
    if not rows or set(map(len, rows)) != {len(COLUMNS)}:
        return False
    (seqs, ats, whos, actions, programmes, stations, years, subjects, befores, afters, prevs,
     hashes) = zip(*rows, strict=True)  # fmt: skip
    if not set(map(type, seqs)) <= _INT or seqs != tuple(range(count + 1, count + len(rows) + 1)):
        return False
    if prevs != (last, *hashes[:-1]) or not canonical_times(ats):
        return False
    if not (
        _keys(whos, MAX_WHO)
        and set(actions) <= _ACTIONS
        and _keys(programmes, MAX_KEY_LENGTH)
        and _keys(list(filter(_is_value, stations)), MAX_KEY_LENGTH)
        and _keys(list(filter(_is_value, subjects)), MAX_KEY_LENGTH)
        and _json_texts(list(filter(_is_value, befores)))
        and _json_texts(list(filter(_is_value, afters)))
    ):
        return False
    numbers = list(filter(_is_value, years))
    if numbers and (not set(map(type, numbers)) <= _INT or min(numbers) < 1 or max(numbers) > 99):
        return False
    texts = map(
        SEPARATOR.join,
        zip(
            map(str, seqs),
            ats,
            whos,
            actions,
            programmes,
            map(_none_empty, stations, stations),
            map(_none_empty, years, map(str, years)),
            map(_none_empty, subjects, subjects),
            map(_none_empty, befores, befores),
            map(_none_empty, afters, afters),
            prevs,
            strict=True,
        ),
    )
    return tuple(map(_hexdigest, map(hashlib.sha256, map(str.encode, texts)))) == hashes


def read_head(row: Sequence[Any] | None) -> AuditHead | AuditProblem:
    """The chain's head from its stored row (``seq``, ``hash``), or what is wrong with it:
    :attr:`AuditProblem.REMOVED` when there is no row, :attr:`AuditProblem.CHANGED` when the
    row holds no head (a count or a hash of another type)."""
    if row is None:
        return AuditProblem.REMOVED
    if not isinstance(row[0], int) or not isinstance(row[1], str):
        return AuditProblem.CHANGED
    return AuditHead(int(row[0]), row[1])


def _headless(done: AuditHead, problem: AuditProblem) -> Verdict:
    """The verdict on whole entries whose stored head is gone (``REMOVED``) or no head
    (``CHANGED``): tampering outside sgz like any other (AUD-1), found after the last entry,
    since entries cut off the end can no longer be ruled out."""
    if problem is AuditProblem.REMOVED:
        why = Text(
            "链头记录缺失：保存链头的记录被删除，无法确认末尾的记录是否被删除",
            "the chain's head is missing: the row that keeps it was removed, so entries cut "
            "off the end cannot be ruled out",
        )
    else:
        why = Text(
            "链头记录无法读取：保存链头的记录被改动过",
            "the chain's head cannot be read: the row that keeps it was changed",
        )
    return Verdict(done.count, done.hash, done.count + 1, None, problem, why)


def verify_batches(
    batches: Iterable[Sequence[Sequence[Any]]], head: AuditHead | AuditProblem
) -> Verdict:
    """What ``verify((from_row(r) for r in rows), head)`` gives over the stored rows, which
    ``batches`` yields in ``seq`` order a batch at a time (AUD-1, issue 11): each batch is
    checked fast (:func:`_batch_whole`), and one that is not plainly whole by the reference,
    resumed after the rows found whole before it. ``head`` is what :func:`read_head` read:
    a head that is gone or none breaks the chain after its last entry."""
    done = AuditHead()
    for rows in batches:
        try:
            whole = _batch_whole(rows, done.count, done.hash)
        except (TypeError, ValueError, OverflowError):
            whole = False  # a value of a type or form the fast check cannot take
        if whole:
            done = AuditHead(done.count + len(rows), rows[-1][-1])
            continue
        verdict = verify(map(from_row, rows), None, start=done)
        if not verdict.whole:
            return verdict
        done = AuditHead(verdict.count, verdict.head)
    if isinstance(head, AuditProblem):
        return _headless(done, head)
    return verify((), head, start=done)
