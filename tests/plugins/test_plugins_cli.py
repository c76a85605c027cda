"""``sgz plugins``: the installed plugins with versions and hooks, as a table and as JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sgz_adapters import plugins
from sgz_adapters.cli import main
from sgz_core import __version__, hookimpl


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_sgz_plugins_json_lists_builtins_with_versions_and_hooks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "plugins", "--format", "json")
    assert code == 0
    data = {p["name"]: p for p in json.loads(out)}
    assert set(plugins.DEFAULT_PLUGINS) <= set(data)
    notifiers = data["sgz_adapters.default_notifiers"]
    assert notifiers == {
        "name": "sgz_adapters.default_notifiers",
        "version": __version__,
        "hooks": ["sgz_register_notifiers"],
        "source": "built-in",
        "distribution": "sgz",
    }
    assert data["sgz_adapters.default_check"]["hooks"] == ["sgz_check"]


def test_sgz_plugins_table_shows_an_inline_plugin(
    capsys: pytest.CaptureFixture[str], register: Any
) -> None:
    class Shown:
        __version__ = "2.0"

        @staticmethod
        @hookimpl
        def sgz_register_notifiers(register: Any) -> None:
            pass

        @staticmethod
        @hookimpl
        def sgz_register_reporters(register: Any) -> None:
            pass

    register(Shown, "shown-plugin")
    code, out, _ = run(capsys, "plugins")
    assert code == 0
    line = next(line for line in out.splitlines() if "shown-plugin" in line)
    assert "2.0" in line and "registered" in line
    assert "sgz_register_notifiers" in line


def test_a_broken_plugin_setup_is_exit_2_without_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "sgz-not-installed")
    code, out, err = run(capsys, "plugins")  # Chinese by default (issue 9 §4)
    assert code == 2 and out == ""
    assert err.startswith("sgz: error: SGZ_LOAD_PLUGINS 中的 sgz-not-installed 不是已安装的插件")
    monkeypatch.setenv("SGZ_LANG", "en")
    code, out, err = run(capsys, "plugins")
    assert code == 2 and out == ""
    assert err.startswith("sgz: error: SGZ_LOAD_PLUGINS names sgz-not-installed")


def test_sgz_plugins_honours_disabled(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_DISABLED_PLUGINS", "sgz_adapters.default_notifiers")
    code, out, _ = run(capsys, "plugins", "--format", "json")
    assert code == 0
    assert "sgz_adapters.default_notifiers" not in {p["name"] for p in json.loads(out)}
