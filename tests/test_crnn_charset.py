"""Text <-> labels: the blank is 0, characters are 1..n, and unknown characters are named."""

import numpy as np
import pytest

from crnn.data import DIGITS_CHARSET, NAMES_CHARSET
from labcore.charset import Charset


def test_names_charset_is_the_kaggle_alphabet_plus_blank():
    cs = Charset(NAMES_CHARSET)
    assert len(cs) == 29 and cs.num_classes == 30
    assert Charset(DIGITS_CHARSET).num_classes == 11


def test_round_trip_and_blank_is_zero():
    cs = Charset(NAMES_CHARSET)
    ids = cs.encode("O'NEIL-SMITH JR")
    assert ids.dtype == np.int32 and ids.min() >= 1 and ids.max() <= len(cs)
    assert cs.decode(ids) == "O'NEIL-SMITH JR"
    assert cs.encode("A").tolist() == [1]  # the first character is 1, not 0


def test_decode_skips_blank_and_padding():
    cs = Charset("ab")
    assert cs.decode([1, 0, 2, 0, -1, -1]) == "ab"


def test_unknown_characters_are_all_named_in_one_line():
    cs = Charset(NAMES_CHARSET)
    with pytest.raises(ValueError) as err:
        cs.encode("Zoë 42")
    msg = str(err.value)
    assert "\n" not in msg
    for c in "oë42":
        assert repr(c) in msg


def test_pad_labels_pads_with_zero():
    cs = Charset(DIGITS_CHARSET)
    labels, lengths = cs.pad_labels(["12", "7", ""], max_len=4)
    assert labels.shape == (3, 4) and labels.dtype == np.int32
    assert labels.tolist() == [[2, 3, 0, 0], [8, 0, 0, 0], [0, 0, 0, 0]]
    assert lengths.tolist() == [2, 1, 0]
    with pytest.raises(ValueError, match="at most 4"):
        cs.pad_labels(["12345"], max_len=4)


def test_duplicate_characters_are_refused():
    with pytest.raises(ValueError, match="distinct"):
        Charset("abca")
