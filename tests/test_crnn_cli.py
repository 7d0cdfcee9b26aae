"""``python -m crnn``: predict / evaluate with the shipped weights, train under MirroredStrategy,
and one-line errors for bad input."""

import json
from pathlib import Path

import cv2

from crnn.__main__ import main
from crnn.data import digit_strings, synthetic_names
from crnn.train import shipped_weights

REPO = Path(__file__).resolve().parents[1]


def test_shipped_weights_and_their_descriptions_are_there():
    for name in ("synthetic", "digits"):
        weights = shipped_weights(name)
        assert weights.is_file(), f"{weights} is missing"
        assert weights.with_name(f"{name}.json").is_file()
    total = sum(shipped_weights(n).stat().st_size for n in ("synthetic", "digits"))
    assert total <= 20 * 2**20


def test_predict_prints_one_path_and_text_per_image(tmp_path, capsys):
    data = synthetic_names(30000, "test", limit=3, progress=False)
    paths = []
    for i, img in enumerate(data.images):
        paths.append(tmp_path / f"name{i}.png")
        cv2.imwrite(str(paths[-1]), img)
    assert main(["predict", *map(str, paths)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert [line.split("\t")[0] for line in lines] == [str(p) for p in paths]
    texts = [line.split("\t")[1] for line in lines]
    assert all(t == t.upper() for t in texts)  # the names charset has capitals only
    assert main(["predict", "--tta", *map(str, paths)]) == 0
    assert len(capsys.readouterr().out.strip().split("\n")) == len(paths)


def test_evaluate_json_has_the_promised_keys(capsys):
    assert main(["evaluate", "--dataset", "digits", "--limit", "16", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"cer", "wer", "word_accuracy", "n"}
    assert result["n"] == 16 and 0.0 <= result["word_accuracy"] <= 1.0
    # --tta reads each image three times; the same keys and n, a CER of its own
    assert main(["evaluate", "--dataset", "digits", "--limit", "16", "--json", "--tta"]) == 0
    tta = json.loads(capsys.readouterr().out)
    assert set(tta) == set(result) and tta["n"] == 16 and 0.0 <= tta["cer"] <= 1.0


def test_evaluate_reads_the_validation_writers_when_asked(capsys):
    assert main(["evaluate", "--limit", "4", "--split", "validation"]) == 0
    out = capsys.readouterr().out
    assert "synthetic names (validation)" in out and "n=4" in out
    assert main(["evaluate", "--limit", "4"]) == 0  # the test writers by default
    assert "synthetic names (test)" in capsys.readouterr().out
    # a CSV has no splits: refused in one line before anything is loaded
    args = ["evaluate", "--csv", "x.csv", "--images", "y", "--split", "validation"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "--split" in err and "\n" not in err


def test_a_missing_image_is_named_in_one_line(tmp_path, capsys):
    assert main(["predict", str(tmp_path / "nope.png")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope.png" in err and "\n" not in err


def test_a_corrupt_weights_file_is_refused_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"this is not HDF5")
    bad.with_name("bad.json").write_text(
        shipped_weights("digits").with_name("digits.json").read_text()
    )
    img = tmp_path / "x.png"
    cv2.imwrite(str(img), digit_strings(1, "test").images[0])
    assert main(["predict", str(img), "--weights", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "corrupt" in err and "\n" not in err


def test_csv_and_dataset_together_are_refused(capsys):
    assert main(["evaluate", "--dataset", "digits", "--csv", "x.csv", "--images", "y"]) == 2
    assert "either --dataset or --csv" in capsys.readouterr().err


def test_train_runs_under_mirrored_strategy_on_two_logical_cpus(tmp_path):
    from conftest import run_cli_on_two_cpus

    out = str(tmp_path / "m.weights.h5")
    run = run_cli_on_two_cpus(
        "crnn",
        ["train", "--dataset", "digits", "--n-train", "64", "--limit", "64", "--epochs", "1",
         "--batch-size", "16", "--out", out, "--distribute", "mirrored"],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert "MirroredStrategy with 2 replicas" in run.stdout, run.stdout[-2000:]
    assert (tmp_path / "m.weights.h5").is_file()


def test_bench_in_fast_mode_measures_every_target_with_the_shipped_weights():
    from crnn.bench import TARGETS, format_table, run

    result = run(fast=True)
    for key in ("synthetic", "synthetic_made_up", "synthetic_crops", "synthetic_tta", "digits"):
        scores = result[key]
        assert 0.0 <= scores["cer"] <= 1.0 and scores["n"] > 0 and scores["images_per_second"] > 0
    assert result["synthetic"]["cer"] < 0.2  # the shipped model reads its own kind of data
    assert 0.0 <= result["pixel_lstm"]["accuracy"] <= 1.0
    assert result["training"]["images_per_second"] > 0
    assert result["training"]["parameters"] == 407_742  # the CPU-sized CRNN, names charset
    table = format_table(result)
    assert "training (CPU-sized CRNN)" in table and set(TARGETS) <= set(result) | {"kaggle_sample"}
