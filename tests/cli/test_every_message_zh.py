"""Every message sgz can refuse input with reads as Chinese under ``--lang zh`` (issue 9 §4).

Found as a class, not listed by hand: the syntax tree of every module of ``src/`` gives each
message text passed to ``InvalidInput``, ``ProfileError``, ``Problem``, the field helpers,
``NotFound`` and ``AlreadyExists``, ``warnings.warn``, and each text a ``…_problems`` function
returns; each is filled in with sample values (a quoted id, a number,
a date, a masked ID number …) and must come out of :func:`sgz_adapters.messages.in_chinese` with
Chinese text and no English sentence left (values, key paths, codes and ids may stay). A new
message without a template fails here. What the libraries say is enumerated the same way:
every message of ``tomllib``'s parser, the operating system's reasons a file cannot be read,
and every message of ``argparse`` (:mod:`sgz_adapters.argparse_zh`).
"""

from __future__ import annotations

import argparse
import ast
import errno
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sgz_adapters import argparse_zh
from sgz_adapters.messages import english_left, in_chinese

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

MESSAGE_ARGUMENT = {
    "InvalidInput": 0,
    "ProfileError": 0,
    "Problem": 1,
    "problem": 1,  # sgz_core.casework._fields.problem(field, message)
    "_problem": 1,  # sgz_core.values._problem(field, message)
    "StorageError": 0,
    "PluginError": 0,
    "NotificationError": 0,
    "BadCell": 0,  # a cell of a database edited by hand, inside a StorageError
    "corrupt": 4,  # sgz_adapters.storage._tabular.corrupt(source, table, row, column, why)
}
"""The calls that make a user-facing message, and which argument is the message."""

