"""The loader's limits (issue 8 §1, §2, §6): hostile TOML, numbers and files are refused
with an :class:`InvalidInput` naming the file and the line or key path, fast, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_adapters import files
from sgz_adapters.cli_args import date_arg, year_arg
from sgz_core import programme_file
from sgz_core.errors import InvalidInput
from sgz_core.limits import INT64 as MAX_INTEGER
from sgz_core.limits import MAX_DECIMAL_INTEGER_DIGITS, MAX_DECIMAL_PLACES
from sgz_core.programme_file import MAX_KEY_PARTS, MAX_NESTING, MAX_WORD_LENGTH, parse_toml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chengguan.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def refused(text: str, source: str = "hostile.toml") -> str:
    with pytest.raises(InvalidInput) as info:
        programme_file.loads(text, source)
    message = str(info.value)
    assert message.startswith(f"{source}: ")
    return message


def with_line(old: str, new: str) -> str:
    assert old in TEXT
    return TEXT.replace(old, new, 1)


# --- what the pre-check refuses before tomllib sees the text ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x = " + "[" * 2000 + "]" * 2000, f"nested at most {MAX_NESTING} deep"),
        ("x = " + "{a = " * 500 + "1" + "}" * 500, f"nested at most {MAX_NESTING} deep"),
        ("[" + ".".join(["a"] * 200_000) + "]", f"at most {MAX_KEY_PARTS} dotted parts"),
        ("[[" + ".".join(["a"] * 200_000) + "]]", f"at most {MAX_KEY_PARTS} dotted parts"),
        (".".join(["a"] * 200_000) + " = 1", f"at most {MAX_KEY_PARTS} dotted parts"),
        ('"a".' * 100_000 + "b = 1", f"at most {MAX_KEY_PARTS} dotted parts"),
        ("x = {" + ".".join(["a"] * 50_000) + " = 1}", f"at most {MAX_KEY_PARTS} dotted parts"),
        ("x = " + "9" * 5000, f"at most {MAX_WORD_LENGTH} characters"),
        ("x = 0x" + "f" * 5000, f"at most {MAX_WORD_LENGTH} characters"),
        ("k" * 5000 + " = 1", f"at most {MAX_WORD_LENGTH} characters"),
    ],
    ids=[
        "deep-arrays",
        "deep-inline-tables",
        "dotted-header",
        "dotted-array-header",
        "dotted-key",
        "dotted-quoted-key",
        "dotted-inline-key",
        "5000-digit-integer",
        "huge-hex",
        "long-bare-key",
    ],
)
def test_the_pre_check_refuses_what_tomllib_cannot_take_or_takes_minutes(
    text: str, expected: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        programme_file._precheck("# a comment\n" + text + "\n", "hostile.toml")
    assert str(info.value).startswith("hostile.toml: line 2: expected ")
    assert expected in str(info.value)
    # and parse_toml, which runs the pre-check first, says the same
    with pytest.raises(InvalidInput, match=expected.replace("(", r"\(")):
        parse_toml("# a comment\n" + text + "\n", "hostile.toml")


def test_the_pre_check_passes_the_examples_and_what_is_inside_strings_and_comments() -> None:
    for path in sorted((ROOT / "examples").rglob("*.toml")):
        programme_file._precheck(path.read_text(encoding="utf-8"), path.name)
    inert = [
        'x = "' + "[" * 5000 + "." * 5000 + '"',
        "x = '" + "{" * 5000 + "'",
        'x = """\n' + "[" * 5000 + '\n"" ""\\"""\n"""',
        "x = '''\n" + "." * 5000 + "\n'''",
        "# " + "[" * 5000 + "9" * 5000,
        "x = [" + ", ".join(["1.5"] * 5000) + "]",  # dots in values are not key parts
        "[a.b.c]\nd.e.f = {g.h = [[1, 2], [3, {i.j = 4}]]}",
    ]
    for text in inert:
        programme_file._precheck(text, "ok.toml")
        tomllib.loads(text)  # each is valid TOML


