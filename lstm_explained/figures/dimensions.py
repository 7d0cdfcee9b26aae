"""Figures of part 2, "LSTM dimensions explained". Each returns a Figure and never shows it.

Plot functions take their data as arguments (the notebook passes what it computed); the
zero-argument builders in ``FIGURES`` compute that data themselves (fast mode if ``LAB_FAST``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

GATE_LABELS = {"i": "i  input", "f": "f  forget", "c": "c  candidate", "o": "o  output"}


def plot_kernel_by_gate(kernel, recurrent_kernel, bias=None) -> Figure:
    """Heatmaps of kernel (d, 4u), recurrent kernel (u, 4u) and bias (4u,) cut into i, f, c, o."""
    kernel, recurrent_kernel = np.asarray(kernel), np.asarray(recurrent_kernel)
    d, four_u = kernel.shape
    u = four_u // 4
    blocks = [("kernel W", kernel), ("recurrent\nkernel U", recurrent_kernel)]
    if bias is not None:
        blocks.append(("bias b", np.asarray(bias)[None, :]))
    heights = [max(w.shape[0], 1.5) for _, w in blocks]  # a 1-row weight still gets some height
    vmax = max(np.abs(w).max() for _, w in blocks)
    fig, axes = plt.subplots(
        len(blocks),
        1,
        figsize=(10, 1.2 + 0.32 * sum(heights)),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
        layout="constrained",
    )
    for ax, (name, w) in zip(axes, blocks, strict=True):
        image = ax.imshow(w, cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="auto")
        for k in range(1, 4):
            ax.axvline(k * u - 0.5, color="black", lw=2)
        ax.set_ylabel(f"{name}\n{w.shape[0]} x {w.shape[1]}", rotation=0, ha="right", va="center")
        ax.set_yticks([])
    for k, label in enumerate(GATE_LABELS.values()):
        axes[0].text(k * u + u / 2 - 0.5, -0.6, label, ha="center", va="bottom", fontsize=11)
    axes[-1].set_xticks([k * u + u / 2 - 0.5 for k in range(4)], [f"units 0..{u - 1}"] * 4)
    fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    fig.suptitle(
        f"LSTM({u}) on {d} feature{'s' if d > 1 else ''}: every weight has 4 x {u} columns, "
        f"one block of {u} per gate (Keras order i, f, c, o)"
    )
    return fig


def plot_gate_activations(trace) -> Figure:
    """The input, then heat maps of the i, f, o gates and the cell state c (one row per unit).

    ``trace`` is a ``gates.GateTrace``: x (T,) or (T, F), and i, f, o, c each (T, units). Gates
    share one 0-to-1 colour scale (dark: closed, yellow: open); c has its own, centred on 0.
    """
    x = np.asarray(trace.x)
    T, u = trace.i.shape
    rows = [("input gate i_t", trace.i), ("forget gate f_t", trace.f), ("output gate o_t", trace.o)]
    fig = plt.figure(figsize=(11, 8.5), layout="constrained")
    grid = fig.add_gridspec(5, 2, width_ratios=[1, 0.025])
    ax_x = fig.add_subplot(grid[0, 0])
    axes = [ax_x] + [fig.add_subplot(grid[r, 0], sharex=ax_x) for r in range(1, 5)]
    extent = (-0.5, T - 0.5, u - 0.5, -0.5)  # pixel k is centred on time step k
    if x.ndim == 1:
        ax_x.plot(np.arange(T), x, color="black", lw=1.2)
        ax_x.grid(alpha=0.3)
        ax_x.set_ylabel("input x_t\n(standardized)")
    else:  # (T, F): one row per feature
        m, F = float(np.abs(x).max()) or 1.0, x.shape[1]
        extent_x = (-0.5, T - 0.5, F - 0.5, -0.5)
        image = ax_x.imshow(x.T, aspect="auto", cmap="PuOr_r", vmin=-m, vmax=m,
                            interpolation="nearest", extent=extent_x)  # fmt: skip
        ax_x.set_ylabel(f"input x_t\n{F} features")
        fig.colorbar(image, cax=fig.add_subplot(grid[0, 1]))
    for ax, (name, values) in zip(axes[1:4], rows, strict=True):
        gate_image = ax.imshow(values.T, aspect="auto", cmap="viridis", vmin=0, vmax=1,
                               interpolation="nearest", extent=extent)  # fmt: skip
        ax.set_ylabel(f"{name}\nunit")
    fig.colorbar(
        gate_image, cax=fig.add_subplot(grid[1:4, 1]), label="gate value (0 closed, 1 open)"
    )
    m = float(np.abs(trace.c).max()) or 1.0
    cell_image = axes[4].imshow(trace.c.T, aspect="auto", cmap="RdBu_r", vmin=-m, vmax=m,
                                interpolation="nearest", extent=extent)  # fmt: skip
    axes[4].set_ylabel("cell state c_t\nunit")
    fig.colorbar(cell_image, cax=fig.add_subplot(grid[4, 1]), label="c_t")
    ticks = np.arange(u) if u <= 16 else np.linspace(0, u - 1, 5).round().astype(int)
    for ax in axes[1:]:
        ax.set_yticks(ticks)
        ax.tick_params(labelsize=8)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel("time step t")
    fig.suptitle(
        f"Inside a trained LSTM({u}) over {T} time steps, one row per unit. The gates stay between "
        f"0 and 1 and move with the input\n(mean input gate {trace.i.mean():.2f}, forget gate "
        f"{trace.f.mean():.2f}, output gate {trace.o.mean():.2f}); the cell state changes slowly: "
        f"it is what the layer remembers"
    )
    return fig


def plot_param_counts(layers) -> Figure:
    """Trainable parameters per layer (a ``params.layer_table`` DataFrame) as horizontal bars."""
    counts = layers["trainable"]
    total = int(counts.sum())
    labels = [f"{name} ({kind})" for name, kind in zip(layers.index, layers["type"], strict=True)]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(counts) + 1.5), layout="constrained")
    y = np.arange(len(counts))[::-1]
    is_lstm = layers["type"].isin(["LSTM", "Bidirectional"]).to_numpy()
    ax.barh(y, counts, color=np.where(is_lstm, "tab:orange", "tab:blue"))
    for yi, n in zip(y, counts, strict=True):
        ax.text(n, yi, f" {n:,} ({n / total:.1%})", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, counts.max() * 1.35)
    ax.set_xlabel("trainable parameters")
    ax.xaxis.set_major_formatter(lambda n, _: f"{n:,.0f}")
    lstm_share = counts[is_lstm].sum() / total
    ax.set_title(
        f"{total:,} trainable parameters; the recurrent layers (orange) hold {lstm_share:.0%}"
    )
    return fig


def kernel_by_gate_figure() -> Figure:
    """The trained ``LSTM(8)`` of ``gates.py``: its three weights cut into gate blocks."""
    from lstm_explained.gates import GateConfig, trained_gate_model

    lstm = trained_gate_model(GateConfig()).get_layer("lstm")
    return plot_kernel_by_gate(*lstm.get_weights())


def gate_activations_figure() -> Figure:
    """The same trained ``LSTM(8)``'s gates along the start of the multi-sine test series."""
    from lstm_explained.gates import GateConfig, sine_gate_trace

    return plot_gate_activations(sine_gate_trace(GateConfig()))


def param_counts_figure() -> Figure:
    """Where the 2.4 million parameters of the Kaggle CRNN of part 4 are."""
    from lstm_explained.params import kaggle_crnn, layer_table

    return plot_param_counts(layer_table(kaggle_crnn()))


FIGURES = {
    "02_kernel_by_gate": kernel_by_gate_figure,
    "02_gate_activations": gate_activations_figure,
    "02_param_counts": param_counts_figure,
}
