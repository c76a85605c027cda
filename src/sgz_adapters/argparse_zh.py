"""argparse's own words in Chinese (issue 9 §4): ``用法：``, ``参数 --x：无效的选择 …``.

:mod:`argparse` says everything a user reads through ``argparse._`` and ``argparse.ngettext``
(the module's gettext functions, looked up when each message is made). :func:`speaking` puts
a translation from :data:`CATALOGUE` in their place while ``sgz`` builds its parser and parses
the command line, then restores them; nothing else in the process is changed, and outside it
argparse speaks English as always. A message missing from the catalogue stays English. :func:`translate_help` does the same for
the help texts of sgz's own commands and options (:data:`HELP`).

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


HELP: Final[dict[str, str]] = {
    "Check social work station (社工站) programmes against their policy profile.": (
        "按政策配置检查社工站项目。"
    ),
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示程序的版本号并退出",
    "all findings of every rule about a programme file": "项目文件的全部规则检查结果",
    "the disbursement tranches and their status on a day": "某日各期拨付及其状态",
    "the plaque texts each station must show": "每个社工站须悬挂的标牌文字",
    "a station's overdue and due-soon visits, open cases and people to reach, most vulnerable "
    "first": "社工站逾期与即将到期的探访、未结个案和待联系的人，最困难的在前",
    "the casework counts per station, contract year and domain": (
        "按社工站、合同年和服务领域统计的个案工作数"
    ),
    "store a programme file in a database": "将项目文件存入数据库",
    "a stored programme as a programme file (TOML, lossless)": (
        "将已存储的项目导出为项目文件（TOML，无损）"
    ),
    "a station-year's scorecard: indicators, points, score, grade and outcome": (
        "社工站某合同年的评分表：指标、得分、总分、等级和结果"
    ),
    "policy profiles": "政策配置",
    "the rules this version checks, with their requirement ids": "此版本检查的规则及其要求编号",
    "the installed plugins, with their versions and the hooks they implement": (
        "已安装的插件及其版本和实现的钩子"
    ),
    "a registered reporter: table, json, markdown or a plugin's (default: table)": (
        "已注册的报告器：table、json、markdown 或插件提供的（默认：table）"
    ),
    "a registered reporter: table, json, markdown, xlsx or a plugin's (default: table)": (
        "已注册的报告器：table、json、markdown、xlsx 或插件提供的（默认：table）"
    ),
    "a registered reporter: table, json, markdown, toml or a plugin's (default: table)": (
        "已注册的报告器：table、json、markdown、toml 或插件提供的（默认：table）"
    ),
    "language of tables and messages (default: $SGZ_LANG, else zh)": (
        "表格和消息的语言（默认：$SGZ_LANG，否则 zh）"
    ),
    "programme file (TOML); or use --db": "项目文件（TOML）；或使用 --db",
    "read the programme from this database instead of a FILE (sqlite:///path.db, "
    "postgresql://…, mysql+pymysql://…; default sqlite:///sgz.db)": (
        "从此数据库而不是 FILE 读取项目（sqlite:///path.db、postgresql://…、"
        "mysql+pymysql://…；默认 sqlite:///sgz.db）"
    ),
    "the programme's id in the database (needed when it holds several)": (
        "数据库中项目的编号（数据库中有多个项目时必须给出）"
    ),
    "the day to judge on (default: today)": "判断所依据的日期（默认：今天）",
    "the day whose profile values apply (default: today)": "适用其配置值的日期（默认：今天）",
    "the station's id": "社工站编号",
    "the day of the work list (default: today)": "工作清单的日期（默认：今天）",
    "only this station": "只统计此社工站",
    "only this contract year (1 to 99)": "只统计此合同年（1 至 99）",
    "count up to this day (default: today)": "统计截至此日（默认：今天）",
    "programme file (TOML)": "项目文件（TOML）",
    "the database to store it in (sqlite:///path.db, postgresql://…, mysql+pymysql://…; "
    "default sqlite:///sgz.db)": (
        "存入的数据库（sqlite:///path.db、postgresql://…、mysql+pymysql://…；"
        "默认 sqlite:///sgz.db）"
    ),
    "replace a programme with the same id (in one transaction)": "替换编号相同的项目（在一个事务中）",
    "show a progress bar (default: for long imports, on a terminal)": (
        "显示进度条（默认：在终端上导入耗时较长时显示）"
    ),
    "the database to read (sqlite:///path.db, postgresql://…, mysql+pymysql://…; "
    "default sqlite:///sgz.db)": (
        "读取的数据库（sqlite:///path.db、postgresql://…、mysql+pymysql://…；"
        "默认 sqlite:///sgz.db）"
    ),
    "the programme's id (needed when the database holds several)": (
        "项目编号（数据库中有多个项目时必须给出）"
    ),
    "write to FILE instead of standard output": "写入 FILE 而不是标准输出",
    "the contract year (1 to 99)": "合同年（1 至 99）",
    "score the latest evaluation on or before this day, else the measured indicators on it "
    "(default: today)": "为此日及以前最近的一次评估评分，若无则为此日测得的指标评分（默认：今天）",
    "score this kind of evaluation (default: the latest)": "为此类评估评分（默认：最近的一次）",
    "a profile's parameters as TOML, every dated value included": (
        "以 TOML 显示配置的参数，包括每个有日期的值"
    ),
    "built-in profile id or profile file (default: lanzhou-chengguan)": (
        "内置配置编号或配置文件（默认：lanzhou-chengguan）"
    ),
    "toml, json or a plugin's (default: toml)": "toml、json 或插件提供的（默认：toml）",
    # sgz pay
    "a voucher or transfer number": "凭证号或转账流水号",
    "record the payment of a due tranche (PAY-1): idempotent, refused when not due": (
        "登记一期应拨付款项的拨付（PAY-1）：重复登记不会重复记录，未到拨付条件的予以拒绝"
    ),
    "the database holding the programme (sqlite:///path.db, postgresql://…, mysql+pymysql://…; "
    "default sqlite:///sgz.db)": (
        "存有项目的数据库（sqlite:///path.db、postgresql://…、mysql+pymysql://…；"
        "默认 sqlite:///sgz.db）"
    ),
    "the day it is paid": "拨付日期",
    "the tranche to pay, by its milestone": "要拨付的一期（按其节点）",
    "who pays (the finance officer)": "经办人（财务人员）",
    # sgz audit, sgz import --by
    "the audit trail of every recorded operation (AUD-1): list it, verify its chain": (
        "每项已记录操作的审计记录（AUD-1）：列出记录，核验其哈希链"
    ),
    "the audit entries in the order they were appended: when, who, what, on what": (
        "按追加顺序列出审计记录：时间、操作人、操作及对象"
    ),
    "check the hash chain: exit 0 when it is whole, 1 naming the first entry changed, "
    "removed, inserted or moved": (
        "核验哈希链：完整时退出码为 0；否则为 1，并指出第一条被改动、删除、插入或移动的记录"
    ),
    "only this programme's entries (default: every one)": "只列此项目的记录（默认：全部项目）",
    "only this station's entries": "只列此社工站的记录",
    "who imports, for the audit trail (default: $SGZ_USER, else the login name)": (
        "导入人，记入审计记录（默认：$SGZ_USER，否则为登录用户名）"
    ),
    # sgz ledger
    "only this contract year (default: every year)": "只看这个合同年（默认：每一年）",
    "only this station (default: every station)": "只看这个社工站（默认：每个社工站）",
    "the day the ledger is drawn up on (default: today)": "台账编制日（默认：今天）",
    "the fund ledger: per fund pledged, received, paid out, spent, balance": (
        "资金台账：每项资金的应到、已到、已拨付、已支出和余额"
    ),
    # sgz plan
    "a built-in profile id (lanzhou-chengguan) or a profile file": "内置配置编号（lanzhou-chengguan）或配置文件",
    "a second profile: its budget and the difference (it minus --profile)": (
        "第二个配置：其预算及差额（它减去 --profile）"
    ),
    "contract years to plan (1 to 99; default: 3)": "规划的合同年数（1 至 99；默认 3）",
    "the first day of year 1": "第 1 年的第一天",
    "the number of stations (1 to 100000)": "社工站数（1 至 100000）",
    "what each level (province, city, district) must budget per contract year for N stations, "
    "the tranches month by month, and with --vs what a change of policy costs": (
        "N 个社工站每个合同年省、市、区各级须安排的预算，逐月拨付，以及用 --vs 比较政策变化的费用"
    ),
}
"""The help texts of sgz's own commands and options, in Chinese (a plugin's stay as it wrote
them)."""


def helps(parser: argparse.ArgumentParser) -> Iterator[tuple[object, str, str]]:
    """(the object, its attribute, its text) for every description and help text of ``parser``
    and of its subcommands' parsers."""
    if parser.description:
        yield parser, "description", parser.description
    for action in parser._actions:
        if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
            yield action, "help", action.help
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if isinstance(choice.help, str):
                    yield choice, "help", choice.help
            for sub in dict.fromkeys(action.choices.values()):  # aliases: each parser once
                yield from helps(sub)


def translate_help(parser: argparse.ArgumentParser, lang: str) -> None:
    """Put the Chinese of :data:`HELP` in place of ``parser``'s help texts (``lang`` zh)."""
    if lang != "zh":
        return
    for owner, attribute, text in helps(parser):
        setattr(owner, attribute, HELP.get(text, text))


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


__all__ = [
    "CATALOGUE",
    "FOR_PROGRAMMERS",
    "HELP",
    "PLURALS",
    "gettext",
    "helps",
    "ngettext",
    "speaking",
    "translate_help",
]
