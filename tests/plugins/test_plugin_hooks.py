"""Every hook of ``sgz_core.hookspecs`` exercised by a sample plugin registered inline."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from sgz_adapters import plugins
from sgz_adapters.cli import main
from sgz_adapters.files import load_profile, load_programme
from sgz_core import hookimpl, profiles
from sgz_core.enums import Severity
from sgz_core.errors import NotFound, PluginError
from sgz_core.findings import Finding
from sgz_core.ports import Notifier, Report, Reporter
from sgz_core.rules import Rule, Say, Scope, notice
from sgz_core.storage import Storage

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
ON = dt.date(2026, 11, 28)

Register = Callable[..., str]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- sgz_register_storage ---------------------------------------------------------------------


class FakeStorage:
    def __init__(self, url: str) -> None:
        self.url = url


class StoragePlugin:
    @staticmethod
    @hookimpl
    def sgz_register_storage(register: Callable[[str, Callable[[str], Any]], None]) -> None:
        register("fake", FakeStorage)


def test_sgz_register_storage_adds_a_scheme(register: Register) -> None:
    assert "fake" not in plugins.storage_factories()
    register(StoragePlugin, "fake-storage")
    factories = plugins.storage_factories()
    assert {"sqlite", "memory", "fake"} <= set(factories)
    opened = factories["fake"]("fake://somewhere")
    assert isinstance(opened, FakeStorage) and opened.url == "fake://somewhere"


def test_sgz_register_storage_builtins_open_a_storage() -> None:
    storage = plugins.storage_factories()["memory"]("memory://")
    assert isinstance(storage, Storage)
    assert storage.programme_ids() == []


def test_sgz_register_storage_through_open_storage(register: Register) -> None:
    from sgz_adapters.storage import open_storage

    register(StoragePlugin, "fake-storage")
    opened: Any = open_storage("fake+v2://x")
    assert isinstance(opened, FakeStorage) and opened.url == "fake+v2://x"


def test_a_scheme_registered_twice_names_both_plugins(register: Register) -> None:
    class Again:
        @staticmethod
        @hookimpl
        def sgz_register_storage(register: Callable[[str, Any], None]) -> None:
            register("fake", FakeStorage)

    register(StoragePlugin, "first")
    register(Again, "second")
    with pytest.raises(PluginError, match="'fake' is registered by both first and second"):
        plugins.storage_factories()


@pytest.mark.parametrize(
    ("key", "factory", "message"),
    [
        ("Not A Scheme", FakeStorage, "does not match"),
        ("ok", "not callable", "not callable"),
    ],
)
def test_a_bad_registration_is_a_plugin_error(
    register: Register, key: str, factory: object, message: str
) -> None:
    class Bad:
        @staticmethod
        @hookimpl
        def sgz_register_storage(register: Callable[[str, Any], None]) -> None:
            register(key, factory)

    register(Bad, "bad")
    with pytest.raises(PluginError, match=message):
        plugins.storage_factories()


def test_a_registration_hook_that_raises_names_the_plugin(register: Register) -> None:
    class Broken:
        @staticmethod
        @hookimpl
        def sgz_register_reporters(register: Callable[[str, Any], None]) -> None:
            raise RuntimeError("boom")

    register(Broken, "broken")
    with pytest.raises(
        PluginError, match="plugin broken: sgz_register_reporters failed: RuntimeError: boom"
    ):
        plugins.reporter_factories()


# --- sgz_register_notifiers -------------------------------------------------------------------


class MemoNotifier:
    sent: ClassVar[list[object]] = []

    def __init__(self, settings: Any) -> None:
        self.settings = dict(settings)

    def notify(self, events: Sequence[object]) -> None:
        MemoNotifier.sent.extend(events)


class NotifierPlugin:
    @staticmethod
    @hookimpl
    def sgz_register_notifiers(register: Callable[[str, Any], None]) -> None:
        register("memo", MemoNotifier)


def test_sgz_register_notifiers_adds_a_notifier(register: Register) -> None:
    register(NotifierPlugin, "memo-notifier")
    assert {"log", "webhook", "email", "memo"} <= set(plugins.notifier_factories())
    notifier = plugins.make_notifier("memo", {"channel": "ops"})
    assert isinstance(notifier, Notifier)
    assert notifier.settings == {"channel": "ops"}  # type: ignore[attr-defined]
    MemoNotifier.sent.clear()
    notifier.notify(["an event"])
    assert MemoNotifier.sent == ["an event"]


def test_an_unknown_notifier_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match="no notifier 'pager'; known: email, log, webhook"):
        plugins.make_notifier("pager")


# --- sgz_register_reporters -------------------------------------------------------------------


class CsvReporter:
    media_type = "text/csv"
    suffix = ".csv"

    def render(self, report: Report) -> bytes:
        return "\n".join(f"{f.rule},{f.severity.value}" for f in report.findings).encode()


class ReporterPlugin:
    @staticmethod
    @hookimpl
    def sgz_register_reporters(register: Callable[[str, Any], None]) -> None:
        register("csv", lambda settings: CsvReporter())


def test_sgz_register_reporters_adds_a_reporter(register: Register) -> None:
    register(ReporterPlugin, "csv-reporter")
    assert {"json", "markdown", "xlsx", "csv"} <= set(plugins.reporter_factories())
    reporter = plugins.make_reporter("csv")
    assert isinstance(reporter, Reporter)
    finding = Finding("LOCAL-1", Severity.NOTICE, "s", 1, "提示", "notice")
    assert reporter.render(Report("p", "t", ON, (finding,))) == b"LOCAL-1,notice"


def test_an_unknown_reporter_names_the_known_ones() -> None:
    with pytest.raises(
        NotFound, match="no reporter 'pdf'; known: json, markdown, table, toml, xlsx"
    ):
        plugins.make_reporter("pdf")


class NoneFactoriesPlugin:
    """Registers factories that return None where a reporter or notifier belongs."""

    @staticmethod
    @hookimpl
    def sgz_register_reporters(register: Callable[[str, Any], None]) -> None:
        register("nothing", lambda settings: None)

    @staticmethod
    @hookimpl
    def sgz_register_notifiers(register: Callable[[str, Any], None]) -> None:
        register("nothing", lambda settings: None)


def test_a_factory_that_makes_no_backend_names_its_plugin(register: Register) -> None:
    register(NoneFactoriesPlugin, "none-factories")
    with pytest.raises(PluginError, match=r"plugin none-factories: the factory of reporter "):
        plugins.make_reporter("nothing")
    with pytest.raises(PluginError, match=r"plugin none-factories: the factory of notifier "):
        plugins.make_notifier("nothing")


def test_a_format_whose_factory_makes_no_reporter_is_a_plugin_error_not_an_internal_one(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    # it was "sgz: internal error: AttributeError: 'NoneType' object has no attribute 'render'"
    register(NoneFactoriesPlugin, "none-factories")
    code, out, err = run(capsys, "check", str(EXAMPLE), "--format", "nothing", "--lang", "en")
    assert (code, out) == (2, "")
    assert "plugin none-factories: the factory of reporter 'nothing' returned NoneType" in err
    assert "internal error" not in err
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--format", "json", "--lang", "en")
    assert out  # the built-in reporters keep working


# --- sgz_register_rules -----------------------------------------------------------------------


def _every_station_has_a_name(station: Any, ctx: Any) -> Iterator[Say]:
    yield notice(f"站点 {station.id} 已检查", f"station {station.id} checked")


LOCAL_RULE = Rule(
    "LOCAL-1", "local", "本地规则", "a local rule", Scope.STATION, _every_station_has_a_name
)


class RulePlugin:
    @staticmethod
    @hookimpl
    def sgz_register_rules(register: Callable[[Rule], None]) -> None:
        register(LOCAL_RULE)


def test_sgz_register_rules_adds_a_rule_to_every_check(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    register(RulePlugin, "local-rules")
    assert plugins.plugin_rules() == [LOCAL_RULE]
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "json")
    assert code == 0
    local = [f for f in json.loads(out)["findings"] if f["rule"] == "LOCAL-1"]
    assert [f["station"] for f in local] == ["zhengning", "yanbin", "zhanjiaguaizi"]
    code, out, _ = run(capsys, "rules", "--format", "json")
    listed = {r["rule"]: r for r in json.loads(out)}
    assert listed["LOCAL-1"]["module"] == __name__ and "FUND-1" in listed


def test_the_service_check_runs_plugin_rules(register: Register) -> None:
    """The embedding API (unlike ``sgz_core.rules.check``) runs the plugins' rules too."""
    import sgz_adapters.service as sgz
    from sgz_core import programme_file

    register(RulePlugin, "local-rules")
    programme = programme_file.loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    for source in (EXAMPLE, programme):
        result = sgz.check(source, on=ON)
        assert [f.station for f in result.findings if f.rule == "LOCAL-1"] == [
            "zhengning",
            "yanbin",
            "zhanjiaguaizi",
        ]


