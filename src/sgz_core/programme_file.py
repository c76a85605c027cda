"""The programme file: TOML text ⇄ :class:`~sgz_core.model.Programme` (no file I/O here).

Callers read the file and pass its text with the file name, which every error then names.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import tomli_w

from sgz_core._convert import mask_ids, structure, unstructure
from sgz_core.casework.references import casework_problems
from sgz_core.errors import InvalidInput, Problem
from sgz_core.limits import MAX_DECIMAL_TEXT, MAX_KEY_LENGTH, UNENCODABLE
from sgz_core.model import Programme
from sgz_core.payments import Payment

HEADER_KEYS = ("id", "name", "profile", "start")
TOP_LEVEL_KEYS = (
    "programme",
    "contractors",
    "stations",
    # casework and the service ledger (docs/casework.md)
    "beneficiaries",
    "cases",
    "records",
    "referrals",
    "organisations",
    "volunteer_teams",
    "resources",
    "meetings",
    "trainings",
    "publicity",
    # the hardship-relief funds per contract year (FUND-5)
    "hardship_relief",
    # recorded payments (PAY-1, docs/money.md): written by `sgz export`, restored by import
    "payments",
)
SECTION_KEYS = TOP_LEVEL_KEYS[1:]
"""The top-level keys other than the ``[programme]`` header: lists of tables."""


MAX_TOTAL = Decimal(10) ** 26
"""A station-year's funding, and its expenses, sum to less than this (money's own bound)."""
MAX_NESTING = 32
"""Arrays and inline tables nest at most this deep (tomllib recurses; it fails at a few hundred)."""
MAX_KEY_PARTS = 32
"""A dotted key or table header has at most this many parts (tomllib is quadratic in them)."""
MAX_WORD_LENGTH = 1000
"""A bare key or number has at most this many characters (Python refuses integers of 4,300
digits; sgz's own limits on ids and numbers are far below this)."""

# What the pre-check must see: strings and comments (skipped whole), overlong bare words, and
# the characters that open and close nesting or separate the parts of a key.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^']|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    rf"|[A-Za-z0-9_+-]{{{MAX_WORD_LENGTH + 1},}}"
    r"|[\[\]{}=,.\n]",
    re.DOTALL,
)


# Lines the pre-check can pass over in one C-speed match, because at the start of a top-level
# line (nothing open, a key expected, no dots yet) they leave that state exactly as they found
# it and no token in them could be refused: ``key = value`` with a plain key and a basic string
# without escapes, a bare scalar (number, date, boolean), a one-level array of those or of
# non-empty flat inline tables (on one line or one item a line); ``[table]`` and
# ``[[array.of.tables]]`` headers of up to 31 dots; blank and comment lines.
# ``test_loader_limits`` checks that both paths refuse and accept the same texts.
_KEY = rf"[A-Za-z0-9_-]{{1,{MAX_WORD_LENGTH}}}"
_STR = r'"[^"\\\n]*"'
_SCALAR = rf"[A-Za-z0-9_+:.-]{{1,{MAX_WORD_LENGTH}}}"
_WS = r"[ \t]*"
_PAIR = rf"{_KEY}{_WS}={_WS}(?:{_STR}|{_SCALAR})"
_FLAT = rf"\{{{_WS}{_PAIR}(?:{_WS},{_WS}{_PAIR})*{_WS}\}}"
_ITEM = rf"(?:{_STR}|{_SCALAR}|{_FLAT})"
_ONE_LINE = rf"\[{_WS}(?:{_ITEM}{_WS}(?:,{_WS}{_ITEM}{_WS})*,?{_WS})?\]"
_EOL = r"[ \t\r]*\n"
_ITEM_LINES = rf"\[{_EOL}(?:{_WS}{_ITEM}{_WS},?{_EOL})*{_WS}\]"
_HEADER = rf"{_KEY}(?:{_WS}\.{_WS}{_KEY}){{0,{MAX_KEY_PARTS - 2}}}"
_LINE = (
    rf"{_WS}(?:{_KEY}{_WS}={_WS}(?:{_STR}|{_SCALAR}|{_FLAT}|{_ONE_LINE}|{_ITEM_LINES})"
    rf"|\[{_WS}{_HEADER}{_WS}\]|\[\[{_WS}{_HEADER}{_WS}\]\]|#[^\n]*)?{_EOL}"
)
_PLAIN_LINES = re.compile(rf"(?:(?>{_LINE}))+")
"""One or more plain lines; each is matched atomically (no backtracking into a line: 10x faster)."""


