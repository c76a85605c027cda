"""``sgz plan`` and ``service.plan``: the table, JSON and TOML output and every exit status."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import sgz_adapters.service as sgz
from sgz_adapters.cli import main
from sgz_adapters.plan_views import plan_json, plan_table, plan_toml_data
from sgz_adapters.said import InvalidArgument
from sgz_core import profiles
from sgz_core.errors import InvalidInput, ProfileError
from sgz_core.planner import MAX_STATIONS
from sgz_core.testing import strategies as sgzst
from sgz_core.testing.strategies.schedule import tranche_plans
from sgz_core.values import TrancheSpec

ROOT = Path(__file__).resolve().parents[2]
GUANGDONG = str(ROOT / "examples" / "profiles" / "guangdong-shuangbai.toml")
BASE = ["plan", "--stations", "3", "--profile", "lanzhou-chengguan", "--start", "2024-07-01"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def three(amount: str) -> dict[str, str]:
    return {"province": amount, "city": amount, "district": amount}


# --- output ---------------------------------------------------------------------------------------


def test_json_of_one_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *BASE, "--years", "1", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == [
        "profile",
        "stations",
        "start",
        "end",
        "levels",
        "years",
        "totals",
        "cash_flow",
        "vs",
    ]
    assert data["profile"] == "lanzhou-chengguan" and data["stations"] == 3
    assert (data["start"], data["end"]) == ("2024-07-01", "2025-06-30")
    assert data["levels"] == ["province", "city", "district"] and data["vs"] is None
    (year,) = data["years"]
    assert {k: v for k, v in year.items() if k not in ("tranches", "cash_flow")} == {
        "year": 1,
        "start": "2024-07-01",
        "end": "2025-06-30",
        "station_value": "150000.00",
        "ratio": three("1"),
        "station_shares": three("50000.00"),
        "budget": three("150000.00"),
        "total": "450000.00",
    }
    assert year["tranches"] == [
        {
            "milestone": "contract_signed",
            "share": "0.60",
            "date": "2024-07-01",
            "month": "2024-07",
            "per_station": "90000.00",
            "levels": three("90000.00"),
            "total": "270000.00",
        },
        {
            "milestone": "mid_term",
            "share": "0.30",
            "date": "2025-01-30",
            "month": "2025-01",
            "per_station": "45000.00",
            "levels": three("45000.00"),
            "total": "135000.00",
        },
        {
            "milestone": "final",
            "share": "0.10",
            "date": "2025-07-01",
            "month": "2025-07",
            "per_station": "15000.00",
            "levels": three("15000.00"),
            "total": "45000.00",
        },
    ]
    months = [m["month"] for m in year["cash_flow"]]
    assert months[0] == "2024-07" and months[-1] == "2025-07" and len(months) == 13
    assert year["cash_flow"][1] == {"month": "2024-08", "levels": three("0.00"), "total": "0.00"}
    assert data["totals"] == {"budget": three("150000.00"), "total": "450000.00"}
    assert data["cash_flow"] == year["cash_flow"]


def test_json_is_the_same_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    _, zh, _ = run(capsys, *BASE, "--vs", GUANGDONG, "--format", "json", "--lang", "zh")
    _, en, _ = run(capsys, *BASE, "--vs", GUANGDONG, "--format", "json", "--lang", "en")
    assert zh == en


def test_vs_a_profile_that_costs_more(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *BASE, "--vs", GUANGDONG, "--format", "json")
    assert code == 0
    vs = json.loads(out)["vs"]
    assert vs["profile"] == "guangdong-shuangbai-example"
    assert vs["levels"] == ["province", "city", "district"]
    assert vs["years"][0] == {
        "year": 1,
        "base": three("150000.00"),
        "base_total": "450000.00",
        "other": {"province": "300000.00", "city": "150000.00", "district": "150000.00"},
        "other_total": "600000.00",
        "difference": {"province": "150000.00", "city": "0.00", "district": "0.00"},
        "difference_total": "150000.00",
    }
    assert vs["totals"]["difference"] == {
        "province": "450000.00",
        "city": "0.00",
        "district": "0.00",
    }
    assert vs["totals"]["difference_total"] == "450000.00"
    assert (vs["totals"]["base_total"], vs["totals"]["other_total"]) == ("1350000.00", "1800000.00")


def test_a_cheaper_profile_gives_negative_differences(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["plan", "--stations", "3", "--profile", GUANGDONG, "--start", "2024-07-01"]
    code, out, _ = run(capsys, *args, "--vs", "lanzhou-chengguan", "--format", "json")
    assert code == 0
    assert json.loads(out)["vs"]["totals"]["difference_total"] == "-450000.00"


def test_toml_is_the_json_without_nulls(capsys: pytest.CaptureFixture[str]) -> None:
    for extra in ([], ["--vs", GUANGDONG]):
        _, as_json, _ = run(capsys, *BASE, *extra, "--format", "json")
        code, as_toml, _ = run(capsys, *BASE, *extra, "--format", "toml")
        assert code == 0
        expected = {k: v for k, v in json.loads(as_json).items() if v is not None}
        assert tomllib.loads(as_toml) == expected


def test_the_table_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh, _ = run(capsys, *BASE, "--vs", GUANGDONG, "--lang", "zh")
    assert code == 0
    for label in ("省民政厅", "市民政局", "区民政局", "合同签订 60%", "中期评估 30%", "第1年预算"):
        assert label in zh
    assert "3 年合计" in zh and "差额（对比 − 本配置）" in zh and "+150000.00" in zh
    assert "1350000.00" in zh and "contract_signed" not in zh and "province" not in zh
    assert "第2年（2025-07-01 至 2026-06-30）：每站 150000.00 元" in zh
    code, en, _ = run(capsys, *BASE, "--lang", "en")
    assert code == 0
    assert "province civil affairs" in en and "contract_signed 60%" in en
    assert "year 1 budget" in en and "省民政厅" not in en


def test_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *BASE, "--format", "markdown")
    assert code == 0 and out.startswith("# lanzhou-chengguan") and "|---|" in out


def test_a_plan_beyond_the_term_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--years", "4", "--lang", "en")
    assert "the service term is 3 years (TERM-1): from year 4" in out
    _, out, _ = run(capsys, *BASE, "--lang", "en")
    assert "TERM-1" not in out


def test_a_profile_file_relative_to_the_working_directory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = ["plan", "--stations", "2", "--start", "2018-07-01", "--format", "json"]
    code, out, _ = run(capsys, *args, "--profile", "examples/profiles/guangdong-shuangbai.toml")
    assert code == 0
    years = json.loads(out)["years"]
    assert [y["station_value"] for y in years] == ["150000.00", "200000.00", "200000.00"]


# --- exit statuses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "value", "zh", "en"),
    [
        ("--stations", "0", "应为 1 至 100000 的站点数", "expected a number of stations from 1"),
        ("--stations", "-3", "应为 1 至 100000 的站点数", "expected a number of stations from 1"),
        ("--stations", "abc", "应为 1 至 100000 的站点数", "got 'abc'"),
        ("--stations", "3.5", "应为 1 至 100000 的站点数", "got '3.5'"),
        ("--stations", "1e3", "应为 1 至 100000 的站点数", "got '1e3'"),
        ("--stations", "100001", "实为 100001", "to 100000, got 100001"),
        ("--stations", "99999999999", "应为 1 至 100000 的站点数", "got '99999999999'"),
        ("--start", "2024-13-01", "应为形如 2025-01-31 的日期", "expected a date like"),
        ("--start", "2024/07/01", "应为形如 2025-01-31 的日期", "expected a date like"),
        ("--start", "9990-01-01", "的开始日期", "expected a start by the end of"),
        ("--years", "0", "应为 1 至 99 的合同年数", "contract years from 1 to 99"),
        ("--years", "100", "应为 1 至 99 的合同年数", "contract years from 1 to 99"),
        ("--profile", "nowhere", "没有编号为 'nowhere' 的配置", "no profile 'nowhere'"),
        ("--vs", "nowhere", "没有编号为 'nowhere' 的配置", "no profile 'nowhere'"),
    ],
)
def test_bad_arguments_are_exit_2_in_both_languages(
    flag: str, value: str, zh: str, en: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a for a in BASE]
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    for lang, expected in (("zh", zh), ("en", en)):
        try:
            code, out, err = run(capsys, *args, f"--lang={lang}")
        except SystemExit as exc:  # argparse's own refusal of the argument's type
            out, err = capsys.readouterr()
            code = int(str(exc.code))
        assert code == 2 and out == "", (lang, err)
        assert expected in err and "Traceback" not in err, (lang, err)


def test_a_missing_argument_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--stations", "3", "--start", "2024-07-01"])
    assert exc.value.code == 2 and "--profile" in capsys.readouterr().err


def test_a_profile_with_no_value_on_a_years_first_day_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    late = tmp_path / "late.toml"
    data = profiles.to_dict(profiles.builtin())
    for entries in data["parameters"].values():
        entries[0]["from"] = dt.date(2030, 1, 1)
    data["profile"]["id"] = "late"
    import tomli_w

    late.write_text(tomli_w.dumps(data), "utf-8")
    code, out, err = run(
        capsys, "plan", "--stations", "1", "--profile", str(late), "--start", "2029-07-01"
    )
    assert code == 2 and out == "" and "在 2029-07-01 没有生效的值" in err
    code, out, err = run(
        capsys,
        "plan",
        "--lang",
        "en",
        "--stations",
        "1",
        "--profile",
        str(late),
        "--start",
        "2029-07-01",
    )
    assert code == 2 and out == "" and "no value in force on 2029-07-01" in err


def test_a_bad_profile_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[profile]\nid = "x"\nname = "x"\nextends = "lanzhou-chengguan"\n[[parameters.nope]]\nfrom = 2000-01-01\nvalue = 1\n',
        "utf-8",
    )
    code, out, err = run(capsys, *BASE[:4], str(bad), "--start", "2024-07-01", "--lang", "en")
    assert code == 2 and out == "" and "parameters.nope" in err


def test_an_internal_error_is_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sgz_adapters import planning

    def bug(*args: Any) -> Any:
        raise LookupError("a bug")

    monkeypatch.setattr(planning, "core_plan", bug)
    monkeypatch.delenv("SGZ_DEBUG", raising=False)
    code, out, err = run(capsys, *BASE, "--lang", "en")
    assert code == 3 and out == "" and err.startswith("sgz: internal error: LookupError: a bug")


def test_a_plan_has_no_findings_so_never_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("table", "json", "toml", "markdown"):
        assert run(capsys, *BASE, "--vs", GUANGDONG, "--format", fmt)[0] == 0


def test_an_unknown_format_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *BASE, "--format", "xlsx", "--lang", "en")
    assert code == 2 and out == "" and "known: json, markdown, table, toml" in err


# --- the Python API -------------------------------------------------------------------------------


def test_the_service_takes_ids_paths_and_profiles() -> None:
    by_id = sgz.plan(stations=3, profile="lanzhou-chengguan", start=dt.date(2024, 7, 1))
    by_value = sgz.plan(stations=3, profile=profiles.builtin(), start=dt.date(2024, 7, 1))
    assert by_id.plan == by_value.plan and by_id.comparison is None and by_id.kind == "plan"
    with_vs = sgz.plan(
        stations=3, profile=profiles.builtin(), start=dt.date(2024, 7, 1), years=2, vs=GUANGDONG
    )
    assert with_vs.vs is not None and with_vs.vs.id == "guangdong-shuangbai-example"
    assert with_vs.comparison is not None
    assert with_vs.comparison.total == Decimal("300000.00")


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"stations": 0}, "stations"),
        ({"stations": MAX_STATIONS + 1}, "stations"),
        ({"stations": 2.0}, "stations"),
        ({"years": 0}, "years"),
        ({"start": "2024-07-01"}, "start"),
        ({"profile": ""}, "profile"),
        ({"profile": 3}, "profile"),
        ({"vs": "nowhere"}, "vs"),
    ],
)
def test_the_service_refuses_bad_arguments(kwargs: dict[str, Any], path: str) -> None:
    args: dict[str, Any] = {
        "stations": 3,
        "profile": "lanzhou-chengguan",
        "start": dt.date(2024, 7, 1),
    }
    args.update(kwargs)
    with pytest.raises(InvalidArgument) as caught:
        sgz.plan(**args)
    assert isinstance(caught.value, InvalidInput) and caught.value.path == path
    assert caught.value.text.zh != caught.value.text.en


def test_the_service_passes_profile_errors_on() -> None:
    late = profiles.builtin().override("min_station_funding", dt.date(2030, 1, 1), 1)
    assert sgz.plan(stations=1, profile=late, start=dt.date(2030, 1, 1), years=1).plan.total == 1
    empty = profiles.Profile(
        "empty",
        "no values before 2030",
        {
            name: profiles.Parameter(name, (profiles.DatedValue(dt.date(2030, 1, 1), value),))
            for name, value in attrs_values(profiles.builtin().at(profiles.ALWAYS)).items()
        },
    )
    with pytest.raises(ProfileError, match="no value in force on 2029-07-01"):
        sgz.plan(stations=1, profile=empty, start=dt.date(2029, 7, 1))


def attrs_values(policy: profiles.Policy) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(policy, f.name) for f in attrs.fields(profiles.Policy)}


def test_the_json_is_a_contract(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tests/data/json-contract/plan.json`` was written by the first ``sgz plan``; a change to
    it is a change of the public shape (docs/money.md)."""
    monkeypatch.chdir(ROOT)
    vs = ["--years", "2", "--vs", "examples/profiles/guangdong-shuangbai.toml", "--format", "json"]
    capsysbinary.readouterr()
    for lang in ("zh", "en"):
        assert main([*BASE, *vs, "--lang", lang]) == 0
        out, _ = capsysbinary.readouterr()
        assert out == (ROOT / "tests" / "data" / "json-contract" / "plan.json").read_bytes()


