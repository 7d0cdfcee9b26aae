"""How each shipped CRNN weight file was made, stage by stage: ``python -m crnn recipe NAME``.

``RECIPES[name]`` makes ``crnn/weights/<name>.weights.h5``. The times are those recorded when
the shipped file was made (``crnn/weights/README.md`` as of 2026-12, and the ``stages`` of
``synthetic.json``); None where nothing was measured.

What the recipe cannot repeat exactly, and why:

- Stages A, B and D-K ran ``python -m crnn.bulk fit`` for a wall-clock budget (``--seconds``;
  stage J ``--until`` a clock time), with the learning rate on a cosine over those seconds.
  Here each runs the steps its budget gave (``--steps``, from ``synthetic.json``), the cosine
  over the steps. The batches are the same (drawn from the seed and the step number); the
  learning rate at each step is the same only if the run's speed was steady (stages I-K ran on
  a day when the cores were at about half speed, see the README).
- Every data file is written again by today's code. The README records no byte-for-byte check
  that it equals the file of the day; the OpenCV pin (``docs/experiments.md``) is there so that
  the forms' printed labels stay those the numbers were measured on.
- Stages A and B ran under JAX on an NVIDIA H100 (the stages say ``backend="jax"``); under JAX
  on another device, or another JAX version, the arithmetic differs in its last bits.
"""

from __future__ import annotations

from labcore.recipes import Stage


def _cmd(line: str) -> tuple[str, ...]:
    """``"crnn train --epochs 5"`` -> ``("crnn", "train", "--epochs", "5")``."""
    return tuple(line.split())


DIGITS = (
    Stage(
        "1",
        _cmd(
            "crnn train --dataset digits --epochs 6 --n-train 10000 --batch-size 32 "
            "--learning-rate 2e-3 --out {work}/digits.weights.h5"
        ),
        cpu_seconds=524,
        gpu_seconds=None,
        note="README: 524 s, 114 images/s. The recorded command gave --dataset and --out only; "
        "the other flags are its defaults, as digits.json records them.",
    ),
)

