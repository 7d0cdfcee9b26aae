"""The CRNN's data sets, all as an :class:`ImageSet`: uint8 (N, 64, 256) images and their texts.

- ``synthetic``: names in capitals written by :mod:`ink.synthetic` writers and rendered like the
  scanned Kaggle forms (printed "NOM:" labels, fading pen, paper noise; half of them cut out
  like the real crops, with a dark pen and what the cut catches of the form around the name).
  Split by *writer*, so test writers never appear in training. Nothing is downloaded.
- ``digits``: strings of 3-8 real handwritten digits from scikit-learn (:mod:`crnn.digits`);
  test strings use only held-out digits.
- ``kaggle``: a Kaggle ``written_name_*.csv`` with its image folder (when the user has it).

Every image goes through the same :func:`crnn.preprocess.fit_image`, so a model sees the same
kind of input whatever the source.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from crnn.preprocess import HEIGHT, WIDTH, crop_to_ink, fit_image
from labcore.charset import Charset

NAMES_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ '-"  # the Kaggle handwritten names: 29 characters
DIGITS_CHARSET = "0123456789"
CHARSETS = {"synthetic": NAMES_CHARSET, "digits": DIGITS_CHARSET, "kaggle": NAMES_CHARSET}
SPLIT_IDS = {"train": 0, "validation": 1, "test": 2}
# The sets the shipped weights were trained and measured on (crnn/weights/README.md)
N_SYNTHETIC = 30000  # lines in the synthetic names set: 80% train, 10% validation, 10% test
N_DIGITS_TEST = 1000  # digit strings of held-out digits
N_DIGITS_VAL = 500


@dataclass
class ImageSet:
    """``images[i]`` (64, 256) uint8, 255 = paper, shows ``texts[i]``; ``source``: its origin."""

    images: np.ndarray
    texts: list[str]
    source: str
    paths: list[Path] | None = None
    dropped: dict[str, int] = field(default_factory=dict)
    cropped: np.ndarray | None = None  # synthetic names: which images are form crops

    def __post_init__(self):
        if self.images.ndim != 3 or self.images.shape[1:] != (HEIGHT, WIDTH):
            raise ValueError(
                f"ImageSet: expected images (N, {HEIGHT}, {WIDTH}), got {self.images.shape}"
            )
        if len(self.images) != len(self.texts):
            raise ValueError(f"ImageSet: {len(self.images)} images but {len(self.texts)} texts")

    def __len__(self) -> int:
        return len(self.texts)

    def take(self, index) -> ImageSet:
        index = np.asarray(index, dtype=int)
        return ImageSet(
            self.images[index],
            [self.texts[i] for i in index],
            self.source,
            None if self.paths is None else [self.paths[i] for i in index],
            dict(self.dropped),
            None if self.cropped is None else self.cropped[index],
        )


def charset_for(name: str) -> Charset:
    """The charset of a built-in data set ("synthetic", "digits") or of "kaggle" names."""
    if name not in CHARSETS:
        raise ValueError(f"unknown data set {name!r}; expected one of {sorted(CHARSETS)}")
    return Charset(CHARSETS[name])


CROP_SHARE = 0.5  # share of synthetic names cut out like the real Kaggle form crops


def synthetic_names(
    n_lines: int,
    split: str = "train",
    seed: int = 0,
    limit: int | None = None,
    form_share: float = 0.5,
    crop_share: float = CROP_SHARE,
    progress: bool = True,
    workers: int | None = None,
) -> ImageSet:
    """The first ``limit`` names of one ``split`` of an ``n_lines`` synthetic data set (split by
    writer, see :func:`ink.dataset.split_writers`), rendered to 64x256.

    Only the lines asked for are written, so a few test names of a large set come quickly.
    Line ``i`` is rendered with its own seeded look: ``form_share`` of them like a scanned
    form (printed label, faint pen), the rest like a clean scan; then ``crop_share`` of them
    cut out the way the real Kaggle crops are (:func:`ink.render.render_form_crop`: a small
    name in a wide, low field, with a label beside or above it and the edges of the form's
    lines above and below, here a date or another name by the same writer), the rest filling
    the 256x64 box. Same arguments, same images; ``workers`` processes write the lines (2 by
    default; 1 inside a process pool, whose workers may not start their own). (Stages 1-6 of
    the CPU-sized weights saw no crops and only the fonts' capitals, see
    ``docs/experiments.md``.)
    """
    from ink.dataset import split_lines
    from ink.render import RenderLook, render, render_form_crop
    from ink.synthetic import write_neighbours

    lines, texts, writers = split_lines(
        n_lines, split, kind="names", seed=seed, limit=limit, progress=progress, workers=workers
    )
    images = np.empty((len(lines), HEIGHT, WIDTH), np.uint8)
    cropped = np.zeros(len(lines), bool)
    for row, line in enumerate(lines):
        rng = np.random.default_rng([seed, row, 11, SPLIT_IDS[split]])
        look = RenderLook.random(rng, form=bool(rng.random() < form_share))
        if crop_share > 0 and rng.random() < crop_share:
            near = write_neighbours(int(writers[row]), rng)
            img = render_form_crop(line, near, look=look, seed=rng)
            cropped[row] = True
        else:
            img = render(line, width=WIDTH, height=HEIGHT, look=look, seed=rng)
        images[row] = to_uint8(fit_image(img))
    return ImageSet(images, texts, f"synthetic names ({split})", cropped=cropped)


def digit_strings(n: int, split: str = "train", seed: int = 0) -> ImageSet:
    """``n`` strings of real scikit-learn digits; ``split="test"`` uses only held-out digits."""
    from crnn.digits import make_digit_strings

    images, texts = make_digit_strings(n, split=split, seed=seed)
    return ImageSet(images, texts, f"digit strings ({split})")


def kaggle_names(
    csv_path, images_dir, limit: int | None = None, verbose: bool = True, crop: bool = False
) -> ImageSet:
    """A Kaggle handwriting CSV + image folder -> ImageSet (unlabelled rows dropped, counted).

    ``crop=True`` cuts each scan's white border first (:func:`crnn.preprocess.crop_to_ink`), so
    a name that fills a small part of the box reaches the model larger. Off by default: the
    shipped model was trained with shrunken copies (``augment``) and reads the uncropped sample
    better (CER 66% vs 74% mid-training), because cropping also enlarges the printed labels."""
    from ink.loaders import load_kaggle_names

    df = load_kaggle_names(csv_path, images_dir, verbose=verbose)
    if limit is not None:
        df = df.iloc[:limit]
    images = np.empty((len(df), HEIGHT, WIDTH), np.uint8)
    for row, path in enumerate(df["path"]):
        images[row] = _load_fitted(path, crop)
    texts = [str(t).strip().upper() for t in df["IDENTITY"]]
    return ImageSet(
        images,
        texts,
        f"kaggle names ({Path(csv_path).name})",
        list(df["path"]),
        dict(df.attrs.get("dropped", {})),
    )


MAX_PIXELS = 50_000_000  # a scanned name is far below a megapixel; refuse decompression bombs
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_FRAME_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOF0..SOF15, not DHT/JPG/DAC


def _header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG or JPEG header without decoding; None for other formats
    (their size is checked after decoding, under OpenCV's own limit of 2**30 pixels)."""
    if data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])  # IHDR: width, height (big-endian uint32)
    if data[:2] == b"\xff\xd8":  # JPEG: walk the marker segments to the frame header
        i = 2
        while i + 9 <= len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            if marker == 0xFF:  # a fill byte
                i += 1
            elif marker in JPEG_FRAME_MARKERS:  # length, precision, height, width
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            else:
                i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return None


