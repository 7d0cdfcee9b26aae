"""Every shipped weight file is made again by one command: ``python -m crnn|synthesis recipe NAME``.

The recipes are data (``crnn.recipes``, ``synthesis.recipes``): these tests check that each one
parses with the real command lines, counts epochs or steps rather than seconds, chains its
stages through the work folder, and repeats the settings its shipped sidecar records. One
recipe, the shortest, runs end to end in fast mode."""

import importlib
import json
from pathlib import Path

import numpy as np
import pytest

from crnn import recipes as crnn_recipes
from labcore.recipes import WORK, stage_args
from synthesis import recipes as synthesis_recipes

REPO = Path(__file__).resolve().parents[1]
PACKAGES = {"crnn": crnn_recipes, "synthesis": synthesis_recipes}
TRAINERS = {("crnn", "train"), ("crnn.bulk", "fit"), ("synthesis", "train-recognizer")}
TRAINERS |= {("synthesis", "train")}


def every_stage():
    for package, module in PACKAGES.items():
        for name, stages in module.RECIPES.items():
            for stage in stages:
                yield package, name, stage


def parse(args: list[str]):
    """``args`` (``[module, command, ...]``) parsed by that module's own parser, nothing run."""
    module = args[0] if args[0] == "crnn.bulk" else f"{args[0]}.__main__"
    return importlib.import_module(module).build_parser().parse_args(args[1:])


def sidecar(package: str, name: str) -> dict:
    return json.loads((REPO / package / "weights" / f"{name}.json").read_text(encoding="utf-8"))


def test_every_shipped_weight_file_has_a_recipe_and_every_recipe_a_shipped_file():
    for package, module in PACKAGES.items():
        shipped = (REPO / package / "weights").glob("*.weights.h5")
        assert {p.name.removesuffix(".weights.h5") for p in shipped} == set(module.RECIPES)


@pytest.mark.parametrize("fast", [False, True], ids=["as-shipped", "fast-mode"])
def test_every_stage_parses_with_the_real_command_line(tmp_path, fast):
    for package, _, stage in every_stage():
        args = stage_args(stage, tmp_path, PACKAGES[package].FAST if fast else None)
        assert parse(args).command == args[1], stage


def test_training_stages_count_epochs_or_steps_never_seconds():
    for _, name, stage in every_stage():
        assert not {"--seconds", "--until"} & set(stage.args), (name, stage.name)
        if stage.args[:2] in TRAINERS:
            assert "--epochs" in stage.args or "--steps" in stage.args, (name, stage.name)


def test_each_stage_starts_from_what_an_earlier_stage_left_in_the_work_folder():
    for module in PACKAGES.values():
        for name, stages in module.RECIPES.items():
            made = set()
            for stage in stages:
                for flag in ("--init", "--data"):
                    assert stage.flag(flag) in made | {None}, (name, stage.name, flag)
                assert stage.flag("--out").startswith(f"{WORK}/"), (name, stage.name)
                made.add(stage.flag("--out"))
            assert stages[-1].flag("--out").endswith(".weights.h5")


def test_the_crnn_recipes_repeat_what_their_sidecars_record(tmp_path):
    digits = parse(stage_args(crnn_recipes.DIGITS[0], tmp_path))
    recorded = sidecar("crnn", "digits")["recipe"]
    assert (digits.epochs, digits.batch_size, digits.n_train) == (6, 32, recorded["n_train"])
    assert digits.learning_rate == recorded["learning_rate"] and recorded["epochs"] == 6

    by_name = {s.name: s for s in crnn_recipes.SYNTHETIC}
    for record in sidecar("crnn", "synthetic")["recipe"]["stages"]:
        stage = by_name[record["stage"]]
        args = parse(stage_args(stage, tmp_path))
        assert args.learning_rate == record["learning_rate"], record["stage"]
        assert args.batch_size == record.get("batch_size", 128), record["stage"]  # A, B: 128
        seconds = stage.cpu_seconds if stage.backend is None else stage.gpu_seconds
        assert seconds == record["seconds"], record["stage"]
        if args.command == "fit":
            assert args.steps == record["steps"], record["stage"]
            assert args.shift_rows == record.get("shift_rows_in_training", 0)
            dropout = record.get("conv_dropout_in_training")
            assert args.conv_dropout == (None if dropout is None else max(dropout))
        else:  # stage C: python -m crnn train
            assert (args.epochs, args.augment) == (record["epochs"], record["augment_share"])


