"""Closed vocabularies of the programme file, each value with a Chinese and an English label.

The values (``"resident"``, ``"mid_term"`` …) are the public spelling in programme files and
JSON output; labels are for people.
"""

from __future__ import annotations

import enum
from typing import Any

from sgz_core.text import Text


class Labelled(str, enum.Enum):
    """A string enumeration whose members carry ``zh`` and ``en`` labels."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str = "", en: str = "") -> Labelled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en
        return obj

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)

    @classmethod
    def expected(cls) -> str:
        """``one of a | b | c``, for error messages."""
        return "one of " + " | ".join(cls.values())

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def text(self) -> Text:
        """The member's labels as one bilingual :class:`~sgz_core.text.Text`."""
        return Text(self.zh, self.en)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (self.__class__, (self.value,))


class ServiceDomain(Labelled):
    """The six service domains, ``二(一)``–``二(六)`` (DOM-1 … DOM-6)."""

    SOCIAL_ASSISTANCE = ("social_assistance", "社会救助", "social assistance")
    ELDERLY = ("elderly", "养老服务", "elderly services")
    CHILD_WELFARE = ("child_welfare", "儿童福利", "child welfare")
    COMMUNITY_GOVERNANCE = ("community_governance", "社区治理", "community governance")
    OTHER_CIVIL_AFFAIRS = (
        "other_civil_affairs",
        "其他民政社会工作",
        "other civil-affairs social work",
    )
    TALENT = ("talent", "社会工作专业人才及队伍建设", "talent and team building")

    @property
    def rule_id(self) -> str:
        return f"DOM-{list(ServiceDomain).index(self) + 1}"


class Method(Labelled):
    """The three social-work methods."""

    CASEWORK = ("casework", "个案", "casework")
    GROUP_WORK = ("group_work", "小组", "group work")
    COMMUNITY_ACTIVITY = ("community_activity", "社区活动", "community activity")


class FundingSource(Labelled):
    """Where a station-year's money comes from (FUND-2, FUND-4, FUND-6, FUND-7, FUND-8)."""

    PROVINCE = ("province", "省民政厅", "province civil affairs")
    CITY = ("city", "市民政局", "city civil affairs")
    DISTRICT = ("district", "区民政局", "district civil affairs")
    STREET = ("street", "街道自筹", "street top-up")
    LOTTERY = ("lottery", "彩票公益金", "lottery welfare fund")
    CHARITY = ("charity", "慈善专项基金", "charity social-work fund")
    EXTERNAL = ("external", "民政以外链接资金", "funds linked from outside civil affairs")


class ExpenseCategory(Labelled):
    """What station money may pay for (FUND-3). Other categories are kept as plain strings."""

    POSTS = ("posts", "社工岗位", "social-worker posts")
    SERVICES = ("services", "专业服务", "professional services")
    FIT_OUT = ("fit_out", "站点打造", "station fit-out")
    OFFICE = ("office", "日常办公", "daily office costs")
    TRAVEL = ("travel", "交通和差旅", "transport and travel")


class StaffRole(Labelled):
    RESIDENT = ("resident", "驻站社工", "resident social worker")
    DISPATCHED = ("dispatched", "选派社工", "dispatched social worker")


class Qualification(Labelled):
    """National social-work qualification; any level but ``none`` counts as certified."""

    NONE = ("none", "无", "none")
    ASSISTANT = ("assistant", "助理社会工作师", "assistant social worker")
    INTERMEDIATE = ("intermediate", "社会工作师", "social worker (intermediate)")
    SENIOR = ("senior", "高级社会工作师", "senior social worker")

    @property
    def certified(self) -> bool:
        return self is not Qualification.NONE


class Equipment(Labelled):
    """Office equipment of SITE-3."""

    DESK = ("desk", "办公桌", "desk")
    CHAIR = ("chair", "椅子", "chair")
    COMPUTER = ("computer", "电脑", "computer")
    PRINTER = ("printer", "打印机", "printer")
    FILE_CABINET = ("file_cabinet", "档案柜", "file cabinet")


class SharedFacility(Labelled):
    """Facilities that may be shared (一室多用, SITE-4)."""

    CHILDREN_HOME = ("children_home", "儿童之家", "children's home")
    DAY_CARE_CENTRE = ("day_care_centre", "日间照料中心", "day-care centre")
    ELDERLY_SERVICE_CENTRE = ("elderly_service_centre", "为老服务中心", "elderly service centre")
    VOLUNTEER_STATION = ("volunteer_station", "志愿服务站", "volunteer station")


