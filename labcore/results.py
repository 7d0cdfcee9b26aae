"""The headline results of every part in one table, composed from what ``make bench`` measured.

``make bench`` runs each part's bench with ``--json`` into ``docs/bench/<part>.json`` and then
``python -m labcore.results docs/bench --out docs/results.md``, which writes ``meta.json`` (date,
CPU cores, fast mode) beside them and the table below. The README links the table; nobody types
a number into it, and ``tests/test_results.py`` checks that it is what this module makes of the
committed JSON. This module reads JSON only: it imports no part of the lab.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
from pathlib import Path

from labcore.config import fast_mode

PARTS = ("lstm_explained", "ink", "crnn", "synthesis")
NONE = "-"


def load(folder) -> dict:
    """``{part: its bench JSON}`` for the parts found in ``folder``, and ``"meta"``."""
    folder = Path(folder)
    found = {}
    for name in (*PARTS, "meta"):
        path = folder / f"{name}.json"
        if path.is_file():
            try:
                found[name] = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as err:
                raise ValueError(f"{path}: not JSON ({err}); run make bench again") from None
    return found


def _pct(x) -> str:
    return NONE if x is None else f"{100 * x:.1f}%"


def _get(d, *keys):
    """``d[k1][k2]...`` or None when any key is missing."""
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def rows(results: dict) -> list[tuple[str, str, str, str, str]]:
    """(part, measure, synthetic data, real data, target) rows of the parts present."""
    out = []
    lstm = results.get("lstm_explained")
    if lstm:
        floor, models = lstm["noise_floor"], lstm["models"]

        def ratio(prefix):
            """The best model whose name starts with ``prefix`` (the look-back is in the name)."""
            rmse = [m["test_rmse"] for n, m in models.items() if n.startswith(prefix)]
            return f"{min(rmse) / floor:.2f}" if rmse else NONE

        out.append(
            (
                "1 sine LSTM",
                "one-step test RMSE / noise floor (1.00 is perfect): "
                "source's LSTM(4) / best LSTM / linear / persistence",
                " / ".join(
                    ratio(n) for n in ("source_lstm4", "best_lstm", "linear", "persistence")
                ),
                NONE,
                "near 1",
            )
        )
        out.append(
            (
                "3 LSTM vs feed-forward",
                "same parameter count, same window: test RMSE / noise floor, LSTM / feed-forward",
                f"{ratio('lstm32_lb')} / {ratio('ff_matched')}",
                NONE,
                "reported",
            )
        )
        mem = lstm.get("memory")
        if mem:
            k = mem["k"][-1]
            out.append(
                (
                    "3 LSTM vs feed-forward",
                    f"memory task, recall k = {k} steps back: accuracy, LSTM / windowed "
                    "feed-forward",
                    f"{_pct(mem['lstm_accuracy'][-1])} / {_pct(mem['ff_accuracy'][-1])}",
                    NONE,
                    "reported",
                )
            )
    ink = results.get("ink")
    if ink and ink.get("realism"):
        stats = ink["realism"]
        human = sorted(s["distance"] for s in stats.values() if s.get("distance") is not None)
        font = sorted(
            s["font_distance"] for s in stats.values() if s.get("font_distance") is not None
        )
        if human and font:
            out.append(
                (
                    "0 stroke data",
                    f"realism: median distance to real lines over {len(human)} statistics "
                    "(Wasserstein, normalised), human hand / fonts' hand",
                    f"{human[len(human) // 2]:.2f} / {font[len(font) // 2]:.2f}",
                    "(the reference)",
                    "lower",
                )
            )
    crnn = results.get("crnn")
    if crnn:
        t = crnn.get("targets", {})
        out.append(
            (
                "4 CRNN (images)",
                "CER on names: unseen synthetic writers / real Kaggle scans (sample)",
                _pct(_get(crnn, "synthetic", "cer")),
                _pct(_get(crnn, "kaggle_sample", "cer")),
                f"<= {_pct(_get(t, 'synthetic', 'cer'))} / <= {_pct(_get(t, 'kaggle_sample', 'cer'))}",
            )
        )
        if "digits" in crnn:
            out.append(
                (
                    "4 CRNN (images)",
                    "CER on strings of held-out digits",
                    _pct(_get(crnn, "digits", "cer")),
                    NONE,
                    f"<= {_pct(_get(t, 'digits', 'cer'))}",
                )
            )
    syn = results.get("synthesis")
    if syn:
        t = syn.get("targets", {})
        if "synthetic" in syn:
            out.append(
                (
                    "5 stroke recognizer",
                    "CER on lines: unseen synthetic writers / real IAM-OnDB lines, zero-shot",
                    _pct(_get(syn, "synthetic", "cer")),
                    _pct(_get(syn, "iamondb", "cer")),
                    f"<= {_pct(_get(t, 'synthetic', 'cer'))} / <= {_pct(_get(t, 'iamondb', 'cer'))}",
                )
            )
        writers = syn.get("writers")
        if writers:
            at_1 = [r for r in writers["legibility"] if r["bias"] == 1.0]
            gap = _get(syn, "real_gap", "fine-tuned (real)")
            real_reader = NONE
            if gap and "generated, bias 1" in gap.get("also_read", {}):
                generated = gap["also_read"]["generated, bias 1"]["cer"]
                real_reader = (
                    f"{_pct(generated)} (real lines: {_pct(gap['cer'])}, "
                    f"{generated / max(gap['cer'], 1e-9):.2f}x)"
                )
            out.append(
                (
                    "6 Graves writer",
                    "legibility at bias 1: CER of generated lines read by the shipped "
                    "recognizer / by one fine-tuned on real lines",
                    _pct(at_1[0]["cer"]) if at_1 else NONE,
                    real_reader,
                    f"<= {_pct(_get(t, 'legibility_bias_1', 'cer'))} / <= 1.2x real",
                )
            )
            out.append(
                (
                    "6 Graves writer",
                    "seconds to write a 40-character line (2 CPU cores)",
                    f"{writers['seconds_40_chars']:.2f} s",
                    NONE,
                    f"< {t.get('seconds_40_chars', NONE)} s",
                )
            )
    return sorted(out, key=lambda row: row[0].split()[0])  # by part number, stable


def markdown(results: dict) -> str:
    meta = results.get("meta", {})
    head = [
        "# Results",
        "",
        "Written by `make bench` (`python -m labcore.results`) from `docs/bench/*.json`; not "
        "edited by hand. Each part's full table: `python -m <part> bench`.",
        "",
        f"Measured {meta.get('date', '?')} on {meta.get('cpus', '?')} CPU cores"
        + (", **fast mode (a smoke test, not results)**" if meta.get("fast") else "")
        + ". Real data: the samples in `../shared/data/` (100 IAM-OnDB lines, the Kaggle "
        "names sample); a dash: the part has no real data, or it was not found.",
        "",
        "| part | measure | synthetic data | real data | target |",
        "|---|---|---|---|---|",
    ]
    body = [f"| {' | '.join(r)} |" for r in rows(results)]
    return "\n".join(head + body) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labcore.results", description=__doc__)
    parser.add_argument("folder", type=Path, help="the folder of the parts' bench JSON")
    parser.add_argument("--out", type=Path, required=True, help="the markdown file to write")
    args = parser.parse_args(argv)
    meta = {
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "fast": fast_mode(),
    }
    (args.folder / "meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    args.out.write_text(markdown(load(args.folder)), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
