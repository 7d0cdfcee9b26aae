"""The series and their windows: shapes and values on a hand example, the noise floor, errors."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_explained.series import multi_sine, trend_sine
from lstm_explained.windows import WindowSplit, make_windows, train_test_windows


def test_windows_of_eight_numbers_by_hand():
    X, y = make_windows(np.arange(8), look_back=3)
    assert X.shape == (5, 3, 1)  # (samples, timesteps, features)
    assert y.shape == (5,)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(X[-1, :, 0], [4, 5, 6])
    np.testing.assert_array_equal(y, [3, 4, 5, 6, 7])  # the value right after each window


def test_a_longer_horizon_targets_a_later_value():
    X, y = make_windows(np.arange(8), look_back=3, horizon=2)
    assert X.shape == (4, 3, 1)
    np.testing.assert_array_equal(y, [4, 5, 6, 7])


@pytest.mark.parametrize(
    "values, look_back, message",
    [
        (np.arange(3), 3, "too short.*needs at least 4 points"),
        (np.arange(8).reshape(4, 2), 1, "expected a 1-D series"),
        (np.arange(8), 0, "look_back and horizon must be >= 1"),
    ],
)
def test_bad_windowing_input_is_refused_with_a_clear_message(values, look_back, message):
    with pytest.raises(ValueError, match=message):
        make_windows(values, look_back)


def test_the_noise_floor_is_the_rms_of_the_generator_noise_on_the_test_part():
    series = multi_sine()
    # Draw the noise again exactly as the generator does, independently of Series.noise.
    rng = np.random.default_rng(7)
    x = np.linspace(2.0, 60.0, 5000)
    noise = (x / 60) * (rng.standard_normal(5000) / 10) / 4
    assert series.split == round(5000 * 0.67)
    expected = np.sqrt(np.mean(noise[series.split :] ** 2))
    assert series.noise_floor() == pytest.approx(expected, rel=1e-12)
    assert series.noise_floor() > 0


def test_trend_sine_is_the_source_formula():
    series = trend_sine()
    i = np.arange(100)
    np.testing.assert_allclose(series.clean, 0.1 * i + 0.5 * np.sin(i))
    assert series.noise.std() == pytest.approx(0.1, rel=0.25)  # 0.1 * standard normal


def test_test_windows_target_every_test_point_whatever_the_look_back():
    series = multi_sine(n=300)
    for look_back in (1, 8, 32):
        X_train, y_train, X_test, y_test = train_test_windows(series, look_back)
        np.testing.assert_allclose(y_test, series.test, rtol=1e-6)
        assert X_test.shape == (len(series.test), look_back, 1)
        assert len(y_train) == series.split - look_back


def test_window_split_validates_on_the_end_of_train_in_time_order():
    series = multi_sine(n=300)
    split = WindowSplit.from_series(series, 8, validation_fraction=0.25)
    X_all, y_all, _, _ = train_test_windows(series, 8)
    n_val = round(len(y_all) * 0.25)
    np.testing.assert_array_equal(split.y_val, y_all[-n_val:])
    np.testing.assert_array_equal(split.y_train, y_all[:-n_val])
    assert split.X_val.shape == (n_val, 8, 1)
    assert "X_train" in str(split) and str(split.X_test.shape) in str(split)


def test_window_split_stride_keeps_the_last_training_window():
    series = multi_sine(n=300)
    full = WindowSplit.from_series(series, 8)
    thinned = WindowSplit.from_series(series, 8, stride=5)
    assert thinned.y_train[-1] == full.y_train[-1]
    np.testing.assert_array_equal(thinned.y_train, full.y_train[::-1][::5][::-1])
    np.testing.assert_array_equal(thinned.y_test, full.y_test)  # test windows are never thinned
