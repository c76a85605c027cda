"""The casework side of the command line: ``sgz worklist`` and ``sgz stats``.

Kept apart from :mod:`sgz_adapters.cli`, which only calls :func:`add_commands`. Both commands
read a programme FILE (or ``--db``, like the other read commands), call the service
(:mod:`sgz_adapters.service`) and render through the reporters; ID numbers are shown only
masked, with the profile's pattern (PII-1).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from sgz_adapters._lazy import lazy_module
from sgz_adapters.cli_args import date_arg, today, year_arg
from sgz_adapters.storage_cli import add_source, source_of

EXIT_OK = 0

if TYPE_CHECKING:
    from sgz_adapters import service
else:  # imported when a command runs, not to build the parser (issue 12)
    service = lazy_module("sgz_adapters.service")

AddCommand = Callable[..., argparse.ArgumentParser]


def cmd_worklist(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import show

    show(args, service.worklist(source_of(args), station=args.station, on=args.on or today()))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import show

    result = service.stats(
        source_of(args), on=args.on or today(), station=args.station, year=args.year
    )
    show(args, result)
    return EXIT_OK


def add_commands(add: AddCommand) -> None:
    """Add ``worklist`` and ``stats`` through the command line's ``add(name, help)``."""
    p = add(
        "worklist",
        "a station's overdue and due-soon visits, open cases and people to reach, "
        "most vulnerable first",
    )
    add_source(p)
    p.add_argument("--station", required=True, metavar="ID", help="the station's id")
    p.add_argument("--on", type=date_arg, help="the day of the work list (default: today)")
    p.set_defaults(run=cmd_worklist)

    p = add("stats", "the casework counts per station, contract year and domain")
    add_source(p)
    p.add_argument("--station", metavar="ID", help="only this station")
    p.add_argument("--year", type=year_arg, metavar="N", help="only this contract year (1 to 99)")
    p.add_argument("--on", type=date_arg, help="count up to this day (default: today)")
    p.set_defaults(run=cmd_stats)


__all__ = ["AddCommand", "add_commands"]
