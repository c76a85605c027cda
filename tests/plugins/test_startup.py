"""Start-up (issue 12): what ``sgz --help`` and ``sgz check FILE`` import, the cheap scan of the
``sgz`` entry points that lets them skip ``importlib.metadata``, and the lazy modules.

Each import check runs in a fresh interpreter (``sys.modules`` of this one holds everything the
suite has imported), with ``SGZ_LOAD_PLUGINS`` and ``SGZ_DISABLED_PLUGINS`` unset.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from sgz_adapters import plugins
from sgz_adapters._lazy import LazyModule, lazy_module

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"

HEAVY = ("smtplib", "sqlite3", "urllib.request", "stdnum", "rich", "xlsxwriter")
"""What the brief (issue 12) says building the parser must not import."""
NOT_FOR_HELP = (
    *HEAVY,
    "importlib.metadata",
    "psycopg",
    "pymysql",
    "cattrs",
    "sgz_adapters.service",
    "sgz_adapters.default_notifiers",
    "sgz_adapters.storage.sqlite",
    "sgz_core.model",
    "sgz_core.profiles",
    "sgz_core.rules",
)
NOT_FOR_CHECK = (
    "smtplib",
    "urllib.request",
    "xlsxwriter",
    "importlib.metadata",
    "psycopg",
    # made lazy for the check path (issue 12): imported by the use cases that need them
    "sgz_adapters.planning",
    "sgz_core.planner",
    "sgz_core.casework.worklist",
    "sgz_core.casework.discovery",
)


only_sgz_plugins = pytest.mark.skipif(
    plugins._scan().others,
    reason="another installed distribution declares sgz plugins: they are loaded on purpose",
)


def _imported(code: str, *, env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it leaves its findings in ``found`` (a dict)."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in (plugins.LOAD_PLUGINS, plugins.DISABLED_PLUGINS)
    }
    environ.update(env or {})
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(found))\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@only_sgz_plugins
def test_importing_the_cli_and_building_the_parser_imports_nothing_heavy() -> None:
    found = _imported(
        f"""
        import sys
        import sgz_adapters.cli as cli
        cli.build_parser()
        from sgz_adapters import plugins
        found = {{
            "modules": [m for m in {NOT_FOR_HELP!r} if m in sys.modules],
            "loaded": plugins._state.pm is not None,
        }}
        """
    )
    assert found == {"modules": [], "loaded": False}


@only_sgz_plugins
def test_sgz_help_imports_nothing_heavy_and_lists_every_command() -> None:
    found = _imported(
        f"""
        import contextlib, io, sys
        import sgz_adapters.cli as cli
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                status = cli.main(["--help"])
            except SystemExit as exc:  # argparse's --help
                status = exc.code
        found = {{
            "modules": [m for m in {NOT_FOR_HELP!r} if m in sys.modules],
            "status": status,
            "help": out.getvalue(),
        }}
        """
    )
    assert found["modules"] == []
    assert found["status"] == 0
    for command in ("check", "schedule", "plaques", "worklist", "stats", "import", "export"):
        assert f"    {command} " in str(found["help"])


@only_sgz_plugins
def test_a_file_check_imports_no_notifier_transport_workbook_or_metadata() -> None:
    found = _imported(
        f"""
        import contextlib, io, sys
        import sgz_adapters.cli as cli
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = cli.main(["check", {str(EXAMPLE)!r}, "--on", "2026-11-28"])
        found = {{
            "modules": [m for m in {NOT_FOR_CHECK!r} if m in sys.modules],
            "status": status,
            "plugins": [n for n, p in cli.plugins.get_pm().list_name_plugin() if p],
        }}
        """
    )
    assert found["modules"] == []
    assert found["status"] in (0, 1)
    assert found["plugins"] == list(plugins.DEFAULT_PLUGINS)


@only_sgz_plugins
def test_a_file_check_reads_the_same_with_and_without_the_metadata_scan() -> None:
    """The cheap path (no ``importlib.metadata``) and the full one give the same output."""
    code = f"""
        import contextlib, io, sys
        {{pre}}
        import sgz_adapters.cli as cli
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = cli.main(["check", {str(EXAMPLE)!r}, "--on", "2026-11-28", "--format", "json"])
        found = {{{{"out": out.getvalue(), "status": status,
                  "metadata": "importlib.metadata" in sys.modules}}}}
        """
    cheap = _imported(code.format(pre=""))
    full = _imported(code.format(pre="import importlib.metadata"))
    assert cheap["metadata"] is False and full["metadata"] is True
    assert cheap["out"] == full["out"] and cheap["status"] == full["status"]


def test_a_plugin_command_still_shows_in_help(tmp_path: Path) -> None:
    """An installed plugin's ``sgz_register_commands`` is found: the scan sees its entry point."""
    (tmp_path / "sgz_cmd_plugin.py").write_text(
        textwrap.dedent(
            """
            from sgz_core import hookimpl

            @hookimpl
            def sgz_register_commands(register):
                register("hello", "say hello", lambda parser: None, lambda args: 0)
            """
        ),
        encoding="utf-8",
    )
    info = tmp_path / "sgz_cmd-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sgz-cmd\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[sgz]\nhello = sgz_cmd_plugin\n")
    found = _imported(
        """
        import contextlib, io
        import sgz_adapters.cli as cli
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            cli.main(["--help"])
        found = {"help": out.getvalue()}
        """,
        env={"PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])},
    )
    assert "say hello" in str(found["help"])


def test_sgz_disabled_plugins_still_warns_on_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sgz_adapters.cli", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, plugins.DISABLED_PLUGINS: "no-such-plugin"},
        check=False,
    )
    assert done.returncode == 0
    assert "no-such-plugin" in done.stderr


