"""Figures of part 4 (``python -m crnn figures`` writes the ``04_*`` ones into ``figures/``).

The ``plot_*`` functions draw what they are given and return a matplotlib Figure; notebook 04
calls them with its own data. The zero-argument builders in ``FIGURES`` use the shipped weights
(no training, so ``make figures`` stays quick and gives the same pictures every time), except the
digits prelude, which trains its small models with fixed seeds.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from labcore.charset import BLANK, Charset

GOOD, BAD = "#2a7d2e", "#c0392b"


def plot_images(images, titles=None, colors=None, ncols: int = 2, width: float = 4.0) -> Figure:
    """A grid of 64x256 images with a title above each (e.g. "label -> prediction")."""
    n = len(images)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, width / 4 * 1.35 * nrows), squeeze=False
    )
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(images[k], cmap="gray", vmin=0, vmax=255, aspect="equal")
        if titles is not None:
            color = "black" if colors is None else colors[k]
            ax.set_title(titles[k], fontsize=9, color=color, family="monospace")
    fig.tight_layout()
    return fig


def plot_predictions(images, refs, hyps, ncols: int = 2, title: str | None = None) -> Figure:
    """Images titled "reference -> prediction", green when right and red when wrong."""
    titles = [f"{r!r} -> {h!r}" for r, h in zip(refs, hyps, strict=True)]
    colors = [GOOD if r == h else BAD for r, h in zip(refs, hyps, strict=True)]
    fig = plot_images(images, titles, colors, ncols=ncols)
    if title:
        fig.suptitle(title, fontsize=11)
        fig.tight_layout()
    return fig


def plot_alignment(image, logits, charset: Charset, title: str | None = None) -> Figure:
    """The image, the best class of every CTC frame under it, and p(blank) per frame.

    The three panels share one x axis in pixel columns: frame t covers columns ``t * per`` to
    ``(t + 1) * per`` with ``per = width / T``, and its letter, its shading and its p(blank) sit
    over those columns. Blanks are drawn as a dot, a space as "\u2423"; repeated frames of one
    character merge when decoding.
    """
    image = np.asarray(image)  # (H, W)
    logits = np.asarray(logits)  # (T, C)
    height, width = image.shape[:2]
    steps = logits.shape[0]
    per = width / steps  # pixel columns per frame
    path = np.argmax(logits, axis=-1)  # (T,)
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)  # (T, C)
    fig, (ax_img, ax_chr, ax_p) = plt.subplots(
        3,
        1,
        figsize=(11, 5.6),
        sharex=True,
        gridspec_kw={"height_ratios": [2.4, 0.5, 1.2]},
        layout="constrained",
    )
    # aspect="auto": the image fills the axes' width, so its columns line up with the panels below
    ax_img.imshow(image, cmap="gray", vmin=0, vmax=255, aspect="auto", extent=(0, width, height, 0))
    for t, k in enumerate(path):
        if k == BLANK:
            ax_chr.plot((t + 0.5) * per, 0.5, ".", color="0.6", ms=3)
            continue
        for ax in (ax_img, ax_chr, ax_p):
            ax.axvspan(t * per, (t + 1) * per, color="#1f77b4", alpha=0.2, lw=0)
        char = charset.chars[k - 1].replace(" ", "\u2423")  # a space would draw nothing
        ax_chr.text((t + 0.5) * per, 0.5, char, ha="center", va="center",
                    color="#1f77b4", fontsize=12, family="monospace", weight="bold")  # fmt: skip
    ax_img.set_yticks([])
    ax_img.set_title(title or "best class per frame (dots: blank)", fontsize=11)
    frames = ax_img.secondary_xaxis("top", functions=(lambda x: x / per, lambda t: t * per))
    frames.set_xlabel(f"CTC frame (each {per:g} pixel columns wide)", fontsize=9)
    ax_chr.set_ylim(0, 1)
    ax_chr.set_yticks([])
    ax_chr.set_ylabel("best\nclass", rotation=0, ha="right", va="center", fontsize=9)
    xs = (np.arange(steps) + 0.5) * per  # frame centres, in pixel columns
    ax_p.plot(xs, probs[:, BLANK], color="0.35", drawstyle="steps-mid")
    ax_p.set_ylim(0, 1.05)
    ax_p.set_ylabel("p(blank)", fontsize=9)
    ax_p.set_xlim(0, width)
    ax_p.set_xlabel(
        f"pixel column ({steps} CTC frames of {per:g} px; shaded: frames whose best class is a "
        f"character)"
    )
    return fig


def plot_loss_curve(history: dict, title: str = "CTC loss") -> Figure:
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for key, label in (("loss", "training"), ("val_loss", "validation")):
        if key in history:
            ax.plot(np.arange(1, len(history[key]) + 1), history[key], "o-", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean CTC loss (nats per image)")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_digit_models(accuracies: dict, columns: dict) -> Figure:
    """Left: held-out accuracy of the pixel LSTM, the MLP and the CNN. Right: the LSTM's
    accuracy when it has read only the first k columns. Both axes start at 0 (chance is 0.1)."""
    fig, (a, b) = plt.subplots(
        1, 2, figsize=(10, 3.6), sharey=True, gridspec_kw={"width_ratios": [1, 1.4]}
    )
    names = list(accuracies)
    bars = a.bar(names, [accuracies[n] for n in names], color=["#ff7f0e", "#1f77b4", "#2ca02c"])
    a.bar_label(bars, [f"{accuracies[n]:.1%}" for n in names], fontsize=9)
    a.axhline(0.1, color="0.6", ls=":")
    a.set_ylabel("test accuracy (450 digits)")
    a.set_title("8x8 digits: three models, same split")
    ks = sorted(columns)
    b.plot(ks, [columns[k] for k in ks], "o-", color="#ff7f0e")
    b.axhline(0.1, color="0.6", ls=":", label="chance (1 in 10)")
    b.set_xlabel("columns read (time steps)")
    b.set_title("pixel LSTM stopped after k of its 8 columns")
    b.set_ylim(0, 1.08)  # from 0, with room for the bar labels
    b.tick_params(labelleft=True)
    b.legend(loc="upper left")
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- make figures
def _shipped(name: str):
    from crnn.train import load_model, shipped_weights

    return load_model(shipped_weights(name))


def predictions_figure() -> Figure:
    """Held-out synthetic writers and held-out digit strings, read by the shipped models."""
    from crnn.data import N_SYNTHETIC, digit_strings, synthetic_names
    from crnn.train import decode, predict_logits

    model, charset, _ = _shipped("synthetic")
    names = synthetic_names(N_SYNTHETIC, "test", limit=6, progress=False)
    hyps = decode(predict_logits(model, names.images), charset)
    dmodel, dcharset, _ = _shipped("digits")
    digits = digit_strings(4, "test", seed=2)
    dhyps = decode(predict_logits(dmodel, digits.images), dcharset)
    return plot_predictions(
        np.concatenate([names.images, digits.images]),
        names.texts + digits.texts,
        hyps + dhyps,
        title="shipped CRNNs on writers and digits never seen in training (reference -> read)",
    )


def alignment_figure() -> Figure:
    from crnn.data import N_SYNTHETIC, synthetic_names
    from crnn.train import decode, predict_logits

    model, charset, _ = _shipped("synthetic")
    names = synthetic_names(N_SYNTHETIC, "test", limit=8, progress=False)
    k = int(np.argmax([len(t) for t in names.texts]))  # the longest name shows the most
    logits = predict_logits(model, names.images[k : k + 1])
    text = decode(logits, charset)[0]
    return plot_alignment(
        names.images[k],
        logits[0],
        charset,
        title=f"CTC alignment: {names.texts[k]!r} read as {text!r}",
    )


def digit_models_figure() -> Figure:
    from crnn import digits

    split = digits.load_digit_split()
    lstm = digits.build_pixel_lstm()
    acc = {
        "pixel LSTM": digits.train_and_score(lstm, split),
        "MLP": digits.train_and_score(digits.build_digit_mlp(), split),
        "CNN": digits.train_and_score(digits.build_digit_cnn(), split),
    }
    return plot_digit_models(acc, digits.accuracy_vs_columns(lstm, split))


FIGURES = {
    "04_digit_models": digit_models_figure,
    "04_crnn_predictions": predictions_figure,
    "04_ctc_alignment": alignment_figure,
}
