"""sgz_adapters: the parts of sgz that touch the outside world.

Reading programme and profile files, the ``sgz`` command line, and (later) storage,
notification and report backends registered as plugins.
"""

from __future__ import annotations

__all__: list[str] = []
