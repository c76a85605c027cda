"""What the use cases of sgz return: one frozen value per kind of answer (check, schedule …).

The service layer (``sgz_adapters.service``) makes them; reporters render them. Each has a
``kind`` (``"check"``, ``"schedule"`` …) by which a reporter says what it can render.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

import attrs

from sgz_core.enums import (
    FundingSource,
    Milestone,
    Outcome,
    PaymentOutcome,
    Severity,
    TrancheStatus,
)
from sgz_core.findings import Finding, summarise

if TYPE_CHECKING:
    # Only annotations name these: a file check imports none of the audit, casework, ledger,
    # scoring or planner types (issue 12: start-up). ``typing.get_type_hints`` of a result
    # therefore needs them imported first.
    from sgz_core.audit import AuditEntry, Verdict
    from sgz_core.casework.counting import Counts
    from sgz_core.casework.worklist import WorkItem
    from sgz_core.disbursement import Tranche
    from sgz_core.fund_ledger import Amounts, StationYearLedger
    from sgz_core.model import Evaluation, Programme
    from sgz_core.payments import Adjustment, Payment, Totals
    from sgz_core.performance.scoring import Scorecard
    from sgz_core.planner import Comparison, Plan
    from sgz_core.ports import Report
    from sgz_core.profiles import Profile


@attrs.frozen
class CheckResult:
    """Every finding about a programme on a day (sgz's rules and the plugins')."""

    kind: ClassVar[str] = "check"
    programme: Programme
    profile: Profile
    as_of: dt.date
    findings: tuple[Finding, ...]

    @property
    def summary(self) -> dict[str, int]:
        """Counts by severity, every severity present (``{"error": 0, ...}``)."""
        return summarise(list(self.findings))

    @property
    def has_errors(self) -> bool:
        """Whether an error-level finding was raised (the command line exits 1)."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    def report(self) -> Report:
        """The findings as a :class:`~sgz_core.ports.Report`, for reporters that know only it."""
        title = f"{self.programme.name} ({self.programme.id})"
        from sgz_core.ports import Report

        return Report(self.programme.id, title, self.as_of, self.findings)


@attrs.frozen
class ScheduleResult:
    """The disbursement tranches of every station-year and their status on a day (PAY-1)."""

    kind: ClassVar[str] = "schedule"
    programme: Programme
    """The programme; read from a database it is its money part
    (:func:`sgz_core.storage.money_part`: no service ledger, staff, premises, expenses …; the
    tranches use none of it, and a district's ledger is millions of records, issue 11)."""
    profile: Profile
    as_of: dt.date
    tranches: tuple[Tranche, ...]
    """Every tranche; one with a payment recorded on or before ``as_of`` is ``paid`` at the
    recorded amount (:func:`sgz_core.payments.apply_payments`)."""
    payments: tuple[Payment, ...] = ()
    """The payments counted on ``as_of`` (a stored programme's; none for a file)."""
    totals: tuple[Totals, ...] = ()
    """Per station-year, per station, per contract year and for the programme (the last)."""
    adjustments: tuple[Adjustment, ...] = ()
    """Recorded payments whose amount differs from today's computed one (PAY-1)."""

    def payment_of(self, tranche: Tranche) -> Payment | None:
        """The payment that made ``tranche`` paid, if any."""
        if tranche.status is not TrancheStatus.PAID:
            return None
        key = (tranche.station, tranche.year, tranche.milestone)
        return next((p for p in self.payments if p.key == key), None)

    def report(self) -> Report:
        title = f"{self.programme.id}: disbursement"
        from sgz_core.ports import Report

        return Report(self.programme.id, title, self.as_of, (), self.tranches)


@attrs.frozen
class Plaque:
    """One plaque a station must show (SIGN-1, SIGN-2) and whether its text is shown."""

    station: str
    street: str
    rule: str
    text: str
    shown: bool


@attrs.frozen
class PlaquesResult:
    """The plaque texts each station must show under the profile in force on a day."""

    kind: ClassVar[str] = "plaques"
    programme: Programme
    profile: Profile
    as_of: dt.date
    logo_required: bool
    plaques: tuple[Plaque, ...]


@attrs.frozen
class WorklistResult:
    """A station's work list on a day, most vulnerable first (ID numbers masked, PII-1)."""

    kind: ClassVar[str] = "worklist"
    programme: Programme
    profile: Profile
    as_of: dt.date
    station: str
    items: tuple[WorkItem, ...]


@attrs.frozen
class StatsResult:
    """Casework counts per station, contract year and domain up to a day, maybe narrowed."""

    kind: ClassVar[str] = "stats"
    programme: Programme
    profile: Profile
    as_of: dt.date
    station: str | None
    year: int | None
    counts: Counts


@attrs.frozen
class Recorded:
    """What an evaluation records against what sgz computes (PERF-3: a difference needs a reason).

    ``computed`` is the scorecard's score, or ``None`` when the evaluation carries no assessed
    results (a bare score, which then stands, as PERF-3 reads it); ``proposed`` is the outcome
    the computed score proposes (for a bare score: the outcome the recorded score proposes).
    """

    score: Decimal | None
    computed: Decimal | None
    outcome: Outcome | None
    proposed: Outcome
    reason: str | None

    @property
    def score_differs(self) -> bool:
        return self.score is not None and self.computed is not None and self.score != self.computed

    @property
    def outcome_differs(self) -> bool:
        return self.outcome is not None and self.outcome is not self.proposed

    @property
    def reason_missing(self) -> bool:
        """A recorded score or outcome differs and no ``reason`` says why."""
        return (self.score_differs or self.outcome_differs) and not self.reason


