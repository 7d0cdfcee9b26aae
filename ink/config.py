"""Fast mode (``LAB_FAST=1``), as every part reads it: see :mod:`labcore.config`."""

from labcore.config import fast_mode

__all__ = ["fast_mode"]
