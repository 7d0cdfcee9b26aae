"""Turning a 1-D series into supervised samples of shape [samples, timesteps, features].

A window of ``look_back`` past values is the input; the value ``horizon`` steps after the
window is the target. Keras recurrent layers want inputs shaped (samples, timesteps, features):
here timesteps = look_back and features = 1 (one number per time step).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class WindowSplit:
    """Train, validation and test windows of one series, made in one place.

    Like ``WindowGenerator`` in TensorFlow's time-series tutorial, one small object owns the
    windowing and the split, so every model is trained and scored on the same windows. The
    validation windows are the *last* ``validation_fraction`` of the training windows, in time
    order: a model is validated on the stretch just before the test part, never on a random
    sample of the past. Every X is (N, look_back, 1), every y is (N,).
    """

    look_back: int
    X_train: np.ndarray  # (N_train, look_back, 1)
    y_train: np.ndarray  # (N_train,)
    X_val: np.ndarray  # (N_val, look_back, 1); N_val = 0 without validation
    y_val: np.ndarray  # (N_val,)
    X_test: np.ndarray  # (N_test, look_back, 1): one window per test point
    y_test: np.ndarray  # (N_test,)

    @classmethod
    def from_series(
        cls,
        series: Series,
        look_back: int,
        validation_fraction: float = 0.0,
        max_train_windows: int | None = None,
        stride: int = 1,
    ) -> WindowSplit:
        """``train_test_windows``, then the validation windows cut from the end of train.

        ``max_train_windows`` keeps only the most recent training windows (fast mode);
        ``stride`` keeps every stride-th of them, the last included (long windows that overlap
        almost entirely add little but cost). Test windows are never thinned.
        """
        if stride < 1:
            raise ValueError(f"WindowSplit: stride must be >= 1, got {stride}")
        if not 0.0 <= validation_fraction < 1.0:
            raise ValueError(
                f"WindowSplit: validation_fraction must be in [0, 1), got {validation_fraction}"
            )
        X_train, y_train, X_test, y_test = train_test_windows(series, look_back)
        if max_train_windows is not None:
            X_train, y_train = X_train[-max_train_windows:], y_train[-max_train_windows:]
        keep = slice((len(X_train) - 1) % stride, None, stride)  # ends on the last window
        X_train, y_train = X_train[keep], y_train[keep]
        n_val = int(round(len(X_train) * validation_fraction))
        n_fit = len(X_train) - n_val
        return cls(
            look_back,
            X_train[:n_fit], y_train[:n_fit],
            X_train[n_fit:], y_train[n_fit:],
            X_test, y_test,
        )  # fmt: skip

    def __str__(self) -> str:
        rows = [f"WindowSplit(look_back={self.look_back})"]
        for part in ("train", "val", "test"):
            X, y = getattr(self, f"X_{part}"), getattr(self, f"y_{part}")
            rows.append(f"  X_{part:<5} {str(X.shape):<16} y_{part:<5} {y.shape}")
        return "\n".join(rows)
