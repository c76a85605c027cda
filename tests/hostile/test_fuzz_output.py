"""Mutated example programmes, checked and shown in every format through ``sgz_adapters.cli.main``
in-process (issue 8 §3, §4): whatever a mutant holds (types, sizes, unicode, control
characters, ID numbers, markup, formulas, deep nesting), the output has no full resident ID
number, no raw control character or escape sequence, no traceback, and an exit status of 0, 1
or 2; a workbook has no formula cell. ``tests/unit/test_fuzz_loader.py`` mutates the same files
for the loader alone.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sgz_adapters.cli import main
from sgz_adapters.output import UNSAFE
from sgz_adapters.pii import folded
from sgz_core import programme_file
from sgz_core.casework.identity import is_valid, with_check_digit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
PARSED = {
    p.name: programme_file.parse_toml(p.read_text(encoding="utf-8"), p.name) for p in EXAMPLES
}
ID_NUMBER = with_check_digit("11010519491231002")
TEXT_FORMATS = ("table", "json", "markdown")

hostile_text = st.lists(
    st.one_of(
        st.sampled_from([ID_NUMBER, ID_NUMBER.lower(), "１１０１０５１９４９１２３１００２Ｘ"]),
        st.sampled_from(["[draft]", "[/bold]", "[link=http://e]", '=HYPERLINK("http://e")']),
        st.sampled_from(["\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\r", "\x08", "\x00", "\x7f"]),
        st.sampled_from(["\u202e", "\u2066", "\u200f", "\u2028", "\ufeff", "𪚥", "社", " "]),
        st.text(st.characters(codec="utf-8"), max_size=8),
    ),
    min_size=1,
    max_size=4,
).map("".join)

hostile_values = st.one_of(
    hostile_text,
    hostile_text,  # drawn more often: strings reach the output, most other values are refused
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.booleans(),
    st.lists(hostile_text, max_size=3),
    st.recursive(st.integers(), lambda inner: st.lists(inner, max_size=2), max_leaves=40),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _at(tree: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


PATHS = {name: _paths(tree) for name, tree in PARSED.items()}
STRING_PATHS = {
    name: [p for p in PATHS[name] if isinstance(_at(tree, p), str)] for name, tree in PARSED.items()
}
"""Where the examples hold text (names, ids, references): the values most likely shown."""


def _mutate(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    try:
        parent: Any = _at(data, path[:-1])
        parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        return data
    if how == "replace":
        parent[path[-1]] = value
    elif how == "add" and isinstance(parent, dict):
        parent[f"{path[-1]}{value}" if isinstance(value, str) else f"{path[-1]}_x"] = value
    return data


def full_ids(text: str) -> list[str]:
    found = re.finditer(r"(?=([0-9]{17}[0-9X]))", folded(text))
    return [m[1] for m in found if is_valid(m[1])]


def _run(args: list[str]) -> tuple[int, str, str, bytes]:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
    out.flush()
    data = raw.getvalue()
    return code, data.decode("utf-8", "replace"), err.getvalue(), data


def _assert_clean(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err, out + err
    assert code in (0, 1, 2), (code, err)
    for shown in (out, err):
        assert full_ids(shown) == [], shown
        assert not UNSAFE.search(shown), repr(shown)


def _assert_workbook(data: bytes) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert full_ids(cell.value) == [], cell.value
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_a_mutated_programme_is_shown_masked_and_escaped_in_every_format(
    data: st.DataObject,
) -> None:
    name = data.draw(st.sampled_from(sorted(PARSED)))
    tree = PARSED[name]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        text_only = data.draw(st.booleans())
        path = data.draw(st.sampled_from(STRING_PATHS[name] if text_only else PATHS[name]))
        how = data.draw(st.sampled_from(["replace", "replace", "add"]))
        tree = _mutate(tree, path, how, data.draw(hostile_text if text_only else hostile_values))
    try:
        text = tomli_w.dumps(tree)
    except (TypeError, ValueError):  # not expressible in TOML
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        args = ["check", str(path), "--on", "2025-11-24"]
        lang = data.draw(st.sampled_from(["zh", "en"]))
        statuses = set()
        for fmt in TEXT_FORMATS:
            code, out, err, _ = _run([*args, "--format", fmt, "--lang", lang])
            _assert_clean(code, out, err)
            statuses.add(code)
        code, _, err, workbook = _run([*args, "--format", "xlsx"])
        _assert_clean(code, "", err)
        if code in (0, 1):
            _assert_workbook(workbook)
    assert len(statuses) == 1, statuses  # every format agrees on the outcome
    event(f"exit status {code}")
