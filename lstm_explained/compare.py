"""LSTM against a feed-forward net, compared fairly on the multi-sine series.

The source tutorial found that "a simple feedforward NN is almost better than a LSTM". To test
that claim both models must get the same chance:

* the same input: a window of ``look_back`` past values, (B, look_back, 1); the feed-forward net
  flattens it to (B, look_back) and sees every value at once;
* about the same number of parameters: ``matched_hidden_width`` picks the Dense width so that
  ``Flatten -> Dense(h) -> Dense(1)`` has as many weights as ``LSTM(u) -> Dense(1)``;
* the same scaling, optimizer, learning rate, batch size, epoch budget and early stopping on the
  same validation windows (the end of the training part, in time order, never shuffled in);
* several seeds each, reported as mean ± std, next to persistence ("next = last") and a linear
  least-squares fit on the same window, and against the noise floor.

The windows come from ``windows.WindowSplit``; the LSTM, the two baselines and two of the three
input scalings are those of part 1 (``forecast.py``), so both lessons measure the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import keras
import numpy as np
import pandas as pd

from lstm_explained import forecast
from lstm_explained.config import pick
from lstm_explained.forecast import LinearWindow, Persistence, check_windows, lstm_model, rmse
from lstm_explained.params import lstm_param_count
from lstm_explained.series import Series, multi_sine
from lstm_explained.windows import WindowSplit

# What fast mode (LAB_FAST=1) changes: fewer seeds and epochs, the most recent windows only.
FULL = dict(seeds=(0, 1, 2, 3, 4), epochs=25, max_train_windows=None)
FAST = dict(seeds=(0, 1), epochs=2, max_train_windows=384)


def _mode(name: str):
    """The full value of a config field, or its fast value when ``LAB_FAST`` is set."""
    return pick(FULL, FAST)[name]


@dataclass(frozen=True)
class ComparisonConfig:
    """Everything both models share. Fast mode keeps the recipe and shrinks seeds and epochs."""

    look_back: int = 32
    lstm_units: int = 32
    scaling: str = "last_value"  # or "difference", "minmax" (the source's); see fit_scaling
    seeds: tuple[int, ...] = field(default_factory=lambda: _mode("seeds"))
    epochs: int = field(default_factory=lambda: _mode("epochs"))  # at most; early stopping
    max_train_windows: int | None = field(default_factory=lambda: _mode("max_train_windows"))
    batch_size: int = 32
    learning_rate: float = 3e-3
    patience: int = 4  # early stopping: epochs without a better validation loss
    validation_fraction: float = 0.15  # the last 15% of the training windows, in time order


def comparison_config(fast: bool) -> ComparisonConfig:
    """The full or the fast config, whatever ``LAB_FAST`` says (``bench`` passes its mode)."""
    return replace(ComparisonConfig(), **(FAST if fast else FULL))


# ---------------------------------------------------------------- matching the parameter counts


def feedforward_model(look_back: int, hidden: int) -> keras.Model:
    """``Flatten -> Dense(hidden, relu) -> Dense(1)``: sees the whole window at once."""
    inputs = keras.Input((look_back, 1))  # (B, T, 1)
    x = keras.layers.Flatten()(inputs)  # (B, T)
    x = keras.layers.Dense(hidden, activation="relu")(x)  # (B, hidden)
    outputs = keras.layers.Dense(1)(x)  # (B, 1)
    return keras.Model(inputs, outputs, name=f"ff{hidden}_lb{look_back}")


def lstm_forecaster_params(units: int) -> int:
    """``LSTM(u) -> Dense(1)`` on 1 feature: ``4*(u*(1+u) + u) + (u + 1)``, whatever look_back."""
    return lstm_param_count(1, units) + units + 1  # the same weights serve every step


def feedforward_forecaster_params(look_back: int, hidden: int) -> int:
    """``Flatten -> Dense(h) -> Dense(1)`` on a window of T values: ``(T+1)*h + (h+1)``."""
    return (look_back + 1) * hidden + hidden + 1


def matched_hidden_width(target_params: int, look_back: int) -> int:
    """The Dense width h whose feed-forward net has the parameter count closest to the target."""
    if target_params < look_back + 3:
        raise ValueError(
            f"matched_hidden_width: a feed-forward net on {look_back} inputs has at least "
            f"{look_back + 3} parameters, got target_params={target_params}"
        )
    h = (target_params - 1) / (look_back + 2)  # solve (T+2)*h + 1 = target
    candidates = {max(1, int(np.floor(h))), int(np.ceil(h))}
    return min(
        candidates, key=lambda w: abs(feedforward_forecaster_params(look_back, w) - target_params)
    )


def matched_models(config: ComparisonConfig) -> dict:
    """``{name: builder}`` for the LSTM and the feed-forward net with the matched width."""
    hidden = matched_hidden_width(lstm_forecaster_params(config.lstm_units), config.look_back)
    ff_name, lstm_name = model_names(config)
    return {
        ff_name: lambda: feedforward_model(config.look_back, hidden),
        lstm_name: lambda: lstm_model(config.look_back, config.lstm_units),
    }


def model_names(config: ComparisonConfig) -> tuple[str, str]:
    """The bench names of the two trained models, e.g. ``ff_matched_lb32`` and ``lstm32_lb32``."""
    return f"ff_matched_lb{config.look_back}", f"lstm{config.lstm_units}_lb{config.look_back}"


# ---------------------------------------------------------------- one shared recipe


@dataclass(frozen=True)
class LastValueScaling:
    """Each window and its target measured from the window's last value, then standardized.

    The multi-sine series climbs, so raw test windows lie above everything seen in training.
    Subtracting the last value removes the level: the model predicts the next *change* from a
    window that looks the same in training and in testing. Unlike part 1's ``"difference"``
    scaling, the window keeps its shape (values relative to now, not step-to-step changes).
    """

    x_mean: float
    x_std: float
    y_mean: float
    y_std: float

    @classmethod
    def fit(cls, X, y) -> LastValueScaling:
        last = X[:, -1:, :]  # (N, 1, 1)
        dx, dy = X - last, y - last[:, 0, 0]  # (N, T, 1), (N,)
        return cls(float(dx.mean()), float(dx.std()), float(dy.mean()), float(dy.std()))

    def inputs(self, X) -> np.ndarray:
        return ((X - X[:, -1:, :] - self.x_mean) / self.x_std).astype(np.float32)  # (N, T, 1)

    def targets(self, X, y) -> np.ndarray:
        return ((y - X[:, -1, 0] - self.y_mean) / self.y_std).astype(np.float32)  # (N,)

    def predictions(self, X, outputs) -> np.ndarray:
        """Network outputs (N,) or (N, 1), back in the series' units: (N,)."""
        outputs = np.asarray(outputs, np.float64).reshape(-1)
        return X[:, -1, 0] + self.y_mean + outputs * self.y_std


