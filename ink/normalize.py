"""Cleaning and normalising pen offsets before a model sees them.

Every function takes and returns (T, 3) float32 ``(end_of_stroke, dx, dy)`` lines (the
:mod:`ink.strokes` format) and leaves the pen-lift column alone:

* :class:`OffsetStats` -- z-score ``dx, dy`` with statistics fitted on the training lines, stored
  beside the data (``to_dict``) so that a model's output can be turned back into pen moves;
* :func:`resample` -- the same distance between consecutive points, whatever the pen speed;
* :func:`denoise` -- drop repeated points and smooth the tremor of the digitiser;
* :func:`estimate_slant` / :func:`deslant` -- how far the writing leans, and undoing it;
* :func:`estimate_baseline` -- the line the letters sit on, ``y = slope * x + intercept``.

Slant is measured in degrees from the vertical, positive when the letters lean to the right
(the top of an upright stroke moves right): a line slanted by ``a`` degrees is the upright line
sheared by ``x -> x + tan(a) * y``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ink.strokes import offsets_to_points, offsets_to_strokes, strokes_to_offsets, validate_offsets

# --------------------------------------------------------------------------------------------
# Normalisation


@dataclass(frozen=True)
class OffsetStats:
    """Mean and standard deviation of ``(dx, dy)``: ``normalize`` maps them to mean 0, std 1."""

    mean: tuple[float, float]
    std: tuple[float, float]

    @classmethod
    def fit(cls, lines) -> OffsetStats:
        """Statistics over every row of every line (a list of (T, 3) arrays, or one array)."""
        if isinstance(lines, np.ndarray) and lines.dtype != object:
            lines = [lines]
        rows = [validate_offsets(line, name=f"line {i}")[:, 1:3] for i, line in enumerate(lines)]
        if not rows:
            raise ValueError("OffsetStats.fit: expected at least one line, got none")
        d = np.concatenate(rows).astype(np.float64)  # (sum T, 2)
        mean, std = d.mean(axis=0), d.std(axis=0)
        if np.any(std == 0):
            raise ValueError(f"OffsetStats.fit: dx or dy never varies (std = {std.tolist()})")
        return cls(mean=(float(mean[0]), float(mean[1])), std=(float(std[0]), float(std[1])))

    def normalize(self, offsets) -> np.ndarray:
        """(..., 3) offsets -> the same with ``(dx - mean) / std``; ``end_of_stroke`` untouched.

        Works on one line (T, 3) or a padded batch (B, T, 3). Every row is transformed, row 0
        included, so that :meth:`denormalize` inverts it exactly.
        """
        out = _as_rows(offsets, "normalize").astype(np.float64)
        out[..., 1:3] = (out[..., 1:3] - self.mean) / self.std
        return out.astype(np.float32)

    def denormalize(self, offsets) -> np.ndarray:
        """Inverse of :meth:`normalize`: ``dx * std + mean``."""
        out = _as_rows(offsets, "denormalize").astype(np.float64)
        out[..., 1:3] = out[..., 1:3] * self.std + self.mean
        return out.astype(np.float32)

    def to_dict(self) -> dict:
        """``{"mean": [mx, my], "std": [sx, sy]}`` -- JSON-ready, to store beside the data."""
        return {k: list(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> OffsetStats:
        """Inverse of :meth:`to_dict`."""
        try:
            mean, std = tuple(map(float, d["mean"])), tuple(map(float, d["std"]))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"OffsetStats.from_dict: expected mean and std pairs ({err})"
            ) from None
        if len(mean) != 2 or len(std) != 2 or min(std) <= 0:
            raise ValueError(
                f"OffsetStats.from_dict: expected 2 means and 2 positive stds, got {d}"
            )
        return cls(mean=mean, std=std)


def _as_rows(offsets, name: str) -> np.ndarray:
    arr = np.asarray(offsets)
    if arr.ndim < 2 or arr.shape[-1] != 3:
        raise ValueError(
            f"{name}: expected (..., 3) rows of (end_of_stroke, dx, dy), got shape {arr.shape}"
        )
    return arr


# --------------------------------------------------------------------------------------------
# Resampling and smoothing, stroke by stroke


def _drop_repeats(xy: np.ndarray) -> np.ndarray:
    """(n, 2) -> the same without points equal to the one before (the last point is kept)."""
    moved = np.any(np.diff(xy, axis=0) != 0, axis=1)  # (n - 1,)
    return xy[np.concatenate([moved, [True]])] if len(xy) > 1 else xy


def resample(offsets, step: float) -> np.ndarray:
    """Resample every stroke to points ``step`` apart along the pen path (about: each stroke's
    length is cut into equal pieces closest to ``step``).

    Each stroke keeps its first and last point, so the number of strokes and where each one
    starts and ends do not change; a stroke that never moves keeps one point. A trailing stroke
    without an end-of-stroke mark gets one.
    """
    if not step > 0:
        raise ValueError(f"resample: step must be > 0, got {step}")
    out = []
    for xy in offsets_to_strokes(offsets):  # (n, 2) absolute points each
        xy = _drop_repeats(xy.astype(np.float64))
        if len(xy) == 1:
            out.append(xy)
            continue
        s = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])  # arc length
        n = max(1, int(round(s[-1] / step)))  # pieces
        t = np.linspace(0.0, s[-1], n + 1)
        out.append(np.column_stack([np.interp(t, s, xy[:, 0]), np.interp(t, s, xy[:, 1])]))
    return strokes_to_offsets(out)


def _gaussian_kernel(sigma: float) -> np.ndarray:
    r = max(1, int(np.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    return k / k.sum()


def denoise(offsets, sigma: float = 1.0) -> np.ndarray:
    """Drop repeated points, then smooth each stroke's absolute points with a Gaussian of
    ``sigma`` points (0 = no smoothing). Strokes are never smoothed across a pen lift, and
    their ends are padded by repetition, so a stroke does not shrink towards its middle.
    """
    if sigma < 0:
        raise ValueError(f"denoise: sigma must be >= 0, got {sigma}")
    out = []
    for xy in offsets_to_strokes(offsets):
        xy = _drop_repeats(xy.astype(np.float64))
        if sigma > 0 and len(xy) > 2:
            k = _gaussian_kernel(sigma)
            r = len(k) // 2
            padded = np.pad(xy, ((r, r), (0, 0)), mode="edge")  # (n + 2r, 2)
            xy = np.column_stack([np.convolve(padded[:, j], k, mode="valid") for j in (0, 1)])
        out.append(xy)
    return strokes_to_offsets(out)


# --------------------------------------------------------------------------------------------
# Slant and baseline


def estimate_slant(offsets, max_angle: float = 50.0, iterations: int = 3) -> float:
    """Slant in degrees: the length-weighted median angle from the vertical of the pen-down
    moves that are within ``max_angle`` of vertical.

    Round letters contribute tangents on both sides of the slant and cancel out in the median;
    the long down-strokes of l, t, d, h dominate. The estimate is refined by deslanting and
    measuring again, so that the ``max_angle`` window ends up centred on the slant.
    """
    off = validate_offsets(offsets).astype(np.float64)
    pen_down = np.concatenate([[False], off[:-1, 0] < 0.5])  # a move after a pen lift is a jump
    total = 0.0
    for _ in range(iterations):
        dx = off[:, 1] - np.tan(np.radians(total)) * off[:, 2]
        dy = off[:, 2]
        # angle from the vertical, the same for an up- and a down-stroke: atan(dx / dy)
        angle = np.degrees(np.arctan2(dx * np.sign(dy), np.abs(dy)))
        length = np.hypot(dx, dy)
        use = pen_down & (length > 0) & (np.abs(angle) <= max_angle)
        if not np.any(use):
            break
        delta = _weighted_median(angle[use], length[use])
        total += delta
        if abs(delta) < 0.05:
            break
    return float(total)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def deslant(offsets, degrees: float | None = None) -> np.ndarray:
    """Undo a slant (estimated when ``degrees`` is None): the shear ``x -> x - tan(a) * y``.

    A shear is linear, so it applies to the offsets directly: ``dx -= tan(a) * dy``.
    """
    off = validate_offsets(offsets).copy()
    a = estimate_slant(off) if degrees is None else degrees
    off[:, 1] = (off[:, 1] - np.tan(np.radians(a)) * off[:, 2].astype(np.float64)).astype(
        np.float32
    )
    return off


def estimate_baseline(offsets, window: int = 5) -> tuple[float, float]:
    """The baseline ``y = slope * x + intercept`` (point coordinates) of one written line.

    The bottoms of letters are the local minima of y within strokes (lowest point among
    ``window`` neighbours on each side; a stroke's first or last point counts too).
    Descenders (g, p, y) and loop bottoms put some minima off the line, so the fit is robust:
    the Theil-Sen slope (median of pairwise slopes) and the median intercept.
    """
    off = validate_offsets(offsets)
    minima = []
    for xy in offsets_to_strokes(off):
        y = xy[:, 1]
        for i in range(len(xy)):
            lo, hi = max(0, i - window), min(len(xy), i + window + 1)
            if hi - lo > 2 and y[i] == y[lo:hi].min():
                minima.append(xy[i])
    if len(minima) < 2:  # too little writing: fall back to every point
        minima = list(offsets_to_points(off)[:, :2])
    m = np.unique(np.asarray(minima, dtype=np.float64), axis=0)  # (n, 2)
    i, j = np.triu_indices(len(m), k=1)
    dx = m[j, 0] - m[i, 0]
    ok = dx != 0
    if not np.any(ok):
        raise ValueError("estimate_baseline: the line has no horizontal extent")
    slope = float(np.median((m[j, 1] - m[i, 1])[ok] / dx[ok]))
    intercept = float(np.median(m[:, 1] - slope * m[:, 0]))
    return slope, intercept
