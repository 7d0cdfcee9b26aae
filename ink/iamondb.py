"""Raw IAM-OnDB -> the ``strokes-py3.npy`` + ``sentences.txt`` pair.

The IAM On-Line Handwriting Database ships one XML file per written line and one text file per
form (a page of about 8 lines)::

    lineStrokes/h04/h04-134/h04-134z-06.xml   <StrokeSet><Stroke><Point x= y= time=/>...
    ascii/h04/h04-134/h04-134z.txt            ... "CSR:", a blank line, then one line per line

Line ``h04-134z-06`` is written in the XML file of that name; its transcription is the 6th
line after ``CSR:`` in ``h04-134z.txt``. The conversion to the :mod:`ink.strokes` format:

* strokes in file order, points in file order, concatenated;
* ``dx, dy`` = move from the previous point in whiteboard units / 20, with y flipped to point up
  (the whiteboard's y grows downwards): ``dy = -(y_t - y_{t-1}) / 20``;
* row 0 is ``(0, 0, 0)`` (the first point is the origin), ``end_of_stroke`` = 1 on each
  stroke's last point; no clipping, no smoothing (see :mod:`ink.normalize` for those).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ink.loaders import IAMONDB_SOURCE, save_strokes
from ink.strokes import strokes_to_offsets

SCALE = 20.0  # whiteboard units per offset unit
LINE_ID = re.compile(r"^(?P<form>.+)-(?P<line>\d+)$")  # "h04-134z-06" -> form h04-134z, line 6


def _read_xml_strokes(path: Path) -> list[np.ndarray]:
    """The ``<Stroke>`` elements of a line XML as a list of (n, 2) whiteboard ``(x, y)``."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise ValueError(f"{path}: not a readable IAM-OnDB line XML ({err})") from None
    strokes = []
    for stroke in root.iter("Stroke"):
        try:
            xy = [(float(p.attrib["x"]), float(p.attrib["y"])) for p in stroke.iter("Point")]
        except (KeyError, ValueError) as err:
            raise ValueError(f"{path}: a <Point> lacks a numeric x or y ({err})") from None
        if not np.isfinite(xy).all():  # float() takes "nan" and "inf"
            raise ValueError(f"{path}: a <Point> has a coordinate that is not finite")
        if xy:
            strokes.append(np.array(xy, dtype=np.float64))  # (n, 2)
    return strokes


def _whiteboard_to_offsets(strokes: list[np.ndarray]) -> np.ndarray:
    """Whiteboard strokes (y down) -> (T, 3) float32 offsets in units of 20, y up."""
    # Differences are taken on the integer coordinates first, then scaled: exact to float32.
    flipped = [s * np.array([1.0, -1.0]) for s in strokes]  # y down -> y up
    offsets = strokes_to_offsets(flipped)  # (T, 3): (eos, dx, dy), row 0 = (0, 0, 0)
    offsets[:, 1:] /= np.float32(SCALE)
    return offsets


def read_line_xml(path) -> np.ndarray:
    """One IAM-OnDB ``lineStrokes`` XML file -> (T, 3) float32 ``(end_of_stroke, dx, dy)``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"line XML not found: {path}")
    strokes = _read_xml_strokes(path)
    if not strokes:
        raise ValueError(f"{path}: the line has no pen strokes")
    return _whiteboard_to_offsets(strokes)


def read_form_text(path) -> list[str]:
    """One IAM-OnDB ``ascii`` form file -> its line transcriptions (the lines after ``CSR:``)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"form text not found: {path}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # the XML side of IAM-OnDB is ISO-8859-1 too
    lines = [line.strip() for line in text.splitlines()]
    if "CSR:" not in lines:
        raise ValueError(f"{path}: no 'CSR:' section (the line transcriptions follow it)")
    after = lines[lines.index("CSR:") + 1 :]
    return [line for line in after if line]  # the blank separator lines are not text lines


def prepare(iamondb_dir, out_dir) -> dict:
    """Convert every line of a raw IAM-OnDB folder to ``out_dir/strokes-py3.npy`` + sentences.

    Prints how many lines were written and how many were skipped, with the reasons (naming the
    first few unreadable XML files), and returns the same as
    ``{"written": n, "skipped": {reason: count}}``. A corrupt line XML is skipped, not fatal.
    """
    root = Path(iamondb_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"IAM-OnDB folder not found: {root} ({IAMONDB_SOURCE})")
    strokes_dir, ascii_dir = root / "lineStrokes", root / "ascii"
    for sub in (strokes_dir, ascii_dir):
        if not sub.is_dir():
            raise FileNotFoundError(
                f"{root}: expected IAM-OnDB's lineStrokes/ and ascii/ folders, {sub.name}/ is missing"
            )
    xml_files = sorted(strokes_dir.rglob("*.xml"))
    if not xml_files:
        raise FileNotFoundError(f"{strokes_dir}: no line XML files (lineStrokes/**/*.xml)")
    form_files = {p.stem: p for p in ascii_dir.rglob("*.txt")}  # "h04-134z" -> its text file

    forms: dict[str, list[str] | None] = {}  # read each form's text once
    lines, texts, skipped = [], [], Counter()
    unreadable: list[str] = []  # the files skipped as unreadable, named in the summary
    bad_forms: set[str] = set()
    for xml_path in tqdm(xml_files, desc="IAM-OnDB lines", unit="line"):
        match = LINE_ID.match(xml_path.stem)
        if match is None:
            skipped["file name is not FORM-NN"] += 1
            continue
        form, number = match["form"], int(match["line"])
        if form not in forms:
            try:
                forms[form] = read_form_text(form_files[form]) if form in form_files else None
            except (ValueError, OSError):  # no CSR: section: the form's lines are skipped
                forms[form], bad_forms = None, bad_forms | {form}
                unreadable.append(form_files[form].relative_to(root).as_posix())
        if form in bad_forms:
            skipped["unreadable ascii text file"] += 1
            continue
        if forms[form] is None:
            skipped["no ascii text file"] += 1
            continue
        if not 1 <= number <= len(forms[form]):
            skipped["no CSR line with that number"] += 1
            continue
        try:
            strokes = _read_xml_strokes(xml_path)
        except (ValueError, OSError):  # malformed XML, a <Point> without numeric x, y
            skipped["unreadable XML"] += 1
            unreadable.append(xml_path.relative_to(root).as_posix())
            continue
        n_points = sum(len(s) for s in strokes)
        if n_points == 0:
            skipped["empty strokes"] += 1
            continue
        if n_points < 2:
            skipped["a single point"] += 1
            continue
        lines.append(_whiteboard_to_offsets(strokes))
        texts.append(forms[form][number - 1])

    reasons = ", ".join(f"{n} {why}" for why, n in skipped.most_common())
    if unreadable:
        more = f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
        reasons += f"; unreadable: {', '.join(unreadable[:3])}{more}"
    if not lines:
        raise ValueError(f"{root}: no line could be converted (skipped: {reasons})")
    strokes_path, _ = save_strokes(lines, texts, out_dir)
    n_skipped = sum(skipped.values())
    print(
        f"wrote {len(lines)} lines to {strokes_path.parent}; skipped {n_skipped}"
        + (f" ({reasons})" if reasons else "")
    )
    return {"written": len(lines), "skipped": dict(skipped)}
