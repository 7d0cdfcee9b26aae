"""The README's results table is what `make bench` measured: composed by labcore.results from the
committed bench JSON, never typed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labcore import results

REPO = Path(__file__).resolve().parents[1]


def small_results() -> dict:
    return {
        "lstm_explained": {
            "noise_floor": 0.02,
            "models": {
                "source_lstm4_lb1": {"test_rmse": 0.2},
                "best_lstm64_lb256": {"test_rmse": 0.03},
                "linear_lb32": {"test_rmse": 0.025},
                "persistence": {"test_rmse": 0.04},
                "lstm32_lb32": {"test_rmse": 0.022},
                "ff_matched_lb32": {"test_rmse": 0.024},
            },
            "memory": {"k": [1, 40], "lstm_accuracy": [1.0, 0.99], "ff_accuracy": [1.0, 0.1]},
        },
        "synthesis": {
            "targets": {"synthetic": {"cer": 0.02}, "iamondb": {"cer": 0.25}},
            "synthetic": {"cer": 0.0066},
            "iamondb": {"cer": 0.286},
        },
        "meta": {"date": "2026-12-08", "cpus": 2, "fast": False},
    }


def test_rows_are_computed_from_the_json():
    table = {(r[0], r[1]): r[2:] for r in results.rows(small_results())}
    sine = next(v for (part, _), v in table.items() if part == "1 sine LSTM")
    assert sine[0] == "10.00 / 1.50 / 1.25 / 2.00"  # each RMSE / the floor, 0.02
    memory = next(v for (_, m), v in table.items() if m.startswith("memory task"))
    assert memory[0] == "99.0% / 10.0%" and "k = 40" in next(m for (_, m) in table if "memory" in m)
    reader = next(v for (part, _), v in table.items() if part == "5 stroke recognizer")
    assert reader == ("0.7%", "28.6%", "<= 2.0% / <= 25.0%")
    # parts without a bench file have no rows; the table is sorted by part
    parts = [r[0] for r in results.rows(small_results())]
    assert parts == sorted(parts) and not any(p.startswith("4") for p in parts)


def test_a_missing_real_set_is_a_dash_not_a_number():
    data = small_results()
    del data["synthesis"]["iamondb"]
    reader = next(r for r in results.rows(data) if r[0] == "5 stroke recognizer")
    assert reader[3] == results.NONE


def test_fast_mode_results_say_so():
    data = small_results()
    assert "fast mode" not in results.markdown(data)
    data["meta"]["fast"] = True
    assert "fast mode (a smoke test, not results)" in results.markdown(data)


def test_the_cli_writes_meta_and_table(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_FAST", "1")
    for part in ("lstm_explained", "synthesis"):
        (tmp_path / f"{part}.json").write_text(json.dumps(small_results()[part]))
    assert results.main([str(tmp_path), "--out", str(tmp_path / "results.md")]) == 0
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["fast"] is True and meta["cpus"] >= 1
    assert (tmp_path / "results.md").read_text() == results.markdown(results.load(tmp_path))
    (tmp_path / "ink.json").write_text("{broken")
    with pytest.raises(ValueError, match="ink.json: not JSON"):
        results.load(tmp_path)


def test_the_committed_table_is_what_make_bench_measured():
    bench = REPO / "docs" / "bench"
    written = (REPO / "docs" / "results.md").read_text(encoding="utf-8")
    measured = results.load(bench)
    assert set(measured) == {*results.PARTS, "meta"}, "make bench did not write every part"
    assert not measured["meta"]["fast"], "the committed results were measured in fast mode"
    assert written == results.markdown(measured), "docs/results.md differs: run make bench"
    assert "docs/results.md" in (REPO / "README.md").read_text(encoding="utf-8")
