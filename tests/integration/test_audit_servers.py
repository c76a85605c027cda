"""The audit trail (AUD-1) through the command line on PostgreSQL and MariaDB: a station's
year paid, listed and verified; an entry edited on the server with SQL is found (exit 1)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sgz_adapters.cli import main
from sgz_adapters.storage import _schema as sql

from .conftest import require

pytestmark = pytest.mark.db

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_a_year_paid_listed_and_verified_then_tampering_found(server_storage: Any) -> None:
    url = f"{require(server_storage.dialect)}?prefix={server_storage.prefix}"
    assert run("import", str(EXAMPLE), "--db", url, "--by", "张科长")[0] == 0
    base = ("pay", "--db", url, "--station", "zhengning", "--year", "2", "--by", "李会计")
    assert run(*base, "--tranche", "contract_signed", "--on", "2025-07-01")[0] == 0
    assert run(*base, "--tranche", "mid_term", "--on", "2026-01-12")[0] == 0
    assert run(*base, "--tranche", "mid_term", "--on", "2026-01-13")[0] == 0  # already paid
    assert run(*base, "--tranche", "final", "--on", "2026-06-20")[0] == 0
    code, out = run("audit", "log", "--db", url, "--format", "json")
    entries = json.loads(out)["entries"]
    assert code == 0
    # the import's entry, one per evaluation, corrective action, receipt and expense of the
    # programme (issue 11), then the three payments
    assert (entries[0]["seq"], entries[0]["action"], entries[0]["who"]) == (1, "import", "张科长")
    items = entries[1:-3]
    assert len(items) == 24 and all(e["who"] == "张科长" and e["before"] is None for e in items)
    assert {e["action"] for e in items} == {
        "evaluation_recorded",
        "action_recorded",
        "receipt_recorded",
        "expense_recorded",
    }
    assert [(e["seq"], e["action"], e["who"], e["subject"]) for e in entries[-3:]] == [
        (26, "payment", "李会计", "contract_signed"),
        (27, "payment", "李会计", "mid_term"),
        (28, "payment", "李会计", "final"),
    ]
    assert [e["after"]["amount"] for e in entries[-3:]] == ["90000.00", "45000.00", "15000.00"]
    code, out = run("audit", "verify", "--db", url)
    assert code == 0 and "审计记录链完整：共 28 条" in out

    conn = server_storage.connect()  # a database tool lowers the mid-term amount
    try:
        with conn.cursor() as cur:
            after = sql.quote("after_json", server_storage.dialect)
            cur.execute(
                f"UPDATE {server_storage.table(sql.AUDIT)} SET {after} = "
                f"REPLACE({after}, '45000.00', '4500.00') WHERE seq = 27"
            )
        conn.commit()
    finally:
        conn.close()
    code, out = run("audit", "verify", "--db", url, "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert code == 1 and data["bad"]["position"] == 27 and data["bad"]["problem"] == "changed"


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_the_head_s_row_deleted_on_the_server_is_a_broken_chain(server_storage: Any) -> None:
    """AUD-1: the row that keeps the chain's head deleted with SQL is tampering like any other:
    ``audit verify`` says the chain is broken after the last entry (exit 1), not that the
    database cannot be used (exit 2); recording anything more is refused."""
    url = f"{require(server_storage.dialect)}?prefix={server_storage.prefix}"
    assert run("import", str(EXAMPLE), "--db", url, "--by", "张科长")[0] == 0
    conn = server_storage.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(f"DELETE FROM {server_storage.table(sql.AUDIT_HEAD)}")
        conn.commit()
    finally:
        conn.close()
    code, out = run("audit", "verify", "--db", url, "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert code == 1 and data["whole"] is False and data["count"] == 25
    assert (data["bad"]["position"], data["bad"]["problem"]) == (26, "removed")
    assert "head" in data["bad"]["message_en"]
    pay = ("pay", "--db", url, "--station", "zhengning", "--year", "1", "--by", "李会计")
    assert run(*pay, "--tranche", "contract_signed", "--on", "2024-07-02")[0] == 2
