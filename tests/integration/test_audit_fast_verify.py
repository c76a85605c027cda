"""``audit_verify`` of a storage checks the stored rows a batch at a time without building the
entries (issue 11, AUD-1); its verdict must be the reference's, ``sgz_core.audit.verify`` over
``from_row`` of the same rows, for every tampering a database tool can do (the rows and the head
rewritten behind the adapter's back: ``audit_tampering``). SQLite and memory here; PostgreSQL and
MariaDB in ``test_audit_fast_verify_servers.py``."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from sgz_adapters.storage import _audit
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.audit import (
    AuditAction,
    AuditHead,
    AuditProblem,
    Unreadable,
    Verdict,
    append,
    from_row,
    verify,
)
from sgz_core.errors import StorageError

from .audit_tampering import HOSTILE, Row, chains, forged, odd_times, seal, tampered

SLOW_OK = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ISO = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00"
TYPELESS = (
    "CREATE TABLE audit (seq, at, who, action, programme_id, station, year, subject, "
    "before_json, after_json, prev, hash, PRIMARY KEY (seq))"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStorage]:
    storage = SqliteStorage(tmp_path_factory.mktemp("audit") / "audit.db")
    yield storage
    storage.close()


def write(storage: SqliteStorage, rows: list[Row], head: AuditHead, typeless: bool = False) -> None:
    """The rows and the head put in as a database tool would (the table recreated without
    column types when ``typeless``, so that any value keeps its type)."""
    with contextlib.closing(sqlite3.connect(storage.path)) as conn:
        conn.execute("DROP TABLE IF EXISTS audit")
        if typeless:
            conn.execute(TYPELESS)
        else:
            for statement in sql.create_audit("", "sqlite")[:2]:
                conn.execute(statement)
        conn.executemany(f"INSERT OR REPLACE INTO audit VALUES ({', '.join('?' * 12)})", rows)
        conn.execute(sql.update_audit_head("", "sqlite"), (head.count, head.hash))
        conn.commit()


def reference(storage: SqliteStorage, head: AuditHead) -> Verdict:
    """``verify`` over ``from_row`` of the stored rows, read apart in ``seq`` order, one at a
    time (as ``audit_entries`` reads them); a text that is not UTF-8 read as its bytes."""
    with contextlib.closing(sqlite3.connect(storage.path)) as conn:
        conn.text_factory = _utf8_or_bytes
        return verify(map(from_row, conn.execute("SELECT * FROM audit ORDER BY seq")), head)


def _utf8_or_bytes(data: bytes) -> str | bytes:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


@SLOW_OK
@given(trail=tampered(), batch=st.sampled_from([1, 2, 3, 7, 2000]), typeless=st.booleans())
def test_sqlite_gives_the_reference_verdict_for_any_tampering(
    store: SqliteStorage,
    monkeypatch: pytest.MonkeyPatch,
    trail: tuple[list[Row], AuditHead],
    batch: int,
    typeless: bool,
) -> None:
    rows, head = trail
    monkeypatch.setattr(_audit, "BATCH", batch)
    try:
        write(store, rows, head, typeless)
    except sqlite3.IntegrityError:  # a NULL or a text where the typed table refuses it
        reject()
    expected = reference(store, head)
    assert store.audit_verify() == expected
    with store.unit_of_work() as uow:  # a writer's unit reads the same rows
        assert uow.audit_verify() == expected


@SLOW_OK
@given(trail=forged(), batch=st.sampled_from([1, 2, 2000]))
def test_sqlite_gives_the_reference_verdict_for_a_forged_value(
    store: SqliteStorage,
    monkeypatch: pytest.MonkeyPatch,
    trail: tuple[list[Row], AuditHead],
    batch: int,
) -> None:
    """One value forged and the chain resealed over it (a table without column types, so the
    value keeps its type): taken or refused exactly as ``from_row`` takes or refuses it."""
    rows, head = trail
    monkeypatch.setattr(_audit, "BATCH", batch)
    write(store, rows, head, typeless=True)
    assert store.audit_verify() == reference(store, head)


@pytest.mark.parametrize("batch", [1, 2000])
@pytest.mark.parametrize(
    ("column", "value"), [(c, v) for c, values in HOSTILE.items() for v in values]
)
def test_sqlite_gives_the_reference_verdict_for_each_forged_value(
    store: SqliteStorage, monkeypatch: pytest.MonkeyPatch, column: int, value: Any, batch: int
) -> None:
    """Each forged value of :data:`HOSTILE` in entry 3 of five, resealed from there on."""
    monkeypatch.setattr(_audit, "BATCH", batch)
    rows, _ = _five()
    rows[2][column] = value
    for row in rows[2:]:
        row[10] = rows[rows.index(row) - 1][11]
        seal(row)
    head = AuditHead(5, rows[4][11])
    write(store, rows, head, typeless=True)
    expected = reference(store, head)
    assert store.audit_verify() == expected
    if isinstance(from_row(rows[2]), Unreadable):
        assert not expected.whole


@SLOW_OK
@given(trail=chains(), batch=st.sampled_from([1, 3, 2000]))
def test_an_untouched_trail_is_whole_through_the_fast_check_alone(
    store: SqliteStorage,
    monkeypatch: pytest.MonkeyPatch,
    trail: tuple[list[Row], AuditHead],
    batch: int,
) -> None:
    """What sgz appends passes the fast check (no batch falls to the reference), and a row
    resealed with a time in a form sgz never writes makes its batch fall to it."""
    rows, head = trail
    monkeypatch.setattr(_audit, "BATCH", batch)
    write(store, rows, head)
    fallbacks: list[bool] = []  # each call of the reference: with rows (True) or only the head
    real = _audit.verify

    def counted(entries: Any, *args: Any, **kwargs: Any) -> Verdict:
        fallbacks.append(entries != ())
        return real(entries, *args, **kwargs)

    monkeypatch.setattr(_audit, "verify", counted)
    verdict = store.audit_verify()
    assert verdict == Verdict(len(rows), head.hash)
    assert fallbacks == [False]  # only the head's check at the end
    if rows:
        rows[-1][1] = "2025-01-01T08:00:00.000000+00:00"
        seal(rows[-1])
        write(store, rows, AuditHead(len(rows), rows[-1][11]))
        fallbacks.clear()
        verdict = store.audit_verify()
        assert verdict == reference(store, AuditHead(len(rows), rows[-1][11]))
        assert (verdict.bad, verdict.problem) == (len(rows), AuditProblem.CHANGED)
        assert fallbacks == [True]  # the last batch went to the reference, which found it


def test_sqlite_pinned_tamperings(store: SqliteStorage) -> None:
    """Examples of each tampering with the verdict spelled out (and equal to the reference)."""
    rows, head = _five()
    cases: dict[str, tuple[list[Row], AuditHead, int | None, AuditProblem | None]] = {}
    changed = [list(r) for r in rows]
    changed[2][2] = "别人"
    cases["changed"] = (changed, head, 3, AuditProblem.CHANGED)
    cases["removed"] = ([rows[0], *rows[2:]], head, 2, AuditProblem.REMOVED)
    cases["cut"] = (rows[:4], head, 5, AuditProblem.REMOVED)
    swapped = [rows[0], [2, *rows[2][1:]], [3, *rows[1][1:]], *rows[3:]]
    cases["swapped"] = (swapped, head, 2, AuditProblem.CHANGED)
    nulled = [list(r) for r in rows]
    nulled[1][2] = None
    cases["null"] = (nulled, head, 2, AuditProblem.CHANGED)
    resealed = [list(r) for r in rows]
    resealed[3][1] = "2026-03-01T17:00:00+08:00"  # the same time, in a form sgz never writes
    seal(resealed[3])  # hashed as it stands: from_row reads it as 09:00 UTC, another encoding
    resealed[4][10] = resealed[3][11]
    seal(resealed[4])
    cases["offset"] = (resealed, AuditHead(5, resealed[4][11]), 4, AuditProblem.CHANGED)
    same = [list(r) for r in rows]
    same[3][1] = "2026-03-01T17:00:00+08:00"  # the hash left as it was: the entry is the same
    cases["offset, the same entry"] = (same, head, None, None)
    for fraction in (".000000", ".000001"):
        moved = [list(r) for r in rows]
        moved[3][1] = f"2026-03-01T09:00:00{fraction}+00:00"
        entry = from_row(moved[3])
        assert not isinstance(entry, Unreadable)
        moved[3][11] = entry.digest()  # hashed as from_row reads it (".000000": as before)
        moved[4][10] = moved[3][11]
        seal(moved[4])
        cases[fraction] = (moved, AuditHead(5, moved[4][11]), None, None)  # rewritten whole
    smuggled = [list(r) for r in rows]
    smuggled[0][2] = "张\x1f科长"
    seal(smuggled[0])
    cases["separator"] = (smuggled, head, 1, AuditProblem.CHANGED)
    cases["head"] = (rows, AuditHead(5, "f" * 64), 5, AuditProblem.CHANGED)
    for name, (case, case_head, bad, problem) in cases.items():
        write(store, case, case_head, typeless=True)
        verdict = store.audit_verify()
        assert verdict == reference(store, case_head), name
        assert (verdict.bad, verdict.problem) == (bad, problem), name


def _five() -> tuple[list[Row], AuditHead]:
    at = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    head = AuditHead()
    rows = []
    for n, action in enumerate([AuditAction.IMPORT, AuditAction.PAYMENT, AuditAction.REPLACE]):
        entry, head = append(head, at=at, who="张科长", action=action, programme="p", year=n + 1)
        rows.append(list(_audit.row(entry)))
    for action in (AuditAction.IMPORT, AuditAction.DELETE):
        entry, head = append(head, at=at, who="张科长", action=action, programme="q")
        rows.append(list(_audit.row(entry)))
    return rows, head


@pytest.mark.parametrize("batch", [1, 2, 2000])
@pytest.mark.parametrize("earlier", [False, True])
def test_text_that_is_not_utf8_is_found_where_the_row_by_row_read_finds_it(
    store: SqliteStorage, monkeypatch: pytest.MonkeyPatch, batch: int, earlier: bool
) -> None:
    """Entry 4's ``who`` edited into bytes that are not UTF-8: the entry cannot be read, so it
    is the first bad one (changed), as the reference finds it, unless an entry before it is
    bad already (then that entry's verdict); the log refuses naming it (AUD-1)."""
    monkeypatch.setattr(_audit, "BATCH", batch)
    rows, head = _five()
    if earlier:
        rows[1][2] = "别人"
    write(store, rows, head)
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        conn.execute("UPDATE audit SET who = CAST(x'e5ff' AS TEXT) WHERE seq = 4")
        conn.commit()
    if earlier:
        assert store.audit_verify() == reference(store, head)
        assert store.audit_verify().bad == 2
        return
    verdict = store.audit_verify()
    assert verdict == reference(store, head)
    assert (verdict.bad, verdict.seq, verdict.problem) == (4, 4, AuditProblem.CHANGED)
    assert verdict.why is not None and "b'\\xe5\\xff'" in verdict.why.en
    with pytest.raises(StorageError, match="audit entry 4"):
        list(store.audit_entries())


@given(st.from_regex(ISO, fullmatch=True) | st.from_regex(ISO))
def test_the_fast_check_takes_a_time_exactly_when_from_row_writes_it_back_unchanged(
    text: str,
) -> None:
    """``canonical_times`` against what ``from_row`` and the encoding make of the text."""
    assert _audit.canonical_times([text]) == _round_trips(text)


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_every_time_sgz_writes_is_taken(at: dt.datetime) -> None:
    assert _audit.canonical_times([at.isoformat()])


@given(odd_times | st.text(max_size=40))
def test_odd_times_are_left_to_the_reference(text: str) -> None:
    assert _audit.canonical_times([text]) == _round_trips(text)


def _round_trips(text: str) -> bool:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    if parsed.utcoffset() is None:
        return False
    return parsed.astimezone(dt.UTC).isoformat() == text and "\n" not in text


@SLOW_OK
@given(trail=tampered())
def test_memory_gives_the_reference_verdict_for_any_tampering(
    trail: tuple[list[Row], AuditHead],
) -> None:
    """The memory storage keeps entries; rows it was given behind its back are what
    ``from_row`` makes of them, and its verdict the reference's."""
    rows, head = trail
    storage = MemoryStorage()
    storage._audit = [from_row(r) for r in rows]  # type: ignore[misc]
    storage._audit_head = head
    assert storage.audit_verify() == verify(map(from_row, rows), head)
