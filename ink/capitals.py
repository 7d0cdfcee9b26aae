"""Other ways to write a capital: the hand-printed forms that the Hershey fonts lack.

The two print fonts the names writers use (``futural``, ``rowmans``) draw every capital the
same way, so a recognizer trained on them knows one A, one M, one I. People filling in a form
do not: many write an A with a flat or round top, an M like a tall ``m`` or with its V stopping
halfway or higher, an I with bars (serifs) or as a dotted lowercase i, a J with a bar on top or to
its left only. Read letter by letter, the shipped CRNN got none of the 13 real M's of the
Kaggle sample right, nor any of its 5 J's or 6 K's, and it read I as E or T (see
``docs/experiments.md``).

:data:`VARIANTS` holds those forms as :class:`ink.hershey.Glyph` objects in the fonts' frame
(x-height units, baseline ``y = 0``, capitals 2.33 high, y up), drawn in the order a hand draws
them. :func:`pick_variants` gives each names writer its own habits: for each of these letters,
the font's form or one of the variants, kept for all the writer's lines.

    >>> sorted(VARIANTS)
    ['A', 'I', 'J', 'K', 'M']
"""

from __future__ import annotations

import numpy as np

from ink.hershey import Glyph

CAP = 2.33  # height of a capital in x-heights, as in the Hershey fonts
FONT_SHARE = 0.4  # share of writers who keep the font's form of a letter


def _glyph(char: str, advance: float, *strokes) -> Glyph:
    return Glyph(char, tuple(np.array(s, float) for s in strokes), advance)


VARIANTS: dict[str, tuple[Glyph, ...]] = {
    "A": (
        # a round top, like an upside-down U with a bar
        _glyph(
            "A",
            2.0,
            [
                (0.15, 0),
                (0.3, 1.6),
                (0.5, 2.1),
                (0.75, 2.3),
                (1.0, CAP),
                (1.25, 2.3),
                (1.5, 2.1),
                (1.7, 1.6),
                (1.85, 0),
            ],
            [(0.3, 0.9), (1.7, 0.9)],
        ),
        # a flat top
        _glyph("A", 2.0, [(0.15, 0), (0.5, CAP), (1.5, CAP), (1.85, 0)], [(0.3, 1.0), (1.7, 1.0)]),
    ),
    "M": (
        # a tall m: three stems under a flat top
        _glyph(
            "M",
            2.7,
            [(0.3, 0), (0.3, CAP), (1.35, CAP), (1.35, 0.2)],
            [(1.35, CAP), (2.4, CAP), (2.4, 0)],
        ),
        # the V stops halfway, in one stroke
        _glyph("M", 2.67, [(0.44, 0), (0.44, CAP), (1.33, 1.0), (2.22, CAP), (2.22, 0)]),
        # splayed legs
        _glyph("M", 2.9, [(0.2, 0), (0.6, CAP), (1.45, 0.7), (2.3, CAP), (2.7, 0)]),
        # a shallow V between straight legs: almost an H without its bar
        _glyph("M", 2.4, [(0.35, 0), (0.35, CAP), (1.2, 1.5), (2.05, CAP), (2.05, 0)]),
    ),
    "I": (
        # bars at the top and the bottom
        _glyph(
            "I", 1.5, [(0.15, CAP), (1.35, CAP)], [(0.75, CAP), (0.75, 0)], [(0.15, 0), (1.35, 0)]
        ),
        # a dotted i among the capitals (KEViN, NARDiNi): a short stem and a dot at cap height
        _glyph(
            "I",
            0.9,
            [(0.44, 1.6), (0.44, 0)],
            [(0.36, 2.3), (0.44, 2.22), (0.52, 2.3), (0.44, 2.38), (0.36, 2.3)],
        ),
    ),
    "J": (
        # a bar on top, the hook below
        _glyph(
            "J",
            1.9,
            [(0.55, CAP), (1.75, CAP)],
            [(1.2, CAP), (1.2, 0.5), (1.05, 0.12), (0.75, 0), (0.45, 0.12), (0.3, 0.5)],
        ),
        # a bar to the left only, the stem and the hook in the same stroke
        _glyph(
            "J",
            1.8,
            [(0.35, CAP), (1.33, CAP), (1.33, 0.56), (1.15, 0.12), (0.8, 0), (0.3, 0.3)],
        ),
    ),
    "K": (
        # both arms from one point on the stem, in one stroke
        _glyph("K", 2.2, [(0.44, CAP), (0.44, 0)], [(1.9, CAP), (0.5, 1.15), (1.95, 0)]),
    ),
}


def pick_variants(rng: np.random.Generator) -> dict[str, int]:
    """One writer's habits: letter -> variant number (1-based into :data:`VARIANTS`), for the
    letters this writer does not write the font's way."""
    out = {}
    for letter in sorted(VARIANTS):
        if rng.random() >= FONT_SHARE:
            out[letter] = int(rng.integers(1, len(VARIANTS[letter]) + 1))
    return out
