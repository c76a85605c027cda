"""The real ``sgz`` when its output cannot be written or encoded, when interrupted, and when a
command has a bug (issue 8 §1): an exit status and one line, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
ON = "2026-11-28"


def sgz_exe() -> str:
    local = Path(sys.executable).parent / "sgz"
    exe = str(local) if local.exists() else shutil.which("sgz")
    assert exe, "the sgz script is not installed (pip install -e .)"
    return exe


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8", **extra}


def run_python(code: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter that then runs the entry point as ``sgz rules`` would."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(**extra),
        check=False,
        timeout=120,
    )


def assert_one_line(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    for needle in needles:
        assert needle in stderr, stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", ("sgz: error: cannot write standard output", "No space left")),
        ("zh", ("sgz: error: 无法写入标准输出：设备上没有空间",)),  # issue 9 §4
    ],
)
def test_a_full_disk_is_exit_2_with_one_line(lang: str, said: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sgz_exe(), "check", str(EXAMPLE), "--on", ON, "--format", "json", "--lang", lang],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env(),
            check=False,
            timeout=120,
        )
    assert proc.returncode == 2
    assert_one_line(proc.stderr, *said)


def test_a_closed_pipe_ends_quietly() -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before sgz writes a byte (`sgz … | head -0`)
    try:
        proc = subprocess.run(
            [sgz_exe(), "check", str(EXAMPLE), "--on", ON],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            check=False,
            timeout=120,
        )
    finally:
        os.close(write)
    assert proc.returncode == 0
    assert proc.stderr == ""


def test_a_gbk_console_gets_a_replacement_character(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8")
    name = text.split('name = "', 1)[1].split('"', 1)[0]
    programme = tmp_path / "p.toml"
    programme.write_text(text.replace(f'name = "{name}"', 'name = "城关𪚥社工站"', 1), "utf-8")
    for fmt in ("table", "json"):
        proc = subprocess.run(
            [sgz_exe(), "check", str(programme), "--on", ON, "--format", fmt],
            capture_output=True,
            env=env(PYTHONIOENCODING="gbk"),
            check=False,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr.decode("gbk", "replace")
        assert proc.stderr == b""
        if fmt == "table":
            assert "城关?社工站" in proc.stdout.decode("gbk")


def test_ctrl_c_is_exit_130_with_one_line() -> None:
    proc = run_python(
        "import sys\n"
        "from sgz_adapters import cli\n"
        "def interrupted(args):\n"
        "    raise KeyboardInterrupt\n"
        "cli.cmd_rules = interrupted\n"
        "sys.argv = ['sgz', 'rules']\n"
        "cli.run()\n"
    )
    assert proc.returncode == 130
    assert_one_line(proc.stderr, "sgz: 已中断")  # the default language


def test_ctrl_c_sent_to_the_process_is_exit_130() -> None:
    proc = run_python(
        "import os, signal, sys\n"
        "from sgz_adapters import cli\n"
        "def slow(args):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    signal.pause()\n"
        "cli.cmd_rules = slow\n"
        "sys.argv = ['sgz', 'rules']\n"
        "cli.run()\n"
    )
    assert proc.returncode == 130
    assert_one_line(proc.stderr, "sgz: 已中断")  # the default language


BUG = (
    "import sys\n"
    "from sgz_adapters import cli\n"
    "def buggy(args):\n"
    "    return {}['110101199001011237 missing']\n"
    "cli.cmd_rules = buggy\n"
    "sys.argv = ['sgz', 'rules']\n"
    "cli.run()\n"
)


def test_an_internal_error_is_exit_3_with_one_line_and_a_hint() -> None:
    proc = run_python(BUG)
    assert proc.returncode == 3
    assert_one_line(proc.stderr, "sgz: internal error: KeyError:", "SGZ_DEBUG=1")
    assert "110101199001011237" not in proc.stderr and "1101**********1237" in proc.stderr
    assert proc.stdout == ""


def test_sgz_debug_shows_the_traceback() -> None:
    proc = run_python(BUG, SGZ_DEBUG="1")
    assert proc.returncode == 3
    assert "Traceback" in proc.stderr and "in buggy" in proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1].startswith("sgz: internal error: KeyError:")
    assert "SGZ_DEBUG" not in proc.stderr.rstrip().splitlines()[-1]


def test_bad_input_stays_exit_2_and_findings_exit_1(tmp_path: Path) -> None:
    missing = subprocess.run(
        [sgz_exe(), "check", str(tmp_path / "110101199001011237.toml")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(),
        check=False,
        timeout=120,
    )
    assert missing.returncode == 2
    assert_one_line(missing.stderr, "sgz: error:", "1101**********1237")


def test_a_plugin_that_raises_names_itself_from_the_real_entry_point() -> None:
    proc = run_python(
        "import sys\n"
        "from sgz_adapters import cli, plugins\n"
        "from sgz_core import hookimpl\n"
        "class Pager:\n"
        "    @staticmethod\n"
        "    @hookimpl\n"
        "    def sgz_check(programme, profile, as_of, rules):\n"
        "        raise ConnectionResetError('the pager hung up')\n"
        "plugins.register_plugin(Pager, 'sgz-pager')\n"
        f"sys.argv = ['sgz', 'check', {str(EXAMPLE)!r}, '--on', {ON!r}]\n"
        "cli.run()\n"
    )
    assert proc.returncode == 2
    assert_one_line(
        proc.stderr,
        "sgz: error: 插件 sgz-pager：出错：ConnectionResetError: the pager hung up",
        "请设置 SGZ_DISABLED_PLUGINS=sgz-pager",
    )


def test_markup_and_escapes_in_a_name_reach_the_terminal_shown(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8")
    name = text.split('name = "', 1)[1].split('"', 1)[0]
    programme = tmp_path / "p.toml"
    hostile = "[/bold][draft]\\u001b[2J\\u202e 110101199001011237"
    programme.write_text(text.replace(f'name = "{name}"', f'name = "{hostile}"', 1), "utf-8")
    proc = subprocess.run(
        [sgz_exe(), "check", str(programme), "--on", ON],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(),
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[/bold][draft]\\u001b[2J\\u202e 1101**********1237" in proc.stdout
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="needs a POSIX shell")
def test_closed_standard_streams() -> None:
    def shell(redirect: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["/bin/sh", "-c", f'exec "$0" rules --lang {lang} {redirect}', sgz_exe()],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env(),
            check=False,
            timeout=120,
        )

    closed_out = shell(">&-")
    assert closed_out.returncode == 2
    assert_one_line(closed_out.stderr, "sgz: error: cannot write standard output: it is closed")
    assert_one_line(shell(">&-", "zh").stderr, "sgz: error: 无法写入标准输出：它已关闭")
    closed_err = shell("2>&-")  # nothing to report: the command still works
    assert closed_err.returncode == 0 and "FUND-1" in closed_err.stdout
