"""Findings: what a rule says about a programme, a contractor, a station or a station-year."""

from __future__ import annotations

import attrs

from sgz_core.enums import Severity
from sgz_core.text import Text


@attrs.frozen
class Finding:
    """One finding of one rule. ``station``/``year`` are ``None`` where it is not about one."""

    rule: str
    severity: Severity
    station: str | None
    year: int | None
    message: str
    """Chinese message."""
    message_en: str
    """English variant of ``message``."""

    @property
    def says(self) -> Text:
        """``message`` and ``message_en`` as one bilingual :class:`~sgz_core.text.Text`."""
        return Text(self.message, self.message_en)

    def text(self, lang: str = "zh") -> str:
        return self.message if lang == "zh" else self.message_en


def summarise(findings: list[Finding]) -> dict[str, int]:
    """Counts by severity, every severity present (``{"error": 0, ...}``)."""
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        counts[f.severity.value] += 1
    return counts


__all__ = [
    "Finding",
    "summarise",
]
