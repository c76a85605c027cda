"""The check of a programme read station by station, in bounded memory (``check --db``, issue 12).

:func:`sgz_core.rules.run_rules` needs the whole programme; a database of 30,000 stations and a
million service records does not fit in a few hundred megabytes. :class:`StreamedCheck` gives
exactly the same findings, in the same order, from the programme's *head* (its own fields, its
contractors and its sections: beneficiaries, cases …, hardship relief; no stations, no ledger)
and then its stations in *parts* (consecutive stations in programme order, each with its staff,
years and their children, and the service records of those stations in ledger order).

Most rules look at one station, one station-year or one contractor: they run on each part (a
programme made of the head and the part, so a rule that consults ``ctx.programme`` sees the
whole sections and the station's own records). The programme-scope rules that look across
stations keep only what they need between parts:

- FUND-5 (hardship relief) and SCOPE-1 (beneficiary categories) read sections only: the head.
- LOT-1 reads every station's lot, street and communities: each part is checked with the first
  earlier station of each of its lots in front (what decides "this lot already has a station",
  as :func:`sgz_core.storage.station_part` does for one station), keeping the findings about the
  part's stations; "lot N has no station" comes from the first station of every lot at the end.
- SCOPE-2 (administrative records) reads the ledger: its findings are per station, sorted by
  station, errors (paid from station money) before notices (hours kept): each part's are kept
  and merged by station at the end.
- PII-1 (consent and guardians) reads the beneficiaries (the head: the guardian warnings, in
  register order) and, for beneficiaries who withdrew consent, the records after it (each part:
  per station and person, merged by station at the end).

A programme-scope rule not named here (a plugin's) cannot be streamed: :func:`streamable` says
so and the caller checks the whole programme instead. The pure reference is the whole check:
``tests/unit/test_streamed_check.py`` compares both on the examples and generated programmes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import Consent
from sgz_core.enums import Severity
from sgz_core.findings import Finding
from sgz_core.model import Programme, Station
from sgz_core.profiles import Profile
from sgz_core.rules import RULES, Rule, Scope, run_rules

HEAD_RULES = frozenset({"FUND-5", "SCOPE-1"})
"""Programme-scope rules that read the programme's sections only (never a station or record)."""

PART_RULES = frozenset({"LOT-1", "PII-1", "SCOPE-2"})
"""Programme-scope rules that look across stations and are merged from the parts."""

PART_SIZE = 500
"""Stations per part: small enough to keep the memory bounded, large enough that the sections
are counted (PERF-1, PERF-3) few times (issue 12)."""


def streamable(rules: Iterable[Rule]) -> bool:
    """Whether :class:`StreamedCheck` gives exactly the findings of ``rules``: sgz's own rules
    only (a plugin's rule may look at the whole programme in ways not known here)."""
    return all(RULES.get(r.id) is r for r in rules) and all(
        r.id in HEAD_RULES or r.id in PART_RULES for r in rules if r.scope is Scope.PROGRAMME
    )


def _by_station(findings: list[Finding]) -> list[Finding]:
    """Stable by station: a station's findings come from one part, already in their order."""
    return sorted(findings, key=lambda f: f.station or "")


