"""Masking resident ID numbers (GB 11643) in everything sgz writes for people (PII-1).

Everything the command line prints passes :func:`mask_id_numbers` (through
:mod:`sgz_adapters.output`); notifiers and reporters call it on their text; a host that logs on
its own can attach :class:`MaskIdNumbers` to a handler so no log line carries an ID number.
"""

from __future__ import annotations

import logging
import re

ID_NUMBER = re.compile(
    r"(?<![0-9])"
    r"([0-9]{4})"  # shown: province and city of the address code
    r"([0-9]{2}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"  # hidden
    r"([0-9]{3}[0-9X])"  # shown: sequence and check character
    r"(?![0-9])"
)
"""An 18-character resident ID number: 6-digit address, birth date, sequence, check character.

Matched in :func:`folded` text. The birth date keeps credit codes (GB 32100), which are also 18
characters, from matching; in a longer run of digits, :func:`mask_id_numbers` looks for valid
numbers (check character and all). Letters, CJK characters
and underscores around a number do not hide it (``id_110101199001011234``). The check character
is not verified, so a mistyped number is masked too."""

_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits, as an IME types them
        "x": "X",
        "\uff38": "X",  # full-width X and x
        "\uff58": "X",
    }
)


def folded(text: str) -> str:
    """``text`` with full-width digits and every x as ASCII ``0-9``/``X``: same length, so a
    match in it has the same position in ``text``."""
    return text.translate(_FOLD)


_LONG_RUN = re.compile(r"[0-9X]{19,}")
"""Digits longer than an ID number: two numbers written together, or one after other digits."""


_SEVENTEEN_DIGITS = re.compile("[0-9\uff10-\uff19]{17}")
"""What every hidden span needs: 17 digits in a row, ASCII or full-width (the only characters
:func:`folded` makes digits of). An :data:`ID_NUMBER` match holds 17 and a long-run window
starts with 17, so text without them is returned as it is, unfolded, in one scan: the JSON
of a large check, tens of megabytes, was folded and searched twice over (issue 12)."""


def _hidden_spans(flat: str) -> list[tuple[int, int]]:
    spans = [m.span(2) for m in ID_NUMBER.finditer(flat)]
    for run in _LONG_RUN.finditer(flat):
        from sgz_core.casework import identity  # only for long runs of digits (issue 12)

        # inside a longer run only a window with a valid check character counts, so a long
        # number (a bank account) is rarely touched, but two numbers side by side are masked
        text, at = run[0], run.start()
        for i in range(len(text) - 17):
            window = text[i : i + 18]
            if window[:17].isdigit() and identity.is_valid(window):
                spans.append((at + i + 4, at + i + 14))
    return sorted(spans)


def mask_id_numbers(text: str) -> str:
    """``text`` with each resident ID number masked as ``6201**********123X``.

    Full-width digits (``１１０１…``) and a lower-case ``x`` are read as the same number; the
    characters shown keep the form they had. In a longer run of digits, each 18-digit window
    with a valid birth date and check character is masked too.
    """
    if len(text) < 18:  # shorter than an ID number (``folded`` keeps the length): most strings
        return text
    if not _SEVENTEEN_DIGITS.search(text):  # no ID number, no window of one (issue 12)
        return text
    flat = folded(text)
    spans = _hidden_spans(flat)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "*" * (end - start)
    return "".join(chars)


class MaskIdNumbers(logging.Filter):
    """A logging filter that masks resident ID numbers in every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        masked = mask_id_numbers(record.getMessage())
        if masked != record.getMessage():
            record.msg, record.args = masked, None
        return True


__all__ = ["ID_NUMBER", "MaskIdNumbers", "folded", "mask_id_numbers"]
