"""Built-in plugin: sgz's own implementation of ``sgz_check``, which runs the rules it is given.

It runs last (``trylast``), so a plugin may replace the check with its own implementation, or
wrap it (``wrapper=True``) to time the run, filter findings or add some.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sgz_core import hookimpl
from sgz_core.findings import Finding
from sgz_core.model import Programme
from sgz_core.profiles import Profile
from sgz_core.rules import Rule, run_rules


@hookimpl(trylast=True)
def sgz_check(
    programme: Programme, profile: Profile, as_of: dt.date, rules: Sequence[Rule]
) -> list[Finding]:
    return list(run_rules(rules, programme, profile, as_of))


__all__: list[str] = []  # only the sgz_check hook implementation, found by pluggy
