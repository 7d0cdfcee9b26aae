"""Fast mode (``LAB_FAST=1``), as every part reads it: see :mod:`labcore.config`."""

from labcore.config import FAST_ENV, fast_mode, pick

__all__ = ["FAST_ENV", "fast_mode", "pick"]
