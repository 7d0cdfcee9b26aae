"""Loading the real handwriting data sets from disk, with errors that say what to fix.

Two sources, two shapes of data:

* **IAM-OnDB** (online: pen strokes) as the widely used ``strokes-py3.npy`` + ``sentences.txt``
  pair -- a NumPy object array of (T, 3) float32 lines in the :mod:`ink.strokes` format and one
  transcription per line. ``python -m ink prepare`` builds the pair from the raw XML
  (:mod:`ink.iamondb`); :func:`load_strokes` / :func:`save_strokes` read and write it.
* **Kaggle "Handwriting Recognition"** (offline: scanned names) as ``written_name_*.csv`` with the
  header ``FILENAME,IDENTITY`` plus a folder of JPEG crops; :func:`load_kaggle_names` reads the
  table (dropping the rows that hold no usable label) and :func:`load_image` one image.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ink.strokes import validate_offsets

STROKES_FILE = "strokes-py3.npy"
SENTENCES_FILE = "sentences.txt"

IAMONDB_SOURCE = (
    "it comes from IAM-OnDB (https://fki.tic.heia-fr.ch/databases/"
    "iam-on-line-handwriting-database, registration required); "
    "`python -m ink prepare --iamondb RAW --out DIR` converts the raw XML"
)
KAGGLE_SOURCE = (
    'it comes from the Kaggle data set "Handwriting Recognition" by Landlord '
    "(https://www.kaggle.com/datasets/landlord/handwriting-recognition: "
    "written_name_train_v2.csv, written_name_validation_v2.csv, written_name_test_v2.csv "
    "and the train_v2/, validation_v2/, test_v2/ image folders)"
)

# IDENTITY values in the Kaggle CSVs that are not a name the writer wrote.
KAGGLE_NO_LABEL = ("UNREADABLE", "EMPTY")


# --------------------------------------------------------------------------------------------
# IAM-OnDB strokes


def load_strokes(strokes_path, sentences_path=None) -> tuple[list[np.ndarray], list[str] | None]:
    """Read ``strokes-py3.npy`` (and optionally ``sentences.txt``) -> (lines, texts).

    ``lines`` is a list of float32 (T, 3) ``(end_of_stroke, dx, dy)`` arrays, each checked with
    :func:`ink.strokes.validate_offsets`; ``texts`` is one string per line, or None when no
    ``sentences_path`` is given. ``encoding="latin1"`` lets NumPy also read the Python 2 pickles
    of the original ``strokes.npy``.
    """
    path = Path(strokes_path)
    if not path.is_file():
        raise FileNotFoundError(f"stroke file not found: {path} ({IAMONDB_SOURCE})")
    try:
        arr = np.load(path, allow_pickle=True, encoding="latin1")
    except Exception as err:  # a text file, a truncated pickle, ...: all mean "not this format"
        raise ValueError(
            f"{path}: not a NumPy .npy file of stroke lines ({type(err).__name__}: {err})"
        ) from None
    if not isinstance(arr, np.ndarray):  # an .npz archive loads as NpzFile
        raise ValueError(f"{path}: expected one object array of lines, got {type(arr).__name__}")
    if arr.dtype != object or arr.ndim != 1:
        raise ValueError(
            f"{path}: expected a 1-D object array of (T, 3) lines, "
            f"got a {arr.dtype} array of shape {arr.shape}"
        )
    lines = [validate_offsets(item, name=f"{path} item {i}") for i, item in enumerate(arr)]

    if sentences_path is None:
        return lines, None
    spath = Path(sentences_path)
    if not spath.is_file():
        raise FileNotFoundError(f"sentence file not found: {spath} ({IAMONDB_SOURCE})")
    texts = _read_lines(spath)
    if len(texts) != len(lines):
        raise ValueError(
            f"{spath} has {len(texts)} lines but {path.name} has {len(lines)} items; "
            "they must pair up one to one"
        )
    return lines, texts


def _read_lines(path: Path) -> list[str]:
    """The file's lines without their newline; a final newline does not start an extra line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path}: not UTF-8 text (byte {err.start}: {err.object[err.start : err.start + 1]!r}); "
            "save it as UTF-8"
        ) from None
    if not text:
        return []
    # split("\n"), not splitlines(): a transcription may legally hold characters that
    # splitlines() treats as line breaks (\x0c, \x1c, \u2028, ...).
    return text.replace("\r\n", "\n").removesuffix("\n").split("\n")


