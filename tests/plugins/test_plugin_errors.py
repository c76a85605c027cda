"""Plugins whose code raises (issue 8 §1) and registration hooks called through pluggy, so
``wrapper=True`` implementations are honoured (issue 9 §3)."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from sgz_adapters import plugins
from sgz_adapters.cli import main
from sgz_core import hookimpl, profiles
from sgz_core.errors import PluginError
from sgz_core.findings import Finding
from sgz_core.ports import Report
from sgz_core.rules import Rule, Scope

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
ON = dt.date(2026, 11, 28)

Register = Callable[..., str]


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English lines; test_lang_and_format reads both languages."""
    monkeypatch.setenv("SGZ_LANG", "en")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_names_plugin(err: str, name: str, what: str) -> None:
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith(f"sgz: error: plugin {name}: {what}"), err
    assert f"set SGZ_DISABLED_PLUGINS={name}" in err, err


# --- a hook that raises: one line naming the plugin, exit 2 ---------------------------------


def test_sgz_check_that_raises_names_the_plugin(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    class Broken:
        @staticmethod
        @hookimpl
        def sgz_check(
            programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]
        ) -> list[Finding]:
            raise ZeroDivisionError("division by zero")

    register(Broken, "broken-check")
    code, out, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat())
    assert code == 2 and out == ""
    assert_names_plugin(err, "broken-check", "failed: ZeroDivisionError: division by zero")


def _raising_rule(station: Any, ctx: Any) -> Any:
    raise TypeError("unsupported operand")


def test_sgz_register_rules_rule_that_raises_names_the_plugin(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    class Rules:
        @staticmethod
        @hookimpl
        def sgz_register_rules(register: Callable[[Rule], None]) -> None:
            register(Rule("LOCAL-9", "x", "坏规则", "a bad rule", Scope.STATION, _raising_rule))

    register(Rules, "bad-rules")
    code, _, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "json")
    assert code == 2
    assert_names_plugin(err, "bad-rules", "failed: TypeError: unsupported operand")


@pytest.mark.parametrize(
    "hook",
    ["sgz_register_rules", "sgz_register_profiles", "sgz_register_storage"],
)
def test_sgz_register_hooks_that_raise_name_the_plugin(
    register: Register, capsys: pytest.CaptureFixture[str], hook: str
) -> None:
    def boom(register: Any) -> None:
        raise RuntimeError("boom")

    plugin = type("Broken", (), {hook: staticmethod(hookimpl(boom, specname=hook))})
    register(plugin, "broken")
    code, _, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat())
    if hook == "sgz_register_storage":  # check reads a file: storage is not asked for
        assert code == 0
        code, _, err = run(capsys, "check", "--db", "fake://x")
    assert code == 2
    assert_names_plugin(err, "broken", f"{hook} failed: RuntimeError: boom")


