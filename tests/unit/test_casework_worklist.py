"""The work list (PRIN-1 弱势优先): overdue and due-soon visits, open cases, people to reach."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import profiles, programme_file
from sgz_core.casework.beneficiaries import UNRANKED
from sgz_core.casework.worklist import WorkKind, worklist
from sgz_core.errors import NotFound
from sgz_core.model import Programme, add_years
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
ON = dt.date(2025, 11, 24)
POLICY = profiles.builtin().at(ON)


@pytest.fixture(scope="module")
def example() -> Programme:
    return programme_file.loads(
        (ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml"
    )


def test_the_example_work_list_on_monday_after_the_week(example: Programme) -> None:
    items = worklist(example, POLICY, "zhengning", ON).items
    assert [(i.kind.value, i.beneficiary) for i in items] == [
        ("open_case", "zn-003"),  # de facto unsupported child, priority 3
        ("overdue_visit", "zn-005"),  # elderly in special hardship, never visited, due 11-20
        ("overdue_visit", "zn-002"),  # disabled elderly, 15 days overdue
        ("open_case", "zn-002"),
        ("open_case", "zn-007"),  # minimum allowance (and disabled), priority 9
        ("due_visit", "zn-004"),  # left-behind child, quarterly, due 12-01
        ("discovery", "zn-006"),  # found in screening: no category yet
    ]
    overdue = items[2]
    assert overdue.due == dt.date(2025, 11, 9) and overdue.days_overdue == 15
    assert overdue.last_visit == dt.date(2025, 10, 9) and overdue.groups == ("old",)
    case = items[0]
    assert case.case == "zn-c002" and case.stage is not None and case.stage.value == "services"
    assert case.since == dt.date(2025, 10, 16) and case.worker == "王芳"
    assert items[-1].priority == UNRANKED and [k.value for k in items[-1].assistance] == [
        "minimum_allowance",
        "employment",
    ]
    for item in items:
        assert item.id_number.startswith("6201**********")


def test_closed_cases_drop_off_and_other_stations_stay_out(example: Programme) -> None:
    before = worklist(example, POLICY, "zhengning", dt.date(2025, 11, 20)).items
    assert "zn-c005" in {i.case for i in before}
    after = worklist(example, POLICY, "zhengning", dt.date(2025, 11, 21)).items
    assert "zn-c005" not in {i.case for i in after}
    yanbin = worklist(example, POLICY, "yanbin", dt.date(2025, 12, 6)).items
    assert [(i.kind, i.beneficiary) for i in yanbin] == [(WorkKind.OVERDUE_VISIT, "yb-001")]
    with pytest.raises(NotFound, match="known: zhengning"):
        worklist(example, POLICY, "nowhere", ON)


@given(programme=s.casework_programmes(max_people=8), data=st.data())
def test_the_work_list_order_respects_category_priority(
    programme: Programme, data: st.DataObject
) -> None:
    if not programme.stations:
        return
    station = data.draw(st.sampled_from([x.id for x in programme.stations]))
    on = data.draw(st.dates(programme.start, add_years(programme.start, 3)))
    items = worklist(programme, POLICY, station, on).items
    priorities = [i.priority for i in items]
    assert priorities == sorted(priorities)
    people = {b.id: b for b in programme.beneficiaries}
    table = {c.id: c.priority for c in POLICY.beneficiary_categories}
    for item in items:
        person = people.get(item.beneficiary)
        if person is not None:
            assert person.station == station
            assert item.priority == min(
                (table[c] for c in person.categories if c in table), default=UNRANKED
            )
            if person.id_number:
                assert person.id_number not in item.id_number
