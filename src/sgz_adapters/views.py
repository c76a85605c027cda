"""Every result value as JSON data and as a table, the one place the reporters take them from.

:func:`json_data` gives the public JSON shape of each command (``programme-format.md``; keys and
order are a contract). :func:`tabulate` gives a :class:`Table` (title, headers, rows, notes) in
``zh`` or ``en``: Chinese labels, not English codes, when the language is Chinese.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import attrs

from sgz_adapters.pii import mask_id_numbers
from sgz_core import profiles
from sgz_core.audit import AuditAction, AuditEntry
from sgz_core.audit_diff import SECTION_OF
from sgz_core.casework.beneficiaries import UNRANKED, category_table
from sgz_core.casework.counting import Tally
from sgz_core.casework.vocabulary import ReferralStatus
from sgz_core.disbursement import Tranche
from sgz_core.enums import (
    EvaluationKind,
    ExpenseCategory,
    FundingSource,
    Labelled,
    Milestone,
    Outcome,
    TrancheStatus,
)
from sgz_core.findings import Finding
from sgz_core.money import FEN
from sgz_core.payments import Adjustment, Payment, Totals
from sgz_core.text import Text

if TYPE_CHECKING:  # annotations only: a file check imports neither (issue 12: start-up)
    from sgz_core.casework.worklist import WorkItem
    from sgz_core.fund_ledger import Amounts, FundLine, StationYearLedger

# --- records -------------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal) -> str:
    """Hours as exact text without trailing zeros (``3.5``, ``8``)."""
    return f"{value.normalize():f}" if value else "0"


def finding_record(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "station": f.station,
        "year": f.year,
        "message": mask_id_numbers(f.message),
        "message_en": mask_id_numbers(f.message_en),
    }


def share_text(value: Decimal) -> str:
    """A tranche's share: two decimals (``"0.60"``), more only when the profile's share has more
    (``"0.125"``), never rounded, so the shares shown sum to 1 as the profile's do (PAY-1)."""
    two = f"{value:.2f}"
    return two if Decimal(two) == value else f"{value.normalize():f}"


def tranche_record(t: Tranche) -> dict[str, Any]:
    return {
        "station": t.station,
        "year": t.year,
        "milestone": t.milestone.value,
        "share": share_text(t.share),
        "amount": f"{t.amount:.2f}",
        "status": t.status.value,
        "date": t.date.isoformat() if t.date else None,
    }


def payment_record(p: Payment) -> dict[str, Any]:
    """A recorded payment: the keys of ``[[payments]]`` in a programme file, and when sgz
    recorded it."""
    return {
        "station": p.station,
        "year": p.year,
        "tranche": p.milestone.value,
        "amount": f"{p.amount:.2f}",
        "date": p.paid_on.isoformat(),
        "by": p.by,
        "reference": p.reference,
        "recorded_at": p.recorded_at.isoformat() if p.recorded_at else None,
    }


def totals_record(t: Totals) -> dict[str, Any]:
    return {
        "station": t.station,
        "year": t.year,
        "contract_value": f"{t.contract_value:.2f}",
        "paid": f"{t.paid:.2f}",
        "due": f"{t.due:.2f}",
        "held": f"{t.held:.2f}",
        "cancelled": f"{t.cancelled:.2f}",
        "pending": f"{t.pending:.2f}",
        "adjustment": f"{t.adjustment:.2f}",
        "outstanding": f"{t.outstanding:.2f}",
    }


def adjustment_record(a: Adjustment) -> dict[str, Any]:
    return {
        "station": a.payment.station,
        "year": a.payment.year,
        "tranche": a.payment.milestone.value,
        "recorded": f"{a.recorded:.2f}",
        "current": f"{a.current:.2f}",
        "difference": f"{a.difference:.2f}",
        "kind": "overpaid" if a.overpaid else "adjustment_due",
    }


def item_record(item: WorkItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "priority": None if item.priority == UNRANKED else item.priority,
        "category": item.category,
        "groups": list(item.groups),
        "beneficiary": item.beneficiary,
        "name": item.name,
        "id_number": item.id_number,
        "domain": item.domain.value if item.domain else None,
        "due": _iso(item.due),
        "last_visit": _iso(item.last_visit),
        "days_overdue": item.days_overdue,
        "case": item.case,
        "stage": item.stage.value if item.stage else None,
        "since": _iso(item.since),
        "worker": item.worker,
        "assistance": [k.value for k in item.assistance],
    }


def _by_value(counts: Any) -> dict[str, int]:
    return {m.value: n for m, n in sorted(counts.items(), key=lambda kv: kv[0].value)}


def tally_record(t: Tally) -> dict[str, Any]:
    """A tally as stable JSON: counts as integers, hours and money as exact strings."""
    return {
        "people": t.people,
        "people_by_category": t.people_by_category(),
        "participants": t.participants,
        "records": t.records,
        "service_hours": _number(t.hours),
        "by_method": _by_value(t.by_method),
        "by_service": dict(sorted(t.by_service.items())),
        "cases": {"opened": t.cases_opened, "closed": t.cases_closed, "reopened": t.cases_reopened},
        "visits": {"done": t.visits_done, "due": t.visits_due},
        "referrals": {s.value: t.referrals.get(s, 0) for s in ReferralStatus},
        "volunteers": t.volunteers,
        "volunteer_hours": _number(t.volunteer_hours),
        "administrative": {
            "records": t.administrative_records,
            "hours": _number(t.administrative_hours),
        },
        "linkage": {
            "organisations": _by_value(t.organisations),
            "resources_money": f"{t.resources_money.quantize(FEN)}",
            "resources_in_kind": t.resources_in_kind,
            "meetings": t.meetings,
            "meeting_participants": t.meeting_participants,
            "training_hours": _number(t.training_hours),
            "publicity": _by_value(t.publicity),
        },
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):  # exact, as a string
        return str(value)
    return value


# --- JSON ----------------------------------------------------------------------------------------


