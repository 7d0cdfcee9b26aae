"""Fast mode for the ink package: the same ``LAB_FAST`` variable as every notebook and test."""

import os


def fast_mode() -> bool:
    """True when ``LAB_FAST`` is set to anything but "", "0", "false" or "no"."""
    return os.environ.get("LAB_FAST", "").strip().lower() not in ("", "0", "false", "no")
