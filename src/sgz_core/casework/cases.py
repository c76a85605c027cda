"""Cases (个案) and the standard process as a state machine (DOM-1 … DOM-3, DOM-5).

::

    screening → intake → assessment → plan → services → review → closed
                             ↑          ↑        ↑         │        │
                             │          └────────┴─────────┘        │
                             └────────────── reopened ──────────────┘

Screening (对象排查) and intake (接案) may open a case. Assessment (调查评估) includes the needs
analysis (需求分析). From a review the work goes back to services or to a new plan, or the case
closes. A case may close from assessment, plan, services or review, but never before it has
been assessed. A closed case takes no services; it can only be reopened, which starts with a
new assessment. Every other move is impossible and raises :class:`ImpossibleMove`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from sgz_core.casework._fields import problem, tuple_of
from sgz_core.casework.vocabulary import CaseStage
from sgz_core.enums import ServiceDomain
from sgz_core.errors import InvalidInput, Problem
from sgz_core.values import to_date, to_enum

S = CaseStage

OPENING_STAGES: tuple[CaseStage, ...] = (S.SCREENING, S.INTAKE)
"""The stages a case may start in."""

MOVES: Mapping[CaseStage, tuple[CaseStage, ...]] = {
    S.SCREENING: (S.INTAKE,),
    S.INTAKE: (S.ASSESSMENT,),
    S.ASSESSMENT: (S.PLAN, S.CLOSED),
    S.PLAN: (S.SERVICES, S.CLOSED),
    S.SERVICES: (S.REVIEW, S.CLOSED),
    S.REVIEW: (S.SERVICES, S.PLAN, S.CLOSED),
    S.CLOSED: (S.ASSESSMENT,),
}
"""Every possible move: from a stage to the stages that may follow it."""


class ImpossibleMove(InvalidInput):
    """A stage change the casework process does not allow (no closure before assessment …)."""

    def __init__(
        self, case: str, current: CaseStage | None, wanted: CaseStage, path: str = "stage"
    ) -> None:
        self.case = case
        self.current = current
        self.wanted = wanted
        if current is None:
            allowed = OPENING_STAGES
            what = f"case {case!r} cannot open at {wanted.value}"
        else:
            allowed = MOVES[current]
            what = f"case {case!r} cannot move from {current.value} to {wanted.value}"
        why = ""
        if wanted is S.CLOSED and current is not None:
            why = "; a case is never closed before it has been assessed"
        elif wanted is S.SERVICES and current is S.CLOSED:
            why = "; a closed case takes no services (reopen it with a new assessment)"
        super().__init__(
            [Problem(path, f"{what}{why}; expected one of {' | '.join(s.value for s in allowed)}")]
        )


def _stage_change_stage(value: object) -> CaseStage:
    return value if type(value) is CaseStage else to_enum(CaseStage, value, "stage")


def _stage_change_date(value: object) -> dt.date:
    return value if type(value) is dt.date else to_date(value, "date")


@attrs.frozen
class StageChange:
    """One step of a case's history: the stage entered, on which day, by whom."""

    stage: CaseStage = attrs.field(converter=_stage_change_stage)
    date: dt.date = attrs.field(converter=_stage_change_date)
    worker: str = ""
    """The staff member who made the change (a name of the station's staff); absent: the case's worker."""
    note: str = ""
    needs: tuple[str, ...] = attrs.field(default=(), converter=tuple_of)
    """The needs found (需求分析); only at an assessment."""


def _history(changes: tuple[StageChange, ...], case_id: str) -> None:
    """Raise :class:`ImpossibleMove` (or a date problem) for the first step that cannot be."""
    if not changes:
        raise InvalidInput(
            [Problem("history", "expected at least one stage change (screening or intake)")]
        )
    previous: StageChange | None = None
    for i, change in enumerate(changes):
        path = f"history[{i}]"
        allowed = OPENING_STAGES if previous is None else MOVES[previous.stage]
        if change.stage not in allowed:
            raise ImpossibleMove(
                case_id, previous.stage if previous else None, change.stage, f"{path}.stage"
            )
        if change.needs and change.stage is not S.ASSESSMENT:
            raise problem(f"{path}.needs", "needs are recorded at an assessment (需求分析) only")
        if previous is not None and change.date < previous.date:
            raise problem(
                f"{path}.date",
                f"expected a day on or after the previous change ({previous.date.isoformat()}), got {change.date.isoformat()}",
            )
        previous = change


