"""SQL text for the logical schema of :mod:`sgz_adapters.storage._tabular`, per dialect.

Shared by the SQLite adapter and the PostgreSQL/MariaDB adapter. Table names get a prefix
(``""`` for SQLite files, ``sgz_`` by default on servers) so that several sgz stores, or a test
run's tables, can share one database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sgz_adapters.storage._tabular import Table, parent_of, tables
from sgz_core.limits import MAX_DECIMAL_TEXT, MAX_KEY_LENGTH

VERSION_TABLE = "schema_version"

TYPES: dict[str, dict[str, str]] = {
    "sqlite": {
        "key": "TEXT",
        "text": "TEXT",
        "int": "INTEGER",
        "bool": "INTEGER",
        "date": "TEXT",
        "money": "INTEGER",
        "decimal": "TEXT",
        "json": "TEXT",
    },
    "postgresql": {
        "key": "TEXT",
        "text": "TEXT",
        "int": "BIGINT",
        "bool": "BOOLEAN",
        "date": "DATE",
        "money": "BIGINT",
        "decimal": "TEXT",
        "json": "TEXT",
    },
    "mysql": {
        "key": f"VARCHAR({MAX_KEY_LENGTH})",
        "text": "LONGTEXT",
        "int": "BIGINT",
        "bool": "BOOLEAN",
        "date": "DATE",
        "money": "BIGINT",
        "decimal": f"VARCHAR({MAX_DECIMAL_TEXT})",
        "json": "LONGTEXT",
    },
}


def quote(name: str, dialect: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


def create_table(
    table: Table, prefix: str, dialect: str, mysql_suffix: str = "", version: int | None = None
) -> list[str]:
    """``CREATE TABLE`` and ``CREATE INDEX`` statements for one table, with the columns of
    schema ``version`` (default: the latest); later columns come by :func:`add_columns`."""
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    types = TYPES[dialect]
    lines = []
    for column in table.all_columns:
        if version is not None and column.since > version:
            continue
        null = " NOT NULL" if column in table.keys else ""
        lines.append(f"{q(column.name)} {types[column.kind]}{null}")
    keys = ", ".join(q(c.name) for c in table.keys)
    lines.append(f"PRIMARY KEY ({keys})")
    parent = parent_of(table)
    if parent is not None:
        mine = ", ".join(q(c.name) for c in table.keys[:-1])
        theirs = ", ".join(q(c.name) for c in parent.keys)
        lines.append(
            f"FOREIGN KEY ({mine}) REFERENCES {q(prefix + parent.name)} ({theirs}) ON DELETE CASCADE"
        )
    elif table.name == "sections":
        lines.append(
            f"FOREIGN KEY ({q('programme_id')}) REFERENCES {q(prefix + 'programmes')} ({q('id')})"
            " ON DELETE CASCADE"
        )
    if dialect == "mysql":  # DDL commits at once there: inline indexes, and idempotent
        for i, index in enumerate(table.indexes):
            lines.append(
                f"INDEX {q(f'{prefix}{table.name}_ix{i}')} ({', '.join(q(c) for c in index)})"
            )
        body = ",\n  ".join(lines)
        return [f"CREATE TABLE IF NOT EXISTS {q(prefix + table.name)} (\n  {body}\n){mysql_suffix}"]
    body = ",\n  ".join(lines)
    out = [f"CREATE TABLE {q(prefix + table.name)} (\n  {body}\n)"]
    for i, index in enumerate(table.indexes):
        cols = ", ".join(q(c) for c in index)
        out.append(
            f"CREATE INDEX {q(f'{prefix}{table.name}_ix{i}')} ON {q(prefix + table.name)} ({cols})"
        )
    return out


def create_version_table(prefix: str, dialect: str, mysql_suffix: str = "") -> str:
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    tail = mysql_suffix if dialect == "mysql" else ""
    stamp = "VARCHAR(40)" if dialect == "mysql" else "TEXT"
    return (
        f"CREATE TABLE IF NOT EXISTS {q(prefix + VERSION_TABLE)} ({q('version')} INTEGER NOT NULL PRIMARY KEY, "
        f"{q('applied')} {stamp} NOT NULL){tail}"
    )


def add_columns(version: int, prefix: str, dialect: str) -> list[str]:
    """``ALTER TABLE … ADD COLUMN`` for the columns schema ``version`` adds to older tables
    (nullable: the rows already there read back as before)."""
    types = TYPES[dialect]
    return [
        f"ALTER TABLE {quote(prefix + table.name, dialect)} "
        f"ADD COLUMN {quote(column.name, dialect)} {types[column.kind]}"
        for table in tables(version)
        if table.since < version
        for column in table.columns
        if column.since == version
    ]


def new_tables(version: int) -> tuple[Table, ...]:
    """The tables schema ``version`` adds to the one before it."""
    return tuple(t for t in tables(version) if t.since == version)


def placeholders(n: int, dialect: str) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    return ", ".join([mark] * n)


def insert(table: Table, prefix: str, dialect: str) -> str:
    cols = table.all_columns
    names = ", ".join(quote(c.name, dialect) for c in cols)
    return (
        f"INSERT INTO {quote(prefix + table.name, dialect)} ({names}) "
        f"VALUES ({placeholders(len(cols), dialect)})"
    )


def select(
    table: Table,
    prefix: str,
    dialect: str,
    where: Sequence[str] = ("programme_id",),
    order: Sequence[str] | None = None,
) -> str:
    """Rows of one programme, in key order."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    names = ", ".join(q(c.name) for c in table.all_columns)
    cond = " AND ".join(f"{q(w)} = {mark}" for w in where)
    keys = ", ".join(q(c) for c in (order or [c.name for c in table.keys]))
    return f"SELECT {names} FROM {q(prefix + table.name)} WHERE {cond} ORDER BY {keys}"


