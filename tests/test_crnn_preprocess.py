"""Preprocessing keeps the aspect ratio, pads on white and turns the width into time."""

import numpy as np
import pytest

from crnn.preprocess import check_input_shape, fit_image, shift_rows, to_model_input


def ink_box(img, threshold=0.5):
    rows, cols = np.nonzero(img < threshold)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def test_wide_image_keeps_its_aspect_and_pads_white():
    gray = np.zeros((30, 90), np.uint8)  # black 1:3 block
    img = fit_image(gray)
    assert img.shape == (64, 256) and img.dtype == np.float32
    h, w = ink_box(img)
    assert (h, w) == (64, 192)  # scaled by 64/30, aspect 1:3 kept
    assert img.min() >= 0.0 and img.max() <= 1.0
    assert np.all(img[:, 192:] == 1.0)  # padding is white, not black


def test_tall_image_is_limited_by_height_and_starts_at_the_left():
    img = fit_image(np.zeros((200, 100), np.uint8))
    assert ink_box(img) == (64, 32)
    assert img[:, 0].max() < 0.5  # text starts at the first time step


def test_long_image_is_shrunk_to_the_width():
    img = fit_image(np.zeros((10, 1000), np.uint8))
    h, w = ink_box(img)
    assert w == 256 and h in (2, 3)
    assert img[0].min() == 1.0 and img[-1].min() == 1.0  # white above and below


def test_float_input_in_unit_range_is_kept():
    gray = np.full((64, 256), 0.25, np.float32)
    assert np.allclose(fit_image(gray), 0.25)


def test_model_input_puts_width_first():
    img = fit_image(np.random.default_rng(0).integers(0, 255, (64, 256), dtype=np.uint8))
    x = to_model_input(img)
    assert x.shape == (256, 64, 1)
    assert x[10, 3, 0] == img[3, 10]
    assert to_model_input(np.stack([img, img])).shape == (2, 256, 64, 1)


def test_bad_images_raise_one_line_errors():
    for bad, match in [
        (np.zeros((64, 256, 3), np.uint8), "2-D grey image"),
        (np.zeros((0, 20), np.uint8), "non-empty"),
        (np.zeros(5), "2-D grey image"),
    ]:
        with pytest.raises(ValueError, match=match) as err:
            fit_image(bad)
        assert "\n" not in str(err.value)


def test_check_input_shape_names_expected_and_actual():
    check_input_shape(np.zeros((64, 256)))
    check_input_shape(np.zeros((5, 64, 256)))
    with pytest.raises(ValueError, match=r"expected images of shape \(64, 256\).*got \(32, 128\)"):
        check_input_shape(np.zeros((32, 128)))


def test_crop_to_ink_keeps_the_writing_and_drops_the_border():
    from crnn.preprocess import crop_to_ink

    img = np.full((40, 300), 255, np.uint8)
    img[10:20, 50:120] = 0  # the "name"
    img[35, 250] = 0  # one stray speck: not writing
    cut = crop_to_ink(img, pad=2)
    assert cut.shape == (14, 74)
    assert cut.min() == 0.0 and cut[0].min() == 1.0  # the pad rows are paper
    blank = np.full((10, 10), 255, np.uint8)
    assert crop_to_ink(blank).shape == (10, 10)


def test_shift_rows_moves_the_height_axis_and_fills_with_paper():
    img = np.arange(12, dtype=np.uint8).reshape(1, 4, 3)  # (N, height, width)
    np.testing.assert_array_equal(
        shift_rows(img, 1)[0], [[255, 255, 255], [0, 1, 2], [3, 4, 5], [6, 7, 8]]
    )
    np.testing.assert_array_equal(
        shift_rows(img, -2)[0], [[6, 7, 8], [9, 10, 11], [255, 255, 255], [255, 255, 255]]
    )
    # the model's layout (N, width, height): the same shift, along the last axis
    np.testing.assert_array_equal(
        shift_rows(img.swapaxes(1, 2), 1, axis=-1)[0].T, shift_rows(img, 1)[0]
    )
    assert shift_rows(img.astype(np.float32) / 255, 1)[0, 0].tolist() == [1.0, 1.0, 1.0]
    np.testing.assert_array_equal(shift_rows(img, 0), img)
    assert (shift_rows(img, 9) == 255).all()
