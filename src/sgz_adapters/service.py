"""The service layer: sgz's use cases, one function each, for the command line and for embedders.

Every use case takes a **programme source** and returns a frozen result value
(:mod:`sgz_core.results`); none prints. A source is one of:

- a path to a programme file (``str`` or :class:`~pathlib.Path`); its ``profile`` is a built-in
  id, a plugin's profile, or a profile file relative to the programme file;
- a :class:`~sgz_core.model.Programme` built in Python (``profile=`` gives its profile, else
  ``programme.profile`` is resolved like a file's, relative paths from the working directory);
- :func:`stored` ``(db, programme_id)``: a programme in a database (a URL or an open
  :class:`~sgz_core.storage.Storage`, which is left open).

Arguments are checked here, the same way whatever the source, so the command line and the API
refuse the same values with the same :class:`~sgz_core.errors.InvalidInput`. A new use case is
one function here, one result type in :mod:`sgz_core.results` and its rendering in the
reporters; the command line then only parses its arguments::

    import sgz_adapters.service as sgz
    result = sgz.check("examples/chengguan.toml", on=dt.date(2026, 11, 28))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import attrs
import tomli_w

from sgz_adapters import files, plugins
from sgz_adapters._lazy import lazy_module
from sgz_adapters.plugins import PluginInfo
from sgz_adapters.said import InvalidArgument, say
from sgz_adapters.storage import open_storage
from sgz_adapters.storage._audit import login_name
from sgz_adapters.storage._audit import now as audit_now
from sgz_core import profiles
from sgz_core.disbursement import schedule as core_schedule
from sgz_core.enums import EvaluationKind, Milestone, PaymentOutcome
from sgz_core.errors import InvalidInput, NotFound, Problem
from sgz_core.jsonvalue import to_plain
from sgz_core.model import Evaluation, Money, Programme
from sgz_core.money import to_money
from sgz_core.payments import (
    MAX_TEXT,
    AlreadyPaid,
    PayDecision,
    Payment,
    PayRequest,
    adjustment_findings,
    already_paid_text,
    apply_payments,
    decide,
    decide_many,
    totals,
    unearned_findings,
)
from sgz_core.profiles import Profile
from sgz_core.programme_file import payment_problem, payments_to_list, to_dict, toml_numbers
from sgz_core.results import (
    AuditLogResult,
    AuditVerifyResult,
    CheckResult,
    EvaluateResult,
    ExportResult,
    ImportResult,
    LedgerResult,
    PayResult,
    Plaque,
    PlaquesResult,
    ProfileResult,
    Recorded,
    ScheduleResult,
    StatsResult,
    WorklistResult,
)
from sgz_core.rules import Rule, all_rules
from sgz_core.storage import DEFAULT_URL, RecordQuery, Storage, scheme_of, station_part

if TYPE_CHECKING:
    from sgz_adapters import planning
    from sgz_adapters.planning import plan
    from sgz_adapters.storage import _tabular
    from sgz_core import fund_ledger
    from sgz_core.casework import counting
    from sgz_core.casework import worklist as worklists
    from sgz_core.casework.counting import Counts
    from sgz_core.fund_ledger import PaidOut
    from sgz_core.performance import scoring
    from sgz_core.performance.scoring import Scorecard
else:
    # What only some use cases need is imported on first use: a file check builds none of the
    # planner, casework counting, worklist, fund ledger, scoring or record-table types (issue 12).
    planning = lazy_module("sgz_adapters.planning")
    _tabular = lazy_module("sgz_adapters.storage._tabular")
    fund_ledger = lazy_module("sgz_core.fund_ledger")
    counting = lazy_module("sgz_core.casework.counting")
    worklists = lazy_module("sgz_core.casework.worklist")
    scoring = lazy_module("sgz_core.performance.scoring")

    def __getattr__(name: str) -> Any:
        """``service.plan`` (re-exported from :mod:`sgz_adapters.planning`), imported on first use."""
        if name == "plan":
            return planning.plan
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


Progress = Callable[[int, int], None]


def _db(value: object, key: str = "db") -> str | Storage:
    if isinstance(value, Storage):
        return value
    if not isinstance(value, str) or not value.strip():
        raise say(
            f"应为数据库地址（如 {DEFAULT_URL}）或已打开的 Storage，实为 {value!r}",
            f"expected a database URL such as {DEFAULT_URL} or an open Storage, got {value!r}",
            path=key,
        )
    return value


def _programme_id(value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise say(
            f"应为项目编号，实为 {value!r}",
            f"expected a programme id, got {value!r}",
            path="programme",
        )
    return value


@attrs.frozen
class Stored:
    """A programme in a database: ``db`` (URL or open Storage) and its id (``None``: the only one)."""

    db: str | Storage = attrs.field(converter=_db)
    programme: str | None = attrs.field(default=None, converter=_programme_id)

    @property
    def url(self) -> str:
        return self.db if isinstance(self.db, str) else str(getattr(self.db, "url", self.db))


def stored(db: str | Storage, programme: str | None = None) -> Stored:
    """The source "programme ``programme`` in database ``db``" (``None``: its only programme)."""
    return Stored(db, programme)


Source: TypeAlias = "str | os.PathLike[str] | Programme | Stored"
"""Where a use case finds its programme: a file path, a Programme, or :func:`stored`."""


@attrs.frozen
class Opened:
    """A programme with the profile that applies to it, and where both came from."""

    programme: Programme
    profile: Profile
    source: str
    payments: tuple[Payment, ...] = ()
    """The payments recorded for it (a stored programme's; none for a file or a value)."""


# --- Arguments, checked the same way for every source -------------------------------------------


def _day(on: object, key: str = "on") -> dt.date:
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise say(
            f"应为形如 2025-01-31 的日期，实为 {on!r}",
            f"expected a date like 2025-01-31, got {on!r}",
            path=key,
        )
    return on


def _year(year: object) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 99:
        raise say(
            f"应为 1 至 99 的合同年序号，实为 {year!r}",
            f"expected a contract year number from 1 to 99, got {year!r}",
            path="year",
        )
    return year


def _station(station: object) -> str:
    if not isinstance(station, str) or not station.strip():
        raise say(
            f"应为站点编号，实为 {station!r}",
            f"expected a station id, got {station!r}",
            path="station",
        )
    return station


def _optional_station(station: object) -> str | None:
    return None if station is None else _station(station)


def _only(only: object) -> list[str] | None:
    """The caller's ``only``: rule ids, in any iterable but a string (taken letter by letter)."""
    if only is None:
        return None
    if isinstance(only, str | bytes | Mapping) or not isinstance(only, Iterable):
        raise say(
            f'应为规则编号的列表（如 ["SITE-1"]），实为 {only!r}',
            f'expected a list of rule ids such as ["SITE-1"], got {only!r}',
            path="only",
        )
    return list(only)


def _flag(value: object, key: str) -> bool:
    """A yes-or-no argument: ``True`` or ``False`` (``replace="no"`` is true in Python)."""
    if not isinstance(value, bool):
        raise say(
            f"应为 True 或 False，实为 {value!r}",
            f"expected True or False, got {value!r}",
            path=key,
        )
    return value


def _given_profile(profile: object) -> Profile | None:
    """The caller's ``profile``: a :class:`Profile` or ``None`` (the programme's own)."""
    if profile is not None and not isinstance(profile, Profile):
        raise say(
            f"应为 Profile（如 show_profile(编号).profile）或 None，实为 {profile!r}",
            f"expected a Profile (such as show_profile(id).profile) or None, got {profile!r}",
            path="profile",
        )
    return profile


def _profile_of(programme: Programme, where: str, base: Path) -> Profile:
    try:
        return files.load_profile(programme.profile, base)
    except NotFound as exc:
        raise InvalidInput(
            [
                Problem(
                    "programme.profile", f"expected a built-in profile id or a profile file: {exc}"
                )
            ],
            where,
        ) from None


# --- Sources -------------------------------------------------------------------------------------


def open_existing(url: str | None) -> Storage:
    """A storage to read from; a SQLite file that does not exist is an error, not created."""
    url = DEFAULT_URL if url is None else url
    _db(url)
    if scheme_of(url) == "sqlite":
        from sgz_adapters.storage.sqlite import SqliteStorage

        path = SqliteStorage.path_of(url)
        if not Path(path).exists():
            raise say(
                f"{path} 处没有数据库；请先导入项目（sgz import FILE）",
                f"no database at {path}; import a programme first (sgz import FILE)",
                url,
            )
    return open_storage(url)


@contextmanager
def _storage(db: str | Storage) -> Iterator[Storage]:
    if isinstance(db, Storage):
        yield db  # the caller's: left open
        return
    with open_existing(db) as storage:
        yield storage


def open_source(
    source: Source, *, profile: Profile | None = None, records: bool = True, money: bool = False
) -> Opened:
    """The programme and its profile from any source; bad input is :class:`InvalidInput`.
    ``records=False``: a stored programme is read without its service ledger (a use case that
    does not count services need not read a million records). ``money=True``: a stored
    programme is read as its money part only (:func:`sgz_core.storage.money_part`: what the
    schedule and the payment decisions read, issue 11); a file or a value is used whole."""
    profile = _given_profile(profile)
    if isinstance(source, Stored):
        with _storage(source.db) as storage:
            programme_id = source.programme or storage.only_programme()
            with storage.reader() as uow:
                if money:
                    programme = uow.load_money(programme_id)
                else:
                    programme = uow.load(programme_id, records=records)
                paid = tuple(uow.payments(programme_id))
        where = f"{source.url} programme {programme.id}"
        chosen = profile or _profile_of(programme, where, Path.cwd())
        return Opened(programme, chosen, where, paid)
    if isinstance(source, Programme):
        where = f"programme {source.id}"
        return Opened(source, profile or _profile_of(source, where, Path.cwd()), where)
    if isinstance(source, str | os.PathLike):
        if not str(source).strip():
            raise say(
                f"应为项目文件，实为 {str(source)!r}",
                f"expected a programme file, got {str(source)!r}",
                path="source",
            )
        loaded = files.load_programme(source)
        return Opened(loaded.programme, profile or loaded.profile, str(source), loaded.payments)
    raise InvalidInput(
        "source: expected a programme file path, a Programme or sgz_adapters.service.stored(db, id), "
        f"got {type(source).__name__}"
    )


# --- Use cases -------------------------------------------------------------------------------------


def check(
    source: Source,
    *,
    on: dt.date,
    profile: Profile | None = None,
    only: Iterable[str] | None = None,
    station: str | None = None,
    stream: bool = False,
) -> CheckResult:
    """Every finding about the programme on ``on``: sgz's rules and the plugins' (``sgz_check``).

    ``station``: only the findings about that station, from its part of the programme
    (:func:`sgz_core.storage.station_part`); a database reads only that part, so the time
    does not grow with the number of stations. The findings equal those of the whole check
    that name the station; findings about no station (FUND-5, FUND-9, LOT-1's "no station
    for this lot") are left out (issue 12).

    ``stream``: a stored programme is read and checked station by station
    (:mod:`sgz_core.streamed_check`), in memory that does not grow with the number of stations
    (``check --db``, issue 12): the same findings in the same order, and the result's
    ``programme`` is the programme without its stations and ledger. Where a plugin's rule or a
    plugin's ``sgz_check`` is in play, or for a file or a Programme, the whole check runs."""
    on, profile = _day(on), _given_profile(profile)
    only = _only(only)
    stream = _flag(stream, "stream")
    station = _optional_station(station)
    if station is None and stream and isinstance(source, Stored):
        streamed = _check_streamed(source, on, profile, only)
        if streamed is not None:
            return streamed
    if station is None:
        opened = open_source(source, profile=profile)
    else:
        opened = _open_station(source, station, profile)
    return _checked(opened, on, only, station)


def _checked(
    opened: Opened, on: dt.date, only: list[str] | None, station: str | None
) -> CheckResult:
    """The whole check of an opened programme (of ``station``'s findings only, if given)."""
    findings = plugins.run_check(opened.programme, opened.profile, on, only=only)
    if opened.payments and (only is None or "PAY-1" in only):
        # PAY-1: a recorded payment that differs from today's amount (funding edited since)
        applied = apply_payments(
            core_schedule(opened.programme, opened.profile, on), opened.payments, on
        )
        findings += adjustment_findings(applied) + unearned_findings(applied)
    if station is not None:
        findings = [f for f in findings if f.station == station]
    return CheckResult(opened.programme, opened.profile, on, tuple(findings))


def _check_streamed(
    source: Stored, on: dt.date, profile: Profile | None, only: list[str] | None
) -> CheckResult | None:
    """The check of a stored programme read station by station in one read snapshot, or
    ``None`` where it would not be exactly the whole check (a plugin's rule or ``sgz_check``).

    PAY-1's adjustments follow the whole check's: each part's recorded payments laid over its
    tranches, in schedule order, then the payments of tranches the programme no longer has,
    by station, year and milestone (:func:`sgz_core.payments.apply_payments`). Should any rule
    or read fail, the whole programme is checked in the same snapshot, so that what is raised
    (or returned) is what the whole check gives (issue 12)."""
    from sgz_core.findings import Finding
    from sgz_core.payments import Adjustment, Applied
    from sgz_core.rules import select_rules
    from sgz_core.streamed_check import StreamedCheck, streamable

    if not plugins.only_default_check():
        return None
    with _storage(source.db) as storage:
        programme_id = source.programme or storage.only_programme()
        with storage.reader() as uow:
            head = uow.load_check_head(programme_id)
            paid = tuple(uow.payments(programme_id))
            where = f"{source.url} programme {head.id}"
            chosen = profile or _profile_of(head, where, Path.cwd())
            try:
                rules = select_rules(only, plugins.plugin_rules())
                if not streamable(rules):
                    return None
                run = StreamedCheck(head, chosen, on, rules)
                pay_1 = bool(paid) and (only is None or "PAY-1" in only)
                unmatched = {p.key: p for p in paid if p.paid_on <= on}
                adjustments: list[Adjustment] = []
                unearned: list[Finding] = []
                for part in uow.check_parts(programme_id):
                    run.add(part.stations, part.records)
                    if not pay_1:
                        continue
                    tranches = core_schedule(attrs.evolve(head, stations=part.stations), chosen, on)
                    keys = {(t.station, t.year, t.milestone) for t in tranches}
                    mine = [unmatched.pop(k) for k in keys if k in unmatched]
                    applied = apply_payments(tranches, mine, on)
                    adjustments += applied.adjustments
                    unearned += unearned_findings(applied)
                findings = run.findings()
                if pay_1:
                    adjustments += apply_payments((), unmatched.values(), on).adjustments
                    findings += adjustment_findings(Applied((), (), tuple(adjustments), ()))
                    findings += unearned
            except Exception:  # the whole check decides what is raised, or returned
                whole = Opened(uow.load(programme_id), chosen, where, paid)
                return _checked(whole, on, only, None)
    return CheckResult(head, chosen, on, tuple(findings))


def _open_station(source: Source, station: str, profile: Profile | None) -> Opened:
    """The part of the programme that checking ``station`` needs, and its payments. A station
    the programme no longer has but with payments recorded is checked as a part without
    stations: its payments are overpayments to recover (PAY-1), as in the whole check."""
    if isinstance(source, Stored):
        with _storage(source.db) as storage:
            programme_id = source.programme or storage.only_programme()
            with storage.reader() as uow:
                paid = tuple(uow.payments(programme_id, station))
                try:
                    programme = uow.load_station(programme_id, station)
                except NotFound as exc:
                    if exc.kind != "station" or not paid:
                        raise
                    programme = uow.load_check_head(programme_id)
        where = f"{source.url} programme {programme.id}"
        chosen = profile or _profile_of(programme, where, Path.cwd())
        return Opened(programme, chosen, where, paid)
    opened = open_source(source, profile=profile)
    paid = tuple(p for p in opened.payments if p.station == station)
    try:
        part = station_part(opened.programme, station)
    except NotFound as exc:
        if exc.kind != "station" or not paid:
            raise
        part = attrs.evolve(opened.programme, stations=(), records=())
    return Opened(part, opened.profile, opened.source, paid)


def schedule(source: Source, *, on: dt.date, profile: Profile | None = None) -> ScheduleResult:
    """The disbursement tranches of every station-year and their status on ``on`` (PAY-1),
    with the payments recorded on or before ``on`` (a stored programme's) and the totals."""
    on, profile = _day(on), _given_profile(profile)
    # the tranches need no ledger, staff or expenses: a stored programme's money part (issue 11)
    opened = open_source(source, profile=profile, records=False, money=True)
    applied = apply_payments(
        core_schedule(opened.programme, opened.profile, on), opened.payments, on
    )
    return ScheduleResult(
        opened.programme,
        opened.profile,
        on,
        applied.tranches,
        applied.payments,
        totals(applied),
        applied.adjustments,
    )


def _milestone(value: object) -> Milestone:
    if isinstance(value, Milestone):
        return value
    known = Milestone.values()
    if not isinstance(value, str) or value not in known:
        raise say(
            f"应为 {' | '.join(known)} 之一，实为 {value!r}",
            f"expected one of {' | '.join(known)}, got {value!r}",
            path="tranche",
        )
    return Milestone(value)


def _name(value: object, key: str, *, required: bool) -> str | None:
    """A ``by`` or ``reference``: one line of at most ``MAX_TEXT`` characters, whatever the
    tranche's state (the audit trail and every table show it as one line, AUD-1)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise say(
            f"应为经办人姓名，实为 {value!r}" if key == "by" else f"应为文字，实为 {value!r}",
            f"expected a name, got {value!r}" if key == "by" else f"expected a text, got {value!r}",
            path=key,
        )
    if len(value) > MAX_TEXT:
        raise say(
            f"至多 {MAX_TEXT} 个字符，实为 {len(value)} 个",
            f"expected at most {MAX_TEXT} characters, got {len(value)}",
            path=key,
        )
    from sgz_adapters.output import UNSAFE_IN_CELL

    if UNSAFE_IN_CELL.search(value):
        raise say(  # repr() shows every such character as an escape
            f"应为不含控制字符的一行文字，实为 {value!r}",
            f"expected one line without control characters, got {value!r}",
            path=key,
        )
    return value


def _now() -> dt.datetime:
    """When a payment is recorded: the adapters' clock, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def pay(
    source: Stored | str | Storage,
    *,
    station: str,
    year: int,
    tranche: Milestone | str,
    on: dt.date,
    by: str,
    reference: str | None = None,
    profile: Profile | None = None,
) -> PayResult:
    """Record the payment of a tranche on ``on`` by ``by`` (PAY-1), in one transaction.

    A due tranche is recorded at its amount that day (``recorded``); one paid before is
    ``already_paid`` (nothing new; the result says when and by whom), also when another officer
    recorded it a moment earlier (the database's unique key decides); a pending, held or
    cancelled tranche is ``refused`` with the reason. ``source`` is :func:`stored` or a
    database (URL or open Storage) holding one programme.
    """
    on, profile = _day(on), _given_profile(profile)
    station_id, number = _station(station), _contract_year(year)
    milestone = _milestone(tranche)
    by_name = _name(by, "by", required=True)
    assert by_name is not None
    ref = _name(reference, "reference", required=False)
    if not isinstance(source, Stored):
        source = stored(source)
    with _storage(source.db) as storage:
        programme_id = source.programme or storage.only_programme()
        with storage.unit_of_work() as uow:
            programme = uow.load_station(programme_id, station_id)  # not the other stations
            where = f"{source.url} programme {programme.id}"
            chosen = profile or _profile_of(programme, where, Path.cwd())
            programme.station(station_id).year(number)  # NotFound with the known ids
            decision = decide(
                programme,
                chosen,
                station=station_id,
                year=number,
                milestone=milestone,
                on=on,
                by=by_name,
                reference=ref,
                payments=uow.payments(programme_id, station_id),
                recorded_at=_now(),
            )
            raced: Payment | None = None
            if decision.outcome is PaymentOutcome.RECORDED and decision.payment is not None:
                try:
                    uow.record_payment(programme_id, decision.payment, by=by_name)
                    uow.commit()  # the payment and its audit entry together (AUD-1)
                except AlreadyPaid as exc:  # recorded by another writer since we looked
                    raced = exc.payment
        url = storage.url
    return _pay_result(programme_id, url, (station_id, number, milestone, on), decision, raced)


