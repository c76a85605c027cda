"""The JSON of the commands is a public contract (programme-format.md): byte for byte what the
command line printed before the service layer and the reporters, from a FILE and from ``--db``.

The files in ``tests/data/json-contract`` were written by sgz before issue 9 moved rendering
into the reporters (``evaluate.json``: when ``sgz evaluate`` came, issue 10 §8; ``ledger.json``:
when ``sgz ledger`` came, issue 11 §3); a change to them is a change of the contract.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sgz_adapters.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "chengguan.toml")
CONTRACT = ROOT / "tests" / "data" / "json-contract"

COMMANDS = {
    "schedule": ["schedule", "--on", "2025-03-01"],
    "plaques": ["plaques", "--on", "2026-11-28"],
    "worklist": ["worklist", "--station", "zhengning", "--on", "2025-11-24"],
    "stats": ["stats", "--on", "2025-11-24"],
    "evaluate": ["evaluate", "--station", "zhengning", "--year", "2", "--on", "2026-01-12"],
    "ledger": ["ledger", "--station", "zhengning", "--year", "1", "--on", "2025-03-01"],
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'sgz.db'}"
    assert main(["import", EXAMPLE, "--db", url, "--format", "json"]) == 0
    return url


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("where", ["file", "db"])
def test_json_output_is_unchanged(
    name: str, where: str, db: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    command, *flags = COMMANDS[name]
    source = [EXAMPLE] if where == "file" else ["--db", db]
    capsysbinary.readouterr()
    for lang in ("zh", "en"):
        assert main([command, *source, *flags, "--format", "json", "--lang", lang]) == 0
        out, _ = capsysbinary.readouterr()
        assert out == (CONTRACT / f"{name}.json").read_bytes()
