"""The audit entries of evaluations, corrective actions, receipts and expenses (issue 11 item 4,
AUD-1): :func:`sgz_core.audit_diff.changes` over generated programmes, and pinned examples.

Properties: applying the entries' ``after``s to the programme before gives the programme after,
section by section; the same programme (or an equal copy) gives no entry; one item changed gives
exactly one entry naming it; the entries come in the documented order and each makes a valid
audit entry; an item's JSON reads back as the same item.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import audit_diff
from sgz_core.audit import AuditAction, AuditHead, append, canonical_json, verify
from sgz_core.audit_diff import (
    MAX_BASE,
    SECTION_OF,
    SECTIONS,
    ItemChange,
    Section,
    apply,
    changes,
    item_from_json,
    item_json,
    keyed,
    natural_key,
    section_items,
)
from sgz_core.enums import EvaluationKind, FundingSource, Outcome
from sgz_core.errors import InvalidInput
from sgz_core.jsonvalue import to_plain
from sgz_core.model import (
    ContractYear,
    CorrectiveAction,
    Evaluation,
    Expense,
    Programme,
    Receipt,
    Result,
    Station,
)
from sgz_core.testing import strategies as sgz_st

DAYS = st.sampled_from([dt.date(2024, 7, 5), dt.date(2025, 1, 10), dt.date(2025, 6, 20)])
"""Few days, so that natural keys meet (the same item before and after, repeated keys)."""
NUMBERS = st.sampled_from([Decimal("58"), Decimal("86.5"), Decimal("86.50"), Decimal("0")])
MONEY = st.sampled_from([Decimal("0.10"), Decimal("50000"), Decimal("12000.5")])
NOTES = st.sampled_from(["", "首笔", "x\x1fy"])
RESULTS = st.lists(
    st.builds(Result, indicator=st.sampled_from(["a", "b"]), value=NUMBERS), max_size=2
)
ITEMS: dict[Section, st.SearchStrategy[Any]] = {
    "evaluations": st.builds(
        Evaluation,
        kind=st.sampled_from(EvaluationKind),
        date=DAYS,
        score=NUMBERS,
        outcome=st.none() | st.sampled_from(Outcome),
        results=RESULTS,
        reason=st.none() | NOTES,
    ),
    "actions": st.builds(
        CorrectiveAction,
        id=st.sampled_from(["ca-1", "ca-2", "", "ca-1 #2"]),
        evaluation=DAYS,
        action=st.sampled_from(["补足驻站社工", "整改"]),
        due=DAYS,
        indicator=st.none() | st.just("file_quality"),
        closed=st.none() | DAYS,
    ),
    "receipts": st.builds(
        Receipt, date=DAYS, source=st.sampled_from(FundingSource), amount=MONEY, note=NOTES
    ),
    "expenses": st.builds(
        Expense,
        date=DAYS,
        category=st.sampled_from(["posts", "training", "其他", "posts #2"]),
        fund=st.sampled_from(FundingSource),
        amount=MONEY,
        note=NOTES,
        reason=st.none() | NOTES,
    ),
}
"""Quick strategies of each section's items (the library's own are used for the JSON)."""
LIBRARY: dict[Section, st.SearchStrategy[Any]] = {
    "evaluations": sgz_st.evaluations() | sgz_st.evaluations_with_results(),
    "actions": sgz_st.corrective_actions(),
    "receipts": sgz_st.receipts(),
    "expenses": sgz_st.expenses(),
}
STATION_IDS = ("s1", "s2", "s3", "站-4")


@st.composite
def sections(draw: st.DrawFn, section: Section) -> tuple[Any, ...]:
    """A section's items, drawn from a small pool so that keys repeat (`` #2``) often."""
    pool = draw(st.lists(ITEMS[section], min_size=1, max_size=3))
    return tuple(draw(st.lists(st.sampled_from(pool) | ITEMS[section], max_size=4)))


