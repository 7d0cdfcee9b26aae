"""Figures of the handwriting-data notebook (``python -m ink figures``).

Every builder returns a matplotlib Figure and never shows it. Real data is drawn when it is
found (:func:`ink.dataset.find_iamondb`, :func:`ink.dataset.find_kaggle_names`); without it the
figures show synthetic data only and say so in their title.
"""

from __future__ import annotations

import cv2
import matplotlib.pyplot as plt
import numpy as np

from ink.dataset import find_iamondb, find_kaggle_names
from ink.draw import plot_line
from ink.render import RenderLook, render, render_form_crop
from ink.synthetic import WriterStyle, write, write_neighbours
from ink.text import random_name, random_sentence

STYLE_SENTENCE = "the quick brown fox jumps over the lazy dog"
SHOWN_WRITERS = (1, 0, 3, 6, 2, 7)  # a mix of joined (1, 2, 3) and print (0, 6, 7) hands


def load_real_lines(n: int | None = None):
    """(lines, texts) of real IAM-OnDB lines, or (None, None) when none are found."""
    from ink.loaders import load_strokes

    folder = find_iamondb()
    if folder is None:
        return None, None
    lines, texts = load_strokes(folder / "strokes-py3.npy", folder / "sentences.txt")
    return lines[:n], texts[:n]


def synthetic_vs_real(n: int = 4) -> plt.Figure:
    """Real IAM-OnDB lines (left) beside the same text written by synthetic writers (right)."""
    real, texts = load_real_lines(n)
    if real is None:
        texts = [random_sentence(i) for i in range(n)]
    cols = 1 if real is None else 2
    fig, axes = plt.subplots(n, cols, figsize=(6.5 * cols, 1.3 * n), squeeze=False)
    for i, text in enumerate(texts):
        w = SHOWN_WRITERS[i % len(SHOWN_WRITERS)]
        syn = write(text, writer=w, line_seed=i)
        kind = "joined" if WriterStyle.from_seed(w).cursive else "print"
        plot_line(syn, ax=axes[i, -1], title=f"synthetic, writer {w} ({kind}): {text}")
        if real is not None:
            plot_line(real[i], ax=axes[i, 0], title=f"real IAM-OnDB: {text}")
    note = "" if real is not None else " (real data not found: synthetic only)"
    fig.suptitle(f"Synthetic handwriting beside real pen strokes{note}", fontsize=11)
    fig.tight_layout()
    return fig


