"""The ports sgz talks to the outside world through: ``Storage``, ``Notifier`` and ``Reporter``.

Small and named for the domain (cosmicpython's ports and adapters). The core only declares them;
``sgz_adapters`` and plugins implement them and register factories through the hooks in
:mod:`sgz_core.hookspecs`. ``Storage`` and its factory live in :mod:`sgz_core.storage` and are
re-exported here so a plugin author finds all three in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeGuard, runtime_checkable

import attrs

from sgz_core.disbursement import Tranche
from sgz_core.findings import Finding
from sgz_core.storage import Storage, StorageFactory

Settings = Mapping[str, str]
"""What a notifier or reporter factory is made from: names to text values, passed in by the host
(a command-line option, a configuration file); never read from the environment by the core."""


@runtime_checkable
class Notifier(Protocol):
    """Tells people or systems about domain events (``TrancheReleased``, findings …).

    Domain operations return events; a thin service layer hands them to notifiers. A notifier
    masks resident ID numbers (PII-1) and raises ``NotificationError`` when delivery fails.
    """

    def notify(self, events: Sequence[object]) -> None:
        """Deliver ``events`` (attrs values such as ``TrancheReleased`` or ``Finding``), in order."""
        ...


@attrs.frozen
class Report:
    """What a reporter renders: one programme's findings and disbursement schedule on a day."""

    programme: str
    title: str
    as_of: dt.date
    findings: tuple[Finding, ...] = ()
    tranches: tuple[Tranche, ...] = ()


@runtime_checkable
class Reporter(Protocol):
    """Renders a :class:`Report` as a document (JSON, Markdown, a spreadsheet …).

    That is all a reporter must do; the command line then uses it for ``check`` and
    ``schedule`` (their results converted with ``.report()``). A reporter that also has
    :class:`ResultReporter`'s ``kinds`` renders the result values of the commands it names.
    """

    @property
    def media_type(self) -> str:
        """The document's media type, e.g. ``application/json``."""
        ...

    @property
    def suffix(self) -> str:
        """The file-name suffix for the document, e.g. ``.json``."""
        ...

    def render(self, report: Report) -> bytes:
        """The document as bytes (text reporters encode UTF-8); resident IDs masked (PII-1)."""
        ...


@runtime_checkable
class ResultReporter(Reporter, Protocol):
    """A reporter that renders the result values of ``sgz_core.results`` itself.

    ``kinds`` names the result kinds it renders (``"check"``, ``"stats"`` …, see
    :data:`sgz_core.results.KINDS`); ``render`` then receives such a value (or a
    :class:`Report`) with the language and, for a terminal, its width in columns.
    """

    @property
    def kinds(self) -> frozenset[str]:
        """The result kinds this reporter renders, e.g. ``frozenset({"check", "stats"})``."""
        ...

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        """The document for ``report`` (a result value or a :class:`Report`) in ``lang``."""
        ...


def renders(reporter: Reporter, kind: str) -> TypeGuard[ResultReporter]:
    """Whether ``reporter`` renders results of ``kind`` itself (not only as a Report)."""
    return kind in (getattr(reporter, "kinds", None) or ())


NotifierFactory = Callable[[Settings], Notifier]
"""Makes a notifier from its settings; what ``sgz_register_notifiers`` registers."""

ReporterFactory = Callable[[Settings], Reporter]
"""Makes a reporter from its settings; what ``sgz_register_reporters`` registers."""

__all__ = [
    "Notifier",
    "NotifierFactory",
    "Report",
    "Reporter",
    "ReporterFactory",
    "ResultReporter",
    "Settings",
    "Storage",
    "StorageFactory",
    "renders",
]
