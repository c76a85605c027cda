"""The disbursement schedule (PAY-1) and how evaluations gate it (PERF-3).

Per station-year the contract value (province + city + district, i.e. the profile's co-funding
levels) is split into the profile's tranches by largest remainder, exact to the fen. Each
tranche's status on a day follows ``programme-format.md``:

- ``released``: its milestone happened on or before that day (contract signed; a mid-term
  evaluation that passed or must be corrected; a final evaluation that passed);
- ``held``: an evaluation said ``suspend``: every tranche not yet released is held for the rest
  of the contract year (PERF-3: suspend holds all later tranches; the next year's contract
  starts afresh); or a final evaluation said ``correct``: the final tranche is held until a
  later final evaluation passes;
- ``cancelled``: an evaluation said ``stop``: every tranche not yet released is cancelled;
- ``pending``: none of the above yet.

Events are taken in date order; on one day the signing comes first, then mid-term before final
evaluations, then file order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import attrs

from sgz_core.enums import EvaluationKind, Milestone, Outcome, TrancheStatus
from sgz_core.model import ContractYear, Evaluation, Money, Programme, Station
from sgz_core.money import allocate
from sgz_core.profiles import Policy, Profile


@attrs.frozen
class Tranche:
    """One tranche of one station-year, with its status on the day asked about."""

    station: str
    year: int
    milestone: Milestone
    share: Decimal
    amount: Money
    status: TrancheStatus
    date: dt.date | None
    """Release day if released; day of the evaluation that held or cancelled it; else None."""


@attrs.frozen
class TrancheReleased:
    """Event: a tranche was released on ``date`` (PAY-1)."""

    station: str
    year: int
    milestone: Milestone
    amount: Money
    date: dt.date


_KIND_ORDER = {EvaluationKind.MID_TERM: 0, EvaluationKind.FINAL: 1}


def evaluations_in_order(year: ContractYear, on: dt.date) -> list[Evaluation]:
    """The year's evaluations up to ``on``, in the order the schedule takes them."""
    indexed = [(e.date, _KIND_ORDER[e.kind], i, e) for i, e in enumerate(year.evaluations)]
    return [e for d, _, _, e in sorted(indexed, key=lambda t: t[:3]) if d <= on]


def year_tranches(
    station: Station, year: ContractYear, policy: Policy, on: dt.date
) -> list[Tranche]:
    """The tranches of one station-year and their status on ``on``."""
    specs = policy.tranches
    value = year.contract_value(policy.cofunding_levels)
    amounts = allocate(value, [s.share for s in specs])
    status = [TrancheStatus.PENDING] * len(specs)
    dates: list[dt.date | None] = [None] * len(specs)

    def set_open(milestones: set[Milestone] | None, to: TrancheStatus, day: dt.date) -> None:
        for i, spec in enumerate(specs):
            if status[i] is TrancheStatus.RELEASED:
                continue
            if milestones is None or spec.milestone in milestones:
                status[i], dates[i] = to, day

    def release(milestone: Milestone, day: dt.date) -> None:
        for i, spec in enumerate(specs):
            if spec.milestone is milestone and status[i] is not TrancheStatus.RELEASED:
                status[i], dates[i] = TrancheStatus.RELEASED, day

    timeline: list[tuple[dt.date, int, Evaluation | None]] = []
    if year.signed is not None and year.signed <= on:
        timeline.append((year.signed, -1, None))
    timeline += [(e.date, i, e) for i, e in enumerate(evaluations_in_order(year, on))]
    timeline.sort(key=lambda t: (t[0], t[1]))

    suspended = False
    for day, _, evaluation in timeline:
        if evaluation is None:
            if suspended:
                set_open({Milestone.CONTRACT_SIGNED}, TrancheStatus.HELD, day)
            else:
                release(Milestone.CONTRACT_SIGNED, day)
            continue
        outcome = evaluation.effective_outcome(policy.evaluation_pass_mark)
        if outcome is Outcome.STOP:
            set_open(None, TrancheStatus.CANCELLED, day)
            break
        if suspended:
            continue  # held for the rest of the year; only a stop changes that
        if outcome is Outcome.SUSPEND:
            suspended = True
            set_open(None, TrancheStatus.HELD, day)
        elif evaluation.kind is EvaluationKind.MID_TERM:
            release(Milestone.MID_TERM, day)
        elif outcome is Outcome.PASS:
            release(Milestone.FINAL, day)
        else:
            set_open({Milestone.FINAL}, TrancheStatus.HELD, day)
    for i, s in enumerate(status):
        if s is TrancheStatus.PENDING:
            dates[i] = None
    return [
        Tranche(
            station.id, year.year, spec.milestone, spec.share, Money(amount), status[i], dates[i]
        )
        for i, (spec, amount) in enumerate(zip(specs, amounts, strict=True))
    ]


def schedule(programme: Programme, profile: Profile, on: dt.date) -> list[Tranche]:
    """Every station-year's tranches, in file order, with their status on ``on``.

    Each year uses the policy in force on the first day of that contract year (PROF-1).
    """
    return list(iter_schedule(programme, profile, on))


def iter_schedule(programme: Programme, profile: Profile, on: dt.date) -> Iterator[Tranche]:
    for station in programme.stations:
        for year in sorted(station.years, key=lambda y: y.year):
            policy = profile.at(programme.year_start(year.year))
            yield from year_tranches(station, year, policy, on)


def releases(tranches: list[Tranche]) -> list[TrancheReleased]:
    """The release events among ``tranches``, in date order (for notifiers and audit, AUD-1)."""
    events = [
        TrancheReleased(t.station, t.year, t.milestone, t.amount, t.date)
        for t in tranches
        if t.status is TrancheStatus.RELEASED and t.date is not None
    ]
    return sorted(events, key=lambda e: e.date)


__all__ = [
    "Tranche",
    "TrancheReleased",
    "evaluations_in_order",
    "iter_schedule",
    "releases",
    "schedule",
    "year_tranches",
]
