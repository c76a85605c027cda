"""Recorded payments (PAY-1): what was actually paid, and what a schedule looks like with it.

The schedule of :mod:`sgz_core.disbursement` is computed from the programme on every call, so
its amounts follow the funding as it is now. A :class:`Payment` is different: it records that a
tranche was paid, on which day, by whom and for how much, and that amount never changes again.

- :func:`decide` answers a request to pay a tranche on a day: pay it (the amount frozen at the
  tranche's amount that day), it is already paid (idempotent: when and by whom), or refused with
  the reason (pending: its milestone has not happened; held: by which evaluation; cancelled).
- :func:`apply_payments` lays the recorded payments over a computed schedule: a tranche with a
  payment recorded on or before the day is ``paid`` at the recorded amount, whatever happened
  later; a recorded amount that differs from today's computed one (funding edited later) is an
  :class:`Adjustment`: an adjustment due to the contractor, or an overpayment to recover.
- :func:`totals` sums a schedule per station-year, station, contract year and programme.
- :func:`adjustment_findings` turns the adjustments into PAY-1 findings.

Pure: the clock is read by the caller (``recorded_at``), nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from sgz_core.disbursement import Tranche, year_tranches
from sgz_core.enums import (
    EvaluationKind,
    Milestone,
    Outcome,
    PaymentOutcome,
    Severity,
    TrancheStatus,
)
from sgz_core.errors import InvalidInput, NotFound, SgzError
from sgz_core.findings import Finding
from sgz_core.limits import MAX_KEY_LENGTH
from sgz_core.model import ContractYear, Evaluation, Money, Programme, Station
from sgz_core.money import ZERO, exact, to_money
from sgz_core.profiles import Policy, Profile
from sgz_core.text import Text, refusal
from sgz_core.values import to_date, to_enum

MAX_TEXT = 1000
"""The longest ``by`` or ``reference`` a payment keeps (characters)."""


def _money(value: object) -> Money:
    return Money(to_money(value))


def _milestone(value: object) -> Milestone:
    return to_enum(Milestone, value, "milestone")


def _paid_on(value: object) -> dt.date:
    return to_date(value, "paid_on")


def _text(field: str, value: object, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        if field == "by":
            raise InvalidInput(f"{field}: expected a name, got {value!r}")
        raise InvalidInput(f"{field}: expected a text, got {value!r}")
    if len(value) > MAX_TEXT or "\x00" in value:
        raise InvalidInput(
            f"{field}: expected at most {MAX_TEXT} characters without NUL, got {len(value)}"
        )
    return value


def _by(value: object) -> str:
    text = _text("by", value, required=True)
    assert text is not None
    return text


def _reference(value: object) -> str | None:
    return _text("reference", value, required=False)


def _recorded_at(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.utcoffset() != dt.timedelta(0):
        raise InvalidInput(f"recorded_at: expected a datetime in UTC, got {value!r}")
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _station(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_KEY_LENGTH:
        raise InvalidInput(f"station: expected a station id, got {value!r}")
    return value


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 99:
        raise InvalidInput(f"year: expected a contract year number from 1 to 99, got {value!r}")
    return value


@attrs.frozen
class Payment:
    """A tranche paid: ``amount`` on ``paid_on``, by ``by`` (the officer), with an optional
    ``reference`` (a voucher or transfer number). ``recorded_at`` is when sgz recorded it (UTC,
    to the second), ``None`` before it is stored."""

    station: str = attrs.field(converter=_station)
    year: int = attrs.field(converter=_year)
    milestone: Milestone = attrs.field(converter=_milestone)
    amount: Money = attrs.field(converter=_money)
    paid_on: dt.date = attrs.field(converter=_paid_on)
    by: str = attrs.field(converter=_by)
    reference: str | None = attrs.field(default=None, converter=_reference)
    recorded_at: dt.datetime | None = attrs.field(default=None, converter=_recorded_at)

    @property
    def key(self) -> tuple[str, int, Milestone]:
        """What identifies the tranche paid: a tranche is paid at most once."""
        return (self.station, self.year, self.milestone)

    def same_payment(self, other: Payment) -> bool:
        """Whether ``other`` records the same payment (``recorded_at`` aside)."""
        return attrs.evolve(self, recorded_at=None) == attrs.evolve(other, recorded_at=None)


class AlreadyPaid(SgzError, ValueError):
    """A payment of this tranche is recorded already (:meth:`UnitOfWork.record_payment`)."""

    def __init__(self, payment: Payment) -> None:
        self.payment = payment
        super().__init__(already_paid_text(payment).en)


_MILESTONE_ORDER = {m: i for i, m in enumerate(Milestone)}


def payment_order(payment: Payment) -> tuple[str, int, int]:
    """Sort key: by station, contract year, then milestone in schedule order."""
    return (payment.station, payment.year, _MILESTONE_ORDER[payment.milestone])


# --- messages ------------------------------------------------------------------------------------


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _what(station: str, year: int, milestone: Milestone) -> Text:
    return Text(
        f"站点 {station} 第{year}年“{milestone.zh}”节点",
        f"the '{milestone.en}' tranche of station {station}, year {year}",
    )


def already_paid_text(payment: Payment) -> Text:
    """The answer to paying a tranche paid before: when, by whom, how much (a whole sentence)."""
    what = _what(payment.station, payment.year, payment.milestone)
    ref_zh = f"（凭证 {payment.reference}）" if payment.reference else ""
    ref_en = f" (reference {payment.reference})" if payment.reference else ""
    return Text(
        f"{what.zh}已于{payment.paid_on.isoformat()}由{payment.by}拨付{_yuan(payment.amount)}元"
        f"{ref_zh}，本次未再记录。",
        f"{what.en[0].upper()}{what.en[1:]} was already paid on {payment.paid_on.isoformat()} by "
        f"{payment.by}: {_yuan(payment.amount)} CNY{ref_en}; nothing new was recorded.",
    )


def recorded_text(payment: Payment) -> Text:
    """The answer to paying a due tranche: what was recorded (a whole sentence)."""
    what = _what(payment.station, payment.year, payment.milestone)
    return Text(
        f"已记录{what.zh}于{payment.paid_on.isoformat()}由{payment.by}拨付"
        f"{_yuan(payment.amount)}元。",
        f"Recorded: {what.en} paid on {payment.paid_on.isoformat()} by {payment.by}, "
        f"{_yuan(payment.amount)} CNY.",
    )


_NOT_HAPPENED = {
    Milestone.CONTRACT_SIGNED: Text("合同尚未签订", "the contract is not signed"),
    Milestone.MID_TERM: Text(
        "尚无通过或限期整改的中期评估",
        "no mid-term evaluation has passed or asked for correction",
    ),
    Milestone.FINAL: Text("尚无通过的末期评估", "no final evaluation has passed"),
}


_CORRECTED_BY = {Milestone.MID_TERM: EvaluationKind.MID_TERM, Milestone.FINAL: EvaluationKind.FINAL}
"""The kind of evaluation whose ``correct`` can hold a tranche: a mid-term ``correct`` holds
at most the mid-term tranche, a final one the final tranche, neither the contract tranche."""


def _evaluation_at(
    year: ContractYear,
    day: dt.date | None,
    pass_mark: Decimal,
    outcomes: tuple[Outcome, ...],
    milestone: Milestone | None = None,
) -> Evaluation | None:
    """The evaluation of ``day`` with one of ``outcomes``; else the latest one before it (a
    tranche held on its signing day is held by the suspension still open then). With
    ``milestone``, a ``correct`` counts only where it can hold that milestone's tranche."""
    if day is None:
        return None

    def holds(e: Evaluation) -> bool:
        outcome = e.effective_outcome(pass_mark)
        if outcome not in outcomes:
            return False
        return (
            milestone is None
            or outcome is not Outcome.CORRECT
            or _CORRECTED_BY.get(milestone) is e.kind
        )

    found = [e for e in year.evaluations if e.date <= day and holds(e)]
    same_day = [e for e in found if e.date == day]
    if same_day:
        return same_day[0]
    return max(found, key=lambda e: e.date, default=None)


