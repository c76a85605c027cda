"""Every enum and date field of the core's values converts what a caller gives, or refuses it.

A plain string for an enum field used to be kept as a string: ``StaffMember(role="resident")``
counted no residents (STAFF-1 compares with ``is``) and ``Funding(source="bogus")`` failed only
in ``dumps``. The tests walk ``attrs.fields`` of every attrs class of the model, the casework
values, the profiles and the leaf values module, so a new enum or date field without a converter
fails here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import types
import typing
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sgz_core.casework
from sgz_core import profiles
from sgz_core.enums import (
    EvaluationKind,
    FundingSource,
    IntervalUnit,
    Labelled,
    Milestone,
    Qualification,
    StaffRole,
)
from sgz_core.errors import InvalidInput
from sgz_core.model import (
    ContractYear,
    Evaluation,
    Expense,
    Funding,
    Premises,
    Programme,
    StaffMember,
    Station,
)
from sgz_core.rules import check
from sgz_core.testing import strategies as s
from sgz_core.values import FrozenMap, VisitInterval, to_date, to_enum, to_enum_tuple

MODULE_NAMES = (
    "sgz_core.model",
    "sgz_core.profiles",
    "sgz_core.values",
    "sgz_core.categories",
    "sgz_core.performance.types",
    *(m.name for m in pkgutil.iter_modules(sgz_core.casework.__path__, "sgz_core.casework.")),
)


def value_classes() -> list[type]:
    found = []
    for name in MODULE_NAMES:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if isinstance(obj, type) and attrs.has(obj) and obj.__module__ == name:
                found.append(obj)
    return found


def _enum(t: Any) -> type[Labelled] | None:
    return t if isinstance(t, type) and issubclass(t, Labelled) else None


def kind_of(t: Any) -> tuple[str, Any] | None:
    """What converter a field of type ``t`` needs: enum, optional, tuple, map, date, optional date."""
    if _enum(t):
        return ("enum", t)
    if t is dt.date:
        return ("date", None)
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and _enum(inner[0]):
            return ("optional", inner[0])
        if inner == [dt.date]:
            return ("optional date", None)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and _enum(args[0]):
        return ("tuple", args[0])
    if origin in (dict, FrozenMap) and _enum(args[0]):
        return ("map", args[0])
    return None


def checked_fields() -> Iterator[tuple[type, attrs.Attribute[Any], str, Any]]:
    for cls in value_classes():
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            kind = kind_of(hints[field.name])
            if kind is not None:
                yield cls, field, *kind


FIELDS = list(checked_fields())
IDS = [f"{cls.__name__}.{field.name}" for cls, field, _, _ in FIELDS]
ENUM_FIELDS = [f for f in FIELDS if f[2] not in ("date", "optional date")]
ENUM_IDS = [f"{cls.__name__}.{field.name}" for cls, field, _, _ in ENUM_FIELDS]
DATE_FIELDS = [f for f in FIELDS if f[2] in ("date", "optional date")]
DATE_IDS = [f"{cls.__name__}.{field.name}" for cls, field, _, _ in DATE_FIELDS]


def test_the_walk_finds_the_fields_of_the_bug_reports() -> None:
    # the walk must not pass by finding nothing
    names = set(IDS)
    for expected in (
        "StaffMember.role",
        "Funding.source",
        "Evaluation.kind",
        "Evaluation.outcome",
        "Premises.equipment",
        "ServiceRecord.domain",
        "ServiceRecord.fund",
        "TrancheSpec.milestone",
        "VisitInterval.unit",
        "Policy.cofunding_ratio",
        "Policy.required_equipment",
        "Programme.start",
        "Beneficiary.birth_date",
    ):
        assert expected in names
    assert len(ENUM_FIELDS) >= 40 and len(DATE_FIELDS) >= 25


def test_no_value_holds_a_mutable_dict() -> None:
    for cls in value_classes():
        for name, t in typing.get_type_hints(cls).items():
            if name.startswith("_"):
                continue  # a private cache, never handed out
            assert typing.get_origin(t) is not dict, f"{cls.__name__}.{name} is a mutable dict"


@pytest.mark.parametrize(("cls", "field", "kind", "enum"), FIELDS, ids=IDS)
def test_every_enum_and_date_field_has_a_converter(
    cls: type, field: attrs.Attribute[Any], kind: str, enum: Any
) -> None:
    assert field.converter is not None, (
        f"{cls.__name__}.{field.name} ({kind}) takes any value: give it a converter from "
        "sgz_core.values (to_enum, to_enum_tuple, to_date …)"
    )


def _other_strings(enum: type[Labelled]) -> st.SearchStrategy[str]:
    return st.text(max_size=20).filter(lambda v: v not in enum._value2member_map_)


@pytest.mark.parametrize(("cls", "field", "kind", "enum"), ENUM_FIELDS, ids=ENUM_IDS)
@settings(max_examples=20)
@given(data=st.data())
def test_enum_fields_convert_their_strings_and_refuse_others(
    cls: type, field: attrs.Attribute[Any], kind: str, enum: type[Labelled], data: st.DataObject
) -> None:
    convert = field.converter
    assert callable(convert)
    member = data.draw(st.sampled_from(list(enum)))
    bad = data.draw(_other_strings(enum))
    if kind in ("enum", "optional"):
        assert convert(member.value) is member
        assert convert(member) is member
        wrong: object = data.draw(st.one_of(st.just(bad), st.integers(), st.just(b"x")))
        path = field.name
    elif kind == "tuple":
        assert convert([member.value, member]) == (member, member)
        assert all(type(m) is enum for m in convert([member.value]))
        wrong = [member.value, bad]
        path = f"{field.name}[1]"
    else:  # a mapping keyed by the enum
        converted = convert({member.value: Decimal(1)})
        assert isinstance(converted, FrozenMap)
        assert list(converted) == [member] and type(next(iter(converted))) is enum
        wrong = {bad: Decimal(1)}
        path = f"{field.name}.{bad}"
    if kind == "optional":
        assert convert(None) is None
    with pytest.raises(InvalidInput) as info:
        convert(wrong)
    assert [p.path for p in info.value.problems] == [path]
    assert enum.expected() in info.value.problems[0].message


@pytest.mark.parametrize(("cls", "field", "kind", "enum"), DATE_FIELDS, ids=DATE_IDS)
@settings(max_examples=10)
@given(day=st.dates(), at=st.times())
def test_date_fields_refuse_a_datetime(
    cls: type, field: attrs.Attribute[Any], kind: str, enum: None, day: dt.date, at: dt.time
) -> None:
    convert = field.converter
    assert callable(convert)
    assert convert(day) is day
    if kind == "optional date":
        assert convert(None) is None
    for wrong in (dt.datetime.combine(day, at), day.isoformat()):
        with pytest.raises(InvalidInput) as info:
            convert(wrong)
        assert [p.path for p in info.value.problems] == [field.name]
        assert "expected a date" in info.value.problems[0].message


# --- whole values, as a caller builds them --------------------------------------------------


def _as_strings(value: object) -> object:
    if isinstance(value, Labelled):
        return value.value
    if isinstance(value, tuple) and value and all(isinstance(v, Labelled) for v in value):
        return [v.value for v in value]
    if isinstance(value, Mapping) and value and all(isinstance(k, Labelled) for k in value):
        return {k.value: v for k, v in value.items()}
    return value


def _values_in(obj: object) -> Iterator[Any]:
    if attrs.has(type(obj)):
        yield obj
        for field in attrs.fields(type(obj)):
            yield from _values_in(getattr(obj, field.name))
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _values_in(item)


@settings(max_examples=15)
@given(programme=st.one_of(s.programmes(), s.casework_programmes()))
def test_every_value_rebuilt_from_strings_is_the_same_value(programme: Programme) -> None:
    """Each nested value, with every enum given as its string, equals the original."""
    for value in _values_in(programme):
        changes = {
            f.name: _as_strings(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.init and _as_strings(getattr(value, f.name)) is not getattr(value, f.name)
        }
        if changes:
            rebuilt = attrs.evolve(value, **changes)
            assert rebuilt == value
            for name in changes:
                assert not isinstance(getattr(rebuilt, name), str) or isinstance(
                    getattr(rebuilt, name), Labelled
                )


def test_a_resident_given_as_a_string_counts_for_staff_1() -> None:
    staff = [
        StaffMember("甲", "resident", "c1", "assistant"),
        StaffMember("乙", "resident", "c1"),
    ]
    station = Station("s1", "白银路街道", "c1", staff=staff)
    assert [m.role for m in station.residents] == [StaffRole.RESIDENT, StaffRole.RESIDENT]
    assert station.staff[0].qualification is Qualification.ASSISTANT
    assert station.staff[0].certified


def test_province_money_given_as_a_string_is_seen_by_fund_2() -> None:
    year = ContractYear(1, funding=[Funding("province", 50000), Funding("city", 50000)])
    assert year.funded_by(FundingSource.PROVINCE) == 50000
    assert year.funding[0].source is FundingSource.PROVINCE


def test_a_mid_term_evaluation_given_as_a_string_is_a_mid_term() -> None:
    e = Evaluation("mid_term", dt.date(2025, 1, 1), score=80)
    assert e.kind is EvaluationKind.MID_TERM


@pytest.mark.parametrize(
    ("build", "path", "allowed"),
    [
        (lambda: Funding("bogus", 1), "source", FundingSource.expected()),
        (
            lambda: Expense(dt.date(2025, 1, 1), "posts", "provice", 1),
            "fund",
            FundingSource.expected(),
        ),
        (
            lambda: Premises(200, 15, equipment=["desk", "sofa"]),
            "equipment[1]",
            "desk",
        ),
        (
            lambda: Evaluation("mid_term", dt.date(2025, 1, 1), outcome="fail"),
            "outcome",
            "pass | correct | suspend | stop",
        ),
        (lambda: VisitInterval(1, "elderly", "fortnight"), "unit", IntervalUnit.expected()),
    ],
)
def test_a_wrong_string_is_refused_at_construction(build: Any, path: str, allowed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        build()
    assert info.value.problems[0].path == path
    assert allowed in str(info.value)


def test_a_member_of_another_enumeration_is_refused() -> None:
    # Milestone.MID_TERM and EvaluationKind.MID_TERM share the string "mid_term"
    with pytest.raises(InvalidInput, match="kind"):
        Evaluation(Milestone.MID_TERM, dt.date(2025, 1, 1), score=80)


def test_a_datetime_for_a_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="without a time") as info:
        Programme("p", "P", dt.datetime(2025, 1, 1, 9, 30))
    assert info.value.problems[0].path == "start"


def test_a_programme_built_from_strings_checks_like_one_built_from_members() -> None:
    members = ContractYear(
        1,
        signed=dt.date(2025, 1, 1),
        funding=[Funding(FundingSource.PROVINCE, 150000)],
        evaluations=[Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 7, 1), score=50)],
    )
    strings = ContractYear(
        1,
        signed=dt.date(2025, 1, 1),
        funding=[Funding("province", 150000)],
        evaluations=[Evaluation("mid_term", dt.date(2025, 7, 1), score=50)],
    )
    assert strings == members

    def programme(year: ContractYear) -> Programme:
        return Programme(
            "p", "P", dt.date(2025, 1, 1), stations=[Station("s", "街", "c", years=[year])]
        )

    day = dt.date(2026, 6, 1)
    found = check(programme(strings), profiles.builtin(), day)
    assert found  # the programme is far from compliant: the check has something to compare
    assert found == check(programme(members), profiles.builtin(), day)


def test_the_converters_return_members_unchanged() -> None:
    assert to_enum(StaffRole, StaffRole.RESIDENT, "role") is StaffRole.RESIDENT
    both = (StaffRole.RESIDENT, StaffRole.DISPATCHED)
    assert to_enum_tuple(StaffRole, both, "roles") is both
    day = dt.date(2025, 1, 1)
    assert to_date(day, "date") is day


@given(
    digits=st.text(alphabet="0123456789", min_size=17, max_size=17),
    last=st.sampled_from("0123456789Xx"),
    before=st.text(max_size=5),
    after=st.text(max_size=5),
)
def test_no_refusal_repeats_a_full_id_like_number(
    digits: str, last: str, before: str, after: str
) -> None:
    """PII-1: whatever field an ID number lands in, InvalidInput and NotFound show it masked."""
    from sgz_core.errors import InvalidInput, NotFound, Problem

    number = digits + last
    text = f"{before}{number}{after}"
    shown = [
        str(InvalidInput(f"got {text}")),
        str(InvalidInput([Problem(f"stations[{text}]", f"unknown {text}")], "f.toml")),
        str(NotFound("station", text, [text])),
    ]
    for message in shown:
        if not (before[-1:].isdigit() or after[:1].isdigit()):
            assert number not in message


def test_days_in_month_is_calendars_for_every_month_of_every_year() -> None:
    """``add_months`` counts a month's days without ``calendar`` (issue 12: start-up)."""
    import calendar

    from sgz_core.values import _days_in_month

    for year in range(1, 10000):
        for month in range(1, 13):
            assert _days_in_month(year, month) == calendar.monthrange(year, month)[1]
