"""Figures of parts 5 and 6 (``python -m synthesis figures`` writes the ``05_*`` and ``06_*``).

``plot_*`` draw what they are given; the zero-argument builders in ``FIGURES`` use the shipped
recognizer and writers (no training). Two figures summarise long measurements and draw them from
kept results in ``synthesis/weights/`` (``python -m synthesis results`` measures them again):
the ablation (15 small recognizers trained, ~55 minutes) and the legibility table (400 lines
written and read, ~3 minutes, measured again by itself when the shipped weights change).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ink.draw import plot_line
from labcore.charset import BLANK, Charset


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


def frame_readings(logits, charset: Charset, n_points: int, downsample: int = 2):
    """What each CTC frame reads, where it reads it: ``(point index, character)`` for every
    frame whose best class is not the blank; frame t sits at point ``downsample * t`` of the
    (resampled) features. The demo page draws the same letters as this module's figures."""
    path = np.argmax(np.asarray(logits), axis=-1)  # (frames,) best class per frame
    return [
        (min(n_points - 1, downsample * t), charset.chars[k - 1])
        for t, k in enumerate(path)
        if k != BLANK
    ]


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
    for i, char in frame_readings(logits, charset, len(pts), downsample):
        ax.text(
            pts[i, 0],
            pts[i, 1],
            char,
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
    """Mean CER over the seeds (bar), each seed's CER (dots), and the cost of each variant."""
    from synthesis.ablation import reference

    names = list(rows)
    labels = [n.replace("residual + ", "residual\n+ ") for n in names]  # two lines: no overlap
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 3.6))
    cer = [rows[n]["cer"] for n in names]
    colors = ["0.5", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]
    a.bar(labels, cer, color=colors[: len(names)], alpha=0.85)
    added = [k for k, n in enumerate(names) if reference(n) == "+ residual"]
    if added and "+ residual" in rows:  # what each addition is judged against
        a.hlines(rows["+ residual"]["cer"], added[0] - 0.45, added[-1] + 0.45, colors="#1f77b4",
                 linestyles="--", lw=1, label="+ residual (what the additions are judged against)")  # fmt: skip
        a.legend(fontsize=7, loc="upper right")
    for k, n in enumerate(names):  # the seeds as dots (a std bar would pass below 0 here)
        seeds = rows[n].get("cers", [])
        a.plot([k] * len(seeds), seeds, "o", mfc="white", mec="black", ms=5)
        top = max([cer[k], *seeds])  # the label above the highest seed, never through a dot
        a.annotate(f"{cer[k]:.1%}", (k, top), xytext=(0, 4), textcoords="offset points",
                   ha="center", fontsize=9)  # fmt: skip
    n_seeds = len(rows[names[0]].get("cers", [])) if names else 0
    a.set_ylabel("CER on held-out writers")
    a.set_title(f"same data and epochs; bar: mean of {n_seeds} seeds, dots: each seed")
    sec = [rows[n]["seconds_per_epoch"] for n in names]
    bars = b.bar(labels, sec, color="0.7")
    b.bar_label(
        bars,
        [
            f"{s:.0f} s\n{rows[n]['parameters'] / 1e3:.0f}k par."
            for s, n in zip(sec, names, strict=True)
        ],
        fontsize=8,
    )
    b.set_ylabel("seconds per epoch (2 CPU cores)")
    b.set_title("cost (time: rough, other jobs shared the cores)", fontsize=10)
    for ax in (a, b):
        ax.tick_params(axis="x", labelsize=8)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.18)  # room for the bar labels under the title
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- make figures
def _held_out(n: int, hand: str = "human"):
    from synthesis.recognition import synthetic_sentences

    return synthetic_sentences("test", limit=n, progress=False, hand=hand)


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
    config = info["config"]
    feats, _ = prepare(data, charset, config.downsample, for_training=False, deskew=config.deskew)
    logits = predict_logits(model, feats)
    hyps = decode_lines(logits, charset)
    title = "shipped recognizer: 3 lines by held-out synthetic writers" + (
        ", then 2 real IAM-OnDB lines (zero-shot)" if folder is not None else ""
    )
    return plot_recognized_lines(feats, logits, charset, data.texts, hyps, title=title)