def _check_size(path: Path, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ValueError(
            f"{path}: image is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels), "
            f"over the limit of {MAX_PIXELS / 1e6:.0f} megapixels; crop or shrink it"
        )


def _on_white(img: np.ndarray) -> np.ndarray:
    """A decoded image of any depth, (H, W) or (H, W, C) with C = 1, 2, 3, 4 (OpenCV's grey,
    grey + alpha, BGR, BGRA) -> uint8 grey (H, W), laid on white paper where it is transparent."""
    scale = np.iinfo(img.dtype).max if np.issubdtype(img.dtype, np.integer) else 1.0
    x = img.astype(np.float32) / np.float32(scale)  # [0, 1]
    x = x.reshape(*x.shape[:2], -1)  # (H, W, C)
    n = x.shape[2]
    colour, alpha = (x[..., : n - 1], x[..., n - 1]) if n in (2, 4) else (x, None)
    grey = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY) if colour.shape[2] == 3 else colour[..., 0]
    if alpha is not None:
        grey = grey * alpha + (1.0 - alpha)  # where alpha = 0 the white paper shows
    return to_uint8(np.clip(grey, 0.0, 1.0))


def read_image_file(path) -> np.ndarray:
    """An image file -> uint8 grey (H, W), 255 = paper; transparent pixels become white paper.

    Refuses, with a one-line ValueError naming the file, an empty file, one OpenCV cannot
    decode, and an image over ``MAX_PIXELS`` (read from a PNG or JPEG header before decoding).
    A JPEG is decoded straight to grey as before (it has no alpha, and OpenCV then applies its
    EXIF rotation); anything else keeps its alpha channel and depth until it is laid on white.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"image not found: {path}")
    data = path.read_bytes()
    if not data:
        raise ValueError(f"{path}: empty file (0 bytes), not an image")
    size = _header_size(data)
    if size is not None:
        _check_size(path, *size)
    buffer = np.frombuffer(data, dtype=np.uint8)
    if data[:3] == b"\xff\xd8\xff":
        img = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
    else:
        img = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ValueError(f"{path}: OpenCV could not decode this file as an image")
    _check_size(path, img.shape[1], img.shape[0])
    return img if img.ndim == 2 and img.dtype == np.uint8 else _on_white(img)


def _load_fitted(path, crop: bool) -> np.ndarray:
    try:
        img = read_image_file(path)
        return to_uint8(fit_image(crop_to_ink(img) if crop else img))
    except cv2.error as err:  # OpenCV's multi-line report -> one line naming the file
        reason = " ".join(str(err).split()).partition(" error: ")[2] or "unknown error"
        raise ValueError(f"{path}: OpenCV could not read this image ({reason})") from None


def load_images(paths, crop: bool = False) -> ImageSet:
    """Image files -> ImageSet with empty texts (for ``predict``); a file that cannot be read
    is a one-line ValueError naming it (see :func:`read_image_file`)."""
    paths = [Path(p) for p in paths]
    images = np.empty((len(paths), HEIGHT, WIDTH), np.uint8)
    for row, path in enumerate(paths):
        images[row] = _load_fitted(path, crop)
    return ImageSet(images, [""] * len(paths), "files", paths)


def to_uint8(img: np.ndarray) -> np.ndarray:
    """float [0, 1] -> uint8 [0, 255] (rounded)."""
    return np.clip(np.asarray(img) * 255.0 + 0.5, 0, 255).astype(np.uint8)


def keep_trainable(data: ImageSet, charset: Charset, time_steps: int, verbose: bool = True):
    """Drop the items a CTC model cannot learn from: characters outside ``charset``, or a label
    that needs more frames than ``time_steps``. Says on stderr how many were skipped and why."""
    from labcore.ctc import min_time_steps

    outside = [i for i, t in enumerate(data.texts) if charset.unknown(t)]
    too_long = [
        i
        for i, t in enumerate(data.texts)
        if not charset.unknown(t) and min_time_steps(t) > time_steps
    ]
    empty = [i for i, t in enumerate(data.texts) if not t]
    bad = set(outside) | set(too_long) | set(empty)
    if bad and verbose:
        chars = sorted({c for i in outside for c in charset.unknown(data.texts[i])})
        parts = []
        if outside:
            parts.append(f"{len(outside)} with characters outside the charset {chars[:10]}")
        if too_long:
            parts.append(f"{len(too_long)} too long for {time_steps} CTC frames")
        if empty:
            parts.append(f"{len(empty)} empty")
        print(
            f"{data.source}: skipped {len(bad)} of {len(data)} labels: " + ", ".join(parts),
            file=sys.stderr,
        )
    keep = [i for i in range(len(data)) if i not in bad]
    out = data.take(keep)
    out.dropped = {
        **data.dropped,
        "outside_charset": len(outside),
        "too_long": len(too_long),
        "empty": len(empty),
    }
    return out
