"""Modules imported on first use, so ``sgz --help`` does not pay for what only a command needs
(issue 12: start-up).

``service = lazy_module("sgz_adapters.service")`` binds a stand-in: the first attribute asked of
it (``service.check``) imports the real module, and every attribute is then read from, written
to and deleted on the real module, so a stand-in holds no state of its own (patching either one
patches both). For type checkers the caller imports the module under ``TYPE_CHECKING``::

    if TYPE_CHECKING:
        from sgz_adapters import service
    else:
        service = lazy_module("sgz_adapters.service")
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class LazyModule(types.ModuleType):
    """A stand-in for the module of the same name, imported when an attribute is first asked for."""

    def _target(self) -> types.ModuleType:
        return importlib.import_module(self.__name__)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._target(), name)

    def __dir__(self) -> list[str]:
        return dir(self._target())

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}>"


def lazy_module(name: str) -> types.ModuleType:
    """The module ``name`` if it is imported already, else a :class:`LazyModule` for it."""
    found = sys.modules.get(name)
    return found if found is not None else LazyModule(name)


__all__ = ["LazyModule", "lazy_module"]
