"""``sgz evaluate`` (issue 10 §8, PERF-2, PERF-3): a station-year's scorecard, score, grade,
proposed outcome and what the evaluation records, as a table, JSON and Markdown."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sgz_adapters.service as sgz
from sgz_adapters.cli import main
from sgz_adapters.views import json_data, tabulate
from sgz_core import profiles, programme_file
from sgz_core.enums import EvaluationKind, Outcome
from sgz_core.errors import InvalidInput, NotFound
from sgz_core.model import Programme
from sgz_core.performance.scoring import scorecard

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
MID_TERM = dt.date(2026, 1, 12)
ZN2 = ["--station", "zhengning", "--year", "2"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def example() -> Programme:
    return programme_file.loads(EXAMPLE.read_text(encoding="utf-8"), "chengguan.toml")


def with_mid_term(programme: Programme, **changes: Any) -> Programme:
    """The example with zhengning year 2's mid-term changed."""
    stations = []
    for s in programme.stations:
        if s.id == "zhengning":
            years = []
            for y in s.years:
                if y.year == 2:
                    evaluations = tuple(
                        attrs.evolve(e, **changes) if e.date == MID_TERM else e
                        for e in y.evaluations
                    )
                    y = attrs.evolve(y, evaluations=evaluations)
                years.append(y)
            s = attrs.evolve(s, years=tuple(years))
        stations.append(s)
    return attrs.evolve(programme, stations=tuple(stations))


PROGRAMME = example()


def notes(result: Any, lang: str) -> str:
    """The lines under the scorecard's table."""
    return "\n".join(tabulate(result, lang).notes)


def test_the_mid_term_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "evaluate", str(EXAMPLE), *ZN2, "--on", "2026-01-12", "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == [
        "programme",
        "as_of",
        "station",
        "year",
        "on",
        "evaluation",
        "dimensions",
        "indicators",
        "score",
        "grade",
        "grade_en",
        "proposed_outcome",
        "explanation",
        "recorded",
    ]
    assert (data["programme"], data["station"], data["year"]) == ("chengguan-2024", "zhengning", 2)
    assert (data["score"], data["grade"], data["proposed_outcome"]) == ("70.03", "中", "pass")
    assert data["evaluation"]["kind"] == "mid_term" and data["evaluation"]["outcome"] == "correct"
    system = profiles.builtin().at(dt.date(2025, 7, 1)).performance_indicators
    assert [i["indicator"] for i in data["indicators"]] == [i.id for i in system.indicators]
    points = sum(Decimal(i["points"]) for i in data["indicators"])
    assert points == Decimal(data["score"])
    assert sum(Decimal(d["points"]) for d in data["dimensions"]) == points
    assert data["recorded"] == {
        "score": "70.03",
        "computed": "70.03",
        "score_differs": False,
        "outcome": "correct",
        "proposed_outcome": "pass",
        "outcome_differs": True,
        "reason": "档案规范项不合格（抽查档案缺需求评估），虽总分合格仍须限期纠正",
        "reason_missing": False,
    }
    assert data["explanation"][-1].startswith("score 70.03: at least the pass mark 60")


def test_the_table_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh, _ = run(capsys, "evaluate", str(EXAMPLE), *ZN2, "--on", "2026-01-12")
    assert code == 0
    for text in ("中期评估评分卡", "维度", "行政监管", "台账计量", "第三方评估机构", "未评估"):
        assert text in zh
    assert "得分 70.03（满分 100），等级 中，建议结论：通过" in zh
    assert "评估记录结论“限期整改”，按得分建议“通过”：不符" in zh
    assert "理由：档案规范项不合格" in zh
    assert "administrative supervision" not in zh and "not assessed" not in zh
    code, en, _ = run(capsys, "evaluate", str(EXAMPLE), *ZN2, "--on", "2026-01-12", "--lang", "en")
    assert code == 0
    assert "scorecard of zhengning year 2, mid-term evaluation of 2026-01-12" in en
    assert "administrative supervision" in en and "not assessed" in en and "行政监管" not in en
    assert "the evaluation records outcome correct, the score proposes pass: they differ" in en


