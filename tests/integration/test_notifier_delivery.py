"""The ``webhook`` and ``email`` notifiers delivering to real servers on 127.0.0.1.

The HTTP server is the standard library's; the SMTP server is a minimal sink written here (it
speaks just enough SMTP for ``smtplib``: greeting, EHLO, MAIL, RCPT, DATA, QUIT).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sgz_adapters import plugins
from sgz_core.disbursement import TrancheReleased
from sgz_core.enums import Milestone, Severity
from sgz_core.errors import NotificationError
from sgz_core.findings import Finding

ID = "620102199001011234"
MASKED = "6201**********1234"
EVENTS = [
    TrancheReleased(
        "zhengning", 1, Milestone.CONTRACT_SIGNED, Decimal("90000.00"), dt.date(2024, 7, 1)
    ),
    Finding("CASE-1", Severity.WARNING, "zhengning", 1, f"受益人 {ID} 未回访", f"beneficiary {ID}"),
]


# --- webhook ------------------------------------------------------------------------------------


class Recorder(BaseHTTPRequestHandler):
    status = 204

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.received.append((self.path, dict(self.headers), self.rfile.read(length)))  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def http_server() -> Iterator[Any]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.received = []  # type: ignore[attr-defined]
    server.status = 204  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhook_posts_masked_json(http_server: Any) -> None:
    url = f"http://127.0.0.1:{http_server.server_port}/hooks/sgz?token=abc"
    plugins.make_notifier("webhook", {"url": url, "timeout": "5"}).notify(EVENTS)
    [(path, headers, body)] = http_server.received
    assert path == "/hooks/sgz?token=abc"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body.decode("utf-8"))
    assert data["events"][0] == {
        "event": "TrancheReleased",
        "station": "zhengning",
        "year": 1,
        "milestone": "contract_signed",
        "amount": "90000.00",
        "date": "2024-07-01",
    }
    assert data["events"][1]["message"] == f"受益人 {MASKED} 未回访"
    assert ID.encode() not in body


def test_webhook_error_status_is_a_notification_error(http_server: Any) -> None:
    http_server.status = 500
    url = f"http://127.0.0.1:{http_server.server_port}/hook?token=secret"
    with pytest.raises(NotificationError, match="answered 500") as raised:
        plugins.make_notifier("webhook", {"url": url}).notify(EVENTS)
    assert "secret" not in str(raised.value)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_unreachable_is_a_notification_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    with pytest.raises(NotificationError, match=r"webhook http://127\.0\.0\.1"):
        plugins.make_notifier("webhook", {"url": url, "timeout": "2"}).notify(EVENTS)


# --- email ----------------------------------------------------------------------------------------


class SmtpSink(socketserver.StreamRequestHandler):
    """Accepts every message and keeps (sender, recipients, raw message)."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        sender, recipients, lines, in_data = "", [], [], False
        while line := self.rfile.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append((sender, recipients, b"".join(lines)))  # type: ignore[attr-defined]
                    sender, recipients, lines, in_data = "", [], [], False
                    self.reply("250 OK")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].decode("ascii", "replace").upper()
            argument = line[5:].decode("ascii", "replace").strip()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                sender = argument.partition(":")[2].strip("<> ")
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(argument.partition(":")[2].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                in_data = True
                self.reply("354 end with .")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpSink)
    server.daemon_threads = True
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_email_sends_one_masked_message(smtp_server: Any) -> None:
    settings = {
        "to": "ops@example.org, lead@example.org",
        "from": "sgz@example.org",
        "host": "127.0.0.1",
        "port": str(smtp_server.server_address[1]),
        "subject": "社工站提醒：{count} 条",
        "timeout": "5",
    }
    plugins.make_notifier("email", settings).notify(EVENTS)
    [(sender, recipients, raw)] = smtp_server.messages
    assert sender == "sgz@example.org"
    assert recipients == ["ops@example.org", "lead@example.org"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == "社工站提醒：2 条"
    body = msg.get_content()  # type: ignore[attr-defined]
    assert body.splitlines()[0].startswith("TrancheReleased station=zhengning year=1")
    assert MASKED in body and ID not in body and ID.encode() not in raw


def test_email_unreachable_is_a_notification_error() -> None:
    settings = {
        "to": "ops@example.org",
        "host": "127.0.0.1",
        "port": str(free_port()),
        "timeout": "2",
    }
    with pytest.raises(NotificationError, match=r"email via 127\.0\.0\.1"):
        plugins.make_notifier("email", settings).notify(EVENTS)


# --- webhook servers that misbehave ---------------------------------------------------------------


class Misbehaving(BaseHTTPRequestHandler):
    """Answers a POST by its path: ``/moved`` redirects, ``/garbage`` is no HTTP at all,
    ``/trickle`` sends a 200 and then a body a byte at a time; a GET is recorded."""

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.received.append(("POST", self.path, self.rfile.read(length)))  # type: ignore[attr-defined]
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/ansi"):
            self.wfile.write(b"HTTP/1.0 500 \x1b]0;owned\x07\x1b[2J\r\nContent-Length: 0\r\n\r\n")
        elif self.path.startswith("/garbage"):
            self.wfile.write(b"garbage\r\n\r\n")
        elif self.path.startswith("/trickle"):
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            for _ in range(40):  # at most 40 x 0.1 s; the socket timeout never runs out
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)

    def do_GET(self) -> None:
        self.server.received.append(("GET", self.path, b""))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def bad_http_server() -> Iterator[Any]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhook_redirect_is_an_error_not_a_lost_post(bad_http_server: Any) -> None:
    # urllib follows a 302 of a POST with a GET without the body: the events were lost, and
    # notify() returned as if they had been delivered
    url = f"http://127.0.0.1:{bad_http_server.server_port}/moved?token=secret"
    with pytest.raises(NotificationError, match="answered 302") as raised:
        plugins.make_notifier("webhook", {"url": url, "timeout": "5"}).notify(EVENTS)
    assert "secret" not in str(raised.value)
    assert [(method, path) for method, path, _ in bad_http_server.received] == [
        ("POST", "/moved?token=secret")
    ]


