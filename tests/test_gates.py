"""The traced gates are the trained Keras LSTM's own: right shapes, right ranges, same output."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_explained.figures.dimensions import plot_gate_activations, plot_kernel_by_gate
from lstm_explained.gates import GateConfig, sine_gate_trace, trace_gates, trained_gate_model

CONFIG = GateConfig(units=4, look_back=16, epochs=1, max_windows=128, trace_steps=24)


@pytest.fixture(scope="module")
def trace():
    return sine_gate_trace(CONFIG)


def test_every_gate_array_is_shaped_timesteps_by_units(trace):
    assert trace.x.shape == (CONFIG.trace_steps,)
    for name in ("i", "f", "c_tilde", "o", "c", "h"):
        assert getattr(trace, name).shape == (CONFIG.trace_steps, CONFIG.units), name


def test_sigmoid_gates_lie_in_0_1_and_the_candidate_in_minus_1_1(trace):
    for gate in (trace.i, trace.f, trace.o):
        assert gate.min() >= 0 and gate.max() <= 1
    assert np.abs(trace.c_tilde).max() <= 1
    np.testing.assert_allclose(trace.h, trace.o * np.tanh(trace.c))


def test_the_trace_is_the_keras_layer_itself(trace):
    lstm = trained_gate_model(CONFIG).get_layer("lstm")
    keras_h = np.asarray(lstm(trace.x[None, :, None].astype("float32")))  # (1, units)
    assert np.abs(trace.h[-1] - keras_h[0]).max() <= 1e-5


def test_trace_gates_rejects_a_sequence_of_other_features():
    lstm = trained_gate_model(CONFIG).get_layer("lstm")
    np.testing.assert_allclose(  # (T,) and (T, 1) are the same series
        trace_gates(lstm, np.ones(5)).h, trace_gates(lstm, np.ones((5, 1))).h
    )
    with pytest.raises(ValueError, match=r"reads 1 feature.*\(T,\) or \(T, 1\), got \(24, 3\)"):
        trace_gates(lstm, np.zeros((24, 3)))


def test_figures_take_the_data_as_arguments(trace):
    lstm = trained_gate_model(CONFIG).get_layer("lstm")
    gates_fig = plot_gate_activations(trace)
    kernel_fig = plot_kernel_by_gate(*lstm.get_weights())
    assert isinstance(gates_fig, Figure)
    assert len(gates_fig.axes) == 7  # input, i, f, o, c, one colorbar for the gates, one for c
    assert len(kernel_fig.axes) == 4  # kernel, recurrent kernel, bias and the colorbar
    plt.close(gates_fig)
    plt.close(kernel_fig)


def test_the_gate_figure_draws_a_sequence_of_several_features_too(trace):
    features = np.stack([trace.x, -trace.x, trace.x**2], axis=1)  # (T, 3)
    fig = plot_gate_activations(trace._replace(x=features))
    assert len(fig.axes) == 8  # the input becomes a heat map with its own colorbar
    assert fig.axes[0].images[0].get_array().shape == (3, CONFIG.trace_steps)  # (F, T)
    plt.close(fig)
