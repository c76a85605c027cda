"""Hostile input that needs more than one command line (issue 8 §1, §3-§5): a workbook read back,
a plugin whose hook raises with hostile text, a read-only SQLite file, and the hostile data
stored in and read back from PostgreSQL and MariaDB (marked ``db``).

Each run asserts what the corpus asserts: exit status, no ``Traceback``, the file or argument
named, no full resident ID number and no raw control character in standard output or error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sgz_adapters import plugins, service
from sgz_adapters.cli import main
from sgz_adapters.output import UNSAFE
from sgz_adapters.pii import folded
from sgz_core import hookimpl
from sgz_core.casework.identity import is_valid
from sgz_core.findings import Finding
from sgz_core.rules import Rule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
ID = "11010519491231002X"
MASKED = "1101**********002X"
FORMULA = '=HYPERLINK("http://e.example","x")'
HOSTILE_IDS = {
    "id-number": ID,
    "escapes": "zn\x1b]0;pwned\x07\x1b[31m\u202ex",
    "markup": "[/bold]zn[draft]",
    "formula": FORMULA,
}
"""Station ids put in place of ``zhengning`` everywhere the example names it."""
ON = "2025-11-24"


def full_ids(text: str) -> list[str]:
    found = re.finditer(r"(?=([0-9]{17}[0-9X]))", folded(text))
    return [m[1] for m in found if is_valid(m[1])]


def assert_clean(status: int, out: str, err: str, allowed: Sequence[int] = (0, 1)) -> None:
    assert "Traceback" not in out + err, out + err
    assert status in allowed, (status, out, err)
    for shown in (out, err):
        assert full_ids(shown) == [], shown
        assert not UNSAFE.search(shown), repr(shown)


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def hostile_file(directory: Path, kind: str) -> Path:
    path = directory / f"{kind}.toml"
    path.write_text(
        EXAMPLE_TEXT.replace('"zhengning"', toml_string(HOSTILE_IDS[kind])), encoding="utf-8"
    )
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


# --- a workbook: no cell is a formula, no full ID number ----------------------------------------


@pytest.mark.parametrize("kind", ["formula", "id-number", "escapes"])
def test_a_workbook_written_to_a_file_holds_no_formula_and_no_full_id_number(
    kind: str, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    path = hostile_file(tmp_path, kind)
    target = tmp_path / "report.xlsx"
    with target.open("wb") as out:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "sgz_adapters.cli",
                "check",
                str(path),
                "--on",
                ON,
                "--format",
                "xlsx",
            ],
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    err = proc.stderr.decode("utf-8", "replace")
    assert_clean(proc.returncode, "", err)
    book = openpyxl.load_workbook(target)
    shown: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
                    shown.append(cell.value)
    text = "\n".join(shown)
    assert full_ids(text) == []
    if kind == "formula":
        assert "'" + FORMULA in text  # shown as text, not dropped
    if kind == "id-number":
        assert MASKED in text


# --- a plugin whose hook raises, with hostile text in its exception ------------------------------


@pytest.fixture
def fresh_plugins() -> Iterator[None]:
    plugins.reset()
    yield
    plugins.reset()


@pytest.mark.usefixtures("fresh_plugins")
@pytest.mark.parametrize("hostile", [ID, "\x1b[2J\x1b]0;pwned\x07", "\u202e[/bold]"])
def test_a_plugin_whose_hook_raises_is_named_and_its_message_cleaned(hostile: str) -> None:
    class Broken:
        @staticmethod
        @hookimpl
        def sgz_check(
            programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]
        ) -> list[Finding]:
            raise ValueError(f"bad beneficiary {hostile}")

    name = plugins.register_plugin(Broken, "hostile-broken")
    try:
        code, out, err = run("check", str(EXAMPLE), "--on", ON)
    finally:
        plugins.unregister_plugin(name)
    assert_clean(code, out, err, allowed=(2,))
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith("sgz: error: 插件 hostile-broken：出错：ValueError: "), err
    assert "SGZ_DISABLED_PLUGINS=hostile-broken" in err, err


# --- a read-only SQLite file: check, stats and export read it ---------------------------------


def _unprivileged() -> tuple[str, dict[str, Any]]:
    """A reader that is not root (root may write any file, so chmod would prove nothing)."""
    if os.geteuid() != 0:
        return sys.executable, {}
    python = Path("/usr/bin") / f"python{sys.version_info.major}.{sys.version_info.minor}"
    if not python.exists():
        pytest.skip(f"running as root and no {python} for an unprivileged reader")
    ours = [p for p in sys.path if p and not p.startswith(sys.base_prefix)]

    def drop() -> None:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

    env = {
        "PYTHONPATH": os.pathsep.join(ours),
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "PYTHONIOENCODING": "utf-8",
    }
    return str(python), {"preexec_fn": drop, "env": env}


READ_ONLY_COMMANDS = (
    ("check", "--on", ON),
    ("stats", "--on", ON),
    ("worklist", "--station", ID, "--on", ON),
    ("export",),
)


def test_a_read_only_sqlite_file_is_read_by_check_stats_and_export() -> None:
    directory = Path(tempfile.mkdtemp(prefix="sgz-hostile-ro-"))
    try:
        directory.chmod(0o755)
        path = directory / "sgz.db"
        service.import_programme(hostile_file(directory, "id-number"), db=f"sqlite:///{path}")
        with contextlib.closing(service.open_existing(f"sqlite:///{path}")):
            pass  # the last connection closed: the WAL is checkpointed into the file
        for side in directory.glob("sgz.db-*"):
            side.unlink()
        path.chmod(0o444)
        directory.chmod(0o555)
        before = path.read_bytes()
        python, unprivileged = _unprivileged()
        for command in READ_ONLY_COMMANDS:
            proc = subprocess.run(
                [
                    python,
                    "-m",
                    "sgz_adapters.cli",
                    command[0],
                    "--db",
                    f"sqlite:///{path}",
                    *list(command[1:]),
                ],
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=120,
                check=False,
                cwd=directory,
                **unprivileged,
            )
            if command[0] == "export":  # the user's data, full numbers kept (PII-1)
                assert proc.returncode == 0 and f'"{ID}"' in proc.stdout, proc.stderr
                assert_clean(proc.returncode, "", proc.stderr)
            else:
                assert_clean(proc.returncode, proc.stdout, proc.stderr)
                assert "1101**********" in proc.stdout, proc.stdout  # a table may fold it
        assert path.read_bytes() == before
    finally:
        directory.chmod(0o755)
        for p in directory.iterdir():
            p.chmod(stat.S_IWUSR | stat.S_IRUSR)
        shutil.rmtree(directory, ignore_errors=True)


# --- the same data stored in and read back from PostgreSQL and MariaDB ---------------------------

SERVERS = {
    "postgresql": os.environ.get(
        "SGZ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get("SGZ_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


def _server(kind: str) -> str:
    """The server's URL; skips without it, except in CI (``CI`` set), where that fails."""
    from sgz_adapters.storage.sql import ServerStorage

    try:  # connect only: no tables made
        ServerStorage(SERVERS[kind], upgrade=False).connect().close()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"database unavailable: {kind} at {SERVERS[kind]}: {exc}")
        pytest.skip(f"database unavailable: {kind} at {SERVERS[kind]}: {exc}")
    return SERVERS[kind]