def _refusal(
    tranche: Tranche, year: ContractYear, pass_mark: Decimal, on: dt.date
) -> tuple[Text, Evaluation | None]:
    what = _what(tranche.station, tranche.year, tranche.milestone)
    amount = _yuan(tranche.amount)
    if tranche.status is TrancheStatus.PENDING:
        why = _NOT_HAPPENED[tranche.milestone]  # every milestone has its reason
        return (
            Text(
                f"{what.zh}的{amount}元截至{on.isoformat()}尚未到拨付节点（{why.zh}），不予拨付。",
                f"{what.en[0].upper()}{what.en[1:]} ({amount} CNY) is not paid: its milestone "
                f"has not happened by {on.isoformat()} ({why.en}).",
            ),
            None,
        )
    if tranche.status is TrancheStatus.HELD:
        e = _evaluation_at(
            year, tranche.date, pass_mark, (Outcome.SUSPEND, Outcome.CORRECT), tranche.milestone
        )
        if e is None:
            by_zh, by_en = f"{tranche.date}的评估结论", f"the evaluation of {tranche.date}"
        else:
            outcome = e.effective_outcome(pass_mark)
            by_zh = f"{e.date.isoformat()}{e.kind.zh}的“{outcome.zh}”结论"
            by_en = f"the {e.kind.en} of {e.date.isoformat()} ({outcome.en})"
        return (
            Text(
                f"{what.zh}的{amount}元因{by_zh}暂缓拨付，不予拨付。",
                f"{what.en[0].upper()}{what.en[1:]} ({amount} CNY) is not paid: it is held by "
                f"{by_en}.",
            ),
            e,
        )
    e = _evaluation_at(year, tranche.date, pass_mark, (Outcome.STOP,))
    day = tranche.date.isoformat() if tranche.date else "?"
    kind_zh = e.kind.zh if e is not None else "评估"
    kind_en = e.kind.en if e is not None else "evaluation"
    return (
        Text(
            f"{what.zh}的{amount}元已因{day}{kind_zh}决定停止执行而取消，不予拨付。",
            f"{what.en[0].upper()}{what.en[1:]} ({amount} CNY) is not paid: it was cancelled "
            f"when the {kind_en} of {day} stopped the project.",
        ),
        e,
    )