@st.composite
def years(draw: st.DrawFn, number: int) -> ContractYear:
    return ContractYear(year=number, **{s: draw(sections(s)) for s in SECTIONS})


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    ids = draw(st.lists(st.sampled_from(STATION_IDS), unique=True, max_size=3))
    stations = []
    for sid in ids:
        numbers = draw(st.lists(st.integers(1, 3), unique=True, max_size=3))
        stations.append(
            Station(id=sid, street="街道", contractor="c", years=[draw(years(n)) for n in numbers])
        )
    return Programme(id="p", name="项目", start=dt.date(2024, 7, 1), stations=stations)


def _edit_item(draw: st.DrawFn, item: Any) -> Any:
    """``item`` with one field changed (its key may change too)."""
    if isinstance(item, Evaluation):
        return attrs.evolve(
            item,
            score=draw(st.sampled_from([Decimal(0), Decimal("59.5"), None])),
            outcome=Outcome.PASS,
        )
    if isinstance(item, CorrectiveAction):
        return attrs.evolve(item, closed=None if item.closed else item.due)
    return attrs.evolve(item, amount=item.amount + Decimal("0.01"))


@st.composite
def edited(draw: st.DrawFn, programme: Programme) -> Programme:
    """``programme`` after a replace: items removed, added, edited, reordered; years and
    stations dropped or added."""
    stations = []
    for station in programme.stations:
        if draw(st.integers(0, 5)) == 0:
            continue  # the station is gone
        new_years = []
        for year in station.years:
            if draw(st.integers(0, 5)) == 0:
                continue
            fields = {}
            for s in SECTIONS:
                items = list(getattr(year, s))
                for _ in range(draw(st.integers(0, 2))):
                    op = draw(st.sampled_from(["drop", "add", "edit", "swap"]))
                    if op == "add":
                        items.insert(draw(st.integers(0, len(items))), draw(ITEMS[s]))
                    elif items:
                        i = draw(st.integers(0, len(items) - 1))
                        if op == "drop":
                            del items[i]
                        elif op == "edit":
                            items[i] = _edit_item(draw, items[i])
                        else:
                            j = draw(st.integers(0, len(items) - 1))
                            items[i], items[j] = items[j], items[i]
                fields[s] = tuple(items)
            new_years.append(attrs.evolve(year, **fields))
        stations.append(attrs.evolve(station, years=tuple(new_years)))
    if draw(st.booleans()):
        extra = draw(programmes())
        have = {s.id for s in stations}
        stations.extend(s for s in extra.stations if s.id not in have)
    return attrs.evolve(programme, stations=tuple(stations))


def pairs() -> st.SearchStrategy[tuple[Programme | None, Programme]]:
    return st.one_of(
        st.tuples(st.none(), programmes()),
        st.tuples(programmes(), programmes()),
        programmes().flatmap(lambda p: st.tuples(st.just(p), edited(p))),
    )


# --- properties ----------------------------------------------------------------------------


@given(pairs())
def test_applying_the_entries_to_before_gives_after(
    pair: tuple[Programme | None, Programme],
) -> None:
    before, after = pair
    entries = changes(before, after)
    for s in SECTIONS:
        assert apply(section_items(before, s), entries, s) == section_items(after, s)


@given(pairs())
def test_each_entry_names_one_item_that_differs(pair: tuple[Programme | None, Programme]) -> None:
    before, after = pair
    entries = changes(before, after)
    keys = [(e.section, e.station, e.year, e.subject) for e in entries]
    assert len(keys) == len(set(keys))  # never two entries for one item
    olds = {s: section_items(before, s) for s in SECTIONS}
    news = {s: section_items(after, s) for s in SECTIONS}
    for e in entries:
        old = olds[e.section].get((e.station, e.year, e.subject))
        new = news[e.section].get((e.station, e.year, e.subject))
        assert old != new
        assert e.before == (None if old is None else item_json(old))
        assert e.after == (None if new is None else item_json(new))
        recorded, changed, gone = (
            a
            for a in AuditAction
            if SECTION_OF.get(a) == e.section and a is not AuditAction.ACTION_CLOSED
        )
        if old is None:
            assert e.action is recorded
        elif new is None:
            assert e.action is gone
        elif e.section == "actions" and old.closed is None and new.closed is not None:
            assert e.action is AuditAction.ACTION_CLOSED
        else:
            assert e.action is changed
    # and every item that differs has its entry
    for s in SECTIONS:
        old_items, new_items = olds[s], news[s]
        differ = {
            k for k in old_items.keys() | new_items.keys() if old_items.get(k) != new_items.get(k)
        }
        assert differ == {(e.station, e.year, e.subject) for e in entries if e.section == s}


