"""Gate activations over time: what a small trained LSTM's i, f, o gates and cell state do.

We train ``LSTM(8)`` briefly on windows of the multi-sine series (standardized with the training
part's mean and standard deviation, so that inputs are of order 1 and the gates use more of
their range), take its weights with
``get_weights()``, and run ``numpy_lstm.lstm_step`` along a stretch of the test series, keeping
every step's gates. The NumPy run is the layer itself (the two agree to 1e-5), so these are the
values Keras computes inside ``LSTM.call`` and never returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import keras
import numpy as np

from lstm_explained.config import pick
from lstm_explained.numpy_lstm import lstm_step
from lstm_explained.series import Series, multi_sine
from lstm_explained.windows import make_windows


@dataclass(frozen=True)
class GateConfig:
    """The small LSTM whose gates we watch. Fast mode shrinks epochs, data and the trace."""

    units: int = 8
    look_back: int = 32
    epochs: int = field(default_factory=lambda: pick(8, 1))
    max_windows: int | None = field(default_factory=lambda: pick(None, 512))  # None: all
    batch_size: int = 32
    learning_rate: float = 0.01
    trace_steps: int = field(default_factory=lambda: pick(200, 64))  # length of the traced stretch
    seed: int = 0


class GateTrace(NamedTuple):
    """Per-step values of one traced sequence; ``x`` is (T,), every other array (T, units)."""

    x: np.ndarray  # the input: (T,) series (standardized), or (T, F) features
    i: np.ndarray  # input gate
    f: np.ndarray  # forget gate
    c_tilde: np.ndarray  # candidate
    o: np.ndarray  # output gate
    c: np.ndarray  # cell state
    h: np.ndarray  # hidden state (the layer's output)


def standardized(series: Series) -> np.ndarray:
    """``(values - mean) / std`` over the whole series, with the training part's mean and std."""
    return (series.values - series.train.mean()) / series.train.std()  # (N,)


def gate_model(units: int, look_back: int) -> keras.Model:
    """``LSTM(units) -> Dense(1)``: one-step forecaster; the LSTM layer is named "lstm"."""
    inputs = keras.Input((look_back, 1))  # (B, T, 1)
    h = keras.layers.LSTM(units, name="lstm")(inputs)  # (B, u)
    return keras.Model(inputs, keras.layers.Dense(1)(h))  # (B, 1)


def train_gate_model(config: GateConfig | None = None) -> keras.Model:
    """Train ``gate_model`` on windows of the standardized ``multi_sine()`` training part."""
    config = config or GateConfig()
    keras.utils.set_random_seed(config.seed)
    series = multi_sine()
    train = standardized(series)[: series.split]
    X, y = make_windows(train, config.look_back)  # (N, look_back, 1), (N,)
    if config.max_windows is not None:
        X, y = X[: config.max_windows], y[: config.max_windows]
    model = gate_model(config.units, config.look_back)
    model.compile(keras.optimizers.Adam(config.learning_rate), loss="mse")
    model.fit(X, y, epochs=config.epochs, batch_size=config.batch_size, verbose=0)
    return model


def trace_gates(lstm: keras.layers.LSTM, values) -> GateTrace:
    """Run ``lstm_step`` over one sequence with the weights of ``lstm``: ``values`` is (T,) for
    an LSTM on one feature (a series), or (T, F) for an LSTM on F features."""
    kernel, recurrent_kernel, bias = lstm.get_weights()
    n_features = kernel.shape[0]
    x = np.asarray(values, dtype=np.float64)
    steps_in = x.reshape(-1, 1) if x.ndim == 1 and n_features == 1 else x
    if steps_in.ndim != 2 or steps_in.shape[1] != n_features:
        wanted = "(T,) or (T, 1)" if n_features == 1 else f"(T, {n_features})"
        raise ValueError(
            f"trace_gates: this LSTM reads {n_features} feature(s) per step: expected a "
            f"sequence of shape {wanted}, got {x.shape}"
        )
    u = recurrent_kernel.shape[0]
    h, c = np.zeros((1, u)), np.zeros((1, u))  # a batch of one sequence
    steps = []
    for x_t in steps_in:  # x_t: (F,)
        h, c, g = lstm_step(x_t[None, :], h, c, kernel, recurrent_kernel, bias)
        steps.append((g.i, g.f, g.c_tilde, g.o, c, h))
    per_step = [np.concatenate(a, axis=0) for a in zip(*steps, strict=True)]  # each (T, u)
    return GateTrace(x, *per_step)


@lru_cache(maxsize=2)
def trained_gate_model(config: GateConfig | None = None) -> keras.Model:
    """``train_gate_model``, cached so the figures of this part train the model once."""
    return train_gate_model(config)


def sine_gate_trace(config: GateConfig | None = None) -> GateTrace:
    """The trained model's gates along the first ``trace_steps`` points of the test series."""
    config = config or GateConfig()
    series = multi_sine()
    stretch = standardized(series)[series.split : series.split + config.trace_steps]  # (T,)
    return trace_gates(trained_gate_model(config).get_layer("lstm"), stretch)
