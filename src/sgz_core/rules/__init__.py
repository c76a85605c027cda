"""The rules: one small function per requirement id, registered with :func:`rule`.

Find a rule from its id: ``FUND-*`` in ``funding.py``, ``PAY-1`` and ``PERF-3`` in
``disbursement.py``, ``PERF-1`` and ``PERF-2`` in ``performance.py``, ``STAFF-*`` in ``staffing.py``, ``SITE-*`` in ``premises.py``, ``SIGN-*`` in
``signage.py``, ``TERM-1`` and ``LOT-1`` in ``scope.py``, ``SCOPE-1``, ``SCOPE-2`` and ``PII-1``
in ``casework.py``. Every number a rule uses comes from the
:class:`~sgz_core.profiles.Policy` in force on the day the rule concerns (PROF-1).

A rule is a generator that yields :func:`error`, :func:`warning` or :func:`notice`; the engine
adds the rule id, station and year. Adding a rule is adding one function and registering it with
``rule(...)(fn)`` (or ``@rule(...)``; the modules under mutation testing keep their functions
undecorated, since mutmut skips decorated ones). Messages are whole sentences ending in 。 / ".".
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Iterator

import attrs

from sgz_core.enums import Severity
from sgz_core.errors import InvalidInput, NotFound
from sgz_core.findings import Finding
from sgz_core.model import Contractor, ContractYear, Programme
from sgz_core.profiles import Policy, Profile

_ID = re.compile(r"^[A-Z]+-\d+$")


class Scope(enum.Enum):
    """What one call of a rule looks at."""

    PROGRAMME = "programme"
    CONTRACTOR = "contractor"
    STATION = "station"
    YEAR = "year"


@attrs.frozen
class Say:
    """What a rule yields: a severity and the message in Chinese and English."""

    severity: Severity
    message: str
    message_en: str
    station: str | None = None
    """Set only by programme-scope rules that speak about one station."""
    year: int | None = None
    """Set only by station-scope rules that speak about one contract year (TERM-1)."""


def error(zh: str, en: str, *, station: str | None = None, year: int | None = None) -> Say:
    return Say(Severity.ERROR, zh, en, station, year)


def warning(zh: str, en: str, *, station: str | None = None, year: int | None = None) -> Say:
    return Say(Severity.WARNING, zh, en, station, year)


def notice(zh: str, en: str, *, station: str | None = None, year: int | None = None) -> Say:
    return Say(Severity.NOTICE, zh, en, station, year)


@attrs.frozen
class Context:
    """What every rule may consult besides its subject."""

    programme: Programme
    profile: Profile
    as_of: dt.date
    _year_policies: dict[int, Policy] = attrs.field(
        factory=dict, init=False, repr=False, eq=False, hash=False
    )
    """Policies by contract-year number: several rules ask for each station-year's (issue 12)."""

    @property
    def policy(self) -> Policy:
        """The policy in force on ``as_of``."""
        return self.profile.at(self.as_of)

    def year_policy(self, year: ContractYear) -> Policy:
        """The policy in force at the start of contract year ``year`` (PROF-1)."""
        policy = self._year_policies.get(year.year)
        if policy is None:
            policy = self.profile.at(self.programme.year_start(year.year))
            self._year_policies[year.year] = policy
        return policy


def _valid_id(instance: object, attribute: object, rule_id: str) -> None:
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} is not of the form FAMILY-N")