@given(pairs())
def test_the_entries_come_in_the_documented_order(pair: tuple[Programme | None, Programme]) -> None:
    before, after = pair
    entries = changes(before, after)
    order = [s.id for s in after.stations]
    if before is not None:
        order += [s.id for s in before.stations if s.id not in order]
    place = {}
    for s in SECTIONS:
        for position, key in enumerate(section_items(after, s)):
            place[(s, *key)] = (0, position)
        for position, key in enumerate(section_items(before, s)):
            place.setdefault((s, *key), (1, position))
    ranks = [
        (
            order.index(e.station),
            e.year,
            SECTIONS.index(e.section),
            *place[(e.section, e.station, e.year, e.subject)],
        )
        for e in entries
    ]
    assert ranks == sorted(ranks)


@given(pairs())
def test_every_entry_is_a_valid_chain_entry(pair: tuple[Programme | None, Programme]) -> None:
    head = AuditHead()
    chain = []
    for e in changes(*pair):
        entry, head = append(
            head,
            at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            who="张科长",
            action=e.action,
            programme="p",
            station=e.station,
            year=e.year,
            subject=e.subject,
            before=e.before,
            after=e.after,
        )
        chain.append(entry)
        assert (entry.before, entry.after) == (e.before, e.after)
    assert verify(chain, head).whole


@given(programmes())
def test_no_change_no_entries(programme: Programme) -> None:
    assert changes(programme, programme) == []
    copy = attrs.evolve(
        programme,
        stations=tuple(
            attrs.evolve(
                s,
                years=tuple(
                    attrs.evolve(y, **{k: tuple(getattr(y, k)) for k in SECTIONS}) for y in s.years
                ),
            )
            for s in programme.stations
        ),
    )
    assert changes(programme, copy) == []
    everything = changes(None, programme)
    assert all(e.before is None and e.after is not None for e in everything)
    assert len(everything) == sum(len(section_items(programme, s)) for s in SECTIONS)


@st.composite
def one_item_changed(draw: st.DrawFn) -> tuple[Programme, Programme, tuple[str, int, Section]]:
    programme = draw(
        programmes().filter(
            lambda p: any(
                any(getattr(y, s) for s in SECTIONS) for st_ in p.stations for y in st_.years
            )
        )
    )
    places = [
        (i, j, s, k)
        for i, station in enumerate(programme.stations)
        for j, year in enumerate(station.years)
        for s in SECTIONS
        for k in range(len(getattr(year, s)))
    ]
    i, j, s, k = draw(st.sampled_from(places))
    station = programme.stations[i]
    year = station.years[j]
    items = list(getattr(year, s))
    old = items[k]
    # a change that keeps the key, so that the item is the same one, changed
    if isinstance(old, Evaluation):
        new = attrs.evolve(old, reason=(old.reason or "") + "改")
    elif isinstance(old, CorrectiveAction):
        new = attrs.evolve(old, action=old.action + "改")
    else:
        new = attrs.evolve(old, note=old.note + "改")
    items[k] = new
    year = attrs.evolve(year, **{s: tuple(items)})
    station = attrs.evolve(station, years=(*station.years[:j], year, *station.years[j + 1 :]))
    after = attrs.evolve(
        programme, stations=(*programme.stations[:i], station, *programme.stations[i + 1 :])
    )
    subject = next(key for key, item in keyed(items).items() if item is new)
    return programme, after, (station.id, year.year, s, subject)  # type: ignore[return-value]


