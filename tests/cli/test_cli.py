"""The command line as users run it: exit status, JSON shapes, error messages (programme-format.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sgz_adapters.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_example_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", "2026-11-28", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["programme", "as_of", "findings", "summary"]
    assert data["programme"] == "chengguan-2024"
    assert data["as_of"] == "2026-11-28"
    assert data["summary"]["error"] == 0
    for f in data["findings"]:
        assert {"rule", "severity", "station", "year", "message"} <= set(f)
        assert f["severity"] in ("error", "warning", "notice")


def test_check_table_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", "2026-11-28")
    assert code == 0 and "chengguan-2024" in out and "错误 0" in out and "提示" in out
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", "2026-11-28", "--lang", "en")
    assert code == 0 and "chengguan-2024" in out and "0 error" in out
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", "2026-11-28", "--format", "markdown")
    assert code == 0 and "| rule | severity |" in out
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", "2026-11-28", "--lang", "en")
    assert "should set up over time" in out


def test_error_findings_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "activity_area_m2 = 220", "activity_area_m2 = 120"
    )
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--on", "2026-11-28", "--format", "json")
    assert code == 1
    rules = [
        (f["rule"], f["station"]) for f in json.loads(out)["findings"] if f["severity"] == "error"
    ]
    assert rules == [("SITE-1", "zhengning")]


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"),
    [
        (
            'qualification = "assistant"',
            'qualification = "master"',
            "stations[0].staff[1].qualification",
            "one of none | assistant | intermediate | senior",
        ),
        (
            "activity_area_m2 = 220",
            "activity_area = 220",
            "stations[0].premises.activity_area",
            "unknown key",
        ),
        (
            "amount = 12000",
            "amount = -12000",
            "stations[0].years[0].expenses[0].amount",
            "zero or more",
        ),
        ("start = 2024-07-01", 'start = "July"', "programme.start", "a TOML date like"),
        (
            'contractor = "anning"',
            'contractor = "nobody"',
            "stations[2].contractor",
            "unknown contractor",
        ),
    ],
)
def test_bad_input_exit_2_with_file_and_key_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, path: str, expected: str
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in ("check", "schedule", "plaques"):
        code, out, err = run(capsys, command, str(bad), "--format", "json", "--lang", "en")
        assert code == 2
        assert out == ""
        assert str(bad) in err and path in err and expected in err
        assert "Traceback" not in err


def test_schedule_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schedule", str(EXAMPLE), "--on", "2025-03-01", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2025-03-01"
    first = data["tranches"][0]
    assert first == {
        "station": "zhengning",
        "year": 1,
        "milestone": "contract_signed",
        "share": "0.60",
        "amount": "90000.00",
        "status": "due",
        "date": "2024-07-01",
        "payment": None,  # a file records no payments
    }
    lot3 = [t for t in data["tranches"] if t["station"] == "zhanjiaguaizi" and t["year"] == 1]
    assert [t["amount"] for t in lot3] == ["90000.01", "45000.00", "15000.00"]
    assert [t["status"] for t in lot3] == ["due", "due", "pending"]
    assert lot3[2]["date"] is None


def test_plaques(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plaques", str(EXAMPLE), "--format", "json")
    data = json.loads(out)
    texts = [p["text"] for p in data["plaques"] if p["station"] == "zhengning"]
    assert texts == [
        "兰州市城关区白银路街道社会工作服务站",
        "兰州市城关区白银路街道未成年人保护工作站",
    ]
    assert code == 0 and all(p["shown"] for p in data["plaques"])


def test_profile_show_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profile", "show")
    assert code == 0 and "[profile]" in out and "min_station_funding" in out
    saved = tmp_path / "copy.toml"
    saved.write_text(out, encoding="utf-8")
    code, again, _ = run(capsys, "profile", "show", str(saved))
    assert code == 0 and again == out
    code, _, err = run(capsys, "profile", "show", "no-such-profile")
    assert code == 2 and "lanzhou-chengguan" in err


def test_bad_date_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(EXAMPLE), "--on", "yesterday"])
    assert exc.value.code == 2
    assert "应为形如 2025-01-31 的日期" in capsys.readouterr().err  # the default language
    with pytest.raises(SystemExit) as exc:
        main(["check", str(EXAMPLE), "--on", "yesterday", "--lang", "en"])
    assert exc.value.code == 2
    assert "expected a date" in capsys.readouterr().err


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    ids = [r["rule"] for r in json.loads(out)]
    assert code == 0 and "STAFF-2" in ids and "PAY-1" in ids


def test_installed_script_runs() -> None:
    local = Path(sys.executable).parent / "sgz"
    exe = str(local) if local.exists() else shutil.which("sgz")
    assert exe, "the sgz script is not installed (pip install -e .)"
    proc = subprocess.run(
        [exe, "check", str(EXAMPLE), "--on", "2026-11-28", "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["error"] == 0


def test_a_day_before_the_profile_starts_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    early = tmp_path / "early.toml"
    early.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("start = 2024-07-01", "start = 1999-07-01"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", str(early), "--on", "1999-08-01", "--lang", "en")
    assert code == 2 and out == ""
    assert str(early) in err and "no value in force on 1999-08-01" in err
    code, out, err = run(capsys, "check", str(early), "--on", "1999-08-01", "--lang", "zh")
    assert code == 2 and out == ""
    assert str(early) in err and "在 1999-08-01 没有生效的值" in err


def test_pay1_schedule_gives_a_share_of_three_decimals_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAY-1: a profile's tranche shares may have more than two decimals (12.5% is 0.125). The
    schedule's JSON and table give each share exactly, so they still sum to 1; a share of two
    decimals keeps its two (``"0.50"``)."""
    shutil.copyfile(ROOT / "tests" / "data" / "eighths-profile.toml", tmp_path / "eighths.toml")
    text = EXAMPLE.read_text(encoding="utf-8")
    assert 'profile = "lanzhou-chengguan"' in text
    programme = tmp_path / "programme.toml"
    programme.write_text(
        text.replace('profile = "lanzhou-chengguan"', 'profile = "eighths.toml"', 1),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "schedule", str(programme), "--on", "2025-03-01", "--format", "json")
    assert code == 0
    shares = [t["share"] for t in json.loads(out)["tranches"][:3]]
    assert shares == ["0.125", "0.375", "0.50"]
    code, out, _ = run(capsys, "schedule", str(programme), "--on", "2025-03-01", "--lang", "en")
    assert code == 0
    assert "0.125" in out and "0.375" in out and "0.12 " not in out and "0.38 " not in out
