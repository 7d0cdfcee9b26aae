"""One-step forecasting of the sine series: baselines, the source LSTM, and a better one.

Every forecaster here has the same two-method interface, so they are trained, scored and
rolled forward (recursive multi-step forecasts) by the same code:

* ``fit(X, y)`` on windows X (N, look_back, 1) and targets y (N,);
* ``predict(X)`` -> (N,), the next value after each window, in the series' own units.

Baselines come first, as in TensorFlow's time-series tutorial: ``Persistence`` ("the next
value is the last one") and ``LinearWindow`` (least squares on the same window). The
``LSTMForecaster`` is ``LSTM(units) -> Dense(1)`` with one of two input scalings:

* ``"minmax"``: map the training part to [0, 1], as the source tutorial does. The multi-sine
  series climbs, so test inputs lie above anything seen in training and the LSTM must
  extrapolate through its saturating gates.
* ``"difference"``: the inputs are the window's one-step changes and the target is the next
  change, so the network predicts the *change* from the last value. Persistence becomes
  "predict a change of 0", the level of the series drops out, and train and test inputs look
  alike. With ``every_step`` the network forecasts after every step of the window, not only
  after the last one, so each window teaches many targets.

``LessonConfig`` gathers the recipes the notebook and the figures use; ``lesson_config()``
shrinks them in fast mode (``LAB_FAST=1``), in one place.

All scores are compared with the series' noise floor: the RMSE of an oracle that knows the
clean signal. No one-step forecaster can beat it on average.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import keras
import numpy as np
import pandas as pd

from lstm_explained.config import pick
from lstm_explained.series import Series, multi_sine
from lstm_explained.windows import WindowSplit

# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class ForecastConfig:
    """How one LSTM forecaster is built and trained. The defaults are the source tutorial's."""

    look_back: int = 1  # timesteps per window
    units: int = 4  # LSTM(units) -> Dense(1)
    scaling: str = "minmax"  # or "difference": predict the change from the last value
    every_step: bool = False  # a target after every step of the window, not only the last
    warmup: int = 0  # every_step: the first steps carry no loss (the state is still empty)
    epochs: int = 10  # at most, when early stopping is on
    batch_size: int = 1
    learning_rate: float = 1e-3  # Adam's default
    validation_fraction: float = 0.0  # the last part of the training windows, in time order
    patience: int | None = None  # early stopping on validation loss; None: train all epochs
    train_stride: int = 1  # keep every n-th training window (long windows overlap a lot)
    max_train_windows: int | None = None  # keep only the most recent ones (fast mode)
    seed: int = 0


SOURCE = ForecastConfig()  # LSTM(4), look_back 1, Adam, MSE, batch size 1, 10 epochs
# The look_back sweep changes the window and nothing about the recipe but the model size and a
# batch of 32 (batch size 1 on long windows would take hours).
SWEEP = replace(SOURCE, units=32, batch_size=32, epochs=20)
LOOK_BACKS = (1, 4, 8, 16, 32, 64)
# The best recipe found: predict the change from the last value, a long window read with a
# target at every step (each window teaches 256 - 64 next values, not one), early stopping on
# the end of the training part.
BEST = ForecastConfig(
    look_back=256,
    units=64,
    scaling="difference",
    every_step=True,
    warmup=64,
    epochs=60,
    batch_size=32,
    learning_rate=1e-3,
    validation_fraction=0.1,
    patience=10,
    train_stride=8,
)


@dataclass(frozen=True)
class LessonConfig:
    """Everything notebook 01 trains, in one screen."""

    source: ForecastConfig = SOURCE
    sweep: ForecastConfig = SWEEP  # look_back is replaced by each of look_backs
    look_backs: tuple[int, ...] = LOOK_BACKS
    best: ForecastConfig = BEST
    horizon: int = 100  # steps of the recursive forecasts
    multistep_stride: int = 25  # a recursive forecast starts every 25 test points


