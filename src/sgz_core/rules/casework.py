"""Casework rules: SCOPE-1 (``二``), SCOPE-2 (``二``) and PII-1 (personal information).

Messages name beneficiaries by their id in the register, never by ID number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from sgz_core.casework.beneficiaries import CONSENT_AGE
from sgz_core.casework.vocabulary import Consent
from sgz_core.enums import FundingSource
from sgz_core.model import Programme
from sgz_core.rules import Context, Say, Scope, error, notice, rule, warning


def _few(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" … ({len(items)})" if len(items) > limit else "")


def known_categories(programme: Programme, ctx: Context) -> Iterator[Say]:
    known = {c.id for c in ctx.policy.beneficiary_categories}
    unknown: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for b in programme.beneficiaries:
        for c in b.categories:
            if c not in known:
                unknown[b.station][c].append(b.id)
    for station, table in unknown.items():
        for category, people in sorted(table.items()):
            yield error(
                f"服务对象类别“{category}”不在政策配置中（{_few(people)}），请在配置中增加或更正该类别。",
                f"Category {category!r} is not one of the profile's beneficiary categories "
                f"({_few(people)}); add it to the profile or correct it.",
                station=station,
            )


rule(
    "SCOPE-1",
    clause="二",
    scope=Scope.PROGRAMME,
    title="重点服务对象类别",
    title_en="Beneficiary categories are the profile's",
)(known_categories)


def administrative_work(programme: Programme, ctx: Context) -> Iterator[Say]:
    paid: dict[tuple[str, FundingSource], list[str]] = defaultdict(list)
    kept: dict[str, list[Decimal]] = defaultdict(list)
    for r in programme.records:
        if not r.administrative:
            continue
        kept[r.station].append(r.hours)
        if r.fund is not None:
            paid[(r.station, r.fund)].append(r.date.isoformat())
    for (station, fund), days in sorted(paid.items(), key=lambda kv: (kv[0][0], kv[0][1].value)):
        yield error(
            f"有{len(days)}条行政性事务记录由站点经费（{fund.zh}）支付（{_few(days)}）；应由政府直接履职的事项不得使用社工站经费。",
            f"{len(days)} administrative record(s) are paid from station money ({fund.value}) on "
            f"{_few(days)}; duties the government performs itself cannot be paid from station funds.",
            station=station,
        )
    for station, hours in sorted(kept.items()):
        total = sum(hours, Decimal(0))
        yield notice(
            f"有{len(hours)}条行政性事务记录（{total}小时）保留在台账中，不计入社会工作服务。",
            f"{len(hours)} administrative record(s) ({total} hours) are kept in the ledger and not "
            "counted as social-work service.",
            station=station,
        )


rule(
    "SCOPE-2",
    clause="二",
    scope=Scope.PROGRAMME,
    title="行政性事务不纳入购买服务",
    title_en="Administrative duties are not social-work service",
)(administrative_work)


def consent_and_guardians(programme: Programme, ctx: Context) -> Iterator[Say]:
    on = ctx.as_of
    withdrawn = {}
    for b in programme.beneficiaries:
        if b.consent is Consent.WITHDRAWN and b.consent_date is not None:
            withdrawn[b.id] = b.consent_date
        if not b.active_on(on) or not b.is_child_on(on):
            continue
        guardians = {g.name for g in b.guardians}
        if not guardians:
            yield warning(
                f"未成年服务对象{b.id}没有登记监护人。",
                f"Child {b.id} has no guardian in the register (DOM-3 guardianship).",
                station=b.station,
            )
        age = b.age_on(on)
        if (
            b.consent.given
            and age is not None
            and age < CONSENT_AGE
            and b.consent_by not in guardians
        ):
            yield warning(
                f"不满{CONSENT_AGE}周岁的服务对象{b.id}的同意应由监护人作出。",
                f"Child {b.id} is under {CONSENT_AGE}: consent must come from a guardian "
                "(consent_by names one of the guardians; PIPL art. 31).",
                station=b.station,
            )
    if not withdrawn:
        return
    late: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in programme.records:
        for person in r.beneficiaries:
            since = withdrawn.get(person)
            if since is not None and r.date > since:
                late[(r.station, person)].append(r.date.isoformat())
    for (station, person), days in sorted(late.items()):
        yield warning(
            f"服务对象{person}已撤回同意，其后仍有服务记录（{_few(days)}）。",
            f"Beneficiary {person} withdrew consent, yet services are recorded after it on {_few(days)}.",
            station=station,
        )


rule(
    "PII-1",
    clause="PIPL 28 31",
    scope=Scope.PROGRAMME,
    title="个人信息：同意与监护",
    title_en="Personal information: consent and guardians",
)(consent_and_guardians)


__all__ = [
    "administrative_work",
    "consent_and_guardians",
    "known_categories",
]