def _pay_result(
    programme_id: str,
    url: str,
    asked: tuple[str, int, Milestone, dt.date],
    decision: PayDecision,
    raced: Payment | None,
) -> PayResult:
    """What paying ``asked`` came to: the decision, unless another writer recorded the tranche
    first (``raced``, the payment it recorded), which makes it ``already_paid``."""
    outcome, payment, message = decision.outcome, decision.payment, decision.message
    if raced is not None:
        outcome, payment, message = PaymentOutcome.ALREADY_PAID, raced, already_paid_text(raced)
    station_id, number, milestone, on = asked
    return PayResult(
        programme_id,
        url,
        on,
        station_id,
        number,
        milestone,
        outcome,
        decision.tranche,
        message.zh,
        message.en,
        payment,
        decision.reason,
        decision.evaluation,
    )


def _request(i: int, r: object) -> tuple[str, int, Milestone, dt.date, str, str | None]:
    """A request's values checked as :func:`pay` checks its arguments; bad input names
    ``requests[i]`` and the field."""
    if not isinstance(r, PayRequest):
        raise say(
            f"应为 PayRequest，实为 {type(r).__name__}",
            f"expected a PayRequest, got {type(r).__name__}",
            path=f"requests[{i}]",
        )
    try:
        on, station = _day(r.on), _station(r.station)
        number, milestone = _contract_year(r.year), _milestone(r.tranche)
        by = _name(r.by, "by", required=True)
        ref = _name(r.reference, "reference", required=False)
    except InvalidArgument as exc:
        raise InvalidArgument(exc.text, exc.source, f"requests[{i}].{exc.path}") from None
    except InvalidInput as exc:
        problems = [Problem(f"requests[{i}].{p.path}".rstrip("."), p.message) for p in exc.problems]
        raise InvalidInput(problems, exc.source) from None
    assert by is not None
    return station, number, milestone, on, by, ref


