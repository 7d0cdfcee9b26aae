"""CTC conventions: logits in, blank 0, labels padded with 0; decoders agree on a hand-worked case."""

import keras
import numpy as np
import pytest

from crnn.model import CRNNConfig, build_crnn, time_steps
from labcore.charset import Charset
from labcore.ctc import (
    best_path,
    check_label_fits,
    ctc_beam_decode,
    ctc_greedy_decode,
    ctc_loss,
    min_time_steps,
)

AB = Charset("ab")  # blank 0, a 1, b 2


def frames_to_logits(frames, high=3.0, low=-3.0):
    """One confident frame per class id: (1, T, 3) logits."""
    logits = np.full((1, len(frames), AB.num_classes), low, np.float32)
    logits[0, np.arange(len(frames)), frames] = high
    return logits


def test_greedy_and_beam_agree_on_hand_built_frames():
    logits = frames_to_logits([1, 1, 0, 1, 2, 2])  # a a - a b b
    assert best_path(logits).tolist() == [[1, 1, 0, 1, 2, 2]]
    assert ctc_greedy_decode(logits, AB) == ["aab"]  # repeats merge, the blank splits "a a"
    assert ctc_beam_decode(logits, AB, beam_width=10) == ["aab"]


def test_decoders_respect_lengths_and_batches():
    logits = np.concatenate([frames_to_logits([1, 0, 2, 2]), frames_to_logits([2, 2, 0, 1])])
    assert ctc_greedy_decode(logits, AB) == ["ab", "ba"]
    assert ctc_greedy_decode(logits, AB, lengths=[1, 2]) == ["a", "b"]


def test_beam_search_wants_logits_not_probabilities():
    logits = frames_to_logits([1, 1, 0, 1, 2, 2])
    log_probs = np.asarray(keras.ops.log_softmax(logits, axis=-1))
    probs = np.exp(log_probs)
    assert ctc_beam_decode(log_probs, AB) == ["aab"]  # log-softmax is harmless
    assert ctc_beam_decode(probs, AB) != ["aab"]  # softmax twice flattens the frames


def test_loss_equals_keras_ctc_and_ignores_padding_values():
    logits = frames_to_logits([1, 1, 0, 1, 2, 2])
    labels = AB.pad_labels(["aab"], max_len=5)[0]
    ours = np.asarray(ctc_loss(labels, logits))
    keras_loss = np.asarray(keras.losses.CTC(reduction=None)(labels, logits))
    np.testing.assert_allclose(ours, keras_loss, rtol=1e-6)
    garbage_pad = labels.copy()
    garbage_pad[0, 3:] = 2
    explicit = np.asarray(ctc_loss(garbage_pad, logits, label_lengths=[3], logit_lengths=[6]))
    np.testing.assert_allclose(explicit, ours, rtol=1e-6)
    assert ours[0] < 0.1  # the frames spell "aab" confidently
    wrong = np.asarray(ctc_loss(AB.pad_labels(["bba"], 5)[0], logits))
    assert wrong[0] > 10 * ours[0]


def test_min_time_steps_counts_blanks_between_repeats():
    assert min_time_steps("ANNA") == 5  # A N - N A
    assert min_time_steps("BOB") == 3
    assert min_time_steps("") == 0
    assert min_time_steps(np.array([3, 3, 3])) == 5


def test_check_label_fits_catches_too_long_labels():
    labels = ["KEVIN", "AAAAAAAA", "ABCDEFGHI"]  # needs 5, 15 and 9 frames
    assert check_label_fits(labels, time_steps=9) == [1]
    assert check_label_fits(labels, time_steps=8) == [1, 2]


def test_a_label_too_long_for_the_frames_gets_an_absurd_loss_and_is_flagged():
    logits = np.random.default_rng(0).normal(size=(3, 4, AB.num_classes)).astype(np.float32)
    texts = ["ab", "aaa", "abab"]  # need 2, 5 and 4 frames; there are 4
    loss = np.asarray(ctc_loss(AB.pad_labels(texts, max_len=4)[0], logits))
    assert np.all(np.isfinite(loss))  # no inf, no NaN: nothing warns you ...
    assert loss[1] > 100 * max(loss[0], loss[2])  # ... yet "aaa" dominates the batch
    assert check_label_fits(texts, time_steps=4) == [1]


def test_decoder_rejects_logits_for_another_charset():
    with pytest.raises(ValueError, match=r"expected logits \(B, T, 3\)"):
        ctc_greedy_decode(np.zeros((1, 4, 11), np.float32), AB)


def test_ctc_loss_trains_a_tiny_crnn():
    keras.utils.set_random_seed(0)
    config = CRNNConfig(
        width=32,
        height=16,
        conv_filters=(4, 8, 8),
        conv_dropout=(0.0, 0.0, 0.0),
        dense_units=16,
        lstm_units=8,
        lstm_layers=1,
        num_classes=AB.num_classes,
    )
    assert time_steps(config) == 8
    model = build_crnn(config)
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(8, 32, 16, 1)).astype(np.float32)
    labels, _ = AB.pad_labels(["ab", "ba", "aab", "b", "abb", "a", "ba", "bab"], max_len=4)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=ctc_loss)
    history = model.fit(images, labels, epochs=8, batch_size=8, verbose=0).history["loss"]
    assert np.all(np.isfinite(history))
    assert history[-1] < history[0]
