"""Every message sgz refuses input with, in Chinese, without touching its raise sites (issue 9 §4).

The core (:mod:`sgz_core`) says each :class:`~sgz_core.errors.Problem` in English, and so do a
few adapters and the libraries sgz reads with (``tomllib``, the operating system, the URL
parser). This module holds their message *templates* as regular expressions, each with a
Chinese template, and :func:`in_chinese` applies them to a message. A named group is carried
over unchanged (a quoted value, a key, a number, a masked ID number), except a group whose name
starts with one of these prefixes, which is itself translated with the table named:

- ``t_`` what was expected (:data:`PHRASES`), ``g_`` the value got (:data:`GOT`), ``y_`` its
  Python type (:data:`TYPES`);
- ``m_`` a message (:data:`MESSAGES`), ``p_`` what a message is about, before its ``": "``
  (:data:`HEADS`), ``l_`` the lines ``"  - …"`` of an error with several problems;
- ``k_`` a kind of thing (:data:`KINDS`), ``v_`` the values said to be known (:data:`KNOWN`);
- ``x_`` what ``tomllib`` said (:data:`TOML`), ``e_`` what the operating system, the UTF-8
  decoder or the URL parser said (:data:`SYSTEM`), ``j_`` what is said of tagged JSON read back
  from a database (:data:`JSON`).

If a message, or any part of it, matches no template, :func:`in_chinese` gives ``None`` and the
message stays English as a whole: never half translated, never garbled. The one exception is a
group named ``said``: what a database driver, a server or a plugin's own exception said, which
sgz cannot know in advance. It is quoted as it was said, in 「…」, after a Chinese sentence that
says what failed (``无法连接：「connection refused」``). Key paths are never
translated. ``tests/cli/test_every_message_zh.py`` finds every message text of the sources and
fails for one that no template translates.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

Template = tuple[str, str]
"""A regular expression (matched from start to end) and its Chinese template (``str.format``)."""

_ID = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
"""A quoted value as ``repr()`` writes it."""

MESSAGES: tuple[Template, ...] = (
    # where the TOML pre-check found it
    (r"line (?P<line>\d+): (?P<m_rest>.+)", "第 {line} 行：{m_rest}"),
    (r"not valid TOML: (?P<x_detail>.+)", "不是有效的 TOML：{x_detail}"),
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
    # several problems of a nested error (a profile file named by a programme)
    (
        r"(?P<head>[^\n]*?)(?P<n>\d+) problems:\n(?P<l_lines>.+)",
        "{head}共 {n} 个问题：\n{l_lines}",
    ),
    # reading the file
    (r"file not found", "文件不存在"),
    (r"cannot read the file \((?P<e_reason>.+)\)", "无法读取文件（{e_reason}）"),
    (r"expected a file, got a directory", "应为文件，实为目录"),
    (
        r"expected a regular file, got a device, FIFO or socket",
        "应为普通文件，实为设备、FIFO 或套接字",
    ),
    (
        r"expected a file of at most (?P<limit>.+), got (?P<size>\d+) bytes",
        "文件至多 {limit}，实为 {size} 字节",
    ),
    (r"expected a file of at most (?P<limit>\S+ \S+)", "文件至多 {limit}"),
    (r"expected a file name, got an empty one", "应为文件名，实为空"),
    (r"expected a file name without a NUL character", "文件名不应含 NUL 字符"),
    (
        r"expected UTF-8 text, got UTF-16 \(save the file as UTF-8\)",
        "应为 UTF-8 文本，实为 UTF-16（请将文件另存为 UTF-8）",
    ),
    (
        r"expected UTF-8 text \((?P<e_reason>.+) at byte (?P<at>\d+)\)",
        "应为 UTF-8 文本（第 {at} 字节处：{e_reason}）",
    ),
    # profiles named by a programme, and their extends chains
    (
        r"expected a built-in profile id or a profile file: (?P<m_why>.+)",
        "应为内置配置编号或配置文件：{m_why}",
    ),
    (r"the extends chain loops: (?P<chain>.+)", "extends 链形成了循环：{chain}"),
    (
        r"the extends chain passes through more than (?P<n>\d+) files: (?P<chain>.+)",
        "extends 链经过的文件多于 {n} 个：{chain}",
    ),
    (
        r"parameter (?P<name>" + _ID + r") has no value in force on (?P<day>\S+)",
        "参数 {name} 在 {day} 没有生效的值",
    ),
    (r"its first value starts (?P<day>\S+)", "其第一个值始于 {day}"),
    (r"two values start on (?P<day>\S+)", "两个值始于同一天 {day}"),
    (
        r"another value of (?P<name>\S+) starts on (?P<day>\S+)",
        "{name} 的另一个值也始于 {day}",
    ),
    # keys and tables
    (r"unknown key; expected one of (?P<keys>.+)", "未知的键；应为以下之一：{keys}"),
    (r"unknown parameter; expected one of (?P<keys>.+)", "未知的参数；应为以下之一：{keys}"),
    (r"unknown parameter", "未知的参数"),
    (r"missing required key \((?P<t_what>.+)\)", "缺少必需的键（{t_what}）"),
    (r"missing required key", "缺少必需的键"),
    (r"missing required table \[(?P<table>[^\]]+)\]", "缺少必需的表 [{table}]"),
    (r"expected a table \[(?P<table>[^\]]+)\]", "应为表 [{table}]"),
    (r"missing: no value given", "缺少：未给出值"),
    (
        r"missing: give a value, or set profile\.extends",
        "缺少：请给出值，或设置 profile.extends",
    ),
    # references and duplicates
    (r"duplicate (?P<k_kind>[a-z -]+?) id (?P<id>.+)", "重复的{k_kind}编号 {id}"),
    (r"duplicate contract year (?P<year>.+)", "重复的合同年 {year}"),
    # recorded payments (PAY-1)
    (r"expected each tranche at most once", "每期至多出现一次"),
    (r"expected a name, got (?P<got>.+)", "应为姓名，实为 {got}"),
    (r"expected a text, got (?P<got>.+)", "应为文本，实为 {got}"),
    (
        r"expected at most (?P<n>\d+) characters without NUL, got (?P<m>\d+)",
        "至多 {n} 个字符且不含 NUL，实为 {m} 个",
    ),
    (r"expected a datetime in UTC, got (?P<got>.+)", "应为 UTC 时间，实为 {got}"),
    (
        r"expected a payment of at most (?P<n>\S+) yuan \(what the payments table keeps\), "
        r"got (?P<got>.+)",
        "一笔拨付至多 {n} 元（拨付表所能保存的），实为 {got}",
    ),
    (r"expected a station id, got (?P<got>.+)", "应为社工站编号，实为 {got}"),
    (r"expected an array of tables \[\[(?P<t>[^\]]+)\]\]", "应为表数组 [[{t}]]"),
    (r"expected a table \[\[(?P<t>[^\]]+)\]\]", "应为表 [[{t}]]"),
    (r"expected an exact amount, not a float", "应为精确金额，不能是浮点数"),
    (
        r"expected a TOML date like 2024-07-01, got (?P<got>.+)",
        "应为 TOML 日期（如 2024-07-01），实为 {got}",
    ),
    (
        r"the same tranche is paid in payments\[(?P<i>[^\]]+)\]; a tranche is paid once",
        "同一期已在 payments[{i}] 中拨付；每期只拨付一次",
    ),
    (
        r"duplicate hardship-relief entry for contract year (?P<year>.+)",
        "合同年 {year} 的困难群众救助补助资金记录重复",
    ),
    (r"expected a list of expense categories, got (?P<got>.+)", "应为支出类别的列表，实为 {got}"),
    (r"expected expense categories \(text\), got (?P<got>.+)", "应为支出类别（文本），实为 {got}"),
    (
        r"only external and charity funding declares purposes; (?P<source>\w+) money pays "
        r"for the station's eligible costs \(FUND-3\)",
        "只有 external 和 charity 资金可以声明用途；{source} 资金只用于社工站的规定用途（FUND-3）",
    ),
    (r"expected warning or error, got notice", "应为 warning 或 error，实为 notice"),
    (r"unknown (?P<k_kind>[a-z -]+?) (?P<id>" + _ID + r")", "未知的{k_kind} {id}"),
    (
        r"the database holds no programme yet; import one first \(sgz import FILE\)",
        "数据库中还没有项目；请先导入项目（sgz import FILE）",
    ),
    (r"no (?P<k_kind>[a-z -]+?) (?P<key>" + _ID + r"|\S+)", "没有{k_kind} {key}"),
    (r"(?P<k_kind>[a-z -]+?) (?P<key>" + _ID + r") already exists", "{k_kind} {key} 已存在"),
    (r"replace it to overwrite", "如需覆盖，请替换它"),
    (r"another writer saved it first", "另一个写入者已先保存了它"),
    (
        r"(?P<name>" + _ID + r") is not on the staff of station (?P<station>" + _ID + r")",
        "{name} 不在社工站 {station} 的工作人员名单中",
    ),
    (
        r"(?P<community>" + _ID + r") is not served by station (?P<station>" + _ID + r")",
        "{community} 不在社工站 {station} 的服务范围内",
    ),
    (
        r"beneficiary (?P<who>"
        + _ID
        + r") is in the register of station (?P<station>"
        + _ID
        + r")",
        "服务对象 {who} 登记在社工站 {station}",
    ),
    (
        r"the ID number (?P<number>\S+) is also (?P<other>beneficiaries\[\d+\])'s",
        "身份证号码 {number} 也是 {other} 的号码",
    ),
    (r"a person cannot be linked to themselves", "一个人不能与自己关联"),
    (
        r"case (?P<case>" + _ID + r") belongs to station (?P<station>" + _ID + r")",
        "个案 {case} 属于社工站 {station}",
    ),
    (
        r"case (?P<case>" + _ID + r") is about beneficiary (?P<who>" + _ID + r")",
        "个案 {case} 的服务对象是 {who}",
    ),
    (
        r"case (?P<case>" + _ID + r") opened on (?P<day>\S+), after this record",
        "个案 {case} 于 {day} 开启，晚于这条记录",
    ),
    (r"case (?P<case>" + _ID + r") is closed on (?P<day>\S+)", "个案 {case} 在 {day} 已结案"),
    (
        r"a closed case takes no services \(reopen it with a new assessment( first)?\)",
        "已结案的个案不接受服务（请先以新的需求分析重新开启）",
    ),
    (
        r"case (?P<case>" + _ID + r") cannot open at (?P<stage>\w+)",
        "个案 {case} 不能以 {stage} 阶段开启",
    ),
    (
        r"case (?P<case>" + _ID + r") cannot move from (?P<a>\w+) to (?P<b>\w+)",
        "个案 {case} 不能从 {a} 阶段转到 {b} 阶段",
    ),
    (r"a case is never closed before it has been assessed", "个案在需求分析之前不能结案"),
    (
        r"a stage change on (?P<day>\S+) comes before the last one \((?P<last>[^)]+)\)",
        "{day} 的阶段变更早于上一次（{last}）",
    ),
    (
        r"needs are recorded at an assessment \(需求分析\) only",
        "需求只在需求分析（assessment）时记录",
    ),
    (
        r"referral (?P<id>" + _ID + r") cannot go from (?P<a>\w+) to (?P<b>\w+)",
        "转介 {id} 不能从 {a} 变为 {b}",
    ),
    (r"(?P<day>\S+) is before its last change", "{day} 早于其上一次变更"),
    (
        r"a referral that is done needs an outcome \(what was granted\)",
        "已办结的转介需要给出结果（获得了什么）",
    ),
    (r"a rejected referral needs the reason it was refused", "被拒绝的转介需要给出拒绝的理由"),
    # the people of the register and their ID numbers (masked numbers stay masked)
    (
        r"the ID number (?P<number>\S+) holds a birth year before (?P<year>\d+)",
        "身份证号码 {number} 中的出生年份早于 {year} 年",
    ),
    (
        r"the ID number (?P<number>\S+) has a wrong check character \(a typing error\?\)",
        "身份证号码 {number} 的校验码不对（是否输入有误？）",
    ),
    (
        r"the ID number (?P<number>\S+) holds no valid birth date",
        "身份证号码 {number} 中没有有效的出生日期",
    ),
    (
        r"does not agree with the birth date in the ID number; leave it out",
        "与身份证号码中的出生日期不符；请省略此项",
    ),
    (
        r"does not agree with the sex in the ID number; leave it out",
        "与身份证号码中的性别不符；请省略此项",
    ),
    (
        r"the person left the register \((?P<until>[^)]+)\) before being registered "
        r"\((?P<registered>[^)]+)\)",
        "此人退出登记（{until}）早于登记（{registered}）",
    ),
    (r"a category is listed twice", "类别重复列出"),
    (r"expected at least 1 person in the household", "家庭至少应有 1 人"),
    # the service ledger and the five-party linkage
    (
        r"(?P<service>" + _ID + r") is not a service of (?P<domain>\w+)",
        "{service} 不是 {domain} 领域的服务",
    ),
    (
        r"casework serves named people: give at least one beneficiary id",
        "个案工作服务具名的人：请至少给出一个服务对象编号",
    ),
    (
        r"a visit is to named people: give at least one beneficiary id",
        "探访针对具名的人：请至少给出一个服务对象编号",
    ),
    (r"a beneficiary is listed twice", "服务对象重复列出"),
    (
        r"volunteer hours without volunteers: give the number of volunteers or the team",
        "有志愿服务时长却没有志愿者：请给出志愿者人数或志愿服务队",
    ),
    (r"money given needs its amount in yuan", "捐赠资金需要给出以元计的金额"),
    (r"goods or services given need a description", "捐赠的物资或服务需要说明"),
    (r"name at least one staff member who attended", "请至少列出一名参加的工作人员"),
    # the programme's values
    (
        r"a result needs either a value or points, not both",
        "结果需要 value 或 points 之一，不能两者都给",
    ),
    (r"an evaluation needs a score, an outcome, or both", "评估需要分数、结果或两者"),
    (
        r"text with the lone surrogate (?P<char>\S+) at character (?P<at>\S+); "
        r"expected text that UTF-8 can hold",
        "文本第 {at} 个字符是孤立的代理码位 {char}；应为 UTF-8 能表示的文本",
    ),
    (
        r"text with the lone surrogate (?P<char>\S+) \((?P<context>.*)\); "
        r"expected text that UTF-8 can hold",
        "文本含孤立的代理码位 {char}（{context}）；应为 UTF-8 能表示的文本",
    ),
    (
        r"an id of (?P<n>\d+) characters; expected at most (?P<max>\d+) "
        r"\(what the databases store in a key\)",
        "编号有 {n} 个字符；至多 {max} 个（数据库的键所能存储的长度）",
    ),
    (
        r"a number of (?P<n>\d+) characters; expected at most (?P<max>\d+) "
        r"\(what the databases store exactly\)",
        "数有 {n} 个字符；至多 {max} 个（数据库所能精确存储的长度）",
    ),
    # storage
    (
        r"the database holds (?P<n>\d+) programmes \((?P<ids>.*)\); choose one with --programme",
        "数据库中有 {n} 个项目（{ids}）；请用 --programme 选择一个",
    ),
    (r"start (?P<a>\S+) is after end (?P<b>\S+)", "开始日 {a} 晚于结束日 {b}"),
    (
        r"no storage for (?P<scheme>\S+); known: (?P<known>.+) \(a plugin may add more\)",
        "没有 {scheme} 的存储；已知：{known}（插件可以添加更多）",
    ),
    (
        r"sqlite needs a file \(use memory:// for a store in memory\)",
        "sqlite 需要一个文件（内存中的存储请用 memory://）",
    ),
    (r"unknown option\(s\) (?P<options>.+)", "未知的选项 {options}"),
    (r"unknown option (?P<option>" + _ID + r")", "未知的选项 {option}"),
    (r"cannot store a value of type (?P<type>\w+)", "无法存储 {type} 类型的值"),
    (
        r"cannot store the binary float (?P<value>\S+) exactly; use Decimal",
        "无法精确存储二进制浮点数 {value}；请使用 Decimal",
    ),
    (r"JSON nested too deeply", "JSON 嵌套过深"),
    # the audit trail (sgz_core.audit, AUD-1)
    (
        r"audit: cannot record the binary float (?P<value>\S+); use text",
        "审计记录：不能记录二进制浮点数 {value}；请用文字",
    ),
    (r"audit: expected text keys, got (?P<key>.+)", "审计记录：键应为文字，实为 {key}"),
    (r"audit: cannot record a value of type (?P<type>\w+)", "审计记录：不能记录 {type} 类型的值"),
    (
        r"audit (?P<field>\w+): expected a non-empty text, got (?P<got>.+)",
        "审计记录 {field}：应为非空文字，实为 {got}",
    ),
    (
        r"audit (?P<field>\w+): expected at most (?P<n>\d+) characters without NUL or U\+001F, "
        r"got (?P<m>\d+)",
        "审计记录 {field}：应为至多 {n} 个字符且不含 NUL 或 U+001F，实为 {m} 个字符",
    ),
    (
        r"audit (?P<field>\w+): expected JSON text \(never empty, no raw U\+001F\)",
        "审计记录 {field}：应为 JSON 文字（不能为空，不含未转义的 U+001F）",
    ),
    (
        r"audit at: expected an aware datetime, got (?P<got>.+)",
        "审计记录 at：应为带时区的日期时间，实为 {got}",
    ),
    (
        r"audit at: expected an ISO date and time, got (?P<got>.+)",
        "审计记录 at：应为 ISO 格式的日期时间，实为 {got}",
    ),
    (
        r"audit seq: expected a sequence number from 1, got (?P<got>.+)",
        "审计记录 seq：应为从 1 起的序号，实为 {got}",
    ),
    (
        r"size: expected a number of stations from 1, got (?P<got>.+)",
        "size：应为从 1 起的站点数，实为 {got}",
    ),
    (
        r"audit year: expected a contract year number from 1 to 99, got (?P<got>.+)",
        "审计记录 year：应为 1 至 99 的合同年序号，实为 {got}",
    ),
    (
        r"audit (?P<field>\w+): expected 64 hexadecimal digits, got (?P<got>.+)",
        "审计记录 {field}：应为 64 位十六进制数字，实为 {got}",
    ),
    (
        r"audit action: expected (?P<t_what>.+?), got (?P<g_got>.+)",
        "审计记录 action：应为{t_what}，实为{g_got}",
    ),
    (
        # UnitOfWork.export_stations (issue 12)
        r"batch: expected a number of stations from 1, got (?P<got>.+)",
        "batch：应为从 1 起的站点数，实为 {got}",
    ),
    (  # sgz_core.audit_diff.item_from_json (issue 11)
        r"audit (?P<section>\w+): expected (?P<cls>\w+) JSON, "
        r"got (?P<got>.+) \((?P<said>.*)\)",
        "审计记录 {section}：应为 {cls} 的 JSON，实为 {got}（「{said}」）",
    ),
    (r"expected (?P<n>\d+) values, got (?P<m>\d+)", "应有 {n} 个值，实有 {m} 个"),
    (r"not exact tagged JSON \((?P<j_detail>.+)\)", "不是精确的带标记 JSON（{j_detail}）"),
    (r"rule (?P<id>\S+) is registered twice", "规则 {id} 注册了两次"),
    # standard output or error that cannot be written (a full disk, an I/O error)
    (r"cannot write standard output: (?P<e_reason>.+)", "无法写入标准输出：{e_reason}"),
    (r"cannot write standard error: (?P<e_reason>.+)", "无法写入标准错误输出：{e_reason}"),
    # storage: a database sgz cannot use as it is, a unit of work, a cell edited by hand
    (
        r"not an sgz database: it has tables but no schema_version table",
        "不是 sgz 数据库：其中有表，但没有 schema_version 表",
    ),
    (
        r"made by a newer sgz \(schema (?P<version>\w+); this version knows up to (?P<known>\w+)\); "
        r"upgrade sgz to open it",
        "由更新版本的 sgz 创建（结构版本 {version}；本版本至多支持 {known}）；请升级 sgz 后再打开",
    ),
    (
        r"schema (?P<version>\w+) needs an upgrade to (?P<to>\w+), which writes, but the database "
        r"is read-only here; make it writable and open it once",
        "结构版本 {version} 需要升级到 {to}，升级要写入数据库，但这里的数据库只读；"
        "请使其可写后打开一次",
    ),
    (
        r"schema (?P<version>\w+) is older than this sgz writes; open it with upgrade=True",
        "结构版本 {version} 比本版本 sgz 写入的旧；请以 upgrade=True 打开",
    ),
    (r"cannot use the WAL journal \(got (?P<mode>.+)\)", "无法使用 WAL 日志模式（实为 {mode}）"),
    (
        r"the database is read-only here \(the file or its directory is not writable\): "
        r"sgz can read it but not change it \((?P<said>.+)\)",
        "这里的数据库只读（文件或其所在目录不可写）：sgz 能读取，但不能修改（「{said}」）",
    ),
    (
        r"the database is read-only here \(the file or its directory is not writable\): "
        r"sgz can read it but not change it",
        "这里的数据库只读（文件或其所在目录不可写）：sgz 能读取，但不能修改",
    ),
    (
        r"the database stayed busy past the timeout; try again \((?P<said>.+)\)",
        "数据库一直繁忙，已超时；请重试（「{said}」）",
    ),
    (r"not a usable sgz database \((?P<said>.+)\)", "不是可用的 sgz 数据库（「{said}」）"),
    (
        r"the database driver is not installed \(pip install (?P<extra>'[^']*')\): (?P<said>.+)",
        "未安装数据库驱动程序（pip install {extra}）：「{said}」",
    ),
    (r"cannot connect: (?P<said>.+)", "无法连接：「{said}」"),
    (r"the database said: (?P<said>.+)", "数据库报告：「{said}」"),
    (r"a payment is both there and not there", "一笔拨付记录既存在又不存在（数据库不一致）"),
    (
        r"a payment is both there and not there: (?P<key>.+)",
        "一笔拨付记录既存在又不存在（数据库不一致）：{key}",
    ),
    (r"audit entry (?P<seq>\d+) is stored already", "审计记录 {seq} 已经存储"),
    (r"the audit trail's head is missing or unreadable", "审计链的链头记录缺失或无法读取"),
    (
        r"audit entry (?P<seq>\S+): cannot be read: (?P<m_why>.+)",
        "审计记录 {seq} 无法读取：{m_why}",
    ),
    (r"a unit of work is used once; open a new one", "工作单元只能使用一次；请新开一个"),
    (
        r"this unit of work is (?P<state>\w+); open a new one",
        "此工作单元的状态为 {state}，不能再用；请新开一个",
    ),
    (
        r"this unit of work only reads; use storage\.unit_of_work\(\) to write",
        "此工作单元只读；写入请用 storage.unit_of_work()",
    ),
    (
        r"programme (?P<id>" + _ID + r") has (?P<n>\d+) recorded payment\(s\); a programme with "
        r"payments is never deleted \(replace it instead: payments are kept\)",
        "项目 {id} 有 {n} 笔已记录的拨付；有拨付记录的项目不能删除（请改为替换它：拨付记录会保留）",
    ),
    (r"expected one programme row, found (?P<n>\d+)", "应有一行项目记录，实有 {n} 行"),
    (r"stored programme cannot be read back: (?P<m_parts>.+)", "存储的项目无法读回：{m_parts}"),
    (
        r"a stored (?P<cls>\w+) cannot be read back: (?P<m_why>.+)",
        "存储的 {cls} 无法读回：{m_why}",
    ),
    (r"no parent row (?P<key>.+)", "没有上级行 {key}"),
    (
        r"table (?P<table>\w+), programme (?P<id>" + _ID + r"), row (?P<row>.+?), "
        r"column (?P<column>\w+): (?P<m_why>.+)",
        "表 {table}，项目 {id}，行 {row}，列 {column}：{m_why}",
    ),
    (
        r"table (?P<table>\w+), programme (?P<id>" + _ID + r"), column (?P<column>\w+): "
        r"(?P<m_why>.+)",
        "表 {table}，项目 {id}，列 {column}：{m_why}",
    ),
    (
        r"payments of programme (?P<id>" + _ID + r"), (?P<station>" + _ID + r") year (?P<year>\S+) "
        r"(?P<milestone>" + _ID + r"), column (?P<column>\w+): (?P<m_why>.+)",
        "项目 {id} 的拨付记录（社工站 {station} 第 {year} 年 {milestone}），列 {column}：{m_why}",
    ),
    (
        r"payments of programme (?P<id>" + _ID + r"), (?P<station>" + _ID + r") year (?P<year>\S+) "
        r"(?P<milestone>" + _ID + r"): (?P<m_why>.+)",
        "项目 {id} 的拨付记录（社工站 {station} 第 {year} 年 {milestone}）：{m_why}",
    ),
    (r"column (?P<column>\w+): (?P<m_why>.+)", "列 {column}：{m_why}"),
    (
        r"(?P<source>[a-z][a-z0-9+]*://\S*|\S*/\S*|\S+\.db|:memory:): (?P<m_rest>.+)",
        "{source}: {m_rest}",
    ),
    # plugins: what a plugin registers or raises (its own words are kept as it said them)
    (
        r"reporter (?P<name>\S+): render returned (?P<type>\w+), not bytes",
        "报告器 {name}：render 返回了 {type}，而不是 bytes",
    ),
    (
        r"reporter (?P<name>\S+): render_chunks gave (?P<type>\w+), not bytes",
        "报告器 {name}：render_chunks 给出了 {type}，而不是 bytes",
    ),
    (
        r"reporter xlsx needs the xlsx extra: pip install (?P<extra>'[^']*')",
        "报告器 xlsx 需要 xlsx 附加组件：pip install {extra}",
    ),
    (
        r"plugin (?P<name>\S+) \(from (?P<dist>[^)]+)\) failed to load: (?P<said>.+)",
        "插件 {name}（来自 {dist}）加载失败：「{said}」",
    ),
    (
        r"plugin (?P<name>\S+): (?P<said>.+); sgz's hooks are (?P<known>.+)",
        "插件 {name}：「{said}」；sgz 的钩子有：{known}",
    ),
    (
        r"plugin (?P<name>\S+): (?P<hook>\w+) expects (?P<call>register\(.*\))",
        "插件 {name}：{hook} 应以 {call} 的形式调用",
    ),
    (
        r"plugin (?P<name>\S+): (?P<k_what>[a-z ]+?) name (?P<key>" + _ID + r") "
        r"does not match (?P<pattern>.+)",
        "插件 {name}：{k_what}名 {key} 不符合 {pattern}",
    ),
    (
        r"plugin (?P<name>\S+): the factory of (?P<k_what>[a-z ]+?) (?P<key>" + _ID + r") "
        r"is not callable",
        "插件 {name}：{k_what} {key} 的工厂不可调用",
    ),
    (
        r"plugin (?P<name>\S+): the factory of (?P<k_what>[a-z]+) (?P<key>" + _ID + r") "
        r"returned (?P<type>\w+), not an? [a-z]+ \(it has no (?P<method>\w+) method\)",
        "插件 {name}：{k_what} {key} 的工厂返回了 {type}，不是{k_what}（没有 {method} 方法）",
    ),
    (
        r"sgz_check returned (?P<type>\w+), not a list of findings; "
        r"the plugins implementing it: (?P<names>.+)",
        "sgz_check 返回了 {type}，而不是检查发现的列表；实现它的插件：{names}",
    ),
    (
        r"sgz_check returned an? (?P<type>\w+) among its findings; "
        r"the plugins implementing it: (?P<names>.+)",
        "sgz_check 返回的检查发现中有 {type}；实现它的插件：{names}",
    ),
    (
        r"plugin (?P<name>\S+): the help of command (?P<key>" + _ID + r") is not text",
        "插件 {name}：命令 {key} 的帮助不是文本",
    ),
    (
        r"plugin (?P<name>\S+): add_arguments and run of command (?P<key>" + _ID + r") "
        r"must be callable",
        "插件 {name}：命令 {key} 的 add_arguments 和 run 必须可调用",
    ),
    (
        r"plugin (?P<name>\S+): rule (?P<id>\S+) is one of sgz's own rules",
        "插件 {name}：规则 {id} 是 sgz 自带的规则",
    ),
    (
        r"plugin (?P<name>\S+): profile (?P<id>" + _ID + r") is one of sgz's own",
        "插件 {name}：配置 {id} 是 sgz 自带的配置",
    ),
    (r"plugin (?P<name>\S+): (?P<said>.+)", "插件 {name}：「{said}」"),
    (
        r"(?P<k_what>[a-z ]+?) (?P<key>" + _ID + r"|\S+) is registered by both (?P<a>\S+) "
        r"and (?P<b>\S+)",
        "{k_what} {key} 同时由 {a} 和 {b} 注册",
    ),
    (
        r"(?P<hook>\w+): register\(\) was called from outside an implementation of the hook",
        "{hook}：register() 是在该钩子的实现之外调用的",
    ),
    (
        r"no plugin runs the check: sgz_adapters\.default_check is disabled and nothing "
        r"replaces it",
        "没有插件执行检查：sgz_adapters.default_check 已被禁用，也没有插件替代它",
    ),
    (
        r"(?P<variable>\S+) names (?P<names>.+), which is not an installed plugin",
        "{variable} 中的 {names} 不是已安装的插件",
    ),
    # notifiers: what the server or the mail host said is kept as it said it
    (
        r"webhook (?P<where>\S+): the server answered (?P<code>\S+) (?P<said>.*)",
        "webhook {where}：服务器答复 {code}「{said}」",
    ),
    (r"webhook (?P<where>\S+): (?P<said>.+)", "webhook {where}：发送失败（「{said}」）"),
    (
        r"email via (?P<host>\S+?):(?P<port>\d+|\w+): (?P<said>.+)",
        "经 {host}:{port} 发送邮件失败：「{said}」",
    ),
    # the performance parameters of a profile (indicator system, grades, thresholds, deadlines)
    (r"(?P<dimension>\w+) has no points in dimensions", "{dimension} 在 dimensions 中没有分值"),
    (r"an assessed indicator needs an evaluator", "评审类指标需要给出评估方（evaluator）"),
    (
        r"the weights of (?P<dimension>\w+) sum to (?P<got>\S+), expected its (?P<points>\S+) points",
        "{dimension} 的权重合计为 {got}，应为其 {points} 分",
    ),
    # the service's arguments
    (
        r"year (?P<year>\d+) begins on (?P<start>\S+), after (?P<on>\S+); "
        r"there is nothing to score yet",
        "第 {year} 合同年始于 {start}，晚于 {on}；尚无可评分的内容",
    ),
    (
        r"station (?P<station>.+) year (?P<year>\d+) has no (?P<kind>\w+) evaluation on or before "
        r"(?P<on>\S+); it has: none",
        "社工站 {station} 第 {year} 合同年在 {on} 及以前没有 {kind} 评估；尚无任何评估",
    ),
    (
        r"station (?P<station>.+) year (?P<year>\d+) has no (?P<kind>\w+) evaluation on or before "
        r"(?P<on>\S+); it has: (?P<recorded>.+)",
        "社工站 {station} 第 {year} 合同年在 {on} 及以前没有 {kind} 评估；已有：{recorded}",
    ),
    # plugins
    (
        r"(?P<variable>\S+) names (?P<names>.+), which is not an installed plugin; "
        r"the plugins are (?P<known>.+)",
        "{variable} 中的 {names} 不是已安装的插件；已安装的插件：{known}",
    ),
    # plugins' settings (notifiers, reporters)
    (r"unknown setting (?P<name>" + _ID + r")", "未知的设置 {name}"),
    (r"missing setting (?P<name>" + _ID + r")", "缺少设置 {name}"),
    (r"takes no settings, got (?P<names>.+)", "不接受设置，实为 {names}"),
    (r"renders profiles only \(sgz profile show\)", "只输出配置（sgz profile show）"),
    (
        r"renders profiles and plans only \(sgz profile show, sgz plan\)",
        "只输出配置和预算规划（sgz profile show、sgz plan）",
    ),
    # values
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
    (r"expected weights of zero or more, not all zero", "权重应为零或更多，且不能全为零"),
    (
        r"expected (?P<t_what>.+?), got (?P<g_got>.+); write Decimal\('(?P<value>.*)'\) in Python",
        "应为{t_what}，实为{g_got}；在 Python 中请写 Decimal('{value}')",
    ),
    (r"expected (?P<t_what>.+?), got (?P<g_got>.+)", "应为{t_what}，实为{g_got}"),
    (r"invalid value \((?P<detail>.+)\)", "无效的值（{detail}）"),
    # the generic shapes, last: "A; B", "…; expected …", "WHAT: MESSAGE", "expected …"
    (r"(?P<m_head>.+?); expected one of (?P<v_known>.+)", "{m_head}；应为以下之一：{v_known}"),
    (r"(?P<m_head>.+?); expected (?P<t_what>.+)", "{m_head}；应为{t_what}"),
    (r"(?P<m_head>.+?); known: (?P<v_known>.+)", "{m_head}；已知：{v_known}"),
    (r"(?P<m_head>.+?); (?P<m_tail>.+)", "{m_head}；{m_tail}"),
    (
        r"(?P<p_head>(?:database URL|case|referral|parameter) (?:" + _ID + r")|[^:'\n]+?): "
        r"(?P<m_rest>.+)",
        "{p_head}: {m_rest}",
    ),
    (r"expected (?P<t_what>.+)", "应为{t_what}"),
    (r"(?P<e_said>.+)", "{e_said}"),  # what the URL parser said, after "database URL 'x': "
)
"""The messages, each a whole message (matched from start to end), most specific first."""

PHRASES: tuple[Template, ...] = (
    # what was expected (sgz_core._convert.expectation, Labelled.expected, the model's checks)
    (
        r"an amount in yuan \(an integer or decimal, zero or more, exact to the fen\)",
        "以元计的金额（整数或小数，零或更多，精确到分）",
    ),
    (r"an amount exact to the fen \(0\.01\)", "精确到分（0.01）的金额"),
    (r"an amount exact to the fen", "精确到分的金额"),
    (
        r"an exact amount in yuan \(Decimal, integer or decimal string\)",
        "以元计的精确金额（Decimal、整数或小数字符串）",
    ),
    (r"an amount in yuan \(Decimal or integer\)", "以元计的金额（Decimal 或整数）"),
    (r"an amount in yuan", "以元计的金额"),
    (r"a finite amount", "有限的金额"),
    (r"zero or more yuan", "零或更多元"),
    (r"less than 10\*\*26 yuan", "少于 10**26 元"),
    (r"amounts that sum to less than 10\*\*26 yuan", "合计少于 10**26 元的金额"),
    (r"an area in m² \(a number, zero or more\)", "以平方米计的面积（数，零或更多）"),
    (r"a score from 0 to 100", " 0 至 100 的分数"),
    (r"a string", "字符串"),
    (r"true or false", " true 或 false"),
    (r"an integer", "整数"),
    (r"an integer from -2\*\*63 to 2\*\*63-1", " -2**63 至 2**63-1 的整数"),
    (r"a finite number", "有限的数"),
    (r"a number \(integer or decimal\)", "数（整数或小数）"),
    (r"a number", "数"),
    (r"a number of zero or more", "零或更多的数"),
    (
        r"a number with at most (?P<a>\d+) digits before the point and (?P<b>\d+) after it",
        "整数部分至多 {a} 位、小数部分至多 {b} 位的数",
    ),
    (r"a number of hours \(integer or decimal\)", "小时数（整数或小数）"),
    (r"a number of hours", "小时数"),
    (r"hours from (?P<a>\d+) to (?P<b>\d+)", " {a} 至 {b} 小时"),
    (r"a whole number from (?P<a>\d+) to (?P<b>\d+)", " {a} 至 {b} 的整数"),
    (r"(?P<n>\d+) digits", " {n} 位数字"),
    (r"a date like (?P<day>\d{4}-\d{2}-\d{2})", "形如 {day} 的日期"),
    (r"a date before year (?P<year>\d+)", " {year} 年以前的日期"),
    (r"a day on or after start (?P<day>\S+)", "不早于开始日 {day} 的日期"),
    (
        r"a day on or after the previous change \((?P<day>[^)]+)\)",
        "不早于上一次变更（{day}）的日期",
    ),
    (r"a day on or after the referral \((?P<day>[^)]+)\)", "不早于转介日（{day}）的日期"),
    (r"a contract year number from 1 to (?P<n>\d+)", " 1 至 {n} 的合同年序号"),
    (r"a contract year number from 1", "从 1 起的合同年序号"),
    (r"a birth date from (?P<year>\d+) on", " {year} 年及以后的出生日期"),
    (r"a disability grade from 1 \(most severe\) to 4", " 1（最重）至 4 级的残疾等级"),
    (
        r"an 18-character resident ID number as a string",
        "字符串形式的 18 位居民身份证号码",
    ),
    (
        r"an 18-character resident ID number \(17 digits and a check digit or X\)",
        " 18 位居民身份证号码（17 位数字加一位校验码或 X）",
    ),
    (
        r"at least one stage change \(screening or intake\)",
        "至少一次阶段变更（screening 或 intake）",
    ),
    (r"an age from 0 to 150", " 0 至 150 的年龄"),
    (r"a number of characters from 0 to 6", " 0 至 6 的字符数"),
    (r"(?P<a>\d+) to (?P<b>\d+) characters", " {a} 至 {b} 个字符"),
    (r"one character that is not a letter or digit", "一个既非字母也非数字的字符"),
    (r"end > start", " end 大于 start"),
    (r"(?P<a>\d+) to (?P<b>\d+)", " {a} 至 {b}"),
    (r"a share from 0 to 1", " 0 至 1 的比例"),
    (r"days, zero or more", "天数（零或更多）"),
    (
        r"tranche shares of zero or more that sum to 1",
        "零或更多、合计为 1 的各期拨付比例",
    ),
    (
        r"a template using only \{city\}, \{district\} and \{street\}, "
        r"without format specs or conversions",
        "只使用 {{city}}、{{district}} 和 {{street}}、不带格式说明或转换的模板",
    ),
    (r"points of zero or more that sum to 100", "零或更多、合计为 100 的分值"),
    (
        r"bands with rising at_least and shares that never fall",
        " at_least 递增、share 不减的分档",
    ),
    (
        r"grades with falling min_score from at most 100 down to 0",
        " min_score 从至多 100 递减到 0 的等级",
    ),
    (
        r"min scores for correct and suspend \(below suspend: stop\), suspend <= correct",
        " correct 与 suspend 的最低分（低于 suspend 为 stop），且 suspend <= correct",
    ),
    (
        r"days from 0 to (?P<n>\d+) for mid_term and final",
        " mid_term 与 final 各为 0 至 {n} 的天数",
    ),
    (r"the mid-term deadline on or before the final one", "不晚于终期期限的中期期限"),
    (r"at least one weight", "至少一个权重"),
    (r"finite weights", "有限的权重"),
    (r"Decimal or integer weights", " Decimal 或整数权重"),
    (r"weights of zero or more", "零或更多的权重"),
    (r"weights that do not all equal zero", "不全为零的权重"),
    # a cell of a database edited by hand
    (r"an exact decimal such as 12\.5", "精确的小数（如 12.5）"),
    (r"a date as YYYY-MM-DD", " YYYY-MM-DD 形式的日期"),
    (r"a date", "日期"),
    (r"text", "文本"),
    (r"a boolean \(0 or 1\)", "布尔值（0 或 1）"),
    (r"a whole number", "整数"),
    (r"a whole number of fen", "以分计的整数"),
    (r"a JSON object", " JSON 对象"),
    (
        r"a UTC time such as 2025-01-20T08:30:00\+00:00",
        " UTC 时间（如 2025-01-20T08:30:00+00:00）",
    ),
    (r"a profile id or path", "配置编号或路径"),
    (r"a table of parameters", "参数表"),
    (
        r"\[\[parameters\.NAME\]\] entries with from and value",
        "带 from 与 value 的 [[parameters.NAME]] 条目",
    ),
    (r"a table with from, value and reference", "含 from、value 与 reference 的表"),
    (r"one value per start date", "每个开始日期只有一个值"),
    (r"a table", "表"),
    (r"a list", "列表"),
    (r"a list of one of (?P<values>.+)", "列表（每项为以下之一：{values}）"),
    (r"a table keyed by one of (?P<values>.+)", "表（键为以下之一：{values}）"),
    (r"a list of (?P<t_item>.+)", "{t_item}的列表"),
    (r"a table keyed by (?P<t_key>.+)", "以{t_key}为键的表"),
    (r"an? (?P<cls>[A-Z][A-Za-z]+)", " {cls}"),
    (r"(?P<cls>[A-Z][A-Za-z]+)", " {cls} "),
    (r"JSON text", " JSON 文本"),
    (
        r"a programme file path, a Programme or sgz_adapters\.service\.stored\(db, id\)",
        "项目文件路径、Programme 或 sgz_adapters.service.stored(db, id)",
    ),
    (r"(?P<code>sgz_adapters\.service\.stored\(db, id\))", " {code}"),
    # plugins' settings and database URLs
    (r"yes or no", " yes 或 no"),
    (r"a number of seconds", "秒数"),
    (r"DEBUG, INFO, WARNING or ERROR", " DEBUG、INFO、WARNING 或 ERROR"),
    (r"http:// or https://…", " http:// 或 https://…"),
    (r"a port number", "端口号"),
    (r"ASCII characters only", "只含 ASCII 字符的文字"),
    (r"one line without control characters", "不含控制字符的一行文字"),
    (r"text using only \{count\}", "只使用 {{count}} 的文字"),
    (r"zh or en", " zh 或 en"),
    (r"some of (?P<names>.+)", "以下若干项：{names}"),
    (r"scheme://…, such as (?P<url>\S+)", " scheme://…（例如 {url}）"),
    (r"no NUL, tab or line-break characters", "不含 NUL、制表符或换行字符"),
    (
        r"lowercase letters, digits and _, starting with a letter",
        "以字母开头、由小写字母、数字和 _ 组成的名字",
    ),
    (r"postgresql:// or mysql://", " postgresql:// 或 mysql://"),
    (
        r"sqlite:///relative\.db or sqlite:////absolute\.db",
        " sqlite:///relative.db 或 sqlite:////absolute.db",
    ),
    (r"a file name without NUL characters", "不含 NUL 字符的文件名"),
    (r"seconds from 0 to (?P<n>\S+)", " 0 至 {n} 秒"),
    (r"one of (?P<values>.+)", "以下之一：{values}"),
    (r"nothing \(it is final\)", "无（已是最终状态）"),
    (r"(?P<names>[a-z_]+(?: \| [a-z_]+)*)", " {names}"),
)
"""What was expected, inside a message."""

GOT: tuple[Template, ...] = (
    # what was got (sgz_core._convert.describe and the model's own checks)
    (r"a table", "表"),
    (r"a list", "列表"),
    (r"a boolean", "布尔值"),
    (r"the boolean (?P<value>true|false)", "布尔值 {value}"),
    (r"the binary float (?P<value>\S+)", "二进制浮点数 {value}"),
    (r"the string (?P<value>.+)", "字符串 {value}"),
    (r"one near (?P<value>-?10\*\*\d+)", "约 {value} 的数"),
    (r"(?P<n>\d+) characters", " {n} 个字符"),
    (r"(?P<a>\S+) to (?P<b>\S+)", " {a} 至 {b}"),
    (r"(?P<value>[A-Za-z_][\w.]*\(.*\)|\{.*\}|\[.*\])", " {value}"),  # a value as repr() writes it
    (r"(?P<y_type>[A-Za-z_][A-Za-z0-9_]*) (?P<value>.+)", "{y_type} {value}"),
    (r"(?P<value>" + _ID + r"|\S+)", " {value}"),
)
"""The value got, inside a message (a type name and the value, kept)."""

TYPES: tuple[Template, ...] = (
    (r"str", "字符串"),
    (r"int", "整数"),
    (r"bool", "布尔值"),
    (r"float", "浮点数"),
    (r"Decimal", "数"),
    (r"date", "日期"),
    (r"datetime", "日期时间"),
    (r"time", "时间"),
    (r"list", "列表"),
    (r"tuple", "元组"),
    (r"dict", "表"),
    (r"NoneType", "空值"),
    (r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)", " {name}"),
)
"""The Python type of a value got (``str 'x'``, ``int 5``): Chinese for the common ones."""

HEADS: tuple[Template, ...] = (
    (r"database URL", "数据库地址"),
    (r"database URL (?P<url>" + _ID + r")", "数据库地址 {url}"),
    (r"date range", "日期范围"),
    (r"notifier (?P<name>\S+)", "通知器 {name}"),
    (r"reporter (?P<name>\S+)", "报告器 {name}"),
    (r"case (?P<id>" + _ID + r")", "个案 {id}"),
    (r"referral (?P<id>" + _ID + r")", "转介 {id}"),
    (r"parameter (?P<id>" + _ID + r")", "参数 {id}"),
    (r"(?P<what>[^\s:']+)", "{what}"),
)
"""What a message is about (``"WHAT: message"``): a key path or a file name kept as it is."""

KINDS: tuple[Template, ...] = tuple(
    (re.escape(en), zh)
    for en, zh in (
        ("station", "社工站"),
        ("contractor", "承接机构"),
        ("volunteer team", "志愿服务队"),
        ("case", "个案"),
        ("beneficiary", "服务对象"),
        ("referral", "转介"),
        ("organisation", "组织"),
        ("record", "服务记录"),
        ("programme", "项目"),
        ("profile", "配置"),
        ("built-in profile", "内置配置"),
        ("parameter", "参数"),
        ("contract year", "合同年"),
        ("plugin", "插件"),
        ("notifier", "通知器"),
        ("reporter", "报告器"),
        ("rule", "规则"),
        ("storage scheme", "存储方案"),
        ("command", "命令"),
        ("indicator", "指标"),
    )
)
"""The kinds of thing a message names (``unknown station``, ``duplicate case id``)."""

KNOWN: tuple[Template, ...] = (
    (r"\(none defined\)", "（未定义）"),
    (r"\(no contractors defined\)", "（未定义承接机构）"),
    (r"(?P<items>.+) … \((?P<n>\d+) in all\)", "{items} …（共 {n} 个）"),
    (r"(?P<items>.+)", "{items}"),
)
"""The values a message says are known, after ``expected one of`` or ``known:``."""

TOML: tuple[Template, ...] = (
    (
        r"(?P<x_what>.+) \(at line (?P<line>\d+), column (?P<column>\d+)\)",
        "{x_what}（第 {line} 行第 {column} 列）",
    ),
    (r"(?P<x_what>.+) \(at end of document\)", "{x_what}（在文档末尾）"),
    (r"Expected '=' after a key in a key/value pair", "键值对中的键后应为 '='"),
    (r"Expected '\]' at the end of a table declaration", "表声明的末尾应为 ']'"),
    (r"Expected '\]\]' at the end of an array declaration", "数组声明的末尾应为 ']]'"),
    (r"Unescaped '\\' in a string", "字符串中有未转义的 '\\'"),
    (r"Cannot overwrite a value", "不能覆盖已有的值"),
    (r"Escaped character is not a Unicode scalar value", "转义的字符不是 Unicode 标量值"),
    (
        r"Expected newline or end of document after a statement",
        "语句之后应为换行或文档结束",
    ),
    (r"Invalid date or datetime", "无效的日期或日期时间"),
    (r"Invalid hex value", "无效的十六进制值"),
    (r"Invalid initial character for a key part", "键的开头字符无效"),
    (r"Invalid statement", "无效的语句"),
    (r"Invalid value", "无效的值"),
    (r"Unclosed array", "数组未闭合"),
    (r"Unclosed inline table", "内联表未闭合"),
    (r"Unterminated string", "字符串未结束"),
    (r"Cannot declare (?P<key>.+) twice", "不能两次声明 {key}"),
    (r"Cannot mutate immutable namespace (?P<key>.+)", "不能修改不可变的命名空间 {key}"),
    (r"Cannot redefine namespace (?P<key>.+)", "不能重新定义命名空间 {key}"),
    (r"Duplicate inline table key (?P<key>.+)", "内联表的键重复：{key}"),
    (r"Expected (?P<what>" + _ID + r")", "应为 {what}"),
    (r"Found invalid character (?P<char>" + _ID + r")", "发现无效的字符 {char}"),
    (r"Illegal character (?P<char>" + _ID + r")", "非法字符 {char}"),
    (r"(?P<type>[A-Za-z]+Error): (?P<detail>.+)", "{type}：{detail}"),
)
"""What ``tomllib`` says of text that is not TOML (every message of ``tomllib._parser``)."""

JSON: tuple[Template, ...] = (
    # what sgz_core.jsonvalue says of tagged JSON read back from a database
    (r"\$dict: expected a list of \[key, value\] pairs", "$dict：应为 [键, 值] 对的列表"),
    (r"(?P<key>\$\w+): expected text, got (?P<type>\w+)", "{key}：应为文本，实为 {type}"),
    (
        r"(?P<key>\$\w+): expected (?P<written>" + _ID + r") as sgz writes it, got (?P<got>.+)",
        "{key}：应为 sgz 所写的形式 {written}，实为 {got}",
    ),
    (
        r"the binary float (?P<value>\S+) \(exact numbers are tagged \$decimal\)",
        "二进制浮点数 {value}（精确的数应标记为 $decimal）",
    ),
    # what decimal and datetime say of a tagged value ($decimal, $date, $datetime)
    (r"\[<class 'decimal\.ConversionSyntax'>\]", "不是小数"),
    (r"Invalid isoformat string: (?P<value>" + _ID + r")", "不是 ISO 格式的日期或时间：{value}"),
    (r"year (?P<year>-?\d+) is out of range", "年份 {year} 超出范围"),
    (r"month must be in 1\.\.12", "月份应在 1 至 12 之间"),
    (r"day is out of range for month", "日期超出该月的天数"),
    (r"hour must be in 0\.\.23", "小时应在 0 至 23 之间"),
    (r"minute must be in 0\.\.59", "分钟应在 0 至 59 之间"),
    (r"second must be in 0\.\.59", "秒应在 0 至 59 之间"),
    # what the json module says
    (
        r"(?P<j_what>.+): line (?P<line>\d+) column (?P<column>\d+) \(char (?P<char>\d+)\)",
        "{j_what}（第 {line} 行第 {column} 列，第 {char} 个字符）",
    ),
    (r"Expecting value", "应为一个值"),
    (r"Expecting ',' delimiter", "应为分隔符 ','"),
    (r"Expecting ':' delimiter", "应为分隔符 ':'"),
    (r"Expecting property name enclosed in double quotes", "应为用双引号括起的属性名"),
    (r"Unterminated string starting at", "字符串未结束，起始于"),
    (r"Extra data", "多余的数据"),
    (r"Invalid control character at", "无效的控制字符，位于"),
    (r"Invalid \\escape: (?P<escape>.+)", "无效的转义：{escape}"),
    (r"Invalid \\uXXXX escape", "无效的 \\uXXXX 转义"),
)
"""What is said of tagged JSON that is not what sgz writes (a database changed by hand)."""

_ERRNO_ZH = {
    errno.EACCES: "权限不足",
    errno.EPERM: "不允许的操作",
    errno.ENOENT: "文件或目录不存在",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.EISDIR: "是一个目录",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接的层数过多",
    errno.EIO: "输入/输出错误",
    errno.ENXIO: "没有这个设备或地址",
    errno.ENODEV: "没有这个设备",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统中打开的文件过多",
    errno.ENOMEM: "内存不足",
    errno.EROFS: "只读文件系统",
    errno.EBUSY: "设备或资源忙",
    errno.EAGAIN: "资源暂时不可用",
    errno.EINVAL: "无效的参数",
    errno.EOVERFLOW: "值对于该数据类型过大",
    errno.EFBIG: "文件过大",
    errno.EINTR: "系统调用被中断",
    errno.ETXTBSY: "文本文件忙",
    errno.ENOSPC: "设备上没有空间",
    errno.EDQUOT: "超出磁盘配额",
    errno.EPIPE: "管道已断开",
    errno.EBADF: "文件描述符无效",
}
"""The operating system's reasons a file cannot be read or an output written, by error number."""

