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


def run_cli_on_two_cpus(package: str, args: list[str]):
    """``python -m <package> <args>`` in a fresh process whose one CPU is split into two
    logical devices, so ``--distribute mirrored`` really has two replicas."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        from {package}.__main__ import main
        raise SystemExit(main({args!r}))
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True,
        text=True,
        timeout=300,
    )
