"""Hypothesis strategies for every sgz domain type, for property tests of code built on sgz.

Every strategy generates only valid values (the attrs classes accept them), and the
``compliant=True`` variants generate values on which the rules of the given policy (the built-in
Chengguan policy by default) find nothing at all. Arguments that take a value also take a
strategy of values. See ``docs/testing.md`` for a worked example.

The strategies live in one module per domain area (``codes``, ``staff``, ``sites``, ``funding``,
``programme``, ``schedule``, ``profile``, ``planning``, ``casework``, ``linkage``, ``casework_programme``,
``performance``, ``lifecycle``, ``payments``);
import them from here, where every public name is, not from those modules.

Needs Hypothesis (the ``testing`` extra); the rest of ``sgz_core`` never imports it.
"""

from __future__ import annotations

from sgz_core.testing.strategies._base import (
    DEFAULT_START,
    LAST_START,
    MAX_MONEY,
    USCC_ALPHABET,
    communities,
    person_names,
    streets,
)
from sgz_core.testing.strategies.casework import (
    beneficiaries,
    case_histories,
    cases,
    circumstances,
    id_numbers,
    referrals,
    service_records,
    visit_intervals,
)
from sgz_core.testing.strategies.casework_programme import casework_programmes
from sgz_core.testing.strategies.codes import ids, money, uscc_codes
from sgz_core.testing.strategies.funding import (
    contract_years,
    evaluations,
    expenses,
    fundings,
    hardship_relief,
    receipts,
)
from sgz_core.testing.strategies.lifecycle import lifecycle_compliant
from sgz_core.testing.strategies.linkage import (
    meetings,
    organisations,
    publicity,
    resources,
    trainings,
    volunteer_teams,
)
from sgz_core.testing.strategies.payments import PayRequest, pay_requests, payments
from sgz_core.testing.strategies.performance import (
    compliant_programmes,
    corrective_actions,
    evaluations_with_results,
    money_programmes,
    results,
    staff_over_time,
    targets,
)
from sgz_core.testing.strategies.planning import plan_starts, plans, station_counts
from sgz_core.testing.strategies.profile import parameter_values, profiles
from sgz_core.testing.strategies.programme import programmes, stations
from sgz_core.testing.strategies.schedule import (
    Schedule,
    schedules,
    tranche_plans,
    tranche_shares,
    weights,
)
from sgz_core.testing.strategies.sites import premises, signage
from sgz_core.testing.strategies.staff import contractors, staff_members

__all__ = [
    "DEFAULT_START",
    "LAST_START",
    "MAX_MONEY",
    "USCC_ALPHABET",
    "PayRequest",
    "Schedule",
    "beneficiaries",
    "case_histories",
    "cases",
    "casework_programmes",
    "circumstances",
    "communities",
    "compliant_programmes",
    "contract_years",
    "contractors",
    "corrective_actions",
    "evaluations",
    "evaluations_with_results",
    "expenses",
    "fundings",
    "hardship_relief",
    "id_numbers",
    "ids",
    "lifecycle_compliant",
    "meetings",
    "money",
    "money_programmes",
    "organisations",
    "parameter_values",
    "pay_requests",
    "payments",
    "person_names",
    "plan_starts",
    "plans",
    "premises",
    "profiles",
    "programmes",
    "publicity",
    "receipts",
    "referrals",
    "resources",
    "results",
    "schedules",
    "service_records",
    "signage",
    "staff_members",
    "staff_over_time",
    "station_counts",
    "stations",
    "streets",
    "targets",
    "trainings",
    "tranche_plans",
    "tranche_shares",
    "uscc_codes",
    "visit_intervals",
    "volunteer_teams",
    "weights",
]
