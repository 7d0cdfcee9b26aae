"""Realism statistics (ink.stats): known answers on hand-made lines, and a table without NaN."""

from __future__ import annotations

import numpy as np
import pytest

from ink.stats import REALISM, line_statistics, realism_table
from ink.strokes import strokes_to_offsets
from ink.synthetic import write

KEYS = [key for key, _ in REALISM]


def ellipse(n: int, constant_speed: bool, a: float = 4.0, b: float = 1.0) -> np.ndarray:
    """One stroke around the ellipse (a cos t, b sin t), n points: uniform in t or in length."""
    t = np.linspace(0, 2 * np.pi, 100_000)
    if constant_speed:  # invert the arc length s(t) numerically
        s = np.concatenate(
            [[0], np.cumsum(np.hypot(np.diff(a * np.cos(t)), np.diff(b * np.sin(t))))]
        )
        t = np.interp(np.linspace(0, s[-1], n, endpoint=False), s, t)
    else:
        t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return strokes_to_offsets([np.column_stack([a * np.cos(t), b * np.sin(t)])])


def beta(line) -> float:
    samples, _ = line_statistics([line], ["o"])
    return float(samples["power_law_beta"][0])


def test_an_ellipse_drawn_at_uniform_t_obeys_the_two_thirds_power_law():
    # speed = (ab)^(1/3) * curvature^(-1/3) exactly on an ellipse traced at uniform t
    assert beta(ellipse(300, constant_speed=False)) == pytest.approx(1 / 3, abs=0.03)


def test_the_same_ellipse_drawn_at_constant_speed_has_beta_near_zero():
    assert abs(beta(ellipse(300, constant_speed=True))) < 0.05


def test_three_strokes_give_their_point_counts_and_lengths_in_height_units():
    strokes = [
        np.array([[0, 0], [0, 0.5], [0, 1], [0, 1.5], [0, 2]]),  # 5 points, length 2
        np.array([[3, 0], [4, 0], [5, 0], [6, 0]]),  # 4 points, length 3
        np.array([[8, 0], [8, 1], [9, 1]]),  # 3 points, length 2
    ]
    h = np.concatenate(strokes)[:, 1].std()  # the height unit: std of the line's y
    samples, skipped = line_statistics([strokes_to_offsets(strokes)], ["abc"])
    np.testing.assert_array_equal(samples["stroke_points"], [5, 4, 3])
    np.testing.assert_allclose(samples["stroke_length"], np.array([2, 3, 2]) / h, rtol=1e-6)
    assert skipped["stroke_points"] == skipped["stroke_length"] == 0


def test_a_dot_added_after_the_first_word_is_one_lift_and_one_delayed_stroke():
    zigzag = np.array([[0, 0], [1, 2], [2, 0], [3, 2], [4, 0]])  # a word, x from 0 to 4
    dot = np.array([[1, 3], [1.1, 3]])  # starts 3 units left of x = 4
    strokes = [zigzag, dot, zigzag + [6, 0]]  # word, its dot, the next word
    samples, _ = line_statistics([strokes_to_offsets(strokes)], ["ii mm"])
    assert samples["lifts_per_word"][0] == pytest.approx(2 / 2)  # 3 strokes, 2 words
    assert samples["delayed_strokes_per_word"][0] == pytest.approx(1 / 2)


@pytest.mark.parametrize("shear", [15.0, -10.0])
def test_vertical_strokes_sheared_by_a_angle_have_that_slant(shear):
    y = np.linspace(0, 2, 11)
    strokes = [np.column_stack([2 * i + np.tan(np.radians(shear)) * y, y]) for i in range(5)]
    samples, _ = line_statistics([strokes_to_offsets(strokes)], ["lllll"])
    assert samples["slant"][0] == pytest.approx(shear, abs=1.0)
    assert samples["slant_spread"][0] == pytest.approx(0.0, abs=1.0)


