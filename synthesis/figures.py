"""Figures of part 5 (``python -m synthesis figures`` writes the ``05_*`` ones).

``plot_*`` draw what they are given; the zero-argument builders in ``FIGURES`` use the shipped
recognizer (no training), except the ablation, which trains its four small variants.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from crnn.charset import BLANK, Charset
from ink.draw import plot_line


def features_to_points(features) -> np.ndarray:
    """(T, 3) ``(dx, dy, pen_up)`` features -> (T, 3) absolute ``(x, y, pen_up)``."""
    f = np.asarray(features, np.float64)
    return np.column_stack([np.cumsum(f[:, 0]), np.cumsum(f[:, 1]), f[:, 2]])


def _draw_trace(ax, pts, color="0.75", lw=1.0):
    start = 0
    for end in list(np.flatnonzero(pts[:, 2] > 0.5)) + [len(pts) - 1]:
        seg = pts[start : end + 1]
        if len(seg) > 1:
            ax.plot(seg[:, 0], seg[:, 1], color=color, lw=lw, solid_capstyle="round")
        start = end + 1


def plot_features(offsets, features, text: str | None = None) -> Figure:
    """Top: the line with its points coloured by time. Bottom: the three features per point."""
    fig, (a, b) = plt.subplots(2, 1, figsize=(10, 4.2), gridspec_kw={"height_ratios": [1.2, 1]})
    plot_line(
        offsets,
        ax=a,
        color_by_time=True,
        title=f"{text!r}: {len(offsets)} recorded points, colour = time" if text else None,
    )
    t = np.arange(len(features))
    b.plot(t, features[:, 0], lw=0.8, label="dx / height")
    b.plot(t, features[:, 1], lw=0.8, label="dy / height")
    ups = np.flatnonzero(features[:, 2] > 0.5)
    b.plot(ups, np.zeros_like(ups, dtype=float), "|", color="k", ms=8, label="pen up")
    b.set_xlabel(f"point (resampled: {len(features)} points)")
    b.legend(loc="upper right", ncols=3, fontsize=8)
    fig.tight_layout()
    return fig


def plot_recognized(
    features,
    logits,
    charset: Charset,
    reference: str,
    hypothesis: str,
    ax=None,
    downsample: int = 2,
):
    """The pen trace with the best class of each CTC frame written where the frame is."""
    pts = features_to_points(features)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.8))
    _draw_trace(ax, pts)
    path = np.argmax(np.asarray(logits), axis=-1)
    for t, k in enumerate(path):
        if k == BLANK:
            continue
        i = min(len(pts) - 1, downsample * t)  # the frame's centre point
        ax.text(
            pts[i, 0],
            pts[i, 1],
            charset.chars[k - 1],
            color="#1f77b4",
            fontsize=9,
            ha="center",
            va="center",
            weight="bold",
            family="monospace",
        )
    ok = reference == hypothesis
    ax.set_title(
        f"{reference!r} -> {hypothesis!r}",
        fontsize=9,
        color="#2a7d2e" if ok else "#c0392b",
        family="monospace",
    )
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def plot_recognized_lines(features, logits, charset, references, hypotheses, title=None) -> Figure:
    n = len(features)
    fig, axes = plt.subplots(n, 1, figsize=(10, 1.7 * n), squeeze=False)
    for ax, f, lg, r, h in zip(axes[:, 0], features, logits, references, hypotheses, strict=True):
        plot_recognized(f, lg, charset, r, h, ax=ax)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_ablation(rows: dict) -> Figure:
    names = list(rows)
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.2))
    cer = [rows[n]["cer"] for n in names]
    bars = a.bar(names, cer, color=["0.5", "#1f77b4", "#ff7f0e", "#2ca02c"][: len(names)])
    a.bar_label(bars, [f"{c:.1%}" for c in cer], fontsize=9)
    a.set_ylabel("CER on held-out writers")
    a.set_title("same data, seed and epochs")
    sec = [rows[n]["seconds_per_epoch"] for n in names]
    bars = b.bar(names, sec, color="0.7")
    b.bar_label(
        bars,
        [
            f"{s:.0f} s\n{rows[n]['parameters'] / 1e3:.0f}k par."
            for s, n in zip(sec, names, strict=True)
        ],
        fontsize=8,
    )
    b.set_ylabel("seconds per epoch (2 CPU cores)")
    b.set_title("cost")
    for ax in (a, b):
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- make figures
def _held_out(n: int):
    from synthesis.recognition import synthetic_sentences

    return synthetic_sentences("test", limit=n, progress=False)


def features_figure() -> Figure:
    from synthesis.features import line_features

    data = _held_out(1)
    return plot_features(data.lines[0], line_features(data.lines[0]), data.texts[0])


def recognized_figure() -> Figure:
    from ink.dataset import find_iamondb
    from synthesis.recognition import (
        StrokeSet,
        decode_lines,
        load_recognizer,
        predict_logits,
        prepare,
        real_strokes,
    )

    model, charset, info = load_recognizer()
    data = _held_out(3)
    folder = find_iamondb()
    if folder is not None:
        real = real_strokes(folder / "strokes-py3.npy", folder / "sentences.txt", limit=2)
        data = StrokeSet(data.lines + real.lines, data.texts + real.texts, "mixed")
    feats, _ = prepare(data, charset, info["config"].downsample, for_training=False)
    logits = predict_logits(model, feats)
    hyps = decode_lines(logits, charset)
    title = "shipped recognizer: 3 lines by held-out synthetic writers" + (
        ", then 2 real IAM-OnDB lines (zero-shot)" if folder is not None else ""
    )
    return plot_recognized_lines(feats, logits, charset, data.texts, hyps, title=title)


def ablation_figure() -> Figure:
    from synthesis.ablation import run

    return plot_ablation(run())


FIGURES = {
    "05_stroke_features": features_figure,
    "05_recognized_lines": recognized_figure,
    "05_ablation": ablation_figure,
}
