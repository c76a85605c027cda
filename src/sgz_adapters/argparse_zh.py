"""argparse's own words in Chinese (issue 9 §4): ``用法：``, ``参数 --x：无效的选择 …``.

:mod:`argparse` says everything a user reads through ``argparse._`` and ``argparse.ngettext``
(the module's gettext functions, looked up when each message is made). :func:`speaking` puts
a translation from :data:`CATALOGUE` in their place while ``sgz`` builds its parser and parses
the command line, then restores them; nothing else in the process is changed, and outside it
argparse speaks English as always. A message missing from the catalogue stays English.

Only the command line's own thread should parse inside :func:`speaking` (``sgz`` runs one
command per process; an embedding program that runs ``main`` in threads gets Chinese argparse
messages in the others meanwhile). The prefix ``PROG: error:`` stays the same in both
languages, as ``sgz: error:`` does (scripts and log filters match it).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import Final

CATALOGUE: Final[dict[str, str]] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示此帮助信息并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "有歧义的选项：%(option)s 可匹配 %(matches)s"
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "expected one argument": "需要一个值",
    "expected at most one argument": "至多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了显式给出的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
}
"""argparse's messages (the ``msgid``) and their Chinese (``msgstr``)."""

PLURALS: Final[dict[tuple[str, str], str]] = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个值",
}
"""argparse's messages with a plural form (``ngettext``), in Chinese (which has none)."""

FOR_PROGRAMMERS: Final[frozenset[str]] = frozenset(
    {
        ".__call__() not defined",
        "'required' is an invalid argument for positionals",
        "mutually exclusive arguments must be optional",
        "%r is not callable",
        "cannot merge actions - two groups are named %r",
        "invalid option string %(option)r: must start with a character %(prefix_chars)r",
        "dest= is required for options like %r",
        "invalid conflict_resolution value: %r",
        "cannot have multiple subparser arguments",
        "conflicting subparser: %s",
        "conflicting subparser alias: %s",
        'argument "-" with mode %r',
        "conflicting option string: %s",
        "conflicting option strings: %s",
    }
)
"""argparse's messages to whoever builds a parser wrongly (a bug, never a user's input): left
English, as a traceback is."""


def gettext(message: str) -> str:
    """``message`` in Chinese where :data:`CATALOGUE` has it, else as given."""
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The message for ``n`` in Chinese where :data:`PLURALS` has it, else argparse's English."""
    zh = PLURALS.get((singular, plural))
    if zh is not None:
        return zh
    return singular if n == 1 else plural


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """argparse says its messages in ``lang`` (``zh``: Chinese) inside the block."""
    if lang != "zh":
        yield
        return
    saved: tuple[Callable[..., str], Callable[..., str]] = (
        argparse._,  # type: ignore[attr-defined]
        argparse.ngettext,  # type: ignore[attr-defined]
    )
    setattr(argparse, "_", gettext)  # noqa: B010 - argparse looks the name up in its module
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


__all__ = ["CATALOGUE", "FOR_PROGRAMMERS", "PLURALS", "gettext", "ngettext", "speaking"]
