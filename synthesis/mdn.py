"""The mixture density output of Graves (2013), section 4.1: where the pen goes next.

At every step the network emits one vector ``y`` of ``1 + 6M`` numbers from a single Dense layer;
they become the parameters of a distribution over the next point ``(eos, dx, dy)``:

    e      = sigmoid(y_e)                      end-of-stroke probability        (B, T)
    pi_j   = softmax(y_pi)_j                   M mixture weights, sum to 1      (B, T, M)
    mu_j   = y_mu                              M means (mu1, mu2)               (B, T, M) each
    sig_j  = exp(y_sigma)                      M standard deviations (> 0)      (B, T, M) each
    rho_j  = tanh(y_rho)                       M correlations in (-1, 1)        (B, T, M)

    p(x) = [sum_j pi_j N(dx, dy | mu_j, sig_j, rho_j)] * (e if eos else 1 - e)

and the loss is the negative log of it, summed over points. Everything is computed in log space
(``logsumexp`` over the components), so a point far from every Gaussian gives a large loss, not
``log(0) = -inf``. Graves writes ``e = 1 / (1 + exp(y_e))``; the sign is a convention and this
module uses the ordinary sigmoid.

The same formulas exist twice: in ``keras.ops`` for training, and in NumPy (``split_numpy``,
``log_density``, ``sample_point``) for sampling and figures, where one step at a time in NumPy is
much faster than a TensorFlow call.
"""

from __future__ import annotations

import math

import numpy as np
from keras import ops

RHO_LIMIT = 0.9999  # |rho| < 1 keeps 1 - rho^2 > 0 in float32
LOG_SIGMA_MIN = -7.0  # exp(-7) ~ 1e-3 of the offsets' standard deviation


def output_size(n_mixtures: int) -> int:
    """Units of the Dense layer that feeds the mixture: 1 (eos) + 6 per component."""
    return 1 + 6 * n_mixtures


def split_params(y, n_mixtures: int):
    """(..., 1 + 6M) raw outputs -> ``e_logit, log_pi, mu1, mu2, log_s1, log_s2, rho``.

    Keras ops; ``log_pi`` is the log of the mixture weights (a log-softmax), ``rho`` is clipped
    to +-:data:`RHO_LIMIT`.
    """
    m = n_mixtures
    e_logit = y[..., 0]
    log_pi = ops.log_softmax(y[..., 1 : 1 + m], axis=-1)
    mu1, mu2 = y[..., 1 + m : 1 + 2 * m], y[..., 1 + 2 * m : 1 + 3 * m]
    log_s1 = ops.maximum(y[..., 1 + 3 * m : 1 + 4 * m], LOG_SIGMA_MIN)
    log_s2 = ops.maximum(y[..., 1 + 4 * m : 1 + 5 * m], LOG_SIGMA_MIN)
    rho = ops.clip(ops.tanh(y[..., 1 + 5 * m : 1 + 6 * m]), -RHO_LIMIT, RHO_LIMIT)
    return e_logit, log_pi, mu1, mu2, log_s1, log_s2, rho


def mixture_nll(targets, y, n_mixtures: int):
    """Negative log-likelihood of each target point, in nats: (B, T, 3) ``(eos, dx, dy)`` and
    (B, T, 1 + 6M) raw outputs -> (B, T).

    With z1 = (dx - mu1) / s1, z2 = (dy - mu2) / s2 and Z = z1^2 + z2^2 - 2 rho z1 z2, each
    component's log density is ``-log(2 pi s1 s2 sqrt(1 - rho^2)) - Z / (2 (1 - rho^2))``.
    """
    e_logit, log_pi, mu1, mu2, log_s1, log_s2, rho = split_params(y, n_mixtures)
    eos, dx, dy = targets[..., 0], targets[..., 1:2], targets[..., 2:3]
    z1 = (dx - mu1) * ops.exp(-log_s1)
    z2 = (dy - mu2) * ops.exp(-log_s2)
    one_minus = 1.0 - rho * rho
    z = z1 * z1 + z2 * z2 - 2.0 * rho * z1 * z2
    log_n = (
        -math.log(2.0 * math.pi) - log_s1 - log_s2 - 0.5 * ops.log(one_minus) - z / (2 * one_minus)
    )
    log_mix = ops.logsumexp(log_pi + log_n, axis=-1)  # (B, T)
    # log e = -softplus(-l), log(1 - e) = -softplus(l): stable for any logit
    log_eos = -ops.softplus(ops.where(eos > 0.5, -e_logit, e_logit))
    return -(log_mix + log_eos)


