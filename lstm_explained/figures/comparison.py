"""Figures of part 3, "LSTM vs feed-forward". Each returns a Figure and never shows it.

Plot functions take their results as arguments (the notebook passes what it computed); the
zero-argument builders in ``FIGURES`` compute them (full mode unless ``LAB_FAST``), once each.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

COLORS = {
    "persistence": "tab:gray",
    "linear": "tab:green",
    "ff_full": "tab:purple",
    "ff": "tab:blue",
    "lstm": "tab:orange",
}


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
    # above the axes, right of the title: a legend inside would sit on the bars
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), frameon=False, fontsize=9)
    ax.set_title("Same window, same recipe, about the same parameter count", loc="left")
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
        ("ff", f"feed-forward, last {w} steps only, one net per k"),
        ("ff_full", f"feed-forward, all {T} steps, one net per k"),
        ("lstm", f"LSTM reading all {T} steps, one net for every k"),
    ]
    for key, label in series:
        if f"{key}_accuracy" not in result:
            continue
        params = result.get(f"{key}_params")
        if params is not None:
            label += f" ({params:,} parameters)"
        # the full-window net scores 1.0 where the LSTM does: hollow, larger squares show both
        style = dict(marker="s", ls="--", ms=11, mfc="none", mew=2) if key == "ff_full" else {}
        ax.plot(k, result[f"{key}_accuracy"], **({"marker": "o", "ls": "-"} | style),
                color=COLORS[key], lw=2, label=label)  # fmt: skip
    ax.set_xlim(0.5, T + 0.5)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("k: how many steps back the marked digit was")
    ax.set_ylabel("recall accuracy on fresh sequences")
    ax.legend(loc="center right", fontsize=9)
    ax.set_title("Recall the digit marked k steps ago: a fixed window cannot reach past itself")
    return fig


def plot_window_cost(cost: dict, lstm: dict | None = None) -> Figure:
    """Left: parameters against T, the full-window FF against the LSTM. Right: the full-window
    FF's accuracy (k anywhere in 1..T, as the LSTM is trained) against its training sequences,
    one line per T; ``lstm`` (a :func:`memory.run_memory` result) adds the LSTM's point."""
    seq_lens, n_trains = cost["seq_lens"], cost["n_trains"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
    left.plot(seq_lens, [cost["ff_full_params"][T] for T in seq_lens], "s--",
              color=COLORS["ff_full"], lw=2, label="feed-forward over all T steps")  # fmt: skip
    left.plot(seq_lens, [cost["lstm_params"][T] for T in seq_lens], "o-",
              color=COLORS["lstm"], lw=2, label="LSTM")  # fmt: skip
    left.set_xlabel("sequence length T")
    left.set_ylabel("parameters")
    left.set_ylim(0, None)
    left.legend()
    left.set_title("A window's weights grow with T; the LSTM's do not")
    shades = plt.get_cmap("Purples")(np.linspace(0.45, 0.95, len(seq_lens)))
    for T, color in zip(seq_lens, shades, strict=True):
        right.plot(n_trains, cost["ff_full_accuracy"][T], "s--", color=color, lw=2,
                   label=f"feed-forward over all steps, T = {T}")  # fmt: skip
    if lstm is not None:
        right.plot([lstm.get("n_train", np.nan)], [np.mean(lstm["lstm_accuracy"])], "*",
                   ms=16, color=COLORS["lstm"],
                   label=f"LSTM, T = {lstm['seq_len']}")  # fmt: skip
    right.axhline(cost["chance"], color="black", ls=":", lw=1.2, label="chance")
    right.set_xscale("log")
    right.set_xticks(n_trains, [f"{n:,}" for n in n_trains])
    right.minorticks_off()
    right.set_xlabel("training sequences (k anywhere in 1..T)")
    right.set_ylabel("recall accuracy, mean over every k")
    right.set_ylim(-0.02, 1.05)
    right.legend(fontsize=8, loc="lower right")
    right.set_title("...and so does the data it needs to learn the task")
    return fig


def plot_memory_gates(trace, marked: int, digit: int, units: int = 8) -> Figure:
    """Heat maps of the input gate, forget gate and cell state of the recall LSTM along one
    sequence, with the marked step drawn; the ``units`` whose cell state changes most at the
    marker are shown, most-changed first."""
    change = np.abs(trace.c[marked] - (trace.c[marked - 1] if marked else 0))  # (u,)
    order = np.argsort(change)[::-1][:units]
    T = trace.i.shape[0]
    rows = [("input gate i_t", trace.i, "viridis", (0, 1)),
            ("forget gate f_t", trace.f, "viridis", (0, 1)),
            ("cell state c_t", trace.c, "RdBu_r", None)]  # fmt: skip
    fig, axes = plt.subplots(len(rows), 1, figsize=(11, 7), sharex=True, layout="constrained")
    for ax, (name, values, cmap, limits) in zip(axes, rows, strict=True):
        shown = values[:, order].T  # (units, T)
        if limits is None:
            m = float(np.abs(shown).max()) or 1.0
            limits = (-m, m)
        image = ax.imshow(shown, aspect="auto", cmap=cmap, vmin=limits[0], vmax=limits[1],
                          interpolation="nearest", extent=(-0.5, T - 0.5, units - 0.5, -0.5))  # fmt: skip
        ax.axvline(marked, color="red", lw=1.5)
        ax.set_ylabel(f"{name}\nunits (by change\nat the marker)")
        fig.colorbar(image, ax=ax, pad=0.01)
    axes[0].set_title(
        f"Recall LSTM on one sequence: the marker (red line, step {marked}) flags digit {digit}, "
        f"{T - marked} steps before the end"
    )
    axes[-1].set_xlabel("time step t")
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


@lru_cache(maxsize=1)
def _window_cost_results() -> dict:
    from lstm_explained.memory import window_cost

    return window_cost()


def window_cost_figure() -> Figure:
    """What a full window costs as T grows (``memory.window_cost``), with the LSTM's point."""
    from lstm_explained.memory import MemoryConfig

    return plot_window_cost(
        _window_cost_results(), {**_memory_results(), "n_train": MemoryConfig().n_train}
    )


def memory_gates_figure() -> Figure:
    """The gates of the recall LSTM of ``03_memory_vs_k`` along one sequence."""
    from lstm_explained.memory import memory_gate_trace

    _memory_results()  # trains (and caches) the LSTM the trace uses
    return plot_memory_gates(*memory_gate_trace())


def fair_comparison_figure() -> Figure:
    """The comparison of ``compare.run_comparison`` with the default config."""
    return plot_fair_comparison(*_fair_comparison_results())


def memory_vs_k_figure() -> Figure:
    """The recall task of ``memory.run_memory`` with the default config."""
    return plot_memory_vs_k(_memory_results())


FIGURES = {
    "03_fair_comparison": fair_comparison_figure,
    "03_memory_vs_k": memory_vs_k_figure,
    "03_window_cost": window_cost_figure,
    "03_memory_gates": memory_gates_figure,
}
