"""One bilingual text value: what sgz says to people, in Chinese and in English."""

from __future__ import annotations

from typing import Final

import attrs

from sgz_core.errors import InvalidInput, Problem

LANGS: Final = ("zh", "en")
"""The languages sgz speaks; ``zh`` is the default everywhere."""


def _known(lang: str) -> str:
    if lang not in LANGS:
        raise InvalidInput(f"lang: expected one of {' | '.join(LANGS)}, got {lang!r}")
    return lang


@attrs.frozen
class Text:
    """A message, label or description in Chinese (``zh``) and English (``en``)."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        """The text in ``lang`` (``zh`` or ``en``); another is :class:`~sgz_core.errors.InvalidInput`."""
        return self.zh if _known(lang) == "zh" else self.en

    def __str__(self) -> str:
        return self.zh

    def format(self, **values: object) -> Text:
        """Both languages with ``{name}`` placeholders filled in from ``values``."""
        return Text(self.zh.format(**values), self.en.format(**values))


def refusal(text: Text, path: str = "") -> InvalidInput:
    """:class:`~sgz_core.errors.InvalidInput` about ``path`` that says ``text`` in both
    languages: ``str()`` is English, ``--lang zh`` shows the Chinese as written here."""
    return InvalidInput([Problem(path, text.en, zh=text.zh)])


__all__ = ["LANGS", "Text", "refusal"]
