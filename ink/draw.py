"""Drawing a line of pen strokes: with matplotlib (for figures) and as SVG (for anything else).

Each pen-down stroke is its own polyline, so pen lifts show as gaps; ``color_by_time`` colours
each segment by its time step, which shows the order in which the pen moved.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ink.strokes import offsets_to_points, offsets_to_strokes


def plot_line(
    offsets,
    ax=None,
    color_by_time: bool = False,
    color: str = "black",
    linewidth: float = 1.2,
    title: str | None = None,
    cmap: str = "viridis",
):
    """Draw one (T, 3) line on ``ax`` (a new figure when None); returns the Axes.

    Equal aspect, no ticks; with ``color_by_time`` every segment is coloured by its time step
    (``cmap``), and the jumps between strokes are not drawn in either case.
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
            ax.plot(xy[:, 0], xy[:, 1], color=color, lw=linewidth, solid_capstyle="round")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title, fontsize=9, loc="left")
    return ax


def to_svg(offsets, path=None, stroke_width: float = 1.0, margin: float = 2.0) -> str:
    """The line as an SVG document, one ``<path>`` per pen-down stroke; written to ``path``
    when given. Coordinates are the IAM-OnDB units with y flipped (SVG's y points down)."""
    strokes = offsets_to_strokes(offsets)
    xy = np.concatenate(strokes)
    lo, hi = xy.min(axis=0) - margin, xy.max(axis=0) + margin
    w, h = hi - lo
    paths = []
    for s in strokes:
        px, py = s[:, 0] - lo[0], hi[1] - s[:, 1]
        if len(s) == 1:  # a dot: a zero-length segment with a round cap
            d = f"M{px[0]:.2f},{py[0]:.2f} l0,0"
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
