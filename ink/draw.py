"""Drawing a line of pen strokes: with matplotlib (for figures) and as SVG (for anything else).

Each pen-down stroke is its own polyline, so pen lifts show as gaps; ``color_by_time`` colours
each segment by its time step, which shows the order in which the pen moved. ``smooth=True``
draws each stroke as a Catmull-Rom spline through its points instead of straight segments
between them: a generated line has a few points a letter, and straight segments make an o a
polygon; the spline passes through the very same points.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ink.strokes import offsets_to_points, offsets_to_strokes


def _neighbours(xy: np.ndarray):
    """For each segment P1 -> P2 of a stroke (n >= 2 points): P0, P1, P2, P3, each (n - 1, 2),
    the end points repeated beyond the ends."""
    padded = np.concatenate([xy[:1], xy, xy[-1:]])
    return padded[:-3], padded[1:-2], padded[2:-1], padded[3:]


def spline(xy, per_segment: int = 6) -> np.ndarray:
    """(n, 2) points -> (m, 2) points of the Catmull-Rom spline through them, ``per_segment``
    points per segment; a stroke of fewer than 3 points is returned as it is."""
    xy = np.asarray(xy, dtype=np.float64)
    if len(xy) < 3:
        return xy
    p0, p1, p2, p3 = _neighbours(xy)
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[None, :, None]  # (1, k, 1)
    p0, p1, p2, p3 = (p[:, None, :] for p in (p0, p1, p2, p3))
    curve = 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
        + (3 * p1 - p0 - 3 * p2 + p3) * t**3
    )  # (n - 1, k, 2)
    return np.concatenate([curve.reshape(-1, 2), xy[-1:]])


def plot_line(
    offsets,
    ax=None,
    color_by_time: bool = False,
    color: str = "black",
    linewidth: float = 1.2,
    title: str | None = None,
    cmap: str = "viridis",
    smooth: bool = False,
):
    """Draw one (T, 3) line on ``ax`` (a new figure when None); returns the Axes.

    Equal aspect, no ticks; with ``color_by_time`` every segment is coloured by its time step
    (``cmap``), and the jumps between strokes are not drawn in either case; ``smooth`` draws
    each stroke as a spline through its points (:func:`spline`).
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.6))
    if color_by_time:
        pts = offsets_to_points(offsets)  # (T, 3) x, y, eos
        seg = np.stack([pts[:-1, :2], pts[1:, :2]], axis=1)  # (T - 1, 2, 2)
        keep = pts[:-1, 2] < 0.5  # no segment from a stroke's end to the next stroke's start
        lc = LineCollection(seg[keep], cmap=cmap, linewidths=linewidth, capstyle="round")
        lc.set_array(np.arange(len(seg))[keep])
        ax.add_collection(lc)
        ax.autoscale()
    else:
        for xy in offsets_to_strokes(offsets):
            xy = spline(xy) if smooth else xy
            ax.plot(xy[:, 0], xy[:, 1], color=color, lw=linewidth, solid_capstyle="round")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title, fontsize=9, loc="left")
    return ax


def to_svg(
    offsets, path=None, stroke_width: float = 1.0, margin: float = 2.0, smooth: bool = False
) -> str:
    """The line as an SVG document, one ``<path>`` per pen-down stroke (a single line, no fill:
    a pen plotter can draw it); written to ``path`` when given. Coordinates are the IAM-OnDB
    units with y flipped (SVG's y points down). ``smooth``: each stroke is the Catmull-Rom
    spline through its points, written as cubic Bezier segments (``C``)."""
    strokes = offsets_to_strokes(offsets)
    xy = np.concatenate(strokes)
    lo, hi = xy.min(axis=0) - margin, xy.max(axis=0) + margin
    w, h = hi - lo
    paths = []
    for s in strokes:
        px, py = s[:, 0] - lo[0], hi[1] - s[:, 1]
        if len(s) == 1:  # a dot: a zero-length segment with a round cap
            d = f"M{px[0]:.2f},{py[0]:.2f} l0,0"
        elif smooth and len(s) >= 3:
            d = f"M{px[0]:.2f},{py[0]:.2f} " + _bezier(np.column_stack([px, py]))
        else:
            d = "M" + " L".join(f"{a:.2f},{b:.2f}" for a, b in zip(px, py, strict=True))
        paths.append(f'  <path d="{d}"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1f}" height="{h:.1f}" '
        f'viewBox="0 0 {w:.2f} {h:.2f}">\n'
        f'<g fill="none" stroke="black" stroke-width="{stroke_width}" '
        'stroke-linecap="round" stroke-linejoin="round">\n' + "\n".join(paths) + "\n</g>\n</svg>\n"
    )
    if path is not None:
        Path(path).write_text(svg, encoding="utf-8")
    return svg


def _bezier(xy: np.ndarray) -> str:
    """The Catmull-Rom spline through ``xy`` (n >= 3, 2) as SVG cubic segments: between P1 and
    P2 the control points are P1 + (P2 - P0) / 6 and P2 - (P3 - P1) / 6."""
    p0, p1, p2, p3 = _neighbours(xy)
    c1, c2 = p1 + (p2 - p0) / 6, p2 - (p3 - p1) / 6
    return " ".join(
        f"C{a[0]:.2f},{a[1]:.2f} {b[0]:.2f},{b[1]:.2f} {e[0]:.2f},{e[1]:.2f}"
        for a, b, e in zip(c1, c2, p2, strict=True)
    )
