"""``audit_verify`` on PostgreSQL and MariaDB gives the reference verdict (issue 11, AUD-1):
the rows rewritten on the server behind the adapter's back (``audit_tampering``, values as the
typed columns hold them), then compared with ``sgz_core.audit.verify`` over ``from_row`` of the
rows read back apart."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from sgz_adapters.storage import _audit
from sgz_adapters.storage import _schema as sql
from sgz_core.audit import AuditHead, Verdict, from_row, verify

from .audit_tampering import Row, forged, tampered

pytestmark = pytest.mark.db

SERVER = settings(
    deadline=None,
    max_examples=20,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.differing_executors,
    ],
)


def write_and_reference(storage: Any, rows: list[Row], head: AuditHead) -> Verdict:
    """Put the rows and the head in with SQL, and verify them as the reference does."""
    conn = storage.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(f"DELETE FROM {storage.table(sql.AUDIT)}")
            cur.executemany(sql.insert_audit(storage.prefix, storage.dialect), rows)
            cur.execute(
                sql.update_audit_head(storage.prefix, storage.dialect), (head.count, head.hash)
            )
        conn.commit()
        with conn.cursor() as cur:
            cur.execute(
                sql.select_audit(storage.prefix, storage.dialect, programme=False, station=False)
            )
            stored = cur.fetchall()
        conn.commit()
    except Exception as exc:  # a value, or a seq twice, the typed table refuses
        conn.rollback()
        if "duplicate" in str(exc).lower() or "too long" in str(exc).lower():
            reject()
        raise
    finally:
        conn.close()
    return verify(map(from_row, stored), head)


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
@SERVER
@given(trail=tampered(typed=True) | forged(typed=True), batch=st.sampled_from([1, 3, 2000]))
def test_servers_give_the_reference_verdict_for_any_tampering(
    server_storage: Any,
    monkeypatch: pytest.MonkeyPatch,
    trail: tuple[list[Row], AuditHead],
    batch: int,
) -> None:
    rows, head = trail
    monkeypatch.setattr(_audit, "BATCH", batch)
    if any(r[i] is None for r in rows for i in (0, 1, 2, 3, 4, 10, 11)):
        reject()  # NOT NULL columns
    expected = write_and_reference(server_storage, rows, head)
    assert server_storage.audit_verify() == expected
