"""A task where memory matters: recall the digit that was marked k steps ago.

Each sequence has T steps. At every step the input is a random digit (one-hot, 10 channels) and a
marker channel that is 1 at exactly one step, T - k, and 0 elsewhere. After the last step the
model must name the digit seen at the marked step, k steps before the end (k = 1: the last step):

    x[t] = (one_hot(d[t]), marker[t])      # (T, 11)
    y    = d[T - k]                         # the marked digit

A feed-forward net with a fixed window of the last w steps has no way to do this once k > w: the
marker and the digit lie outside what it is given, so it can only guess (accuracy 1/10). An LSTM
reads all T steps and can learn a simple rule with its gates: open the input gate when the marker
is on (write the digit into the cell state), keep the forget gate near 1 afterwards (hold it), and
read it out at the end. How far back it can reach does not depend on a window.

Giving the feed-forward net the whole sequence as its window is the fair question. Trained on
one k at a time (one position to learn) it then solves every k. Trained like the LSTM (k anywhere
in 1..T) it must learn "marker at t and digit d at t" separately for every t: its parameters grow
with T and so does the data it needs (:func:`window_cost`), while the LSTM applies one rule at
every step with the same weights, whatever T is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from functools import lru_cache

import keras
import numpy as np

from lstm_explained.config import pick

FULL = dict(
    ks=(1, 3, 5, 8, 10, 12, 15, 20, 30, 40),
    n_train=8000,
    ff_train_per_k=2000,
    n_test_per_k=400,
    epochs=12,
)
FAST = dict(ks=(1, 10, 12, 40), n_train=1024, ff_train_per_k=256, n_test_per_k=64, epochs=2)


def _mode(name: str):
    """The full value of a config field, or its fast value when ``LAB_FAST`` is set."""
    return pick(FULL, FAST)[name]


@dataclass(frozen=True)
class MemoryConfig:
    """The recall task and the two models. Fast mode shrinks data, epochs and the list of k."""

    seq_len: int = 40  # T, the number of steps the LSTM reads
    n_symbols: int = 10  # digits 0..9; chance accuracy is 1 / n_symbols
    window: int = 10  # w, the feed-forward net's fixed window: the last w steps
    ks: tuple[int, ...] = field(default_factory=lambda: _mode("ks"))  # recall distances
    n_train: int = field(default_factory=lambda: _mode("n_train"))  # LSTM: k uniform in 1..T
    ff_train_per_k: int = field(default_factory=lambda: _mode("ff_train_per_k"))  # FF: one k
    n_test_per_k: int = field(default_factory=lambda: _mode("n_test_per_k"))
    epochs: int = field(default_factory=lambda: _mode("epochs"))
    lstm_units: int = 32
    ff_hidden: int = 128
    batch_size: int = 64
    learning_rate: float = 3e-3
    seed: int = 0

    @property
    def chance(self) -> float:
        return 1.0 / self.n_symbols


def memory_config(fast: bool) -> MemoryConfig:
    """The full or the fast config, whatever ``LAB_FAST`` says (``bench`` passes its mode)."""
    return replace(MemoryConfig(), **(FAST if fast else FULL))


# ---------------------------------------------------------------- the task


def recall_sequences(n: int, seq_len: int, n_symbols: int, k, seed: int = 0):
    """``n`` sequences of the recall task. ``k`` is one int or an array of n ints in 1..seq_len.

    Returns X (n, T, n_symbols + 1) float32 (one-hot digit, then the marker channel), y (n,) int
    (the digit at step T - k) and k (n,).
    """
    rng = np.random.default_rng(seed)
    k = np.broadcast_to(np.asarray(k, dtype=int), (n,)).copy()
    if k.min() < 1 or k.max() > seq_len:
        raise ValueError(f"recall_sequences: k must lie in 1..{seq_len}, got {k.min()}..{k.max()}")
    digits = rng.integers(0, n_symbols, size=(n, seq_len))  # (n, T)
    X = np.zeros((n, seq_len, n_symbols + 1), dtype=np.float32)  # (n, T, n_symbols + 1)
    rows, steps = np.arange(n)[:, None], np.arange(seq_len)[None, :]
    X[rows, steps, digits] = 1.0  # one-hot digit at every step
    marked = seq_len - k  # (n,) the step to remember
    X[np.arange(n), marked, n_symbols] = 1.0  # the marker channel
    y = digits[np.arange(n), marked]  # (n,)
    return X, y, k


def check_sequences(X, config: MemoryConfig) -> np.ndarray:
    """X must be (N, T, n_symbols + 1); anything else gets a one-line error."""
    X = np.asarray(X)
    expected = (config.seq_len, config.n_symbols + 1)
    if X.ndim != 3 or X.shape[1:] != expected:
        raise ValueError(
            f"expected recall sequences of shape (N, {expected[0]}, {expected[1]}), "
            f"got shape {X.shape}; build them with memory.recall_sequences"
        )
    return X


# ---------------------------------------------------------------- the two models


def windowed_feedforward(config: MemoryConfig) -> keras.Model:
    """Reads the full sequence but keeps only its last ``window`` steps, then a Dense net."""
    T, w, c = config.seq_len, config.window, config.n_symbols + 1
    inputs = keras.Input((T, c))  # (B, T, c)
    x = keras.layers.Cropping1D((T - w, 0), name="last_window")(inputs)  # (B, w, c)
    x = keras.layers.Flatten()(x)  # (B, w * c)
    x = keras.layers.Dense(config.ff_hidden, activation="relu")(x)  # (B, hidden)
    outputs = keras.layers.Dense(config.n_symbols, activation="softmax")(x)  # (B, n_symbols)
    return keras.Model(inputs, outputs, name=f"ff_window{w}")


def full_window_feedforward(config: MemoryConfig) -> keras.Model:
    """:func:`windowed_feedforward` whose window is the whole sequence (w = T)."""
    return windowed_feedforward(replace(config, window=config.seq_len))


def recurrent_reader(config: MemoryConfig) -> keras.Model:
    """``LSTM(units) -> Dense(n_symbols)``: reads every step; its last hidden state answers."""
    inputs = keras.Input((config.seq_len, config.n_symbols + 1))  # (B, T, c)
    h = keras.layers.LSTM(config.lstm_units)(inputs)  # (B, u)
    outputs = keras.layers.Dense(config.n_symbols, activation="softmax")(h)  # (B, n_symbols)
    return keras.Model(inputs, outputs, name=f"lstm{config.lstm_units}")


def train(model: keras.Model, X, y, config: MemoryConfig) -> keras.Model:
    """Adam on cross-entropy, the same recipe for both models.

    Sets ``model.seconds_per_1000``: seconds for one epoch over 1000 sequences.
    """
    check_sequences(X, config)
    keras.utils.set_random_seed(config.seed)
    model.compile(
        keras.optimizers.Adam(config.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    model.fit(X, y, epochs=config.epochs, batch_size=config.batch_size, verbose=0)
    model.seconds_per_1000 = (time.perf_counter() - start) / config.epochs / len(X) * 1000
    return model


def accuracy_by_k(model: keras.Model, config: MemoryConfig) -> list[float]:
    """Accuracy on fresh sequences (the same ones for every model) for each k in ``config.ks``."""
    scores = []
    for k in config.ks:
        X, y, _ = recall_sequences(
            config.n_test_per_k, config.seq_len, config.n_symbols, k, seed=10_000 + k
        )
        probs = keras.ops.convert_to_numpy(model(X, training=False))  # (N, n_symbols)
        predicted = probs.argmax(axis=-1)  # (N,); a direct call: no predict() retracing per model
        scores.append(float(np.mean(predicted == y)))
    return scores


def _mixed_k_data(config: MemoryConfig, n: int | None = None):
    """``n`` (default ``config.n_train``) training sequences with k uniform in 1..T."""
    n = config.n_train if n is None else n
    mixed_k = np.random.default_rng(config.seed).integers(1, config.seq_len + 1, n)  # (n,)
    X, y, _ = recall_sequences(
        n, config.seq_len, config.n_symbols, mixed_k, seed=config.seed + 1000
    )
    return X, y


@lru_cache(maxsize=2)
def trained_recall_lstm(config: MemoryConfig) -> keras.Model:
    """The LSTM of :func:`run_memory`, trained once per config (the figures reuse it)."""
    X, y = _mixed_k_data(config)
    keras.utils.set_random_seed(config.seed)
    return train(recurrent_reader(config), X, y, config)


def run_memory(config: MemoryConfig | None = None) -> dict:
    """Accuracy against k for the three models: ``{"k", "ff_accuracy", "ff_full_accuracy",
    "lstm_accuracy", ...}``.

    The feed-forward nets get their best shot: a fresh net per k, trained on sequences with that
    k only, so each has one position to learn: one sees the last ``window`` steps, the other all
    T. The LSTM is trained once on k uniform in 1..T and scored on every k: a harder job (it must
    find the marker wherever it is).
    """
    config = config or MemoryConfig()
    T, n_symbols = config.seq_len, config.n_symbols
    result = {"k": list(config.ks), "ff_accuracy": [], "ff_full_accuracy": []}
    seconds = []
    for j, k in enumerate(config.ks):
        X, y, _ = recall_sequences(config.ff_train_per_k, T, n_symbols, k, seed=config.seed + j)
        for key, build in (("ff", windowed_feedforward), ("ff_full", full_window_feedforward)):
            keras.utils.set_random_seed(config.seed)
            ff = train(build(config), X, y, config)
            result[f"{key}_accuracy"] += accuracy_by_k(ff, replace(config, ks=(k,)))
            if key == "ff":
                seconds.append(ff.seconds_per_1000)
    lstm = trained_recall_lstm(config)
    result["lstm_accuracy"] = accuracy_by_k(lstm, config)
    result["lstm_seconds_per_1000"] = lstm.seconds_per_1000
    result["ff_seconds_per_1000"] = float(np.mean(seconds))
    result.update(
        ff_params=int(windowed_feedforward(config).count_params()),
        ff_full_params=int(full_window_feedforward(config).count_params()),
        lstm_params=int(lstm.count_params()), window=config.window, seq_len=T,
        chance=config.chance,
    )  # fmt: skip
    return result


@dataclass(frozen=True)
class WindowCostConfig:
    """What a full window costs: sequence lengths T and training-set sizes to try."""

    seq_lens: tuple[int, ...] = field(default_factory=lambda: pick((10, 20, 40), (6, 12)))
    n_trains: tuple[int, ...] = field(default_factory=lambda: pick((2000, 8000, 32000), (128, 512)))


def window_cost(config: MemoryConfig | None = None, cost: WindowCostConfig | None = None) -> dict:
    """The full-window FF trained like the LSTM (k uniform in 1..T, scored on every k): its mean
    accuracy for each T and training-set size, and its parameters against the LSTM's.

    Returns ``{"seq_lens", "n_trains", "ff_full_accuracy": {T: [acc per n]}, "ff_full_params":
    {T: n}, "lstm_params": {T: n}, "chance"}``.
    """
    config = config or MemoryConfig()
    cost = cost or WindowCostConfig()
    out = {
        "seq_lens": list(cost.seq_lens),
        "n_trains": list(cost.n_trains),
        "chance": config.chance,
    }
    out["ff_full_accuracy"], out["ff_full_params"], out["lstm_params"] = {}, {}, {}
    for T in cost.seq_lens:
        c = replace(config, seq_len=T, ks=tuple(range(1, T + 1)), n_test_per_k=max(8, 400 // T))
        out["ff_full_params"][T] = int(full_window_feedforward(c).count_params())
        out["lstm_params"][T] = int(recurrent_reader(c).count_params())
        scores = []
        for n in cost.n_trains:
            X, y = _mixed_k_data(c, n)
            keras.utils.set_random_seed(config.seed)
            ff = train(full_window_feedforward(c), X, y, c)
            scores.append(float(np.mean(accuracy_by_k(ff, c))))
        out["ff_full_accuracy"][T] = scores
    return out


def memory_gate_trace(config: MemoryConfig | None = None, k: int = 15, seed: int = 7):
    """The gates of :func:`trained_recall_lstm` along one fresh sequence whose marked digit is
    ``k`` steps before the end: ``(GateTrace, marked step, digit)``."""
    from lstm_explained.gates import trace_gates

    config = config or MemoryConfig()
    lstm = trained_recall_lstm(config)
    layer = next(layer for layer in lstm.layers if isinstance(layer, keras.layers.LSTM))
    X, y, _ = recall_sequences(1, config.seq_len, config.n_symbols, k, seed=seed)
    return trace_gates(layer, X[0]), config.seq_len - k, int(y[0])


def bench(fast: bool) -> dict:
    """``{"k": [...], "ff_accuracy": [...], "lstm_accuracy": [...]}`` for the bench table."""
    result = run_memory(memory_config(fast))
    return {key: result[key] for key in ("k", "ff_accuracy", "lstm_accuracy")}
