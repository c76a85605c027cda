"""The plugin hooks of sgz: what a plugin may add to the library, and when sgz asks for it.

Plugins implement these with :data:`hookimpl` (re-exported as ``sgz_core.hookimpl``). Every
hook is documented, with an example, in ``docs/plugin-hooks.md``; the plugin manager lives in
``sgz_adapters.plugins``. Backends register through a callback (llm's ``register_models``):
``sgz_register_storage(register)`` calls ``register("sqlite", factory)``.

Pure: this module only declares; nothing here is called by pluggy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pluggy import HookimplMarker, HookspecMarker

if TYPE_CHECKING:
    import datetime as dt

    from sgz_core.findings import Finding
    from sgz_core.model import Programme
    from sgz_core.ports import NotifierFactory, ReporterFactory
    from sgz_core.profiles import Profile
    from sgz_core.rules import Rule
    from sgz_core.storage import StorageFactory

PROJECT = "sgz"
"""The pluggy project name, which is also the entry-point group plugins declare."""

hookspec = HookspecMarker(PROJECT)
hookimpl = HookimplMarker(PROJECT)


# --- Backends: called when sgz first needs a storage, notifier or reporter ---------------------


@hookspec
def sgz_register_storage(register: Callable[[str, StorageFactory], None]) -> None:
    """Register storage backends: ``register(scheme, factory)``, ``factory(url)`` opens one."""


@hookspec
def sgz_register_notifiers(register: Callable[[str, NotifierFactory], None]) -> None:
    """Register notifiers: ``register(name, factory)``, ``factory(settings)`` makes a Notifier."""


@hookspec
def sgz_register_reporters(register: Callable[[str, ReporterFactory], None]) -> None:
    """Register reporters: ``register(name, factory)``, ``factory(settings)`` makes a Reporter."""


# --- Domain: called when sgz lists rules or resolves a profile id -----------------------------


@hookspec
def sgz_register_rules(register: Callable[[Rule], None]) -> None:
    """Add rules (``sgz_core.rules.Rule`` values) to those every check runs; ids must be new."""


@hookspec
def sgz_register_profiles(register: Callable[[Profile], None]) -> None:
    """Add built-in policy profiles, found by ``profile.id`` like ``lanzhou-chengguan``."""


# --- Command line: called when the ``sgz`` command builds its parser ---------------------------


@hookspec
def sgz_register_commands(register: Callable[..., None]) -> None:
    """Add ``sgz`` subcommands: ``register(name, help, add_arguments, run)`` for each."""


# --- Running: called once per check of a programme ---------------------------------------------


@hookspec(firstresult=True)
def sgz_check(
    programme: Programme, profile: Profile, as_of: dt.date, rules: Sequence[Rule]
) -> list[Finding]:
    """Run ``rules`` over ``programme`` and return the findings; wrap it with ``wrapper=True``."""
    raise NotImplementedError  # a specification: pluggy never calls its body


__all__ = [
    "PROJECT",
    "hookimpl",
    "hookspec",
    "sgz_check",
    "sgz_register_commands",
    "sgz_register_notifiers",
    "sgz_register_profiles",
    "sgz_register_reporters",
    "sgz_register_rules",
    "sgz_register_storage",
]
