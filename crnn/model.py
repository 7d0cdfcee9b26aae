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
import tempfile
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

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


def _weight_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Every array stored in a Keras 3 ``.weights.h5`` file: internal path -> shape."""
    import h5py

    shapes = {}

    def record(name, obj):
        # a compiled model also saves its optimizer's slots; they say nothing about the model
        if isinstance(obj, h5py.Dataset) and not name.startswith("optimizer/"):
            shapes[name] = tuple(obj.shape)

    with h5py.File(path, "r") as f:
        f.visititems(record)
    return shapes


def sidecar_path(weights) -> Path:
    """``name.weights.h5`` -> ``name.json``: the description saved beside a weights file (every
    package of this repository keeps its model config and recipe there)."""
    return Path(str(weights).removesuffix(".weights.h5") + ".json")


def load_weights_checked(model: keras.Model, path) -> keras.Model:
    """``model.load_weights(path)`` with one-line errors instead of traces or silent half-loads.

    Keras 3 matches the arrays of a ``.weights.h5`` file by layer order and type, and silently
    ignores extra layers (a 2-layer Bi-LSTM file loads into a 1-layer model without a word). So
    the file's arrays are compared with those of the model first. Raises FileNotFoundError for a
    missing file, ValueError for a non-HDF5 / corrupt file or one saved from another charset
    (num_classes) or architecture.
    """
    path = Path(path)
    expected_classes = model.output.shape[-1]
    if not path.is_file():
        raise FileNotFoundError(f"weights file not found: {path}")
    if not path.name.endswith(".weights.h5"):  # Keras would read any other name as legacy H5
        raise ValueError(f"{path}: expected a Keras 3 weights file named *.weights.h5")
    try:
        stored = _weight_shapes(path)
    except OSError:
        raise ValueError(f"{path}: not a Keras .weights.h5 (HDF5) file, or corrupt") from None
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "model.weights.h5"
        model.save_weights(reference)
        wanted = _weight_shapes(reference)
    if stored != wanted:
        # the output layer is the last Dense; its bias has num_classes entries
        bias = [k for k in wanted if k.startswith("layers/dense") and k.endswith("vars/1")][-1]
        got = stored.get(bias, (None,))[0]
        if got is not None and got != expected_classes:
            what = f"another charset (saved num_classes={got})"
        else:
            what = "another architecture"
        raise ValueError(
            f"{path}: saved from {what}; this model expects num_classes={expected_classes} "
            f"and {len(wanted)} arrays ({len(stored)} in the file)"
        )
    with warnings.catch_warnings():  # "skipping optimizer variables": intended, see above
        warnings.simplefilter("ignore")
        model.load_weights(path)
    return model


def strip_optimizer(path) -> Path:
    """Rewrite a ``.weights.h5`` file with the model's weights only (no optimizer slots): the
    form to ship, a third of the size after Adam."""
    import h5py

    path = Path(path)
    with h5py.File(path, "a") as f:
        if "optimizer" in f:
            del f["optimizer"]
    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(path, "r") as src, h5py.File(tmp, "w") as dst:  # repack: reclaim the space
        for key in src:
            src.copy(src[key], dst, name=key)
        for k, v in src.attrs.items():
            dst.attrs[k] = v
    tmp.replace(path)
    return path
