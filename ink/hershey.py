"""Single-stroke glyphs from the Hershey fonts (PyPI ``Hershey-Fonts``, module ``HersheyFonts``).

A Hershey glyph is a few polylines on a small integer grid -- the way a plotter pen draws a
letter, which is also roughly the way a hand does. :func:`load_font` turns one font into
:class:`Glyph` objects in a convenient frame:

* units of one **x-height** (the height of ``a``, ``n``, ``x``): the baseline is ``y = 0``,
  the top of lowercase letters ``y = 1``, capitals reach about 2.3 and descenders about -1.3;
* y points **up** (Hershey's grid points down), like the IAM-OnDB offsets;
* x starts at 0 at the glyph's left side; ``advance`` is where the next glyph starts.

The "complex" script font ``scriptc`` draws thick parts twice, side by side; those doubled
strokes are dropped, so every font becomes one pen line per stroke.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

CURSIVE_FONTS = ("scriptc", "scripts", "cursive")
PRINT_FONTS = ("futural", "rowmans")
FONTS = CURSIVE_FONTS + PRINT_FONTS

# Hershey grid: baseline at y = 9, the x-height line at y = 0 (the top of "a", "n", "x").
_BASELINE = 9.0
_X_HEIGHT = 9.0


@dataclass(frozen=True)
class Glyph:
    """One character: ``strokes`` is a tuple of (n_i, 2) float arrays in x-height units."""

    char: str
    strokes: tuple[np.ndarray, ...]
    advance: float


def _path_length(xy: np.ndarray) -> float:
    return float(np.hypot(*np.diff(xy, axis=0).T).sum()) if len(xy) > 1 else 0.0


def _drop_doubled(strokes: list[np.ndarray], tol: float = 0.16) -> list[np.ndarray]:
    """Drop strokes that run beside a longer one (the thickening passes of complex fonts).

    A stroke is doubled when every one of its points lies within ``tol`` x-heights of a
    longer stroke kept before it (a densified copy, so that the distance is to the line, not
    to its corners).
    """
    order = sorted(range(len(strokes)), key=lambda i: -_path_length(strokes[i]))
    kept: list[int] = []
    dense: list[np.ndarray] = []
    for i in order:
        xy = strokes[i]
        if dense and len(xy) > 1:
            ref = np.concatenate(dense)  # (m, 2)
            d = np.hypot(*(xy[:, None, :] - ref[None, :, :]).transpose(2, 0, 1)).min(axis=1)
            if np.all(d < tol):
                continue
        kept.append(i)
        dense.append(_densify(xy, 0.05))
    return [strokes[i] for i in sorted(kept)]


def _densify(xy: np.ndarray, step: float) -> np.ndarray:
    """(n, 2) polyline -> points at most ``step`` apart along it (the corners are kept)."""
    if len(xy) < 2:
        return xy
    seg = np.hypot(*np.diff(xy, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    extra = np.linspace(0.0, s[-1], max(2, int(np.ceil(s[-1] / step)) + 1))
    t = np.union1d(s, extra)
    return np.column_stack([np.interp(t, s, xy[:, 0]), np.interp(t, s, xy[:, 1])])


@cache
def load_font(name: str) -> dict[str, Glyph]:
    """The printable ASCII glyphs of Hershey font ``name`` (one of :data:`FONTS`), cached."""
    if name not in FONTS:
        raise ValueError(f"unknown font {name!r}; expected one of {', '.join(FONTS)}")
    from HersheyFonts import HersheyFonts

    font = HersheyFonts()
    font.load_default_font(name)
    glyphs = {}
    for char, g in font.all_glyphs.items():
        strokes = [
            np.column_stack(
                [
                    (np.array([p[0] for p in s], float) - g.left_offset) / _X_HEIGHT,
                    (_BASELINE - np.array([p[1] for p in s], float)) / _X_HEIGHT,
                ]
            )
            for s in g.strokes
            if len(s)
        ]
        # Remove consecutive repeated points (a few glyphs hold them).
        strokes = [
            xy[np.concatenate([[True], np.any(np.diff(xy, axis=0) != 0, axis=1)])] for xy in strokes
        ]
        if name == "scriptc":
            strokes = _drop_doubled(strokes)
        glyphs[char] = Glyph(char, tuple(strokes), g.char_width / _X_HEIGHT)
    return glyphs


def font_charset(name: str) -> frozenset[str]:
    """Characters font ``name`` can write: the space and every glyph that has strokes."""
    return frozenset(c for c, g in load_font(name).items() if g.strokes or c == " ")
