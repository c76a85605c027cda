"""The loader's key-path messages in Chinese with ``--lang zh`` (issue 9 §4): the templates
translated, key paths and values unchanged, ``--lang en`` exactly as ``str()`` of the error."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from sgz_adapters.cli import main
from sgz_adapters.messages import (
    GOT,
    HEADS,
    JSON,
    KINDS,
    KNOWN,
    MESSAGES,
    PHRASES,
    SYSTEM,
    TOML,
    TYPES,
    in_chinese,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "chengguan.toml").read_text(encoding="utf-8")
HOSTILE = sorted((ROOT / "tests" / "hostile" / "files").glob("*.toml"))


def _mutations() -> list[tuple[str, str]]:
    """(name, text): chengguan.toml with one thing wrong."""
    out = [("unknown-top-key", EXAMPLE + "\n[nonsense]\nx = 1\n")]
    first_date = re.search(r"= (\d{4}-\d{2}-\d{2})", EXAMPLE)
    assert first_date
    out.append(("date-as-string", EXAMPLE.replace(f"= {first_date[1]}", '= "soon"', 1)))
    name = re.search(r'^name = "[^"\n]*"', EXAMPLE, re.M)
    assert name
    out.append(("name-as-int", EXAMPLE.replace(name[0], "name = 5", 1)))
    return out


def _cases(tmp_path: Path) -> list[Path]:
    files = list(HOSTILE)
    for name, text in _mutations():
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) != 0
    return capsys.readouterr().err


# English messages the corpus must show in Chinese (a regular expression on the English line)
MUST = {
    r"unknown key; expected one of": "未知的键；应为以下之一：",
    r"missing required table \[programme\]": "缺少必需的表 [programme]",
    r"expected a string, got": "应为字符串，实为",
    r"not valid TOML: ": "不是有效的 TOML：",
    r"line \d+: expected arrays and inline tables": "数组与内联表至多嵌套",
    r"expected UTF-8 text": "应为 UTF-8 文本",
}


def test_corpus_in_chinese_keeps_paths_and_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: set[str] = set()
    for path in _cases(tmp_path):
        en = _error(capsys, "check", str(path), "--lang", "en")
        zh = _error(capsys, "check", str(path), "--lang", "zh")
        assert len(en.splitlines()) == len(zh.splitlines()), path
        for en_line, zh_line in zip(en.splitlines(), zh.splitlines(), strict=True):
            for pattern, chinese in MUST.items():
                if re.search(pattern, en_line):
                    assert chinese in zh_line, (path, en_line, zh_line)
                    seen.add(pattern)
            # the key path (before the first ": " after the file name) is unchanged
            if en_line.startswith("  - ") and ": " in en_line[4:]:
                key = en_line[4:].split(": ", 1)[0]
                if in_chinese(en_line[4:].split(": ", 1)[1]) is not None:
                    assert zh_line.startswith(f"  - {key}: "), (en_line, zh_line)
            # every quoted value and every number of the English line is in the Chinese one
            for value in re.findall(r"'[^']*'|\d+", en_line):
                assert value in zh_line, (path, value, zh_line)
    assert seen == set(MUST)


def _groups(pattern: str) -> set[str]:
    return set(re.compile(pattern).groupindex)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


TABLES = MESSAGES + PHRASES + GOT + HEADS + KINDS + KNOWN + TOML + SYSTEM + JSON + TYPES


@pytest.mark.parametrize(("pattern", "zh"), TABLES, ids=[p[:40] for p, _ in TABLES])
def test_each_translation_keeps_every_named_group(pattern: str, zh: str) -> None:
    assert _fields(zh) == _groups(pattern)


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (
            "unknown key; expected one of id, name",
            "未知的键；应为以下之一：id, name",
        ),
        (
            "expected a date like 2024-07-01, got str 'x'",
            "应为形如 2024-07-01 的日期，实为字符串 'x'",
        ),
        ("expected one of a | b | c, got str 'd'", "应为以下之一：a | b | c，实为字符串 'd'"),
        ("expected a number, got Foo 'd'", "应为数，实为 Foo 'd'"),
        ("duplicate station id 's1'", "重复的社工站编号 's1'"),
        (
            "unknown contractor 'x'; expected one of 'a', 'b'",
            "未知的承接机构 'x'；应为以下之一：'a', 'b'",
        ),
        ("cannot read the file (Permission denied)", "无法读取文件（权限不足）"),
        (
            "line 3: not valid TOML: Invalid value (at line 3, column 7)",
            "第 3 行：不是有效的 TOML：无效的值（第 3 行第 7 列）",
        ),
    ],
)
def test_templates(english: str, chinese: str) -> None:
    assert in_chinese(english) == chinese


@pytest.mark.parametrize(
    "english",
    [
        "something no template knows",
        "expected a thing unheard of, got str 'x'",  # a phrase inside unknown: all English
        "line 3: something no template knows",
        "not valid TOML: something tomllib never says",  # the library's words unknown: English
        "cannot read the file (an unheard-of reason)",
    ],
)
def test_unmatched_message_stays_english(english: str) -> None:
    assert in_chinese(english) is None


def test_english_is_exactly_as_before() -> None:
    from sgz_adapters.said import shown
    from sgz_core.errors import InvalidInput, Problem

    one = InvalidInput([Problem("programme.name", "expected a string, got int 5")], "f.toml")
    two = InvalidInput(
        [Problem("x", "unknown key; expected one of a, b"), Problem("", "not valid TOML: z")],
        "f.toml",
    )
    for exc in (one, two, InvalidInput("line 3: expected a table at the top of the file")):
        assert shown(exc, "en") == str(exc)
        assert shown(exc, None) == str(exc)
        assert "expected" in str(exc)  # str() for Python callers stays English
