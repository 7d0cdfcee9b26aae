"""Fast mode: one environment variable, shared by every notebook, test, figure and bench.

``LAB_FAST=1`` shrinks data, epochs and seeds so that the test suite can execute every
notebook top to bottom in seconds; without it a notebook runs the full lesson.
"""

import os

FAST_ENV = "LAB_FAST"


def fast_mode() -> bool:
    """True when ``LAB_FAST`` is set to anything but "", "0", "false" or "no"."""
    return os.environ.get(FAST_ENV, "").strip().lower() not in ("", "0", "false", "no")


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise (``epochs = pick(20, 2)``)."""
    return fast if fast_mode() else full