def save_strokes(lines, texts, out_dir) -> tuple[Path, Path | None]:
    """Write ``lines`` (and ``texts``, unless None) as ``strokes-py3.npy`` + ``sentences.txt``.

    Returns the two paths written (the second is None without texts). ``out_dir`` is created.
    """
    checked = [validate_offsets(line, name=f"line {i}") for i, line in enumerate(lines)]
    if texts is not None:
        texts = [str(t) for t in texts]
        if len(texts) != len(checked):
            raise ValueError(f"got {len(checked)} lines but {len(texts)} texts")
        for i, t in enumerate(texts):
            if "\n" in t or "\r" in t:
                raise ValueError(f"text {i} holds a line break; sentences.txt is one line each")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    arr = np.empty(len(checked), dtype=object)  # filled one by one: never a 3-D float array
    for i, line in enumerate(checked):
        arr[i] = np.ascontiguousarray(line, dtype=np.float32)
    from labcore.cli import atomic_output

    strokes_path = out / STROKES_FILE
    with atomic_output(strokes_path) as tmp, open(tmp, "wb") as f:
        np.save(f, arr, allow_pickle=True)
    if texts is None:
        return strokes_path, None
    sentences_path = out / SENTENCES_FILE
    with atomic_output(sentences_path) as tmp:
        tmp.write_text("".join(t + "\n" for t in texts), encoding="utf-8", newline="\n")
    return strokes_path, sentences_path


# --------------------------------------------------------------------------------------------
# Kaggle names (offline)


def load_kaggle_names(csv_path, images_dir=None, verbose: bool = True) -> pd.DataFrame:
    """Read a Kaggle ``written_name_*.csv`` -> DataFrame with FILENAME, IDENTITY, path.

    Rows whose IDENTITY is UNREADABLE, EMPTY, blank or missing are dropped; how many (and why)
    is printed on stderr unless ``verbose=False`` and is kept in ``df.attrs["dropped"]`` as
    ``{"UNREADABLE": n, "EMPTY": n, "blank": n}``. ``path`` is ``images_dir / FILENAME`` (None
    without ``images_dir``); with ``images_dir`` every listed image must exist.
    """
    path = Path(csv_path)
    if not path.is_file():
        raise FileNotFoundError(f"CSV file not found: {path} ({KAGGLE_SOURCE})")
    try:
        # keep_default_na=False: a name such as "NA" or "NULL" stays a name, not a NaN.
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a readable CSV ({type(err).__name__}: {err})") from None
    header = ",".join(map(str, df.columns))
    if list(df.columns) != ["FILENAME", "IDENTITY"]:
        raise ValueError(f"{path}: expected the header 'FILENAME,IDENTITY', got '{header}'")

    identity = df["IDENTITY"].fillna("").str.strip()
    dropped = {label: int((identity.str.upper() == label).sum()) for label in KAGGLE_NO_LABEL}
    dropped["blank"] = int((identity == "").sum())
    keep = (identity != "") & ~identity.str.upper().isin(KAGGLE_NO_LABEL)
    n_total = len(df)
    df = df[keep].reset_index(drop=True)
    if verbose:
        reasons = ", ".join(f"{n} {label}" for label, n in dropped.items() if n)
        print(
            f"{path.name}: dropped {n_total - len(df)} of {n_total} rows"
            + (f": {reasons}" if reasons else "")
            + f"; {len(df)} names left",
            file=sys.stderr,
        )

    if images_dir is None:
        df["path"] = None
    else:
        folder = Path(images_dir)
        if not folder.is_dir():
            raise FileNotFoundError(f"image folder not found: {folder} ({KAGGLE_SOURCE})")
        df["path"] = [folder / name for name in df["FILENAME"]]
        missing = [p for p in df["path"] if not p.is_file()]
        if missing:
            raise FileNotFoundError(
                f"{len(missing)} of {len(df)} images listed in {path.name} are missing "
                f"from {folder}; the first is {missing[0]}"
            )
    df.attrs["dropped"] = dropped
    return df


def load_image(path) -> np.ndarray:
    """Read an image file as uint8 grayscale (H, W); a clear error when missing or unreadable."""
    import cv2  # imported here so that `import ink.loaders` stays light

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"image not found: {p}")
    # np.fromfile + imdecode instead of imread: imread returns None silently on failure and
    # cannot open non-ASCII paths on some systems.
    img = cv2.imdecode(np.fromfile(p, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise ValueError(f"{p}: OpenCV could not decode this file as an image")
    return img  # (H, W) uint8
