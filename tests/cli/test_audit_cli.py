"""``sgz audit log`` and ``sgz audit verify`` (AUD-1) on SQLite: what the trail lists after
import, pay and replace, who is recorded, and each way of tampering outside sgz found."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

from sgz_adapters.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
ORIGINAL = EXAMPLE
PAY = ("pay", "--station", "zhengning", "--year", "1", "--by", "李会计")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def without_items(tmp_path: Path) -> Path:
    """``chengguan.toml`` without evaluations, corrective actions, receipts and expenses, so
    that its import appends one entry (their own entries, issue 11, are tested in the storage
    kit and the worked year); the profile file it names is copied beside it."""
    data = tomllib.loads(ORIGINAL.read_text(encoding="utf-8"), parse_float=Decimal)
    for station in data.get("stations", []):
        for year in station.get("years", []):
            for key in ("evaluations", "actions", "receipts", "expenses"):
                year.pop(key, None)
    out = tmp_path / "chengguan-bare.toml"
    out.write_text(tomli_w.dumps(data), encoding="utf-8")
    return out


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with an import (by 张科长), a payment (by 李会计), a re-pay that records
    nothing, and a replace (by $SGZ_USER)."""
    global EXAMPLE
    EXAMPLE = without_items(tmp_path)
    url = f"sqlite:///{tmp_path / 'sgz.db'}"
    assert run(capsys, "import", str(EXAMPLE), "--db", url, "--by", "张科长")[0] == 0
    pay = (*PAY, "--db", url, "--tranche", "contract_signed", "--on", "2024-07-02")
    assert run(capsys, *pay)[0] == 0
    assert run(capsys, *pay)[0] == 0  # already paid: no second entry
    monkeypatch.setenv("SGZ_USER", "系统管理员")
    assert run(capsys, "import", str(EXAMPLE), "--db", url, "--replace")[0] == 0
    return url


def path_of(url: str) -> str:
    return url.removeprefix("sqlite:///")


def entries(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "audit", "log", *args, "--format", "json")
    assert code == 0
    found: list[dict[str, object]] = json.loads(out)["entries"]
    return found