SYSTEM: tuple[Template, ...] = (
    *((re.escape(os.strerror(code)), zh) for code, zh in _ERRNO_ZH.items()),
    (r"it is closed", "它已关闭"),  # a standard stream closed at start (sgz … >&-)
    # the UTF-8 decoder
    (r"invalid start byte", "无效的起始字节"),
    (r"invalid continuation byte", "无效的后续字节"),
    (r"unexpected end of data", "数据意外结束"),
    # the URL parser
    (r"Invalid IPv6 URL", "无效的 IPv6 地址"),
    (
        r"netloc (?P<netloc>" + _ID + r") contains invalid characters under NFKC normalization",
        "主机部分 {netloc} 含有经 NFKC 规范化后无效的字符",
    ),
    (r"Port out of range 0-65535", "端口超出 0-65535 的范围"),
    (
        r"Port could not be cast to integer value as (?P<value>" + _ID + r")",
        "端口不是整数：{value}",
    ),
)
"""What the operating system (``strerror``), the UTF-8 decoder and the URL parser say."""

Compiled = tuple[tuple[re.Pattern[str], str], ...]


def _compiled(table: Sequence[Template]) -> Callable[[], Compiled]:
    @cache
    def get() -> Compiled:
        # compiled on first use: the command line's start-up pays nothing for it
        return tuple((re.compile(pattern, re.DOTALL), zh) for pattern, zh in table)

    return get


