"""The fair comparison: matched parameter counts, the same windows for all, finite results."""

from __future__ import annotations

import math
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_explained import compare
from lstm_explained.compare import (
    ComparisonConfig,
    feedforward_forecaster_params,
    feedforward_model,
    lstm_forecaster_params,
    lstm_model,
    matched_hidden_width,
)
from lstm_explained.figures.comparison import plot_fair_comparison
from lstm_explained.series import multi_sine
from lstm_explained.windows import make_windows

TINY = ComparisonConfig(look_back=8, lstm_units=4, seeds=(0,), epochs=1, max_train_windows=96)


@pytest.mark.parametrize("look_back, units", [(32, 32), (32, 16), (8, 4), (64, 8)])
def test_the_feedforward_width_matches_the_lstm_parameter_count_within_10_percent(look_back, units):
    lstm = lstm_model(look_back, units)
    target = lstm.count_params()
    assert lstm_forecaster_params(units) == target
    hidden = matched_hidden_width(target, look_back)
    ff = feedforward_model(look_back, hidden)
    assert ff.count_params() == feedforward_forecaster_params(look_back, hidden)
    assert abs(ff.count_params() - target) <= 0.1 * target


def test_the_matched_width_is_the_closest_one():
    target, look_back = lstm_forecaster_params(32), 32
    best = matched_hidden_width(target, look_back)
    gap = abs(feedforward_forecaster_params(look_back, best) - target)
    for other in (best - 1, best + 1):
        assert abs(feedforward_forecaster_params(look_back, other) - target) >= gap


@pytest.mark.parametrize("kind", compare.SCALINGS)
def test_every_scaling_is_undone_exactly(kind):
    X, y = make_windows(multi_sine(n=300).values, 16)  # (N, 16, 1), (N,)
    scaling = compare.fit_scaling(kind, X, y)
    np.testing.assert_allclose(scaling.predictions(X, scaling.targets(X, y)), y, atol=1e-5)


def test_the_last_value_scaling_does_not_see_the_level():
    X, y = make_windows(multi_sine(n=300).values, 16)
    scaling = compare.fit_scaling("last_value", X, y)
    np.testing.assert_allclose(scaling.inputs(X + 5.0), scaling.inputs(X), atol=1e-4)
    np.testing.assert_allclose(
        scaling.predictions(X + 5.0, np.zeros(len(X))) - 5.0,
        scaling.predictions(X, np.zeros(len(X))),
        atol=1e-4,
    )


def test_a_tiny_comparison_gives_finite_numbers_for_every_model():
    series = multi_sine(n=400)
    runs = compare.run_comparison(TINY, series)
    table = compare.summary_table(runs, series.noise_floor())
    ff_name, lstm_name = compare.model_names(TINY)
    assert set(table.index) == {"persistence", "linear_lb8", ff_name, lstm_name}
    for column in ("test_rmse", "test_rmse_std", "rmse_over_floor", "train_rmse", "params"):
        assert np.isfinite(table[column].to_numpy(dtype=float)).all(), column
    assert table.loc[lstm_name, "params"] == lstm_forecaster_params(4)
    assert table.loc["persistence", "params"] == 0
    fig = plot_fair_comparison(table, series.noise_floor())
    assert isinstance(fig, Figure) and len(fig.axes[0].patches) == len(table)
    plt.close(fig)


def test_bench_models_returns_the_keys_bench_py_prints(monkeypatch):
    monkeypatch.setitem(compare.FAST, "max_train_windows", 96)
    result = compare.bench_models(fast=True)
    assert set(result) == set(compare.model_names(compare.comparison_config(True)))
    for metrics in result.values():
        assert set(metrics) == {
            "test_rmse",
            "train_rmse",
            "seconds_per_epoch",
            "test_rmse_std",
            "params",
        }
        assert all(math.isfinite(v) for v in metrics.values())


def test_one_dimensional_windows_give_a_one_line_error():
    split = compare.split_for(multi_sine(n=400), TINY)
    flat = replace(split, X_train=split.X_train[..., 0])  # (N, 8): the feature axis dropped
    with pytest.raises(ValueError, match=r"expected X of shape .* \(N, 8, 1\)") as err:
        compare.fit_and_score(lstm_model(8, 4), flat, TINY, seed=0)
    assert "\n" not in str(err.value)


def test_unknown_scaling_and_impossible_targets_are_rejected():
    X, y = make_windows(np.arange(40.0), 8)
    with pytest.raises(ValueError, match="scaling must be one of"):
        compare.fit_scaling("standardize", X, y)
    with pytest.raises(ValueError, match="at least 35 parameters"):
        matched_hidden_width(10, look_back=32)
