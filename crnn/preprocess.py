"""Any grey image -> the CRNN's input: 64 px tall, 256 px wide, ink dark on white, width = time.

Two steps. ``fit_image`` scales the image to fit inside the 256x64 box *without* stretching it
(stretching a short name to the full width would make its letters several times wider than those
of a long name) and pads the rest with white, the paper's colour. ``to_model_input`` transposes
(height, width) to (width, height, 1): the convolutions then keep the first axis as the time axis,
so the 256 pixel columns become 64 time steps, left to right (the Kaggle names CRNN's layout).

    >>> img = fit_image(np.zeros((30, 60), np.uint8))  # a black 30x60 patch
    >>> img.shape, float(img[:, :128].max()), float(img[:, 128:].min())  # 64x128 ink, then white
    ((64, 256), 0.0, 1.0)
    >>> to_model_input(img).shape
    (256, 64, 1)
"""

from __future__ import annotations

import cv2
import numpy as np

WIDTH, HEIGHT = 256, 64
WHITE = 1.0


def check_input_shape(x, expected: tuple[int, int] = (HEIGHT, WIDTH)) -> None:
    """Raise a one-line ValueError unless the last axes of ``x`` are ``expected`` (height, width)."""
    shape = tuple(np.shape(x))
    if shape[-len(expected) :] != tuple(expected) or len(shape) not in (len(expected), 3):
        raise ValueError(
            f"expected images of shape {tuple(expected)} (height, width) or a batch "
            f"(N, {expected[0]}, {expected[1]}); got {shape} (use crnn.preprocess.fit_image)"
        )


def _as_unit_gray(gray) -> np.ndarray:
    """uint8 0..255 or float -> float32 in [0, 1] (floats above 1 are read as 0..255)."""
    gray = np.asarray(gray)
    if gray.ndim != 2:
        raise ValueError(
            f"fit_image: expected a 2-D grey image (height, width), got shape {gray.shape}"
            + (" (convert colour with cv2.cvtColor first)" if gray.ndim == 3 else "")
        )
    if gray.size == 0:
        raise ValueError(f"fit_image: expected a non-empty image, got shape {gray.shape}")
    if not (np.issubdtype(gray.dtype, np.number) or gray.dtype == bool):
        raise ValueError(f"fit_image: expected a numeric image, got dtype {gray.dtype}")
    out = gray.astype(np.float32)
    if np.issubdtype(gray.dtype, np.integer) or out.max() > 1.0:
        out /= 255.0
    return np.clip(out, 0.0, 1.0)


def crop_to_ink(gray, threshold: float = 0.6, pad: int = 2, min_pixels: int = 3) -> np.ndarray:
    """Cut the white border off: keep the box of rows and columns holding at least
    ``min_pixels`` pixels darker than ``threshold`` (in [0, 1]; stray specks do not count), plus
    ``pad`` pixels. A scan whose name fills a tenth of the page then reaches the model at the
    same size as one that fills it all. A blank image is returned unchanged."""
    img = _as_unit_gray(gray)
    dark = img < threshold
    rows = np.flatnonzero(dark.sum(axis=1) >= min_pixels)
    cols = np.flatnonzero(dark.sum(axis=0) >= min(min_pixels, 2))
    if len(rows) == 0 or len(cols) == 0:
        return img
    top, bottom = max(0, rows[0] - pad), min(img.shape[0], rows[-1] + pad + 1)
    left, right = max(0, cols[0] - pad), min(img.shape[1], cols[-1] + pad + 1)
    return img[top:bottom, left:right]


def shift_rows(images, dy: int, axis: int = -2) -> np.ndarray:
    """``images`` moved ``dy`` pixels along ``axis`` (the height axis: -2 for (..., height,
    width), -1 for the model's (..., width, height)), down for ``dy > 0``; the uncovered rows
    are paper white (255 for integers, 1.0 for floats). The time axis is left alone, so each
    time step still looks at the same columns: used to train on names a pixel or two off
    centre, and by :func:`crnn.train.predict_logits` to read an image at a few heights."""
    images = np.asarray(images)
    out = np.full_like(images, 255 if np.issubdtype(images.dtype, np.integer) else WHITE)
    n = images.shape[axis]
    dy = int(dy)
    if abs(dy) >= n:
        return out
    src = [slice(None)] * images.ndim
    dst = [slice(None)] * images.ndim
    src[axis] = slice(0, n - dy) if dy >= 0 else slice(-dy, n)
    dst[axis] = slice(dy, n) if dy >= 0 else slice(0, n + dy)
    out[tuple(dst)] = images[tuple(src)]
    return out


def fit_image(gray, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """Scale ``gray`` to fit (height, width) keeping its aspect ratio; pad white to the right and
    equally above and below. Returns float32 (height, width) in [0, 1], 1 = white paper."""
    img = _as_unit_gray(gray)  # (h, w)
    h, w = img.shape
    scale = min(width / w, height / h)
    new_w = min(width, max(1, round(w * scale)))
    new_h = min(height, max(1, round(h * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    img = cv2.resize(img, (new_w, new_h), interpolation=interp)  # cv2 takes (width, height)
    canvas = np.full((height, width), WHITE, dtype=np.float32)
    top = (height - new_h) // 2
    canvas[top : top + new_h, :new_w] = img  # left-aligned: the text starts at time step 0
    return canvas


def to_model_input(img) -> np.ndarray:
    """(H, W) -> (W, H, 1), or a batch (N, H, W) -> (N, W, H, 1): width becomes the time axis."""
    img = np.asarray(img, dtype=np.float32)
    if img.ndim not in (2, 3) or img.size == 0:
        raise ValueError(
            f"to_model_input: expected (height, width) or (N, height, width), got {img.shape}"
        )
    return np.swapaxes(img, -1, -2)[..., None]
