"""Storage adapters, chosen by URL: ``sqlite:///sgz.db`` (the default), ``memory://``,
``postgresql://…``, ``mysql+pymysql://…``, or any scheme a plugin registers through
``sgz_register_storage``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sgz_adapters.storage._urls import redact, redact_text
from sgz_core.errors import InvalidInput, SgzError
from sgz_core.storage import DEFAULT_URL, Storage, scheme_of

Factory = Callable[[str], Storage]


def _factories() -> Mapping[str, Factory]:
    from sgz_adapters.plugins import storage_factories  # not at import: plugins import storage

    return storage_factories()


def open_storage(url: str | None = None, factories: Mapping[str, Factory] | None = None) -> Storage:
    """The storage at ``url`` (default ``sqlite:///sgz.db``), opened by its registered factory.

    ``postgresql+psycopg://`` falls back to the factory of ``postgresql`` when no plugin
    registered the full scheme. A URL that cannot be used (empty, malformed, a bad option, a
    port that is not a number) is :class:`InvalidInput` naming it, its password redacted.
    """
    if url is None:
        url = DEFAULT_URL
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput(f"database URL: expected scheme://…, such as {DEFAULT_URL}, got {url!r}")
    if any(c in url for c in "\x00\r\n\t"):  # urllib drops tabs and line breaks unsaid
        raise InvalidInput(
            f"database URL {redact(url)!r}: expected no NUL, tab or line-break characters"
        )
    scheme = scheme_of(url)
    known = _factories() if factories is None else factories
    factory = known.get(scheme) or known.get(scheme.split("+", 1)[0])
    if factory is None:
        raise InvalidInput(
            f"database URL {redact(url)!r}: no storage for {scheme}://; known: {', '.join(sorted(known)) or 'none'}"
            " (a plugin may add more)"
        )
    try:
        return factory(url)
    except SgzError:
        raise
    except (ValueError, OverflowError) as exc:  # from the URL parser or a driver's own checks
        raise InvalidInput(f"database URL {redact(url)!r}: {redact_text(str(exc))}") from None


__all__ = ["DEFAULT_URL", "open_storage"]
