"""``Text``: one bilingual value for findings, labels, descriptions and messages."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import enums, profiles
from sgz_core.casework import vocabulary
from sgz_core.enums import Labelled, Milestone, Outcome, TrancheStatus
from sgz_core.findings import Finding
from sgz_core.text import LANGS, Text

texts = st.builds(Text, st.text(), st.text())


@given(texts)
def test_get_gives_each_language(text: Text) -> None:
    assert text.get("zh") == text.zh == str(text)
    assert text.get("en") == text.en
    assert text.get() == text.zh


@given(texts, st.text().filter(lambda s: s not in LANGS))
def test_another_language_is_refused(text: Text, lang: str) -> None:
    with pytest.raises(ValueError, match=re.escape("lang: expected one of zh | en")):
        text.get(lang)


@given(texts)
def test_text_is_a_frozen_value(text: Text) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        text.zh = "x"  # type: ignore[misc]
    assert Text(text.zh, text.en) == text and hash(Text(text.zh, text.en)) == hash(text)


def test_format_fills_both_languages() -> None:
    said = Text("共 {n} 项", "{n} items").format(n=3)
    assert said == Text("共 3 项", "3 items")


def _labelled() -> list[Labelled]:
    found = []
    for module in (enums, vocabulary):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Labelled) and value is not Labelled:
                found.extend(value)
    return found


@pytest.mark.parametrize("member", _labelled(), ids=lambda m: f"{type(m).__name__}.{m.value}")
def test_every_label_is_a_text(member: Labelled) -> None:
    assert member.text == Text(member.zh, member.en)
    assert member.text.get("zh") == member.label("zh") and member.zh and member.en


def test_the_words_a_civil_affairs_officer_uses() -> None:
    """A tranche whose milestone happened is due (应拨付), not paid (已拨付): nothing is paid yet."""
    assert TrancheStatus.DUE.text == Text("应拨付", "due")
    assert Outcome.STOP.zh == "停止拨付" and Outcome.CORRECT.zh == "限期整改"
    assert Milestone.CONTRACT_SIGNED.zh == "合同签订"


@given(st.text(), st.text())
def test_a_finding_says_its_message_and_message_en(zh: str, en: str) -> None:
    finding = Finding("SITE-1", enums.Severity.ERROR, None, None, zh, en)
    assert finding.says == Text(zh, en)
    assert finding.text("zh") == zh and finding.text("en") == en


@pytest.mark.parametrize("name", sorted(profiles.builtin().parameters))
def test_every_parameter_description_is_bilingual(name: str) -> None:
    text = profiles.builtin().parameters[name].text
    assert text.zh and not any(c.isascii() and c.isalpha() for c in text.zh)
    assert text.en[:1].isascii() and text.en[:1].isalpha()
    assert f"{text.zh}{text.en}".replace(" ", "") == profiles.builtin().parameters[
        name
    ].description.replace(" ", "")


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        (
            "活动场地最小面积 Minimum activity space (m²)",
            Text("活动场地最小面积", "Minimum activity space (m²)"),
        ),
        ("服务期限（年）Service term", Text("服务期限（年）", "Service term")),
        ("只有中文", Text("只有中文", "只有中文")),
        ("English only", Text("English only", "English only")),
        ("", Text("", "")),
    ],
)
def test_describe_splits_chinese_from_english(description: str, expected: Text) -> None:
    assert profiles.describe(description) == expected
