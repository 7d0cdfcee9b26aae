"""Numbers that tell handwriting from a font: statistics of a set of stroke lines.

:func:`stroke_stats` summarises lines in the (T, 3) format; :func:`compare_table` puts the
synthetic and the real summary side by side with their ratio, the table the synthetic writer
was tuned against. :func:`line_statistics` measures finer statistics line by line (stroke
lengths, the speed-curvature power law, turning angles, slant, baseline drift, delayed strokes)
and :func:`realism_table` compares their real and synthetic distributions, each with a
distance; the bench (``python -m ink bench``), the figure ``00_realism`` and the tests share
them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ink.strokes import offsets_to_strokes, strokes_to_offsets, validate_offsets

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


# --------------------------------------------------------------------------------------------
# Realism: per-line statistics of real and synthetic lines, side by side with a distance
#
# Every length is in "height units": the standard deviation of the line's absolute y, the
# normalisation the recognizer uses, so lines of any size and digitiser compare. The shape
# statistics (turning angle, slant, baseline) use each stroke smoothed by a Gaussian of
# SMOOTH_SIGMA points and resampled every SHAPE_STEP height units, so they describe the shape,
# not how densely it was sampled; the power law uses the smoothed points at their own times.

# (key, what it means) in the order of the table.
REALISM = (
    ("points_per_char", "points per character"),
    ("stroke_points", "points per pen-down stroke"),
    ("stroke_length", "stroke length (h)"),
    ("lifts_per_word", "pen lifts per word"),
    ("power_law_beta", "speed-curvature exponent beta"),
    ("turning_angle", "turning angle per 0.1 h (deg)"),
    ("slant", "slant (deg)"),
    ("slant_spread", "slant spread over strokes (deg)"),
    ("width_per_char", "line width per character (h)"),
    ("baseline_drift", "baseline drift (h)"),
    ("delayed_strokes_per_word", "delayed strokes per word"),
)

# Real IAM-OnDB points sit on a 0.05 grid, so consecutive steps turn by 0, 45 or 90 degrees. A
# Gaussian of one point removes that staircase before anything is differentiated and leaves
# the letter-sized curves alone.
SMOOTH_SIGMA = 1.0
SHAPE_STEP = 0.1  # h: resampling step of the turning angle and the baseline
MIN_SPEED = 0.01  # h per sample: slower points (a resting pen) say nothing about the law
MIN_CURVATURE = 0.1  # 1/h: straighter points (radius over 10 h) have log curvature -> -inf
MIN_POWER_POINTS = 20  # usable points below which a line's beta is not fitted
SLANT_WINDOW = 45.0  # degrees from vertical of the moves that measure slant
MIN_VERTICAL = 1.0  # h of near-vertical pen travel a stroke needs for its own slant
BASELINE_BAND = 0.8  # h: letter bottoms further from the first fit are descenders, dots, bars
DELAY_MARGIN = 0.5  # h: a stroke starting this far left of the ink so far was added later


def line_statistics(lines, texts) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Per-line statistics of ``lines`` ((T, 3) offsets) written from ``texts``, pooled.

    Returns ``(samples, skipped)``: ``samples[key]`` is a float array of every value of
    statistic ``key`` (keys of :data:`REALISM`; a line gives one value, or one per stroke or
    point), and ``skipped[key]`` the number of lines on which it could not be computed (too
    few points, one stroke, no near-vertical moves, no words...). No value is ever NaN.
    """
    lines = [validate_offsets(x, name=f"line {i}") for i, x in enumerate(lines)]
    texts = list(texts)
    if not lines or len(lines) != len(texts):
        raise ValueError(f"expected as many texts as lines (>0), got {len(lines)} and {len(texts)}")
    samples = {key: [] for key, _ in REALISM}
    skipped = dict.fromkeys(samples, 0)
    for off, text in zip(lines, texts, strict=True):
        for key, values in _line_values(off, str(text)).items():
            values = np.atleast_1d(np.asarray([] if values is None else values, dtype=np.float64))
            if values.size and np.all(np.isfinite(values)):
                samples[key].append(values)
            else:
                skipped[key] += 1
    pooled = {k: np.concatenate(v) if v else np.zeros(0) for k, v in samples.items()}
    return pooled, skipped