@given(one_item_changed())
def test_one_item_changed_gives_exactly_one_entry_naming_it(
    case: tuple[Programme, Programme, tuple[str, int, Section, str]],
) -> None:
    before, after, (station, year, section, subject) = case
    [entry] = changes(before, after)
    assert (entry.station, entry.year, entry.section, entry.subject) == (
        station,
        year,
        section,
        subject,
    )
    assert entry.before is not None and entry.after is not None and entry.before != entry.after
    assert "改" in entry.after


@given(st.sampled_from(SECTIONS).flatmap(lambda s: st.tuples(st.just(s), LIBRARY[s] | ITEMS[s])))
def test_an_item_s_json_reads_back_as_the_item(case: tuple[Section, Any]) -> None:
    section, item = case
    text = item_json(item)
    assert canonical_json(json.loads(text)) == text  # canonical as audit.py makes it
    assert item_from_json(section, text) == item


# --- pinned examples -----------------------------------------------------------------------

MID = Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 1, 10), Decimal("58"), Outcome.CORRECT)
FINAL = Evaluation(EvaluationKind.FINAL, dt.date(2025, 6, 20), Decimal("86.5"))
ACTION = CorrectiveAction("ca-1", dt.date(2025, 1, 10), "补足驻站社工", dt.date(2025, 3, 31))
RECEIPT = Receipt(dt.date(2024, 7, 5), FundingSource.PROVINCE, Decimal("50000"), "首笔")
EXPENSE = Expense(dt.date(2024, 8, 1), "posts", FundingSource.PROVINCE, Decimal("12000.5"))


def one_station(**sections_: Any) -> Programme:
    year = ContractYear(year=1, **sections_)
    station = Station(id="zhengning", street="正宁路街道", contractor="hexin", years=(year,))
    return Programme(id="p", name="项目", start=dt.date(2024, 7, 1), stations=(station,))


def test_the_worked_year_s_entries() -> None:
    signed = one_station(receipts=(RECEIPT,))
    mid = one_station(
        receipts=(RECEIPT,), evaluations=(MID,), actions=(ACTION,), expenses=(EXPENSE,)
    )
    lifted = attrs.evolve(ACTION, closed=dt.date(2025, 3, 20))
    closed = one_station(
        receipts=(RECEIPT,), evaluations=(MID,), actions=(lifted,), expenses=(EXPENSE,)
    )
    final = one_station(
        receipts=(RECEIPT,), evaluations=(MID, FINAL), actions=(lifted,), expenses=(EXPENSE,)
    )
    assert [(e.action, e.subject) for e in changes(None, signed)] == [
        (AuditAction.RECEIPT_RECORDED, "2024-07-05 province")
    ]
    assert [(e.action, e.station, e.year, e.subject) for e in changes(signed, mid)] == [
        (AuditAction.EVALUATION_RECORDED, "zhengning", 1, "mid_term 2025-01-10"),
        (AuditAction.ACTION_RECORDED, "zhengning", 1, "ca-1"),
        (AuditAction.EXPENSE_RECORDED, "zhengning", 1, "2024-08-01 province posts"),
    ]
    [close] = changes(mid, closed)
    assert close == ItemChange(
        AuditAction.ACTION_CLOSED,
        "zhengning",
        1,
        "ca-1",
        '{"action":"补足驻站社工","due":"2025-03-31","evaluation":"2025-01-10","id":"ca-1"}',
        '{"action":"补足驻站社工","closed":"2025-03-20","due":"2025-03-31","evaluation":"2025-01-10","id":"ca-1"}',
    )
    [last] = changes(closed, final)
    assert (last.action, last.subject, last.before) == (
        AuditAction.EVALUATION_RECORDED,
        "final 2025-06-20",
        None,
    )
    assert last.after == '{"date":"2025-06-20","kind":"final","results":[],"score":"86.5"}'
    # a closing taken back, a date moved: changed, not closed
    [reopened] = changes(closed, mid)
    assert reopened.action is AuditAction.ACTION_CHANGED
    moved = attrs.evolve(lifted, closed=dt.date(2025, 3, 21))
    [again] = changes(
        closed,
        attrs.evolve(
            closed,
            stations=(
                attrs.evolve(
                    closed.stations[0],
                    years=(attrs.evolve(closed.stations[0].years[0], actions=(moved,)),),
                ),
            ),
        ),
    )
    assert again.action is AuditAction.ACTION_CHANGED
    # withdrawn and removed
    assert [(e.action, e.before is not None, e.after) for e in changes(final, signed)] == [
        (AuditAction.EVALUATION_WITHDRAWN, True, None),
        (AuditAction.EVALUATION_WITHDRAWN, True, None),
        (AuditAction.ACTION_WITHDRAWN, True, None),
        (AuditAction.EXPENSE_REMOVED, True, None),
    ]
    assert [e.action for e in changes(signed, one_station())] == [AuditAction.RECEIPT_REMOVED]
    assert [
        e.action
        for e in changes(
            one_station(expenses=(EXPENSE,)),
            one_station(expenses=(attrs.evolve(EXPENSE, note="改"),)),
        )
    ] == [AuditAction.EXPENSE_CHANGED]
    assert [
        e.action
        for e in changes(signed, one_station(receipts=(attrs.evolve(RECEIPT, amount=Decimal(1)),)))
    ] == [AuditAction.RECEIPT_CHANGED]
    assert [
        e.action
        for e in changes(
            mid,
            one_station(
                receipts=(RECEIPT,),
                evaluations=(attrs.evolve(MID, score=Decimal(60)),),
                actions=(ACTION,),
                expenses=(EXPENSE,),
            ),
        )
    ] == [AuditAction.EVALUATION_CHANGED]