class StreamedCheck:
    """Feed the parts with :meth:`add`, in programme order; then :meth:`findings`.

    ``head``: the programme without stations and records (its contractors and sections whole).
    ``rules``: the selected rules (:func:`sgz_core.rules.select_rules`), all :func:`streamable`.
    """

    def __init__(
        self, head: Programme, profile: Profile, as_of: dt.date, rules: Sequence[Rule]
    ) -> None:
        if not streamable(rules):
            raise ValueError("these rules cannot be checked station by station; check the whole")
        if head.stations or head.records:
            raise ValueError("the head of a streamed check holds no stations and no records")
        self.head = head
        self.profile = profile
        self.as_of = as_of
        self.rules = list(rules)
        self._own = [r for r in self.rules if r.scope in (Scope.STATION, Scope.YEAR)]
        self._wanted = {r.id for r in self.rules}
        self._stations: list[Finding] = []
        self._lots: list[Finding] = []
        self._firsts: dict[int, tuple[int, Station]] = {}  # LOT-1: lot -> first station (order)
        self._seen = 0
        self._paid: list[Finding] = []  # SCOPE-2 errors
        self._kept: list[Finding] = []  # SCOPE-2 notices
        self._late: list[Finding] = []  # PII-1 records after a withdrawal
        withdrawn = tuple(
            b
            for b in head.beneficiaries
            if b.consent is Consent.WITHDRAWN and b.consent_date is not None
        )
        # PII-1 over the withdrawn only: its first findings are their guardian warnings (left out,
        # the head gives every beneficiary's), the rest the records after a withdrawal
        self._withdrawn = attrs.evolve(head, beneficiaries=withdrawn) if withdrawn else None
        self._skip = 0
        if self._withdrawn is not None and "PII-1" in self._wanted:
            self._skip = len(list(run_rules([RULES["PII-1"]], self._withdrawn, profile, as_of)))

    def _run(self, rule_id: str, programme: Programme) -> list[Finding]:
        return list(run_rules([RULES[rule_id]], programme, self.profile, self.as_of))

    def add(self, stations: Sequence[Station], records: Sequence[ServiceRecord]) -> None:
        """Check the next stations (in programme order) with their service records (in ledger
        order): every record of these stations and of no other."""
        if not stations:
            return
        part = attrs.evolve(self.head, stations=tuple(stations), records=tuple(records))
        self._stations += run_rules(self._own, part, self.profile, self.as_of)
        ids = {s.id for s in stations}
        if "LOT-1" in self._wanted:
            lots = {s.lot for s in stations if s.lot is not None}
            before = sorted(
                (self._firsts[lot] for lot in lots if lot in self._firsts), key=lambda x: x[0]
            )
            seen = attrs.evolve(part, stations=(*(s for _, s in before), *stations), records=())
            self._lots += [f for f in self._run("LOT-1", seen) if f.station in ids]
            for i, s in enumerate(stations):
                if s.lot is not None and s.lot not in self._firsts:
                    self._firsts[s.lot] = (self._seen + i, attrs.evolve(s, staff=(), years=()))
        self._seen += len(stations)
        if not part.records:
            return
        if "SCOPE-2" in self._wanted:
            for f in self._run("SCOPE-2", attrs.evolve(part, stations=())):
                (self._paid if f.severity is Severity.ERROR else self._kept).append(f)
        if "PII-1" in self._wanted and self._withdrawn is not None:
            late = attrs.evolve(self._withdrawn, records=part.records)
            self._late += self._run("PII-1", late)[self._skip :]

    def findings(self) -> list[Finding]:
        """Every finding, in the whole check's order: the programme-scope rules' (each rule's
        together, in rule order), the contractors', then the stations' in programme order."""
        out: list[Finding] = []
        for r in self.rules:
            if r.scope is not Scope.PROGRAMME:
                continue
            if r.id in HEAD_RULES:
                out += self._run(r.id, self.head)
            elif r.id == "LOT-1":
                firsts = tuple(s for _, s in sorted(self._firsts.values(), key=lambda x: x[0]))
                ends = self._run("LOT-1", attrs.evolve(self.head, stations=firsts))
                out += self._lots + [f for f in ends if f.station is None]
            elif r.id == "SCOPE-2":
                out += _by_station(self._paid) + _by_station(self._kept)
            elif r.id == "PII-1":
                out += self._run("PII-1", self.head) + _by_station(self._late)
        contractor_rules = [r for r in self.rules if r.scope is Scope.CONTRACTOR]
        out += run_rules(contractor_rules, self.head, self.profile, self.as_of)
        return out + self._stations


__all__ = ["HEAD_RULES", "PART_RULES", "PART_SIZE", "StreamedCheck", "streamable"]