def _precheck(text: str, source: str, *, fast: bool = True) -> None:
    """Refuse, in one linear pass, TOML that would make tomllib recurse too deep or run for
    minutes: nesting beyond MAX_NESTING, keys of more than MAX_KEY_PARTS parts, words longer
    than MAX_WORD_LENGTH. Strings and comments are skipped; tomllib checks everything else.
    ``fast`` passes over plain lines in one match (same result; False for the tests)."""
    stack: list[str] = []  # "[" array, "{" inline table, "h" a table header
    in_key = True  # a key is being read: at the start of a line, in a header, after { or ,
    dots = 0

    def refuse(pos: int, message: str) -> InvalidInput:
        line = text.count("\n", 0, pos) + 1
        return InvalidInput([Problem("", f"line {line}: {message}")], source)

    pos = 0
    while True:
        if fast and not stack and in_key and not dots:  # e.g. the start of a top-level line
            plain = _PLAIN_LINES.match(text, pos)
            if plain:
                pos = plain.end()
        m = _TOKENS.search(text, pos)
        if m is None:
            return
        pos = m.end()
        tok = m.group()
        c = tok[0]
        if c in "\"'#":
            continue
        if len(tok) > 1:
            raise refuse(
                m.start(),
                f"expected a key or number of at most {MAX_WORD_LENGTH} characters, "
                f"got one of {len(tok)}",
            )
        if c == "\n":
            if not stack:
                in_key, dots = True, 0
        elif c == ".":
            if in_key:
                dots += 1
                if dots >= MAX_KEY_PARTS:
                    raise refuse(
                        m.start(), f"expected a key of at most {MAX_KEY_PARTS} dotted parts"
                    )
        elif c == "=":
            in_key = False
        elif c == ",":
            if stack and stack[-1] == "{":
                in_key, dots = True, 0
        elif c in "[{":
            if c == "[" and not stack and in_key:
                stack.append("h")  # [table] or [[array of tables]]: its key follows
                if text.startswith("[", m.end()):
                    stack.append("h")
                dots = 0
            elif stack and stack[-1] == "h" and c == "[":
                continue  # the second [ of [[
            else:
                stack.append(c)
                if len(stack) > MAX_NESTING:
                    raise refuse(
                        m.start(),
                        f"expected arrays and inline tables nested at most {MAX_NESTING} deep",
                    )
                in_key, dots = c == "{", 0
        elif stack:  # ] or }
            top = stack.pop()
            if top == "h":
                in_key = False  # the rest of a header line is not a key
            elif stack and stack[-1] == "{":
                in_key = False  # after a value inside an inline table comes , or }