def pay_many(
    source: Stored | str | Storage,
    requests: Iterable[PayRequest],
    *,
    profile: Profile | None = None,
) -> tuple[PayResult, ...]:
    """Record many payments (PAY-1) in one transaction: a district's payment run.

    Each request is decided exactly as :func:`pay` decides it, in order, one result each: a
    tranche paid before, or by an earlier request of the run, is ``already_paid``; a pending,
    held or cancelled one is ``refused``. The programme and its payments are read once and the
    payments written in one statement; the database's unique key still decides, so a tranche
    another officer paid a moment earlier is ``already_paid`` with that officer's payment.
    Bad input in any request (``requests[i]`` named) writes nothing.
    """
    profile = _given_profile(profile)
    if isinstance(requests, str | bytes | Mapping) or not isinstance(requests, Iterable):
        raise say(
            f"应为 PayRequest 的列表，实为 {type(requests).__name__}",
            f"expected a list of PayRequest, got {type(requests).__name__}",
            path="requests",
        )
    asked = [_request(i, r) for i, r in enumerate(requests)]
    if not isinstance(source, Stored):
        source = stored(source)
    results: list[PayResult] = []
    with _storage(source.db) as storage:
        programme_id = source.programme or storage.only_programme()
        with storage.unit_of_work() as uow:
            programme = uow.load_money(programme_id)  # what deciding reads (issue 11)
            where = f"{source.url} programme {programme.id}"
            chosen = profile or _profile_of(programme, where, Path.cwd())
            index = {s.id: s for s in programme.stations}
            for i, (station_id, number, _, _, _, _) in enumerate(asked):
                try:
                    found = index.get(station_id)
                    if found is None:
                        raise NotFound("station", station_id, list(index))
                    found.year(number)
                except NotFound as exc:
                    raise InvalidInput([Problem(f"requests[{i}]", str(exc))], where) from None
            decisions = decide_many(
                programme,
                chosen,
                [PayRequest(*r) for r in asked],
                payments=uow.payments(programme_id),
                recorded_at=_now(),
            )
            decided: list[tuple[PayDecision, int]] = []
            new: list[Payment] = []
            for decision in decisions:
                if decision.outcome is PaymentOutcome.RECORDED and decision.payment is not None:
                    decided.append((decision, len(new)))
                    new.append(decision.payment)
                else:
                    decided.append((decision, -1))
            before = uow.record_payments(programme_id, new) if new else []
            uow.commit()
        url = storage.url
    for (station_id, number, milestone, on, _, _), (decision, k) in zip(
        asked, decided, strict=True
    ):
        raced = before[k] if k >= 0 else None  # recorded by another writer since we looked
        results.append(
            _pay_result(programme_id, url, (station_id, number, milestone, on), decision, raced)
        )
    return tuple(results)