def ablation_figure() -> Figure:
    """The ablation kept in ``synthesis/weights/ablation.json`` (``make results`` measures it
    again: about an hour on 2 cores), in fast mode too, as notebook 05 shows it. When it is
    missing: measured and kept, or in fast mode a smoke run that keeps nothing."""
    from ink.config import fast_mode
    from synthesis.ablation import RESULTS, ablation_budget, load, run

    rows = load(ablation_budget(fast=False))
    if rows is None:
        rows = run(ablation_budget(), save=None if fast_mode() else RESULTS)
    return plot_ablation(rows)


# ------------------------------------------------------------------------------------ part 6
def _rows_of_lines(
    lines, titles, width: float = 10.0, row_height: float = 1.3, cols: int = 1
) -> Figure:
    """Generated lines, ``cols`` to a row, each drawn as a smooth curve through its points."""
    rows = -(-len(lines) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width, row_height * rows), squeeze=False)
    for ax in axes.ravel()[len(lines) :]:
        ax.axis("off")
    for ax, line, title in zip(axes.ravel(), lines, titles, strict=False):
        plot_line(line, ax=ax, linewidth=1.3, title=title, smooth=True)
    fig.tight_layout()
    return fig


def density_grid(writer, inputs: np.ndarray, y: np.ndarray, pixels_per_unit: float = 8.0):
    """The predicted density of every next point, drawn where it would land: for each step t
    the mixture of step t, shifted to the pen's position at t, evaluated on a grid and summed.
    ``inputs`` (T, 3) normalised points, ``y`` (T, 1 + 6M) raw outputs. Returns (image,
    extent)."""
    from synthesis.mdn import log_density, split_numpy

    xy = np.cumsum(inputs[:, 1:].astype(np.float64), axis=0)  # pen position before each target
    lo, hi = xy.min(0) - 6, xy.max(0) + 6
    nx, ny = np.ceil((hi - lo) * pixels_per_unit).astype(int) + 1
    gx, gy = np.linspace(lo[0], hi[0], nx), np.linspace(lo[1], hi[1], ny)
    image = np.zeros((ny, nx))
    for t in range(len(y)):
        p = split_numpy(y[t], writer.config.n_mixtures)
        # each step is evaluated over the box that holds 4 sigma of every component that has
        # weight: a fixed cut-off drew wide pen-lift Gaussians as faint rectangles
        used = p["pi"] > 1e-3
        x0 = xy[t, 0] + (p["mu1"] - 4 * p["s1"])[used].min()
        x1 = xy[t, 0] + (p["mu1"] + 4 * p["s1"])[used].max()
        y0 = xy[t, 1] + (p["mu2"] - 4 * p["s2"])[used].min()
        y1 = xy[t, 1] + (p["mu2"] + 4 * p["s2"])[used].max()
        xs = slice(np.searchsorted(gx, x0), np.searchsorted(gx, x1) + 1)
        ys = slice(np.searchsorted(gy, y0), np.searchsorted(gy, y1) + 1)
        dx, dy = np.meshgrid(gx[xs] - xy[t, 0], gy[ys] - xy[t, 1])
        if dx.size:
            image[ys, xs] += np.exp(log_density(p, dx, dy))
    return image, (lo[0], hi[0], lo[1], hi[1])