def test_webhook_answer_that_is_no_http_is_a_notification_error(bad_http_server: Any) -> None:
    # http.client's BadStatusLine is neither a URLError nor an OSError: it escaped notify()
    url = f"http://127.0.0.1:{bad_http_server.server_port}/garbage?token=secret"
    with pytest.raises(
        NotificationError, match=r"webhook http://127\.0\.0\.1:\d+/garbage: "
    ) as raised:
        plugins.make_notifier("webhook", {"url": url, "timeout": "5"}).notify(EVENTS)
    assert "secret" not in str(raised.value)


def test_webhook_does_not_wait_for_a_body_it_has_no_use_for(bad_http_server: Any) -> None:
    # the 200 was read, then the whole body: a server sending a byte every 0.1 s never let the
    # 1 s socket timeout run out, and a huge body was read into memory
    url = f"http://127.0.0.1:{bad_http_server.server_port}/trickle"
    started = time.monotonic()
    plugins.make_notifier("webhook", {"url": url, "timeout": "1"}).notify(EVENTS)
    assert time.monotonic() - started < 2
    assert [path for _, path, _ in bad_http_server.received] == ["/trickle"]


def test_webhook_status_reason_cannot_drive_a_terminal(bad_http_server: Any) -> None:
    # the reason phrase is the server's text; it was put in the message as it came
    url = f"http://127.0.0.1:{bad_http_server.server_port}/ansi"
    with pytest.raises(NotificationError, match="answered 500") as raised:
        plugins.make_notifier("webhook", {"url": url, "timeout": "5"}).notify(EVENTS)
    assert "\x1b" not in str(raised.value) and "\x07" not in str(raised.value)


def test_email_starttls_verifies_the_server_certificate(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # smtplib's starttls() without a context makes one that checks no certificate and no host
    # name: anyone in the middle got the password sent after it
    import smtplib
    import ssl

    contexts: list[Any] = []

    def starttls(smtp: smtplib.SMTP, *, context: Any = None) -> tuple[int, bytes]:
        contexts.append(context)
        return 220, b"ready"

    monkeypatch.setattr(smtplib.SMTP, "starttls", starttls)
    settings = {
        "to": "ops@example.org",
        "host": "127.0.0.1",
        "port": str(smtp_server.server_address[1]),
        "starttls": "yes",
        "timeout": "5",
    }
    plugins.make_notifier("email", settings).notify(EVENTS)
    [context] = contexts
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
