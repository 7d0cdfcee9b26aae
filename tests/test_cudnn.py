"""The cuDNN checklist says which LSTM settings leave the fused GPU kernel."""

import keras
import numpy as np

from lstm_explained.cudnn import cudnn_checklist, seconds_per_call


def test_default_lstm_meets_every_cudnn_condition():
    assert all(cudnn_checklist(keras.layers.LSTM(4)).values())


def test_each_breaking_setting_fails_exactly_its_condition():
    cases = {
        "recurrent_dropout=0": keras.layers.LSTM(4, recurrent_dropout=0.2),
        "tanh": keras.layers.LSTM(4, activation="relu"),
        "use_bias": keras.layers.LSTM(4, use_bias=False),
        "use_cudnn": keras.layers.LSTM(4, use_cudnn=False),
    }
    for condition, layer in cases.items():
        failed = [name for name, ok in cudnn_checklist(layer).items() if not ok]
        assert failed == [condition]


def test_seconds_per_call_times_every_layer():
    batch = np.zeros((2, 3, 1), dtype="float32")
    times = seconds_per_call({"a": keras.layers.LSTM(2), "b": keras.layers.GRU(2)}, batch, 2)
    assert set(times) == {"a", "b"} and all(t > 0 for t in times.values())
