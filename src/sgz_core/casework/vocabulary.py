"""The closed vocabularies of casework, each value with a Chinese and an English label.

The values are the public spelling in programme files and JSON output (like
:mod:`sgz_core.enums`, whose :class:`~sgz_core.enums.Labelled` base they share).
"""

from __future__ import annotations

from collections.abc import Mapping

from sgz_core.enums import AssistanceKind, Labelled, ServiceDomain
from sgz_core.enums import IntervalUnit as IntervalUnit  # moved to the leaf enums; re-exported


class Consent(Labelled):
    """A beneficiary's consent to casework and to the processing of their data (PII-1, PIPL)."""

    NONE = ("none", "未取得", "none")
    ORAL = ("oral", "口头同意", "oral")
    WRITTEN = ("written", "书面同意", "written")
    WITHDRAWN = ("withdrawn", "已撤回", "withdrawn")

    @property
    def given(self) -> bool:
        return self in (Consent.ORAL, Consent.WRITTEN)


class Sex(Labelled):
    """Sex as the resident ID number encodes it (odd sequence number: male)."""

    MALE = ("male", "男", "male")
    FEMALE = ("female", "女", "female")


class Relation(Labelled):
    """How a family member or carer is related to a beneficiary (DOM-3 guardianship)."""

    FATHER = ("father", "父亲", "father")
    MOTHER = ("mother", "母亲", "mother")
    GRANDPARENT = ("grandparent", "祖父母/外祖父母", "grandparent")
    SIBLING = ("sibling", "兄弟姐妹", "sibling")
    SPOUSE = ("spouse", "配偶", "spouse")
    CHILD = ("child", "子女", "son or daughter")
    OTHER_RELATIVE = ("other_relative", "其他亲属", "other relative")
    ENTRUSTED_CARER = ("entrusted_carer", "受委托照护人", "entrusted carer")
    APPOINTED_GUARDIAN = ("appointed_guardian", "指定监护人", "appointed guardian")
    NEIGHBOUR = ("neighbour", "邻居", "neighbour")


class CaseStage(Labelled):
    """The stages of the standard casework process (DOM-1 … DOM-3, DOM-5)."""

    SCREENING = ("screening", "对象排查", "screening")
    INTAKE = ("intake", "接案", "intake")
    ASSESSMENT = ("assessment", "调查评估与需求分析", "assessment and needs analysis")
    PLAN = ("plan", "服务计划", "service plan")
    SERVICES = ("services", "服务实施", "services")
    REVIEW = ("review", "评估回顾", "review")
    CLOSED = ("closed", "结案", "closed")


class ReferralStatus(Labelled):
    """Where a referral to an assistance programme stands (DOM-1 "8+1", DOM-5)."""

    IN_PROGRESS = ("in_progress", "办理中", "in progress")
    ACCEPTED = ("accepted", "已受理", "accepted")
    REJECTED = ("rejected", "未通过", "rejected")
    WITHDRAWN = ("withdrawn", "已撤回", "withdrawn")
    DONE = ("done", "已办结", "done")

    @property
    def final(self) -> bool:
        return self in (ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN, ReferralStatus.DONE)


