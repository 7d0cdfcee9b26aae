"""Machine-readable output is pure: every ``--json`` command prints exactly one JSON object on
stdout, and every diagnostic (rows dropped, labels skipped) goes to stderr, so that
``python -m crnn evaluate --json | jq .cer`` works."""

import importlib
import json
import re

import cv2
import numpy as np
import pytest

CLIS = ("lstm_explained", "ink", "crnn", "synthesis")

# Every (package, command) with a --json flag. Three benches train models for half a minute or more
# even in fast mode: their test stands in for the measurement and checks what the command prints.
CHEAP = {("crnn", "evaluate"), ("synthesis", "recognize"), ("ink", "bench")}
SLOW_BENCHES = {("lstm_explained", "bench"), ("crnn", "bench"), ("synthesis", "bench")}


def cli(package: str):
    return importlib.import_module(f"{package}.__main__").main


def help_text(package: str, argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as done:
        cli(package)([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def one_json_object(out: str) -> dict:
    """The whole of stdout, parsed: a stray line before or after the object fails here."""
    result = json.loads(out)
    assert isinstance(result, dict) and out.count("\n") == 1, out[:500]
    return result


def test_every_json_flag_of_the_four_command_lines_is_tested_here(capsys):
    found = set()
    for package in CLIS:
        usage = help_text(package, [], capsys)
        commands = re.search(r"\{([\w,-]+)\}", usage).group(1).split(",")
        found |= {(package, c) for c in commands if "--json" in help_text(package, [c], capsys)}
    assert found == CHEAP | SLOW_BENCHES


def test_crnn_evaluate_json_keeps_the_dropped_and_skipped_rows_off_stdout(tmp_path, capsys):
    # One row without a name (dropped by the loader) and one outside the names charset (skipped
    # before reading): both used to print a line on stdout ahead of the JSON.
    rows = [("a.png", "KEVIN"), ("b.png", "UNREADABLE"), ("c.png", "ÉMILE"), ("d.png", "JEAN")]
    images = tmp_path / "images"
    images.mkdir()
    for name, _ in rows:
        cv2.imwrite(str(images / name), np.full((40, 200), 255, np.uint8))
    csv = tmp_path / "names.csv"
    csv.write_text("FILENAME,IDENTITY\n" + "".join(f"{f},{t}\n" for f, t in rows), encoding="utf-8")
    argv = ["evaluate", "--csv", str(csv), "--images", str(images), "--json"]
    assert cli("crnn")(argv) == 0
    printed = capsys.readouterr()
    result = one_json_object(printed.out)
    assert set(result) == {"cer", "wer", "word_accuracy", "n"} and result["n"] == 2
    assert "dropped 1 of 4 rows" in printed.err and "skipped 1 of 3 labels" in printed.err


def test_synthesis_recognize_json_prints_one_object(tmp_path, capsys):
    from ink.loaders import save_strokes
    from ink.synthetic import write

    texts = ["a cat", "the dog"]
    strokes, sentences = save_strokes(
        [write(t, writer=i) for i, t in enumerate(texts)], texts, tmp_path
    )
    argv = ["recognize", "--strokes", str(strokes), "--sentences", str(sentences), "--json"]
    assert cli("synthesis")(argv) == 0
    result = one_json_object(capsys.readouterr().out)
    assert set(result) == {"cer", "wer", "n", "predictions"} and result["n"] == 2


@pytest.mark.slow  # 15-20 s in fast mode: a data set written and measured
def test_ink_bench_json_prints_one_object(capsys):
    assert cli("ink")(["bench", "--json"]) == 0
    assert one_json_object(capsys.readouterr().out)["n_lines"] > 0


@pytest.mark.parametrize("package", sorted(p for p, _ in SLOW_BENCHES))
def test_bench_json_prints_the_result_alone(package, monkeypatch, capsys):
    measured = {"targets": {"cer": 0.01}, "synthetic": {"cer": 0.005, "n": 64}}
    monkeypatch.setattr(f"{package}.bench.run", lambda *args, **kwargs: measured)
    assert cli(package)(["bench", "--json"]) == 0
    assert one_json_object(capsys.readouterr().out) == measured
