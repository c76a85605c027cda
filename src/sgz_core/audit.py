"""The audit trail (AUD-1): an append-only, hash-chained record of every recorded operation.

Each :class:`AuditEntry` says when (UTC), who, what (:class:`AuditAction`), on which programme
(and station, contract year, subject such as the milestone paid) and the state before and after
as canonical JSON text. Its :attr:`~AuditEntry.hash` is the SHA-256 of its canonical bytes
(:meth:`AuditEntry.encode`), which include the previous entry's hash, so the entries form a
chain: an entry changed, removed, inserted or moved outside sgz breaks it, and :func:`verify`
names the first bad entry and why. The chain's head (how many entries, the last hash), which
the storage keeps apart from the entries, also catches the last entries cut off.

A SHA-256 chain without a key cannot stop someone who rewrites every entry after a change *and*
the head; it makes that visible to anyone who noted the head earlier (``sgz audit verify``
prints it). Pure: the clock and the user are passed in by the adapters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from sgz_core.enums import Labelled
from sgz_core.errors import InvalidInput
from sgz_core.limits import MAX_KEY_LENGTH
from sgz_core.text import Text

GENESIS = "0" * 64
"""The ``prev`` of the first entry: no entry came before it."""

SEPARATOR = "\x1f"
"""Between the fields of the canonical encoding (the ASCII unit separator). No field may hold
it (JSON text escapes it), so the encoding is one-to-one and :func:`verify` checks a field that
smuggled one in by counting them."""

FIELDS = 11
"""Fields in the canonical encoding: seq, at, who, action, programme, station, year, subject,
before, after, prev."""

MAX_WHO = 1000
"""The longest ``who`` an entry keeps (characters)."""


class AuditAction(Labelled):
    """What a recorded operation did (AUD-1)."""

    IMPORT = ("import", "导入项目", "import")
    """A programme stored under a new id."""
    REPLACE = ("replace", "替换项目", "replace")
    """A stored programme replaced by another version (its payments are kept)."""
    DELETE = ("delete", "删除项目", "delete")
    """A programme without recorded payments removed."""
    PAYMENT = ("payment", "记录拨付", "payment")
    """A tranche's payment recorded (PAY-1)."""
    # What an import or a replace changed in one station-year's evaluations, corrective actions,
    # receipts and expenses (issue 11 item 4): appended after the import/replace entry, one per
    # item, by :func:`sgz_core.audit_diff.changes`. ``before`` is the item before (``None``:
    # it is new), ``after`` the item after (``None``: it is gone).
    EVALUATION_RECORDED = ("evaluation_recorded", "记录评估", "evaluation recorded")
    """An evaluation (mid-term or final) that was not there before."""
    EVALUATION_CHANGED = ("evaluation_changed", "更改评估", "evaluation changed")
    """An evaluation's score, outcome, results or reason changed."""
    EVALUATION_WITHDRAWN = ("evaluation_withdrawn", "撤回评估", "evaluation withdrawn")
    """An evaluation that is no longer in the programme."""
    ACTION_RECORDED = ("action_recorded", "记录整改", "corrective action recorded")
    """A corrective action (整改) that was not there before (PERF-3)."""
    ACTION_CLOSED = ("action_closed", "整改完成", "corrective action closed")
    """A corrective action's closing date set (it had none before)."""
    ACTION_CHANGED = ("action_changed", "更改整改", "corrective action changed")
    """A corrective action changed otherwise (its text, due date, indicator, a closing date
    changed or taken back)."""
    ACTION_WITHDRAWN = ("action_withdrawn", "撤回整改", "corrective action withdrawn")
    """A corrective action that is no longer in the programme."""
    RECEIPT_RECORDED = ("receipt_recorded", "记录到账", "receipt recorded")
    """Money received (the fund ledger) that was not there before."""
    RECEIPT_CHANGED = ("receipt_changed", "更改到账", "receipt changed")
    """A receipt's amount or note changed."""
    RECEIPT_REMOVED = ("receipt_removed", "删除到账", "receipt removed")
    """A receipt that is no longer in the programme."""
    EXPENSE_RECORDED = ("expense_recorded", "记录支出", "expense recorded")
    """An expense that was not there before (FUND-3, FUND-8)."""
    EXPENSE_CHANGED = ("expense_changed", "更改支出", "expense changed")
    """An expense's amount, note or reason changed."""
    EXPENSE_REMOVED = ("expense_removed", "删除支出", "expense removed")
    """An expense that is no longer in the programme."""


