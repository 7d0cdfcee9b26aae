"""``python -m ink bench``: how close synthetic ink is to real ink, and how fast it is made.

Generates a data set of synthetic sentences in the human hand (10,000 lines; 300 in fast mode)
without the cache, times it, and compares its statistics with the real IAM-OnDB lines when they
are found: the summary table of :func:`ink.stats.stroke_stats`, then the realism table of
:func:`ink.stats.realism_table` (per-line statistics, each with a distance to the real ones),
with the distance of the fonts' hand beside it (``font_distance``: the writer before the human
hand; 2,000 lines of it).
Every number is measured here; nothing is typed in.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np

from ink.config import fast_mode


def run(n_lines: int | None = None) -> dict:
    """``{"n_lines", "workers", "seconds", "lines_per_second", "table": {...}, "real": bool,
    "realism": {...}, "realism_note": str}``; a NaN (no real data) is written as None."""
    from ink.dataset import build_dataset
    from ink.figures import load_real_lines
    from ink.stats import (
        compare_table,
        line_statistics,
        realism_table,
        stroke_stats,
        with_font_hand,
    )

    n_lines = (300 if fast_mode() else 10_000) if n_lines is None else n_lines
    workers = min(2, os.cpu_count() or 1)
    start = time.perf_counter()
    ds = build_dataset(n_lines, cache_dir=None, workers=workers, progress=False)
    seconds = time.perf_counter() - start
    real_lines, real_texts = load_real_lines()
    real = stroke_stats(real_lines, real_texts) if real_lines is not None else None
    table = compare_table(stroke_stats(ds.lines, ds.texts), real)
    syn_samples, syn_skipped = line_statistics(ds.lines, ds.texts)
    real_samples, real_skipped = (
        line_statistics(real_lines, real_texts) if real is not None else (None, None)
    )
    realism = realism_table(syn_samples, real_samples, syn_skipped, real_skipped)
    if real_samples is not None:
        font = build_dataset(min(n_lines, 2000), cache_dir=None, progress=False, hand="font")
        realism = with_font_hand(
            realism, line_statistics(font.lines, font.texts)[0], real_samples
        ).drop(columns="font_hand")
    return {
        "n_lines": n_lines,
        "workers": workers,
        "seconds": seconds,
        "lines_per_second": n_lines / seconds,
        "real": real is not None,
        "table": {k: {c: float(v) for c, v in row.items()} for k, row in table.iterrows()},
        "realism": _realism_json(realism),
        "realism_note": realism.attrs.get("note", ""),
    }


def _realism_json(table) -> dict:
    """``{label: {column: value}}``: counts as int, a NaN (no real data) as None (JSON has no
    NaN)."""

    def value(column, v):
        if column.startswith(("n_", "skipped_")):
            return int(v)
        return None if np.isnan(v) else float(v)

    return {k: {c: value(c, v) for c, v in row.items()} for k, row in table.iterrows()}


def format_table(result: dict) -> str:
    import pandas as pd

    table = pd.DataFrame(result["table"]).T
    head = (
        f"synthetic sentences: {result['n_lines']} lines in {result['seconds']:.1f} s "
        f"on {result['workers']} processes = {result['lines_per_second']:.0f} lines/s"
    )
    note = "" if result["real"] else "\n(real IAM-OnDB lines not found: no real column)"
    text = f"{head}\n\n{table.to_string(float_format=lambda v: f'{v:.3f}')}{note}"
    if "realism" in result:
        realism = pd.DataFrame(result["realism"]).T
        counts = [c for c in realism.columns if c.startswith(("n_", "skipped_"))]
        realism[counts] = realism[counts].astype(int)
        text += (
            "\n\nrealism, line by line: medians, and the Wasserstein-1 distance over the real std"
            " (font_distance: the fonts' hand, before the human hand)"
            f"\n\n{realism.to_string(float_format=lambda v: f'{v:.3f}', na_rep='-')}"
        )
        if result.get("realism_note"):
            text += f"\n({result['realism_note']})"
    return text


def main(as_json: bool = False) -> None:
    result = run()
    print(json.dumps(result) if as_json else format_table(result))