def writer_styles(n_writers: int = 8, text: str = STYLE_SENTENCE) -> plt.Figure:
    """One sentence in the hands of ``n_writers`` writers, coloured by time step."""
    fig, axes = plt.subplots(n_writers // 2, 2, figsize=(12, 0.9 * n_writers), squeeze=False)
    for w, ax in enumerate(axes.T.ravel()):
        style = WriterStyle.from_seed(w)
        plot_line(
            write(text, writer=w),
            ax=ax,
            color_by_time=True,
            title=f"writer {w}: {style.font}, "
            f"{'joined' if style.cursive else 'print'}, slant {style.slant:+.0f} deg",
        )
    fig.suptitle("One sentence, eight writers (colour = time: dark blue first, yellow last)")
    fig.tight_layout()
    return fig


def two_hands(writers=(1, 0, 3, 6), text: str = STYLE_SENTENCE) -> plt.Figure:
    """The same writers in the fonts' hand (left) and the human hand (right): same font,
    slant and size; in the human hand some letters are forms people drew (Omniglot), each
    letter leans and widens a little on its own, and the pen slows in curves."""
    fig, axes = plt.subplots(len(writers), 2, figsize=(13, 1.15 * len(writers)), squeeze=False)
    for row, w in zip(axes, writers, strict=True):
        for ax, hand in zip(row, ("font", "human"), strict=True):
            style = WriterStyle.from_seed(w, hand=hand)
            extra = f", {len(style.human)} of 26 letters as people drew them" * (hand == "human")
            plot_line(
                write(text, writer=w, style=style), ax=ax, title=f"writer {w}, {hand} hand{extra}"
            )
    fig.suptitle("One writer, two hands: the fonts alone (left) and the human hand (right)")
    fig.tight_layout()
    return fig


def rendered_images(n: int = 4) -> plt.Figure:
    """256x64 renders: sentences in several looks, names with a printed form label, and
    (when found) real scanned Kaggle names."""
    kaggle = find_kaggle_names()
    cols = 3 if kaggle is not None else 2
    fig, axes = plt.subplots(n, cols, figsize=(3.4 * cols, 1.05 * n), squeeze=False)
    for i in range(n):
        sentence = write(random_sentence(i), writer=10 + i, line_seed=i)
        img = render(sentence, look=RenderLook.random(i), seed=i)
        axes[i, 0].imshow(img, cmap="gray", vmin=0, vmax=255)
        name = random_name(i)
        strokes = write(name, writer=20 + i, style=WriterStyle.from_seed(20 + i, kind="names"))
        look = RenderLook.random(100 + i, form=True)
        if i % 2:  # cut out like the real crops, with the edges of the lines around the name
            near = write_neighbours(20 + i, np.random.default_rng(i))
            img = cv2.resize(render_form_crop(strokes, near, look=look, seed=i), (256, 64))
        else:
            img = render(strokes, look=look, seed=i)
        axes[i, 1].imshow(img, cmap="gray", vmin=0, vmax=255)
        axes[i, 1].set_ylabel("cut from a form" if i % 2 else "rendered", fontsize=8)
    axes[0, 0].set_title("synthetic sentences", fontsize=9)
    axes[0, 1].set_title("synthetic names, scanned-form look", fontsize=9)
    if kaggle is not None:
        from ink.loaders import load_kaggle_names

        df = load_kaggle_names(*kaggle, verbose=False)
        for i in range(n):
            img = cv2.imread(str(df["path"][i]), cv2.IMREAD_GRAYSCALE)
            axes[i, 2].imshow(cv2.resize(img, (256, 64)), cmap="gray", vmin=0, vmax=255)
        axes[0, 2].set_title("real Kaggle scans (resized)", fontsize=9)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    note = "" if kaggle is not None else " (real scans not found: synthetic only)"
    fig.suptitle(f"Strokes rendered to 256x64 grayscale images{note}", fontsize=10)
    fig.tight_layout()
    return fig


def realism_distributions(n_synthetic: int = 300) -> plt.Figure:
    """One panel per :data:`ink.stats.REALISM` statistic: the distribution over real IAM-OnDB
    lines and over ``n_synthetic`` synthetic sentences (density histograms on the same bins,
    1st to 99th percentile of both), the distance of :func:`ink.stats.realism_table` in the
    title."""
    from ink.dataset import build_dataset
    from ink.stats import REALISM, line_statistics, realism_table

    ds = build_dataset(n_synthetic, cache_dir=None, progress=False)
    syn, syn_skipped = line_statistics(ds.lines, ds.texts)
    real_lines, real_texts = load_real_lines()
    real, real_skipped = (None, None)
    if real_lines is not None:
        real, real_skipped = line_statistics(real_lines, real_texts)
    table = realism_table(syn, real, syn_skipped, real_skipped)
    fig, axes = plt.subplots(3, 4, figsize=(13, 8))
    for ax, (key, label) in zip(axes.ravel(), REALISM, strict=False):
        samples = [x for x in (real[key] if real is not None else None, syn[key]) if x is not None]
        pooled = np.concatenate(samples)
        if label not in table.index or not len(pooled):
            ax.set_title(f"{label}\n(no values)", fontsize=9)
            continue
        lo, hi = np.percentile(pooled, [1, 99])
        bins = np.linspace(lo, hi if hi > lo else lo + 1, 21)
        styles = (
            (real, {"histtype": "step", "color": "black", "lw": 1.5, "label": "real"}),
            (syn, {"histtype": "stepfilled", "color": "tab:orange", "alpha": 0.5}),
        )
        counts = {"real": len(real_lines) if real is not None else 0, "synthetic": n_synthetic}
        for sample, style in styles:
            if sample is None:
                continue
            name = style.pop("label", "synthetic")
            style["label"] = f"{name} ({counts[name]} lines)"
            ax.hist(sample[key].clip(bins[0], bins[-1]), bins, density=True, **style)
        distance = table.loc[label, "distance"]
        shown = "" if np.isnan(distance) else f"\ndistance {distance:.2f}"
        if key == "turning_angle":  # most points turn by a few degrees: show the tail too
            ax.set_yscale("log")
            label += ", log density"
        ax.set_title(f"{label}{shown}", fontsize=9)
        ax.set_yticks([], minor=True)
        ax.set_yticks([])
        ax.tick_params(labelsize=8)
    last = axes.ravel()[-1]
    last.axis("off")
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    last.legend(handles, labels, loc="center", frameon=False)
    last.text(
        0.5,
        0.15,
        "distance: Wasserstein-1 over the real std\n(0 = same distribution)\n"
        "values beyond the 1-99% range are piled\ninto the end bins; h = std of the line's y",
        ha="center",
        va="center",
        fontsize=8,
        transform=last.transAxes,
    )
    note = "" if real is not None else " (real data not found: synthetic only)"
    fig.suptitle(f"Real and synthetic handwriting, statistic by statistic{note}", fontsize=11)
    fig.tight_layout()
    return fig


FIGURES = {
    "00_realism": realism_distributions,
    "00_synthetic_vs_real": synthetic_vs_real,
    "00_writer_styles": writer_styles,
    "00_two_hands": two_hands,
    "00_rendered_images": rendered_images,
}