def test_equal_numbers_written_differently_are_no_change() -> None:
    """A database may give ``86`` back for ``86.0``: the same score, no entry."""
    a = one_station(evaluations=(attrs.evolve(FINAL, score=Decimal("86.0")),))
    b = one_station(evaluations=(attrs.evolve(FINAL, score=Decimal("86")),))
    assert changes(a, b) == []


def test_repeated_keys_are_numbered_in_order() -> None:
    second = attrs.evolve(RECEIPT, amount=Decimal("20000"))
    third = attrs.evolve(RECEIPT, note="第三笔")
    p = one_station(receipts=(RECEIPT, second, third))
    assert list(keyed(p.stations[0].years[0].receipts)) == [
        "2024-07-05 province",
        "2024-07-05 province #2",
        "2024-07-05 province #3",
    ]
    q = one_station(receipts=(RECEIPT, third))  # the second one removed
    assert [(e.action, e.subject) for e in changes(p, q)] == [
        (AuditAction.RECEIPT_CHANGED, "2024-07-05 province #2"),
        (AuditAction.RECEIPT_REMOVED, "2024-07-05 province #3"),
    ]


def test_a_key_that_reads_like_a_numbered_one_still_gives_every_item_its_own_subject() -> None:
    """AUD-1: an expense whose category is ``posts #2`` (free text) after two ``posts`` of the
    same day and fund is an item of its own: each of the three gets its own entry, and the
    entries rebuild the year (a numbered subject used to overwrite it, and one expense was
    recorded without an entry). The same for corrective action ids."""
    second = attrs.evolve(EXPENSE, amount=Decimal("200"))
    hostile = attrs.evolve(EXPENSE, category="posts #2", amount=Decimal("300"))
    for section, items in (
        ("expenses", (EXPENSE, second, hostile)),
        ("expenses", (hostile, EXPENSE, second)),
        (
            "actions",
            (
                ACTION,
                attrs.evolve(ACTION, due=dt.date(2025, 4, 1)),
                attrs.evolve(ACTION, id="ca-1 #2"),
            ),
        ),
    ):
        p = one_station(**{section: items})
        keys = keyed(items)
        assert len(keys) == 3 and list(keys.values()) == list(items)
        found = changes(None, p)
        assert len(found) == 3 and len({e.subject for e in found}) == 3
        assert apply({}, found, section) == section_items(p, section)  # type: ignore[arg-type]


