"""Recipes: the commands that made a shipped weight file, as data, and one runner for them.

A recipe is a tuple of :class:`Stage`: each one command line (``python -m <args>``) counted in
epochs or steps, never in seconds, with the time it took when it was run for the shipped file.
``{work}`` in an argument stands for the recipe's work folder, so each stage's ``--out`` there
is the next one's ``--init`` (or ``--data``). :func:`run_recipe` runs the stages in order, each
in a fresh process of this Python; a stage that finished is not run again (its output is there
and ``{work}/.done/`` says it finished), so an interrupted recipe resumes by running it again,
and the stage cut short resumes as its own command does. A work folder whose stages were run
with other commands (another recipe, or fast mode) is refused before anything runs. At the end
the last stage's weights and ``.json`` are copied to ``out``.

In fast mode (``LAB_FAST=1``) every stage's budget flags are replaced by tiny ones (a package's
``FAST`` table): a fast run of a recipe is a smoke test of its commands, not a training.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from labcore.cli import atomic_output, output_file
from labcore.config import fast_mode

WORK = "{work}"


@dataclass(frozen=True)
class Stage:
    """One command of a recipe: ``python -m <args>`` (``args[0]`` is the module), run under
    the Keras ``backend`` it ran under (None: the default). ``cpu_seconds`` / ``gpu_seconds``:
    what it took on 2 CPU cores / on a GPU when it made the shipped file (None: not measured);
    ``note`` says where those numbers come from and what differs from that run."""

    name: str
    args: tuple[str, ...]
    cpu_seconds: float | None
    gpu_seconds: float | None
    note: str = ""
    backend: str | None = None

    def flag(self, name: str) -> str | None:
        """The value given to ``name`` (e.g. ``"--out"``), or None."""
        args = list(self.args)
        return args[args.index(name) + 1] if name in args else None


# FAST[(module, command)] = (flags set in fast mode, flags replaced only where a stage gives them)
FastTable = Mapping[tuple[str, str], tuple[Mapping[str, str], Mapping[str, str]]]


def stage_args(stage: Stage, work, fast: FastTable | None = None) -> list[str]:
    """The stage's arguments with ``{work}`` filled in; with ``fast``, its budget shrunk."""
    args = [a.replace(WORK, str(work)) for a in stage.args]
    if fast is None or tuple(args[:2]) not in fast:
        return args
    always, if_given = fast[tuple(args[:2])]
    for flag, value in {**if_given, **always}.items():
        if flag in args:
            args[args.index(flag) + 1] = value
        elif flag in always:
            args += [flag, value]
    return args


def command_line(stage: Stage, args: list[str]) -> str:
    env = f"KERAS_BACKEND={stage.backend} " if stage.backend else ""
    return f"{env}python -m {shlex.join(args)}"


def measured(stage: Stage) -> str:
    def say(seconds):
        return "not measured" if seconds is None else f"{seconds:,.0f} s"

    return f"2 CPU cores: {say(stage.cpu_seconds)}; GPU: {say(stage.gpu_seconds)}"


def stage_out(stage: Stage, work) -> Path:
    out = stage.flag("--out")
    if out is None:
        raise ValueError(f"stage {stage.name}: a recipe stage needs an --out")
    return Path(out.replace(WORK, str(work)))


def run_recipe(
    name: str,
    stages: tuple[Stage, ...],
    work,
    out,
    dry_run: bool = False,
    fast: FastTable | None = None,
) -> int:
    """Run (or with ``dry_run`` print, one line a stage) the recipe ``name`` in ``work``, then
    copy its last weights and their ``.json`` to ``out``. Returns 0, or the exit status of the
    stage that failed."""
    work = Path(work)
    table = fast if fast_mode() else None
    if dry_run:
        for stage in stages:
            line = command_line(stage, stage_args(stage, work, table))
            print(f"{line}  # {stage.name}: {measured(stage)}")
        return 0
    out = output_file(out, "--out", suffixes=(".weights.h5",))
    done_dir = work / ".done"
    plan = []  # (stage, its arguments, its command line, the file that says it finished)
    for i, stage in enumerate(stages, start=1):
        args = stage_args(stage, work, table)
        plan.append((stage, args, command_line(stage, args), done_dir / f"{i:02d}.txt"))
    for stage, _, line, marker in plan:  # before anything runs: a work folder of another recipe
        if marker.is_file() and stage_out(stage, work).exists() and marker.read_text() != line:
            raise FileExistsError(
                f"--work {work}: stage {stage.name} was run there with another command "
                f"({marker.read_text()}); give another --work, or delete that folder"
            )
    done_dir.mkdir(parents=True, exist_ok=True)
    if table is not None:
        print("fast mode (LAB_FAST=1): every stage trains a few steps on a few examples")
    for i, (stage, args, line, marker) in enumerate(plan, start=1):
        print(f"[{i}/{len(plan)}] stage {stage.name}: {line}", flush=True)
        print(f"    shipped run: {measured(stage)}", flush=True)
        if marker.is_file() and stage_out(stage, work).exists():
            print("    done before: skipped")
            continue
        env = dict(os.environ)
        if stage.backend:
            env["KERAS_BACKEND"] = stage.backend
        start = time.perf_counter()
        code = subprocess.run([sys.executable, "-m", *args], env=env).returncode
        if code != 0:
            print(
                f"error: stage {stage.name} failed (exit {code}); run the same recipe command "
                "again to resume",
                file=sys.stderr,
            )
            return code
        marker.write_text(line)
        print(f"    took {time.perf_counter() - start:,.0f} s here", flush=True)
    from labcore.weights import sidecar_path  # imports Keras: not for --help or --dry-run

    last = stage_out(stages[-1], work)
    for src, dst in ((last, out), (sidecar_path(last), sidecar_path(out))):
        with atomic_output(dst) as tmp:
            shutil.copyfile(src, tmp)
    print(f"recipe {name}: {out} (and {sidecar_path(out).name})")
    return 0


def add_recipe_command(sub, recipes: Mapping, folder: str) -> None:
    """The ``recipe`` subcommand of a package's CLI (``folder``: where its weights ship)."""
    p = sub.add_parser("recipe", help="train a shipped weight file again, stage by stage")
    p.add_argument("name", choices=sorted(recipes), help=f"{folder}/<name>.weights.h5")
    p.add_argument("--work", type=Path, help="the stages' files (default: checkpoints/recipe-NAME)")
    p.add_argument(
        "--out", type=Path, help="the final weights (default: checkpoints/NAME.weights.h5)"
    )
    p.add_argument("--dry-run", action="store_true", help="print the commands, one a stage")


def run_recipe_command(args, recipes: Mapping, fast: FastTable | None = None) -> int:
    """What ``recipe NAME [--work W] [--out O] [--dry-run]`` does, for any package's recipes."""
    work = args.work or Path("checkpoints") / f"recipe-{args.name}"
    out = args.out or Path("checkpoints") / f"{args.name}.weights.h5"
    return run_recipe(args.name, recipes[args.name], work, out, args.dry_run, fast)
