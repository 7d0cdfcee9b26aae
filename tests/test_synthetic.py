"""The synthetic writer: reproducible, in the IAM-OnDB format, and close to real ink."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ink.hershey import FONTS, load_font
from ink.stats import compare_table, stroke_stats
from ink.synthetic import WriterStyle, write
from ink.text import (
    CHARSET,
    FIRST_NAMES,
    SURNAMES,
    check_text,
    is_listed_name,
    made_up_name,
    random_name,
    random_sentence,
)

TEXT = "the quick brown fox jumps"


def test_same_writer_and_line_seed_give_identical_arrays():
    a = write(TEXT, writer=3, line_seed=5)
    b = write(TEXT, writer=3, line_seed=5)
    np.testing.assert_array_equal(a, b)


def test_different_writers_and_line_seeds_give_different_arrays():
    base = write(TEXT, writer=3, line_seed=5)
    for other in (write(TEXT, writer=4, line_seed=5), write(TEXT, writer=3, line_seed=6)):
        assert base.shape != other.shape or not np.array_equal(base, other)


def test_a_writer_keeps_one_style_across_lines():
    assert WriterStyle.from_seed(7) == WriterStyle.from_seed(7)
    styles = {WriterStyle.from_seed(w) for w in range(20)}
    assert len(styles) == 20
    assert {s.cursive for s in styles} == {True, False}  # both joined and print hands occur


@pytest.mark.parametrize("writer", range(6))
def test_output_is_in_the_iamondb_format(writer):
    x = write(random_sentence(writer), writer=writer, line_seed=writer)
    assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 3
    assert set(np.unique(x[:, 0])) <= {0.0, 1.0}
    assert x[-1, 0] == 1.0  # the pen lifts after the last point
    np.testing.assert_array_equal(x[0, 1:], [0.0, 0.0])  # row 0 is (eos, 0, 0)
    # offsets lie on IAM-OnDB's 0.05 grid
    np.testing.assert_allclose(x[:, 1:] / 0.05, np.round(x[:, 1:] / 0.05), atol=1e-3)


def test_names_style_writes_print_capitals_without_joins():
    style = WriterStyle.from_seed(1, kind="names")
    assert not style.cursive and style.join_prob == 0
    assert random_name(0).isupper()
    x = write(random_name(0), writer=1, style=style)
    assert x.shape[1] == 3


def test_names_writers_form_some_capitals_their_own_way():
    """Names writers keep the font's form of a letter or one of ink.capitals.VARIANTS, the same
    in all their lines; sentence writers of the font hand keep the fonts untouched."""
    from ink.capitals import VARIANTS

    habits = [dict(WriterStyle.from_seed(w, kind="names").capitals) for w in range(100)]
    for letter, forms in VARIANTS.items():
        used = {h.get(letter, 0) for h in habits}
        assert used == set(range(len(forms) + 1)), letter  # the font's form and every variant
    assert all(WriterStyle.from_seed(w, hand="font").capitals == () for w in range(100))
    # A writer with a variant M writes "M" differently from the same writer with the font's M.
    w = next(i for i, h in enumerate(habits) if "M" in h)
    style = WriterStyle.from_seed(w, kind="names")
    plain = replace(style, capitals=())

    def same(text):
        a, b = write(text, writer=w, style=style), write(text, writer=w, style=plain)
        return a.shape == b.shape and np.array_equal(a, b)

    assert not same("M") and same("E")


def test_made_up_names_are_name_like_capitals_on_no_list():
    rng = np.random.default_rng(0)
    names = [made_up_name(rng) for _ in range(300)]
    assert not set(names) & (set(FIRST_NAMES) | set(SURNAMES))
    assert all(3 <= len(n) <= 12 and n[0].isupper() and n[-1].isupper() for n in names)
    check_text("".join(names))
    assert len(set(names)) > 250  # not a new closed list
    # Every capital is written, W too (no listed name has one).
    assert set("".join(names)) >= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert made_up_name(5) == made_up_name(5)
    # The share of made-up names is what was asked; 0 keeps the list names' draws as they were.
    drawn = [random_name(seed, made_up=0.5) for seed in range(400)]
    share = np.mean([not is_listed_name(n) for n in drawn])
    assert 0.4 < share < 0.6
    assert all(is_listed_name(random_name(s)) for s in range(100))


def test_charset_error_lists_the_bad_characters():
    with pytest.raises(ValueError, match="é") as err:
        write("café crème €5", writer=0)
    message = str(err.value)
    assert "\n" not in message
    assert "è" in message and "€" in message


def test_every_charset_character_has_a_glyph_in_every_font():
    for font in FONTS:
        glyphs = load_font(font)
        for c in CHARSET.replace(" ", ""):
            assert glyphs[c].strokes, f"{font} has no strokes for {c!r}"
    assert check_text(CHARSET) == CHARSET


def test_number_rate_sets_the_share_of_numbers_among_the_words():
    def share(rate):
        words = [w for i in range(300) for w in random_sentence(i, number_rate=rate).split()]
        return np.mean([w.strip('",;:.?!').isdigit() for w in words])

    assert share(0.0) == 0.0
    assert 0.01 < share(0.03) < 0.06  # the default: a word in 33
    assert 0.25 < share(0.3) < 0.35  # the "numbers" kind of ink.dataset


def test_points_per_character_and_pen_lifts_are_in_a_sane_band():
    texts = [random_sentence(i) for i in range(30)]
    lines = [write(t, writer=i % 10, line_seed=i) for i, t in enumerate(texts)]
    stats = stroke_stats(lines, texts)
    # real IAM-OnDB: about 22 points per character and 4% of points ending a stroke
    assert 15 < stats["points_per_char"] < 30
    assert 0.025 < stats["eos_share"] < 0.06


def test_statistics_are_close_to_real_iamondb(shared_data):
    from ink.loaders import load_strokes

    folder = shared_data / "iamondb-sample"
    real, real_texts = load_strokes(folder / "strokes-py3.npy", folder / "sentences.txt")
    texts = [random_sentence(i) for i in range(60)]
    lines = [write(t, writer=i % 20, line_seed=i) for i, t in enumerate(texts)]
    table = compare_table(stroke_stats(lines, texts), stroke_stats(real, real_texts))
    for key in ("points per character", "share of points that end a stroke", "std of dx"):
        assert 0.7 < table.loc[key, "ratio"] < 1.35, table


def test_the_human_hand_adds_human_forms_to_the_same_writer():
    """hand="human" keeps a writer's font traits (font, slant, size...) and adds letter forms
    people drew, a little variety, hand-printed capitals and wider letters; hand="font" is the
    writer of the fonts alone; names writers are the same in both hands."""
    for w in range(30):
        font, human = WriterStyle.from_seed(w, hand="font"), WriterStyle.from_seed(w)
        assert font.human == () and font.variety == 0 and font.delay is None and font.beta == 0
        assert (human.font, human.slant, human.size, human.cursive) == (
            font.font,
            font.slant,
            font.size,
            font.cursive,
        )
        assert human.width >= 0.9 * font.width
        assert 0 <= human.delay <= 1 and 0.3 < human.beta < 0.5
        names = WriterStyle.from_seed(w, kind="names", hand="human")
        assert names == WriterStyle.from_seed(w, kind="names", hand="font")
    shares = [len(WriterStyle.from_seed(w).human) / 26 for w in range(200)]
    assert min(shares) < 0.3 and max(shares) == 1.0  # from a few letters to all of them
    with pytest.raises(ValueError, match="hand must be one of"):
        WriterStyle.from_seed(0, hand="robot")


def test_a_human_form_changes_the_letter_and_only_that_letter():
    w = next(w for w in range(100) if "a" in dict(WriterStyle.from_seed(w).human))
    style = WriterStyle.from_seed(w)
    others = tuple((c, k) for c, k in style.human if c != "a")
    plain = replace(style, human=others, variety=0.0)
    style = replace(style, variety=0.0)

    def same(text):
        a, b = write(text, writer=w, style=style), write(text, writer=w, style=plain)
        return a.shape == b.shape and np.array_equal(a, b)

    assert not same("a") and same("N")


def test_the_human_hand_is_reproducible_and_differs_from_the_font_hand():
    a = write(TEXT, writer=3, line_seed=5)
    np.testing.assert_array_equal(a, write(TEXT, writer=3, line_seed=5))
    font = write(TEXT, writer=3, line_seed=5, style=WriterStyle.from_seed(3, hand="font"))
    assert a.shape != font.shape or not np.array_equal(a, font)


def test_the_human_hand_slows_in_curves_as_a_pen_does():
    """Speed ~ curvature^-beta with beta near 1/3 (the two-thirds power law), measured on the
    lines as a digitiser records them; the fonts' hand follows it less."""
    from ink.stats import line_statistics

    texts = [random_sentence(i) for i in range(20)]

    def median_beta(hand):
        lines = [
            write(t, writer=i, line_seed=i, style=WriterStyle.from_seed(i, hand=hand))
            for i, t in enumerate(texts)
        ]
        return float(np.median(line_statistics(lines, texts)[0]["power_law_beta"]))

    human, font = median_beta("human"), median_beta("font")
    assert 0.28 < human < 0.45
    assert font < human - 0.05


def test_the_font_hand_is_still_the_hand_the_shipped_writers_learnt():
    """The writer networks of part 6 were trained on the fonts' hand before the human hand
    existed; hand="font" must keep writing those lines (sizes recorded then), or their recipes
    would no longer rebuild them."""
    lines = [
        write(
            random_sentence(w), writer=w, line_seed=w, style=WriterStyle.from_seed(w, hand="font")
        )
        for w in range(6)
    ]
    assert [len(x) for x in lines] == [646, 668, 719, 900, 953, 734]
    ink = [float(np.abs(x[:, 1:]).sum()) for x in lines]
    np.testing.assert_allclose(ink, [1696.3, 1411.35, 1376.4, 1564.4, 1537.75, 1470.05], atol=0.2)
