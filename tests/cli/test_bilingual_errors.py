"""The command line's own messages in the language of ``--lang`` / ``SGZ_LANG`` (default
Chinese), issue 9 §4; ``str()`` of the error, what the Python API sees, stays English."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgz_adapters import cli, service
from sgz_adapters.cli import main
from sgz_adapters.said import InvalidArgument, PluginFailed, shown
from sgz_core.errors import InvalidInput, Problem
from sgz_core.text import Text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "chengguan.toml")
ON = ("--on", "2025-11-24")

# (argv, the Chinese text, the English text): each the whole of what follows "sgz: error: "
MESSAGES = [
    (["check"], "应给出项目文件 FILE 或 --db URL", "expected a programme FILE or --db URL"),
    (
        ["check", EXAMPLE, "--db", "sqlite:///x.db"],
        "请给出项目文件 FILE 或 --db URL，不能两者都给",
        "give a programme FILE or --db URL, not both",
    ),
    (
        ["stats", EXAMPLE, "--programme", "p"],
        "--programme 需要与 --db 一起使用",
        "--programme needs --db",
    ),
    (["check", "--db", ""], "--db: 应为数据库地址", "--db: expected a database URL"),
    (
        ["export", "--db", "sqlite:///{tmp}/a.db", "--to", ""],
        "--to: 应为文件路径",
        "--to: expected a file path",
    ),
    (
        ["check", "--db", "sqlite:///{tmp}/missing.db"],
        "missing.db 处没有数据库；请先导入项目（sgz import FILE）",
        "missing.db; import a programme first (sgz import FILE)",
    ),
    (["check", EXAMPLE, "--format", "pdf"], "没有 'pdf' 格式；可用：", "no format 'pdf'"),
    (["check", EXAMPLE, "--on", "2025-1-5"], "应为形如 2025-01-31 的日期", "expected a date like"),
    (["stats", EXAMPLE, "--year", "0"], "应为 1 至 99 的合同年序号", "from 1 to 99, got 0"),
    (["stats", EXAMPLE, "--year", "-1"], "应为 1 至 99 的合同年序号", "from 1 to 99, got '-1'"),
    (
        ["export", "--db", "sqlite:///{tmp}/a.db", "--to", "{tmp}/a.db"],
        "--to: 应为所导出数据库",
        "--to: expected a file other than the database",
    ),
]


@pytest.fixture
def tmp(tmp_path: Path) -> str:
    service.import_programme(EXAMPLE, db=f"sqlite:///{tmp_path / 'a.db'}")
    return str(tmp_path)


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], tmp: str) -> tuple[int, str, str]:
    try:
        code = main([a.replace("{tmp}", tmp) for a in argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "zh", "en"), MESSAGES, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("how", ["default", "--lang", "SGZ_LANG"])
def test_the_command_lines_own_messages_follow_the_language(
    argv: list[str],
    zh: str,
    en: str,
    how: str,
    tmp: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SGZ_LANG", raising=False)
    if how == "default":
        code, out, err = _run(capsys, argv, tmp)
        assert zh in err and en not in err, err
        return
    for lang, want, other in (("zh", zh, en), ("en", en, zh)):
        if how == "--lang":
            code, out, err = _run(capsys, [*argv, "--lang", lang], tmp)
        else:
            monkeypatch.setenv("SGZ_LANG", lang)
            code, out, err = _run(capsys, argv, tmp)
        assert code == 2 and out == "" and "Traceback" not in err, err
        assert want in err and other not in err, (lang, err)


def test_lang_given_before_a_bad_argument_still_applies(
    tmp: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, ["stats", EXAMPLE, "--lang", "en", "--year", "x"], tmp)
    assert code == 2 and "expected a contract year number" in err, err
    code, _, err = _run(capsys, ["stats", EXAMPLE, "--lang=zh", "--year", "x"], tmp)
    assert code == 2 and "应为 1 至 99 的合同年序号" in err, err


def test_the_frame_around_several_problems_follows_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = Path(EXAMPLE).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("[programme]\n", "[programme]\nx = 1\ny = 2\n"), "utf-8")
    assert main(["check", str(bad), *ON]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"sgz: error: {bad}: 共 2 个问题：\n  - programme.x: 未知的键；应为以下之一："
    ), err
    assert main(["check", str(bad), *ON, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sgz: error: {bad}: 2 problems:\n  - programme.x: unknown key"), err


def test_the_internal_error_line_follows_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(args: object) -> int:
        raise LookupError("a bug")

    monkeypatch.setattr(cli, "cmd_rules", bug)
    monkeypatch.delenv("SGZ_DEBUG", raising=False)
    assert main(["rules"]) == 3
    assert capsys.readouterr().err == (
        "sgz: internal error: LookupError: a bug（设置 SGZ_DEBUG=1 可查看回溯）\n"
    )
    assert main(["rules", "--lang", "en"]) == 3
    assert capsys.readouterr().err == (
        "sgz: internal error: LookupError: a bug (set SGZ_DEBUG=1 to see the traceback)\n"
    )


def test_the_python_api_sees_english() -> None:
    with pytest.raises(InvalidInput, match=r"^year: expected a contract year number"):
        service.stats(EXAMPLE, on=__import__("datetime").date(2025, 11, 24), year=0)


def test_shown_picks_the_language_and_keeps_other_errors_as_they_are() -> None:
    said = InvalidArgument(Text("中", "en"), "f.toml", "key")
    assert str(said) == "f.toml: key: en"
    assert shown(said, "zh") == "f.toml: key: 中" and shown(said, "en") == "f.toml: key: en"
    assert shown(said, None) == "f.toml: key: en"
    assert said.with_source("g.toml").shown("zh") == "g.toml: key: 中"
    failed = PluginFailed(Text("插件 p", "plugin p"))
    assert str(failed) == "plugin p" and shown(failed, "zh") == "插件 p"
    one = InvalidInput([Problem("a", "b")], "f")
    assert shown(one, "zh") == shown(one, "en") == str(one) == "f: a: b"
    assert shown("text", "zh") == "text"
