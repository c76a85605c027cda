"""The database is the user's data (issue 8): rows edited outside sgz, read-only files, URLs
that do not parse. Nothing here may end in a traceback or read back as a different value."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.messages import english_left, in_chinese
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage import open_storage
from sgz_adapters.storage.sql import ServerStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.casework.counting import count_records as count_ledger
from sgz_core.errors import InvalidInput, StorageError
from sgz_core.programme_file import loads
from sgz_core.testing import strategies
from sgz_core.testing.samples import sample_ledger, sample_programme

from .conftest import require, unique_prefix

PROGRAMME = sample_ledger(sample_programme("p", texts=("一", "二")), size=12)


@pytest.fixture
def saved(tmp_path: Path) -> Iterator[SqliteStorage]:
    storage = SqliteStorage(tmp_path / "sgz.db")
    storage.save(PROGRAMME)
    try:
        yield storage
    finally:
        storage.close()


def _said_in_chinese(exc: BaseException) -> None:
    """The refusal reads as Chinese under --lang zh (issue 9 §4): table, programme, row and
    column as they are, what is wrong in Chinese; what sqlite itself said may stay as it said it."""
    zh = in_chinese(str(exc))
    assert zh is not None, f"no Chinese for {exc}"
    assert "表 " in zh and not english_left(zh), (str(exc), zh)


def _update(path: str, table: str, column: str, value: Any, where: str = "") -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        changed = conn.execute(
            f'UPDATE "{table}" SET "{column}" = ? WHERE 1 = 1 {where}', (value,)
        ).rowcount
        conn.commit()
    assert changed, f"no row of {table} to corrupt"


# --- every class of edit, by raw SQL on SQLite ---------------------------------------------------

RECORD_EDITS = [
    ("beneficiaries", "[1,"),  # bad JSON
    ("beneficiaries", '["b1", 2]'),  # valid JSON, not a list of ids
    ("hours", "abc"),  # a bad number
    ("hours", "1_0"),  # what Decimal() would read as 10
    ("hours", " 1.5"),
    ("hours", "NaN"),
    ("participants", 1.5),  # a fraction where a count is kept
    ("participants", "many"),
    ("administrative", "yes"),  # bool('yes') would be True
    ("administrative", 2),
    ("date", "not a date"),  # text where a date is expected
    ("date", "20240701"),  # a date, but not as sgz writes it
    ("date", 20240701),
    ("domain", "astrology"),  # an unknown enum value
    ("method", "telepathy"),
    ("service", "premarital_counselling"),
    ("station", None),  # NULL in a required column
    ("worker", None),
    ("date", None),
    ("extra", "{bad"),
    ("station", b"\x00\xff"),  # a blob where text is kept
]


@pytest.mark.parametrize(("column", "value"), RECORD_EDITS, ids=repr)
def test_an_edited_ledger_row_names_table_programme_row_and_column(
    saved: SqliteStorage, column: str, value: Any
) -> None:
    _update(saved.path, "service_records", column, value, "AND pos = 5")
    expected = f"table service_records, programme 'p', row pos 5, column {column}"
    if column == "service" or column == "domain":
        expected = "table service_records, programme 'p', row pos 5"  # names the pair's column
    for read in (lambda: saved.load("p"), lambda: list(saved.records("p"))):
        with pytest.raises(StorageError) as caught:
            read()
        assert str(caught.value).startswith(saved.path), caught.value
        assert expected in str(caught.value), caught.value
        assert column in str(caught.value)
        _said_in_chinese(caught.value)
    _counts_fail_or_agree(saved, column)
    assert saved.load("p", records=False).stations == PROGRAMME.stations  # the rest still reads


def _counts_fail_or_agree(storage: Any, column: str) -> None:
    """Counting reads fewer columns: it names the bad cell, or (where it never reads that
    column: the worker, a note) gives the counts of the programme as saved."""
    try:
        counts = storage.ledger_counts("p")
    except StorageError as exc:
        assert "table service_records, programme 'p', row pos 5" in str(exc), exc
    else:
        assert column in ("worker", "note", "group_name", "case_id", "volunteer_team", "fund")
        assert counts == count_ledger(PROGRAMME.records, PROGRAMME.start)


PROGRAMME_EDITS = [
    ("programmes", "start", "soon", "table programmes, programme 'p', column start"),
    ("programmes", "start", None, "table programmes, programme 'p', column start"),
    ("programmes", "name", None, "table programmes, programme 'p', column name"),
    ("programmes", "name", b"\x00", "table programmes, programme 'p', column name"),
    ("funding", "amount_fen", 12.5, "table funding, programme 'p', row station_pos 0, year_pos 0"),
    ("funding", "amount_fen", "lots", "column amount_fen: expected a whole number of fen"),
    ("funding", "source", "moon", "table funding, programme 'p', row station_pos 0, year_pos 0"),
    ("evaluations", "score", "8x", "table evaluations, programme 'p'"),
    ("evaluations", "date", "2025-02-30", "column date: expected a date as YYYY-MM-DD"),
    ("staff", "social_work_degree", "yes", "table staff, programme 'p', row station_pos 0"),
    (
        "staff",
        "role",
        "wizard",
        "table staff, programme 'p', row station_pos 0, pos 0, column role",
    ),
    (
        "stations",
        "communities",
        "[",
        "table stations, programme 'p', row pos 0, column communities",
    ),
    ("stations", "lot", 1.5, "table stations, programme 'p', row pos 0, column lot"),
    ("stations", "extra", "[]", "table stations, programme 'p', row pos 0, column extra"),
    ("contract_years", "signed", "tomorrow", "table contract_years, programme 'p'"),
    ("sections", "payload", "{", "table sections, programme 'p', row name"),
    ("sections", "payload", '{"$decimal": "1_0"}', "table sections, programme 'p', row name"),
]


@pytest.mark.parametrize(("table", "column", "value", "expected"), PROGRAMME_EDITS, ids=repr)
def test_an_edited_programme_row_names_table_programme_and_column(
    saved: SqliteStorage, table: str, column: str, value: Any, expected: str
) -> None:
    where = "AND pos = 0" if table in ("stations", "staff") else ""
    _update(saved.path, table, column, value, where)
    with pytest.raises(StorageError) as caught:
        saved.load("p", records=False)
    assert expected in str(caught.value), caught.value
    assert str(caught.value).startswith(saved.path)
    _said_in_chinese(caught.value)


# --- one random cell ---------------------------------------------------------------------------

HOSTILE: dict[str, list[Any]] = {
    # values that no cell of that kind can hold as sgz writes it (so none is a legitimate edit)
    "key": [b"\x00", b"\xff\xfe"],
    "text": [b"\x00", b"\xff\xfe"],
    "int": ["abc", 1.5, b"\x01"],
    "bool": [2, "yes", 0.5, -1],
    "date": ["soon", "2024-02-30", "2024-7-1", 20240701, b"\x01"],
    "money": [12.5, "lots", 0.001, b"\x01"],
    "decimal": ["abc", " 1", "1_0", "NaN", "1e2", "+1", b"\x01"],
    "json": ["{", "[1,", "{bad", '{"$date": "2024-7-1"}', b"\x01"],
}
_files = itertools.count()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(programme=strategies.casework_programmes(max_records=6), data=st.data())
def test_one_corrupt_cell_reads_back_the_same_or_names_table_and_column(
    tmp_path: Path, programme: Any, data: st.DataObject
) -> None:
    path = tmp_path / f"c{next(_files)}.db"
    storage = SqliteStorage(path)
    try:
        storage.save(programme)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            present = [
                t
                for t in tabular.tables()
                if conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
            ]
            table = data.draw(st.sampled_from(present), "table")
            columns = [c for c in table.all_columns if c not in table.keys]
            column = data.draw(st.sampled_from(columns), "column")
            value = data.draw(st.sampled_from(HOSTILE[column.kind]), "value")
            rowid = data.draw(
                st.sampled_from(
                    [r[0] for r in conn.execute(f'SELECT rowid FROM "{table.name}"').fetchall()]
                ),
                "row",
            )
            conn.execute(
                f'UPDATE "{table.name}" SET "{column.name}" = ? WHERE rowid = ?', (value, rowid)
            )
            conn.commit()
        try:
            back = storage.load(programme.id)
        except StorageError as exc:
            assert f"table {table.name}" in str(exc), exc
            assert column.name in str(exc) or table is tabular.SECTIONS, exc
            assert f"programme {programme.id!r}" in str(exc), exc
            _said_in_chinese(exc)
        else:
            assert back == programme
    finally:
        storage.close()


# --- the same edits on the servers, where their column types let them through -------------------

SERVER_EDITS = [
    ("beneficiaries", "[1,"),
    # valid JSON, not a list of ids: counting in the database must see each (issue 12)
    ("beneficiaries", '["b1", 2]'),
    ("beneficiaries", '[["b1"]]'),
    ("beneficiaries", '{"a": "b1"}'),
    ("beneficiaries", '"b1"'),
    ("hours", "abc"),
    ("hours", "1_0"),
    ("domain", "astrology"),
    ("volunteer_hours", "NaN"),
    ("station", None),
    ("date", None),
    ("extra", "{bad"),
]


@pytest.mark.db
@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
@pytest.mark.parametrize(("column", "value"), SERVER_EDITS, ids=repr)
def test_an_edited_row_on_a_server_names_table_programme_and_column(
    kind: str, column: str, value: Any
) -> None:
    from sgz_adapters.storage.sql import ServerStorage

    storage = ServerStorage(require(kind), prefix=unique_prefix())
    try:
        storage.save(PROGRAMME)
        conn = storage.connect()
        try:
            with conn.cursor() as cur:
                q = '"' if kind == "postgresql" else "`"
                cur.execute(
                    f"UPDATE {storage.table('service_records')} SET {q}{column}{q} = %s "
                    "WHERE programme_id = %s AND pos = 5",
                    (value, "p"),
                )
            conn.commit()
        finally:
            conn.close()
        for read in (lambda: storage.load("p"), lambda: list(storage.records("p"))):
            with pytest.raises(StorageError) as caught:
                read()
            message = str(caught.value)
            assert "table service_records, programme 'p', row pos 5" in message, message
            assert column in message, message
        _counts_fail_or_agree(storage, column)
        assert storage.load("p", records=False).stations == PROGRAMME.stations
    finally:
        storage.drop_all()


# --- read-only files ---------------------------------------------------------------------------

_READER = """
import sys
from sgz_adapters.storage import open_storage
from sgz_core.errors import StorageError
from sgz_core.testing.samples import sample_ledger, sample_programme

