"""How each shipped weight file of parts 5 and 6 was made: ``python -m synthesis recipe NAME``.

``RECIPES[name]`` makes ``synthesis/weights/<name>.weights.h5``. The times are those recorded
when the shipped file was made (``synthesis/weights/README.md`` as of 2026-12 and the sidecars'
``seconds``, ``stages`` and ``history``); None where nothing was measured. Flags that the
recorded commands left at their defaults (batch size, learning rate, hand, set size) are
written out, so that a later change of a default does not change a recipe.

What the recipe cannot repeat exactly, and why:

- ``unconditional``: the shipped run was started with ``--steps 1500``, interrupted at step 81
  and resumed with ``--steps 1000``. Here it is one ``--steps 1000`` run: the same batches
  (drawn from the step number) and, for steps 1-81, the same learning rate (the 100-step
  warm-up does not depend on ``--steps``).
- ``conditional`` stage 4 ran ``synthesis.training.train_writer`` with the stage's arguments
  from a small driver that brought the data pre-built (the GPU machine was offline), under
  JAX on an H100; the README says the data were checked array for array against what the
  command builds. Under JAX on another device the arithmetic differs in its last bits.
"""

from __future__ import annotations

from labcore.recipes import Stage


def _cmd(line: str) -> tuple[str, ...]:
    """``"synthesis train --steps 4000"`` -> ``("synthesis", "train", "--steps", "4000")``."""
    return tuple(line.split())


FONT_HAND = Stage(
    "1",
    _cmd(
        "synthesis train-recognizer --hand font --n-lines 12000 --epochs 6 --batch-size 32 "
        "--learning-rate 2e-3 --augment --out {work}/recognizer_font.weights.h5"
    ),
    cpu_seconds=1688,
    gpu_seconds=None,
    note="README: 1,688 s; the fonts' hand, 9,600 training lines (recognizer_font.json)",
)

RECOGNIZER = (
    FONT_HAND,
    Stage(
        "2",
        _cmd(
            "synthesis train-recognizer --init {work}/recognizer_font.weights.h5 --hand human "
            "--epochs 4 --batch-size 32 --learning-rate 1e-3 --augment --n-lines 30000 "
            "--data-seed 1 --out {work}/stage2.weights.h5"
        ),
        cpu_seconds=2867,
        gpu_seconds=None,
        note="README and recognizer.json stage 2: 2,867 s; the human hand, new writers",
    ),
    Stage(
        "3",
        _cmd(
            "synthesis train-recognizer --init {work}/stage2.weights.h5 --hand human --deskew "
            "--epochs 1 --batch-size 32 --learning-rate 3e-4 --augment --n-lines 30000 "
            "--data-seed 2 --out {work}/stage3.weights.h5"
        ),
        cpu_seconds=719,
        gpu_seconds=None,
        note="README and recognizer.json stage 3: 719 s; every line turned level",
    ),
    Stage(
        "4",
        _cmd(
            "synthesis train-recognizer --init {work}/stage3.weights.h5 --hand human --deskew "
            "--epochs 2 --batch-size 32 --learning-rate 3e-4 --augment --augment-density 0.25 "
            "--n-lines 30000 --data-seed 3 --out {work}/recognizer.weights.h5"
        ),
        cpu_seconds=2359,
        gpu_seconds=None,
        note="README and recognizer.json: 2,359 s; density augmentation",
    ),
)

CONDITIONAL = (
    Stage(
        "1",
        _cmd(
            "synthesis train --task conditional --hand font --steps 4000 --batch-size 32 "
            "--learning-rate 1.5e-3 --out {work}/stage1.weights.h5"
        ),
        cpu_seconds=4445.1,
        gpu_seconds=None,
        note="conditional.json stages[0]: 4,445.1 s",
    ),
    Stage(
        "2a",
        _cmd(
            "synthesis train --task conditional --hand font --init {work}/stage1.weights.h5 "
            "--steps 3000 --batch-size 32 --learning-rate 2.5e-4 --out {work}/stage2.weights.h5"
        ),
        cpu_seconds=3344.5,
        gpu_seconds=None,
        note="conditional.json stages[1], its history row of step 3,000: 3,344.5 s",
    ),
    Stage(
        "2b",
        _cmd(
            "synthesis train --task conditional --hand font --init {work}/stage1.weights.h5 "
            "--steps 5500 --batch-size 32 --learning-rate 2.5e-4 --out {work}/stage2.weights.h5"
        ),
        cpu_seconds=2896.9,
        gpu_seconds=None,
        note="stage 2 run again with a larger --steps: it resumes from stage2.weights.h5.state "
        "at step 3,000, the cosine stretched to 5,500 steps (README). 2,896.9 s = the "
        "6,241.4 s of conditional.json stages[1] less stage 2a's 3,344.5 s",
    ),
    Stage(
        "3",
        _cmd(
            "synthesis train --task conditional --hand font --init {work}/stage2.weights.h5 "
            "--numbers 3000 --steps 3000 --batch-size 32 --learning-rate 1e-4 "
            "--out {work}/stage3.weights.h5"
        ),
        cpu_seconds=3960.5,
        gpu_seconds=None,
        note="conditional.json stages[2]: 3,960.5 s; 3,000 number-rich lines added",
    ),
    Stage(
        "4",
        _cmd(
            "synthesis train --task conditional --hand font --init {work}/stage3.weights.h5 "
            "--numbers 3000 --steps 2800 --batch-size 256 --learning-rate 2e-4 "
            "--out {work}/conditional.weights.h5"
        ),
        cpu_seconds=None,
        gpu_seconds=359.3,
        note="conditional.json: 359.3 s on one H100, compiling included; not run on 2 CPU "
        "cores (README: they train about 24 lines/s, the H100 about 2,000)",
        backend="jax",
    ),
)

UNCONDITIONAL = (
    Stage(
        "1",
        _cmd(
            "synthesis train --task unconditional --hand font --steps 1000 --batch-size 32 "
            "--learning-rate 1.5e-3 --out {work}/unconditional.weights.h5"
        ),
        cpu_seconds=663.3,
        gpu_seconds=None,
        note="unconditional.json: 663.3 s after the resume at step 81; README: plus about "
        "4 min for the first 81 steps (shared CPU, not recorded)",
    ),
)

RECIPES: dict[str, tuple[Stage, ...]] = {
    "recognizer_font": (FONT_HAND,),
    "recognizer": RECOGNIZER,
    "conditional": CONDITIONAL,
    "unconditional": UNCONDITIONAL,
}

# LAB_FAST=1: (flags every stage of that command gets, flags replaced where a stage gives them)
FAST = {
    ("synthesis", "train-recognizer"): (
        {"--epochs": "1", "--n-train": "32", "--n-val": "16", "--batch-size": "8"},
        {},
    ),
    ("synthesis", "train"): (
        {"--steps": "3", "--n-train": "16", "--n-val": "8", "--batch-size": "8"},
        {"--numbers": "8"},
    ),
}
