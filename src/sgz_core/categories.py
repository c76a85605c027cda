"""Beneficiary categories and their priority (SCOPE-1, PRIN-1).

Categories are values, not an enumeration, because a profile may add its own ("逐步扩展服务
范围"). A lower ``priority`` number is more vulnerable and comes first in every work list.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs


@attrs.frozen
class Category:
    """A beneficiary category: id, labels, priority (1 = most vulnerable) and its domains."""

    id: str
    zh: str
    en: str
    priority: int
    group: str | None = None  # one of the four governance groups 一老一小一孤一困, if any
    reference: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


GOVERNANCE_GROUPS = {
    "old": ("一老", "the old"),
    "young": ("一小", "the young"),
    "orphaned": ("一孤", "the orphaned"),
    "hardship": ("一困", "the hardship-stricken"),
}

# SCOPE-1 names seven key groups; DOM-2/DOM-3/DOM-5 add the targets of those domains. The
# priority order is local practice (the seed says only "弱势优先"): people without any carer
# first, then those under state support, then those with some means.
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category(
        "homeless",
        "生活无着的流浪乞讨人员",
        "homeless people without means",
        1,
        "hardship",
        "SCOPE-1 二",
    ),
    Category("orphan", "孤儿", "orphans", 2, "orphaned", "SCOPE-1 二"),
    Category(
        "de_facto_unsupported_child",
        "事实无人抚养儿童",
        "de facto unsupported children",
        3,
        "orphaned",
        "SCOPE-1 二",
    ),
    Category(
        "extremely_poor",
        "特困供养人员",
        "extremely poor persons under state support",
        4,
        "hardship",
        "SCOPE-1 二",
    ),
    Category("child_in_distress", "困境儿童", "children in distress", 5, "young", "DOM-3 二(三)"),
    Category(
        "elderly_special_hardship",
        "特殊困难老人",
        "elderly in special hardship",
        6,
        "old",
        "DOM-2 二(二)",
    ),
    Category("disabled_elderly", "残疾老人", "disabled elderly", 7, "old", "DOM-2 二(二)"),
    Category(
        "elderly_alone", "空巢独居老人", "empty-nest or lone elderly", 8, "old", "DOM-2 二(二)"
    ),
    Category(
        "minimum_allowance",
        "城乡低保对象",
        "minimum-living-allowance recipients",
        9,
        "hardship",
        "SCOPE-1 二",
    ),
    Category("left_behind_child", "留守儿童", "left-behind children", 10, "young", "SCOPE-1 二"),
    Category("disabled", "残疾人", "disabled people", 11, "hardship", "DOM-5 二(五)"),
    Category("low_income", "低收入家庭", "low-income families", 12, "hardship", "SCOPE-1 二"),
    Category("left_behind_woman", "留守妇女", "left-behind women", 13, None, "DOM-5 二(五)"),
)


def by_priority(categories: Iterable[Category]) -> list[Category]:
    """Most vulnerable first; equal priorities keep their id order (PRIN-1)."""
    return sorted(categories, key=lambda c: (c.priority, c.id))


__all__ = [
    "DEFAULT_CATEGORIES",
    "GOVERNANCE_GROUPS",
    "Category",
    "by_priority",
]
