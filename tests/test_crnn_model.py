"""The CRNN: the Kaggle size exactly, logits out, 64 time steps, and weights that refuse to misfit."""

import numpy as np
import pytest

from crnn.model import CRNNConfig, build_crnn, time_steps, trainable_count
from labcore.weights import load_weights_checked


def test_full_config_is_the_kaggle_crnn():
    model = build_crnn(CRNNConfig.full())
    assert trainable_count(model) == 2_406_430
    assert model.input.shape == (None, 256, 64, 1)
    assert model.output.shape == (None, 64, 30)
    assert model.get_layer("logits").activation.__name__ == "linear"  # CTC wants logits


def test_time_steps_is_width_over_width_pools():
    assert time_steps(CRNNConfig.full()) == 64
    assert time_steps(CRNNConfig(width=128)) == 32
    with pytest.raises(ValueError, match="divisible by 4"):
        time_steps(CRNNConfig(width=130))


def test_small_config_is_cpu_sized():
    model = build_crnn(CRNNConfig.small(num_classes=11))
    assert 300_000 <= trainable_count(model) <= 600_000
    assert model.output.shape == (None, 64, 11)


def small(num_classes, layers=2):
    return build_crnn(
        CRNNConfig(
            width=32,
            height=16,
            conv_filters=(4, 4, 4),
            dense_units=8,
            lstm_units=4,
            lstm_layers=layers,
            num_classes=num_classes,
        )
    )


def test_weights_round_trip(tmp_path):
    path = tmp_path / "digits.weights.h5"
    source = small(11)
    source.save_weights(path)
    target = load_weights_checked(small(11), path)
    x = np.random.default_rng(0).uniform(size=(1, 32, 16, 1)).astype(np.float32)
    np.testing.assert_allclose(target.predict(x, verbose=0), source.predict(x, verbose=0))


def test_weights_for_another_charset_or_architecture_are_refused(tmp_path):
    path = tmp_path / "digits.weights.h5"
    small(11).save_weights(path)
    with pytest.raises(ValueError) as err:
        load_weights_checked(small(30), path)
    msg = str(err.value)
    assert "\n" not in msg and "digits.weights.h5" in msg
    assert "num_classes=30" in msg and "num_classes=11" in msg
    # Keras alone would load this one silently, ignoring the file's second Bi-LSTM
    with pytest.raises(ValueError, match="another architecture"):
        load_weights_checked(small(11, layers=1), path)


def test_corrupt_or_missing_weights_raise_one_line(tmp_path):
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not an hdf5 file" * 4)
    with pytest.raises(ValueError, match="bad.weights.h5: not a Keras .weights.h5"):
        load_weights_checked(small(11), bad)
    legacy = tmp_path / "digits.h5"
    small(11).save_weights(tmp_path / "good.weights.h5")
    legacy.write_bytes((tmp_path / "good.weights.h5").read_bytes())
    with pytest.raises(ValueError, match=r"digits.h5: expected .*\*\.weights\.h5"):
        load_weights_checked(small(11), legacy)
    with pytest.raises(FileNotFoundError, match="missing.weights.h5"):
        load_weights_checked(small(11), tmp_path / "missing.weights.h5")
