"""``python -m ink bench``: how close synthetic ink is to real ink, and how fast it is made.

Generates a data set of synthetic sentences (10,000 lines; 300 in fast mode) without the
cache, times it, and compares its statistics with the real IAM-OnDB lines when they are found.
Every number is measured here; nothing is typed in.
"""

from __future__ import annotations

import json
import os
import time

from ink.config import fast_mode


def run(n_lines: int | None = None) -> dict:
    """``{"n_lines", "workers", "seconds", "lines_per_second", "table": {...}, "real": bool}``."""
    from ink.dataset import build_dataset
    from ink.figures import load_real_lines
    from ink.stats import compare_table, stroke_stats

    n_lines = (300 if fast_mode() else 10_000) if n_lines is None else n_lines
    workers = min(2, os.cpu_count() or 1)
    start = time.perf_counter()
    ds = build_dataset(n_lines, cache_dir=None, workers=workers, progress=False)
    seconds = time.perf_counter() - start
    real_lines, real_texts = load_real_lines()
    real = stroke_stats(real_lines, real_texts) if real_lines is not None else None
    table = compare_table(stroke_stats(ds.lines, ds.texts), real)
    return {
        "n_lines": n_lines,
        "workers": workers,
        "seconds": seconds,
        "lines_per_second": n_lines / seconds,
        "real": real is not None,
        "table": {k: {c: float(v) for c, v in row.items()} for k, row in table.iterrows()},
    }


def format_table(result: dict) -> str:
    import pandas as pd

    table = pd.DataFrame(result["table"]).T
    head = (
        f"synthetic sentences: {result['n_lines']} lines in {result['seconds']:.1f} s "
        f"on {result['workers']} processes = {result['lines_per_second']:.0f} lines/s"
    )
    note = "" if result["real"] else "\n(real IAM-OnDB lines not found: no real column)"
    return f"{head}\n\n{table.to_string(float_format=lambda v: f'{v:.3f}')}{note}"


def main(as_json: bool = False) -> None:
    result = run()
    print(json.dumps(result) if as_json else format_table(result))