def ledger(
    source: Source,
    *,
    on: dt.date,
    station: str | None = None,
    year: int | None = None,
    profile: Profile | None = None,
    payments: Mapping[tuple[str, int], Sequence[PaidOut]] | None = None,
) -> LedgerResult:
    """The fund ledger of every station-year (or of ``station``, of contract ``year``) on ``on``:
    per fund pledged, received, paid out, spent, committed and balance (``docs/money.md``).

    ``payments``: payments to the contractor per ``(station, year)``, as ``(date, amount)``
    pairs; they give the co-funding levels' ``paid_out``. Left ``None``, the payments recorded
    for the programme are used (a database's, or a file's ``[[payments]]``)."""
    on, profile = _day(on), _given_profile(profile)
    station = _optional_station(station)
    year = _year(year)
    # the fund ledger is receipts, expenses and payments: a stored programme's service ledger
    # (a million records at national scale) is not read
    opened = open_source(source, profile=profile, records=False)
    programme = opened.programme
    if station is not None:
        chosen = programme.station(station)  # NotFound with the known ids
        if year is not None:
            chosen.year(year)  # NotFound with the station's years
    if payments is None:
        recorded: dict[tuple[str, int], list[PaidOut]] = {}
        for p in opened.payments:
            recorded.setdefault((p.station, p.year), []).append((p.paid_on, p.amount))
        payments = recorded
    else:
        payments = _paid_out(payments)
    ledgers = fund_ledger.programme_ledgers(
        programme, opened.profile, on=on, station=station, year=year, payments=payments
    )
    return LedgerResult(programme, opened.profile, on, ledgers, station, year)


