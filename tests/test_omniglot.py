"""Omniglot's human letters, placed in the fonts' frame for the synthetic writer."""

from __future__ import annotations

import numpy as np
import pytest

from ink.dataset import find_shared_data
from ink.omniglot import (
    ASCENDERS,
    DESCENDERS,
    LETTERS,
    N_DRAWERS,
    convert,
    drawings,
    font_lines,
    human_glyphs,
)


def test_the_shipped_file_holds_twenty_drawings_of_each_letter():
    d = drawings()
    assert sorted(d) == list(LETTERS)
    assert all(len(v) == N_DRAWERS for v in d.values())
    assert all(len(s) >= 1 for v in d.values() for drawing in v for s in drawing)


@pytest.mark.parametrize("font", ["scripts", "futural"])
def test_each_letter_kind_sits_on_the_fonts_lines(font):
    xh, asc, desc = font_lines(font)
    glyphs = human_glyphs(font)
    for letter, forms in glyphs.items():
        for g in forms:
            ys = np.concatenate(g.strokes)[:, 1]
            xs = np.concatenate(g.strokes)[:, 0]
            assert xs.min() > 0 and g.advance > xs.max()  # room on both sides
            if letter in "ij":
                continue
            top = asc if letter in ASCENDERS else xh
            bottom = desc if letter in DESCENDERS else 0.0
            if letter != "t":
                # smoothing rounds the extremes in a little
                assert abs(ys.max() - top) < 0.08 and abs(ys.min() - bottom) < 0.08, letter
    # an i is a stem from the baseline to the x-height, with a dot (a stroke of its own) above
    for g in glyphs["i"]:
        stem = max(g.strokes, key=lambda s: np.ptp(s[:, 1]) if len(s) > 1 else 0)
        assert abs(stem[:, 1].min()) < 0.08 and abs(stem[:, 1].max() - xh) < 0.08
    dotted = [g for g in glyphs["i"] if np.concatenate(g.strokes)[:, 1].max() > xh + 0.1]
    assert len(dotted) >= 18  # of 20 (one person drew a hook, not a dot)


def test_converting_the_original_files_gives_the_shipped_data(tmp_path):
    shared = find_shared_data()
    if shared is None or not (shared / "omniglot-latin").is_dir():
        pytest.skip("../shared/data/omniglot-latin not found: the shipped file stays unchecked")
    out = convert(shared / "omniglot-latin", tmp_path / "o.npz")
    from ink.omniglot import DATA

    with np.load(out) as a, np.load(DATA) as b:
        assert sorted(a.files) == sorted(b.files)
        for k in a.files:
            np.testing.assert_array_equal(a[k], b[k])


def test_a_folder_with_a_letter_missing_is_refused_in_one_line(tmp_path):
    (tmp_path / "character01").mkdir()
    with pytest.raises(ValueError, match="expected 20 drawings of 'a'"):
        convert(tmp_path, tmp_path / "o.npz")
