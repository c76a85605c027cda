"""The storage side of the command line: ``sgz import``, ``sgz export``, and ``--db URL
[--programme ID]`` in place of a programme FILE on the read commands.

Kept apart from :mod:`sgz_adapters.cli` so that the commands there only call
:func:`add_source` and :func:`source_of`, and hand the source to :mod:`sgz_adapters.service`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sgz_adapters import output, said
from sgz_adapters._lazy import lazy_module
from sgz_adapters.cli_args import add_lang
from sgz_adapters.render import emit
from sgz_core.limits import DEFAULT_URL

if TYPE_CHECKING:
    from sgz_adapters import service
    from sgz_core.model import Programme
    from sgz_core.storage import Storage
else:  # imported when a command runs, not to build the parser (issue 12)
    service = lazy_module("sgz_adapters.service")

PROGRESS_FROM = 20_000
"""Imports with at least this many rows show a progress bar (on a terminal, with Rich)."""


def add_source(parser: argparse.ArgumentParser) -> None:
    """``FILE`` or ``--db URL [--programme ID]``: where a read command finds its programme."""
    parser.add_argument("file", nargs="?", help="programme file (TOML); or use --db")
    add_db(parser, "read the programme from this database instead of a FILE")
    parser.add_argument(
        "--programme",
        metavar="ID",
        help="the programme's id in the database (needed when it holds several)",
    )


def add_db(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"{help_text} (sqlite:///path.db, postgresql://…, mysql+pymysql://…; "
        f"default {DEFAULT_URL})",
    )


def source_of(args: argparse.Namespace) -> service.Source:
    """The programme source a read command names: its FILE, or ``--db URL [--programme ID]``."""
    if args.file is not None and args.db is not None:
        raise said.say(
            "请给出项目文件 FILE 或 --db URL，不能两者都给",
            "give a programme FILE or --db URL, not both",
        )
    if args.programme is not None and args.db is None:
        raise said.say(
            "--programme 需要与 --db 一起使用（一个项目文件只有一个项目）",
            "--programme needs --db (a programme file holds one programme)",
        )
    if args.db is not None:
        db_url(args.db)
        if args.programme is not None and not args.programme.strip():
            raise said.say(
                "应为项目编号，实为 ''", "expected a programme id, got ''", path="--programme"
            )
        return service.stored(args.db, args.programme)
    if not args.file:
        raise said.say("应给出项目文件 FILE 或 --db URL", "expected a programme FILE or --db URL")
    return str(args.file)


def db_url(db: str | None) -> str:
    """The ``--db`` URL given, or the embedded SQLite default when none is; an empty one is
    refused (an empty URL is a mistake, not a request for the default)."""
    if db is not None and not db.strip():
        raise said.say(
            f"应为数据库地址，如 {DEFAULT_URL}，实为 ''",
            f"expected a database URL such as {DEFAULT_URL}, got ''",
            path="--db",
        )
    return db or DEFAULT_URL


def open_existing(url: str | None) -> Storage:
    """Moved to :func:`sgz_adapters.service.open_existing`; kept here for old imports."""
    return service.open_existing(url)


# --- sgz import -----------------------------------------------------------------------------


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a Rich bar on stderr, or ``None``."""
    if not enabled:
        yield None
        return
    try:
        from rich.console import Console
        from rich.markup import escape as rich_escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    except ImportError:  # the cli extra is not installed: no bar
        yield None
        return
    console = Console(file=output.unguarded(sys.stderr))  # Rich's own colours, not escaped
    label = rich_escape(output.clean(label, cell=True))
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _size(programme: Programme) -> int:
    from sgz_adapters.storage._tabular import RECORDS

    p = programme
    rows = len(p.contractors) + len(p.stations) + len(getattr(p, RECORDS.field, ()))
    return rows + sum(len(s.staff) + len(s.years) for s in p.stations)


def cmd_import(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import show

    db = args.db
    db_url(db)
    opened = service.open_source(args.file)
    show_bar = (
        args.progress
        if args.progress is not None
        else (sys.stderr.isatty() and _size(opened.programme) >= PROGRESS_FROM)
    )
    with progress_bar(f"importing {opened.programme.id}", show_bar) as progress:
        result = service.import_programme(
            opened, db=db, replace=args.replace, progress=progress, by=args.by
        )
    show(args, result)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import lang
    from sgz_adapters.views import say

    url = db_url(args.db)
    if args.to is not None and not args.to.strip():
        raise said.say("应为文件路径，实为 ''", "expected a file path, got ''", path="--to")
    source = service.stored(url, args.programme)
    if args.to is not None:
        result = service.export_programme(source, to=args.to)
        emit(say("exported", lang(args), programme=result.programme, to=result.to), err=True)
    else:
        for text in service.export_text(source):
            emit(text, end="", export=True)  # full ID numbers on purpose (PII-1)
    return 0


def add_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``import`` and ``export`` to the ``sgz`` sub-command parser."""
    p = add("import", "store a programme file in a database")
    p.add_argument("file", help="programme file (TOML)")
    add_db(p, "the database to store it in")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace a programme with the same id (in one transaction)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: for long imports, on a terminal)",
    )
    p.add_argument(
        "--by",
        metavar="NAME",
        help="who imports, for the audit trail (default: $SGZ_USER, else the login name)",
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser(
        "export",
        help="a stored programme as a programme file (TOML, lossless)",
        description="a stored programme as a programme file (TOML, lossless)",
    )
    add_db(p, "the database to read")
    p.add_argument(
        "--programme",
        metavar="ID",
        help="the programme's id (needed when the database holds several)",
    )
    p.add_argument("--to", metavar="FILE", help="write to FILE instead of standard output")
    add_lang(p)
    p.set_defaults(run=cmd_export)


__all__ = [
    "PROGRESS_FROM",
    "add_commands",
    "add_db",
    "add_source",
    "db_url",
    "open_existing",
    "progress_bar",
    "source_of",
]
