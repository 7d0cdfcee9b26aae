"""``python -m crnn bench``: the part-4 targets, measured here with the shipped weights.

- synthetic test writers (never seen in training): CER, WER, word accuracy (target CER <= 1%,
  word accuracy >= 97%), and apart the made-up names among them (names on no list, so the
  network cannot know them as words) and the form crops (cut out like the real scans); and
  the same test read with ``--tta`` (each image read six times, see crnn.train.read_texts);
- strings of held-out scikit-learn digits (target CER <= 3%);
- the pixel-sequence LSTM on scikit-learn's digits (target accuracy >= 97%);
- the real Kaggle names sample, zero-shot from synthetic training, when it is found
  (target CER <= 25%);
- training throughput on this machine (images/s, 2 epochs of the CPU-sized CRNN and of the
  shipped architecture) and inference images/s.

Fast mode (``LAB_FAST=1``) shrinks every set so that the bench runs as a smoke test.
"""

from __future__ import annotations

import json
import time

import numpy as np

from ink.config import fast_mode

TARGETS = {
    "synthetic": {"cer": 0.01, "word_accuracy": 0.97},
    "digits": {"cer": 0.03},
    "pixel_lstm": {"accuracy": 0.97},
    "kaggle_sample": {"cer": 0.25},
}

# rows inside "synthetic"
LABELS = {
    "synthetic_made_up": "  made-up names",
    "synthetic_crops": "  form crops",
    "synthetic_tta": "synthetic --tta",
    "kaggle_sample_tta": "kaggle --tta",
}


def _scores(model_info, data, tta: bool = False) -> dict:
    from crnn.train import evaluate

    model, charset, _ = model_info
    s = evaluate(model, charset, data, tta=tta)
    return {k: s[k] for k in ("cer", "wer", "word_accuracy", "n", "images_per_second")}


def run(fast: bool | None = None) -> dict:
    from crnn import data, digits
    from crnn.data import N_DIGITS_TEST, N_SYNTHETIC
    from crnn.model import build_crnn
    from crnn.train import load_model, shipped_weights, train
    from ink.dataset import find_kaggle_names
    from ink.text import is_listed_name

    fast = fast_mode() if fast is None else fast
    result: dict = {"targets": TARGETS}

    syn_model = load_model(shipped_weights("synthetic"))
    test = data.synthetic_names(
        N_SYNTHETIC, split="test", limit=64 if fast else None, progress=False
    )
    result["synthetic"] = _scores(syn_model, test)
    # The made-up names among them (half the set, no list has them): the letters read without
    # the help of knowing the name.
    made_up = [i for i, t in enumerate(test.texts) if not is_listed_name(t)]
    if made_up:
        result["synthetic_made_up"] = _scores(syn_model, test.take(made_up))
    # The half cut out like the real crops (small names, labels and the edges of other lines).
    if test.cropped.any():
        result["synthetic_crops"] = _scores(syn_model, test.take(np.flatnonzero(test.cropped)))
    # Test-time augmentation: the same test, each image read six times (see --tta).
    result["synthetic_tta"] = _scores(syn_model, test, tta=True)

    dig_model = load_model(shipped_weights("digits"))
    result["digits"] = _scores(
        dig_model, data.digit_strings(64 if fast else N_DIGITS_TEST, "test", seed=2)
    )

    split = digits.load_digit_split()
    lstm = digits.build_pixel_lstm()
    result["pixel_lstm"] = {"accuracy": digits.train_and_score(lstm, split)}

    found = find_kaggle_names()
    if found is not None:
        names = data.kaggle_names(*found, limit=64 if fast else 2000, verbose=False)
        result["kaggle_sample"] = _scores(syn_model, names)
        result["kaggle_sample_tta"] = _scores(syn_model, names, tta=True)

    # Training throughput on these cores: the CPU-sized CRNN (CRNNConfig.small, the one a
    # learner trains here) and the shipped architecture (CRNNConfig.full, trained on a GPU).
    from crnn.model import CRNNConfig, trainable_count

    shipped = syn_model[2]["config"]
    configs = {"training": CRNNConfig.small(shipped.num_classes)}
    if shipped != configs["training"] and not fast:  # a minute more: not in the smoke test
        configs["training_shipped"] = shipped
    for key, config in configs.items():
        n = 128 if fast else (1024 if key == "training" else 256)
        train_set = data.synthetic_names(N_SYNTHETIC, split="train", limit=n, progress=False)
        start = time.perf_counter()
        fit = train(config, train_set, None, syn_model[1], epochs=2, batch_size=32, verbose=0)
        result[key] = {
            "images_per_second": fit.images_per_second,
            "parameters": trainable_count(build_crnn(config)),
            "seconds": time.perf_counter() - start,
            "n": n,
        }
    return result


def format_table(result: dict) -> str:
    rows = [f"{'set':<16} {'CER':>7} {'WER':>7} {'word acc':>9} {'n':>6} {'img/s':>7}  target"]
    rows.append("-" * len(rows[0]))
    keys = ("synthetic", "synthetic_made_up", "synthetic_crops", "synthetic_tta", "digits")
    for key in keys + ("kaggle_sample", "kaggle_sample_tta"):
        if key not in result:
            if key == "kaggle_sample":
                rows.append(f"{key:<16} (not found)")
            continue
        s, t = result[key], result["targets"].get(key.removesuffix("_tta"), {})
        target = ", ".join(f"{k} {'<=' if k == 'cer' else '>='} {v:.0%}" for k, v in t.items())
        rows.append(
            f"{LABELS.get(key, key):<16} {s['cer']:>7.2%} {s['wer']:>7.2%} {s['word_accuracy']:>9.2%} "
            f"{s['n']:>6} {s['images_per_second']:>7.0f}  {target or '(part of synthetic)'}"
        )
    rows.append(
        f"{'pixel_lstm':<16} accuracy {result['pixel_lstm']['accuracy']:.2%} "
        "(scikit-learn digits, held-out 25%)  target >= 97%"
    )
    for key, what in (("training", "CPU-sized CRNN"), ("training_shipped", "shipped CRNN")):
        if key in result:
            tr = result[key]
            rows.append(
                f"training ({what}): {tr['images_per_second']:.0f} images/s "
                f"({tr['parameters']:,} parameters, batch 32, {tr['n']} images x 2 epochs)"
            )
    return "\n".join(rows)


def main(as_json: bool = False) -> None:
    result = run()
    print(json.dumps(result) if as_json else format_table(result))