def test_sgz_register_rules_selected_with_only(register: Register) -> None:
    register(RulePlugin, "local-rules")
    loaded = load_programme(EXAMPLE)
    findings = plugins.run_check(loaded.programme, loaded.profile, ON, only=["LOCAL-1"])
    assert {f.rule for f in findings} == {"LOCAL-1"} and len(findings) == 3


def test_a_plugin_cannot_take_a_builtin_rule_id(register: Register) -> None:
    class Clash:
        @staticmethod
        @hookimpl
        def sgz_register_rules(register: Callable[[Rule], None]) -> None:
            register(Rule("FUND-1", "x", "x", "x", Scope.STATION, _every_station_has_a_name))

    register(Clash, "clash")
    with pytest.raises(PluginError, match="plugin clash: rule FUND-1 is one of sgz's own rules"):
        plugins.plugin_rules()


def test_a_plugin_rule_id_is_checked_like_a_builtin_one() -> None:
    with pytest.raises(ValueError, match="not of the form FAMILY-N"):
        Rule("local_1", "x", "x", "x", Scope.STATION, _every_station_has_a_name)


def test_a_plugin_rule_registered_twice_names_both_plugins(register: Register) -> None:
    class Again:
        @staticmethod
        @hookimpl
        def sgz_register_rules(register: Callable[[Rule], None]) -> None:
            register(LOCAL_RULE)

    register(RulePlugin, "first")
    register(Again, "second")
    with pytest.raises(PluginError, match="LOCAL-1 is registered by both first and second"):
        plugins.plugin_rules()


