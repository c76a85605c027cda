"""The storage side of the command line: ``sgz import``, ``sgz export``, and ``--db URL
[--programme ID]`` in place of a programme FILE on the read commands.

Kept apart from :mod:`sgz_adapters.cli` so that the commands there only call
:func:`add_source` and :func:`load_source` (or :func:`load_counted`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tomli_w

from sgz_adapters.files import Loaded, load_profile, load_programme
from sgz_adapters.render import to_json
from sgz_adapters.storage import open_storage
from sgz_adapters.storage._tabular import RECORDS
from sgz_core._convert import unstructure
from sgz_core.casework.counting import Counts, categories_by_person
from sgz_core.errors import InvalidInput, NotFound, Problem
from sgz_core.model import Programme
from sgz_core.programme_file import to_dict
from sgz_core.storage import DEFAULT_URL, RecordQuery, Storage, scheme_of

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


def load_source(args: argparse.Namespace) -> Loaded:
    """The programme and profile a read command works on: from its FILE or from ``--db``."""
    if args.file and args.db:
        raise InvalidInput("give a programme FILE or --db URL, not both")
    if args.programme and not args.db:
        raise InvalidInput("--programme needs --db (a programme file holds one programme)")
    if not args.db:
        if not args.file:
            raise InvalidInput("expected a programme FILE or --db URL")
        return load_programme(args.file)
    with open_existing(args.db) as storage:
        programme_id = args.programme or storage.only_programme()
        programme = storage.load(programme_id)
    return _loaded(args.db, programme)


def load_counted(
    args: argparse.Namespace, query: RecordQuery, on: dt.date
) -> tuple[Loaded, Counts]:
    """From ``--db``: the programme without its ledger, and the ledger's counts (records matching
    ``query``, dated up to ``on``) counted by the database, both from one read snapshot."""
    if args.file:
        raise InvalidInput("give a programme FILE or --db URL, not both")
    with open_existing(args.db) as storage:
        programme_id = args.programme or storage.only_programme()
        with storage.reader() as uow:
            programme = uow.load(programme_id, records=False)
            ledger = uow.ledger_counts(
                programme_id,
                query,
                until=on,
                categories_of=categories_by_person(programme.beneficiaries),
            )
    return _loaded(args.db, programme), ledger


def _loaded(url: str, programme: Programme) -> Loaded:
    try:
        profile = load_profile(programme.profile, Path.cwd())
    except NotFound as exc:
        raise InvalidInput(
            [
                Problem(
                    "programme.profile", f"expected a built-in profile id or a profile file: {exc}"
                )
            ],
            f"{url} programme {programme.id}",
        ) from None
    return Loaded(Path(url), programme, profile)


def open_existing(url: str | None) -> Storage:
    """A storage to read from; a SQLite file that does not exist is an error, not created."""
    url = url or DEFAULT_URL
    if scheme_of(url) == "sqlite":
        from sgz_adapters.storage.sqlite import SqliteStorage

        path = SqliteStorage.path_of(url)
        if not Path(path).exists():
            raise InvalidInput(
                f"no database at {path}; import a programme first (sgz import FILE)", url
            )
    return open_storage(url)


# --- sgz import -----------------------------------------------------------------------------


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a Rich bar on stderr, or ``None``."""
    if not enabled:
        yield None
        return
    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    except ImportError:  # the cli extra is not installed: no bar
        yield None
        return
    console = Console(stderr=True)
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


def _size(loaded: Loaded) -> int:
    p = loaded.programme
    rows = len(p.contractors) + len(p.stations) + len(getattr(p, RECORDS.field, ()))
    return rows + sum(len(s.staff) + len(s.years) for s in p.stations)


def cmd_import(args: argparse.Namespace) -> int:
    loaded = load_programme(args.file)
    programme = loaded.programme
    show = (
        args.progress
        if args.progress is not None
        else (sys.stderr.isatty() and _size(loaded) >= PROGRESS_FROM)
    )
    with open_storage(args.db) as storage:
        url = storage.url
        replaced = storage.exists(programme.id)
        if replaced and not args.replace:
            raise InvalidInput(
                f"programme {programme.id!r} is already in {url}; "
                "give --replace to replace it (in one transaction)",
                str(args.file),
            )
        with progress_bar(f"importing {programme.id}", show) as progress:
            storage.save(programme, replace=args.replace, progress=progress)
    if args.format == "json":
        print(to_json({"programme": programme.id, "db": url, "replaced": replaced}))
    else:
        verb = "replaced" if replaced else "imported"
        print(f"{verb} {programme.id} from {args.file} into {url}")
    return 0


# --- sgz export -----------------------------------------------------------------------------


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the text so that ``path`` is either untouched or complete, never half written."""
    path = path.absolute()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; an export is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


EXPORT_CHUNK = 2000
"""Service records per TOML chunk: an export streams the ledger, so memory stays small."""


def export_text(storage: Storage, programme_id: str) -> Iterator[str]:
    """The programme as programme-file TOML, in chunks: everything but the ledger first, then
    the ledger as ``[[records]]`` tables streamed from the database (``loads`` of the whole
    text equals the stored programme)."""
    head = to_dict(storage.load(programme_id, records=False))
    head.pop(RECORDS.field, None)
    yield tomli_w.dumps(head)
    chunk: list[Any] = []
    for record in storage.records(programme_id):
        chunk.append(unstructure(record))
        if len(chunk) >= EXPORT_CHUNK:
            yield "\n" + tomli_w.dumps({RECORDS.field: chunk})
            chunk = []
    if chunk:
        yield "\n" + tomli_w.dumps({RECORDS.field: chunk})


def cmd_export(args: argparse.Namespace) -> int:
    with open_existing(args.db) as storage:
        programme_id = args.programme or storage.only_programme()
        storage.load(programme_id, records=False)  # NotFound before anything is written
        if args.to:
            try:
                _write_atomically(Path(args.to), export_text(storage, programme_id))
            except OSError as exc:
                raise InvalidInput(f"cannot write the file ({exc.strerror})", args.to) from None
            print(f"exported {programme_id} to {args.to}", file=sys.stderr)
        else:
            for text in export_text(storage, programme_id):
                sys.stdout.write(text)
    return 0


def add_commands(
    sub: Any, add: Callable[[str, str, Sequence[str]], argparse.ArgumentParser]
) -> None:
    """Add ``import`` and ``export`` to the ``sgz`` sub-command parser."""
    p = add("import", "store a programme file in a database", ["table", "json"])
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
    p.set_defaults(run=cmd_export)