def realism_table(
    synthetic_samples: dict,
    real_samples: dict | None = None,
    skipped_syn: dict | None = None,
    skipped_real: dict | None = None,
) -> pd.DataFrame:
    """Two :func:`line_statistics` sample dicts -> DataFrame indexed by statistic label.

    Columns: ``real`` and ``synthetic`` (medians), ``distance`` (Wasserstein-1 distance
    between the two samples over the real sample's standard deviation: 0 = same distribution,
    1 = as far apart as a real spread), ``n_real``, ``n_synthetic``, and ``skipped_real`` /
    ``skipped_synthetic`` when those dicts are given. A constant real sample is scaled by the
    pooled std instead (or 1 when both are constant).

    Without ``real_samples`` the ``real`` and ``distance`` columns are NaN and ``n_real`` is 0;
    otherwise nothing is NaN: a statistic with no value on one side is left out of the table
    and named in ``table.attrs["note"]``.
    """
    from scipy.stats import wasserstein_distance

    for name, samples in (("synthetic_samples", synthetic_samples), ("real_samples", real_samples)):
        missing = [] if samples is None else [key for key, _ in REALISM if key not in samples]
        if missing or (samples is None and name == "synthetic_samples"):
            raise ValueError(f"{name}: missing statistics {missing or 'all'}")
    rows, dropped = [], []
    for key, label in REALISM:
        s = np.asarray(synthetic_samples[key], dtype=np.float64)
        r = None if real_samples is None else np.asarray(real_samples[key], dtype=np.float64)
        if s.size == 0 or (r is not None and r.size == 0):
            dropped.append(label)
            continue
        row = {"statistic": label, "real": np.nan, "synthetic": float(np.median(s))}
        row["distance"] = np.nan
        if r is not None:
            scale = r.std() or np.concatenate([r, s]).std() or 1.0  # a constant real sample
            row["real"] = float(np.median(r))
            row["distance"] = float(wasserstein_distance(s, r) / scale)
        row["n_real"], row["n_synthetic"] = (0 if r is None else r.size), s.size
        if skipped_real is not None:
            row["skipped_real"] = int(skipped_real.get(key, 0))
        if skipped_syn is not None:
            row["skipped_synthetic"] = int(skipped_syn.get(key, 0))
        rows.append(row)
    if not rows:
        raise ValueError("realism_table: no statistic has values on both sides")
    table = pd.DataFrame(rows).set_index("statistic")
    notes = []
    if real_samples is None:
        notes.append("no real lines: real and distance are NaN")
    if dropped:
        notes.append(f"left out (no values on one side): {', '.join(dropped)}")
    table.attrs["note"] = "; ".join(notes)
    return table


def _line_values(off: np.ndarray, text: str) -> dict[str, object]:
    """One line's values of each :data:`REALISM` statistic (None: cannot be computed)."""
    strokes = [s.astype(np.float64) for s in offsets_to_strokes(off)]  # (n_i, 2) each
    y = np.concatenate([s[:, 1] for s in strokes])
    h = float(y.std())  # the height unit
    n_chars, n_words = len(text), len(text.split())
    out = dict.fromkeys((key for key, _ in REALISM), None)
    out["points_per_char"] = len(off) / n_chars if n_chars else None
    out["stroke_points"] = [len(s) for s in strokes]
    out["lifts_per_word"] = (len(strokes) - 1) / n_words if n_words else None
    if not h > 0:  # a flat line has no height unit: nothing compares but counts
        return out
    smooth = [_smooth(s) for s in strokes]
    shape = _resample(smooth, SHAPE_STEP * h)
    # slant on the shape: on the raw 0.05 grid, exactly vertical steps win the median
    out["slant"] = _slant(shape)
    out["stroke_length"] = [_arc_length(s) / h for s in strokes]
    out["power_law_beta"] = _power_law_beta(smooth, h)
    out["turning_angle"] = _turning_angles(shape)
    out["slant_spread"] = _slant_spread(shape, h)
    out["width_per_char"] = np.ptp(np.concatenate(strokes)[:, 0]) / h / n_chars if n_chars else None
    out["baseline_drift"] = _baseline_drift(shape, h)
    out["delayed_strokes_per_word"] = _delayed_strokes(strokes, h) / n_words if n_words else None
    return out


def _smooth(xy: np.ndarray) -> np.ndarray:
    from scipy.ndimage import gaussian_filter1d

    return gaussian_filter1d(xy, SMOOTH_SIGMA, axis=0, mode="nearest") if len(xy) > 2 else xy


def _resample(strokes: list[np.ndarray], step: float) -> list[np.ndarray]:
    from ink.normalize import resample

    return offsets_to_strokes(resample(strokes_to_offsets(strokes), step))


def _arc_length(xy: np.ndarray) -> float:
    return float(np.hypot(*np.diff(xy, axis=0).T).sum())


