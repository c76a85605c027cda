"""argparse's own lines in the language of ``--lang`` / ``SGZ_LANG`` (issue 9 §4): usage,
errors and the help of ``-h`` in Chinese under zh, exactly argparse's English under en; exit
status 2 for a usage error, 0 for ``--help``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sgz_adapters.cli import main
from sgz_adapters.messages import english_left

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "chengguan.toml")

# (argv, what the Chinese error says, what the English one says)
ERRORS = [
    ([], "缺少必需的参数：COMMAND", "the following arguments are required: COMMAND"),
    (["nosuch"], "参数 COMMAND：无效的选择：'nosuch'（可选：", "invalid choice: 'nosuch'"),
    (
        ["evaluate", EXAMPLE, "--station", "zhengning", "--year", "1", "--evaluation", "x"],
        "参数 --evaluation：无效的选择：'x'（可选：'mid_term', 'final'）",
        "argument --evaluation: invalid choice: 'x' (choose from 'mid_term', 'final')",
    ),
    (
        ["evaluate", EXAMPLE, "--year", "1"],
        "缺少必需的参数：--station",
        "the following arguments are required: --station",
    ),
    (["check", EXAMPLE, "--format"], "参数 --format：需要一个值", "expected one argument"),
    (["check", EXAMPLE, "--bogus"], "无法识别的参数：--bogus", "unrecognized arguments: --bogus"),
    (["check", EXAMPLE, "--lang", "fr"], "参数 --lang：无效的选择：'fr'", "invalid choice: 'fr'"),
    (
        ["check", EXAMPLE, "--on", "2025-1-5"],
        "参数 --on：应为形如 2025-01-31 的日期，实为 '2025-1-5'",
        "argument --on: expected a date like 2025-01-31, got '2025-1-5'",
    ),
    (["profile"], "缺少必需的参数：COMMAND", "the following arguments are required: COMMAND"),
]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "zh", "en"), ERRORS, ids=lambda v: str(v)[:50])
def test_usage_errors_follow_the_language(
    argv: list[str],
    zh: str,
    en: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SGZ_LANG", raising=False)
    code, out, err = _run(capsys, argv)  # Chinese by default
    assert code == 2 and out == ""
    assert err.startswith("用法：sgz"), err
    assert zh in err and ": error: " in err, err
    assert not english_left(err.split(": error: ", 1)[1]), err
    for how in ("--lang", "SGZ_LANG"):
        if how == "SGZ_LANG":
            monkeypatch.setenv("SGZ_LANG", "en")
            code, _, err = _run(capsys, argv)
        else:
            code, _, err = _run(capsys, [*argv, "--lang", "en"])
            if argv in ([], ["profile"]):  # "--lang" is not a command: argparse says so
                assert code == 2 and "usage: sgz" in err
                continue
        assert code == 2 and err.startswith("usage: sgz"), err
        assert en in err and "用法" not in err, err
        monkeypatch.delenv("SGZ_LANG", raising=False)


@pytest.mark.parametrize("argv", [["-h"], ["check", "-h"], ["profile", "show", "-h"]])
def test_help_is_in_the_language_too(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SGZ_LANG", raising=False)
    code, out, _ = _run(capsys, argv)
    assert code == 0
    assert out.startswith("用法：sgz") and "显示此帮助信息并退出" in out and "选项:" in out
    assert "show this help message and exit" not in out and "usage:" not in out
    code, out, _ = _run(capsys, [*argv, "--lang", "en"])
    assert code == 0
    assert out.startswith("usage: sgz") and "show this help message and exit" in out
    assert "options:" in out and "用法" not in out


def test_version_help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SGZ_LANG", "zh")
    _, out, _ = _run(capsys, ["-h"])
    assert "显示程序的版本号并退出" in out
    monkeypatch.setenv("SGZ_LANG", "en")
    _, out, _ = _run(capsys, ["-h"])
    assert "show program's version number and exit" in out


def test_argparse_is_english_again_after_a_chinese_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_LANG", "zh")
    _run(capsys, ["check", "--bogus"])
    parser = argparse.ArgumentParser(prog="other")
    assert parser.format_usage().startswith("usage: other")
    assert "show this help message and exit" in parser.format_help()


def test_every_help_text_of_sgz_has_its_chinese() -> None:
    from sgz_adapters import plugins
    from sgz_adapters.argparse_zh import HELP, helps
    from sgz_adapters.cli import build_parser

    theirs = {c.help for c in plugins.plugin_commands().values()}  # a plugin's: its own words
    texts = {text for _, _, text in helps(build_parser())} - theirs
    assert len(texts) > 30
    missing = sorted(texts - set(HELP))
    assert not missing, f"help texts with no Chinese: add them to argparse_zh.HELP: {missing}"
    stale = sorted(set(HELP) - texts)
    assert not stale, f"HELP entries for help texts sgz no longer has: {stale}"
    for english, chinese in HELP.items():
        assert "%" not in chinese.replace("%%", "") or "%" in english  # argparse %-formats help
        assert re.search(r"[\u4e00-\u9fff]", chinese), english


@pytest.mark.parametrize("command", ["check", "stats", "import", "export", "evaluate", "worklist"])
def test_help_of_each_command_is_chinese(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_LANG", "zh")
    code, out, _ = _run(capsys, [command, "-h"])
    assert code == 0
    body = re.sub(r"[!-~]*/[!-~]*", "", out)  # URLs
    assert not english_left(body.split("\n\n", 1)[1]), out