@attrs.frozen
class EvaluateResult:
    """A station-year's scorecard on a day (``sgz evaluate``), and what its evaluation records."""

    kind: ClassVar[str] = "evaluate"
    programme: Programme
    profile: Profile
    as_of: dt.date
    scorecard: Scorecard
    recorded: Recorded | None
    """None when no evaluation is scored (measured indicators on ``as_of`` only)."""


@attrs.frozen
class ProfileResult:
    """A policy profile with every parameter and every dated value."""

    kind: ClassVar[str] = "profile"
    profile: Profile


@attrs.frozen
class PlanResult:
    """A budget plan (``sgz plan``): what each level budgets per contract year for N stations,
    the tranches' cash flow month by month and, with a second profile, what the change costs."""

    kind: ClassVar[str] = "plan"
    profile: Profile
    plan: Plan
    vs: Profile | None = None
    comparison: Comparison | None = None
    """``vs``'s plan against ``plan`` (``vs − profile``); None without ``vs``."""


@attrs.frozen
class ImportResult:
    """A programme stored in a database."""

    kind: ClassVar[str] = "import"
    programme: str
    db: str
    replaced: bool
    source: str


@attrs.frozen
class ExportResult:
    """A stored programme written as a programme file."""

    kind: ClassVar[str] = "export"
    programme: str
    db: str
    to: str


@attrs.frozen
class LedgerResult:
    """The fund ledgers of the station-years asked for, on a day (FUND-6, FUND-7, FUND-8)."""

    kind: ClassVar[str] = "ledger"
    programme: Programme
    profile: Profile
    as_of: dt.date
    ledgers: tuple[StationYearLedger, ...]
    station: str | None = None
    """The station asked for (``None``: every station)."""
    year: int | None = None
    """The contract year asked for (``None``: every year)."""

    @property
    def funds(self) -> dict[FundingSource, Amounts]:
        """Each source summed over the ledgers."""
        from sgz_core.fund_ledger import by_source

        return by_source(self.ledgers)

    @property
    def total(self) -> Amounts:
        """Every fund of every ledger summed."""
        from sgz_core.fund_ledger import totals

        return totals(ledger.total for ledger in self.ledgers)


@attrs.frozen
class PayResult:
    """What a request to pay a tranche came to (``sgz pay``, PAY-1).

    ``outcome`` is ``recorded`` (``payment`` is the one stored now), ``already_paid``
    (``payment`` is the one recorded before; nothing new) or ``refused`` (``reason`` is the
    tranche's status: pending, held or cancelled; ``evaluation`` the one that held or
    cancelled it). ``tranche`` is the tranche as computed from the programme on ``as_of``.
    """

    kind: ClassVar[str] = "pay"
    programme: str
    db: str
    as_of: dt.date
    station: str
    year: int
    milestone: Milestone
    outcome: PaymentOutcome
    tranche: Tranche
    message_zh: str
    message_en: str
    payment: Payment | None = None
    reason: TrancheStatus | None = None
    evaluation: Evaluation | None = None

    @property
    def refused(self) -> bool:
        """Whether nothing was paid because the tranche is not due (the command exits 1)."""
        return self.outcome is PaymentOutcome.REFUSED

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


@attrs.frozen
class AuditLogResult:
    """The audit trail's entries (``sgz audit log``, AUD-1), of a programme or station if asked."""

    kind: ClassVar[str] = "audit_log"
    db: str
    entries: tuple[AuditEntry, ...]
    programme: str | None = None
    station: str | None = None


@attrs.frozen
class AuditVerifyResult:
    """Whether the stored audit trail is whole (``sgz audit verify``, AUD-1): the
    :class:`~sgz_core.audit.Verdict` over every entry, against the stored head."""

    kind: ClassVar[str] = "audit_verify"
    db: str
    verdict: Verdict

    @property
    def whole(self) -> bool:
        """Whether the chain is whole (the command exits 0; else 1)."""
        return self.verdict.whole


KINDS: tuple[str, ...] = (
    "check",
    "schedule",
    "plaques",
    "worklist",
    "stats",
    "evaluate",
    "plan",
    "ledger",
    "profile",
    "import",
    "export",
    "rules",
    "plugins",
    "pay",
    "audit_log",
    "audit_verify",
)
"""Every result kind sgz's commands produce (``rules`` and ``plugins`` are the adapters')."""

__all__ = [
    "KINDS",
    "AuditLogResult",
    "AuditVerifyResult",
    "CheckResult",
    "EvaluateResult",
    "ExportResult",
    "ImportResult",
    "LedgerResult",
    "PayResult",
    "PlanResult",
    "Plaque",
    "PlaquesResult",
    "ProfileResult",
    "Recorded",
    "ScheduleResult",
    "StatsResult",
    "WorklistResult",
]
