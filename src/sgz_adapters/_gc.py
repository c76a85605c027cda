"""The cyclic garbage collector paused while a large input is read (issue 12).

Reading a 30,000-station file, a district's payments or a national ledger's counts allocates
millions of objects, none of them garbage and none in a cycle; the collector would walk every
object alive each few hundred allocations (a quarter of the time of some reads, and most of
their growth beyond linear). sgz is a library, so it never calls ``gc.freeze()``, which would
move an embedding program's own objects into the permanent generation too.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside; the collector's state (enabled or not) is restored after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
