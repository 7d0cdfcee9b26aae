"""Shared test fixtures: where the optional real data samples live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("LAB_SHARED_DATA", REPO.parent / "shared" / "data"))

# Tests always run in fast mode, whatever the caller's shell says.
os.environ.setdefault("LAB_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture
def shared_data() -> Path:
    """The small real samples in ../shared/data; the test is skipped when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"real data samples not found at {SHARED_DATA} (optional; see datasets/README.md)"
        )
    return SHARED_DATA
