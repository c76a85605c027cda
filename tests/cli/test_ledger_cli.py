"""``sgz ledger``: the fund ledger from a FILE or ``--db``, its JSON shape, table and errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sgz_adapters.service as sgz
from sgz_adapters.cli import main
from sgz_core.enums import FundingSource
from sgz_core.errors import InvalidInput, NotFound

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
AMOUNTS = ["pledged", "received", "paid_out", "spent", "committed", "balance", "outstanding"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_ledger_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ledger", str(EXAMPLE), "--on", "2024-09-30", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["programme", "as_of", "station", "year", "ledgers", "funds", "total"]
    assert (data["station"], data["year"], data["as_of"]) == (None, None, "2024-09-30")
    first = data["ledgers"][0]
    assert list(first) == ["station", "year", "receipts_recorded", "funds", "total"]
    fund = first["funds"][0]
    assert list(fund) == ["source", "ring_fenced", "purposes", *AMOUNTS]
    assert fund == {
        "source": "province",
        "ring_fenced": False,
        "purposes": [],
        "pledged": "50000.00",
        "received": "50000.00",
        "paid_out": "0.00",
        "spent": "12000.00",
        "committed": "0.00",
        "balance": "38000.00",
        "outstanding": "0.00",
    }
    charity = next(f for f in first["funds"] if f["source"] == "charity")
    assert charity["ring_fenced"] and charity["purposes"] == ["elderly_meals"]
    assert charity["committed"] == "2400.00"  # booked for 2024-11-05, after the day
    assert list(data["total"]) == AMOUNTS
    every = sum(Decimal(x["total"]["pledged"]) for x in data["ledgers"])
    assert Decimal(data["total"]["pledged"]) == every
    assert [f["source"] for f in data["funds"]] == [
        "province",
        "city",
        "district",
        "street",
        "charity",
    ]


def test_ledger_table_has_chinese_labels(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "ledger",
        str(EXAMPLE),
        "--station",
        "zhengning",
        "--year",
        "1",
        "--on",
        "2025-06-30",
    )
    assert code == 0
    for label in ("资金来源", "已到账", "结余", "省民政厅", "慈善专项基金", "合计"):
        assert label in out
    assert "单独核算，限用于：elderly_meals" in out
    code, out, _ = run(
        capsys, "ledger", str(EXAMPLE), "--station", "yanbin", "--on", "2025-06-30", "--lang", "en"
    )
    assert code == 0 and "province civil affairs" in out and "records no receipts" in out
    code, out, _ = run(
        capsys, "ledger", str(EXAMPLE), "--year", "1", "--on", "2025-06-30", "--format", "markdown"
    )
    assert code == 0 and "| 站点 |" in out.replace("  ", " ")


def test_a_ring_fenced_fund_without_purposes_is_said_to_pay_for_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """FUND-8: a ring-fenced fund that declares no purposes pays for nothing. The note said
    "限用于：未申明用途" ("only for: undeclared purposes"), the opposite, and in English "the funds
    linked from outside civil affairs is ... pays only for: no declared purpose"."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert 'purposes = ["elderly_meals"]\n' in text
    path = tmp_path / "p.toml"
    path.write_text(text.replace('purposes = ["elderly_meals"]\n', "", 1), encoding="utf-8")
    flags = ("--station", "zhengning", "--year", "1", "--on", "2025-06-30", "--format", "markdown")
    code, out, _ = run(capsys, "ledger", str(path), *flags)
    assert code == 0
    assert "zhengning 第1年慈善专项基金单独核算，未申明用途，不能支付任何支出" in out
    assert "未申明用途，" in out and "限用于：未申明用途" not in out
    code, out, _ = run(capsys, "ledger", str(path), *flags, "--lang", "en")
    assert code == 0
    assert (
        "zhengning year 1: charity social-work fund, accounted separately, declares no purpose "
        "and pays for nothing"
    ) in out
    code, out, _ = run(capsys, "ledger", str(EXAMPLE), *flags, "--lang", "en")
    assert (
        "zhengning year 1: charity social-work fund, accounted separately, pays only for: "
        "elderly_meals"
    ) in out