def _paid_out(payments: object) -> dict[tuple[str, int], list[PaidOut]]:
    """The caller's ``payments`` of :func:`ledger`, checked: per ``(station, year)`` a sequence
    of ``(date, amount)`` pairs, each a date and an exact amount of zero or more yuan."""
    if not isinstance(payments, Mapping):
        raise say(
            f"应为以（站点, 合同年）为键的拨付记录，实为 {type(payments).__name__}",
            f"expected payments keyed by (station, year), got {type(payments).__name__}",
            path="payments",
        )
    out: dict[tuple[str, int], list[PaidOut]] = {}
    for key, items in payments.items():
        where = f"payments[{key!r}]"
        if (
            not isinstance(key, tuple)
            or len(key) != 2
            or not isinstance(key[0], str)
            or isinstance(key[1], bool)
            or not isinstance(key[1], int)
            or not 1 <= key[1] <= 99
        ):
            raise say(
                f"应以（站点编号, 1 至 99 的合同年序号）为键，实为 {key!r}",
                f"expected a (station id, contract year 1 to 99) key, got {key!r}",
                path=where,
            )
        if isinstance(items, str | bytes) or not isinstance(items, Sequence):
            raise say(
                f"应为（日期, 金额）的列表，实为 {items!r}",
                f"expected a list of (date, amount) pairs, got {items!r}",
                path=where,
            )
        pairs: list[PaidOut] = []
        for i, item in enumerate(items):
            at = f"{where}[{i}]"
            if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
                raise say(
                    f"应为（日期, 金额），实为 {item!r}",
                    f"expected a (date, amount) pair, got {item!r}",
                    path=at,
                )
            day = _day(item[0], f"{at}.date")
            try:
                amount = Money(to_money(item[1], what="amount"))
            except InvalidInput as exc:
                raise say(
                    f"应为不小于零、精确到分的金额，实为 {item[1]!r}",
                    str(exc).removeprefix("amount: "),
                    path=f"{at}.amount",
                ) from None
            pairs.append((day, amount))
        out[key] = pairs
    return out


def plaques(source: Source, *, on: dt.date, profile: Profile | None = None) -> PlaquesResult:
    """The plaque texts each station must show under the profile in force on ``on``."""
    on, profile = _day(on), _given_profile(profile)
    opened = open_source(source, profile=profile)
    policy = opened.profile.at(on)
    found = []
    for station in opened.programme.stations:
        shown = {p.strip() for p in station.signage.plaques}
        for i, text in enumerate(policy.plaques(station.street)):
            rule = "SIGN-1" if i == 0 else "SIGN-2"
            found.append(Plaque(station.id, station.street, rule, text, text in shown))
    return PlaquesResult(opened.programme, opened.profile, on, policy.logo_required, tuple(found))


