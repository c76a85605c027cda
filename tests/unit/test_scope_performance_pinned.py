"""TERM-1, LOT-1, PERF-1 and PERF-2 pinned: whole findings in both languages, deadlines on the
day and the day after, the monitoring tolerance at its edge (issue 13, issue 9 §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from sgz_core import profiles
from sgz_core.enums import EvaluationKind, Outcome, Qualification, Severity, StaffRole
from sgz_core.findings import Finding
from sgz_core.model import Evaluation, Programme, Result, StaffMember, Station, Target
from sgz_core.performance.scoring import elapsed_share
from sgz_core.performance.staffing import Shortfall, dated, shortfalls
from sgz_core.performance.types import Evaluator
from sgz_core.profiles import Profile
from sgz_core.programme_file import loads
from sgz_core.rules import check

EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"
AS_OF = dt.date(2025, 12, 1)
ERROR, WARNING, NOTICE = Severity.ERROR, Severity.WARNING, Severity.NOTICE
KNOWN = (
    "financial_compliance, daily_management, people_served, service_hours, visit_rate, "
    "satisfaction, cases_closed, referrals_done, training_hours, file_quality, "
    "corrective_follow_up, volunteer_hours, organisations, publicity, community_rating"
)


@pytest.fixture(scope="module")
def example() -> Programme:
    return loads(EXAMPLE_PATH.read_text(encoding="utf-8"), str(EXAMPLE_PATH))


def run(
    programme: Programme, rule_id: str, as_of: dt.date = AS_OF, profile: Profile | None = None
) -> list[Finding]:
    return check(programme, profile or profiles.builtin(), as_of, only=[rule_id])


def with_station(programme: Programme, station_id: str, **changes: Any) -> Programme:
    stations = tuple(
        attrs.evolve(s, **changes) if s.id == station_id else s for s in programme.stations
    )
    return attrs.evolve(programme, stations=stations)


def with_year(programme: Programme, station_id: str, number: int, **changes: Any) -> Programme:
    station = programme.station(station_id)
    years = tuple(attrs.evolve(y, **changes) if y.year == number else y for y in station.years)
    return with_station(programme, station_id, years=years)


def evaluation(
    kind: str, day: dt.date, *, score: int | None = None, outcome: str | None = None
) -> Evaluation:
    return Evaluation(
        EvaluationKind(kind), day, score=score, outcome=Outcome(outcome) if outcome else None
    )


def f(rule: str, sev: Severity, station: str | None, year: int | None, zh: str, en: str) -> Finding:
    return Finding(rule, sev, station, year, zh, en)


# --- LOT-1 -------------------------------------------------------------------------------------


def test_lot1_every_message(example: Programme) -> None:
    p = with_station(example, "zhengning", communities=("别的社区",))
    p = with_station(p, "yanbin", lot=None)
    p = with_station(p, "zhanjiaguaizi", lot=4)
    assert run(p, "LOT-1") == [
        f(
            "LOT-1",
            ERROR,
            "zhengning",
            None,
            "包号1还应服务正宁路社区。",
            "Lot 1 must also serve 正宁路社区.",
        ),
        f("LOT-1", ERROR, "yanbin", None, "本站未标明包号。", "The station names no lot."),
        f(
            "LOT-1",
            ERROR,
            "zhanjiaguaizi",
            None,
            "本站的包号4不存在（应为1, 2, 3之一）。",
            "Lot 4 does not exist (expected one of 1, 2, 3).",
        ),
        f(
            "LOT-1",
            ERROR,
            None,
            None,
            "包号2（雁园街道）没有站点。",
            "Lot 2 (雁园街道) has no station.",
        ),
        f(
            "LOT-1",
            ERROR,
            None,
            None,
            "包号3（皋兰路街道）没有站点。",
            "Lot 3 (皋兰路街道) has no station.",
        ),
    ]


def test_lot1_a_lot_taken_twice_and_the_wrong_street(example: Programme) -> None:
    p = with_station(example, "yanbin", lot=1, communities=("正宁路社区",))
    assert run(p, "LOT-1") == [
        f(
            "LOT-1",
            ERROR,
            "yanbin",
            None,
            "包号1已由站点“zhengning”承接，每包只设一站。",
            "Lot 1 already has station 'zhengning', and each lot has one station.",
        ),
        f(
            "LOT-1",
            ERROR,
            "yanbin",
            None,
            "包号1应在白银路街道，而本站在雁园街道。",
            "Lot 1 is on 白银路街道, not on 雁园街道.",
        ),
        f(
            "LOT-1",
            ERROR,
            None,
            None,
            "包号2（雁园街道）没有站点。",
            "Lot 2 (雁园街道) has no station.",
        ),
    ]


def test_lot1_is_silent_when_the_profile_lists_no_lots(example: Programme) -> None:
    p = with_station(example, "yanbin", lot=None)
    none = profiles.builtin().override("lots", profiles.ALWAYS, ())
    assert run(p, "LOT-1", profile=none) == []


# --- TERM-1 ------------------------------------------------------------------------------------


def test_term1_a_contract_signed_after_its_year(example: Programme) -> None:
    p = with_year(example, "yanbin", 1, signed=dt.date(2025, 7, 1))
    assert run(p, "TERM-1") == [
        f(
            "TERM-1",
            WARNING,
            "yanbin",
            1,
            "第1年合同签订日2025-07-01晚于该合同年结束日2025-06-30。",
            "In year 1 the contract was signed on 2025-07-01, after the contract year ended on "
            "2025-06-30.",
        )
    ]
    # signed on the year's last day is in time
    assert run(with_year(example, "yanbin", 1, signed=dt.date(2025, 6, 30)), "TERM-1") == []


def test_term1_an_evaluation_outside_its_year_and_on_its_last_day(example: Programme) -> None:
    y1 = example.station("yanbin").year(1)
    late = evaluation("final", dt.date(2025, 7, 1), score=90)
    assert run(with_year(example, "yanbin", 1, evaluations=(*y1.evaluations, late)), "TERM-1") == [
        f(
            "TERM-1",
            WARNING,
            "yanbin",
            1,
            "第1年末期评估日期2025-07-01不在该合同年（2024-07-01至2025-06-30）内。",
            "In year 1 the final evaluation of 2025-07-01 is outside the contract year "
            "(2024-07-01 to 2025-06-30).",
        )
    ]
    last = evaluation("final", dt.date(2025, 6, 30), score=90)
    assert run(with_year(example, "yanbin", 1, evaluations=(*y1.evaluations, last)), "TERM-1") == []
    first = evaluation("mid_term", dt.date(2024, 7, 1), score=90)
    assert (
        run(with_year(example, "yanbin", 1, evaluations=(first, *y1.evaluations)), "TERM-1") == []
    )
    before = evaluation("mid_term", dt.date(2024, 6, 30), score=90)
    found = run(with_year(example, "yanbin", 1, evaluations=(before, *y1.evaluations)), "TERM-1")
    assert [x.message for x in found] == [
        "第1年中期评估日期2024-06-30不在该合同年（2024-07-01至2025-06-30）内。"
    ]


def test_term1_a_renewal_after_a_stop(example: Programme) -> None:
    y1 = example.station("yanbin").year(1)
    stopped = (y1.evaluations[0], evaluation("final", dt.date(2025, 6, 25), outcome="stop"))
    assert run(with_year(example, "yanbin", 1, evaluations=stopped), "TERM-1") == [
        f(
            "TERM-1",
            ERROR,
            "yanbin",
            2,
            "第1年已于2025-06-25决定停止执行，第2年仍续签了合同。",
            "Year 2 was renewed although year 1 was stopped on 2025-06-25.",
        )
    ]


def test_term1_a_renewal_after_a_failed_final_without_a_reason(example: Programme) -> None:
    y1 = example.station("yanbin").year(1)
    failed = (y1.evaluations[0], evaluation("final", dt.date(2025, 6, 25), score=50))
    assert run(with_year(example, "yanbin", 1, evaluations=failed), "TERM-1") == [
        f(
            "TERM-1",
            WARNING,
            "yanbin",
            2,
            "第1年末期评估未通过（限期整改），第2年续签却未记录理由（renewal_reason）。",
            "Year 2 was renewed after year 1's final evaluation said correct, with no "
            "renewal_reason recorded.",
        )
    ]
    # a final at exactly the pass mark passes: nothing to explain
    at_mark = (y1.evaluations[0], evaluation("final", dt.date(2025, 6, 25), score=60))
    assert run(with_year(example, "yanbin", 1, evaluations=at_mark), "TERM-1") == []


def test_term1_a_deadline_on_the_day_and_the_day_after(example: Programme) -> None:
    late = with_year(example, "yanbin", 2, evaluations=())
    assert run(late, "TERM-1", as_of=dt.date(2026, 1, 30)) == []
    assert run(late, "TERM-1", as_of=dt.date(2026, 1, 31)) == [
        f(
            "TERM-1",
            WARNING,
            "yanbin",
            2,
            "第2年中期评估应于2026-01-30前完成，至今未见记录。",
            "In year 2 the mid-term evaluation was due by 2026-01-30 and is not recorded.",
        )
    ]
    # an evaluation on the deadline itself is in time
    on_time = with_year(
        example, "yanbin", 2, evaluations=(evaluation("mid_term", dt.date(2026, 1, 30), score=80),)
    )
    assert run(on_time, "TERM-1", as_of=dt.date(2026, 1, 31)) == []
    # a late one recorded on the day checked is recorded
    late_one = with_year(
        example, "yanbin", 2, evaluations=(evaluation("mid_term", dt.date(2026, 1, 31), score=80),)
    )
    assert run(late_one, "TERM-1", as_of=dt.date(2026, 1, 31)) == []


# --- PERF-1 ------------------------------------------------------------------------------------


def test_perf1_the_warning_and_the_notice_word_for_word(example: Programme) -> None:
    raised = tuple(
        Target(t.indicator, Decimal(400)) if t.indicator == "service_hours" else t
        for t in example.station("zhengning").year(2).targets
    )
    raised_example = with_year(example, "zhengning", 2, targets=raised)
    # an earlier day checked first must not leave its counts behind for the later one
    early = [x for x in run(raised_example, "PERF-1", dt.date(2025, 8, 1)) if x.severity is WARNING]
    assert all("on 2025-08-01" in x.message_en for x in early)
    assert run(raised_example, "PERF-1") == [
        f(
            "PERF-1",
            WARNING,
            "zhengning",
            2,
            "第2年指标“专业服务时数”至2025-12-01为16小时，按进度应达168.77（全年目标400），偏离超过20%。",
            "In year 2 service hours (service_hours) is 16 小时 on 2025-12-01, against 168.77 due "
            "by now (target 400 for the year), and is projected to miss by more than 20%.",
        ),
        f(
            "PERF-1",
            NOTICE,
            "yanbin",
            2,
            "第2年未设定绩效目标（targets），因此未作进度监控。",
            "In year 2 no targets are set, so progress is not monitored.",
        ),
        f(
            "PERF-1",
            NOTICE,
            "zhanjiaguaizi",
            2,
            "第2年未设定绩效目标（targets），因此未作进度监控。",
            "In year 2 no targets are set, so progress is not monitored.",
        ),
    ]


# --- PERF-2 ------------------------------------------------------------------------------------


def test_perf2_targets_word_for_word(example: Programme) -> None:
    targets = (
        *example.station("zhengning").year(2).targets,
        Target("happiness", Decimal(1)),
        Target("people_served", Decimal(10), unit="小时"),
    )
    assert run(with_year(example, "zhengning", 2, targets=targets), "PERF-2") == [
        f(
            "PERF-2",
            ERROR,
            "zhengning",
            2,
            "第2年目标第9条的指标“happiness”不在指标体系中。",
            f"In year 2 target 9 names indicator 'happiness', which is not one of {KNOWN}.",
        ),
        f(
            "PERF-2",
            ERROR,
            "zhengning",
            2,
            "第2年目标第10条的单位“小时”与指标“服务对象人数”的单位“人”不符。",
            "In year 2 target 10 has unit '小时', which does not match people_served's unit '人'.",
        ),
        f(
            "PERF-2",
            ERROR,
            "zhengning",
            2,
            "第2年目标第10条重复设定指标“服务对象人数”。",
            "In year 2 target 10 sets people_served a second time.",
        ),
    ]


def test_perf2_results_word_for_word(example: Programme) -> None:
    e = attrs.evolve(
        evaluation("mid_term", dt.date(2026, 1, 12), score=70),
        results=(
            Result("satisfaction", value=Decimal(90), evaluator=Evaluator.COMMUNITY),
            Result("file_quality", points=Decimal(8)),
            Result("people_served", value=Decimal(3)),
            Result("nope", points=Decimal(1)),
            Result("file_quality", points=Decimal(5), evaluator=Evaluator.THIRD_PARTY),
        ),
        reason="测试",
    )
    where = "第2年中期评估（2026-01-12）结果"
    where_en = "In year 2 result {} of the mid-term evaluation of 2026-01-12"
    assert run(with_year(example, "zhengning", 2, evaluations=(e,)), "PERF-2") == [
        f(
            "PERF-2",
            WARNING,
            "zhengning",
            2,
            f"{where}第1条中“服务对象满意度”应由第三方评估机构评分，而非社区居委会。",
            f"{where_en.format(1)} has satisfaction scored by the community committee, but the "
            "third-party evaluator scores it.",
        ),
        f(
            "PERF-2",
            WARNING,
            "zhengning",
            2,
            f"{where}第2条中“档案规范”得分8，超过其权重5。",
            f"{where_en.format(2)} gives 8 points for file_quality, more than its weight 5.",
        ),
        f(
            "PERF-2",
            WARNING,
            "zhengning",
            2,
            f"{where}第3条为“服务对象人数”评分，但该指标由台账计量，不应另行评分。",
            f"{where_en.format(3)} scores people_served, which is measured from the records, "
            "not assessed.",
        ),
        f(
            "PERF-2",
            ERROR,
            "zhengning",
            2,
            f"{where}第4条的指标“nope”不在指标体系中。",
            f"{where_en.format(4)} names indicator 'nope', which is not one of {KNOWN}.",
        ),
    ]


# --- STAFF-1, STAFF-2 over time: the allowed shortfall days at their edge --------------------


def _resident(name: str, start: str, end: str | None, **more: Any) -> StaffMember:
    return StaffMember(
        name,
        StaffRole.RESIDENT,
        "hexin",
        more.pop("qualification", Qualification.ASSISTANT),
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end) if end else None,
        **more,
    )


def test_staff1_an_ongoing_spell_of_exactly_the_allowed_days_and_one_more(
    example: Programme,
) -> None:
    p = with_station(
        example,
        "yanbin",
        staff=(
            _resident("张静", "2024-07-01", None),
            _resident("陈晓燕", "2024-07-01", "2025-10-31"),
        ),
    )
    # short from 2025-11-01: 30 days on 2025-11-30 (the profile allows 30), 31 on 2025-12-01
    assert run(p, "STAFF-1", as_of=dt.date(2025, 11, 30)) == [
        f(
            "STAFF-1",
            WARNING,
            "yanbin",
            None,
            "自2025-11-01起本站驻站社工仅1名，少于规定的2名，已持续30天，尚在允许的30天之内。",
            "Since 2025-11-01 the station has had 1 resident social worker(s), fewer than the "
            "required 2, for 30 days, within the 30 the profile allows.",
        )
    ]
    assert run(p, "STAFF-1", as_of=dt.date(2025, 12, 1)) == [
        f(
            "STAFF-1",
            ERROR,
            "yanbin",
            None,
            "自2025-11-01起本站驻站社工仅1名，少于规定的2名，已持续31天（允许30天）。",
            "Since 2025-11-01 the station has had 1 resident social worker(s), fewer than the "
            "required 2, for 31 days (the profile allows 30).",
        )
    ]
    # a profile allowing 31 days keeps the 31st a warning
    lenient = profiles.builtin().override("staff_shortfall_days", profiles.ALWAYS, 31)
    assert [x.severity for x in run(p, "STAFF-1", dt.date(2025, 12, 1), lenient)] == [WARNING]


def test_staff1_a_past_spell_of_the_allowed_days_and_one_more(example: Programme) -> None:
    def spell(back: str) -> Programme:
        return with_station(
            example,
            "yanbin",
            staff=(
                _resident("张静", "2024-07-01", None),
                _resident("陈晓燕", "2024-07-01", "2025-01-31"),
                _resident("孙丽", back, None),
            ),
        )

    assert run(spell("2025-03-03"), "STAFF-1") == []  # 2025-02-01 … 03-02: 30 days
    assert run(spell("2025-03-04"), "STAFF-1") == [
        f(
            "STAFF-1",
            WARNING,
            "yanbin",
            None,
            "2025-02-01至2025-03-03本站驻站社工仅1名，少于规定的2名，共31天，超过允许的30天。",
            "From 2025-02-01 to 2025-03-03 the station had 1 resident social worker(s), fewer "
            "than the required 2, for 31 days, longer than the 30 the profile allows.",
        )
    ]


def test_staff1_the_same_person_twice_at_once(example: Programme) -> None:
    p = with_station(
        example,
        "yanbin",
        staff=(
            _resident("张静", "2024-07-01", None),
            _resident("张静", "2025-01-01", None),
            _resident("陈晓燕", "2024-07-01", None),
        ),
    )
    p = with_station(
        p,
        "yanbin",
        staff=tuple(
            attrs.evolve(s, certificate="Z2019620100999") if s.name == "张静" else s
            for s in p.station("yanbin").staff
        ),
    )
    found = run(p, "STAFF-1")
    mask = profiles.builtin().at(AS_OF).id_number_mask.apply("Z2019620100999")
    assert "Z2019620100999" not in mask
    assert found[0] == f(
        "STAFF-1",
        ERROR,
        "yanbin",
        None,
        f"张静（{mask}）在本站登记两次且任职期间重叠（第1、2条）。",
        f"Staff entries 1 and 2 name 张静（{mask}） twice, for overlapping spells.",
    )


@pytest.mark.parametrize("later_first", [False, True])
def test_staff1_two_spells_of_one_person_sharing_one_day_overlap(
    example: Programme, later_first: bool
) -> None:
    def staff(second_start: str) -> Programme:
        first = _resident("张静", "2024-07-01", "2024-12-31", certificate="Z1")
        second = _resident("张静", second_start, None, certificate="Z1")
        pair = (second, first) if later_first else (first, second)
        return with_station(
            example, "yanbin", staff=(*pair, _resident("陈晓燕", "2024-07-01", None))
        )

    found = run(staff("2024-12-31"), "STAFF-1")
    assert [x.message_en for x in found if "twice" in x.message_en] == [
        "Staff entries 1 and 2 name 张静（**） twice, for overlapping spells."
    ]
    assert run(staff("2025-01-01"), "STAFF-1") == []


def test_shortfalls_merge_a_spell_that_deepens_and_check_a_single_day() -> None:
    def r(name: str, end: str | None) -> StaffMember:
        return StaffMember(
            name, StaffRole.RESIDENT, "c", start=dt.date(2024, 1, 1), end=_day(end) if end else None
        )

    station = Station(
        "s", "街道", "c", staff=(r("a", None), r("b", "2024-03-31"), r("c", "2024-04-30"))
    )
    first, last = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    assert shortfalls(station, first, last, 3, 0) == [
        Shortfall(False, dt.date(2024, 4, 1), last, 1, 3)
    ]
    day = dt.date(2024, 6, 1)
    assert shortfalls(station, day, day, 2, 0) == [Shortfall(False, day, day, 1, 2)]
    assert shortfalls(station, day, day - dt.timedelta(days=1), 2, 0) == []


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # b joins on the last day: the spell ends the day before
        ("2024-06-30", None, [("2024-06-01", "2024-06-29")]),
        # b leaves on the first day: short from the day after
        ("2024-01-01", "2024-06-01", [("2024-06-02", "2024-06-30")]),
        # b leaves on the last day: nothing short within the days checked
        ("2024-01-01", "2024-06-30", []),
    ],
)
def test_shortfalls_at_the_edges_of_the_days_checked(
    start: str, end: str | None, expected: list[tuple[str, str]]
) -> None:
    a = StaffMember("a", StaffRole.RESIDENT, "c", start=_day("2024-01-01"))
    b = StaffMember("b", StaffRole.RESIDENT, "c", start=_day(start), end=_day(end) if end else None)
    station = Station("s", "街道", "c", staff=(a, b))
    got = shortfalls(station, _day("2024-06-01"), _day("2024-06-30"), 2, 0)
    assert got == [Shortfall(False, _day(s), _day(e), 1, 2) for s, e in expected]


def test_elapsed_share_before_on_and_after_the_first_day(example: Programme) -> None:
    start = example.year_start(1)
    days = Decimal((example.year_end(1) - start).days + 1)
    assert elapsed_share(example, 1, start - dt.timedelta(days=1)) == 0
    assert elapsed_share(example, 1, start) == 1 / days
    assert elapsed_share(example, 1, start + dt.timedelta(days=1)) == 2 / days
    assert elapsed_share(example, 1, example.year_end(1) + dt.timedelta(days=9)) == 1


def test_a_start_or_an_end_alone_makes_the_staff_dated() -> None:
    def one(**dates: dt.date) -> Station:
        return Station(
            "s", "街道", "c", staff=(StaffMember("a", StaffRole.RESIDENT, "c", **dates),)
        )

    assert dated(one(start=_day("2024-01-01"))) and dated(one(end=_day("2024-12-31")))
    assert not dated(one())


# --- PERF-3's results warnings word for word ---------------------------------------------------

MID_2 = dt.date(2026, 1, 12)
CORRECT_ZN = f(
    "PERF-3",
    WARNING,
    "zhengning",
    2,
    "第2年中期评估（70.03分）于2026-01-12作出限期整改的结论。",
    "In year 2 the mid-term evaluation of 2026-01-12 (score 70.03) asks for correction within a "
    "deadline.",
)


def test_perf3_a_score_other_than_the_scorecard_s(example: Programme) -> None:
    mid = attrs.evolve(
        example.station("zhengning").year(2).evaluations[0],
        score=Decimal(85),
        reason=None,
        outcome=None,
    )
    assert run(with_year(example, "zhengning", 2, evaluations=(mid,)), "PERF-3", MID_2) == [
        f(
            "PERF-3",
            WARNING,
            "zhengning",
            2,
            "第2年中期评估（2026-01-12）记录得分85，与计算得分70.03不符，且未写明理由（reason）。",
            "In year 2 the mid-term evaluation of 2026-01-12 records a score of 85 where the "
            "scorecard gives 70.03, and no reason is given.",
        )
    ]


def test_perf3_an_overdue_action_and_an_action_naming_no_evaluation(example: Programme) -> None:
    action = example.station("zhengning").year(2).actions[0]
    p = with_year(example, "zhengning", 2, actions=(attrs.evolve(action, closed=None),))
    assert run(p, "PERF-3", dt.date(2026, 4, 1)) == [
        CORRECT_ZN,
        f(
            "PERF-3",
            WARNING,
            "zhengning",
            2,
            "第2年整改措施“zn-2-a1”（个案档案补齐需求评估与服务计划，按规范归档）已于2026-03-31到期，尚未完成。",
            "In year 2 corrective action 'zn-2-a1' (个案档案补齐需求评估与服务计划，按规范归档) "
            "was due on 2026-03-31 and is not closed.",
        ),
    ]
    stray = attrs.evolve(action, id="zn-2-a2", evaluation=dt.date(2026, 2, 2))
    p = with_year(example, "zhengning", 2, actions=(action, stray))
    assert run(p, "PERF-3", dt.date(2026, 2, 3)) == [
        CORRECT_ZN,
        f(
            "PERF-3",
            WARNING,
            "zhengning",
            2,
            "第2年整改措施“zn-2-a2”所依据的评估（2026-02-02）不存在。",
            "In year 2 corrective action 'zn-2-a2' names an evaluation on 2026-02-02, and there "
            "is none.",
        ),
    ]


def test_perf3_an_action_closed_before_the_evaluation_that_asked_for_it(
    example: Programme,
) -> None:
    """PERF-3: a closing day before the evaluation the action comes from (a slip of the pen)
    would lift a suspension without a word; it is a warning. Closed on that very day is fine."""
    action = example.station("zhengning").year(2).actions[0]  # of the mid-term of 2026-01-12
    early = attrs.evolve(action, closed=dt.date(2025, 12, 20))
    p = with_year(example, "zhengning", 2, actions=(early,))
    assert run(p, "PERF-3", dt.date(2026, 2, 1)) == [
        CORRECT_ZN,
        f(
            "PERF-3",
            WARNING,
            "zhengning",
            2,
            "第2年整改措施“zn-2-a1”的完成日期（2025-12-20）早于提出它的评估（2026-01-12）。",
            "In year 2 corrective action 'zn-2-a1' was closed on 2025-12-20, before the "
            "evaluation of 2026-01-12 that asked for it.",
        ),
    ]
    same_day = attrs.evolve(action, closed=dt.date(2026, 1, 12))
    p = with_year(example, "zhengning", 2, actions=(same_day,))
    assert run(p, "PERF-3", dt.date(2026, 2, 1)) == [CORRECT_ZN]
    assert (
        run(with_year(example, "zhengning", 2, actions=(early,)), "PERF-3", dt.date(2025, 12, 31))
        == []
    )


def test_lot1_two_missing_communities_are_listed_with_their_separators(
    example: Programme,
) -> None:
    lots = profiles.builtin().at(AS_OF).lots
    wider = (attrs.evolve(lots[0], communities=("正宁路社区", "甲社区", "乙社区")), *lots[1:])
    profile = profiles.builtin().override("lots", profiles.ALWAYS, wider)
    assert run(example, "LOT-1", profile=profile) == [
        f(
            "LOT-1",
            ERROR,
            "zhengning",
            None,
            "包号1还应服务甲社区、乙社区。",
            "Lot 1 must also serve 甲社区, 乙社区.",
        )
    ]


# --- the last survivors of the second mutation pass (issue 13) -------------------------------


def test_lot1_an_unknown_lot_does_not_end_the_check_of_the_other_stations(
    example: Programme,
) -> None:
    p = with_station(example, "zhengning", lot=4)
    p = with_station(p, "yanbin", street="别的街道")
    assert run(p, "LOT-1") == [
        f(
            "LOT-1",
            ERROR,
            "zhengning",
            None,
            "本站的包号4不存在（应为1, 2, 3之一）。",
            "Lot 4 does not exist (expected one of 1, 2, 3).",
        ),
        f(
            "LOT-1",
            ERROR,
            "yanbin",
            None,
            "包号2应在雁园街道，而本站在别的街道。",
            "Lot 2 is on 雁园街道, not on 别的街道.",
        ),
        f(
            "LOT-1",
            ERROR,
            None,
            None,
            "包号1（白银路街道）没有站点。",
            "Lot 1 (白银路街道) has no station.",
        ),
    ]


def test_term1_a_year_without_a_contract_on_the_day_it_begins_and_the_day_before(
    example: Programme,
) -> None:
    station = example.station("yanbin")
    p = with_station(example, "yanbin", years=station.years[:2])
    start = example.year_start(3)
    assert start == dt.date(2026, 7, 1)
    assert run(p, "TERM-1", as_of=start - dt.timedelta(days=1)) == []
    assert run(p, "TERM-1", as_of=start) == [
        f(
            "TERM-1",
            ERROR,
            "yanbin",
            3,
            "第3年已于2026-07-01开始，尚未签订合同。",
            "Year 3 began on 2026-07-01 and has no signed contract.",
        )
    ]


@pytest.mark.parametrize("how", ["stop", "failed final"])
def test_term1_after_a_year_not_renewed_no_later_year_is_owed(example: Programme, how: str) -> None:
    y1 = example.station("yanbin").year(1)
    last = (
        evaluation("mid_term", dt.date(2025, 1, 16), outcome="stop")
        if how == "stop"
        else evaluation("final", dt.date(2025, 6, 25), score=50)
    )
    ended = attrs.evolve(y1, evaluations=(y1.evaluations[0], last) if how != "stop" else (last,))
    p = with_station(example, "yanbin", years=(ended,))
    # year 2 is not owed after the stop (or the failed final), and so neither is year 3
    assert run(p, "TERM-1", as_of=dt.date(2026, 7, 10)) == []
    # the same year 1 passed: years 2 and 3 are owed
    assert run(with_station(example, "yanbin", years=(y1,)), "TERM-1", dt.date(2026, 7, 10)) == [
        f(
            "TERM-1",
            ERROR,
            "yanbin",
            n,
            f"第{n}年已于{day}开始，尚未签订合同。",
            f"Year {n} began on {day} and has no signed contract.",
        )
        for n, day in ((2, "2025-07-01"), (3, "2026-07-01"))
    ]


def test_term1_a_stopped_year_owes_no_evaluation(example: Programme) -> None:
    y1 = example.station("yanbin").year(1)
    on = dt.date(2025, 7, 2)  # the final was due by 2025-07-01
    stop = evaluation("mid_term", dt.date(2025, 1, 16), outcome="stop")
    stopped = with_station(example, "yanbin", years=(attrs.evolve(y1, evaluations=(stop,)),))
    assert run(stopped, "TERM-1", as_of=on) == []
    passed = evaluation("mid_term", dt.date(2025, 1, 16), score=80)
    going = with_station(example, "yanbin", years=(attrs.evolve(y1, evaluations=(passed,)),))
    assert run(going, "TERM-1", as_of=on) == [
        f(
            "TERM-1",
            WARNING,
            "yanbin",
            1,
            "第1年末期评估应于2025-07-01前完成，至今未见记录。",
            "In year 1 the final evaluation was due by 2025-07-01 and is not recorded.",
        ),
        f(
            "TERM-1",
            ERROR,
            "yanbin",
            2,
            "第2年已于2025-07-01开始，尚未签订合同。",
            "Year 2 began on 2025-07-01 and has no signed contract.",
        ),
    ]


def test_term1_a_year_signed_late_on_the_day_checked_owes_its_overdue_mid_term(
    example: Programme,
) -> None:
    signed = dt.date(2026, 2, 1)  # the mid-term was due by 2026-01-30
    p = with_year(example, "yanbin", 2, signed=signed, evaluations=())
    assert run(p, "TERM-1", as_of=signed) == [
        f(
            "TERM-1",
            WARNING,
            "yanbin",
            2,
            "第2年中期评估应于2026-01-30前完成，至今未见记录。",
            "In year 2 the mid-term evaluation was due by 2026-01-30 and is not recorded.",
        )
    ]


NO_TARGETS = (
    "第{n}年未设定绩效目标（targets），因此未作进度监控。",
    "In year {n} no targets are set, so progress is not monitored.",
)


def _no_targets(station: str, n: int) -> Finding:
    return f("PERF-1", NOTICE, station, n, NO_TARGETS[0].format(n=n), NO_TARGETS[1].format(n=n))


def test_perf1_on_the_first_day_of_the_year_signed_that_day(example: Programme) -> None:
    p = with_year(example, "zhengning", 2, targets=())
    start = example.year_start(2)
    assert example.station("zhengning").year(2).signed == start
    assert run(p, "PERF-1", start) == [_no_targets("zhengning", 2)]
    # the day before, year 1 is in progress and has no targets
    assert run(p, "PERF-1", start - dt.timedelta(days=1)) == [
        _no_targets(s, 1) for s in ("zhengning", "yanbin", "zhanjiaguaizi")
    ]


def test_perf1_on_the_last_day_of_the_year(example: Programme) -> None:
    end = example.year_end(2)
    assert [x for x in run(example, "PERF-1", end) if x.severity is NOTICE] == [
        _no_targets("yanbin", 2),
        _no_targets("zhanjiaguaizi", 2),
    ]
    # the next day is year 3's first; only zhengning's year 3 is signed by then, without targets
    assert run(example, "PERF-1", end + dt.timedelta(days=1)) == [_no_targets("zhengning", 3)]


def test_perf1_on_the_day_of_signing_and_the_day_before(example: Programme) -> None:
    signed = example.station("yanbin").year(2).signed
    assert signed == dt.date(2025, 7, 4)
    assert _no_targets("yanbin", 2) in run(example, "PERF-1", signed)
    assert _no_targets("yanbin", 2) not in run(example, "PERF-1", signed - dt.timedelta(days=1))


def test_perf2_an_unknown_result_does_not_end_the_evaluation_s_checks(
    example: Programme,
) -> None:
    e = attrs.evolve(
        evaluation("mid_term", dt.date(2026, 1, 12), score=70),
        results=(Result("nope", points=Decimal(1)), Result("file_quality", points=Decimal(8))),
        reason="测试",
    )
    where = "第2年中期评估（2026-01-12）结果"
    where_en = "In year 2 result {} of the mid-term evaluation of 2026-01-12"
    assert run(with_year(example, "zhengning", 2, evaluations=(e,)), "PERF-2") == [
        f(
            "PERF-2",
            ERROR,
            "zhengning",
            2,
            f"{where}第1条的指标“nope”不在指标体系中。",
            f"{where_en.format(1)} names indicator 'nope', which is not one of {KNOWN}.",
        ),
        f(
            "PERF-2",
            WARNING,
            "zhengning",
            2,
            f"{where}第2条中“档案规范”得分8，超过其权重5。",
            f"{where_en.format(2)} gives 8 points for file_quality, more than its weight 5.",
        ),
    ]


def test_perf3_an_action_overdue_on_the_day_of_its_evaluation(example: Programme) -> None:
    action = example.station("zhengning").year(2).actions[0]
    early = attrs.evolve(action, due=dt.date(2026, 1, 10), closed=None)
    p = with_year(example, "zhengning", 2, actions=(early,))
    overdue = f(
        "PERF-3",
        WARNING,
        "zhengning",
        2,
        "第2年整改措施“zn-2-a1”（个案档案补齐需求评估与服务计划，按规范归档）已于2026-01-10到期，尚未完成。",
        "In year 2 corrective action 'zn-2-a1' (个案档案补齐需求评估与服务计划，按规范归档) "
        "was due on 2026-01-10 and is not closed.",
    )
    assert run(p, "PERF-3", MID_2) == [CORRECT_ZN, overdue]
    # the day before its evaluation it is not yet an action of the year's results
    assert run(p, "PERF-3", MID_2 - dt.timedelta(days=1)) == []


def test_term1_owes_no_year_beyond_the_term_on_the_day_it_would_begin(example: Programme) -> None:
    beyond = example.year_start(4)
    assert beyond == dt.date(2027, 7, 1)
    assert run(example, "TERM-1", as_of=beyond) == [
        f(
            "TERM-1",
            WARNING,
            s,
            3,
            "第3年中期评估应于2027-01-30前完成，至今未见记录。",
            "In year 3 the mid-term evaluation was due by 2027-01-30 and is not recorded.",
        )
        for s in ("zhengning", "yanbin", "zhanjiaguaizi")
    ]


def test_staff2_spells_without_a_certified_resident_word_for_word(example: Programme) -> None:
    def staff(*certified: tuple[str, str | None]) -> Programme:
        return with_station(
            example,
            "yanbin",
            staff=(
                _resident("张静", "2024-07-01", None, qualification=Qualification.NONE),
                _resident("孙丽", "2024-07-01", None, qualification=Qualification.NONE),
                *(_resident(f"陈{n}", s, e) for n, (s, e) in enumerate(certified)),
            ),
        )

    since = "自2025-11-01起本站持证驻站社工仅0名，少于规定的1名，已持续"
    since_en = (
        "Since 2025-11-01 the station has had 0 certified resident social worker(s), fewer than "
        "the required 1, for "
    )
    ongoing = staff(("2024-07-01", "2025-10-31"))
    assert run(ongoing, "STAFF-2", dt.date(2025, 11, 30)) == [
        f(
            "STAFF-2",
            WARNING,
            "yanbin",
            None,
            f"{since}30天，尚在允许的30天之内。",
            f"{since_en}30 days, within the 30 the profile allows.",
        )
    ]
    assert run(ongoing, "STAFF-2", dt.date(2025, 12, 1)) == [
        f(
            "STAFF-2",
            ERROR,
            "yanbin",
            None,
            f"{since}31天（允许30天）。",
            f"{since_en}31 days (the profile allows 30).",
        )
    ]
    # first one resident (certified) for 61 days, later two residents, neither certified
    past = with_station(
        example,
        "yanbin",
        staff=(
            _resident("陈晓燕", "2024-07-01", "2025-01-31"),
            _resident("孙丽", "2024-07-01", "2024-09-30", qualification=Qualification.NONE),
            _resident("张静", "2024-12-01", None, qualification=Qualification.NONE),
            _resident("李明", "2025-02-01", None, qualification=Qualification.NONE),
            _resident("陈红", "2025-03-04", None),
        ),
    )
    assert run(past, "STAFF-1") == [
        f(
            "STAFF-1",
            WARNING,
            "yanbin",
            None,
            "2024-10-01至2024-11-30本站驻站社工仅1名，少于规定的2名，共61天，超过允许的30天。",
            "From 2024-10-01 to 2024-11-30 the station had 1 resident social worker(s), fewer "
            "than the required 2, for 61 days, longer than the 30 the profile allows.",
        )
    ]
    assert run(past, "STAFF-2") == [
        f(
            "STAFF-2",
            WARNING,
            "yanbin",
            None,
            "2025-02-01至2025-03-03本站持证驻站社工仅0名，少于规定的1名，共31天，超过允许的30天。",
            "From 2025-02-01 to 2025-03-03 the station had 0 certified resident social worker(s), "
            "fewer than the required 1, for 31 days, longer than the 30 the profile allows.",
        )
    ]
