"""Reading programme and profile files from disk, and resolving a programme's profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from sgz_adapters import plugins
from sgz_core import profiles
from sgz_core.errors import InvalidInput, NotFound, Problem
from sgz_core.model import Programme
from sgz_core.profiles import Profile
from sgz_core.programme_file import from_dict, parse_toml


def read_text(path: Path) -> str:
    """The file's text, or :class:`InvalidInput` that names the file and the reason."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput("file not found", str(path)) from None
    except IsADirectoryError:
        raise InvalidInput("expected a file, got a directory", str(path)) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"expected UTF-8 text ({exc.reason} at byte {exc.start})", str(path)
        ) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read the file ({exc.strerror})", str(path)) from None


def read_toml(path: Path) -> dict[str, Any]:
    return parse_toml(read_text(path), str(path))


def load_profile(ref: str, base_dir: Path | None = None) -> Profile:
    """A built-in profile by id (sgz's or a plugin's), or a profile TOML by path (relative to
    ``base_dir``)."""
    known = plugins.builtin_profiles()
    if ref in known:
        return known[ref]
    path = Path(ref)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.suffix and not path.exists():
        raise NotFound("profile", ref, sorted(known))
    data = read_toml(path)
    return profiles.from_dict(data, str(path), resolve=lambda r: load_profile(r, path.parent))


@attrs.frozen
class Loaded:
    """A programme read from a file, with the profile it names."""

    path: Path
    programme: Programme
    profile: Profile


def load_programme(path: str | Path) -> Loaded:
    """Read, check and resolve a programme file. Bad input raises :class:`InvalidInput`."""
    path = Path(path)
    programme = from_dict(read_toml(path), str(path))
    try:
        profile = load_profile(programme.profile, path.parent)
    except NotFound as exc:
        raise InvalidInput(
            [
                Problem(
                    "programme.profile", f"expected a built-in profile id or a profile file: {exc}"
                )
            ],
            str(path),
        ) from None
    return Loaded(path, programme, profile)
