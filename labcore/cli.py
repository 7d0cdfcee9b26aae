"""What every ``python -m <part>`` command line shares.

- :class:`Parser`: an ``argparse`` parser whose errors are one line (``error: argument
  --epochs: expected an integer >= 1, got '0' (python -m crnn train --help)``), exit 2.
- Argument types: :func:`positive_int`, :func:`non_negative_int`, :func:`positive_float`,
  :func:`non_negative_float`, :func:`share` (finite numbers only: ``nan`` is refused at the flag).
- :func:`guarded`: runs a command. An expected failure (bad file, bad value, a run that diverged)
  prints ``error: <what>`` and returns 2; Ctrl-C returns 130 (trainers say how to resume before);
  anything else prints one line naming a file with the full traceback and returns 1 (``--debug``
  or ``LAB_DEBUG=1`` shows the traceback instead).
- :func:`output_file` / :func:`output_folder`: check an output path before long work starts (not
  a folder, not under a file, writable, not silently replacing a file when told so);
  :func:`atomic_output`: write to a temporary file beside it, then rename, so an interruption never
  leaves half a weights file or figure.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

# Failures a user can cause and fix: one line, exit 2. OSError covers a missing, unreadable or
# unwritable file, a full disk; EOFError a truncated .npy; UnicodeError a text file in another
# encoding; FloatingPointError a run that diverged.
EXPECTED = (ValueError, OSError, EOFError, FloatingPointError, UnicodeError)


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` with a one-line error (its usage is in ``--help``)."""

    def error(self, message: str):
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def _number(kind: type, test: Callable[[float], bool], wanted: str):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if not math.isfinite(value) or not test(value):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    parse.__name__ = wanted  # argparse names the type in some messages
    return parse


positive_int = _number(int, lambda v: v >= 1, "an integer >= 1")
non_negative_int = _number(int, lambda v: v >= 0, "an integer >= 0")
positive_float = _number(float, lambda v: v > 0, "a number > 0")
non_negative_float = _number(float, lambda v: v >= 0, "a number >= 0")
share = _number(float, lambda v: 0 <= v <= 1, "a number from 0 to 1")


def add_debug_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of an unexpected error"
    )


def one_line(err: BaseException) -> str:
    """The first line of an exception's message, at most 400 characters."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text if len(text) <= 400 else text[:397] + "..."


def guarded(command: Callable[[], int], prog: str, debug: bool = False) -> int:
    """Run ``command()`` behind the error boundary described in the module docstring."""
    debug = debug or os.environ.get("LAB_DEBUG", "") not in ("", "0")
    try:
        return command()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except EXPECTED as err:
        if debug:
            raise
        print(f"error: {one_line(err)}", file=sys.stderr)
        return 2
    except Exception as err:
        if debug:
            raise
        path = Path(tempfile.gettempdir()) / f"{prog.replace(' ', '-')}-traceback.txt"
        try:
            path.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"full traceback in {path}"
        except OSError:
            where = "run again with --debug for the traceback"
        print(
            f"error: unexpected {type(err).__name__}: {one_line(err)} ({where}; please report it)",
            file=sys.stderr,
        )
        return 1


def _first_existing(path: Path) -> Path:
    for parent in (path, *path.parents):
        if parent.exists():
            return parent
    return Path(".")


def _check_writable(folder: Path, flag: str, path: Path) -> None:
    try:  # a real write: permission bits say nothing for root or a read-only file system
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as err:
        raise PermissionError(
            f"{flag} {path}: cannot write in {folder} ({err.strerror or err})"
        ) from None


def output_folder(path, flag: str = "--out") -> Path:
    """``path`` as a folder that exists (created) and can be written in, or a one-line error."""
    path = Path(path)
    existing = _first_existing(path)
    if not existing.is_dir():
        raise NotADirectoryError(f"{flag} {path}: {existing} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PermissionError(
            f"{flag} {path}: cannot create the folder ({err.strerror or err})"
        ) from None
    _check_writable(path, flag, path)
    return path


def output_file(
    path, flag: str = "--out", suffixes: tuple[str, ...] = (), replace: bool = True
) -> Path:
    """``path`` as a file that can be written (its folder created), or a one-line error.

    ``suffixes``: the endings it may have; ``replace=False``: an existing file is an error."""
    path = Path(path)
    if suffixes and not path.name.endswith(suffixes):
        endings = ", ".join(suffixes[:-1]) + " or " * (len(suffixes) > 1) + suffixes[-1]
        raise ValueError(f"{flag} {path}: expected a file name ending in {endings}")
    if path.is_dir():
        raise IsADirectoryError(f"{flag} {path}: is a folder; give a file name in it")
    if path.exists() and not replace:
        raise FileExistsError(f"{flag} {path}: exists; add --force to replace it")
    output_folder(path.parent, flag)
    return path


@contextlib.contextmanager
def atomic_output(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same name ending, so writers that look at the
    suffix work); on success it is renamed onto ``path``, on failure removed."""
    path = Path(path)
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
