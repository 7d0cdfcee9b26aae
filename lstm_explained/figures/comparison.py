"""Figures of part 3, "LSTM vs feed-forward". Each returns a Figure and never shows it.

Plot functions take their results as arguments (the notebook passes what it computed); the
zero-argument builders in ``FIGURES`` compute them (full mode unless ``LAB_FAST``), once each.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

COLORS = {"persistence": "tab:gray", "linear": "tab:green", "ff": "tab:blue", "lstm": "tab:orange"}


def _color(name: str) -> str:
    return next((c for prefix, c in COLORS.items() if name.startswith(prefix)), "tab:purple")


def plot_fair_comparison(table, noise_floor: float) -> Figure:
    """Mean test RMSE per model with ± 1 std over seeds, against the noise floor.

    ``table`` is ``compare.summary_table(...)``: indexed by model, with columns test_rmse,
    test_rmse_std, params, seeds and epochs (0: not trained).
    """
    names = list(table.index)
    means, stds = table["test_rmse"].to_numpy(), table["test_rmse_std"].to_numpy()
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(names) + 2), layout="constrained")
    y = np.arange(len(names))[::-1]
    ax.barh(y, means, xerr=stds, capsize=4, color=[_color(n) for n in names], alpha=0.85)
    ax.axvline(noise_floor, color="black", ls="--", lw=1.5, label="noise floor (oracle)")
    runs = [  # trained over seeds, solved by least squares, or nothing to fit at all
        f"{int(s)} seeds" if e > 0 else ("least squares" if p > 0 else "nothing to fit")
        for s, e, p in zip(table["seeds"], table["epochs"], table["params"], strict=True)
    ]
    labels = [
        f"{n}\n{int(p):,} params, {r}" for n, p, r in zip(names, table["params"], runs, strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=9)
    for yi, m, s in zip(y, means, stds, strict=True):
        ax.text(m + s, yi, f"  {m / noise_floor:.2f} x floor", va="center", fontsize=9)
    ax.set_xlim(0, max(means + stds) * 1.3)
    ax.set_xlabel("test RMSE (mean ± std over seeds; lower is better)")
    ax.legend(loc="lower right")
    ax.set_title("Same window, same recipe, about the same parameter count")
    return fig


def plot_memory_vs_k(result: dict) -> Figure:
    """Recall accuracy against k for the fixed-window FF and the LSTM (``memory.run_memory``)."""
    k = np.asarray(result["k"])
    w, T, chance = result["window"], result["seq_len"], result["chance"]
    fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    ax.axvspan(0.5, w + 0.5, color="tab:blue", alpha=0.08)
    ax.text(w / 2 + 0.5, 0.5, f"inside the FF's\nwindow (k ≤ {w})", ha="center", color="tab:blue")
    ax.axhline(chance, color="black", ls=":", lw=1.2, label=f"chance (1/{round(1 / chance)})")
    series = [
        ("ff", f"feed-forward, last {w} steps only"),
        ("lstm", f"LSTM reading all {T} steps"),
    ]
    for key, label in series:
        speed = result.get(f"{key}_seconds_per_1000")
        if speed is not None:
            label += f" ({speed:.2f} s per epoch per 1000 sequences)"
        ax.plot(k, result[f"{key}_accuracy"], "o-", color=COLORS[key], lw=2, label=label)
    ax.set_xlim(0.5, T + 0.5)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("k: how many steps back the marked digit was")
    ax.set_ylabel("recall accuracy on fresh sequences")
    ax.legend(loc="center right", fontsize=9)
    ax.set_title("Recall the digit marked k steps ago: a fixed window cannot reach past itself")
    return fig


@lru_cache(maxsize=1)
def _fair_comparison_results():
    from lstm_explained.compare import ComparisonConfig, run_comparison, summary_table
    from lstm_explained.series import multi_sine

    series = multi_sine()
    runs = run_comparison(ComparisonConfig(), series)
    return summary_table(runs, series.noise_floor()), series.noise_floor()


@lru_cache(maxsize=1)
def _memory_results() -> dict:
    from lstm_explained.memory import MemoryConfig, run_memory

    return run_memory(MemoryConfig())


def fair_comparison_figure() -> Figure:
    """The comparison of ``compare.run_comparison`` with the default config."""
    return plot_fair_comparison(*_fair_comparison_results())


def memory_vs_k_figure() -> Figure:
    """The recall task of ``memory.run_memory`` with the default config."""
    return plot_memory_vs_k(_memory_results())


FIGURES = {
    "03_fair_comparison": fair_comparison_figure,
    "03_memory_vs_k": memory_vs_k_figure,
}
