"""Turning a 1-D series into supervised samples of shape [samples, timesteps, features].

A window of ``look_back`` past values is the input; the value ``horizon`` steps after the
window is the target. Keras recurrent layers want inputs shaped (samples, timesteps, features):
here timesteps = look_back and features = 1 (one number per time step).
"""

from __future__ import annotations

import numpy as np

from lstm_explained.series import Series


def make_windows(values, look_back: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Slide a window over ``values``: returns X (N, look_back, 1) and y (N,).

    ``X[k] = values[k : k + look_back]`` and ``y[k] = values[k + look_back + horizon - 1]``.
    """
    v = np.asarray(values, dtype=np.float32)
    if v.ndim != 1:
        raise ValueError(f"make_windows: expected a 1-D series of shape (N,), got shape {v.shape}")
    if look_back < 1 or horizon < 1:
        raise ValueError(
            f"make_windows: look_back and horizon must be >= 1, got {look_back}, {horizon}"
        )
    n = len(v) - look_back - horizon + 1
    if n < 1:
        raise ValueError(
            f"make_windows: a series of {len(v)} points is too short for look_back={look_back} "
            f"and horizon={horizon}; it needs at least {look_back + horizon} points"
        )
    idx = np.arange(look_back)[None, :] + np.arange(n)[:, None]  # (N, look_back)
    X = v[idx][..., None]  # (N, look_back, 1)
    y = v[look_back + horizon - 1 : look_back + horizon - 1 + n]  # (N,)
    return X, y


def train_test_windows(series: Series, look_back: int):
    """Windows whose targets are train points, and windows whose targets are *all* test points.

    Test windows may reach back into the training part for their inputs, so every look_back is
    scored on the same test targets and against the same noise floor.
    Returns ``(X_train, y_train, X_test, y_test)``, X shaped (N, look_back, 1).
    """
    if series.split <= look_back:
        raise ValueError(
            f"train_test_windows: the training part has {series.split} points, "
            f"too short for look_back={look_back}"
        )
    X_train, y_train = make_windows(series.train, look_back)
    X_test, y_test = make_windows(series.values[series.split - look_back :], look_back)
    return X_train, y_train, X_test, y_test
