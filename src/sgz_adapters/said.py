"""Errors the command line shows in the user's language (issue 9 §4).

The adapters' own messages (argument checks, "no database at …", plugin failures) carry a
:class:`~sgz_core.text.Text`; ``str()`` of the error stays English, so code and logs that read
it see what they always saw, and :func:`shown` gives the text in ``zh`` or ``en``. Messages from
the loader (an :class:`~sgz_core.errors.InvalidInput`'s key-path problems) are said in Chinese
for ``zh`` where a template of :mod:`sgz_adapters.messages` matches them (key paths and values
unchanged), else in English, and so are the other errors sgz raises on purpose (``no station
'x'; known: …``, ``programme 'p' already exists``); the frame around several of them ("FILE: N
problems:") follows the language too.
"""

from __future__ import annotations

from sgz_adapters.messages import shown_message
from sgz_core.errors import InvalidInput, PluginError, Problem, SgzError
from sgz_core.text import Text


class InvalidArgument(InvalidInput):
    """An argument or input the adapters cannot use, said in Chinese and English."""

    def __init__(self, text: Text, source: str | None = None, path: str = "") -> None:
        self.text = text
        self.path = path
        super().__init__([Problem(path, text.en)], source)

    def with_source(self, source: str) -> InvalidArgument:
        return InvalidArgument(self.text, source, self.path)

    def shown(self, lang: str) -> str:
        body = self.text.get(lang)
        body = f"{self.path}: {body}" if self.path else body
        return f"{self.source}: {body}" if self.source else body


class PluginFailed(PluginError):
    """A plugin's code raised: the one line naming it, in Chinese and English."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)

    def shown(self, lang: str) -> str:
        return self.text.get(lang)


PROBLEMS = Text("{source}共 {n} 个问题：", "{source}{n} problems:")
"""The frame of an :class:`InvalidInput` with several problems."""


def shown(exc: BaseException | str, lang: str | None) -> str:
    """``exc``'s message in ``lang`` (``None``: as ``str()`` gives it, English)."""
    if lang is None or isinstance(exc, str):
        return str(exc)
    if isinstance(exc, InvalidArgument | PluginFailed):
        return exc.shown(lang)
    if isinstance(exc, InvalidInput):
        source = f"{exc.source}: " if exc.source else ""
        problems = [_problem(p, lang) for p in exc.problems]
        if len(problems) == 1:
            return source + problems[0]
        lines = [PROBLEMS.get(lang).format(source=source, n=len(problems))]
        lines += [f"  - {p}" for p in problems]
        return "\n".join(lines)
    if isinstance(exc, SgzError):  # NotFound, AlreadyExists …: translated where a template matches
        return shown_message(str(exc), lang)
    return str(exc)


def _problem(problem: Problem, lang: str) -> str:
    """One problem in ``lang``: its key path as is, its message in the Chinese its raise site
    gave (:func:`sgz_core.text.refusal`), else translated where a template matches
    (:func:`sgz_adapters.messages.shown_message`)."""
    if lang == "zh" and problem.zh is not None:
        return str(Problem(problem.path, problem.zh))
    return str(Problem(problem.path, shown_message(problem.message, lang)))


def say(zh: str, en: str, source: str | None = None, path: str = "") -> InvalidArgument:
    """:class:`InvalidArgument` from the two texts (``raise say("…", "…")``)."""
    return InvalidArgument(Text(zh, en), source, path)


__all__ = ["PROBLEMS", "InvalidArgument", "PluginFailed", "say", "shown"]