# What fast mode (LAB_FAST=1) changes: the recipes stay, the epochs, data and sweep shrink.
FAST = dict(epochs=1, max_train_windows=384)
FAST_LESSON = LessonConfig(
    source=replace(SOURCE, **FAST),
    sweep=replace(SWEEP, **FAST),
    look_backs=(1, 8, 32),
    best=replace(BEST, **FAST),
    horizon=20,
)


def lesson_config(fast: bool | None = None) -> LessonConfig:
    """The full lesson, or ``FAST_LESSON``: as ``LAB_FAST`` says, unless ``fast`` is given."""
    if fast is None:
        return pick(LessonConfig(), FAST_LESSON)
    return FAST_LESSON if fast else LessonConfig()


# ---------------------------------------------------------------- inputs and metrics


def check_windows(X, look_back: int | None = None) -> np.ndarray:
    """X must be (samples, timesteps, features) = (N, look_back, 1); else a one-line error."""
    X = np.asarray(X)
    expected_t = "look_back" if look_back is None else look_back
    if X.ndim != 3 or X.shape[-1] != 1 or (look_back is not None and X.shape[1] != look_back):
        raise ValueError(
            f"expected X of shape (samples, timesteps, features) = (N, {expected_t}, 1), "
            f"got shape {X.shape}; make windows with windows.make_windows"
        )
    return X


def rmse(y_true, y_pred) -> float:
    """Root mean squared error: ``sqrt(mean((y - y_hat)**2))``, in the series' units."""
    y_true = np.asarray(y_true, np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, np.float64).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"rmse: {y_true.size} targets but {y_pred.size} predictions")
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


# ---------------------------------------------------------------- baselines


class Persistence:
    """Persistence, ``y_hat = last value of the window``: no parameters, nothing to fit."""

    name = "persistence"
    seconds_per_epoch = 0.0

    def __init__(self, look_back: int = 1):
        self.look_back = look_back

    def fit(self, X, y) -> Persistence:
        check_windows(X)
        return self

    def predict(self, X) -> np.ndarray:
        return check_windows(X)[:, -1, 0].astype(np.float64)  # (N,)


class LinearWindow:
    """``y_hat = w . window + b``, fitted by least squares: an autoregressive AR(look_back) model.

    The smallest "network" on the window (a Dense(1) on the flattened window), solved in closed
    form instead of by gradient descent, so it is the best linear forecaster on the training set.
    """

    seconds_per_epoch = 0.0

    def __init__(self, look_back: int):
        self.look_back = look_back
        self.name = f"linear_lb{look_back}"
        self.coef: np.ndarray | None = None  # (look_back + 1,): the weights, then the bias

    @staticmethod
    def _design(X) -> np.ndarray:
        return np.c_[X[..., 0], np.ones(len(X))].astype(np.float64)  # (N, look_back + 1)

    def fit(self, X, y) -> LinearWindow:
        X = check_windows(X, self.look_back)
        self.coef, *_ = np.linalg.lstsq(self._design(X), np.asarray(y, np.float64), rcond=None)
        return self

    def predict(self, X) -> np.ndarray:
        if self.coef is None:
            raise ValueError(f"{self.name}: call fit(X, y) before predict")
        return self._design(check_windows(X, self.look_back)) @ self.coef  # (N,)


# ---------------------------------------------------------------- the LSTM


SCALINGS = ("minmax", "difference")


