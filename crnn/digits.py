"""Part 4's prelude on real handwriting that ships with scikit-learn (no download).

``sklearn.datasets.load_digits``: 1,797 handwritten digits, 8x8 pixels, ink 0..16 (UCI optdigits).

1. **An LSTM that reads pixels.** The image is read column by column, left to right: 8 time steps
   of 8 pixels each, ``LSTM -> Dense softmax``, categorical cross-entropy. Compared with a
   feed-forward net and a small CNN on the same stratified held-out split, and read on a budget:
   how accurate is it after only its first k columns?
2. **Digit strings.** 3-8 real digits, upscaled and placed side by side on a 256x64 white canvas:
   the first data set for the CRNN + CTC. Test strings use only held-out digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import keras
import numpy as np

from crnn.preprocess import HEIGHT, WIDTH
from ink.config import fast_mode

SPLIT_SEED = 0  # the one train/test split every part of this module uses


@dataclass(frozen=True)
class DigitsConfig:
    """Training budget of the digit models; ``digits_config(fast)`` is the one switch."""

    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 3e-3  # start of a cosine decay to 0 over the whole run
    max_train: int | None = None  # None = all 1,347 training digits


def digits_config(fast: bool | None = None) -> DigitsConfig:
    """Full budget, or the fast one when ``fast`` (default: ``LAB_FAST`` is set)."""
    fast = fast_mode() if fast is None else fast
    return DigitsConfig(epochs=3, max_train=400) if fast else DigitsConfig()


@dataclass(frozen=True)
class DigitSplit:
    """Images (N, 8, 8) float32 in [0, 1] (1 = full ink), labels (N,) int, indices into the set."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray
    test_index: np.ndarray


