"""What an import or a replace changed in the evaluations, corrective actions, receipts and
expenses of a programme, one audit entry per item (AUD-1, issue 11 item 4).

The ``import``/``replace`` entry keeps a digest of the programme before and after, which says
*that* something changed, not *what*. :func:`changes` lists, for each station-year, every
evaluation recorded, changed or withdrawn, every corrective action recorded, closed, changed or
withdrawn, and every receipt and expense recorded, changed or removed, with the item before and
after as canonical JSON text (:func:`sgz_core.audit.canonical_json` of the item's plain values:
the field names of a programme file, money and numbers as exact text, dates as ISO text, absent
fields left out). Pure: no I/O; the storage appends the entries in the save's unit of work.

**Which item.** An item is named within its station-year by its natural key, the entry's
``subject``:

- an evaluation by its kind and date: ``mid_term 2024-07-01``;
- a corrective action by its id: ``ca-1``;
- a receipt by its date and source: ``2024-03-01 province``;
- an expense by its date, fund and category: ``2024-05-10 district training``.

When several items of one station-year share a key, the second is ``… #2``, the third ``… #3``
(in the programme's order; where that subject is taken already, by a key that is itself
written ``… #2``, the next free number), so every subject names exactly one item. A key is cut
to :data:`MAX_BASE` characters (a subject never exceeds the storage's key length); the
numbering counts the cut keys, so subjects stay unique.

**The order** (stable, and the order the entries are appended): stations in the order of the
programme after, then the stations only the programme before has, in its order; contract years
by number; within a station-year evaluations, corrective actions, receipts, expenses; within
each, the items of the programme after in their order (recorded, changed, closed), then the
items only the programme before has, in its order (withdrawn, removed).

An item is *changed* when its value differs (the model's equality: ``Decimal("86.0")`` and
``Decimal("86")`` are the same score, as a database may give either back). A change of order
alone among items of different keys is not an operation on money or on an evaluation and gives
no entry (the ``replace`` entry's digest still shows it).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from sgz_core.audit import AuditAction, canonical_json
from sgz_core.errors import InvalidInput
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

Section = Literal["evaluations", "actions", "receipts", "expenses"]

SECTIONS: tuple[Section, ...] = ("evaluations", "actions", "receipts", "expenses")
"""The sections of a contract year that get entries of their own, in the order of the entries."""

MAX_BASE = 240
"""The longest natural key a subject keeps (characters), leaving room for `` #n`` within the
storage's 255."""

_ACTIONS: dict[Section, tuple[AuditAction, AuditAction, AuditAction]] = {
    "evaluations": (
        AuditAction.EVALUATION_RECORDED,
        AuditAction.EVALUATION_CHANGED,
        AuditAction.EVALUATION_WITHDRAWN,
    ),
    "actions": (
        AuditAction.ACTION_RECORDED,
        AuditAction.ACTION_CHANGED,
        AuditAction.ACTION_WITHDRAWN,
    ),
    "receipts": (
        AuditAction.RECEIPT_RECORDED,
        AuditAction.RECEIPT_CHANGED,
        AuditAction.RECEIPT_REMOVED,
    ),
    "expenses": (
        AuditAction.EXPENSE_RECORDED,
        AuditAction.EXPENSE_CHANGED,
        AuditAction.EXPENSE_REMOVED,
    ),
}
"""Per section: the action of an item recorded, changed, gone."""

SECTION_OF: dict[AuditAction, Section] = {
    action: section for section, actions in _ACTIONS.items() for action in actions
}
"""The section each item action belongs to (:data:`AuditAction.ACTION_CLOSED` included)."""
SECTION_OF[AuditAction.ACTION_CLOSED] = "actions"

Item = Evaluation | CorrectiveAction | Receipt | Expense


@attrs.frozen
class ItemChange:
    """One item of a station-year recorded, changed or gone: what its audit entry says.

    ``before``/``after`` are the item's canonical JSON text, ``None`` when it was not there
    (recorded) or is no more (withdrawn, removed)."""

    action: AuditAction
    station: str
    year: int
    subject: str
    before: str | None
    after: str | None

    @property
    def section(self) -> Section:
        return SECTION_OF[self.action]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls))
    return names