class ExplodingReporter:
    media_type = "text/plain"
    suffix = ".txt"

    def render(self, report: Report) -> bytes:
        return b"%d" % (1 // 0)


class ExplodingNotifier:
    def notify(self, events: Sequence[object]) -> None:
        raise ConnectionResetError("the pager hung up")


class Exploding:
    @staticmethod
    @hookimpl
    def sgz_register_reporters(register: Callable[[str, Any], None]) -> None:
        register("exploding", lambda settings: ExplodingReporter())

    @staticmethod
    @hookimpl
    def sgz_register_notifiers(register: Callable[[str, Any], None]) -> None:
        register("exploding", lambda settings: ExplodingNotifier())


def test_sgz_register_reporters_render_that_raises_is_traced_to_its_plugin(
    register: Register,
) -> None:
    register(Exploding, "exploding")
    with pytest.raises(ZeroDivisionError) as raised:
        plugins.make_reporter("exploding").render(Report("p", "t", ON))
    assert plugins.culprit(raised.tb.tb_next) == "exploding"


def test_sgz_register_notifiers_notify_that_raises_is_traced_to_its_plugin(
    register: Register,
) -> None:
    register(Exploding, "exploding")
    with pytest.raises(ConnectionResetError) as raised:
        plugins.make_notifier("exploding").notify(["x"])
    assert plugins.culprit(raised.tb.tb_next) == "exploding"


def test_a_bug_in_sgz_itself_is_no_plugins_fault(register: Register) -> None:
    register(Exploding, "exploding")
    with pytest.raises(AttributeError) as raised:
        plugins.make_reporter("json").render(None)  # type: ignore[arg-type]
    assert plugins.culprit(raised.tb.tb_next) is None


# --- registration hooks through pm.hook: wrappers are honoured ------------------------------


class FakeStorage:
    def __init__(self, url: str) -> None:
        self.url = url


class Inner:
    @staticmethod
    @hookimpl
    def sgz_register_storage(register: Callable[[str, Any], None]) -> None:
        register("inner", FakeStorage)


class Failing:
    @staticmethod
    @hookimpl
    def sgz_register_storage(register: Callable[[str, Any], None]) -> None:
        register("failing", FakeStorage)
        raise RuntimeError("half registered")


class Guard:
    """A wrapper that registers one scheme of its own and keeps a failing plugin from failing."""

    calls: ClassVar[list[str]] = []

    @staticmethod
    @hookimpl(wrapper=True)
    def sgz_register_storage(
        register: Callable[[str, Any], None],
    ) -> Generator[None, None, None]:
        Guard.calls.append("before")
        register("guarded", FakeStorage)
        try:
            yield
        except RuntimeError:
            Guard.calls.append("swallowed")
        Guard.calls.append("after")
        return None


def test_sgz_register_storage_wrapper_is_honoured(register: Register) -> None:
    Guard.calls.clear()
    register(Inner, "inner")
    register(Failing, "failing")
    with pytest.raises(PluginError, match="plugin failing: sgz_register_storage failed"):
        plugins.storage_factories()
    register(Guard, "guard")
    factories = plugins.storage_factories()
    # pluggy stops at the implementation that raised: those after it (inner, the built-ins)
    # did not run; the wrapper's own registration and the failing one's first are kept
    assert set(factories) == {"guarded", "failing"}
    assert Guard.calls == ["before", "swallowed", "after"]


def test_sgz_register_storage_calls_are_attributed_through_a_wrapper(register: Register) -> None:
    register(Inner, "first")

    class Again:
        @staticmethod
        @hookimpl
        def sgz_register_storage(register: Callable[[str, Any], None]) -> None:
            _helper(register)  # attributed through a helper function too

    register(Again, "second")
    register(Guard, "guard")
    with pytest.raises(PluginError, match="'inner' is registered by both first and second"):
        plugins.storage_factories()


def _helper(register: Callable[[str, Any], None]) -> None:
    register("inner", FakeStorage)


def test_sgz_register_notifiers_wrapper_is_honoured(register: Register) -> None:
    seen: list[str] = []

    class Timing:
        @staticmethod
        @hookimpl(wrapper=True)
        def sgz_register_notifiers(register: Any) -> Generator[None, None, None]:
            seen.append("wrapped")
            return (yield)

    register(Timing, "timing")
    assert {"log", "webhook", "email"} <= set(plugins.notifier_factories())
    assert seen == ["wrapped"]


def test_sgz_register_reporters_wrapper_is_honoured(register: Register) -> None:
    class AddsOne:
        @staticmethod
        @hookimpl(wrapper=True)
        def sgz_register_reporters(register: Any) -> Generator[None, None, None]:
            result = yield
            register("extra", lambda settings: ExplodingReporter())
            return result

    register(AddsOne, "adds-one")
    assert {"json", "markdown", "extra"} <= set(plugins.reporter_factories())


def test_sgz_register_rules_wrapper_is_honoured(register: Register) -> None:
    class Wraps:
        @staticmethod
        @hookimpl(wrapper=True)
        def sgz_register_rules(register: Any) -> Generator[None, None, None]:
            register(Rule("LOCAL-8", "x", "包装", "wrapped", Scope.STATION, _raising_rule))
            return (yield)

    register(Wraps, "wraps")
    assert [r.id for r in plugins.plugin_rules()] == ["LOCAL-8"]


def test_sgz_register_profiles_wrapper_is_honoured(register: Register) -> None:
    import attrs

    own = attrs.evolve(profiles.builtin(), id="wrapped-profile")

    class Wraps:
        @staticmethod
        @hookimpl(wrapper=True)
        def sgz_register_profiles(register: Any) -> Generator[None, None, None]:
            result = yield
            register(own)
            return result

    register(Wraps, "wraps")
    assert plugins.builtin_profiles()["wrapped-profile"] is own


def test_register_kept_and_called_later_is_an_error(register: Register) -> None:
    kept: list[Any] = []

    class Keeps:
        @staticmethod
        @hookimpl
        def sgz_register_storage(register: Any) -> None:
            kept.append(register)

    register(Keeps, "keeps")
    plugins.storage_factories()
    with pytest.raises(PluginError, match="called from outside"):
        kept[0]("late", FakeStorage)


# --- SGZ_DISABLED_PLUGINS naming no plugin ----------------------------------------------------


def test_sgz_disabled_plugins_typo_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.warns(plugins.PluginWarning, match="SGZ_DISABLED_PLUGINS names typo, which is"):
        plugins.load({"SGZ_DISABLED_PLUGINS": "typo,sgz_adapters.default_notifiers"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plugins.load({"SGZ_DISABLED_PLUGINS": "sgz_adapters.default_notifiers"})


def test_sgz_disabled_plugins_typo_warns_once_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SGZ_DISABLED_PLUGINS", "typo")
    plugins.reset()
    code, out, err = run(capsys, "rules", "--format", "json")
    assert code == 0 and out.startswith("[")
    assert err.count("sgz: warning: SGZ_DISABLED_PLUGINS names typo") == 1, err
    assert err.count("\n") == 1
    plugins.reset()
    code, out, err = run(capsys, "rules", "--format", "json", "--lang", "zh")
    assert code == 0 and out.startswith("[")
    assert err.count("sgz: warning: SGZ_DISABLED_PLUGINS 中的 typo 不是已安装的插件") == 1, err


class PassThrough:
    @staticmethod
    @hookimpl(wrapper=True)
    def sgz_check(
        programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]
    ) -> Generator[None, list[Finding], list[Finding]]:
        return (yield)


def test_sgz_check_wrapper_is_not_blamed_for_what_passed_through_it(
    register: Register, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sgz_adapters import default_check

    sgz_module: dict[str, Any] = {"__name__": "sgz_core.rules"}  # a bug in sgz's own code
    exec("def run_rules(*args):\n    raise LookupError('a bug in sgz')\n", sgz_module)
    monkeypatch.setattr(default_check, "run_rules", sgz_module["run_rules"])
    register(PassThrough, "pass-through")
    code, _, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat())
    assert code == 3, err
    assert (
        err.startswith("sgz: internal error: LookupError: a bug in sgz")
        and "pass-through" not in err
    )


def test_sgz_check_wrapper_that_raises_itself_is_blamed(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    class Raises:
        @staticmethod
        @hookimpl(wrapper=True)
        def sgz_check(
            programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]
        ) -> Generator[None, list[Finding], list[Finding]]:
            findings = yield
            raise ValueError(f"{len(findings)} findings is too many")

    register(Raises, "raises")
    code, _, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat())
    assert code == 2
    assert_names_plugin(err, "raises", "failed: ValueError:")


def test_sgz_register_storage_failure_is_blamed_past_a_wrapper(register: Register) -> None:
    class Watching:
        @staticmethod
        @hookimpl(wrapper=True)
        def sgz_register_storage(register: Any) -> Generator[None, None, None]:
            return (yield)

    register(Failing, "failing")
    register(Watching, "watching")
    with pytest.raises(PluginError, match="plugin failing: sgz_register_storage failed"):
        plugins.storage_factories()
