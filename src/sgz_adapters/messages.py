"""The loader's key-path messages in Chinese (issue 9 §4), without touching its raise sites.

The loader (:mod:`sgz_core`) says each :class:`~sgz_core.errors.Problem` in English. This module
holds its message *templates* as regular expressions, each with a Chinese template, and
:func:`in_chinese` applies them to a message. A named group is carried over unchanged (a quoted
value, a key, a number), except:

- a group named ``t_…`` is itself a phrase (what was expected, what was got) and is translated
  with :data:`PHRASES`;
- a group named ``g_…`` is the value got, translated with :data:`GOT`;
- a group named ``m_…`` is itself a message, translated with :data:`MESSAGES`.

If a message, or any phrase or message inside it, matches no template, :func:`in_chinese` gives
``None`` and the message stays English as a whole: never half translated, never garbled. The key
path of a problem is never translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import overload

Template = tuple[re.Pattern[str], str]


class Templates(Sequence[Template]):
    """A table of templates, compiled when first used: only a refusal shown in Chinese needs
    them, so ``sgz --help`` and a check of a valid file compile none (issue 12)."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._pairs = tuple(pairs)
        self._compiled: tuple[Template, ...] | None = None

    def _templates(self) -> tuple[Template, ...]:
        if self._compiled is None:
            self._compiled = tuple((re.compile(p, re.DOTALL), zh) for p, zh in self._pairs)
        return self._compiled

    @overload
    def __getitem__(self, index: int) -> Template: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Template, ...]: ...
    def __getitem__(self, index: int | slice) -> Template | tuple[Template, ...]:
        return self._templates()[index]

    def __len__(self) -> int:
        return len(self._pairs)

    def __iter__(self) -> Iterator[Template]:
        return iter(self._templates())

    def __add__(self, other: Sequence[Template]) -> tuple[Template, ...]:
        return (*self, *other)

    def __radd__(self, other: Sequence[Template]) -> tuple[Template, ...]:
        return (*other, *self)


def _table(pairs: Sequence[tuple[str, str]]) -> Templates:
    return Templates(pairs)


MESSAGES: Templates = _table(
    [
        # where the TOML pre-check found it
        (r"line (?P<line>\d+): (?P<m_rest>.+)", "第 {line} 行：{m_rest}"),
        (r"not valid TOML: (?P<detail>.+)", "不是有效的 TOML：{detail}"),
        (
            r"expected a number sgz can hold, got (?P<literal>.+)",
            "应为 sgz 能容纳的数，实为 {literal}",
        ),
        (
            r"expected a key or number of at most (?P<n>\d+) characters, got one of (?P<m>\d+)",
            "键或数至多 {n} 个字符，实为 {m} 个",
        ),
        (
            r"expected arrays and inline tables nested at most (?P<n>\d+) deep",
            "数组与内联表至多嵌套 {n} 层",
        ),
        (r"expected a key of at most (?P<n>\d+) dotted parts", "键至多由 {n} 个点分部分组成"),
        (r"expected a table at the top of the file", "文件顶层应为表"),
        # reading the file
        (r"cannot read the file \((?P<reason>.+)\)", "无法读取文件（{reason}）"),
        (r"expected a file, got a directory", "应为文件，实为目录"),
        (
            r"expected a regular file, got a device, FIFO or socket",
            "应为普通文件，实为设备、FIFO 或套接字",
        ),
        (
            r"expected a file of at most (?P<limit>.+), got (?P<size>\d+) bytes",
            "文件至多 {limit}，实为 {size} 字节",
        ),
        (r"expected a file of at most (?P<limit>.+)", "文件至多 {limit}"),
        (r"expected a file name, got an empty one", "应为文件名，实为空"),
        (r"expected a file name without a NUL character", "文件名不应含 NUL 字符"),
        (
            r"expected UTF-8 text, got UTF-16 \(save the file as UTF-8\)",
            "应为 UTF-8 文本，实为 UTF-16（请将文件另存为 UTF-8）",
        ),
        (
            r"expected UTF-8 text \((?P<reason>.+) at byte (?P<at>\d+)\)",
            "应为 UTF-8 文本（第 {at} 字节处：{reason}）",
        ),
        # keys and tables
        (r"unknown key; expected one of (?P<keys>.+)", "未知的键；应为以下之一：{keys}"),
        (r"unknown parameter; expected one of (?P<keys>.+)", "未知的参数；应为以下之一：{keys}"),
        (r"missing required key \((?P<t_what>.+)\)", "缺少必需的键（{t_what}）"),
        (r"missing required key", "缺少必需的键"),
        (r"missing required table \[(?P<table>[^\]]+)\]", "缺少必需的表 [{table}]"),
        (r"expected a table \[(?P<table>[^\]]+)\]", "应为表 [{table}]"),
        # references and duplicates
        (r"duplicate (?P<kind>[a-z ]+) id (?P<id>.+)", "重复的 {kind} id {id}"),
        (r"duplicate contract year (?P<year>.+)", "重复的合同年 {year}"),
        (
            r"unknown (?P<kind>contractor|station|volunteer team) (?P<id>.+?); expected one of (?P<known>.+)",
            "未知的 {kind} {id}；应为以下之一：{known}",
        ),
        (
            r"unknown (?P<kind>case|beneficiary|station|contractor) (?P<id>'.*')",
            "未知的 {kind} {id}",
        ),
        # values
        (r"expected (?P<t_what>.+?), got (?P<g_got>.+)", "应为{t_what}，实为{g_got}"),
        (
            r"expected a date like 2024-07-01 without a time, got (?P<value>.+)",
            "应为不含时间的日期（形如 2024-07-01），实为 {value}",
        ),
        (
            r"expected a TOML date like 2024-07-01 \(without quotes\), got the string (?P<value>.+)",
            "应为 TOML 日期（形如 2024-07-01，不加引号），实为字符串 {value}",
        ),
        (
            r"expected an exact number \(integer or decimal\), got the binary float (?P<value>.+)",
            "应为精确的数（整数或小数），实为二进制浮点数 {value}",
        ),
        (r"expected a string", "应为字符串"),
        (r"expected a share from 0 to 1", "应为 0 至 1 的比例"),
        (r"expected days, zero or more", "应为天数（零或更多）"),
        (r"expected weights of zero or more, not all zero", "权重应为零或更多，且不能全为零"),
        (r"expected at least 1 person in the household", "家庭至少应有 1 人"),
        (r"invalid value \((?P<detail>.+)\)", "无效的值（{detail}）"),
        (r"missing: no value given", "缺少：未给出值"),
        (
            r"missing: give a value, or set profile\.extends",
            "缺少：请给出值，或设置 profile.extends",
        ),
    ]
)
"""The loader's messages, each a whole message (matched from start to end)."""