class _NumberOutOfRange(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _parse_decimal(literal: str) -> Decimal:
    try:
        return Decimal(literal)
    except InvalidOperation:  # an exponent beyond what Decimal holds
        raise _NumberOutOfRange(literal) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML text as a dict, with decimals as ``Decimal``; bad or hostile TOML is
    :class:`InvalidInput` naming the line. A leading UTF-8 byte order mark is ignored."""
    text = text.removeprefix("\ufeff")
    _precheck(text, source)
    try:
        return tomllib.loads(text, parse_float=_parse_decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput([Problem("", f"not valid TOML: {exc}")], source) from None
    except _NumberOutOfRange as exc:
        line = text.count("\n", 0, max(text.find(exc.literal), 0)) + 1
        raise InvalidInput(
            [Problem("", f"line {line}: expected a number sgz can hold, got {exc.literal[:40]}")],
            source,
        ) from None
    except (ValueError, RecursionError) as exc:  # anything the pre-check did not foresee
        raise InvalidInput(
            [Problem("", f"not valid TOML: {type(exc).__name__}: {str(exc)[:200]}")], source
        ) from None


def loads(text: str, source: str = "<string>") -> Programme:
    """A programme from the text of a programme file."""
    return from_dict(parse_toml(text, source), source)


def from_dict(data: object, source: str = "<data>") -> Programme:
    """A programme from parsed TOML: checks shape, types, enumerations and references.

    Problems show resident ID numbers masked, wherever in the file they were (PII-1). The
    file's ``[[payments]]`` are checked too; :func:`with_payments` also returns them."""
    return with_payments(data, source)[0]


def with_payments(data: object, source: str = "<data>") -> tuple[Programme, tuple[Payment, ...]]:
    """The programme and the recorded payments (``[[payments]]``) of parsed TOML."""
    try:
        return _from_dict(data, source)
    except InvalidInput as exc:
        masked = [Problem(mask_ids(p.path), mask_ids(p.message), zh=p.zh) for p in exc.problems]
        raise InvalidInput(masked, exc.source) from None


PAYMENT_KEYS = ("station", "year", "tranche", "amount", "date", "by", "reference", "recorded_at")
"""The keys of one ``[[payments]]`` table; ``reference`` and ``recorded_at`` may be left out."""
_PAYMENT_FIELDS = {
    "station": "station",
    "year": "year",
    "tranche": "milestone",
    "amount": "amount",
    "date": "paid_on",
    "by": "by",
    "reference": "reference",
    "recorded_at": "recorded_at",
}


def _payments(value: object) -> tuple[tuple[Payment, ...], list[Problem]]:
    if value is None:
        return (), []
    if not isinstance(value, list):
        return (), [Problem("payments", "expected an array of tables [[payments]]")]
    found: list[Payment] = []
    problems: list[Problem] = []
    seen: dict[tuple[object, ...], int] = {}
    for i, item in enumerate(value):
        where = f"payments[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(where, "expected a table [[payments]]"))
            continue
        bad = [k for k in item if k not in PAYMENT_KEYS]
        problems += [
            Problem(f"{where}.{k}", f"unknown key; expected one of {', '.join(PAYMENT_KEYS)}")
            for k in bad
        ]
        missing = [k for k in PAYMENT_KEYS[:6] if k not in item]
        problems += [Problem(f"{where}.{k}", "missing required key") for k in missing]
        if bad or missing:
            continue
        if isinstance(item["amount"], float):
            problems.append(Problem(f"{where}.amount", "expected an exact amount, not a float"))
            continue
        if isinstance(item["date"], dt.datetime) or not isinstance(item["date"], dt.date):
            problems.append(
                Problem(
                    f"{where}.date", f"expected a TOML date like 2024-07-01, got {item['date']!r}"
                )
            )
            continue
        try:
            payment = Payment(**{_PAYMENT_FIELDS[k]: v for k, v in item.items()})
        except InvalidInput as exc:
            problems += [payment_problem(where, p) for p in exc.problems]
            continue
        if payment.key in seen:
            problems.append(
                Problem(
                    where,
                    f"the same tranche is paid in payments[{seen[payment.key]}]; a tranche is paid once",
                )
            )
            continue
        seen[payment.key] = i
        found.append(payment)
    return tuple(found), problems


_PAYMENT_KEY_OF = {field: key for key, field in _PAYMENT_FIELDS.items()}


def payment_problem(where: str, problem: Problem) -> Problem:
    """``amount: expected …`` said by :class:`Payment` (or by a storage refusing its value) as
    ``payments[0].amount: expected …``, ``where`` being ``payments[0]``; the file's key names
    (``tranche``, ``date``) for the fields (``milestone``, ``paid_on``)."""
    field, message = problem.path, problem.message
    if not field and ": " in message:
        head, rest = message.split(": ", 1)
        if head in _PAYMENT_KEY_OF:
            field, message = head, rest
    key = _PAYMENT_KEY_OF.get(field, field)
    return Problem(f"{where}.{key}" if key else where, message, zh=problem.zh)


def payments_to_list(payments: Iterable[Payment]) -> list[dict[str, Any]]:
    """Payments as ``[[payments]]`` tables (what ``sgz export`` writes)."""
    out = []
    for p in payments:
        item: dict[str, Any] = {
            "station": p.station,
            "year": p.year,
            "tranche": p.milestone.value,
            "amount": p.amount,
            "date": p.paid_on,
            "by": p.by,
        }
        if p.reference is not None:
            item["reference"] = p.reference
        if p.recorded_at is not None:
            item["recorded_at"] = p.recorded_at
        out.append(item)
    return out


def _from_dict(data: object, source: str) -> tuple[Programme, tuple[Payment, ...]]:
    if not isinstance(data, dict):
        raise InvalidInput("expected a table at the top of the file", source)
    problems = [
        Problem(key, f"unknown key; expected one of {', '.join(TOP_LEVEL_KEYS)}")
        for key in data
        if key not in TOP_LEVEL_KEYS
    ]
    header = data.get("programme")
    if header is None:
        problems.append(Problem("programme", "missing required table [programme]"))
    elif not isinstance(header, dict):
        problems.append(Problem("programme", "expected a table [programme]"))
    if problems:
        raise InvalidInput(problems, source)
    assert isinstance(header, dict)
    payments, payment_problems = _payments(data.get("payments"))
    flat = {k: v for k, v in data.items() if k not in ("programme", "payments")}
    overlap = [k for k in header if k in SECTION_KEYS]
    if overlap:
        raise InvalidInput(
            [
                Problem(f"programme.{k}", f"unknown key; expected one of {', '.join(HEADER_KEYS)}")
                for k in overlap
            ],
            source,
        )
    flat.update(header)
    try:
        programme: Programme = structure(flat, Programme)
    except InvalidInput as exc:
        problems = [_header_path(p) for p in exc.problems]
        raise InvalidInput([*problems, *payment_problems], source) from None
    problems = [*reference_problems(programme), *limit_problems(programme), *payment_problems]
    if problems:
        raise InvalidInput(problems, source)
    return programme, payments


def _header_path(problem: Problem) -> Problem:
    head = problem.path.split(".", 1)[0].split("[", 1)[0]
    if head in SECTION_KEYS:
        return problem
    message = problem.message
    if message.startswith("unknown key"):
        message = f"unknown key; expected one of {', '.join(HEADER_KEYS)}"
    return Problem(f"programme.{problem.path}" if problem.path else "programme", message)


def _duplicates(values: Iterable[Any]) -> list[tuple[int, Any]]:
    seen: set[Any] = set()
    out = []
    for i, v in enumerate(values):
        if v in seen:
            out.append((i, v))
        seen.add(v)
    return out


def reference_problems(programme: Programme) -> Iterable[Problem]:
    """Ids that repeat and references to things that do not exist."""
    for i, cid in _duplicates(c.id for c in programme.contractors):
        yield Problem(f"contractors[{i}].id", f"duplicate contractor id {cid!r}")
    for i, sid in _duplicates(s.id for s in programme.stations):
        yield Problem(f"stations[{i}].id", f"duplicate station id {sid!r}")
    contractor_ids = {c.id for c in programme.contractors}
    known = ", ".join(sorted(contractor_ids)) or "(no contractors defined)"
    for i, station in enumerate(programme.stations):
        if station.contractor not in contractor_ids:
            yield Problem(
                f"stations[{i}].contractor",
                f"unknown contractor {station.contractor!r}; expected one of {known}",
            )
        for j, member in enumerate(station.staff):
            if member.employer not in contractor_ids:
                yield Problem(
                    f"stations[{i}].staff[{j}].employer",
                    f"unknown contractor {member.employer!r}; expected one of {known}",
                )
        for j, number in _duplicates(y.year for y in station.years):
            yield Problem(f"stations[{i}].years[{j}].year", f"duplicate contract year {number}")
        for j, year in enumerate(station.years):
            for key, items in (
                ("funding", year.funding),
                ("expenses", year.expenses),
                ("receipts", year.receipts),
            ):
                if sum((x.amount for x in items), Decimal(0)) >= MAX_TOTAL:
                    yield Problem(
                        f"stations[{i}].years[{j}].{key}",
                        "expected amounts that sum to less than 10**26 yuan",
                    )
    for i, number in _duplicates(h.year for h in programme.hardship_relief):
        yield Problem(
            f"hardship_relief[{i}].year",
            f"duplicate hardship-relief entry for contract year {number}",
        )
    yield from casework_problems(programme)


ID_KEYS = frozenset(
    ("id", "station", "contractor", "employer", "beneficiary", "case", "volunteer_team")
)
"""Fields that hold an id or a reference to one: what the storage keeps in ``key`` columns."""


_LEAVES = frozenset((int, bool, type(None), dt.date))
"""Types of value the limit walk has nothing to check in (exact types: not their subclasses)."""
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The attribute names of an attrs class (memoised), or None for any other class."""
    try:
        return _FIELDS[cls]
    except KeyError:
        names = tuple(f.name for f in attrs.fields(cls)) if attrs.has(cls) else None
        _FIELDS[cls] = names
        return names


def _over_limit(value: object, name: str) -> bool:
    """Whether the walk of :func:`limit_problems` finds anything in ``value``: the same tests in
    the same order, without building a key path for every value (issue 12: about 40% of the
    walk). Only a part where it answers ``True`` is walked again for its problems."""
    cls = type(value)
    if cls in _LEAVES:
        return False
    if isinstance(value, str):
        return name in ID_KEYS and len(value) > MAX_KEY_LENGTH
    if isinstance(value, Decimal):
        return len(str(value)) > MAX_DECIMAL_TEXT
    names = _field_names(cls)
    if names is not None:
        for field_name in names:  # noqa: SIM110 (a loop: any() of a generator is slower here)
            if _over_limit(getattr(value, field_name), field_name):
                return True
        return False
    if isinstance(value, tuple | list):
        for item in value:  # noqa: SIM110
            if _over_limit(item, name):
                return True
        return False
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _over_limit(item, str(key)):
                return True
    return False


def _section_problems(value: object, path: str, name: str) -> list[Problem]:
    """The limit problems in ``value`` (at ``path``, under the key ``name``), with key paths."""
    found: list[Problem] = []

    def walk(value: object, path: str, name: str) -> None:
        # a list, not nested generators, and the leaves most values are tested first: the
        # walk visits every value of every station (issue 12)
        cls = type(value)
        if cls in _LEAVES:
            return
        if isinstance(value, str):
            if name in ID_KEYS and len(value) > MAX_KEY_LENGTH:
                found.append(
                    Problem(
                        path,
                        f"an id of {len(value)} characters; expected at most {MAX_KEY_LENGTH} "
                        "(what the databases store in a key)",
                    )
                )
        elif isinstance(value, Decimal):
            size = len(str(value))
            if size > MAX_DECIMAL_TEXT:
                found.append(
                    Problem(
                        path,
                        f"a number of {size} characters; expected at most {MAX_DECIMAL_TEXT} "
                        "(what the databases store exactly)",
                    )
                )
        elif (names := _field_names(cls)) is not None:
            for field_name in names:
                walk(
                    getattr(value, field_name),
                    f"{path}.{field_name}" if path else field_name,
                    field_name,
                )
        elif isinstance(value, tuple | list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]", name)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{path}.{key}", str(key))

    walk(value, path, name)
    return found


def limit_problems(programme: Programme) -> Iterator[Problem]:
    """Values longer than a storage backend keeps (:mod:`sgz_core.limits`): ids and references
    over ``MAX_KEY_LENGTH`` characters, decimals over ``MAX_DECIMAL_TEXT`` characters as text."""
    for field in attrs.fields(Programme):
        if field.name == "records":
            continue
        path = f"programme.{field.name}" if field.name in HEADER_KEYS else field.name
        value = getattr(programme, field.name)
        if _over_limit(value, field.name):
            yield from _section_problems(value, path, field.name)
    for i, record in enumerate(programme.records):  # the ledger may be long: no generic walk
        for name in ("station", "case", "volunteer_team"):
            text = getattr(record, name)
            if text is not None and len(text) > MAX_KEY_LENGTH:
                yield from _section_problems(text, f"records[{i}].{name}", name)
        for name in ("hours", "volunteer_hours"):
            number = getattr(record, name)
            if len(str(number)) > MAX_DECIMAL_TEXT:
                yield from _section_problems(number, f"records[{i}].{name}", name)


_UNENCODABLE = re.compile(UNENCODABLE)


def unencodable_problems(programme: Programme) -> list[Problem]:
    """Texts of ``programme`` that no backend can hold (a lone surrogate: no UTF-8 form), with
    their key paths, as :func:`limit_problems` names them. Not part of :func:`save_problems`'
    walk before every save: no file or database gives such text, so a storage looks for it
    only when encoding failed (``sgz_core.storage``), at no cost to every other save."""
    found: list[Problem] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, str):
            bad = _UNENCODABLE.search(value)
            if bad is not None:
                found.append(
                    Problem(
                        path,
                        f"text with the lone surrogate {bad.group()!a} at character "
                        f"{bad.start()}; expected text that UTF-8 can hold",
                    )
                )
        elif type(value) in _LEAVES or isinstance(value, Decimal):
            return
        elif (names := _field_names(type(value))) is not None:
            for name in names:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, tuple | list | frozenset | set):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(key, f"{path} (a key)")
                walk(item, f"{path}.{key}")

    for field in attrs.fields(Programme):
        path = f"programme.{field.name}" if field.name in HEADER_KEYS else field.name
        walk(getattr(programme, field.name), path)
    return found


def to_dict(programme: Programme) -> dict[str, Any]:
    """The programme as plain data in the layout of the programme file (whole-number decimals
    as integers: see :func:`toml_numbers`)."""
    flat = toml_numbers(unstructure(programme))
    header = {k: flat.pop(k) for k in HEADER_KEYS if k in flat}
    return {"programme": header, **flat}


_TOML_INT = 2**63
"""TOML's integers are 64-bit: a larger whole number stays a decimal."""


def toml_numbers(value: Any) -> Any:
    """Plain data for a programme file with every whole-number ``Decimal`` (exponent 0) as an
    ``int``. ``tomli_w`` writes ``Decimal("3")`` as ``3.0``, which reads back as
    ``Decimal("3.0")``: equal, but shown otherwise wherever a number is printed (a score of 86
    came back as 86.0 in PERF-3's message after an export); an integer reads back as exactly
    ``Decimal("3")``. Other decimals, money among them (always to the fen), are kept."""
    cls = type(value)
    if cls is Decimal:
        if value.is_finite() and value.as_tuple().exponent == 0 and abs(value) < _TOML_INT:
            return int(value)
        return value
    if cls is dict:
        return {k: toml_numbers(v) for k, v in value.items()}
    if cls is list or cls is tuple:
        return [toml_numbers(v) for v in value]
    return value


def dumps(programme: Programme) -> str:
    """The programme as programme-file TOML; ``loads(dumps(p)) == p``."""
    return tomli_w.dumps(to_dict(programme))


__all__ = [
    "HEADER_KEYS",
    "PAYMENT_KEYS",
    "SECTION_KEYS",
    "TOP_LEVEL_KEYS",
    "dumps",
    "from_dict",
    "loads",
    "parse_toml",
    "payment_problem",
    "payments_to_list",
    "reference_problems",
    "to_dict",
    "toml_numbers",
    "unencodable_problems",
    "with_payments",
]
