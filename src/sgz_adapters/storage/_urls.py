"""Database URLs in messages: the password never shown, whatever the URL looks like."""

from __future__ import annotations

import re
import urllib.parse

_CREDENTIALS = re.compile(r"(://[^/?#@:]*):[^/?#@]*@")
_IN_TEXT = re.compile(r"(^|[\s'\"/])([^\s'\"/?#@:]*):[^\s'\"/?#@]*@")


def redact(url: str) -> str:
    """The URL without its password, fit for a message (also when the URL does not parse)."""
    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
    except ValueError:
        return _CREDENTIALS.sub(r"\1:***@", url)
    if password is None:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def redact_text(text: str) -> str:
    """A parser's message about a URL without the password it may quote (``netloc
    'u:secret@host'`` → ``netloc 'u:***@host'``)."""
    return _IN_TEXT.sub(r"\1\2:***@", text)