# --- deciding a request to pay -------------------------------------------------------------------


@attrs.frozen
class PayDecision:
    """What to do with a request to pay a tranche on a day.

    ``outcome`` is ``recorded`` (record ``payment``: the tranche is due), ``already_paid``
    (``payment`` is the one recorded before) or ``refused`` (``reason`` is the tranche's status:
    pending, held or cancelled; ``evaluation`` the one that held or cancelled it).
    ``tranche`` is the tranche as computed from the programme on that day.
    """

    outcome: PaymentOutcome
    tranche: Tranche
    message: Text
    payment: Payment | None = None
    reason: TrancheStatus | None = None
    evaluation: Evaluation | None = None


def tranche_on(
    programme: Programme,
    profile: Profile,
    station: str,
    year: int,
    milestone: Milestone,
    on: dt.date,
) -> tuple[Tranche, ContractYear, Decimal]:
    """The tranche as computed from the programme on ``on``, its contract year and the pass
    mark that applies; an unknown station or year is :class:`~sgz_core.errors.NotFound`."""
    the_station = programme.station(station)
    contract_year = the_station.year(year)
    policy = profile.at(programme.year_start(year))
    return _tranche(the_station, contract_year, policy, milestone, on)


def _tranche(
    station: Station, contract_year: ContractYear, policy: Policy, milestone: Milestone, on: dt.date
) -> tuple[Tranche, ContractYear, Decimal]:
    for t in year_tranches(station, contract_year, policy, on):
        if t.milestone is milestone:
            return t, contract_year, policy.evaluation_pass_mark
    known = ", ".join(s.milestone.value for s in policy.tranches)
    raise refusal(
        Text(
            f"配置中没有 {milestone.value} 这一期；只有：{known}",
            f"the profile has no {milestone.value} tranche; it has {known}",
        ),
        "tranche",
    )