def _plain(value: Any) -> Any:
    """Plain JSON values, as the library's converter unstructures a model value (field names,
    ``None`` fields left out) with Decimal as its exact text, dates as ISO text, enumerations
    by value. Written out here because it runs once an item on an import (a test keeps it
    equal to :func:`sgz_core.jsonvalue.to_plain`)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str | int) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        out = {}
        for name in _names(type(value)):
            inner = getattr(value, name)
            if inner is not None:
                out[name] = _plain(inner)
        return out
    raise InvalidInput(f"audit: cannot record a value of type {type(value).__name__}")


def item_json(item: Item) -> str:
    """The item as canonical JSON text: what an entry keeps as ``before``/``after``."""
    return canonical_json(_plain(item))


def natural_key(item: Item) -> str:
    """The item's key within its station-year, before any `` #n`` (see the module's text)."""
    if isinstance(item, Evaluation):
        text = f"{item.kind.value} {item.date.isoformat()}"
    elif isinstance(item, CorrectiveAction):
        text = item.id or "-"
    elif isinstance(item, Receipt):
        text = f"{item.date.isoformat()} {item.source.value}"
    else:
        text = f"{item.date.isoformat()} {item.fund.value} {item.category}"
    # an audit subject holds neither NUL nor the encoding's separator (sgz_core.audit)
    text = text.replace("\x00", " ").replace("\x1f", " ")
    return text[:MAX_BASE]


def keyed(items: Sequence[Item]) -> dict[str, Item]:
    """The items of one section of a station-year by subject, in their order: the natural key,
    and `` #n`` on the n-th item (n from 2) sharing one. A subject taken already (a category or
    an id that is itself written ``… #2``) takes the next free number, so no item loses its
    subject to another (AUD-1)."""
    seen: dict[str, int] = {}
    out: dict[str, Item] = {}
    for item in items:
        base = natural_key(item)
        n = seen.get(base, 0) + 1
        subject = base if n == 1 else f"{base} #{n}"
        while subject in out:
            n += 1
            subject = f"{base} #{n}"
        seen[base] = n
        out[subject] = item
    return out


def _section(year: ContractYear, section: Section) -> tuple[Item, ...]:
    items: tuple[Item, ...] = getattr(year, section)
    return items


def _year_changes(
    station: str, number: int, before: ContractYear | None, after: ContractYear | None
) -> Iterator[ItemChange]:
    for section in SECTIONS:
        old = () if before is None else _section(before, section)
        new = () if after is None else _section(after, section)
        if old == new:  # the common case of a replace: nothing to key or encode
            continue
        recorded, changed, gone = _ACTIONS[section]
        old_items = keyed(old)
        new_items = keyed(new)
        for subject, item in new_items.items():
            prior = old_items.get(subject)
            if prior is None:
                yield ItemChange(recorded, station, number, subject, None, item_json(item))
            elif prior != item:
                action = changed
                if (
                    isinstance(item, CorrectiveAction)
                    and isinstance(prior, CorrectiveAction)
                    and prior.closed is None
                    and item.closed is not None
                ):
                    action = AuditAction.ACTION_CLOSED
                yield ItemChange(
                    action, station, number, subject, item_json(prior), item_json(item)
                )
        for subject, prior in old_items.items():
            if subject not in new_items:
                yield ItemChange(gone, station, number, subject, item_json(prior), None)


def _station_changes(before: Station | None, after: Station | None) -> Iterator[ItemChange]:
    kept = after if after is not None else before
    assert kept is not None
    old = {} if before is None else {y.year: y for y in before.years}
    new = {} if after is None else {y.year: y for y in after.years}
    for number in sorted(old.keys() | new.keys()):
        yield from _year_changes(kept.id, number, old.get(number), new.get(number))


def changes(before: Programme | None, after: Programme) -> list[ItemChange]:
    """The evaluations, corrective actions, receipts and expenses that ``after`` records,
    changes or no longer has compared with ``before`` (``None``: a first import, everything in
    ``after`` is recorded), in the documented order (see the module's text). The same
    programme twice gives no change. Linear in the size of the two programmes."""
    old: Mapping[str, Station] = {} if before is None else {s.id: s for s in before.stations}
    out: list[ItemChange] = []
    seen: set[str] = set()
    for station in after.stations:
        seen.add(station.id)
        out.extend(_station_changes(old.get(station.id), station))
    if before is not None:
        for station in before.stations:
            if station.id not in seen:
                out.extend(_station_changes(station, None))
    return out


def section_items(
    programme: Programme | None, section: Section
) -> dict[tuple[str, int, str], Item]:
    """Every item of ``section`` in ``programme`` by ``(station, year, subject)``: what the
    entries of :func:`changes` are about (a first import: ``{}``)."""
    out: dict[tuple[str, int, str], Item] = {}
    if programme is None:
        return out
    for station in programme.stations:
        for year in station.years:
            for subject, item in keyed(_section(year, section)).items():
                out[(station.id, year.year, subject)] = item
    return out


_CLASSES: dict[Section, type[Item]] = {
    "evaluations": Evaluation,
    "actions": CorrectiveAction,
    "receipts": Receipt,
    "expenses": Expense,
}
_DATES: dict[type[Item], tuple[str, ...]] = {
    Evaluation: ("date",),
    CorrectiveAction: ("evaluation", "due", "closed"),
    Receipt: ("date",),
    Expense: ("date",),
}
"""The date fields of each item type, ISO text in :func:`item_json`."""


def item_from_json(section: Section, text: str) -> Item:
    """The item :func:`item_json` wrote (its inverse): what an entry's ``before`` or ``after``
    records, as a model value again. Text it could not have written is :class:`InvalidInput`."""
    cls = _CLASSES[section]
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        for name in _DATES[cls]:
            if name in data:
                data[name] = dt.date.fromisoformat(data[name])
        if cls is Evaluation:
            data["results"] = tuple(Result(**r) for r in data.get("results", ()))
        item: Item = cls(**data)
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(
            f"audit {section[:-1]}: expected {cls.__name__} JSON, got {text[:80]!r} ({exc})"
        ) from None
    return item


def apply(
    items: Mapping[tuple[str, int, str], Item], entries: Sequence[ItemChange], section: Section
) -> dict[tuple[str, int, str], Item]:
    """``items`` (as :func:`section_items` gives them) with the entries of ``section`` applied:
    each ``after`` (read back by :func:`item_from_json`) put in its place, each gone item
    taken out. Applying ``changes(before, after)`` to ``section_items(before, s)`` gives
    ``section_items(after, s)`` for every section (the property the tests check)."""
    out = dict(items)
    for entry in entries:
        if entry.section != section:
            continue
        key = (entry.station, entry.year, entry.subject)
        if entry.after is None:
            del out[key]
        else:
            out[key] = item_from_json(section, entry.after)
    return out


__all__ = [
    "MAX_BASE",
    "SECTIONS",
    "SECTION_OF",
    "ItemChange",
    "apply",
    "changes",
    "item_from_json",
    "item_json",
    "keyed",
    "natural_key",
    "section_items",
]
