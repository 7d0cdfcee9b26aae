"""Image files given to ``python -m crnn predict``: a bad file is one clear line naming it, and
a name on transparent paper reads as a name on white paper."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest

from crnn import data
from crnn.data import load_images


def name_image() -> np.ndarray:
    """A (40, 120) uint8 grey "name": white paper, black and grey strokes."""
    img = np.full((40, 120), 255, np.uint8)
    img[10:30, 10:14] = 0
    img[10:14, 10:40] = 0
    img[20:24, 50:100] = 90
    img[12:28, 104:108] = 160
    return img


def png_bytes(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", img)
    assert ok
    return buf.tobytes()


def with_png_size(png: bytes, width: int, height: int) -> bytes:
    """``png`` with its IHDR width and height replaced (and the chunk's CRC made valid again)."""
    out = bytearray(png)
    out[16:24] = struct.pack(">II", width, height)
    out[29:33] = struct.pack(">I", zlib.crc32(bytes(out[12:29])))  # CRC of "IHDR" + 13 data bytes
    return bytes(out)


def assert_one_line_naming(err, path):
    message = str(err.value)
    assert "\n" not in message.strip() and str(path) in message


def test_an_empty_file_is_one_line_naming_it(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty file \(0 bytes\), not an image") as err:
        load_images([path])
    assert_one_line_naming(err, path)


@pytest.mark.parametrize("content", [b"not an image at all", "truncated png"])
def test_a_corrupt_or_truncated_file_is_one_line_naming_it(tmp_path, content):
    if content == "truncated png":
        content = png_bytes(name_image())[:60]
    path = tmp_path / "broken.png"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="could not decode") as err:
        load_images([path])
    assert_one_line_naming(err, path)


def test_a_png_claiming_60000x60000_pixels_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(with_png_size(png_bytes(name_image()), 60000, 60000))
    with pytest.raises(ValueError, match=r"60000x60000 pixels \(3600 megapixels\)") as err:
        load_images([path])
    assert_one_line_naming(err, path)


def test_a_jpeg_claiming_a_huge_size_is_refused_before_decoding(tmp_path):
    ok, buf = cv2.imencode(".jpg", name_image())
    jpeg = bytearray(buf.tobytes())
    sof = jpeg.index(b"\xff\xc0")  # baseline frame header: marker, length, precision, h, w
    jpeg[sof + 5 : sof + 9] = struct.pack(">HH", 30000, 20000)
    path = tmp_path / "bomb.jpg"
    path.write_bytes(bytes(jpeg))
    with pytest.raises(ValueError, match="20000x30000 pixels") as err:
        load_images([path])
    assert_one_line_naming(err, path)


def test_an_opencv_error_never_escapes(tmp_path, monkeypatch):
    # Without our limit, OpenCV's own size check raises cv2.error on the 60000x60000 claim.
    monkeypatch.setattr(data, "MAX_PIXELS", 10**12)
    path = tmp_path / "bomb.png"
    path.write_bytes(with_png_size(png_bytes(name_image()), 60000, 60000))
    with pytest.raises(ValueError, match="OpenCV could not read this image") as err:
        load_images([path])
    assert_one_line_naming(err, path)
    assert not isinstance(err.value, cv2.error)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_transparent_paper_reads_as_white_paper(tmp_path, dtype):
    grey = name_image()
    # Black ink whose opacity carries the grey levels; the paper fully transparent (alpha 0).
    top = np.iinfo(dtype).max
    alpha = ((255 - grey.astype(np.float64)) / 255 * top).round().astype(dtype)
    rgba = np.dstack([np.zeros_like(alpha)] * 3 + [alpha])  # (H, W, 4) BGRA
    (tmp_path / "opaque.png").write_bytes(png_bytes(grey))
    (tmp_path / "transparent.png").write_bytes(png_bytes(rgba))
    images = load_images([tmp_path / "opaque.png", tmp_path / "transparent.png"]).images
    assert images[1].mean() > 200  # mostly white paper, not black
    assert np.abs(images[0].astype(int) - images[1].astype(int)).max() <= 1


def test_an_opaque_colour_png_reads_as_its_grey(tmp_path):
    grey = name_image()
    (tmp_path / "grey.png").write_bytes(png_bytes(grey))
    (tmp_path / "colour.png").write_bytes(png_bytes(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)))
    images = load_images([tmp_path / "grey.png", tmp_path / "colour.png"]).images
    assert np.abs(images[0].astype(int) - images[1].astype(int)).max() <= 1
