"""An LSTM in NumPy that takes its weights exactly as ``keras.layers.LSTM.get_weights()`` gives them.

Keras stores the four gates side by side along the last axis, in the order i, f, c, o:

    kernel            (d, 4u)   input -> gates       W = [W_i | W_f | W_c | W_o]
    recurrent_kernel  (u, 4u)   h_{t-1} -> gates     U = [U_i | U_f | U_c | U_o]
    bias              (4u,)                          b = [b_i | b_f | b_c | b_o]

with d the number of input features and u = ``units``. Vectors are rows (``x_t @ W``), as in
Keras. ``lstm_step`` is one time step written as the six equations of the lesson;
``lstm_forward`` loops it over a batch of sequences shaped (batch, timesteps, features).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

GATE_NAMES = ("i", "f", "c", "o")  # Keras's order of the four blocks in every weight


class Gates(NamedTuple):
    """The gate values of one step, each shaped (batch, units)."""

    i: np.ndarray  # input gate, in (0, 1)
    f: np.ndarray  # forget gate, in (0, 1)
    c_tilde: np.ndarray  # candidate cell values, in (-1, 1)
    o: np.ndarray  # output gate, in (0, 1)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), written with tanh so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def split_gates(weight: np.ndarray) -> dict[str, np.ndarray]:
    """Cut a kernel (d, 4u), recurrent kernel (u, 4u) or bias (4u,) into its i, f, c, o blocks."""
    w = np.asarray(weight)
    if w.shape[-1] % 4:
        raise ValueError(
            f"split_gates: expected a last axis of length 4*units, got shape {w.shape}"
        )
    return dict(zip(GATE_NAMES, np.split(w, 4, axis=-1), strict=True))


def _expect(name: str, array: np.ndarray, expected: tuple[int, ...], symbolic: str) -> None:
    """Raise a one-line ValueError unless ``array.shape == expected``."""
    if array.shape != expected:
        raise ValueError(f"{name}: expected shape {symbolic} = {expected}, got {array.shape}")


def check_weights(kernel, recurrent_kernel, bias, input_dim: int) -> int:
    """Check the three Keras weights against each other and ``input_dim``; return ``units``.

    ``units`` is read from the recurrent kernel, the one weight that holds it twice.
    """
    recurrent_kernel = np.asarray(recurrent_kernel)
    if recurrent_kernel.ndim != 2 or recurrent_kernel.shape[0] < 1:
        raise ValueError(
            f"recurrent_kernel: expected shape (units, 4*units), got {recurrent_kernel.shape}"
        )
    u = recurrent_kernel.shape[0]
    _expect("recurrent_kernel", recurrent_kernel, (u, 4 * u), "(units, 4*units)")
    _expect("kernel", np.asarray(kernel), (input_dim, 4 * u), "(d, 4*units)")
    _expect("bias", np.asarray(bias), (4 * u,), "(4*units,)")
    return u


def lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    """One LSTM step: x_t (B, d), h and c (B, u) -> new h (B, u), new c (B, u) and the Gates.

    Each line below is one of the six equations of notebook 02, numbered as there.
    """
    x_t, h, c = (np.asarray(a, dtype=np.float64) for a in (x_t, h, c))
    if x_t.ndim != 2:
        raise ValueError(f"x_t: expected shape (batch, features), got {x_t.shape}")
    u = check_weights(kernel, recurrent_kernel, bias, input_dim=x_t.shape[1])
    _expect("h", h, (x_t.shape[0], u), "(batch, units)")
    _expect("c", c, (x_t.shape[0], u), "(batch, units)")
    W, U, b = (
        split_gates(np.asarray(w, dtype=np.float64)) for w in (kernel, recurrent_kernel, bias)
    )

    f = sigmoid(x_t @ W["f"] + h @ U["f"] + b["f"])  # (1) forget gate      (B, u)
    i = sigmoid(x_t @ W["i"] + h @ U["i"] + b["i"])  # (2) input gate       (B, u)
    c_tilde = np.tanh(x_t @ W["c"] + h @ U["c"] + b["c"])  # (3) candidate  (B, u)
    c = f * c + i * c_tilde  # (4) cell update: keep part of the old, write part of the new
    o = sigmoid(x_t @ W["o"] + h @ U["o"] + b["o"])  # (5) output gate      (B, u)
    h = o * np.tanh(c)  # (6) hidden state: what the layer outputs at this step
    return h, c, Gates(i=i, f=f, c_tilde=c_tilde, o=o)


def lstm_forward(
    x, kernel, recurrent_kernel, bias, return_sequences: bool = False, initial_state=None
):
    """Run an LSTM over x (batch, timesteps, features) with weights from ``LSTM.get_weights()``.

    Returns ``(outputs, h, c)`` like ``LSTM(units, return_state=True)``: outputs is the last h,
    (batch, units), or every h, (batch, timesteps, units), when ``return_sequences``.
    ``initial_state=(h0, c0)``, each (batch, units), defaults to zeros as in Keras.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"x: expected shape (batch, timesteps, features), got {x.shape}")
    B, T, d = x.shape
    u = check_weights(kernel, recurrent_kernel, bias, input_dim=d)
    if initial_state is None:
        h, c = np.zeros((B, u)), np.zeros((B, u))
    else:
        h, c = (np.asarray(s, dtype=np.float64) for s in initial_state)
        _expect("initial h", h, (B, u), "(batch, units)")
        _expect("initial c", c, (B, u), "(batch, units)")
    hs = []
    for t in range(T):
        h, c, _ = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        hs.append(h)
    if return_sequences:
        outputs = np.stack(hs, axis=1) if hs else np.zeros((B, 0, u))  # (B, T, u)
    else:
        outputs = h  # (B, u)
    return outputs, h, c
