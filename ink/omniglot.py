"""Real human letters: the Latin alphabet of Omniglot, as glyphs the synthetic writer can use.

Omniglot (Lake, Salakhutdinov & Tenenbaum, *Human-level concept learning through probabilistic
program induction*, Science 2015; github.com/brendenlake/omniglot, MIT licence, see
``ink/data/OMNIGLOT_LICENSE.txt``) has the 26 lowercase Latin letters drawn online by 20 people
each: 520 drawings, each a few pen-down strokes in the order and direction the person drew them.
A Hershey font has one form of each letter; these are twenty human forms of each, which a
synthetic writer can take as its own (:func:`human_glyphs`).

Each drawing filled a box, so its size says nothing about the letter's height. :func:`to_glyph`
puts it in the fonts' frame (baseline ``y = 0``, y up) by the letter's kind: an x-height letter
(a, c, e, ...) spans 0 to the font's x-height, an ascender letter (b, d, h, k, l, f) 0 to the
ascender line, a descender letter (g, p, q, y) the descender line to the x-height, a t a little
over the x-height; for i and j the stem is placed and the dot follows it. The scale is the same
in x and y, so each drawing keeps its proportions. Mouse drawings are shaky on a 1-pixel grid:
each stroke is smoothed along its length.

The drawings ship converted in ``ink/data/omniglot_latin.npz`` (:func:`convert` rebuilds it from
the original text files: ``START``, one ``x,y,t`` row per sample, ``BREAK`` between strokes).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from ink.hershey import Glyph, load_font

DATA = Path(__file__).resolve().parent / "data" / "omniglot_latin.npz"
LETTERS = "abcdefghijklmnopqrstuvwxyz"  # character01 .. character26
N_DRAWERS = 20
ASCENDERS = "bdhklf"
DESCENDERS = "gpqy"
T_HEIGHT = 0.55  # a t's top: this share of the way from the x-height to the ascender line
WIDTH_RANGE = (0.55, 1.6)  # a drawing's width over the median width of its letter's drawings
SMOOTH = 0.05  # x-heights: Gaussian smoothing along each stroke (the mouse's 1-pixel steps)


def read_drawing(path) -> list[np.ndarray]:
    """One Omniglot ``.txt`` drawing -> its pen-down strokes, (n, 2) float arrays, y up."""
    strokes, current = [], []
    for row in Path(path).read_text(encoding="ascii").split():
        if row in ("START", "BREAK"):
            if current:
                strokes.append(np.array(current, float))
            current = []
        else:
            x, y, _t = row.split(",")
            current.append((float(x), float(y)))
    if current:
        strokes.append(np.array(current, float))
    if not strokes:
        raise ValueError(f"{path}: no strokes in this drawing")
    return strokes


def convert(src, out=DATA) -> Path:
    """The Latin folder of Omniglot (``character01`` .. ``character26``, 20 ``.txt`` files each)
    -> one ``.npz``: every point, the points per stroke, strokes per drawing, its letter."""
    src = Path(src)
    points, per_stroke, per_drawing, letters = [], [], [], []
    for k, letter in enumerate(LETTERS):
        files = sorted((src / f"character{k + 1:02d}").glob("*.txt"))
        if len(files) != N_DRAWERS:
            raise ValueError(
                f"{src}: expected {N_DRAWERS} drawings of {letter!r}, got {len(files)}"
            )
        for f in files:
            strokes = read_drawing(f)
            points += strokes
            per_stroke += [len(s) for s in strokes]
            per_drawing.append(len(strokes))
            letters.append(letter)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        points=np.concatenate(points).astype(np.float32),
        stroke_points=np.array(per_stroke, np.int32),
        drawing_strokes=np.array(per_drawing, np.int32),
        letters=np.array(letters),
    )
    return out


@cache
def drawings() -> dict[str, tuple[tuple[np.ndarray, ...], ...]]:
    """letter -> its 20 drawings, each a tuple of (n, 2) strokes in Omniglot's pixels, y up."""
    with np.load(DATA) as z:
        strokes = np.split(z["points"].astype(float), np.cumsum(z["stroke_points"])[:-1])
        bounds = np.cumsum(z["drawing_strokes"])
        starts = bounds - z["drawing_strokes"]
        letters = [str(c) for c in z["letters"]]
    out: dict[str, list] = {c: [] for c in LETTERS}
    for letter, a, b in zip(letters, starts, bounds, strict=True):
        out[letter].append(_clean(strokes[a:b]))
    return {c: tuple(v) for c, v in out.items()}


