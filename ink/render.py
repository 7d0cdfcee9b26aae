"""Pen strokes -> a grayscale image, the input of an offline recogniser (a CRNN).

:func:`render` draws a (T, 3) line into a ``height x width`` uint8 image: white paper, dark
ink, the writing scaled to fit with its aspect ratio kept. A :class:`RenderLook` picks how the
"scan" looks -- pen width that changes along the stroke, ink darkness, blur, paper noise, and
the look of the scanned Kaggle name crops: faint, broken strokes beside a printed form label
such as ``NOM:`` or ``PRENOM:``. ``RenderLook.random(rng)`` draws a look at random, so a data
set of renders does not have one single look for a model to overfit. :func:`render_scan` also
copies the crops' geometry: a wide, low field with the name at hand size, so that fitted to
256x64 the name is small and ends early, as it does in the real scans.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ink.strokes import offsets_to_strokes

FORM_LABELS = ("NOM:", "PRENOM:")
# Pixel sizes of the scanned Kaggle name crops (e.g. 284x31, 324x44, 388x24): wide and low.
SCAN_WIDTH = (260, 400)
SCAN_HEIGHT = (24, 50)
SCAN_TEXT_HEIGHT = (0.3, 0.6)  # the hand-written name's height / the crop's height
_SHIFT = 4  # cv2 fixed-point bits: sub-pixel coordinates for anti-aliased lines


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
        # In scan geometry the label is a bit smaller than the writing.
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

    if look.faint > 0:  # ink fades in soft patches
        patches = cv2.resize(rng.random((4, 16)).astype(np.float32), (width, height))
        ink *= 1.0 - look.faint * patches
    if look.blur > 0:
        ink = cv2.GaussianBlur(ink, (0, 0), look.blur)
    img = 1.0 - look.ink * np.clip(ink, 0.0, 1.0)
    if look.noise > 0:
        img += rng.normal(0.0, look.noise, img.shape).astype(np.float32)
    return np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)


def render_scan(offsets, look: RenderLook | None = None, seed=None) -> np.ndarray:
    """Draw a line the way the scanned Kaggle name fields look: a wide, low crop (sizes drawn
    from ``SCAN_WIDTH`` x ``SCAN_HEIGHT``) with the writing at hand size, not stretched to fill
    the box. Fitted to 256x64 afterwards, the name is small and the line ends early, as in the
    real scans. Returns uint8 (height, width) at the drawn crop size."""
    rng = np.random.default_rng(seed)
    look = RenderLook.random(rng, form=True) if look is None else look
    width = int(rng.integers(*SCAN_WIDTH, endpoint=True))
    height = int(rng.integers(*SCAN_HEIGHT, endpoint=True))
    look = replace(look, text_height=float(rng.uniform(*SCAN_TEXT_HEIGHT)))
    return render(offsets, width=width, height=height, look=look, seed=rng)


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
    (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    y = int(height / 2 + th / 2 + rng.uniform(-2, 2))
    canvas = np.zeros(ink.shape, np.uint8)  # putText draws on 8-bit images only
    cv2.putText(canvas, label, (2, y), cv2.FONT_HERSHEY_SIMPLEX, scale, 255, thickness, cv2.LINE_AA)
    np.maximum(ink, canvas.astype(np.float32) / 255.0, out=ink)
    gap = rng.uniform(4, 20) * height / 64 if cap is None else rng.uniform(0.5, 2.5) * cap
    return 2 + tw + int(gap)
