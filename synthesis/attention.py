"""The soft attention window of Graves (2013), section 5.1: which letter the pen is writing.

The text is a one-hot sequence ``c`` of U characters, shaped (B, U, V). At step t the first LSTM
layer's output ``h1_t`` gives, through one Dense layer, 3K numbers: K Gaussians over the
character positions u = 0 .. U-1,

    alpha_k = exp(a_k)                   importance of Gaussian k
    beta_k  = exp(b_k)                   its width (larger: narrower)
    kappa_k = kappa_k(t-1) + exp(k_k) / KAPPA_SCALE     its centre, which can only move forward

    phi(t, u) = sum_k alpha_k exp(-beta_k (kappa_k - u)^2)            (B, U)
    w_t       = sum_u phi(t, u) c_u                                   (B, V)

``w_t`` is a soft "current letter". It is fed to the first layer at the next step and to every
other layer at this step. Because kappa only increases, the window slides along the text as the
pen moves right, and writing stops when it has passed the last letter (see
:mod:`synthesis.sampling` for the end-of-line rule).

``KAPPA_SCALE`` divides the step of the centre so that an untrained network moves it about one
letter every 20 steps, near the ~10 points a letter of the training lines; Graves's own
``exp(k)`` starts at one letter per step.

:class:`WindowLSTM` runs the first LSTM layer and the window together over a sequence with
``keras.ops.scan`` (the window at step t needs ``h1_t``, and ``h1_{t+1}`` needs ``w_t``, so the two
cannot be separated into two layers). The NumPy twin :func:`window_step` is what sampling uses.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

KAPPA_SCALE = 20.0
EXP_LIMIT = 10.0  # pre-activations are clipped before exp: a bad step cannot overflow


def window_weights(alpha, beta, kappa, n_chars: int):
    """phi(t, u) for u = 0 .. n_chars-1: (B, K) each -> (B, U). Keras ops."""
    u = ops.arange(n_chars, dtype=kappa.dtype)  # (U,)
    d = kappa[:, :, None] - u[None, None, :]  # (B, K, U)
    return ops.sum(alpha[:, :, None] * ops.exp(-beta[:, :, None] * d * d), axis=1)


@keras.saving.register_keras_serializable(package="synthesis")
class WindowLSTM(keras.layers.Layer):
    """First LSTM layer + attention window over a whole sequence.

    Call with ``[x, chars]``: ``x`` (B, T, F) inputs, ``chars`` (B, U, V) one-hot text (rows of
    zeros for padding). Returns ``h1`` (B, T, units), ``w`` (B, T, V) and ``kappa`` (B, T, K).
    """

    def __init__(self, units: int, n_gaussians: int = 10, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.n_gaussians = n_gaussians
        self.cell = keras.layers.LSTMCell(units, name="lstm1")
        self.window = keras.layers.Dense(3 * n_gaussians, name="window")

    def build(self, input_shape):
        x_shape, c_shape = input_shape
        vocab = c_shape[-1]
        self.cell.build((x_shape[0], x_shape[-1] + vocab))
        self.window.build((x_shape[0], self.units))

    def call(self, inputs):
        x, chars = inputs
        batch, n_chars, vocab = ops.shape(chars)[0], ops.shape(chars)[1], chars.shape[-1]
        k = self.n_gaussians

        def step(carry, x_t):
            h, c, kappa, w = carry
            h, (h, c) = self.cell(ops.concatenate([x_t, w], axis=-1), [h, c])
            a, b, dk = ops.split(ops.minimum(self.window(h), EXP_LIMIT), 3, axis=-1)
            kappa = kappa + ops.exp(dk) / KAPPA_SCALE
            phi = window_weights(ops.exp(a), ops.exp(b), kappa, n_chars)  # (B, U)
            w = ops.einsum("bu,buv->bv", phi, chars)  # (B, V)
            carry = (h, c, kappa, w)
            return carry, carry  # Keras's scan wants the outputs shaped like the carry

        zeros = lambda n: ops.zeros((batch, n), dtype=x.dtype)  # noqa: E731
        init = (zeros(self.units), zeros(self.units), zeros(k), zeros(vocab))
        _, (h, _, kappa, w) = ops.scan(step, init, ops.transpose(x, (1, 0, 2)))
        return tuple(ops.transpose(a, (1, 0, 2)) for a in (h, w, kappa))  # back to (B, T, .)

    def compute_output_shape(self, input_shape):
        (b, t, _), (_, _, v) = input_shape
        return (b, t, self.units), (b, t, v), (b, t, self.n_gaussians)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "n_gaussians": self.n_gaussians}


# ----------------------------------------------------------------------------------- NumPy side
def window_step(h, kappa, window_kernel, window_bias, chars):
    """One step of the window in NumPy: ``h`` (units,), ``kappa`` (K,), the Dense weights and
    ``chars`` (U, V) -> new kappa (K,), phi (U,) and w (V,)."""
    z = np.minimum(h @ window_kernel + window_bias, EXP_LIMIT)
    a, b, dk = np.split(z, 3)
    kappa = kappa + np.exp(dk) / KAPPA_SCALE
    u = np.arange(len(chars) + 1)  # one position past the end: the stopping test needs it
    phi = (np.exp(a)[:, None] * np.exp(-np.exp(b)[:, None] * (kappa[:, None] - u) ** 2)).sum(0)
    return kappa, phi, phi[:-1] @ chars