def worklist(
    source: Source, *, station: str, on: dt.date, profile: Profile | None = None
) -> WorklistResult:
    """A station's overdue and due-soon visits, open cases and people to reach on ``on``."""
    on, profile = _day(on), _given_profile(profile)
    station_id = _station(station)
    opened = open_source(source, profile=profile)
    found = worklists.worklist(opened.programme, opened.profile.at(on), station_id, on)
    return WorklistResult(opened.programme, opened.profile, on, found.station, tuple(found.items))


def stats(
    source: Source,
    *,
    on: dt.date,
    station: str | None = None,
    year: int | None = None,
    profile: Profile | None = None,
) -> StatsResult:
    """Casework counts per station, contract year and domain up to ``on`` (a database counts
    its ledger itself; the counts are the same as from the file)."""
    on, profile = _day(on), _given_profile(profile)
    station, year = _optional_station(station), _year(year)
    ledger: Counts | None = None
    if isinstance(source, Stored):
        with _storage(source.db) as storage:
            programme_id = source.programme or storage.only_programme()
            with storage.reader() as uow:
                # counting needs the sections, not the stations' years (issue 12)
                programme = uow.load_without_stations(programme_id)
                if station is not None:
                    uow.load_station(programme_id, station)  # NotFound with the known ids
                ledger = uow.ledger_counts(
                    programme_id,
                    RecordQuery(station=station, year=year),
                    until=on,
                    categories_of=counting.categories_by_person(programme.beneficiaries),
                )
        where = f"{source.url} programme {programme.id}"
        opened = Opened(programme, profile or _profile_of(programme, where, Path.cwd()), where)
    else:
        opened = open_source(source, profile=profile)
        if station is not None:
            opened.programme.station(station)  # NotFound with the known ids
    counts = counting.count_programme(opened.programme, opened.profile.at(on), on, ledger=ledger)
    return StatsResult(
        opened.programme,
        opened.profile,
        on,
        station,
        year,
        counts.select(station=station, year=year),
    )


def _contract_year(year: object) -> int:
    number = _year(year)
    if number is None:
        raise InvalidInput("year: expected a contract year number from 1 to 99, got None")
    return number


def _evaluation_kind(value: object) -> EvaluationKind | None:
    if value is None or isinstance(value, EvaluationKind):
        return value
    known = [k.value for k in EvaluationKind]
    if not isinstance(value, str) or value not in known:
        raise InvalidInput(f"evaluation: expected one of {', '.join(known)}, got {value!r}")
    return EvaluationKind(value)


def _chosen_evaluation(
    programme: Programme, station: str, year: int, on: dt.date, kind: EvaluationKind | None
) -> Evaluation | None:
    """The evaluation to score: the latest (of ``kind``) on or before ``on``; None without one."""
    contract_year = programme.station(station).year(year)  # NotFound with the known ids
    if on < programme.year_start(year):
        raise InvalidInput(
            f"on: year {year} begins on {programme.year_start(year).isoformat()}, after "
            f"{on.isoformat()}; there is nothing to score yet"
        )
    if kind is None:
        return scoring.latest_evaluation(contract_year, on)
    of_kind = attrs.evolve(
        contract_year, evaluations=tuple(e for e in contract_year.evaluations if e.kind is kind)
    )
    chosen = scoring.latest_evaluation(of_kind, on)
    if chosen is None:
        recorded = [f"{e.kind.value} {e.date.isoformat()}" for e in contract_year.evaluations]
        raise InvalidInput(
            f"evaluation: station {station} year {year} has no {kind.value} evaluation on or "
            f"before {on.isoformat()}; it has: {', '.join(recorded) or 'none'}"
        )
    return chosen


def _recorded(card: Scorecard, profile: Profile, programme: Programme) -> Recorded | None:
    e = card.evaluation
    if e is None:
        return None
    if e.results:
        return Recorded(e.score, card.total, e.outcome, card.proposed, e.reason)
    policy = profile.at(programme.year_start(card.year))
    proposed = card.proposed if e.score is None else scoring.proposed_outcome(e.score, policy)
    return Recorded(e.score, None, e.outcome, proposed, e.reason)


def evaluate(
    source: Source,
    *,
    station: str,
    year: int,
    on: dt.date,
    evaluation: EvaluationKind | str | None = None,
    profile: Profile | None = None,
) -> EvaluateResult:
    """The scorecard of ``station``'s contract year ``year`` (PERF-2, PERF-3): the latest
    evaluation on or before ``on`` (``evaluation``: the latest of that kind), measured up to its
    day, else the measured indicators on ``on``. A database counts its ledger itself (as
    :func:`stats`); the scorecard is the same as from the file."""
    on, profile = _day(on), _given_profile(profile)
    station_id, number = _station(station), _contract_year(year)
    kind = _evaluation_kind(evaluation)
    ledger: Counts | None = None
    if isinstance(source, Stored):
        with _storage(source.db) as storage:
            programme_id = source.programme or storage.only_programme()
            with storage.reader() as uow:
                programme = uow.load(programme_id, records=False)
                chosen = _chosen_evaluation(programme, station_id, number, on, kind)
                day = chosen.date if chosen is not None else on
                ledger = uow.ledger_counts(
                    programme_id,
                    RecordQuery(station=station_id, year=number),
                    until=min(day, programme.year_end(number)),
                    categories_of=counting.categories_by_person(programme.beneficiaries),
                )
        where = f"{source.url} programme {programme.id}"
        opened = Opened(programme, profile or _profile_of(programme, where, Path.cwd()), where)
    else:
        opened = open_source(source, profile=profile)
        chosen = _chosen_evaluation(opened.programme, station_id, number, on, kind)
        day = chosen.date if chosen is not None else on
    programme = opened.programme
    policy = opened.profile.at(programme.year_start(number))
    until = min(day, programme.year_end(number))
    counts = counting.count_programme(programme, policy, until, ledger=ledger).select(
        station=station_id, year=number
    )
    card = scoring.scorecard(
        programme, opened.profile, station_id, number, day, evaluation=chosen, counts=counts
    )
    return EvaluateResult(
        programme, opened.profile, on, card, _recorded(card, opened.profile, programme)
    )