def test_the_log_lists_every_recorded_operation_in_order(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = entries(capsys, "--db", db)
    assert [(e["seq"], e["action"], e["who"]) for e in found] == [
        (1, "import", "张科长"),
        (2, "payment", "李会计"),
        (3, "replace", "系统管理员"),
    ]
    paid = found[1]
    assert paid["station"] == "zhengning" and paid["year"] == 1
    assert paid["subject"] == "contract_signed"
    assert paid["after"]["amount"] == "90000.00" and paid["before"] is None  # type: ignore[index]
    assert found[0]["before"] is None and found[2]["before"] == found[0]["after"]
    assert found[0]["prev"] == "0" * 64 and found[1]["prev"] == found[0]["hash"]


def test_the_log_of_one_station(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert [e["seq"] for e in entries(capsys, "--db", db, "--station", "zhengning")] == [2]
    assert entries(capsys, "--db", db, "--station", "nowhere") == []
    assert len(entries(capsys, "--db", db, "--programme", "chengguan-2024")) == 3


def test_the_log_as_a_table_in_chinese_and_english(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "audit", "log", "--db", db)
    assert code == 0
    assert "审计记录" in out and "记录拨付" in out and "合同签订" in out and "张科长" in out
    code, out, _ = run(capsys, "audit", "log", "--db", db, "--lang", "en")
    assert code == 0 and "audit trail" in out and "payment" in out and "90000.00" in out


def test_verify_says_the_chain_is_whole_exit_0(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "verify", "--db", db)
    assert code == 0 and "审计记录链完整：共 3 条" in out
    code, out, _ = run(capsys, "audit", "verify", "--db", db, "--lang", "en")
    assert code == 0 and "the chain is whole: 3 entries" in out
    code, out, _ = run(capsys, "audit", "verify", "--db", db, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["whole"] is True and data["count"] == 3 and data["bad"] is None
    assert len(data["head"]) == 64


def _sql(db: str, *statements: str) -> None:
    conn = sqlite3.connect(path_of(db))
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(
    ("statements", "position", "problem"),
    [
        (["UPDATE audit SET who = '别人' WHERE seq = 2"], 2, "changed"),
        (
            [
                "UPDATE audit SET after_json = replace(after_json, '90000.00', '99000.00') WHERE seq = 2"
            ],
            2,
            "changed",
        ),
        (["DELETE FROM audit WHERE seq = 2"], 2, "removed"),
        (["DELETE FROM audit WHERE seq = 3"], 3, "removed"),  # the last: the head knows
        (["DELETE FROM audit WHERE seq = 1"], 1, "removed"),
        (  # two rows swap places
            [
                "UPDATE audit SET seq = -1 WHERE seq = 1",
                "UPDATE audit SET seq = 1 WHERE seq = 2",
                "UPDATE audit SET seq = 2 WHERE seq = -1",
            ],
            1,
            "changed",
        ),
        (  # a copy of entry 3 appended as entry 4
            [
                "INSERT INTO audit SELECT 4, at, who, action, programme_id, station, year, "
                "subject, before_json, after_json, hash, hash FROM audit WHERE seq = 3"
            ],
            4,
            "changed",
        ),
        (["UPDATE audit SET action = 'edit' WHERE seq = 1"], 1, "changed"),  # unreadable
        (["UPDATE audit SET who = CAST(x'e5ff' AS TEXT) WHERE seq = 2"], 2, "changed"),
        (["DELETE FROM audit_head"], 4, "removed"),  # the head's row itself
        (["UPDATE audit_head SET seq = 'drei'"], 4, "changed"),  # a head that is none
        (["UPDATE audit_head SET hash = CAST(x'e5ff' AS TEXT)"], 4, "changed"),
    ],
    ids=[
        "who",
        "amount",
        "middle",
        "last",
        "first",
        "swap",
        "appended",
        "unreadable",
        "not-utf8",
        "head-removed",
        "head-unreadable",
        "head-not-utf8",
    ],
)
def test_verify_names_the_first_bad_entry_exit_1(
    db: str,
    capsys: pytest.CaptureFixture[str],
    statements: list[str],
    position: int,
    problem: str,
) -> None:
    _sql(db, *statements)
    code, out, _ = run(capsys, "audit", "verify", "--db", db, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["whole"] is False
    assert data["bad"]["position"] == position and data["bad"]["problem"] == problem
    assert "第" in data["bad"]["message"] or "链头" in data["bad"]["message"]
    code, out, _ = run(capsys, "audit", "verify", "--db", db)
    assert code == 1 and f"第 {position} 条起有问题" in out


def test_a_forger_who_reseals_everything_is_caught_by_the_head(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Changing entry 3 and recomputing its hash keeps the entries consistent; the head,
    kept apart, no longer matches the last hash."""
    import hashlib

    from sgz_core.audit import COLUMNS, AuditEntry, from_row

    conn = sqlite3.connect(path_of(db))
    row = conn.execute("SELECT * FROM audit WHERE seq = 3").fetchone()
    entry = from_row(row)
    assert isinstance(entry, AuditEntry)
    forged = AuditEntry.from_plain({**dict(zip(COLUMNS, row, strict=True)), "who": "别人"})
    digest = hashlib.sha256(forged.encode()).hexdigest()
    with conn:
        conn.execute("UPDATE audit SET who = '别人', hash = ? WHERE seq = 3", (digest,))
    conn.close()
    code, out, _ = run(capsys, "audit", "verify", "--db", db, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["bad"]["problem"] == "changed" and data["bad"]["position"] == 3
    assert "链头" in data["bad"]["message"]


def test_an_empty_database_has_a_whole_empty_trail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sgz_adapters.storage.sqlite import SqliteStorage

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    SqliteStorage(path_of(url)).close()
    code, out, _ = run(capsys, "audit", "verify", "--db", url)
    assert code == 0 and "共 0 条" in out
    code, out, _ = run(capsys, "audit", "log", "--db", url)
    assert code == 0 and "没有审计记录" in out


def test_no_database_is_exit_2_and_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "audit", "verify", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 2 and "没有数据库" in err
    code, _, err = run(capsys, "audit", "log", "--db", "")
    assert code == 2 and "应为数据库地址" in err


def test_the_default_who_is_sgz_user_else_the_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass

    url = f"sqlite:///{tmp_path / 'who.db'}"
    monkeypatch.delenv("SGZ_USER", raising=False)
    assert run(capsys, "import", str(EXAMPLE), "--db", url)[0] == 0
    [entry] = entries(capsys, "--db", url)
    assert entry["who"] == getpass.getuser()


def test_audit_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "verify", "--help")
    assert code == 0 and "核验哈希链" in out
    code, out, _ = run(capsys, "import", "--help")
    assert code == 0 and "导入人，记入审计记录" in out


def test_an_imported_payment_s_entry_is_the_import_s_when_and_who(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AUD-1: the entry of a payment an import brings (``[[payments]]``) says when the import
    recorded it and who imported, like the import's own entry; the payment's own ``by`` and
    ``recorded_at``, which the file may give as anything, stay in ``after``. The trail never
    goes back in time."""
    exported = tmp_path / "exported.toml"
    assert run(capsys, "export", "--db", db, "--to", str(exported))[0] == 0
    data = tomllib.loads(exported.read_text(encoding="utf-8"), parse_float=Decimal)
    [payment] = data["payments"]
    payment["recorded_at"] = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
    exported.write_text(tomli_w.dumps(data), encoding="utf-8")
    for by in (("--by", "王审计"), ()):
        monkeypatch.setenv("SGZ_USER", "导入员")
        url = f"sqlite:///{tmp_path / f'copy{len(by)}.db'}"
        assert run(capsys, "import", str(exported), "--db", url, *by)[0] == 0
        found = entries(capsys, "--db", url)
        [imported] = [e for e in found if e["action"] == "import"]
        [paid] = [e for e in found if e["action"] == "payment"]
        assert paid["who"] == imported["who"] == ("王审计" if by else "导入员")
        assert paid["at"] == imported["at"]
        assert paid["after"]["by"] == "李会计"  # type: ignore[index]
        assert paid["after"]["recorded_at"].startswith("2001-01-01")  # type: ignore[index]


def test_the_log_of_a_trail_with_text_that_is_not_utf8_names_the_entry_exit_2(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """AUD-1: bytes that are not UTF-8 written into an entry with SQL: ``audit log`` cannot list
    it and says which entry (exit 2), never an internal error (exit 3)."""
    _sql(db, "UPDATE audit SET subject = CAST(x'e5ff' AS TEXT) WHERE seq = 2")
    code, _, err = run(capsys, "audit", "log", "--db", db, "--lang", "en")
    assert code == 2 and "audit entry 2" in err


def test_html_in_names_and_references_is_not_live_in_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AUD-1, PAY-1: an officer's name or a voucher carrying HTML (``<img onerror=…>``) is shown
    in a Markdown report as text, escaped, not as markup a Markdown renderer would run."""
    url = f"sqlite:///{tmp_path / 'sgz.db'}"
    bare = without_items(tmp_path)
    assert run(capsys, "import", str(bare), "--db", url, "--by", "<b>张科长</b>")[0] == 0
    hostile = "<img src=x onerror=alert(1)>"
    pay = ("pay", "--db", url, "--station", "zhengning", "--year", "1", "--by", hostile)
    assert (
        run(
            capsys,
            *pay,
            "--tranche",
            "contract_signed",
            "--on",
            "2024-07-02",
            "--reference",
            "A&B <script>alert(2)</script>",
        )[0]
        == 0
    )
    for args in (
        ("audit", "log", "--db", url, "--format", "markdown"),
        ("schedule", "--db", url, "--on", "2024-07-02", "--format", "markdown"),
    ):
        code, out, _ = run(capsys, *args)
        assert code == 0 and "<img" not in out and "<script" not in out and "<b>" not in out
        assert "&lt;img src=x onerror=alert(1)&gt;" in out
    code, out, _ = run(
        capsys, "schedule", "--db", url, "--on", "2024-07-02", "--format", "markdown"
    )
    assert "A&amp;B &lt;script&gt;alert(2)&lt;/script&gt;" in out


def test_the_english_audit_log_counts_one_station_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AUD-1: the import of a one-station programme was "1 stations, 0 service records" in
    ``sgz audit log --lang en``; the Chinese needs no plural."""
    url = f"sqlite:///{tmp_path / 'one.db'}"
    one = ROOT / "examples" / "money-year" / "01-signed.toml"
    assert main(["import", str(one), "--db", url, "--by", "x"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "audit", "log", "--db", url, "--lang", "en", "--format", "markdown")
    assert code == 0 and "| 1 station, 0 service records, digest " in out
    assert "1 stations" not in out
    _, out, _ = run(capsys, "audit", "log", "--db", url, "--format", "markdown")
    assert "1 个站点，0 条服务记录" in out
