"""``python -m synthesis bench``: part 5's targets, measured here with the shipped recognizer.

- lines by held-out synthetic writers: CER, WER (target CER <= 2%), lines per second;
- the real IAM-OnDB lines when found (the shared sample or ``datasets/iamondb``), zero-shot;
- the ablation of the source's enhancements (:mod:`synthesis.ablation`, bench budget).

Fast mode (``LAB_FAST=1``) shrinks everything to a smoke test.
"""

from __future__ import annotations

import json

from ink.config import fast_mode

TARGETS = {"synthetic": {"cer": 0.02}}


def run(fast: bool | None = None) -> dict:
    from ink.dataset import find_iamondb
    from synthesis import ablation
    from synthesis.recognition import (
        evaluate_lines,
        load_recognizer,
        real_strokes,
        synthetic_sentences,
    )

    fast = fast_mode() if fast is None else fast
    model, charset, info = load_recognizer()
    result: dict = {"targets": TARGETS, "recipe": info["recipe"]}
    test = synthetic_sentences("test", limit=16 if fast else None, progress=False)
    keys = ("cer", "wer", "n", "lines_per_second")
    result["synthetic"] = {k: evaluate_lines(model, charset, test)[k] for k in keys}
    folder = find_iamondb()
    if folder is not None:
        real = real_strokes(
            folder / "strokes-py3.npy", folder / "sentences.txt", limit=16 if fast else None
        )
        result["iamondb"] = {k: evaluate_lines(model, charset, real)[k] for k in keys}
    rows = ablation.run(ablation.ablation_budget(fast, bench=True))
    result["ablation"] = {
        k: {m: v for m, v in r.items() if m != "history"} for k, r in rows.items()
    }
    return result


def format_table(result: dict) -> str:
    from synthesis.ablation import format_table as ablation_table

    lines = [f"{'set':<12} {'CER':>7} {'WER':>7} {'n':>6} {'lines/s':>8}  target"]
    for key in ("synthetic", "iamondb"):
        if key not in result:
            lines.append(f"{key:<12} (not found)")
            continue
        s = result[key]
        target = "CER <= 2%" if key == "synthetic" else "zero-shot, reported"
        lines.append(
            f"{key:<12} {s['cer']:>7.2%} {s['wer']:>7.2%} {s['n']:>6} "
            f"{s['lines_per_second']:>8.1f}  {target}"
        )
    lines += [
        "",
        "ablation (same data, seed and epochs; held-out writers):",
        ablation_table(result["ablation"]),
    ]
    return "\n".join(lines)


def main(as_json: bool = False) -> None:
    result = run()
    print(json.dumps(result) if as_json else format_table(result))