@given(
    depth=st.integers(min_value=1, max_value=MAX_NESTING),
    parts=st.integers(min_value=1, max_value=MAX_KEY_PARTS),
)
def test_the_limits_themselves_are_accepted(depth: int, parts: int) -> None:
    key = ".".join(["k"] * parts)
    text = f"[{key}]\n{key} = " + "[" * depth + "]" * depth + "\n"
    assert parse_toml(text, "ok.toml")


def test_a_leading_byte_order_mark_is_ignored() -> None:
    assert programme_file.loads("\ufeff" + TEXT, "bom.toml") == programme_file.loads(TEXT)


# --- numbers beyond what Python or Decimal takes ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("activity_area_m2 = 220", "activity_area_m2 = 1e-999999999", "premises.activity_area_m2"),
        ("activity_area_m2 = 220", "activity_area_m2 = 1e999999999", "premises.activity_area_m2"),
        ("activity_area_m2 = 220", "activity_area_m2 = 0e-999999", "premises.activity_area_m2"),
        ("office_area_m2 = 18", f"office_area_m2 = {'9' * 900}", "premises.office_area_m2"),
        ("lot = 1", f"lot = {'9' * 900}", "stations[0].lot"),
        ("lot = 1", "lot = 0x" + "f" * 900, "stations[0].lot"),
        ("lot = 1", f"lot = {2**63}", "stations[0].lot"),
        ("lot = 1", f"lot = -{2**63 + 1}", "stations[0].lot"),
    ],
)
def test_numbers_beyond_the_limits_name_their_key_path(old: str, new: str, path: str) -> None:
    message = refused(with_line(old, new))
    assert path in message
    assert "expected " in message


def test_money_beyond_decimal_names_its_key_path() -> None:
    message = refused(with_line("amount = 50000", "amount = 1e999999999"))
    assert "stations[0].years[0].funding[0].amount: expected less than 10**26 yuan" in message


def test_funding_that_sums_beyond_what_money_holds_names_the_station_year() -> None:
    big = "99999999999999999999999999.99"  # each amount is within the bound, the sum is not
    message = refused(TEXT.replace("amount = 50000\n", f"amount = {big}\n"))
    assert "stations[0].years[0].funding: expected amounts that sum to less than 10**26" in message
    assert "expenses" not in message
    data = parse_toml(TEXT, "x.toml")
    data["stations"][0]["years"][0]["expenses"] = [
        {
            "date": dt.date(2024, 8, 1),
            "category": "posts",
            "fund": "province",
            "amount": Decimal(big),
        }
    ] * 2
    assert "stations[0].years[0].expenses: expected amounts that sum" in refused(
        tomli_w.dumps(data)
    )


def test_a_number_decimal_cannot_hold_names_its_line() -> None:
    message = refused(
        with_line("activity_area_m2 = 220", "activity_area_m2 = 1e9999999999999999999")
    )
    line = next(i for i, s in enumerate(TEXT.splitlines(), 1) if "activity_area_m2" in s)
    assert f"line {line}: expected a number sgz can hold, got 1e9999999999999999999" in message


@given(
    places=st.integers(min_value=0, max_value=MAX_DECIMAL_PLACES),
    digits=st.integers(min_value=1, max_value=MAX_DECIMAL_INTEGER_DIGITS),
)
def test_decimals_within_the_limits_are_accepted(places: int, digits: int) -> None:
    area = Decimal("9" * digits).scaleb(-places)
    text = with_line("activity_area_m2 = 220", f"activity_area_m2 = {area}")
    station = programme_file.loads(text).stations[0]
    assert station.premises.activity_area_m2 == area


@given(
    st.one_of(
        st.integers(min_value=MAX_DECIMAL_PLACES + 1, max_value=10**12).map(lambda n: f"1e-{n}"),
        st.integers(min_value=MAX_DECIMAL_INTEGER_DIGITS, max_value=10**12).map(lambda n: f"1e{n}"),
    )
)
def test_decimals_beyond_the_limits_are_refused(literal: str) -> None:
    message = refused(_area(literal))
    assert "stations[0].premises.activity_area_m2: expected a number with at most" in message


