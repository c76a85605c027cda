"""Loading: built-ins, the ``sgz`` entry-point group, SGZ_LOAD_PLUGINS, SGZ_DISABLED_PLUGINS,
lazy loading and ``check_pending``.

Installed plugins are simulated by a real ``*.dist-info`` folder and module on ``sys.path``, which
``importlib.metadata`` finds exactly as it finds a pip-installed package. Built-ins load through
sgz's own entry points; a source tree whose metadata lacks them (an old editable install) is
simulated by hiding them from ``importlib.metadata.entry_points``.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from sgz_adapters import plugins
from sgz_core import __version__, hookimpl
from sgz_core.errors import PluginError

Register = Callable[..., str]

SAMPLE = """
from sgz_core import hookimpl

__version__ = "1.2.3"

class Notifier:
    def __init__(self, settings):
        self.settings = settings
    def notify(self, events):
        pass

@hookimpl
def sgz_register_notifiers(register):
    register("sample", Notifier)
"""


def install(
    site: Path,
    dist: str,
    module: str,
    source: str,
    entry_point: str | None = None,
    version: str = "1.2.3",
) -> None:
    """A distribution ``dist`` with module ``module`` declaring ``[sgz] entry_point = module``."""
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[sgz]\n{entry_point or module} = {module}\n", encoding="utf-8"
    )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on ``sys.path`` holding one installed plugin, ``sgz-sample`` (entry point ``sample``)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    install(tmp_path, "sgz-sample", "sgz_sample_plugin", SAMPLE, entry_point="sample")
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("sgz_sample") or m.startswith("sgz_bad")]:
        del sys.modules[name]


def names() -> set[str]:
    return {p.name for p in plugins.installed_plugins()}


ROOT = Path(__file__).resolve().parents[2]


def hide_builtin_entry_points(
    monkeypatch: pytest.MonkeyPatch, hidden: Iterable[str] | None = None
) -> list[str]:
    """Make sgz's metadata lack its entry points (``hidden``, default all); returns the list of
    built-ins then imported through the ``DEFAULT_PLUGINS`` fallback."""
    real = importlib.metadata.entry_points
    hide = set(plugins.DEFAULT_PLUGINS if hidden is None else hidden)

    def entry_points(**params: Any) -> importlib.metadata.EntryPoints:
        return importlib.metadata.EntryPoints(
            ep for ep in real(**params) if not (plugins._is_builtin(ep) and ep.name in hide)
        )

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return spy_fallback(monkeypatch)


def spy_fallback(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    imported: list[str] = []
    real = plugins._import_builtin

    def import_builtin(name: str) -> object:
        imported.append(name)
        return real(name)

    monkeypatch.setattr(plugins, "_import_builtin", import_builtin)
    return imported


def assert_builtins_registered_once() -> None:
    pm = plugins.get_pm()
    registered = [name for name, plugin in pm.list_name_plugin() if plugin is not None]
    assert registered[: len(plugins.DEFAULT_PLUGINS)] == list(
        plugins.DEFAULT_PLUGINS
    )  # first, in order
    assert len(registered) == len(set(registered))
    modules = [pm.get_plugin(name) for name in registered]
    assert len({id(m) for m in modules}) == len(modules)
    found = {p.name: p for p in plugins.installed_plugins()}
    for module in plugins.DEFAULT_PLUGINS:
        assert (found[module].source, found[module].distribution, found[module].version) == (
            "built-in",
            "sgz",
            __version__,
        )
        assert pm.get_plugin(module) is sys.modules[module]
    assert {"memory", "sqlite"} <= set(plugins.storage_factories())  # no "registered by both"
    assert {"log", "webhook", "email"} <= set(plugins.notifier_factories())


def test_pyproject_declares_every_builtin_as_an_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["sgz"] == {m: m for m in plugins.DEFAULT_PLUGINS}


def test_the_installed_metadata_has_the_builtin_entry_points() -> None:
    declared = importlib.metadata.distribution("sgz").entry_points.select(group="sgz")
    assert set(declared.names) == set(plugins.DEFAULT_PLUGINS), (
        "sgz's package metadata is stale: run pip install -e '.[test]' again"
    )


def test_builtins_load_through_their_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    through: list[str] = []
    real = plugins._load_entry_point

    def load_entry_point(ep: importlib.metadata.EntryPoint) -> object:
        through.append(ep.name)
        return real(ep)

    monkeypatch.setattr(plugins, "_load_entry_point", load_entry_point)
    imported = spy_fallback(monkeypatch)
    assert_builtins_registered_once()
    assert set(plugins.DEFAULT_PLUGINS) <= set(through)
    assert imported == []


def test_without_the_entry_points_builtins_load_from_default_plugins_once(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported = hide_builtin_entry_points(monkeypatch)
    assert_builtins_registered_once()
    assert imported == list(plugins.DEFAULT_PLUGINS)
    assert "sample" in names()  # installed plugins are still found


def test_stale_metadata_missing_some_entry_points_loads_the_rest_from_default_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported = hide_builtin_entry_points(
        monkeypatch, ["sgz_adapters.storage.sql", "sgz_adapters.default_check"]
    )
    assert_builtins_registered_once()
    assert imported == ["sgz_adapters.default_check", "sgz_adapters.storage.sql"]


@pytest.mark.parametrize("metadata", ["present", "hidden"])
def test_disabling_a_builtin_works_with_or_without_its_entry_point(
    monkeypatch: pytest.MonkeyPatch, metadata: str
) -> None:
    imported = (
        hide_builtin_entry_points(monkeypatch)
        if metadata == "hidden"
        else spy_fallback(monkeypatch)
    )
    monkeypatch.setenv("SGZ_DISABLED_PLUGINS", "sgz_adapters.default_reporters")
    assert "sgz_adapters.default_reporters" not in names()
    assert plugins.reporter_factories() == {}
    assert plugins.disabled_plugins() == ["sgz_adapters.default_reporters"]
    assert "sgz_adapters.default_reporters" not in imported


@pytest.mark.parametrize("metadata", ["present", "hidden"])
def test_sgz_load_plugins_empty_still_loads_builtins_with_or_without_entry_points(
    site: Path, monkeypatch: pytest.MonkeyPatch, metadata: str
) -> None:
    if metadata == "hidden":
        hide_builtin_entry_points(monkeypatch)
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "")
    assert set(plugins.DEFAULT_PLUGINS) <= names()
    assert "sample" not in names()
    assert {p.source for p in plugins.installed_plugins()} == {"built-in"}


def test_sgz_load_plugins_naming_only_a_builtin_loads_no_installed_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "sgz_adapters.default_check")
    assert set(plugins.DEFAULT_PLUGINS) <= names()
    assert "sample" not in names()


def test_sgz_load_plugins_does_not_take_sgz_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "sgz")
    with pytest.raises(
        PluginError, match="SGZ_LOAD_PLUGINS names sgz, which is not an installed plugin"
    ):
        plugins.get_pm()


def test_an_installed_entry_point_with_a_builtin_name_does_not_replace_it(site: Path) -> None:
    install(
        site,
        "sgz-impostor",
        "sgz_sample_impostor",
        SAMPLE,
        entry_point="sgz_adapters.default_notifiers",
    )
    assert_builtins_registered_once()
    assert "sgz_sample_impostor" not in sys.modules


def test_default_plugins_are_registered_like_any_plugin() -> None:
    found = {p.name: p for p in plugins.installed_plugins()}
    for module in plugins.DEFAULT_PLUGINS:
        assert found[module].source == "built-in"
        assert found[module].version == __version__
        assert found[module].hooks and all(h.startswith("sgz_") for h in found[module].hooks)
        assert plugins.get_pm().get_plugin(module) is sys.modules[module]


def test_plugins_load_lazily_on_first_use() -> None:
    code = (
        "import sys\n"
        "from sgz_adapters import plugins\n"
        "assert plugins._state.pm is None\n"
        "assert 'sgz_adapters.default_notifiers' not in sys.modules\n"
        "plugins.notifier_factories()\n"
        "assert plugins._state.pm is not None\n"
        "assert 'sgz_adapters.default_notifiers' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_entry_point_plugin_is_found_with_its_version(site: Path) -> None:
    found = {p.name: p for p in plugins.installed_plugins()}
    assert found["sample"].source == "entry point"
    assert found["sample"].distribution == "sgz-sample"
    assert found["sample"].version == "1.2.3"
    assert found["sample"].hooks == ("sgz_register_notifiers",)
    assert "sample" in plugins.notifier_factories()


def test_sgz_load_plugins_empty_loads_no_installed_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "")
    assert "sample" not in names()
    assert set(plugins.DEFAULT_PLUGINS) <= names()  # built-ins always load
    assert "sgz_sample_plugin" not in sys.modules


@pytest.mark.parametrize("selector", ["sgz-sample", "SGZ_Sample", "sample", " sample ,"])
def test_sgz_load_plugins_by_distribution_or_entry_point_name(
    site: Path, monkeypatch: pytest.MonkeyPatch, selector: str
) -> None:
    install(site, "sgz-other", "sgz_sample_other", SAMPLE.replace('"sample"', '"other"'))
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", selector)
    assert "sample" in names()
    assert "sgz_sample_other" not in names()


def test_sgz_load_plugins_naming_an_unknown_plugin_fails(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_LOAD_PLUGINS", "sample,sgz-nowhere")
    with pytest.raises(
        PluginError, match="SGZ_LOAD_PLUGINS names sgz-nowhere, which is not an installed plugin"
    ):
        plugins.get_pm()


def test_sgz_disabled_plugins_blocks_installed_and_builtin(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SGZ_DISABLED_PLUGINS", "sgz-sample, sgz_adapters.default_reporters")
    assert "sample" not in names()
    assert "sgz_adapters.default_reporters" not in names()
    assert plugins.reporter_factories() == {}
    assert plugins.disabled_plugins() == ["sample", "sgz_adapters.default_reporters"]
    assert "sgz_sample_plugin" not in sys.modules


def test_load_takes_the_environment_explicitly(site: Path) -> None:
    plugins.load({"SGZ_LOAD_PLUGINS": ""})
    assert "sample" not in names()
    plugins.load({})
    assert "sample" in names()


def test_an_entry_point_that_fails_to_import_is_a_plugin_error(site: Path) -> None:
    install(site, "sgz-bad", "sgz_bad_import", "import sgz_no_such_module\n")
    with pytest.raises(
        PluginError,
        match=r"plugin sgz_bad_import \(from sgz-bad\) failed to load: ModuleNotFoundError",
    ):
        plugins.get_pm()


def test_check_pending_catches_a_misspelt_hook_in_an_installed_plugin(site: Path) -> None:
    install(
        site,
        "sgz-bad",
        "sgz_bad_spelling",
        SAMPLE.replace("def sgz_register_notifiers", "def sgz_register_notifier"),
    )
    with pytest.raises(
        PluginError, match=r"plugin sgz_bad_spelling: .*sgz_register_notifier.*sgz's hooks are"
    ):
        plugins.get_pm()


def test_check_pending_catches_a_misspelt_hook_registered_inline(register: Register) -> None:
    class Misspelt:
        @staticmethod
        @hookimpl
        def sgz_register_storag(register: Any) -> None:
            register("x", object)

    with pytest.raises(PluginError, match="plugin misspelt: unknown hook 'sgz_register_storag'"):
        register(Misspelt, "misspelt")
    assert "misspelt" not in names()


def test_a_hook_with_wrong_arguments_is_refused(register: Register) -> None:
    class WrongArgs:
        @staticmethod
        @hookimpl
        def sgz_register_storage(register: Any, extra: Any) -> None:
            pass

    with pytest.raises(PluginError, match=r"(?s)plugin wrong-args: .*'extra'"):
        register(WrongArgs, "wrong-args")


def test_an_inline_plugin_is_listed_as_registered(register: Register) -> None:
    class Inline:
        __version__ = "0.0.7"

        @staticmethod
        @hookimpl
        def sgz_register_reporters(register: Any) -> None:
            pass

    register(Inline, "inline")
    found = {p.name: p for p in plugins.installed_plugins()}
    assert (found["inline"].source, found["inline"].version) == ("registered", "0.0.7")
    assert [p.source for p in plugins.installed_plugins()][-1] == "registered"
    plugins.unregister_plugin("inline")
    assert "inline" not in names()
