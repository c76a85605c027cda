"""Generated audit trails as stored rows, and tampering with them at the row level (AUD-1,
issue 11): what the fast ``audit_verify`` of every storage is compared with the reference on
(``sgz_core.audit.verify`` over ``from_row`` of the same rows).

The tampering is what a database tool can do to the rows: a field set to another value (another
text, NULL, an empty text, a number, a float, bytes, a time in a form sgz never writes, a
separator or NUL smuggled in, a text longer than sgz keeps), a row removed, copied in, moved or
renumbered, the head changed or left behind, and any of it *resealed*: the row's hash (and, on
request, the chain after it) recomputed over the raw values, so that only the checks of the
values themselves can find it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from hypothesis import strategies as st

from sgz_adapters.storage import _audit
from sgz_core.audit import GENESIS, SEPARATOR, AuditAction, AuditHead, append

Row = list[Any]

names = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\x1f"),
    min_size=1,
    max_size=8,
)
T0 = dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC)


@st.composite
def chains(draw: st.DrawFn, max_size: int = 9) -> tuple[list[Row], AuditHead]:
    """A trail as sgz appends it, as stored rows (``sgz_core.audit.COLUMNS`` order)."""
    head = AuditHead()
    rows = []
    for _ in range(draw(st.integers(0, max_size))):
        micro = draw(st.sampled_from([0, 1, 500_000, 999_999]))
        entry, head = append(
            head,
            at=T0 + dt.timedelta(days=draw(st.integers(-(10**5), 10**5)), microseconds=micro),
            who=draw(st.sampled_from(["李会计", "王科长", "uid 1000"]) | names),
            action=draw(st.sampled_from(AuditAction)),
            programme=draw(st.sampled_from(["district-2024", "城关"]) | names),
            station=draw(st.none() | names),
            year=draw(st.none() | st.integers(1, 99)),
            subject=draw(st.none() | st.sampled_from(["contract_signed", "final"]) | names),
            before=draw(st.none() | st.dictionaries(names, names, max_size=2)),
            after=draw(st.none() | st.dictionaries(names, st.integers() | names, max_size=2)),
        )
        rows.append(list(_audit.row(entry)))
    return rows, head


FIELDS = ("seq", "at", "who", "action", "programme", "station", "year", "subject")
FIELDS += ("before", "after", "prev", "hash")

odd_times = st.sampled_from(
    [
        "2025-01-01T08:00:00+08:00",
        "2025-01-01T08:00:00.000000+00:00",
        "2025-01-01T08:00:00Z",
        "2025-01-01T08:00:00-00:00",
        "2025-01-01T08:00:00",
        "2025-01-01 08:00:00+00:00",
        "2025-01-01T08:00+00:00",
        "2025-01-01T08:00:00.5+00:00",
        "2025-02-29T08:00:00+00:00",
        "2024-02-29T08:00:00+00:00",
        "2100-02-29T08:00:00+00:00",
        "2000-02-29T08:00:00+00:00",
        "0000-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+00:00",
        "2025-04-31T08:00:00+00:00",
        "2025-13-01T08:00:00+00:00",
        "2025-01-01T24:00:00+00:00",
        "2025-01-01T23:59:60+00:00",
        "２０２５-01-01T08:00:00+00:00",
        "2025-01-01T08:00:00+00:00\n2025-01-01T08:00:00+00:00",
        "not a time",
    ]
)

values = (
    st.none()
    | st.just("")
    | names
    | st.sampled_from(["payment", "PAYMENT", "payment ", "import", "0" * 64, "a" * 1001])
    | st.sampled_from(["x\x1fy", "x\x00y", '{"a":"\x1f"}', "1", "5", "99", "100", "0", "-1"])
    | odd_times
    | st.integers(-2, 101)
    | st.sampled_from([2**40, 1.5, 3.0, True, b"bytes", b"payment"])
)


def raw_text(value: Any) -> str:
    """A stored value as a forger would put it into the bytes they hash."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def seal(row: Row) -> None:
    """Recompute the row's hash over its raw values, as a forger would."""
    data = SEPARATOR.join(raw_text(v) for v in row[:11]).encode("utf-8", "surrogatepass")
    row[11] = hashlib.sha256(data).hexdigest()


