"""Storage adapters, chosen by URL: ``sqlite:///sgz.db`` (the default), ``memory://``,
``postgresql://…``, ``mysql+pymysql://…``, or any scheme a plugin registers through
``sgz_register_storage``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sgz_core.errors import InvalidInput
from sgz_core.storage import DEFAULT_URL, Storage, scheme_of

Factory = Callable[[str], Storage]


def _factories() -> Mapping[str, Factory]:
    from sgz_adapters.plugins import storage_factories  # not at import: plugins import storage

    return storage_factories()


def open_storage(url: str | None = None, factories: Mapping[str, Factory] | None = None) -> Storage:
    """The storage at ``url`` (default ``sqlite:///sgz.db``), opened by its registered factory.

    ``postgresql+psycopg://`` falls back to the factory of ``postgresql`` when no plugin
    registered the full scheme.
    """
    url = url or DEFAULT_URL
    scheme = scheme_of(url)
    known = _factories() if factories is None else factories
    factory = known.get(scheme) or known.get(scheme.split("+", 1)[0])
    if factory is None:
        raise InvalidInput(
            f"database URL: no storage for {scheme}://; known: {', '.join(sorted(known)) or 'none'}"
            " (a plugin may add more)"
        )
    return factory(url)


__all__ = ["DEFAULT_URL", "open_storage"]