def _clean(strokes: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Drop repeated points, and dots that repeat an earlier dot (a double click)."""
    kept: list[np.ndarray] = []
    for s in strokes:
        s = s[np.concatenate([[True], np.any(np.diff(s, axis=0) != 0, axis=1)])]
        dot = np.ptp(s, axis=0).max() < 3 if len(s) else True
        if dot and any(np.hypot(*(k.mean(0) - s.mean(0))) < 6 for k in kept if len(k) < 4):
            continue
        kept.append(s)
    return tuple(kept)


@cache
def font_lines(font: str) -> tuple[float, float, float]:
    """(x-height, ascender line, descender line) of a Hershey font: the tops of x and l, the
    bottom of p, in its frame."""
    g = load_font(font)
    top = lambda c: float(np.concatenate(g[c].strokes)[:, 1].max())  # noqa: E731
    return top("x"), top("l"), float(np.concatenate(g["p"].strokes)[:, 1].min())


def _smooth(xy: np.ndarray, sigma: float, step: float = 0.02) -> np.ndarray:
    """Resample a stroke every ``step`` and smooth it with a Gaussian of ``sigma`` (same units),
    its two ends held in place."""
    if len(xy) < 3:
        return xy
    seg = np.hypot(*np.diff(xy, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(3, int(np.ceil(s[-1] / step)) + 1)
    t = np.linspace(0.0, s[-1], n)
    xy = np.column_stack([np.interp(t, s, xy[:, 0]), np.interp(t, s, xy[:, 1])])
    r = max(1, int(np.ceil(3 * sigma / step)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) * step / sigma) ** 2)
    k /= k.sum()
    # reflect through the end points, so the ends stay put
    padded = np.concatenate([2 * xy[0] - xy[r:0:-1], xy, 2 * xy[-1] - xy[-2 : -r - 2 : -1]])
    out = np.column_stack([np.convolve(padded[:, c], k, mode="valid") for c in (0, 1)])
    return out[:: max(1, int(round(0.04 / step)))] if len(out) > 4 else out


def to_glyph(letter: str, strokes, font: str = "scripts", bearing: float = 0.12) -> Glyph:
    """One drawing of ``letter`` -> a :class:`Glyph` in the frame of Hershey font ``font``
    (see the module doc), ``bearing`` x-heights of space on each side."""
    xh, asc, desc = font_lines(font)
    strokes = [np.asarray(s, float) for s in strokes]
    if letter in "ij":  # place the stem (the longest stroke); the dot follows
        ref = max(strokes, key=lambda s: np.hypot(*np.diff(s, axis=0).T).sum() if len(s) > 1 else 0)
    else:
        ref = np.concatenate(strokes)
    lo, hi = ref[:, 1].min(), ref[:, 1].max()
    bottom, top = (desc if letter in DESCENDERS + "j" else 0.0), xh
    if letter in ASCENDERS:
        top = asc
    elif letter == "t":
        top = xh + T_HEIGHT * (asc - xh)
    scale = (top - bottom) / max(hi - lo, 1e-6)
    placed = [(s - [0.0, lo]) * scale + [0.0, bottom] for s in strokes]
    left = min(s[:, 0].min() for s in placed)
    placed = [_smooth(s - [left - bearing * xh, 0.0], SMOOTH * xh) for s in placed]
    right = max(s[:, 0].max() for s in placed)
    return Glyph(letter, tuple(placed), right + bearing * xh)


@cache
def human_glyphs(font: str) -> dict[str, tuple[Glyph, ...]]:
    """letter -> its human forms as glyphs in the frame of ``font``: the 20 drawings less the
    few far wider or narrower than the letter's other drawings (:data:`WIDTH_RANGE`, e.g. an e
    whose tail runs on under the next two letters)."""
    out = {}
    for c, v in drawings().items():
        forms = [to_glyph(c, d, font) for d in v]
        if c not in "ijl":  # a stem's width says nothing: it is almost 0
            width = np.array([np.ptp(np.concatenate(g.strokes)[:, 0]) for g in forms])
            ratio = width / np.median(width)
            forms = [
                g
                for g, r in zip(forms, ratio, strict=True)
                if WIDTH_RANGE[0] <= r <= WIDTH_RANGE[1]
            ]
        out[c] = tuple(forms)
    return out