PHRASES: Templates = _table(
    [
        # what was expected (sgz_core._convert.expectation, Labelled.expected)
        (
            r"an amount in yuan \(an integer or decimal, zero or more, exact to the fen\)",
            "以元计的金额（整数或小数，零或更多，精确到分）",
        ),
        (r"an amount exact to the fen", "精确到分的金额"),
        (r"an area in m² \(a number, zero or more\)", "以平方米计的面积（数，零或更多）"),
        (r"a score from 0 to 100", "0 至 100 的分数"),
        (r"a string", "字符串"),
        (r"true or false", " true 或 false"),
        (r"an integer", "整数"),
        (r"a number \(integer or decimal\)", "数（整数或小数）"),
        (r"a number", "数"),
        (r"a date like 2024-07-01", "形如 2024-07-01 的日期"),
        (r"a table", "表"),
        (r"a list", "列表"),
        (r"one of (?P<values>.+)", "以下之一：{values}"),
    ]
)
"""What was expected, inside a message."""

GOT: Templates = _table(
    [
        # what was got (sgz_core._convert.describe)
        (r"a table", "表"),
        (r"a list", "列表"),
        (r"the boolean (?P<value>true|false)", "布尔值 {value}"),
        (r"(?P<type>[A-Za-z_][A-Za-z0-9_]*) (?P<value>.+)", " {type} {value}"),
    ]
)
"""The value got, inside a message (a type name and the value, kept)."""


def _fill(pattern: re.Pattern[str], zh: str, text: str) -> str | None:
    match = pattern.fullmatch(text)
    if match is None:
        return None
    values: dict[str, str] = {}
    for name, value in match.groupdict().items():
        if name.startswith("t_"):
            inner = _apply(PHRASES, value)
        elif name.startswith("g_"):
            inner = _apply(GOT, value)
        elif name.startswith("m_"):
            inner = _apply(MESSAGES, value)
        else:
            inner = value
        if inner is None:
            return None
        values[name] = inner
    return zh.format(**values)


def _apply(table: Sequence[Template], text: str) -> str | None:
    for pattern, zh in table:
        shown = _fill(pattern, zh, text)
        if shown is not None:
            return shown
    return None


def in_chinese(message: str) -> str | None:
    """``message`` (a loader problem's English message) in Chinese, or ``None`` if no template
    matches it (or a phrase inside it): the caller then shows it in English."""
    return _apply(MESSAGES, message)


def shown_message(message: str, lang: str) -> str:
    """``message`` in ``lang``: Chinese where a template matches, else as given."""
    if lang != "zh":
        return message
    zh = in_chinese(message)
    return message if zh is None else zh


__all__ = ["GOT", "MESSAGES", "PHRASES", "Templates", "in_chinese", "shown_message"]
