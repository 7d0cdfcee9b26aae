"""The recall task: targets are the marked digits, and a windowed FF cannot see past its window."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_explained import memory
from lstm_explained.figures.comparison import plot_memory_vs_k
from lstm_explained.memory import MemoryConfig, recall_sequences, windowed_feedforward

SMALL = MemoryConfig(
    seq_len=12, window=4, ks=(1, 4, 5, 12), n_train=64, ff_train_per_k=32, n_test_per_k=16,
    epochs=1, lstm_units=4, ff_hidden=8,
)  # fmt: skip


def test_one_sequence_by_hand():
    X, y, k = recall_sequences(1, seq_len=6, n_symbols=10, k=3, seed=1)
    assert X.shape == (1, 6, 11) and k.tolist() == [3]
    digits = X[0, :, :10].argmax(axis=1)  # (6,) the digit at each step
    assert (X[0, :, :10].sum(axis=1) == 1).all()  # exactly one digit per step
    assert X[0, :, 10].tolist() == [0, 0, 0, 1, 0, 0]  # the marker sits at step T - k = 3
    assert y[0] == digits[3]


def test_every_target_is_the_digit_under_the_marker_k_steps_before_the_end():
    ks = np.arange(1, 201) % 12 + 1  # every k in 1..12
    X, y, k = recall_sequences(200, seq_len=12, n_symbols=10, k=ks, seed=2)
    marked = X[..., 10].argmax(axis=1)  # (200,)
    assert (X[..., 10].sum(axis=1) == 1).all()
    np.testing.assert_array_equal(marked, 12 - k)
    np.testing.assert_array_equal(y, X[np.arange(200), marked, :10].argmax(axis=1))


def test_the_windowed_ff_gets_only_the_last_w_steps():
    ff = windowed_feedforward(SMALL)
    assert tuple(ff.get_layer("last_window").output.shape) == (None, SMALL.window, 11)
    X, _, _ = recall_sequences(8, SMALL.seq_len, 10, k=1, seed=3)
    rng = np.random.default_rng(0)
    before = ff.predict(X, verbose=0)
    for k in range(SMALL.window + 1, SMALL.seq_len + 1):  # steps outside the window
        changed = X.copy()
        changed[:, SMALL.seq_len - k] = rng.random((8, 11))
        np.testing.assert_array_equal(ff.predict(changed, verbose=0), before)
    inside = X.copy()
    inside[:, SMALL.seq_len - SMALL.window] = rng.random((8, 11))  # k = w: inside the window
    assert np.abs(ff.predict(inside, verbose=0) - before).max() > 1e-6


def test_a_tiny_run_returns_finite_accuracies_for_every_k():
    result = memory.run_memory(SMALL)
    assert result["k"] == list(SMALL.ks)
    for key in ("ff_accuracy", "ff_full_accuracy", "lstm_accuracy"):
        assert len(result[key]) == len(SMALL.ks)
        assert all(0.0 <= a <= 1.0 for a in result[key]), key
    assert math.isfinite(result["ff_seconds_per_1000"]) and result["chance"] == 0.1
    fig = plot_memory_vs_k(result)
    assert isinstance(fig, Figure)
    plt.close(fig)


def test_a_full_window_sees_every_step_and_solves_every_k_one_net_per_k():
    from dataclasses import replace

    config = replace(
        SMALL, ks=(1, 7, 12), ff_train_per_k=2000, n_test_per_k=64, ff_hidden=32, epochs=10
    )
    result = memory.run_memory(config)
    assert min(result["ff_full_accuracy"]) >= 0.9, result["ff_full_accuracy"]
    assert result["ff_accuracy"][-1] < 0.5  # k = 12 lies outside the 4-step window
    assert result["ff_full_params"] > result["ff_params"]


def test_what_a_full_window_costs_grows_with_t_and_the_lstm_does_not():
    cost = memory.window_cost(SMALL, memory.WindowCostConfig(seq_lens=(6, 12), n_trains=(32, 64)))
    assert cost["ff_full_params"][12] > cost["ff_full_params"][6]
    assert cost["lstm_params"][12] == cost["lstm_params"][6]  # the same weights at every step
    for T in (6, 12):
        assert len(cost["ff_full_accuracy"][T]) == 2
        assert all(0.0 <= a <= 1.0 for a in cost["ff_full_accuracy"][T])


def test_the_gate_trace_is_the_recall_lstm_itself():
    trace, marked, digit = memory.memory_gate_trace(SMALL, k=5, seed=3)
    lstm = memory.trained_recall_lstm(SMALL)
    X, y, _ = recall_sequences(1, SMALL.seq_len, 10, 5, seed=3)
    layer = lstm.layers[1]
    keras_h = np.asarray(layer(X.astype("float32")))  # (1, units)
    assert np.abs(trace.h[-1] - keras_h[0]).max() <= 1e-5
    assert marked == SMALL.seq_len - 5 and digit == y[0] and trace.i.shape == (12, SMALL.lstm_units)


def test_bench_is_shaped_for_bench_py(monkeypatch):
    monkeypatch.setitem(memory.FAST, "ks", (1, 12))
    monkeypatch.setitem(memory.FAST, "n_train", 64)
    result = memory.bench(fast=True)
    assert list(result) == ["k", "ff_accuracy", "lstm_accuracy"]
    assert len(result["ff_accuracy"]) == len(result["lstm_accuracy"]) == len(result["k"]) == 2


def test_bad_input_gives_a_one_line_error():
    X, y, _ = recall_sequences(4, SMALL.seq_len, 10, k=2)
    with pytest.raises(
        ValueError, match=r"expected recall sequences of shape \(N, 12, 11\)"
    ) as err:
        memory.train(windowed_feedforward(SMALL), X[:, :, 0], y, SMALL)  # 2-D
    assert "\n" not in str(err.value)
    with pytest.raises(ValueError, match="expected recall sequences"):
        memory.train(windowed_feedforward(SMALL), X[0, :, 0], y, SMALL)  # 1-D
    with pytest.raises(ValueError, match=r"k must lie in 1\.\.12"):
        recall_sequences(4, 12, 10, k=13)