@dataclass(frozen=True)
class WindowScaling:
    """Input/target scaling fitted on the training windows only, and undone on predictions.

    ``minmax``: ``(v - lo) / (hi - lo)`` with the training range, for inputs and targets alike.
    ``difference``: the inputs are the window's one-step changes ``v[t] - v[t-1]`` (0 for the
    first step) and the target is the next change, ``y - v[last]``, both divided by the
    training std of one-step changes. Every input and target only looks backwards in time, so
    the same scaling serves a target after every step (``every_step``).
    """

    kind: str
    offset: float = 0.0  # minmax: lo
    scale: float = 1.0  # minmax: hi - lo; difference: std of one-step changes

    @classmethod
    def fit(cls, kind: str, X, y) -> WindowScaling:
        if kind not in SCALINGS:
            raise ValueError(f"WindowScaling: scaling must be one of {SCALINGS}, got {kind!r}")
        if kind == "minmax":
            lo, hi = float(min(X.min(), y.min())), float(max(X.max(), y.max()))
            return cls(kind, lo, hi - lo)
        return cls(kind, 0.0, float(np.std(y - X[:, -1, 0])))

    def inputs(self, X) -> np.ndarray:
        X = np.asarray(X, np.float64)
        if self.kind == "minmax":
            return ((X - self.offset) / self.scale).astype(np.float32)  # (N, T, 1)
        changes = np.diff(X, axis=1, prepend=X[:, :1])  # (N, T, 1): v[t] - v[t-1], first 0
        return (changes / self.scale).astype(np.float32)

    def _reference(self, X) -> np.ndarray:
        """What each target is measured from: the value before it, or lo. Same shape as X."""
        return X if self.kind == "difference" else np.full(X.shape, self.offset)

    def targets(self, X, y) -> np.ndarray:
        """The scaled next value after each window: (N,)."""
        return ((y - self._reference(X)[:, -1, 0]) / self.scale).astype(np.float32)

    def step_targets(self, X, y) -> np.ndarray:
        """The scaled next value after *every* step of each window: (N, T, 1).

        The value after step t is ``X[t + 1]``, and after the last step it is ``y``.
        """
        following = np.concatenate([X[:, 1:, :], np.asarray(y)[:, None, None]], axis=1)
        return ((following - self._reference(X)) / self.scale).astype(np.float32)

    def predictions(self, X, outputs) -> np.ndarray:
        """Network outputs (N,) or (N, 1) for the last step, back in the series' units: (N,)."""
        outputs = np.asarray(outputs, np.float64).reshape(-1)
        return self._reference(np.asarray(X, np.float64))[:, -1, 0] + outputs * self.scale


def lstm_model(look_back: int, units: int, every_step: bool = False) -> keras.Model:
    """``LSTM(units) -> Dense(1)``: reads the window one step at a time, then one number out.

    With ``every_step`` the LSTM returns its hidden state after every step
    (``return_sequences=True``) and the same Dense layer turns each one into a forecast.
    """
    inputs = keras.Input((look_back, 1))  # (B, T, 1): T = look_back timesteps, 1 feature
    # (B, units): the hidden state after the last step, or (B, T, units): after every step
    h = keras.layers.LSTM(units, return_sequences=every_step)(inputs)
    outputs = keras.layers.Dense(1)(h)  # (B, 1) or (B, T, 1): the next value (scaled)
    return keras.Model(inputs, outputs, name=f"lstm{units}_lb{look_back}")


PREDICT_CHUNK = 128  # windows per predict call


