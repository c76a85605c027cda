"""``sgz export`` from PostgreSQL and MariaDB, and again after importing what it wrote: the same
bytes as from SQLite, the same programme, the payments kept (PAY-1), with hostile text: quotes,
backslashes, CJK, emoji, a 255-character id (``MAX_KEY_LENGTH``) and a note of half a megabyte
(issue 12's streamed export)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sgz_adapters.cli import main
from sgz_adapters.storage.sql import ServerStorage
from sgz_core.limits import MAX_KEY_LENGTH
from sgz_core.programme_file import loads

from .conftest import EXAMPLE_TEXT, require, unique_prefix

HOSTILE_ID = "站😀\"\\'" + "ж" * (MAX_KEY_LENGTH - 5)
LONG_NOTE = 'a"b\\c\'\'\'"""\\u0000 中文😀\t\r\n' * 20_000


def hostile_text() -> str:
    text = EXAMPLE_TEXT.replace(
        'note = "独居老人助餐"', "note = " + json.dumps(LONG_NOTE, ensure_ascii=False), 1
    )
    text = text.replace('"王芳"', json.dumps('王"芳\\😀', ensure_ascii=False))
    text = text.replace('"zhengning"', json.dumps(HOSTILE_ID, ensure_ascii=False))
    by = json.dumps('会计"\\😀', ensure_ascii=False)
    return text + (
        f"\n[[payments]]\nstation = {json.dumps(HOSTILE_ID, ensure_ascii=False)}\nyear = 1\n"
        f'tranche = "contract_signed"\namount = "12.34"\ndate = 2020-01-01\nby = {by}\n'
        'reference = "\\"\\"\\"引号\\\\😀"\n'
        '\n[[payments]]\nstation = "gone-站😀"\nyear = 99\ntranche = "final"\namount = "0.01"\n'
        'date = 2026-01-01\nby = "x"\nrecorded_at = 2026-01-02T03:04:05Z\n'
    )


def round_trip(url: str, source: Path, out: Path) -> bytes:
    assert main(["import", str(source), "--db", url, "--replace", "--no-progress"]) == 0
    assert main(["export", "--db", url, "--to", str(out)]) == 0
    return out.read_bytes()


@pytest.mark.db
@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_hostile_text_exports_the_same_bytes_and_programme(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "hostile.toml"
    source.write_text(hostile_text(), encoding="utf-8")
    reference = round_trip(f"sqlite:///{tmp_path / 'ref.db'}", source, tmp_path / "ref.toml")
    url = f"{require(kind)}?prefix={unique_prefix()}"
    try:
        first = round_trip(url, source, tmp_path / "first.toml")
        assert first == reference
        assert loads(first.decode("utf-8")) == loads(source.read_text(encoding="utf-8"))
        assert first.count(b"[[payments]]") == 2
        again = round_trip(url, tmp_path / "first.toml", tmp_path / "again.toml")
        assert again == first
    finally:
        ServerStorage(url).drop_all()