def test_natural_keys_fit_an_audit_subject() -> None:
    long = attrs.evolve(EXPENSE, category="类" * 400 + "\x1f\x00")
    assert natural_key(long) == ("2024-08-01 province " + "类" * 400)[:MAX_BASE]
    assert natural_key(attrs.evolve(EXPENSE, category="a\x1fb\x00c")) == "2024-08-01 province a b c"
    assert natural_key(attrs.evolve(ACTION, id="")) == "-"
    p = one_station(expenses=(long,) * 3)
    subjects = [e.subject for e in changes(None, p)]
    assert len(set(subjects)) == 3 and all(len(s) <= 255 for s in subjects)
    assert subjects[2].endswith(" #3")


def test_stations_and_years_gone_or_new() -> None:
    p = one_station(receipts=(RECEIPT,))
    other = Station(
        id="yanbin",
        street="雁北",
        contractor="hexin",
        years=(ContractYear(year=2, expenses=(EXPENSE,)),),
    )
    q = attrs.evolve(p, stations=(other,))
    assert [(e.action, e.station, e.year) for e in changes(p, q)] == [
        (AuditAction.EXPENSE_RECORDED, "yanbin", 2),
        (AuditAction.RECEIPT_REMOVED, "zhengning", 1),
    ]


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("receipts", "[]"),
        ("receipts", "{"),
        ("receipts", '{"date":"soon","source":"province","amount":"1"}'),
        ("evaluations", '{"kind":"mid_term","date":"2025-01-01"}'),
        ("actions", '{"id":"a"}'),
        ("expenses", '{"date":"2025-01-01","category":"posts","fund":"nobody","amount":"1"}'),
    ],
)
def test_json_that_is_no_item_is_refused_with_its_section(section: Section, text: str) -> None:
    with pytest.raises(InvalidInput, match=f"audit {section[:-1]}: expected [A-Za-z]+ JSON, got"):
        item_from_json(section, text)


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_text(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "value", value)


@given(st.sampled_from(SECTIONS).flatmap(lambda s: LIBRARY[s] | ITEMS[s]))
def test_an_item_s_json_is_the_converter_s_plain_values(item: Any) -> None:
    """The quick walk of :func:`item_json` gives what the library's converter gives (the
    field names of a programme file, ``None`` fields left out)."""
    assert json.loads(item_json(item)) == _as_text(to_plain(item))


# --- pinned for the mutation tests (docs/testing.md, issue 13) ------------------------------


@pytest.fixture(autouse=True)
def _cold_field_names() -> None:
    """mutmut forks each mutant's run from a process that ran the suite: clear the memo of
    field names so that a mutant of its miss branch is not hidden behind a warm one."""
    audit_diff._FIELDS.clear()


def test_the_field_names_are_read_then_remembered() -> None:
    assert item_json(RECEIPT) == (
        '{"amount":"50000.00","date":"2024-07-05","note":"首笔","source":"province"}'
    )
    assert audit_diff._FIELDS[Receipt] == ("date", "source", "amount", "note")
    assert item_json(RECEIPT) == item_json(attrs.evolve(RECEIPT))


def test_a_value_json_cannot_hold_is_refused_by_type() -> None:
    with pytest.raises(InvalidInput, match=r"^audit: cannot record a value of type float$"):
        audit_diff._plain(1.5)


def test_the_refusals_of_item_from_json_say_what_was_wrong() -> None:
    with pytest.raises(InvalidInput) as caught:
        item_from_json("receipts", "[1]")
    assert str(caught.value) == (
        "audit receipt: expected Receipt JSON, got '[1]' (expected a JSON object, got list)"
    )
    long = '{"note": "' + "x" * 100 + '"}'
    with pytest.raises(InvalidInput) as caught:
        item_from_json("actions", long)
    assert f"got {long[:80]!r} (" in str(caught.value)
    # an evaluation written without its results (by hand) has none
    bare = item_from_json("evaluations", '{"date":"2025-01-10","kind":"mid_term","score":"58"}')
    assert bare == Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 1, 10), Decimal("58"))
