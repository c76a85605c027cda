"""The planner on the command line: ``sgz plan``.

Kept apart from :mod:`sgz_adapters.cli`, which only calls :func:`add_commands`. It parses the
arguments, calls :func:`sgz_adapters.service.plan` and renders the result through the reporters
(``table``, ``json``, ``toml``, ``markdown``). A bad argument is exit status 2 with a message in
the language of ``--lang``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from sgz_adapters._lazy import lazy_module
from sgz_adapters.cli_args import ARGUMENT_LANG, date_arg
from sgz_core.limits import DEFAULT_YEARS, MAX_STATIONS, MAX_YEARS
from sgz_core.text import Text

if TYPE_CHECKING:
    from sgz_adapters import service
else:
    service = lazy_module("sgz_adapters.service")

EXIT_OK = 0

AddCommand = Callable[..., argparse.ArgumentParser]


def _whole(text: str, expected: Text) -> int:
    """``text`` as a whole number written in ASCII digits, else ``expected`` (with the text)."""
    if not re.fullmatch(r"[0-9]{1,9}", text):
        said = Text(f"{expected.zh}，实为 {text!r}", f"{expected.en}, got {text!r}")
        raise argparse.ArgumentTypeError(said.get(ARGUMENT_LANG.get()))
    return int(text)


def stations_arg(text: str) -> int:
    """``--stations 3`` as a whole number written in ASCII digits; the service checks the range
    (1 to :data:`~sgz_core.planner.MAX_STATIONS`), the same way as from the Python API."""
    return _whole(
        text,
        Text(
            f"应为 1 至 {MAX_STATIONS} 的站点数（整数）",
            f"expected a number of stations from 1 to {MAX_STATIONS}",
        ),
    )


def years_arg(text: str) -> int:
    """``--years 3`` as a whole number written in ASCII digits: how many contract years (not
    which one, as ``--year`` elsewhere); the service checks the range (1 to 99)."""
    return _whole(
        text,
        Text(
            f"应为 1 至 {MAX_YEARS} 的合同年数（整数）",
            f"expected a number of contract years from 1 to {MAX_YEARS}",
        ),
    )


def cmd_plan(args: argparse.Namespace) -> int:
    from sgz_adapters.cli import show

    result = service.plan(
        stations=args.stations,
        profile=args.profile,
        start=args.start,
        years=args.years,
        vs=args.vs,
    )
    show(args, result)
    return EXIT_OK


def add_commands(add: AddCommand) -> None:
    """Add ``plan`` through the command line's ``add(name, help)``."""
    p = add(
        "plan",
        "what each level (province, city, district) must budget per contract year for N "
        "stations, the tranches month by month, and with --vs what a change of policy costs",
    )
    p.add_argument(
        "--stations",
        required=True,
        type=stations_arg,
        metavar="N",
        help=f"the number of stations (1 to {MAX_STATIONS})",
    )
    p.add_argument(
        "--profile",
        required=True,
        metavar="ID|PATH",
        help="a built-in profile id (lanzhou-chengguan) or a profile file",
    )
    p.add_argument(
        "--start", required=True, type=date_arg, metavar="DATE", help="the first day of year 1"
    )
    p.add_argument(
        "--years",
        type=years_arg,
        default=DEFAULT_YEARS,
        metavar="N",
        help=f"contract years to plan (1 to 99; default: {DEFAULT_YEARS})",
    )
    p.add_argument(
        "--vs",
        metavar="ID|PATH",
        help="a second profile: its budget and the difference (it minus --profile)",
    )
    p.set_defaults(run=cmd_plan)


__all__ = ["AddCommand", "add_commands", "stations_arg", "years_arg"]
