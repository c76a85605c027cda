"""``StorageContract``: the tests every storage adapter must pass, built-in or third-party.

Subclass it in a test module (the name must start with ``Test`` for pytest to collect it) and
implement :meth:`StorageContract.make_storage` to return a new, empty storage::

    from sgz_core.testing import StorageContract

    class TestMyStorage(StorageContract):
        def make_storage(self):
            return MyStorage(...)

Optionally override :meth:`StorageContract.reopen` (the same data through a new handle, to test
that commits last), :meth:`StorageContract.discard` (drop what ``make_storage`` created) and
:meth:`StorageContract.corrupt_record` (edit stored data as a tool outside sgz would, to test
that it never reads back as a different value). For the audit trail's tampering checks, implement
:meth:`StorageContract.audit_rows` and :meth:`StorageContract.write_audit_rows` (the stored entries
read and rewritten behind the adapter's back); without them those checks skip. Needs pytest and
Hypothesis (the ``testing`` extra).
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_core.audit import GENESIS, AuditAction, AuditEntry, AuditProblem
from sgz_core.audit_diff import ItemChange
from sgz_core.audit_diff import changes as item_changes
from sgz_core.casework.counting import categories_by_person
from sgz_core.casework.counting import count_records as count_ledger
from sgz_core.enums import FundingSource, Milestone, Outcome, ServiceDomain
from sgz_core.errors import AlreadyExists, InvalidInput, NotFound, StorageError
from sgz_core.model import CorrectiveAction, Expense, Programme
from sgz_core.payments import AlreadyPaid, Payment
from sgz_core.storage import (
    SCHEMA_VERSION,
    RecordQuery,
    Storage,
    check_parts,
    filter_records,
    money_part,
    station_part,
)
from sgz_core.testing import strategies
from sgz_core.testing.samples import (
    CJK_BLOCKS,
    TRICKY_STRINGS,
    cjk_block_text,
    sample_ledger,
    sample_programme,
)


class StorageContract(abc.ABC):
    """Abstract pytest test class: every test of the storage port, inherited by subclassing."""

    # --- what a subclass provides ------------------------------------------------------------

    @abc.abstractmethod
    def make_storage(self) -> Storage:
        """A new, empty storage (each call its own, so tests do not see each other's data)."""

    def reopen(self, storage: Storage) -> Storage | None:
        """The same data through a new handle (a new connection, a new process's view), or
        ``None`` where the backend cannot (then the durability test is skipped)."""
        return None

    def discard(self, storage: Storage) -> None:
        """Drop what :meth:`make_storage` created (tables, files); closes by default."""
        storage.close()

    def corrupt_record(
        self, storage: Storage, programme_id: str, position: int, field: str, text: str
    ) -> bool:
        """Overwrite what the storage keeps for ``field`` of the service record at ``position``
        with the raw ``text``, behind the adapter's back (as a database tool would); ``False``
        where the backend cannot hold that text there (then that case is skipped)."""
        return False

    def audit_rows(self, storage: Storage) -> list[dict[str, object]] | None:
        """The stored audit entries as plain rows (the keys of
        :meth:`sgz_core.audit.AuditEntry.to_plain`), in stored order, read behind the adapter's
        back; ``None`` where the test cannot (then the tampering checks skip)."""
        return None

    def write_audit_rows(self, storage: Storage, rows: list[dict[str, object]]) -> None:
        """Replace the stored audit entries with ``rows`` (as :meth:`audit_rows` gives them),
        behind the adapter's back, as a database tool would, leaving the chain's head as it is."""
        raise NotImplementedError

    def sample_records(self, programme: Programme) -> Programme:
        """``programme`` with the service ledger the streaming and counting tests use."""
        return sample_ledger(programme)

    @pytest.fixture
    def storage(self) -> Iterator[Storage]:
        store = self.make_storage()
        try:
            yield store
        finally:
            self.discard(store)

    # --- an empty storage ----------------------------------------------------------------------

    def test_a_new_storage_is_empty(self, storage: Storage) -> None:
        assert storage.programme_ids() == []
        assert storage.schema_version == SCHEMA_VERSION

    def test_loading_an_unknown_programme_is_not_found(self, storage: Storage) -> None:
        with pytest.raises(NotFound):
            storage.load("nothing-here")
        assert not storage.exists("nothing-here")

    def test_deleting_an_unknown_programme_is_not_found(self, storage: Storage) -> None:
        with pytest.raises(NotFound):
            storage.delete("nothing-here")

    # --- save, load, list, replace, delete -------------------------------------------------------

    def test_save_then_load_gives_an_equal_programme(self, storage: Storage) -> None:
        programme = sample_programme()
        storage.save(programme)
        assert storage.load(programme.id) == programme
        assert storage.exists(programme.id)

    def test_programme_ids_are_sorted(self, storage: Storage) -> None:
        for pid in ("b", "a", "c-3", "A"):
            storage.save(sample_programme(pid))
        assert storage.programme_ids() == sorted(["b", "a", "c-3", "A"])

    def test_saving_an_existing_id_is_refused_and_changes_nothing(self, storage: Storage) -> None:
        first = sample_programme("p")
        storage.save(first)
        with pytest.raises(AlreadyExists, match="'p' already exists"):
            storage.save(attrs.evolve(first, name="other"))
        assert storage.load("p") == first

    def test_replace_swaps_the_whole_programme(self, storage: Storage) -> None:
        storage.save(sample_programme("p", texts=("一", "二", "三")))
        storage.save(sample_programme("q"))
        smaller = sample_programme("p", texts=("四",))
        storage.save(smaller, replace=True)
        assert storage.load("p") == smaller
        assert storage.load("q") == sample_programme("q")

    def test_replace_of_a_new_id_just_saves(self, storage: Storage) -> None:
        storage.save(sample_programme("p"), replace=True)
        assert storage.programme_ids() == ["p"]

    def test_delete_removes_only_that_programme(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        storage.save(sample_programme("q"))
        storage.delete("p")
        assert storage.programme_ids() == ["q"]
        assert storage.load("q") == sample_programme("q")
        storage.save(sample_programme("p"))  # the id is free again
        assert storage.programme_ids() == ["p", "q"]

    def test_save_refuses_what_is_not_a_programme(self, storage: Storage) -> None:
        with pytest.raises(InvalidInput):
            storage.save("not a programme")  # type: ignore[arg-type]

    # --- what save refuses: what the file loader refuses -----------------------------------------

    @staticmethod
    def _dangling() -> Programme:
        good = sample_ledger(sample_programme("p"), size=6)
        station = attrs.evolve(good.stations[0], contractor="nobody")
        record = attrs.evolve(good.records[1], station="nowhere")
        return attrs.evolve(
            good,
            stations=(station, *good.stations[1:]),
            records=(good.records[0], record, *good.records[2:]),
        )

    def test_save_refuses_dangling_references_and_writes_nothing(self, storage: Storage) -> None:
        with pytest.raises(InvalidInput) as caught:
            storage.save(self._dangling())
        message = str(caught.value)
        assert "stations[0].contractor" in message and "unknown contractor 'nobody'" in message
        assert "records[1].station" in message and "unknown station 'nowhere'" in message
        assert storage.programme_ids() == []

    def test_a_refused_replace_keeps_the_old_programme(self, storage: Storage) -> None:
        good = sample_ledger(sample_programme("p"), size=6)
        storage.save(good)
        with pytest.raises(InvalidInput):
            storage.save(self._dangling(), replace=True)
        assert storage.load("p") == good

    def test_a_refused_save_fails_its_whole_unit(self, storage: Storage) -> None:
        with pytest.raises(InvalidInput), storage.unit_of_work() as uow:
            uow.save(sample_programme("first"))
            uow.save(self._dangling())
            uow.commit()
        assert storage.programme_ids() == []

    @staticmethod
    def _with_text(p: Programme, where: str, text: str) -> Programme:
        """``p`` with one text field set to ``text``: the programme's name, a station's street,
        a community it serves, an expense's note, a service record's note."""
        station = p.stations[0]
        if where == "name":
            return attrs.evolve(p, name=text)
        if where == "records[1].note":
            records = list(p.records)
            records[1] = attrs.evolve(records[1], note=text)
            return attrs.evolve(p, records=tuple(records))
        if where == "stations[0].street":
            station = attrs.evolve(station, street=text)
        elif where == "stations[0].communities[0]":
            station = attrs.evolve(station, communities=(text, *station.communities[1:]))
        else:
            year = station.years[0]
            expense = attrs.evolve(year.expenses[0], note=text)
            year = attrs.evolve(year, expenses=(expense, *year.expenses[1:]))
            station = attrs.evolve(station, years=(year, *station.years[1:]))
        return attrs.evolve(p, stations=(station, *p.stations[1:]))

    @pytest.mark.parametrize(
        "where",
        [
            "name",
            "stations[0].street",
            "stations[0].communities[0]",
            "stations[0].years[0].expenses[0].note",
            "records[1].note",
        ],
    )
    @settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,  # the method is inherited by every adapter's class
        ],
    )
    @given(surrogate=st.characters(categories=["Cs"]), at=st.integers(0, 3))
    def test_save_refuses_text_that_utf8_cannot_hold_naming_it(
        self, storage: Storage, where: str, surrogate: str, at: int
    ) -> None:
        """A lone surrogate (what Python makes of bytes that are not UTF-8) has no UTF-8 form:
        no database, audit hash or export can hold it. Saving or replacing with one is
        :class:`InvalidInput` naming its key path, and nothing is written; the unit it was
        tried in is rolled back."""
        good = sample_ledger(sample_programme("u"), size=3)
        text = "样例"[:at] + surrogate + "文本"
        bad = self._with_text(good, where, text)
        for existing in storage.programme_ids():
            storage.delete(existing)
        entries = len(list(storage.audit_entries()))
        with pytest.raises(InvalidInput, match=re.escape(where) + ".*UTF-8"):
            storage.save(bad)
        assert storage.programme_ids() == []
        assert len(list(storage.audit_entries())) == entries  # no entry of the refused save
        storage.save(good)
        entries = len(list(storage.audit_entries()))
        with pytest.raises(InvalidInput, match=re.escape(where)):
            storage.save(bad, replace=True)
        assert storage.load("u") == good
        with pytest.raises((InvalidInput, StorageError)), storage.unit_of_work() as uow:
            uow.save(self._bare("v"))
            with contextlib.suppress(InvalidInput):
                uow.save(bad, replace=True)
            uow.commit()  # refused: the unit was rolled back
        assert storage.programme_ids() == ["u"]
        assert len(list(storage.audit_entries())) == entries  # none of the refused saves'
        assert storage.audit_verify().whole

    @settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,  # the method is inherited by every adapter's class
        ],
    )
    @given(surrogate=st.characters(categories=["Cs"]))
    def test_a_payment_with_text_that_utf8_cannot_hold_is_refused(
        self, storage: Storage, surrogate: str
    ) -> None:
        """A payment whose ``by`` or ``reference`` has a lone surrogate is
        :class:`InvalidInput`, not an encoding error from inside the backend; nothing is
        written, and the trail stays whole."""
        if not storage.exists("p"):
            storage.save(self._bare("p"))
        entries = len(list(storage.audit_entries()))
        for field in ("by", "reference"):
            payment = attrs.evolve(self.sample_payment(), **{field: "出纳" + surrogate})
            with pytest.raises(InvalidInput, match="UTF-8"):
                storage.record_payment("p", payment)
            assert storage.payments("p") == []
        assert len(list(storage.audit_entries())) == entries
        assert storage.audit_verify().whole

    def test_save_refuses_ids_and_numbers_longer_than_the_databases_keep(
        self, storage: Storage
    ) -> None:
        with pytest.raises(InvalidInput, match=r"programme\.id: an id of 256 characters.*255"):
            storage.save(sample_programme("p" * 256))
        good = sample_ledger(sample_programme("p"), size=3)
        hours = Decimal("1." + "1" * 120)
        long = attrs.evolve(good, records=(attrs.evolve(good.records[0], hours=hours),))
        with pytest.raises(InvalidInput, match=r"records\[0\]\.hours: a number of 122 .*100"):
            storage.save(long)
        assert storage.programme_ids() == []
        storage.save(sample_programme("p" * 255))  # at the limit: fine
        assert storage.load("p" * 255) == sample_programme("p" * 255)

    # --- a storage edited outside sgz ------------------------------------------------------------

    @pytest.mark.parametrize(
        ("field", "text"),
        [
            ("hours", "abc"),
            ("hours", "1_0"),
            ("domain", "astrology"),
            ("date", "soon"),
            ("beneficiaries", "[1,"),
            ("administrative", "yes"),
            ("participants", "1.5"),
        ],
    )
    def test_an_edited_record_never_reads_back_as_another_value(
        self, storage: Storage, field: str, text: str
    ) -> None:
        ledger = sample_ledger(sample_programme("p"), size=6)
        storage.save(ledger)
        if not self.corrupt_record(storage, "p", 4, field, text):
            pytest.skip(f"this backend cannot hold {text!r} as {field}")
        for read in (
            lambda: storage.load("p"),
            lambda: list(storage.records("p")),
            lambda: storage.ledger_counts("p"),
        ):
            with pytest.raises(StorageError) as caught:
                read()
            assert field in str(caught.value), caught.value
        assert storage.load("p", records=False) == attrs.evolve(ledger, records=())

    def test_progress_reaches_its_total(self, storage: Storage) -> None:
        calls: list[tuple[int, int]] = []
        storage.save(sample_programme(), progress=lambda done, total: calls.append((done, total)))
        assert calls, "progress was never reported"
        assert all(0 <= d <= t for d, t in calls)
        assert calls[-1][0] == calls[-1][1]

    def test_committed_data_survives_reopening(self, storage: Storage) -> None:
        storage.save(sample_programme("kept"))
        again = self.reopen(storage)
        if again is None:
            pytest.skip("this backend cannot be reopened")
        try:
            assert again.programme_ids() == ["kept"]
            assert again.load("kept") == sample_programme("kept")
            assert again.schema_version == SCHEMA_VERSION
        finally:
            again.close()

    # --- exact values and hard strings -----------------------------------------------------------

    def test_money_dates_and_scores_are_exact(self, storage: Storage) -> None:
        programme = sample_programme()
        storage.save(programme)
        year = storage.load(programme.id).stations[0].years[0]
        assert [f.amount for f in year.funding] == [
            Decimal("50000.00"),
            Decimal("0.01"),
            Decimal("50000.01"),
            Decimal("99999999999.99"),
            Decimal("0.10"),
        ]
        assert all(
            str(f.amount).count(".") == 1 and len(str(f.amount).split(".")[1]) == 2
            for f in year.funding
        )
        assert year.evaluations[0].score == Decimal("86.5")
        assert year.evaluations[1].score is None and year.evaluations[1].outcome is Outcome.STOP
        assert year.signed == dt.date(2024, 7, 1)

    def test_the_fund_ledger_s_fields_round_trip(self, storage: Storage) -> None:
        """Receipts, ring-fenced purposes, expense reasons and hardship relief (schema 3)."""
        programme = sample_programme(texts=TRICKY_STRINGS)
        storage.save(programme)
        loaded = storage.load(programme.id)
        year = loaded.stations[0].years[0]
        assert year.receipts == programme.stations[0].years[0].receipts
        assert [r.amount for r in year.receipts] == [Decimal("50000.00"), Decimal("0.10")]
        assert year.funding[-1].purposes == (TRICKY_STRINGS[-1], "services")
        assert [f.purposes for f in year.funding[:-1]] == [None] * 4
        assert year.expenses[-1].reason == TRICKY_STRINGS[0] and year.expenses[0].reason is None
        assert loaded.hardship_relief == programme.hardship_relief
        assert loaded == programme

    def test_quotes_sql_fragments_and_emoji_round_trip(self, storage: Storage) -> None:
        programme = sample_programme("'; DROP TABLE programmes; --", texts=TRICKY_STRINGS)
        storage.save(programme)
        assert storage.programme_ids() == [programme.id]
        assert storage.load(programme.id) == programme

    def test_sql_fragments_in_ids_records_and_filters_are_data(self, storage: Storage) -> None:
        """Every id, name and note full of quotes and SQL: stored, filtered and counted by, and
        read back byte for byte (the SQL stays parameterised)."""
        programme = sample_ledger(
            sample_programme("p'); DROP TABLE service_records; --", texts=TRICKY_STRINGS), size=40
        )
        storage.save(programme)
        storage.save(sample_ledger(sample_programme("' OR '1'='1"), size=5))
        assert storage.load(programme.id) == programme
        assert sorted(storage.programme_ids()) == sorted([programme.id, "' OR '1'='1"])
        for station in programme.stations[:4]:
            query = RecordQuery(station=station.id)
            expected = list(filter_records(programme.records, query, programme.start))
            assert list(storage.records(programme.id, query)) == expected
            assert storage.ledger_counts(programme.id, query) == count_ledger(
                expected, programme.start
            )
        assert list(storage.records(programme.id, RecordQuery(station="' OR 1=1 --"))) == []

    def test_every_cjk_block_round_trips(self, storage: Storage) -> None:
        texts = tuple(cjk_block_text(*span) for span in CJK_BLOCKS.values())
        programme = sample_programme("cjk", texts=texts)
        storage.save(programme)
        loaded = storage.load("cjk")
        for block, original, back in zip(
            CJK_BLOCKS, programme.stations, loaded.stations, strict=True
        ):
            assert back.street == original.street, f"{block} changed in storage"
        assert loaded == programme

    @settings(
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,  # one storage for all examples: ids are replaced
            HealthCheck.differing_executors,  # the method is inherited by every adapter's class
        ],
    )
    @given(programme=strategies.programmes())
    def test_load_of_save_is_identity_for_generated_programmes(
        self, storage: Storage, programme: Programme
    ) -> None:
        storage.save(programme, replace=True)
        assert storage.load(programme.id) == programme

    @settings(
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(programme=strategies.casework_programmes())
    def test_load_of_save_is_identity_for_generated_casework(
        self, storage: Storage, programme: Programme
    ) -> None:
        """Every casework section too: beneficiaries, cases, the ledger (with groups, cases,
        teams, funds and notes), referrals, and the linkage, talent and publicity sections."""
        storage.save(programme, replace=True)
        assert storage.load(programme.id) == programme

    # --- units of work ---------------------------------------------------------------------------

    def test_a_unit_of_work_rolls_back_unless_committed(self, storage: Storage) -> None:
        with storage.unit_of_work() as uow:
            uow.save(sample_programme("p"))
            assert uow.exists("p")
        assert storage.programme_ids() == []

    def test_a_unit_of_work_rolls_back_on_an_exception(self, storage: Storage) -> None:
        class Boom(Exception):
            pass

        with pytest.raises(Boom), storage.unit_of_work() as uow:
            uow.save(sample_programme("p"))
            raise Boom
        assert storage.programme_ids() == []

    def test_a_unit_of_work_is_all_or_nothing(self, storage: Storage) -> None:
        storage.save(sample_programme("taken"))
        with pytest.raises(AlreadyExists), storage.unit_of_work() as uow:
            uow.save(sample_programme("a"))
            uow.delete("taken")
            uow.save(sample_programme("b"))
            uow.save(sample_programme("b"))  # refused: the unit fails, so nothing above stays
            uow.commit()
        assert storage.programme_ids() == ["taken"]
        assert storage.load("taken") == sample_programme("taken")

    def test_a_committed_unit_keeps_everything(self, storage: Storage) -> None:
        storage.save(sample_programme("old"))
        with storage.unit_of_work() as uow:
            uow.save(sample_programme("a"))
            uow.save(sample_programme("old", texts=("新",)), replace=True)
            assert uow.load("old") == sample_programme("old", texts=("新",))
            uow.delete("a")
            uow.save(sample_programme("b"))
            assert uow.programme_ids() == ["b", "old"]
            uow.commit()
        assert storage.programme_ids() == ["b", "old"]
        assert storage.load("old") == sample_programme("old", texts=("新",))

    def test_a_rolled_back_replace_keeps_the_old_programme(self, storage: Storage) -> None:
        old = sample_programme("p")
        storage.save(old)
        with storage.unit_of_work() as uow:
            uow.save(sample_programme("p", texts=("新", "的")), replace=True)
            uow.rollback()
        assert storage.load("p") == old

    def test_a_finished_unit_refuses_more_work(self, storage: Storage) -> None:
        with storage.unit_of_work() as uow:
            uow.commit()
            with pytest.raises(StorageError):
                uow.save(sample_programme())
            with pytest.raises(StorageError):
                uow.commit()
        with pytest.raises(StorageError), uow:
            pass

    def test_units_one_after_another_see_each_others_commits(self, storage: Storage) -> None:
        for i in range(3):
            with storage.unit_of_work() as uow:
                uow.save(sample_programme(f"p{i}"))
                uow.commit()
            with storage.unit_of_work() as uow:
                assert uow.programme_ids() == [f"p{j}" for j in range(i + 1)]

    # --- service records ---------------------------------------------------------------------

    def _with_ledger(self, storage: Storage) -> Programme:
        ledger = self.sample_records(sample_programme("ledger", texts=("一", "二")))
        storage.save(ledger)
        storage.save(sample_ledger(sample_programme("other", texts=("一", "二")), size=7))
        return ledger

    def test_programme_start_is_read_without_loading(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        with storage.reader() as uow:
            assert uow.programme_start("p") == dt.date(2024, 7, 1)
            with pytest.raises(NotFound):
                uow.programme_start("missing")

    def test_records_of_an_unknown_programme_are_not_found(self, storage: Storage) -> None:
        with pytest.raises(NotFound):
            list(storage.records("missing"))

    def test_records_stream_in_ledger_order(self, storage: Storage) -> None:
        ledger = self._with_ledger(storage)
        assert list(storage.records(ledger.id)) == list(ledger.records)
        assert storage.load(ledger.id) == ledger

    def test_records_are_filtered_by_domain_members_too(self, storage: Storage) -> None:
        ledger = self._with_ledger(storage)
        query = RecordQuery(domain=ServiceDomain.ELDERLY, year=2)
        found = list(storage.records(ledger.id, query))
        assert found and all(r.domain is ServiceDomain.ELDERLY for r in found)
        assert found == list(filter_records(ledger.records, query, ledger.start))

    def test_records_stream_inside_a_unit_of_work(self, storage: Storage) -> None:
        ledger = self._with_ledger(storage)
        with storage.unit_of_work() as uow:
            uow.save(sample_programme("ledger"), replace=True)  # no records now, in this unit
            assert list(uow.records("ledger")) == []
        assert list(storage.records("ledger")) == list(ledger.records)

    @pytest.mark.parametrize(
        "query",
        [
            RecordQuery(station="s0-一"),
            RecordQuery(station="nowhere"),
            RecordQuery(year=1),
            RecordQuery(year=2),
            RecordQuery(domain="elderly"),
            RecordQuery(domain="child_welfare"),
            RecordQuery(start=dt.date(2024, 9, 1)),
            RecordQuery(end=dt.date(2024, 9, 1)),
            RecordQuery(start=dt.date(2024, 8, 1), end=dt.date(2024, 12, 31), station="s1-二"),
            RecordQuery(
                year=1, domain="social_assistance", station="s0-一", start=dt.date(2025, 1, 1)
            ),
        ],
        ids=repr,
    )
    def test_records_are_filtered_like_the_pure_reference(
        self, storage: Storage, query: RecordQuery
    ) -> None:
        ledger = self._with_ledger(storage)
        expected = list(filter_records(ledger.records, query, ledger.start))
        assert list(storage.records(ledger.id, query)) == expected

    @pytest.mark.parametrize(
        "query",
        [
            RecordQuery(),
            RecordQuery(station="s0-一"),
            RecordQuery(year=2),
            RecordQuery(domain="elderly"),
            RecordQuery(start=dt.date(2024, 8, 1), end=dt.date(2024, 12, 31), station="s1-二"),
        ],
        ids=repr,
    )
    def test_ledger_counts_agree_with_pure_counting(
        self, storage: Storage, query: RecordQuery
    ) -> None:
        ledger = self._with_ledger(storage)
        categories = {"b1": ("elderly_alone",), "b2": ("orphan", "left_behind_child")}
        for until in (None, dt.date(2025, 3, 1), dt.date(2020, 1, 1)):
            expected = count_ledger(
                filter_records(ledger.records, query, ledger.start),
                ledger.start,
                categories,
                until=until,
            )
            got = storage.ledger_counts(ledger.id, query, categories_of=categories, until=until)
            assert got == expected
        assert storage.ledger_counts(
            ledger.id, query, categories_of=categories
        ).total().records > 0 or (query.domain is not None or query.station is not None)

    @settings(
        deadline=None,
        max_examples=25,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(programme=strategies.casework_programmes(max_records=12))
    def test_ledger_counts_of_generated_casework_agree_with_pure_counting(
        self, storage: Storage, programme: Programme
    ) -> None:
        storage.save(programme, replace=True)
        categories = categories_by_person(programme.beneficiaries)
        expected = count_ledger(programme.records, programme.start, categories)
        assert storage.ledger_counts(programme.id, categories_of=categories) == expected

    def test_ledger_counts_of_an_unknown_programme_are_not_found(self, storage: Storage) -> None:
        with pytest.raises(NotFound):
            storage.ledger_counts("nothing-here")

    # --- recorded payments (PAY-1) ----------------------------------------------------------------

    @staticmethod
    def sample_payment(
        station: str = "s-1", milestone: Milestone = Milestone.CONTRACT_SIGNED, **changes: object
    ) -> Payment:
        """A payment with every field set, hard strings included."""
        payment = Payment(
            station=station,
            year=2,
            milestone=milestone,
            amount=Decimal("90000.01"),
            paid_on=dt.date(2025, 7, 3),
            by="李会计 O'Brien; DROP TABLE payments;--",
            reference="拨付凭证 2025-07 第3号 😀",
            recorded_at=dt.datetime(2025, 7, 3, 8, 30, 5, tzinfo=dt.UTC),
        )
        return attrs.evolve(payment, **changes)

    def test_a_payment_round_trips(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        payment = self.sample_payment()
        assert storage.record_payment("p", payment) == payment
        assert storage.payments("p") == [payment]
        bare = self.sample_payment("s-2", reference=None, recorded_at=None)
        storage.record_payment("p", bare)
        assert storage.payments("p") == [payment, bare]
        assert storage.payments("p", station="s-2") == [bare]
        assert storage.payments("p", station="nobody") == []

    def test_payments_come_in_schedule_order(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        made = [
            self.sample_payment(st, m, year=y)
            for st in ("b", "a")
            for y in (2, 1)
            for m in (Milestone.FINAL, Milestone.MID_TERM, Milestone.CONTRACT_SIGNED)
        ]
        with storage.unit_of_work() as uow:
            for p in made:
                uow.record_payment("p", p)
            uow.commit()
        order = list(Milestone)
        expected = sorted(made, key=lambda p: (p.station, p.year, order.index(p.milestone)))
        assert storage.payments("p") == expected

    def test_paying_a_tranche_again_is_already_paid_and_writes_nothing(
        self, storage: Storage
    ) -> None:
        storage.save(sample_programme("p"))
        first = self.sample_payment()
        storage.record_payment("p", first)
        again = self.sample_payment(
            amount=Decimal("1.00"), by="王出纳", paid_on=dt.date(2026, 1, 1)
        )
        with pytest.raises(AlreadyPaid) as caught:
            storage.record_payment("p", again)
        assert caught.value.payment == first
        assert storage.payments("p") == [first]

    def test_one_station_is_read_alone(self, storage: Storage) -> None:
        one = sample_programme("p")
        first = one.stations[0]
        others = tuple(attrs.evolve(first, id=f"{first.id}-{k}") for k in (2, 3))
        programme = attrs.evolve(one, stations=(first, *others))
        storage.save(programme)
        storage.save(sample_programme("q"))
        middle = others[0]
        with storage.reader() as uow:
            alone = uow.load_station("p", middle.id)
            with pytest.raises(NotFound):
                uow.load_station("p", "nobody")
            with pytest.raises(NotFound):
                uow.load_station("nothing-here", middle.id)
        assert alone == station_part(programme, middle.id)

    @settings(
        deadline=None,
        max_examples=15,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(programme=strategies.casework_programmes(max_stations=3), size=st.integers(1, 3))
    def test_the_check_reads_its_head_and_parts_like_the_reference(
        self, storage: Storage, programme: Programme, size: int
    ) -> None:
        """``check --db`` station by station (issue 12): the head and the parts read in one unit
        equal the pure reference :func:`sgz_core.storage.check_parts`."""
        storage.save(programme, replace=True)
        with storage.reader() as uow:
            head = uow.load_check_head(programme.id)
            parts = list(uow.check_parts(programme.id, size))
            with pytest.raises(NotFound):
                uow.load_check_head("nothing-here")
            with pytest.raises(NotFound):
                uow.check_parts("nothing-here")
        assert head == attrs.evolve(programme, stations=(), records=())
        assert parts == list(check_parts(programme, size))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(programme=strategies.money_programmes())
    def test_the_money_part_is_read_alone(self, storage: Storage, programme: Programme) -> None:
        """``load_money`` gives ``money_part`` of the programme saved (issue 11): what the
        schedule and the payment decisions read, exactly (the same Decimal digits too)."""
        storage.save(programme, replace=True)
        with storage.reader() as uow:
            lean = uow.load_money(programme.id)
            with pytest.raises(NotFound):
                uow.load_money("nothing-here")
        assert lean == money_part(programme)
        assert repr(lean) == repr(money_part(programme))

    def test_several_payments_are_recorded_at_once(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        made = [
            self.sample_payment(st, m, year=y)
            for st in ("b", "a")
            for y in (1, 2)
            for m in (Milestone.CONTRACT_SIGNED, Milestone.MID_TERM)
        ]
        assert storage.record_payments("p", made) == [None] * len(made)
        order = list(Milestone)
        expected = sorted(made, key=lambda p: (p.station, p.year, order.index(p.milestone)))
        assert storage.payments("p") == expected
        assert storage.record_payments("p", []) == []

    def test_recording_several_keeps_the_earlier_payment_of_a_tranche(
        self, storage: Storage
    ) -> None:
        storage.save(sample_programme("p"))
        first = self.sample_payment()
        storage.record_payment("p", first)
        again = self.sample_payment(amount=Decimal("1.00"), by="王出纳")
        other = self.sample_payment(milestone=Milestone.MID_TERM)
        with storage.unit_of_work() as uow:
            assert uow.record_payments("p", [other, again]) == [None, first]
            uow.record_payment("p", self.sample_payment("s-9"))  # the unit stays usable
            uow.commit()
        assert storage.payments("p") == [first, other, self.sample_payment("s-9")]

    def test_recording_several_refuses_a_tranche_twice_and_what_is_not_a_payment(
        self, storage: Storage
    ) -> None:
        storage.save(sample_programme("p"))
        twice = [self.sample_payment(), self.sample_payment(by="王出纳")]
        with pytest.raises(InvalidInput, match="at most once"):
            storage.record_payments("p", twice)
        with pytest.raises(InvalidInput, match=r"payments\[1\]"):
            storage.record_payments("p", [self.sample_payment(), "90000.00"])  # type: ignore[list-item]
        with pytest.raises(NotFound):
            storage.record_payments("nothing-here", [self.sample_payment()])
        assert storage.payments("p") == []

    def test_several_payments_rolled_back_are_not_kept(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        with storage.unit_of_work() as uow:
            uow.record_payments("p", [self.sample_payment(), self.sample_payment("s-2")])
        assert storage.payments("p") == []

    def test_a_unit_stays_usable_after_the_unique_key_refused_a_payment(
        self, storage: Storage
    ) -> None:
        storage.save(sample_programme("p"))
        first = self.sample_payment()
        other = self.sample_payment(milestone=Milestone.MID_TERM)
        with storage.unit_of_work() as uow:
            uow.record_payment("p", first)
            with pytest.raises(AlreadyPaid):
                uow.record_payment("p", self.sample_payment(by="another officer"))
            uow.record_payment("p", other)
            assert uow.payments("p") == [first, other]
            uow.commit()
        assert storage.payments("p") == [first, other]

    def test_the_same_tranche_of_another_programme_is_another_payment(
        self, storage: Storage
    ) -> None:
        storage.save(sample_programme("p"))
        storage.save(sample_programme("q"))
        storage.record_payment("p", self.sample_payment())
        storage.record_payment("q", self.sample_payment())
        assert storage.payments("q") == [self.sample_payment()]

    def test_a_payment_rolled_back_is_not_kept(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        with storage.unit_of_work() as uow:
            uow.record_payment("p", self.sample_payment())
        assert storage.payments("p") == []

    def test_payments_survive_replacing_the_programme(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        payment = self.sample_payment()
        storage.record_payment("p", payment)
        smaller = sample_programme("p", texts=("四",))
        storage.save(smaller, replace=True)
        assert storage.load("p") == smaller
        assert storage.payments("p") == [payment]

    def test_a_programme_with_payments_is_not_deleted(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        storage.save(sample_programme("q"))
        storage.record_payment("p", self.sample_payment())
        with pytest.raises(StorageError, match="recorded payment"):
            storage.delete("p")
        assert storage.programme_ids() == ["p", "q"]
        assert storage.payments("p") == [self.sample_payment()]
        storage.delete("q")  # one without payments still goes
        assert storage.programme_ids() == ["p"]

    def test_payments_of_an_unknown_programme_are_not_found(self, storage: Storage) -> None:
        with pytest.raises(NotFound):
            storage.payments("nothing-here")
        with pytest.raises(NotFound):
            storage.record_payment("nothing-here", self.sample_payment())

    def test_record_payment_refuses_what_is_not_a_payment(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        with pytest.raises(InvalidInput):
            storage.record_payment("p", "90000.00")  # type: ignore[arg-type]
        assert storage.payments("p") == []

    def test_payments_survive_reopening(self, storage: Storage) -> None:
        storage.save(sample_programme("p"))
        storage.record_payment("p", self.sample_payment())
        again = self.reopen(storage)
        if again is None:
            pytest.skip("this backend cannot be reopened")
        try:
            assert again.payments("p") == [self.sample_payment()]
        finally:
            again.close()

    # --- the audit trail (AUD-1) --------------------------------------------------------------

    AT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    @staticmethod
    def _bare(programme_id: str, texts: tuple[str, ...] = ()) -> Programme:
        """:func:`sample_programme` without evaluations, corrective actions, receipts and
        expenses: its import or replace appends exactly one entry (their entries have tests
        of their own below)."""
        p = sample_programme(programme_id, texts=texts)
        stations = tuple(
            attrs.evolve(
                s,
                years=tuple(
                    attrs.evolve(y, evaluations=(), actions=(), receipts=(), expenses=())
                    for y in s.years
                ),
            )
            for s in p.stations
        )
        return attrs.evolve(p, stations=stations)

    def _trail(self, storage: Storage) -> list[AuditEntry]:
        """Import, payment, replace, import of another, delete: five entries."""
        storage.save(self._bare("p"), by="张科长", at=self.AT)
        storage.record_payment("p", self.sample_payment(), at=self.AT)
        storage.save(self._bare("p", texts=("改",)), replace=True, by="王科长", at=self.AT)
        storage.save(self._bare("q"), by="张科长", at=self.AT)
        storage.delete("q", by="张科长", at=self.AT)
        return list(storage.audit_entries())

    def test_a_new_storage_has_a_whole_empty_trail(self, storage: Storage) -> None:
        assert list(storage.audit_entries()) == []
        verdict = storage.audit_verify()
        assert verdict.whole and verdict.count == 0 and verdict.head == GENESIS
        assert storage.audit_head().count == 0

    def test_every_recorded_operation_appends_its_entry(self, storage: Storage) -> None:
        entries = self._trail(storage)
        assert [(e.seq, e.action, e.programme, e.who) for e in entries] == [
            (1, AuditAction.IMPORT, "p", "张科长"),
            (2, AuditAction.PAYMENT, "p", self.sample_payment().by),
            (3, AuditAction.REPLACE, "p", "王科长"),
            (4, AuditAction.IMPORT, "q", "张科长"),
            (5, AuditAction.DELETE, "q", "张科长"),
        ]
        assert all(e.at == self.AT for e in entries)
        imported, paid, replaced, _, deleted = entries
        assert imported.before is None and imported.after is not None
        assert replaced.before == imported.after and replaced.after != imported.after
        assert deleted.after is None and deleted.before == entries[3].after
        assert (paid.station, paid.year, paid.subject) == ("s-1", 2, "contract_signed")
        assert paid.after is not None and '"amount":"90000.01"' in paid.after
        verdict = storage.audit_verify()
        assert verdict.whole and verdict.count == 5 and verdict.head == deleted.hash
        assert storage.audit_head().count == 5

    def test_the_clock_and_the_user_default_to_the_adapter_s(self, storage: Storage) -> None:
        storage.save(self._bare("p"))
        [entry] = storage.audit_entries()
        assert entry.at.tzinfo is dt.UTC and entry.at.year >= 2024
        assert entry.who.strip()

    def test_entries_are_filtered_by_programme_and_station(self, storage: Storage) -> None:
        self._trail(storage)
        assert [e.seq for e in storage.audit_entries("p")] == [1, 2, 3]
        assert [e.seq for e in storage.audit_entries("q")] == [4, 5]
        assert [e.seq for e in storage.audit_entries("p", "s-1")] == [2]
        assert [e.seq for e in storage.audit_entries(station="s-1")] == [2]
        assert list(storage.audit_entries("nothing-here")) == []

    def test_paying_again_appends_nothing(self, storage: Storage) -> None:
        storage.save(self._bare("p"))
        storage.record_payment("p", self.sample_payment())
        with pytest.raises(AlreadyPaid):
            storage.record_payment("p", self.sample_payment())
        assert [e.action for e in storage.audit_entries()] == [
            AuditAction.IMPORT,
            AuditAction.PAYMENT,
        ]

    def test_a_rolled_back_unit_appends_nothing(self, storage: Storage) -> None:
        storage.save(self._bare("p"))
        with storage.unit_of_work() as uow:
            uow.save(self._bare("q"))
            uow.record_payment("p", self.sample_payment())
            inside = list(uow.audit_entries())  # the unit sees its own entries
            assert [e.seq for e in inside] == [1, 2, 3]
            assert uow.audit_verify().whole
        assert [e.seq for e in storage.audit_entries()] == [1]
        assert storage.payments("p") == []
        storage.record_payment("p", self.sample_payment())  # the next one is number 2 again
        assert [e.seq for e in storage.audit_entries()] == [1, 2]
        assert storage.audit_verify().whole

    def test_a_refused_operation_appends_nothing(self, storage: Storage) -> None:
        storage.save(self._bare("p"))
        with pytest.raises(AlreadyExists):
            storage.save(self._bare("p"))
        with pytest.raises(InvalidInput):
            storage.save(self._dangling())
        storage.record_payment("p", self.sample_payment())
        with pytest.raises(StorageError):
            storage.delete("p")  # it has a payment
        assert [e.seq for e in storage.audit_entries()] == [1, 2]
        assert storage.audit_verify().whole

    def test_a_payment_and_its_entry_are_committed_together(self, storage: Storage) -> None:
        storage.save(self._bare("p"))
        with storage.unit_of_work() as uow:
            uow.record_payment("p", self.sample_payment(), by="出纳")
            uow.commit()
        [paid] = storage.payments("p")
        entry = list(storage.audit_entries())[-1]
        assert entry.action is AuditAction.PAYMENT and entry.who == "出纳"
        assert entry.at == paid.recorded_at

    def test_the_trail_survives_reopening(self, storage: Storage) -> None:
        entries = self._trail(storage)
        again = self.reopen(storage)
        if again is None:
            pytest.skip("this backend cannot be reopened")
        try:
            assert list(again.audit_entries()) == entries
            assert again.audit_verify().whole
            again.save(self._bare("r"))  # appends after the stored head
            assert [e.seq for e in again.audit_entries()][-2:] == [5, 6]
            assert again.audit_verify().whole
        finally:
            again.close()

    @settings(
        deadline=None,
        max_examples=25,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        ops=st.lists(
            st.tuples(
                st.sampled_from(["save", "pay", "delete"]),
                st.sampled_from(["a", "b"]),
                st.sampled_from(["s-1", "s-2"]),
                st.booleans(),  # commit the unit, or leave it to roll back
            ),
            max_size=10,
        )
    )
    def test_the_trail_is_exactly_the_committed_operations(
        self, storage: Storage, ops: list[tuple[str, str, str, bool]]
    ) -> None:
        """Any sequence of saves, replaces, payments and deletes, each in a unit committed or
        rolled back, refused or not: the trail gains one entry per committed operation, in
        order, each save followed by the entries of the items it recorded, changed or removed
        (:func:`sgz_core.audit_diff.changes`), and stays whole."""
        start = storage.audit_head().count
        for pid in ("a", "b"):  # a clean slate for this example (these entries are expected)
            if storage.exists(pid) and not storage.payments(pid):
                storage.delete(pid)
        expected = [e.action for e in storage.audit_entries()][start:]
        for op, pid, station, commit in ops:
            with storage.unit_of_work() as uow:
                try:
                    if op == "save":
                        new = sample_programme(pid, texts=(station,))
                        old = uow.load(pid, records=False) if uow.exists(pid) else None
                        actions = [
                            AuditAction.IMPORT if old is None else AuditAction.REPLACE,
                            *(c.action for c in item_changes(old, new)),
                        ]
                        uow.save(new, replace=True)
                    elif op == "pay":
                        actions = [AuditAction.PAYMENT]
                        uow.record_payment(pid, self.sample_payment(station))
                    else:
                        actions = [AuditAction.DELETE]
                        uow.delete(pid)
                except (NotFound, AlreadyPaid, StorageError):
                    continue  # refused: the unit rolls back
                if commit:
                    uow.commit()
                    expected.extend(actions)
        got = [e.action for e in storage.audit_entries()][start:]
        assert got == expected
        verdict = storage.audit_verify()
        assert verdict.whole and verdict.count == start + len(expected)

    # tampering outside sgz: the kit rewrites the stored rows through the subclass's hooks

    def _tampered(self, storage: Storage, change: str) -> int:
        """Apply one tampering to a five-entry trail; the position of the first bad entry."""
        self._trail(storage)
        rows = self.audit_rows(storage)
        if rows is None:
            pytest.skip("this backend's test gives no raw access to the audit trail")
        assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
        if change == "changed":
            rows[2] = {**rows[2], "who": "别人"}
            bad = 3
        elif change == "amount":
            rows[1] = {**rows[1], "after": str(rows[1]["after"]).replace("90000.01", "99000.01")}
            bad = 2
        elif change == "removed":
            del rows[1]
            bad = 2
        elif change == "removed_last":
            del rows[4]
            bad = 5
        elif change == "inserted":  # a copy of entry 2 as the new entry 3, the rest moved on
            rows = [
                *rows[:2],
                {**rows[1], "seq": 3},
                *({**r, "seq": n} for n, r in enumerate(rows[2:], 4)),
            ]
            bad = 3
        elif change == "swapped":  # entries 2 and 3 exchange their places
            rows[1], rows[2] = {**rows[2], "seq": 2}, {**rows[1], "seq": 3}
            bad = 2
        else:
            raise AssertionError(change)
        self.write_audit_rows(storage, rows)
        return bad

    @pytest.mark.parametrize(
        "change", ["changed", "amount", "removed", "removed_last", "inserted", "swapped"]
    )
    def test_tampering_outside_sgz_is_found(self, storage: Storage, change: str) -> None:
        bad = self._tampered(storage, change)
        verdict = storage.audit_verify()
        assert not verdict.whole
        assert verdict.bad == bad
        if change in ("removed", "removed_last"):
            assert verdict.problem is AuditProblem.REMOVED
        assert verdict.why is not None and verdict.why.zh and verdict.why.en
        again = self.reopen(storage)
        if again is not None:  # found by a new handle too
            try:
                assert again.audit_verify().bad == bad
            finally:
                again.close()

    def test_untouched_raw_rows_read_back_as_the_same_entries(self, storage: Storage) -> None:
        entries = self._trail(storage)
        rows = self.audit_rows(storage)
        if rows is None:
            pytest.skip("this backend's test gives no raw access to the audit trail")
        assert [AuditEntry.from_plain(r) for r in rows] == entries
        self.write_audit_rows(storage, rows)  # written back unchanged: still whole
        assert storage.audit_verify().whole

    # --- the entries of evaluations, corrective actions, receipts, expenses (issue 11, AUD-1) ---

    @staticmethod
    def _with_year_one(programme: Programme, **fields: Any) -> Programme:
        """``programme`` with fields of its first station's first contract year changed."""
        station = programme.stations[0]
        year = attrs.evolve(station.years[0], **fields)
        station = attrs.evolve(station, years=(year, *station.years[1:]))
        return attrs.evolve(programme, stations=(station, *programme.stations[1:]))

    def _with_action(self, programme_id: str) -> Programme:
        """:func:`sample_programme` with an open corrective action in year 1."""
        action = CorrectiveAction(
            "ca-1", dt.date(2025, 1, 15), "补足驻站社工 😀", dt.date(2025, 3, 31)
        )
        return self._with_year_one(sample_programme(programme_id), actions=(action,))

    @staticmethod
    def _items(entries: list[AuditEntry]) -> list[tuple[object, ...]]:
        return [(e.action, e.station, e.year, e.subject, e.before, e.after) for e in entries]

    def test_an_import_appends_an_entry_per_item_after_its_own(self, storage: Storage) -> None:
        programme = self._with_action("p")
        storage.save(programme, by="张科长", at=self.AT)
        entries = list(storage.audit_entries())
        station = programme.stations[0].id
        assert entries[0].action is AuditAction.IMPORT and entries[0].station is None
        assert [(e.action, e.subject) for e in entries[1:]] == [
            (AuditAction.EVALUATION_RECORDED, "mid_term 2025-01-15"),
            (AuditAction.EVALUATION_RECORDED, "final 2025-06-20"),
            (AuditAction.ACTION_RECORDED, "ca-1"),
            (AuditAction.RECEIPT_RECORDED, "2024-07-05 province"),
            (AuditAction.RECEIPT_RECORDED, "2024-07-06 external"),
            (AuditAction.EXPENSE_RECORDED, "2024-08-01 province posts"),
            (AuditAction.EXPENSE_RECORDED, "2024-08-02 external 样例"),
        ]
        assert self._items(entries[1:]) == self._items_of(item_changes(None, programme))
        assert all(
            (e.who, e.at, e.programme, e.station, e.year, e.before)
            == ("张科长", self.AT, "p", station, 1, None)
            for e in entries[1:]
        )
        assert entries[4].after == (
            '{"amount":"50000.00","date":"2024-07-05","note":"样例","source":"province"}'
        )
        assert entries[3].after is not None and "补足驻站社工 😀" in entries[3].after
        verdict = storage.audit_verify()
        assert verdict.whole and verdict.count == 8 and verdict.head == entries[-1].hash
        assert [e.seq for e in storage.audit_entries("p", station)] == list(range(2, 9))

    def test_a_replace_appends_what_changed_after_its_own_entry(self, storage: Storage) -> None:
        before = self._with_action("p")
        storage.save(before, at=self.AT)
        start = storage.audit_head().count
        year = before.stations[0].years[0]
        after = self._with_year_one(
            before,
            evaluations=(
                attrs.evolve(year.evaluations[0], score=Decimal("70")),
                year.evaluations[1],
            ),
            actions=(attrs.evolve(year.actions[0], closed=dt.date(2025, 3, 20)),),
            receipts=year.receipts[:1],
            expenses=(
                *year.expenses,
                Expense(dt.date(2024, 9, 1), "training", FundingSource.DISTRICT, Decimal("800.5")),
            ),
        )
        storage.save(after, replace=True, by="王科长", at=self.AT)
        new = list(storage.audit_entries())[start:]
        assert [(e.action, e.subject) for e in new] == [
            (AuditAction.REPLACE, None),
            (AuditAction.EVALUATION_CHANGED, "mid_term 2025-01-15"),
            (AuditAction.ACTION_CLOSED, "ca-1"),
            (AuditAction.RECEIPT_REMOVED, "2024-07-06 external"),
            (AuditAction.EXPENSE_RECORDED, "2024-09-01 district training"),
        ]
        changed, closed, removed, recorded = new[1:]
        assert changed.before is not None and '"score":"86.5"' in changed.before
        assert changed.after is not None and '"score":"70"' in changed.after
        assert closed.before is not None and '"closed"' not in closed.before
        assert closed.after is not None and '"closed":"2025-03-20"' in closed.after
        assert removed.before is not None and removed.after is None
        assert recorded.before is None and recorded.after == (
            '{"amount":"800.50","category":"training","date":"2024-09-01","fund":"district",'
            '"note":""}'
        )
        assert all(e.who == "王科长" and e.at == self.AT for e in new)
        assert self._items(new[1:]) == self._items_of(item_changes(before, after))
        storage.save(after, replace=True)  # nothing changed: the replace entry only
        assert [e.action for e in storage.audit_entries()][start + len(new) :] == [
            AuditAction.REPLACE
        ]
        assert storage.audit_verify().whole

    @staticmethod
    def _items_of(found: list[ItemChange]) -> list[tuple[object, ...]]:
        return [(c.action, c.station, c.year, c.subject, c.before, c.after) for c in found]

    @pytest.mark.parametrize("replace", [False, True])
    def test_a_failed_save_leaves_neither_the_programme_nor_its_entries(
        self, storage: Storage, replace: bool
    ) -> None:
        """The item entries are written in the save's unit (AUD-1): a save that fails after
        some of them were written, or a unit left uncommitted, keeps none of them."""
        before = self._with_action("p")
        if replace:
            storage.save(before, at=self.AT)
        trail = list(storage.audit_entries())
        after = self._with_year_one(before, receipts=(), expenses=())

        def failing(entries: list[AuditEntry]) -> None:
            uow._append_audit(entries[0])  # one item entry written, then the save fails
            raise StorageError("injected failure after the first item entry")

        with storage.unit_of_work() as uow:
            setattr(uow, "_append_audits", failing)  # noqa: B010 - on this unit only
            with pytest.raises(StorageError, match="injected"):
                uow.save(after if replace else before, replace=replace)
        with pytest.raises(RuntimeError, match="the caller's"), storage.unit_of_work() as uow:
            uow.save(after if replace else before, replace=replace)
            assert len(list(uow.audit_entries())) > len(trail) + 1
            raise RuntimeError("the caller's own failure before commit")
        assert list(storage.audit_entries()) == trail
        if replace:
            assert storage.load("p", records=False) == before
        else:
            assert not storage.exists("p")
        verdict = storage.audit_verify()
        assert verdict.whole and verdict.count == len(trail)
        storage.save(after if replace else before, replace=replace)  # the next save is whole
        assert storage.audit_verify().whole
        assert storage.audit_head().count > len(trail) + 1


__all__ = [
    "CJK_BLOCKS",
    "TRICKY_STRINGS",
    "StorageContract",
    "cjk_block_text",
    "sample_ledger",
    "sample_programme",
]