def plot_density(writer, offsets, text: str) -> Figure:
    """Graves's figure 10: a held-out line and, under it, the network's prediction of each next
    point (teacher forcing), summed over the line."""
    inputs = writer.prime_inputs(offsets)
    y, _, _ = writer.teacher_forced(inputs[:-1], text if writer.config.conditional else None)
    image, extent = density_grid(writer, inputs[:-1], y)
    fig, (a, b) = plt.subplots(2, 1, figsize=(11, 5.6), sharex=True, layout="constrained")
    plot_line(inputs, ax=a, title=f"{text!r}, by a held-out synthetic writer (normalised units)")
    scale = np.percentile(image[image > 0], 99.5)
    shown = np.clip(np.sqrt(image / scale), 0, 1)  # a gamma: faint tails show
    im = b.imshow(shown, origin="lower", extent=extent, cmap="PuRd", aspect="equal")
    for ax in (a, b):  # the line and its density on one x axis, at one scale
        ax.set_xlim(extent[0], extent[1])
    a.set_ylim(extent[2], extent[3])
    b.set_title(
        "predicted density of the next point at every step, summed over the line",
        fontsize=9,
        loc="left",
    )
    b.set_xticks([])
    b.set_yticks([])
    bar = fig.colorbar(im, ax=[a, b], shrink=0.6, pad=0.01)
    bar.set_label("sqrt(density / its 99.5th percentile)", fontsize=8)
    return fig


def plot_window(gen, title: str | None = None) -> Figure:
    """A generated line over its attention window phi(t, u): which letter each step reads."""
    fig, (a, b) = plt.subplots(2, 1, figsize=(10, 6.5), gridspec_kw={"height_ratios": [1, 2.2]})
    plot_line(
        gen.offsets,
        ax=a,
        color_by_time=True,
        title=title or f"{gen.text!r} (bias {gen.bias:g}), colour = time",
    )
    phi = gen.phi[:, : len(gen.text)]  # (T, U): drop the end-of-line space
    b.imshow(phi.T, aspect="auto", origin="upper", cmap="Greys", interpolation="nearest")
    b.set_yticks(range(len(gen.text)))
    b.set_yticklabels([c if c != " " else "_" for c in gen.text], fontsize=6)
    b.set_xlabel("step t (one generated point each)")
    b.set_ylabel("character u")
    b.set_title(
        "window weights phi(t, u): the network moves along the text as it writes",
        fontsize=9,
        loc="left",
    )
    fig.tight_layout()
    return fig