class ServiceType(Labelled):
    """What a service record did; each type belongs to the domains in :data:`SERVICE_DOMAINS`."""

    # DOM-1 social assistance 二(一)
    SCREENING = ("screening", "对象排查", "screening")
    INVESTIGATION = ("investigation", "调查评估", "investigation and assessment")
    CASE_FILING = ("case_filing", "服务建档", "case file")
    NEEDS_ANALYSIS = ("needs_analysis", "需求分析", "needs analysis")
    POLICY_OUTREACH = ("policy_outreach", "政策宣讲", "policy outreach")
    APPLICATION_HELP = ("application_help", "协助申请救助", "help with an assistance application")
    RESOURCE_LINKING = ("resource_linking", "资源链接", "resource linking")
    PSYCHOLOGICAL_SUPPORT = ("psychological_support", "心理疏导", "psychological support")
    CARE = ("care", "照料护理", "care")
    EMPOWERMENT = ("empowerment", "增能培力", "empowerment")
    SOCIAL_INTEGRATION = ("social_integration", "社会融入", "social integration")
    # DOM-2 elderly 二(二) and DOM-3 children 二(三)
    VISIT = ("visit", "探访/走访核查", "visit")
    EMOTIONAL_SUPPORT = ("emotional_support", "精神慰藉", "emotional support")
    VOLUNTEER_SERVICE = ("volunteer_service", "志愿服务", "volunteer service")
    COMMUNITY_CARE = ("community_care", "社区照顾", "community care")
    SUPPORT_NETWORK = ("support_network", "社会支持网络建设", "support-network building")
    LEGAL_OUTREACH = ("legal_outreach", "法制宣传", "legal outreach")
    GUARDIANSHIP_ASSESSMENT = ("guardianship_assessment", "监护评估", "guardianship assessment")
    FAMILY_RELATIONSHIP = ("family_relationship", "家庭关系调适", "family-relationship work")
    SAFETY_EDUCATION = ("safety_education", "安全教育与社会保护", "safety education and protection")
    MENTAL_HEALTH = ("mental_health", "心理健康教育与社会融合", "mental health and integration")
    GRANDPARENT_SUPPORT = (
        "grandparent_support",
        "隔代教育与社会支持",
        "grandparent care and support",
    )
    # DOM-4 community governance 二(四)
    DELIBERATION = ("deliberation", "议事协商", "residents' deliberation")
    ORGANISATION_INCUBATION = (
        "organisation_incubation",
        "孵化培育社区社会组织",
        "incubating community organisations",
    )
    VOLUNTEER_TEAM_BUILDING = (
        "volunteer_team_building",
        "发展志愿服务队伍",
        "building volunteer teams",
    )
    EMERGENCY_MOBILISATION = ("emergency_mobilisation", "应急动员", "mobilising in an emergency")
    COMMUNITY_LEADERS = ("community_leaders", "挖掘社区贤达", "finding community leaders")
    PUBLIC_SPACE = ("public_space", "激活公共空间", "activating public space")
    # DOM-5 other civil-affairs social work 二(五)
    MARRIAGE_POLICY_OUTREACH = (
        "marriage_policy_outreach",
        "婚姻政策宣传",
        "marriage policy outreach",
    )
    PREMARITAL_COUNSELLING = ("premarital_counselling", "婚前辅导", "premarital counselling")
    FAMILY_COUNSELLING = ("family_counselling", "婚姻家庭咨询", "marriage and family consultation")
    FUNERAL_POLICY_OUTREACH = ("funeral_policy_outreach", "殡葬政策宣传", "funeral-policy outreach")
    DISABILITY_CARE = ("disability_care", "残疾人关爱服务", "care for disabled people")
    TWO_SUBSIDIES_HELP = (
        "two_subsidies_help",
        "协助落实两项补贴",
        "help with the two disability subsidies",
    )
    LEFT_BEHIND_WOMEN = ("left_behind_women", "留守妇女服务", "services for left-behind women")
    # DOM-6 talent and team building 二(六)
    TRAINING = ("training", "培训", "training")
    SUPERVISION = ("supervision", "督导", "supervision")
    ORGANISATION_SUPPORT = (
        "organisation_support",
        "扶持本土社工机构",
        "supporting local social-work organisations",
    )
    VALUES_OUTREACH = ("values_outreach", "社会工作理念宣传", "spreading social-work values")
    EXPERIENCE_WRITING = ("experience_writing", "经验总结", "writing up experience")
    # any domain
    OTHER = ("other", "其他", "other")


