"""The hostile-input corpus (issue 8): files and argument lists run through the real ``sgz``.

Each case asserts the exit status (2 for unusable input, 0 or 1 where the input is valid), no
``Traceback`` in standard output or error, a message naming the file and the key path or line,
and no full resident ID number anywhere in the output. The static files are in ``files/``;
variants of ``examples/chengguan.toml`` and files too big to keep are made in a temporary
directory. Cases run in one process through :mod:`runner` (fast); those marked ``alone``, and
one of every kind, run in a subprocess of their own as ``python -m sgz_adapters.cli``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from sgz_adapters import service
from sgz_adapters.output import UNSAFE
from sgz_adapters.pii import folded
from sgz_core.casework.identity import is_valid

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = HERE / "files"
EXAMPLE = ROOT / "examples" / "chengguan.toml"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
ID_LIKE = re.compile(r"(?=([0-9]{17}[0-9X]))")
ID = "11010519491231002X"
"""A valid resident ID number (check character X) put where names and ids go."""
MASKED = "1101**********002X"


def _line_of(needle: str) -> int:
    return next(i for i, s in enumerate(EXAMPLE_TEXT.splitlines(), 1) if needle in s)


# Variants of the example: (text replaced, replacement). Each changes one thing.
VARIANTS: dict[str, tuple[str, str]] = {
    "area-tiny": ("activity_area_m2 = 220", "activity_area_m2 = 1e-999999999"),
    "area-huge": ("activity_area_m2 = 220", "activity_area_m2 = 1e999999999"),
    "area-900-digits": ("office_area_m2 = 18", f"office_area_m2 = {'9' * 900}"),
    "area-id-number": ("activity_area_m2 = 220", 'activity_area_m2 = "620102194205160246"'),
    "money-huge": ("amount = 50000", "amount = 1e999999999"),
    "money-beyond-decimal": ("amount = 50000", "amount = 1e9999999999999999999"),
    "money-5000-digits": ("amount = 50000", f"amount = {'9' * 5000}"),
    "money-sum-huge": ("amount = 50000\n", "amount = 99999999999999999999999999.99\n"),
    "money-id-number": ("amount = 50000", "amount = 620102194205160246.001"),
    "score-huge": ("score = 86", "score = 1e999999999"),
    "year-huge": ("year = 1", "year = 99999999999999999999"),
    "lot-hex": ("lot = 1", "lot = 0x" + "f" * 900),
    "lot-negative-huge": ("lot = 1", f"lot = -{'9' * 30}"),
    "hours-tiny": ("hours = 1", "hours = 1e-999999999"),
    "household-huge": ("household_size = 3", f"household_size = {2**64}"),
    "income-huge": ("monthly_income = 1800", "monthly_income = 1e999999999"),
    "start-datetime": ("start = 2024-07-01", "start = 2024-07-01T00:00:00"),
    "profile-empty": ('profile = "lanzhou-chengguan"', 'profile = ""'),
    "profile-nul": ('profile = "lanzhou-chengguan"', 'profile = "a\\u0000b"'),
    "profile-dev-zero": ('profile = "lanzhou-chengguan"', 'profile = "/dev/zero"'),
    "profile-fifo": ('profile = "lanzhou-chengguan"', 'profile = "fifo.toml"'),
    "profile-huge": ('profile = "lanzhou-chengguan"', 'profile = "huge-profile.toml"'),
    "profile-loop": ('profile = "lanzhou-chengguan"', f'profile = "{FILES}/profile-loop-a.toml"'),
    "profile-plaque": (
        'profile = "lanzhou-chengguan"',
        f'profile = "{FILES}/profile-plaque-width.toml"',
    ),
    "profile-long-name": ('profile = "lanzhou-chengguan"', f'profile = "{"a" * 5000}"'),
    "profile-long-file-name": ('profile = "lanzhou-chengguan"', f'profile = "{"a" * 5000}.toml"'),
    "name-control-chars": ('name = "城关区街道社工站项目"', 'name = "\\u001b[2J\\u0007\\u0000"'),
    "bom": ("", "\ufeff"),
    # data that is shown: ID numbers, markup and escapes where a name or a reference goes
    "name-id-number": ('name = "城关区街道社工站项目"', f'name = "{ID}"'),
    "name-markup": ('name = "城关区街道社工站项目"', 'name = "[draft][/bold]社工站[red]"'),
    "name-bidi": ('name = "城关区街道社工站项目"', 'name = "abc\\u202edcba\\u2066\\u200f"'),
    "name-osc": ('name = "城关区街道社工站项目"', 'name = "\\u001b]8;;http://e\\u0007x\\u009b2J"'),
    "beneficiary-name-id-number": ('name = "张桂兰"', f'name = "[/bold]{ID}"'),
    "unknown-key-id-number": ("[programme]\n", f'[programme]\nnote_{ID} = "{ID}"\n'),
    "unknown-key-quoted-id-number": ("[programme]\n", f'[programme]\n"{ID}" = 1\n'),
    "unknown-key-escape": ("[programme]\n", '[programme]\n"\\u001b[2Jx\\u202e" = 1\n'),
    "unknown-reference-id-number": ('beneficiaries = ["zn-004"]', f'beneficiaries = ["{ID}"]'),
    "unknown-station-id-number": ('station = "zhengning"', f'station = "{ID}"'),
    "unknown-reference-escape": (
        'beneficiaries = ["zn-004"]',
        'beneficiaries = ["\\u001b[2Jzn\\u202e[/bold]"]',
    ),
}

RENAMES: dict[str, tuple[str, str]] = {
    "station-id-number": ('"zhengning"', f'"{ID}"'),
    "station-id-markup": ('"zhengning"', '"[/bold]zn[draft]"'),
    "station-id-escapes": ('"zhengning"', '"zn\\u001b]0;pwned\\u0007\\u001b[31m\\u202ex\\u2066"'),
    "station-id-formula": ('"zhengning"', '"=HYPERLINK(\\"http://e.example\\",\\"x\\")"'),
    "beneficiary-id-number": ('"zn-001"', f'"{ID}"'),
    "beneficiary-id-markup": ('"zn-001"', '"[draft]zn-001[/bold]"'),
}
"""Variants with a station or beneficiary id replaced everywhere it is referenced (valid files)."""


GENERATED = ("dotted-header-400k", *RENAMES)

DATABASES = {"ids": "station-id-number", "escapes": "station-id-escapes", "victim": "name-markup"}
"""SQLite files the fixture imports variants into: ``{gen}/ids.db`` holds ``station-id-number``."""
"""Files made by the fixture besides the variants (too big to keep, or not files at all)."""


@attrs.frozen
class Case:
    id: str
    argv: tuple[str, ...]
    status: tuple[int, ...] = (2,)
    says: tuple[str, ...] = ()
    """Text each message must contain ({files}, {gen} and {example} are expanded)."""
    alone: bool = False
    """Run in a subprocess of its own only (it could hang or exhaust a shared process)."""
    shows: tuple[str, ...] = ()
    """Text standard output must contain (the data shown literally, masked or escaped)."""


def _check(name: str, *says: str, status: tuple[int, ...] = (2,), alone: bool = False) -> Case:
    path = f"{{gen}}/{name}.toml" if name in (*VARIANTS, *GENERATED) else f"{{files}}/{name}.toml"
    named = (path, *says) if status == (2,) else says
    return Case(name, ("check", path, "--on", "2025-11-24"), status, named, alone)


READ_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check", "--format", "table"),
    ("check", "--format", "markdown"),
    ("check", "--format", "json"),
    ("schedule",),
    ("plaques",),
    ("stats",),
    ("stats", "--format", "json"),
)
"""Commands that print what a valid programme holds, one run each per data variant."""


def _shown(name: str, *shows: str, station: str | None = None) -> Iterator[Case]:
    """A valid variant whose data is shown: every read command prints it masked and escaped,
    ``shows`` in the table of ``check`` (and of ``worklist`` when a ``station`` is given)."""
    path = f"{{files}}/{name}.toml" if (FILES / f"{name}.toml").exists() else f"{{gen}}/{name}.toml"
    for command in READ_COMMANDS:
        label = "-".join(command).replace("--format-", "")
        table = command == ("check", "--format", "table")
        argv = (command[0], path, *command[1:], "--on", "2025-11-24")
        yield Case(f"{name}-{label}", argv, (0, 1), shows=shows if table else ())
    if station is not None:
        for fmt in ("table", "json"):
            argv = ("worklist", path, "--station", station, "--on", "2025-11-24", "--format", fmt)
            yield Case(f"{name}-worklist-{fmt}", argv, (0,))


def _show(name: str, *says: str) -> Case:
    path = f"{{files}}/{name}.toml"
    return Case(name, ("profile", "show", path), (2,), (path, *says))


AREA = "stations[0].premises.activity_area_m2"
AMOUNT = "stations[0].years[0].funding[0].amount"
LIMITS = "expected a number with at most 20 digits before the point and 20 after it"
INT_LIMIT = "expected an integer from -2**63 to 2**63-1"
TEMPLATE = "expected a template using only {city}, {district} and {street}"

CASES: tuple[Case, ...] = (
    # TOML the parser cannot take, or takes minutes over
    _check("deep-arrays", "line 6: expected arrays and inline tables nested at most 32 deep"),
    _check("deep-inline-tables", "line 6: expected arrays and inline tables nested at most 32"),
    _check("deep-mixed", "line 6: expected arrays and inline tables nested at most 32 deep"),
    _check("long-dotted-key", "line 6: expected a key of at most 32 dotted parts"),
    _check("dotted-header-400k", "line 1: expected a key of at most 32 dotted parts"),
    _check("big-integer", "line 5: expected a key or number of at most 1000 characters"),
    _check("big-exponent", "line 6: expected a number sgz can hold"),
    _check("nul-in-text", "not valid TOML: Illegal character", "line 6"),
    _check("duplicate-key", "not valid TOML: Cannot overwrite a value", "line 6"),
    _check("duplicate-table", "not valid TOML", "line 6"),
    _check("empty", "programme: missing required table [programme]"),
    _check("not-a-table-header", "programme: expected a table [programme]"),
    _check("id-number-echoed", "programme.name: expected a string, got int 1101**********0021"),
    # encodings
    _check("utf16", "expected UTF-8 text, got UTF-16"),
    _check("latin1", "expected UTF-8 text (invalid continuation byte at byte 32)"),
    _check("bom-with-error", "not valid TOML: Invalid value (at line 6"),
    _check("bom", status=(0, 1)),
    # numbers beyond what Python or Decimal takes, in every kind of field
    _check("area-tiny", f"{AREA}: {LIMITS}, got 1E-999999999"),
    _check("area-huge", f"{AREA}: {LIMITS}"),
    _check("area-900-digits", f"stations[0].premises.office_area_m2: {LIMITS}"),
    _check("area-id-number", f"{AREA}: expected an area", "6201**********0246"),
    _check("money-huge", f"{AMOUNT}: expected less than 10**26 yuan"),
    _check(
        "money-beyond-decimal",
        f"line {_line_of('amount = 50000')}: expected a number sgz can hold",
    ),
    _check(
        "money-5000-digits",
        f"line {_line_of('amount = 50000')}: expected a key or number of at most 1000",
    ),
    _check("money-sum-huge", "stations[0].years[0].funding: expected amounts that sum to less"),
    _check("money-id-number", f"{AMOUNT}: expected an amount exact to the fen", "6201*"),
    _check("score-huge", f"stations[0].years[0].evaluations[0].score: {LIMITS}"),
    _check("year-huge", f"stations[0].years[0].year: {INT_LIMIT}"),
    _check("lot-hex", f"stations[0].lot: {INT_LIMIT}, got one near 10**1083"),
    _check("lot-negative-huge", f"stations[0].lot: {INT_LIMIT}, got one near -10**"),
    _check("hours-tiny", f"records[0].hours: {LIMITS}"),
    _check("household-huge", f"circumstances.household_size: {INT_LIMIT}"),
    _check("income-huge", f"circumstances.monthly_income: {LIMITS}"),
    _check("start-datetime", "programme.start: expected a date like 2024-07-01 without a time"),
    # the profile a programme names
    _check("profile-empty", "programme.profile: expected a built-in profile id or a profile"),
    _check("profile-nul", "programme.profile: expected a built-in profile id", "'a\\x00b'"),
    _check("profile-dev-zero", "programme.profile: /dev/zero: expected a regular file"),
    _check("profile-fifo", "programme.profile: {gen}/fifo.toml: expected a regular", alone=True),
    _check(
        "profile-huge",
        "programme.profile: {gen}/huge-profile.toml: expected a file of at most 4 MiB",
        alone=True,
    ),
    _check("profile-loop", "programme.profile: ", "the extends chain loops: ", "loop-a.toml → "),
    _check("profile-plaque", "programme.profile: ", "plaque_templates[0].value[1]", TEMPLATE),
    _check("profile-long-name", "programme.profile: expected a built-in profile id", "no profile"),
    _check("profile-long-file-name", "programme.profile: ", "cannot read the file (File name"),
    _check("name-control-chars", status=(0, 1)),
    # what a file holds is shown as data: ID numbers masked, markup literal, escapes visible
    *_shown("control-escape", "\\u001b[2J\\u001b]0;pwned\\u0007（p）"),
    *_shown("name-id-number", f"{MASKED}（chengguan-2024）"),
    *_shown("name-markup", "[draft][/bold]社工站[red]"),
    *_shown("name-bidi", "abc\\u202edcba\\u2066\\u200f"),
    *_shown("name-osc", "\\u001b]8;;http://e\\u0007x\\u009b2J"),
    *_shown("beneficiary-name-id-number", station="zhengning"),
    *_shown("station-id-number", MASKED, station=ID),
    *_shown("station-id-markup", "[/bold]zn[draft]", station="[/bold]zn[draft]"),
    *_shown(
        "station-id-escapes", "zn\\u001b]0;pwned", station="zn\x1b]0;pwned\x07\x1b[31m\u202ex\u2066"
    ),
    *_shown("station-id-formula", '=HYPERLINK("http://e.example","x")'),
    *_shown("beneficiary-id-number", station="zhengning"),
    *_shown("beneficiary-id-markup", station="zhengning"),
    # ... and in the messages about it
    _check("unknown-key-id-number", f"programme.note_{MASKED}: unknown key"),
    _check("unknown-key-quoted-id-number", f"programme.{MASKED}: unknown key"),
    _check("unknown-key-escape", "unknown key", "\\u001b[2Jx\\u202e"),
    _check(
        "unknown-reference-id-number",
        f"records[0].beneficiaries[0]: unknown beneficiary '{MASKED}'",
    ),
    _check("unknown-station-id-number", f"beneficiaries[0].station: unknown station '{MASKED}'"),
    _check(
        "unknown-reference-escape",
        "records[0].beneficiaries[0]: unknown beneficiary",
        "\\x1b[2Jzn\\u202e[/bold]",
    ),
    Case(
        "worklist-station-id-number-argument",
        ("worklist", "{example}", "--station", ID, "--on", "2025-11-24"),
        says=(f"--station: no station '{MASKED}'; known: zhengning",),
    ),
    Case(
        "worklist-station-escape-argument",
        ("worklist", "{example}", "--station", "\x1b[2J\u202e", "--on", "2025-11-24"),
        says=("--station: no station '\\x1b[2J\\u202e'",),
    ),
    # profile files
    _show("profile-self", "profile.extends: the extends chain loops: ", "profile-self.toml → "),
    _show("profile-loop-a", "the extends chain loops: ", "profile-loop-b.toml → "),
    _show("profile-loop-via-c", "the extends chain loops: ", "profile-loop-via-c.toml → "),
    _show("profile-nul-extends", "profile.extends: no profile 'a\\x00b'"),
    *(
        _show(f"profile-plaque-{kind}", "parameters.plaque_templates[0].value[1]", TEMPLATE)
        for kind in (
            "width",
            "attribute",
            "index",
            "conversion",
            "nested",
            "positional",
            "unknown",
            "unbalanced",
        )
    ),
    _show("profile-deep", "line 8: expected arrays and inline tables nested at most 32 deep"),
    _show("profile-huge-weight", "parameters.performance_weights[0].value", LIMITS),
    _show("profile-huge-years", "parameters.term_years[0].value", INT_LIMIT),
    # paths that are not regular files
    Case("file-directory", ("check", "{gen}"), says=("{gen}", "expected a file, got a directory")),
    Case("file-dev-zero", ("check", "/dev/zero"), says=("/dev/zero", "expected a regular file")),
    Case("file-missing", ("check", "{gen}/missing.toml"), says=("missing.toml", "not found")),
    Case("file-empty-name", ("check", ""), says=("应给出项目文件 FILE 或 --db URL",)),
    Case("file-long-name", ("check", "a" * 5000), says=("cannot read the file (File name too",)),
    Case("file-symlink-loop", ("check", "{gen}/loop.toml"), says=("loop.toml: cannot read",)),
    Case("file-not-a-dir", ("check", "/dev/null/x.toml"), says=("/dev/null/x.toml: cannot read",)),
    Case("profile-show-long", ("profile", "show", "b" * 5000), says=("no profile 'bbbb",)),
    Case(
        "file-fifo",
        ("check", "{gen}/fifo.toml"),
        says=("fifo.toml", "expected a regular file"),
        alone=True,
    ),
    Case(
        "file-huge",
        ("check", "{gen}/huge-programme.toml"),
        says=("huge-programme.toml", "expected a file of at most 256 MiB"),
        alone=True,
    ),
    Case(
        "profile-show-empty",
        ("profile", "show", ""),
        says=("profile: 应为配置编号或配置文件，实为 ''",),
    ),
    Case("profile-show-dir", ("profile", "show", "{gen}"), says=("expected a file, got a dir",)),
    # dates: only YYYY-MM-DD
    *(
        Case(
            f"on-{label}",
            ("check", "{example}", "--on", text),
            says=("参数 --on：应为形如 2025-01-31 的日期",),
        )
        for label, text in (
            ("no-dashes", "20250105"),
            ("short", "2025-1-5"),
            ("week", "2025-W01-1"),
            ("impossible", "2025-02-30"),
            ("empty", ""),
            ("time", "2025-01-05T00:00"),
        )
    ),
    # contract years: the same for a FILE and --db
    *(
        Case(
            f"arg-year-{label}-{'db' if '--db' in source else 'file'}",
            ("stats", *source, "--year", text),
            says=("应为 1 至 99 的合同年序号",),
        )
        for label, text in (("zero", "0"), ("huge", "9" * 30), ("negative", "-1"))
        for source in (("{example}",), ("--db", "sqlite:///{gen}/none.db"))
    ),
    # --db and --to: empty, unparsable, or the database itself
    *(
        Case(
            f"db-empty-{command}",
            (command, *rest, "--db", ""),
            says=("--db: 应为数据库地址",),
        )
        for command, *rest in (
            ("check",),
            ("schedule",),
            ("plaques",),
            ("stats",),
            ("worklist", "--station", "zhengning"),
            ("export",),
            ("import", "{example}"),
        )
    ),
    Case(
        "to-empty",
        ("export", "--db", "sqlite:///{gen}/ids.db", "--to", ""),
        says=("--to: 应为文件路径",),
    ),
    *(
        Case(f"db-url-{label}", ("import", "{example}", "--db", url), says=(url, why))
        for label, url, why in (
            ("sqlite-timeout-inf", "sqlite:///{gen}/new.db?timeout=inf", "timeout"),
            ("sqlite-mode", "sqlite:///{gen}/new.db?mode=ro", "mode"),
            ("ipv6-broken", "postgresql://[::1/test", "Invalid IPv6 URL"),
            ("port-not-a-number", "postgresql://postgres@127.0.0.1:notaport/test", "Port"),
            ("port-out-of-range", "mysql+pymysql://root@127.0.0.1:99999/test", "Port out of range"),
            ("option-unknown", "postgresql://postgres@127.0.0.1:5432/test?sslmode=x", "sslmode"),
            (
                "prefix-escape",
                "mysql+pymysql://root@127.0.0.1:3306/test?prefix=%1b%5b2J",
                "prefix: expected",
            ),
            ("scheme-unknown", "nosuch://x", "nosuch"),
        )
    ),
    Case(
        "export-to-the-database",
        ("export", "--db", "sqlite:///{gen}/victim.db", "--to", "{gen}/victim.db"),
        says=("{gen}/victim.db: --to: 应为所导出数据库", "未写入任何内容"),
    ),
    Case(
        "export-to-a-link-to-the-database",
        ("export", "--db", "sqlite:///{gen}/victim.db", "--to", "{gen}/victim-link.db"),
        says=("victim-link.db: --to: 应为所导出数据库",),
    ),
    Case(
        "export-to-the-wal-of-the-database",
        ("export", "--db", "sqlite:///{gen}/victim.db", "--to", "{gen}/victim.db-wal"),
        says=("--to: 应为所导出数据库", "victim.db-wal"),
    ),
    # hostile data read back from a database (PostgreSQL and MariaDB: see the db tests below)
    *(
        Case(
            f"db-{name}-{'-'.join(command)}",
            (
                command[0],
                "--db",
                f"sqlite:///{{gen}}/{name}.db",
                *command[1:],
                "--on",
                "2025-11-24",
            ),
            (0, 1),
        )
        for name in ("ids", "escapes")
        for command in (("check",), ("check", "--format", "json"), ("stats",), ("schedule",))
    ),
    Case(
        "db-ids-worklist",
        ("worklist", "--db", "sqlite:///{gen}/ids.db", "--station", ID, "--on", "2025-11-24"),
        (0,),
        shows=(MASKED,),
    ),
    Case(
        "db-ids-export-to",
        ("export", "--db", "sqlite:///{gen}/ids.db", "--to", "{gen}/ids-out.toml"),
        (0,),
    ),
    Case(
        "db-escapes-export-to",
        ("export", "--db", "sqlite:///{gen}/escapes.db", "--to", "{gen}/escapes\x1b[2J.toml"),
        (0,),
    ),
    # valid input still works, and prints no full ID number
    Case("valid-check", ("check", "{example}", "--on", "2025-11-24"), status=(0, 1)),
    Case("valid-plaques", ("plaques", "{example}", "--on", "2025-11-24"), status=(0,)),
    Case("valid-profile", ("profile", "show", "{files}/profile-plaque-ok.toml"), status=(0,)),
)


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    gen = tmp_path_factory.mktemp("hostile")
    for name, (old, new) in VARIANTS.items():
        assert old in EXAMPLE_TEXT, name
        text = new + EXAMPLE_TEXT if not old else EXAMPLE_TEXT.replace(old, new, 1)
        (gen / f"{name}.toml").write_text(text, encoding="utf-8")
    for name, (old, new) in RENAMES.items():
        assert old in EXAMPLE_TEXT, name
        (gen / f"{name}.toml").write_text(EXAMPLE_TEXT.replace(old, new), encoding="utf-8")
    (gen / "dotted-header-400k.toml").write_text("[" + "a." * 200_000 + "a]\n")
    (gen / "loop.toml").symlink_to(gen / "loop.toml")
    os.mkfifo(gen / "fifo.toml")  # a reader that opens it would wait for a writer forever
    for name, size in (
        ("huge-programme.toml", 256 * 2**20 + 1),
        ("huge-profile.toml", 4 * 2**20 + 1),
    ):
        with (gen / name).open("wb") as f:
            f.truncate(size)  # sparse: takes no disk
    for db, variant in DATABASES.items():
        service.import_programme(gen / f"{variant}.toml", db=f"sqlite:///{gen / db}.db")
    (gen / "victim-link.db").symlink_to(gen / "victim.db")
    return {"files": str(FILES), "gen": str(gen), "example": str(EXAMPLE)}


def _expand(text: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        text = text.replace(f"{{{key}}}", value)
    return text


def _argv(case: Case, places: dict[str, str]) -> list[str]:
    return [_expand(a, places) for a in case.argv]


def _lang(case: Case) -> str:
    """Chinese where a case names Chinese text, else English (the loader's messages are
    translated under zh: the same files in Chinese are tests/cli/test_loader_messages_zh.py)."""
    texts = (*case.says, *case.shows)
    chinese = ("\u3000", "\u303f"), ("\u4e00", "\u9fff"), ("\uff00", "\uffef")
    return "zh" if any(a <= ch <= b for s in texts for ch in s for a, b in chinese) else "en"


def _env(lang: str = "zh") -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", "SGZ_LANG": lang}


@pytest.fixture(scope="module")
def batch(places: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every case not marked ``alone``, run in one process."""
    cases = [c for c in CASES if not c.alone]
    out = tmp_path_factory.mktemp("results") / "results.json"
    proc = subprocess.run(
        [sys.executable, str(HERE / "runner.py"), str(out)],
        input=json.dumps([[_lang(c), _argv(c, places)] for c in cases]),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    for result in results:  # anything printed past the redirection counts as this run's output
        result["stray"] = proc.stdout + proc.stderr
    return dict(zip((c.id for c in cases), results, strict=True))


def _alone(argv: list[str], lang: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "sgz_adapters.cli", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=_env(lang),
        timeout=60,
        check=False,
    )
    return {"status": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr, "stray": ""}


def _full_id_numbers(text: str) -> Iterator[str]:
    """Every valid resident ID number in ``text``, full-width digits and ``x`` read too, and
    overlapping windows of a longer run of digits."""
    flat = folded(text)
    return (m[1] for m in ID_LIKE.finditer(flat) if is_valid(m[1]))


def _assert_holds(case: Case, result: dict[str, Any], places: dict[str, str]) -> None:
    output = result["stdout"] + result["stderr"] + result["stray"]
    assert "Traceback" not in output, output
    assert result["status"] in case.status, output
    for text in case.says:
        assert _expand(text, places) in result["stderr"], result["stderr"]
    for text in case.shows:
        assert _expand(text, places) in result["stdout"], result["stdout"]
    if 2 in case.status and case.status == (2,):
        assert result["stderr"].count("\n") >= 1 and result["stdout"] == "", output
    leaked = list(_full_id_numbers(output))
    assert not leaked, f"full ID numbers in the output: {leaked}"
    raw = sorted({m[0] for m in UNSAFE.finditer(output)})
    assert not raw, f"raw control characters in the output: {raw!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_input(case: Case, places: dict[str, str], batch: dict[str, Any]) -> None:
    result = _alone(_argv(case, places), _lang(case)) if case.alone else batch[case.id]
    _assert_holds(case, result, places)


def test_an_export_to_the_database_writes_nothing(
    places: dict[str, str], batch: dict[str, Any]
) -> None:
    gen = Path(places["gen"])
    assert batch["export-to-the-database"]["status"] == 2
    # (a reader may checkpoint SQLite's WAL into the file, so its bytes are not compared)
    stored = service.open_source(service.stored(f"sqlite:///{gen / 'victim.db'}")).programme
    assert stored == service.open_source(gen / f"{DATABASES['victim']}.toml").programme
    assert (gen / "victim-link.db").is_symlink()
    assert not list(gen.glob(".victim*.tmp")), "a temporary export file was left behind"


def test_exports_keep_the_full_numbers_the_database_holds(
    places: dict[str, str], batch: dict[str, Any]
) -> None:
    """PII-1's one exception: an export is the user's data, written as stored."""
    assert batch["db-ids-export-to"]["status"] == 0
    exported = (Path(places["gen"]) / "ids-out.toml").read_text(encoding="utf-8")
    assert f'"{ID}"' in exported


# One case of each kind again in a process of its own, as a user runs it: the batch runner
# must not hide anything (a handler installed at start-up, an exit status, stray output).
SAMPLE = ("deep-arrays", "area-tiny", "profile-loop", "profile-plaque-width", "on-no-dashes", "bom")


@pytest.mark.parametrize("case_id", SAMPLE)
def test_hostile_input_alone_agrees_with_the_batch(
    case_id: str, places: dict[str, str], batch: dict[str, Any]
) -> None:
    case = next(c for c in CASES if c.id == case_id)
    alone = _alone(_argv(case, places), _lang(case))
    _assert_holds(case, alone, places)
    assert alone["status"] == batch[case_id]["status"]
    assert alone["stderr"] == batch[case_id]["stderr"]


@pytest.mark.parametrize(
    ("result", "why"),
    [
        (
            {"status": 1, "stdout": "", "stderr": "Traceback (most recent call last):\n"},
            "Traceback",
        ),
        ({"status": 0, "stdout": "", "stderr": "sgz: error: x.toml: bad\n"}, "status"),
        ({"status": 2, "stdout": "", "stderr": "sgz: error: y.toml: bad\n"}, "x.toml"),
        ({"status": 2, "stdout": "", "stderr": "x.toml 11010519491231002X\n"}, "full ID"),
        ({"status": 2, "stdout": "", "stderr": "x.toml ９11010519491231002x\n"}, "full ID"),
        ({"status": 2, "stdout": "", "stderr": "x.toml \x1b[2J\n"}, "raw control"),
        ({"status": 2, "stdout": "", "stderr": "x.toml \u202e\n"}, "raw control"),
    ],
)
def test_the_corpus_assertions_catch_what_they_must(result: dict[str, Any], why: str) -> None:
    case = Case("self-test", ("check",), says=("x.toml",))
    with pytest.raises(AssertionError, match=why):
        _assert_holds(case, {**result, "stray": ""}, {})