def _decided(
    tranche: Tranche,
    contract_year: ContractYear,
    pass_mark: Decimal,
    *,
    on: dt.date,
    by: str,
    reference: str | None,
    earlier: Payment | None,
    recorded_at: dt.datetime | None,
) -> PayDecision:
    if earlier is not None:
        return PayDecision(
            PaymentOutcome.ALREADY_PAID, tranche, already_paid_text(earlier), earlier
        )
    if tranche.status is TrancheStatus.DUE:
        payment = Payment(
            tranche.station,
            tranche.year,
            tranche.milestone,
            tranche.amount,
            on,
            by,
            reference,
            recorded_at,
        )
        return PayDecision(PaymentOutcome.RECORDED, tranche, recorded_text(payment), payment)
    _by(by), _reference(reference)  # a bad name is bad input whatever the tranche's status
    message, evaluation = _refusal(tranche, contract_year, pass_mark, on)
    return PayDecision(
        PaymentOutcome.REFUSED, tranche, message, reason=tranche.status, evaluation=evaluation
    )


def decide(
    programme: Programme,
    profile: Profile,
    *,
    station: str,
    year: int,
    milestone: Milestone | str,
    on: dt.date,
    by: str,
    reference: str | None = None,
    payments: Iterable[Payment] = (),
    recorded_at: dt.datetime | None = None,
) -> PayDecision:
    """Whether the tranche may be paid on ``on``, given the payments already recorded.

    A tranche with a recorded payment is ``already_paid`` whatever its status now; a ``due``
    tranche is paid at its amount that day; ``pending``, ``held`` and ``cancelled`` are refused
    with the reason. ``by`` and ``reference`` are checked here, like every field of a payment.
    """
    stone = _milestone(milestone)
    tranche, contract_year, pass_mark = tranche_on(programme, profile, station, year, stone, on)
    earlier = next((p for p in payments if p.key == (station, year, stone)), None)
    return _decided(
        tranche,
        contract_year,
        pass_mark,
        on=on,
        by=by,
        reference=reference,
        earlier=earlier,
        recorded_at=recorded_at,
    )


@attrs.frozen
class PayRequest:
    """One tranche to pay: what ``sgz pay`` asks (:func:`decide_many` decides a run of them)."""

    station: str
    year: int
    tranche: Milestone | str
    on: dt.date
    by: str
    reference: str | None = None


