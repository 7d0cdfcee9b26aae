"""Error rates on hand-worked strings, and why the positional "accuracy" misleads."""

import pytest

from labcore.metrics import (
    char_error_rate,
    levenshtein,
    positional_char_accuracy,
    word_accuracy,
    word_error_rate,
)


def test_levenshtein_on_strings_and_word_lists():
    assert levenshtein("KEVIN", "KEVIN") == 0
    assert levenshtein("KEVIN", "KEVN") == 1  # one deletion
    assert levenshtein("kitten", "sitting") == 3  # the textbook example
    assert levenshtein("", "ABC") == 3
    assert levenshtein("the black cat".split(), "the cat".split()) == 1


def test_cer_of_a_perfect_prediction_is_zero():
    refs = ["KEVIN", "CLOTAIRE", "O'NEIL"]
    assert char_error_rate(refs, refs) == 0.0
    assert word_error_rate(refs, refs) == 0.0
    assert word_accuracy(refs, refs) == 1.0


def test_cer_sums_edits_over_reference_characters():
    assert char_error_rate(["KEVIN"], ["KEVN"]) == pytest.approx(0.2)
    # 1 edit + 2 edits over 5 + 5 characters
    assert char_error_rate(["KEVIN", "MARIE"], ["KEVN", "MAPIEX"]) == pytest.approx(0.3)
    assert word_accuracy(["KEVIN", "MARIE"], ["KEVIN", "MAPIE"]) == 0.5


def test_word_error_rate_counts_words():
    assert word_error_rate(["JEAN PAUL"], ["JEAN PAUL"]) == 0.0
    assert word_error_rate(["JEAN PAUL"], ["JEAN POL"]) == pytest.approx(0.5)


def test_one_insertion_ruins_positional_accuracy_but_not_cer():
    refs, hyps = ["JONATHAN"], ["JJONATHAN"]
    assert char_error_rate(refs, hyps) == pytest.approx(1 / 8)
    assert positional_char_accuracy(refs, hyps) == pytest.approx(1 / 8)  # says 7/8 wrong
    assert positional_char_accuracy(refs, refs) == 1.0


def test_mismatched_lists_raise_one_line():
    with pytest.raises(ValueError, match="as many predictions"):
        char_error_rate(["A", "B"], ["A"])
    with pytest.raises(ValueError, match="lists of strings"):
        char_error_rate("KEVIN", "KEVN")
