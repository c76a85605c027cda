"""Built-in plugin: the ``log``, ``webhook`` and ``email`` notifiers.

Each takes its settings as text (``make_notifier("webhook", {"url": …})``); unknown settings are
errors. Every line and payload they send has resident ID numbers masked (PII-1).

- ``log``: one line per event to a standard-library logger (settings ``logger``, ``level``).
- ``webhook``: one HTTP POST of ``{"events": [...]}`` as JSON (``url``, ``timeout``).
- ``email``: one plain-text message over SMTP (``to``, ``from``, ``host``, ``port``, ``subject``,
  ``starttls``, ``username``, ``password``, ``timeout``).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from sgz_adapters.output import UNSAFE_IN_CELL, clean, escape_controls
from sgz_adapters.pii import mask_id_numbers
from sgz_core import hookimpl
from sgz_core.errors import InvalidInput, NotificationError
from sgz_core.ports import Notifier, Settings

if TYPE_CHECKING:  # smtplib, urllib.request and email are imported when a notifier sends
    from email.message import EmailMessage


def _plain(value: Any) -> Any:
    """Event field values as JSON data: dates ISO, money exact as text, enums by value."""
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return mask_id_numbers(value)
    if isinstance(value, int) and not isinstance(value, bool):
        shown = mask_id_numbers(str(value))  # an ID number held as a number: text, masked
        return value if shown == str(value) else shown
    if isinstance(value, Mapping):
        return {mask_id_numbers(str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | float):
        return value
    if attrs.has(type(value)):  # a value of a plugin's event: its fields
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    return mask_id_numbers(str(value))  # a path, anything else: its text, so the JSON is JSON


def event_record(event: object) -> dict[str, Any]:
    """An event as JSON data: ``{"event": "TrancheReleased", "station": …}``, IDs masked."""
    cls = type(event)
    if attrs.has(cls):
        fields = {a.name: getattr(event, a.name) for a in attrs.fields(cls)}
    else:
        fields = {"text": str(event)}
    return {"event": type(event).__name__, **{k: _plain(v) for k, v in fields.items()}}


def event_line(event: object) -> str:
    """An event on one line: ``TrancheReleased station=zhengning year=1 …``, IDs masked and
    control characters (a newline too) escaped, so no event can forge another line."""
    record = event_record(event)
    name = record.pop("event")
    parts = [f"{k}={v}" for k, v in record.items() if v is not None]
    return clean(" ".join([name, *parts]), cell=True)  # one line, whatever the fields hold


def _settings(
    kind: str, settings: Settings, allowed: Sequence[str], required: Sequence[str] = ()
) -> dict[str, str]:
    unknown = [k for k in settings if k not in allowed]
    if unknown:
        raise InvalidInput(
            f"notifier {kind}: unknown setting {unknown[0]!r}; expected some of {', '.join(allowed)}"
        )
    missing = [k for k in required if not settings.get(k)]
    if missing:
        raise InvalidInput(f"notifier {kind}: missing setting {missing[0]!r}")
    return {k: str(v) for k, v in settings.items()}


_MAX_TIMEOUT = 86400.0
"""The longest ``timeout`` a notifier takes, in seconds (a day)."""


def _seconds(kind: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= _MAX_TIMEOUT:  # inf, 1e300: a socket's OverflowError when sending
        raise InvalidInput(f"notifier {kind}: timeout: expected a number of seconds, got {text!r}")
    return value


def _yes(kind: str, name: str, text: str) -> bool:
    if text.lower() in ("yes", "true", "1"):
        return True
    if text.lower() in ("no", "false", "0", ""):
        return False
    raise InvalidInput(f"notifier {kind}: {name}: expected yes or no, got {text!r}")


# --- log ------------------------------------------------------------------------------------------


@attrs.frozen
class LogNotifier:
    """Writes one masked line per event to a standard-library logger."""

    logger: logging.Logger
    level: int = logging.INFO

    @classmethod
    def from_settings(cls, settings: Settings) -> LogNotifier:
        s = _settings("log", settings, ("logger", "level"))
        level_name = s.get("level", "INFO").upper()
        level = logging.getLevelNamesMapping().get(level_name)
        if level is None:
            raise InvalidInput(
                f"notifier log: level: expected DEBUG, INFO, WARNING or ERROR, got {level_name!r}"
            )
        return cls(logging.getLogger(s.get("logger", "sgz.events")), level)

    def notify(self, events: Sequence[object]) -> None:
        for event in events:
            self.logger.log(self.level, "%s", event_line(event))


# --- webhook ------------------------------------------------------------------------------------


def _no_redirect_handler() -> type:
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        """Leaves a 3xx answer an ``HTTPError``, so that it is reported, not followed."""

        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return NoRedirect


def _shown(url: str) -> str:
    """``url`` without its query, fragment or credentials (a token is often in the query)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "(a URL that is not valid)"
    return f"{parts.scheme}://{parts.hostname}{f':{port}' if port else ''}{parts.path}"


