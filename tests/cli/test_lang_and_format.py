"""``--lang`` on every command (default ``SGZ_LANG``, then Chinese) and ``--format`` through the
registered reporters."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from sgz_adapters.cli import build_parser, formats, main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "chengguan.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _commands() -> list[list[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    found = []
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:  # profile show, audit log, audit verify
            found += [[name, inner] for inner in nested[0].choices]
        else:
            found.append([name])
    return found


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_takes_lang(command: list[str]) -> None:
    parser = build_parser()
    extra = {
        "worklist": ["--station", "x"],
        "import": ["f"],
        "evaluate": ["--station", "x", "--year", "1"],
        "plan": ["--stations", "3", "--profile", "x", "--start", "2024-07-01"],
        "pay": [
            *("--station", "x", "--year", "1", "--tranche", "final"),
            *("--on", "2025-01-01", "--by", "x"),
        ],
    }.get(command[0], [])
    for lang in ("zh", "en"):
        assert parser.parse_args([*command, *extra, "--lang", lang]).lang == lang
    with pytest.raises(SystemExit):
        parser.parse_args([*command, *extra, "--lang", "fr"])


def test_lang_defaults_to_sgz_lang_then_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SGZ_LANG", raising=False)
    _, zh, _ = run(capsys, "schedule", EXAMPLE, "--on", "2025-03-01")
    assert "合同签订" in zh and "应拨付" in zh and "contract_signed" not in zh
    monkeypatch.setenv("SGZ_LANG", "en")
    _, en, _ = run(capsys, "schedule", EXAMPLE, "--on", "2025-03-01")
    assert "contract_signed" in en and "due" in en and "合同签订" not in en
    _, zh_again, _ = run(capsys, "schedule", EXAMPLE, "--on", "2025-03-01", "--lang", "zh")
    assert zh_again == zh
    monkeypatch.setenv("SGZ_LANG", "fr")
    code, out, err = run(capsys, "schedule", EXAMPLE, "--on", "2025-03-01")
    assert code == 0 and out == zh
    assert "sgz: warning: SGZ_LANG='fr' 不是 zh、en 之一，使用 zh" in err
    assert "SGZ_LANG='fr' is not one of zh, en; using zh" in err


def test_lang_may_come_before_the_command_and_the_commands_own_wins(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SGZ_LANG", raising=False)
    _, zh, _ = run(capsys, "schedule", EXAMPLE, "--on", "2025-03-01")
    _, en, _ = run(capsys, "schedule", EXAMPLE, "--on", "2025-03-01", "--lang", "en")
    assert zh != en
    _, before, _ = run(capsys, "--lang", "en", "schedule", EXAMPLE, "--on", "2025-03-01")
    assert before == en
    _, both, _ = run(
        capsys, "--lang", "en", "schedule", EXAMPLE, "--on", "2025-03-01", "--lang", "zh"
    )
    assert both == zh
    # errors too: a missing file in the language given before the command
    code, _, err = run(capsys, "--lang", "en", "check", "no-such-file.toml")
    assert code == 2 and "file not found" in err
    code, _, err = run(capsys, "--lang", "zh", "check", "no-such-file.toml")
    assert code == 2 and "file not found" not in err


def test_chinese_tables_show_labels_not_codes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SGZ_LANG", raising=False)
    _, stats, _ = run(capsys, "stats", EXAMPLE, "--on", "2025-11-24")
    assert "养老服务" in stats and "社会救助" in stats and "elderly" not in stats
    _, plaques, _ = run(capsys, "plaques", EXAMPLE, "--on", "2026-11-28")
    assert "标牌" in plaques and " yes " not in plaques
    _, check, _ = run(capsys, "check", EXAMPLE, "--on", "2026-11-28")
    assert "提示" in check and "notice" not in check


def test_json_is_the_same_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["check", EXAMPLE],
        ["stats", EXAMPLE],
        ["worklist", EXAMPLE, "--station", "yanbin"],
    ):
        _, zh, _ = run(capsys, *args, "--on", "2025-11-24", "--format", "json", "--lang", "zh")
        _, en, _ = run(capsys, *args, "--on", "2025-11-24", "--format", "json", "--lang", "en")
        assert zh == en and json.loads(zh)["programme"] == "chengguan-2024"


def test_format_choices_come_from_the_reporters() -> None:
    check, stats, profile = formats("check"), formats("stats"), formats("profile")
    assert {"json", "markdown", "table", "xlsx"} <= set(check) and check == sorted(check)
    assert {"json", "markdown", "table"} <= set(stats) and "xlsx" not in stats  # Report-only
    assert {"json", "toml"} <= set(profile) and "table" not in profile


@pytest.mark.parametrize(
    ("args", "known"),
    [
        (["check", EXAMPLE, "--format", "pdf"], "known: json, markdown, table, xlsx"),
        (["stats", EXAMPLE, "--format", "xlsx"], "known: json, markdown, table"),
        (["profile", "show", "--format", "table"], "known: json, toml"),
    ],
)
def test_an_unknown_format_is_exit_2_naming_the_known_ones(
    args: list[str], known: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *args, "--lang", "en")
    assert code == 2 and out == "" and known in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["plaques", EXAMPLE],
        ["worklist", EXAMPLE, "--station", "zhengning"],
        ["stats", EXAMPLE],
        ["rules"],
        ["plugins"],
        ["schedule", EXAMPLE],
    ],
)
def test_markdown_of_every_command(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = (
        run(capsys, *args, "--on", "2025-11-24", "--format", "markdown")
        if (args[0] not in ("rules", "plugins"))
        else run(capsys, *args, "--format", "markdown")
    )
    assert code == 0 and out.startswith("# ") and "|---|" in out


def test_without_reporters_the_message_says_why(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sgz_adapters import plugins

    monkeypatch.setenv("SGZ_DISABLED_PLUGINS", "sgz_adapters.default_reporters")
    plugins.reset()
    try:
        code, out, err = run(capsys, "schedule", EXAMPLE)
    finally:
        monkeypatch.delenv("SGZ_DISABLED_PLUGINS")
        plugins.reset()
    assert code == 2 and out == "" and "SGZ_DISABLED_PLUGINS" in err


def test_a_line_break_in_a_name_starts_no_markdown_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A programme name with a line break (``雁园\\n## 伪造``) stays in the report's title: it
    must not begin a heading of its own in the Markdown of ``sgz check`` or ``sgz schedule``."""
    year = ROOT / "examples" / "money-year"
    (tmp_path / "profile.toml").write_text((year / "profile.toml").read_text("utf-8"), "utf-8")
    text = (year / "01-signed.toml").read_text("utf-8")
    text = text.replace('name = "雁园街道社工站项目"', 'name = "雁园\\n## 伪造\\r\\n- 条目"', 1)
    path = tmp_path / "a.toml"
    path.write_text(text, "utf-8")
    for command in ("check", "schedule"):
        code, out, _ = run(capsys, command, str(path), "--on", "2024-07-02", "--format", "markdown")
        assert code == 0, out
        lines = out.splitlines()
        assert not [line for line in lines if line.startswith(("## 伪造", "- 条目"))], out


@pytest.mark.parametrize(
    ("command", "extra"), [(("check",), "xlsx"), (("schedule",), "xlsx"), (("plan",), "toml")]
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_names_every_built_in_format_of_the_command(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...], extra: str, lang: str
) -> None:
    """``sgz plan --format toml`` and ``sgz check/schedule --format xlsx`` are built in, yet
    their --help said only "table, json, markdown or a plugin's"."""
    with pytest.raises(SystemExit):
        main(["--lang", lang, *command, "--help"])
    out = capsys.readouterr().out
    [line] = [x for x in out.splitlines() if x.strip().startswith("--format NAME")]
    assert extra in line and "markdown" in line
