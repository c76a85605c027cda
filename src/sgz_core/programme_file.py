"""The programme file: TOML text ⇄ :class:`~sgz_core.model.Programme` (no file I/O here).

Callers read the file and pass its text with the file name, which every error then names.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import tomli_w

from sgz_core._convert import structure, unstructure
from sgz_core.casework.references import casework_problems
from sgz_core.errors import InvalidInput, Problem
from sgz_core.model import Programme

HEADER_KEYS = ("id", "name", "profile", "start")
TOP_LEVEL_KEYS = (
    "programme",
    "contractors",
    "stations",
    # casework and the service ledger (docs/casework.md)
    "beneficiaries",
    "cases",
    "records",
    "referrals",
    "organisations",
    "volunteer_teams",
    "resources",
    "meetings",
    "trainings",
    "publicity",
)
SECTION_KEYS = TOP_LEVEL_KEYS[1:]
"""The top-level keys other than the ``[programme]`` header: lists of tables."""


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML text as a dict, with decimals as ``Decimal``; a syntax error is :class:`InvalidInput`."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput([Problem("", f"not valid TOML: {exc}")], source) from None


def loads(text: str, source: str = "<string>") -> Programme:
    """A programme from the text of a programme file."""
    return from_dict(parse_toml(text, source), source)


def from_dict(data: object, source: str = "<data>") -> Programme:
    """A programme from parsed TOML: checks shape, types, enumerations and references."""
    if not isinstance(data, dict):
        raise InvalidInput("expected a table at the top of the file", source)
    problems = [
        Problem(key, f"unknown key; expected one of {', '.join(TOP_LEVEL_KEYS)}")
        for key in data
        if key not in TOP_LEVEL_KEYS
    ]
    header = data.get("programme")
    if header is None:
        problems.append(Problem("programme", "missing required table [programme]"))
    elif not isinstance(header, dict):
        problems.append(Problem("programme", "expected a table [programme]"))
    if problems:
        raise InvalidInput(problems, source)
    assert isinstance(header, dict)
    flat = {k: v for k, v in data.items() if k != "programme"}
    overlap = [k for k in header if k in SECTION_KEYS]
    if overlap:
        raise InvalidInput(
            [
                Problem(f"programme.{k}", f"unknown key; expected one of {', '.join(HEADER_KEYS)}")
                for k in overlap
            ],
            source,
        )
    flat.update(header)
    try:
        programme: Programme = structure(flat, Programme)
    except InvalidInput as exc:
        raise InvalidInput([_header_path(p) for p in exc.problems], source) from None
    problems = list(reference_problems(programme))
    if problems:
        raise InvalidInput(problems, source)
    return programme


def _header_path(problem: Problem) -> Problem:
    head = problem.path.split(".", 1)[0].split("[", 1)[0]
    if head in SECTION_KEYS:
        return problem
    message = problem.message
    if message.startswith("unknown key"):
        message = f"unknown key; expected one of {', '.join(HEADER_KEYS)}"
    return Problem(f"programme.{problem.path}" if problem.path else "programme", message)


def _duplicates(values: Iterable[Any]) -> list[tuple[int, Any]]:
    seen: set[Any] = set()
    out = []
    for i, v in enumerate(values):
        if v in seen:
            out.append((i, v))
        seen.add(v)
    return out


def reference_problems(programme: Programme) -> Iterable[Problem]:
    """Ids that repeat and references to things that do not exist."""
    for i, cid in _duplicates(c.id for c in programme.contractors):
        yield Problem(f"contractors[{i}].id", f"duplicate contractor id {cid!r}")
    for i, sid in _duplicates(s.id for s in programme.stations):
        yield Problem(f"stations[{i}].id", f"duplicate station id {sid!r}")
    contractor_ids = {c.id for c in programme.contractors}
    known = ", ".join(sorted(contractor_ids)) or "(no contractors defined)"
    for i, station in enumerate(programme.stations):
        if station.contractor not in contractor_ids:
            yield Problem(
                f"stations[{i}].contractor",
                f"unknown contractor {station.contractor!r}; expected one of {known}",
            )
        for j, member in enumerate(station.staff):
            if member.employer not in contractor_ids:
                yield Problem(
                    f"stations[{i}].staff[{j}].employer",
                    f"unknown contractor {member.employer!r}; expected one of {known}",
                )
        for j, number in _duplicates(y.year for y in station.years):
            yield Problem(f"stations[{i}].years[{j}].year", f"duplicate contract year {number}")
    yield from casework_problems(programme)


def to_dict(programme: Programme) -> dict[str, Any]:
    """The programme as plain data in the layout of the programme file."""
    flat = unstructure(programme)
    header = {k: flat.pop(k) for k in HEADER_KEYS if k in flat}
    return {"programme": header, **flat}


def dumps(programme: Programme) -> str:
    """The programme as programme-file TOML; ``loads(dumps(p)) == p``."""
    return tomli_w.dumps(to_dict(programme))


__all__ = [
    "HEADER_KEYS",
    "SECTION_KEYS",
    "TOP_LEVEL_KEYS",
    "dumps",
    "from_dict",
    "loads",
    "parse_toml",
    "reference_problems",
    "to_dict",
]