# --- a tranche's share in the JSON and TOML, exactly (PAY-1) -------------------------------------


@settings(max_examples=50, deadline=None)
@given(tranches=tranche_plans(places=4))
def test_pay1_json_and_toml_give_every_tranche_share_exactly(
    tranches: tuple[TrancheSpec, ...],
) -> None:
    """PAY-1: a profile's tranche shares may have more than two decimals (12.5% is 0.125). The
    JSON and TOML give each share exactly, as the table does, so the shares still sum to 1; a
    share of two decimals keeps its two (``"0.60"``, docs/money.md)."""
    profile = profiles.builtin().override("tranches", profiles.ALWAYS, tranches)
    result = sgz.plan(stations=3, profile=profile, start=dt.date(2024, 7, 1), years=1)
    data = plan_json(result)
    as_toml = tomllib.loads(tomli_w.dumps(plan_toml_data(result)))
    table = plan_table(result, "en")
    for planned in (data, as_toml):
        shares = [t["share"] for t in planned["years"][0]["tranches"]]
        assert [Decimal(s) for s in shares] == [t.share for t in tranches]
        assert all(len(s.partition(".")[2]) >= 2 for s in shares)
    items = [row[2] for row in table.rows if row[2].endswith("%")]
    assert items == [f"{t.milestone.value} {(t.share * 100).normalize():f}%" for t in tranches]