@st.composite
def tampered(draw: st.DrawFn, typed: bool = False) -> tuple[list[Row], AuditHead]:
    """A generated trail with up to three row-level changes, and the head as left."""
    rows, head = draw(chains())
    rows = [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["field", "field", "time", "remove", "copy", "move", "seq"]))
        if not rows:
            break
        i = draw(st.integers(0, len(rows) - 1))
        if kind in ("field", "time"):
            column = draw(st.integers(0, 11))
            value = draw(odd_times if kind == "time" else values)
            if typed:
                value = _typed(column, value)
            rows[i][1 if kind == "time" else column] = value
        elif kind == "remove":
            del rows[i]
        elif kind == "copy":
            rows.insert(draw(st.integers(0, len(rows))), list(rows[i]))
        elif kind == "move":
            rows.insert(draw(st.integers(0, len(rows))), rows.pop(i))
        else:
            rows[i][0] = draw(st.integers(-1, len(rows) + 2))
        if draw(st.booleans()) and i < len(rows):
            seal(rows[i])
            if draw(st.booleans()):  # and the chain after it, so only the values tell
                for j in range(i + 1, len(rows)):
                    rows[j][10] = rows[j - 1][11]
                    seal(rows[j])
    head = draw(
        st.sampled_from(
            [
                head,
                AuditHead(
                    len(rows), rows[-1][11] if rows and isinstance(rows[-1][11], str) else GENESIS
                ),
                AuditHead(head.count + 1, head.hash),
                AuditHead(max(head.count - 1, 0), head.hash),
                AuditHead(head.count, "f" * 64),
            ]
        )
    )
    return rows, head


def _typed(column: int, value: Any) -> Any:
    """``value`` as a column of a strictly typed server can hold it (PostgreSQL, MariaDB)."""
    integer = column in (0, 6)
    if isinstance(value, bool | float | bytes):
        value = str(value)
    if integer:
        return value if isinstance(value, int) or value is None else len(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        value = value.replace("\x00", "")  # PostgreSQL text cannot hold NUL
        if column in (4, 5, 7):
            value = value[:255]  # MariaDB keeps keys in VARCHAR(255)
    return value


HOSTILE: dict[int, list[Any]] = {
    0: [3.0, "3", b"3", 2, 4, None],
    1: [
        "2025-01-01T08:00:00.000000+00:00",
        "2025-01-01T16:00:00+08:00",
        "2025-02-29T08:00:00+00:00",
    ],
    2: ["", "张\x00三", "张\x1f三", "a" * 1001, "a" * 1000, b"li", 7, None],
    3: ["PAYMENT", "payment ", "", b"payment", None, 3],
    4: ["", "p\x00", "p\x1f", "p" * 256, "p" * 255, b"p", 7, None],
    5: ["", "s\x00", "s\x1f", "s" * 256, "s" * 255, b"s", 7],
    6: [0, 100, -1, 99, 1, "5", 5.5, b"5", "x"],
    7: ["", "m\x00", "m\x1f", "m" * 256, b"m", 7],
    8: ["", '{"a":"\x1f"}', '{"a":"\x00"}', 5, 5.5, b"{}", "[]"],
    9: ["", '{"a":"\x1f"}', '{"a":"\x00"}', 5, 5.5, b"{}", "[]"],
    10: ["0" * 64, "f" * 64, "f" * 63, None],
}
"""Per column (``COLUMNS`` positions; entry 3 for ``seq``), values a forger might put there: some ``from_row``
refuses, some it takes (a NUL in JSON text, 1,000 characters of ``who``, year 99)."""


@st.composite
def forged(draw: st.DrawFn, typed: bool = False) -> tuple[list[Row], AuditHead]:
    """A generated trail with one value replaced in one row and everything from that row on
    resealed over the raw values, the head too: only the values themselves can tell."""
    rows, head = draw(chains())
    rows = [list(r) for r in rows]
    if not rows:
        return rows, head
    i = draw(st.integers(0, len(rows) - 1))
    column = draw(st.sampled_from(sorted(HOSTILE)))
    value = draw(st.sampled_from(HOSTILE[column]))
    rows[i][column] = _typed(column, value) if typed else value
    seal(rows[i])
    for j in range(i + 1, len(rows)):
        rows[j][10] = rows[j - 1][11]
        seal(rows[j])
    return rows, AuditHead(len(rows), rows[-1][11])