def delete(table: Table, prefix: str, dialect: str) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    key = "id" if table.name == "programmes" else "programme_id"
    return f"DELETE FROM {quote(prefix + table.name, dialect)} WHERE {quote(key, dialect)} = {mark}"


def record_filter(
    station: str | None,
    domain: str | None,
    start: object,
    end: object,
    dialect: str,
    *,
    unindexed: bool = False,
) -> tuple[str, list[object]]:
    """``AND …`` conditions and their parameters for a resolved record query.

    ``unindexed`` (SQLite, PostgreSQL): the columns are written ``+column`` and
    ``COALESCE(column, column)``, which keep the planner from answering the conditions through
    an index, so that another condition's index is used: the partial index of the rows with
    ``extra``, which a date range would otherwise hide (PostgreSQL chose the date index too
    until the table was analysed). MariaDB has no partial index: its conditions stay plain."""
    mark = "?" if dialect == "sqlite" else "%s"

    def q(name: str) -> str:
        column = quote(name, dialect)
        if unindexed and dialect == "sqlite":
            return f"+{column}"
        if unindexed and dialect == "postgresql":
            return f"COALESCE({column}, {column})"
        return column

    parts, params = [], []
    for column, value, op in (
        ("station", station, "="),
        ("domain", domain, "="),
        ("date", start, ">="),
        ("date", end, "<="),
    ):
        if value is not None:
            parts.append(f" AND {q(column)} {op} {mark}")
            params.append(value)
    return "".join(parts), params


# --- recorded payments (schema 3) ------------------------------------------------------------------

PAYMENTS = "payments"
"""Recorded payments (PAY-1): not a child of ``programmes``, so replacing a programme keeps them."""

PAYMENT_COLUMNS = (
    "programme_id",
    "station",
    "year",
    "milestone",
    "amount_fen",
    "paid_on",
    "paid_by",
    "reference",
    "recorded_at",
)


def create_payments(prefix: str, dialect: str, mysql_suffix: str = "") -> str:
    """The payments table, created only where it is missing (the v3 upgrade is additive)."""
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    t = TYPES[dialect]
    short = "VARCHAR(32)" if dialect == "mysql" else t["key"]
    stamp = "VARCHAR(40)" if dialect == "mysql" else "TEXT"
    lines = [
        f"{q('programme_id')} {t['key']} NOT NULL",
        f"{q('station')} {t['key']} NOT NULL",
        f"{q('year')} {t['int']} NOT NULL",
        f"{q('milestone')} {short} NOT NULL",
        f"{q('amount_fen')} {t['money']} NOT NULL",
        f"{q('paid_on')} {t['date']} NOT NULL",
        f"{q('paid_by')} {t['text']} NOT NULL",
        f"{q('reference')} {t['text']}",
        f"{q('recorded_at')} {stamp}",
        f"PRIMARY KEY ({q('programme_id')}, {q('station')}, {q('year')}, {q('milestone')})",
    ]
    body = ",\n  ".join(lines)
    tail = mysql_suffix if dialect == "mysql" else ""
    return f"CREATE TABLE IF NOT EXISTS {q(prefix + PAYMENTS)} (\n  {body}\n){tail}"


def insert_payment(prefix: str, dialect: str, *, skip_duplicates: bool = False) -> str:
    """One payment's INSERT; ``skip_duplicates``: a row of a tranche already paid is skipped
    (the unique key still decides) instead of failing the statement."""
    names = ", ".join(quote(c, dialect) for c in PAYMENT_COLUMNS)
    text = (
        f"INSERT INTO {quote(prefix + PAYMENTS, dialect)} ({names}) "
        f"VALUES ({placeholders(len(PAYMENT_COLUMNS), dialect)})"
    )
    if not skip_duplicates:
        return text
    if dialect == "mysql":
        key = quote("programme_id", dialect)
        return f"{text} ON DUPLICATE KEY UPDATE {key} = {key}"
    return f"{text} ON CONFLICT DO NOTHING"