SCALINGS = ("last_value", *forecast.SCALINGS)


def fit_scaling(kind: str, X, y):
    """``"last_value"`` (above), or part 1's ``"difference"`` and ``"minmax"``, fitted on train."""
    if kind == "last_value":
        return LastValueScaling.fit(np.asarray(X, np.float64), np.asarray(y, np.float64))
    if kind not in SCALINGS:
        raise ValueError(f"fit_scaling: scaling must be one of {SCALINGS}, got {kind!r}")
    return forecast.WindowScaling.fit(kind, X, y)


def split_for(series: Series, config: ComparisonConfig) -> WindowSplit:
    """The train / validation / test windows every model of the comparison uses."""
    return WindowSplit.from_series(
        series, config.look_back, config.validation_fraction, config.max_train_windows
    )


def fit_and_score(model: keras.Model, split: WindowSplit, config: ComparisonConfig, seed: int):
    """Train with the shared recipe; test/train RMSE in the series' units, and the time taken."""
    for part in ("train", "val", "test"):
        check_windows(getattr(split, f"X_{part}"), config.look_back)
    scaling = fit_scaling(config.scaling, split.X_train, split.y_train)
    keras.utils.set_random_seed(seed)
    model.compile(keras.optimizers.Adam(config.learning_rate), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=config.patience, restore_best_weights=True)
    val = (scaling.inputs(split.X_val), scaling.targets(split.X_val, split.y_val))
    start = time.perf_counter()
    history = model.fit(
        scaling.inputs(split.X_train), scaling.targets(split.X_train, split.y_train),
        validation_data=val, epochs=config.epochs, batch_size=config.batch_size,
        callbacks=[stop], verbose=0,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    epochs_run = len(history.history["loss"])

    def predict(X):  # (N, T, 1) raw windows -> (N,) forecasts in the series' units
        return scaling.predictions(X, model.predict(scaling.inputs(X), batch_size=512, verbose=0))

    return {
        "test_rmse": rmse(split.y_test, predict(split.X_test)),
        "train_rmse": rmse(split.y_train, predict(split.X_train)),
        "seconds_per_epoch": seconds / epochs_run,
        "epochs": epochs_run,
        "params": int(model.count_params()),
    }


def baseline_rows(split: WindowSplit) -> list[dict]:
    """Persistence and the least-squares fit on the same window: nothing to train, one run."""
    rows = []
    for baseline, params in [(Persistence(), 0), (LinearWindow(split.look_back), None)]:
        baseline.fit(split.X_train, split.y_train)
        rows.append(
            {
                "model": baseline.name, "seed": 0,
                "test_rmse": rmse(split.y_test, baseline.predict(split.X_test)),
                "train_rmse": rmse(split.y_train, baseline.predict(split.X_train)),
                "seconds_per_epoch": 0.0, "epochs": 0,
                "params": params if params is not None else baseline.coef.size,
            }
        )  # fmt: skip
    return rows


def run_comparison(config: ComparisonConfig | None = None, series: Series | None = None):
    """Train both models once per seed; returns one row per (model, seed) as a DataFrame.

    Columns: model, seed, test_rmse, train_rmse, seconds_per_epoch, epochs, params.
    """
    config = config or ComparisonConfig()
    series = series or multi_sine()
    split = split_for(series, config)
    rows = baseline_rows(split)
    for seed in config.seeds:
        for name, build in matched_models(config).items():
            keras.utils.set_random_seed(seed)  # the same initial draw for a given seed
            rows.append(
                {"model": name, "seed": seed, **fit_and_score(build(), split, config, seed)}
            )
    return pd.DataFrame(rows)


def scaling_study(config: ComparisonConfig, series: Series, scalings=SCALINGS) -> pd.DataFrame:
    """``run_comparison`` once per input scaling; the rows get a ``scaling`` column."""
    runs = [
        run_comparison(replace(config, scaling=kind), series).assign(scaling=kind)
        for kind in scalings
    ]
    return pd.concat(runs, ignore_index=True)


def summary_table(runs: pd.DataFrame, noise_floor: float) -> pd.DataFrame:
    """Mean ± std over seeds per model, the ratio to the noise floor, params and s/epoch."""
    grouped = runs.groupby("model", sort=False)
    table = pd.DataFrame(
        {
            "test_rmse": grouped["test_rmse"].mean(),
            "test_rmse_std": grouped["test_rmse"].std(ddof=1).fillna(0.0),
            "rmse_over_floor": grouped["test_rmse"].mean() / noise_floor,
            "train_rmse": grouped["train_rmse"].mean(),
            "params": grouped["params"].first().astype(int),
            "seconds_per_epoch": grouped["seconds_per_epoch"].mean(),
            "epochs": grouped["epochs"].mean(),
            "seeds": grouped["seed"].count(),
        }
    )
    table["test RMSE (mean ± std)"] = [
        f"{m:.5f} ± {s:.5f}"
        for m, s in zip(table["test_rmse"], table["test_rmse_std"], strict=True)
    ]
    return table.sort_values("test_rmse")


def bench_models(fast: bool) -> dict:
    """The FF and LSTM of the fair comparison: ``{name: {test_rmse, train_rmse, ...}}``."""
    config = comparison_config(fast)
    series = multi_sine()
    table = summary_table(run_comparison(config, series), series.noise_floor())
    keys = ("test_rmse", "train_rmse", "seconds_per_epoch", "test_rmse_std")
    return {
        name: {
            **{k: float(table.loc[name, k]) for k in keys},
            "params": int(table.loc[name, "params"]),
        }
        for name in model_names(config)
    }
