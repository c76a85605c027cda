"""``sgz import``, ``sgz export`` and ``--db URL [--programme ID]`` on the read commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sgz_adapters.cli import main
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_adapters.storage_cli import progress_bar
from sgz_core.programme_file import loads

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
ON = ("--on", "2026-11-28")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sgz.db'}"


def _other(tmp_path: Path, new_id: str, name: str = "另一个项目") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('id = "chengguan-2024"', f'id = "{new_id}"').replace(
        'name = "城关区街道社工站项目"', f'name = "{name}"'
    )
    path = tmp_path / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_check_and_schedule_from_the_database(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "import", str(EXAMPLE), "--db", db, "--lang", "en")
    assert code == 0 and "imported chengguan-2024" in out
    for command in ("check", "schedule", "plaques"):
        code_file, from_file, _ = run(capsys, command, str(EXAMPLE), *ON, "--format", "json")
        code_db, from_db, _ = run(capsys, command, "--db", db, *ON, "--format", "json")
        assert (code_db, json.loads(from_db)) == (code_file, json.loads(from_file)), command


@pytest.mark.parametrize(
    "filters",
    [
        (),
        ("--station", "zhengning"),
        ("--year", "2"),
        ("--station", "yanbin", "--year", "2"),
        ("--on", "2025-03-01"),
    ],
)
def test_stats_and_worklist_from_the_database_match_the_file(
    db: str, capsys: pytest.CaptureFixture[str], filters: tuple[str, ...]
) -> None:
    """``sgz stats --db`` counts the ledger in the database (Storage.ledger_counts)."""
    assert run(capsys, "import", str(EXAMPLE), "--db", db)[0] == 0
    on = () if "--on" in filters else ON
    code_file, from_file, _ = run(capsys, "stats", str(EXAMPLE), *on, *filters, "--format", "json")
    code_db, from_db, _ = run(capsys, "stats", "--db", db, *on, *filters, "--format", "json")
    assert code_file == code_db == 0
    assert json.loads(from_db) == json.loads(from_file)
    assert json.loads(from_db)["total"]["records"] > 0 or "--on" in filters
    code_file, from_file, _ = run(
        capsys, "worklist", str(EXAMPLE), "--station", "zhengning", *ON, "--format", "json"
    )
    code_db, from_db, _ = run(
        capsys, "worklist", "--db", db, "--station", "zhengning", *ON, "--format", "json"
    )
    assert (code_db, json.loads(from_db)) == (code_file, json.loads(from_file))


def test_stats_from_the_database_names_an_unknown_station(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(EXAMPLE), "--db", db)[0] == 0
    code, out, err = run(capsys, "stats", "--db", db, "--station", "nowhere", *ON)
    assert code == 2 and out == "" and "nowhere" in err and "zhengning" in err


def test_import_of_an_existing_id_is_refused_unless_replace(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", str(EXAMPLE), "--db", db)[0] == 0
    changed = _other(tmp_path, "chengguan-2024", name="改过的名字")
    code, out, err = run(capsys, "import", str(changed), "--db", db, "--lang", "en")
    assert code == 2 and out == ""
    assert "'chengguan-2024' is already in" in err and "--replace" in err
    assert "Traceback" not in err
    assert SqliteStorage.from_url(db).load("chengguan-2024").name == "城关区街道社工站项目"
    code, out, _ = run(capsys, "import", str(changed), "--db", db, "--replace", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"programme": "chengguan-2024", "db": db, "replaced": True}
    assert SqliteStorage.from_url(db).load("chengguan-2024").name == "改过的名字"


def test_export_is_lossless(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(EXAMPLE), "--db", db)
    code, out, _ = run(capsys, "export", "--db", db)
    assert code == 0
    original = loads(EXAMPLE.read_text(encoding="utf-8"))
    assert loads(out) == original
    target = tmp_path / "out.toml"
    code, _, err = run(
        capsys, "export", "--db", db, "--programme", "chengguan-2024", "--to", str(target)
    )
    assert code == 0 and "已将 chengguan-2024 导出到" in err
    code, _, err = run(capsys, "export", "--db", db, "--to", str(target), "--lang", "en")
    assert code == 0 and "exported chengguan-2024" in err
    assert loads(target.read_text(encoding="utf-8")) == original
    # and the export imports again, unchanged
    assert run(capsys, "import", str(target), "--db", f"sqlite:///{tmp_path / 'b.db'}")[0] == 0
    assert SqliteStorage(tmp_path / "b.db").load("chengguan-2024") == original


def test_several_programmes_need_programme(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "import", str(EXAMPLE), "--db", db)
    run(capsys, "import", str(_other(tmp_path, "second")), "--db", db)
    code, _, err = run(capsys, "check", "--db", db, *ON, "--lang", "en")
    assert (
        code == 2 and "holds 2 programmes (chengguan-2024, second)" in err and "--programme" in err
    )
    code, _, err = run(capsys, "check", "--db", db, *ON)
    assert code == 2 and "数据库中有 2 个项目（chengguan-2024, second）；请用 --programme" in err
    code, out, _ = run(
        capsys, "check", "--db", db, "--programme", "second", *ON, "--format", "json"
    )
    assert code == 0 and json.loads(out)["programme"] == "second"
    code, _, err = run(capsys, "export", "--db", db, "--programme", "third", "--lang", "en")
    assert code == 2 and "no programme 'third'" in err and "second" in err
    code, _, err = run(capsys, "export", "--db", db)
    assert code == 2 and "--programme" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "expected a programme FILE or --db URL"),
        (["check", "x.toml", "--db", "sqlite:///x.db"], "not both"),
        (["check", "x.toml", "--programme", "p"], "--programme needs --db"),
        (["schedule", "--db", "nosuch://x"], "no storage for nosuch://"),
        (["check", "--db", "sqlite:///missing.db"], "no database at missing.db"),
        (["export", "--db", "sqlite:///missing.db"], "no database at missing.db"),
        (["export", "--db", "not-a-url"], "expected scheme://"),
    ],
)
def test_bad_sources_exit_2(
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *args, "--lang", "en")
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "missing.db").exists()


def test_a_bad_file_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('role = "resident"', 'role = "boss"', 1),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "stations[0].staff[0].role" in err
    assert not (tmp_path / "sgz.db").exists()


def test_the_default_database_is_sgz_db_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "import", str(EXAMPLE))[0] == 0
    assert (tmp_path / "sgz.db").exists()
    code, out, _ = run(capsys, "schedule", "--db", "sqlite:///sgz.db", *ON, "--format", "json")
    assert code == 0 and json.loads(out)["programme"] == "chengguan-2024"
    code, out, _ = run(capsys, "export")
    assert code == 0 and 'id = "chengguan-2024"' in out


def test_memory_urls_work_within_one_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "import", str(EXAMPLE), "--db", "memory://cli-test")[0] == 0
    code, out, _ = run(capsys, "check", "--db", "memory://cli-test", *ON, "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["error"] == 0


def test_progress_is_reported_when_asked(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "import", str(EXAMPLE), "--db", db, "--progress")
    assert code == 0


def test_the_progress_bar_draws(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("importing", True) as update:
        assert update is not None
        update(5, 10)
        update(10, 10)
    with progress_bar("importing", False) as update:
        assert update is None


def test_export_streams_the_ledger_in_chunks(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sgz_adapters.service as service

    monkeypatch.setattr(service, "EXPORT_CHUNK", 4)
    original = loads(EXAMPLE.read_text(encoding="utf-8"))
    assert len(original.records) > 8
    run(capsys, "import", str(EXAMPLE), "--db", db)
    code, out, _ = run(capsys, "export", "--db", db)
    assert code == 0 and out.count("[[records]]") == len(original.records)
    assert loads(out) == original


@pytest.mark.parametrize("command", [["check"], ["stats"], ["schedule"], ["ledger"]])
def test_a_database_with_no_programme_says_to_import_one_exit_2(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database that exists but holds no programme yet (an empty file, or one only ``pay``
    or ``audit`` opened) names itself and says what to do; it said "no programme '(any)'"."""
    from sgz_core.errors import NotFound

    path = tmp_path / "empty.db"
    path.touch()
    url = f"sqlite:///{path}"
    for lang, said in (
        ("zh", "数据库中还没有项目；请先导入项目"),
        ("en", "holds no programme yet"),
    ):
        try:
            code = main([*command, "--db", url, "--lang", lang])
        except SystemExit as exc:
            code = int(exc.code or 0)
        _, err = capsys.readouterr()
        assert code == 2, err
        assert said in err and str(path) in err and "(any)" not in err
    from sgz_adapters.storage import open_storage

    with open_storage(url) as storage, pytest.raises(NotFound, match="import one first"):
        storage.only_programme()
