"""When Keras 3 runs an LSTM on cuDNN, and what a configuration costs on a CPU.

The conditions come from ``keras/src/layers/rnn/lstm.py`` (``LSTM.inner_loop``) and
``keras/src/backend/tensorflow/rnn.py`` (``cudnn_ok``): on a GPU with the TensorFlow backend the
fused kernel is used only when every entry of :func:`cudnn_checklist` is True (and a mask, if
any, is right-padded). Otherwise Keras falls back to the generic step loop.
"""

from __future__ import annotations

import time

import numpy as np


def cudnn_checklist(layer) -> dict[str, bool]:
    """The per-layer conditions for the cuDNN path, each True when the layer meets it."""
    return {
        "tanh": layer.activation.__name__ == "tanh",
        "sigmoid": layer.recurrent_activation.__name__ == "sigmoid",
        "recurrent_dropout=0": layer.recurrent_dropout == 0,
        "not unroll": not layer.unroll,
        "use_bias": layer.use_bias,
        "use_cudnn": layer.use_cudnn in ("auto", True),
    }


def seconds_per_call(layers: dict, batch: np.ndarray, repeats: int = 5) -> dict[str, float]:
    """Fastest of ``repeats`` forward passes of ``batch`` (B, T, d) through each layer.

    Calls are interleaved so that a load spike from another process hits every layer alike.
    """
    for layer in layers.values():
        layer(batch)  # build and warm up
    times = {name: [] for name in layers}
    for _ in range(repeats):
        for name, layer in layers.items():
            start = time.perf_counter()
            layer(batch)
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}