# ----------------------------------------------------------------------------------- NumPy side
def split_numpy(y, n_mixtures: int, bias: float = 0.0) -> dict[str, np.ndarray]:
    """The same split in NumPy, with Graves's sampling bias ``b`` (section 5.4): standard
    deviations shrink to ``exp(log_s - b)`` and the mixture weights sharpen to
    ``softmax(y_pi * (1 + b))``. ``b = 0`` is the trained distribution; larger ``b`` writes
    neater, more typical strokes."""
    y = np.asarray(y, dtype=np.float64)
    m = n_mixtures
    logits = y[..., 1 : 1 + m] * (1.0 + bias)
    logits = logits - logits.max(axis=-1, keepdims=True)
    pi = np.exp(logits)
    pi /= pi.sum(axis=-1, keepdims=True)
    return {
        "e": 0.5 * (1.0 + np.tanh(0.5 * y[..., 0])),  # sigmoid, overflow-free
        "pi": pi,
        "mu1": y[..., 1 + m : 1 + 2 * m],
        "mu2": y[..., 1 + 2 * m : 1 + 3 * m],
        "s1": np.exp(np.maximum(y[..., 1 + 3 * m : 1 + 4 * m], LOG_SIGMA_MIN) - bias),
        "s2": np.exp(np.maximum(y[..., 1 + 4 * m : 1 + 5 * m], LOG_SIGMA_MIN) - bias),
        "rho": np.clip(np.tanh(y[..., 1 + 5 * m : 1 + 6 * m]), -RHO_LIMIT, RHO_LIMIT),
    }


def log_density(p: dict[str, np.ndarray], dx, dy) -> np.ndarray:
    """log of the mixture density at points ``(dx, dy)`` for one step's parameters ``p`` (each
    (M,)); ``dx, dy`` any broadcastable shape. Used for the heat-map figure."""
    dx, dy = np.asarray(dx, np.float64)[..., None], np.asarray(dy, np.float64)[..., None]
    z1, z2 = (dx - p["mu1"]) / p["s1"], (dy - p["mu2"]) / p["s2"]
    om = 1.0 - p["rho"] ** 2
    z = z1**2 + z2**2 - 2 * p["rho"] * z1 * z2
    log_n = -np.log(2 * np.pi * p["s1"] * p["s2"] * np.sqrt(om)) - z / (2 * om)
    a = np.log(np.maximum(p["pi"], 1e-300)) + log_n
    top = a.max(axis=-1, keepdims=True)
    return (top + np.log(np.exp(a - top).sum(axis=-1, keepdims=True)))[..., 0]


def sample_point(p: dict[str, np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Draw one ``(eos, dx, dy)`` from one step's parameters (each (M,)): pick a component by
    its weight, draw from its correlated 2-D Gaussian, and lift the pen with probability e."""
    j = rng.choice(len(p["pi"]), p=p["pi"])
    n1, n2 = rng.standard_normal(2)  # correlated by hand: the Cholesky factor of the 2x2 cov
    dx = p["mu1"][j] + p["s1"][j] * n1
    dy = p["mu2"][j] + p["s2"][j] * (p["rho"][j] * n1 + np.sqrt(1.0 - p["rho"][j] ** 2) * n2)
    eos = float(rng.random() < p["e"])
    return np.array([eos, dx, dy], dtype=np.float32)
