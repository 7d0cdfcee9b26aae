"""Pen strokes -> what a recognizer reads: one feature row per point.

A line of online handwriting is a (T, 3) float32 array of ``(end_of_stroke, dx, dy)`` rows
(:mod:`ink.strokes`). The recognizer sees, per point, ``(dx, dy, pen_up)`` with the moves divided
by the line's own size, so a line written large and the same line written small look the same:

1. check the line (shape, dtype, no NaN / inf, not empty) and name it in the error;
   optionally (``deskew``) turn it level: real lines rise or fall across the page more than
   the synthetic ones, and a tilted line has a larger height scale (3.), so smaller letters;
2. optionally resample it to points a fixed fraction of the line height apart
   (:func:`ink.normalize.resample`), so that pen speed and digitiser rate do not matter;
3. divide ``dx, dy`` by the line's height scale (the standard deviation of its y coordinates,
   about a third of an x-height... whatever the writer's size).

    >>> from ink.synthetic import write
    >>> line = write("hello", writer=0)
    >>> line_features(line).shape[1]
    3
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ink.normalize import resample
from ink.strokes import offsets_to_points

FEATURES = ("dx", "dy", "pen_up")
DEFAULT_STEP = 0.4  # resampling distance, in units of the line's height scale (~14 points a letter)


def check_line(offsets, name: str = "line") -> np.ndarray:
    """A (T, 3) finite float array with at least two points, or a one-line ValueError."""
    arr = np.asarray(offsets)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name}: expected a numeric (T, 3) array, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(
            f"{name}: expected shape (T, 3) of (end_of_stroke, dx, dy), got {arr.shape}"
        )
    if len(arr) < 2:
        raise ValueError(f"{name}: expected at least 2 points, got {len(arr)} (an empty line?)")
    bad = ~np.isfinite(arr)
    if bad.any():
        row = int(np.argwhere(bad)[0, 0])
        raise ValueError(f"{name}: NaN or infinite value at row {row}")
    return arr.astype(np.float32)


def height_scale(offsets) -> float:
    """The line's size: the standard deviation of its absolute y coordinates (> 0)."""
    y = offsets_to_points(offsets)[:, 1]
    scale = float(np.std(y))
    return scale if scale > 1e-6 else 1.0


def level(offsets) -> np.ndarray:
    """The line rotated so that the least-squares straight line through its points is
    horizontal (its moves rotated: ``end_of_stroke`` and the first point stay)."""
    line = np.asarray(offsets, np.float32)
    xy = offsets_to_points(line)[:, :2].astype(np.float64)
    if np.ptp(xy[:, 0]) == 0:
        return line
    angle = -np.arctan(np.polyfit(xy[:, 0], xy[:, 1], 1)[0])
    c, s = np.cos(angle), np.sin(angle)
    out = line.copy()
    out[:, 1:] = line[:, 1:] @ np.array([[c, s], [-s, c]], np.float32)  # rotate every move
    return out


def line_features(
    offsets, step: float | None = DEFAULT_STEP, name: str = "line", deskew: bool = False
) -> np.ndarray:
    """(T, 3) ``(end_of_stroke, dx, dy)`` -> (T', 3) float32 ``(dx, dy, pen_up)``, scaled by
    :func:`height_scale`; resampled to ``step`` (in those units) unless ``step`` is None;
    turned level first (:func:`level`) with ``deskew``."""
    line = check_line(offsets, name)
    if deskew:
        line = level(line)
    scale = height_scale(line)
    scaled = line.copy()
    scaled[:, 1:] /= scale
    if step is not None:
        scaled = resample(scaled, step)
    return np.column_stack([scaled[:, 1], scaled[:, 2], scaled[:, 0]]).astype(np.float32)


@dataclass(frozen=True)
class Augment:
    """Random changes to a line's features, of the kinds real writers vary in and the synthetic
    writer varies in less: slant, width, baseline tilt and a shaky pen. Each line of a batch gets
    its own draw. Pen speed needs no augmentation: the features are resampled.

    ``slant``: shear ``x += s * y`` with ``s`` uniform in [-slant, slant] (0.35 is about 19
    degrees); ``stretch``: ``x`` times ``exp(u)``, ``u`` uniform in [-stretch, stretch];
    ``rotate``: degrees of tilt, uniform in [-rotate, rotate]; ``jitter``: standard deviation of
    a noise added to every point (not to every move), in the features' units (the line's height
    scale, about a third of an x-height).

    ``density``: 0 maps the moves of the already resampled line, so a narrower letter keeps its
    number of points. Above 0 the mapped line is also scaled by ``exp(v)``, ``v`` uniform in
    [-density, density], and resampled again at :data:`DEFAULT_STEP`: a narrower or smaller
    letter then has fewer points, as in real lines, whose letters get fewer points than the
    synthetic writer's (the bench's "points per char" statistic)."""

    slant: float = 0.35
    stretch: float = 0.2
    rotate: float = 4.0
    jitter: float = 0.03
    density: float = 0.0


def augment_features(features, rng: np.random.Generator, aug: Augment = Augment()) -> np.ndarray:
    """One random draw of :class:`Augment` applied to a (T, 3) ``(dx, dy, pen_up)`` array.

    Slant, stretch and tilt are one linear map of the points, so the same map applies to the
    moves; point noise ``n_t`` changes move ``t`` by ``n_t - n_(t-1)``."""
    f = np.asarray(features, np.float32)
    shear = rng.uniform(-aug.slant, aug.slant)
    stretch = np.exp(rng.uniform(-aug.stretch, aug.stretch))
    angle = np.radians(rng.uniform(-aug.rotate, aug.rotate))
    c, s = np.cos(angle), np.sin(angle)
    linear = np.array([[c, -s], [s, c]]) @ np.array([[stretch, shear], [0.0, 1.0]])
    moves = f[:, :2] @ linear.T
    if aug.density > 0:
        size = np.exp(rng.uniform(-aug.density, aug.density))
        offsets = np.column_stack([f[:, 2], moves * size])
        offsets = resample(offsets, DEFAULT_STEP)
        f, moves = np.column_stack([offsets[:, 1:], offsets[:, 0]]), offsets[:, 1:]
    if aug.jitter > 0:
        noise = rng.normal(0.0, aug.jitter, size=moves.shape)
        moves = moves + np.diff(noise, axis=0, prepend=np.zeros((1, 2)))
    return np.column_stack([moves, f[:, 2]]).astype(np.float32)


def pad_batch(features: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Feature arrays of different lengths -> (B, T_max, 3) zero-padded and lengths (B,)."""
    lengths = np.array([len(f) for f in features], dtype=np.int32)
    out = np.zeros((len(features), int(lengths.max(initial=1)), len(FEATURES)), np.float32)
    for i, f in enumerate(features):
        out[i, : len(f)] = f
    return out, lengths