def decide_many(
    programme: Programme,
    profile: Profile,
    requests: Iterable[PayRequest],
    *,
    payments: Iterable[Payment] = (),
    recorded_at: dt.datetime | None = None,
) -> list[PayDecision]:
    """:func:`decide` for each request in turn, as if each decision's payment were recorded
    before the next request (a tranche asked twice in the run is ``already_paid`` the second
    time). The same decisions as one :func:`decide` after another, without looking each
    station up again: a district's 27,000 payments are decided in one pass."""
    stations = {s.id: s for s in programme.stations}
    paid = {p.key: p for p in payments}
    policies: dict[int, Policy] = {}
    asked = list(requests)
    latest: dict[tuple[str, int], dt.date] = {}
    for r in asked:
        day = latest.get((r.station, r.year))
        if day is None or r.on > day:
            latest[(r.station, r.year)] = r.on
    # A tranche due on a day stays due, with the same amount and date, on every later day (a
    # later hold, stop or lifting skips due tranches), so one schedule per station-year at the
    # run's latest day answers each request whose tranche was due by its day; only the others
    # are computed on their own day.
    late: dict[tuple[str, int], list[Tranche]] = {}
    out: list[PayDecision] = []
    for r in asked:
        stone = _milestone(r.tranche)
        the_station = stations.get(r.station)
        if the_station is None:
            raise NotFound("station", r.station, list(stations))
        contract_year = the_station.year(r.year)
        policy = policies.get(r.year)
        if policy is None:
            policy = policies[r.year] = profile.at(programme.year_start(r.year))
        known = late.get((r.station, r.year))
        if known is None:
            day = latest[(r.station, r.year)]
            known = late[(r.station, r.year)] = year_tranches(
                the_station, contract_year, policy, day
            )
        found = next((t for t in known if t.milestone is stone), None)
        if (
            found is not None
            and found.status is TrancheStatus.DUE
            and found.date is not None
            and found.date <= r.on
        ):
            tranche, pass_mark = found, policy.evaluation_pass_mark
        else:
            tranche, _, pass_mark = _tranche(the_station, contract_year, policy, stone, r.on)
        key = (r.station, r.year, stone)
        decision = _decided(
            tranche,
            contract_year,
            pass_mark,
            on=r.on,
            by=r.by,
            reference=r.reference,
            earlier=paid.get(key),
            recorded_at=recorded_at,
        )
        if decision.outcome is PaymentOutcome.RECORDED:
            assert decision.payment is not None
            paid[key] = decision.payment
        out.append(decision)
    return out


# --- a schedule with its payments ------------------------------------------------------------------


@attrs.frozen
class Adjustment:
    """A recorded payment whose amount differs from the tranche's amount computed today.

    ``current`` is zero where the tranche no longer exists (its station or year was removed).
    ``difference`` = current − recorded: more than zero is an adjustment due to the contractor,
    less than zero an overpayment to recover.
    """

    payment: Payment
    current: Money

    @property
    def recorded(self) -> Money:
        return self.payment.amount

    @property
    def difference(self) -> Money:
        return Money(self.current - self.payment.amount)

    @property
    def overpaid(self) -> bool:
        return self.current < self.payment.amount


@attrs.frozen
class Applied:
    """A schedule with the payments recorded on or before its day laid over it."""

    tranches: tuple[Tranche, ...]
    """Every tranche; a paid one has status ``paid``, the recorded amount and the day paid.
    A payment of a tranche the programme no longer has is listed too (share 0)."""
    payments: tuple[Payment, ...]
    """The payments counted (recorded on or before the day), in schedule order."""
    adjustments: tuple[Adjustment, ...]
    computed: tuple[Tranche, ...]
    """The tranches as computed from the programme alone (the amounts it gives today)."""


def apply_payments(
    tranches: Sequence[Tranche], payments: Iterable[Payment], on: dt.date
) -> Applied:
    """``tranches`` (a computed schedule on ``on``) with the payments of ``payments`` recorded
    on or before ``on``: each such tranche is ``paid``, whatever the evaluations since said,
    at the recorded amount. A payment recorded after ``on`` does not count on ``on``."""
    counted = {p.key: p for p in payments if p.paid_on <= on}
    out: list[Tranche] = []
    used: list[Payment] = []
    adjustments: list[Adjustment] = []
    for t in tranches:
        p = counted.pop((t.station, t.year, t.milestone), None)
        if p is None:
            out.append(t)
            continue
        used.append(p)
        out.append(attrs.evolve(t, amount=p.amount, status=TrancheStatus.PAID, date=p.paid_on))
        if p.amount != t.amount:
            adjustments.append(Adjustment(p, t.amount))
    for p in sorted(counted.values(), key=payment_order):  # tranches the programme lost
        used.append(p)
        out.append(
            Tranche(
                p.station,
                p.year,
                p.milestone,
                Decimal("0.00"),
                p.amount,
                TrancheStatus.PAID,
                p.paid_on,
            )
        )
        adjustments.append(Adjustment(p, Money(ZERO)))
    return Applied(tuple(out), tuple(used), tuple(adjustments), tuple(tranches))