def test_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "evaluate", str(EXAMPLE), *ZN2, "--on", "2026-01-12", "--format", "markdown"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "# chengguan-2024：zhengning 第2年中期评估评分卡（2026-01-12）"
    assert (
        "| 服务成效 | 服务对象人数（people_served） | 台账计量 | 6 | 8.05 | 15 人 | 7.45/10 |  |"
        in lines
    )
    assert any(line.startswith("得分 70.03") for line in lines)


def test_the_latest_evaluation_on_the_day_or_the_kind_asked_for() -> None:
    final = sgz.evaluate(EXAMPLE, station="zhengning", year=2, on=dt.date(2026, 11, 28))
    assert final.scorecard.evaluation is not None
    assert final.scorecard.evaluation.kind is EvaluationKind.FINAL
    assert (final.scorecard.on, f"{final.scorecard.total}") == (dt.date(2026, 6, 20), "64.03")
    assert final.recorded is not None and not final.recorded.reason_missing
    mid = sgz.evaluate(
        EXAMPLE, station="zhengning", year=2, on=dt.date(2026, 11, 28), evaluation="mid_term"
    )
    assert mid.scorecard.evaluation is not None and mid.scorecard.on == MID_TERM
    assert json_data(mid)["score"] == "70.03"
    with pytest.raises(
        InvalidInput,
        match=r"no final evaluation on or before 2026-01-12.*"
        r"it has: mid_term 2026-01-12, final 2026-06-20",
    ):
        sgz.evaluate(EXAMPLE, station="zhengning", year=2, on=MID_TERM, evaluation="final")


def test_before_any_evaluation_only_measured_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    day = dt.date(2025, 12, 1)
    result = sgz.evaluate(EXAMPLE, station="zhengning", year=2, on=day)
    assert result.scorecard.evaluation is None and result.recorded is None
    assert result.scorecard.on == day
    assessed = [line for line in result.scorecard.lines if not line.indicator.measured]
    assert assessed and all(line.points == 0 and line.note == "not assessed" for line in assessed)
    data = json_data(result)
    assert data["evaluation"] is None and data["recorded"] is None and data["on"] == "2025-12-01"
    code, out, _ = run(capsys, "evaluate", str(EXAMPLE), *ZN2, "--on", "2025-12-01")
    assert code == 0 and "尚无评估" in out and "评估指标按未评估计 0 分" in out


def test_a_bare_score_stands() -> None:
    """Year 1's evaluations carry a score and no assessed results: the recorded score stands."""
    result = sgz.evaluate(EXAMPLE, station="zhengning", year=1, on=dt.date(2025, 6, 30))
    assert result.recorded is not None
    assert (result.recorded.score, result.recorded.computed) == (Decimal(91), None)
    assert result.recorded.proposed is Outcome.PASS and not result.recorded.reason_missing
    zh = notes(result, "zh")
    assert f"计量指标得分 {result.scorecard.total:.2f}（满分 100，评估指标未记录）" in zh
    assert "评估记录得分 91（等级 优，建议结论：通过），未记录各项评估结果：以记录得分为准" in zh
    assert "等级 差" not in zh and "停止拨付" not in zh


def test_an_override_without_a_reason_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    """Today's ``outcome = "pass"`` with ``score = 30`` and no reason: both shown, reason missing."""
    programme = with_mid_term(example(), score=Decimal(30), outcome=Outcome.PASS, reason=None)
    result = sgz.evaluate(programme, station="zhengning", year=2, on=MID_TERM)
    rec = result.recorded
    assert rec is not None
    assert (rec.score, rec.computed, rec.outcome, rec.proposed) == (
        Decimal(30),
        Decimal("70.03"),
        Outcome.PASS,
        Outcome.PASS,
    )
    assert rec.score_differs and not rec.outcome_differs and rec.reason_missing
    zh = notes(result, "zh")
    assert "评估记录得分 30，计算得分 70.03：不符" in zh and "未写明理由（reason）" in zh
    assert "no reason given (PERF-3 warns)" in notes(result, "en")


