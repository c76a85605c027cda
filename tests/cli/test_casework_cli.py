"""``sgz worklist`` and ``sgz stats`` as users run them; ID numbers masked in every output."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters.cli import main
from sgz_core import programme_file
from sgz_core.model import Programme, add_years
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
FULL_NUMBERS = [
    b.id_number
    for b in programme_file.loads(EXAMPLE.read_text("utf-8"), "x").beneficiaries
    if b.id_number
]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def assert_masked(text: str, numbers: list[str]) -> None:
    for number in numbers:
        assert number not in text
        assert number.lower() not in text


def test_worklist_json(tmp_path: Path) -> None:
    code, out, _ = run(
        "worklist", str(EXAMPLE), "--station", "zhengning", "--on", "2025-11-24", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["programme", "station", "as_of", "items"]
    assert (data["programme"], data["station"], data["as_of"]) == (
        "chengguan-2024",
        "zhengning",
        "2025-11-24",
    )
    first = data["items"][0]
    assert set(first) == {
        "kind",
        "priority",
        "category",
        "groups",
        "beneficiary",
        "name",
        "id_number",
        "domain",
        "due",
        "last_visit",
        "days_overdue",
        "case",
        "stage",
        "since",
        "worker",
        "assistance",
    }
    assert [i["kind"] for i in data["items"]] == [
        "open_case",
        "overdue_visit",
        "overdue_visit",
        "open_case",
        "open_case",
        "due_visit",
        "discovery",
    ]
    priorities = [i["priority"] for i in data["items"] if i["priority"] is not None]
    assert priorities == sorted(priorities) and data["items"][-1]["priority"] is None
    overdue = data["items"][2]
    assert overdue == {
        "kind": "overdue_visit",
        "priority": 7,
        "category": "disabled_elderly",
        "groups": ["old"],
        "beneficiary": "zn-002",
        "name": "刘长顺",
        "id_number": "6201**********0118",
        "domain": "elderly",
        "due": "2025-11-09",
        "last_visit": "2025-10-09",
        "days_overdue": 15,
        "case": None,
        "stage": None,
        "since": None,
        "worker": "",
        "assistance": [],
    }
    assert_masked(out, FULL_NUMBERS)


def test_worklist_table() -> None:
    code, out, _ = run("worklist", str(EXAMPLE), "--station", "zhengning", "--on", "2025-11-24")
    assert code == 0
    assert "探访逾期" in out and "zn-c002" in out and "6201**********028X" in out
    assert "最低生活保障" in out and "overdue_visit" not in out
    assert_masked(out, FULL_NUMBERS)
    code, out, _ = run(
        "worklist", str(EXAMPLE), "--station", "zhengning", "--on", "2025-11-24", "--lang", "en"
    )
    assert code == 0
    assert "overdue_visit" in out and "zn-c002" in out and "6201**********028X" in out
    assert "minimum_allowance" in out
    assert_masked(out, FULL_NUMBERS)
    code, out, _ = run("worklist", str(EXAMPLE), "--station", "zhanjiaguaizi", "--on", "2025-11-24")
    assert code == 0 and "没有待办事项" in out
    code, out, _ = run(
        "worklist", str(EXAMPLE), "--station", "zhanjiaguaizi", "--on", "2025-11-24", "--lang", "en"
    )
    assert code == 0 and "nothing due" in out


def test_worklist_needs_a_known_station() -> None:
    code, out, err = run("worklist", str(EXAMPLE), "--station", "nowhere")
    assert code == 2 and out == "" and "没有社工站 'nowhere'" in err and "zhengning" in err
    code, out, err = run("worklist", str(EXAMPLE), "--station", "nowhere", "--lang", "en")
    assert code == 2 and out == "" and "no station 'nowhere'" in err and "zhengning" in err
    code, _, err = run("worklist", str(EXAMPLE))
    assert code == 2 and "--station" in err


def test_stats_json() -> None:
    code, out, _ = run(
        "stats",
        str(EXAMPLE),
        "--station",
        "zhengning",
        "--year",
        "2",
        "--on",
        "2025-11-24",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["programme", "as_of", "station", "year", "counts", "total"]
    assert {(c["station"], c["year"]) for c in data["counts"]} == {("zhengning", 2)}
    elderly = next(c for c in data["counts"] if c["domain"] == "elderly")
    assert elderly["visits"] == {"done": 3, "due": 11}
    assert elderly["people_by_category"] == {
        "disabled_elderly": 1,
        "elderly_alone": 1,
        "minimum_allowance": 1,
    }
    total = data["total"]
    assert total["people"] == 6 and total["records"] == 13 and total["service_hours"] == "16"
    assert total["cases"] == {"opened": 2, "closed": 1, "reopened": 0}
    assert total["referrals"] == {
        "in_progress": 1,
        "accepted": 0,
        "rejected": 1,
        "withdrawn": 0,
        "done": 1,
    }
    assert total["volunteer_hours"] == "12" and total["administrative"] == {
        "records": 1,
        "hours": "3",
    }
    assert total["linkage"]["resources_money"] == "5000.00"
    assert total["linkage"]["publicity"] == {"internet": 1, "newspaper": 1}
    assert total["linkage"]["training_hours"] == "6"


def test_stats_table_and_filters() -> None:
    code, out, _ = run("stats", str(EXAMPLE), "--on", "2025-11-24")
    assert code == 0 and "合计" in out and "五社联动" in out and "养老服务" in out
    code, out, _ = run("stats", str(EXAMPLE), "--on", "2025-11-24", "--lang", "en")
    assert (
        code == 0
        and "yanbin" in out
        and "zhengning" in out
        and "total" in out
        and "linkage:" in out
    )
    code, out, _ = run(
        "stats", str(EXAMPLE), "--year", "9", "--on", "2025-11-24", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["counts"] == [] and data["total"]["people"] == 0
    code, _, err = run("stats", str(EXAMPLE), "--station", "nowhere", "--lang", "en")
    assert code == 2 and "no station" in err


@pytest.mark.parametrize("command", ["check", "worklist", "stats", "schedule"])
def test_an_impossible_case_history_is_exit_2_with_its_key_path(
    tmp_path: Path, command: str
) -> None:
    text = EXAMPLE.read_text("utf-8")
    old = 'stage = "closed"\ndate = 2025-11-21'
    assert old in text
    bad = tmp_path / "bad.toml"
    # zn-c005: review → closed becomes review → intake
    bad.write_text(text.replace(old, 'stage = "intake"\ndate = 2025-11-21'), "utf-8")
    extra = ["--station", "zhengning"] if command == "worklist" else []
    code, out, err = run(command, str(bad), *extra, "--format", "json", "--lang", "en")
    assert code == 2 and out == ""
    assert (
        str(bad) in err
        and "cases[4].history[6].stage" in err
        and "cannot move from review to intake" in err
    )
    assert "Traceback" not in err
    code, out, err = run(command, str(bad), *extra, "--format", "json", "--lang", "zh")
    assert code == 2 and out == ""
    assert "cases[4].history[6].stage: 个案 'zn-c005' 不能从 review 阶段转到 intake 阶段" in err


def test_check_exit_1_for_station_money_paying_administrative_work(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8")
    old = "administrative = true\n"
    bad = tmp_path / "paid.toml"
    bad.write_text(text.replace(old, old + 'fund = "district"\n'), "utf-8")
    code, out, _ = run("check", str(bad), "--on", "2025-12-01", "--format", "json")
    assert code == 1
    errors = [
        (f["rule"], f["station"]) for f in json.loads(out)["findings"] if f["severity"] == "error"
    ]
    assert errors == [("SCOPE-2", "zhengning")]


# --- property: no rendered string ever holds a full ID number ---------------------------------


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programme=s.casework_programmes(max_people=6, max_records=6), data=st.data())
def test_no_output_ever_contains_a_full_id_number(
    programme: Programme, data: st.DataObject
) -> None:
    numbers = [b.id_number for b in programme.beneficiaries if b.id_number]
    on = data.draw(st.dates(programme.start, add_years(programme.start, 3))).isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.toml"
        path.write_text(programme_file.dumps(programme), "utf-8")
        outputs = []
        for fmt in ("json", "table"):
            outputs.append(run("stats", str(path), "--on", on, "--format", fmt))
            outputs.append(run("check", str(path), "--on", on, "--format", fmt))
            for station in programme.stations:
                outputs.append(
                    run("worklist", str(path), "--station", station.id, "--on", on, "--format", fmt)
                )
    for code, out, err in outputs:
        assert code in (0, 1), err
        assert_masked(out + err, numbers)
    for b in programme.beneficiaries:
        assert_masked(repr(b) + str(b), numbers)


def test_the_masking_pattern_comes_from_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "masked.toml"
    profile.write_text(
        '[profile]\nid = "strict"\nname = "strict"\nextends = "lanzhou-chengguan"\n\n'
        '[[parameters.id_number_mask]]\nfrom = 2000-01-01\nvalue = { keep_start = 2, keep_end = 1, fill = "#" }\n',
        "utf-8",
    )
    text = EXAMPLE.read_text("utf-8").replace(
        'profile = "lanzhou-chengguan"', f'profile = "{profile.name}"', 1
    )
    programme = tmp_path / "p.toml"
    programme.write_text(text, "utf-8")
    code, out, _ = run(
        "worklist",
        str(programme),
        "--station",
        "zhengning",
        "--on",
        "2025-11-24",
        "--format",
        "json",
    )
    assert code == 0
    shown = {i["beneficiary"]: i["id_number"] for i in json.loads(out)["items"]}
    assert shown["zn-002"] == "62###############8"