@attrs.frozen
class Rule:
    """A registered rule: id from the requirement catalogue, seed clause, title, check.

    Built-in rules are made by :func:`rule`; a plugin makes its own ``Rule(...)`` and hands it to
    the ``sgz_register_rules`` hook, so the same id check applies to both.
    """

    id: str = attrs.field(validator=_valid_id)
    clause: str
    title: str
    title_en: str
    scope: Scope
    check: Callable[..., Iterable[Say]]

    @property
    def sort_key(self) -> tuple[str, int]:
        family, _, number = self.id.partition("-")
        return (family, int(number) if number.isdigit() else 0)


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, *, clause: str, title: str, title_en: str, scope: Scope
) -> Callable[[Callable[..., Iterable[Say]]], Callable[..., Iterable[Say]]]:
    """Register a function as the check of ``rule_id``: ``rule(...)(fn)`` or ``@rule(...)``.

    The function's arguments depend on ``scope``: ``(programme, ctx)``, ``(contractor, ctx)``,
    ``(station, ctx)`` or ``(station, year, ctx)``.
    """
    if not _ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} is not of the form FAMILY-N")

    def register(fn: Callable[..., Iterable[Say]]) -> Callable[..., Iterable[Say]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        RULES[rule_id] = Rule(rule_id, clause, title, title_en, scope, fn)
        return fn

    return register


def _load_builtin_rules() -> None:
    from sgz_core.rules import (  # noqa: F401 - imported for their registrations
        casework,
        disbursement,
        funding,
        performance,
        premises,
        scope,
        signage,
        staffing,
    )


def all_rules(extra: Iterable[Rule] = ()) -> list[Rule]:
    """Every registered rule and the ``extra`` ones (from plugins), in id order."""
    _load_builtin_rules()
    table = dict(RULES)
    for r in extra:
        if r.id in table:
            raise InvalidInput(f"rule {r.id} is registered twice")
        table[r.id] = r
    return sorted(table.values(), key=lambda r: r.sort_key)


def select_rules(only: Iterable[str] | None = None, extra: Iterable[Rule] = ()) -> list[Rule]:
    """The rules a check runs: every rule (built-in and ``extra``), or those named in ``only``."""
    rules = all_rules(extra)
    if only is None:
        return rules
    wanted = set(only)
    unknown = wanted - {r.id for r in rules}
    if unknown:
        raise NotFound("rule", sorted(unknown)[0], [r.id for r in rules])
    return [r for r in rules if r.id in wanted]


def check(
    programme: Programme,
    profile: Profile,
    as_of: dt.date,
    *,
    only: Iterable[str] | None = None,
    extra_rules: Iterable[Rule] = (),
) -> list[Finding]:
    """Every finding of every rule (or of the rules in ``only``) about ``programme``."""
    return list(iter_findings(programme, profile, as_of, only=only, extra_rules=extra_rules))


def iter_findings(
    programme: Programme,
    profile: Profile,
    as_of: dt.date,
    *,
    only: Iterable[str] | None = None,
    extra_rules: Iterable[Rule] = (),
) -> Iterator[Finding]:
    return run_rules(select_rules(only, extra_rules), programme, profile, as_of)


def run_rules(
    rules: Iterable[Rule], programme: Programme, profile: Profile, as_of: dt.date
) -> Iterator[Finding]:
    """The findings of exactly ``rules`` (already selected) about ``programme``."""
    rules = list(rules)
    ctx = Context(programme, profile, as_of)
    by_scope: dict[Scope, list[Rule]] = {s: [r for r in rules if r.scope is s] for s in Scope}

    def wrap(
        r: Rule, says: Iterable[Say], station: str | None, year: int | None
    ) -> Iterator[Finding]:
        for say in says:
            yield Finding(
                r.id,
                say.severity,
                say.station or station,
                year if say.year is None else say.year,
                say.message,
                say.message_en,
            )

    for r in by_scope[Scope.PROGRAMME]:
        yield from wrap(r, r.check(programme, ctx), None, None)
    for contractor in programme.contractors:
        for r in by_scope[Scope.CONTRACTOR]:
            yield from wrap(r, r.check(contractor, ctx), None, None)
    for station in programme.stations:
        for r in by_scope[Scope.STATION]:
            yield from wrap(r, r.check(station, ctx), station.id, None)
        for year in sorted(station.years, key=lambda y: y.year):
            for r in by_scope[Scope.YEAR]:
                yield from wrap(r, r.check(station, year, ctx), station.id, year.year)


__all__ = [
    "RULES",
    "Context",
    "Contractor",
    "Rule",
    "Say",
    "Scope",
    "all_rules",
    "check",
    "error",
    "iter_findings",
    "notice",
    "rule",
    "run_rules",
    "select_rules",
    "warning",
]
