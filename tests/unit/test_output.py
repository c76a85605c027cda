"""The output edge (issue 8 §3, §4): ID numbers masked, control characters escaped, once."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_adapters import output, render
from sgz_adapters.pii import folded, mask_id_numbers
from sgz_core.casework import identity
from sgz_core.testing import strategies as s

ID = "110101199001011237"
"""A valid number (checksum 7)."""
MASKED = "1101**********1237"
FULL_WIDTH = ID.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})


def full_ids(text: str) -> list[str]:
    """Every valid resident ID number in ``text``, in any form the masking reads."""
    flat = folded(text)
    found = re.finditer(r"(?=([0-9]{17}[0-9X]))", flat)
    return [m[1] for m in found if identity.is_valid(m[1])]


def test_a_valid_number_is_found_by_the_scan() -> None:
    assert identity.is_valid(ID)
    assert full_ids(f"x{ID}y") == [ID]
    assert full_ids(MASKED) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"abc{ID}xyz", f"abc{MASKED}xyz"),  # next to letters
        (f"身份证{ID}号", f"身份证{MASKED}号"),  # next to CJK characters
        (f"id_{ID}_x", f"id_{MASKED}_x"),  # next to underscores
        ("11010119900101123x", "1101**********123x"),  # a lower-case check character
        (FULL_WIDTH, FULL_WIDTH[:4] + "*" * 10 + FULL_WIDTH[-4:]),  # full-width digits
        (f"{ID[:9]}{FULL_WIDTH[9:]}", f"{ID[:4]}{'*' * 10}{FULL_WIDTH[-4:]}"),  # mixed
        (f"{ID}{ID}", f"{MASKED}{MASKED}"),  # two numbers side by side
        (f"9{ID}", f"9{MASKED}"),  # a valid number after another digit
        ("1234567890123456789", "1234567890123456789"),  # a long number holding none
    ],
)
def test_masking_catches_every_form(text: str, expected: str) -> None:
    assert mask_id_numbers(text) == expected


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"),  # an SGR colour
        ("\x1b]0;title\x07", "\\u001b]0;title\\u0007"),  # OSC: set the window title
        ("\x9b2J", "\\u009b2J"),  # C1 CSI: clear the screen
        ("ok\rFAKE", "ok\\u000dFAKE"),  # carriage return overwrites
        ("a\x08b\x7f", "a\\u0008b\\u007f"),  # backspace, DEL
        ("\u202eevil\u2066\u200f", "\\u202eevil\\u2066\\u200f"),  # bidi overrides (Trojan Source)
        ("a\u2028b", "a\\u2028b"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # kept outside cells
    ],
)
def test_control_characters_are_shown_escaped(raw: str, shown: str) -> None:
    assert output.clean(raw) == shown


def test_a_cell_is_one_line() -> None:
    assert output.clean("a\nb\tc", cell=True) == "a\\u000ab\\u0009c"


def test_a_control_character_cannot_join_a_number_to_an_escape() -> None:
    # "\x01" escapes to "\u0001": its digits next to a number must not make or hide an ID number
    text = "\x01" + ID
    assert full_ids(output.clean(text)) == []
    assert MASKED in output.clean(text)


hostile = st.lists(
    st.one_of(
        s.id_numbers(),
        s.id_numbers().map(str.lower),
        st.sampled_from(["[draft]", "[/bold]", "[red]x[/red]", "[link=http://x]", "\\[", "|"]),
        st.sampled_from(["\x1b[2J", "\x1b]8;;http://evil\x1b\\", "\x9b", "\r", "\x00", "\u202e"]),
        st.characters(codec="utf-8").map(str),
        st.sampled_from(["_", "a", "社", "𪚥", " ", "\n", "\t", "1", "X"]),
    ),
    max_size=12,
).map("".join)


@given(hostile)
def test_clean_never_lets_a_number_or_a_control_character_through(text: str) -> None:
    shown = output.clean(text)
    assert full_ids(shown) == []
    assert not output.UNSAFE.search(shown)
    assert output.clean(shown) == shown  # one step: cleaning twice changes nothing


@given(hostile)
def test_json_stays_json_with_the_same_strings_masked(text: str) -> None:
    out = io.StringIO()
    guarded = output.Guarded(out, "standard output")
    guarded.write(render.to_json({"name": text, "list": [text]}) + "\n")
    guarded.flush()
    shown = out.getvalue()
    assert full_ids(shown) == [] and not output.UNSAFE.search(shown)
    data = json.loads(shown)
    assert data["name"] == data["list"][0] == mask_id_numbers(text)


@given(hostile, hostile)
def test_tables_show_markup_literally_and_escape_the_rest(title: str, cell: str) -> None:
    out = io.StringIO()
    render.print_table(title, ["名称", "[b]col[/b]"], [[cell, "[draft]"]], out=out)
    shown = out.getvalue()
    assert full_ids(shown) == [] and not output.UNSAFE.search(shown)
    assert "[draft]" in shown and "[b]col[/b]" in shown


def test_markup_in_a_title_no_longer_crashes() -> None:
    out = io.StringIO()
    render.print_table("[/bold] closes nothing", ["a"], [["[/bold]"]], out=out)
    assert out.getvalue().count("[/bold]") == 2


def test_plain_and_markdown_tables_are_cleaned() -> None:
    plain = render.plain_table(f"t {ID}", ["a"], [[f"\x1b[1m{ID}\n"]])
    md = render.markdown_table(["a"], [[f"|{ID}\x9b"]])
    for text in (plain, md):
        assert ID not in text and MASKED in text and not output.UNSAFE.search(text)


def test_an_unencodable_character_becomes_the_replacement() -> None:
    raw = io.TextIOWrapper(io.BytesIO(), encoding="gbk")
    guarded = output.Guarded(raw, "standard output")
    guarded.write("名字 𪚥\n")
    guarded.flush()
    assert raw.buffer.getvalue().decode("gbk") == "名字 ?\n"


def test_an_id_number_written_in_pieces_is_still_masked() -> None:
    out = io.StringIO()
    guarded = output.Guarded(out, "standard output")
    for piece in (ID[:5], ID[5:12], ID[12:], "\n"):
        guarded.write(piece)
    guarded.flush()
    assert out.getvalue() == MASKED + "\n"


def test_an_export_keeps_full_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    render.emit(f"id_number = {ID!r}", export=True)
    render.emit(f"id_number = {ID!r}")
    assert capsys.readouterr().out == f"id_number = {ID!r}\nid_number = {MASKED!r}\n"


def test_emit_bytes_cleans_text_and_keeps_binary(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    render.emit_bytes(f"{ID}\x1b\n".encode())
    render.emit_bytes(b"PK\x03\x04\xff\xfe")
    assert capsysbinary.readouterr().out == f"{MASKED}\\u001b\n".encode() + b"PK\x03\x04\xff\xfe"


def test_format_error_masks_and_escapes() -> None:
    assert render.format_error(f"no file {ID}\x1b[2J") == f"sgz: error: no file {MASKED}\\u001b[2J"
