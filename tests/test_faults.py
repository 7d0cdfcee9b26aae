"""The fault suite: every bad input a user can give a command line is one line on stderr, exit 2,
no traceback, and no existing output file changed.

Each probe runs in-process through the package's ``main(argv)``; none of them trains or reads
a model for long, so the whole table takes seconds. Placeholders in an argv: ``{tmp}`` is the
probe's folder (which holds the files of :func:`_bad_files`), ``{sample}`` the shared real
sample's strokes file, ``{unwritable}`` a folder nobody may write in.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

import crnn.__main__ as crnn_cli
import ink.__main__ as ink_cli
import lstm_explained.__main__ as lstm_cli
import synthesis.__main__ as synthesis_cli
from labcore.cli import guarded

MAINS = {
    "crnn": crnn_cli.main,
    "synthesis": synthesis_cli.main,
    "ink": ink_cli.main,
    "lstm_explained": lstm_cli.main,
}


def _png(width: int, height: int, pixels: bytes | None = None) -> bytes:
    """A grey 8-bit PNG; with ``pixels=None`` only its header claims the size (no image data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    data = b"" if pixels is None else chunk(b"IDAT", zlib.compress(pixels))
    return b"\x89PNG\r\n\x1a\n" + header + data + chunk(b"IEND", b"")


def _bad_files(tmp: Path) -> None:
    """The inputs the probes point at, each bad in one way."""
    (tmp / "empty.png").write_bytes(b"")
    (tmp / "huge.png").write_bytes(_png(60000, 60000))
    (tmp / "truncated.png").write_bytes(_png(4, 4, bytes(20))[:40])
    (tmp / "empty.npy").write_bytes(b"")
    np.save(tmp / "wrong_shape.npy", np.zeros((5, 2), np.float32))
    np.save(tmp / "text_line.npy", np.array([["a", "b", "c"]] * 3))
    np.save(tmp / "nan_line.npy", np.array([[0, 1, 1], [1, np.nan, 0]], np.float32))
    (tmp / "a_file").write_text("not a folder")
    (tmp / "a_folder.png").mkdir()
    (tmp / "a_folder.weights.h5").mkdir()
    (tmp / "exists.png").write_bytes(b"keep me")
    (tmp / "finished.weights.h5").write_bytes(b"a finished run's weights")
    (tmp / "not_hdf5.weights.h5").write_bytes(b"garbage")
    (tmp / "not_hdf5.json").write_text(json.dumps({"config": {}, "charset": "ab"}))
    lines = [np.array([[0, 0, 0], [0, 1, 1], [1, 1, 0]], np.float32)] * 2
    arr = np.empty(2, dtype=object)
    arr[:] = lines
    np.save(tmp / "two_lines.npy", arr, allow_pickle=True)
    (tmp / "latin1.txt").write_bytes("caf\xe9\nna\xefve\n".encode("latin-1"))
    (tmp / "one_text.txt").write_text("only one line\n")
    # a writer run started with --units 16 (its state folder): resuming with 8 must say so
    state = tmp / "run.weights.h5.state"
    state.mkdir()
    (state / "state.weights.h5").write_bytes(b"")
    config = {"conditional": True, "units": 16, "layers": 1, "vocab": 0}
    (state / "network.json").write_text(json.dumps({"config": config, "step": 5}))


# (package, argv, message fragment). Every probe must exit 2.
PROBES = [
    # numbers refused at the flag, naming it
    ("crnn", "train --batch-size 0", "--batch-size: expected an integer >= 1"),
    ("crnn", "train --learning-rate nan", "--learning-rate: expected a number > 0"),
    ("crnn", "train --epochs 0", "--epochs"),
    ("crnn", "train --n-train 0", "--n-train"),
    ("crnn", "train --augment 1.5", "--augment: expected a number from 0 to 1"),
    ("crnn", "evaluate --limit -2", "--limit"),
    ("crnn", "evaluate --beam -3", "--beam: expected an integer >= 0"),
    ("crnn", "evaluate --beam three", "--beam"),
    ("synthesis", "generate --text hi --bias -5 --out {tmp}/x.png", "--bias"),
    ("synthesis", "generate --steps -5 --out {tmp}/x.npy", "--steps"),
    ("synthesis", "train --steps 0", "--steps"),
    ("synthesis", "train --learning-rate inf", "--learning-rate"),
    ("synthesis", "train-recognizer --epochs -1", "--epochs"),
    ("synthesis", "recognize --strokes {tmp}/two_lines.npy --beam -1", "--beam"),
    # unknown flags and commands
    ("crnn", "train --no-such-flag", "unrecognized arguments"),
    ("lstm_explained", "paint", "invalid choice"),
    # images: empty, a header that claims a huge size, truncated, missing
    ("crnn", "predict {tmp}/empty.png", "empty file"),
    ("crnn", "predict {tmp}/huge.png", "megapixels"),
    ("crnn", "predict {tmp}/truncated.png", "truncated.png"),
    ("crnn", "predict {tmp}/missing.png", "missing.png"),
    # weights: mistyped path, not HDF5
    ("crnn", "evaluate --weights {tmp}/typo.weights.h5", "weights file not found"),
    (
        "synthesis",
        "generate --text hi --weights {tmp}/typo.weights.h5 --out {tmp}/x.npy",
        "weights file not found",
    ),
    (
        "synthesis",
        "recognize --strokes {tmp}/two_lines.npy --weights {tmp}/typo.weights.h5",
        "weights file not found",
    ),
    ("crnn", "evaluate --weights {tmp}/not_hdf5.weights.h5", "not_hdf5"),
    # stroke files and texts: empty, wrong shape, NaN, not UTF-8, not pairing up
    ("synthesis", "recognize --strokes {tmp}/empty.npy", "empty.npy"),
    (
        "synthesis",
        "generate --text hi --prime {tmp}/empty.npy --prime-text a --out {tmp}/x.npy",
        "--prime",
    ),
    (
        "synthesis",
        "generate --text hi --prime {tmp}/wrong_shape.npy --prime-text a --out {tmp}/x.npy",
        "shape",
    ),
    (
        "synthesis",
        "generate --text hi --prime {tmp}/text_line.npy --prime-text a --out {tmp}/x.npy",
        "numeric",
    ),
    (
        "synthesis",
        "generate --text hi --prime {tmp}/nan_line.npy --prime-text a --out {tmp}/x.npy",
        "NaN",
    ),
    (
        "synthesis",
        "recognize --strokes {tmp}/two_lines.npy --sentences {tmp}/latin1.txt",
        "latin1.txt: not UTF-8",
    ),
    (
        "synthesis",
        "recognize --strokes {tmp}/two_lines.npy --sentences {tmp}/one_text.txt",
        "pair up",
    ),
    # outputs: under a file, onto a folder, unwritable, an existing file, a finished run
    ("synthesis", "generate --text hi --out {tmp}/a_file/x.png", "is a file, not a folder"),
    ("synthesis", "generate --text hi --out {tmp}/a_folder.png", "is a folder"),
    ("synthesis", "generate --text hi --out {tmp}/exists.png", "exists; add --force"),
    ("synthesis", "generate --text hi --out {unwritable}/x.png", "cannot"),
    ("synthesis", "generate --text hi --out {tmp}/x.gif", "ending in"),
    ("synthesis", "train --out {tmp}/a_file/w.weights.h5", "is a file, not a folder"),
    ("synthesis", "train --out {unwritable}/w.weights.h5", "cannot"),
    (
        "synthesis",
        "train --n-train 4 --n-val 2 --units 8 --layers 1 --out {tmp}/run.weights.h5",
        "units=16 (now 8)",
    ),
    ("synthesis", "train-recognizer --out {tmp}/finished.weights.h5", "finished run"),
    ("crnn", "train --out {tmp}/finished.weights.h5", "finished run"),
    ("crnn", "train --out {tmp}/a_folder.weights.h5", "is a folder"),
    ("crnn", "train --out {tmp}/weights.h5", "ending in .weights.h5"),
    ("crnn", "figures --out {tmp}/a_file", "is a file, not a folder"),
    ("crnn", "figures --out {unwritable}/figs", "cannot"),
    ("lstm_explained", "figures --out {tmp}/a_file/figs", "is a file, not a folder"),
    ("lstm_explained", "figures --out {tmp}/figs --only no_such_figure", "unknown figure"),
    ("synthesis", "figures --out {tmp}/a_file", "is a file, not a folder"),
    ("ink", "figures --out {tmp}/a_file", "is a file, not a folder"),
    ("ink", "prepare --iamondb {tmp}/no_such_folder --out {tmp}/out", "not found"),
    ("ink", "prepare --iamondb {tmp} --out {tmp}/a_file", "is a file, not a folder"),
    ("ink", "prepare --iamondb {tmp} --out {tmp}/out", "lineStrokes"),
]


@pytest.fixture
def unwritable(tmp_path):
    """A folder this process cannot write in (root ignores permission bits: use /sys then)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read_only"
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
    elif (
        Path("/sys").is_dir() and not os.access("/sys", os.W_OK | os.X_OK) or _cannot_write("/sys")
    ):
        yield Path("/sys")
    else:
        pytest.skip("no folder here that this user cannot write in")


def _cannot_write(folder) -> bool:
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(dir=folder):
            return False
    except OSError:
        return True


def _snapshot(folder: Path) -> dict:
    return {
        p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    "package, argv, fragment", PROBES, ids=[f"{p} {a}"[:70] for p, a, _ in PROBES]
)
def test_a_bad_input_is_one_line_exit_2_and_changes_nothing(
    package, argv, fragment, tmp_path, unwritable, capsys
):
    _bad_files(tmp_path)
    before = _snapshot(tmp_path)
    args = argv.format(tmp=tmp_path, unwritable=unwritable).split()
    try:
        code = MAINS[package](args)
    except SystemExit as exit_:  # argparse's own exit
        code = exit_.code
    err = capsys.readouterr().err.strip()
    assert code == 2, f"exit {code}; stderr: {err}"
    assert err.count("\n") == 0, f"more than one line on stderr:\n{err}"
    assert "Traceback" not in err and err.startswith("error: ")
    assert fragment in err, err
    assert _snapshot(tmp_path) == before  # no input or existing output touched


def test_an_unexpected_failure_is_one_line_naming_the_traceback_file(capsys):
    def broken():
        raise RuntimeError("something nobody planned for\nsecond line")

    assert guarded(broken, "python -m lab-test") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "RuntimeError: something nobody planned for" in err
    trace = Path(err.split("full traceback in ")[1].split(";")[0])
    assert "Traceback" in trace.read_text() and "second line" in trace.read_text()
    with pytest.raises(RuntimeError):  # --debug shows it
        guarded(broken, "python -m lab-test", debug=True)


def test_ctrl_c_exits_130_in_one_line(capsys):
    def interrupted():
        raise KeyboardInterrupt

    assert guarded(interrupted, "python -m lab-test") == 130
    assert capsys.readouterr().err.strip() == "interrupted"


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    from labcore.cli import atomic_output

    path = tmp_path / "figure.png"
    path.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_output(path) as tmp:
        tmp.write_bytes(b"half a new fi")
        raise KeyboardInterrupt
    assert path.read_bytes() == b"old" and list(tmp_path.iterdir()) == [path]
    with atomic_output(path) as tmp:
        tmp.write_bytes(b"new")
    assert path.read_bytes() == b"new" and list(tmp_path.iterdir()) == [path]
