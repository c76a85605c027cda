"""The audit chain (AUD-1): whole when untouched; every single-entry change, removal, insertion
and swap found, with the first bad entry named (properties over generated chains)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core.audit import (
    GENESIS,
    AuditAction,
    AuditEntry,
    AuditHead,
    AuditProblem,
    Unreadable,
    Verdict,
    append,
    canonical_json,
    from_row,
    verify,
)
from sgz_core.errors import InvalidInput

texts = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\x1f"),
    min_size=1,
    max_size=12,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@st.composite
def operations(draw: st.DrawFn) -> dict[str, object]:
    return {
        "at": T0 + dt.timedelta(seconds=draw(st.integers(0, 10**8))),
        "who": draw(texts),
        "action": draw(st.sampled_from(AuditAction)),
        "programme": draw(texts),
        "station": draw(st.none() | texts),
        "year": draw(st.none() | st.integers(1, 99)),
        "subject": draw(st.none() | texts),
        "before": draw(st.none() | json_values),
        "after": draw(st.none() | json_values),
    }


def chain_of(ops: list[dict[str, object]]) -> tuple[list[AuditEntry], AuditHead]:
    head = AuditHead()
    entries = []
    for op in ops:
        entry, head = append(head, **op)  # type: ignore[arg-type]
        entries.append(entry)
    return entries, head


chains = st.lists(operations(), min_size=1, max_size=8).map(chain_of)


@given(chains)
def test_an_untouched_chain_is_whole(chain: tuple[list[AuditEntry], AuditHead]) -> None:
    entries, head = chain
    verdict = verify(entries, head)
    assert verdict.whole
    assert verdict.count == len(entries) == head.count
    assert verdict.head == entries[-1].hash == head.hash
    assert verify(entries).whole  # without the head too


def test_an_empty_chain_is_whole() -> None:
    verdict = verify([], AuditHead())
    assert verdict.whole and verdict.count == 0 and verdict.head == GENESIS


def _changes(entry: AuditEntry, op: dict[str, object]) -> list[AuditEntry]:
    """``entry`` with one field changed (to a value it does not have)."""
    out = []
    for name in (
        "at",
        "who",
        "action",
        "programme",
        "station",
        "year",
        "subject",
        "before",
        "after",
    ):
        value = op[name]
        current = getattr(entry, name)
        if name in ("before", "after") and value is not None:
            value = canonical_json(value)
        if value != current:
            out.append(attrs.evolve(entry, **{name: value}))
    return out


@given(chains, st.data(), operations(), st.booleans())
def test_every_single_entry_change_is_found(
    chain: tuple[list[AuditEntry], AuditHead],
    data: st.DataObject,
    other: dict[str, object],
    reseal: bool,
) -> None:
    entries, head = chain
    i = data.draw(st.integers(0, len(entries) - 1))
    changed = _changes(entries[i], other)
    if not changed:
        return
    forged = data.draw(st.sampled_from(changed))
    if reseal:  # the forger recomputes that entry's hash too
        forged = forged.sealed()
    tampered = [*entries[:i], forged, *entries[i + 1 :]]
    verdict = verify(tampered, head)
    assert not verdict.whole
    if not reseal:
        assert verdict.bad == i + 1 and verdict.problem is AuditProblem.CHANGED
    else:  # the next entry's prev, or the head, no longer matches
        assert verdict.bad in (i + 2, len(entries))


@given(chains, st.data())
def test_every_single_entry_removal_is_found(
    chain: tuple[list[AuditEntry], AuditHead], data: st.DataObject
) -> None:
    entries, head = chain
    i = data.draw(st.integers(0, len(entries) - 1))
    tampered = entries[:i] + entries[i + 1 :]
    verdict = verify(tampered, head)
    assert not verdict.whole
    assert verdict.problem is AuditProblem.REMOVED
    assert verdict.bad == i + 1


@given(chains, st.data(), operations())
def test_every_single_entry_insertion_is_found(
    chain: tuple[list[AuditEntry], AuditHead], data: st.DataObject, op: dict[str, object]
) -> None:
    entries, head = chain
    i = data.draw(st.integers(0, len(entries)))
    # the best forgery: the next sequence number, linked to the entry before, sealed
    before = AuditHead(i, entries[i - 1].hash if i else GENESIS)
    forged, _ = append(before, **op)  # type: ignore[arg-type]
    tampered = [*entries[:i], forged, *entries[i:]]
    verdict = verify(tampered, head)
    assert not verdict.whole
    assert verdict.bad == i + 2 or (i == len(entries) and verdict.bad == i + 1)


@given(chains, st.data())
def test_every_swap_of_two_entries_is_found(
    chain: tuple[list[AuditEntry], AuditHead], data: st.DataObject
) -> None:
    entries, head = chain
    if len(entries) < 2:
        return
    i = data.draw(st.integers(0, len(entries) - 2))
    j = data.draw(st.integers(i + 1, len(entries) - 1))
    tampered = list(entries)
    tampered[i], tampered[j] = tampered[j], tampered[i]
    verdict = verify(tampered, head)
    assert not verdict.whole
    assert verdict.bad == i + 1


@given(chains, st.data())
def test_swapping_contents_under_the_same_sequence_numbers_is_found(
    chain: tuple[list[AuditEntry], AuditHead], data: st.DataObject
) -> None:
    """What a swap of two rows looks like in a table read in ``seq`` order."""
    entries, head = chain
    if len(entries) < 2:
        return
    i = data.draw(st.integers(0, len(entries) - 2))
    j = data.draw(st.integers(i + 1, len(entries) - 1))
    a, b = entries[i], entries[j]
    tampered = list(entries)
    tampered[i] = attrs.evolve(b, seq=a.seq)
    tampered[j] = attrs.evolve(a, seq=b.seq)
    verdict = verify(tampered, head)
    assert not verdict.whole
    assert verdict.bad == i + 1


@given(chains)
def test_cutting_off_the_last_entries_is_found_by_the_head(
    chain: tuple[list[AuditEntry], AuditHead],
) -> None:
    entries, head = chain
    verdict = verify(entries[:-1], head)
    assert not verdict.whole
    assert verdict.problem is AuditProblem.REMOVED
    assert verdict.bad == len(entries) and verdict.seq is None


@given(chains)
def test_a_whole_rewrite_is_found_by_the_head(chain: tuple[list[AuditEntry], AuditHead]) -> None:
    entries, head = chain
    rewritten, _ = chain_of(  # every entry changed, and the whole chain resealed
        [
            {
                "at": e.at,
                "who": e.who + "x",
                "action": e.action,
                "programme": e.programme,
                "station": e.station,
                "year": e.year,
                "subject": e.subject,
                "before": e.before,
                "after": e.after,
            }
            for e in entries
        ]
    )
    assert verify(rewritten).whole  # a chain without its head cannot know
    verdict = verify(rewritten, head)
    assert not verdict.whole and verdict.problem is AuditProblem.CHANGED


@given(chains)
def test_rows_round_trip_through_from_row(chain: tuple[list[AuditEntry], AuditHead]) -> None:
    entries, head = chain
    rows = [tuple(e.to_plain().values()) for e in entries]
    back = [from_row(r) for r in rows]
    assert back == entries
    assert verify(back, head).whole


def test_a_row_that_is_not_an_entry_is_reported_as_changed() -> None:
    entries, head = chain_of(
        [{"at": T0, "who": "王会计", "action": "import", "programme": "p"}] * 3
    )
    rows = [list(e.to_plain().values()) for e in entries]
    rows[1][3] = "rewritten"  # an action sgz never writes
    read = [from_row(r) for r in rows]
    assert isinstance(read[1], Unreadable)
    verdict = verify(read, head)
    assert verdict.bad == 2 and verdict.seq == 2 and verdict.problem is AuditProblem.CHANGED
    assert verdict.why is not None and "第 2 条" in verdict.why.zh


def test_a_separator_smuggled_into_a_field_is_refused() -> None:
    with pytest.raises(InvalidInput, match="U\\+001F"):
        AuditEntry(1, T0, "a\x1fb", "import", "p")


def test_entries_refuse_floats_naive_times_and_bad_actions() -> None:
    with pytest.raises(InvalidInput, match="float"):
        append(AuditHead(), at=T0, who="w", action="payment", programme="p", after={"x": 1.5})
    with pytest.raises(InvalidInput, match="aware"):
        AuditEntry(1, dt.datetime(2026, 1, 1), "w", "import", "p")
    with pytest.raises(InvalidInput, match="import \\| replace"):
        AuditEntry(1, T0, "w", "edit", "p")
    with pytest.raises(InvalidInput, match="sequence"):
        AuditEntry(0, T0, "w", "import", "p")


def test_the_encoding_is_pinned() -> None:
    """The canonical bytes are a contract: stored hashes must verify in every later version."""
    entry, _ = append(
        AuditHead(),
        at=dt.datetime(2026, 12, 2, 14, 0, 13, tzinfo=dt.UTC),
        who="王会计",
        action=AuditAction.PAYMENT,
        programme="chengguan-2024",
        station="s1",
        year=1,
        subject="mid_term",
        after={"b": "1.00", "a": None},
    )
    assert (
        entry.encode()
        == (
            "1\x1f2026-12-02T14:00:13+00:00\x1f王会计\x1fpayment\x1fchengguan-2024\x1fs1\x1f1"
            '\x1fmid_term\x1f\x1f{"a":null,"b":"1.00"}\x1f' + "0" * 64
        ).encode()
    )
    assert entry.hash == "e862e95a1c7c67b020c079706ca2c1e744e4de5e56f914f856e00fcc73b819b7"


def test_times_are_kept_in_utc() -> None:
    east8 = dt.timezone(dt.timedelta(hours=8))
    entry = AuditEntry(1, dt.datetime(2026, 1, 1, 8, tzinfo=east8), "w", "import", "p")
    assert entry.at == T0 and entry.at.tzinfo is dt.UTC


@given(chains, st.data())
def test_a_check_resumed_after_whole_entries_gives_the_whole_trail_s_verdict(
    chain: tuple[list[AuditEntry], AuditHead], data: st.DataObject
) -> None:
    """``verify(..., start=)`` (issue 11, AUD-1): resumed after any number of entries found
    whole, the verdict (count, head, first bad entry, problem, message) is the one the whole
    trail gives, on untouched and tampered chains, with and without the head."""
    entries, head = chain
    tampered: list[AuditEntry | Unreadable] = list(entries)
    kind = data.draw(st.sampled_from(["none", "changed", "removed", "swapped", "unreadable"]))
    i = data.draw(st.integers(0, len(entries) - 1))
    if kind == "changed":
        tampered[i] = attrs.evolve(entries[i], who=entries[i].who + "改")
    elif kind == "removed":
        del tampered[i]
    elif kind == "swapped" and i + 1 < len(entries):
        tampered[i], tampered[i + 1] = tampered[i + 1], tampered[i]
    elif kind == "unreadable":
        tampered[i] = Unreadable(entries[i].seq, "edited")
    given_head = data.draw(st.sampled_from([head, None, AuditHead(head.count + 1, head.hash)]))
    full = verify(tampered, given_head)
    whole_before = len(tampered) if full.bad is None else min(full.bad - 1, len(tampered))
    k = data.draw(st.integers(0, whole_before))
    before = tampered[k - 1] if k else None
    assert not isinstance(before, Unreadable)
    start = AuditHead(k, before.hash if before is not None else GENESIS)
    assert verify(tampered[k:], given_head, start=start) == full
    if k == 0:
        assert verify(tampered, given_head, start=AuditHead()) == full


def test_a_resumed_check_counts_on_from_its_start() -> None:
    """The position, the expected number and the previous hash continue from ``start``."""
    entries, head = chain_of(
        [
            {"at": T0, "who": "a", "action": AuditAction.IMPORT, "programme": "p"},
            {"at": T0, "who": "b", "action": AuditAction.DELETE, "programme": "p"},
            {"at": T0, "who": "c", "action": AuditAction.IMPORT, "programme": "q"},
        ]
    )
    start = AuditHead(2, entries[1].hash)
    assert verify(entries[2:], head, start=start) == Verdict(3, head.hash)
    assert verify([], head, start=AuditHead(3, head.hash)) == Verdict(3, head.hash)
    cut = verify([], head, start=start)
    assert (cut.count, cut.head, cut.bad, cut.seq) == (2, entries[1].hash, 3, None)
    assert cut.problem is AuditProblem.REMOVED
    wrong = verify(entries[2:], None, start=AuditHead(2, entries[0].hash))
    assert (wrong.count, wrong.head, wrong.bad, wrong.seq) == (2, entries[0].hash, 3, 3)
    assert wrong.problem is AuditProblem.INSERTED
    again = verify(entries[1:], None, start=AuditHead(2, entries[1].hash))
    assert (again.count, again.bad, again.seq) == (2, 3, 2)
    assert again.problem is AuditProblem.REORDERED
    assert again.why is not None and "应为 3" in again.why.zh