_D = ServiceDomain
_ALL = frozenset(ServiceDomain)
SERVICE_DOMAINS: Mapping[ServiceType, frozenset[ServiceDomain]] = {
    ServiceType.SCREENING: frozenset({_D.SOCIAL_ASSISTANCE, _D.CHILD_WELFARE, _D.ELDERLY}),
    ServiceType.INVESTIGATION: frozenset({_D.SOCIAL_ASSISTANCE, _D.CHILD_WELFARE, _D.ELDERLY}),
    ServiceType.CASE_FILING: frozenset({_D.SOCIAL_ASSISTANCE, _D.CHILD_WELFARE, _D.ELDERLY}),
    ServiceType.NEEDS_ANALYSIS: frozenset({_D.SOCIAL_ASSISTANCE, _D.CHILD_WELFARE, _D.ELDERLY}),
    ServiceType.POLICY_OUTREACH: _ALL - {_D.TALENT},
    ServiceType.APPLICATION_HELP: frozenset({_D.SOCIAL_ASSISTANCE, _D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.RESOURCE_LINKING: _ALL - {_D.TALENT},
    ServiceType.PSYCHOLOGICAL_SUPPORT: frozenset(
        {_D.SOCIAL_ASSISTANCE, _D.CHILD_WELFARE, _D.ELDERLY, _D.OTHER_CIVIL_AFFAIRS}
    ),
    ServiceType.CARE: frozenset({_D.SOCIAL_ASSISTANCE, _D.ELDERLY, _D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.EMPOWERMENT: frozenset({_D.SOCIAL_ASSISTANCE, _D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.SOCIAL_INTEGRATION: frozenset({_D.SOCIAL_ASSISTANCE, _D.CHILD_WELFARE}),
    ServiceType.VISIT: frozenset(
        {_D.SOCIAL_ASSISTANCE, _D.ELDERLY, _D.CHILD_WELFARE, _D.OTHER_CIVIL_AFFAIRS}
    ),
    ServiceType.EMOTIONAL_SUPPORT: frozenset(
        {_D.ELDERLY, _D.CHILD_WELFARE, _D.OTHER_CIVIL_AFFAIRS}
    ),
    ServiceType.VOLUNTEER_SERVICE: frozenset(
        {_D.ELDERLY, _D.CHILD_WELFARE, _D.COMMUNITY_GOVERNANCE, _D.OTHER_CIVIL_AFFAIRS}
    ),
    ServiceType.COMMUNITY_CARE: frozenset({_D.ELDERLY}),
    ServiceType.SUPPORT_NETWORK: frozenset({_D.ELDERLY, _D.CHILD_WELFARE}),
    ServiceType.LEGAL_OUTREACH: frozenset({_D.CHILD_WELFARE, _D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.GUARDIANSHIP_ASSESSMENT: frozenset({_D.CHILD_WELFARE}),
    ServiceType.FAMILY_RELATIONSHIP: frozenset({_D.CHILD_WELFARE, _D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.SAFETY_EDUCATION: frozenset({_D.CHILD_WELFARE}),
    ServiceType.MENTAL_HEALTH: frozenset({_D.CHILD_WELFARE}),
    ServiceType.GRANDPARENT_SUPPORT: frozenset({_D.CHILD_WELFARE}),
    ServiceType.DELIBERATION: frozenset({_D.COMMUNITY_GOVERNANCE}),
    ServiceType.ORGANISATION_INCUBATION: frozenset({_D.COMMUNITY_GOVERNANCE}),
    ServiceType.VOLUNTEER_TEAM_BUILDING: frozenset({_D.COMMUNITY_GOVERNANCE}),
    ServiceType.EMERGENCY_MOBILISATION: frozenset({_D.COMMUNITY_GOVERNANCE}),
    ServiceType.COMMUNITY_LEADERS: frozenset({_D.COMMUNITY_GOVERNANCE}),
    ServiceType.PUBLIC_SPACE: frozenset({_D.COMMUNITY_GOVERNANCE}),
    ServiceType.MARRIAGE_POLICY_OUTREACH: frozenset({_D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.PREMARITAL_COUNSELLING: frozenset({_D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.FAMILY_COUNSELLING: frozenset({_D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.FUNERAL_POLICY_OUTREACH: frozenset({_D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.DISABILITY_CARE: frozenset({_D.OTHER_CIVIL_AFFAIRS, _D.ELDERLY}),
    ServiceType.TWO_SUBSIDIES_HELP: frozenset({_D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.LEFT_BEHIND_WOMEN: frozenset({_D.OTHER_CIVIL_AFFAIRS}),
    ServiceType.TRAINING: frozenset(
        {_D.TALENT, _D.COMMUNITY_GOVERNANCE, _D.CHILD_WELFARE, _D.ELDERLY}
    ),
    ServiceType.SUPERVISION: frozenset({_D.TALENT}),
    ServiceType.ORGANISATION_SUPPORT: frozenset({_D.TALENT}),
    ServiceType.VALUES_OUTREACH: frozenset({_D.TALENT}),
    ServiceType.EXPERIENCE_WRITING: frozenset({_D.TALENT}),
    ServiceType.OTHER: _ALL,
}
"""Which domains' lists each service type belongs to (the seed's task lists per domain)."""


def services_of(domain: ServiceDomain) -> tuple[ServiceType, ...]:
    """The service types a record of ``domain`` may have, in declaration order."""
    return tuple(t for t in ServiceType if domain in SERVICE_DOMAINS[t])


def referral_domain(kind: AssistanceKind) -> ServiceDomain:
    """The domain a referral counts under: the two disability subsidies are DOM-5, the rest DOM-1."""
    if kind in (AssistanceKind.DISABILITY_LIVING, AssistanceKind.DISABILITY_NURSING):
        return ServiceDomain.OTHER_CIVIL_AFFAIRS
    return ServiceDomain.SOCIAL_ASSISTANCE


class OrganisationKind(Labelled):
    """What kind of organisation a station incubates or supports (DOM-4, DOM-6)."""

    COMMUNITY_SOCIAL = ("community_social", "社区社会组织", "community social organisation")
    VOLUNTEER = ("volunteer", "志愿服务组织", "volunteer organisation")
    SENIOR = ("senior", "老年人社会组织", "senior citizens' organisation")
    LOCAL_SOCIAL_WORK = ("local_social_work", "本土社工机构", "local social-work organisation")
    SOCIAL_ENTERPRISE = ("social_enterprise", "服务性社会企业", "service social enterprise")


class OrganisationStage(Labelled):
    """How far an incubated organisation has come (孵化培育)."""

    IDEA = ("idea", "发起筹备", "being set up")
    INCUBATING = ("incubating", "入驻孵化", "incubating")
    RECORDED = ("recorded", "街道备案", "recorded with the street")
    REGISTERED = ("registered", "民政登记", "registered with civil affairs")
    INDEPENDENT = ("independent", "独立运作", "running independently")


class ResourceKind(Labelled):
    """A charitable resource linked in (五社联动: 社会慈善资源)."""

    MONEY = ("money", "资金", "money")
    IN_KIND = ("in_kind", "物资", "in kind")
    SERVICE = ("service", "服务", "services")


class Medium(Labelled):
    """Where publicity appeared (PUB-1 四(五))."""

    NEWSPAPER = ("newspaper", "报纸", "newspaper")
    RADIO = ("radio", "广播", "radio")
    TELEVISION = ("television", "电视", "television")
    INTERNET = ("internet", "网络", "internet")


__all__ = [
    "SERVICE_DOMAINS",
    "CaseStage",
    "Consent",
    "IntervalUnit",
    "Medium",
    "OrganisationKind",
    "OrganisationStage",
    "ReferralStatus",
    "Relation",
    "ResourceKind",
    "ServiceType",
    "Sex",
    "referral_domain",
    "services_of",
]
