"""``python -m synthesis bench``: the targets of parts 5 and 6, measured with the shipped models.

Part 5 (recognizer):
- lines by held-out synthetic writers in the human hand: CER, WER (target CER <= 2%), lines
  per second; and in the fonts' hand (what part 6's writers learnt from);
- the real IAM-OnDB lines when found (the shared sample or ``datasets/iamondb``), zero-shot
  (target CER <= 25%);
- the ablation of the source's enhancements and of augmentation (:mod:`synthesis.ablation`: the
  figure's budget, 3 seeds, mean and standard deviation), as ``make results`` kept it (measuring
  it again takes about an hour).

Part 6 (writers):
- legibility: 100 held-out sentences written at each bias, read back by the recognizer (target
  CER <= 10% at bias 1.0);
- seconds to write a 40-character line (target < 2 s on 2 CPU cores);
- validation NLL of both networks (nats per point and per line, normalised units) and the
  training time recorded with the shipped weights.

Fast mode (``LAB_FAST=1``) shrinks everything to a smoke test.
"""

from __future__ import annotations

import json

from ink.config import fast_mode

TARGETS = {
    "synthetic": {"cer": 0.02},
    "iamondb": {"cer": 0.25},
    "legibility_bias_1": {"cer": 0.10},
    "seconds_40_chars": 2.0,
}


def run(fast: bool | None = None, parts=("5", "6")) -> dict:
    """The bench of part 5 (recognizer + ablation) and / or part 6 (the writers)."""
    from ink.dataset import find_iamondb
    from synthesis import ablation
    from synthesis.recognition import (
        evaluate_lines,
        load_recognizer,
        real_line_gap,
        real_strokes,
        synthetic_sentences,
    )

    fast = fast_mode() if fast is None else fast
    model, charset, info = load_recognizer()
    result: dict = {"targets": TARGETS, "recipe": info["recipe"]}
    generated = None
    if "6" in parts:
        result["writers"], generated = writers(fast, recognizer=(model, charset, info))
    if "5" in parts:
        keys = ("cer", "wer", "n", "lines_per_second")
        for key, hand in (("synthetic", "human"), ("synthetic_font", "font")):
            test = synthetic_sentences("test", 16 if fast else None, progress=False, hand=hand)
            result[key] = {k: evaluate_lines(model, charset, test)[k] for k in keys}
        folder = find_iamondb()
        if folder is not None:
            real = real_strokes(
                folder / "strokes-py3.npy", folder / "sentences.txt", limit=16 if fast else None
            )
            result["iamondb"] = {k: evaluate_lines(model, charset, real)[k] for k in keys}
            # generated lines (bias 1) read by each reader, the real-only fine-tune among them
            also = {"generated, bias 1": generated} if generated is not None else None
            result["real_gap"] = real_line_gap(real, epochs=1 if fast else 10, also_read=also)
        budget = ablation.ablation_budget(fast)
        rows = ablation.load(budget) or ablation.run(budget)  # kept by make results (an hour)
        result["ablation"] = {
            k: {m: v for m, v in r.items() if m != "history"} for k, r in rows.items()
        }
    return result


def writers(fast: bool, recognizer=None):
    """Part 6: legibility by bias, speed, validation NLL and training time of both networks.
    Returns (that dict, the lines generated at bias 1 as a StrokeSet)."""
    from synthesis.legibility import legibility_table, seconds_for_line
    from synthesis.recognition import StrokeSet
    from synthesis.sampling import load_writer
    from synthesis.training import (
        evaluate_nll,
        full_history,
        make_writing_data,
        synthetic_writing_lines,
    )

    out: dict = {"nll": {}, "training": {}}
    n_val = 8 if fast else 128
    val_lines = synthetic_writing_lines("validation", n_val, progress=False)
    for task in ("unconditional", "conditional"):
        writer = load_writer(task=task)
        val = make_writing_data(*val_lines, "validation", offset_scale=writer.offset_scale)
        out["nll"][task] = evaluate_nll(writer.model, val, writer.config)
        hist, seconds = full_history(writer.info)
        out["training"][task] = {
            "steps": hist[-1]["step"] if hist else 0,
            "lines_seen": hist[-1]["lines"] if hist else 0,
            "seconds": seconds,
            "units": writer.config.units,
            "layers": writer.config.layers,
            "params": writer.model.count_params(),
        }
        if task == "conditional":
            out["seconds_40_chars"] = seconds_for_line(writer, 40, repeats=2 if fast else 5)
            out["legibility"] = legibility_table(
                n=4 if fast else 100, writer=writer, recognizer=recognizer, keep_lines=True
            )
    generated = None
    for row in out["legibility"]:
        row.pop("predictions")
        lines, texts = row.pop("lines"), row.pop("texts")
        if row["bias"] == 1.0:
            generated = StrokeSet(lines, texts, "generated, bias 1")
    return out, generated


