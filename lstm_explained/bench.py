"""``python -m lstm_explained bench``: the comparisons of notebooks 01 and 03 in one table.

Every number is computed here with fixed seeds; nothing is typed in. Fast mode (``LAB_FAST=1``)
runs a shrunken version for smoke tests; ``make bench`` runs the full one.
"""

from __future__ import annotations

import json

from lstm_explained.config import fast_mode


def run(fast: bool | None = None) -> dict:
    """``{"noise_floor": float, "models": {name: {"test_rmse", "train_rmse", ...}}, "memory": ...}``."""
    from lstm_explained import compare, forecast, memory

    fast = fast_mode() if fast is None else fast
    result = forecast.bench_models(fast)
    result["models"].update(compare.bench_models(fast))
    result["memory"] = memory.bench(fast)
    return result


def format_table(result: dict) -> str:
    """A plain-text table: test RMSE, its ratio to the noise floor, train RMSE, s/epoch."""
    floor = result["noise_floor"]
    rows = [f"noise floor (test RMS of the generator's noise): {floor:.5f}", ""]
    header = f"{'model':<28} {'test RMSE':>18} {'/ floor':>8} {'train RMSE':>11} {'s/epoch':>8}"
    rows += [header, "-" * len(header)]
    for name, m in sorted(result["models"].items(), key=lambda kv: kv[1]["test_rmse"]):
        rmse = f"{m['test_rmse']:.5f}"
        if "test_rmse_std" in m:  # mean ± std over seeds (notebook 03)
            rmse += f"±{m['test_rmse_std']:.5f}"
        rows.append(
            f"{name:<28} {rmse:>18} {m['test_rmse'] / floor:>8.3f} "
            f"{m['train_rmse']:>11.5f} {m['seconds_per_epoch']:>8.3f}"
        )
    mem = result.get("memory")
    if mem:
        rows += ["", "memory task: accuracy against the recall distance k"]
        rows.append(f"{'k':>4} " + " ".join(f"{k:>6}" for k in mem["k"]))
        for key in (k for k in mem if k.endswith("_accuracy")):
            label = key.removesuffix("_accuracy")
            rows.append(f"{label:>4} " + " ".join(f"{a:>6.3f}" for a in mem[key]))
    return "\n".join(rows)


def main(as_json: bool = False) -> None:
    result = run()
    print(json.dumps(result) if as_json else format_table(result))
