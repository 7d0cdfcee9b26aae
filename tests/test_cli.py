"""The command lines: figures are written where asked, unknown names are refused."""

import matplotlib.pyplot as plt
import pytest

from labcore.figures import save_figures
from lstm_explained.__main__ import main
from lstm_explained.bench import format_table


def _tiny_figure():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    return fig


def test_save_figures_writes_one_png_per_stem(tmp_path):
    written = save_figures({"a": _tiny_figure, "b": _tiny_figure}, tmp_path, only=["b"])
    assert written == [tmp_path / "b.png"]
    assert (tmp_path / "b.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "a.png").exists()


def test_saved_png_is_the_same_twice(tmp_path):
    first = save_figures({"a": _tiny_figure}, tmp_path / "1")[0].read_bytes()
    second = save_figures({"a": _tiny_figure}, tmp_path / "2")[0].read_bytes()
    assert first == second


def test_unknown_figure_name_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match="unknown figure.*nope.*known: a"):
        save_figures({"a": _tiny_figure}, tmp_path, only=["nope"])


def test_figures_command_rejects_unknown_stem(tmp_path, capsys):
    assert main(["figures", "--out", str(tmp_path), "--only", "no_such_figure"]) == 2
    assert "unknown figure" in capsys.readouterr().err


def test_bench_table_lists_models_best_first_with_ratio_to_floor():
    result = {
        "noise_floor": 0.02,
        "models": {
            "worse": {"test_rmse": 0.04, "train_rmse": 0.03, "seconds_per_epoch": 1.0},
            "better": {
                "test_rmse": 0.021,
                "train_rmse": 0.02,
                "seconds_per_epoch": 0.0,
                "test_rmse_std": 0.001,
            },
        },
        "memory": {"k": [1, 20], "ff_accuracy": [1.0, 0.1], "lstm_accuracy": [1.0, 0.9]},
    }
    table = format_table(result)
    assert table.index("better") < table.index("worse")
    assert "2.000" in table  # 0.04 / 0.02
    assert "0.02100±0.00100" in table  # mean ± std over seeds
    assert "lstm" in table and "0.900" in table