@attrs.frozen
class Totals:
    """Sums over a set of tranches, exact to the fen.

    - ``contract_value``: the contract value as computed today (province + city + district
      funding), i.e. the sum of the tranches' computed amounts;
    - ``paid``: the recorded payments; ``due``, ``held``, ``cancelled``, ``pending``: the
      computed amounts of the tranches in that status;
    - ``adjustment``: today's amount minus the recorded one over the paid tranches (more than
      zero: due to the contractor; less: an overpayment to recover);
    - ``outstanding`` = ``contract_value`` − ``paid``: what of the contract value is not paid
      (held and cancelled money and any adjustment included; less than zero when overpaid).

    Always ``paid + adjustment + due + held + cancelled + pending == contract_value``.
    ``station`` / ``year`` are ``None`` for a total over every station / every year.
    """

    station: str | None
    year: int | None
    contract_value: Money
    paid: Money
    due: Money
    held: Money
    cancelled: Money
    pending: Money
    adjustment: Money

    @property
    def outstanding(self) -> Money:
        with exact():
            return Money(self.contract_value - self.paid)


def _sum(
    station: str | None, year: int | None, applied: Sequence[Tranche], computed: Sequence[Tranche]
) -> Totals:
    by_status = {s: ZERO for s in TrancheStatus}
    with exact():  # a sum over station-years has more digits than Decimal's default 28
        for t in applied:
            by_status[t.status] += t.amount
        value = sum((t.amount for t in computed), ZERO)
        adjustment = value - sum(by_status.values(), ZERO)
    m = {s: Money(v) for s, v in by_status.items()}
    return Totals(
        station,
        year,
        Money(value),
        m[TrancheStatus.PAID],
        m[TrancheStatus.DUE],
        m[TrancheStatus.HELD],
        m[TrancheStatus.CANCELLED],
        m[TrancheStatus.PENDING],
        Money(adjustment),
    )


def totals(applied: Applied) -> tuple[Totals, ...]:
    """Per station-year (in schedule order), per station, per contract year, then the programme."""
    groups: dict[tuple[str | None, int | None], tuple[list[Tranche], list[Tranche]]] = {}

    def add(key: tuple[str | None, int | None], t: Tranche, computed: bool) -> None:
        pair = groups.setdefault(key, ([], []))
        pair[1 if computed else 0].append(t)

    for tranches, computed in ((applied.tranches, False), (applied.computed, True)):
        for t in tranches:
            add((t.station, t.year), t, computed)
    station_years = list(groups)
    for tranches, computed in ((applied.tranches, False), (applied.computed, True)):
        for t in tranches:
            add((t.station, None), t, computed)
    for tranches, computed in ((applied.tranches, False), (applied.computed, True)):
        for t in sorted(tranches, key=lambda t: t.year):
            add((None, t.year), t, computed)
    for tranches, computed in ((applied.tranches, False), (applied.computed, True)):
        for t in tranches:
            add((None, None), t, computed)
    groups.setdefault((None, None), ([], []))
    first = set(station_years)  # a set: a list here made the totals quadratic in stations
    order = station_years + [k for k in groups if k not in first]
    return tuple(_sum(k[0], k[1], *groups[k]) for k in order)


