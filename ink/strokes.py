"""The stroke ("ink") format and conversions between its three views.

One line of online handwriting is a float32 array ``offsets`` of shape (T, 3), rows
``(end_of_stroke, dx, dy)`` -- the IAM-OnDB ``strokes-py3.npy`` layout:

* row 0 is ``(eos, 0, 0)``: the pen starts at the origin (eos is 1 only when the first
  stroke is a single point);
* ``dx, dy`` is the move from the previous point, y pointing up;
* ``end_of_stroke`` is 1 on the last point of each pen-down stroke (the pen lifts after it).

The same line as absolute ``points`` is (T, 3) with columns ``(x, y, end_of_stroke)``, and as
``strokes`` a list of (n_i, 2) arrays of ``(x, y)``, one per pen-down stroke.
"""

from __future__ import annotations

import numpy as np


def validate_offsets(offsets, name: str = "strokes") -> np.ndarray:
    """Return ``offsets`` as float32 (T, 3), or raise a one-line ValueError naming ``name``."""
    arr = np.asarray(offsets)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(
            f"{name}: expected a (T, 3) array of (end_of_stroke, dx, dy), got shape {arr.shape}"
        )
    if not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name}: expected a numeric array, got dtype {arr.dtype}")
    if arr.shape[0] < 2:
        raise ValueError(f"{name}: a line needs at least 2 points, got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.argwhere(~np.isfinite(arr))[0, 0])
        raise ValueError(f"{name}: non-finite value (NaN or inf) at point {bad}")
    return arr.astype(np.float32, copy=False)


def offsets_to_points(offsets) -> np.ndarray:
    """(T, 3) ``(eos, dx, dy)`` -> (T, 3) ``(x, y, eos)`` by a running sum."""
    off = validate_offsets(offsets)
    xy = np.cumsum(off[:, 1:3].astype(np.float64), axis=0)
    return np.column_stack([xy, off[:, 0]]).astype(np.float32)


def points_to_offsets(points) -> np.ndarray:
    """(T, 3) ``(x, y, eos)`` -> (T, 3) ``(eos, dx, dy)``; the first point becomes the origin."""
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise ValueError(
            f"points: expected a (T, 3) array of (x, y, end_of_stroke), got {pts.shape}"
        )
    d = np.zeros_like(pts[:, :2])
    d[1:] = np.diff(pts[:, :2], axis=0)
    return np.column_stack([pts[:, 2], d]).astype(np.float32)


def offsets_to_strokes(offsets) -> list[np.ndarray]:
    """(T, 3) offsets -> list of (n_i, 2) absolute ``(x, y)`` arrays, one per pen-down stroke.

    A trailing run of points with no end-of-stroke mark is kept as a last stroke.
    """
    pts = offsets_to_points(offsets)
    ends = np.flatnonzero(pts[:, 2] > 0.5) + 1
    if len(ends) == 0 or ends[-1] != len(pts):
        ends = np.append(ends, len(pts))
    starts = np.concatenate([[0], ends[:-1]])
    return [pts[s:e, :2].copy() for s, e in zip(starts, ends, strict=True) if e > s]


def strokes_to_offsets(strokes) -> np.ndarray:
    """List of (n_i, 2) ``(x, y)`` strokes -> (T, 3) offsets with row 0 = (0, 0, 0)."""
    parts = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    parts = [p for p in parts if len(p)]
    if not parts:
        raise ValueError("strokes: no points to convert")
    xy = np.concatenate(parts)
    eos = np.zeros(len(xy))
    eos[np.cumsum([len(p) for p in parts]) - 1] = 1.0
    return points_to_offsets(np.column_stack([xy, eos]))
