"""Reading programme and profile files from disk, and resolving a programme's profile."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from pathlib import Path
from typing import Any

import attrs

from sgz_adapters import _gc, plugins
from sgz_core import profiles
from sgz_core.errors import InvalidInput, NotFound, Problem, ProfileError
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.profiles import Profile
from sgz_core.programme_file import parse_toml, with_payments

MAX_PROGRAMME_BYTES = 256 * 2**20
"""The largest programme file read (256 MiB): beyond it a file is refused before it is read."""
MAX_PROFILE_BYTES = 4 * 2**20
"""The largest profile file read (4 MiB; the built-in profile as TOML is about 10 KiB)."""
LARGE_PROGRAMME_BYTES = 4 * 2**20
"""From this size (4 MiB, about 1,300 stations) :func:`load_programme` pauses the cyclic garbage
collector while it parses and structures the file (issue 12); it never calls ``gc.freeze()``,
which would freeze an embedding program's own objects too."""
MAX_EXTENDS_DEPTH = 16
"""How many profiles an ``extends`` chain may pass through."""

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _name(path: str | os.PathLike[str]) -> str:
    return str(path).replace("\0", "\\0")


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 and n % 2**20 == 0 else f"{n} bytes"


def _checked_path(path: str | os.PathLike[str]) -> Path:
    if "\0" in str(path):
        raise InvalidInput("expected a file name without a NUL character", _name(path))
    if not str(path):
        raise InvalidInput("expected a file name, got an empty one")
    return Path(path)


def _exists(path: Path) -> bool:
    try:
        os.stat(path)
    except (OSError, ValueError):  # not found, and also: a name too long, a NUL byte
        return False
    return True


def read_text(path: Path, limit: int = MAX_PROGRAMME_BYTES) -> str:
    """The text of the regular file at ``path`` (UTF-8, a byte order mark is dropped), or
    :class:`InvalidInput` that names the file and the reason. Directories, FIFOs, devices and
    files over ``limit`` bytes are refused without being read, so nothing can hang."""
    path = _checked_path(path)
    name = _name(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InvalidInput("file not found", name) from None
    except IsADirectoryError:
        raise InvalidInput("expected a file, got a directory", name) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read the file ({exc.strerror})", name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput("expected a file, got a directory", name)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput("expected a regular file, got a device, FIFO or socket", name)
        if info.st_size > limit:
            raise InvalidInput(
                f"expected a file of at most {_size(limit)}, got {info.st_size} bytes", name
            )
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read the file ({exc.strerror})", name) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise InvalidInput(f"expected a file of at most {_size(limit)}", name)
    if data.startswith(_UTF16_BOMS):
        raise InvalidInput("expected UTF-8 text, got UTF-16 (save the file as UTF-8)", name)
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"expected UTF-8 text ({exc.reason} at byte {exc.start + skipped})", name
        ) from None


def read_toml(path: Path, limit: int = MAX_PROGRAMME_BYTES) -> dict[str, Any]:
    return parse_toml(read_text(path, limit), _name(path))


def load_profile(
    ref: str, base_dir: Path | None = None, *, _chain: tuple[tuple[str, str], ...] = ()
) -> Profile:
    """A built-in profile by id (sgz's or a plugin's), or a profile TOML by path (relative to
    ``base_dir``). An ``extends`` chain that loops, or passes through more than
    :data:`MAX_EXTENDS_DEPTH` files, is a :class:`ProfileError` naming the chain."""
    known = plugins.builtin_profiles()
    if ref in known:
        return known[ref]
    if not ref or "\0" in ref:  # no file has such a name (and the OS would refuse it)
        raise NotFound("profile", ref, sorted(known))
    path = Path(ref)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.suffix and not _exists(path):
        raise NotFound("profile", ref, sorted(known))
    key = os.path.realpath(path)
    seen = [k for k, _ in _chain]
    if key in seen or len(_chain) >= MAX_EXTENDS_DEPTH:
        shown = " → ".join([*(shown for _, shown in _chain), _name(path)])
        what = "loops" if key in seen else f"passes through more than {MAX_EXTENDS_DEPTH} files"
        raise ProfileError(f"the extends chain {what}: {shown}")
    data = read_toml(path, MAX_PROFILE_BYTES)
    chain = (*_chain, (key, _name(path)))
    return profiles.from_dict(
        data, _name(path), resolve=lambda r: load_profile(r, path.parent, _chain=chain)
    )


@attrs.frozen
class Loaded:
    """A programme read from a file, with the profile it names."""

    path: Path
    programme: Programme
    profile: Profile
    payments: tuple[Payment, ...] = ()
    """The file's recorded payments (``[[payments]]``, as ``sgz export`` writes them)."""


def load_programme(path: str | os.PathLike[str]) -> Loaded:
    """Read, check and resolve a programme file. Bad input raises :class:`InvalidInput`."""
    path = _checked_path(path)
    text = read_text(path)
    large = len(text) >= LARGE_PROGRAMME_BYTES
    with _gc.paused() if large else contextlib.nullcontext():
        programme, payments = with_payments(parse_toml(text, _name(path)), _name(path))
        del text
    # No gc.freeze() here: this is a library function, and freezing would move an embedding
    # program's own objects into the permanent generation too.
    try:
        profile = load_profile(programme.profile, path.parent)
    except NotFound as exc:
        raise InvalidInput(
            [
                Problem(
                    "programme.profile", f"expected a built-in profile id or a profile file: {exc}"
                )
            ],
            _name(path),
        ) from None
    except InvalidInput as exc:  # the profile file's own problems, with its name and key paths
        raise InvalidInput([Problem("programme.profile", str(exc))], _name(path)) from None
    return Loaded(path, programme, profile, payments)


__all__ = [
    "MAX_EXTENDS_DEPTH",
    "MAX_PROFILE_BYTES",
    "MAX_PROGRAMME_BYTES",
    "Loaded",
    "load_profile",
    "load_programme",
    "read_text",
    "read_toml",
]