def test_pay1_a_profile_file_with_a_share_of_three_decimals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: 12.5% / 37.5% / 50% from a profile file: ``"0.125"``, ``"0.375"``, ``"0.50"``."""
    path = ROOT / "tests" / "data" / "eighths-profile.toml"
    args = ["plan", "--stations", "3", "--profile", str(path), "--start", "2024-07-01"]
    code, out, _ = run(capsys, *args, "--years", "1", "--format", "json")
    assert code == 0
    (year,) = json.loads(out)["years"]
    assert [t["share"] for t in year["tranches"]] == ["0.125", "0.375", "0.50"]
    assert [t["per_station"] for t in year["tranches"]] == ["18750.00", "56250.00", "75000.00"]


def test_the_english_title_says_one_station_and_one_year_in_the_singular() -> None:
    one = sgz.plan(stations=1, profile=profiles.builtin(), start=dt.date(2024, 7, 1), years=1)
    assert "budget of 1 station over 1 contract year from" in plan_table(one, "en").title
    three = sgz.plan(stations=3, profile=profiles.builtin(), start=dt.date(2024, 7, 1), years=2)
    assert "budget of 3 stations over 2 contract years from" in plan_table(three, "en").title


def test_the_english_total_row_of_one_year_is_in_the_singular() -> None:
    """The table's total row said "1 years in total" for a one-year plan."""
    one = sgz.plan(stations=1, profile=profiles.builtin(), start=dt.date(2024, 7, 1), years=1)
    items = [row[2] for row in plan_table(one, "en").rows]
    assert "1 year in total" in items and "1 years in total" not in items
    three = sgz.plan(stations=1, profile=profiles.builtin(), start=dt.date(2024, 7, 1), years=3)
    assert "3 years in total" in [row[2] for row in plan_table(three, "en").rows]
    assert "1 年合计" in [row[2] for row in plan_table(one, "zh").rows]


