"""The hostile corpus again, every refused case in Chinese (issue 9 §4).

``test_hostile_corpus`` runs each case in the language its expected text is written in; here
every case that is refused (exit status 2) runs under ``--lang zh`` as well, and each line of
its message must have Chinese text and no English sentence left (file names, key paths, values
and the ``sgz: error:`` prefix stay as they are).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_hostile_corpus import CASES, HERE, _argv, _env, places

from sgz_adapters.messages import english_left

__all__ = ["places"]  # the corpus's fixture, used here too

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PREFIX = re.compile(r"^sgz(?: [a-z-]+)*: (?:error|warning): ")
REFUSED = [c for c in CASES if c.status == (2,) and not c.alone]


@pytest.fixture(scope="module")
def batch_zh(places: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("results-zh") / "results.json"
    proc = subprocess.run(
        [sys.executable, str(HERE / "runner.py"), str(out)],
        input=json.dumps([["zh", _argv(c, places)] for c in REFUSED]),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(Path(out).read_text(encoding="utf-8"))
    return dict(zip((c.id for c in REFUSED), results, strict=True))


def _untranslated(stderr: str, places: dict[str, str]) -> list[str]:
    left = []
    for line in stderr.splitlines():
        usage = line.startswith("用法：") or line.startswith(" ")  # options, not messages
        if usage and not line.startswith("  - "):
            continue
        text = PREFIX.sub("", line)
        for place in places.values():
            text = text.replace(place, "")
        text = re.sub(r"[!-~]*/[!-~]*", "", text)  # file names and URLs (ASCII, no spaces)
        if not CJK.search(text):
            left.append(line)
        left += english_left(text)
    return left


def test_the_corpus_refuses_in_chinese_too() -> None:
    assert len(REFUSED) > 60


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_every_refusal_is_chinese(
    case: Any, places: dict[str, str], batch_zh: dict[str, Any]
) -> None:
    result = batch_zh[case.id]
    assert result["status"] == 2, result
    assert "Traceback" not in result["stderr"]
    assert not _untranslated(result["stderr"], places), result["stderr"]


def test_an_english_line_is_caught() -> None:
    assert _untranslated("sgz: error: x.toml: expected a thing\n", {}) != []
    assert _untranslated("sgz: error: x.toml: 应为表\n", {}) == []
