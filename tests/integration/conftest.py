"""Real database servers for the integration tests.

``SGZ_TEST_POSTGRES_URL`` and ``SGZ_TEST_MYSQL_URL`` name them (defaults: the servers on this
machine). Without a server or its driver, a ``db``-marked test skips with the reason; in CI
(``CI`` set) such a skip fails the run instead, so a missing server can never pass unseen.
Each test's tables get a prefix of their own (``t<pid>_<n>_``) and are dropped afterwards;
tables left by runs whose process is gone are dropped when the session starts (by one
process only when the suite runs on several, ``-n auto``).
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TEXT = (ROOT / "examples" / "chengguan.toml").read_text(encoding="utf-8")
POSTGRES_URL = os.environ.get("SGZ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("SGZ_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
URLS = {"postgresql": POSTGRES_URL, "mysql": MYSQL_URL}
UNAVAILABLE = "database unavailable:"
_counter = itertools.count()
_LEFTOVER = re.compile(r"^t(\d+)_\d+_")


@functools.cache
def _problem(kind: str) -> str | None:
    """Why the ``kind`` server cannot be used, or ``None`` when it can."""
    try:
        if kind == "postgresql":
            import psycopg

            psycopg.connect(POSTGRES_URL, connect_timeout=5).close()
        else:
            import pymysql

            from sgz_adapters.storage.sql import ServerStorage

            ServerStorage(MYSQL_URL, upgrade=False).connect().close()
            del pymysql
    except Exception as exc:
        return (
            f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        )
    _sweep(kind)
    return None


def require(kind: str) -> str:
    """The server's URL; skips the test (with the reason) when it is not there."""
    problem = _problem(kind)
    if problem is not None:
        pytest.skip(f"{UNAVAILABLE} {kind} at {URLS[kind]}: {problem}")
    return URLS[kind]


def unique_prefix() -> str:
    return f"t{os.getpid()}_{next(_counter)}_"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep(kind: str) -> None:
    """Drop test tables whose creating process is gone (a killed run leaves them behind).

    Under pytest-xdist only the first worker sweeps: two workers dropping the same tables at
    once would wait on each other's locks for nothing."""
    from sgz_adapters.storage.sql import ServerStorage

    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0":
        return

    conn: Any = ServerStorage(URLS[kind], upgrade=False).connect()
    try:
        with conn.cursor() as cur:
            if kind == "postgresql":
                cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            else:
                cur.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = DATABASE()"
                )
            names = [r[0] for r in cur.fetchall()]
            stale = [n for n in names if (m := _LEFTOVER.match(n)) and not _alive(int(m.group(1)))]
            quote = '"' if kind == "postgresql" else "`"
            if kind == "mysql":
                cur.execute("SET FOREIGN_KEY_CHECKS = 0")
            for i, name in enumerate(stale, start=1):
                cur.execute(
                    f"DROP TABLE IF EXISTS {quote}{name}{quote}"
                    + (" CASCADE" if kind == "postgresql" else "")
                )
                if i % 25 == 0:  # one transaction would need a lock per table and index
                    conn.commit()
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def server_storage(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A store on the server named by ``request.param`` (``postgresql`` or ``mysql``)."""
    from sgz_adapters.storage.sql import ServerStorage

    url = require(request.param)
    store = ServerStorage(url, prefix=unique_prefix())
    try:
        yield store
    finally:
        store.drop_all()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """In CI, a database test skipped for want of its server is a failure, not a skip."""
    report = yield
    if (
        os.environ.get("CI")
        and report.skipped
        and item.get_closest_marker("db") is not None
        and isinstance(report.longrepr, tuple)
        and UNAVAILABLE in str(report.longrepr[2])
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"{report.longrepr[2]}\n(CI is set: database tests must run, "
            "so a skipped one fails the run)"
        )
    return report
