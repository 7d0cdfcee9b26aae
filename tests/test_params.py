"""The parameter count 4*(u*(d+u)+u) equals Keras's count, and the Kaggle CRNN has 2,406,430."""

from __future__ import annotations

import keras
import pytest

from lstm_explained.params import (
    MERGE_MODES,
    bidirectional_param_count,
    kaggle_crnn,
    layer_table,
    lstm_param_count,
    param_table,
    stacked_param_count,
    trainable_count,
)


def count(layer, timesteps, input_dim):
    """Keras's own count for ``layer`` on inputs shaped (batch, timesteps, input_dim)."""
    inputs = keras.Input((timesteps, input_dim))
    return keras.Model(inputs, layer(inputs)).count_params()


@pytest.mark.parametrize("d, u", [(1, 1), (1, 4), (3, 16), (64, 256), (7, 2)])
def test_formula_equals_keras_for_one_lstm(d, u):
    assert lstm_param_count(d, u) == 4 * (u * (d + u) + u)
    assert lstm_param_count(d, u) == count(keras.layers.LSTM(u), 5, d)


@pytest.mark.parametrize("merge_mode", MERGE_MODES)
def test_bidirectional_doubles_the_count_whatever_the_merge_mode(merge_mode):
    layer = keras.layers.Bidirectional(keras.layers.LSTM(6), merge_mode=merge_mode)
    assert bidirectional_param_count(3, 6) == count(layer, 5, 3) == 2 * lstm_param_count(3, 6)


def test_units_is_not_timesteps_the_count_does_not_depend_on_T():
    assert count(keras.layers.LSTM(16), 10, 3) == count(keras.layers.LSTM(16), 500, 3)


def test_stacked_layer_reads_the_previous_layers_units_as_input_dim():
    assert stacked_param_count(3, [32, 16]) == lstm_param_count(3, 32) + lstm_param_count(32, 16)
    concat = stacked_param_count(3, [8, 8], bidirectional=True)
    summed = stacked_param_count(3, [8, 8], bidirectional=True, merge_mode="sum")
    assert concat - summed == 2 * 4 * 8 * 8  # concat doubles the second layer's input width


def test_param_table_formula_equals_keras_everywhere():
    table = param_table()
    assert len(table) >= 10
    assert (table["formula"] == table["keras"]).all(), table[table["formula"] != table["keras"]]


def test_kaggle_crnn_has_2_406_430_trainable_parameters():
    model = kaggle_crnn()
    assert trainable_count(model) == 2_406_430
    assert model.count_params() - trainable_count(model) == 2 * (32 + 64 + 128)  # BN moving stats
    assert model.input_shape == (None, 256, 64, 1)
    assert model.output_shape == (None, 64, 30)
    layers = layer_table(model)
    assert layers["trainable"].sum() == 2_406_430
    assert layers.loc["lstm2", "trainable"] == 2 * lstm_param_count(512, 256)


def test_kaggle_crnn_num_classes_changes_only_the_last_layer():
    assert trainable_count(kaggle_crnn(num_classes=80)) - 2_406_430 == 50 * (512 + 1)


def test_bad_sizes_are_one_line_value_errors():
    with pytest.raises(ValueError, match="expected input_dim >= 1 and units >= 1, got 0, 4"):
        lstm_param_count(0, 4)
    with pytest.raises(ValueError, match="merge_mode: expected one of"):
        stacked_param_count(3, [4, 4], bidirectional=True, merge_mode="max")