def adjustment_findings(applied: Applied) -> list[Finding]:
    """PAY-1: each recorded payment whose amount differs from the tranche's amount today.

    An overpayment to recover is an error; an adjustment due to the contractor a warning.
    """
    found = []
    for a in applied.adjustments:
        p = a.payment
        what = _what(p.station, p.year, p.milestone)
        rec, cur, diff = _yuan(a.recorded), _yuan(a.current), _yuan(abs(a.difference))
        if a.overpaid:
            zh_tail, en_tail = (
                f"多付{diff}元应予追回",
                f"{diff} CNY was overpaid and is to be recovered",
            )
        else:
            zh_tail, en_tail = (
                f"应补拨{diff}元",
                f"an adjustment of {diff} CNY is due to the contractor",
            )
        found.append(
            Finding(
                "PAY-1",
                Severity.ERROR if a.overpaid else Severity.WARNING,
                p.station,
                p.year,
                f"{what.zh}于{p.paid_on.isoformat()}已拨付{rec}元，按现有资金计算应为{cur}元，"
                f"{zh_tail}。",
                f"{what.en[0].upper()}{what.en[1:]} was paid {rec} CNY on "
                f"{p.paid_on.isoformat()}, but the funding now gives {cur} CNY: {en_tail}.",
            )
        )
    return found


@attrs.frozen
class Unearned:
    """A recorded payment of a tranche that was not due on the day it was paid (PAY-1): its
    milestone had not happened, or something held or cancelled it. ``sgz pay`` never records
    one; a programme file's ``[[payments]]`` or a database edited outside sgz can."""

    payment: Payment
    tranche: Tranche
    """The tranche as computed from the programme on the day of the schedule: its status, and
    the day it fell due (a due tranche stays due, with that day, on every later day)."""


def unearned_payments(applied: Applied) -> tuple[Unearned, ...]:
    """The payments laid over ``applied``'s schedule that ``sgz pay`` would have refused on
    their own day, in schedule order. A payment of a tranche the programme no longer has is an
    adjustment (:func:`adjustment_findings`), not listed here."""
    computed = {(t.station, t.year, t.milestone): t for t in applied.computed}
    found = []
    for p in applied.payments:
        t = computed.get(p.key)
        if t is None:
            continue
        if t.status is TrancheStatus.DUE and t.date is not None and t.date <= p.paid_on:
            continue
        found.append(Unearned(p, t))
    return tuple(found)


def unearned_findings(applied: Applied) -> list[Finding]:
    """PAY-1: an error for each payment of :func:`unearned_payments`: money paid out before the
    evaluation (or the signing) that releases it, by the programme as it stands."""
    found = []
    for u in unearned_payments(applied):
        p, t = u.payment, u.tranche
        what = _what(p.station, p.year, p.milestone)
        paid = p.paid_on.isoformat()
        if t.status is TrancheStatus.DUE and t.date is not None:
            zh = f"早于其到期日{t.date.isoformat()}"
            en = f"before it fell due on {t.date.isoformat()}"
        else:
            zh = f"但按现有的合同与评估，该期为“{t.status.zh}”"
            en = f"but by the contract and evaluations on file it is {t.status.en}"
        found.append(
            Finding(
                "PAY-1",
                Severity.ERROR,
                p.station,
                p.year,
                f"{what.zh}于{paid}记录拨付{_yuan(p.amount)}元，{zh}：节点尚未达成不应拨付。",
                f"{what.en[0].upper()}{what.en[1:]} was recorded as paid {_yuan(p.amount)} CNY on "
                f"{paid}, {en}: a tranche is paid only once its milestone has happened.",
            )
        )
    return found


__all__ = [
    "MAX_TEXT",
    "Adjustment",
    "AlreadyPaid",
    "Applied",
    "PayDecision",
    "PayRequest",
    "Payment",
    "Totals",
    "Unearned",
    "adjustment_findings",
    "already_paid_text",
    "apply_payments",
    "decide",
    "decide_many",
    "payment_order",
    "recorded_text",
    "totals",
    "tranche_on",
    "unearned_findings",
    "unearned_payments",
]
