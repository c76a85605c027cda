"""The audit trail on the command line (AUD-1): ``sgz audit log`` and ``sgz audit verify``.

Kept apart from :mod:`sgz_adapters.cli`, which only calls :func:`add_commands`. Both read a
database (``--db URL``), call :func:`sgz_adapters.service.audit_log` or
:func:`~sgz_adapters.service.audit_verify` and render the result through the reporters.
``verify`` exits 0 when the chain is whole and 1 naming the first bad entry.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sgz_adapters._lazy import lazy_module
from sgz_adapters.cli_args import add_lang

if TYPE_CHECKING:
    from sgz_adapters import service
else:
    service = lazy_module("sgz_adapters.service")

EXIT_OK, EXIT_BROKEN = 0, 1


def cmd_audit_log(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import show
    from sgz_adapters.storage_cli import db_url

    show(
        args,
        service.audit_log(db_url(args.db), programme=args.programme, station=args.station),
    )
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import show
    from sgz_adapters.storage_cli import db_url

    result = service.audit_verify(db_url(args.db))
    show(args, result)
    return EXIT_OK if result.whole else EXIT_BROKEN


def _common(p: argparse.ArgumentParser) -> None:
    from sgz_adapters.storage_cli import add_db

    p.add_argument(
        "--format",
        default="table",
        metavar="NAME",
        help="a registered reporter: table, json, markdown or a plugin's (default: table)",
    )
    add_lang(p)
    add_db(p, "the database to read")


def add_commands(sub: Any) -> None:
    """Add ``audit log`` and ``audit verify`` to the ``sgz`` sub-command parser."""
    audit = sub.add_parser(
        "audit",
        help="the audit trail of every recorded operation (AUD-1): list it, verify its chain",
        description="the audit trail of every recorded operation (AUD-1): list it, verify its "
        "chain",
    )
    commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    text = "the audit entries in the order they were appended: when, who, what, on what"
    p = commands.add_parser("log", help=text, description=text)
    _common(p)
    p.add_argument(
        "--programme", metavar="ID", help="only this programme's entries (default: every one)"
    )
    p.add_argument("--station", metavar="ID", help="only this station's entries")
    p.set_defaults(run=cmd_audit_log)
    text = (
        "check the hash chain: exit 0 when it is whole, 1 naming the first entry changed, "
        "removed, inserted or moved"
    )
    p = commands.add_parser("verify", help=text, description=text)
    _common(p)
    p.set_defaults(run=cmd_audit_verify)


__all__ = ["add_commands"]
