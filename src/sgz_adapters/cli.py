"""The ``sgz`` command line: ``check``, ``schedule``, ``plaques``, ``worklist``, ``stats``, ``profile show``, ``rules``.

Exit status: 0 done and no error-level finding; 1 error-level findings; 2 the input could not
be used (the message names the file, the key path and what was expected; nothing is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import Any

import tomli_w

from sgz_adapters import plugins
from sgz_adapters.casework_cli import add_commands as add_casework_commands
from sgz_adapters.cli_args import date_arg, today
from sgz_adapters.default_reporters import finding_record, tranche_record
from sgz_adapters.files import load_profile
from sgz_adapters.render import markdown_table, print_table, to_json
from sgz_adapters.storage_cli import add_commands as add_storage_commands
from sgz_adapters.storage_cli import add_source, load_source
from sgz_core import __version__, profiles
from sgz_core.disbursement import schedule
from sgz_core.enums import Severity
from sgz_core.errors import InvalidInput, SgzError
from sgz_core.findings import summarise
from sgz_core.rules import all_rules

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(SgzError):
    """A command-line argument that cannot be used."""


def cmd_check(args: argparse.Namespace) -> int:
    loaded = load_source(args)
    on = args.on or today()
    findings = plugins.run_check(loaded.programme, loaded.profile, on)
    summary = summarise(findings)
    if args.format == "json":
        print(
            to_json(
                {
                    "programme": loaded.programme.id,
                    "as_of": on.isoformat(),
                    "findings": [finding_record(f) for f in findings],
                    "summary": summary,
                }
            )
        )
    else:
        columns = ["rule", "severity", "station", "year", "message"]
        rows = [
            [
                f.rule,
                f.severity.value,
                f.station or "",
                "" if f.year is None else str(f.year),
                f.text(args.lang),
            ]
            for f in findings
        ]
        totals = ", ".join(f"{n} {s}" for s, n in summary.items())
        if args.format == "markdown":
            print(f"# {loaded.programme.id}: findings as of {on.isoformat()}\n")
            print(markdown_table(columns, rows) if rows else "No findings.")
            print(f"\n{totals}")
        else:
            title = f"{loaded.programme.name} ({loaded.programme.id}) as of {on.isoformat()}"
            if rows:
                print_table(title, columns, rows)
            else:
                print(f"{title}: no findings")
            print(totals)
    return EXIT_FINDINGS if summary[Severity.ERROR.value] else EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    loaded = load_source(args)
    on = args.on or today()
    tranches = schedule(loaded.programme, loaded.profile, on)
    records = [tranche_record(t) for t in tranches]
    if args.format == "json":
        print(
            to_json(
                {"programme": loaded.programme.id, "as_of": on.isoformat(), "tranches": records}
            )
        )
    else:
        columns = ["station", "year", "milestone", "share", "amount", "status", "date"]
        rows = [[str(r[c]) if r[c] is not None else "" for c in columns] for r in records]
        print_table(f"{loaded.programme.id}: disbursement as of {on.isoformat()}", columns, rows)
    return EXIT_OK


def cmd_plaques(args: argparse.Namespace) -> int:
    loaded = load_source(args)
    on = args.on or today()
    policy = loaded.profile.at(on)
    records = []
    for station in loaded.programme.stations:
        shown = {p.strip() for p in station.signage.plaques}
        for i, text in enumerate(policy.plaques(station.street)):
            records.append(
                {
                    "station": station.id,
                    "street": station.street,
                    "rule": "SIGN-1" if i == 0 else "SIGN-2",
                    "text": text,
                    "shown": text in shown,
                }
            )
    if args.format == "json":
        print(
            to_json(
                {
                    "programme": loaded.programme.id,
                    "as_of": on.isoformat(),
                    "logo_required": policy.logo_required,
                    "plaques": records,
                }
            )
        )
    else:
        columns = ["station", "rule", "plaque", "shown"]
        rows = [
            [r["station"], r["rule"], r["text"], "yes" if r["shown"] else "NO"] for r in records
        ]
        print_table(f"{loaded.programme.id}: plaques", columns, rows)
    return EXIT_OK


def cmd_profile_show(args: argparse.Namespace) -> int:
    profile = load_profile(args.profile) if args.profile is not None else profiles.builtin()
    data = profiles.to_dict(profile)
    if args.format == "json":
        print(to_json(_jsonable(data)))
    else:
        print(f"# sgz profile {profile.id}: every parameter with every dated value")
        print(tomli_w.dumps(data), end="")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    rules = all_rules(plugins.plugin_rules())
    if args.format == "json":
        print(
            to_json(
                [
                    {
                        "rule": r.id,
                        "clause": r.clause,
                        "scope": r.scope.value,
                        "title": r.title,
                        "title_en": r.title_en,
                        "module": r.check.__module__,
                    }
                    for r in rules
                ]
            )
        )
    else:
        print_table(
            "sgz rules",
            ["rule", "clause", "scope", "title"],
            [[r.id, r.clause, r.scope.value, f"{r.title} / {r.title_en}"] for r in rules],
        )
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace) -> int:
    found = plugins.installed_plugins()
    if args.format == "json":
        print(
            to_json(
                [
                    {
                        "name": p.name,
                        "version": p.version,
                        "hooks": list(p.hooks),
                        "source": p.source,
                        "distribution": p.distribution,
                    }
                    for p in found
                ]
            )
        )
    else:
        print_table(
            "sgz plugins",
            ["name", "version", "source", "hooks"],
            [[p.name, p.version or "", p.source, ", ".join(p.hooks)] for p in found],
        )
    return EXIT_OK


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "is_finite"):  # Decimal: exact, as a string
        return str(value)
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sgz",
        description="Check social work station (社工站) programmes against their policy profile.",
    )
    parser.add_argument("--version", action="version", version=f"sgz {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, formats: Sequence[str]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--format", choices=list(formats), default=formats[0])
        return p

    p = add(
        "check", "all findings of every rule about a programme file", ["table", "json", "markdown"]
    )
    add_source(p)
    p.add_argument("--on", type=date_arg, help="the day to judge on (default: today)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="message language for tables")
    p.set_defaults(run=cmd_check)

    p = add("schedule", "the disbursement tranches and their status on a day", ["table", "json"])
    add_source(p)
    p.add_argument("--on", type=date_arg, help="the day to judge on (default: today)")
    p.set_defaults(run=cmd_schedule)

    p = add("plaques", "the plaque texts each station must show", ["table", "json"])
    add_source(p)
    p.add_argument(
        "--on", type=date_arg, help="the day whose profile values apply (default: today)"
    )
    p.set_defaults(run=cmd_plaques)

    add_casework_commands(add)
    add_storage_commands(sub, add)

    prof = sub.add_parser("profile", help="policy profiles")
    prof_sub = prof.add_subparsers(dest="profile_command", required=True, metavar="COMMAND")
    p = prof_sub.add_parser(
        "show", help="a profile's parameters as TOML, every dated value included"
    )
    p.add_argument(
        "profile",
        nargs="?",
        help="built-in profile id or profile file (default: lanzhou-chengguan)",
    )
    p.add_argument("--format", choices=["toml", "json"], default="toml")
    p.set_defaults(run=cmd_profile_show)

    p = add("rules", "the rules this version checks, with their requirement ids", ["table", "json"])
    p.set_defaults(run=cmd_rules)

    p = add(
        "plugins",
        "the installed plugins, with their versions and the hooks they implement",
        ["table", "json"],
    )
    p.set_defaults(run=cmd_plugins)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except SgzError as exc:
        if isinstance(exc, InvalidInput) and exc.source is None and getattr(args, "file", None):
            exc = exc.with_source(str(args.file))  # e.g. a profile with no value in force that day
        print(f"sgz: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `sgz check … | head`
        return EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