@attrs.frozen
class WebhookNotifier:
    """POSTs ``{"events": [...]}`` as UTF-8 JSON to a URL; any answer but 2xx is an error."""

    url: str = attrs.field(repr=lambda url: repr(_shown(url)))
    """The URL posted to; its repr (as :attr:`_where`) keeps out the query and credentials."""
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookNotifier:
        s = _settings("webhook", settings, ("url", "timeout"), ("url",))
        try:  # a broken IPv6 host, a port out of range or not a number: urllib's ValueError
            parts = urllib.parse.urlsplit(s["url"])
            parts.port  # noqa: B018 (read for its ValueError)
        except ValueError:
            parts = urllib.parse.urlsplit("")
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or UNSAFE_IN_CELL.search(s["url"])
            or " " in s["url"]
        ):
            # shown without its query, fragment or credentials: a token in a URL refused for
            # a typo elsewhere must not land in the error text (docs/security.md)
            raise InvalidInput(
                f"notifier webhook: url: expected http:// or https://…, got {_shown(s['url'])!r}"
            )
        return cls(s["url"], _seconds("webhook", s.get("timeout", "10")))

    @property
    def _where(self) -> str:
        """The URL without query or credentials, safe to show in an error."""
        return _shown(self.url)

    def notify(self, events: Sequence[object]) -> None:
        if not events:
            return
        body = json.dumps({"events": [event_record(e) for e in events]}, ensure_ascii=False)
        import http.client
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.url,
            data=body.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "sgz"},
        )
        # A redirect is not followed: urllib would repeat a POST answered 301, 302 or 303 as a
        # GET without the body, and report the events delivered when they were dropped.
        opener = urllib.request.build_opener(_no_redirect_handler())
        try:
            # The status is the answer; the body is closed unread, so that a huge or trickling
            # one (the timeout is per read) can neither hold notify() nor fill the memory.
            with opener.open(request, timeout=self.timeout):
                pass
        except urllib.error.HTTPError as exc:
            raise NotificationError(
                f"webhook {self._where}: the server answered {exc.code} "
                f"{escape_controls(str(exc.reason), cell=True)}"  # the server's text
            ) from None
        except http.client.HTTPException as exc:  # an answer that is no HTTP, cut short
            said = escape_controls(str(exc).strip(), cell=True) or "no answer"
            raise NotificationError(
                f"webhook {self._where}: {type(exc).__name__}: {said}"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NotificationError(f"webhook {self._where}: {reason}") from None


# --- email ----------------------------------------------------------------------------------------


DEFAULT_SUBJECT = "sgz: {count} event(s)"


@attrs.frozen
class EmailNotifier:
    """Sends one plain-text message listing the events, over SMTP."""

    to: tuple[str, ...]
    sender: str = "sgz@localhost"
    host: str = "localhost"
    port: int = 25
    subject: str = DEFAULT_SUBJECT
    starttls: bool = False
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailNotifier:
        allowed = (
            "to",
            "from",
            "host",
            "port",
            "subject",
            "starttls",
            "username",
            "password",
            "timeout",
        )
        s = _settings("email", settings, allowed, ("to",))
        to = tuple(a.strip() for a in s["to"].split(",") if a.strip())
        if not to:  # " , ": no address to send to
            raise InvalidInput("notifier email: missing setting 'to'")
        port = s.get("port", "25")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise InvalidInput(f"notifier email: port: expected a port number, got {port!r}")
        subject = s.get("subject", DEFAULT_SUBJECT)
        for key in ("to", "from", "subject"):
            if key in s and UNSAFE_IN_CELL.search(s[key]):
                raise InvalidInput(  # a newline in a header would forge another header
                    f"notifier email: {key}: expected one line without control characters, "
                    f"got {escape_controls(s[key], cell=True)!r}"
                )
        for key in ("username", "password"):
            if not s.get(key, "").isascii():  # smtplib sends AUTH as ASCII; not shown: a secret
                raise InvalidInput(f"notifier email: {key}: expected ASCII characters only")
        try:
            subject.format(count=0)
        except (KeyError, IndexError, ValueError):
            raise InvalidInput(
                f"notifier email: subject: expected text using only {{count}}, got {subject!r}"
            ) from None
        return cls(
            to=to,
            sender=s.get("from", "sgz@localhost"),
            host=s.get("host", "localhost"),
            port=int(port),
            subject=subject,
            starttls=_yes("email", "starttls", s.get("starttls", "no")),
            username=s.get("username"),
            password=s.get("password"),
            timeout=_seconds("email", s.get("timeout", "10")),
        )

    def message(self, events: Sequence[object]) -> EmailMessage:
        from email.message import EmailMessage

        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["Subject"] = mask_id_numbers(self.subject.format(count=len(events)))
        msg.set_content("\n".join(event_line(e) for e in events) + "\n")
        return msg

    def notify(self, events: Sequence[object]) -> None:
        if not events:
            return
        import smtplib

        msg = self.message(events)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:  # smtplib's own context would verify no certificate
                    import ssl

                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            raise NotificationError(f"email via {self.host}:{self.port}: {exc}") from None


FACTORIES: dict[str, Callable[[Settings], Notifier]] = {
    "log": LogNotifier.from_settings,
    "webhook": WebhookNotifier.from_settings,
    "email": EmailNotifier.from_settings,
}


@hookimpl
def sgz_register_notifiers(register: Callable[[str, Callable[[Settings], Notifier]], None]) -> None:
    for name, factory in FACTORIES.items():
        register(name, factory)


__all__ = [
    "DEFAULT_SUBJECT",
    "FACTORIES",
    "EmailNotifier",
    "LogNotifier",
    "WebhookNotifier",
    "event_line",
    "event_record",
]