expected = sample_ledger(sample_programme("p", texts=("一", "二")), size=12)
storage = open_storage("sqlite:///" + sys.argv[1])
assert storage.load("p") == expected
assert storage.load("p", records=False).stations == expected.stations
assert list(storage.records("p")) == list(expected.records)
assert storage.ledger_counts("p").total().records > 0
assert storage.programme_ids() == ["p"]
try:
    storage.save(sample_programme("q"))
except StorageError as exc:
    assert "read-only" in str(exc), exc
    from sgz_adapters.messages import english_left, in_chinese
    zh = in_chinese(str(exc))
    assert zh is not None and "只读" in zh and not english_left(zh), (str(exc), zh)
    print("refused:", exc)
else:
    raise SystemExit("a write to a read-only database succeeded")
storage.close()
print("ok")
"""


def _as_unprivileged() -> tuple[str, dict[str, Any]]:
    """The interpreter and ``subprocess`` arguments of a reader that is not root (root may write
    any file, so chmod would prove nothing): user ``nobody``, with this environment's packages."""
    if os.geteuid() != 0:
        return sys.executable, {}
    python = Path("/usr/bin") / f"python{sys.version_info.major}.{sys.version_info.minor}"
    if not python.exists():  # this interpreter may live where nobody cannot read (/root)
        pytest.skip(f"running as root and no {python} for an unprivileged reader")
    ours = [p for p in sys.path if p and not p.startswith(sys.base_prefix)]

    def drop() -> None:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

    env = {"PYTHONPATH": os.pathsep.join(ours), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    return str(python), {"preexec_fn": drop, "env": env}


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.mark.parametrize("how", ["file", "directory", "file and directory"])
def test_a_read_only_database_is_read_and_never_written(how: str) -> None:
    directory = Path(tempfile.mkdtemp(prefix="sgz-ro-"))
    try:
        directory.chmod(0o755)
        path = directory / "sgz.db"
        storage = SqliteStorage(path)
        storage.save(PROGRAMME)
        storage.close()
        assert sorted(p.name for p in directory.iterdir()) == ["sgz.db"]  # WAL checkpointed
        # (an unprivileged reader may write neither the file nor, unless said, the directory)
        path.chmod(0o444 if "file" in how else 0o666)
        directory.chmod(0o555 if "directory" in how else 0o777)
        before = _snapshot(directory)
        python, unprivileged = _as_unprivileged()
        proc = subprocess.run(
            [python, "-c", _READER, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=directory,
            **unprivileged,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "ok" in proc.stdout and "Traceback" not in proc.stderr
        assert _snapshot(directory)["sgz.db"] == before["sgz.db"]
    finally:
        directory.chmod(0o755)
        for p in directory.iterdir():
            p.chmod(stat.S_IWUSR | stat.S_IRUSR)
            p.unlink()
        directory.rmdir()


_OLD_READER = """
import sys
from sgz_adapters.storage import open_storage
from sgz_core.errors import StorageError

try:
    open_storage("sqlite:///" + sys.argv[1])
except StorageError as exc:
    assert "needs an upgrade" in str(exc) and "read-only" in str(exc), exc
    from sgz_adapters.messages import in_chinese
    zh = in_chinese(str(exc))
    assert zh is not None and "需要升级" in zh and "只读" in zh, zh
    print("ok")
"""


def test_a_read_only_database_of_an_older_schema_is_not_upgraded() -> None:
    directory = Path(tempfile.mkdtemp(prefix="sgz-ro-"))
    try:
        path = directory / "old.db"
        shutil.copy(Path(__file__).parents[1] / "data" / "storage-v1.db", path)
        path.chmod(0o444)
        directory.chmod(0o555)
        before = path.read_bytes()
        python, unprivileged = _as_unprivileged()
        proc = subprocess.run(
            [python, "-c", _OLD_READER, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=directory,
            **unprivileged,
        )
        assert proc.returncode == 0 and "ok" in proc.stdout, proc.stdout + proc.stderr
        assert path.read_bytes() == before
    finally:
        directory.chmod(0o755)
        shutil.rmtree(directory)


def test_a_reader_opens_the_file_read_only(saved: SqliteStorage) -> None:
    with saved.reader() as uow:
        conn = uow._conn  # type: ignore[attr-defined]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE nope (x)")


# --- URLs --------------------------------------------------------------------------------------

BAD_URLS = [
    "",
    "   ",
    "sqlite:///x.db?timeout=inf",
    "sqlite:///x.db?timeout=nan",
    "sqlite:///x.db?timeout=-1",
    "sqlite:///x.db?timeout=1e999",
    "sqlite:///x.db?timeout=",
    "sqlite:///x.db?timeout",
    "sqlite:///x.db?colour=red",
    "sqlite:///x\x00.db",
    "sqlite:///x%00.db",
    "sqlite:///x\ty.db",  # urllib would drop the tab and open xy.db
    "postgresql://u:secret@127.0.0.1\t:5432/test",
    "sqlite://[::1/x.db",
    "postgresql://[::1/test",
    "postgresql://u:secret@127.0.0.1:notaport/test",
    "postgresql://u:secret@127.0.0.1:99999/test",
    "postgresql://u:secret@127.0.0.1:-1/test",
    "mysql+pymysql://u:secret@127.0.0.1:3306x/test",
    "mysql+pymysql://u:secret@[::1/test",
    "postgresql://u:secret@127.0.0.1:1/test?sslmode=require",
    "postgresql://u:secret@127.0.0.1:1/test?prefix=Bad-Prefix",
    "nosuch://x",
    "no scheme at all",
]


@pytest.mark.parametrize("url", BAD_URLS, ids=repr)
def test_a_url_that_cannot_be_used_is_invalid_input_naming_it(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInput) as caught:
        open_storage(url)
    message = str(caught.value)
    assert "secret" not in message, message
    assert "database URL" in message, message
    if "secret" in url:
        assert "***" in message, message
    assert list(tmp_path.iterdir()) == []  # nothing created


@pytest.mark.parametrize("url", ["sqlite://[::1/x.db", "sqlite:///x%00.db", "sqlite:///?timeout=1"])
def test_the_sqlite_path_of_a_bad_url_is_invalid_input(url: str) -> None:
    with pytest.raises(InvalidInput, match="database URL"):
        SqliteStorage.path_of(url)


_garbage = st.text(st.characters(codec="utf-8"), max_size=20)
_relative = _garbage.filter(lambda s: not any(c in s for c in "/%\\"))  # stays in the temp dir


@settings(max_examples=150, deadline=None)
@given(
    url=st.one_of(
        _relative,
        st.builds(lambda s: f"sqlite:///{s}", _relative),
        st.builds(lambda s: f"sqlite:///x.db?{s}", _garbage),
        st.builds(lambda s: f"sqlite://{s}", _relative),
        st.builds(lambda s: f"postgresql://u:secret@127.0.0.1:{s}/db", _garbage),
        st.builds(lambda s: f"mysql+pymysql://u:secret@[{s}/db", _garbage),
        st.builds(lambda s: f"postgresql://u:secret@127.0.0.1:1/db?{s}=1", _garbage),
        st.builds(lambda s: f"memory://{s}", _garbage),
        st.builds(lambda s: f"{s}://x", _garbage.filter(lambda s: "postgres" not in s)),
    )
)
def test_garbage_urls_give_invalid_input_or_storage_error(url: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        cwd = os.getcwd()
        os.chdir(directory)
        try:
            storage = open_storage(url)
        except (InvalidInput, StorageError) as exc:
            assert "secret" not in str(exc)
        else:
            storage.close()
        finally:
            os.chdir(cwd)


# --- the rest of the file ----------------------------------------------------------------------


def test_a_row_whose_parent_is_gone_is_named(saved: SqliteStorage) -> None:
    with contextlib.closing(sqlite3.connect(saved.path)) as conn:  # foreign keys are off here
        conn.execute("UPDATE staff SET station_pos = 9 WHERE station_pos = 0 AND pos = 0")
        conn.commit()
    with pytest.raises(StorageError, match=r"table staff, programme 'p', row station_pos 9, pos 0"):
        saved.load("p")


# --- counting in the database sees every edited cell it reads (issue 12) -----------------------
#
# ``ledger_counts`` counts in SQL and checks the grouped values, not every cell; whatever a
# corrupt cell is, and whichever rows the query selects, the count either names the bad cell
# (it falls back to decoding the records) or equals counting the records as saved.

LEDGER = sample_ledger(sample_programme("p", texts=("一", "二")), size=40)  # two contract years
READ_BY_COUNTING = [
    "station",
    "date",
    "domain",
    "method",
    "service",
    "hours",
    "volunteer_hours",
    "participants",
    "volunteers",
    "administrative",
    "beneficiaries",
    "extra",
]
_LEDGER_HOSTILE = {
    # beyond HOSTILE: JSON that is valid but not a list of ids, and NULLs (sgz writes none)
    # and one that is not hostile: someone else named (whom an administrative record never
    # serves)
    "beneficiaries": [
        '"b1"',
        '{"a": "b1"}',
        '[["b1"]]',
        '["b1", {"a": "b"}]',
        "5",
        None,
        '["b-new"]',
    ],
    "date": ["2024-13-01", "2025-7-1", "2024-07-1x", 2024.5, None],
}


@pytest.fixture(scope="module")
def ledger_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ledger") / "template.db"
    with SqliteStorage(path) as storage:
        storage.save(LEDGER)
    return path


def _queries() -> st.SearchStrategy[tuple[Any, Any]]:
    from sgz_core.storage import RecordQuery

    days = st.dates(min_value=LEDGER.start, max_value=LEDGER.start.replace(year=2026))
    return st.tuples(
        st.builds(
            RecordQuery,
            station=st.sampled_from([None, *sorted({r.station for r in LEDGER.records})]),
            domain=st.sampled_from([None, *sorted({r.domain.value for r in LEDGER.records})]),
            year=st.sampled_from([None, 1, 2]),
            start=st.none() | days,
        ),
        st.none() | days,
    )


def _ledger_edits() -> list[tuple[str, Any]]:
    """Every hostile value of every column counting reads (and NULL, which sgz never writes
    there), and the first hostile value of each column it does not read."""
    edits = []
    for column in tabular.RECORDS.all_columns:
        if column in tabular.RECORDS.keys:
            continue
        values = [*HOSTILE[column.kind], *_LEDGER_HOSTILE.get(column.name, [])]
        if column.name not in READ_BY_COUNTING:
            values = values[:1]
        elif column.name != "extra":
            values.append(None)
        edits += [(column.name, v) for v in dict.fromkeys(values)]
    return edits


@pytest.mark.parametrize(("name", "value"), _ledger_edits(), ids=repr)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_counting_in_the_database_names_any_bad_cell_it_reads_or_agrees(
    ledger_template: Path, tmp_path: Path, name: str, value: Any, data: st.DataObject
) -> None:
    pos, query, until = _draw_edit(data)
    path = tmp_path / f"l{next(_files)}.db"
    shutil.copy(ledger_template, path)
    _update(str(path), "service_records", name, value, f"AND pos = {pos}")
    with SqliteStorage(path) as storage:
        _counted_or_named(storage, name, value, pos, query, until)


def _draw_edit(data: st.DataObject) -> tuple[int, Any, Any]:
    """A row to edit (often an administrative one) and a query with its ``until``."""
    administrative = [i for i, r in enumerate(LEDGER.records) if r.administrative]
    pos = data.draw(st.sampled_from(administrative) | st.integers(0, len(LEDGER.records) - 1))
    query, until = data.draw(_queries(), "query")
    return pos, query, until


def _counted_or_named(
    storage: Any, name: str, value: Any, pos: int, query: Any, until: Any
) -> None:
    """``storage`` holds :data:`LEDGER` with ``value`` in column ``name`` of row ``pos``."""
    from sgz_core.storage import matches

    first, last = query.date_range(LEDGER.start)
    if until is not None:
        last = until if last is None else min(last, until)
    edited = LEDGER.records[pos]
    # a bad station or domain takes its row out of a query for one station or domain
    hidden = (name == "station" and query.station is not None) or (
        name == "domain" and query.domain is not None
    )
    selected = [
        r
        for r in LEDGER.records
        if matches(r, query.station, query.domain, first, last) and not (hidden and r is edited)
    ]
    expected = count_ledger(selected, LEDGER.start)
    try:
        decoded = list(storage.records("p"))  # what streaming the records gives
    except StorageError:
        decoded = None
    else:  # a NULL where the field has a default reads as the default
        selected = [r for r in decoded if matches(r, query.station, query.domain, first, last)]
        expected = count_ledger(selected, LEDGER.start)
    try:
        counts = storage.ledger_counts("p", query, until=until)
    except StorageError as exc:
        assert decoded is None, exc
        assert f"table service_records, programme 'p', row pos {pos}" in str(exc), exc
    else:
        seen = not hidden and matches(edited, query.station, query.domain, None, None)
        seen = seen and (name == "date" or any(r is edited for r in selected))
        # a cell that does not decode, in a row the query selects, is never counted silently
        # (nor a bad date in a row of the station and domain asked for: no date range can
        # place it)
        read = name in READ_BY_COUNTING
        assert decoded is not None or not read or not seen, (name, value, pos)
        assert counts == expected, (name, value, pos)


@pytest.fixture(scope="module", params=["postgresql", "mysql"])
def server_ledger(request: pytest.FixtureRequest) -> Iterator[Any]:
    from sgz_adapters.storage.sql import ServerStorage

    storage = ServerStorage(require(request.param), prefix=unique_prefix())
    try:
        storage.save(LEDGER)
        yield storage
    finally:
        storage.drop_all()


def _server_edits() -> list[tuple[str, Any]]:
    """:func:`_ledger_edits` of the columns counting reads (the others were seen on SQLite)."""
    return [(n, v) for n, v in _ledger_edits() if n in READ_BY_COUNTING]


@pytest.mark.db
@pytest.mark.parametrize(("name", "value"), _server_edits(), ids=repr)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_counting_on_a_server_names_any_bad_cell_it_reads_or_agrees(
    server_ledger: Any, name: str, value: Any, data: st.DataObject
) -> None:
    """The same edits on PostgreSQL and MariaDB, where the column types refuse some."""
    pos, query, until = _draw_edit(data)
    table = server_ledger.table("service_records")
    q = '"' if server_ledger.dialect == "postgresql" else "`"
    where = "WHERE programme_id = %s AND pos = %s"
    conn = server_ledger.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT {q}{name}{q} FROM {table} {where}", ("p", pos))
            (saved,) = cur.fetchone()
        try:
            with conn.cursor() as cur:
                cur.execute(f"UPDATE {table} SET {q}{name}{q} = %s {where}", (value, "p", pos))
            conn.commit()
        except Exception:  # the column's type refuses the value: nothing can count it wrong
            conn.rollback()
            return
        try:
            _counted_or_named(server_ledger, name, value, pos, query, until)
        finally:
            with conn.cursor() as cur:
                cur.execute(f"UPDATE {table} SET {q}{name}{q} = %s {where}", (saved, "p", pos))
            conn.commit()
    finally:
        conn.close()


# --- a payment too large for the payments table ----------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize("kind", ["sqlite", "postgresql", "mysql"])
def test_a_payment_too_large_for_its_column_is_refused_naming_the_amount(
    kind: str, tmp_path: Path
) -> None:
    """PAY-1: a funding line of 20 digits loads, is stored (beyond BIGINT, exact in ``extra``)
    and gives a due tranche of 6×10¹⁹ yuan; the payments table keeps at most 2⁶³−1 fen. Paying
    it is bad input naming the amount and the limit, in Chinese too, and writes nothing (it was
    the database's "type 'object' is not supported" / "cannot adapt type 'object'")."""
    root = Path(__file__).resolve().parents[2]
    example = loads((root / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml")
    station = example.stations[0]
    year = station.years[0]
    funding = tuple(
        attrs.evolve(f, amount=Decimal("99999999999999999999"))
        if f.source.value == "province"
        else f
        for f in year.funding
    )
    year = attrs.evolve(year, funding=funding)
    station = attrs.evolve(station, years=(year, *station.years[1:]))
    programme = attrs.evolve(example, stations=(station, *example.stations[1:]))
    storage: Any = (
        SqliteStorage(tmp_path / "sgz.db")
        if kind == "sqlite"
        else ServerStorage(require(kind), prefix=unique_prefix())
    )
    try:
        storage.save(programme)
        entries = len(list(storage.audit_entries()))
        asked = dict(station="zhengning", year=1, on=dt.date(2024, 7, 1), by="李会计")
        with pytest.raises(InvalidInput) as raised:
            service.pay(storage, tranche="contract_signed", **asked)
        message = str(raised.value)
        assert "amount" in message and "92233720368547758.07" in message, message
        assert "60000000000000059999.40" in message, message
        zh = in_chinese(message)
        assert zh is not None and not english_left(zh), (message, zh)
        with pytest.raises(InvalidInput, match=r"92233720368547758\.07"):
            service.pay_many(storage, [service.PayRequest(tranche="contract_signed", **asked)])
        assert storage.payments(programme.id) == []
        assert len(list(storage.audit_entries())) == entries
        # a payment that fits is still recorded
        small = service.pay(
            storage,
            tranche="contract_signed",
            **{**asked, "station": "zhanjiaguaizi", "on": dt.date(2024, 7, 10)},
        )
        assert small.payment is not None and storage.payments(programme.id) == [small.payment]
    finally:
        if kind == "sqlite":
            storage.close()
        else:
            storage.drop_all()


@pytest.mark.db
@pytest.mark.parametrize("kind", ["sqlite", "postgresql", "mysql"])
def test_an_imported_payment_too_large_for_its_column_is_named_by_its_key_path(
    kind: str, tmp_path: Path
) -> None:
    """PAY-1, the same limit on a file's ``[[payments]]``: ``sgz import`` refuses the file
    naming the payment (``payments[1].amount``) and the limit, as every bad value of a file is
    named, in Chinese too, and writes nothing: no programme, no payment, no audit entry."""
    root = Path(__file__).resolve().parents[2]
    text = (root / "examples" / "chengguan.toml").read_text("utf-8")
    for milestone, amount in (("contract_signed", "90000.00"), ("mid_term", "1" + "0" * 24)):
        text += (
            f'\n[[payments]]\nstation = "zhengning"\nyear = 1\ntranche = "{milestone}"\n'
            f'amount = "{amount}"\ndate = 2025-01-20\nby = "李会计"\n'
        )
    path = tmp_path / "big-payment.toml"
    path.write_text(text, "utf-8")
    storage: Any = (
        SqliteStorage(tmp_path / "sgz.db")
        if kind == "sqlite"
        else ServerStorage(require(kind), prefix=unique_prefix())
    )
    try:
        with pytest.raises(InvalidInput) as raised:
            service.import_programme(path, db=storage)
        message = str(raised.value)
        assert message.startswith(f"{path}: payments[1].amount: "), message
        assert "92233720368547758.07" in message and "1000000000000000000000000" in message
        zh = in_chinese(message)
        assert zh is not None and not english_left(zh), (message, zh)
        assert storage.programme_ids() == []
        assert list(storage.audit_entries()) == []
    finally:
        if kind == "sqlite":
            storage.close()
        else:
            storage.drop_all()
