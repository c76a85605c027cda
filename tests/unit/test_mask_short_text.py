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


_RUNS = st.lists(
    st.one_of(
        st.text(alphabet=_ALPHABET, max_size=6),
        st.text(alphabet="0123456789\uff10\uff11\uff19", min_size=14, max_size=22),
        st.sampled_from(
            ["620102194205160246", "62010219460130028x", "６２０１０２１９４２０５１６０２４６"]
        ),
    ),
    max_size=6,
).map("".join)


@given(_RUNS)
def test_text_without_seventeen_digits_in_a_row_has_nothing_to_hide(text: str) -> None:
    """The one-scan shortcut: spans need 17 digits in a row; the result is as if it folded and
    searched the text (with and without such runs)."""
    flat = pii.folded(text)
    spans = pii._hidden_spans(flat)
    if not pii._SEVENTEEN_DIGITS.search(text):
        assert spans == []
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "*" * (end - start)
    assert pii.mask_id_numbers(text) == "".join(chars)