KIND_ARGUMENT = {"NotFound": 0, "AlreadyExists": 0}
"""The calls whose message is made from a kind of thing (``no station 'x'; known: …``)."""

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _shape(node: ast.expr) -> list[str | ast.FormattedValue] | None:
    """A message's text as literal parts and the values formatted into it; ``None`` when it is
    not written out (a variable: its text is made, and found, elsewhere)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts: list[str | ast.FormattedValue] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                parts.append(value)
        return parts
    if isinstance(node, ast.IfExp):  # "…" + (f"; …" if x else ""): the longer text
        return _shape(node.body)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _shape(node.left), _shape(node.right)
        if left is not None and right is not None:
            return left + right
    return None


NUMERIC = re.compile(
    r"len\(|\bline\b|size|\bn\b|year|number|MAX|maximum|limit|total|count|skipped|bit_length"
)
DATE = re.compile(r"isoformat|\b(start|end|on|day|until|registered|date|opened)\b$")


def _filler(value: ast.FormattedValue) -> str:
    """A sample of what a formatted value says, guessed from the code that makes it."""
    code = ast.unparse(value.value)
    quoted = value.conversion == ord("r")
    if "__name__" in code:
        return "str"
    if "describe" in code:
        return "str 'x1'"
    if "expectation(" in code or "expected()" in code:
        return "a string"
    if "join(" in code or "_known(" in code or code in ("known", "allowed"):
        return "a, b"
    if "mask" in code or code == "shown":
        return "'1101**********002X'" if quoted else "1101**********002X"
    if code == "kind":
        return "station"
    if NUMERIC.search(code) and not re.search(r"\bid\b|\.id\b", code):
        return "7"
    if DATE.search(code):
        return "2024-07-01"
    if code == "value.isoformat()":
        return "2024-07-01T00:00:00"
    return "'x1'" if quoted else "x1"


def _samples(parts: list[str | ast.FormattedValue]) -> str:
    return "".join(p if isinstance(p, str) else _filler(p) for p in parts)


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        if "testing" in path.parts:  # Hypothesis strategies and the storage kit: test helpers
            continue
        yield str(path.relative_to(SRC)), ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


AT_SOURCE = "zh at source: "
"""Marks a sample of the Chinese a raise site gives itself (``Problem(…, zh=…)``,
``sgz_core.text.refusal(Text(zh, en))``)."""


def _chinese_at_source(node: ast.Call, name: str | None) -> ast.expr | None:
    if name in MESSAGE_ARGUMENT:
        for keyword in node.keywords:
            if keyword.arg == "zh":
                return keyword.value
    if name == "refusal" and node.args and isinstance(node.args[0], ast.Call):
        text = node.args[0]
        if _called(text) == "Text" and text.args:
            return text.args[0]
    return None


def _sites() -> Iterator[tuple[str, str, str]]:
    """(where, the message as written, a sample of it) for every message of the sources."""
    for module, tree in _modules():
        for function in ast.walk(tree):  # def x_problems(...) -> list[str]: the texts it makes
            if isinstance(function, ast.FunctionDef) and function.name.endswith("_problems"):
                for node in ast.walk(function):
                    texts = []
                    if isinstance(node, ast.Call) and _called(node) == "append" and node.args:
                        texts = [node.args[0]]
                    elif isinstance(node, ast.Return) and isinstance(node.value, ast.List):
                        texts = list(node.value.elts)
                    for text in texts:
                        parts = _shape(text)
                        if parts is not None:
                            yield f"{module}:{node.lineno}", ast.unparse(text), _samples(parts)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            where = f"{module}:{node.lineno}"
            if ast.unparse(node.func) == "warnings.warn":  # shown as "sgz: warning: …"
                name = "InvalidInput"
            zh = _chinese_at_source(node, name)
            if zh is not None:  # said in Chinese where it is raised: that text is checked
                parts = _shape(zh)
                if parts is not None:
                    yield where, ast.unparse(zh), AT_SOURCE + _samples(parts)
                continue
            if name in MESSAGE_ARGUMENT and len(node.args) > MESSAGE_ARGUMENT[name]:
                parts = _shape(node.args[MESSAGE_ARGUMENT[name]])
                if parts is not None:
                    written = ast.unparse(node.args[MESSAGE_ARGUMENT[name]])
                    samples = [v for k, v in OVERRIDES.items() if k in written]
                    assert len(samples) <= 1, f"{where}: two OVERRIDES match {written}"
                    for sample in samples[0] if samples else [_samples(parts)]:
                        yield where, written, sample
            if name in KIND_ARGUMENT and node.args:
                kind = node.args[KIND_ARGUMENT[name]]
                if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                    k = kind.value
                    if name == "NotFound":
                        yield where, k, f"no {k} 'x1'; known: a, b"
                        yield where, k, f"no {k} 'x1'"
                    else:
                        hint = node.args[2] if len(node.args) > 2 else None
                        said = "replace it to overwrite"
                        if isinstance(hint, ast.Constant) and isinstance(hint.value, str):
                            said = hint.value
                        yield where, k, f"{k} 'x1' already exists; {said}"


OVERRIDES: dict[str, list[str]] = {
    "audit entry {entry.seq} is stored already": [
        "memory://: audit entry 7 is stored already",
    ],
    "audit entry {item.seq}: cannot be read: {item.why}": [
        "audit entry 12: cannot be read: expected a date, got '2024-13-01'",
    ],
    "{what}{why}": [
        "case 'c1' cannot open at closed; expected one of screening | intake",
        "case 'c1' cannot move from intake to closed; a case is never closed before it has been assessed; expected one of screening | assessment",
        "case 'c1' cannot move from closed to services; a closed case takes no services (reopen it with a new assessment); expected one of assessment",
    ],
    "the extends chain {what}": [
        "the extends chain loops: a.toml → b.toml → a.toml",
        "the extends chain passes through more than 16 files: a.toml → b.toml",
    ],
    "a profile file: {exc}": [
        "expected a built-in profile id or a profile file: no profile 'x'; known: a, b",
        "expected a built-in profile id or a profile file: no profile ''",
    ],
    "cannot read the file ({exc.strerror})": [
        "cannot read the file (Permission denied)",
        "cannot read the file (File name too long)",
        "cannot read the file (Too many levels of symbolic links)",
        "cannot read the file (Not a directory)",
    ],
    "expected UTF-8 text ({exc.reason}": [
        "expected UTF-8 text (invalid continuation byte at byte 32)",
    ],
    "'not valid TOML: {exc}'": [
        "not valid TOML: Invalid value (at line 6, column 7)",
        "not valid TOML: Unterminated string (at end of document)",
    ],
    "not valid TOML: {type(exc).__name__}": [
        "not valid TOML: ValueError: x1",
    ],
    "'line {line}: {message}'": [
        "line 7: expected a key of at most 32 dotted parts",
    ],
    "invalid value ({type(exc).__name__}": [
        "invalid value (ValueError: x1)",
    ],
    "not exact tagged JSON ({exc})": [
        "not exact tagged JSON (Expecting value)",
    ],
    "'database URL {redact(url)!r}: {redact_text(str(exc))}'": [
        "database URL 'postgresql://[::1/test': Invalid IPv6 URL",
        "database URL 'mysql://h:99999/test': Port out of range 0-65535",
        "database URL 'postgresql://h:x/test': Port could not be cast to integer value as 'x'",
        "database URL 'postgresql://u:***@127.0.0.1:：/db': netloc 'u:***@127.0.0.1:：' contains "
        "invalid characters under NFKC normalization",
    ],
    "'database URL {url!r}: {exc}'": [
        "database URL 'sqlite://[::1/x.db': Invalid IPv6 URL",
    ],
    "{info.st_size} bytes": [
        "expected a file of at most 4 MiB, got 4194305 bytes",
    ],
    "'expected a file of at most {_size(limit)}'": [
        "expected a file of at most 256 MiB",
    ],
    "cannot go from {self.status.value}": [
        "referral 'r1' cannot go from open to done; expected accepted | rejected",
        "referral 'r1' cannot go from done to open; expected nothing (it is final)",
    ],
    "is not a service of": [
        "'visit' is not a service of elderly; expected one of casework, group",
    ],
    "evaluation on or before": [
        "evaluation: station zn year 1 has no final evaluation on or before 2024-01-01; it has: none",
        "evaluation: station zn year 1 has no final evaluation on or before 2024-01-01; it has: mid_term 2023-12-01",
    ],
    "no storage for": [
        "database URL 'x://y': no storage for x://; known: memory, sqlite (a plugin may add more)",
    ],
    "has no value in force": [
        "parameter 'term_years' has no value in force on 2020-01-01",
        "parameter 'term_years' has no value in force on 2020-01-01; its first value starts 2024-01-01",
    ],
    "write Decimal(": [
        "amount: expected an exact amount in yuan (Decimal, integer or decimal string), got the binary float 1.5; write Decimal('1.5') in Python",
        "amount: expected an exact amount in yuan (Decimal, integer or decimal string), got a boolean; write Decimal('True') in Python",
    ],
    "finite weights, got {ws}": [
        "weights: expected finite weights, got [Decimal('NaN'), Decimal('1')]",
    ],
    "zero or more, got {ws}": [
        "weights: expected weights of zero or more, got [Decimal('-1')]",
    ],
    "sum to 1, got {total}": [
        "expected tranche shares of zero or more that sum to 1, got 0.9",
    ],
    "got one near": [
        "expected an integer from -2**63 to 2**63-1, got one near 10**1083",
        "expected an integer from -2**63 to 2**63-1, got one near -10**29",
    ],
    "digits before the point": [
        "expected a number with at most 20 digits before the point and 20 after it, got 1E-999999999",
    ],
    "sgz can hold": [
        "line 7: expected a number sgz can hold, got 1e9999999999999999999",
    ],
    "choose one with --programme": [
        "the database holds 2 programmes (a, b); choose one with --programme",
    ],
    "expected end > start": [
        "expected end > start, got 60 to 18",
    ],
    "is after end": [
        "date range: start 2024-07-02 is after end 2024-07-01",
    ],
    "on or after start": [
        "end: expected a day on or after start 2024-07-02, got 2024-07-01",
    ],
    "a date before year": [
        "start: expected a date before year 9900, got 9950-01-01",
    ],
    "share: expected 0 to 1": [
        "share: expected 0 to 1, got 1.5",
    ],
    "keep_end: expected": [
        "keep_end: expected 0 to 4 characters, got 5",
    ],
    "zero or more yuan, got": [
        "amount: expected zero or more yuan, got -1",
    ],
    "less than 10**26 yuan, got": [
        "amount: expected less than 10**26 yuan, got 1E+30",
    ],
    "(0.01), got {amount}": [
        "amount: expected an amount exact to the fen (0.01), got 1.001",
    ],
    # storage: real sources (a path, a URL), tables and rows as _tabular._where writes them
    "{_where(table, row)}, column {column}: {why}": [
        "/tmp/x.db: table service_records, programme 'p', row pos 5, column hours: expected an exact decimal such as 12.5, got 'abc'",
        "sqlite:////tmp/x.db: table programmes, programme 'p', column start: expected a date as YYYY-MM-DD, got '2025-02-30'",
        "memory://: table stations, programme 'p', row pos 0, column extra: expected a JSON object",
        "postgresql://u@db/test: table staff, programme 'p', row station_pos 0, pos 1, column role: not exact tagged JSON (Expecting value: line 1 column 2 (char 1))",
    ],
    "stored programme cannot be read back": [
        "/tmp/x.db: stored programme cannot be read back: table staff, programme 'p', row station_pos 0, pos 0, column role: stations[0].staff[0].role: expected one of resident | dispatched, got str 'wizard'; table staff, programme 'p', row station_pos 0, pos 1, column role: stations[0].staff[1].role: expected one of resident | dispatched, got str 'wizard'",
    ],
    "{_where(RECORDS, row)}, {where}": [
        "/tmp/x.db: table service_records, programme 'p', row pos 5, column beneficiaries: beneficiaries[1]: expected a string, got int 2",
        "/tmp/x.db: table service_records, programme 'p', row pos 5, column hours: hours: expected a number of hours, got str 'x'; column date: date: expected a date like 2024-07-01, got str 'x'",
    ],
    "f'{where}, column {name}: {exc}'": [
        "/tmp/x.db: payments of programme 'p', 'zn' year 1 'first', column amount_fen: expected a whole number of fen, got 'lots'",
    ],
    "column recorded_at: expected a UTC time": [
        "/tmp/x.db: payments of programme 'p', 'zn' year 1 'first', column recorded_at: expected a UTC time such as 2025-01-20T08:30:00+00:00, got 'soon'",
    ],
    "f'{where}: {exc}'": [
        "/tmp/x.db: payments of programme 'p', 'zn' year 1 'first': paid_by: expected a name, got ''",
    ],
    "the database said: {": [
        "/tmp/x.db: the database said: disk I/O error",
        'postgresql://u@db/test: the database said: relation "p_programmes" does not exist',
    ],
    "cannot connect: {_said(exc)}": [
        "postgresql://u@db/test: cannot connect: connection refused",
    ],
    "the database driver is not installed": [
        "postgresql://u@db/test: the database driver is not installed (pip install 'sgz[postgres]'): No module named 'psycopg'",
    ],
    "a stored {cls.__name__}": [
        "a stored Payment cannot be read back: amount: expected an amount in yuan, got str 'x'",
    ],
    # plugins: what a plugin registers, named by the kinds sgz_adapters.plugins._keyed passes
    "{what} name {key!r} does not match": [
        "plugin p1: storage scheme name 'Bad!' does not match [a-z][a-z0-9+]*",
        "plugin p1: reporter name 'Bad!' does not match [a-z][a-z0-9_]*",
    ],
    "the factory of {what} {key!r}": [
        "plugin p1: the factory of notifier 'n1' is not callable",
    ],
    "f'{what} {key!r} is registered by both": [
        "storage scheme 'sqlite' is registered by both sgz_adapters.storage and p1",
        "reporter 'json' is registered by both sgz_adapters.default_reporters and p1",
    ],
    "f'plugin {name}: {exc}'": [
        "plugin p1: Plugin name already registered: p1=<module 'p1'>",
    ],
}
"""Sample messages for a message whose parts the guess cannot fill (keyed by a part of the
code as written)."""

SITES = sorted(set(_sites()))


def test_the_sources_have_messages() -> None:
    """The walk finds what it looks for (a broken walk would let every message through)."""
    where = {w.split(":")[0] for w, _, _ in SITES}
    assert len(SITES) > 150
    for module in ("sgz_core/_convert.py", "sgz_core/casework/identity.py", "sgz_core/profiles.py"):
        assert module in where
    written = {w for _, w, _ in SITES}
    stale = [k for k in OVERRIDES if not any(k in w for w in written)]
    assert not stale, f"samples for a message no longer in the sources: {stale}"


@pytest.mark.parametrize(("where", "written", "sample"), SITES, ids=[s[0] for s in SITES])
def test_every_message_of_the_sources_is_chinese(where: str, written: str, sample: str) -> None:
    if sample.startswith(AT_SOURCE):
        said = sample.removeprefix(AT_SOURCE)
        assert CJK.search(said) and not english_left(said), (where, said)
        return
    chinese = in_chinese(sample)
    assert chinese is not None, (
        f"{where}: no template translates {sample!r}: add one to sgz_adapters/messages.py "
        "(MESSAGES, or a phrase to PHRASES), or raise sgz_adapters.said.say(zh, en) there; "
        "if the sample is a bad guess of the values, add real samples to OVERRIDES"
    )
    assert CJK.search(chinese), (sample, chinese)
    assert not english_left(chinese), (sample, chinese)
    for value in QUOTED.findall(sample):  # values and masked ID numbers kept as they are
        assert value in chinese, (value, chinese)


@pytest.mark.parametrize(
    "english",
    [
        "unknown station '1101**********002X'; expected one of zhengning",
        "the ID number 1101**********002X has a wrong check character (a typing error?)",
        "beneficiaries[1].id_number: the ID number 6201**********0246 is also beneficiaries[0]'s",
    ],
)
def test_masked_id_numbers_stay_masked(english: str) -> None:
    chinese = in_chinese(english)
    assert chinese is not None
    masked = re.findall(r"[0-9]{4}\*{10}[0-9]{3}[0-9X]", english)
    assert masked and all(m in chinese for m in masked)
    assert not re.search(r"[0-9]{17}[0-9X]", chinese)


def test_the_walk_would_fail_a_message_without_a_template() -> None:
    assert in_chinese("expected a thing sgz never says, got 'x1'") is None
    assert english_left("应为 thing sgz never says，实为 'x1'") == ["thing sgz never says"]


# --- what the libraries say -----------------------------------------------------------------------


def _library_strings(module: object, functions: tuple[str, ...], argument: int = 0) -> set[str]:
    """Every string literal (or f-string, as a pattern) a library passes to ``functions``."""
    source = Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8")
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called(node) in functions and len(node.args) > argument:
            parts = _shape(node.args[argument])
            if parts is not None:
                out.add("".join(p if isinstance(p, str) else _filler(p) for p in parts))
    return out


TOML_MESSAGES = sorted(_library_strings(tomllib._parser, ("suffixed_err",), 2))


def test_tomllib_has_messages() -> None:
    assert len(TOML_MESSAGES) > 15


@pytest.mark.parametrize("message", TOML_MESSAGES)
@pytest.mark.parametrize("where", [" (at line 6, column 7)", " (at end of document)"])
def test_every_tomllib_message_is_chinese(message: str, where: str) -> None:
    chinese = in_chinese(f"line 6: not valid TOML: {message}{where}")
    assert chinese is not None, message
    assert not english_left(chinese), chinese


READ_ERRORS = (
    errno.EACCES,
    errno.EPERM,
    errno.ENOENT,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.ENAMETOOLONG,
    errno.ELOOP,
    errno.EIO,
    errno.ENXIO,
    errno.ENODEV,
    errno.EMFILE,
    errno.ENFILE,
    errno.ENOMEM,
    errno.EROFS,
    errno.EBUSY,
    errno.EAGAIN,
    errno.EINVAL,
    errno.EOVERFLOW,
    errno.EFBIG,
    errno.EINTR,
    errno.ETXTBSY,
)
"""The errors ``open`` and ``read`` of a file can give (open(2), read(2))."""


@pytest.mark.parametrize("code", READ_ERRORS, ids=[errno.errorcode[c] for c in READ_ERRORS])
def test_every_reason_a_file_cannot_be_read_is_chinese(code: int) -> None:
    chinese = in_chinese(f"cannot read the file ({os.strerror(code)})")
    assert chinese is not None and not english_left(chinese), chinese


def _argparse_messages() -> set[str]:
    """Every message argparse passes to ``_`` or ``ngettext`` (``msgid`` and plural)."""
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called(node) in ("_", "ngettext"):
            for arg in node.args[:2] if _called(node) == "ngettext" else node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    out.add(arg.value)
                elif isinstance(arg, ast.Call) and _called(arg) == "pop":  # kwargs.pop(k, default)
                    default = arg.args[1] if len(arg.args) > 1 else None
                    if isinstance(default, ast.Constant) and isinstance(default.value, str):
                        out.add(default.value)
    return out


def test_every_argparse_message_is_translated_or_for_programmers() -> None:
    messages = _argparse_messages()
    assert "usage: " in messages and "show this help message and exit" in messages
    plurals = {m for pair in argparse_zh.PLURALS for m in pair}
    unknown = messages - set(argparse_zh.CATALOGUE) - plurals - argparse_zh.FOR_PROGRAMMERS
    assert not unknown, f"argparse messages with no Chinese: {sorted(unknown)}"


@pytest.mark.parametrize("english", sorted(argparse_zh.CATALOGUE))
def test_every_catalogue_entry_is_chinese_and_keeps_its_placeholders(english: str) -> None:
    chinese = argparse_zh.CATALOGUE[english]
    placeholders = re.compile(r"%\(\w+\)[sr]|%[sr]")
    assert sorted(placeholders.findall(chinese)) == sorted(placeholders.findall(english))
    if english != "%(prog)s: error: %(message)s\n":  # the prefix stays (user guide)
        assert CJK.search(chinese), english


def test_speaking_restores_argparse() -> None:
    before = argparse._  # type: ignore[attr-defined]
    with argparse_zh.speaking("zh"):
        assert argparse._("usage: ") == "用法："  # type: ignore[attr-defined]
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == (  # type: ignore[attr-defined]
            "需要 %s 个值"
        )
    assert argparse._ is before  # type: ignore[attr-defined]
    with argparse_zh.speaking("en"):
        assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), argparse_zh.speaking("zh"):
        raise RuntimeError
    assert argparse._ is before  # type: ignore[attr-defined]


def test_a_profile_file_with_two_problems_named_by_a_programme_is_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sgz_adapters.cli import main

    profile = tmp_path / "p.toml"
    profile.write_text(
        '[profile]\nid = "p"\nname = "p"\nextends = "lanzhou-chengguan"\nbogus = 1\n\n'
        "[[parameters.nonsense]]\nfrom = 2024-01-01\nvalue = 1\n",
        encoding="utf-8",
    )
    text = (ROOT / "examples" / "chengguan.toml").read_text(encoding="utf-8")
    programme = tmp_path / "prog.toml"
    programme.write_text(
        text.replace('profile = "lanzhou-chengguan"', f'profile = "{profile}"'), encoding="utf-8"
    )
    assert main(["check", str(programme), "--lang", "zh"]) == 2
    zh = capsys.readouterr().err
    assert main(["check", str(programme), "--lang", "en"]) == 2
    en = capsys.readouterr().err
    assert "2 problems:" in en and "unknown key" in en
    assert f"programme.profile: {profile}: 共 2 个问题：" in zh, zh
    assert "  - profile.bogus: 未知的键；应为以下之一：id, name, extends" in zh, zh
    assert "  - parameters.nonsense: 未知的参数；应为以下之一：" in zh, zh
    assert len(zh.splitlines()) == len(en.splitlines())


TAGGED = [
    '{"$decimal": "abc"}',
    '{"$decimal": "1_0"}',
    '{"$decimal": 1}',
    '{"$date": "2024-13-01"}',
    '{"$date": "2024-02-30"}',
    '{"$date": "0000-01-01"}',
    '{"$date": "2024-7-1"}',
    '{"$datetime": "2024-01-01T25:00:00"}',
    '{"$datetime": "2024-01-01T10:61:00"}',
    '{"$datetime": "soon"}',
    '{"$dict": 1}',
    "[1,",
    "{bad",
    '{"a": 1.5}',
]
"""Tagged JSON a database edited by hand may hold: what decimal, datetime and json say of it."""


@pytest.mark.parametrize("text", TAGGED)
def test_every_reason_tagged_json_is_refused_is_chinese(text: str) -> None:
    from sgz_core.errors import InvalidInput
    from sgz_core.jsonvalue import load_payload

    with pytest.raises(InvalidInput) as caught:
        load_payload(text)
    chinese = in_chinese(str(caught.value))
    assert chinese is not None, str(caught.value)
    assert CJK.search(chinese) and not english_left(chinese), chinese


WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EPIPE, errno.EBADF, errno.EFBIG)
"""The errors writing standard output or error can give (write(2)), shown by ``main``."""


@pytest.mark.parametrize("code", WRITE_ERRORS, ids=[errno.errorcode[c] for c in WRITE_ERRORS])
@pytest.mark.parametrize("stream", ["standard output", "standard error"])
def test_every_reason_an_output_cannot_be_written_is_chinese(code: int, stream: str) -> None:
    from sgz_adapters.output import OutputFailed

    failed = OutputFailed(stream, OSError(code, os.strerror(code)))
    chinese = in_chinese(str(failed))
    assert chinese is not None and CJK.search(chinese) and not english_left(chinese), chinese


def test_chinese_given_at_the_raise_site_is_shown_and_survives_the_loader() -> None:
    """``refusal(Text(zh, en))``: English for ``str()`` and ``--lang en``, the site's own Chinese
    for ``--lang zh``, masked, kept when the loader prefixes a key path or a source."""
    from sgz_adapters.said import shown
    from sgz_core._convert import problems_of
    from sgz_core.errors import InvalidInput, Problem
    from sgz_core.text import Text, refusal

    exc = refusal(Text("号码 110101199001011237 不对", "number 110101199001011237 is wrong"), "n")
    assert str(exc) == "n: number 1101**********1237 is wrong"
    assert shown(exc, "en") == str(exc)
    assert shown(exc, "zh") == "n: 号码 1101**********1237 不对"
    nested = InvalidInput(problems_of(exc, "stations[0]"), "f.toml")
    assert shown(nested, "zh") == "f.toml: stations[0].n: 号码 1101**********1237 不对"
    assert Problem("n", "x", zh="甲") == Problem("n", "x")  # the same problem in either language


def test_the_plans_compared_must_match_said_in_chinese_at_the_source() -> None:
    import datetime as dt
    from decimal import Decimal

    from sgz_adapters.said import shown
    from sgz_core import planner, profiles
    from sgz_core.errors import InvalidInput

    profile, start = profiles.builtin(), dt.date(2025, 1, 1)
    with pytest.raises(InvalidInput) as caught:
        planner.compare(planner.plan(2, profile, start, 3), planner.plan(3, profile, start, 3))
    assert str(caught.value).startswith("vs: expected two plans of the same stations")
    assert shown(caught.value, "zh").startswith("vs: 应为站点数、起始日与年数都相同的两份规划")
    huge = profile.override("min_station_funding", profiles.ALWAYS, Decimal(10) ** 20)
    with pytest.raises(InvalidInput) as caught:
        planner.plan(100, huge, start, 1)
    assert "budget below" in str(caught.value)
    assert shown(caught.value, "zh").startswith("stations: 第 1 年的预算应低于")


def test_a_file_that_is_not_an_sgz_database_is_refused_in_the_runs_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from sgz_adapters.cli import main

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    url = f"sqlite:///{path}"
    assert main(["check", "--db", url, "--lang", "zh"]) == 2
    zh = capsys.readouterr().err
    assert main(["check", "--db", url, "--lang", "en"]) == 2
    en = capsys.readouterr().err
    assert (
        en
        == f"sgz: error: {path}: not an sgz database: it has tables but no schema_version table\n"
    )
    assert zh == f"sgz: error: {path}: 不是 sgz 数据库：其中有表，但没有 schema_version 表\n"
