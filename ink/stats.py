"""Numbers that tell handwriting from a font: statistics of a set of stroke lines.

:func:`stroke_stats` summarises lines in the (T, 3) format; :func:`compare_table` puts the
synthetic and the real summary side by side with their ratio, the table the synthetic writer
was tuned against.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ink.strokes import validate_offsets

# (key, what it means) in the order of the table.
STATS = (
    ("points_per_char", "points per character"),
    ("eos_share", "share of points that end a stroke"),
    ("strokes_per_char", "pen-down strokes per character"),
    ("dx_mean", "mean dx"),
    ("dx_std", "std of dx"),
    ("dy_mean", "mean dy"),
    ("dy_std", "std of dy"),
    ("step_median", "median pen-down step length"),
    ("line_points", "points per line (mean)"),
    ("line_height", "line height (5-95% of y)"),
    ("width_per_char", "line width per character"),
)


def stroke_stats(lines, texts) -> dict:
    """Statistics of ``lines`` (list of (T, 3) offsets) written from ``texts`` -> dict.

    Keys are those of :data:`STATS`; offsets statistics skip row 0 of each line (always 0).
    """
    lines = [validate_offsets(x, name=f"line {i}") for i, x in enumerate(lines)]
    texts = list(texts)
    if not lines or len(lines) != len(texts):
        raise ValueError(f"expected as many texts as lines (>0), got {len(lines)} and {len(texts)}")
    n_chars = sum(len(t) for t in texts)
    n_points = sum(len(x) for x in lines)
    eos = np.concatenate([x[:, 0] for x in lines])
    d = np.concatenate([x[1:, 1:3] for x in lines]).astype(np.float64)  # (N, 2)
    pen_down = np.concatenate([x[:-1, 0] < 0.5 for x in lines])  # the move after a down point
    steps = np.hypot(d[pen_down, 0], d[pen_down, 1])
    heights, widths = [], []
    for x in lines:
        xy = np.cumsum(x[:, 1:3].astype(np.float64), axis=0)
        lo, hi = np.percentile(xy[:, 1], [5, 95])
        heights.append(hi - lo)
        widths.append(np.ptp(xy[:, 0]))
    return {
        "points_per_char": n_points / n_chars,
        "eos_share": float(eos.mean()),
        "strokes_per_char": float(eos.sum()) / n_chars,
        "dx_mean": float(d[:, 0].mean()),
        "dx_std": float(d[:, 0].std()),
        "dy_mean": float(d[:, 1].mean()),
        "dy_std": float(d[:, 1].std()),
        "step_median": float(np.median(steps)),
        "line_points": n_points / len(lines),
        "line_height": float(np.mean(heights)),
        "width_per_char": float(np.sum(widths)) / n_chars,
    }


def compare_table(synthetic: dict, real: dict | None = None) -> pd.DataFrame:
    """Two :func:`stroke_stats` dicts -> DataFrame with columns synthetic, real, ratio.

    Without ``real`` (no real data at hand) only the synthetic column is filled. ``dy_mean``
    is near 0 for both, so its ratio means little; compare it to ``dy_std`` instead.
    """
    rows = []
    for key, label in STATS:
        s = synthetic[key]
        r = real[key] if real is not None else np.nan
        ratio = s / r if real is not None and r != 0 else np.nan
        rows.append({"statistic": label, "synthetic": s, "real": r, "ratio": ratio})
    return pd.DataFrame(rows).set_index("statistic")