def override_warned(programme: Programme) -> bool:
    found = sgz.check(programme, on=MID_TERM, only=["PERF-3"]).findings
    return any(
        f.station == "zhengning" and f.year == 2 and "no reason is given" in f.message_en
        for f in found
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    score=st.none() | st.decimals(0, 100, places=2),
    outcome=st.none() | st.sampled_from(list(Outcome)),
    reason=st.none() | st.just("评估组决定"),
)
def test_the_reason_is_missing_exactly_when_perf_3_warns(
    score: Decimal | None, outcome: Outcome | None, reason: str | None
) -> None:
    if score is None and outcome is None:
        outcome = Outcome.PASS
    programme = with_mid_term(PROGRAMME, score=score, outcome=outcome, reason=reason)
    result = sgz.evaluate(programme, station="zhengning", year=2, on=MID_TERM)
    assert result.recorded is not None
    assert result.recorded.reason_missing == override_warned(programme)
    assert result.recorded.score_differs == (score is not None and score != Decimal("70.03"))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--station", "nowhere", "--year", "2"], "no station 'nowhere'; known: zhengning"),
        (["--station", "zhengning", "--year", "9"], "no contract year 9; known: 1, 2, 3"),
        (["--station", "zhengning", "--year", "0"], "year: expected a contract year number"),
        (["--station", "zhengning", "--year", "100"], "year: expected a contract year number"),
        (["--station", "", "--year", "2"], "station: expected a station id"),
        (
            ["--station", "zhengning", "--year", "3"],
            "on: year 3 begins on 2026-07-01, after 2026-01-12; there is nothing to score yet",
        ),
        (["--station", "zhengning", "--year", "2", "--evaluation", "final"], "no final evaluation"),
    ],
)
def test_bad_arguments_exit_2(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "evaluate", str(EXAMPLE), *flags, "--on", "2026-01-12", "--lang", "en"
    )
    assert code == 2 and out == "" and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"year": None}, InvalidInput, "year: expected a contract year number"),
        ({"year": True}, InvalidInput, "year: expected a contract year number"),
        ({"evaluation": "annual"}, InvalidInput, "evaluation: expected one of mid_term, final"),
        ({"station": None}, InvalidInput, "station: expected a station id"),
        ({"on": "2026-01-12"}, InvalidInput, "on: expected a date"),
        ({"station": "nowhere"}, NotFound, "no station 'nowhere'"),
    ],
)
def test_the_api_checks_its_arguments(kwargs: dict[str, Any], error: type, message: str) -> None:
    arguments: dict[str, Any] = {"station": "zhengning", "year": 2, "on": MID_TERM, **kwargs}
    with pytest.raises(error, match=message):
        sgz.evaluate(EXAMPLE, **arguments)


def test_sqlite_gives_the_files_scorecard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'sgz.db'}"
    sgz.import_programme(EXAMPLE, db=url)
    for day in ("2025-12-01", "2026-01-12", "2026-11-28"):
        flags = [*ZN2, "--on", day, "--format", "json"]
        code_file, from_file, _ = run(capsys, "evaluate", str(EXAMPLE), *flags)
        code_db, from_db, err = run(capsys, "evaluate", "--db", url, *flags)
        assert (code_db, from_db) == (code_file, from_file), err
        values = {i["indicator"]: i["value"] for i in json.loads(from_db)["indicators"]}
        # counted in the database, not from the ledger-less programme it loads
        assert values["people_served"] != "0.00" and values["service_hours"] != "0.00"


@pytest.mark.parametrize(
    ("year", "day"),
    [(1, "2025-06-30"), (1, "2026-01-12"), (2, "2025-12-01"), (2, "2026-01-12"), (2, "2026-11-28")],
)
def test_the_service_card_is_the_cores(year: int, day: str) -> None:
    """The use case builds the core's ``scorecard()`` (it only counts elsewhere for ``--db``)."""
    on = dt.date.fromisoformat(day)
    got = sgz.evaluate(PROGRAMME, station="zhengning", year=year, on=on).scorecard
    assert got == scorecard(PROGRAMME, profiles.builtin(), "zhengning", year, on)