def plot_legibility(rows: list[dict]) -> Figure:
    """CER (read back by the part-5 recognizer) against the sampling bias, with its bootstrap
    standard error over the sentences."""
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    b = [r["bias"] for r in rows]
    se = [100 * r["cer_se"] for r in rows]
    ax.errorbar(b, [100 * r["cer"] for r in rows], yerr=se, fmt="o-", capsize=3, label="CER")
    ax.plot(b, [100 * r["wer"] for r in rows], "s--", label="WER", alpha=0.7)
    for r in rows:
        ax.annotate(
            f"{r['cer']:.1%}",
            (r["bias"], 100 * r["cer"]),
            textcoords="offset points",
            xytext=(4, 6),
            fontsize=8,
        )
    ax.axhline(10, color="0.6", lw=0.8, ls=":", label="target: CER <= 10% at bias 1")
    ax.set_xlabel("sampling bias b")
    ax.set_ylabel("error rate (%)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(min(b) - 0.15, max(b) + 0.4)  # room for the last label
    ax.set_title(
        f"generated -> recognised: {rows[0]['n']} held-out sentences\n"
        "(bars: bootstrap standard error over the sentences)",
        fontsize=9,
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_training(histories: dict[str, list[dict]]) -> Figure:
    """NLL per point (normalised units) against the training lines seen (rows of
    :func:`synthesis.training.full_history`), for each shipped network; where a network was
    trained in stages, a dotted line marks where each stage began, with its recipe."""
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    for name, hist in histories.items():
        seen = [h["lines"] / 1000 for h in hist]
        (line,) = ax.plot(seen, [h["train_nll"] for h in hist], lw=1, label=f"{name}: train")
        if any("val_nll" in h for h in hist):
            ax.plot(seen, [h.get("val_nll", np.nan) for h in hist], "--", color=line.get_color(),
                    label=f"{name}: validation")  # fmt: skip
        for before, row in zip(hist, hist[1:], strict=False):
            if row.get("stage", 1) != before.get("stage", 1):  # a new stage starts here
                ax.axvline(before["lines"] / 1000, color=line.get_color(), ls=":", lw=1)
                lr = row.get("learning_rate")
                ax.text(before["lines"] / 1000, 0.97, f" stage {row['stage']}: lr {lr:g}, "
                        f"batch {row['batch_size']}", rotation=90, va="top", fontsize=7,
                        color=line.get_color(), transform=ax.get_xaxis_transform())  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("training lines seen (thousands, log scale)")
    ax.set_ylabel("NLL (nats per point)")
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("training of the shipped networks (lower is better)", fontsize=10)
    return fig


SAMPLE_TEXT = "handwriting from a recurrent network"
BIAS_ROW = (0.0, 0.5, 1.0, 2.0)
BIAS_SEEDS = (1, 2)  # two samples per bias: one seed says little about a bias


def unconditional_figure() -> Figure:
    from synthesis.sampling import load_writer

    writer = load_writer(task="unconditional")
    lines = [writer.generate(bias=0.5, seed=s, max_steps=350).offsets for s in range(3)]
    return _rows_of_lines(
        lines, [f"prediction network, free writing, seed {s} (bias 0.5)" for s in range(3)]
    )


def bias_figure() -> Figure:
    from synthesis.sampling import load_writer

    writer = load_writer(task="conditional")
    runs = [(b, s) for b in BIAS_ROW for s in BIAS_SEEDS]
    lines = [writer.generate(SAMPLE_TEXT, bias=b, seed=s).offsets for b, s in runs]
    titles = [f"bias {b:g}, seed {s}" for b, s in runs]
    return _rows_of_lines(lines, titles, width=14.0, row_height=1.1, cols=len(BIAS_SEEDS))


def window_figure() -> Figure:
    from synthesis.sampling import load_writer

    writer = load_writer(task="conditional")
    return plot_window(writer.generate(SAMPLE_TEXT, bias=1.0, seed=1))


def density_figure() -> Figure:
    from synthesis.sampling import load_writer
    from synthesis.training import WRITER_HAND

    data = _held_out(1, hand=WRITER_HAND)  # a line in the hand the writer learnt
    return plot_density(load_writer(task="conditional"), data.lines[0], data.texts[0])


def priming_figure(writers=(0, 2, 5), text: str = "is written in the same hand") -> Figure:
    from synthesis.sampling import PRIME_TEXT, load_writer, style_prime

    writer = load_writer(task="conditional")
    lines, titles = [], []
    for w in writers:
        prime = style_prime(w)
        gen = writer.generate(text, bias=1.0, seed=0, prime=prime, prime_text=PRIME_TEXT)
        lines += [prime, gen.offsets]
        titles += [
            f"synthetic writer {w}: {PRIME_TEXT!r} (priming line)",
            f"  -> generated after priming: {text!r}",
        ]
    return _rows_of_lines(lines, titles, row_height=1.1)


def legibility_figure() -> Figure:
    """Kept results of the shipped weights (:func:`synthesis.legibility.kept_legibility`); in
    fast mode 8 sentences measured now."""
    from ink.config import fast_mode
    from synthesis.legibility import kept_legibility, legibility_table

    return plot_legibility(legibility_table(n=8) if fast_mode() else kept_legibility())


def training_figure() -> Figure:
    from synthesis.sampling import load_writer
    from synthesis.training import full_history

    return plot_training(
        {
            task: full_history(load_writer(task=task).info)[0]
            for task in ("unconditional", "conditional")
        }
    )


FIGURES = {
    "05_stroke_features": features_figure,
    "05_recognized_lines": recognized_figure,
    "05_ablation": ablation_figure,
    "06_unconditional_samples": unconditional_figure,
    "06_bias_samples": bias_figure,
    "06_attention_window": window_figure,
    "06_density_heatmap": density_figure,
    "06_priming": priming_figure,
    "06_legibility": legibility_figure,
    "06_training": training_figure,
}
