"""Training, evaluating and predicting with a CRNN, and the shipped weights.

The shipped weights live in ``crnn/weights/<dataset>.weights.h5`` beside a ``<dataset>.json``
that records the model config, the charset and how they were trained, so
:func:`load_model` rebuilds exactly the model they belong to.

Training runs through the harness part 5 shares (:mod:`labcore.training`): interrupted with the
same ``--out``, a run resumes at the next epoch; the best epoch by validation loss is kept in
``--out``; a diverging run stops before anything non-finite is saved; a finished run's ``--out``
is never trained over; ``distribute="mirrored"`` trains under ``tf.distribute.MirroredStrategy``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import keras
import numpy as np

from crnn.data import ImageSet, keep_trainable
from crnn.model import CRNNConfig, build_crnn, time_steps
from crnn.preprocess import shift_rows, to_model_input
from labcore.charset import Charset
from labcore.ctc import ctc_beam_decode, ctc_greedy_decode
from labcore.metrics import char_error_rate, word_accuracy, word_error_rate
from labcore.training import check_can_train, check_same_config, fit_with_checkpoints
from labcore.weights import load_weights_checked, sidecar_path, write_sidecar

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


def shipped_weights(dataset: str) -> Path:
    """Path of the shipped ``.weights.h5`` for a built-in data set ("synthetic" or "digits")."""
    return WEIGHTS_DIR / f"{dataset}.weights.h5"


# ----------------------------------------------------------------------------- model + sidecar
def save_model_info(weights: Path, config: CRNNConfig, charset: Charset, **recipe) -> Path:
    """Write ``<name>.json`` beside ``<name>.weights.h5``: config, charset and the recipe."""
    info = {"config": asdict(config), "charset": charset.chars, "recipe": recipe}
    return write_sidecar(weights, info)


def read_model_info(weights) -> dict:
    """The sidecar of ``weights``; a one-line error when it is missing or unreadable."""
    if not Path(weights).is_file():
        raise FileNotFoundError(f"weights file not found: {weights}")
    path = sidecar_path(weights)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: missing; every weights file needs its .json (config and charset) beside it"
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        cfg = info["config"]
        cfg = {
            k: tuple(tuple(p) if isinstance(p, list) else p for p in v)
            if isinstance(v, list)
            else v
            for k, v in cfg.items()
        }
        info["config"] = CRNNConfig(**cfg)
        info["charset"] = Charset(info["charset"])
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: not a CRNN model description ({err})") from None
    return info


def load_model(weights) -> tuple[keras.Model, Charset, dict]:
    """Rebuild the model of ``weights`` from its sidecar and load the weights (checked)."""
    info = read_model_info(weights)
    model = build_crnn(info["config"])
    load_weights_checked(model, weights)
    return model, info["charset"], info


# ----------------------------------------------------------------------------- data pipeline
def to_arrays(data: ImageSet, charset: Charset, max_len: int):
    """ImageSet -> (x uint8 (N, 256, 64, 1) width-first, labels int32 (N, max_len) 0-padded)."""
    x = np.ascontiguousarray(np.swapaxes(data.images, 1, 2)[..., None])  # (N, W, H, 1)
    labels, _ = charset.pad_labels(data.texts, max_len)
    return x, labels


AUGMENT_MIN_ROWS = 14.0  # rows of ink a shrunken image keeps at least


def augment(image, seed):
    """One width-first image (W, H, 1) float in [0, 1] -> a randomly redrawn copy.

    Real scans differ from clean renders in three ways this imitates: the writing fills only
    part of the box (shrink by 0.35-1 and place it anywhere, but never below
    ``AUGMENT_MIN_ROWS`` rows of ink: a name already small, as in a form crop, would become
    unreadable and teach noise), the pen is thinner or thicker (erode or dilate the ink by one
    pixel), and the paper is not white (contrast and noise). ``seed`` is a stateless-random seed
    pair, so the same seed gives the same copy.
    """
    import tensorflow as tf

    seeds = tf.random.experimental.stateless_split(seed, 6)
    width, height = image.shape[0], image.shape[1]
    ink = 1.0 - image
    pen = tf.random.stateless_uniform((), seeds[0])
    pooled = tf.nn.max_pool2d(ink[None], 3, 1, "SAME")[0]  # dilate: thicker pen
    eroded = -tf.nn.max_pool2d(-ink[None], 2, 1, "SAME")[0]  # erode: thinner pen
    ink = tf.where(pen < 0.25, pooled, tf.where(pen > 0.75, eroded, ink))
    rows = tf.reduce_sum(tf.cast(tf.reduce_max(ink, axis=[0, 2]) > 0.5, tf.float32))
    smallest = tf.clip_by_value(AUGMENT_MIN_ROWS / tf.maximum(rows, 1.0), 0.35, 1.0)
    scale = tf.random.stateless_uniform((), seeds[1], smallest, 1.0)
    new_w = tf.cast(tf.round(width * scale), tf.int32)
    new_h = tf.cast(tf.round(height * scale), tf.int32)
    small = tf.image.resize(ink, (new_w, new_h), antialias=True)
    dx = tf.cast(
        tf.random.stateless_uniform((), seeds[2]) * tf.cast(width - new_w, tf.float32), tf.int32
    )
    dy = tf.cast(
        tf.random.stateless_uniform((), seeds[3]) * tf.cast(height - new_h, tf.float32), tf.int32
    )
    ink = tf.image.pad_to_bounding_box(small, dx, dy, width, height)
    contrast = tf.random.stateless_uniform((), seeds[4], 0.5, 1.0)
    noise = tf.random.stateless_normal(tf.shape(ink), seeds[5], stddev=0.03)
    return tf.clip_by_value(1.0 - contrast * ink + noise, 0.0, 1.0)


def make_tf_dataset(
    x, labels, batch_size: int, shuffle: bool, seed: int = 0, augment_share: float = 0.0
):
    """uint8 images are scaled to [0, 1] float32 on the fly, so memory holds only bytes.
    ``augment_share`` of the training images are redrawn by :func:`augment` each epoch."""
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((x, labels))
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)

    def to_float(a, b):
        return tf.cast(a, tf.float32) / 255.0, b

    if augment_share > 0:
        counter = tf.data.Dataset.counter().map(
            lambda i: tf.stack([i, tf.constant(seed, tf.int64)])
        )

        def maybe_augment(pair, s):
            a, b = to_float(*pair)
            pick = tf.random.stateless_uniform((), tf.cast(s, tf.int32)) < augment_share
            aug = augment(a, tf.random.experimental.stateless_fold_in(tf.cast(s, tf.int32), 1))
            return tf.where(pick, aug, a), b

        ds = tf.data.Dataset.zip((ds, counter)).map(
            maybe_augment, num_parallel_calls=tf.data.AUTOTUNE
        )
        ds = ds.batch(batch_size)
    else:
        ds = ds.batch(batch_size).map(to_float, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


@dataclass
class TrainResult:
    model: keras.Model
    history: dict
    seconds: float
    images_per_second: float
    n_train: int


def train(
    config: CRNNConfig,
    train_set: ImageSet,
    val_set: ImageSet | None,
    charset: Charset,
    *,
    epochs: int,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    out: Path | str | None = None,
    init: Path | str | None = None,
    distribute: str | None = None,
    seed: int = 0,
    verbose: int | str = "auto",
    callbacks: list | tuple = (),
    augment_share: float = 0.0,
) -> TrainResult:
    """Fit a CRNN with CTC. With ``out``, the best weights (by validation loss, or the last epoch
    without validation data) go to ``out`` and a resumable backup to ``<out>.backup/``."""
    keras.utils.set_random_seed(seed)
    config = config.with_classes(charset.num_classes)
    steps = time_steps(config)
    train_set = keep_trainable(train_set, charset, steps)
    if len(train_set) == 0:
        raise ValueError(f"{train_set.source}: no trainable items left")
    max_len = max(len(t) for t in train_set.texts)
    if val_set is not None:
        val_set = keep_trainable(val_set, charset, steps)
        max_len = max([max_len, *(len(t) for t in val_set.texts)])
    x, y = to_arrays(train_set, charset, max_len)
    train_ds = make_tf_dataset(
        x, y, batch_size, shuffle=True, seed=seed, augment_share=augment_share
    )
    val_ds = None
    if val_set is not None and len(val_set):
        val_ds = make_tf_dataset(*to_arrays(val_set, charset, max_len), batch_size, False)

    out = check_can_train(out)
    check_same_config(out, asdict(config))
    if out is not None:
        save_model_info(
            out,
            config,
            charset,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            augment_share=augment_share,
            n_train=len(train_set),
            train_source=train_set.source,
        )
    model, history, seconds = fit_with_checkpoints(
        lambda: build_crnn(config),
        train_ds,
        val_ds,
        steps_per_epoch=int(np.ceil(len(x) / batch_size)),
        epochs=epochs,
        learning_rate=learning_rate,
        loss=keras.losses.CTC(),
        out=out,
        init=init,
        distribute=distribute,
        verbose=verbose,
        callbacks=callbacks,
    )
    done_epochs = max(1, len(history.get("loss", [])))
    return TrainResult(model, history, seconds, done_epochs * len(x) / seconds, len(x))


# ----------------------------------------------------------------------------- inference
# Test-time augmentation (``--tta``), chosen on the validation writers, not the test ones:
# read each image as it is and one pixel higher and lower, and average the three per-step
# probabilities (the time axis is untouched, so the three readings stay aligned step by step);
# do that twice, the second time with the image moved right by half of the 4 pixels between
# two time steps. Those two readings are not aligned step by step, so they are not averaged:
# where their texts differ, the text with the higher CTC likelihood under both is kept.
TTA_SHIFTS = (0, -1, 1)  # pixels down
TTA_PHASES = (0, 2)  # pixels right


def predict_logits(
    model: keras.Model, images: np.ndarray, batch_size: int = 64, shifts=(0,)
) -> np.ndarray:
    """uint8 (N, 64, 256) images -> logits (N, T, num_classes).

    With several ``shifts`` (pixels, down for > 0; e.g. :data:`TTA_SHIFTS`) each image is read
    once per shift (:func:`crnn.preprocess.shift_rows`) and the result is the log of the mean
    softmax probability at each time step: log-probabilities, which the CTC decoders take as
    logits. ``shifts=(0,)`` is the plain reading, unchanged."""
    images = np.asarray(images)
    shifts = tuple(int(s) for s in shifts)
    if not shifts:
        raise ValueError("predict_logits: expected at least one shift, got none")
    if shifts == (0,):
        x = to_model_input(images.astype(np.float32) / 255.0)
        return np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    mean = 0.0
    for dy in shifts:
        logits = predict_logits(model, shift_rows(images, dy, axis=-2), batch_size)
        mean = mean + keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1))
    return np.log(np.maximum(mean / len(shifts), 1e-12)).astype(np.float32)


def decode(logits: np.ndarray, charset: Charset, beam: int = 0) -> list[str]:
    """Greedy (``beam=0``) or beam-search decoding of logits."""
    if beam and beam > 1:
        return ctc_beam_decode(logits, charset, beam_width=beam)
    return ctc_greedy_decode(logits, charset)


def ctc_log_likelihood(logits: np.ndarray, texts: Sequence[str], charset: Charset) -> np.ndarray:
    """log p(text | logits) under CTC, summed over every alignment: one value per row of
    ``logits`` (N, T, num_classes) and its text (``keras.ops.ctc_loss`` is its negative)."""
    labels, lengths = charset.pad_labels(texts, max([1, *(len(t) for t in texts)]))
    steps = np.full(len(texts), logits.shape[1], np.int32)
    loss = keras.ops.ctc_loss(labels, logits.astype(np.float32), lengths, steps, mask_index=0)
    return -keras.ops.convert_to_numpy(loss).astype(np.float64)


def most_likely(readings: Sequence[np.ndarray], charset: Charset, beam: int = 0) -> list[str]:
    """Decode each of several readings (logits of the same images, not aligned step by step);
    where their texts differ, keep the one with the highest summed CTC log-likelihood over all
    the readings (ties: the first in alphabetical order). Empty texts are no candidates."""
    texts_by_reading = [decode(r, charset, beam) for r in readings]
    out = list(texts_by_reading[0])
    pairs = []  # (image, candidate text) where the readings disagree
    for i in range(len(out)):
        candidates = sorted({texts[i] for texts in texts_by_reading if texts[i]})
        if len(candidates) > 1:
            pairs += [(i, t) for t in candidates]
    if not pairs:
        return out
    rows = np.array([i for i, _ in pairs])
    texts = [t for _, t in pairs]
    score = sum(ctc_log_likelihood(r[rows], texts, charset) for r in readings)
    best: dict[int, tuple[float, str]] = {}
    for (i, t), s in zip(pairs, score, strict=True):
        if i not in best or s > best[i][0]:
            best[i] = (s, t)
    for i, (_, t) in best.items():
        out[i] = t
    return out


def read_texts(
    model: keras.Model,
    images: np.ndarray,
    charset: Charset,
    beam: int = 0,
    tta: bool = False,
    batch_size: int = 64,
) -> list[str]:
    """uint8 (N, 64, 256) images -> texts. With ``tta`` each image is read six times (see
    :data:`TTA_PHASES`): at each of the two phases the three heights of :data:`TTA_SHIFTS` are
    averaged step by step (:func:`predict_logits`), and :func:`most_likely` settles where the
    two phases read different texts."""
    if not tta:
        return decode(predict_logits(model, images, batch_size), charset, beam)
    readings = [
        predict_logits(model, shift_rows(images, dx, axis=-1), batch_size, shifts=TTA_SHIFTS)
        for dx in TTA_PHASES
    ]
    return most_likely(readings, charset, beam)


def evaluate(
    model: keras.Model, charset: Charset, data: ImageSet, beam: int = 0, tta: bool = False
) -> dict:
    """CER, WER, word accuracy and n on ``data`` (items outside the charset are skipped);
    ``tta``: see :func:`read_texts`."""
    data = keep_trainable(data, charset, model.output.shape[1])
    if len(data) == 0:
        raise ValueError(f"{data.source}: nothing to evaluate")
    start = time.perf_counter()
    hyps = read_texts(model, data.images, charset, beam, tta)
    seconds = time.perf_counter() - start
    return {
        "cer": char_error_rate(data.texts, hyps),
        "wer": word_error_rate(data.texts, hyps),
        "word_accuracy": word_accuracy(data.texts, hyps),
        "n": len(data),
        "images_per_second": len(data) / seconds,
        "predictions": hyps,
        "references": list(data.texts),
    }