def test_short_one_stroke_and_flat_lines_are_skipped_and_counted_never_nan():
    short = strokes_to_offsets([[[0, 0], [1, 1], [2, 0]]])  # one stroke of 3 points
    flat = strokes_to_offsets([[[0, 0], [1, 0]], [[2, 0], [3, 0]]])  # no height at all
    samples, skipped = line_statistics([short, flat], ["a", "ab"])
    assert skipped["power_law_beta"] == 2  # too few points on both
    assert skipped["slant_spread"] == 2  # fewer than 3 tall strokes on both
    assert skipped["stroke_length"] == 1  # the flat line has no height unit
    assert all(np.all(np.isfinite(v)) for v in samples.values())
    assert set(samples) == set(skipped) == set(KEYS)


def test_the_table_has_no_nan_when_both_sides_have_samples():
    text = "the quick brown fox jumps"
    syn = [write(text, writer=w, line_seed=w) for w in range(3)]
    real = [write(text, writer=w, line_seed=w) for w in range(3, 6)]
    short = strokes_to_offsets([[[0, 0], [1, 1], [2, 0]]])
    s, s_skip = line_statistics([*syn, short], [text] * 3 + ["a"])
    r, r_skip = line_statistics(real, [text] * 3)
    table = realism_table(s, r, s_skip, r_skip)
    assert list(table.index) == [label for _, label in REALISM]
    assert table.notna().all().all()
    assert table.loc[dict(REALISM)["power_law_beta"], "skipped_synthetic"] == 1


def random_samples(seed: int = 0, shift: float = 0.0) -> dict:
    rng = np.random.default_rng(seed)
    return {key: rng.normal(size=500) + shift for key in KEYS}


def test_distance_is_zero_for_identical_samples_and_grows_with_a_shift():
    real = random_samples()
    assert np.all(realism_table(real, real)["distance"] == 0)
    scale = np.array([real[key].std() for key in KEYS])
    near = realism_table(random_samples(shift=0.5), real)["distance"]
    far = realism_table(random_samples(shift=1.0), real)["distance"]
    # W1 between a sample and itself shifted by c is c; divided by the real std
    np.testing.assert_allclose(near, 0.5 / scale, rtol=1e-6)
    assert np.all(far > near)


def test_without_real_samples_real_and_distance_are_nan_and_said_so():
    table = realism_table(random_samples())
    assert table["real"].isna().all() and table["distance"].isna().all()
    assert table["synthetic"].notna().all()
    assert "no real lines" in table.attrs["note"]


def test_a_statistic_with_no_values_is_left_out_and_named():
    syn = random_samples()
    syn["slant_spread"] = np.zeros(0)
    table = realism_table(syn, random_samples(seed=1))
    label = dict(REALISM)["slant_spread"]
    assert label not in table.index and label in table.attrs["note"]
    assert table.notna().all().all()


def test_mismatched_or_empty_inputs_raise_one_line_errors():
    line = strokes_to_offsets([[[0, 0], [1, 1], [2, 0]]])
    with pytest.raises(ValueError, match="as many texts as lines"):
        line_statistics([line], ["a", "b"])
    with pytest.raises(ValueError, match="as many texts as lines"):
        line_statistics([], [])
    with pytest.raises(ValueError, match="expected a \\(T, 3\\) array"):
        line_statistics([np.zeros((4, 2))], ["a"])
    with pytest.raises(ValueError, match="missing statistics"):
        realism_table({"slant": np.ones(3)})


def test_the_fonts_hand_stands_beside_the_human_hand_in_one_table():
    from ink.stats import line_statistics, realism_table, with_font_hand
    from ink.synthetic import WriterStyle, write

    texts = ["the quick brown fox", "jumps over the lazy dog"]
    lines = {
        hand: [
            write(t, writer=i, style=WriterStyle.from_seed(i, hand=hand))
            for i, t in enumerate(texts)
        ]
        for hand in ("human", "font")
    }
    human = line_statistics(lines["human"], texts)[0]
    font = line_statistics(lines["font"], texts)[0]
    table = with_font_hand(realism_table(human, human), font, human)
    assert (table["distance"] == 0).all()  # the human hand against itself
    np.testing.assert_allclose(table["font_distance"], realism_table(font, human)["distance"])
