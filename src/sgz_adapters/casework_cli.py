"""The casework side of the command line: ``sgz worklist`` and ``sgz stats``.

Kept apart from :mod:`sgz_adapters.cli`, which only calls :func:`add_commands`. Both commands
read a programme FILE (or ``--db``, like the other read commands) and show ID numbers only
masked, with the profile's pattern (PII-1).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sgz_adapters.cli_args import date_arg, today, year_arg
from sgz_adapters.render import print_table, to_json
from sgz_adapters.storage_cli import add_source, load_counted, load_source
from sgz_core.casework.beneficiaries import UNRANKED
from sgz_core.casework.counting import Counts, Tally, count_programme
from sgz_core.casework.vocabulary import ReferralStatus
from sgz_core.casework.worklist import WorkItem, worklist
from sgz_core.money import FEN
from sgz_core.storage import RecordQuery

EXIT_OK = 0

AddCommand = Callable[[str, str, Sequence[str]], argparse.ArgumentParser]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal) -> str:
    """Hours as exact text without trailing zeros (``3.5``, ``8``)."""
    text = f"{value.normalize():f}" if value else "0"
    return text


# --- worklist --------------------------------------------------------------------------------


def _item_json(item: WorkItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "priority": None if item.priority == UNRANKED else item.priority,
        "category": item.category,
        "groups": list(item.groups),
        "beneficiary": item.beneficiary,
        "name": item.name,
        "id_number": item.id_number,
        "domain": item.domain.value if item.domain else None,
        "due": _iso(item.due),
        "last_visit": _iso(item.last_visit),
        "days_overdue": item.days_overdue,
        "case": item.case,
        "stage": item.stage.value if item.stage else None,
        "since": _iso(item.since),
        "worker": item.worker,
        "assistance": [k.value for k in item.assistance],
    }


def _detail(item: WorkItem) -> str:
    if item.case:
        stage = item.stage.value if item.stage else ""
        return f"{item.case} {stage} since {_iso(item.since)} ({item.worker})"
    if item.assistance:
        return "may qualify: " + ", ".join(k.value for k in item.assistance)
    if item.last_visit:
        return f"last visit {item.last_visit.isoformat()}"
    return "never visited" if item.due else ""


def cmd_worklist(args: argparse.Namespace) -> int:
    loaded = load_source(args)
    on = args.on or today()
    result = worklist(loaded.programme, loaded.profile.at(on), args.station, on)
    if args.format == "json":
        print(
            to_json(
                {
                    "programme": loaded.programme.id,
                    "station": result.station,
                    "as_of": on.isoformat(),
                    "items": [_item_json(i) for i in result.items],
                }
            )
        )
        return EXIT_OK
    columns = [
        "priority",
        "kind",
        "beneficiary",
        "name",
        "id_number",
        "category",
        "due",
        "overdue",
        "detail",
    ]
    rows = [
        [
            "" if i.priority == UNRANKED else str(i.priority),
            i.kind.value,
            i.beneficiary,
            i.name,
            i.id_number,
            i.category or "",
            _iso(i.due) or "",
            f"{i.days_overdue} d" if i.days_overdue else "",
            _detail(i),
        ]
        for i in result.items
    ]
    title = f"{loaded.programme.id}: work list of {result.station} on {on.isoformat()}"
    if rows:
        print_table(title, columns, rows)
    else:
        print(f"{title}: nothing due")
    return EXIT_OK


# --- stats -----------------------------------------------------------------------------------


def tally_json(t: Tally) -> dict[str, Any]:
    """A tally as stable JSON: counts as integers, hours and money as exact strings."""
    return {
        "people": t.people,
        "people_by_category": t.people_by_category(),
        "participants": t.participants,
        "records": t.records,
        "service_hours": _number(t.hours),
        "by_method": {
            m.value: n for m, n in sorted(t.by_method.items(), key=lambda kv: kv[0].value)
        },
        "by_service": dict(sorted(t.by_service.items())),
        "cases": {"opened": t.cases_opened, "closed": t.cases_closed, "reopened": t.cases_reopened},
        "visits": {"done": t.visits_done, "due": t.visits_due},
        "referrals": {s.value: t.referrals.get(s, 0) for s in ReferralStatus},
        "volunteers": t.volunteers,
        "volunteer_hours": _number(t.volunteer_hours),
        "administrative": {
            "records": t.administrative_records,
            "hours": _number(t.administrative_hours),
        },
        "linkage": {
            "organisations": {
                s.value: n for s, n in sorted(t.organisations.items(), key=lambda kv: kv[0].value)
            },
            "resources_money": f"{t.resources_money.quantize(FEN)}",
            "resources_in_kind": t.resources_in_kind,
            "meetings": t.meetings,
            "meeting_participants": t.meeting_participants,
            "training_hours": _number(t.training_hours),
            "publicity": {
                m.value: n for m, n in sorted(t.publicity.items(), key=lambda kv: kv[0].value)
            },
        },
    }


def _row(label: list[str], t: Tally) -> list[str]:
    referrals = ", ".join(
        f"{s.value} {n}" for s, n in sorted(t.referrals.items(), key=lambda kv: kv[0].value)
    )
    return [
        *label,
        str(t.people),
        str(t.participants),
        str(t.records),
        _number(t.hours),
        f"{t.visits_done}/{t.visits_due}",
        f"{t.cases_opened}/{t.cases_closed}",
        referrals,
        _number(t.volunteer_hours),
        str(t.administrative_records),
    ]


def cmd_stats(args: argparse.Namespace) -> int:
    on = args.on or today()
    ledger: Counts | None = None
    if args.db:  # the database counts the ledger; only the rest of the programme is loaded
        loaded, ledger = load_counted(args, RecordQuery(station=args.station, year=args.year), on)
    else:
        loaded = load_source(args)
    programme = loaded.programme
    if args.station is not None:
        programme.station(args.station)  # NotFound: exit 2 with the known ids
    counts: Counts = count_programme(programme, loaded.profile.at(on), on, ledger=ledger).select(
        station=args.station, year=args.year
    )
    total = counts.total()
    if args.format == "json":
        print(
            to_json(
                {
                    "programme": programme.id,
                    "as_of": on.isoformat(),
                    "station": args.station,
                    "year": args.year,
                    "counts": [
                        {
                            "station": k.station,
                            "year": k.year,
                            "domain": k.domain.value,
                            **tally_json(counts.cells[k]),
                        }
                        for k in counts.sorted_keys()
                    ],
                    "total": tally_json(total),
                }
            )
        )
        return EXIT_OK
    columns = [
        "station",
        "year",
        "domain",
        "people",
        "others",
        "records",
        "hours",
        "visits done/due",
        "cases opened/closed",
        "referrals",
        "volunteer h",
        "admin",
    ]
    rows = [
        _row([k.station, str(k.year), k.domain.value], counts.cells[k])
        for k in counts.sorted_keys()
    ]
    rows.append(_row(["total", "", ""], total))
    print_table(f"{programme.id}: counts as of {on.isoformat()}", columns, rows)
    by_category = ", ".join(f"{c} {n}" for c, n in total.people_by_category().items())
    if by_category:
        print(f"people by category: {by_category}")
    linkage = tally_json(total)["linkage"]
    parts = [
        "organisations "
        + (", ".join(f"{k} {v}" for k, v in linkage["organisations"].items()) or "0"),
        f"resources {linkage['resources_money']} yuan and {linkage['resources_in_kind']} in kind",
        f"meetings {linkage['meetings']} ({linkage['meeting_participants']} people)",
        f"training {linkage['training_hours']} person-hours",
        "publicity " + (", ".join(f"{k} {v}" for k, v in linkage["publicity"].items()) or "0"),
    ]
    print("linkage: " + "; ".join(parts))
    return EXIT_OK


def add_commands(add: AddCommand) -> None:
    """Add ``worklist`` and ``stats`` through the command line's ``add(name, help, formats)``."""
    p = add(
        "worklist",
        "a station's overdue and due-soon visits, open cases and people to reach, "
        "most vulnerable first",
        ["table", "json"],
    )
    add_source(p)
    p.add_argument("--station", required=True, metavar="ID", help="the station's id")
    p.add_argument("--on", type=date_arg, help="the day of the work list (default: today)")
    p.set_defaults(run=cmd_worklist)

    p = add("stats", "the casework counts per station, contract year and domain", ["table", "json"])
    add_source(p)
    p.add_argument("--station", metavar="ID", help="only this station")
    p.add_argument("--year", type=year_arg, metavar="N", help="only this contract year")
    p.add_argument("--on", type=date_arg, help="count up to this day (default: today)")
    p.set_defaults(run=cmd_stats)