def show_profile(ref: str | Profile | None = None) -> ProfileResult:
    """A profile (built-in id, plugin profile or profile file; default sgz's own)."""
    if ref is None:
        return ProfileResult(profiles.builtin())
    if isinstance(ref, Profile):
        return ProfileResult(ref)
    if not isinstance(ref, str) or not ref.strip():
        raise say(
            f"应为配置编号或配置文件，实为 {ref!r}",
            f"expected a profile id or a profile file, got {ref!r}",
            path="profile",
        )
    return ProfileResult(files.load_profile(ref))


def import_programme(
    source: str | os.PathLike[str] | Programme | Opened,
    *,
    db: str | Storage | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    by: str | None = None,
) -> ImportResult:
    """Store a programme (file or value) in ``db`` (default ``sqlite:///sgz.db``); an id that is
    there already needs ``replace=True`` (one transaction). The audit trail records it
    (``import`` or ``replace``, and each of the file's payments newly recorded) as done by
    ``by`` (default: ``SGZ_USER``, else the login name), in the same transaction (AUD-1)."""
    target = _db(DEFAULT_URL if db is None else db)
    who = _name(by, "by", required=False)
    replace = _flag(replace, "replace")
    if progress is not None and not callable(progress):
        raise say(
            f"应为函数 progress(已存, 总数) 或 None，实为 {progress!r}",
            f"expected a function progress(done, total) or None, got {progress!r}",
            path="progress",
        )
    opened = source if isinstance(source, Opened) else open_source(source)
    programme = opened.programme
    if not isinstance(programme, Programme):
        raise say(
            f"应为含 Programme 的 Opened，实为 {type(programme).__name__}",
            f"expected an Opened holding a Programme, got {type(programme).__name__}",
            path="source",
        )

    @contextmanager
    def opening() -> Iterator[Storage]:
        if isinstance(target, Storage):
            yield target
        else:
            with open_storage(target) as storage:
                yield storage

    with opening() as storage:
        url = storage.url
        with storage.unit_of_work() as uow:
            # asked inside the unit, which writers take one at a time: what uow.save will do,
            # so the answer says what the audit entry says when two imports race (AUD-1)
            replaced = uow.exists(programme.id)
            if replaced and not replace:
                raise say(
                    f"项目 {programme.id!r} 已在 {url} 中；如要替换，请加 --replace（在一个事务中完成）",
                    f"programme {programme.id!r} is already in {url}; "
                    "give --replace to replace it (in one transaction)",
                    opened.source,
                )
            # one who and one when for every entry of the import, its payments' too (AUD-1):
            # not the file's ``by`` and ``recorded_at``, which stay in the payment's entry
            actor = login_name() if who is None else who
            at = audit_now()
            uow.save(programme, replace=replace, progress=progress, by=actor, at=at)
            _restore_payments(uow, programme.id, opened, actor, at)
            uow.commit()
    return ImportResult(programme.id, url, replaced, opened.source)


def _restore_payments(
    uow: Any, programme_id: str, opened: Opened, by: str, at: dt.datetime
) -> None:
    """The file's ``[[payments]]`` into the unit: one stored already is fine (import is
    idempotent); one that contradicts a stored payment refuses the whole import."""
    for i, payment in enumerate(opened.payments):
        try:
            uow.record_payment(programme_id, payment, by=by, at=at)
        except InvalidInput as exc:  # a value the storage cannot keep: named by its key path
            problems = [payment_problem(f"payments[{i}]", p) for p in exc.problems]
            raise InvalidInput(problems, opened.source) from None
        except AlreadyPaid as exc:
            if exc.payment.same_payment(payment):
                continue
            told = already_paid_text(exc.payment)
            zh = told.zh.removesuffix("，本次未再记录。")
            en = told.en.removesuffix("; nothing new was recorded.")
            # the file's voucher too: a payment that differs only in it must say so (PAY-1)
            ref_zh = f"凭证 {payment.reference}" if payment.reference else "无凭证"
            ref_en = f"reference {payment.reference}" if payment.reference else "no reference"
            raise say(
                f"与已记录的拨付不符：{zh}（文件中为 {payment.amount:,.2f} 元，"
                f"{payment.paid_on.isoformat()}，{payment.by}，{ref_zh}）；未写入任何内容",
                f"contradicts the payment recorded: {en} (the file says {payment.amount:,.2f} "
                f"CNY on {payment.paid_on.isoformat()} by {payment.by}, {ref_en}); "
                "nothing was written",
                opened.source,
                path=f"payments[{i}]",
            ) from None


def audit_log(
    db: str | Storage, *, programme: str | None = None, station: str | None = None
) -> AuditLogResult:
    """The audit trail's entries (AUD-1) in the order they were appended, of ``programme``
    and of ``station`` if given (every programme's otherwise)."""
    target = _db(db)
    programme_id = _programme_id(programme)
    station_id = _optional_station(station)
    with _storage(target) as storage:
        entries = tuple(storage.audit_entries(programme_id, station_id))
        url = storage.url
    return AuditLogResult(url, entries, programme_id, station_id)


def audit_verify(db: str | Storage) -> AuditVerifyResult:
    """Whether the audit trail (AUD-1) is whole: every entry in order, linked to the one
    before, matching its hash, and as many as the stored head counts; else the first bad
    entry and what is wrong with it."""
    target = _db(db)
    with _storage(target) as storage:
        verdict = storage.audit_verify()
        url = storage.url
    return AuditVerifyResult(url, verdict)


