"""Rendering strokes to images and drawing them as matplotlib lines and SVG."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ink.draw import plot_line, spline, to_svg  # noqa: E402
from ink.render import RenderLook, render  # noqa: E402
from ink.strokes import offsets_to_strokes  # noqa: E402
from ink.synthetic import write  # noqa: E402

LINE = write("hello world", writer=2)


def test_render_gives_a_white_page_with_dark_ink():
    img = render(LINE)
    assert img.shape == (64, 256) and img.dtype == np.uint8
    assert np.median(img) > 240  # mostly paper
    assert img.min() < 100  # some ink


def test_render_size_and_seed():
    look = RenderLook.random(3, form=True)
    a = render(LINE, width=128, height=32, look=look, seed=1)
    assert a.shape == (32, 128)
    np.testing.assert_array_equal(a, render(LINE, width=128, height=32, look=look, seed=1))
    assert not np.array_equal(a, render(LINE, width=128, height=32, look=look, seed=2))


def test_render_rejects_a_tiny_image():
    with pytest.raises(ValueError, match="width and height"):
        render(LINE, width=4, height=4)


def test_svg_has_one_path_per_stroke(tmp_path):
    svg = to_svg(LINE, tmp_path / "line.svg")
    assert svg.count("<path ") == len(offsets_to_strokes(LINE))
    assert (tmp_path / "line.svg").read_text() == svg


def test_the_spline_passes_through_every_point_and_rounds_a_polygon():
    # an octagon, as a generated o might be: the spline keeps its 9 points and bulges outwards
    angles = np.linspace(0, 2 * np.pi, 9)
    octagon = np.column_stack([np.cos(angles), np.sin(angles)])
    curve = spline(octagon, per_segment=6)
    np.testing.assert_allclose(curve[::6], octagon, atol=1e-12)
    r = np.hypot(*curve.T)
    mid_edge = np.cos(np.pi / 8)  # how far a straight edge's middle is from the centre
    assert r[3::6][1:-1].min() > mid_edge + 0.03  # the curve's middles are rounder than that
    assert np.abs(r - 1).max() < 0.1
    np.testing.assert_array_equal(spline(octagon[:2]), octagon[:2])  # too short: unchanged


def test_a_smooth_svg_is_one_bezier_path_per_stroke():
    svg = to_svg(LINE, smooth=True)
    strokes = offsets_to_strokes(LINE)
    assert svg.count("<path ") == len(strokes)
    assert svg.count("C") == sum(len(s) - 1 for s in strokes if len(s) >= 3)
    assert 'fill="none"' in svg


@pytest.mark.parametrize("color_by_time", [False, True])
def test_plot_line_draws_on_given_axes(color_by_time):
    fig, ax = plt.subplots()
    assert plot_line(LINE, ax=ax, color_by_time=color_by_time) is ax
    n_strokes = len(offsets_to_strokes(LINE))
    if color_by_time:
        assert len(ax.collections) == 1
    else:
        assert len(ax.lines) == n_strokes
    plt.close(fig)


def test_text_height_keeps_the_writing_small_and_leaves_the_line_blank():
    """Scan geometry: the name keeps a hand's size instead of filling the box, so the ink
    covers about text_height of the rows and ends well before the right edge."""
    look = RenderLook(noise=0.0, margin=0.1, text_height=0.4)
    img = render(write("ANNA", writer=2), width=300, height=40, look=look, seed=0)
    rows = np.flatnonzero((img < 128).any(axis=1))
    cols = np.flatnonzero((img < 128).any(axis=0))
    assert 0.3 * 40 <= rows[-1] - rows[0] + 1 <= 0.5 * 40
    assert cols[-1] < 0.6 * 300
    full = render(write("ANNA", writer=2), width=300, height=40, look=RenderLook(noise=0.0))
    full_rows = np.flatnonzero((full < 128).any(axis=1))
    assert full_rows[-1] - full_rows[0] + 1 > 0.7 * 40  # the default fills the box


def test_render_form_crop_draws_both_real_layouts_at_their_sizes_and_is_seeded():
    """Each crop has the size of one of the two real layouts (inline: wide and low; label
    above: taller), both layouts occur, and the same seed gives the same image."""
    from ink.render import render_form_crop

    name = write("ANNA", writer=2)
    near = [write("04052011", writer=2), write("MARTIN", writer=2)]
    sizes = set()
    for seed in range(30):
        a = render_form_crop(name, near, look=RenderLook(noise=0.0), seed=seed)
        h, w = a.shape
        assert (270 <= w <= 300 and 48 <= h <= 72) or (280 <= w <= 400 and 21 <= h <= 46)
        sizes.add(h >= 48)
        np.testing.assert_array_equal(a, render_form_crop(name, near, RenderLook(noise=0.0), seed))
        assert (a < 128).any()
    assert sizes == {True, False}  # both layouts are drawn


def test_render_form_crop_writes_a_dark_pen_line_however_small_the_name():
    """A form crop's name keeps a pen at least a pixel wide at the crop's size, as on the real
    scans, instead of a hairline scaled down with the name: fitted to 256x64, its darkest ink
    is dark (a hairline pen, the old renderer, gave a median of about 0.6)."""
    from crnn.preprocess import fit_image
    from ink.render import render_form_crop

    darkest = []
    for seed in range(24):
        name = write("MARTIN", writer=seed)
        crop = render_form_crop(name, look=RenderLook.random(seed, form=True), seed=seed)
        darkest.append(np.percentile(fit_image(crop), 0.5))
    assert np.median(darkest) < 0.4


def test_the_installed_opencv_prints_the_labels_the_weights_were_measured_on():
    # cv2.putText's font changed in OpenCV 5.0 and 5.1; the synthetic forms' labels, and so
    # every recorded CRNN score, depend on it (pyproject.toml pins the version).
    import cv2

    from ink.render import PRINT_FONT_OPENCV

    assert cv2.__version__ == PRINT_FONT_OPENCV


def test_another_opencv_is_named_in_a_warning():
    from ink.render import PRINT_FONT_OPENCV, _check_print_font

    check = _check_print_font.__wrapped__  # not the cached one: warn on every call here
    with pytest.warns(UserWarning, match=r"OpenCV 9\.9\.9 prints the forms' labels"):
        check("9.9.9")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(PRINT_FONT_OPENCV)