class LSTMForecaster:
    """An ``lstm_model`` with its scaling and training recipe (a ``ForecastConfig``)."""

    def __init__(self, config: ForecastConfig = SOURCE, name: str | None = None):
        if config.every_step and not 0 <= config.warmup < config.look_back:
            raise ValueError(
                f"ForecastConfig: warmup must be in [0, look_back={config.look_back}), "
                f"got {config.warmup}"
            )
        self.config = config
        self.look_back = config.look_back
        self.name = name or f"lstm{config.units}_lb{config.look_back}_{config.scaling}"
        keras.utils.set_random_seed(config.seed)  # the same initial weights every run
        self.model = lstm_model(config.look_back, config.units, config.every_step)
        self.scaling: WindowScaling | None = None
        self.history: dict = {}
        self.seconds_per_epoch = float("nan")

    def _training_data(self, X, y) -> tuple:
        """(inputs, targets) or, with a target after every step, (inputs, targets, weights)."""
        X = check_windows(X, self.look_back)
        if not self.config.every_step:
            return self.scaling.inputs(X), self.scaling.targets(X, y)
        weights = np.ones((len(X), self.look_back), np.float32)  # (N, T)
        weights[:, : self.config.warmup] = 0.0
        return self.scaling.inputs(X), self.scaling.step_targets(X, y), weights

    def fit(self, X, y, validation_data=None, verbose=0) -> LSTMForecaster:
        """Adam + MSE on the scaled windows; early stopping when the config asks for it."""
        c = self.config
        X = check_windows(X, self.look_back)
        self.scaling = WindowScaling.fit(c.scaling, X, y)
        val = None
        if validation_data is not None and len(validation_data[0]):
            val = self._training_data(*validation_data)
        callbacks = []
        if c.patience is not None:
            if val is None:
                raise ValueError(f"{self.name}: early stopping (patience) needs validation_data")
            callbacks.append(
                keras.callbacks.EarlyStopping(patience=c.patience, restore_best_weights=True)
            )
        inputs, targets, *weights = self._training_data(X, y)
        keras.utils.set_random_seed(c.seed)  # the same batch order every run
        self.model.compile(keras.optimizers.Adam(c.learning_rate), loss="mse")
        start = time.perf_counter()
        history = self.model.fit(
            inputs, targets, sample_weight=weights[0] if weights else None,
            validation_data=val, epochs=c.epochs, batch_size=c.batch_size,
            callbacks=callbacks, verbose=verbose,
        )  # fmt: skip
        self.history = history.history
        self.seconds_per_epoch = (time.perf_counter() - start) / len(self.history["loss"])
        return self

    def predict(self, X) -> np.ndarray:
        """The next value after each window (N, look_back, 1): (N,)."""
        if self.scaling is None:
            raise ValueError(f"{self.name}: call fit(X, y) before predict")
        X = check_windows(X, self.look_back)
        inputs = self.scaling.inputs(X)  # (N, T, 1)
        # predict_on_batch reuses one compiled function: fast for the many small calls of a
        # recursive forecast. Every call gets the same batch size (the last chunk padded), so
        # TensorFlow traces the function once, not once for every new length.
        size = PREDICT_CHUNK
        n_pad = -len(X) % size
        padded = np.concatenate([inputs, np.zeros((n_pad, *inputs.shape[1:]), inputs.dtype)])
        chunks = [
            self.model.predict_on_batch(padded[i : i + size]) for i in range(0, len(padded), size)
        ]
        outputs = np.concatenate(chunks)[: len(X)]  # (N, 1) or (N, T, 1)
        last = outputs[:, -1] if self.config.every_step else outputs  # (N, 1)
        return self.scaling.predictions(X, last)


# ---------------------------------------------------------------- training and scoring


def fit_on(forecaster, split: WindowSplit, verbose=0):
    """Fit any forecaster on the training windows of ``split`` (validating where it can)."""
    if isinstance(forecaster, LSTMForecaster):
        return forecaster.fit(
            split.X_train, split.y_train, validation_data=(split.X_val, split.y_val),
            verbose=verbose,
        )  # fmt: skip
    return forecaster.fit(split.X_train, split.y_train)


def score(forecaster, split: WindowSplit) -> dict:
    """Test and train RMSE in the series' units, and the training time per epoch."""
    return {
        "test_rmse": rmse(split.y_test, forecaster.predict(split.X_test)),
        "train_rmse": rmse(split.y_train, forecaster.predict(split.X_train)),
        "seconds_per_epoch": float(forecaster.seconds_per_epoch),
    }


def score_on(series: Series, forecaster) -> dict:
    """``score`` on the series' own windows for this forecaster's look_back (all of train)."""
    return score(forecaster, WindowSplit.from_series(series, forecaster.look_back))