def check_json(r: Any) -> dict[str, Any]:
    """A check's JSON value with its findings as an iterator of records, made one at a time
    while the document is written (:func:`sgz_adapters.render.json_bytes`, issue 12)."""
    return {
        "programme": r.programme.id,
        "as_of": r.as_of.isoformat(),
        "findings": map(finding_record, r.findings),
        "summary": r.summary,
    }


def _check(r: Any) -> Any:
    data = check_json(r)
    data["findings"] = list(data["findings"])
    return data


def _schedule(r: Any) -> Any:
    tranches = []
    for t in r.tranches:
        record = tranche_record(t)
        p = r.payment_of(t)
        record["payment"] = (
            None
            if p is None
            else {
                "date": p.paid_on.isoformat(),
                "amount": f"{p.amount:.2f}",
                "by": p.by,
                "reference": p.reference,
            }
        )
        tranches.append(record)
    return {
        "programme": r.programme.id,
        "as_of": r.as_of.isoformat(),
        "tranches": tranches,
        "totals": [totals_record(t) for t in r.totals],
        "adjustments": [adjustment_record(a) for a in r.adjustments],
    }


def _pay(r: Any) -> Any:
    return {
        "programme": r.programme,
        "as_of": r.as_of.isoformat(),
        "outcome": r.outcome.value,
        "reason": None if r.reason is None else r.reason.value,
        "message": mask_id_numbers(r.message_zh),
        "message_en": mask_id_numbers(r.message_en),
        "tranche": tranche_record(r.tranche),
        "payment": None if r.payment is None else payment_record(r.payment),
    }


def amounts_record(a: Amounts) -> dict[str, Any]:
    """A fund's (or a total's) amounts as exact strings with two decimals."""
    return {
        "pledged": f"{a.pledged:.2f}",
        "received": f"{a.received:.2f}",
        "paid_out": f"{a.paid_out:.2f}",
        "spent": f"{a.spent:.2f}",
        "committed": f"{a.committed:.2f}",
        "balance": f"{a.balance:.2f}",
        "outstanding": f"{a.outstanding:.2f}",
    }


def fund_record(line: FundLine) -> dict[str, Any]:
    return {
        "source": line.source.value,
        "ring_fenced": line.ring_fenced,
        "purposes": list(line.purposes),
        **amounts_record(line),
    }


def ledger_record(ledger: StationYearLedger) -> dict[str, Any]:
    return {
        "station": ledger.station,
        "year": ledger.year,
        "receipts_recorded": ledger.receipts_recorded,
        "funds": [fund_record(line) for line in ledger.funds],
        "total": amounts_record(ledger.total),
    }


def _ledger(r: Any) -> Any:
    return {
        "programme": r.programme.id,
        "as_of": r.as_of.isoformat(),
        "station": r.station,
        "year": r.year,
        "ledgers": [ledger_record(x) for x in r.ledgers],
        "funds": [{"source": s.value, **amounts_record(a)} for s, a in r.funds.items()],
        "total": amounts_record(r.total),
    }


def _plaques(r: Any) -> Any:
    return {
        "programme": r.programme.id,
        "as_of": r.as_of.isoformat(),
        "logo_required": r.logo_required,
        "plaques": [
            {
                "station": p.station,
                "street": p.street,
                "rule": p.rule,
                "text": p.text,
                "shown": p.shown,
            }
            for p in r.plaques
        ],
    }


def _worklist(r: Any) -> Any:
    return {
        "programme": r.programme.id,
        "station": r.station,
        "as_of": r.as_of.isoformat(),
        "items": [item_record(i) for i in r.items],
    }


def stats_json(r: Any) -> dict[str, Any]:
    """The JSON value of ``stats`` with its cells as an iterator of records, made one at a time
    while the document is written (:func:`sgz_adapters.render.json_bytes`; a national
    ``stats --db`` has some 90,000 cells, issue 12)."""
    cells = r.counts.cells
    return {
        "programme": r.programme.id,
        "as_of": r.as_of.isoformat(),
        "station": r.station,
        "year": r.year,
        "counts": (
            {
                "station": k.station,
                "year": k.year,
                "domain": k.domain.value,
                **tally_record(cells[k]),
            }
            for k in r.counts.sorted_keys()
        ),
        "total": tally_record(r.counts.total()),
    }


def _stats(r: Any) -> Any:
    data = stats_json(r)
    data["counts"] = list(data["counts"])
    return data


def _rules(r: Any) -> Any:
    return [
        {
            "rule": rule.id,
            "clause": rule.clause,
            "scope": rule.scope.value,
            "title": rule.title,
            "title_en": rule.title_en,
            "module": rule.check.__module__,
        }
        for rule in r.rules
    ]


def _plugins(r: Any) -> Any:
    return [
        {
            "name": p.name,
            "version": p.version,
            "hooks": list(p.hooks),
            "source": p.source,
            "distribution": p.distribution,
        }
        for p in r.plugins
    ]


def _points(value: Decimal | None) -> str | None:
    """A score or points to the hundredth, as the scorecard's JSON writes them."""
    return None if value is None else f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):f}"


def _evaluate(r: Any) -> Any:
    rec = r.recorded
    return {
        "programme": r.programme.id,
        "as_of": r.as_of.isoformat(),
        **r.scorecard.as_dict(),
        "recorded": None
        if rec is None
        else {
            "score": _points(rec.score),
            "computed": _points(rec.computed),
            "score_differs": rec.score_differs,
            "outcome": None if rec.outcome is None else rec.outcome.value,
            "proposed_outcome": rec.proposed.value,
            "outcome_differs": rec.outcome_differs,
            "reason": rec.reason,
            "reason_missing": rec.reason_missing,
        },
    }


def _plan(r: Any) -> Any:
    from sgz_adapters.plan_views import plan_json

    return plan_json(r)