def select_payments(prefix: str, dialect: str, *, station: bool, key: bool = False) -> str:
    """A programme's payments (of one station; or the one of a tranche, with ``key``)."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    names = ", ".join(q(c) for c in PAYMENT_COLUMNS[1:])
    where = [f"{q('programme_id')} = {mark}"]
    if station or key:
        where.append(f"{q('station')} = {mark}")
    if key:
        where += [f"{q('year')} = {mark}", f"{q('milestone')} = {mark}"]
    return (
        f"SELECT {names} FROM {q(prefix + PAYMENTS)} WHERE {' AND '.join(where)} "
        f"ORDER BY {q('station')}, {q('year')}, {q('milestone')}"
    )


# --- the audit trail (schema 4) --------------------------------------------------------------------

AUDIT = "audit"
"""The audit trail's entries (AUD-1), one chain for the whole store, in ``seq`` order."""
AUDIT_HEAD = "audit_head"
"""One row (``chain = 'main'``): how many entries there are and the last one's hash. Kept apart
from the entries so that entries cut off the end are found; writers lock it."""
CHAIN = "main"

AUDIT_COLUMNS = (
    "seq",
    "at",
    "who",
    "action",
    "programme_id",
    "station",
    "year",
    "subject",
    "before_json",
    "after_json",
    "prev",
    "hash",
)
"""In the order of :data:`sgz_core.audit.COLUMNS`."""


def create_audit(prefix: str, dialect: str, mysql_suffix: str = "") -> list[str]:
    """The audit tables and the empty chain's head, created only where missing (v4 only adds)."""
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    t = TYPES[dialect]
    short = "VARCHAR(64)" if dialect == "mysql" else "TEXT"
    stamp = "VARCHAR(40)" if dialect == "mysql" else "TEXT"
    tail = mysql_suffix if dialect == "mysql" else ""
    index = q(f"{prefix}{AUDIT}_ix0")
    cols = f"{q('programme_id')}, {q('station')}, {q('seq')}"
    lines = [
        f"{q('seq')} {t['int']} NOT NULL",
        f"{q('at')} {stamp} NOT NULL",
        f"{q('who')} {t['text']} NOT NULL",
        f"{q('action')} {short} NOT NULL",
        f"{q('programme_id')} {t['key']} NOT NULL",
        f"{q('station')} {t['key']}",
        f"{q('year')} {t['int']}",
        f"{q('subject')} {t['key']}",
        f"{q('before_json')} {t['json']}",
        f"{q('after_json')} {t['json']}",
        f"{q('prev')} {short} NOT NULL",
        f"{q('hash')} {short} NOT NULL",
        f"PRIMARY KEY ({q('seq')})",
    ]
    if dialect == "mysql":
        lines.append(f"INDEX {index} ({cols})")
    body = ",\n  ".join(lines)
    out = [f"CREATE TABLE IF NOT EXISTS {q(prefix + AUDIT)} (\n  {body}\n){tail}"]
    if dialect != "mysql":
        out.append(f"CREATE INDEX IF NOT EXISTS {index} ON {q(prefix + AUDIT)} ({cols})")
    out.append(
        f"CREATE TABLE IF NOT EXISTS {q(prefix + AUDIT_HEAD)} ({q('chain')} {short} NOT NULL "
        f"PRIMARY KEY, {q('seq')} {t['int']} NOT NULL, {q('hash')} {short} NOT NULL){tail}"
    )
    head = (
        f"INTO {q(prefix + AUDIT_HEAD)} ({q('chain')}, {q('seq')}, {q('hash')}) "
        f"VALUES ('{CHAIN}', 0, '{'0' * 64}')"
    )
    if dialect == "sqlite":
        out.append(f"INSERT OR IGNORE {head}")
    elif dialect == "mysql":
        out.append(f"INSERT IGNORE {head}")
    else:
        out.append(f"INSERT {head} ON CONFLICT DO NOTHING")
    return out


def insert_audit(prefix: str, dialect: str) -> str:
    names = ", ".join(quote(c, dialect) for c in AUDIT_COLUMNS)
    return (
        f"INSERT INTO {quote(prefix + AUDIT, dialect)} ({names}) "
        f"VALUES ({placeholders(len(AUDIT_COLUMNS), dialect)})"
    )


def update_audit_head(prefix: str, dialect: str) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    return (
        f"UPDATE {q(prefix + AUDIT_HEAD)} SET {q('seq')} = {mark}, {q('hash')} = {mark} "
        f"WHERE {q('chain')} = '{CHAIN}'"
    )


def select_audit_head(prefix: str, dialect: str, *, lock: bool = False) -> str:
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    tail = " FOR UPDATE" if lock and dialect != "sqlite" else ""
    return (
        f"SELECT {q('seq')}, {q('hash')} FROM {q(prefix + AUDIT_HEAD)} "
        f"WHERE {q('chain')} = '{CHAIN}'{tail}"
    )


def select_audit(prefix: str, dialect: str, *, programme: bool, station: bool) -> str:
    """The entries (of a programme, of a station), in ``seq`` order."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: quote(n, dialect)  # noqa: E731
    names = ", ".join(q(c) for c in AUDIT_COLUMNS)
    where = []
    if programme:
        where.append(f"{q('programme_id')} = {mark}")
    if station:
        where.append(f"{q('station')} = {mark}")
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT {names} FROM {q(prefix + AUDIT)}{cond} ORDER BY {q('seq')}"