EXPORT_CHUNK = 2000
"""Service records per TOML chunk: an export streams the ledger, so memory stays small."""
EXPORT_STATIONS = 500
"""Stations per batch: an export reads and writes the stations a batch at a time (issue 12)."""


def _export_chunks(storage: Storage, programme_id: str) -> Iterator[str]:
    """The programme-file TOML of a stored programme, in pieces, from one read snapshot: the
    programme's own sections, then its stations a batch at a time (read with their staff,
    years and the years' children, written, dropped), then the ledger in chunks and the
    payments. The text is what ``tomli_w`` writes for the programme without its ledger,
    followed by the ledger's chunks (``tests/integration/test_export_stream.py`` holds the earlier,
    whole-programme way as the reference; issue 12)."""
    from sgz_adapters._toml_stream import dumps_streamed

    with storage.reader() as uow:
        head = to_dict(uow.export_head(programme_id))
        head.pop(_tabular.RECORDS.field, None)

        def stations() -> Iterator[list[Any]]:
            for batch in uow.export_stations(programme_id, EXPORT_STATIONS):
                yield [toml_numbers(to_plain(station)) for station in batch]

        yield from dumps_streamed(head, "stations", stations)
        del head
        chunk: list[Any] = []
        for record in uow.records(programme_id):
            chunk.append(toml_numbers(to_plain(record)))
            if len(chunk) >= EXPORT_CHUNK:
                yield "\n" + tomli_w.dumps({_tabular.RECORDS.field: chunk})
                chunk = []
        if chunk:
            yield "\n" + tomli_w.dumps({_tabular.RECORDS.field: chunk})
        paid = uow.payments(programme_id)
        if paid:
            yield "\n" + tomli_w.dumps({"payments": payments_to_list(paid)})


def _require_programme(storage: Storage, programme_id: str) -> None:
    """:class:`NotFound` naming the stored ids, before anything is written."""
    with storage.reader() as uow:
        uow.programme_start(programme_id)


def export_text(source: Stored) -> Iterator[str]:
    """The stored programme as programme-file TOML, in chunks (the stations and the ledger
    streamed); ``loads`` of the whole text equals the stored programme. A missing programme
    fails before any text."""
    if not isinstance(source, Stored):
        raise InvalidInput("source: expected sgz_adapters.service.stored(db, id)")
    with _storage(source.db) as storage:
        programme_id = source.programme or storage.only_programme()
        _require_programme(storage, programme_id)
        yield from _export_chunks(storage, programme_id)


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the text so that ``path`` is either untouched or complete, never half written."""
    import tempfile

    path = path.absolute()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; an export is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database; an export may not replace them either."""


def _refuse_the_database(storage: Storage, to: str | os.PathLike[str]) -> None:
    """An export never replaces the database it reads (same file, by inode: a link or another
    spelling of the path is caught too), nor SQLite's files beside it."""
    path = getattr(storage, "path", None)
    if not isinstance(path, str) or not path or path == ":memory:":
        return
    target = Path(to)
    for suffix in ("", *SQLITE_SIDE_FILES):
        try:
            same = os.path.samefile(path + suffix, target)
        except (OSError, ValueError):  # one of them does not exist, or a NUL byte in the path
            same = False
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            # a side file SQLite has not made yet has no inode: compare the paths
            same = same or Path(path + suffix).resolve() == target.resolve()
        if same:
            raise say(
                f"应为所导出数据库（{path + suffix}）以外的文件；未写入任何内容",
                f"expected a file other than the database it exports from ({path + suffix}); "
                "nothing was written",
                str(to),
                path="--to",
            )


def export_programme(source: Stored, *, to: str | os.PathLike[str]) -> ExportResult:
    """Write the stored programme to the file ``to`` (atomically: complete or untouched)."""
    if not isinstance(source, Stored):
        raise InvalidInput("source: expected sgz_adapters.service.stored(db, id)")
    if not isinstance(to, str | os.PathLike) or not str(to).strip():
        raise say(f"应为文件路径，实为 {to!r}", f"expected a file path, got {to!r}", path="to")
    with _storage(source.db) as storage:
        _refuse_the_database(storage, to)
        programme_id = source.programme or storage.only_programme()
        _require_programme(storage, programme_id)  # NotFound before anything is written
        try:
            _write_atomically(Path(to), _export_chunks(storage, programme_id))
        except OSError as exc:
            raise say(
                f"无法写入该文件（{exc.strerror}）",
                f"cannot write the file ({exc.strerror})",
                str(to),
            ) from None
    return ExportResult(programme_id, source.url, str(to))


# --- Adapter-side listings -----------------------------------------------------------------------


@attrs.frozen
class RulesResult:
    """The rules this version checks, sgz's and the plugins'."""

    kind: ClassVar[str] = "rules"
    rules: tuple[Rule, ...]


@attrs.frozen
class PluginsResult:
    """The loaded plugins with their versions and hooks."""

    kind: ClassVar[str] = "plugins"
    plugins: tuple[PluginInfo, ...]


def list_rules() -> RulesResult:
    return RulesResult(tuple(all_rules(plugins.plugin_rules())))


def list_plugins() -> PluginsResult:
    return PluginsResult(tuple(plugins.installed_plugins()))


__all__ = [
    "EXPORT_CHUNK",
    "Opened",
    "PayRequest",
    "PluginsResult",
    "RulesResult",
    "Source",
    "Stored",
    "audit_log",
    "audit_verify",
    "check",
    "evaluate",
    "export_programme",
    "export_text",
    "import_programme",
    "ledger",
    "list_plugins",
    "list_rules",
    "open_existing",
    "open_source",
    "pay",
    "pay_many",
    "plan",
    "plaques",
    "schedule",
    "show_profile",
    "stats",
    "stored",
    "worklist",
]
