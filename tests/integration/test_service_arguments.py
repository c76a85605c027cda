"""The service's arguments of the wrong type are refused at once (found by reviewing the Python
API, 2026-12-03): an ``InvalidInput`` naming the argument, never a bare ``AttributeError`` or
``TypeError`` from deep inside, and nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sgz_adapters.service as sgz
from sgz_adapters.storage.memory import MemoryStorage
from sgz_core.errors import InvalidInput
from sgz_core.profiles import Profile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
DAY = dt.date(2025, 11, 24)

not_a_profile = st.one_of(
    st.text(), st.integers(), st.booleans(), st.floats(), st.lists(st.integers(), max_size=2)
).filter(lambda v: v is not None and not isinstance(v, Profile))


def _with_profile(storage: MemoryStorage) -> list[tuple[str, Any]]:
    src = sgz.stored(storage)
    return [
        ("check", lambda p: sgz.check(EXAMPLE, on=DAY, profile=p)),
        ("check stored", lambda p: sgz.check(src, on=DAY, profile=p)),
        ("check stream", lambda p: sgz.check(src, on=DAY, profile=p, stream=True)),
        ("check station", lambda p: sgz.check(src, on=DAY, profile=p, station="zhengning")),
        ("schedule", lambda p: sgz.schedule(EXAMPLE, on=DAY, profile=p)),
        ("plaques", lambda p: sgz.plaques(EXAMPLE, on=DAY, profile=p)),
        ("worklist", lambda p: sgz.worklist(EXAMPLE, station="zhengning", on=DAY, profile=p)),
        ("stats", lambda p: sgz.stats(src, on=DAY, profile=p)),
        ("ledger", lambda p: sgz.ledger(EXAMPLE, on=DAY, profile=p)),
        (
            "evaluate",
            lambda p: sgz.evaluate(src, station="zhengning", year=1, on=DAY, profile=p),
        ),
        (
            "pay",
            lambda p: sgz.pay(
                src,
                station="zhengning",
                year=1,
                tranche="contract_signed",
                on=DAY,
                by="王",
                profile=p,
            ),
        ),
        ("pay_many", lambda p: sgz.pay_many(src, [], profile=p)),
    ]


@settings(max_examples=10, deadline=None)
@given(value=not_a_profile)
def test_a_profile_that_is_not_a_profile_is_refused(value: object) -> None:
    with MemoryStorage() as storage:
        sgz.import_programme(EXAMPLE, db=storage)
        before = list(storage.audit_entries(None, None))
        for name, call in _with_profile(storage):
            with pytest.raises(InvalidInput, match=r"^profile: expected a Profile") as got:
                call(value)
            assert got.value.problems[0].path == "profile", name
        assert list(storage.audit_entries(None, None)) == before


@settings(max_examples=20, deadline=None)
@given(
    value=st.one_of(
        st.text(min_size=1), st.integers(), st.booleans(), st.binary(min_size=1), st.floats()
    )
)
def test_only_that_is_not_a_list_of_rule_ids_is_refused(value: object) -> None:
    # a string was taken letter by letter: only="SITE-1" said "no rule '-'"
    with pytest.raises(InvalidInput, match=r"^only: expected a list of rule ids"):
        sgz.check(EXAMPLE, on=DAY, only=value)  # type: ignore[arg-type]


def test_only_may_be_any_iterable_of_rule_ids() -> None:
    as_list = sgz.check(EXAMPLE, on=DAY, only=["SITE-1", "PAY-1"])
    assert sgz.check(EXAMPLE, on=DAY, only=(r for r in ["SITE-1", "PAY-1"])) == as_list


not_a_bool = st.one_of(st.text(), st.integers(), st.floats(), st.lists(st.booleans(), max_size=1))


@settings(max_examples=20, deadline=None)
@given(value=not_a_bool)
def test_replace_and_stream_must_be_booleans(value: object) -> None:
    # replace="no" replaced the stored programme, as any non-empty string is true
    with MemoryStorage() as storage:
        sgz.import_programme(EXAMPLE, db=storage)
        before = list(storage.audit_entries(None, None))
        with pytest.raises(InvalidInput, match=r"^replace: expected True or False"):
            sgz.import_programme(EXAMPLE, db=storage, replace=value)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match=r"^stream: expected True or False"):
            sgz.check(sgz.stored(storage), on=DAY, stream=value)  # type: ignore[arg-type]
        assert list(storage.audit_entries(None, None)) == before


@settings(max_examples=10, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.booleans()))
def test_progress_must_be_callable(value: object) -> None:
    with MemoryStorage() as storage:
        with pytest.raises(InvalidInput, match=r"^progress: expected a function"):
            sgz.import_programme(EXAMPLE, db=storage, progress=value)  # type: ignore[arg-type]
        assert list(storage.audit_entries(None, None)) == []


@pytest.mark.parametrize("requests", [None, 5, {"a": 1}])
def test_pay_many_s_requests_must_be_a_list(requests: object) -> None:
    with MemoryStorage() as storage:
        sgz.import_programme(EXAMPLE, db=storage)
        before = list(storage.audit_entries(None, None))
        with pytest.raises(InvalidInput, match=r"^requests: expected a list of PayRequest"):
            sgz.pay_many(sgz.stored(storage), requests)  # type: ignore[arg-type]
        assert list(storage.audit_entries(None, None)) == before


@settings(max_examples=20, deadline=None)
@given(year=st.one_of(st.integers(max_value=0), st.integers(min_value=100)))
def test_ledger_payments_keyed_by_a_year_out_of_range_are_refused(year: int) -> None:
    # ("zhengning", 0) was accepted and its payments silently matched nothing
    from decimal import Decimal

    with pytest.raises(
        InvalidInput,
        match=r"^payments\[\('zhengning', .*\)\]: expected a \(station id, contract year",
    ):
        sgz.ledger(EXAMPLE, on=DAY, payments={("zhengning", year): [(DAY, Decimal(1))]})


@pytest.mark.parametrize(
    "opened",
    [
        sgz.Opened(5, None, "x"),  # type: ignore[arg-type]
        sgz.Opened(None, None, "x"),  # type: ignore[arg-type]
    ],
)
def test_an_opened_that_holds_no_programme_is_refused(opened: sgz.Opened) -> None:
    with MemoryStorage() as storage:
        with pytest.raises(InvalidInput, match=r"^source: expected"):
            sgz.import_programme(opened, db=storage)
        assert list(storage.audit_entries(None, None)) == []


def test_an_opened_whose_payments_are_not_payments_is_refused() -> None:
    programme = sgz.open_source(EXAMPLE).programme
    with MemoryStorage() as storage:
        opened = sgz.Opened(programme, None, "x", ("not a payment",))  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match=r"payments\[0\]: expected a Payment"):
            sgz.import_programme(opened, db=storage)
        assert list(storage.audit_entries(None, None)) == []
