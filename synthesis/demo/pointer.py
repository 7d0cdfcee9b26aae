"""Pointer samples from a web page -> one line in the stroke format, made as IAM-OnDB's are.

The page records the pen (mouse, stylus or finger) as pointer events: each sample is
``[x, y, t]``, ``x, y`` in CSS pixels of the writing area with y growing *downwards*, ``t`` the
event's ``timeStamp`` in milliseconds; one list of samples per pen-down stroke.

IAM-OnDB's whiteboard records the same kind of samples, y downwards too, and its loader
(:func:`ink.iamondb._whiteboard_to_offsets`) makes a line of them by keeping the samples in the
order they were recorded, flipping y to point up and dividing by 20; nothing is smoothed or
resampled. A line written in the browser is a real line, so it goes through that very function,
after two browser-only steps:

1. samples are put in time order (a stroke's samples by ``t``, strokes by their first ``t``), so
   the pen's real order and speed are kept: a fast pen leaves its samples far apart, as on the
   whiteboard. The recognizer and the writer resample by distance, so speed changes what they
   read only through the line's shape, again as with a real line;
2. pixels become whiteboard units by one constant (:data:`PIXELS_PER_UNIT`), chosen so that a
   line written across the page is about as wide, in offset units, as an IAM-OnDB line. Both
   models divide a line by its own height first, so the constant only sets the ``.npy``'s units.

:func:`line_to_samples` goes the other way (a line -> what a browser would send); the tests use
it to write synthetic lines into the page.
"""

from __future__ import annotations

import math

import numpy as np

from ink.iamondb import SCALE, _whiteboard_to_offsets
from ink.strokes import offsets_to_strokes

PIXELS_PER_UNIT = 2.5  # CSS pixels per offset unit: a 36-letter line ~700 px wide is ~280 units
MAX_POINTS = 5000  # per line: an IAM-OnDB line has 500-1000; a 240 Hz pen, 20 s of writing
MIN_EXTENT = 3.0  # pixels: a line smaller than this in both x and y is a dot, not writing


def check_samples(strokes, max_points: int = MAX_POINTS) -> list[np.ndarray]:
    """The page's ``[[[x, y, t], ...], ...]`` as a list of (n_i, 3) float64 arrays, or a
    one-line ValueError saying what is wrong (empty strokes are dropped)."""
    if not isinstance(strokes, list):
        raise ValueError("expected 'strokes': a list of strokes, each a list of [x, y, t]")
    n_points = sum(len(s) for s in strokes if isinstance(s, list))
    if n_points > max_points:
        raise ValueError(
            f"the line has {n_points} points, more than the {max_points} a line may have: "
            "clear it and write a shorter line"
        )
    out = []
    for i, stroke in enumerate(strokes):
        if not isinstance(stroke, list) or not all(_is_sample(p) for p in stroke):
            raise ValueError(f"stroke {i}: expected a list of [x, y, t] finite numbers")
        if stroke:
            out.append(np.array(stroke, dtype=np.float64).reshape(-1, 3))  # (n_i, 3)
    return out


def _is_sample(p) -> bool:
    return (
        isinstance(p, list)
        and len(p) == 3
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
        and all(math.isfinite(v) for v in p)
    )


def in_time_order(strokes: list[np.ndarray]) -> list[np.ndarray]:
    """Each stroke's samples sorted by ``t``, and the strokes by their first ``t`` (stable:
    samples with equal times keep the order they arrived in)."""
    ordered = [s[np.argsort(s[:, 2], kind="stable")] for s in strokes]
    return sorted(ordered, key=lambda s: s[0, 2])


def samples_to_line(strokes, max_points: int = MAX_POINTS) -> np.ndarray:
    """The page's pointer samples -> (T, 3) float32 ``(end_of_stroke, dx, dy)``, y up, in
    IAM-OnDB offset units; a one-line ValueError for an empty line, a dot, or too many points."""
    samples = in_time_order(check_samples(strokes, max_points))
    n = sum(len(s) for s in samples)
    if n < 2:
        raise ValueError(f"the line has {n} point{'s' * (n != 1)}: write a word in the box first")
    xy = np.concatenate([s[:, :2] for s in samples])  # (T, 2) pixels
    if np.ptp(xy, axis=0).max() < MIN_EXTENT:
        raise ValueError("the line is a single dot: write a word in the box first")
    whiteboard = [s[:, :2] * (SCALE / PIXELS_PER_UNIT) for s in samples]  # (n_i, 2) each
    return _whiteboard_to_offsets(whiteboard)  # the IAM-OnDB loader's own conversion


def writing_time(strokes: list[np.ndarray]) -> float:
    """Seconds from the first sample to the last (0 for no samples)."""
    times = [t for s in strokes for t in (s[0, 2], s[-1, 2])]
    return (max(times) - min(times)) / 1000.0 if times else 0.0


def line_to_samples(
    offsets, origin: tuple[float, float] = (20.0, 120.0), ms_per_point: float = 10.0
) -> list[list[list[float]]]:
    """A (T, 3) line -> the samples a browser would send for it: pixels, y down, the pen at
    ``origin`` at the start, one sample every ``ms_per_point`` (a pen lift takes 10 samples)."""
    out, t = [], 0.0
    for xy in offsets_to_strokes(offsets):  # (n, 2) each, y up, offset units
        px = xy[:, 0] * PIXELS_PER_UNIT + origin[0]
        py = origin[1] - xy[:, 1] * PIXELS_PER_UNIT
        times = t + ms_per_point * np.arange(len(xy))
        out.append([[float(a), float(b), float(c)] for a, b, c in zip(px, py, times, strict=True)])
        t = float(times[-1]) + 10 * ms_per_point
    return out