def load_digit_split(seed: int = SPLIT_SEED, test_size: float = 0.25) -> DigitSplit:
    """A stratified train/test split of the 1,797 digits (same classes mix on both sides)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)  # (1797, 8, 8)
    train_index, test_index = train_test_split(
        np.arange(len(images)), test_size=test_size, stratify=digits.target, random_state=seed
    )
    return DigitSplit(
        x_train=images[train_index],
        y_train=digits.target[train_index],
        x_test=images[test_index],
        y_test=digits.target[test_index],
        train_index=train_index,
        test_index=test_index,
    )


# ---------------------------------------------------------------- three models, same input
def build_pixel_lstm(units: int = 128, seed: int = 0) -> keras.Model:
    """(B, 8 rows, k columns) -> 10 probabilities; the LSTM reads one column per time step.

    The column count is left open (``None``) so the trained model can read a cut image.
    """
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((8, None), name="image")  # (B, rows, columns)
    x = keras.layers.Permute((2, 1), name="columns_first")(inputs)  # (B, columns, 8 pixels)
    x = keras.layers.LSTM(units, name="lstm")(x)  # (B, units): the state after the last column
    outputs = keras.layers.Dense(10, activation="softmax", name="digit")(x)
    return keras.Model(inputs, outputs, name="pixel_lstm")


def build_digit_mlp(hidden: int = 64, seed: int = 0) -> keras.Model:
    """Feed-forward baseline: all 64 pixels at once -> Dense(hidden, relu) -> softmax."""
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((8, 8), name="image")
    x = keras.layers.Flatten()(inputs)  # (B, 64)
    x = keras.layers.Dense(hidden, activation="relu")(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="digit")(x)
    return keras.Model(inputs, outputs, name="digit_mlp")


def build_digit_cnn(filters: int = 16, seed: int = 0) -> keras.Model:
    """Small CNN baseline: two 3x3 conv layers, one pooling, then softmax."""
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((8, 8), name="image")
    x = keras.layers.Reshape((8, 8, 1))(inputs)
    x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = keras.layers.Conv2D(2 * filters, 3, padding="same", activation="relu")(x)
    x = keras.layers.MaxPooling2D(2)(x)  # (B, 4, 4, 2 * filters)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="digit")(x)
    return keras.Model(inputs, outputs, name="digit_cnn")


def train_and_score(
    model: keras.Model,
    split: DigitSplit,
    epochs: int | None = None,
    config: DigitsConfig | None = None,
    verbose: int = 0,
    seed: int = 0,
) -> float:
    """Fit on the training digits (categorical cross-entropy, Adam); test-set accuracy.

    The learning rate decays to 0 along a cosine: without it the last epochs jitter and the
    final accuracy depends on the seed by a point or two. The batch order is seeded here, not
    only at build time, so a model scores the same whatever was built or trained before it.
    """
    config = config or digits_config()
    epochs = config.epochs if epochs is None else epochs
    n = config.max_train or len(split.x_train)
    steps = epochs * -(-n // config.batch_size)  # ceil: batches per epoch
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(config.learning_rate, steps)
        ),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    keras.utils.set_random_seed(seed)
    model.fit(
        split.x_train[:n],
        keras.utils.to_categorical(split.y_train[:n], 10),
        epochs=epochs,
        batch_size=config.batch_size,
        verbose=verbose,
    )
    return column_accuracy(model, split, columns=8)


def column_accuracy(model: keras.Model, split: DigitSplit, columns: int = 8) -> float:
    """Test accuracy when the model sees only the first ``columns`` columns of each digit."""
    x = split.x_test[:, :, :columns]  # (N, 8, columns)
    probs = model.predict(x, batch_size=256, verbose=0)
    return float(np.mean(np.argmax(probs, axis=-1) == split.y_test))


def accuracy_vs_columns(
    model: keras.Model, split: DigitSplit, columns=range(1, 9), retrain_epochs: int | None = None
) -> dict[int, float]:
    """Test accuracy after the first k columns, k = 1..8.

    By default the trained pixel LSTM is simply stopped after k columns (its running guess).
    With ``retrain_epochs`` a fresh LSTM is trained on k-column images for each k instead: how
    much the first k columns can tell at best.
    """
    scores = {}
    for k in columns:
        if retrain_epochs is None:
            scores[k] = column_accuracy(model, split, k)
        else:
            cut = DigitSplit(
                split.x_train[:, :, :k],
                split.y_train,
                split.x_test[:, :, :k],
                split.y_test,
                split.train_index,
                split.test_index,
            )
            fresh = build_pixel_lstm(model.get_layer("lstm").units)
            train_and_score(fresh, cut, epochs=retrain_epochs)
            scores[k] = column_accuracy(fresh, cut, k)
    return scores


# ---------------------------------------------------------------- digit strings for the CRNN
def _digit_glyph(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """8x8 ink in [0, 1] -> (height, width) ink, smoothly upscaled (bicubic, clipped)."""
    glyph = cv2.resize(image, (width, height), interpolation=cv2.INTER_CUBIC)
    return np.clip(glyph, 0.0, 1.0)


def make_digit_strings(
    n: int,
    split: str = "train",
    seed: int = 0,
    min_digits: int = 3,
    max_digits: int = 8,
    with_sources: bool = False,
):
    """``n`` lines of handwritten digits: images uint8 (n, 64, 256), dark ink on white, and texts.

    Each line has 3-8 digits drawn from one side of the split (``"test"`` lines use only held-out
    digits), each 32-48 px tall with random width, gap, vertical jitter and ink darkness. The
    same ``seed`` gives the same lines. ``with_sources=True`` also returns, for each line, the
    indices of its digits in ``load_digits()``.
    """
    if split not in ("train", "test"):
        raise ValueError(f"make_digit_strings: expected split 'train' or 'test', got {split!r}")
    if n < 0 or not 1 <= min_digits <= max_digits:
        raise ValueError(
            f"make_digit_strings: expected n >= 0 and 1 <= min_digits <= max_digits, "
            f"got n={n}, min_digits={min_digits}, max_digits={max_digits}"
        )
    data = load_digit_split(SPLIT_SEED)
    pool_x, pool_y, pool_index = (
        (data.x_train, data.y_train, data.train_index)
        if split == "train"
        else (data.x_test, data.y_test, data.test_index)
    )
    rng = np.random.default_rng(seed)
    images = np.full((n, HEIGHT, WIDTH), 255, dtype=np.uint8)
    texts, sources = [], []
    for i in range(n):
        picks = rng.integers(0, len(pool_x), size=rng.integers(min_digits, max_digits + 1))
        heights = rng.integers(32, 49, size=len(picks))
        widths = np.round(heights * rng.uniform(0.6, 0.9, size=len(picks))).astype(int)
        gaps = rng.integers(-2, 9, size=len(picks) - 1)
        margin = 4
        total = widths.sum() + gaps.sum() + 2 * margin
        if total > WIDTH:  # shrink the whole line so that it fits
            scale = (WIDTH - 2 * margin - gaps.sum()) / widths.sum()
            widths = np.maximum(6, np.floor(widths * scale)).astype(int)
            heights = np.maximum(16, np.floor(heights * scale)).astype(int)
        ink = np.zeros((HEIGHT, WIDTH), dtype=np.float32)
        x = margin + int(rng.integers(0, max(1, WIDTH - (widths.sum() + gaps.sum()) - 2 * margin)))
        for k, (p, h, w) in enumerate(zip(picks, heights, widths, strict=True)):
            top = (HEIGHT - h) // 2 + int(rng.integers(-4, 5))
            top = int(np.clip(top, 0, HEIGHT - h))
            x = int(np.clip(x, 0, WIDTH - w))
            glyph = _digit_glyph(pool_x[p], h, w) * rng.uniform(0.75, 1.0)
            ink[top : top + h, x : x + w] = np.maximum(ink[top : top + h, x : x + w], glyph)
            x += w + (int(gaps[k]) if k < len(gaps) else 0)
        images[i] = np.round(255 * (1.0 - ink)).astype(np.uint8)
        texts.append("".join(str(d) for d in pool_y[picks]))
        sources.append(pool_index[picks])
    return (images, texts, sources) if with_sources else (images, texts)