_BY_PREFIX = {
    "t": _compiled(PHRASES),
    "g": _compiled(GOT),
    "m": _compiled(MESSAGES),
    "p": _compiled(HEADS),
    "k": _compiled(KINDS),
    "x": _compiled(TOML),
    "e": _compiled(SYSTEM),
    "v": _compiled(KNOWN),
    "y": _compiled(TYPES),
    "j": _compiled(JSON),
}


def _lines(text: str) -> str | None:
    """The ``"  - …"`` lines of an error with several problems, each line's message translated."""
    out = []
    for line in text.split("\n"):
        if not line.startswith("  - "):
            return None
        inner = _apply(_BY_PREFIX["m"](), line[4:])
        if inner is None:
            return None
        out.append("  - " + inner)
    return "\n".join(out)


def _fill(pattern: re.Pattern[str], zh: str, text: str) -> str | None:
    match = pattern.fullmatch(text)
    if match is None:
        return None
    values: dict[str, str] = {}
    for name, value in match.groupdict().items():
        prefix = name.split("_", 1)[0] if "_" in name else ""
        if prefix == "l":
            inner = _lines(value)
        elif prefix in _BY_PREFIX:
            inner = _apply(_BY_PREFIX[prefix](), value)
        else:
            inner = value
        if inner is None:
            return None
        values[name] = inner
    return zh.format(**values)


