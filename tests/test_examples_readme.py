"""The output quoted in ``examples/README.md`` is the real output of the command it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sgz_adapters.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "examples" / "README.md"


def test_the_quoted_check_of_mistakes_toml_is_what_sgz_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(
        r"The output of `sgz (check examples/mistakes\.toml[^`]*)` \(exit\s+status (\d)\):\s*"
        r"```markdown\n(.*?)```",
        text,
        re.S,
    )
    assert found, "examples/README.md no longer quotes the check of mistakes.toml"
    command, status, quoted = found.group(1).split(), int(found.group(2)), found.group(3)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SGZ_LANG", raising=False)
    capsys.readouterr()
    assert main(command) == status
    out, _ = capsys.readouterr()
    assert out.strip() == quoted.strip(), "regenerate the block: sgz " + " ".join(command)