def test_the_synthesis_recipes_repeat_what_their_sidecars_record(tmp_path):
    def runs(name):
        info = sidecar("synthesis", name)
        return [*info.get("stages", []), info]

    # the writers: each stage beside its record (the sidecar's stages, then the sidecar itself)
    conditional = {s.name: s for s in synthesis_recipes.CONDITIONAL}
    names = ["1", "2b", "3", "4"]
    pairs = [(conditional[n], r) for n, r in zip(names, runs("conditional"), strict=True)]
    pairs.append((synthesis_recipes.UNCONDITIONAL[0], sidecar("synthesis", "unconditional")))
    for stage, record in pairs:
        args, train = parse(stage_args(stage, tmp_path)), record["train"]
        assert (args.steps, args.batch_size) == (train["steps"], train["batch_size"]), stage
        assert args.learning_rate == train["learning_rate"], stage
        if stage.name != "2b":  # stage 2's seconds are those of 2a and 2b together
            assert (stage.cpu_seconds or stage.gpu_seconds) == record["seconds"], stage
    stage_2 = conditional["2a"].cpu_seconds + conditional["2b"].cpu_seconds
    assert stage_2 == pytest.approx(runs("conditional")[1]["seconds"])

    # the recognizer: stages 2, 3 and 4 are recorded in recognizer.json, stage 1 in its own file
    records = [sidecar("synthesis", "recognizer_font")["recipe"]]
    records += [r["recipe"] for r in runs("recognizer")]
    for stage, record in zip(synthesis_recipes.RECOGNIZER, records, strict=True):
        args = parse(stage_args(stage, tmp_path))
        assert (args.epochs, args.batch_size) == (record["epochs"], record["batch_size"])
        assert args.learning_rate == record["learning_rate"], stage.name
        assert args.hand == record.get("hand", "human"), stage.name
        assert args.augment_density == record["augment"].get("density", 0.0), stage.name
        assert round(args.n_lines * 0.8) == record["n_train"], stage.name
        assert record.get("seconds", stage.cpu_seconds) == stage.cpu_seconds, stage.name


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_dry_run_prints_one_command_a_stage_and_runs_nothing(package, tmp_path, capsys):
    main = importlib.import_module(f"{package}.__main__").main
    for name, stages in PACKAGES[package].RECIPES.items():
        assert main(["recipe", name, "--dry-run", "--work", str(tmp_path / "w")]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == len(stages), name
        assert all(" python -m " in f" {line}" for line in lines)
        assert all(str(tmp_path / "w") in line for line in lines)
    assert not (tmp_path / "w").exists()


def test_bulk_fit_with_steps_trains_exactly_those_steps(tmp_path):
    """The recipes give ``crnn.bulk fit`` the steps a time budget once gave: the run stops
    after exactly that many, whatever the machine's speed, and says so in its sidecar."""
    from crnn.bulk import fit_for
    from crnn.data import charset_for
    from crnn.model import CRNNConfig

    charset = charset_for("synthetic")
    images = np.full((12, 64, 256), 255, np.uint8)
    images[:, 20:40, 30:200] = 0
    out = tmp_path / "s.weights.h5"
    config = CRNNConfig.small(charset.num_classes)
    texts = ["AB"] * len(images)
    fit_for(config, images, texts, charset, seconds=60, out=out, batch_size=4, steps=5)
    recipe = json.loads(out.with_name("s.json").read_text())["recipe"]
    assert recipe["steps"] == 5 and recipe["seconds"] < 60  # the seconds they took


def test_the_shortest_recipe_runs_end_to_end_in_fast_mode_and_resumes(
    tmp_path, capsys, monkeypatch
):
    from crnn.__main__ import main
    from crnn.train import load_model

    recorded = {
        (package, name): sum((s.cpu_seconds or 0) + (s.gpu_seconds or 0) for s in stages)
        for package, module in PACKAGES.items()
        for name, stages in module.RECIPES.items()
    }
    assert min(recorded, key=recorded.get) == ("crnn", "digits")
    monkeypatch.setenv("LAB_FAST", "1")
    work, out = tmp_path / "work", tmp_path / "out" / "digits.weights.h5"
    argv = ["recipe", "digits", "--work", str(work), "--out", str(out)]
    assert main(argv) == 0
    _, charset, _ = load_model(out)
    assert charset.chars == "0123456789" and out.with_name("digits.json").is_file()
    assert "--epochs 1" in capsys.readouterr().out
    assert main(argv) == 0  # run again: the finished stage is not trained again
    assert "done before: skipped" in capsys.readouterr().out


def test_a_work_folder_of_other_commands_is_refused_before_anything_runs(tmp_path, capsys):
    from crnn.__main__ import main

    work = tmp_path / "work"
    (work / ".done").mkdir(parents=True)
    (work / ".done" / "01.txt").write_text("python -m crnn train --epochs 99")
    (work / "digits.weights.h5").write_bytes(b"")
    argv = ["recipe", "digits", "--work", str(work), "--out", str(tmp_path / "d.weights.h5")]
    assert main(argv) == 2
    assert "another command" in capsys.readouterr().err
    assert not (tmp_path / "d.weights.h5").exists()
