"""Online handwriting recognition: stacked Bi-LSTMs read pen features, CTC scores the text.

    features (B, T, 3)      (dx, dy, pen_up) per point, zero-padded; lengths (B,)
    Conv1D k=3, stride 2    -> (B, T/2, units)      halves the frames (a point is a small move)
    L x Bidirectional LSTM  -> (B, T/2, 2 units)    masked: padding is never read
        residual=True:  x = x + BiLSTM(x) from the second layer on
    attention=True: self-attention over the frames (+ residual, LayerNorm)
    Dense logits            -> (B, T/2, charset + blank)

Padded frames get fixed logits that put all probability on the blank. The plain
``keras.losses.CTC()`` over the whole padded axis then equals CTC over each line's true length
(a forced blank adds log 1 = 0), so no custom training loop is needed, and a greedy decoder
reads only blanks there.

The source material's enhancements are switches of :class:`RecognizerConfig`, so one ablation
table can compare them: ``residual``, ``attention``, and ``focal_gamma`` (focal CTC, Feng et al.
2019: each line's CTC loss weighted by ``(1 - p)^gamma`` where ``p = exp(-loss)``, so lines the
model already reads well count less).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import keras
from keras import ops

from labcore.charset import BLANK

PAD_LOGIT = 30.0  # padded frames: blank at +30, every character at -30


@dataclass(frozen=True)
class RecognizerConfig:
    units: int = 128
    layers: int = 3
    residual: bool = False
    attention: bool = False
    heads: int = 4
    focal_gamma: float = 0.0  # 0: plain CTC
    downsample: int = 2
    num_classes: int = 2
    deskew: bool = False  # read lines turned level (synthesis.features.level)

    def with_classes(self, num_classes: int) -> RecognizerConfig:
        return replace(self, num_classes=num_classes)

    @property
    def name(self) -> str:
        parts = [f"bilstm{self.layers}x{self.units}"]
        parts += ["residual"] * self.residual + ["attention"] * self.attention
        if self.focal_gamma:
            parts.append(f"focal{self.focal_gamma:g}")
        return "+".join(parts)


def frames(lengths, downsample: int):
    """Frames after the strided convolution: ceil(points / downsample)."""
    return (lengths + downsample - 1) // downsample


class FrameMask(keras.layers.Layer):
    """lengths (B,) and a sequence (B, T', D) -> boolean mask (B, T') of the real frames."""

    def __init__(self, downsample: int, **kwargs):
        super().__init__(**kwargs)
        self.downsample = downsample

    def call(self, lengths, sequence):
        steps = ops.shape(sequence)[1]
        n = frames(ops.cast(ops.reshape(lengths, (-1,)), "int32"), self.downsample)
        return ops.arange(steps)[None, :] < n[:, None]

    def compute_output_shape(self, lengths_shape, sequence_shape):
        return sequence_shape[:2]

    def get_config(self):
        return {**super().get_config(), "downsample": self.downsample}


class ZeroPadded(keras.layers.Layer):
    """features (B, T, 3), lengths (B,) -> the same with every padded point set to 0, so the
    strided convolution cannot read whatever was there."""

    def call(self, features, lengths):
        steps = ops.shape(features)[1]
        n = ops.cast(ops.reshape(lengths, (-1,)), "int32")
        keep = ops.arange(steps)[None, :] < n[:, None]
        return features * ops.cast(keep, features.dtype)[..., None]


class BlankPadding(keras.layers.Layer):
    """Logits on padded frames -> blank certain (see the module doc)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # it consumes the mask itself

    def compute_mask(self, inputs, previous_mask=None):
        return None

    def call(self, logits, mask):
        classes = ops.shape(logits)[-1]
        pad = ops.where(ops.arange(classes) == BLANK, PAD_LOGIT, -PAD_LOGIT)
        pad = ops.cast(pad, logits.dtype)
        return ops.where(mask[..., None], logits, pad[None, None, :])


def build_recognizer(config: RecognizerConfig) -> keras.Model:
    """``{"features": (B, T, 3), "lengths": (B,)}`` -> logits (B, ceil(T / downsample), C)."""
    layers = keras.layers
    features = keras.Input((None, 3), name="features")
    lengths = keras.Input((), dtype="int32", name="lengths")
    x = ZeroPadded(name="zero_padded")(features, lengths)
    # Pad one point on each side, then a 'valid' strided convolution: frame t always covers
    # points 2t-1 .. 2t+1, whatever the padded length of the batch ('same' padding would shift
    # the frames by one point between odd and even batch lengths).
    x = layers.ZeroPadding1D((1, 1), name="edge_pad")(x)
    x = layers.Conv1D(
        config.units, 3, strides=config.downsample, activation="relu", name="subsample"
    )(x)  # (B, ceil(T / downsample), units)
    mask = FrameMask(config.downsample, name="frame_mask")(lengths, x)
    for k in range(1, config.layers + 1):
        lstm = layers.LSTM(config.units, return_sequences=True)
        y = layers.Bidirectional(lstm, name=f"bilstm{k}")(x, mask=mask)
        if config.residual and k > 1:
            x = layers.Add(name=f"residual{k}")([x, y])
        else:
            x = y
    if config.attention:
        attn = layers.MultiHeadAttention(
            config.heads, key_dim=2 * config.units // config.heads, name="attention"
        )
        pair_mask = layers.Lambda(
            lambda m: ops.logical_and(m[:, :, None], m[:, None, :]), name="pair_mask"
        )(mask)
        y = attn(x, x, attention_mask=pair_mask)
        x = layers.LayerNormalization(name="attention_norm")(layers.Add()([x, y]))
    logits = layers.Dense(config.num_classes, name="logits")(x)
    logits = BlankPadding(name="blank_padding")(logits, mask)
    model = keras.Model({"features": features, "lengths": lengths}, logits, name="recognizer")
    model.recognizer_config = config  # how its features are made: read by recognize()
    return model


@keras.saving.register_keras_serializable(package="synthesis")
class FocalCTC(keras.losses.Loss):
    """CTC weighted per line by ``(1 - exp(-ctc)) ** gamma``; gamma 0 is plain CTC."""

    def __init__(self, gamma: float = 2.0, name: str = "focal_ctc", **kwargs):
        super().__init__(name=name, **kwargs)
        self.gamma = float(gamma)
        self._ctc = keras.losses.CTC(reduction=None)

    def call(self, y_true, y_pred):
        loss = self._ctc.call(y_true, y_pred)  # (B,)
        if self.gamma == 0:
            return loss
        weight = ops.power(1.0 - ops.exp(-loss), self.gamma)
        return weight * loss

    def get_config(self):
        return {**super().get_config(), "gamma": self.gamma}


def ctc_loss_for(config: RecognizerConfig) -> keras.losses.Loss:
    return FocalCTC(config.focal_gamma) if config.focal_gamma else keras.losses.CTC()