def _apply(table: Sequence[tuple[re.Pattern[str], str]], text: str) -> str | None:
    for pattern, zh in table:
        shown = _fill(pattern, zh, text)
        if shown is not None:
            return shown
    return None


@lru_cache(maxsize=4096)  # a file with many problems repeats the same messages
def in_chinese(message: str) -> str | None:
    """``message`` (an English error message) in Chinese, or ``None`` if no template matches it
    (or a part of it): the caller then shows it in English."""
    return _apply(_BY_PREFIX["m"](), message)


_QUOTED = re.compile(_ID)
_SAID = re.compile(r"「[^」]*」")
"""What a database, a server or a plugin's exception said, quoted as it said it."""
_WORD = r"(?![A-Z]+\b)[A-Za-z]{2,}"  # a word, not a code in capitals (FILE, URL, TOML)
_SENTENCE = re.compile(rf"{_WORD}(?: +{_WORD})+")
_OPTION = re.compile(r"--[a-z][a-z-]*")
_REPR = re.compile(r"\b[A-Za-z_][\w.]*\([^()]*\)")  # Decimal('1.5'), datetime.date(2024, 7, 1)
CODE: tuple[str, ...] = (
    "sgz profile show",
    "sgz import FILE",
    "sgz plan",
    "sgz pay",
    "sgz ledger",
    "sgz audit",
    "pip install",
)
"""Commands a Chinese message quotes: not English prose."""


def english_left(text: str) -> list[str]:
    """The runs of two or more English words in ``text`` (a translation) once quoted values and
    the commands of :data:`CODE` are dropped: what was left untranslated. Single words (a key,
    a code such as ``mid_term``, a type name), options (``--db``), a value as Python writes it
    (``Decimal('1.5')``), words in capitals (``FILE``, ``URL``) and what another program said,
    quoted in 「…」, are not prose."""
    text = _REPR.sub("", _OPTION.sub("", _QUOTED.sub("", _SAID.sub("", text))))
    for code in CODE:
        text = text.replace(code, "")
    return _SENTENCE.findall(text)


def shown_message(message: str, lang: str) -> str:
    """``message`` in ``lang``: Chinese where a template matches, else as given."""
    if lang != "zh":
        return message
    zh = in_chinese(message)
    return message if zh is None else zh


__all__ = [
    "CODE",
    "GOT",
    "HEADS",
    "JSON",
    "KINDS",
    "KNOWN",
    "MESSAGES",
    "PHRASES",
    "SYSTEM",
    "TOML",
    "TYPES",
    "english_left",
    "in_chinese",
    "shown_message",
]
