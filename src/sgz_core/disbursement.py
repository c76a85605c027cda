"""The disbursement schedule (PAY-1) and how evaluations gate it (PERF-3).

Per station-year the contract value (province + city + district, i.e. the profile's co-funding
levels) is split into the profile's tranches by largest remainder, exact to the fen. Each
tranche's status on a day follows ``programme-format.md``:

- ``released``: its milestone happened on or before that day (contract signed; a mid-term
  evaluation that passed or must be corrected; a final evaluation that passed);
- ``held``: an evaluation said ``suspend``: every tranche not yet released is held until the
  suspension is lifted: a later evaluation of the year passes, on or after the day the last
  corrective action the suspension created (``actions`` naming its date) was closed; from that
  day every held tranche whose milestone has happened is released (decisions 2026-12-01 #1).
  Or an evaluation said ``correct``: the final tranche (and, where the profile's
  ``mid_term_correct_holds`` says so, the mid-term one) is held until a later evaluation of
  that kind passes;
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
from sgz_core.model import ContractYear, CorrectiveAction, Evaluation, Money, Programme, Station
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
    happened: dict[Milestone, dt.date] = {}
    """Milestones that happened, with the day (during a suspension too: released on lifting)."""
    corrected: dict[Milestone, dt.date] = {}
    """Milestones held by a ``correct`` until a later evaluation of that kind passes."""

    def hold(milestones: set[Milestone] | None, day: dt.date) -> None:
        for i, spec in enumerate(specs):
            if status[i] is TrancheStatus.DUE:
                continue
            if milestones is None or spec.milestone in milestones:
                status[i], dates[i] = TrancheStatus.HELD, day

    def release(milestone: Milestone, day: dt.date) -> None:
        corrected.pop(milestone, None)
        for i, spec in enumerate(specs):
            if spec.milestone is milestone and status[i] is not TrancheStatus.DUE:
                status[i], dates[i] = TrancheStatus.DUE, day

    def lift(day: dt.date) -> None:
        for i, spec in enumerate(specs):
            if status[i] is TrancheStatus.DUE:
                continue
            if spec.milestone in happened and spec.milestone not in corrected:
                status[i], dates[i] = TrancheStatus.DUE, day
            elif spec.milestone in corrected:
                status[i], dates[i] = TrancheStatus.HELD, corrected[spec.milestone]
            else:
                status[i], dates[i] = TrancheStatus.PENDING, None

    timeline: list[tuple[dt.date, int, Evaluation | None]] = []
    if year.signed is not None and year.signed <= on:
        timeline.append((year.signed, -1, None))
    timeline += [(e.date, i, e) for i, e in enumerate(evaluations_in_order(year, on))]
    timeline.sort(key=lambda t: (t[0], t[1]))

    suspensions: list[Evaluation] = []
    for day, _, evaluation in timeline:
        if evaluation is None:
            happened[Milestone.CONTRACT_SIGNED] = day
            if suspensions:
                hold({Milestone.CONTRACT_SIGNED}, day)
            else:
                release(Milestone.CONTRACT_SIGNED, day)
            continue
        outcome = evaluation.effective_outcome(policy.evaluation_pass_mark)
        if outcome is Outcome.STOP:
            for i in range(len(specs)):
                if status[i] is not TrancheStatus.DUE:
                    status[i], dates[i] = TrancheStatus.CANCELLED, day
            break
        if outcome is Outcome.SUSPEND:
            suspensions.append(evaluation)
            hold(None, day)
            continue
        milestone = Milestone.MID_TERM if evaluation.kind is EvaluationKind.MID_TERM else None
        if evaluation.kind is EvaluationKind.FINAL and outcome is Outcome.PASS:
            milestone = Milestone.FINAL
        holds_mid = outcome is Outcome.CORRECT and policy.mid_term_correct_holds
        releases_milestone = outcome is Outcome.PASS or not holds_mid
        if milestone is not None and releases_milestone:
            happened.setdefault(milestone, day)
        if suspensions:
            if outcome is Outcome.PASS and milestone is not None:
                corrected.pop(milestone, None)  # a later one of its kind passed: remembered
            if outcome is Outcome.PASS and suspension_lifted(year, suspensions, day):
                suspensions = []
                lift(day)
            elif outcome is Outcome.CORRECT and evaluation.kind is EvaluationKind.FINAL:
                corrected.setdefault(Milestone.FINAL, day)
            elif holds_mid and evaluation.kind is EvaluationKind.MID_TERM:
                corrected.setdefault(Milestone.MID_TERM, day)
            continue
        if evaluation.kind is EvaluationKind.MID_TERM:
            if holds_mid:
                corrected.setdefault(Milestone.MID_TERM, day)
                hold({Milestone.MID_TERM}, day)
            else:
                release(Milestone.MID_TERM, day)
        elif outcome is Outcome.PASS:
            release(Milestone.FINAL, day)
        else:
            corrected.setdefault(Milestone.FINAL, day)
            hold({Milestone.FINAL}, day)
    for i, s in enumerate(status):
        if s is TrancheStatus.PENDING:
            dates[i] = None
    return [
        Tranche(
            station.id, year.year, spec.milestone, spec.share, Money(amount), status[i], dates[i]
        )
        for i, (spec, amount) in enumerate(zip(specs, amounts, strict=True))
    ]


def actions_of(year: ContractYear, evaluation: Evaluation) -> list[CorrectiveAction]:
    """The corrective actions the year's file records for ``evaluation`` (by its date)."""
    return [a for a in year.actions if a.evaluation == evaluation.date]


def suspension_lifted(year: ContractYear, suspensions: list[Evaluation], day: dt.date) -> bool:
    """Whether a passing evaluation on ``day`` lifts the suspensions: every corrective action they
    created is closed on or before that day (decisions 2026-12-01 #1)."""
    return all(a.closed_by(day) for s in suspensions for a in actions_of(year, s))


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
        if t.status is TrancheStatus.DUE and t.date is not None
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
