"""The PII and escape scan (issue 8 §3, §4): every command, in every format, on generated
programmes whose names and ids hold valid ID numbers, Rich markup and control characters.
Nothing printed holds a full ID number or a raw control character; JSON stays JSON."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import tempfile
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters.cli import main
from sgz_adapters.output import UNSAFE
from sgz_adapters.pii import folded
from sgz_core import programme_file
from sgz_core.casework import identity
from sgz_core.model import Programme, add_years
from sgz_core.testing import strategies as s


def full_ids(text: str) -> list[str]:
    """Every valid resident ID number in ``text`` (full-width digits and ``x`` read too)."""
    found = re.finditer(r"(?=([0-9]{17}[0-9X]))", folded(text))
    return [m[1] for m in found if identity.is_valid(m[1])]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


HOSTILE_PIECES = st.one_of(
    s.id_numbers(),
    s.id_numbers().map(str.lower),
    st.sampled_from(["[draft]", "[/bold]", "[red]", "[link=http://evil]", "\\", "|", "*"]),
    st.sampled_from(["\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\r", "\x08", "\x7f", "\u202e"]),
    st.sampled_from(["社", "𪚥", "_", "a", " ", "\t"]),
)
hostile_text = st.lists(HOSTILE_PIECES, min_size=1, max_size=5).map("".join)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are TOML's, DEL escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


@st.composite
def hostile_programmes(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A programme file (TOML text) with hostile names and a hostile station id; station ids."""
    programme: Programme = draw(s.casework_programmes(max_people=4, max_records=4))
    programme = attrs.evolve(programme, name=draw(hostile_text) + "_" + draw(s.id_numbers()))
    people = [attrs.evolve(b, name=draw(hostile_text)) for b in programme.beneficiaries]
    programme = attrs.evolve(programme, beneficiaries=tuple(people))
    text = programme_file.dumps(programme)
    station_ids = [st_.id for st_ in programme.stations]
    # an id holding an ID number and markup: replaced everywhere it is referenced
    if station_ids:
        renamed = draw(st.sampled_from(station_ids))
        new_id = f"{renamed}_{draw(s.id_numbers())}[b]"
        text = text.replace(f'"{renamed}"', toml_string(new_id))
        station_ids = [new_id if i == renamed else i for i in station_ids]
    return text, station_ids


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=hostile_programmes(), data=st.data())
def test_no_command_prints_a_full_id_number_or_a_raw_control_character(
    case: tuple[str, list[str]], data: st.DataObject
) -> None:
    text, station_ids = case
    assert full_ids(text), "the generated file holds full ID numbers"
    on = data.draw(st.dates(dt.date(2020, 1, 1), add_years(dt.date(2020, 1, 1), 8))).isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.toml"
        path.write_text(text, "utf-8")
        db = f"sqlite:///{Path(tmp) / 'p.db'}"
        runs: list[tuple[str, tuple[int, str, str]]] = []

        def go(fmt: str, *args: str) -> None:
            runs.append((fmt, run(*args, "--format", fmt)))

        for fmt in ("table", "json", "markdown"):
            go(fmt, "check", str(path), "--on", on)
        for fmt in ("table", "json"):
            go(fmt, "schedule", str(path), "--on", on)
            go(fmt, "plaques", str(path), "--on", on)
            go(fmt, "stats", str(path), "--on", on)
            for station in station_ids:
                go(fmt, "worklist", str(path), "--station", station, "--on", on)
        go("json", "import", str(path), "--db", db)
        for fmt in ("table", "json"):
            go(fmt, "check", "--db", db, "--on", on)
            go(fmt, "stats", "--db", db, "--on", on)
        exported = run("export", "--db", db)
    for fmt, (code, out, err) in runs:
        assert "Traceback" not in err
        assert code in (0, 1, 2), err
        for shown in (out, err):
            assert full_ids(shown) == [], (fmt, shown)
            assert not UNSAFE.search(shown), (fmt, shown)
        if fmt == "json" and code in (0, 1):
            json.loads(out)
    code, out, err = exported
    if code == 0:  # an export keeps the full numbers on purpose
        assert full_ids(out)


def test_an_export_keeps_the_full_numbers_that_every_other_output_masks(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"
    numbers = full_ids(example.read_text("utf-8"))
    assert numbers
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("import", str(example), "--db", db)[0] == 0
    code, out, _ = run("export", "--db", db)
    assert code == 0 and set(numbers) <= set(full_ids(out))
    code, out, err = run("stats", "--db", db, "--on", "2026-11-28", "--format", "json")
    assert code == 0 and full_ids(out + err) == []
