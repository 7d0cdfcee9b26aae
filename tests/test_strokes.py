"""The stroke format's three views -- offsets, points, strokes -- convert into each other losslessly."""

from __future__ import annotations

import numpy as np
import pytest

from ink.strokes import (
    offsets_to_points,
    offsets_to_strokes,
    points_to_offsets,
    strokes_to_offsets,
    validate_offsets,
)


def random_line(n_strokes=5, seed=0) -> np.ndarray:
    """A (T, 3) line of random-walk strokes in the strokes-py3 layout."""
    rng = np.random.default_rng(seed)
    strokes, start = [], np.zeros(2)
    for _ in range(n_strokes):
        s = start + np.cumsum(rng.normal(0, 1, (rng.integers(2, 30), 2)), axis=0)
        strokes.append(s)
        start = s[-1] + rng.normal(3, 1, 2)
    return strokes_to_offsets(strokes)


def test_offsets_start_at_the_origin_and_mark_each_stroke_end():
    strokes = [np.array([[2.0, 1.0], [3.0, 1.0], [3.0, 4.0]]), np.array([[5.0, 0.0], [6.0, 1.0]])]
    off = strokes_to_offsets(strokes)
    assert off.dtype == np.float32 and off.shape == (5, 3)
    np.testing.assert_array_equal(off[0], [0, 0, 0])
    np.testing.assert_array_equal(off[:, 0], [0, 0, 1, 0, 1])
    np.testing.assert_array_equal(off[1:, 1:], [[1, 0], [0, 3], [2, -4], [1, 1]])


def test_offsets_points_offsets_round_trip():
    off = random_line()
    pts = offsets_to_points(off)
    assert pts.shape == off.shape
    np.testing.assert_array_equal(pts[:, 2], off[:, 0])
    np.testing.assert_allclose(points_to_offsets(pts), off, atol=1e-5)


def test_offsets_strokes_offsets_round_trip():
    off = random_line(n_strokes=7, seed=1)
    strokes = offsets_to_strokes(off)
    assert len(strokes) == 7 == int(off[:, 0].sum())
    assert sum(len(s) for s in strokes) == len(off)
    np.testing.assert_allclose(strokes_to_offsets(strokes), off, atol=1e-5)


def test_a_trailing_stroke_without_end_mark_is_kept():
    off = random_line(n_strokes=3, seed=2)
    off[-1, 0] = 0  # the line stops while the pen is still down
    strokes = offsets_to_strokes(off)
    assert len(strokes) == 3
    back = strokes_to_offsets(strokes)
    np.testing.assert_allclose(back[:, 1:], off[:, 1:], atol=1e-5)
    assert back[-1, 0] == 1  # converting back closes the last stroke


def test_a_single_point_stroke_survives():
    # Some IAM-OnDB lines begin with a one-point stroke (a dot): row 0 is then (1, 0, 0).
    strokes = [np.array([[0.0, 0.0]]), np.array([[1.0, 2.0], [2.0, 2.0]])]
    off = strokes_to_offsets(strokes)
    np.testing.assert_array_equal(off[0], [1, 0, 0])
    assert [len(s) for s in offsets_to_strokes(off)] == [1, 2]


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((10, 2)), "expected a (T, 3) array"),
        (np.zeros(10), "expected a (T, 3) array"),
        (np.zeros((1, 3)), "at least 2 points"),
        (np.array([[0, 0, 0], [0, np.nan, 0]]), "non-finite value (NaN or inf) at point 1"),
        (np.array([["a", "b", "c"]] * 2), "numeric"),
    ],
)
def test_a_malformed_line_raises_a_one_line_error_naming_it(bad, message):
    with pytest.raises(ValueError) as err:
        validate_offsets(bad, name="line 7")
    assert message in str(err.value) and "line 7" in str(err.value)
    assert "\n" not in str(err.value)


def test_real_lines_round_trip(shared_data):
    arr = np.load(
        shared_data / "iamondb-sample" / "strokes-py3.npy", allow_pickle=True, encoding="latin1"
    )
    for off in arr[:20]:
        strokes = offsets_to_strokes(off)
        assert len(strokes) == int(off[:, 0].sum())  # every real line ends with a pen lift
        # float32 absolute points lose a little at x ~ 300: 1e-4 of a unit is 1/500 of a pixel
        np.testing.assert_allclose(strokes_to_offsets(strokes), off, atol=1e-4)
        np.testing.assert_allclose(points_to_offsets(offsets_to_points(off)), off, atol=1e-4)