def _case_domain(value: object) -> ServiceDomain:
    return value if type(value) is ServiceDomain else to_enum(ServiceDomain, value, "domain")


@attrs.frozen
class Case:
    """A case: one beneficiary, one domain, the responsible worker, and the history of its stages.

    Build one with :meth:`new` and move it with :meth:`move`; a history read from a file is
    checked the same way, so an impossible move there is invalid input with its key path.
    """

    id: str
    station: str
    beneficiary: str
    """A beneficiary id."""
    domain: ServiceDomain = attrs.field(converter=_case_domain)
    worker: str
    """The responsible social worker (a name of the station's staff)."""
    history: tuple[StageChange, ...] = attrs.field(converter=tuple_of)

    def __attrs_post_init__(self) -> None:
        _history(self.history, self.id)

    @classmethod
    def new(
        cls,
        case_id: str,
        station: str,
        beneficiary: str,
        domain: ServiceDomain,
        worker: str,
        on: dt.date,
        stage: CaseStage = S.SCREENING,
        note: str = "",
    ) -> Case:
        """A new case at ``stage`` (screening or intake) on ``on``."""
        if stage not in OPENING_STAGES:
            raise ImpossibleMove(case_id, None, stage)
        return cls(
            case_id, station, beneficiary, domain, worker, (StageChange(stage, on, worker, note),)
        )

    def move(
        self,
        stage: CaseStage,
        on: dt.date,
        *,
        worker: str = "",
        note: str = "",
        needs: tuple[str, ...] = (),
    ) -> Case:
        """This case moved to ``stage`` on ``on``; :class:`ImpossibleMove` if the process forbids it."""
        if stage not in MOVES[self.stage]:
            raise ImpossibleMove(self.id, self.stage, stage)
        if on < self.history[-1].date:
            raise InvalidInput(
                f"case {self.id!r}: a stage change on {on.isoformat()} comes before the last one "
                f"({self.history[-1].date.isoformat()})"
            )
        return attrs.evolve(
            self, history=(*self.history, StageChange(stage, on, worker, note, needs))
        )

    def can_move(self, stage: CaseStage) -> bool:
        return stage in MOVES[self.stage]

    @property
    def stage(self) -> CaseStage:
        """The current stage."""
        return self.history[-1].stage

    @property
    def opened(self) -> dt.date:
        return self.history[0].date

    @property
    def closed(self) -> dt.date | None:
        """The day the case closed, if it is closed now."""
        last = self.history[-1]
        return last.date if last.stage is S.CLOSED else None

    @property
    def assessed(self) -> bool:
        return any(c.stage is S.ASSESSMENT for c in self.history)

    @property
    def needs(self) -> tuple[str, ...]:
        """The needs found at the latest assessment."""
        for change in reversed(self.history):
            if change.stage is S.ASSESSMENT:
                return change.needs
        return ()

    def stage_on(self, day: dt.date) -> CaseStage | None:
        """The stage on ``day`` (the last change on or before it); ``None`` before the case opened."""
        found = None
        for change in self.history:
            if change.date > day:
                break
            found = change.stage
        return found

    def open_on(self, day: dt.date) -> bool:
        stage = self.stage_on(day)
        return stage is not None and stage is not S.CLOSED

    def takes_services_on(self, day: dt.date) -> bool:
        """Open on ``day``, or closed that very day (the closing session is a service)."""
        if self.open_on(day):
            return True
        return any(c.stage is S.CLOSED and c.date == day for c in self.history)

    def since(self) -> dt.date:
        """The day the current stage was entered."""
        return self.history[-1].date


__all__ = [
    "MOVES",
    "OPENING_STAGES",
    "Case",
    "ImpossibleMove",
    "StageChange",
]
