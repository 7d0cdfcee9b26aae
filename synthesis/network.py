"""Graves's two networks (2013, sections 4 and 5) as Keras models.

**Prediction network** (unconditional): stacked LSTMs read the pen offsets and predict the next
one. Skip connections from the input to every layer and from every layer to the output (the
paper's figure 1) make a deep stack train as easily as a shallow one.

**Synthesis network** (conditional on text): the same stack, with the attention window of
:mod:`synthesis.attention` after the first layer; the window's "current letter" ``w_t`` goes into
every layer, so each knows which character it is drawing.

    strokes (B, T, 3) --+---------------+----------------+
                        v               v                v
    chars (B, U) -> WindowLSTM -> h1, w -> LSTM -> h2 -> LSTM -> h3
                        |               |                |
                        +-------> concat(h1, h2, h3) -> Dense(1 + 6M) -> mixture (synthesis.mdn)

Inputs at step t are point t ``(eos, dx, dy)`` with dx, dy divided by the training set's offset
scale; the target is point t + 1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import keras
from keras import layers, ops

from synthesis.attention import WindowLSTM
from synthesis.mdn import mixture_nll, output_size


@dataclass(frozen=True)
class SynthesisConfig:
    """Sizes of one network. Graves used 3 x 400 LSTM units, M = 20, K = 10 on IAM-OnDB;
    the defaults here are sized to train on a 2-core CPU."""

    conditional: bool = True
    units: int = 256
    layers: int = 3
    n_mixtures: int = 20  # M: Gaussians in the output mixture
    n_gaussians: int = 10  # K: Gaussians in the attention window
    vocab: int = 75  # characters the window attends over (ink.text.CHARSET)

    def to_dict(self) -> dict:
        return asdict(self)


@keras.saving.register_keras_serializable(package="synthesis")
class OneHotText(layers.Layer):
    """(B, U) character ids, 1..vocab, 0 = padding -> (B, U, vocab) one-hot; padding -> zeros."""

    def __init__(self, vocab: int, **kwargs):
        super().__init__(**kwargs)
        self.vocab = vocab

    def call(self, ids):
        return ops.one_hot(ops.cast(ids, "int32"), self.vocab + 1)[..., 1:]

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.vocab)

    def get_config(self):
        return {**super().get_config(), "vocab": self.vocab}


def build_network(config: SynthesisConfig) -> keras.Model:
    """The prediction (``conditional=False``) or synthesis network: inputs ``strokes`` (B, T, 3)
    [and ``chars`` (B, U) int], output the raw mixture parameters (B, T, 1 + 6M)."""
    # Keras's cuDNN path for LSTM under JAX (jax.experimental.rnn) misread these networks on an
    # H100 (Keras 3.15.1, JAX 0.11.2: the shipped weights' validation NLL came out +2.83 instead
    # of -3.82 nats per point); the plain scan reads them right. TensorFlow keeps its cuDNN.
    use_cudnn = False if keras.backend.backend() == "jax" else "auto"

    def lstm(name: str) -> layers.LSTM:
        return layers.LSTM(config.units, return_sequences=True, use_cudnn=use_cudnn, name=name)

    strokes = keras.Input((None, 3), name="strokes")
    inputs = {"strokes": strokes}
    hidden = []
    if config.conditional:
        inputs["chars"] = keras.Input((None,), dtype="int32", name="chars")
        onehot = OneHotText(config.vocab, name="one_hot")(inputs["chars"])  # (B, U, V)
        h, w, _ = WindowLSTM(config.units, config.n_gaussians, name="window_lstm")(
            [strokes, onehot]
        )
        extra = [w]  # the window goes into every later layer
    else:
        h = lstm("lstm1")(strokes)
        extra = []
    hidden.append(h)
    for i in range(2, config.layers + 1):
        x = layers.Concatenate(name=f"skip{i}")([strokes, h, *extra])  # input skip connection
        h = lstm(f"lstm{i}")(x)
        hidden.append(h)
    top = layers.Concatenate(name="skip_out")(hidden) if len(hidden) > 1 else hidden[0]
    y = layers.Dense(output_size(config.n_mixtures), name="mdn")(top)  # (B, T, 1 + 6M)
    name = "synthesis_network" if config.conditional else "prediction_network"
    return keras.Model(inputs, y, name=name)


def masked_nll(targets, y, mask, n_mixtures: int):
    """Mean NLL per real point (nats) of a padded batch: ``mask`` (B, T) is 1 on real points."""
    nll = mixture_nll(targets, y, n_mixtures)
    mask = ops.cast(mask, nll.dtype)
    return ops.sum(nll * mask) / ops.maximum(ops.sum(mask), 1.0)
