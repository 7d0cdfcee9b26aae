"""The CRNN: convolutions see the strokes, two Bi-LSTMs read them left to right, CTC scores them.

    image (B, 256, 64, 1)                      width first: axis 1 becomes time
    3 x [Conv2D 3x3 -> BatchNorm -> ReLU -> MaxPool (2,2), (2,2), (1,2)]
                                 -> (B, 64, 8, 128)   256/(2*2*1) = 64 steps, 64/(2*2*2) = 8 rows
    Reshape                      -> (B, 64, 1024)     each step: its 8 rows x 128 channels
    Dense 64, ReLU               -> (B, 64, 64)
    2 x Bidirectional(LSTM 256)  -> (B, 64, 512)
    Dense num_classes            -> (B, 64, num_classes) LOGITS (no softmax: CTC wants logits)

``CRNNConfig.full()`` is the widely used Kaggle handwritten-names model, 2,406,430 trainable
parameters for 29 characters + blank; ``CRNNConfig.small()`` keeps the shape of the idea at about
a sixth of the size, which trains on a laptop CPU in minutes. The shipped names weights are the
full model, trained on a GPU (``crnn.bulk``); the shipped digits weights are the small one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import keras

from crnn.data import NAMES_CHARSET

NAMES_NUM_CLASSES = len(NAMES_CHARSET) + 1  # 30


@dataclass(frozen=True)
class CRNNConfig:
    width: int = 256  # image width = the axis read as time
    height: int = 64
    conv_filters: tuple[int, ...] = (32, 64, 128)
    pools: tuple[tuple[int, int], ...] = ((2, 2), (2, 2), (1, 2))  # (width, height) per block
    conv_dropout: tuple[float, ...] = (0.0, 0.3, 0.3)  # after each conv block (Kaggle's values)
    dense_units: int = 64
    lstm_units: int = 256
    lstm_layers: int = 2  # each a Bidirectional LSTM returning sequences
    num_classes: int = NAMES_NUM_CLASSES  # characters + the CTC blank

    @classmethod
    def full(cls, num_classes: int = NAMES_NUM_CLASSES) -> CRNNConfig:
        """The Kaggle names CRNN (2,406,430 trainable parameters with 30 classes)."""
        return cls(num_classes=num_classes)

    @classmethod
    def small(cls, num_classes: int = NAMES_NUM_CLASSES) -> CRNNConfig:
        """Same layout, narrower layers: about 0.4M parameters, for CPU training."""
        return cls(conv_filters=(16, 32, 64), lstm_units=96, num_classes=num_classes)

    def with_classes(self, num_classes: int) -> CRNNConfig:
        return replace(self, num_classes=num_classes)


def time_steps(config: CRNNConfig) -> int:
    """Frames the CTC loss sees: the width divided by every pool's width factor (256 -> 64)."""
    factor = math.prod(p[0] for p in config.pools)
    if config.width % factor:
        raise ValueError(
            f"time_steps: expected a width divisible by {factor} (the pools' width factors), "
            f"got {config.width}"
        )
    return config.width // factor


def _check_config(config: CRNNConfig) -> None:
    if not (len(config.conv_filters) == len(config.pools) == len(config.conv_dropout)):
        raise ValueError(
            "CRNNConfig: expected one pool and one dropout per conv block, got "
            f"{len(config.conv_filters)} filters, {len(config.pools)} pools, "
            f"{len(config.conv_dropout)} dropouts"
        )
    rows = config.height // math.prod(p[1] for p in config.pools)
    if rows < 1 or config.num_classes < 2:
        raise ValueError(
            f"CRNNConfig: expected height >= the pools' height factor and num_classes >= 2, "
            f"got height {config.height}, num_classes {config.num_classes}"
        )


def build_crnn(config: CRNNConfig | None = None, name: str = "crnn") -> keras.Model:
    """Image (B, width, height, 1) -> logits (B, time_steps(config), num_classes)."""
    config = config or CRNNConfig()
    _check_config(config)
    layers = keras.layers
    inputs = keras.Input((config.width, config.height, 1), name="image")  # (B, W, H, 1)
    x = inputs
    blocks = zip(config.conv_filters, config.pools, config.conv_dropout, strict=True)
    for k, (filters, pool, dropout) in enumerate(blocks, start=1):
        x = layers.Conv2D(
            filters, 3, padding="same", kernel_initializer="he_normal", name=f"conv{k}"
        )(x)
        x = layers.BatchNormalization(name=f"bn{k}")(x)
        x = layers.Activation("relu", name=f"relu{k}")(x)
        x = layers.MaxPooling2D(pool, name=f"pool{k}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dropout{k}")(x)
    steps, rows, channels = x.shape[1:]  # (B, T, rows, C)
    x = layers.Reshape((steps, rows * channels), name="reshape")(x)  # (B, T, rows * C)
    x = layers.Dense(
        config.dense_units, activation="relu", kernel_initializer="he_normal", name="dense"
    )(x)  # (B, T, dense_units)
    for k in range(1, config.lstm_layers + 1):
        lstm = layers.LSTM(config.lstm_units, return_sequences=True)
        x = layers.Bidirectional(lstm, name=f"bilstm{k}")(x)  # (B, T, 2 * lstm_units)
    logits = layers.Dense(config.num_classes, name="logits")(x)  # (B, T, num_classes)
    return keras.Model(inputs, logits, name=name)


def trainable_count(model: keras.Model) -> int:
    """Trainable parameters (BatchNorm's moving statistics are not trained)."""
    return sum(math.prod(w.shape) for w in model.trainable_weights)