SYNTHETIC = (
    Stage(
        "data for A",
        _cmd(
            "crnn.bulk data --parts 16 --lines 16000 --augment 0.5 --crop-share 0.5 "
            "--out {work}/d1.npz"
        ),
        cpu_seconds=None,
        gpu_seconds=None,
        note="seeds 100-115; README: 93 s on the 16 CPU cores of the GPU machine",
    ),
    Stage(
        "A",
        _cmd(
            "crnn.bulk fit --data {work}/d1.npz --config full --learning-rate 1e-3 "
            "--batch-size 128 --steps 9051 --out {work}/a.weights.h5"
        ),
        cpu_seconds=None,
        gpu_seconds=353,
        note="synthetic.json stage A: 9,051 steps (the compiling first epoch's 200 included) "
        "in a 353 s budget after compiling, on one H100 shared with two other runs; "
        "README: A and B would take about 10 hours on 2 CPU cores (not measured)",
        backend="jax",
    ),
    Stage(
        "data for B",
        _cmd(
            "crnn.bulk data --parts 16 --lines 8000 --first-part 16 --augment 0.5 "
            "--crop-share 0.5 --out {work}/d2.npz"
        ),
        cpu_seconds=None,
        gpu_seconds=None,
        note="seeds 116-131; time not recorded",
    ),
    Stage(
        "B",
        _cmd(
            "crnn.bulk fit --data {work}/d2.npz --config full --init {work}/a.weights.h5 "
            "--learning-rate 3e-4 --batch-size 128 --steps 8803 --out {work}/b.weights.h5"
        ),
        cpu_seconds=None,
        gpu_seconds=170,
        note="synthetic.json stage B: 8,803 steps in a 170 s budget, alone on the H100",
        backend="jax",
    ),
    Stage(
        "C",
        _cmd(
            "crnn train --dataset synthetic --init {work}/b.weights.h5 --epochs 5 "
            "--batch-size 32 --augment 0.5 --learning-rate 1e-4 --out {work}/c.weights.h5"
        ),
        cpu_seconds=1853,
        gpu_seconds=None,
        note="synthetic.json stage C and README: 1,853 s (65 images/s); the built-in 24,000 "
        "names, batch 32 (the default, written out here)",
    ),
    Stage(
        "data for D",
        _cmd(
            "crnn.bulk data --parts 8 --lines 16000 --first-part 32 --augment 0.5 "
            "--crop-share 0.5 --out {work}/d3.npz"
        ),
        cpu_seconds=141,
        gpu_seconds=None,
        note="seeds 132-139; README: written in 141 s on 2 cores",
    ),
    Stage(
        "D",
        _cmd(
            "crnn.bulk fit --data {work}/d3.npz --config full --init {work}/c.weights.h5 "
            "--learning-rate 1e-4 --batch-size 64 --steps 8390 --out {work}/d.weights.h5"
        ),
        cpu_seconds=6877,
        gpu_seconds=None,
        note="synthetic.json stage D: 8,390 steps in a 6,877 s budget (76.2 images/s)",
    ),
    Stage(
        "data for E",
        _cmd(
            "crnn.bulk data --parts 8 --lines 16000 --first-part 40 --augment 0.5 "
            "--crop-share 0.75 --out {work}/d4.npz"
        ),
        cpu_seconds=None,
        gpu_seconds=None,
        note="seeds 140-147, 75% form crops; time not recorded",
    ),
    Stage(
        "E",
        _cmd(
            "crnn.bulk fit --data {work}/d4.npz --config full --init {work}/d.weights.h5 "
            "--learning-rate 1e-4 --batch-size 64 --steps 8955 --out {work}/e.weights.h5"
        ),
        cpu_seconds=7637,
        gpu_seconds=None,
        note="synthetic.json stage E: 8,955 steps in a 7,637 s budget (73.4 images/s)",
    ),
    Stage(
        "data for F",
        _cmd(
            "crnn.bulk data --parts 8 --lines 16000 --first-part 48 --augment 0.5 "
            "--crop-share 0.75 --out {work}/d5.npz"
        ),
        cpu_seconds=None,
        gpu_seconds=None,
        note="seeds 148-155, 75% form crops; time not recorded",
    ),
    Stage(
        "F",
        _cmd(
            "crnn.bulk fit --data {work}/d5.npz --config full --init {work}/e.weights.h5 "
            "--learning-rate 1e-4 --batch-size 64 --conv-dropout 0 --steps 9199 "
            "--out {work}/f.weights.h5"
        ),
        cpu_seconds=7543,
        gpu_seconds=None,
        note="synthetic.json stage F: 9,199 steps in a 7,543 s budget (76.4 images/s)",
    ),
    Stage(
        "data for G",
        _cmd(
            "crnn.bulk data --parts 8 --lines 16000 --first-part 56 --augment 0.2 "
            "--crop-share 0.75 --out {work}/d6.npz"
        ),
        cpu_seconds=None,
        gpu_seconds=None,
        note="seeds 156-163, 75% form crops, 20% augmented; time not recorded",
    ),
    Stage(
        "G",
        _cmd(
            "crnn.bulk fit --data {work}/d6.npz --config full --init {work}/f.weights.h5 "
            "--learning-rate 1e-4 --batch-size 64 --conv-dropout 0 --steps 8943 "
            "--out {work}/g.weights.h5"
        ),
        cpu_seconds=7253,
        gpu_seconds=None,
        note="synthetic.json stage G: 8,943 steps in a 7,253 s budget (77.1 images/s)",
    ),
    Stage(
        "data for H",
        _cmd(
            "crnn.bulk data --parts 16 --lines 16000 --first-part 72 --augment 0 "
            "--crop-share 0.75 --out {work}/d7.npz"
        ),
        cpu_seconds=330,
        gpu_seconds=None,
        note="seeds 172-187, 75% form crops, none augmented; README: written in 330 s on 2 cores",
    ),
    Stage(
        "H",
        _cmd(
            "crnn.bulk fit --data {work}/d7.npz --config full --init {work}/g.weights.h5 "
            "--learning-rate 1e-4 --batch-size 64 --conv-dropout 0 --steps 8427 "
            "--out {work}/h.weights.h5"
        ),
        cpu_seconds=6908,
        gpu_seconds=None,
        note="synthetic.json stage H: 8,427 steps in a 6,908 s budget (76.2 images/s)",
    ),
    Stage(
        "data for I",
        _cmd(
            "crnn.bulk data --parts 16 --lines 16000 --first-part 88 --augment 0 "
            "--crop-share 0.85 --out {work}/d8.npz"
        ),
        cpu_seconds=792,
        gpu_seconds=None,
        note="seeds 188-203, 85% form crops; README: 792 s, the cores at about half speed",
    ),
    Stage(
        "I",
        _cmd(
            "crnn.bulk fit --data {work}/d8.npz --config full --init {work}/h.weights.h5 "
            "--learning-rate 5e-5 --batch-size 64 --conv-dropout 0 --steps 4124 "
            "--out {work}/i.weights.h5"
        ),
        cpu_seconds=6229,
        gpu_seconds=None,
        note="synthetic.json stage I: 4,124 steps in a 6,229 s budget (40.3 images/s: the "
        "README's slower day)",
    ),
    Stage(
        "data for J",
        _cmd(
            "crnn.bulk data --parts 16 --lines 16000 --first-part 104 --augment 0 "
            "--crop-share 0.85 --out {work}/d9.npz"
        ),
        cpu_seconds=1467,
        gpu_seconds=None,
        note="seeds 204-219; README: 1,467 s while the test suite ran beside it",
    ),
    Stage(
        "J",
        _cmd(
            "crnn.bulk fit --data {work}/d9.npz --config full --init {work}/i.weights.h5 "
            "--learning-rate 5e-5 --batch-size 64 --conv-dropout 0 --steps 2866 "
            "--out {work}/j.weights.h5"
        ),
        cpu_seconds=4363,
        gpu_seconds=None,
        note="synthetic.json stage J: 2,866 steps, 4,363 s (run with --until a clock time; "
        "README: 88 minutes of wall clock, 7.5 of them paused); not shipped alone",
    ),
    Stage(
        "data for K",
        _cmd(
            "crnn.bulk data --parts 12 --lines 16000 --first-part 120 --augment 0 "
            "--crop-share 0.85 --out {work}/d10.npz"
        ),
        cpu_seconds=805,
        gpu_seconds=None,
        note="seeds 220-231, 85% form crops; README: written in 805 s",
    ),
    Stage(
        "K",
        _cmd(
            "crnn.bulk fit --data {work}/d10.npz --config full --init {work}/j.weights.h5 "
            "--learning-rate 5e-5 --batch-size 64 --conv-dropout 0 --shift-rows 2 "
            "--steps 3785 --out {work}/k.weights.h5"
        ),
        cpu_seconds=5858,
        gpu_seconds=None,
        note="synthetic.json stage K: 3,785 steps in a 5,858 s budget (39.2 images/s)",
    ),
)

RECIPES: dict[str, tuple[Stage, ...]] = {"digits": DIGITS, "synthetic": SYNTHETIC}

# LAB_FAST=1: (flags every stage of that command gets, flags replaced where a stage gives them)
FAST = {
    ("crnn", "train"): (
        {"--epochs": "1", "--n-train": "64", "--limit": "64", "--batch-size": "16"},
        {},
    ),
    ("crnn.bulk", "data"): ({"--parts": "1", "--lines": "100"}, {}),
    ("crnn.bulk", "fit"): ({"--steps": "2", "--steps-per-epoch": "1", "--batch-size": "8"}, {}),
}
