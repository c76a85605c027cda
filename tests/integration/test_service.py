"""The service layer: each use case gives the same result, and the command line the same output
and exit status, whatever the programme source (file, Programme, SQLite, memory, servers)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sgz_adapters.service as sgz
from sgz_adapters.cli import main
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.views import json_data
from sgz_core import profiles, programme_file
from sgz_core.audit import AuditAction
from sgz_core.enums import Milestone
from sgz_core.errors import InvalidInput, NotFound, SgzError
from sgz_core.payments import Payment
from sgz_core.storage import money_part
from sgz_core.testing import strategies

from .conftest import require, unique_prefix

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
CHECK_DAY, CASEWORK_DAY = dt.date(2026, 11, 28), dt.date(2025, 11, 24)

USE_CASES: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "check": ("check", {"on": CHECK_DAY}, ["--on", "2026-11-28"]),
    "schedule": ("schedule", {"on": dt.date(2025, 3, 1)}, ["--on", "2025-03-01"]),
    "plaques": ("plaques", {"on": CHECK_DAY}, ["--on", "2026-11-28"]),
    "worklist": (
        "worklist",
        {"on": CASEWORK_DAY, "station": "zhengning"},
        ["--on", "2025-11-24", "--station", "zhengning"],
    ),
    "stats": ("stats", {"on": CASEWORK_DAY}, ["--on", "2025-11-24"]),
    "stats-narrowed": (
        "stats",
        {"on": CASEWORK_DAY, "station": "zhengning", "year": 1},
        ["--on", "2025-11-24", "--station", "zhengning", "--year", "1"],
    ),
    "evaluate-mid-term": (
        "evaluate",
        {"on": dt.date(2026, 1, 12), "station": "zhengning", "year": 2},
        ["--on", "2026-01-12", "--station", "zhengning", "--year", "2"],
    ),
    "evaluate-final": (
        "evaluate",
        {"on": CHECK_DAY, "station": "zhengning", "year": 2, "evaluation": "final"},
        ["--on", "2026-11-28", "--station", "zhengning", "--year", "2", "--evaluation", "final"],
    ),
    "evaluate-in-progress": (
        "evaluate",
        {"on": dt.date(2025, 12, 1), "station": "zhengning", "year": 2},
        ["--on", "2025-12-01", "--station", "zhengning", "--year", "2"],
    ),
}

BAD_ARGUMENTS: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "stats-year-0": ("stats", {"on": CASEWORK_DAY, "year": 0}, ["--year", "0"]),
    "stats-year-100": ("stats", {"on": CASEWORK_DAY, "year": 100}, ["--year", "100"]),
    "stats-station": ("stats", {"on": CASEWORK_DAY, "station": "nowhere"}, ["--station", "x"]),
    "worklist-station": (
        "worklist",
        {"on": CASEWORK_DAY, "station": "nowhere"},
        ["--station", "nowhere"],
    ),
    "worklist-empty-station": ("worklist", {"on": CASEWORK_DAY, "station": ""}, ["--station", ""]),
    "evaluate-year-0": (
        "evaluate",
        {"on": CASEWORK_DAY, "station": "zhengning", "year": 0},
        ["--station", "zhengning", "--year", "0"],
    ),
    "evaluate-year-100": (
        "evaluate",
        {"on": CASEWORK_DAY, "station": "zhengning", "year": 100},
        ["--station", "zhengning", "--year", "100"],
    ),
    "evaluate-unknown-year": (
        "evaluate",
        {"on": CASEWORK_DAY, "station": "zhengning", "year": 9},
        ["--station", "zhengning", "--year", "9"],
    ),
    "evaluate-year-not-begun": (
        "evaluate",
        {"on": CASEWORK_DAY, "station": "zhengning", "year": 3},
        ["--station", "zhengning", "--year", "3"],
    ),
    "evaluate-station": (
        "evaluate",
        {"on": CASEWORK_DAY, "station": "nowhere", "year": 1},
        ["--station", "nowhere", "--year", "1"],
    ),
    "evaluate-no-final-yet": (
        "evaluate",
        {"on": CASEWORK_DAY, "station": "zhengning", "year": 2, "evaluation": "final"},
        ["--station", "zhengning", "--year", "2", "--evaluation", "final"],
    ),
}

SOURCES = [
    "file",
    "python",
    "sqlite",
    "memory",
    pytest.param("postgresql", marks=pytest.mark.db),
    pytest.param("mysql", marks=pytest.mark.db),
]


class Source:
    """A programme source for the API, and the command-line arguments naming the same (or None)."""

    def __init__(self, api: Any, cli: list[str] | None) -> None:
        self.api, self.cli = api, cli


@pytest.fixture(params=SOURCES)
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Source]:
    kind = request.param
    if kind == "file":
        yield Source(str(EXAMPLE), [str(EXAMPLE)])
    elif kind == "python":
        programme = programme_file.loads(EXAMPLE.read_text(encoding="utf-8"), "chengguan.toml")
        yield Source(programme, None)
    elif kind == "memory":
        storage = MemoryStorage()
        sgz.import_programme(EXAMPLE, db=storage)
        yield Source(sgz.stored(storage, "chengguan-2024"), None)
    elif kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'sgz.db'}"
        assert not sgz.import_programme(EXAMPLE, db=url).replaced
        yield Source(sgz.stored(url), ["--db", url])
    else:
        from sgz_adapters.storage.sql import ServerStorage

        prefix = unique_prefix()
        url = f"{require(kind)}?prefix={prefix}"
        sgz.import_programme(EXAMPLE, db=url)
        try:
            yield Source(sgz.stored(url, "chengguan-2024"), ["--db", url])
        finally:
            ServerStorage(require(kind), prefix=prefix).drop_all()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", sorted(USE_CASES))
def test_every_source_gives_the_same_result(
    case: str, source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    name, kwargs, flags = USE_CASES[case]
    use_case = getattr(sgz, name)
    expected = use_case(str(EXAMPLE), **kwargs)
    got = use_case(source.api, **kwargs)
    assert type(got) is type(expected)
    assert json_data(got) == json_data(expected)
    if name == "check" or (name == "schedule" and not isinstance(source.api, sgz.Stored)):
        assert got.programme == expected.programme
    elif name == "schedule":  # a stored programme's schedule reads its money part (issue 11)
        assert got.programme == money_part(expected.programme)
    if source.cli is None:
        return
    code_file, out_file, _ = run(capsys, name, str(EXAMPLE), *flags, "--format", "json")
    code, out, err = run(capsys, name, *source.cli, *flags, "--format", "json")
    assert (code, out) == (code_file, out_file), err
    assert json.loads(out) == json_data(expected)


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_every_source_refuses_the_same_arguments(
    case: str, source: Source, capsys: pytest.CaptureFixture[str]
) -> None:
    name, kwargs, flags = BAD_ARGUMENTS[case]
    with pytest.raises(SgzError) as from_file:
        getattr(sgz, name)(str(EXAMPLE), **kwargs)
    with pytest.raises(type(from_file.value)) as got:
        getattr(sgz, name)(source.api, **kwargs)
    assert str(got.value).split(":")[0] in str(from_file.value)
    if source.cli is None:
        return
    code, out, err = run(capsys, name, *source.cli, "--on", "2025-11-24", *flags)
    assert code == 2 and out == "" and "Traceback" not in err


def test_the_check_uses_the_programmes_own_profile(tmp_path: Path) -> None:
    """A programme naming a profile file relative to itself is checked under that profile."""
    profile = tmp_path / "strict.toml"
    profile.write_text(
        '[profile]\nid = "strict"\nname = "严格"\nextends = "lanzhou-chengguan"\n\n'
        "[[parameters.min_activity_area_m2]]\nfrom = 2000-01-01\nvalue = 1000\n",
        encoding="utf-8",
    )
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'profile = "lanzhou-chengguan"', 'profile = "strict.toml"'
    )
    assert 'profile = "strict.toml"' in text
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    result = sgz.check(path, on=CHECK_DAY)
    assert result.profile.id == "strict"
    assert result.has_errors and "SITE-1" in {f.rule for f in result.findings}
    builtin = sgz.check(path, on=CHECK_DAY, profile=profiles.builtin())
    assert not builtin.has_errors


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sgz.stored(""), "db: expected a database URL"),
        (lambda: sgz.stored("sqlite:///x.db", ""), "programme: expected a programme id"),
        (lambda: sgz.check(EXAMPLE, on=dt.datetime(2026, 1, 1)), "on: expected a date"),
        (lambda: sgz.check(EXAMPLE, on="2026-01-01"), "on: expected a date"),  # type: ignore[arg-type]
        (lambda: sgz.check(42, on=CHECK_DAY), "source: expected a programme file path"),  # type: ignore[arg-type]
        (lambda: sgz.check("", on=CHECK_DAY), "source: expected a programme file"),
        (lambda: sgz.stats(EXAMPLE, on=CHECK_DAY, year=True), "year: expected a contract year"),
        (lambda: sgz.export_programme(sgz.stored("memory://"), to=""), "to: expected a file path"),
        (lambda: sgz.show_profile(""), "profile: expected a profile id"),
    ],
)
def test_bad_arguments_are_invalid_input(call: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        call()


@pytest.mark.parametrize(
    "args",
    [
        ["stats", str(EXAMPLE), "--year", "0"],
        ["check", "--db", ""],
        ["schedule", "--db", "", "--programme", "x"],
        ["export", "--db", ""],
        ["import", str(EXAMPLE), "--db", ""],
        ["check", str(EXAMPLE), "--format", "nosuch"],
        ["rules", "--format", "toml"],
    ],
)
def test_the_command_line_refuses_them_with_exit_2(
    args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and err.startswith("sgz: error: ") and "Traceback" not in err


def test_export_to_an_empty_path_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'sgz.db'}"
    sgz.import_programme(EXAMPLE, db=url)
    code, _, err = run(capsys, "export", "--db", url, "--to", "", "--lang", "en")
    assert code == 2 and "--to: expected a file path" in err
    target = tmp_path / "out.toml"
    result = sgz.export_programme(sgz.stored(url), to=target)
    assert (result.programme, result.to) == ("chengguan-2024", str(target))
    exported = programme_file.loads(target.read_text(encoding="utf-8"), str(target))
    assert exported == sgz.open_source(sgz.stored(url)).programme


def test_import_refuses_a_programme_already_there_without_replace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sgz.db'}"
    sgz.import_programme(EXAMPLE, db=url)
    with pytest.raises(InvalidInput, match="already in"):
        sgz.import_programme(EXAMPLE, db=url)
    assert sgz.import_programme(EXAMPLE, db=url, replace=True).replaced
    with pytest.raises(NotFound):
        sgz.check(sgz.stored(url, "nowhere"), on=CHECK_DAY)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    programme=strategies.casework_programmes(),
    day=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
)
def test_generated_programmes_give_one_result_from_every_source(
    programme: Any, day: dt.date, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """From the value, from its programme file and from a storage, each use case agrees.

    The value is the one the file loads as: a score of ``Decimal("12")`` is written ``12.0``
    and comes back as ``Decimal("12.0")``, which PERF-3's message shows as 12.0分 (a round-trip
    difference of the programme file, not of the sources)."""
    text = programme_file.dumps(programme)
    programme = programme_file.loads(text, "p.toml")
    path = tmp_path_factory.mktemp("generated") / "p.toml"
    path.write_text(text, encoding="utf-8")
    with MemoryStorage() as storage:
        sgz.import_programme(programme, db=storage)
        sources = [programme, str(path), sgz.stored(storage, programme.id)]
        for name, kwargs in [
            ("check", {}),
            ("schedule", {}),
            ("stats", {}),
            ("stats", {"year": 1}),
        ]:
            results = [json_data(getattr(sgz, name)(s, on=day, **kwargs)) for s in sources]
            assert results[1:] == results[:1] * 2, name
        for station in programme.stations[:2]:
            for year in station.years:
                if day < programme.year_start(year.year):
                    continue  # refused alike: nothing to score yet
                where = {"on": day, "station": station.id, "year": year.year}
                cards = [json_data(sgz.evaluate(s, **where)) for s in sources]
                assert cards[1:] == cards[:1] * 2, where


_AUDIT_NAMES = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=12
).filter(str.strip)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    recorded_at=st.none()
    | st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31), timezones=st.just(dt.UTC)),
    payer=_AUDIT_NAMES,
    importer=st.none() | _AUDIT_NAMES,
)
def test_an_import_s_payments_are_audited_as_the_import_whatever_the_file_says(
    recorded_at: dt.datetime | None,
    payer: str,
    importer: str | None,
) -> None:
    """AUD-1: every entry an import appends, the ones of the payments it brings (a file's
    ``[[payments]]``) included, says when the import ran and who ran it, never the file's
    ``recorded_at`` or ``by``, whatever they are; those stay in the payment entry's ``after``."""
    opened = sgz.open_source(EXAMPLE)
    payment = Payment(
        station="zhengning",
        year=1,
        milestone=Milestone.CONTRACT_SIGNED,
        amount=Decimal("90000.00"),
        paid_on=dt.date(2024, 7, 2),
        by=payer,
        recorded_at=recorded_at,
    )
    with MemoryStorage() as storage, pytest.MonkeyPatch.context() as env:
        env.setenv("SGZ_USER", "导入员")
        before = dt.datetime.now(dt.UTC)
        sgz.import_programme(attrs.evolve(opened, payments=(payment,)), db=storage, by=importer)
        entries = list(storage.audit_entries())
    assert {e.who for e in entries} == {"导入员" if importer is None else importer}
    assert len({e.at for e in entries}) == 1 and entries[0].at >= before
    [paid] = [e for e in entries if e.action is AuditAction.PAYMENT]
    assert json.loads(paid.after or "{}")["by"] == payer
