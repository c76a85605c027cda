"""Masking resident ID numbers (GB 11643) in everything sgz writes for people (PII-1).

Notifiers and reporters pass their text through :func:`mask_id_numbers`; a host that logs on its
own can attach :class:`MaskIdNumbers` to a handler so no log line carries an ID number.
"""

from __future__ import annotations

import logging
import re

ID_NUMBER = re.compile(
    r"(?<![0-9])"
    r"(\d{4})"  # shown: province and city of the address code
    r"(\d{2}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"  # hidden: county, birth
    r"(\d{3}[0-9Xx])"  # shown: sequence and check character
    r"(?![0-9])"
)
"""An 18-character resident ID number: 6-digit address, birth date, sequence, check character.

The birth date keeps credit codes (GB 32100), which are also 18 characters, from matching."""


def mask_id_numbers(text: str) -> str:
    """``text`` with each resident ID number masked as ``6201**********123X``."""
    return ID_NUMBER.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)


class MaskIdNumbers(logging.Filter):
    """A logging filter that masks resident ID numbers in every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        masked = mask_id_numbers(record.getMessage())
        if masked != record.getMessage():
            record.msg, record.args = masked, None
        return True