def test_sgz_own_plugins_register_no_command() -> None:
    """What lets :func:`plugins.plugin_commands` answer without loading the built-ins."""
    found = {p.name: p.hooks for p in plugins.installed_plugins()}
    for name in plugins.DEFAULT_PLUGINS:
        assert "sgz_register_commands" not in found[name]
    assert plugins.plugin_commands() == {}


def test_plugin_commands_skip_loading_when_nothing_else_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(plugins.LOAD_PLUGINS, raising=False)
    monkeypatch.delenv(plugins.DISABLED_PLUGINS, raising=False)
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(False, None))
    assert plugins.plugin_commands() == {}
    assert plugins._state.pm is None
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(True, None))
    assert plugins.plugin_commands() == {}
    assert plugins._state.pm is not None  # it had to look


def test_plugin_commands_load_when_a_selection_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.DISABLED_PLUGINS, "sgz_adapters.storage.sql")
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(False, None))
    plugins.plugin_commands()
    assert plugins._state.pm is not None


# --- the scan -------------------------------------------------------------------------------


def _dist(folder: Path, name: str, entry_points: str | None) -> None:
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_the_scan_finds_sgz_own_entry_points_and_no_others(tmp_path: Path) -> None:
    _dist(tmp_path, "sgz", "[sgz]\na.b = a.b\n# a comment\n\n[console_scripts]\nsgz = x:y\n")
    _dist(tmp_path, "other", "[console_scripts]\nother = other:main\n")
    _dist(tmp_path, "plain", None)
    (tmp_path / "loose.egg-info").write_text("Name: loose\n")  # a PKG-INFO file
    assert plugins._scan([str(tmp_path), str(tmp_path / "missing")]) == plugins._Scan(
        False, (("a.b", "a.b"),)
    )


@pytest.mark.parametrize(
    "case",
    ["another declares", "a zip on the path", "an egg", "two copies of sgz", "unreadable text"],
)
def test_the_scan_says_others_when_it_cannot_be_sure(tmp_path: Path, case: str) -> None:
    path = [str(tmp_path)]
    if case == "another declares":
        _dist(tmp_path, "sgz_extra", "[sgz]\nextra = sgz_extra\n")
    elif case == "a zip on the path":
        archive = tmp_path / "plugins.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("x.py", "")
        path.append(str(archive))
    elif case == "an egg":
        (tmp_path / "thing-1.0-py3.11.egg").mkdir()
    elif case == "two copies of sgz":
        _dist(tmp_path, "sgz", "[sgz]\n")
        (tmp_path / "sgz.egg-info").mkdir()
    else:
        _dist(tmp_path, "odd", None)
        (tmp_path / "odd-1.0.dist-info" / "entry_points.txt").write_bytes(b"[sgz]\n\xff\n")
    assert plugins._scan(path).others


def test_the_first_folder_with_sgz_metadata_counts(tmp_path: Path) -> None:
    _dist(tmp_path / "first", "sgz", "[sgz]\na = a\n")
    _dist(tmp_path / "second", "sgz", "[sgz]\nb = b\n")
    found = plugins._scan([str(tmp_path / "first"), str(tmp_path / "second")])
    assert found == plugins._Scan(False, (("a", "a"),))


