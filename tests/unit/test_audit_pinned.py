"""The audit chain (AUD-1) pinned for mutation testing (issue 13): the exact canonical encoding,
every field of an entry and of :func:`verify`'s verdict, every reason verify gives in Chinese and
English, each field's limits at the edge and one past it, and the head's count one either side."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import attrs
import pytest

from sgz_core.audit import (
    COLUMNS,
    GENESIS,
    AuditAction,
    AuditEntry,
    AuditHead,
    AuditProblem,
    Unreadable,
    Verdict,
    append,
    canonical_json,
    encode_fields,
    from_row,
    verify,
)
from sgz_core.errors import InvalidInput
from sgz_core.text import Text

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
H1 = "1" * 64


def refused(message: str) -> AbstractContextManager[Any]:
    """An :class:`InvalidInput` whose text is exactly ``message``."""
    return pytest.raises(InvalidInput, match="^" + re.escape(message) + "$")


def entry(**fields: object) -> AuditEntry:
    values: dict[str, object] = {
        "seq": 1,
        "at": T0,
        "who": "w",
        "action": "import",
        "programme": "p",
    }
    values.update(fields)
    return AuditEntry(**values)  # type: ignore[arg-type]


def chain(n: int) -> tuple[list[AuditEntry], AuditHead]:
    head = AuditHead()
    out = []
    for i in range(n):
        e, head = append(head, at=T0, who=f"w{i}", action="payment", programme="p")
        out.append(e)
    return out, head


# --- canonical JSON -------------------------------------------------------------------------


def test_canonical_json_sorts_keys_keeps_chinese_and_has_no_spaces() -> None:
    value = {"b": [1, "二", None], "a": {"y": True, "x": "元"}, "c": ("t",)}
    assert canonical_json(value) == '{"a":{"x":"元","y":true},"b":[1,"二",null],"c":["t"]}'
    assert canonical_json("拨付") == '"拨付"'


def test_canonical_json_refuses_floats_inside_lists_tuples_and_dicts() -> None:
    for value in ([1, 1.5], ("a", 1.5), {"k": [1.5]}):
        with refused("audit: cannot record the binary float 1.5; use text"):
            canonical_json(value)


def test_canonical_json_refuses_keys_that_are_not_text() -> None:
    with refused("audit: expected text keys, got 1"):
        canonical_json({"a": 1, 1: "x"})


def test_canonical_json_refuses_other_types_naming_them() -> None:
    with refused("audit: cannot record a value of type Decimal"):
        canonical_json({"amount": Decimal("1.00")})
    with refused("audit: cannot record a value of type set"):
        canonical_json([{1}])


# --- the fields of an entry -----------------------------------------------------------------


@pytest.mark.parametrize(("field", "limit"), [("who", 1000), ("programme", 255)])
def test_required_texts_at_their_limit_and_one_past_it(field: str, limit: int) -> None:
    assert getattr(entry(**{field: "x" * limit}), field) == "x" * limit
    with refused(
        f"audit {field}: expected at most {limit} characters without NUL or U+001F, got {limit + 1}"
    ):
        entry(**{field: "x" * (limit + 1)})
    with refused(f"audit {field}: expected a non-empty text, got None"):
        entry(**{field: None})
    with refused(f"audit {field}: expected a non-empty text, got ''"):
        entry(**{field: ""})
    with refused(f"audit {field}: expected a non-empty text, got 5"):
        entry(**{field: 5})
    with refused(
        f"audit {field}: expected at most {limit} characters without NUL or U+001F, got 3"
    ):
        entry(**{field: "a\x00b"})
    with refused(
        f"audit {field}: expected at most {limit} characters without NUL or U+001F, got 3"
    ):
        entry(**{field: "a\x1fb"})


@pytest.mark.parametrize("field", ["station", "subject"])
def test_optional_texts_at_their_limit_and_one_past_it(field: str) -> None:
    assert getattr(entry(), field) is None
    assert getattr(entry(**{field: None}), field) is None
    assert getattr(entry(**{field: "x" * 255}), field) == "x" * 255
    with refused(f"audit {field}: expected at most 255 characters without NUL or U+001F, got 256"):
        entry(**{field: "x" * 256})
    with refused(f"audit {field}: expected a non-empty text, got ''"):
        entry(**{field: ""})
    with refused(f"audit {field}: expected a non-empty text, got 7"):
        entry(**{field: 7})
    with refused(f"audit {field}: expected at most 255 characters without NUL or U+001F, got 1"):
        entry(**{field: "\x00"})


@pytest.mark.parametrize("field", ["before", "after"])
def test_before_and_after_are_canonical_json_text(field: str) -> None:
    assert getattr(entry(), field) is None
    assert getattr(entry(**{field: {"b": 1, "a": "二"}}), field) == '{"a":"二","b":1}'
    assert getattr(entry(**{field: '{"b": 1}'}), field) == '{"b": 1}'  # text is kept as given
    assert getattr(entry(**{field: 0}), field) == "0"
    message = f"audit {field}: expected JSON text (never empty, no raw U+001F)"
    with refused(message):
        entry(**{field: ""})
    with refused(message):
        entry(**{field: '"a\x1fb"'})


def test_at_is_an_aware_datetime_kept_in_utc() -> None:
    east8 = dt.timezone(dt.timedelta(hours=8))
    e = entry(at=dt.datetime(2026, 1, 1, 9, 30, tzinfo=east8))
    assert e.at == dt.datetime(2026, 1, 1, 1, 30, tzinfo=dt.UTC) and e.at.tzinfo is dt.UTC
    with refused("audit at: expected an aware datetime, got datetime.datetime(2026, 1, 1, 0, 0)"):
        entry(at=dt.datetime(2026, 1, 1))
    with refused("audit at: expected an aware datetime, got '2026-01-01T00:00:00+00:00'"):
        entry(at="2026-01-01T00:00:00+00:00")


def test_sequence_numbers_start_at_one() -> None:
    assert entry(seq=1).seq == 1
    assert entry(seq=10**12).seq == 10**12
    for bad in (0, -1, True, False, "1", 1.0, None):
        with refused(f"audit seq: expected a sequence number from 1, got {bad!r}"):
            entry(seq=bad)


def test_contract_years_from_1_to_99() -> None:
    assert entry(year=1).year == 1
    assert entry(year=99).year == 99
    assert entry(year=None).year is None
    for bad in (0, 100, -1, True, "1", 1.0):
        with refused(f"audit year: expected a contract year number from 1 to 99, got {bad!r}"):
            entry(year=bad)


def test_prev_is_64_characters() -> None:
    assert entry().prev == GENESIS == "0" * 64
    assert entry(prev=H1).prev == H1
    for bad in ("1" * 63, "1" * 65, "", None, 5, "1" * 63 + "\x1f"):
        with refused(f"audit prev: expected 64 hexadecimal digits, got {bad!r}"):
            entry(prev=bad)


def test_actions_by_member_or_value() -> None:
    for action in AuditAction:
        assert entry(action=action).action is action
        assert entry(action=action.value).action is action
    for bad in ("edit", "IMPORT", 5, None, ["import"]):
        with refused(
            "audit action: expected one of import | replace | delete | payment | "
            "evaluation_recorded | evaluation_changed | evaluation_withdrawn | action_recorded | "
            "action_closed | action_changed | action_withdrawn | receipt_recorded | "
            "receipt_changed | receipt_removed | expense_recorded | expense_changed | "
            f"expense_removed, got {bad!r}"
        ):
            entry(action=bad)


def test_the_labels_of_actions_and_problems() -> None:
    assert [(a.value, a.zh, a.en) for a in AuditAction] == [
        ("import", "导入项目", "import"),
        ("replace", "替换项目", "replace"),
        ("delete", "删除项目", "delete"),
        ("payment", "记录拨付", "payment"),
        # the items an import or a replace records, changes or removes (issue 11 item 4)
        ("evaluation_recorded", "记录评估", "evaluation recorded"),
        ("evaluation_changed", "更改评估", "evaluation changed"),
        ("evaluation_withdrawn", "撤回评估", "evaluation withdrawn"),
        ("action_recorded", "记录整改", "corrective action recorded"),
        ("action_closed", "整改完成", "corrective action closed"),
        ("action_changed", "更改整改", "corrective action changed"),
        ("action_withdrawn", "撤回整改", "corrective action withdrawn"),
        ("receipt_recorded", "记录到账", "receipt recorded"),
        ("receipt_changed", "更改到账", "receipt changed"),
        ("receipt_removed", "删除到账", "receipt removed"),
        ("expense_recorded", "记录支出", "expense recorded"),
        ("expense_changed", "更改支出", "expense changed"),
        ("expense_removed", "删除支出", "expense removed"),
    ]
    assert [(p.value, p.zh, p.en) for p in AuditProblem] == [
        ("changed", "内容被改动", "changed"),
        ("removed", "有记录被删除", "removed"),
        ("inserted", "有记录被插入", "inserted"),
        ("reordered", "记录次序被打乱", "reordered"),
    ]


# --- the encoding ---------------------------------------------------------------------------


def test_the_encoding_of_an_entry_without_optional_fields() -> None:
    e = entry(seq=7, prev=H1)
    expected = (
        "7\x1f2026-01-01T00:00:00+00:00\x1fw\x1fimport\x1fp\x1f\x1f\x1f\x1f\x1f\x1f" + H1
    ).encode("utf-8")
    assert e.encode() == expected
    assert e.digest() == hashlib.sha256(expected).hexdigest()
    assert e.hash == ""  # not sealed
    assert e.sealed().hash == e.digest() and e.sealed().encode() == e.encode()


def test_the_encoding_with_every_field() -> None:
    e = entry(
        seq=2,
        at=dt.datetime(2026, 12, 2, 14, 0, 13, 5, tzinfo=dt.UTC),
        who="王会计",
        action=AuditAction.REPLACE,
        programme="城关",
        station="s1",
        year=99,
        subject="final",
        before={"v": 1},
        after='{"v":2}',
        prev=H1,
    )
    assert e.encode() == (
        "2\x1f2026-12-02T14:00:13.000005+00:00\x1f王会计\x1freplace\x1f城关\x1fs1\x1f99"
        '\x1ffinal\x1f{"v":1}\x1f{"v":2}\x1f' + H1
    ).encode("utf-8")


def test_encode_fields_gives_none_as_empty_text() -> None:
    assert (
        encode_fields(1, "t", "w", "delete", "p", None, None, None, None, None, GENESIS)
        == ("1\x1ft\x1fw\x1fdelete\x1fp\x1f\x1f\x1f\x1f\x1f\x1f" + GENESIS).encode()
    )
    assert (
        encode_fields(1, "t", "w", "delete", "p", "s", 1, "m", "b", "a", H1)
        == ("1\x1ft\x1fw\x1fdelete\x1fp\x1fs\x1f1\x1fm\x1fb\x1fa\x1f" + H1).encode()
    )


# --- append, to_plain, from_plain, from_row --------------------------------------------------


def test_append_seals_the_next_entry_with_every_field() -> None:
    first, head = append(
        AuditHead(),
        at=T0,
        who="王会计",
        action="payment",
        programme="p",
        station="s1",
        year=2,
        subject="signing",
        before={"paid": None},
        after={"paid": "1.00"},
    )
    assert attrs.asdict(first) == {
        "seq": 1,
        "at": T0,
        "who": "王会计",
        "action": AuditAction.PAYMENT,
        "programme": "p",
        "station": "s1",
        "year": 2,
        "subject": "signing",
        "before": '{"paid":null}',
        "after": '{"paid":"1.00"}',
        "prev": GENESIS,
        "hash": first.digest(),
        "_encoded": first.encode(),
    }
    assert head == AuditHead(1, first.hash)
    second, head2 = append(head, at=T0, who="w", action=AuditAction.DELETE, programme="p")
    assert (second.seq, second.prev, second.before, second.after) == (2, first.hash, None, None)
    assert head2 == AuditHead(2, second.hash) and second.hash == second.digest()


def test_an_empty_head() -> None:
    assert AuditHead() == AuditHead(0, GENESIS)


def test_to_plain_gives_every_field_by_name() -> None:
    e = entry(
        seq=3,
        who="王会计",
        action="replace",
        station="s",
        year=4,
        subject="m",
        before={"a": 1},
        after={"a": 2},
        prev=H1,
    ).sealed()
    plain = e.to_plain()
    assert plain == {
        "seq": 3,
        "at": "2026-01-01T00:00:00+00:00",
        "who": "王会计",
        "action": "replace",
        "programme": "p",
        "station": "s",
        "year": 4,
        "subject": "m",
        "before": '{"a":1}',
        "after": '{"a":2}',
        "prev": H1,
        "hash": e.hash,
    }
    assert list(plain) == list(COLUMNS)
    assert AuditEntry.from_plain(plain) == e
    assert AuditEntry.from_plain({**plain, "at": T0}) == e  # a datetime as it is


def test_from_plain_reads_every_field() -> None:
    e = AuditEntry.from_plain(
        {
            "seq": 5,
            "at": "2026-01-01T08:00:00+08:00",
            "who": "w",
            "action": "payment",
            "programme": "p",
            "station": "s",
            "year": 3,
            "subject": "m",
            "before": "1",
            "after": "2",
            "prev": H1,
            "hash": "h",
        }
    )
    assert (e.seq, e.at, e.who, e.action, e.programme) == (5, T0, "w", AuditAction.PAYMENT, "p")
    assert (e.station, e.year, e.subject, e.before, e.after) == ("s", 3, "m", "1", "2")
    assert (e.prev, e.hash) == (H1, "h")


def test_from_plain_without_the_optional_fields() -> None:
    e = AuditEntry.from_plain(
        {
            "seq": 1,
            "at": T0,
            "who": "w",
            "action": "import",
            "programme": "p",
            "prev": H1,
            "hash": "",
        }
    )
    assert e == entry(prev=H1)


def test_from_plain_refuses_a_time_that_is_not_iso() -> None:
    with refused("audit at: expected an ISO date and time, got 'yesterday'"):
        AuditEntry.from_plain(
            {
                "seq": 1,
                "at": "yesterday",
                "who": "w",
                "action": "import",
                "programme": "p",
                "prev": GENESIS,
                "hash": "",
            }
        )


def _row(**fields: object) -> list[object]:
    e = entry(**fields).sealed()
    return list(e.to_plain().values())


def test_from_row_reads_an_entry() -> None:
    row = _row(station="s", year=1, subject="m", before="1", after="2", prev=H1)
    e = from_row(row)
    assert isinstance(e, AuditEntry) and e.to_plain() == dict(zip(COLUMNS, row, strict=True))


def test_from_row_says_why_a_row_is_not_an_entry() -> None:
    row = _row()
    assert from_row(row[:-1]) == Unreadable(1, "expected 12 values, got 11")
    assert from_row([*row, "x"]) == Unreadable(1, "expected 12 values, got 13")
    assert from_row(["1", *row[1:]]) == Unreadable(
        None, "audit seq: expected a sequence number from 1, got '1'"
    )
    assert from_row([True, *row[1:]]) == Unreadable(
        None, "audit seq: expected a sequence number from 1, got True"
    )
    assert from_row([1, "yesterday", *row[2:]]) == Unreadable(
        1, "audit at: expected an ISO date and time, got 'yesterday'"
    )
    assert from_row([1, T0, *row[2:]]) == from_row(row)  # a datetime as it is


def test_from_row_keeps_the_first_300_characters_of_why() -> None:
    row = _row()
    long = from_row([*row[:3], "x" * 400, *row[4:]])
    message = f"audit action: expected {AuditAction.expected()}, got '" + "x" * 400
    assert long == Unreadable(1, message[:300])
    assert isinstance(long, Unreadable) and len(long.why) == 300
    short = from_row([*row[:2], "", *row[3:]])  # a message under 300 characters stays whole
    assert short == Unreadable(1, "audit who: expected a non-empty text, got ''")


# --- verify: every verdict, whole --------------------------------------------------------------


def test_a_whole_chain_and_its_verdict() -> None:
    entries, head = chain(3)
    assert verify(entries, head) == Verdict(3, entries[2].hash)
    assert verify(entries) == Verdict(3, entries[2].hash, None, None, None, None)
    assert verify(entries).whole
    assert verify([]) == Verdict(0, GENESIS) and verify([], AuditHead()).whole


def test_an_unreadable_row_is_changed() -> None:
    entries, head = chain(3)
    verdict = verify([entries[0], Unreadable(2, "bad"), entries[2]], head)
    assert verdict == Verdict(
        1,
        entries[0].hash,
        2,
        2,
        AuditProblem.CHANGED,
        Text(
            "第 2 条记录无法读取（bad）：记录被改动过",
            "entry 2 cannot be read (bad): the entry was changed",
        ),
    )
    assert not verdict.whole
    first = verify([Unreadable(None, "x")])
    assert first == Verdict(
        0,
        GENESIS,
        1,
        None,
        AuditProblem.CHANGED,
        Text(
            "第 1 条记录无法读取（x）：记录被改动过",
            "entry 1 cannot be read (x): the entry was changed",
        ),
    )


def test_a_gap_in_the_sequence_numbers_is_a_removal() -> None:
    entries, head = chain(4)
    assert verify([entries[0], entries[1], entries[3]], head) == Verdict(
        2,
        entries[1].hash,
        3,
        4,
        AuditProblem.REMOVED,
        Text(
            "第 3 条记录的序号为 4，应为 3：其前有记录被删除或移走",
            "entry 3 has sequence number 4, expected 3: an entry before it was removed or moved",
        ),
    )
    # one past the expected number, at the first entry
    assert verify([entries[1]]) == Verdict(
        0,
        GENESIS,
        1,
        2,
        AuditProblem.REMOVED,
        Text(
            "第 1 条记录的序号为 2，应为 1：其前有记录被删除或移走",
            "entry 1 has sequence number 2, expected 1: an entry before it was removed or moved",
        ),
    )


def test_a_lower_sequence_number_is_a_reordering() -> None:
    entries, head = chain(3)
    assert verify([entries[0], entries[1], entries[1]], head) == Verdict(
        2,
        entries[1].hash,
        3,
        2,
        AuditProblem.REORDERED,
        Text(
            "第 3 条记录的序号为 2，应为 3：有记录被插入或次序被打乱",
            "entry 3 has sequence number 2, expected 3: an entry was inserted or the order changed",
        ),
    )
    # one below the expected number
    assert verify([entries[0], entries[0]]) == Verdict(
        1,
        entries[0].hash,
        2,
        1,
        AuditProblem.REORDERED,
        Text(
            "第 2 条记录的序号为 1，应为 2：有记录被插入或次序被打乱",
            "entry 2 has sequence number 1, expected 2: an entry was inserted or the order changed",
        ),
    )


def test_contents_that_do_not_give_the_hash_are_changed() -> None:
    entries, head = chain(3)
    forged = attrs.evolve(entries[1], who="x")  # the stored hash kept
    assert verify([entries[0], forged, entries[2]], head) == Verdict(
        1,
        entries[0].hash,
        2,
        2,
        AuditProblem.CHANGED,
        Text(
            "第 2 条记录的内容与其哈希不符：记录被改动过",
            "entry 2: its contents do not match its hash: the entry was changed",
        ),
    )
    one_hex_digit_off = attrs.evolve(entries[0], hash=entries[0].hash[:-1] + "x")
    assert verify([one_hex_digit_off]).problem is AuditProblem.CHANGED
    assert verify([one_hex_digit_off]).bad == 1


def test_a_prev_that_is_not_the_entry_before_is_an_insertion() -> None:
    entries, head = chain(3)
    relinked = attrs.evolve(entries[2], prev=H1).sealed()
    assert verify([entries[0], entries[1], relinked], head) == Verdict(
        2,
        entries[1].hash,
        3,
        3,
        AuditProblem.INSERTED,
        Text(
            "第 3 条记录所记的前一条哈希与实际前一条不符：其前有记录被插入、替换或删除",
            "entry 3: the previous hash it records is not the previous entry's: "
            "an entry before it was inserted, replaced or removed",
        ),
    )
    # the first entry's prev must be GENESIS
    assert verify([attrs.evolve(entries[0], prev=H1).sealed()]).bad == 1


def test_the_head_counting_more_entries_than_the_trail_has() -> None:
    entries, head = chain(3)
    assert verify(entries[:2], head) == Verdict(
        2,
        entries[1].hash,
        3,
        None,
        AuditProblem.REMOVED,
        Text(
            "链头记有 3 条，实有 2 条：末尾的记录被删除",
            "the head counts 3 entries, the trail has 2: the last entries were removed",
        ),
    )
    # one more than the trail, with the trail's last hash
    assert verify(entries, AuditHead(4, entries[2].hash)) == Verdict(
        3,
        entries[2].hash,
        4,
        None,
        AuditProblem.REMOVED,
        Text(
            "链头记有 4 条，实有 3 条：末尾的记录被删除",
            "the head counts 4 entries, the trail has 3: the last entries were removed",
        ),
    )
    assert verify([], AuditHead(1, H1)) == Verdict(
        0,
        GENESIS,
        1,
        None,
        AuditProblem.REMOVED,
        Text(
            "链头记有 1 条，实有 0 条：末尾的记录被删除",
            "the head counts 1 entries, the trail has 0: the last entries were removed",
        ),
    )


def test_the_head_counting_fewer_entries_than_the_trail_has() -> None:
    entries, _ = chain(4)
    assert verify(entries, AuditHead(2, entries[1].hash)) == Verdict(
        4,
        entries[3].hash,
        3,
        3,
        AuditProblem.INSERTED,
        Text(
            "链头记有 2 条，实有 4 条：末尾有记录被追加",
            "the head counts 2 entries, the trail has 4: entries were added at the end",
        ),
    )
    # one fewer, with the trail's last hash
    assert verify(entries, AuditHead(3, entries[3].hash)) == Verdict(
        4,
        entries[3].hash,
        4,
        4,
        AuditProblem.INSERTED,
        Text(
            "链头记有 3 条，实有 4 条：末尾有记录被追加",
            "the head counts 3 entries, the trail has 4: entries were added at the end",
        ),
    )


def test_the_head_with_the_same_count_and_another_hash() -> None:
    entries, _ = chain(3)
    assert verify(entries, AuditHead(3, H1)) == Verdict(
        3,
        entries[2].hash,
        3,
        3,
        AuditProblem.CHANGED,
        Text(
            "最后一条记录的哈希与链头不符：记录链被改写",
            "the last entry's hash is not the head's: the trail was rewritten",
        ),
    )