def audit_record(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry as ``sgz audit log --format json`` shows it: its stored fields, with
    ``before`` and ``after`` as JSON values (their canonical text is what the hash covers)."""
    record = entry.to_plain()
    for key in ("before", "after"):
        text = record[key]
        record[key] = None if text is None else json.loads(text)
    return record


def _audit_log(r: Any) -> Any:
    return {
        "db": r.db,
        "programme": r.programme,
        "station": r.station,
        "entries": [audit_record(e) for e in r.entries],
    }


def _audit_verify(r: Any) -> Any:
    v = r.verdict
    bad = None
    if not v.whole:
        bad = {
            "position": v.bad,
            "seq": v.seq,
            "problem": v.problem.value,
            "message": v.why.zh,
            "message_en": v.why.en,
        }
    return {"db": r.db, "whole": v.whole, "count": v.count, "head": v.head, "bad": bad}


JSON: dict[str, Callable[[Any], Any]] = {
    "check": _check,
    "schedule": _schedule,
    "plaques": _plaques,
    "worklist": _worklist,
    "stats": _stats,
    "evaluate": _evaluate,
    "plan": _plan,
    "ledger": _ledger,
    "profile": lambda r: _jsonable(profiles.to_dict(r.profile)),
    "import": lambda r: {"programme": r.programme, "db": r.db, "replaced": r.replaced},
    "export": lambda r: {"programme": r.programme, "db": r.db, "to": r.to},
    "rules": _rules,
    "plugins": _plugins,
    "pay": _pay,
    "audit_log": _audit_log,
    "audit_verify": _audit_verify,
}


def json_data(result: Any) -> Any:
    """The JSON value of a result, by its ``kind``."""
    return JSON[result.kind](result)


# --- tables --------------------------------------------------------------------------------------

T = Text
HEAD: dict[str, Text] = {
    "rule": T("规则", "rule"),
    "severity": T("级别", "severity"),
    "station": T("站点", "station"),
    "year": T("合同年", "year"),
    "message": T("说明", "message"),
    "milestone": T("拨付节点", "milestone"),
    "share": T("比例", "share"),
    "amount": T("金额（元）", "amount"),
    "status": T("状态", "status"),
    "date": T("日期", "date"),
    "plaque": T("标牌", "plaque"),
    "shown": T("已悬挂", "shown"),
    "priority": T("优先级", "priority"),
    "kind": T("事项", "kind"),
    "beneficiary": T("服务对象", "beneficiary"),
    "name": T("姓名", "name"),
    "plugin": T("名称", "name"),
    "id_number": T("身份证号", "id_number"),
    "category": T("类别", "category"),
    "due": T("到期", "due"),
    "overdue": T("逾期", "overdue"),
    "detail": T("详情", "detail"),
    "domain": T("服务领域", "domain"),
    "people": T("服务人数", "people"),
    "others": T("其他参与", "others"),
    "records": T("服务记录", "records"),
    "hours": T("服务时长", "hours"),
    "visits": T("探访 完成/应访", "visits done/due"),
    "cases": T("个案 开/结", "cases opened/closed"),
    "referrals": T("转介", "referrals"),
    "volunteer_hours": T("志愿时长", "volunteer h"),
    "admin": T("行政事务", "admin"),
    "clause": T("条款", "clause"),
    "scope": T("范围", "scope"),
    "title": T("标题", "title"),
    "version": T("版本", "version"),
    "source": T("来源", "source"),
    "hooks": T("钩子", "hooks"),
    "dimension": T("维度", "dimension"),
    "indicator": T("指标", "indicator"),
    "measured_by": T("计量/评分方", "measured / assessed by"),
    "value": T("结果", "value"),
    "expected": T("应达", "due by then"),
    "target": T("年度目标", "target"),
    "points": T("得分/权重", "points of weight"),
    "note": T("备注", "note"),
    "fund": T("资金来源", "fund"),
    "pledged": T("应拨（经费）", "pledged"),
    "received": T("已到账", "received"),
    "paid_out": T("已拨付", "paid out"),
    "spent": T("已支出", "spent"),
    "committed": T("已列支待付", "committed"),
    "balance": T("结余", "balance"),
    "outstanding": T("未到账", "outstanding"),
    "by": T("经办人", "paid by"),
    "reference": T("凭证", "reference"),
    "outcome": T("结果", "outcome"),
    "seq": T("序号", "seq"),
    "at": T("时间（UTC）", "at (UTC)"),
    "who": T("操作人", "who"),
    "action": T("操作", "action"),
    "programme": T("项目", "programme"),
    "subject": T("事项", "subject"),
    "hash": T("哈希", "hash"),
}

SAY: dict[str, Text] = {
    "check_title": T("{name}（{id}）截至 {day} 的检查结果", "{name} ({id}) as of {day}"),
    "no_findings": T("{title}：没有发现问题", "{title}: no findings"),
    "schedule_title": T("{id}：截至 {day} 的拨付", "{id}: disbursement as of {day}"),
    "pay_title": T(
        "{id}：拨付 {station} 第{year}年“{milestone}”",
        "{id}: paying {station} year {year}, {milestone}",
    ),
    "totals_line": T(
        "{scope}：合同金额 {value}，已拨付 {paid}，应拨付 {due}，暂缓 {held}，取消 {cancelled}，"
        "待拨付 {pending}，调整 {adjustment}，未拨付 {outstanding}",
        "{scope}: contract value {value}, paid {paid}, due {due}, held {held}, cancelled "
        "{cancelled}, pending {pending}, adjustment {adjustment}, outstanding {outstanding}",
    ),
    "scope_station_year": T("{station} 第{year}年", "{station} year {year}"),
    "scope_station": T("{station} 各年合计", "{station}, all years"),
    "scope_year": T("第{year}年各站合计", "year {year}, all stations"),
    "scope_programme": T("项目合计", "programme"),
    "adjustment_due": T(
        "调整：{station} 第{year}年“{milestone}”已拨付 {recorded}，现应为 {current}，应补拨 {diff}",
        "adjustment: {station} year {year} {milestone} paid {recorded}, now {current}: "
        "{diff} due to the contractor",
    ),
    "overpaid": T(
        "调整：{station} 第{year}年“{milestone}”已拨付 {recorded}，现应为 {current}，多付 {diff} 应追回",
        "adjustment: {station} year {year} {milestone} paid {recorded}, now {current}: "
        "{diff} overpaid, to recover",
    ),
    "plaques_title": T("{id}：标牌", "{id}: plaques"),
    "ledger_title": T("{id}：截至 {day} 的资金账目", "{id}: fund ledger as of {day}"),
    "no_ledger": T("{title}：没有合同年", "{title}: no contract years"),
    "all_funds": T("全部资金", "all funds"),
    "purposes": T(
        "{station} 第{year}年{fund}单独核算，限用于：{purposes}",
        "{station} year {year}: {fund}, accounted separately, pays only for: {purposes}",
    ),
    "no_purposes": T(  # FUND-8: a ring-fenced fund that declares no purpose pays for nothing
        "{station} 第{year}年{fund}单独核算，未申明用途，不能支付任何支出",
        "{station} year {year}: {fund}, accounted separately, declares no purpose and pays for "
        "nothing",
    ),
    "no_receipts": T(
        "{station} 第{year}年未记录到账（receipts）：已到账按 0 计，FUND-8 按经费核对",
        "{station} year {year} records no receipts: received counts as 0 and FUND-8 judges "
        "the funds against their pledged funding",
    ),
    "yes": T("是", "yes"),
    "no": T("否", "NO"),
    "worklist_title": T(
        "{id}：{station} {day} 的工作清单", "{id}: work list of {station} on {day}"
    ),
    "nothing_due": T("{title}：没有待办事项", "{title}: nothing due"),
    "days": T("{n} 天", "{n} d"),
    "case": T("{case} {stage}，自 {since}（{worker}）", "{case} {stage} since {since} ({worker})"),
    "may_qualify": T("可能符合：{kinds}", "may qualify: {kinds}"),
    "last_visit": T("上次探访 {day}", "last visit {day}"),
    "never_visited": T("从未探访", "never visited"),
    "stats_title": T("{id}：截至 {day} 的服务统计", "{id}: counts as of {day}"),
    "total": T("合计", "total"),
    "by_category": T("按类别人数：{parts}", "people by category: {parts}"),
    "linkage": T("五社联动：{parts}", "linkage: {parts}"),
    "organisations": T("社会组织 {parts}", "organisations {parts}"),
    "resources": T(
        "链接资金 {money} 元、物资 {kind} 件", "resources {money} yuan and {kind} in kind"
    ),
    "meetings": T("联席会议 {n} 次（{people} 人）", "meetings {n} ({people} people)"),
    "training": T("培训 {hours} 人·小时", "training {hours} person-hours"),
    "publicity": T("宣传 {parts}", "publicity {parts}"),
    "rules_title": T("sgz 规则", "sgz rules"),
    "plugins_title": T("sgz 插件", "sgz plugins"),
    "imported": T(
        "已将 {programme} 从 {source} 导入 {db}", "imported {programme} from {source} into {db}"
    ),
    "replaced": T(
        "已用 {source} 替换 {db} 中的 {programme}", "replaced {programme} from {source} into {db}"
    ),
    "exported": T("已将 {programme} 导出到 {to}", "exported {programme} to {to}"),
    "audit_title": T("{db} 的审计记录", "the audit trail of {db}"),
    "audit_empty": T("{db} 中没有审计记录", "no audit entries in {db}"),
    "audit_whole": T(
        "审计记录链完整：共 {count} 条（链头哈希 {head}）",
        "the chain is whole: {count} entries (head hash {head})",
    ),
    "audit_broken": T(
        "审计记录链不完整：第 {position} 条起有问题（{problem}）：{why}",
        "the chain is broken from entry {position} ({problem}): {why}",
    ),
    "audit_payment": T("{amount} 元，{paid_on} 拨付", "{amount} CNY paid on {paid_on}"),
    # the entries of an import's or a replace's items (issue 11 item 4, AUD-1)
    "audit_evaluation": T("得分 {score}，结论 {outcome}", "score {score}, outcome {outcome}"),
    "audit_evaluation_score": T("得分 {score}", "score {score}"),
    "audit_evaluation_outcome": T("结论 {outcome}", "outcome {outcome}"),
    "audit_action": T("{action}，限期 {due}", "{action}, due {due}"),
    "audit_action_closed": T(
        "{action}，限期 {due}，{closed} 完成", "{action}, due {due}, closed on {closed}"
    ),
    "audit_receipt": T(
        "{amount} 元，{date} 到账（{source}）", "{amount} CNY received on {date} ({source})"
    ),
    "audit_expense": T(
        "{amount} 元，{date} 由{fund}支付（{category}）",
        "{amount} CNY paid by {fund} on {date} ({category})",
    ),
    "audit_programme": T(
        "{stations} 个站点，{records} 条服务记录，摘要 {digest}",
        "{stations} station{ss}, {records} service record{rs}, digest {digest}",
    ),
    "evaluate_title": T(
        "{id}：{station} 第{year}年{kind}评分卡（{day}）",
        "{id}: scorecard of {station} year {year}, {kind} of {day}",
    ),
    "evaluate_title_none": T(
        "{id}：{station} 第{year}年评分卡（截至 {day}，尚无评估）",
        "{id}: scorecard of {station} year {year} on {day} (no evaluation yet)",
    ),
    "measured": T("台账计量", "measured"),
    "not_assessed": T("未评估", "not assessed"),
    "capped": T("评分 {points} 超过权重，按权重计", "{points} points capped at the weight"),
    "by_dimension": T("按维度：{parts}", "by dimension: {parts}"),
    "dimension_points": T("{dimension} {points}/{weight}", "{dimension} {points} of {weight}"),
    "score_line": T(
        "得分 {score}（满分 100），等级 {grade}，建议结论：{outcome}（{why}）",
        "score {score} of 100, grade {grade} ({grade_en}), proposed outcome: {outcome} ({why})",
    ),
    "measured_score_line": T(
        "计量指标得分 {score}（满分 100，评估指标未记录）",
        "measured indicators only: {score} of 100 (no assessed results recorded)",
    ),
    "at_pass": T("不低于合格分 {mark}", "at least the pass mark {mark}"),
    "below_pass": T("低于合格分 {mark}", "below the pass mark {mark}"),
    "no_evaluation": T(
        "截至 {day} 尚无评估：仅计量指标计分，评估指标按未评估计 0 分",
        "no evaluation on or before {day}: measured indicators only; assessed ones score 0",
    ),
    "bare_score": T(
        "评估记录得分 {score}（等级 {grade}，建议结论：{outcome}），未记录各项评估结果："
        "以记录得分为准，上表仅为计量指标得分",
        "the evaluation records score {score} (grade {grade}, proposed outcome: {outcome}) and "
        "no assessed results: the recorded score stands; the card above scores the measured "
        "indicators only",
    ),
    "recorded_score": T(
        "评估记录得分 {score}，计算得分 {computed}：{same}",
        "the evaluation records score {score}, the scorecard computes {computed}: {same}",
    ),
    "recorded_outcome": T(
        "评估记录结论“{outcome}”，按得分建议“{proposed}”：{same}",
        "the evaluation records outcome {outcome}, the score proposes {proposed}: {same}",
    ),
    "same": T("一致", "the same"),
    "differs": T("不符", "they differ"),
    "reason": T("理由：{reason}", "reason: {reason}"),
    "reason_missing": T("未写明理由（reason），PERF-3 将提示", "no reason given (PERF-3 warns)"),
}


def say(key: str, lang: str, **values: object) -> str:
    """One of the command line's own messages in ``lang``."""
    return SAY[key].get(lang).format(**values)


@attrs.frozen
class Table:
    """A result as one table for people: title, headers, rows (text), lines after it."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str | None = None
    """What to show instead of an empty table (``None``: the table with no rows)."""
    notes: tuple[str, ...] = ()


def _label(value: Labelled | None, lang: str) -> str:
    return "" if value is None else value.label(lang)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _counts(counts: dict[Any, int], lang: str) -> str:
    pairs = sorted(counts.items(), key=lambda kv: kv[0].value)
    return _sep(lang).join(f"{k.label(lang)} {n}" for k, n in pairs)


def _heads(names: tuple[str, ...], lang: str) -> tuple[str, ...]:
    return tuple(HEAD[n].get(lang) for n in names)


def _table_check(r: Any, lang: str) -> Table:
    title = say("check_title", lang, name=r.programme.name, id=r.programme.id, day=r.as_of)
    rows = tuple(
        (
            f.rule,
            f.severity.value if lang == "en" else f.severity.label(lang),
            f.station or "",
            "" if f.year is None else str(f.year),
            mask_id_numbers(f.text(lang)),
        )
        for f in r.findings
    )
    if lang == "en":
        totals = ", ".join(f"{n} {s}" for s, n in r.summary.items())
    else:
        from sgz_core.enums import Severity

        totals = "，".join(f"{Severity(s).label(lang)} {n}" for s, n in r.summary.items())
    columns = _heads(("rule", "severity", "station", "year", "message"), lang)
    return Table(title, columns, rows, say("no_findings", lang, title=title), (totals,))


def _scope(t: Totals, lang: str) -> str:
    if t.station is not None and t.year is not None:
        return say("scope_station_year", lang, station=t.station, year=t.year)
    if t.station is not None:
        return say("scope_station", lang, station=t.station)
    if t.year is not None:
        return say("scope_year", lang, year=t.year)
    return say("scope_programme", lang)


def totals_line(t: Totals, lang: str) -> str:
    return say(
        "totals_line",
        lang,
        scope=_scope(t, lang),
        value=f"{t.contract_value:,.2f}",
        paid=f"{t.paid:,.2f}",
        due=f"{t.due:,.2f}",
        held=f"{t.held:,.2f}",
        cancelled=f"{t.cancelled:,.2f}",
        pending=f"{t.pending:,.2f}",
        adjustment=f"{t.adjustment:,.2f}",
        outstanding=f"{t.outstanding:,.2f}",
    )


def adjustment_line(a: Adjustment, lang: str) -> str:
    p = a.payment
    return say(
        "overpaid" if a.overpaid else "adjustment_due",
        lang,
        station=p.station,
        year=p.year,
        milestone=p.milestone.value if lang == "en" else p.milestone.label(lang),
        recorded=f"{a.recorded:,.2f}",
        current=f"{a.current:,.2f}",
        diff=f"{abs(a.difference):,.2f}",
    )


def _table_schedule(r: Any, lang: str) -> Table:
    columns: tuple[str, ...] = ("station", "year", "milestone", "share", "amount", "status", "date")
    paid = bool(r.payments)
    if paid:
        columns += ("by", "reference")
    rows = []
    for t in r.tranches:
        row: tuple[str, ...] = (
            t.station,
            str(t.year),
            t.milestone.value if lang == "en" else t.milestone.label(lang),
            share_text(t.share),
            f"{t.amount:.2f}",
            t.status.value if lang == "en" else t.status.label(lang),
            t.date.isoformat() if t.date else "",
        )
        if paid:
            p = r.payment_of(t)
            row += ("", "") if p is None else (p.by, p.reference or "")
        rows.append(row)
    title = say("schedule_title", lang, id=r.programme.id, day=r.as_of)
    notes = tuple(totals_line(t, lang) for t in r.totals if t.station is None or t.year is None)
    notes += tuple(adjustment_line(a, lang) for a in r.adjustments)
    return Table(title, _heads(columns, lang), tuple(rows), notes=notes)


def _table_pay(r: Any, lang: str) -> Table:
    t = r.tranche
    milestone = t.milestone.value if lang == "en" else t.milestone.label(lang)
    title = say(
        "pay_title", lang, id=r.programme, station=r.station, year=r.year, milestone=milestone
    )
    columns = (
        "outcome",
        "station",
        "year",
        "milestone",
        "amount",
        "status",
        "date",
        "by",
        "reference",
    )
    p = r.payment
    status = TrancheStatus.PAID if p is not None else t.status
    row = (
        r.outcome.value if lang == "en" else r.outcome.label(lang),
        r.station,
        str(r.year),
        milestone,
        f"{(p.amount if p else t.amount):.2f}",
        status.value if lang == "en" else status.label(lang),
        (p.paid_on if p else t.date or r.as_of).isoformat(),
        p.by if p else "",
        (p.reference or "") if p else "",
    )
    return Table(title, _heads(columns, lang), (row,), notes=(mask_id_numbers(r.message(lang)),))


def _amount_cells(a: Amounts) -> tuple[str, ...]:
    return (
        f"{a.pledged:.2f}",
        f"{a.received:.2f}",
        f"{a.paid_out:.2f}",
        f"{a.spent:.2f}",
        f"{a.committed:.2f}",
        f"{a.balance:.2f}",
    )


def _category(category: str, lang: str) -> str:
    try:
        return ExpenseCategory(category).label(lang)
    except ValueError:
        return category


def _table_ledger(r: Any, lang: str) -> Table:
    columns = (
        "station",
        "year",
        "fund",
        "pledged",
        "received",
        "paid_out",
        "spent",
        "committed",
        "balance",
    )
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    total = say("total", lang)
    for ledger in r.ledgers:
        where = (ledger.station, str(ledger.year))
        for line in ledger.funds:
            rows.append((*where, line.source.label(lang), *_amount_cells(line)))
            if line.ring_fenced:
                listed = _sep(lang).join(_category(p, lang) for p in line.purposes)
                notes.append(
                    say(
                        "purposes" if listed else "no_purposes",
                        lang,
                        station=ledger.station,
                        year=ledger.year,
                        fund=line.source.label(lang),
                        purposes=listed,
                    )
                )
        rows.append((*where, total, *_amount_cells(ledger.total)))
        if not ledger.receipts_recorded:
            notes.append(say("no_receipts", lang, station=ledger.station, year=ledger.year))
    if len(r.ledgers) > 1:
        for source, amounts in r.funds.items():
            rows.append((say("all_funds", lang), "", source.label(lang), *_amount_cells(amounts)))
        rows.append((say("all_funds", lang), "", total, *_amount_cells(r.total)))
    title = say("ledger_title", lang, id=r.programme.id, day=r.as_of)
    return Table(
        title, _heads(columns, lang), tuple(rows), say("no_ledger", lang, title=title), tuple(notes)
    )


def _table_plaques(r: Any, lang: str) -> Table:
    rows = tuple(
        (p.station, p.rule, p.text, say("yes" if p.shown else "no", lang)) for p in r.plaques
    )
    title = say("plaques_title", lang, id=r.programme.id)
    return Table(title, _heads(("station", "rule", "plaque", "shown"), lang), rows)


def _detail(item: WorkItem, lang: str) -> str:
    if item.case:
        stage = item.stage.value if lang == "en" and item.stage else _label(item.stage, lang)
        return say(
            "case", lang, case=item.case, stage=stage, since=_iso(item.since), worker=item.worker
        )
    if item.assistance:
        kinds = [k.value if lang == "en" else k.label(lang) for k in item.assistance]
        return say("may_qualify", lang, kinds=_sep(lang).join(kinds))
    if item.last_visit:
        return say("last_visit", lang, day=item.last_visit.isoformat())
    return say("never_visited", lang) if item.due else ""


def _table_worklist(r: Any, lang: str) -> Table:
    categories = category_table(r.profile.at(r.as_of).beneficiary_categories)

    def category(cid: str | None) -> str:
        if cid is None:
            return ""
        known = categories.get(cid)
        return known.label(lang) if known is not None and lang == "zh" else cid

    columns = (
        "priority",
        "kind",
        "beneficiary",
        "name",
        "id_number",
        "category",
        "due",
        "overdue",
        "detail",
    )
    rows = tuple(
        (
            "" if i.priority == UNRANKED else str(i.priority),
            i.kind.value if lang == "en" else i.kind.label(lang),
            i.beneficiary,
            i.name,
            i.id_number,
            category(i.category),
            _iso(i.due) or "",
            say("days", lang, n=i.days_overdue) if i.days_overdue else "",
            _detail(i, lang),
        )
        for i in r.items
    )
    title = say("worklist_title", lang, id=r.programme.id, station=r.station, day=r.as_of)
    return Table(title, _heads(columns, lang), rows, say("nothing_due", lang, title=title))


def _stats_row(label: tuple[str, ...], t: Tally, lang: str) -> tuple[str, ...]:
    referrals = ", ".join(
        f"{s.value if lang == 'en' else s.label(lang)} {n}"
        for s, n in sorted(t.referrals.items(), key=lambda kv: kv[0].value)
    )
    return (
        *label,
        str(t.people),
        str(t.participants),
        str(t.records),
        _number(t.hours),
        f"{t.visits_done}/{t.visits_due}",
        f"{t.cases_opened}/{t.cases_closed}",
        referrals,
        _number(t.volunteer_hours),
        str(t.administrative_records),
    )


def _table_stats(r: Any, lang: str) -> Table:
    columns = (
        "station",
        "year",
        "domain",
        "people",
        "others",
        "records",
        "hours",
        "visits",
        "cases",
        "referrals",
        "volunteer_hours",
        "admin",
    )
    counts, total = r.counts, r.counts.total()
    rows = [
        _stats_row(
            (k.station, str(k.year), k.domain.value if lang == "en" else k.domain.label(lang)),
            counts.cells[k],
            lang,
        )
        for k in counts.sorted_keys()
    ]
    rows.append(_stats_row((say("total", lang), "", ""), total, lang))
    notes = []
    categories = category_table(r.profile.at(r.as_of).beneficiary_categories)
    by_category = _sep(lang).join(
        f"{categories[c].label(lang) if lang == 'zh' and c in categories else c} {n}"
        for c, n in total.people_by_category().items()
    )
    if by_category:
        notes.append(say("by_category", lang, parts=by_category))
    zero = "0"
    parts = [
        say("organisations", lang, parts=_counts(dict(total.organisations), lang) or zero)
        if lang == "zh"
        else say(
            "organisations",
            lang,
            parts=", ".join(f"{k} {v}" for k, v in _by_value(total.organisations).items()) or zero,
        ),
        say(
            "resources",
            lang,
            money=f"{total.resources_money.quantize(FEN)}",
            kind=total.resources_in_kind,
        ),
        say("meetings", lang, n=total.meetings, people=total.meeting_participants),
        say("training", lang, hours=_number(total.training_hours)),
        say("publicity", lang, parts=_counts(dict(total.publicity), lang) or zero)
        if lang == "zh"
        else say(
            "publicity",
            lang,
            parts=", ".join(f"{k} {v}" for k, v in _by_value(total.publicity).items()) or zero,
        ),
    ]
    notes.append(say("linkage", lang, parts=("；" if lang == "zh" else "; ").join(parts)))
    title = say("stats_title", lang, id=r.programme.id, day=r.as_of)
    return Table(title, _heads(columns, lang), tuple(rows), None, tuple(notes))


def _n(value: Decimal) -> str:
    """A number for reading: to the hundredth, without trailing zeros."""
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"


def _line_note(note: str, lang: str) -> str:
    if lang == "en" or not note:
        return note
    if note == "not assessed":
        return say("not_assessed", lang)
    if note.endswith(" points capped at the weight"):
        return say("capped", lang, points=note.split(" ")[0])
    return note


def _evaluate_notes(r: Any, lang: str) -> list[str]:
    card, rec = r.scorecard, r.recorded
    parts = [
        say(
            "dimension_points",
            lang,
            dimension=d.dimension.label(lang),
            points=f"{d.points:.2f}",
            weight=_n(d.weight),
        )
        for d in card.dimensions
    ]
    mark = r.profile.at(r.programme.year_start(card.year)).evaluation_pass_mark
    passed = card.total >= mark
    bare = rec is not None and rec.score is not None and rec.computed is None
    notes = [
        say("by_dimension", lang, parts=("；" if lang == "zh" else "; ").join(parts)),
        say("measured_score_line", lang, score=f"{card.total:.2f}")
        if bare
        else say(
            "score_line",
            lang,
            score=f"{card.total:.2f}",
            grade=card.grade.grade,
            grade_en=card.grade.grade_en,
            outcome=card.proposed.label(lang) if lang == "zh" else card.proposed.value,
            why=say("at_pass" if passed else "below_pass", lang, mark=_n(mark)),
        ),
    ]
    if rec is None:
        notes.append(say("no_evaluation", lang, day=card.on.isoformat()))
        return notes

    def outcome(o: Any) -> str:
        return str(o.label(lang) if lang == "zh" else o.value)

    if rec.score is not None and rec.computed is None:
        from sgz_core.performance.scoring import grade_of

        grades = r.profile.at(r.programme.year_start(card.year)).performance_grades
        notes.append(
            say(
                "bare_score",
                lang,
                score=_n(rec.score),
                grade=grade_of(rec.score, grades).grade,
                outcome=outcome(rec.proposed),
            )
        )
    elif rec.score is not None:
        same = say("differs" if rec.score_differs else "same", lang)
        notes.append(
            say(
                "recorded_score",
                lang,
                score=_n(rec.score),
                computed=f"{rec.computed:.2f}",
                same=same,
            )
        )
    if rec.outcome is not None:
        same = say("differs" if rec.outcome_differs else "same", lang)
        notes.append(
            say(
                "recorded_outcome",
                lang,
                outcome=outcome(rec.outcome),
                proposed=outcome(rec.proposed),
                same=same,
            )
        )
    if rec.reason:
        notes.append(say("reason", lang, reason=rec.reason))
    elif rec.reason_missing:
        notes.append(say("reason_missing", lang))
    return notes


def _table_evaluate(r: Any, lang: str) -> Table:
    card = r.scorecard
    rows = []
    for line in card.lines:
        ind = line.indicator
        by = say("measured", lang) if ind.measured else _label(ind.evaluator, lang)
        name = f"{ind.name}（{ind.id}）" if lang == "zh" else f"{ind.name_en} ({ind.id})"
        rows.append(
            (
                ind.dimension.label(lang),
                name,
                by,
                "—" if line.value is None else _n(line.value),
                _n(line.expected),
                f"{_n(line.target)} {ind.unit}",
                f"{line.points:.2f}/{_n(ind.weight)}",
                _line_note(line.note, lang),
            )
        )
    e = card.evaluation
    if e is None:
        title = say(
            "evaluate_title_none",
            lang,
            id=r.programme.id,
            station=card.station,
            year=card.year,
            day=card.on.isoformat(),
        )
    else:
        title = say(
            "evaluate_title",
            lang,
            id=r.programme.id,
            station=card.station,
            year=card.year,
            kind=e.kind.label(lang),
            day=e.date.isoformat(),
        )
    columns = (
        "dimension",
        "indicator",
        "measured_by",
        "value",
        "expected",
        "target",
        "points",
        "note",
    )
    return Table(title, _heads(columns, lang), tuple(rows), None, tuple(_evaluate_notes(r, lang)))


def _table_rules(r: Any, lang: str) -> Table:
    rows = tuple(
        (
            rule.id,
            rule.clause,
            rule.scope.value,
            rule.title if lang == "zh" else f"{rule.title} / {rule.title_en}",
        )
        for rule in r.rules
    )
    columns = _heads(("rule", "clause", "scope", "title"), lang)
    return Table(say("rules_title", lang), columns, rows)


def _table_plugins(r: Any, lang: str) -> Table:
    rows = tuple((p.name, p.version or "", p.source, ", ".join(p.hooks)) for p in r.plugins)
    columns = _heads(("plugin", "version", "source", "hooks"), lang)
    return Table(say("plugins_title", lang), columns, rows)


def _table_import(r: Any, lang: str) -> Table:
    key = "replaced" if r.replaced else "imported"
    line = say(key, lang, programme=r.programme, source=r.source, db=r.db)
    return Table("", (), (), line)


def _table_export(r: Any, lang: str) -> Table:
    return Table("", (), (), say("exported", lang, programme=r.programme, to=r.to))


def _stored_label(cls: type[Labelled], value: object, lang: str) -> str:
    """A stored enumeration value as its label (the value itself in English, or if unknown)."""
    if lang == "en" or not isinstance(value, str) or value not in cls.values():
        return str(value)
    return cls(value).label(lang)


def _item_detail(section: str, value: dict[str, Any], lang: str) -> str:
    """What an item entry's JSON says, in a line (issue 11 item 4)."""
    if section == "evaluations":
        score, outcome = value.get("score"), value.get("outcome")
        if outcome is None:
            return say("audit_evaluation_score", lang, score=score)
        shown = _stored_label(Outcome, outcome, lang)
        if score is None:
            return say("audit_evaluation_outcome", lang, outcome=shown)
        return say("audit_evaluation", lang, score=score, outcome=shown)
    if section == "actions":
        key = "audit_action" if value.get("closed") is None else "audit_action_closed"
        return say(
            key, lang, action=value.get("action"), due=value.get("due"), closed=value.get("closed")
        )
    if section == "receipts":
        return say(
            "audit_receipt",
            lang,
            amount=value.get("amount"),
            date=value.get("date"),
            source=_stored_label(FundingSource, value.get("source"), lang),
        )
    category = value.get("category")
    return say(
        "audit_expense",
        lang,
        amount=value.get("amount"),
        date=value.get("date"),
        fund=_stored_label(FundingSource, value.get("fund"), lang),
        category=_stored_label(ExpenseCategory, category, lang),
    )


_CHANGED = frozenset(
    (
        AuditAction.EVALUATION_CHANGED,
        AuditAction.ACTION_CHANGED,
        AuditAction.RECEIPT_CHANGED,
        AuditAction.EXPENSE_CHANGED,
    )
)
"""The item entries whose detail shows the item after and, after ``←``, before."""


def _audit_detail(entry: AuditEntry, lang: str) -> str:
    text = entry.after if entry.after is not None else entry.before
    if text is None:
        return ""
    value = json.loads(text)
    if not isinstance(value, dict):
        return text[:80]
    section = SECTION_OF.get(entry.action)
    if section is not None:
        detail = _item_detail(section, value, lang)
        if entry.action in _CHANGED and entry.before is not None:
            old = json.loads(entry.before)
            if isinstance(old, dict):
                detail += " ← " + _item_detail(section, old, lang)
        return detail
    if entry.action is AuditAction.PAYMENT:
        return say("audit_payment", lang, amount=value.get("amount"), paid_on=value.get("paid_on"))
    detail = say(
        "audit_programme",
        lang,
        stations=value.get("stations"),
        records=value.get("records"),
        ss="" if value.get("stations") == 1 else "s",
        rs="" if value.get("records") == 1 else "s",
        digest=str(value.get("sha256", ""))[:12],
    )
    if entry.action is AuditAction.REPLACE and entry.before is not None:
        old = json.loads(entry.before)
        if isinstance(old, dict):
            detail += " ← " + str(old.get("sha256", ""))[:12]
    return detail


def _audit_subject(entry: AuditEntry, lang: str) -> str:
    subject = entry.subject or ""
    if entry.action is AuditAction.PAYMENT and subject in Milestone.values() and lang != "en":
        return Milestone(subject).label(lang)
    section = SECTION_OF.get(entry.action)
    if lang != "en" and section in ("evaluations", "receipts", "expenses"):
        # the kind (``mid_term 2025-01-10``) or the source or fund (``2024-07-05 province``)
        # as its label; the date, the category and a `` #2`` stay as they are
        parts = subject.split(" ", 2)
        if section == "evaluations":
            parts[0] = _stored_label(EvaluationKind, parts[0], lang)
        elif len(parts) > 1:
            parts[1] = _stored_label(FundingSource, parts[1], lang)
        return " ".join(parts)
    return subject


def _table_audit_log(r: Any, lang: str) -> Table:
    columns = ("seq", "at", "who", "action", "programme", "station", "year", "subject", "detail")
    rows = tuple(
        (
            str(e.seq),
            e.at.isoformat(timespec="seconds").removesuffix("+00:00"),
            e.who,
            e.action.value if lang == "en" else e.action.label(lang),
            e.programme,
            e.station or "",
            "" if e.year is None else str(e.year),
            _audit_subject(e, lang),
            _audit_detail(e, lang),
        )
        for e in r.entries
    )
    return Table(
        say("audit_title", lang, db=r.db),
        _heads(columns, lang),
        rows,
        empty=say("audit_empty", lang, db=r.db),
    )


def _table_audit_verify(r: Any, lang: str) -> Table:
    v = r.verdict
    if v.whole:
        line = say("audit_whole", lang, count=v.count, head=v.head)
    else:
        line = say(
            "audit_broken",
            lang,
            position=v.bad,
            problem=v.problem.value if lang == "en" else v.problem.label(lang),
            why=v.why.get(lang),
        )
    return Table("", (), (), line)


def _table_report(view: Any, lang: str) -> Table:
    from sgz_adapters.default_reporters import _report_table

    table: Table = _report_table(view, lang)
    return table


def _table_plan(r: Any, lang: str) -> Table:
    from sgz_adapters.plan_views import plan_table

    table: Table = plan_table(r, lang)
    return table


TABLES: dict[str, Callable[[Any, str], Table]] = {
    "report": _table_report,
    "check": _table_check,
    "schedule": _table_schedule,
    "plaques": _table_plaques,
    "worklist": _table_worklist,
    "stats": _table_stats,
    "evaluate": _table_evaluate,
    "plan": _table_plan,
    "ledger": _table_ledger,
    "rules": _table_rules,
    "plugins": _table_plugins,
    "import": _table_import,
    "export": _table_export,
    "pay": _table_pay,
    "audit_log": _table_audit_log,
    "audit_verify": _table_audit_verify,
}


def tabulate(result: Any, lang: str = "zh") -> Table:
    """The result as a table for people in ``lang``, by its ``kind``."""
    return TABLES[result.kind](result, lang)


__all__ = [
    "HEAD",
    "JSON",
    "SAY",
    "TABLES",
    "Table",
    "adjustment_line",
    "adjustment_record",
    "amounts_record",
    "audit_record",
    "check_json",
    "finding_record",
    "fund_record",
    "item_record",
    "json_data",
    "ledger_record",
    "payment_record",
    "say",
    "tabulate",
    "tally_record",
    "totals_line",
    "totals_record",
    "tranche_record",
]