# --- sgz_register_profiles --------------------------------------------------------------------


SAMPLE_PROFILE = (
    profiles.builtin()
    .renamed("sample-locality", "Sample locality")
    .override("min_resident_social_workers", profiles.ALWAYS, 3, "local rule")
)


class ProfilePlugin:
    @staticmethod
    @hookimpl
    def sgz_register_profiles(register: Callable[[profiles.Profile], None]) -> None:
        register(SAMPLE_PROFILE)


def test_sgz_register_profiles_adds_a_builtin_profile(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(NotFound):
        load_profile("sample-locality")
    register(ProfilePlugin, "sample-profiles")
    assert set(plugins.builtin_profiles()) == {"lanzhou-chengguan", "sample-locality"}
    assert load_profile("sample-locality") is SAMPLE_PROFILE
    code, out, _ = run(capsys, "profile", "show", "sample-locality", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["profile"]["id"] == "sample-locality"
    assert data["parameters"]["min_resident_social_workers"][-1]["value"] == 3


def test_sgz_register_profiles_resolves_a_programme_file(
    register: Register, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "p.toml"
    path.write_text(
        text.replace('profile = "lanzhou-chengguan"', 'profile = "sample-locality"'),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "check", str(path), "--on", ON.isoformat(), "--format", "json")
    assert code == 2 and "sample-locality" in err
    register(ProfilePlugin, "sample-profiles")
    code, out, _ = run(capsys, "check", str(path), "--on", ON.isoformat(), "--format", "json")
    staff_errors = {f["rule"] for f in json.loads(out)["findings"] if f["severity"] == "error"}
    assert "STAFF-1" in staff_errors  # the example's stations have 2 resident workers, not 3


def test_a_plugin_cannot_replace_a_builtin_profile(register: Register) -> None:
    class Clash:
        @staticmethod
        @hookimpl
        def sgz_register_profiles(register: Callable[[profiles.Profile], None]) -> None:
            register(profiles.builtin())

    register(Clash, "clash")
    with pytest.raises(PluginError, match="profile 'lanzhou-chengguan' is one of sgz's own"):
        plugins.builtin_profiles()


# --- sgz_check ----------------------------------------------------------------------------------


class WrongCheck:
    """Replaces the check with one that returns a number, not findings."""

    @staticmethod
    @hookimpl
    def sgz_check(programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]) -> Any:
        return 5


def test_sgz_check_returning_no_findings_names_the_plugin(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    # it was "sgz: internal error: TypeError: 'int' object is not iterable" (exit 3)
    register(WrongCheck, "wrong-check")
    code, out, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--lang", "en")
    assert (code, out) == (2, "")
    assert "sgz_check returned int, not a list of findings" in err
    assert "wrong-check" in err and "internal error" not in err


class QuietWrapper:
    """Wraps the check: drops notices and adds one finding of its own."""

    seen: ClassVar[list[int]] = []

    @staticmethod
    @hookimpl(wrapper=True)
    def sgz_check(
        programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]
    ) -> Generator[None, list[Finding], list[Finding]]:
        QuietWrapper.seen.append(len(rules))
        findings = yield
        kept = [f for f in findings if f.severity is not Severity.NOTICE]
        return [*kept, Finding("WRAP-1", Severity.WARNING, None, None, "包装", "wrapped")]


def test_sgz_check_wrapper_sees_and_changes_the_findings(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "json")
    before = json.loads(out)["findings"]
    assert any(f["severity"] == "notice" for f in before)
    register(QuietWrapper, "quiet")
    QuietWrapper.seen.clear()
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "json")
    assert code == 0
    after = json.loads(out)["findings"]
    assert QuietWrapper.seen and QuietWrapper.seen[0] > 10
    assert [f for f in after if f["severity"] == "notice"] == []
    assert after[-1]["rule"] == "WRAP-1" and json.loads(out)["summary"]["warning"] >= 1


def test_sgz_check_can_be_replaced(register: Register) -> None:
    class Replacement:
        @staticmethod
        @hookimpl
        def sgz_check(
            programme: Any, profile: Any, as_of: dt.date, rules: Sequence[Rule]
        ) -> list[Finding]:
            return [Finding("ALT-1", Severity.NOTICE, None, None, "替代", "replaced")]

    register(Replacement, "replacement")
    loaded = load_programme(EXAMPLE)
    assert [f.rule for f in plugins.run_check(loaded.programme, loaded.profile, ON)] == ["ALT-1"]


def test_sgz_check_without_its_builtin_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SGZ_DISABLED_PLUGINS", "sgz_adapters.default_check")
    loaded = load_programme(EXAMPLE)
    with pytest.raises(PluginError, match="default_check is disabled"):
        plugins.run_check(loaded.programme, loaded.profile, ON)


def test_a_plugin_reporter_is_a_format_of_check_and_schedule(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    register(ReporterPlugin, "csv-reporter")
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "csv")
    _, as_json, _ = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "json")
    expected = [f"{f['rule']},{f['severity']}" for f in json.loads(as_json)["findings"]]
    assert code == 0 and expected and out.split("\n") == expected
    code, out, _ = run(capsys, "schedule", str(EXAMPLE), "--format", "csv")
    assert code == 0 and out == ""  # a schedule Report has no findings
    code, out, err = run(capsys, "stats", str(EXAMPLE), "--format", "csv", "--lang", "en")
    assert code == 2 and out == ""
    assert "no format 'csv' for sgz stats; known: json, markdown, table" in err