def _power_law_beta(strokes: list[np.ndarray], h: float) -> float | None:
    """beta of ``log v = a - beta log k`` over interior points (two-thirds law: beta = 1/3).

    The data are sampled in time, so the speed is the distance per sample, ``v = |p+ - p-| / 2``,
    and the curvature is that of the circle through ``p-, p, p+``: ``k = 4 area / (|a||b||c|)``.
    """
    logv, logk = [], []
    for xy in strokes:
        if len(xy) < 3:
            continue
        a, b, c = xy[1:-1] - xy[:-2], xy[2:] - xy[1:-1], xy[2:] - xy[:-2]  # (n - 2, 2) each
        la, lb, lc = (np.hypot(*v.T) for v in (a, b, c))
        cross = np.abs(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0])  # 2 * triangle area
        ok = la * lb * lc > 0
        k = np.zeros_like(la)
        k[ok] = 2 * cross[ok] / (la * lb * lc)[ok]
        v = lc / 2
        use = (v > MIN_SPEED * h) & (k > MIN_CURVATURE / h)
        logv.append(np.log(v[use] / h))
        logk.append(np.log(k[use] * h))
    if not logv:
        return None
    logv, logk = np.concatenate(logv), np.concatenate(logk)
    if len(logv) < MIN_POWER_POINTS or np.ptp(logk) == 0:
        return None
    slope = np.polyfit(logk, logv, 1)[0]
    return float(-slope)


def _turning_angles(strokes: list[np.ndarray]) -> np.ndarray:
    """|turning angle| in degrees at every interior point of (resampled) strokes."""
    angles = []
    for xy in strokes:
        d = np.diff(xy, axis=0)  # (n - 1, 2)
        if len(d) < 2:
            continue
        cross = d[:-1, 0] * d[1:, 1] - d[:-1, 1] * d[1:, 0]
        dot = (d[:-1] * d[1:]).sum(axis=1)
        angles.append(np.abs(np.degrees(np.arctan2(cross, dot))))
    return np.concatenate(angles) if angles else np.zeros(0)


def _vertical_length(xy: np.ndarray) -> float:
    """Pen travel of the moves within SLANT_WINDOW degrees of vertical."""
    dx, dy = np.diff(xy, axis=0).T
    angle = np.degrees(np.arctan2(np.abs(dx), np.abs(dy)))  # 0 = vertical
    return float(np.hypot(dx, dy)[angle <= SLANT_WINDOW].sum())


def _slant(strokes: list[np.ndarray]) -> float | None:
    """:func:`ink.normalize.estimate_slant` of the strokes, None without near-vertical moves."""
    from ink.normalize import estimate_slant

    if sum(_vertical_length(s) for s in strokes if len(s) > 1) == 0:
        return None
    return estimate_slant(strokes_to_offsets(strokes), max_angle=SLANT_WINDOW)


def _slant_spread(strokes: list[np.ndarray], h: float) -> float | None:
    """Std (ddof 1) of the slant of each stroke with MIN_VERTICAL h of near-vertical travel;
    None with fewer than 3 such strokes."""
    tall = [s for s in strokes if len(s) > 1 and _vertical_length(s) >= MIN_VERTICAL * h]
    if len(tall) < 3:
        return None
    return float(np.std([_slant([s]) for s in tall], ddof=1))


def _baseline_drift(strokes: list[np.ndarray], h: float, window: int = 3) -> float | None:
    """Std (in h) of the letter bottoms around a straight baseline.

    Bottoms are local minima of y within ``window`` points (0.3 h) along each resampled stroke.
    A Theil-Sen line (robust) is fitted first; bottoms more than BASELINE_BAND h off it
    (descenders, i-dots, t-bars) are dropped and the rest refitted by least squares.
    """
    from scipy.ndimage import minimum_filter1d
    from scipy.stats import theilslopes

    bottoms = []
    for xy in strokes:
        if len(xy) >= 3:
            low = minimum_filter1d(xy[:, 1], 2 * window + 1, mode="nearest")
            bottoms.append(xy[xy[:, 1] <= low])
    if not bottoms:
        return None
    x, y = np.concatenate(bottoms).T
    if len(x) < 3 or np.ptp(x) == 0:
        return None
    slope, intercept = theilslopes(y, x)[:2]
    keep = np.abs(y - (intercept + slope * x)) <= BASELINE_BAND * h
    x, y = x[keep], y[keep]
    if len(x) < 3 or np.ptp(x) == 0:
        return None
    b, a = np.polyfit(x, y, 1)
    return float(np.std(y - (a + b * x)) / h)


def _delayed_strokes(strokes: list[np.ndarray], h: float) -> int:
    """Strokes that begin DELAY_MARGIN h left of the rightmost ink before them (dots, bars)."""
    reach = np.maximum.accumulate([s[:, 0].max() for s in strokes])  # rightmost x so far
    starts = np.array([s[0, 0] for s in strokes])
    return int(np.sum(starts[1:] < reach[:-1] - DELAY_MARGIN * h))


def with_font_hand(table: pd.DataFrame, font_samples: dict, real_samples: dict) -> pd.DataFrame:
    """``table`` (a :func:`realism_table` of the human hand) with the fonts' hand beside it:
    ``font_hand`` (its medians) and ``font_distance`` (its distance to the real lines), the
    writer before the human hand."""
    font = realism_table(font_samples, real_samples)
    return table.assign(
        font_hand=font["synthetic"].reindex(table.index),
        font_distance=font["distance"].reindex(table.index),
    )
