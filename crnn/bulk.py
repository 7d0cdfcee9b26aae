"""Train a CRNN on a large synthetic set, on any Keras backend: the shipped names recipe.

``python -m crnn train`` feeds Keras from ``tf.data`` and redraws half of the images every
epoch, which is right for a laptop and the 24,000 names of the built-in set. A GPU reads
images far faster than two CPU cores can write them, so this module splits the work in two:

1. ``python -m crnn.bulk data --parts 16 --lines 16000 --out data.npz`` writes many fresh
   writers at once (one process per part, each its own seed, so no part repeats another and
   none meets the test writers of ``python -m crnn evaluate``), and augments half of the images
   once, with :func:`augment_np` (the NumPy twin of :func:`crnn.train.augment`);
2. ``python -m crnn.bulk fit --data data.npz --config full --seconds 400 --out w.weights.h5``
   trains for a wall-clock budget with Adam, the learning rate following a cosine over that
   budget, and saves the weights (with their ``.json``) every ``--save-every`` seconds;
   ``--steps N`` trains N steps instead, the cosine over those steps, so that a run comes out
   the same on any machine (the recipes of :mod:`crnn.recipes` give the steps each stage ran).

Nothing here needs TensorFlow: with ``KERAS_BACKEND=jax`` it runs where only JAX is installed
(PyTorch should do too, untested), and a ``.weights.h5`` file loads on every backend: the
shipped names weights were trained so (``crnn/weights/README.md``).
On a CPU pick TensorFlow: on 2 cores it trains the full CRNN at 76 images/s, JAX at 31
(stages D-K of the shipped weights ran so).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from crnn import data
from crnn.preprocess import HEIGHT, WIDTH, shift_rows

CONFIGS = ("small", "medium", "full")
FIRST_SEED = 100  # part k uses seed FIRST_SEED + k; the built-in set uses seed 0


# ----------------------------------------------------------------------------- data
def augment_np(image: np.ndarray, rng: np.random.Generator, min_rows: float = 14.0) -> np.ndarray:
    """One uint8 (64, 256) image -> a redrawn copy, as :func:`crnn.train.augment` redraws one:
    a thicker or thinner pen (dilate / erode by a pixel, a quarter of the time each), the
    writing shrunk by 0.35-1 (never below ``min_rows`` rows of ink) and placed anywhere,
    then lower contrast (0.5-1) and paper noise (sd 0.03)."""
    import cv2

    ink = 1.0 - image.astype(np.float32) / 255.0
    pen = rng.random()
    if pen < 0.25:
        ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    elif pen > 0.75:
        ink = cv2.erode(ink, np.ones((2, 2), np.uint8))
    rows = float(np.sum(ink.max(axis=1) > 0.5))
    smallest = float(np.clip(min_rows / max(rows, 1.0), 0.35, 1.0))
    scale = rng.uniform(smallest, 1.0)
    new_h, new_w = round(HEIGHT * scale), round(WIDTH * scale)
    small = cv2.resize(ink, (new_w, new_h), interpolation=cv2.INTER_AREA)
    dy = int(rng.random() * (HEIGHT - new_h))
    dx = int(rng.random() * (WIDTH - new_w))
    placed = np.zeros_like(ink)
    placed[dy : dy + new_h, dx : dx + new_w] = small
    contrast = rng.uniform(0.5, 1.0)
    noise = rng.normal(0.0, 0.03, placed.shape)
    out = np.clip(1.0 - contrast * placed + noise, 0.0, 1.0)
    return np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _part(job) -> tuple[np.ndarray, list[str]]:
    part, lines, augment_share, crop_share = job
    seed = FIRST_SEED + part
    names = data.synthetic_names(
        lines, split="train", seed=seed, progress=False, workers=1, crop_share=crop_share
    )
    rng = np.random.default_rng([seed, 5])
    images = names.images.copy()
    for i in range(len(images)):
        if rng.random() < augment_share:
            images[i] = augment_np(images[i], rng)
    return images, names.texts


def make_bulk_data(
    parts: int,
    lines: int,
    augment_share: float = 0.5,
    workers: int | None = None,
    first_part: int = 0,
    crop_share: float = data.CROP_SHARE,
):
    """``parts`` synthetic name sets of ``lines`` lines each (their train splits: 80%), written
    in parallel; returns uint8 images (N, 64, 256) and their texts. Part ``k`` has seed
    ``FIRST_SEED + k``: a second set with another ``first_part`` has other writers.
    ``crop_share`` of the names are cut out like the real Kaggle crops (default: as the test
    set)."""
    from multiprocessing import get_context

    jobs = [(k, lines, augment_share, crop_share) for k in range(first_part, first_part + parts)]
    workers = workers or min(parts, os.cpu_count() or 1)
    with get_context("fork").Pool(workers) as pool:
        results = pool.map(_part, jobs, chunksize=1)
    images = np.concatenate([r[0] for r in results])
    texts = [t for r in results for t in r[1]]
    return images, texts


def data_source(saved) -> str:
    """What a ``crnn.bulk data`` file holds, for the recipe: its seeds, its share of form
    crops and of augmented images (files written before a field was saved leave it out)."""
    if "seeds" not in saved:
        return "bulk synthetic names"
    seeds = saved["seeds"]
    crop_share = float(saved["crop_share"]) if "crop_share" in saved else data.CROP_SHARE
    span = (
        f"seeds {seeds.min()}-{seeds.max()}" if seeds.max() > seeds.min() else f"seed {seeds.min()}"
    )
    parts = [f"train splits of {span}", f"{crop_share:.0%} form crops"]
    if "augment_share" in saved:
        parts.append(f"{float(saved['augment_share']):.0%} augmented")
    return f"bulk synthetic names ({', '.join(parts)})"


# ----------------------------------------------------------------------------- training
def config_named(name: str, num_classes: int):
    from crnn.model import CRNNConfig

    if name == "small":
        return CRNNConfig.small(num_classes)
    if name == "full":
        return CRNNConfig.full(num_classes)
    if name == "medium":  # the full model's convolutions, half its LSTM width
        return replace(CRNNConfig.full(num_classes), lstm_units=128)
    raise ValueError(f"--config: expected one of {CONFIGS}, got {name!r}")


def training_config(config, conv_dropout: float | None):
    """``config`` with every conv block's dropout set to ``conv_dropout`` (None: unchanged).
    Dropout holds no weights, so weights trained either way load into the other."""
    if conv_dropout is None:
        return config
    if not 0.0 <= conv_dropout < 1.0:
        raise ValueError(f"--conv-dropout: expected a rate in [0, 1), got {conv_dropout}")
    return replace(config, conv_dropout=(conv_dropout,) * len(config.conv_filters))


def batches(
    x, labels, batch_size: int, seed: int, threads: int = 4, ahead: int = 8, shift: int = 0
):
    """Endless (float images (B, W, H, 1), labels) batches, a new permutation every pass; made
    ``ahead`` at a time by ``threads`` threads, handed out in a fixed order (same seed, same
    batches). ``x`` is uint8 (N, W, H). ``shift`` > 0 moves each image up or down by a random
    whole number of pixels in [-shift, shift] (:func:`crnn.preprocess.shift_rows`), drawn from
    the same seed."""
    n = len(x)
    per_pass = n // batch_size
    if per_pass < 1:
        raise ValueError(f"--batch-size {batch_size}: larger than the {n} training images")
    perms: dict[int, np.ndarray] = {}

    def make(k):
        p, j = divmod(k, per_pass)
        if p not in perms:
            perms[p] = np.random.default_rng([seed, p]).permutation(n)
        idx = np.sort(perms[p][j * batch_size : (j + 1) * batch_size])
        images = x[idx]
        if shift:
            dys = np.random.default_rng([seed, p, j, 7]).integers(-shift, shift + 1, len(idx))
            for dy in np.unique(dys[dys != 0]):
                images[dys == dy] = shift_rows(images[dys == dy], dy, axis=-1)
        return (images.astype(np.float32) / 255.0)[..., None], labels[idx]

    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(make, k) for k in range(ahead)]
        k = ahead
        while True:
            yield futures.pop(0).result()
            futures.append(pool.submit(make, k))
            k += 1


def fit_for(
    config,
    x,
    texts,
    charset,
    *,
    seconds: float,
    out: Path,
    learning_rate: float = 1e-3,
    batch_size: int = 128,
    init=None,
    save_every: float = 60.0,
    steps_per_epoch: int = 200,
    seed: int = 0,
    min_lr_frac: float = 0.05,
    until: float | None = None,
    source: str = "bulk synthetic names",
    conv_dropout: float | None = None,
    row_shift: int = 0,
    steps: int | None = None,
):
    """Train for ``seconds`` of wall clock after the first epoch (which compiles), or until
    the Unix time ``until`` if that comes first; the learning rate follows a cosine from
    ``learning_rate`` down to ``min_lr_frac`` of it over that time, set at every (short) epoch.
    With ``steps`` the run is ``steps`` batches in all (the first epoch's included) and the
    cosine runs over the steps after the first epoch: the same run on any machine, where a time
    budget stops after a number of steps that depends on the machine's speed.
    The weights and their ``.json`` go to ``out`` every ``save_every`` seconds and at the end,
    so an interrupted run loses at most that much: go on with ``init=out`` (Adam's moments
    start afresh). A NaN loss stops the run with a FloatingPointError and leaves ``out`` as it
    was last saved. ``conv_dropout`` replaces every conv block's dropout rate while training
    (0: none, for fine-tuning on more fresh names than the model can overfit); dropout holds no
    weights, so the saved file and its ``.json`` stay those of ``config``, and the recipe
    records the rate. ``row_shift`` > 0 moves each training image up or down by up to that
    many pixels (see :func:`batches`). Returns the history and the measured images per second."""
    import keras

    from crnn.model import build_crnn, time_steps
    from crnn.train import save_model_info
    from labcore.training import check_out_path
    from labcore.weights import load_weights_checked, strip_optimizer

    if steps is not None and steps < 1:
        raise ValueError(f"--steps: expected an integer >= 1, got {steps}")
    if not 0 <= row_shift < HEIGHT // 4:
        raise ValueError(f"--shift-rows: expected 0 to {HEIGHT // 4 - 1} pixels, got {row_shift}")
    keras.utils.set_random_seed(seed)
    train_set = data.keep_trainable(
        data.ImageSet(x, list(texts), source), charset, time_steps(config)
    )
    if len(train_set) < batch_size:
        raise ValueError(
            f"--batch-size {batch_size}: larger than the {len(train_set)} trainable images"
        )
    max_len = max(len(t) for t in train_set.texts)
    labels, _ = charset.pad_labels(train_set.texts, max_len)
    xw = np.ascontiguousarray(np.swapaxes(train_set.images, 1, 2))  # (N, W, H): width is time
    trained = training_config(config, conv_dropout)
    model = build_crnn(trained)
    if init is not None:
        load_weights_checked(model, init)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=5.0), loss=keras.losses.CTC()
    )
    out = check_out_path(out)
    recipe = dict(
        trainer="crnn.bulk",
        backend=keras.backend.backend(),
        batch_size=batch_size,
        learning_rate=learning_rate,
        n_train=len(train_set),
        train_source=source,
        init=None if init is None else Path(init).name,
    )
    if conv_dropout is not None:
        recipe["conv_dropout_in_training"] = trained.conv_dropout
    if row_shift:
        recipe["shift_rows_in_training"] = row_shift

    class Budget(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.start = None  # set after the first epoch: compilation is not training time
            self.last_save = time.perf_counter()
            self.steps = 0
            self.steps_at_start = 0
            self.seconds = seconds
            self.diverged = False

        def speed(self) -> float:
            """Images per second since the compiling first epoch ended (NaN before)."""
            if self.start is None or time.perf_counter() <= self.start:
                return float("nan")
            timed = self.steps - self.steps_at_start
            return timed * batch_size / (time.perf_counter() - self.start)

        def _save(self, note=""):
            model.save_weights(str(out))
            strip_optimizer(out)
            timed = 0.0 if self.start is None else time.perf_counter() - self.start
            save_model_info(
                out,
                config,
                charset,
                steps=self.steps,
                # the budget, or with --steps the seconds they took (both after the first epoch)
                seconds=round(self.seconds if steps is None else timed),
                images_per_second=round(self.speed(), 1),
                epochs_of_data=round(self.steps * batch_size / len(train_set), 2),
                **recipe,
            )
            self.last_save = time.perf_counter()
            print(f"saved {out} after {self.steps} steps {note}", flush=True)

        def on_epoch_begin(self, epoch, logs=None):
            if self.start is None:
                frac = 0.0
            elif steps is not None:
                frac = (self.steps - self.steps_at_start) / max(1, steps - self.steps_at_start)
            else:
                frac = (time.perf_counter() - self.start) / self.seconds
            frac = min(frac, 1.0)
            cos = 0.5 * (1 + math.cos(math.pi * frac))
            self.model.optimizer.learning_rate = learning_rate * (
                min_lr_frac + (1 - min_lr_frac) * cos
            )

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1
            if logs and not np.isfinite(float(logs.get("loss", 0.0))):
                self.diverged = True  # TerminateOnNaN stops the run; keep the last saved file
                return
            if steps is not None:
                if self.steps >= steps:
                    self.model.stop_training = True
            elif self.start is not None and time.perf_counter() - self.start > self.seconds:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            now = time.perf_counter()
            if self.start is None:
                self.start = now
                self.steps_at_start = self.steps
                if until is not None and steps is None:
                    self.seconds = max(1.0, min(seconds, until - time.time()))
                    print(f"training for {self.seconds:.0f} s more", flush=True)
            if now - self.last_save > save_every and not self.diverged:
                self._save()

        def on_train_end(self, logs=None):
            if not self.diverged:
                self._save("(end)")

    budget = Budget()
    hist = model.fit(
        batches(xw, labels, batch_size, seed, shift=row_shift),
        steps_per_epoch=steps_per_epoch,
        epochs=10**6,
        callbacks=[keras.callbacks.TerminateOnNaN(), budget],
        verbose=2,
    )
    if budget.diverged:
        raise FloatingPointError(
            f"training stopped: the loss became NaN after {budget.steps} steps; {out} keeps the "
            "weights last saved: lower --learning-rate and go on with --init"
        )
    return hist.history, budget.speed()


# ----------------------------------------------------------------------------- CLI
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crnn.bulk", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("data", help="write and augment a large synthetic names set")
    d.add_argument("--parts", type=int, default=16)
    d.add_argument("--lines", type=int, default=16000, help="lines per part (80%% train)")
    d.add_argument("--augment", type=float, default=0.5, help="share of images augmented")
    d.add_argument("--first-part", type=int, default=0, help="seed of the first part - 100")
    d.add_argument("--crop-share", type=float, default=data.CROP_SHARE, help="names cut like forms")
    d.add_argument("--out", required=True, help="an .npz file")
    f = sub.add_parser("fit", help="train for a wall-clock budget (or --steps)")
    f.add_argument("--data", required=True)
    f.add_argument("--config", choices=CONFIGS, default="small")
    f.add_argument("--init", default=None, help="weights to start from")
    f.add_argument("--seconds", type=float, default=300)
    f.add_argument(
        "--steps", type=int, default=None, help="train N steps in all instead of --seconds"
    )
    f.add_argument("--learning-rate", type=float, default=1e-3)
    f.add_argument("--batch-size", type=int, default=128)
    f.add_argument("--save-every", type=float, default=60)
    f.add_argument("--steps-per-epoch", type=int, default=200)
    f.add_argument("--until", type=float, default=None, help="stop by this Unix time")
    f.add_argument(
        "--conv-dropout", type=float, default=None, help="every conv block's dropout in training"
    )
    f.add_argument(
        "--shift-rows", type=int, default=0, help="move images up/down by up to N px in training"
    )
    f.add_argument("--out", required=True, help="a .weights.h5 file")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _run(args)
    except (FileNotFoundError, ValueError, FloatingPointError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _run(args) -> None:
    if args.command == "data":
        start = time.perf_counter()
        images, texts = make_bulk_data(
            args.parts,
            args.lines,
            args.augment,
            first_part=args.first_part,
            crop_share=args.crop_share,
        )
        seeds = np.arange(args.parts) + FIRST_SEED + args.first_part
        np.savez(
            args.out,
            images=images,
            texts=np.array(texts, dtype=str),
            seeds=seeds,
            crop_share=args.crop_share,
            augment_share=args.augment,
        )
        print(f"{len(texts)} images in {time.perf_counter() - start:.0f} s -> {args.out}")
        return
    if not Path(args.data).is_file():
        raise FileNotFoundError(
            f"{args.data}: no such file; write one with `python -m crnn.bulk data`"
        )
    with np.load(args.data) as z:
        images, texts = z["images"], [str(t) for t in z["texts"]]
        source = data_source(z)
    charset = data.charset_for("synthetic")
    config = config_named(args.config, charset.num_classes)
    _, speed = fit_for(
        config,
        images,
        texts,
        charset,
        seconds=args.seconds,
        out=Path(args.out),
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        init=args.init,
        save_every=args.save_every,
        steps_per_epoch=args.steps_per_epoch,
        until=args.until,
        source=source,
        conv_dropout=args.conv_dropout,
        row_shift=args.shift_rows,
        steps=args.steps,
    )
    print(f"{args.out}: {speed:.0f} images/s")


if __name__ == "__main__":
    sys.exit(main())