class AuditProblem(Labelled):
    """What is wrong with the first bad entry of a chain (:func:`verify`)."""

    CHANGED = ("changed", "内容被改动", "changed")
    """The entry's contents do not give its hash."""
    REMOVED = ("removed", "有记录被删除", "removed")
    """An entry before this one (or, with the head, after the last) is missing."""
    INSERTED = ("inserted", "有记录被插入", "inserted")
    """An entry that sgz did not append stands here."""
    REORDERED = ("reordered", "记录次序被打乱", "reordered")
    """The entries are not in the order they were appended."""


def canonical_json(value: Any) -> str:
    """``value`` (plain JSON: dict, list, str, int, bool, None) as canonical JSON text: keys
    sorted, no spaces, non-ASCII kept; a float is refused (money is Decimal, stored as text)."""

    def check(item: Any) -> None:
        if isinstance(item, float):
            raise InvalidInput(f"audit: cannot record the binary float {item!r}; use text")
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    raise InvalidInput(f"audit: expected text keys, got {key!r}")
                check(inner)
        elif isinstance(item, list | tuple):
            for inner in item:
                check(inner)
        elif not (isinstance(item, str | int) or item is None):
            raise InvalidInput(f"audit: cannot record a value of type {type(item).__name__}")

    check(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _checked_text(field: str, limit: int, value: object, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"audit {field}: expected a non-empty text, got {value!r}")
    if len(value) > limit or SEPARATOR in value or "\x00" in value:
        raise InvalidInput(
            f"audit {field}: expected at most {limit} characters without NUL or U+001F, "
            f"got {len(value)}"
        )
    return value


def _who(value: object) -> str:
    return str(_checked_text("who", MAX_WHO, value, required=True))


def _programme(value: object) -> str:
    return str(_checked_text("programme", MAX_KEY_LENGTH, value, required=True))


def _station(value: object) -> str | None:
    return _checked_text("station", MAX_KEY_LENGTH, value, required=False)


def _subject(value: object) -> str | None:
    return _checked_text("subject", MAX_KEY_LENGTH, value, required=False)


def _json_text(field: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return canonical_json(value)
    if SEPARATOR in value or not value:
        raise InvalidInput(f"audit {field}: expected JSON text (never empty, no raw U+001F)")
    return value


def _before(value: object) -> str | None:
    return _json_text("before", value)


def _after(value: object) -> str | None:
    return _json_text("after", value)


def _at(value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidInput(f"audit at: expected an aware datetime, got {value!r}")
    return value.astimezone(dt.UTC)


def _seq(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"audit seq: expected a sequence number from 1, got {value!r}")
    return value


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 99:
        raise InvalidInput(
            f"audit year: expected a contract year number from 1 to 99, got {value!r}"
        )
    return value


def _hash_of(field: str, value: object) -> str:
    if not isinstance(value, str) or len(value) != 64 or SEPARATOR in value:
        raise InvalidInput(f"audit {field}: expected 64 hexadecimal digits, got {value!r}")
    return value


def _prev(value: object) -> str:
    return _hash_of("prev", value)


_ACTIONS = {a.value: a for a in AuditAction}


def _action(value: object) -> AuditAction:
    if isinstance(value, AuditAction):
        return value
    found = _ACTIONS.get(value) if isinstance(value, str) else None
    if found is not None:
        return found
    raise InvalidInput(f"audit action: expected {AuditAction.expected()}, got {value!r}")


@attrs.frozen
class AuditEntry:
    """One entry of the audit trail (AUD-1).

    ``seq`` counts from 1 without gaps; ``at`` is when (UTC); ``before``/``after`` are canonical
    JSON text (``None``: nothing, as before an import or after a delete); ``prev`` is the hash
    of entry ``seq - 1`` (:data:`GENESIS` for the first); ``hash`` the SHA-256 (hex) of
    :meth:`encode`. Make new entries with :func:`append`; entries read back from a storage are
    built with their stored hash, which :func:`verify` checks.
    """

    seq: int = attrs.field(converter=_seq)
    at: dt.datetime = attrs.field(converter=_at)
    who: str = attrs.field(converter=_who)
    action: AuditAction = attrs.field(converter=_action)
    programme: str = attrs.field(converter=_programme)
    station: str | None = attrs.field(default=None, converter=_station)
    year: int | None = attrs.field(default=None, converter=_year)
    subject: str | None = attrs.field(default=None, converter=_subject)
    before: str | None = attrs.field(default=None, converter=_before)
    after: str | None = attrs.field(default=None, converter=_after)
    prev: str = attrs.field(default=GENESIS, converter=_prev)
    hash: str = attrs.field(default="", kw_only=True)
    _encoded: bytes = attrs.field(init=False, repr=False, eq=False, hash=False)
    """:meth:`encode`, computed once when the entry is made (the fields never change)."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_encoded", self._encode())

    def encode(self) -> bytes:
        """The canonical bytes the hash is computed over: the fields joined by
        :data:`SEPARATOR`, ``None`` as empty text, UTF-8."""
        return self._encoded

    def _encode(self) -> bytes:
        return encode_fields(
            self.seq,
            self.at.isoformat(),
            self.who,
            self.action.value,
            self.programme,
            self.station,
            self.year,
            self.subject,
            self.before,
            self.after,
            self.prev,
        )

    def digest(self) -> str:
        """The SHA-256 (hex) of :meth:`encode`: what :attr:`hash` must be."""
        return hashlib.sha256(self.encode()).hexdigest()

    def sealed(self) -> AuditEntry:
        """This entry with its :attr:`hash` set to :meth:`digest`."""
        return attrs.evolve(self, hash=self.digest())

    def to_plain(self) -> dict[str, Any]:
        """The entry as plain values (``at`` as ISO text), as ``sgz audit log --format json``
        shows it and as rows store it."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "who": self.who,
            "action": self.action.value,
            "programme": self.programme,
            "station": self.station,
            "year": self.year,
            "subject": self.subject,
            "before": self.before,
            "after": self.after,
            "prev": self.prev,
            "hash": self.hash,
        }

    @classmethod
    def from_plain(cls, row: dict[str, Any]) -> AuditEntry:
        """An entry from :meth:`to_plain`'s values (``at`` as ISO text or a datetime)."""
        at = row["at"]
        if isinstance(at, str):
            try:
                at = dt.datetime.fromisoformat(at)
            except ValueError:
                raise InvalidInput(f"audit at: expected an ISO date and time, got {at!r}") from None
        return cls(
            row["seq"],
            at,
            row["who"],
            row["action"],
            row["programme"],
            row.get("station"),
            row.get("year"),
            row.get("subject"),
            row.get("before"),
            row.get("after"),
            row["prev"],
            hash=row["hash"],
        )


def encode_fields(
    seq: int,
    at: str,
    who: str,
    action: str,
    programme: str,
    station: str | None,
    year: int | None,
    subject: str | None,
    before: str | None,
    after: str | None,
    prev: str,
) -> bytes:
    """The canonical encoding of an entry's fields (see :meth:`AuditEntry.encode`)."""
    return SEPARATOR.join(
        (
            str(seq),
            at,
            who,
            action,
            programme,
            station or "",
            "" if year is None else str(year),
            subject or "",
            before or "",
            after or "",
            prev,
        )
    ).encode()


@attrs.frozen
class Unreadable:
    """A stored row that is not an entry (a value edited into something sgz never writes):
    what a storage yields in its place, so that :func:`verify` reports it as changed."""

    seq: int | None
    why: str


COLUMNS = (
    "seq",
    "at",
    "who",
    "action",
    "programme",
    "station",
    "year",
    "subject",
    "before",
    "after",
    "prev",
    "hash",
)
"""The fields of an entry in the order storages keep them (:func:`from_row`)."""


def from_row(row: Sequence[Any]) -> AuditEntry | Unreadable:
    """An entry from a stored row (values in :data:`COLUMNS` order, ``at`` as ISO text), or
    :class:`Unreadable` saying why it is none."""
    seq = row[0] if isinstance(row[0], int) and not isinstance(row[0], bool) else None
    try:
        if len(row) != len(COLUMNS):
            raise InvalidInput(f"expected {len(COLUMNS)} values, got {len(row)}")
        at = row[1]
        if isinstance(at, str):
            try:
                at = dt.datetime.fromisoformat(at)
            except ValueError:
                raise InvalidInput(f"audit at: expected an ISO date and time, got {at!r}") from None
        return AuditEntry(
            row[0],
            at,
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            row[9],
            row[10],
            hash=row[11],
        )
    except (InvalidInput, TypeError) as exc:
        return Unreadable(seq, str(exc)[:300])


@attrs.frozen
class AuditHead:
    """The chain's head as the storage keeps it apart from the entries: how many entries there
    are and the last one's hash (``0`` and :data:`GENESIS` for an empty trail)."""

    count: int = 0
    hash: str = GENESIS


def append(
    head: AuditHead,
    *,
    at: dt.datetime,
    who: str,
    action: AuditAction | str,
    programme: str,
    station: str | None = None,
    year: int | None = None,
    subject: str | None = None,
    before: Any = None,
    after: Any = None,
) -> tuple[AuditEntry, AuditHead]:
    """The next entry after ``head``, sealed, and the new head. ``before``/``after`` are plain
    JSON values (made canonical) or canonical JSON text."""
    entry = AuditEntry(
        head.count + 1,
        at,
        who,
        action,
        programme,
        station,
        year,
        subject,
        before,
        after,
        head.hash,
    )
    # sealed in place, as ``sealed()`` would seal a copy: no one has seen the entry yet, and a
    # second construction would run every converter again (a payment run appends 27,000)
    object.__setattr__(entry, "hash", entry.digest())
    return entry, AuditHead(entry.seq, entry.hash)


@attrs.frozen
class Verdict:
    """What :func:`verify` found: the chain is whole (``bad`` is ``None``), or the first bad
    entry (its position in the trail, from 1, and its ``seq`` as stored) and what is wrong."""

    count: int
    """Entries read."""
    head: str
    """The last entry's hash (:data:`GENESIS` when there are none)."""
    bad: int | None = None
    """The position (from 1) of the first bad entry; ``count + 1`` when entries are missing at
    the end."""
    seq: int | None = None
    """The first bad entry's stored sequence number (``None`` when entries are missing at the end)."""
    problem: AuditProblem | None = None
    why: Text | None = None

    @property
    def whole(self) -> bool:
        return self.bad is None


def _bad(
    count: int, head: str, position: int, seq: int | None, problem: AuditProblem, why: Text
) -> Verdict:
    return Verdict(count, head, position, seq, problem, why)


def verify(
    entries: Iterable[AuditEntry | Unreadable],
    head: AuditHead | None = None,
    *,
    start: AuditHead | None = None,
) -> Verdict:
    """Check the chain (AUD-1): sequence numbers 1, 2, 3 … without gaps, each ``prev`` the hash
    of the entry before, each ``hash`` the digest of its own contents, and, with ``head``, as
    many entries as the head counts ending in its hash. Returns the first bad entry and why.

    With ``start``, the check goes on after ``start.count`` entries found whole already, the last
    of them with hash ``start.hash`` (a storage that checked those rows itself, issue 11):
    ``entries`` are then the entries from number ``start.count + 1`` on, and the verdict is the
    one the whole trail would give.

    One pass, one SHA-256 per entry over :meth:`AuditEntry.encode`'s bytes, in constant memory.
    """
    begin = AuditHead() if start is None else start
    position = begin.count
    expected = position + 1
    last = begin.hash
    sha256 = hashlib.sha256
    sep = SEPARATOR.encode()
    for entry in entries:
        position += 1
        if isinstance(entry, Unreadable):
            return _bad(
                position - 1,
                last,
                position,
                entry.seq,
                AuditProblem.CHANGED,
                Text(
                    f"第 {position} 条记录无法读取（{entry.why}）：记录被改动过",
                    f"entry {position} cannot be read ({entry.why}): the entry was changed",
                ),
            )
        seq = entry.seq
        data = entry._encoded
        if seq != expected:
            return _seq_problem(position - 1, last, position, seq, expected)
        if data.count(sep) != FIELDS - 1 or sha256(data).hexdigest() != entry.hash:
            return _bad(
                position - 1,
                last,
                position,
                seq,
                AuditProblem.CHANGED,
                Text(
                    f"第 {seq} 条记录的内容与其哈希不符：记录被改动过",
                    f"entry {seq}: its contents do not match its hash: the entry was changed",
                ),
            )
        if entry.prev != last:
            return _bad(
                position - 1,
                last,
                position,
                seq,
                AuditProblem.INSERTED,
                Text(
                    f"第 {seq} 条记录所记的前一条哈希与实际前一条不符：其前有记录被插入、替换或删除",
                    f"entry {seq}: the previous hash it records is not the previous entry's: "
                    "an entry before it was inserted, replaced or removed",
                ),
            )
        last = entry.hash
        expected += 1
    count = position
    if head is not None and (head.count != count or head.hash != last):
        if head.count > count:
            problem, zh, en = (
                AuditProblem.REMOVED,
                f"链头记有 {head.count} 条，实有 {count} 条：末尾的记录被删除",
                f"the head counts {head.count} entries, the trail has {count}: "
                "the last entries were removed",
            )
        elif head.count < count:
            problem, zh, en = (
                AuditProblem.INSERTED,
                f"链头记有 {head.count} 条，实有 {count} 条：末尾有记录被追加",
                f"the head counts {head.count} entries, the trail has {count}: "
                "entries were added at the end",
            )
        else:
            problem, zh, en = (
                AuditProblem.CHANGED,
                "最后一条记录的哈希与链头不符：记录链被改写",
                "the last entry's hash is not the head's: the trail was rewritten",
            )
        if head.count > count:
            return _bad(count, last, count + 1, None, problem, Text(zh, en))
        if head.count < count:
            return _bad(count, last, head.count + 1, head.count + 1, problem, Text(zh, en))
        return _bad(count, last, count, count, problem, Text(zh, en))
    return Verdict(count, last)


def _seq_problem(count: int, last: str, position: int, seq: int, expected: int) -> Verdict:
    if seq > expected:
        return _bad(
            count,
            last,
            position,
            seq,
            AuditProblem.REMOVED,
            Text(
                f"第 {position} 条记录的序号为 {seq}，应为 {expected}：其前有记录被删除或移走",
                f"entry {position} has sequence number {seq}, expected {expected}: "
                "an entry before it was removed or moved",
            ),
        )
    return _bad(
        count,
        last,
        position,
        seq,
        AuditProblem.REORDERED,
        Text(
            f"第 {position} 条记录的序号为 {seq}，应为 {expected}：有记录被插入或次序被打乱",
            f"entry {position} has sequence number {seq}, expected {expected}: "
            "an entry was inserted or the order changed",
        ),
    )


__all__ = [
    "COLUMNS",
    "GENESIS",
    "AuditAction",
    "AuditEntry",
    "AuditHead",
    "AuditProblem",
    "Unreadable",
    "Verdict",
    "append",
    "canonical_json",
    "encode_fields",
    "from_row",
    "verify",
]
