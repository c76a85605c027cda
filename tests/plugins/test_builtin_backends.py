"""The built-in notifiers and reporters, as plugins register them (delivery over the network is in
``tests/integration/test_notifier_delivery.py``)."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from sgz_adapters import plugins
from sgz_adapters.default_notifiers import (
    EmailNotifier,
    LogNotifier,
    WebhookNotifier,
    event_line,
    event_record,
)
from sgz_adapters.files import load_programme
from sgz_adapters.pii import MaskIdNumbers, mask_id_numbers
from sgz_core.disbursement import TrancheReleased, schedule
from sgz_core.enums import Milestone, Severity
from sgz_core.errors import InvalidInput
from sgz_core.findings import Finding
from sgz_core.ports import Notifier, Report, Reporter

ID = "620102199001011234"
MASKED = "6201**********1234"
RELEASED = TrancheReleased(
    "zhengning", 1, Milestone.CONTRACT_SIGNED, Decimal("90000.00"), dt.date(2024, 7, 1)
)
FINDING = Finding(
    "CASE-1",
    Severity.WARNING,
    "zhengning",
    1,
    f"受益人 {ID} 未回访",
    f"beneficiary {ID} not visited",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ID, MASKED),
        ("62010219900101123X", "6201**********123X"),
        (f"身份证{ID}，电话13800000000", f"身份证{MASKED}，电话13800000000"),
        (f"id:{ID}.", f"id:{MASKED}."),
        ("52620100MJ0000000X", "52620100MJ0000000X"),  # a credit code is not an ID number
        ("526201001234567890", "526201001234567890"),  # nor are 18 digits without a birth date
        ("1" + ID, "1" + ID),  # nor part of a longer number
    ],
)
def test_mask_id_numbers(text: str, expected: str) -> None:
    assert mask_id_numbers(text) == expected


def test_the_logging_filter_masks_every_record(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("sgz.test.filter")
    caplog.handler.addFilter(MaskIdNumbers())
    with caplog.at_level(logging.INFO, logger="sgz.test.filter"):
        logger.info("resident %s", ID)
    assert caplog.messages == [f"resident {MASKED}"]


def test_event_record_and_line_are_exact_and_masked() -> None:
    assert event_record(RELEASED) == {
        "event": "TrancheReleased",
        "station": "zhengning",
        "year": 1,
        "milestone": "contract_signed",
        "amount": "90000.00",
        "date": "2024-07-01",
    }
    assert event_line(RELEASED).startswith("TrancheReleased station=zhengning year=1 milestone=")
    assert ID not in event_line(FINDING) and MASKED in event_line(FINDING)
    assert event_record(f"plain {ID}") == {"event": "str", "text": f"plain {MASKED}"}


def test_builtin_notifiers_are_notifiers() -> None:
    assert isinstance(plugins.make_notifier("log"), Notifier)
    assert isinstance(plugins.make_notifier("webhook", {"url": "http://127.0.0.1:9/x"}), Notifier)
    assert isinstance(plugins.make_notifier("email", {"to": "a@example.org"}), Notifier)


def test_log_notifier_never_logs_an_id_number(caplog: pytest.LogCaptureFixture) -> None:
    notifier = plugins.make_notifier("log", {"logger": "sgz.test.events", "level": "warning"})
    assert isinstance(notifier, LogNotifier) and notifier.level == logging.WARNING
    with caplog.at_level(logging.INFO, logger="sgz.test.events"):
        notifier.notify([RELEASED, FINDING])
    assert [r.levelno for r in caplog.records] == [logging.WARNING] * 2
    assert "amount=90000.00" in caplog.messages[0]
    assert ID not in caplog.text and MASKED in caplog.messages[1]


@pytest.mark.parametrize(
    ("name", "settings", "message"),
    [
        ("log", {"colour": "red"}, "notifier log: unknown setting 'colour'"),
        ("log", {"level": "LOUD"}, "notifier log: level"),
        ("webhook", {}, "notifier webhook: missing setting 'url'"),
        ("webhook", {"url": "file:///etc/passwd"}, "expected http:// or https://"),
        # a port out of range or not a number, a broken IPv6 host: a ValueError or InvalidURL
        # of urllib's when the first event was sent, not refused with the settings
        ("webhook", {"url": "http://127.0.0.1:99999/hook"}, "expected http:// or https://"),
        ("webhook", {"url": "http://127.0.0.1:abc/hook"}, "expected http:// or https://"),
        ("webhook", {"url": "http://[::1/hook"}, "expected http:// or https://"),
        ("webhook", {"url": "http://127.0.0.1/a b"}, "expected http:// or https://"),
        ("webhook", {"url": "http://127.0.0.1/a\r\nX: 1"}, "expected http:// or https://"),
        (
            "webhook",
            {"url": "http://127.0.0.1/", "timeout": "soon"},
            "timeout: expected a number of seconds",
        ),
        # infinite: a socket's OverflowError when the first event was sent
        ("webhook", {"url": "http://127.0.0.1/", "timeout": "inf"}, "timeout: expected a number"),
        ("email", {"to": "a@example.org", "timeout": "1e999"}, "timeout: expected a number"),
        ("email", {"to": "a@example.org", "timeout": "1e300"}, "timeout: expected a number"),
        ("email", {}, "notifier email: missing setting 'to'"),
        # no address once split at the commas: the first notify() failed with the message "{}"
        ("email", {"to": " , "}, "notifier email: missing setting 'to'"),
        ("email", {"to": "a@example.org", "port": "smtp"}, "port: expected a port number"),
        ("email", {"to": "a@example.org", "starttls": "maybe"}, "starttls: expected yes or no"),
        (
            "email",
            {"to": "a@example.org", "subject": "{station}"},
            "subject: expected text using only",
        ),
    ],
)
def test_notifier_settings_are_checked(name: str, settings: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        plugins.make_notifier(name, settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://user:s3cret-tok@127.0.0.1/a b?token=s3cret-tok",
        "http://127.0.0.1:99999/hook?token=s3cret-tok",
        "ftp://127.0.0.1/hook?token=s3cret-tok#s3cret-tok",
        "http://127.0.0.1/hook\r\nX: 1?token=s3cret-tok",
    ],
)
def test_a_refused_webhook_url_is_shown_without_its_token(url: str) -> None:
    """A webhook URL refused for a typo (a space, a bad port or scheme, a line break) was quoted
    whole in the error, token and password included; it is shown as every webhook error shows
    it, without query, fragment or credentials (docs/security.md)."""
    with pytest.raises(InvalidInput, match="expected http:// or https://") as raised:
        plugins.make_notifier("webhook", {"url": url})
    assert "s3cret-tok" not in str(raised.value)
    assert "\r" not in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("key", ["username", "password"])
def test_email_credentials_smtplib_cannot_send_are_refused_unshown(key: str) -> None:
    # smtplib encodes AUTH as ASCII: a UnicodeEncodeError escaped the first notify()
    settings = {"to": "a@example.org", "username": "u", "password": "p", key: "pässwörd"}
    with pytest.raises(InvalidInput, match=f"notifier email: {key}: expected ASCII") as raised:
        plugins.make_notifier("email", settings)
    assert "pässwörd" not in str(raised.value)


def test_webhook_and_email_notify_nothing_without_events() -> None:
    WebhookNotifier("http://127.0.0.1:9/unreachable").notify([])
    EmailNotifier(("a@example.org",), host="127.0.0.1", port=9).notify([])


def test_email_message_is_masked() -> None:
    notifier = plugins.make_notifier(
        "email", {"to": "a@example.org, b@example.org", "subject": "社工站 {count}"}
    )
    assert isinstance(notifier, EmailNotifier)
    msg = notifier.message([RELEASED, FINDING])
    assert msg["To"] == "a@example.org, b@example.org" and msg["Subject"] == "社工站 2"
    body = msg.get_content()
    assert ID not in body and MASKED in body and body.count("\n") == 2


@pytest.fixture(scope="module")
def report() -> Report:
    loaded = load_programme(Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml")
    on = dt.date(2026, 11, 28)
    tranches = schedule(loaded.programme, loaded.profile, on)
    return Report(loaded.programme.id, f"报告 {ID}", on, (FINDING,), tuple(tranches))


def test_builtin_reporters_are_reporters() -> None:
    for name in ("json", "markdown", "xlsx"):
        assert isinstance(plugins.make_reporter(name), Reporter)


def test_json_reporter(report: Report) -> None:
    reporter = plugins.make_reporter("json")
    assert (reporter.media_type, reporter.suffix) == ("application/json", ".json")
    data = json.loads(reporter.render(report))
    assert list(data) == ["programme", "title", "as_of", "findings", "summary", "tranches"]
    assert data["title"] == f"报告 {MASKED}"
    assert data["findings"][0]["message"] == f"受益人 {MASKED} 未回访"
    assert data["summary"] == {"error": 0, "warning": 1, "notice": 0}
    assert set(data["tranches"][0]) == {
        "station",
        "year",
        "milestone",
        "share",
        "amount",
        "status",
        "date",
    }
    assert ID.encode() not in reporter.render(report)


def test_markdown_reporter(report: Report) -> None:
    text = plugins.make_reporter("markdown").render(report).decode("utf-8")
    assert (
        text.startswith(f"# 报告 {MASKED}\n")
        and "## Findings" in text
        and "## Disbursement" in text
    )
    assert (
        f"| CASE-1 | warning | zhengning | 1 | 受益人 {MASKED} 未回访 |" in text and ID not in text
    )
    english = plugins.make_reporter("markdown", {"lang": "en"}).render(report).decode("utf-8")
    assert f"beneficiary {MASKED} not visited" in english
    empty = plugins.make_reporter("markdown").render(Report("p", "t", report.as_of)).decode("utf-8")
    assert "No findings." in empty and "## Disbursement" not in empty


def test_xlsx_reporter(report: Report) -> None:
    pytest.importorskip("xlsxwriter")
    reporter = plugins.make_reporter("xlsx")
    assert reporter.suffix == ".xlsx"
    with zipfile.ZipFile(io.BytesIO(reporter.render(report))) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert 'name="findings"' in workbook and 'name="disbursement"' in workbook
    assert "CASE-1" in strings and MASKED in strings and ID not in strings


@pytest.mark.parametrize(
    ("name", "settings", "message"),
    [
        ("json", {"indent": "4"}, "reporter json: takes no settings"),
        ("markdown", {"lang": "fr"}, "lang: expected zh or en"),
        ("markdown", {"width": "80"}, "unknown setting 'width'"),
    ],
)
def test_reporter_settings_are_checked(name: str, settings: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        plugins.make_reporter(name, settings)


def test_table_reporter_renders_results_and_reports(report: Report) -> None:
    import datetime as dt

    import sgz_adapters.service as sgz

    reporter = plugins.make_reporter("table")
    assert (reporter.media_type, reporter.suffix) == ("text/plain", ".txt")
    text = reporter.render(report).decode("utf-8")
    assert ID not in text and f"报告 {MASKED}" in text and "CASE-1" in text
    example = Path(__file__).resolve().parents[2] / "examples" / "chengguan.toml"
    plan = sgz.schedule(example, on=dt.date(2025, 3, 1))
    zh = reporter.render(plan, lang="zh").decode("utf-8")
    en = reporter.render(plan, lang="en").decode("utf-8")
    assert "合同签订" in zh and "contract_signed" in en and "contract_signed" not in zh


def test_toml_reporter_renders_profiles_only(report: Report) -> None:
    import tomllib

    import sgz_adapters.service as sgz

    reporter = plugins.make_reporter("toml")
    text = reporter.render(sgz.show_profile()).decode("utf-8")
    assert tomllib.loads(text)["profile"]["id"] == "lanzhou-chengguan"
    with pytest.raises(InvalidInput, match="renders profiles and plans only"):
        reporter.render(report)


def test_a_notifier_repr_shows_no_secret() -> None:
    # the email password was kept out of repr, the webhook URL's token and credentials were not
    webhook = plugins.make_notifier("webhook", {"url": "https://u:pw@hooks.example/x?token=s3cret"})
    assert "s3cret" not in repr(webhook) and "pw" not in repr(webhook)
    assert "https://hooks.example/x" in repr(webhook)
    email = plugins.make_notifier("email", {"to": "a@example.org", "password": "s3cret"})
    assert "s3cret" not in repr(email)


def test_event_record_masks_an_id_number_in_a_number_or_a_key() -> None:
    # the line was masked, the webhook's JSON was not: an ID number held as an int, or as the
    # key of a table, went out whole
    import attrs

    @attrs.frozen
    class Visited:
        beneficiary: int
        visits: dict[str, int]

    event = Visited(int(ID), {ID: 2})
    body = json.dumps(event_record(event))
    assert ID not in body and MASKED in body
    assert event_record(Visited(7, {"a": 1}))["beneficiary"] == 7


def test_event_record_is_json_whatever_a_plugin_event_holds() -> None:
    # a Path or an attrs value in a plugin's event made the webhook's json.dumps raise
    # TypeError out of notify()
    import attrs

    @attrs.frozen
    class Where:
        station: str

    @attrs.frozen
    class Filed:
        path: Path
        where: Where

    record = event_record(Filed(Path(f"/cases/{ID}.toml"), Where(f"站 {ID}")))
    body = json.dumps(record)
    assert ID not in body and MASKED in body
    assert record["where"] == {"station": f"站 {MASKED}"}