def test_the_scan_agrees_with_importlib_metadata_here() -> None:
    import importlib.metadata

    found = plugins._scan()
    eps = importlib.metadata.entry_points(group=plugins.ENTRY_POINT_GROUP)
    others = [ep for ep in eps if not plugins._is_builtin(ep)]
    assert found.others == bool(others)
    if found.own is not None:
        own = sorted((ep.name, ep.value) for ep in eps if plugins._is_builtin(ep))
        assert sorted(found.own) == own


def test_builtins_alone_gives_what_the_entry_points_give() -> None:
    import pluggy

    from sgz_core import hookspecs

    def fresh() -> pluggy.PluginManager:
        pm = pluggy.PluginManager(hookspecs.PROJECT)
        pm.add_hookspecs(hookspecs)
        return pm

    cheap, full = fresh(), fresh()
    origin_cheap = plugins._load_builtins_alone(cheap, frozenset(plugins.DEFAULT_PLUGINS))
    origin_full = plugins._load_builtins(full, plugins._entry_points(), set())
    assert origin_cheap == origin_full
    assert cheap.list_name_plugin() == full.list_name_plugin()


def test_builtins_alone_is_not_taken_when_it_could_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "importlib.metadata", raising=False)
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(False, None))
    assert plugins._builtins_alone({}) == frozenset()
    assert plugins._builtins_alone({plugins.LOAD_PLUGINS: ""}) is None
    assert plugins._builtins_alone({plugins.DISABLED_PLUGINS: "x"}) is None
    own = tuple((m, m) for m in plugins.DEFAULT_PLUGINS)
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(False, own))
    assert plugins._builtins_alone({}) == frozenset(plugins.DEFAULT_PLUGINS)
    odd = (*own, ("sgz_adapters.extra", "sgz_adapters.extra"))
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(False, odd))
    assert plugins._builtins_alone({}) is None
    monkeypatch.setattr(plugins, "_scan", lambda path=None: plugins._Scan(True, own))
    assert plugins._builtins_alone({}) is None


def test_a_builtin_that_fails_to_import_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import pluggy

    from sgz_core import hookspecs
    from sgz_core.errors import PluginError

    real = importlib.import_module

    def failing(name: str, package: str | None = None) -> object:
        if name == "sgz_adapters.default_notifiers":
            raise ImportError("boom")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", failing)
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    with pytest.raises(PluginError, match=r"plugin sgz_adapters.default_notifiers \(from sgz\)"):
        plugins._load_builtins_alone(pm, frozenset(plugins.DEFAULT_PLUGINS))


# --- lazy modules ---------------------------------------------------------------------------


def test_a_lazy_module_imports_on_first_use_and_keeps_no_state() -> None:
    found = _imported(
        """
        import sys
        from sgz_adapters._lazy import LazyModule, lazy_module
        before = lazy_module("sys") is sys
        lazy = LazyModule("colorsys")
        was = "colorsys" in sys.modules
        value = lazy.rgb_to_hsv(1.0, 0.0, 0.0)
        lazy.EXTRA = 1
        real = sys.modules["colorsys"]
        found = {
            "before": before, "was": was, "value": list(value), "set": real.EXTRA,
            "repr": repr(lazy), "in_dir": "rgb_to_hsv" in dir(lazy),
        }
        del lazy.EXTRA
        found["deleted"] = not hasattr(real, "EXTRA")
        """
    )
    assert found == {
        "before": True,
        "was": False,
        "value": [0.0, 1.0, 1.0],
        "set": 1,
        "repr": "<lazy module 'colorsys'>",
        "in_dir": True,
        "deleted": True,
    }


def test_the_lazy_names_of_the_service_still_resolve() -> None:
    """``service.plan`` and the use cases behind lazy modules are the real ones once asked for."""
    found = _imported(
        """
        import sys
        from sgz_adapters import service
        before = "sgz_adapters.planning" in sys.modules
        from sgz_adapters.service import plan
        from sgz_adapters import planning
        found = {
            "before": before,
            "plan": plan is planning.plan and service.plan is planning.plan,
            "all": all(hasattr(service, n) for n in service.__all__),
            "missing": not hasattr(service, "no_such_name"),
        }
        """
    )
    assert found == {"before": False, "plan": True, "all": True, "missing": True}


def test_lazy_module_returns_a_module_already_imported() -> None:
    assert lazy_module("os") is os
    assert isinstance(lazy_module("sgz_no_such_module_yet"), LazyModule)
