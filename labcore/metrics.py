"""How wrong is a transcription? Character and word error rates, and a figure to distrust.

The character error rate (CER) counts the fewest single-character insertions, deletions and
substitutions that turn the prediction into the truth (the Levenshtein distance), summed over the
data set and divided by the number of true characters. The word error rate (WER) does the same
with words as the symbols. Both can exceed 1 (a prediction full of extra characters).

Several popular Kaggle notebooks on the handwritten-names data report a "correct characters"
percentage that compares the two strings *position by position*. ``positional_char_accuracy``
reproduces it so the tutorial can show why it misleads: one extra character at the start shifts
every later character out of place.

    >>> refs, hyps = ["JONATHAN"], ["JJONATHAN"]  # one extra J, nothing else wrong
    >>> char_error_rate(refs, hyps), positional_char_accuracy(refs, hyps)
    (0.125, 0.125)

The CER says 1 character in 8 is wrong; the positional figure says only 1 in 8 is right.
"""

from __future__ import annotations

from collections.abc import Sequence


def levenshtein(a: Sequence, b: Sequence) -> int:
    """Fewest insertions, deletions and substitutions turning ``a`` into ``b`` (strings or lists).

    >>> levenshtein("KEVIN", "KEVN"), levenshtein("the cat".split(), "a cat".split())
    (1, 1)
    """
    prev = list(range(len(b) + 1))  # distances from a[:0] to every prefix of b
    for i, x in enumerate(a, start=1):
        cur = [i]
        for j, y in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _check_pairs(refs: Sequence[str], hyps: Sequence[str], where: str) -> None:
    if isinstance(refs, str) or isinstance(hyps, str):
        raise ValueError(f"{where}: expected lists of strings, got a single string")
    if len(refs) != len(hyps):
        raise ValueError(
            f"{where}: expected as many predictions as references, got {len(hyps)} and {len(refs)}"
        )


def char_error_rate(refs: Sequence[str], hyps: Sequence[str]) -> float:
    """Sum of character edits / sum of reference lengths (0 = perfect)."""
    _check_pairs(refs, hyps, "char_error_rate")
    total = sum(len(r) for r in refs)
    if total == 0:
        raise ValueError("char_error_rate: expected references with at least one character")
    return sum(levenshtein(r, h) for r, h in zip(refs, hyps, strict=True)) / total


def char_error_rate_se(
    refs: Sequence[str], hyps: Sequence[str], resamples: int = 1000, seed: int = 0
) -> float:
    """Bootstrap standard error of :func:`char_error_rate`: resample the (reference, prediction)
    pairs with replacement and take the spread of the CER over the draws. How far another set of
    as many lines could move the CER."""
    import numpy as np

    _check_pairs(refs, hyps, "char_error_rate_se")
    edits = np.array([levenshtein(r, h) for r, h in zip(refs, hyps, strict=True)], float)
    chars = np.array([len(r) for r in refs], float)
    idx = np.random.default_rng(seed).integers(0, len(refs), (resamples, len(refs)))
    return float(np.std(edits[idx].sum(1) / np.maximum(chars[idx].sum(1), 1)))


def word_error_rate(refs: Sequence[str], hyps: Sequence[str]) -> float:
    """Sum of word edits / sum of reference word counts (words split on whitespace)."""
    _check_pairs(refs, hyps, "word_error_rate")
    total = sum(len(r.split()) for r in refs)
    if total == 0:
        raise ValueError("word_error_rate: expected references with at least one word")
    edits = sum(levenshtein(r.split(), h.split()) for r, h in zip(refs, hyps, strict=True))
    return edits / total


def word_accuracy(refs: Sequence[str], hyps: Sequence[str]) -> float:
    """Share of predictions that equal their reference exactly."""
    _check_pairs(refs, hyps, "word_accuracy")
    if not refs:
        raise ValueError("word_accuracy: expected at least one reference")
    return sum(r == h for r, h in zip(refs, hyps, strict=True)) / len(refs)


def positional_char_accuracy(refs: Sequence[str], hyps: Sequence[str]) -> float:
    """Share of reference characters matched *at the same position* (the Kaggle "correct chars").

    Misleading: "JONATHAN" read as "JJONATHAN" is one edit away (CER 1/8), yet only the first "J"
    sits at its position, so this figure is 1/8: it calls 7 of 8 characters wrong. A deletion does
    the same; only substitutions are counted fairly.
    """
    _check_pairs(refs, hyps, "positional_char_accuracy")
    total = sum(len(r) for r in refs)
    if total == 0:
        raise ValueError("positional_char_accuracy: expected references with characters")
    hits = sum(a == b for r, h in zip(refs, hyps, strict=True) for a, b in zip(r, h, strict=False))
    return hits / total