def _area(literal: str) -> str:
    return with_line("activity_area_m2 = 220", f"activity_area_m2 = {literal}")


@given(st.integers(min_value=-MAX_INTEGER - 1, max_value=MAX_INTEGER))
def test_integers_in_64_bits_reach_the_model_and_others_do_not(n: int) -> None:
    data = parse_toml(TEXT, "x.toml")
    data["stations"][0]["lot"] = n
    text = tomli_w.dumps(data)
    try:
        programme = programme_file.loads(text)
    except InvalidInput as exc:
        assert "64" not in str(exc) and "2**63" not in str(exc)  # refused by the model, not us
    else:
        assert programme.stations[0].lot == n
    data["stations"][0]["lot"] = n + (2**64 if n >= 0 else -(2**64))
    assert "2**63" in refused(tomli_w.dumps(data))


# --- files: only regular files, with a size limit --------------------------------------------


def test_read_text_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    cases = {
        str(fifo): "expected a regular file",
        "/dev/zero": "expected a regular file",
        str(tmp_path): "expected a file, got a directory",
        str(tmp_path / "missing.toml"): "file not found",
        "a\0b.toml": "without a NUL character",
    }
    for path, expected in cases.items():
        with pytest.raises(InvalidInput) as info:
            files.read_text(Path(path))
        assert expected in str(info.value)
        assert str(info.value).startswith(path.replace("\0", "\\0") + ": ")
        assert "\0" not in str(info.value)


def test_read_text_refuses_a_file_over_the_limit_before_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.truncate(files.MAX_PROGRAMME_BYTES + 1)  # sparse: no disk used
    with pytest.raises(InvalidInput, match="expected a file of at most 256 MiB"):
        files.read_text(big)
    small = tmp_path / "profile.toml"
    small.write_bytes(b"#" * 2000)
    with pytest.raises(
        InvalidInput, match=r"expected a file of at most 1000 bytes, got 2000 bytes"
    ) as info:
        files.read_text(small, limit=1000)
    assert str(small) in str(info.value)
    assert files.MAX_PROFILE_BYTES < files.MAX_PROGRAMME_BYTES


def test_read_text_strips_a_byte_order_mark_and_names_other_encodings(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert files.read_text(path) == TEXT
    assert files.load_programme(path).programme == programme_file.loads(TEXT)
    path.write_bytes(b"\xef\xbb\xbfx = 1\n\xff")
    with pytest.raises(InvalidInput, match="at byte 9"):
        files.read_text(path)
    path.write_bytes(TEXT.encode("utf-16"))
    with pytest.raises(InvalidInput, match="got UTF-16"):
        files.read_text(path)


def test_load_programme_refuses_a_nul_in_the_profile_it_names(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(TEXT.replace('profile = "lanzhou-chengguan"', 'profile = "a\\u0000b"'))
    with pytest.raises(InvalidInput) as info:
        files.load_programme(path)
    assert "programme.profile" in str(info.value)
    assert "expected a built-in profile id or a profile file: no profile 'a\\x00b'" in str(
        info.value
    )


# --- profiles: extends chains ----------------------------------------------------------------


def _profile(path: Path, extends: str) -> Path:
    path.write_text(
        tomli_w.dumps({"profile": {"id": path.stem, "name": path.stem, "extends": extends}}),
        encoding="utf-8",
    )
    return path


def test_an_extends_chain_that_loops_names_the_chain(tmp_path: Path) -> None:
    a = _profile(tmp_path / "a.toml", "b.toml")
    _profile(tmp_path / "b.toml", "a.toml")
    itself = _profile(tmp_path / "self.toml", "self.toml")
    with pytest.raises(InvalidInput) as info:
        files.load_profile(str(a))
    assert f"the extends chain loops: {a} → {tmp_path / 'b.toml'} → {a}" in str(info.value)
    assert str(info.value).startswith(f"{a}: profile.extends: ")
    with pytest.raises(InvalidInput, match=r"the extends chain loops: .*self.toml → .*self.toml"):
        files.load_profile(str(itself))


def test_an_extends_chain_through_a_built_in_ends_there(tmp_path: Path) -> None:
    _profile(tmp_path / "c.toml", "lanzhou-chengguan")
    b = _profile(tmp_path / "b.toml", "c.toml")
    assert files.load_profile(str(b)).id == "b"


def test_an_extends_chain_too_long_is_refused(tmp_path: Path) -> None:
    n = files.MAX_EXTENDS_DEPTH + 1
    for i in range(n):
        _profile(tmp_path / f"p{i}.toml", f"p{i + 1}.toml" if i + 1 < n else "lanzhou-chengguan")
    with pytest.raises(InvalidInput, match=f"passes through more than {files.MAX_EXTENDS_DEPTH}"):
        files.load_profile(str(tmp_path / "p0.toml"))
    assert files.load_profile(str(tmp_path / "p1.toml")).id == "p1"  # exactly the limit


# --- dates on the command line ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2025-1-5",
        "20250105",
        "2025-W01-1",
        "2025-01-05T00:00",
        "２０２５-０１-０５",
        " 2025-01-05",
        "",
    ],
)
def test_dates_are_only_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="expected a date like 2025-01-31"):
        date_arg(text)


