"""``sgz pay`` (PAY-1): every exit status, and what ``schedule`` and ``check`` show of payments."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.cli import main
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.enums import EvaluationKind, FundingSource, Milestone, PaymentOutcome
from sgz_core.errors import InvalidInput
from sgz_core.model import Evaluation, Funding, Programme
from sgz_core.payments import Payment
from sgz_core.programme_file import dumps, loads

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
PROGRAMME = loads(EXAMPLE.read_text(encoding="utf-8"), "chengguan.toml")
SIGNED = dt.date(2024, 7, 1)  # zhengning year 1 in the example
PAY = ("pay", "--station", "zhengning", "--year", "1", "--by", "李会计")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def year_one(programme: Programme, **changes: object) -> Programme:
    station = programme.stations[0]
    year = attrs.evolve(station.years[0], **changes)
    station = attrs.evolve(station, years=(year, *station.years[1:]))
    return attrs.evolve(programme, stations=(station, *programme.stations[1:]))


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'sgz.db'}"
    assert main(["import", str(EXAMPLE), "--db", url]) == 0
    return url


def test_paying_a_due_tranche_records_it_exit_0(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        *PAY,
        "--db",
        db,
        "--tranche",
        "contract_signed",
        "--on",
        "2024-07-01",
        "--reference",
        "城财拨〔2024〕12号",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "recorded" and data["reason"] is None
    assert data["payment"]["amount"] == "90000.00" and data["payment"]["date"] == "2024-07-01"
    assert (
        data["payment"]["by"] == "李会计" and data["payment"]["reference"] == "城财拨〔2024〕12号"
    )
    assert data["payment"]["tranche"] == "contract_signed"
    assert dt.datetime.fromisoformat(data["payment"]["recorded_at"]).tzinfo is not None
    assert "已记录" in data["message"] and data["message_en"].startswith("Recorded:")
    stored = SqliteStorage(SqliteStorage.path_of(db)).payments("chengguan-2024")
    assert [(p.milestone, p.amount) for p in stored] == [
        (Milestone.CONTRACT_SIGNED, Decimal("90000.00"))
    ]


def test_paying_again_is_already_paid_exit_0_and_says_when_and_by_whom(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*PAY, "--db", db, "--tranche", "contract_signed", "--on", "2024-07-01"]) == 0
    capsys.readouterr()
    code, out, _ = run(
        capsys,
        "pay",
        "--db",
        db,
        "--station",
        "zhengning",
        "--year",
        "1",
        "--tranche",
        "contract_signed",
        "--on",
        "2024-08-01",
        "--by",
        "王出纳",
        "--lang",
        "en",
    )
    assert code == 0
    assert "already_paid" in out and "already paid on 2024-07-01 by 李会计" in out
    assert "nothing new was recorded" in out
    code, out, _ = run(
        capsys, *PAY, "--db", db, "--tranche", "contract_signed", "--on", "2024-08-01"
    )
    assert code == 0 and "此前已拨付" in out and "本次未再记录" in out
    assert len(SqliteStorage(SqliteStorage.path_of(db)).payments("chengguan-2024")) == 1


def test_a_pending_tranche_is_refused_exit_1(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *PAY, "--db", db, "--tranche", "final", "--on", "2024-07-05")
    assert code == 1 and "不予拨付" in out and "尚无通过的末期评估" in out
    code, out, _ = run(
        capsys,
        *PAY,
        "--db",
        db,
        "--tranche",
        "contract_signed",
        "--on",
        "2024-06-30",
        "--format",
        "json",
    )
    assert code == 1
    data = json.loads(out)
    assert (data["outcome"], data["reason"], data["payment"]) == ("refused", "pending", None)
    assert SqliteStorage(SqliteStorage.path_of(db)).payments("chengguan-2024") == []


@pytest.mark.parametrize(
    ("outcome", "reason", "words"),
    [
        ("suspend", "held", "held by the mid-term evaluation of 2025-01-15 (suspend)"),
        ("stop", "cancelled", "cancelled when the mid-term evaluation of 2025-01-15 stopped"),
    ],
)
def test_a_held_or_cancelled_tranche_is_refused_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outcome: str, reason: str, words: str
) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    evaluation = Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 1, 15), outcome=outcome)
    SqliteStorage(tmp_path / "x.db").save(year_one(PROGRAMME, evaluations=(evaluation,)))
    code, out, _ = run(
        capsys,
        *PAY,
        "--db",
        url,
        "--tranche",
        "mid_term",
        "--on",
        "2025-02-01",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 1 and data["outcome"] == "refused" and data["reason"] == reason
    assert words in data["message_en"]


@pytest.mark.parametrize(
    "args",
    [
        ("--tranche", "second", "--on", "2024-07-01"),
        ("--tranche", "final", "--on", "2024-13-01"),
        ("--tranche", "final"),
    ],
)
def test_bad_arguments_exit_2(
    db: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, _, err = run(capsys, *PAY, "--db", db, *args)
    assert code == 2 and err


def test_bad_values_exit_2_with_the_option_named(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("pay", "--db", db, "--tranche", "contract_signed", "--on", "2024-07-01", "--lang", "en")
    code, _, err = run(capsys, *base, "--station", "nope", "--year", "1", "--by", "x")
    assert code == 2 and "--station" in err and "zhengning" in err
    code, _, err = run(capsys, *base, "--station", "zhengning", "--year", "9", "--by", "x")
    assert code == 2 and "year" in err
    code, _, err = run(capsys, *base, "--station", "zhengning", "--year", "1", "--by", " ")
    assert code == 2 and "by" in err
    code, _, err = run(capsys, *base, "--station", "zhengning", "--year", "0", "--by", "x")
    assert code == 2 and "year" in err
    code, _, err = run(
        capsys, *base, "--station", "zhengning", "--year", "1", "--by", "x", "--reference", ""
    )
    assert code == 2 and "reference" in err
    assert SqliteStorage(SqliteStorage.path_of(db)).payments("chengguan-2024") == []


def test_no_database_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    code, _, err = run(capsys, *PAY, "--db", url, "--tranche", "final", "--on", "2024-07-05")
    assert code == 2 and "none.db" in err and not (tmp_path / "none.db").exists()
    code, _, err = run(capsys, *PAY, "--db", "", "--tranche", "final", "--on", "2024-07-05")
    assert code == 2 and "--db" in err


def test_the_schedule_shows_payments_statuses_and_totals(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                *PAY,
                "--db",
                db,
                "--tranche",
                "contract_signed",
                "--on",
                "2024-07-02",
                "--reference",
                "V-7",
            ]
        )
        == 0
    )
    capsys.readouterr()
    code, out, _ = run(capsys, "schedule", "--db", db, "--on", "2025-03-01", "--format", "json")
    data = json.loads(out)
    first, second = data["tranches"][:2]
    assert first["status"] == "paid" and first["date"] == "2024-07-02"
    assert first["payment"] == {
        "date": "2024-07-02",
        "amount": "90000.00",
        "by": "李会计",
        "reference": "V-7",
    }
    assert second["status"] == "due" and second["payment"] is None
    zy1 = next(t for t in data["totals"] if (t["station"], t["year"]) == ("zhengning", 1))
    assert zy1 == {
        "station": "zhengning",
        "year": 1,
        "contract_value": "150000.00",
        "paid": "90000.00",
        "due": "45000.00",
        "held": "0.00",
        "cancelled": "0.00",
        "pending": "15000.00",
        "adjustment": "0.00",
        "outstanding": "60000.00",
    }
    whole = data["totals"][-1]
    assert (whole["station"], whole["year"], whole["paid"]) == (None, None, "90000.00")
    code, out, _ = run(capsys, "schedule", "--db", db, "--on", "2025-03-01")
    assert code == 0 and "已拨付" in out and "应拨付" in out and "经办人" in out and "V-7" in out
    assert "项目合计" in out and "未拨付" in out
    code, out, _ = run(capsys, "schedule", "--db", db, "--on", "2025-03-01", "--lang", "en")
    assert "paid by" in out and "outstanding" in out
    code, out, _ = run(capsys, "schedule", "--db", db, "--on", "2024-07-01", "--format", "json")
    assert json.loads(out)["tranches"][0]["status"] == "due"  # paid the next day


def _paid_then_funding_cut(db: str, tmp_path: Path) -> Path:
    """zhengning's year-1 60% paid (90,000.00), then the programme replaced with the province's
    line cut to 40,000: the tranche is now 84,000.00, an overpayment of 6,000.00. The file."""
    assert main([*PAY, "--db", db, "--tranche", "contract_signed", "--on", "2024-07-01"]) == 0
    less = year_one(
        PROGRAMME,
        funding=(
            Funding(FundingSource.PROVINCE, Decimal("40000")),
            Funding(FundingSource.CITY, Decimal("50000")),
            Funding(FundingSource.DISTRICT, Decimal("50000")),
        ),
    )
    edited = tmp_path / "edited.toml"
    edited.write_text(dumps(less), encoding="utf-8")
    assert main(["import", str(edited), "--db", db, "--replace"]) == 0
    return edited


def test_check_reports_an_adjustment_after_the_funding_changed(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = _paid_then_funding_cut(db, tmp_path)
    capsys.readouterr()
    code, out, _ = run(capsys, "check", "--db", db, "--on", "2025-03-01", "--format", "json")
    found = [
        f
        for f in json.loads(out)["findings"]
        if f["rule"] == "PAY-1" and "84,000.00" in f["message"]
    ]
    assert code == 1  # an overpayment to recover is an error
    [f] = found
    assert f["severity"] == "error" and f["station"] == "zhengning" and f["year"] == 1
    assert "90,000.00" in f["message_en"] and "overpaid" in f["message_en"]
    code, out, _ = run(capsys, "schedule", "--db", db, "--on", "2025-03-01", "--format", "json")
    [a] = json.loads(out)["adjustments"]
    assert a == {
        "station": "zhengning",
        "year": 1,
        "tranche": "contract_signed",
        "recorded": "90000.00",
        "current": "84000.00",
        "difference": "-6000.00",
        "kind": "overpaid",
    }
    code, out, _ = run(capsys, "check", str(edited), "--on", "2025-03-01", "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if "84,000.00" in f["message"]]


def test_check_of_a_station_the_programme_lost_reports_its_overpayment(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: a station paid and then removed from the programme (``import --replace``) keeps
    its payment, which is an overpayment to recover; ``check --db --station`` of it gives the
    findings of the whole check about it (that error), as it does for any station, and not
    "no station" (exit 2). The same for a file with its ``[[payments]]``."""
    paying = ("pay", "--db", db, "--station", "zhanjiaguaizi", "--year", "1", "--by", "李会计")
    assert main([*paying, "--tranche", "contract_signed", "--on", "2024-07-10"]) == 0
    gone = attrs.evolve(
        PROGRAMME, stations=tuple(s for s in PROGRAMME.stations if s.id != "zhanjiaguaizi")
    )
    edited = tmp_path / "gone.toml"
    edited.write_text(dumps(gone), encoding="utf-8")
    assert main(["import", str(edited), "--db", db, "--replace"]) == 0
    capsys.readouterr()
    day = ("--on", "2025-03-01", "--format", "json", "--lang", "en")
    code, out, _ = run(capsys, "check", "--db", db, *day)
    whole = [f for f in json.loads(out)["findings"] if f["station"] == "zhanjiaguaizi"]
    assert code == 1 and [f["rule"] for f in whole] == ["PAY-1"]
    assert "overpaid" in whole[0]["message_en"]
    code, out, err = run(capsys, "check", "--db", db, "--station", "zhanjiaguaizi", *day)
    assert code == 1, err
    assert json.loads(out)["findings"] == whole
    exported = tmp_path / "exported.toml"
    assert main(["export", "--db", db, "--to", str(exported)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "check", str(exported), "--station", "zhanjiaguaizi", *day)
    assert code == 1, err
    assert json.loads(out)["findings"] == whole
    code, _, err = run(capsys, "check", "--db", db, "--station", "nosuch", *day)
    assert code == 2 and "nosuch" in err  # a station neither there nor paid is still unknown


def test_markdown_lists_the_adjustments_as_the_table_and_json_do(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: after the funding changed, every format of the schedule names each adjustment
    (station, year, tranche, recorded and current amount), not only its sum in the totals."""
    _paid_then_funding_cut(db, tmp_path)
    capsys.readouterr()
    day = ("schedule", "--db", db, "--on", "2025-03-01", "--lang", "en")
    _, out, _ = run(capsys, *day, "--format", "json")
    [a] = json.loads(out)["adjustments"]
    assert (a["recorded"], a["current"], a["difference"]) == ("90000.00", "84000.00", "-6000.00")
    line = "zhengning year 1 contract_signed paid 90,000.00, now 84,000.00: 6,000.00 overpaid"
    _, table, _ = run(capsys, *day)
    _, markdown, _ = run(capsys, *day, "--format", "markdown")
    assert line in table
    assert "## Adjustments" in markdown and line in markdown


def test_the_markdown_schedule_claims_no_findings_it_never_looked_for(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: a schedule holds no findings (``sgz check`` gives them); its Markdown said "No
    findings." and "0 error, 0 warning, 0 notice" above an adjustment to recover, which
    ``sgz check`` of the same day reports as an error. The table and JSON have no such lines."""
    _paid_then_funding_cut(db, tmp_path)
    capsys.readouterr()
    code, _, _ = run(capsys, "check", "--db", db, "--on", "2025-03-01", "--format", "json")
    assert code == 1  # the overpayment is a PAY-1 error
    for lang in ("zh", "en"):
        day = ("schedule", "--db", db, "--on", "2025-03-01", "--lang", lang)
        _, markdown, _ = run(capsys, *day, "--format", "markdown")
        assert "## Adjustments" in markdown
        assert "No findings" not in markdown and "0 error" not in markdown
        assert "## Findings" not in markdown


def test_the_service_pays_through_an_open_storage(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "s.db")
    storage.save(PROGRAMME)
    result = service.pay(
        storage,
        station="zhengning",
        year=1,
        tranche="contract_signed",
        on=dt.date(2024, 7, 1),
        by="李会计",
    )
    assert result.outcome is PaymentOutcome.RECORDED and result.payment is not None
    assert storage.payments(PROGRAMME.id) == [result.payment]
    again = service.pay(
        service.stored(storage, PROGRAMME.id),
        station="zhengning",
        year=1,
        tranche=Milestone.CONTRACT_SIGNED,
        on=dt.date(2024, 7, 9),
        by="x",
    )
    assert again.outcome is PaymentOutcome.ALREADY_PAID and again.payment == result.payment
    with pytest.raises(ValueError, match="tranche"):
        service.pay(
            storage, station="zhengning", year=1, tranche="first", on=dt.date(2024, 7, 1), by="x"
        )
    assert isinstance(result.payment, Payment)


# --- export and import keep the payments ---------------------------------------------------------


def test_export_writes_the_payments_and_import_restores_them(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                *PAY,
                "--db",
                db,
                "--tranche",
                "contract_signed",
                "--on",
                "2024-07-01",
                "--reference",
                "V-1",
            ]
        )
        == 0
    )
    out = tmp_path / "out.toml"
    assert main(["export", "--db", db, "--to", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert (
        "[[payments]]" in text and 'tranche = "contract_signed"' in text and 'by = "李会计"' in text
    )
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert main(["import", str(out), "--db", other]) == 0
    before = SqliteStorage(SqliteStorage.path_of(db)).payments("chengguan-2024")
    after = SqliteStorage(SqliteStorage.path_of(other)).payments("chengguan-2024")
    assert after == before and len(after) == 1
    assert main(["import", str(out), "--db", other, "--replace"]) == 0  # idempotent
    assert SqliteStorage(SqliteStorage.path_of(other)).payments("chengguan-2024") == before
    capsys.readouterr()
    code, from_file, _ = run(capsys, "schedule", str(out), "--on", "2025-03-01", "--format", "json")
    code_db, from_db, _ = run(
        capsys, "schedule", "--db", db, "--on", "2025-03-01", "--format", "json"
    )
    assert code == code_db == 0 and json.loads(from_file) == json.loads(from_db)


def test_import_refuses_a_payment_that_contradicts_the_stored_one(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*PAY, "--db", db, "--tranche", "contract_signed", "--on", "2024-07-01"]) == 0
    out = tmp_path / "out.toml"
    assert main(["export", "--db", db, "--to", str(out)]) == 0
    changed = out.read_text(encoding="utf-8").replace('by = "李会计"', 'by = "别人"')
    changed = changed.replace('name = "城关区街道社工站项目"', 'name = "改名"')
    out.write_text(changed, encoding="utf-8")
    capsys.readouterr()
    code, _, err = run(capsys, "import", str(out), "--db", db, "--replace", "--lang", "en")
    assert code == 2 and "payments[0]" in err and "contradicts the payment recorded" in err
    assert "李会计" in err and "别人" in err and "nothing was written" in err
    storage = SqliteStorage(SqliteStorage.path_of(db))
    assert storage.load("chengguan-2024").name == "城关区街道社工站项目"  # not replaced
    assert [p.by for p in storage.payments("chengguan-2024")] == ["李会计"]


def test_a_contradicting_payment_that_differs_only_in_its_reference_says_both_references(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1, AUD-1: the refusal names what the file says against what is recorded; when only
    the voucher differs, the file's voucher is shown too (it used to read "recorded: 90,000.00
    on 2024-07-01 by 李会计 (the file says 90,000.00, 2024-07-01, 李会计)")."""
    paid = [*PAY, "--db", db, "--tranche", "contract_signed", "--on", "2024-07-01"]
    assert main([*paid, "--reference", "城财拨〔2024〕12号"]) == 0
    out = tmp_path / "out.toml"
    assert main(["export", "--db", db, "--to", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("城财拨〔2024〕12号", "城财拨〔2024〕99号"), encoding="utf-8")
    for lang, said in (("en", "reference 城财拨〔2024〕99号"), ("zh", "凭证 城财拨〔2024〕99号")):
        capsys.readouterr()
        code, _, err = run(capsys, "import", str(out), "--db", db, "--replace", "--lang", lang)
        assert code == 2 and "城财拨〔2024〕12号" in err and said in err, err
    out.write_text(text.replace('reference = "城财拨〔2024〕12号"\n', ""), encoding="utf-8")
    code, _, err = run(capsys, "import", str(out), "--db", db, "--replace", "--lang", "en")
    assert code == 2 and "no reference" in err, err


@pytest.mark.parametrize(
    ("table", "words"),
    [
        (
            'station = "zhengning"\nyear = 1\ntranche = "first"\namount = 1\ndate = 2024-07-01\nby = "x"',
            "payments[0]",
        ),
        (
            'station = "zhengning"\nyear = 1\ntranche = "final"\namount = 1.555\ndate = 2024-07-01\nby = "x"',
            "payments[0].amount",
        ),
        (
            'station = "zhengning"\nyear = 1\ntranche = "final"\namount = 1\ndate = 2024-07-01',
            "payments[0].by: missing",
        ),
        (
            'station = "zhengning"\nyear = 1\ntranche = "final"\namount = 1\ndate = 2024-07-01\nby = "x"\npaid = true',
            "payments[0].paid: unknown key",
        ),
        (
            'station = "zhengning"\nyear = 1\ntranche = "final"\namount = 1\ndate = "2024-07-01"\nby = "x"',
            "payments[0].date",
        ),
    ],
)
def test_bad_payments_in_a_file_name_their_key_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, words: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        EXAMPLE.read_text(encoding="utf-8") + "\n[[payments]]\n" + table + "\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "schedule", str(path), "--lang", "en")
    assert code == 2 and words in err


def test_a_file_may_pay_a_tranche_only_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = '[[payments]]\nstation = "zhengning"\nyear = 1\ntranche = "final"\namount = 1\ndate = 2024-07-01\nby = "x"\n'
    path = tmp_path / "twice.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n" + one + one, encoding="utf-8")
    code, _, err = run(capsys, "check", str(path), "--lang", "en")
    assert code == 2 and "payments[1]" in err and "paid once" in err


def test_markdown_shows_payments_and_totals(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*PAY, "--db", db, "--tranche", "contract_signed", "--on", "2024-07-01"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "schedule", "--db", db, "--on", "2025-03-01", "--format", "markdown")
    assert (
        code == 0
        and "## Payments" in out
        and "| zhengning | 1 | contract_signed | 90000.00 |" in out
    )
    assert "## Totals" in out and "项目合计" in out
    code, out, _ = run(
        capsys,
        *PAY,
        "--db",
        db,
        "--tranche",
        "final",
        "--on",
        "2024-07-05",
        "--format",
        "markdown",
        "--lang",
        "en",
    )
    assert code == 1 and "| refused |" in out and "is not paid" in out


# --- what --by and --reference may be ------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--by", "李\x1b[31m会计"),  # a terminal escape
        ("--by", "李\n会计"),  # a second line
        ("--by", "李\x1f会计"),  # the audit encoding's separator
        ("--by", "李\u202e会计"),  # a bidirectional override
        ("--reference", "城财拨\x07〔2025〕3号"),
        ("--reference", "a\rb"),
    ],
)
def test_control_characters_in_by_or_reference_exit_2_naming_the_option(
    db: str, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    """PAY-1, AUD-1: the officer's name and the voucher number are one line of text; a control
    character is bad input (exit 2), named as such, and nothing is written: no payment, no
    audit entry (it was stored as is, or refused as "audit who" after the payment was tried)."""
    storage = SqliteStorage(SqliteStorage.path_of(db))
    entries = len(list(storage.audit_entries()))
    args = {"--by": "李会计", "--reference": "V-1", option: value}
    code, _, err = run(
        capsys,
        "pay",
        "--db",
        db,
        "--station",
        "zhengning",
        "--year",
        "1",
        "--tranche",
        "contract_signed",
        "--on",
        "2024-07-01",
        "--lang",
        "en",
        *(x for pair in args.items() for x in pair),
    )
    assert code == 2, err
    assert option.removeprefix("--") in err and "control characters" in err
    assert "audit" not in err
    assert storage.payments(PROGRAMME.id) == []
    assert len(list(storage.audit_entries())) == entries


def test_an_overlong_by_is_bad_input_also_when_the_tranche_is_paid_already(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: bad input is exit 2 whatever the tranche's state; a name of 1,001 characters was
    refused for a due tranche but answered "already paid" (exit 0) for a paid one."""
    base = ("pay", "--db", db, "--tranche", "contract_signed", "--station", "zhengning")
    base += ("--year", "1", "--on", "2024-07-01", "--lang", "en")
    assert run(capsys, *base, "--by", "李会计")[0] == 0
    for option in ("--by", "--reference"):
        extra = ("--by", "x" * 1001) if option == "--by" else ("--by", "x", option, "r" * 1001)
        code, _, err = run(capsys, *base, *extra)
        assert code == 2 and option.removeprefix("--") in err and "1000" in err, err


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(min_size=1, max_size=12).filter(lambda t: t.strip()),
    unsafe=st.sampled_from(
        [chr(c) for c in (*range(0x01, 0x20), *range(0x7F, 0xA0))]
        + ["\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028"]
    ),
    field=st.sampled_from(["by", "reference"]),
    tranche=st.sampled_from(["contract_signed", "mid_term", "final"]),
)
def test_no_name_with_an_unsafe_character_is_recorded(
    text: str, unsafe: str, field: str, tranche: str
) -> None:
    """PAY-1, AUD-1 (generated): for any name or reference holding a control character, a
    bidirectional mark or a line separator, anywhere in it, ``pay`` and ``pay_many`` refuse
    the input naming the field, whatever the tranche's state, and write nothing."""
    from sgz_adapters.storage.memory import MemoryStorage

    storage = MemoryStorage()
    storage.save(PROGRAMME)
    first = service.pay(
        storage, station="zhengning", year=1, tranche="contract_signed", on=SIGNED, by="李会计"
    )
    assert first.outcome is PaymentOutcome.RECORDED
    entries = list(storage.audit_entries())
    bad = text[: len(text) // 2] + unsafe + text[len(text) // 2 :]
    names = {"by": "王出纳", "reference": None, field: bad}
    with pytest.raises(InvalidInput, match=field):
        service.pay(
            storage, station="zhengning", year=1, tranche=tranche, on=dt.date(2025, 7, 1), **names
        )
    request = service.PayRequest("zhengning", 1, tranche, dt.date(2025, 7, 1), **names)
    with pytest.raises(InvalidInput, match=rf"requests\[0\]\.{field}"):
        service.pay_many(storage, [request])
    assert storage.payments(PROGRAMME.id) == [first.payment]
    assert list(storage.audit_entries()) == entries


def test_check_finds_a_file_payment_made_before_its_tranche_fell_due(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: a programme file's ``[[payments]]`` (or a database edited outside sgz) may pay a
    tranche ``sgz pay`` would have refused that day: zhengning's year-1 mid-term 30% a day before
    its mid-term evaluation (2025-01-15), and year 3's final 10%, which no final evaluation
    released. ``check`` of the file, of the database (read station by station) and of the station
    alone each report both as errors."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text += (
        '\n[[payments]]\nstation = "zhengning"\nyear = 1\ntranche = "mid_term"\n'
        'amount = 45000.00\ndate = 2025-01-14\nby = "李会计"\n'
        '\n[[payments]]\nstation = "zhengning"\nyear = 3\ntranche = "final"\n'
        'amount = 15000.00\ndate = 2026-06-01\nby = "李会计"\n'
    )
    path = tmp_path / "paid-early.toml"
    path.write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'sgz.db'}"
    assert main(["import", str(path), "--db", db]) == 0
    capsys.readouterr()
    shown = []
    for source in (
        [str(path)],
        ["--db", db],
        ["--db", db, "--station", "zhengning"],
        [str(path), "--station", "zhengning"],
    ):
        code, out, _ = run(capsys, "check", *source, "--on", "2026-11-28", "--format", "json")
        assert code == 1
        early = [
            f
            for f in json.loads(out)["findings"]
            if f["rule"] == "PAY-1" and "only once its milestone has happened" in f["message_en"]
        ]
        assert [(f["severity"], f["year"]) for f in early] == [("error", 1), ("error", 3)]
        assert "before it fell due on 2025-01-15" in early[0]["message_en"]
        assert "it is pending" in early[1]["message_en"]
        shown.append(early)
    assert shown[0] == shown[1] == shown[2] == shown[3]


def test_the_xlsx_schedule_has_the_payments_totals_and_adjustments_the_json_has(
    db: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """PAY-1: a finance officer's workbook of the schedule carries what the table and the JSON
    carry: the payments, the totals and the adjustments, cell for cell the JSON's values
    (an overpayment's negative difference a plain number, not a formula)."""
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    _paid_then_funding_cut(db, tmp_path)
    capsysbinary.readouterr()
    assert main(["schedule", "--db", db, "--on", "2025-03-01", "--format", "json"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert main(["schedule", "--db", db, "--on", "2025-03-01", "--format", "xlsx"]) == 0
    book = openpyxl.load_workbook(io.BytesIO(capsysbinary.readouterr().out))
    assert book.sheetnames == ["findings", "disbursement", "payments", "totals", "adjustments"]
    expected = {
        "payments": [
            {k: p[k] for k in ("station", "year", "tranche", "amount", "date", "by", "reference")}
            for p in [
                {
                    **t["payment"],
                    "station": t["station"],
                    "year": t["year"],
                    "tranche": t["milestone"],
                }
                for t in data["tranches"]
                if t["payment"] is not None
            ]
        ],
        "totals": data["totals"],
        "adjustments": data["adjustments"],
    }
    for name, rows in expected.items():
        sheet = list(book[name].iter_rows(values_only=True))
        header, body = sheet[0], sheet[1:]
        assert len(body) == len(rows) and rows, name
        for got, want in zip(body, rows, strict=True):
            cells = dict(zip(header, got, strict=True))
            assert {k: cells[k] for k in want} == {k: want[k] for k in want}, name
    [adjustment] = expected["adjustments"]
    assert adjustment["difference"] == "-6000.00"
