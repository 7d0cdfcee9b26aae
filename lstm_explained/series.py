"""The two time series of the source tutorial, generated with their noise kept apart.

Keeping the clean signal beside the noisy one lets us state the *noise floor*: the RMSE of an
oracle that knows the clean signal exactly. No one-step forecaster can beat it on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Series:
    """A 1-D series with its clean part, its noise and a train/test split point."""

    name: str
    t: np.ndarray  # (N,) the time axis
    values: np.ndarray  # (N,) what a model sees: clean + noise
    clean: np.ndarray  # (N,) the signal without noise
    split: int  # index of the first test point

    @property
    def noise(self) -> np.ndarray:
        return self.values - self.clean

    @property
    def train(self) -> np.ndarray:
        return self.values[: self.split]

    @property
    def test(self) -> np.ndarray:
        return self.values[self.split :]

    def noise_floor(self) -> float:
        """RMS of the noise over the test part: the oracle's one-step test RMSE."""
        return float(np.sqrt(np.mean(self.noise[self.split :] ** 2)))


def trend_sine(n: int = 100, seed: int = 7, train_fraction: float = 0.67) -> Series:
    """Series (a): ``0.1*i + 0.5*sin(i) + 0.1*noise`` for i = 0..n-1."""
    rng = np.random.default_rng(seed)
    i = np.arange(n, dtype=np.float64)
    clean = 0.1 * i + 0.5 * np.sin(i)
    values = clean + 0.1 * rng.standard_normal(n)
    return Series("trend_sine", i, values, clean, int(round(n * train_fraction)))


def multi_sine(n: int = 5000, seed: int = 7, train_fraction: float = 0.67) -> Series:
    """Series (b): ``(x/60)*(sin x + noise/10 + sin 2x/4 + sin 3x/2 + sin 4x/2)/4 + x/100``.

    x runs over [2, 60]. The noise term is ``x * noise / 2400``: it grows along the series, so
    the test part (the last third) is noisier than the training part.
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(2.0, 60.0, n)
    waves = np.sin(x) + np.sin(2 * x) / 4 + np.sin(3 * x) / 2 + np.sin(4 * x) / 2
    clean = (x / 60) * waves / 4 + x / 100
    values = clean + (x / 60) * (rng.standard_normal(n) / 10) / 4
    return Series("multi_sine", x, values, clean, int(round(n * train_fraction)))
