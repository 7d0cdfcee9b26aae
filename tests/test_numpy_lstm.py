"""The NumPy LSTM equals keras.layers.LSTM, given the layer's own get_weights()."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lstm_explained.numpy_lstm import lstm_forward, lstm_step, split_gates

TOL = 1e-5
SHAPES = [  # (batch, timesteps, features, units), 1s included
    (1, 1, 1, 1),
    (2, 5, 3, 4),
    (3, 17, 1, 8),
    (4, 9, 7, 1),
    (1, 24, 16, 32),
]


def random_lstm(shape, seed):
    """A Keras LSTM returning sequences and states, with random normal * 0.5 weights and bias."""
    B, T, d, u = shape
    rng = np.random.default_rng(seed)
    layer = keras.layers.LSTM(u, return_sequences=True, return_state=True)
    layer.build((None, T, d))
    layer.set_weights([0.5 * rng.standard_normal(w.shape) for w in layer.get_weights()])
    x = rng.standard_normal((B, T, d)).astype("float32")
    state = [rng.standard_normal((B, u)).astype("float32") for _ in range(2)]
    return layer, x, state


@pytest.mark.parametrize("with_state", [False, True], ids=["zero_state", "initial_state"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "B{}_T{}_d{}_u{}".format(*s))
def test_numpy_lstm_equals_keras_to_1e_5(shape, with_state):
    layer, x, state = random_lstm(shape, seed=sum(shape))
    assert np.abs(layer.get_weights()[2]).max() > 0.1  # the bias takes part
    keras_seq, keras_h, keras_c = (
        np.asarray(a) for a in layer(x, initial_state=state if with_state else None)
    )
    init = state if with_state else None
    seq, h, c = lstm_forward(x, *layer.get_weights(), return_sequences=True, initial_state=init)
    assert seq.shape == keras_seq.shape == (shape[0], shape[1], shape[3])
    assert np.abs(seq - keras_seq).max() <= TOL
    assert np.abs(h - keras_h).max() <= TOL
    assert np.abs(c - keras_c).max() <= TOL
    last, h2, c2 = lstm_forward(x, *layer.get_weights(), initial_state=init)
    assert last.shape == (shape[0], shape[3])
    assert np.abs(last - keras_seq[:, -1]).max() <= TOL
    np.testing.assert_array_equal(h2, h)
    np.testing.assert_array_equal(c2, c)


def test_keras_gate_order_is_i_f_c_o():
    # unit_forget_bias=True (the default) initialises the forget block of the bias to ones.
    layer = keras.layers.LSTM(3)
    layer.build((None, 2, 1))
    bias = split_gates(layer.get_weights()[2])
    np.testing.assert_array_equal(bias["f"], np.ones(3))
    for gate in "ico":
        np.testing.assert_array_equal(bias[gate], np.zeros(3))


def test_step_returns_gates_in_range_and_h_is_o_tanh_c():
    layer, x, (h0, c0) = random_lstm((4, 3, 2, 5), seed=1)
    h, c, gates = lstm_step(x[:, 0], h0, c0, *layer.get_weights()[:3])
    for g in (gates.i, gates.f, gates.o):
        assert g.shape == (4, 5)
        assert g.min() > 0 and g.max() < 1
    assert np.abs(gates.c_tilde).max() < 1
    np.testing.assert_allclose(c, gates.f * c0 + gates.i * gates.c_tilde)
    np.testing.assert_allclose(h, gates.o * np.tanh(c))


@pytest.fixture(scope="module")
def weights():
    layer = keras.layers.LSTM(4)  # d = 3 features, units = 4
    layer.build((None, 5, 3))
    return layer.get_weights()


def test_wrong_kernel_shape_states_the_expected_shape(weights):
    kernel, recurrent_kernel, bias = weights
    x = np.zeros((2, 5, 3))
    with pytest.raises(
        ValueError, match=r"^kernel: expected shape \(d, 4\*units\) = \(3, 16\), got \(3, 12\)$"
    ):
        lstm_forward(x, kernel[:, :12], recurrent_kernel, bias)


@pytest.mark.parametrize(
    "bad, message",
    [
        (
            {"x": np.zeros((5, 3))},
            r"x: expected shape \(batch, timesteps, features\), got \(5, 3\)",
        ),
        (
            {"x": np.zeros((2, 5, 2))},
            r"kernel: expected shape \(d, 4\*units\) = \(2, 16\), got \(3, 16\)",
        ),
        (
            {"recurrent_kernel": np.zeros((4, 12))},
            r"recurrent_kernel: expected shape \(units, 4\*units\) = \(4, 16\), got \(4, 12\)",
        ),
        (
            {"recurrent_kernel": np.zeros(16)},
            r"recurrent_kernel: expected shape \(units, 4\*units\), got \(16,\)",
        ),
        ({"bias": np.zeros(12)}, r"bias: expected shape \(4\*units,\) = \(16,\), got \(12,\)"),
        (
            {"initial_state": (np.zeros((2, 4)), np.zeros((1, 4)))},
            r"initial c: expected shape \(batch, units\) = \(2, 4\), got \(1, 4\)",
        ),
    ],
    ids=["x_2d", "features", "recurrent_kernel", "recurrent_kernel_1d", "bias", "initial_state"],
)
def test_bad_input_is_one_line_value_error(weights, bad, message):
    kernel, recurrent_kernel, bias = weights
    args = {
        "x": np.zeros((2, 5, 3)),
        "kernel": kernel,
        "recurrent_kernel": recurrent_kernel,
        "bias": bias,
    }
    args.update(bad)
    with pytest.raises(ValueError, match=message) as info:
        lstm_forward(**args)
    assert "\n" not in str(info.value)