class Room(Labelled):
    """Professional rooms set up over time (SITE-5)."""

    CASEWORK_ROOM = ("casework_room", "个案室", "casework room")
    GROUP_ROOM = ("group_room", "小组活动室", "group-activity room")
    INCUBATION_BASE = (
        "incubation_base",
        "社区社会组织孵化基地",
        "incubation base for community organisations",
    )


class EvaluationKind(Labelled):
    MID_TERM = ("mid_term", "中期评估", "mid-term evaluation")
    FINAL = ("final", "末期评估", "final evaluation")


class Outcome(Labelled):
    """An evaluation's outcome (PERF-3)."""

    PASS = ("pass", "通过", "pass")
    CORRECT = ("correct", "限期整改", "correct within a deadline")
    SUSPEND = ("suspend", "暂缓执行", "suspend")
    STOP = ("stop", "停止拨付", "stop")


class Milestone(Labelled):
    """What releases a tranche (PAY-1)."""

    CONTRACT_SIGNED = ("contract_signed", "合同签订", "contract signed")
    MID_TERM = ("mid_term", "中期评估", "mid-term evaluation")
    FINAL = ("final", "末期评估通过", "final evaluation passed")


class TrancheStatus(Labelled):
    DUE = ("due", "应拨付", "due")
    """The milestone has happened and nothing holds or cancels it: the money is due (应拨付);
    no payment of it is recorded (the JSON status ``released`` before payments were recorded)."""
    PAID = ("paid", "已拨付", "paid")
    """A payment of the tranche is recorded (PAY-1): it stays paid whatever happens later."""
    HELD = ("held", "暂缓拨付", "held")
    CANCELLED = ("cancelled", "取消", "cancelled")
    PENDING = ("pending", "待拨付", "pending")


class PaymentOutcome(Labelled):
    """What a request to pay a tranche came to (``sgz pay``, PAY-1)."""

    RECORDED = ("recorded", "已记录拨付", "recorded")
    """The tranche was due: the payment is recorded (in a decision: record it)."""
    ALREADY_PAID = ("already_paid", "此前已拨付", "already paid")
    """A payment of the tranche was recorded before; nothing new is recorded."""
    REFUSED = ("refused", "不予拨付", "refused")
    """The tranche is pending, held or cancelled: nothing is recorded."""


class IntervalUnit(Labelled):
    """The unit of a visit interval (also importable from :mod:`sgz_core.casework.vocabulary`)."""

    DAY = ("day", "天", "day")
    WEEK = ("week", "周", "week")
    MONTH = ("month", "月", "month")


class Severity(Labelled):
    ERROR = ("error", "错误", "error")
    WARNING = ("warning", "警告", "warning")
    NOTICE = ("notice", "提示", "notice")


class PerformanceDimension(Labelled):
    """The four dimensions of performance indicators (PERF-2)."""

    ADMINISTRATIVE_SUPERVISION = (
        "administrative_supervision",
        "行政监管",
        "administrative supervision",
    )
    SERVICE_EFFECTIVENESS = ("service_effectiveness", "服务成效", "service effectiveness")
    PROJECT_MANAGEMENT = ("project_management", "项目管理", "project management")
    SOCIAL_IMPACT = ("social_impact", "社会影响", "social impact")


class AssistanceKind(Labelled):
    """The "8+1" social assistance (Decree 649) and the two disability subsidies (DOM-1, DOM-5)."""

    MINIMUM_ALLOWANCE = ("minimum_allowance", "最低生活保障", "minimum living allowance")
    EXTREME_POVERTY = ("extreme_poverty", "特困人员供养", "extreme-poverty support")
    DISASTER_RELIEF = ("disaster_relief", "受灾人员救助", "disaster relief")
    MEDICAL = ("medical", "医疗救助", "medical assistance")
    EDUCATION = ("education", "教育救助", "education assistance")
    HOUSING = ("housing", "住房救助", "housing assistance")
    EMPLOYMENT = ("employment", "就业救助", "employment assistance")
    TEMPORARY = ("temporary", "临时救助", "temporary assistance")
    SOCIAL_FORCES = ("social_forces", "社会力量参与", "participation of social forces")
    DISABILITY_LIVING = (
        "disability_living",
        "困难残疾人生活补贴",
        "living subsidy for disabled people in hardship",
    )
    DISABILITY_NURSING = (
        "disability_nursing",
        "重度残疾人护理补贴",
        "nursing subsidy for severely disabled people",
    )


__all__ = [
    "AssistanceKind",
    "Equipment",
    "EvaluationKind",
    "ExpenseCategory",
    "FundingSource",
    "Labelled",
    "Method",
    "Milestone",
    "Outcome",
    "PaymentOutcome",
    "PerformanceDimension",
    "Qualification",
    "Room",
    "ServiceDomain",
    "Severity",
    "SharedFacility",
    "StaffRole",
    "TrancheStatus",
]
