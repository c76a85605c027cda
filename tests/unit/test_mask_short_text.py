"""``mask_id_numbers`` returns text shorter than an ID number at once (issue 12): exact, since
neither pattern can match fewer than 18 characters and folding keeps the length."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sgz_adapters import pii

_ALPHABET = (
    "0123456789Xx\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff38\uff58 -_a中"
)


@given(st.text(alphabet=_ALPHABET, max_size=17))
def test_no_span_is_hidden_in_text_shorter_than_an_id_number(text: str) -> None:
    assert pii._hidden_spans(pii.folded(text)) == []
    assert pii.mask_id_numbers(text) == text


@given(st.text(alphabet=_ALPHABET, min_size=18, max_size=40))
def test_longer_text_is_masked_as_before(text: str) -> None:
    flat = pii.folded(text)
    chars = list(text)
    for start, end in pii._hidden_spans(flat):
        chars[start:end] = "*" * (end - start)
    assert pii.mask_id_numbers(text) == "".join(chars)


def test_an_id_number_of_exactly_18_characters_is_still_masked() -> None:
    assert pii.mask_id_numbers("620102194205160246") == "6201**********0246"
