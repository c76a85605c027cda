"""The service ledger (台账) and SCOPE-2: administrative records are kept, never counted, never paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from sgz_core import profiles, programme_file
from sgz_core.casework.counting import count_records
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import SERVICE_DOMAINS, ServiceType, services_of
from sgz_core.enums import FundingSource, Method, ServiceDomain, Severity
from sgz_core.errors import InvalidInput
from sgz_core.rules import check

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2025, 11, 18)


@pytest.fixture(scope="module")
def example() -> programme_file.Programme:
    return programme_file.loads(
        (ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml"
    )


def record(**changes: object) -> ServiceRecord:
    fields: dict[str, object] = {
        "date": DAY,
        "station": "zhengning",
        "worker": "王芳",
        "domain": ServiceDomain.ELDERLY,
        "method": Method.CASEWORK,
        "service": ServiceType.VISIT,
        "hours": Decimal("1.5"),
        "beneficiaries": ("zn-001",),
    }
    fields.update(changes)
    return ServiceRecord(**fields)  # type: ignore[arg-type]


def test_every_domain_has_its_list_and_every_type_a_domain() -> None:
    for domain in ServiceDomain:
        assert ServiceType.OTHER in services_of(domain)
        assert len(services_of(domain)) >= 5
    assert set(SERVICE_DOMAINS) == set(ServiceType)
    assert ServiceType.GUARDIANSHIP_ASSESSMENT in services_of(ServiceDomain.CHILD_WELFARE)
    assert ServiceType.PREMARITAL_COUNSELLING in services_of(ServiceDomain.OTHER_CIVIL_AFFAIRS)
    assert ServiceType.TWO_SUBSIDIES_HELP in services_of(ServiceDomain.OTHER_CIVIL_AFFAIRS)
    assert ServiceType.FUNERAL_POLICY_OUTREACH in services_of(ServiceDomain.OTHER_CIVIL_AFFAIRS)
    assert ServiceType.TRAINING in services_of(ServiceDomain.TALENT)


@pytest.mark.parametrize(
    ("changes", "path", "says"),
    [
        ({"service": ServiceType.PREMARITAL_COUNSELLING}, "service", "not a service of elderly"),
        ({"beneficiaries": ()}, "beneficiaries", "casework serves named people"),
        (
            {"method": Method.GROUP_WORK, "beneficiaries": ()},
            "beneficiaries",
            "a visit is to named people",
        ),
        ({"beneficiaries": ("a", "a")}, "beneficiaries", "listed twice"),
        ({"hours": Decimal(-1)}, "hours", "from 0 to"),
        ({"hours": 1.5}, "hours", "hours"),
        ({"volunteer_hours": Decimal(3)}, "volunteers", "without volunteers"),
        ({"participants": -1}, "participants", "whole number"),
    ],
)
def test_bad_records_name_the_field(changes: dict[str, object], path: str, says: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        record(**changes)
    assert exc.value.problems[0].path == path
    assert says in exc.value.problems[0].message


def test_administrative_records_are_kept_but_never_counted_as_service() -> None:
    service = record()
    admin = record(
        administrative=True,
        domain=ServiceDomain.COMMUNITY_GOVERNANCE,
        method=Method.COMMUNITY_ACTIVITY,
        service=ServiceType.OTHER,
        beneficiaries=(),
        hours=Decimal(3),
    )
    assert service.counts_as_service and not admin.counts_as_service
    counts = count_records([service, admin], dt.date(2024, 7, 1))
    total = counts.total()
    assert total.records == 1 and total.hours == Decimal("1.5") and total.people == 1
    assert total.administrative_records == 1 and total.administrative_hours == 3
    assert total.visits_done == 1
    admin_visit = record(administrative=True)
    assert not admin_visit.is_visit
    assert count_records([admin_visit], dt.date(2024, 7, 1)).total().visits_done == 0


def test_scope_2_notice_for_kept_records_and_error_when_station_money_pays(
    example: programme_file.Programme,
) -> None:
    on = dt.date(2025, 12, 1)
    findings = check(example, profiles.builtin(), on, only=["SCOPE-2"])
    assert [(f.severity, f.station) for f in findings] == [(Severity.NOTICE, "zhengning")]
    paid = tuple(
        attrs.evolve(r, fund=FundingSource.DISTRICT) if r.administrative else r
        for r in example.records
    )
    findings = check(attrs.evolve(example, records=paid), profiles.builtin(), on, only=["SCOPE-2"])
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert len(errors) == 1 and errors[0].station == "zhengning"
    assert "district" in errors[0].message_en and "2025-11-18" in errors[0].message_en


def test_a_non_administrative_record_may_name_its_fund(example: programme_file.Programme) -> None:
    paid = tuple(
        attrs.evolve(r, fund=FundingSource.PROVINCE) if not r.administrative else r
        for r in example.records
    )
    findings = check(
        attrs.evolve(example, records=paid),
        profiles.builtin(),
        dt.date(2025, 12, 1),
        only=["SCOPE-2"],
    )
    assert all(f.severity is Severity.NOTICE for f in findings)