def format_writers(w: dict) -> str:
    from synthesis.legibility import format_legibility

    lines = [
        "part 6: generated handwriting read back by the part-5 recognizer "
        "(target CER <= 10% at bias 1.0)",
        format_legibility(w["legibility"]),
        "",
        f"seconds to write a 40-character line: {w['seconds_40_chars']:.2f} "
        "(target < 2 s on 2 CPU cores)",
        "",
        f"{'network':<14} {'params':>9} {'steps':>6} {'lines seen':>10} {'train min':>9} "
        f"{'val NLL/point':>13} {'val NLL/line':>12} {'val lines':>9}",
    ]
    for task, nll in w["nll"].items():
        t = w["training"][task]
        minutes = (t["seconds"] or float("nan")) / 60
        lines.append(
            f"{task:<14} {t['params']:>9,} {t['steps']:>6} {t['lines_seen']:>10,} "
            f"{minutes:>9.1f} {nll['per_point']:>13.3f} {nll['per_line']:>12.1f} "
            f"{nll['lines']:>9}"
        )
    lines.append(
        "NLL in nats, on offsets normalised by line height and the training offset "
        "scale, resampled to ~11 points a letter (not Graves's raw IAM-OnDB units)"
    )
    return "\n".join(lines)


def format_gap(gap: dict) -> str:
    """The real-line gap: zero-shot vs fine-tuned on the other half of the real lines."""
    lines = [
        f"real lines: adapt on the first {gap['n_adapt']}, test on the other {gap['n_test']} "
        "(writers may be shared)",
        f"{'recognizer':<30} {'CER':>7} {'WER':>7} {'seconds':>8}",
    ]
    for name in ("zero-shot", "fine-tuned (real)", "fine-tuned (real + synthetic)"):
        r, sec = gap[name], gap["seconds"].get(name)
        sec_text = f"{sec:>8.0f}" if sec is not None else f"{'-':>8}"
        lines.append(f"{name:<30} {r['cer']:>7.2%} {r['wer']:>7.2%} {sec_text}")
    for name, read in gap["fine-tuned (real)"].get("also_read", {}).items():
        real_cer = gap["fine-tuned (real)"]["cer"]
        lines.append(
            f"the reader fine-tuned on real lines reads {name} at CER {read['cer']:.2%}, "
            f"{read['cer'] / max(real_cer, 1e-9):.2f} x its CER on real lines (target <= 1.2 x)"
        )
    return "\n".join(lines)


def format_table(result: dict) -> str:
    from synthesis.ablation import format_table as ablation_table

    lines = []
    if "synthetic" in result:
        lines.append(f"{'set':<15} {'CER':>7} {'WER':>7} {'n':>6} {'lines/s':>8}  target")
        targets = {
            "synthetic": "CER <= 2% (held-out writers, human hand)",
            "synthetic_font": "reported (the fonts' hand)",
            "iamondb": "CER <= 25% (real lines, zero-shot)",
        }
        for key, target in targets.items():
            if key not in result:
                lines.append(f"{key:<15} (not found)")
                continue
            s = result[key]
            lines.append(
                f"{key:<15} {s['cer']:>7.2%} {s['wer']:>7.2%} {s['n']:>6} "
                f"{s['lines_per_second']:>8.1f}  {target}"
            )
        if "real_gap" in result:
            lines += ["", format_gap(result["real_gap"])]
        lines += [
            "",
            "ablation (same data, seed and epochs; held-out writers):",
            ablation_table(result["ablation"]),
            "",
        ]
    if "writers" in result:
        lines.append(format_writers(result["writers"]))
    return "\n".join(lines)


def main(as_json: bool = False, parts=("5", "6")) -> None:
    result = run(parts=parts)
    print(json.dumps(result) if as_json else format_table(result))