@given(st.dates())
def test_every_yyyy_mm_dd_date_is_accepted(day: dt.date) -> None:
    assert date_arg(day.isoformat()) == day


@pytest.mark.parametrize("text", ["-1", "99999999999999999999999", "1.5", "", " 2", "٢"])
def test_contract_years_on_the_command_line_are_ascii_numbers(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="expected a contract year number from 1"):
        year_arg(text)


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_every_ascii_number_is_read_and_left_to_the_service(n: int) -> None:
    # the range (1 to 99) is the service's to check: tests/integration/test_service.py
    assert year_arg(str(n)) == n


_FRAGMENTS = [
    "a",
    "b.c",
    "k" * 1001,
    "9" * 1000,
    " ",
    "\t",
    "\r",
    "\n",
    "=",
    ",",
    ".",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "{}",
    '"',
    '""',
    '"x.y[{"',
    '"\\"',
    "'",
    "'q'",
    '"""',
    "'''",
    "#",
    "# [{.\n",
    "1.5",
    "2024-07-01",
    "true",
    "\\",
    "." * 31,
    "[" * 31,
    "key = 1\n",
    'key = "v"\n',
    "key = [1, 2.5, {a = 1}]\n",
    "key = [\n",
    '  { a = "x", b = 1.5 },\n',
    '  "item",\n',
    "]\n",
    "[t]\n",
    "[[t.u]]\n",
    "[" + ".".join(["p"] * 31) + "]\n",
    "[" + ".".join(["p"] * 32) + "]\n",
    "k = {" + ", ".join(f"a{i} = 1" for i in range(3)) + "}\n",
    "",
]


def _outcome(text: str, fast: bool) -> str:
    try:
        programme_file._precheck(text, "f.toml", fast=fast)
    except InvalidInput as exc:
        return str(exc)
    return "accepted"


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_the_fast_pre_check_refuses_and_accepts_exactly_what_the_token_loop_does(
    parts: list[str],
) -> None:
    text = "".join(parts)
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


def test_the_fast_pre_check_agrees_on_the_examples_and_a_generated_programme() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.toml"))]
    deep = "x = [\n" + '  { a = "x" },\n' * 3 + "]\n" + "y = " + "[" * 33 + "]" * 33 + "\n"
    for text in [*texts, deep, deep.replace("\n", "\r\n")]:
        assert _outcome(text, fast=True) == _outcome(text, fast=False)
