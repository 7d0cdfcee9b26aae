"""The scikit-learn digits prelude: one split, three models, and digit strings that never leak."""

import numpy as np
import pytest

from crnn.digits import (
    build_digit_cnn,
    build_digit_mlp,
    build_pixel_lstm,
    column_accuracy,
    digits_config,
    load_digit_split,
    make_digit_strings,
    train_and_score,
)


def test_split_is_stratified_and_disjoint():
    s = load_digit_split()
    assert s.x_train.shape == (1347, 8, 8) and s.x_test.shape == (450, 8, 8)
    assert s.x_train.min() >= 0.0 and s.x_train.max() == 1.0
    assert not set(s.train_index) & set(s.test_index)
    share_test = np.bincount(s.y_test) / len(s.y_test)
    share_train = np.bincount(s.y_train) / len(s.y_train)
    np.testing.assert_allclose(share_test, share_train, atol=0.005)  # same class mix


def test_three_models_take_the_same_images():
    x = np.zeros((2, 8, 8), np.float32)
    for build in (build_pixel_lstm, build_digit_mlp, build_digit_cnn):
        assert build().predict(x, verbose=0).shape == (2, 10)
    assert build_pixel_lstm().predict(x[:, :, :3], verbose=0).shape == (2, 10)  # 3 columns


def test_pixel_lstm_learns_digits_quickly():
    split = load_digit_split()
    model = build_pixel_lstm()
    accuracy = train_and_score(model, split, epochs=8, config=digits_config(fast=True))
    assert accuracy > 0.6  # chance is 0.1
    assert column_accuracy(model, split, columns=1) < accuracy


def test_digit_strings_shapes_and_ink():
    images, texts = make_digit_strings(20, "train", seed=3)
    assert images.shape == (20, 64, 256) and images.dtype == np.uint8
    assert all(t.isdigit() and 3 <= len(t) <= 8 for t in texts)
    assert np.all(images[:, :, :2] == 255)  # white margin
    assert images.min() < 80  # dark ink


def test_digit_strings_are_deterministic():
    a, ta = make_digit_strings(5, "test", seed=7)
    b, tb = make_digit_strings(5, "test", seed=7)
    c, _ = make_digit_strings(5, "test", seed=8)
    assert ta == tb and np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_test_strings_use_only_held_out_digits():
    split = load_digit_split()
    _, texts, sources = make_digit_strings(50, "test", seed=0, with_sources=True)
    used = np.concatenate(sources)
    assert set(used) <= set(split.test_index)
    assert not set(used) & set(split.train_index)
    _, _, train_sources = make_digit_strings(50, "train", seed=0, with_sources=True)
    assert set(np.concatenate(train_sources)) <= set(split.train_index)
    assert sum(len(t) for t in texts) == len(used)


def test_bad_split_name_is_refused():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        make_digit_strings(1, "validation")