def test_ledger_from_the_database_is_the_file_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'sgz.db'}"
    assert run(capsys, "import", str(EXAMPLE), "--db", db)[0] == 0
    flags = ("--on", "2025-01-31", "--format", "json")
    _, from_file, _ = run(capsys, "ledger", str(EXAMPLE), *flags)
    code, from_db, _ = run(capsys, "ledger", "--db", db, *flags)
    assert code == 0 and json.loads(from_db) == json.loads(from_file)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("--station", "nowhere"), "nowhere"),
        (("--station", "zhengning", "--year", "9"), "9"),
    ],
)
def test_ledger_refuses_what_is_not_there(
    args: tuple[str, ...], text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "ledger", str(EXAMPLE), *args, "--lang", "en")
    assert code == 2 and out == "" and text in err


@pytest.mark.parametrize(("lang", "said"), [("en", "no contract year 9"), ("zh", "没有合同年 9")])
def test_a_year_the_station_does_not_have_names_the_option(
    lang: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--station zhengning --year 9`` said "no contract year 9" without saying which option
    it was about, where ``--station nowhere`` says ``--station: no station``."""
    args = ("--station", "zhengning", "--year", "9", "--lang", lang)
    code, out, err = run(capsys, "ledger", str(EXAMPLE), *args)
    assert code == 2 and out == ""
    assert f"--year: {said}" in err


def test_service_ledger_takes_recorded_payments() -> None:
    paid = {("zhengning", 1): [(dt.date(2024, 7, 2), Decimal("96000.00"))]}
    result = sgz.ledger(
        EXAMPLE, station="zhengning", year=1, on=dt.date(2024, 12, 31), payments=paid
    )
    [ledger] = result.ledgers
    assert [(f.source, f.paid_out) for f in ledger.funds][:3] == [
        (FundingSource.PROVINCE, Decimal("32000.00")),
        (FundingSource.CITY, Decimal("32000.00")),
        (FundingSource.DISTRICT, Decimal("32000.00")),
    ]
    assert result.total.paid_out == Decimal("96000.00")
    with pytest.raises(NotFound):
        sgz.ledger(EXAMPLE, station="nowhere", on=dt.date(2024, 12, 31))


_BAD_DAYS = st.sampled_from(["2024-07-02", None, 20240702, dt.datetime(2024, 7, 2, 9)])
_BAD_AMOUNTS = st.sampled_from(
    [0.1, -1, Decimal("-0.01"), Decimal("0.001"), Decimal("NaN"), True, None, "abc"]
)
_GOOD = st.tuples(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), st.just(Decimal("5")))
_BAD_PAYMENTS = st.one_of(
    st.tuples(_BAD_DAYS, st.just(Decimal("5"))),
    st.tuples(st.just(dt.date(2024, 7, 2)), _BAD_AMOUNTS),
    st.sampled_from([(dt.date(2024, 7, 2),), "2024-07-02 5", None, 5]),
)


@settings(max_examples=40, deadline=None)
@given(
    before=st.lists(_GOOD, max_size=2),
    bad=_BAD_PAYMENTS,
    after=st.lists(_GOOD, max_size=2),
    key=st.sampled_from([("zhengning", 1), ("yanbin", 2)]),
)
def test_service_ledger_refuses_bad_payments_naming_them(
    before: list[Any], bad: Any, after: list[Any], key: tuple[str, int]
) -> None:
    """FUND-8's ledger from Python: a payment that is not a ``(date, amount)`` pair of a date
    and an exact amount of zero or more yuan is refused as bad input naming ``payments`` and
    the station-year, whatever else is given, never a ``TypeError`` from deep inside."""
    paid = {key: [*before, bad, *after]}
    with pytest.raises(InvalidInput, match="payments") as caught:
        sgz.ledger(EXAMPLE, on=dt.date(2024, 12, 31), payments=paid)
    assert key[0] in str(caught.value)


@pytest.mark.parametrize(
    "paid",
    [[("zhengning", 1)], {"zhengning": []}, {("zhengning", "1"): []}, {("zhengning", 1): 5}],
)
def test_service_ledger_refuses_payments_not_keyed_by_station_year(paid: Any) -> None:
    with pytest.raises(InvalidInput, match="payments"):
        sgz.ledger(EXAMPLE, on=dt.date(2024, 12, 31), payments=paid)
