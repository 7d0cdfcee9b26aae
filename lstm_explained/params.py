"""How many parameters an LSTM has, and the reference models whose counts we check.

One LSTM layer with d input features and u units has, per gate, a kernel block (d, u), a
recurrent block (u, u) and a bias (u,): ``u*(d+u) + u`` numbers. Four gates (i, f, c, o) give

    lstm_param_count(d, u) = 4 * (u * (d + u) + u)

The count does not depend on the number of timesteps: the same weights are used at every step.
``param_table()`` checks the formula against Keras's ``count_params()``; ``kaggle_crnn()`` is the
full-size handwriting CRNN of part 4 (2,406,430 trainable parameters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
import pandas as pd

MERGE_MODES = ("concat", "sum", "mul", "ave")  # Bidirectional's ways to join the two directions


def lstm_param_count(input_dim: int, units: int, use_bias: bool = True) -> int:
    """Parameters of ``LSTM(units)`` on ``input_dim`` features: ``4 * (u*(d+u) + u)``."""
    if input_dim < 1 or units < 1:
        raise ValueError(
            f"lstm_param_count: expected input_dim >= 1 and units >= 1, got {input_dim}, {units}"
        )
    return 4 * (units * (input_dim + units) + (units if use_bias else 0))


def bidirectional_param_count(input_dim: int, units: int) -> int:
    """``Bidirectional(LSTM(units))``: two independent LSTMs, whatever the merge mode."""
    return 2 * lstm_param_count(input_dim, units)


def bidirectional_output_dim(units: int, merge_mode: str = "concat") -> int:
    """Features per step out of ``Bidirectional(LSTM(units))``: 2u for concat, u otherwise."""
    if merge_mode not in MERGE_MODES:
        raise ValueError(f"merge_mode: expected one of {MERGE_MODES}, got {merge_mode!r}")
    return 2 * units if merge_mode == "concat" else units


def stacked_param_count(
    input_dim: int,
    units: Sequence[int],
    bidirectional: bool = False,
    merge_mode: str = "concat",
) -> int:
    """A stack of LSTMs: layer k reads the (per-step) output of layer k-1 as its input_dim."""
    total, d = 0, input_dim
    for u in units:
        if bidirectional:
            total += bidirectional_param_count(d, u)
            d = bidirectional_output_dim(u, merge_mode)
        else:
            total += lstm_param_count(d, u)
            d = u
    return total


def _stack(
    timesteps: int, input_dim: int, units: Sequence[int], bidirectional=False, merge="concat"
):
    """A Keras model of stacked (Bi)LSTMs; every layer but the last returns sequences."""
    inputs = keras.Input((timesteps, input_dim))
    x = inputs
    for k, u in enumerate(units):
        layer = keras.layers.LSTM(u, return_sequences=k < len(units) - 1)
        x = keras.layers.Bidirectional(layer, merge_mode=merge)(x) if bidirectional else layer(x)
    return keras.Model(inputs, x)


# (description, input_dim, units per layer, bidirectional, merge mode)
TABLE_CONFIGS = [
    ("LSTM(1) on 1 feature", 1, [1], False, "concat"),
    ("LSTM(4) on 1 feature (part 1)", 1, [4], False, "concat"),
    ("LSTM(8) on 1 feature (gates below)", 1, [8], False, "concat"),
    ("LSTM(50) on 1 feature", 1, [50], False, "concat"),
    ("LSTM(16) on 3 features", 3, [16], False, "concat"),
    ("LSTM(256) on 64 features", 64, [256], False, "concat"),
    ("Bidirectional LSTM(16), concat", 3, [16], True, "concat"),
    ("Bidirectional LSTM(16), sum", 3, [16], True, "sum"),
    ("stacked LSTM(32) -> LSTM(16)", 3, [32, 16], False, "concat"),
    ("stacked Bi-LSTM(16) x2, sum", 3, [16, 16], True, "sum"),
    ("stacked Bi-LSTM(256) x2 (CRNN)", 64, [256, 256], True, "concat"),
]


def param_table(timesteps: int = 10) -> pd.DataFrame:
    """The formula against Keras's ``count_params()`` for every entry of ``TABLE_CONFIGS``."""
    rows = []
    for name, d, units, bidir, merge in TABLE_CONFIGS:
        model = _stack(timesteps, d, units, bidir, merge)
        rows.append(
            {
                "model": name,
                "d": d,
                "units": "x".join(map(str, units)),
                "formula": stacked_param_count(d, units, bidir, merge),
                "keras": model.count_params(),
            }
        )
    table = pd.DataFrame(rows).set_index("model")
    table["equal"] = table["formula"] == table["keras"]
    return table


def kaggle_crnn(num_classes: int = 30, input_shape=(256, 64, 1)) -> keras.Model:
    """The widely used Kaggle handwriting CRNN (names data set): 2,406,430 trainable parameters.

    A 256x64 grey image (width first, so that the width becomes the time axis) goes through three
    conv blocks; the width is kept at 64 steps and each step's 8x128 features are flattened to
    1024, projected to 64, read by two Bi-LSTM(256) layers and classified per step into
    ``num_classes`` (29 characters + the CTC blank in the Kaggle version).
    """
    layers = keras.layers
    inputs = keras.Input(input_shape, name="image")  # (B, 256, 64, 1)
    x = inputs
    blocks = ((32, (2, 2), 0.0), (64, (2, 2), 0.3), (128, (1, 2), 0.3))
    for k, (filters, pool, dropout) in enumerate(blocks, start=1):
        x = layers.Conv2D(
            filters, 3, padding="same", kernel_initializer="he_normal", name=f"conv{k}"
        )(x)
        x = layers.BatchNormalization(name=f"bn{k}")(x)
        x = layers.Activation("relu", name=f"relu{k}")(x)
        x = layers.MaxPooling2D(pool, name=f"pool{k}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dropout{k}")(x)
    # (B, 64, 8, 128) after pooling 256 -> 64 along the first axis and 64 -> 8 along the second
    steps, height, channels = x.shape[1:]
    x = layers.Reshape((steps, height * channels), name="reshape")(x)  # (B, 64, 1024)
    x = layers.Dense(64, activation="relu", kernel_initializer="he_normal", name="dense1")(x)
    # (B, 64, 64)
    for k in (1, 2):
        lstm = layers.LSTM(256, return_sequences=True)
        x = layers.Bidirectional(lstm, name=f"lstm{k}")(x)  # (B, 64, 512)
    outputs = layers.Dense(num_classes, activation="softmax", name="chars")(x)  # (B, 64, C)
    return keras.Model(inputs, outputs, name="kaggle_crnn")


def trainable_count(model: keras.Model) -> int:
    """Trainable parameters only (BatchNorm's moving mean and variance are not trainable)."""
    return sum(math.prod(w.shape) for w in model.trainable_weights)


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer with parameters: its type, output shape, trainable and frozen counts."""
    rows = []
    for layer in model.layers:
        total = layer.count_params()
        if total == 0:
            continue
        trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output shape": str(tuple(layer.output.shape)),
                "trainable": trainable,
                "non-trainable": total - trainable,
            }
        )
    return pd.DataFrame(rows).set_index("layer")