def train_lstm(
    series: Series, config: ForecastConfig, name: str | None = None, verbose=0
) -> tuple[LSTMForecaster, WindowSplit]:
    """Window ``series`` as ``config`` says, then build and fit an ``LSTMForecaster``."""
    split = WindowSplit.from_series(
        series, config.look_back, config.validation_fraction, config.max_train_windows,
        config.train_stride,
    )  # fmt: skip
    return fit_on(LSTMForecaster(config, name), split, verbose), split


def baselines(series: Series, look_backs=(LOOK_BACKS[-1],)) -> dict:
    """Persistence, and a linear least-squares fit for each look_back: name -> fitted model."""
    split = WindowSplit.from_series(series, 1)
    models = {"persistence": Persistence().fit(split.X_train, split.y_train)}
    for lb in look_backs:
        linear = fit_on(LinearWindow(lb), WindowSplit.from_series(series, lb))
        models[linear.name] = linear
    return models


def hindsight_linear_rmse(series: Series, look_back: int) -> float:
    """Test RMSE of a linear window fitted on the *test* part itself, answers included.

    It cheats, so it is a bound: no linear function of ``look_back`` values does better on this
    test part. When it sits above the noise floor, the window, not the model, is what limits.
    """
    split = WindowSplit.from_series(series, look_back)
    cheat = LinearWindow(look_back).fit(split.X_test, split.y_test)
    return rmse(split.y_test, cheat.predict(split.X_test))


def look_back_sweep(
    series: Series, config: ForecastConfig = SWEEP, look_backs=LOOK_BACKS
) -> tuple[pd.DataFrame, dict]:
    """Train ``config``'s LSTM and fit a linear model at each look_back.

    Returns a table indexed by look_back (test RMSE of both and its ratio to the noise floor,
    the LSTM's train RMSE and seconds per epoch) and the trained LSTM forecasters by look_back.
    """
    floor = series.noise_floor()
    rows, models = [], {}
    for lb in look_backs:
        lstm, _ = train_lstm(series, replace(config, look_back=lb))
        linear = fit_on(LinearWindow(lb), WindowSplit.from_series(series, lb))
        s_lstm, s_lin = score_on(series, lstm), score_on(series, linear)
        rows.append(
            {
                "look_back": lb,
                "lstm_test_rmse": s_lstm["test_rmse"],
                "lstm_over_floor": s_lstm["test_rmse"] / floor,
                "linear_test_rmse": s_lin["test_rmse"],
                "linear_over_floor": s_lin["test_rmse"] / floor,
                "lstm_train_rmse": s_lstm["train_rmse"],
                "seconds_per_epoch": s_lstm["seconds_per_epoch"],
            }
        )
        models[lb] = lstm
    return pd.DataFrame(rows).set_index("look_back"), models


def comparison_table(scores: dict, noise_floor: float) -> pd.DataFrame:
    """``{name: score(...)}`` as a table with the ratio of test RMSE to the floor, best last."""
    table = pd.DataFrame(scores).T
    table.insert(1, "over_floor", table["test_rmse"] / noise_floor)
    return table.sort_values("test_rmse", ascending=False)


# ---------------------------------------------------------------- recursive multi-step forecasts


def recursive_forecast(forecaster, history, horizon: int) -> np.ndarray:
    """Forecast ``horizon`` steps by feeding each prediction back in as the newest input.

    ``history`` is (T,) or (B, T) with T >= look_back (only the last look_back values are used);
    returns (horizon,) or (B, horizon). Step k's input holds k of the model's own forecasts, so
    its errors compound: that is why error grows with the horizon.
    """
    h = np.asarray(history, dtype=np.float32)
    single = h.ndim == 1
    h = h[None] if single else h
    lb = forecaster.look_back
    if h.ndim != 2 or h.shape[1] < lb:
        raise ValueError(
            f"recursive_forecast: expected a history of shape (T,) or (B, T) with "
            f"T >= look_back = {lb}, got shape {np.shape(history)}"
        )
    if horizon < 1:
        raise ValueError(f"recursive_forecast: horizon must be >= 1, got {horizon}")
    window = h[:, -lb:]  # (B, look_back)
    out = np.empty((len(h), horizon))  # (B, horizon)
    for k in range(horizon):
        out[:, k] = forecaster.predict(window[..., None])  # (B,)
        window = np.concatenate([window[:, 1:], out[:, k : k + 1].astype(np.float32)], axis=1)
    return out[0] if single else out


