"""Data, training, recognition and scoring for the stroke recognizer (part 5).

Lines come from the synthetic writer by default (sentences split by writer, like part 4's names)
or from a real ``strokes-py3.npy`` + ``sentences.txt``. Batches are built by a
``keras.utils.PyDataset`` that groups lines of similar length, so little of each batch is padding.
Training keeps Keras's own safety net: ``BackupAndRestore`` (resume after an interruption),
``ModelCheckpoint`` (best weights by validation loss) and ``TerminateOnNaN``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import keras
import numpy as np

from labcore.charset import Charset
from labcore.ctc import ctc_beam_decode, ctc_greedy_decode, min_time_steps
from labcore.metrics import char_error_rate, word_error_rate
from labcore.weights import sidecar_path
from synthesis.features import DEFAULT_STEP, Augment, augment_features, line_features, pad_batch
from synthesis.recognizer import RecognizerConfig, build_recognizer, ctc_loss_for, frames

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
N_SENTENCES = 12000  # the synthetic sentence set: 80/10/10 split by writer


def recognizer_charset() -> Charset:
    """Every character the synthetic writer knows: space, letters, digits, punctuation."""
    from ink.text import CHARSET

    return Charset(CHARSET)


@dataclass
class StrokeSet:
    lines: list[np.ndarray]
    texts: list[str]
    source: str
    dropped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def take(self, index) -> StrokeSet:
        index = list(index)
        return StrokeSet(
            [self.lines[i] for i in index],
            [self.texts[i] for i in index],
            self.source,
            dict(self.dropped),
        )


def synthetic_sentences(
    split: str = "train",
    limit: int | None = None,
    n_lines: int = N_SENTENCES,
    seed: int = 0,
    progress: bool = True,
    kind: str = "sentences",
    hand: str = "human",
) -> StrokeSet:
    """Lines of one split (by writer) of the synthetic sentence set (``kind="phrases"``: the
    short-line set of the ablation), in ``hand`` ("human" or "font", :mod:`ink.synthetic`)."""
    from ink.dataset import split_lines

    lines, texts, _ = split_lines(
        n_lines, split, kind=kind, seed=seed, limit=limit, progress=progress, hand=hand
    )
    seeds = f", {n_lines} lines of seed {seed}" if (seed, n_lines) != (0, N_SENTENCES) else ""
    return StrokeSet(lines, texts, f"synthetic {kind}, {hand} hand{seeds} ({split})")


def real_strokes(strokes_path, sentences_path=None, limit: int | None = None) -> StrokeSet:
    """A real ``strokes-py3.npy`` (+ ``sentences.txt``); texts are empty without sentences."""
    from ink.loaders import load_strokes

    lines, texts = load_strokes(strokes_path, sentences_path)
    texts = texts if texts is not None else [""] * len(lines)
    out = StrokeSet(list(lines), list(texts), Path(strokes_path).name)
    return out.take(range(min(limit, len(out)))) if limit is not None else out


# ----------------------------------------------------------------------------- features + labels
def prepare(
    data: StrokeSet,
    charset: Charset,
    downsample: int,
    step: float | None = DEFAULT_STEP,
    for_training: bool = True,
    verbose: bool = True,
    deskew: bool = False,
):
    """Lines -> feature arrays (turned level first with ``deskew``); for training, drop (and
    count) lines whose text has characters outside ``charset`` or needs more CTC frames than
    the line has. Returns (features, texts)."""
    feats = [
        line_features(line, step, name=f"{data.source}: line {i}", deskew=deskew)
        for i, line in enumerate(data.lines)
    ]
    if not for_training:
        return feats, list(data.texts)
    outside, too_long, keep = 0, 0, []
    for i, (f, t) in enumerate(zip(feats, data.texts, strict=True)):
        if not t or charset.unknown(t):
            outside += 1
        elif min_time_steps(t) > int(frames(len(f), downsample)):
            too_long += 1
        else:
            keep.append(i)
    if (outside or too_long) and verbose:
        print(
            f"{data.source}: skipped {outside + too_long} of {len(data)} lines: {outside} with "
            f"characters outside the charset or empty, {too_long} too short for their text",
            file=sys.stderr,
        )
    return [feats[i] for i in keep], [data.texts[i] for i in keep]


class StrokeBatches(keras.utils.PyDataset):
    """Batches of ``({"features", "lengths"}, labels)``, lines of similar length together; with
    ``augment``, every line gets a fresh random :class:`~synthesis.features.Augment` draw each
    time it is served (its own random stream, so the batch order is the same as without)."""

    def __init__(
        self,
        features,
        texts,
        charset: Charset,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int = 0,
        augment: Augment | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.augment, self.augment_rng = augment, np.random.default_rng([seed, 1])
        self.features, self.charset = features, charset
        self.labels = [charset.encode(t) for t in texts]
        self.batch_size, self.shuffle = batch_size, shuffle
        self.rng = np.random.default_rng(seed)
        order = np.argsort([len(f) for f in features], kind="stable")  # by length
        self.batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        self.max_label = max((len(lab) for lab in self.labels), default=1)
        self.on_epoch_end()

    def __len__(self) -> int:
        return len(self.batches)

    def on_epoch_end(self):
        if self.shuffle:
            self.rng.shuffle(self.batches)

    def __getitem__(self, k):
        idx = self.batches[k]
        feats = [self.features[i] for i in idx]
        if self.augment is not None:
            feats = [augment_features(f, self.augment_rng, self.augment) for f in feats]
        x, lengths = pad_batch(feats)
        y = np.zeros((len(idx), self.max_label), np.int32)
        for row, i in enumerate(idx):
            y[row, : len(self.labels[i])] = self.labels[i]
        return {"features": x, "lengths": lengths}, y


# ----------------------------------------------------------------------------- weights
def shipped_recognizer() -> Path:
    return WEIGHTS_DIR / "recognizer.weights.h5"


def load_recognizer(weights=None):
    """(model, charset, info) for ``weights`` (default: the shipped recognizer)."""
    from labcore.weights import load_weights_checked

    weights = Path(weights) if weights is not None else shipped_recognizer()
    if not weights.is_file():
        raise FileNotFoundError(f"weights file not found: {weights}")
    path = sidecar_path(weights)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; a weights file needs its .json beside it")
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        info["config"] = RecognizerConfig(**info["config"])
        info["charset"] = Charset(info["charset"])
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: not a recognizer description ({err})") from None
    model = build_recognizer(info["config"])
    load_weights_checked(model, weights)
    return model, info["charset"], info


@dataclass
class FitResult:
    model: keras.Model
    history: dict
    seconds: float
    lines_per_second: float
    n_train: int
    seconds_per_epoch: float


def train_recognizer(
    config: RecognizerConfig,
    train_set: StrokeSet,
    val_set: StrokeSet | None,
    charset: Charset,
    *,
    epochs: int,
    batch_size: int = 32,
    learning_rate: float = 2e-3,
    out=None,
    init=None,
    distribute=None,
    seed: int = 0,
    augment: Augment | None = None,
    verbose="auto",
    callbacks=(),
) -> FitResult:
    """Fit with CTC (or focal CTC); with ``out`` it checkpoints and resumes like part 4's CRNN
    (:func:`labcore.training.fit_with_checkpoints`). ``augment`` varies the training lines
    (never the validation lines)."""
    from labcore.training import check_can_train, check_same_config, fit_with_checkpoints
    from labcore.weights import write_sidecar

    keras.utils.set_random_seed(seed)
    config = config.with_classes(charset.num_classes)
    feats, texts = prepare(train_set, charset, config.downsample, deskew=config.deskew)
    if not feats:
        raise ValueError(f"{train_set.source}: no trainable lines left")
    train_batches = StrokeBatches(feats, texts, charset, batch_size, seed=seed, augment=augment)
    val_batches = None
    if val_set is not None and len(val_set):
        vf, vt = prepare(val_set, charset, config.downsample, deskew=config.deskew)
        val_batches = StrokeBatches(vf, vt, charset, batch_size, shuffle=False)

    out = check_can_train(out)
    check_same_config(out, asdict(config))
    if out is not None:
        info = {
            "config": asdict(config),
            "charset": charset.chars,
            "recipe": {
                "epochs": epochs,
                "batch_size": batch_size,
                "learning_rate": learning_rate,
                "n_train": len(feats),
                "train_source": train_set.source,
                "feature_step": DEFAULT_STEP,
                "augment": asdict(augment) if augment is not None else None,
            },
        }
        write_sidecar(out, info)
    model, history, seconds = fit_with_checkpoints(
        lambda: build_recognizer(config),
        train_batches,
        val_batches,
        steps_per_epoch=len(train_batches),
        epochs=epochs,
        learning_rate=learning_rate,
        loss=ctc_loss_for(config),
        out=out,
        init=init,
        distribute=distribute,
        verbose=verbose,
        callbacks=callbacks,
    )
    losses = history.get("loss", [])
    done = max(1, len(losses))
    return FitResult(
        model, history, seconds, done * len(feats) / seconds, len(feats), seconds / done
    )


# ----------------------------------------------------------------------------- inference
def predict_logits(model: keras.Model, features: list[np.ndarray], batch_size: int = 32):
    """Logits for each line, cut to its own frames: a list of (frames_i, C) arrays.

    ``predict_on_batch`` runs the compiled predict function (traced once, then relaxed to any
    batch shape): the same logits as calling the model eagerly, several times faster."""
    downsample = model.get_layer("frame_mask").downsample
    order = np.argsort([len(f) for f in features])
    out: list = [None] * len(features)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        x, lengths = pad_batch([features[i] for i in idx])
        logits = np.asarray(model.predict_on_batch({"features": x, "lengths": lengths}))
        for row, i in enumerate(idx):
            out[i] = logits[row, : int(frames(lengths[row], downsample))]
    return out


def decode_lines(logits: list[np.ndarray], charset: Charset, beam: int = 0) -> list[str]:
    texts = []
    for lg in logits:
        lg = lg[None]
        texts += ctc_beam_decode(lg, charset, beam) if beam > 1 else ctc_greedy_decode(lg, charset)
    return texts


def reading_config(model) -> RecognizerConfig:
    """The config ``model`` was built from (how its features are made)."""
    return getattr(model, "recognizer_config", RecognizerConfig())


def recognize(model, charset: Charset, data: StrokeSet, beam: int = 0, downsample=None):
    config = reading_config(model)
    downsample = config.downsample if downsample is None else downsample
    feats, _ = prepare(data, charset, downsample, for_training=False, deskew=config.deskew)
    return decode_lines(predict_logits(model, feats), charset, beam)


def evaluate_lines(model, charset: Charset, data: StrokeSet, beam: int = 0) -> dict:
    """CER, WER, n and predictions; references with characters outside the charset still count
    (the model cannot write them: an honest error)."""
    start = time.perf_counter()
    hyps = recognize(model, charset, data, beam)
    seconds = time.perf_counter() - start
    return {
        "cer": char_error_rate(data.texts, hyps),
        "wer": word_error_rate(data.texts, hyps),
        "n": len(data),
        "predictions": hyps,
        "lines_per_second": len(data) / seconds,
    }


# ----------------------------------------------------------------------------- the real-line gap
def real_line_gap(
    real: StrokeSet,
    epochs: int = 10,
    batch_size: int = 8,
    learning_rate: float = 5e-4,
    mix_synthetic: int | None = None,
    seed: int = 0,
    also_read: dict[str, StrokeSet] | None = None,
) -> dict:
    """What closes the gap between synthetic training and real lines, measured.

    The real lines are cut in two halves (first half: adapt, second half: test). On the test
    half: the shipped recognizer zero-shot, then fine-tuned on the adapt half alone, then
    fine-tuned on the adapt half mixed with ``mix_synthetic`` synthetic lines (default: as many
    as real ones, so it keeps what it knew); both see each real line ``epochs`` times. Lines
    of one file may share writers, so this measures adapting to real pens and real writers,
    an optimistic bound for writers never seen. Returns
    ``{"zero-shot" | "fine-tuned (real)" | "fine-tuned (real + synthetic)": {"cer", "wer"},
    "n_adapt": int, "n_test": int, "seconds": {...}}``.

    ``also_read`` (name -> lines): every recognizer also reads these, e.g. generated lines; the
    one fine-tuned on real lines alone is the nearest this gets to a reader of real handwriting
    only, so its CER on generated lines against its CER on real lines says how legible they
    are to such a reader. Each row then holds ``"also_read": {name: {"cer", "wer"}}``."""
    model, charset, info = load_recognizer()
    half = len(real) // 2
    if half < 2:
        raise ValueError(f"{real.source}: {len(real)} lines; need at least 4 to adapt and test")
    adapt, test = real.take(range(half)), real.take(range(half, len(real)))
    keys = ("cer", "wer")
    out: dict = {"n_adapt": half, "n_test": len(test), "seconds": {}}
    also_read = also_read or {}

    def scores(m) -> dict:
        row = {k: evaluate_lines(m, charset, test)[k] for k in keys}
        if also_read:
            row["also_read"] = {
                name: {k: evaluate_lines(m, charset, lines)[k] for k in keys}
                for name, lines in also_read.items()
            }
        return row

    out["zero-shot"] = scores(model)
    n_mix = half if mix_synthetic is None else mix_synthetic
    synthetic = synthetic_sentences("train", limit=n_mix, progress=False)
    mixed = StrokeSet(
        adapt.lines + synthetic.lines, adapt.texts + synthetic.texts, "real + synthetic"
    )
    for name, data in (("fine-tuned (real)", adapt), ("fine-tuned (real + synthetic)", mixed)):
        fit = train_recognizer(
            info["config"],
            data,
            None,
            charset,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            init=shipped_recognizer(),
            seed=seed,
            verbose=0,
        )
        out[name] = scores(fit.model)
        out["seconds"][name] = fit.seconds
    return out
