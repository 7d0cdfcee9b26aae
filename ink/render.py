"""Pen strokes -> a grayscale image, the input of an offline recogniser (a CRNN).

:func:`render` draws a (T, 3) line into a ``height x width`` uint8 image: white paper, dark
ink, the writing scaled to fit with its aspect ratio kept. A :class:`RenderLook` picks how the
"scan" looks -- pen width that changes along the stroke, ink darkness, blur, paper noise, and
the look of the scanned Kaggle name crops: faint, broken strokes beside a printed form label
such as ``NOM:`` or ``PRENOM:``. ``RenderLook.random(rng)`` draws a look at random, so a data
set of renders does not have one single look for a model to overfit. :func:`render_form_crop`
also copies the crops themselves: a wide, low field with the name at hand size (fitted to
256x64 it is small and ends early, as in the real scans), a label beside or above it, and the
edges of the form's other lines that the cut caught, drawn with a dark pen of a pixel or two at
the crop's size (most real crops are dark, not faint, once fitted: measured, see
``docs/experiments.md``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from functools import cache

import cv2
import numpy as np

from ink.strokes import offsets_to_strokes

FORM_LABELS = ("NOM:", "PRENOM:")
_SHIFT = 4  # cv2 fixed-point bits: sub-pixel coordinates for anti-aliased lines
# The printed labels come from cv2.putText, whose font OpenCV changed in 5.0 and again in 5.1.
# The shipped CRNN learned 5.0's labels and every recorded score was measured on them, so
# pyproject.toml pins that OpenCV; another one draws other labels (see _check_print_font).
PRINT_FONT_OPENCV = "5.0.0"


@dataclass(frozen=True)
class RenderLook:
    """How a rendered image looks."""

    pen_width: float = 1.2  # mean pen width in stroke units (an x-height is about 8)
    pen_width_var: float = 0.3  # relative change of width along a stroke
    ink: float = 0.9  # darkness of the ink, 0 (none) to 1 (black)
    faint: float = 0.0  # share of the ink that fades in patches (scanned pencil / biro)
    blur: float = 0.0  # Gaussian blur sigma
    noise: float = 0.02  # paper noise std (fraction of white)
    label: str | None = None  # a printed form label drawn to the left, e.g. "NOM:"
    margin: float = 0.08  # blank border, fraction of the height
    text_height: float | None = None  # writing height / image height; None: fill the box

    @classmethod
    def random(cls, rng=None, form: bool = False) -> RenderLook:
        """A random look; ``form=True`` adds a printed label and faint strokes, like the
        scanned Kaggle names."""
        rng = np.random.default_rng(rng)
        return cls(
            pen_width=float(rng.uniform(0.5, 1.0) if form else rng.uniform(0.7, 1.6)),
            pen_width_var=float(rng.uniform(0.1, 0.5)),
            ink=float(rng.uniform(0.6, 1.0)),
            faint=float(rng.uniform(0.2, 0.7) if form else rng.uniform(0.0, 0.3)),
            blur=float(rng.choice([0.0, rng.uniform(0.3, 1.0)])),
            noise=float(rng.uniform(0.0, 0.03)),
            label=str(rng.choice(FORM_LABELS)) if form and rng.random() < 0.8 else None,
            margin=float(rng.uniform(0.2, 0.32) if form else rng.uniform(0.04, 0.15)),
        )


def render(
    offsets,
    width: int = 256,
    height: int = 64,
    look: RenderLook | None = None,
    seed=None,
) -> np.ndarray:
    """Draw a (T, 3) line -> uint8 (height, width) image, 255 = paper, darker = ink.

    ``look`` defaults to :class:`RenderLook` (a clean scan); ``seed`` (an int or a
    ``np.random.Generator``) fixes the noise, so the same call gives the same image.
    """
    if width < 8 or height < 8:
        raise ValueError(f"render: width and height must be >= 8 pixels, got {width}x{height}")
    look = RenderLook() if look is None else look
    rng = np.random.default_rng(seed)
    strokes = offsets_to_strokes(offsets)  # list of (n, 2), y up
    ink = np.zeros((height, width), np.float32)  # (H, W), 1 = full ink

    x0 = 0
    if look.label:
        # With a set text height the label is a bit smaller than the writing.
        cap = None if look.text_height is None else 0.7 * look.text_height * height
        x0 = _draw_label(ink, look.label, height, rng, cap)

    # Fit the line into the box right of the label, aspect kept, y flipped (image y is down).
    # With ``look.text_height`` the writing keeps that height (as a pen on a form does) and
    # leaves the rest of the line blank; it only shrinks when it would not fit the width.
    xy = np.concatenate(strokes)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    m = look.margin * height
    box_w, box_h = width - x0 - 2 * m, height - 2 * m
    extent_x, extent_y = max(hi[0] - lo[0], 1e-6), max(hi[1] - lo[1], 1e-6)
    if look.text_height is None:
        scale = min(box_w / extent_x, box_h / extent_y)
    else:
        scale = min(look.text_height * height / extent_y, box_w / extent_x)
    off_y = m + 0.5 * (box_h - scale * (hi[1] - lo[1]))
    for s in strokes:
        px = x0 + m + (s[:, 0] - lo[0]) * scale
        py = off_y + (hi[1] - s[:, 1]) * scale
        _draw_stroke(ink, np.column_stack([px, py]), look.pen_width * scale, look, rng)

    return _finish(ink, look, rng)


def _finish(ink: np.ndarray, look: RenderLook, rng) -> np.ndarray:
    """Ink coverage (H, W) in [0, 1] -> the uint8 scan: faint patches, blur, paper noise."""
    height, width = ink.shape
    if look.faint > 0:  # ink fades in soft patches
        patches = cv2.resize(rng.random((4, 16)).astype(np.float32), (width, height))
        ink *= 1.0 - look.faint * patches
    if look.blur > 0:
        ink = cv2.GaussianBlur(ink, (0, 0), look.blur)
    img = 1.0 - look.ink * np.clip(ink, 0.0, 1.0)
    if look.noise > 0:
        img += rng.normal(0.0, look.noise, img.shape).astype(np.float32)
    return np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)


def render_form_crop(
    offsets, neighbours=(), look: RenderLook | None = None, seed=None
) -> np.ndarray:
    """Draw a line the way the Kaggle name crops really come: cut from a printed form, with
    whatever the cut caught around the name. Two layouts, as in the real crops:

    - *inline* (4 in 5): a wide, low crop (280-400 x 21-46 px) with the name at hand size
      (9-13 px high at least, written with a dark pen 1-2 px wide, as the scans show),
      often after a printed ``NOM:`` / ``PRENOM:``; the lower part of the line above (a date
      of birth, another name: ``neighbours``, (T, 3) lines) or the top of the line below often
      shows at the crop's edge;
    - *above* (1 in 5): a taller crop (270-300 x 48-72 px) with a printed ``PRENOM`` / ``NOM``
      over the name and the top half of the form's next printed line under it.

    Sometimes a box's edge or a small turned print sits at the left. Only the name is the
    label: a reader must learn to ignore the rest. ``look`` sets the paper and the noise; the
    pen is the crop's own (ink at least 0.8 dark, its fading and blur reduced). Returns uint8
    (height, width) at the drawn crop size; fit it to 256x64 as any scan.
    """
    rng = np.random.default_rng(seed)
    look = RenderLook.random(rng, form=True) if look is None else look
    # A scanned form's pen is a dark line of at least a pixel at the crop's own size, however
    # small the name (a pen width in stroke units would make a small name a faint hairline).
    pen_frac = rng.uniform(0.07, 0.13)  # of the name's height
    look = replace(
        look,
        ink=max(look.ink, rng.uniform(0.8, 1.0)),
        faint=0.4 * look.faint,
        blur=0.5 * look.blur,
        pen_width_var=min(look.pen_width_var, 0.2),
    )
    above = rng.random() < 0.2
    if above:
        width, height = int(rng.integers(270, 301)), int(rng.integers(48, 73))
        text_px = rng.uniform(0.16, 0.3) * height  # 8-18 px high once fitted, as real ones
        centre = rng.uniform(0.5, 0.62) * height
    else:
        width, height = int(rng.integers(280, 401)), int(rng.integers(21, 47))
        text_px = rng.uniform(0.3, 0.55) * height
        centre = rng.uniform(0.45, 0.65) * height
    # a hand writes 9-13 px high at the forms' scan resolution even in a low crop
    text_px = min(max(text_px, rng.uniform(9.0, 13.0)), 0.8 * height)
    pen_px = float(np.clip(pen_frac * text_px, 1.0, 2.0))
    ink = np.zeros((height, width), np.float32)
    cap = text_px * rng.uniform(0.45, 0.7)  # printed capitals: smaller than the hand

    x0 = rng.uniform(0.02, 0.15) * width
    if above:  # the form's print is as large as the hand here, and often bold
        cap, bold = text_px * rng.uniform(0.7, 1.1), bool(rng.random() < 0.5)
        label = str(rng.choice(("PRENOM", "NOM")))
        x, y = rng.uniform(0.05, 0.2) * width, rng.uniform(0.15, 0.3) * height
        _put_text(ink, label, x, y, cap, bold)
        below = "DATE DE NAISSANCE" + " " * int(rng.integers(6, 14)) + "CLASSE"
        y = height + rng.uniform(0.1, 0.6) * cap
        _put_text(ink, below, rng.uniform(0.02, 0.2) * width, y, cap, bold)
    elif rng.random() < 0.75:
        label = str(rng.choice(FORM_LABELS))
        tw = _put_text(ink, label, 2 + rng.uniform(0, 0.03) * width, centre + cap / 2, cap)
        x0 = 2 + tw + rng.uniform(0.8, 3.0) * cap

    top, bottom = _draw_writing(
        ink, offsets, x0, centre, text_px, width - x0 - 2, look, rng, pen_px
    )
    for k, line in enumerate(neighbours):  # cut-off lines above, then below
        room = top - 1 if k == 0 else height - bottom - 1  # blank rows between name and edge
        show = min(rng.uniform(0.15, 0.5) * text_px, room)
        if above or show < 2 or rng.random() < 0.3:
            continue
        size = text_px * rng.uniform(0.8, 1.2)
        at = show - size / 2 if k == 0 else height - show + size / 2
        _draw_writing(ink, line, rng.uniform(0, 0.4) * width, at, size, width, look, rng, pen_px)
    if rng.random() < 0.25:  # the edge of the form's box
        x = int(rng.integers(0, 4))
        y0, y1 = sorted(rng.integers(0, height, 2))
        ink[y0 : max(y1, y0 + height // 2), x] = rng.uniform(0.5, 1.0)
    if rng.random() < 0.2:  # a small print turned on its side (page or form numbers)
        small = np.zeros((height, height), np.float32)
        _put_text(small, str(rng.integers(1, 300)), 1, 0.6 * height, 0.15 * height)
        turned = np.rot90(small)[:, : width // 8]
        np.maximum(ink[:, : turned.shape[1]], turned, out=ink[:, : turned.shape[1]])
    return _finish(ink, look, rng)


def _draw_writing(
    ink, offsets, x0, centre, height_px, max_width, look, rng, pen_px
) -> tuple[float, float]:
    """Draw a (T, 3) line with its left edge at ``x0`` and its middle at row ``centre``,
    ``height_px`` pixels high (less when it would be wider than ``max_width``), with a pen
    about ``pen_px`` pixels wide; returns the rows (top, bottom) it covers. Parts outside the
    image are cut off, as a crop cuts them."""
    strokes = offsets_to_strokes(offsets)
    xy = np.concatenate(strokes)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    extent = np.maximum(hi - lo, 1e-6)
    scale = min(height_px / extent[1], max(max_width, 1.0) / extent[0])
    top = centre - 0.5 * scale * extent[1]
    for s in strokes:
        px = x0 + (s[:, 0] - lo[0]) * scale
        py = top + (hi[1] - s[:, 1]) * scale
        _draw_stroke(ink, np.column_stack([px, py]), pen_px, look, rng)
    return top, top + scale * extent[1]


def _put_text(
    ink: np.ndarray, text: str, x: float, baseline: float, cap: float, bold: bool = False
) -> int:
    """Printed capitals about ``cap`` pixels high (Hershey simplex) with their baseline at row
    ``baseline``, one pixel bolder if ``bold``; returns the text's width. Parts outside the
    image are cut off."""
    scale = max(cap, 3.0) / 22.0  # Hershey simplex capitals: 22 px at scale 1
    thickness = max(1, int(round(cap / 9))) + bold
    return _print(ink, text, (int(round(x)), int(round(baseline))), scale, thickness)


@cache
def _check_print_font(version: str) -> None:
    """Warn once when this OpenCV prints labels in another font than the recorded data's."""
    if version != PRINT_FONT_OPENCV:
        warnings.warn(
            f"OpenCV {version} prints the forms' labels in another font than OpenCV "
            f"{PRINT_FONT_OPENCV}, whose synthetic images the shipped CRNN was trained and "
            "measured on: scores will differ from crnn/weights/README.md "
            "(pip install -e . installs the pinned OpenCV)",
            stacklevel=3,
        )