@pytest.mark.parametrize("value", ["-1", "3.5", "abc", "1e2", "٣"])
def test_a_bad_years_is_refused_as_a_number_of_years_not_a_year_number(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--years`` is how many contract years, not which one: argparse's refusal said "a
    contract year number" (合同年序号) while the service says "a number of contract years"."""
    for lang, expected, wrong in (
        ("zh", "应为 1 至 99 的合同年数", "序号"),
        ("en", "expected a number of contract years from 1 to 99", "year number"),
    ):
        with pytest.raises(SystemExit) as exc:
            main([*BASE, "--years", value, f"--lang={lang}"])
        _, err = capsys.readouterr()
        assert exc.value.code == 2 and "--years" in err
        assert expected in err and wrong not in err, err


def test_a_vs_profile_with_no_value_on_a_years_first_day_names_vs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PROF-1: with two profiles, the one with no value in force on a year's first day is named
    (``vs``, else ``profile``); the message said only "parameter 'city' has no value"."""
    late = tmp_path / "late.toml"
    data = profiles.to_dict(profiles.builtin())
    for entries in data["parameters"].values():
        entries[0]["from"] = dt.date(2030, 1, 1)
    data["profile"]["id"] = "late"
    late.write_text(tomli_w.dumps(data), "utf-8")
    for lang, said in (
        ("en", "no value in force on 2024-07-01"),
        ("zh", "在 2024-07-01 没有生效的值"),
    ):
        code, out, err = run(capsys, *BASE, "--vs", str(late), "--lang", lang)
        assert code == 2 and out == "" and err.startswith("sgz: error: vs: ") and said in err, err
    for lang in ("en", "zh"):
        code, out, err = run(
            capsys,
            *BASE[:4],
            str(late),
            "--start",
            "2024-07-01",
            "--vs",
            "lanzhou-chengguan",
            "--lang",
            lang,
        )
        assert code == 2 and out == "" and err.startswith("sgz: error: profile: "), err
    with pytest.raises(ProfileError) as caught:
        sgz.plan(stations=1, profile="lanzhou-chengguan", start=dt.date(2024, 7, 1), vs=str(late))
    assert caught.value.problems[0].path == "vs"


def test_markdown_title_of_a_profile_id_with_a_newline_stays_one_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A profile id may hold any text: its newline split the Markdown heading in two (the
    second half a paragraph); it is escaped as in the table's title (one line)."""
    odd = tmp_path / "odd.toml"
    odd.write_text('[profile]\nid = "x\\ny"\nname = "x"\nextends = "lanzhou-chengguan"\n', "utf-8")
    args = ["plan", "--stations", "1", "--profile", str(odd), "--start", "2024-07-01"]
    code, out, _ = run(capsys, *args, "--years", "1", "--format", "markdown", "--lang", "en")
    first, second = out.splitlines()[:2]
    assert code == 0 and first.startswith("# x") and "budget of 1 station" in first
    assert second == ""


@settings(max_examples=40, deadline=None)
@given(
    base=sgzst.profiles(),
    other=st.none() | sgzst.profiles(),
    stations=sgzst.station_counts(),
    start=sgzst.plan_starts(last=dt.date(2200, 12, 31)),
    years=st.integers(1, 3),
)
def test_pay1_toml_reads_back_to_the_json_of_any_plan(
    base: profiles.Profile,
    other: profiles.Profile | None,
    stations: int,
    start: dt.date,
    years: int,
) -> None:
    """PAY-1, FUND-2: the JSON and TOML reporters give the same data for any profiles (dated
    values, any ratio and tranches), every amount a string exact to the fen that reads back to
    the plan's number."""
    from sgz_adapters import plugins

    result = sgz.plan(stations=stations, profile=base, start=start, years=years, vs=other)
    reporters = plugins.reporter_factories()
    as_json = json.loads(reporters["json"]({}).render(result, lang="en"))
    as_toml = tomllib.loads(reporters["toml"]({}).render(result, lang="zh").decode("utf-8"))
    assert as_toml == {k: v for k, v in as_json.items() if v is not None}
    assert Decimal(as_json["totals"]["total"]) == result.plan.total
    for y, planned in zip(as_json["years"], result.plan.years, strict=True):
        assert Decimal(y["total"]) == planned.total
        for month in y["cash_flow"]:
            assert all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", v) for v in month["levels"].values())
    if other is not None:
        assert result.comparison is not None
        assert Decimal(as_json["vs"]["totals"]["difference_total"]) == result.comparison.total