class StatsReporter:
    """A new-style reporter: it names the result kinds it renders and gets the language."""

    media_type = "text/plain"
    suffix = ".txt"
    kinds = frozenset({"stats"})

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        return f"{lang} {report.kind} {report.counts.total().people}".encode()


class StatsReporterPlugin:
    @staticmethod
    @hookimpl
    def sgz_register_reporters(register: Callable[[str, Any], None]) -> None:
        register("people", lambda settings: StatsReporter())


def test_a_reporter_with_kinds_renders_those_results(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    register(StatsReporterPlugin, "people-reporter")
    code, out, _ = run(capsys, "stats", str(EXAMPLE), "--on", "2025-11-24", "--format", "people")
    assert code == 0 and out.startswith("zh stats ")
    assert int(out.split()[-1]) > 0
    code, out, _ = run(
        capsys, "stats", str(EXAMPLE), "--on", "2025-11-24", "--format", "people", "--lang", "en"
    )
    assert out.startswith("en stats ")
    code, _, err = run(capsys, "check", str(EXAMPLE), "--format", "people", "--lang", "en")
    assert code == 2 and "no format 'people' for sgz check" in err


# --- sgz_register_commands --------------------------------------------------------------------


class CommandPlugin:
    @staticmethod
    @hookimpl
    def sgz_register_commands(register: Callable[..., None]) -> None:
        def add_arguments(parser: Any) -> None:
            parser.add_argument("file")
            parser.add_argument("--station", required=True)

        def run_it(args: Any) -> int:
            import sgz_adapters.service as sgz

            result = sgz.worklist(args.file, station=args.station, on=ON)
            print(f"{len(result.items)} items for {result.station}")
            return 0 if result.items else 1

        register("count-items", "how many work-list items a station has", add_arguments, run_it)


def test_sgz_register_commands_adds_a_subcommand(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    register(CommandPlugin, "command-plugin")
    assert set(plugins.plugin_commands()) == {"count-items"}
    code, out, _ = run(capsys, "count-items", str(EXAMPLE), "--station", "zhengning")
    assert code == 0 and out.endswith("items for zhengning\n") and not out.startswith("0 ")
    code, out, err = run(capsys, "count-items", str(EXAMPLE), "--station", "nowhere")
    assert code == 2 and "没有社工站 'nowhere'" in err  # SgzError from the service: exit 2


def test_a_plugin_command_is_checked(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    class Bad:
        @staticmethod
        @hookimpl
        def sgz_register_commands(register: Callable[..., None]) -> None:
            register("Bad Name", "help", lambda p: None, lambda a: 0)

    register(Bad, "bad-command")
    with pytest.raises(PluginError, match="command name 'Bad Name' does not match"):
        plugins.plugin_commands()

    class Clash:
        @staticmethod
        @hookimpl
        def sgz_register_commands(register: Callable[..., None]) -> None:
            register("check", "mine", lambda p: None, lambda a: 0)

    plugins.unregister_plugin("bad-command")
    register(Clash, "clash-command")
    code, out, err = run(capsys, "check", str(EXAMPLE), "--on", ON.isoformat(), "--format", "json")
    assert code == 0 and json.loads(out)["programme"] == "chengguan-2024"
    assert "命令 'check' 是 sgz 自己的命令；已略去" in err
    code, out, err = run(capsys, "check", str(EXAMPLE), "--format", "json", "--lang", "en")
    assert code == 0 and "command 'check' is one of sgz's own; left out" in err
