"""Figures of part 1, "a sine series and an LSTM". Each returns a Figure and never shows it.

Plot functions take their results as arguments (the notebook passes what it computed); the
zero-argument builders in ``FIGURES`` compute them with ``forecast.run_lesson`` (full mode unless
``LAB_FAST``), once for all of them.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

COLORS = {
    "persistence": "tab:gray",
    "linear": "tab:green",
    "source": "tab:red",
    "sweep": "tab:orange",
    "best": "tab:purple",
    "lstm": "tab:orange",
}


def _color(name: str) -> str:
    return next((c for prefix, c in COLORS.items() if name.startswith(prefix)), "tab:brown")


def plot_series(*series) -> Figure:
    """Each ``Series`` in its own panel: the training part, the test part, the clean signal.

    The x axis is the time step t = 0..N-1 (one per point, what a model steps through); a series
    written over another variable (``multi_sine``'s x, 2 to 60) gets that variable on a top axis.
    """
    fig, axes = plt.subplots(len(series), 1, figsize=(11, 3.4 * len(series)), layout="constrained")
    for ax, s in zip(np.atleast_1d(axes), series, strict=True):
        k, n = s.split, len(s.values)
        step = np.arange(n)  # (N,) time step t
        ax.plot(step[:k], s.values[:k], color="tab:blue", lw=0.8, label=f"train ({k:,} points)")
        ax.plot(
            step[k:], s.values[k:], color="tab:orange", lw=0.8, label=f"test ({n - k:,} points)"
        )
        ax.plot(step, s.clean, color="black", lw=0.8, ls="--", alpha=0.6, label="clean signal")
        ax.axvline(k, color="black", lw=1, ls=":")
        ax.set_xlim(-0.01 * n, 1.01 * n)
        ax.set_title(f"{s.name}: {n:,} points, noise floor {s.noise_floor():.4f}")
        ax.set_xlabel(f"time step t (0 to {n - 1:,}; the dotted line starts the test part)")
        ax.set_ylabel("value")
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        dt = (s.t[-1] - s.t[0]) / (n - 1)  # evenly spaced: x = t0 + dt * step
        if not np.array_equal(s.t, step) and np.allclose(s.t, s.t[0] + dt * step):
            top = ax.secondary_xaxis(  # the variable the formula is written in, on top
                "top",
                functions=(
                    lambda i, x0=s.t[0], d=dt: x0 + d * i,
                    lambda x, x0=s.t[0], d=dt: (x - x0) / d,
                ),
            )
            top.set_xlabel(f"x in the formula ({s.t[0]:g} to {s.t[-1]:g})", fontsize=9)
        ax.legend(loc="upper left", fontsize=9)
    return fig


def plot_windowing(values, look_back: int) -> Figure:
    """Every window of ``look_back`` values (inputs, blue) and the value after it (target)."""
    values = np.asarray(values)
    n = len(values) - look_back
    fig, ax = plt.subplots(figsize=(1.0 + 0.9 * len(values), 0.55 * (n + 2)), layout="constrained")
    for j, v in enumerate(values):  # the series itself on top
        ax.text(j, n + 0.6, f"{v:g}", ha="center", va="center", fontsize=11, weight="bold")
    for k in range(n):
        row = n - 1 - k
        for j in range(len(values)):
            if k <= j < k + look_back:
                color = "tab:blue"
            elif j == k + look_back:
                color = "tab:orange"
            else:
                continue
            ax.add_patch(plt.Rectangle((j - 0.42, row - 0.38), 0.84, 0.76, color=color, alpha=0.8))
            ax.text(j, row, f"{values[j]:g}", ha="center", va="center", color="white")
        ax.text(-0.8, row, f"X[{k}], y[{k}]", ha="right", va="center", fontsize=9)
    ax.set_xlim(-2.6, len(values) - 0.4)
    ax.set_ylim(-0.7, n + 1.1)
    ax.axis("off")
    ax.set_title(
        f"look_back = {look_back}: {n} windows (blue, the input X) and their targets "
        f"(orange, y); X has shape ({n}, {look_back}, 1)"
    )
    return fig


def plot_one_step(series, predictions: dict, first: int = 0, last: int | None = None) -> Figure:
    """One-step forecasts over the test part: each name -> (N_test,) predictions of test points.

    ``first`` and ``last`` pick a stretch of the test part (indices into it) to zoom in on.
    """
    k = series.split
    stop = len(series.test) if last is None else last
    t = np.arange(k + first, k + stop)  # time steps, as in plot_series (not the formula's x)
    fig, ax = plt.subplots(figsize=(11, 4), layout="constrained")
    ax.plot(t, series.test[first:stop], "o", color="tab:blue", ms=3, alpha=0.6, label="test data")
    ax.plot(t, series.clean[k + first : k + stop], color="black", lw=1, ls="--", label="clean")
    for name, pred in predictions.items():
        ax.plot(t, np.asarray(pred)[first:stop], color=_color(name), lw=1.6, label=name)
    ax.set_xlabel("time step t")
    ax.legend(fontsize=9, loc="upper left")
    ax.set_title(f"{series.name}: one-step forecasts of the test points (each from true inputs)")
    return fig


def plot_model_comparison(scores: dict, noise_floor: float) -> Figure:
    """Test RMSE of every model against the noise floor; each bar says its ratio to the floor.

    ``scores`` maps a model name to ``forecast.score(...)``'s dict (``test_rmse`` at least).
    """
    names = sorted(scores, key=lambda n: -scores[n]["test_rmse"])  # worst left, best right
    rmse = np.array([scores[n]["test_rmse"] for n in names])
    fig, ax = plt.subplots(figsize=(max(8, 1.5 * len(names)), 5), layout="constrained")
    x = np.arange(len(names))
    ax.bar(x, rmse, color=[_color(n) for n in names], alpha=0.85)
    ax.axhline(noise_floor, color="black", ls="--", lw=1.5, label="noise floor (oracle)")
    for xi, r in zip(x, rmse, strict=True):
        ax.text(xi, r, f"{r / noise_floor:.3f}x", ha="center", va="bottom", fontsize=10)
    ax.set_xticks(x, [n.replace("_", "\n", 1) for n in names], fontsize=9)
    ax.set_ylim(0, rmse.max() * 1.12)
    ax.set_ylabel("test RMSE (lower is better)")
    ax.legend(loc="upper right")
    ax.set_title("One-step forecasts on the multi-sine test part: ratio to the noise floor")
    return fig


def plot_look_back_sweep(
    sweep, noise_floor: float, persistence_rmse: float | None = None
) -> Figure:
    """Test RMSE / floor against look_back, for the LSTM and the linear model on the same window.

    ``sweep`` is ``forecast.look_back_sweep``'s table (indexed by look_back).
    """
    lb = sweep.index.to_numpy()
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    ax.plot(
        lb,
        sweep["lstm_test_rmse"] / noise_floor,
        "o-",
        color=COLORS["lstm"],
        lw=2,
        label="LSTM, source scaling (min-max)",
    )
    ax.plot(
        lb,
        sweep["linear_test_rmse"] / noise_floor,
        "s-",
        color=COLORS["linear"],
        lw=2,
        label="linear least squares",
    )
    if persistence_rmse is not None:
        ax.axhline(
            persistence_rmse / noise_floor, color=COLORS["persistence"], ls=":", label="persistence"
        )
    ax.axhline(1.0, color="black", ls="--", lw=1.5, label="noise floor")
    ax.set_xscale("log", base=2)
    ax.set_xticks(lb, [str(v) for v in lb])
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}x")
    ax.yaxis.set_minor_formatter(lambda v, _: f"{v:g}x" if v <= 3 else "")
    ax.set_xlabel("look_back (timesteps per window)")
    ax.set_ylabel("test RMSE / noise floor")
    ax.legend(fontsize=9)
    ax.set_title("A longer window helps both; the linear fit gets there first")
    return fig


def plot_multistep(series, horizon_rmse: dict, forecasts: dict, noise_floor: float) -> Figure:
    """Left: RMSE k steps ahead of recursive forecasts. Right: one forecast over the truth.

    ``horizon_rmse`` maps a name to (horizon,) RMSEs (``forecast.horizon_rmse``); ``forecasts``
    maps a name to one (horizon,) forecast starting at the first test point.
    """
    fig, (ax_err, ax_fc) = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
    for name, err in horizon_rmse.items():
        steps = np.arange(1, len(err) + 1)
        ax_err.plot(steps, err / noise_floor, color=_color(name), lw=2, label=name)
    ax_err.axhline(1.0, color="black", ls="--", lw=1.5, label="noise floor")
    ax_err.set_xlabel("steps ahead (each fed back as input)")
    ax_err.set_ylabel("RMSE / noise floor")
    ax_err.set_title("Recursive forecasts: errors compound with the horizon")
    ax_err.legend(fontsize=9)

    k = series.split
    horizon = len(next(iter(forecasts.values())))
    before = max(0, k - 2 * horizon)
    t = np.arange(len(series.values))  # time steps, as in plot_series (not the formula's x)
    ax_fc.plot(
        t[before : k + horizon],
        series.values[before : k + horizon],
        color="tab:blue",
        lw=0.8,
        alpha=0.7,
        label="series",
    )
    ax_fc.plot(
        t[k : k + horizon],
        series.clean[k : k + horizon],
        color="black",
        lw=1,
        ls="--",
        label="clean signal",
    )
    for name, fc in forecasts.items():
        ax_fc.plot(t[k : k + horizon], fc, color=_color(name), lw=2, label=name)
    ax_fc.axvline(t[k], color="black", lw=1, ls=":")
    ax_fc.set_xlabel("time step t (the dotted line: the first test point)")
    ax_fc.set_title(f"{horizon} steps forecast from the first test point")
    ax_fc.legend(fontsize=9)
    return fig


@lru_cache(maxsize=1)
def _lesson():
    from lstm_explained.forecast import run_lesson

    return run_lesson()


def series_figure() -> Figure:
    """The two series of the source tutorial, split into train and test."""
    from lstm_explained.series import multi_sine, trend_sine

    return plot_series(trend_sine(), multi_sine())


def windowing_figure() -> Figure:
    """Windows of look_back 3 over the numbers 0..7."""
    return plot_windowing(np.arange(8), look_back=3)


def model_comparison_figure() -> Figure:
    """Every model of ``forecast.run_lesson`` against the noise floor."""
    lesson = _lesson()
    return plot_model_comparison(lesson.scores, lesson.noise_floor)


def look_back_sweep_figure() -> Figure:
    """The look_back sweep of ``forecast.run_lesson``."""
    lesson = _lesson()
    persistence = lesson.scores["persistence"]["test_rmse"]
    return plot_look_back_sweep(lesson.sweep, lesson.noise_floor, persistence)


def multistep_figure() -> Figure:
    """Recursive forecasts of ``forecast.run_lesson``'s baselines and best LSTM."""
    from lstm_explained.series import multi_sine

    lesson = _lesson()
    return plot_multistep(multi_sine(), lesson.horizon_rmse, lesson.forecasts, lesson.noise_floor)


FIGURES = {
    "01_series": series_figure,
    "01_windowing": windowing_figure,
    "01_model_comparison": model_comparison_figure,
    "01_lookback_sweep": look_back_sweep_figure,
    "01_multistep_forecast": multistep_figure,
}
