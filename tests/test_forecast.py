"""Forecasters of part 1: baselines by hand, exact linear fits, a tiny LSTM, recursion, errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_explained import forecast
from lstm_explained.figures import sine as figures
from lstm_explained.forecast import (
    ForecastConfig,
    LinearWindow,
    LSTMForecaster,
    Persistence,
    WindowScaling,
    recursive_forecast,
)
from lstm_explained.series import multi_sine
from lstm_explained.windows import WindowSplit, make_windows

TINY = ForecastConfig(look_back=8, units=4, epochs=2, batch_size=16, learning_rate=1e-2)


def test_persistence_rmse_is_the_hand_computed_one():
    series = multi_sine(n=400)
    split = WindowSplit.from_series(series, 1)
    by_hand = np.sqrt(np.mean((series.test - series.values[series.split - 1 : -1]) ** 2))
    scores = forecast.score(Persistence(), split)
    assert scores["test_rmse"] == pytest.approx(by_hand, rel=1e-5)
    assert scores["seconds_per_epoch"] == 0.0


@pytest.mark.parametrize(
    "values, look_back",
    [
        (3.0 + 0.25 * np.arange(60), 1),  # a line: next = last + 0.25
        (np.sin(0.3 * np.arange(60)), 2),  # a sine: next = 2 cos(0.3) last - the one before
    ],
)
def test_least_squares_is_exact_on_a_noise_free_series_it_can_represent(values, look_back):
    X, y = make_windows(values, look_back)
    linear = LinearWindow(look_back).fit(X[:40], y[:40])
    np.testing.assert_allclose(linear.predict(X[40:]), y[40:], atol=1e-4)


def test_recursive_forecast_continues_a_line_exactly_and_has_the_asked_shape():
    line = 1.0 + 0.5 * np.arange(30)
    X, y = make_windows(line, 3)
    linear = LinearWindow(3).fit(X, y)
    future = recursive_forecast(linear, line, horizon=12)  # (T,) history -> (horizon,)
    assert future.shape == (12,)
    np.testing.assert_allclose(future, 1.0 + 0.5 * np.arange(30, 42), atol=1e-3)
    histories = np.stack([line[:10], line[5:15]])  # (B, T) history -> (B, horizon)
    assert recursive_forecast(linear, histories, horizon=4).shape == (2, 4)
    flat = recursive_forecast(Persistence(), histories, horizon=4)
    np.testing.assert_allclose(flat, np.repeat(histories[:, -1:], 4, axis=1))


def test_recursive_forecast_refuses_a_history_shorter_than_the_window():
    with pytest.raises(ValueError, match="T >= look_back = 3"):
        recursive_forecast(LinearWindow(3), np.arange(2.0), horizon=5)


@pytest.mark.parametrize("kind", forecast.SCALINGS)
def test_scaling_is_undone_exactly(kind):
    X, y = make_windows(multi_sine(n=300).values, 16)  # (N, 16, 1), (N,)
    scaling = WindowScaling.fit(kind, X, y)
    np.testing.assert_allclose(scaling.predictions(X, scaling.targets(X, y)), y, atol=1e-5)
    # The target after the last step of step_targets is the usual target.
    np.testing.assert_allclose(scaling.step_targets(X, y)[:, -1, 0], scaling.targets(X, y))


def test_the_difference_scaling_does_not_see_the_level():
    X, y = make_windows(multi_sine(n=300).values, 16)
    scaling = WindowScaling.fit("difference", X, y)
    np.testing.assert_allclose(scaling.inputs(X + 5.0), scaling.inputs(X), atol=1e-4)
    assert np.abs(WindowScaling.fit("minmax", X, y).inputs(X + 5.0) - X).min() > 1.0


@pytest.mark.parametrize(
    "config",
    [TINY, ForecastConfig(look_back=16, units=4, epochs=2, batch_size=16, learning_rate=1e-2,
                          scaling="difference", every_step=True, warmup=4)],
    ids=["last_step_minmax", "every_step_difference"],
)  # fmt: skip
def test_a_tiny_lstm_trains_and_its_loss_decreases(config):
    forecaster, split = forecast.train_lstm(multi_sine(n=400), config)
    losses = forecaster.history["loss"]
    assert len(losses) == 2 and losses[1] < losses[0]
    predictions = forecaster.predict(split.X_test)
    assert predictions.shape == split.y_test.shape and np.isfinite(predictions).all()
    assert forecaster.model.count_params() == 4 * (4 * (1 + 4) + 4) + 4 + 1  # LSTM(4) + Dense(1)


def test_one_dimensional_input_gets_a_one_line_error():
    forecaster = LSTMForecaster(TINY)
    flat = np.arange(20.0)
    with pytest.raises(ValueError, match=r"expected X of shape \(samples, timesteps, features\)"):
        forecaster.fit(flat, flat)
    with pytest.raises(ValueError, match=r"= \(N, 3, 1\), got shape \(20,\)"):
        LinearWindow(3).fit(flat, flat)
    with pytest.raises(ValueError, match="expected X of shape"):
        Persistence().predict(flat)


def test_the_lesson_in_fast_mode_scores_every_model_and_draws_its_figures():
    series = multi_sine(n=1000)  # long enough for the best model's window of 256
    lesson = forecast.run_lesson(forecast.FAST_LESSON, series)
    names = set(lesson.scores)
    assert {"persistence", lesson.best_name, lesson.sweep_best_name, "source_lstm4_lb1"} <= names
    assert any(n.startswith("linear_lb") for n in names)
    for scores in lesson.scores.values():
        assert set(scores) == {"test_rmse", "train_rmse", "seconds_per_epoch"}
        assert all(np.isfinite(v) for v in scores.values())
    assert list(lesson.sweep.index) == list(forecast.FAST_LESSON.look_backs)
    for err in lesson.horizon_rmse.values():
        assert err.shape == (forecast.FAST_LESSON.horizon,)
    drawn = [
        figures.plot_model_comparison(lesson.scores, lesson.noise_floor),
        figures.plot_look_back_sweep(lesson.sweep, lesson.noise_floor),
        figures.plot_multistep(series, lesson.horizon_rmse, lesson.forecasts, lesson.noise_floor),
        figures.plot_windowing(np.arange(8), 3),
        figures.plot_series(series),
    ]
    assert all(isinstance(f, Figure) for f in drawn)
    assert len(drawn[0].axes[0].patches) == len(lesson.scores)  # one bar per model
    for f in drawn:
        plt.close(f)