def forecast_origins(series: Series, horizon: int, stride: int) -> np.ndarray:
    """Start points in the test part, every ``stride`` steps, that leave ``horizon`` to score."""
    return np.arange(series.split, len(series.values) - horizon + 1, stride)


def horizon_rmse(forecasters: dict, series: Series, horizon: int, stride: int = 10) -> dict:
    """RMSE at each step ahead 1..horizon, averaged over many test origins: name -> (horizon,).

    Every forecaster starts from the same origins and the same (true) history before them.
    """
    origins = forecast_origins(series, horizon, stride)
    context = max(f.look_back for f in forecasters.values())
    if origins.size == 0 or origins[0] < context:
        raise ValueError(f"horizon_rmse: no test origin leaves {horizon} steps to score")
    history = np.stack([series.values[o - context : o] for o in origins])  # (B, context)
    truth = np.stack([series.values[o : o + horizon] for o in origins])  # (B, horizon)
    return {
        name: np.sqrt(np.mean((recursive_forecast(f, history, horizon) - truth) ** 2, axis=0))
        for name, f in forecasters.items()
    }


# ---------------------------------------------------------------- the whole lesson, for figures/bench


@dataclass
class LessonResults:
    """Everything the figures and the benchmark of part 1 show, computed once."""

    noise_floor: float
    scores: dict  # name -> {"test_rmse", "train_rmse", "seconds_per_epoch"}
    sweep: pd.DataFrame  # look_back_sweep's table
    horizon_rmse: dict  # name -> (horizon,): RMSE k steps ahead, over many test origins
    forecasts: dict  # name -> (horizon,): one recursive forecast from the first test point
    best_name: str
    sweep_best_name: str


def run_lesson(config: LessonConfig | None = None, series: Series | None = None) -> LessonResults:
    """Baselines, the source LSTM, the look_back sweep, the best recipe, multi-step forecasts."""
    c = config or lesson_config()
    series = series or multi_sine()
    forecasters = baselines(series, (c.look_backs[-1], c.best.look_back))

    source, _ = train_lstm(series, c.source, name=f"source_lstm{c.source.units}_lb1")
    sweep, sweep_models = look_back_sweep(series, c.sweep, c.look_backs)
    lb = int(sweep["lstm_test_rmse"].idxmin())
    sweep_best = sweep_models[lb]
    sweep_best.name = f"sweep_best_lstm{c.sweep.units}_lb{lb}"
    best, _ = train_lstm(series, c.best, name=f"best_lstm{c.best.units}_lb{c.best.look_back}")
    forecasters.update({f.name: f for f in (source, sweep_best, best)})
    scores = {name: score_on(series, f) for name, f in forecasters.items()}

    multistep = {k: forecasters[k] for k in ("persistence", f"linear_lb{c.look_backs[-1]}")}
    multistep[best.name] = best
    history = series.values[: series.split]  # forecast the test part from its first point
    return LessonResults(
        noise_floor=series.noise_floor(),
        scores=scores,
        sweep=sweep,
        horizon_rmse=horizon_rmse(multistep, series, c.horizon, c.multistep_stride),
        forecasts={k: recursive_forecast(f, history, c.horizon) for k, f in multistep.items()},
        best_name=best.name,
        sweep_best_name=sweep_best.name,
    )


def bench_models(fast: bool) -> dict:
    """``{"noise_floor": float, "models": {name: {test_rmse, train_rmse, seconds_per_epoch}}}``."""
    lesson = run_lesson(lesson_config(fast))
    return {"noise_floor": lesson.noise_floor, "models": lesson.scores}
