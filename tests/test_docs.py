"""The docs stay true: links resolve, the catalogue and the key list match the code, the site builds.

The Python blocks of README.md and docs/*.md are run by the Sybil hook in the root conftest.py.
"""

from __future__ import annotations

import enum
import re
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from sgz_core.model import Programme
from sgz_core.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
CODE_MD = re.compile(r"`([\w./-]+\.md)`")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _prose(page: Path) -> str:
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def _anchors(page: Path) -> set[str]:
    from markdown.extensions.toc import slugify  # as mkdocs makes heading ids

    text = _prose(page)
    found = {slugify(h.strip(), "-") for h in re.findall(r"^#+\s+(.*)$", text, re.M)}
    found |= set(re.findall(r'<a id="([^"]+)"', text))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in LINK.findall(_prose(page)):
        if re.match(r"^[a-z]+:", target):
            continue  # http:, https:, mailto:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {file}")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{target}: no heading or anchor #{anchor} in {file.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_named_in_code_spans_exist(page: Path) -> None:
    missing = [
        name
        for name in CODE_MD.findall(_prose(page))
        if not any((base / name).exists() for base in (page.parent, ROOT, DOCS))
    ]
    assert not missing, f"{page.name} names files the repository does not have: {missing}"


def test_every_registered_rule_is_in_the_catalogue() -> None:
    page = (DOCS / "requirements.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| ([A-Z]+-\d+) \|.*$", page, re.M)}
    problems = []
    for r in all_rules():
        row = rows.get(r.id)
        where = f"`{r.check.__module__}.{r.check.__name__}`"
        if row is None:
            problems.append(f"{r.id} has no row")
        elif f"`{r.clause}`" not in row or where not in row:
            problems.append(f"{r.id}'s row lacks its clause `{r.clause}` or {where}")
    assert not problems, "docs/requirements.md: " + "; ".join(problems)


def test_the_catalogue_lists_no_rule_that_does_not_exist() -> None:
    page = (DOCS / "requirements.md").read_text(encoding="utf-8")
    checked = page.split("## Requirements met without a rule")[0]
    listed = set(re.findall(r"^\| ([A-Z]+-\d+) \|", checked, re.M))
    assert listed == {r.id for r in all_rules()}


def _keys(cls: type, prefix: str) -> Iterator[str]:
    hints = typing.get_type_hints(cls)
    for f in attrs.fields(cls):
        t = hints[f.name]
        origin, args = typing.get_origin(t), typing.get_args(t)
        if origin is tuple:
            inner, many = args[0], True
        elif origin in (typing.Union, types.UnionType):
            inner, many = next(a for a in args if a is not type(None)), False
        else:
            inner, many = t, False
        path = prefix + f.name + ("[]" if many and attrs.has(inner) else "")
        yield path
        if attrs.has(inner):
            yield from _keys(inner, path + ".")


def _programme_keys() -> set[str]:
    from sgz_core.programme_file import PAYMENT_KEYS

    top = {"id", "name", "start", "profile"}  # the [programme] table
    keys = {f"programme.{k}" if k in top else k for k in _keys(Programme, "")}
    # [[payments]] are not part of the Programme value: the loader returns them beside it
    return keys | {"payments[]"} | {f"payments[].{k}" for k in PAYMENT_KEYS}


def test_programme_file_page_lists_every_key_the_loader_accepts() -> None:
    page = (DOCS / "programme-file.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w.\[\]]+)` \|", page, re.M))
    expected = _programme_keys()
    assert not expected - listed, f"keys missing from docs/programme-file.md: {expected - listed}"
    assert not listed - expected, f"keys the loader does not know: {listed - expected}"


def test_programme_file_page_lists_the_enumeration_values() -> None:
    page = (DOCS / "programme-file.md").read_text(encoding="utf-8")
    from sgz_core import enums

    for name in ("StaffRole", "Qualification", "FundingSource", "EvaluationKind", "Outcome"):
        members = getattr(enums, name)
        assert issubclass(members, enum.Enum)
        for member in members:
            assert f"`{member.value}`" in page, f"{name}.{member.name} not on the page"


def _nav_pages(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)


def test_mkdocs_nav_covers_every_page() -> None:
    import yaml  # comes with mkdocs (the dev and test extras)

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = set(_nav_pages(config["nav"]))
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages - in_nav == set(), "pages missing from mkdocs.yml nav"
    assert in_nav - pages == set(), "nav names pages that do not exist"


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "api" / "index.html").exists()


def _docs_sybil() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("sgz_root_conftest", ROOT / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _evaluate(page: Path) -> None:
    from sybil import Sybil

    conf = _docs_sybil()
    sybil = Sybil(parsers=[conf.DocsPythonParser()], path=str(page.parent))  # type: ignore[attr-defined]
    for example in sybil.parse(page):
        example.evaluate()


def test_a_fragment_is_compiled_not_run(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n<!-- fragment -->\n```python\nraise SystemExit('ran')\n```\n", encoding="utf-8"
    )
    _evaluate(page)  # compiled only: nothing raised


def test_a_block_without_the_marker_runs(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Text.\n\n```python\nraise ValueError('ran')\n```\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ran"):
        _evaluate(page)


def test_a_fragment_must_still_be_python(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- fragment -->\n```python\ndef broken(:\n```\n", encoding="utf-8")
    with pytest.raises(SyntaxError):
        _evaluate(page)


# Public modules the API reference leaves out, on purpose (docs/api.md says why).
NOT_IN_THE_API_REFERENCE = re.compile(
    r"^sgz_core\.rules\.\w+$|^sgz_core\.testing\.strategies\.\w+$|^sgz_core\.tabular$"
    r"|^sgz_adapters\.(cli_args|casework_cli|storage_cli|plan_cli|audit_cli|default_check)$"
)


def test_api_reference_covers_every_public_module() -> None:
    import pkgutil

    import sgz_adapters
    import sgz_core

    public = set()
    for package in (sgz_core, sgz_adapters):
        public.add(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                public.add(info.name)
    listed = set(re.findall(r"^::: ([\w.]+)$", (DOCS / "api.md").read_text(encoding="utf-8"), re.M))
    wanted = {m for m in public if not NOT_IN_THE_API_REFERENCE.match(m)}
    assert wanted - listed == set(), "public modules missing from docs/api.md"
    assert listed - public == set(), "docs/api.md names modules that do not exist"