_COUNTER = itertools.count(10_000)  # apart from the integration tests' own numbers


def _drop(url: str) -> None:
    from sgz_adapters.storage.sql import ServerStorage

    base, _, query = url.partition("?prefix=")
    ServerStorage(base, prefix=query).drop_all()


@pytest.mark.db
@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
@pytest.mark.parametrize("hostile", ["id-number", "escapes", "markup"])
def test_hostile_data_read_back_from_a_server_is_masked_and_escaped(
    kind: str, hostile: str, tmp_path: Path
) -> None:
    # the form tests/integration/conftest.py sweeps when a killed run leaves tables behind
    url = f"{_server(kind)}?prefix=t{os.getpid()}_{next(_COUNTER)}_"
    station = HOSTILE_IDS[hostile]
    try:
        service.import_programme(hostile_file(tmp_path, hostile), db=url)
        runs = [
            run("check", "--db", url, "--on", ON),
            run("check", "--db", url, "--on", ON, "--format", "json"),
            run("stats", "--db", url, "--on", ON),
            run("schedule", "--db", url, "--on", ON),
            run("worklist", "--db", url, "--station", station, "--on", ON),
            run("export", "--db", url, "--to", str(tmp_path / "out.toml")),
        ]
        for code, out, err in runs:
            assert_clean(code, out, err)
        assert runs[-1][0] == 0
        exported = service.open_source(tmp_path / "out.toml").programme
        assert station in [s.id for s in exported.stations]  # the export keeps the data as is
    finally:
        _drop(url)


@pytest.mark.db
@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
@pytest.mark.parametrize(
    "path", [f"nosuch_{ID}", "nosuch_%1b%5b2J", "nosuch_%e2%80%ae"], ids=["id", "csi", "bidi"]
)
def test_a_database_the_server_refuses_is_named_masked_and_escaped(kind: str, path: str) -> None:
    base = _server(kind)
    url = base.rsplit("/", 1)[0] + "/" + path
    code, out, err = run("check", "--db", url, "--on", ON)
    assert_clean(code, out, err, allowed=(2,))
    assert out == "" and err.startswith("sgz: error: ") and "nosuch_" in err, err