def _print(ink: np.ndarray, text: str, org: tuple[int, int], scale: float, thickness: int) -> int:
    """cv2.putText onto float ink (it draws on 8-bit images only); returns the text's width."""
    _check_print_font(cv2.__version__)
    canvas = np.zeros(ink.shape, np.uint8)
    cv2.putText(canvas, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, 255, thickness, cv2.LINE_AA)
    np.maximum(ink, canvas.astype(np.float32) / 255.0, out=ink)
    return cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)[0][0]


def _draw_stroke(ink: np.ndarray, pts: np.ndarray, pen: float, look: RenderLook, rng) -> None:
    """Draw one stroke (n, 2) in pixels, in pieces of a few points, each its own width
    around ``pen`` pixels."""
    fixed = np.round(pts * (1 << _SHIFT)).astype(np.int32)
    if len(fixed) == 1:
        fixed = np.repeat(fixed, 2, axis=0)  # a dot
    piece = 6
    phase = rng.uniform(0, 2 * np.pi)
    for i in range(0, len(fixed) - 1, piece):
        w = pen * (1.0 + look.pen_width_var * np.sin(phase + 0.7 * i / piece))
        cv2.polylines(
            ink,
            [fixed[i : i + piece + 1]],
            isClosed=False,
            color=1.0,
            thickness=max(1, int(round(w))),
            lineType=cv2.LINE_AA,
            shift=_SHIFT,
        )


def _draw_label(ink: np.ndarray, label: str, height: int, rng, cap: float | None = None) -> int:
    """A printed form label at the left, in a bold sans font; returns where writing starts.
    Its size follows the image height (the shipped CRNN's training set), or, given ``cap``,
    its capitals are about ``cap`` pixels high."""
    if cap is None:
        scale = height / 64 * rng.uniform(0.45, 0.6)
        thickness = max(1, int(round(height / 40)))
    else:
        scale = cap / 22.0 * rng.uniform(0.85, 1.15)  # Hershey simplex capitals: 22 px at 1.0
        thickness = max(1, int(round(cap / 7)))
    th = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)[0][1]
    tw = _print(ink, label, (2, int(height / 2 + th / 2 + rng.uniform(-2, 2))), scale, thickness)
    gap = rng.uniform(4, 20) * height / 64 if cap is None else rng.uniform(0.5, 2.5) * cap
    return 2 + tw + int(gap)
