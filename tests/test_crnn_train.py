"""Training: checkpoints, resume after an interruption, weights with their config, bad items."""

import json

import numpy as np
import pytest

from crnn.data import ImageSet, charset_for, digit_strings, keep_trainable, synthetic_names
from crnn.model import CRNNConfig, build_crnn
from crnn.train import (
    TTA_SHIFTS,
    ctc_log_likelihood,
    decode,
    evaluate,
    load_model,
    most_likely,
    predict_logits,
    read_model_info,
    read_texts,
    train,
)
from labcore.charset import Charset

TINY = CRNNConfig(conv_filters=(4, 8, 8), dense_units=8, lstm_units=8, lstm_layers=1)
DIGITS = Charset("0123456789")


class StopAfterFirstEpoch(Exception):
    pass


class Interrupt:
    """A callback that 'pulls the plug' at the end of the first epoch."""

    def __new__(cls):
        import keras

        class _Cb(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                raise StopAfterFirstEpoch

        return _Cb()


def test_keep_trainable_skips_bad_labels_and_says_how_many(capsys):
    images = np.full((4, 64, 256), 255, np.uint8)
    data = ImageSet(images, ["123", "12a", "1" * 40, "9"], "toy")
    kept = keep_trainable(data, DIGITS, time_steps=16)
    assert kept.texts == ["123", "9"]
    err = capsys.readouterr().err  # a diagnostic: stdout stays for results
    assert "skipped 2 of 4" in err and "outside the charset ['a']" in err and "too long" in err
    assert kept.dropped["outside_charset"] == 1 and kept.dropped["too_long"] == 1


def test_synthetic_names_are_deterministic_and_split_by_writer():
    a = synthetic_names(600, "test", limit=4, progress=False)
    b = synthetic_names(600, "test", limit=4, progress=False)
    assert a.images.shape == (4, 64, 256) and a.images.dtype == np.uint8
    assert a.texts == b.texts and np.array_equal(a.images, b.images)
    assert all(t == t.upper() for t in a.texts)


def test_synthetic_names_mark_their_form_crops():
    mixed = synthetic_names(600, "test", limit=12, progress=False)
    assert mixed.cropped.dtype == bool and 0 < mixed.cropped.sum() < 12  # half, about
    assert not synthetic_names(600, "test", limit=4, crop_share=0, progress=False).cropped.any()
    assert synthetic_names(600, "test", limit=4, crop_share=1, progress=False).cropped.all()
    crops = mixed.take(np.flatnonzero(mixed.cropped))
    assert crops.cropped.all() and crops.texts == [
        t for t, c in zip(mixed.texts, mixed.cropped, strict=True) if c
    ]


def test_an_interrupted_run_resumes_at_the_next_epoch(tmp_path):
    data = digit_strings(48, "train", seed=0)
    out = tmp_path / "tiny.weights.h5"
    with pytest.raises(StopAfterFirstEpoch):
        train(
            TINY,
            data,
            None,
            DIGITS,
            epochs=3,
            batch_size=16,
            out=out,
            verbose=0,
            callbacks=[Interrupt()],
        )
    assert (tmp_path / "tiny.weights.h5.backup").is_dir()  # the backup survived the crash
    result = train(TINY, data, None, DIGITS, epochs=3, batch_size=16, out=out, verbose=0)
    assert len(result.history["loss"]) == 2  # epochs 2 and 3 only: epoch 1 was not redone
    assert out.is_file() and not (tmp_path / "tiny.weights.h5.backup").exists()
    info = json.loads(out.with_name("tiny.json").read_text())
    assert info["charset"] == "0123456789" and info["recipe"]["epochs"] == 3


def test_saved_weights_reload_to_the_same_predictions(tmp_path):
    data = digit_strings(32, "train", seed=0)
    out = tmp_path / "tiny.weights.h5"
    result = train(TINY, data, None, DIGITS, epochs=1, batch_size=16, out=out, verbose=0)
    model, charset, info = load_model(out)
    assert charset.chars == DIGITS.chars and info["config"] == TINY.with_classes(11)
    x = np.swapaxes(data.images[:4], 1, 2)[..., None] / 255.0
    np.testing.assert_allclose(
        model.predict(x, verbose=0), result.model.predict(x, verbose=0), atol=1e-5
    )
    scores = evaluate(model, charset, data.take(range(8)))
    assert 0.0 <= scores["word_accuracy"] <= 1.0 and scores["n"] == 8
    assert scores["cer"] >= 0.0


def test_reading_at_several_heights_averages_the_probabilities_of_each_reading():
    """``predict_logits(shifts=...)``: log of the mean softmax of the shifted readings, step by
    step; one shift of 0 is the plain reading."""
    from crnn.preprocess import shift_rows

    model = build_crnn(TINY.with_classes(11))
    images = digit_strings(4, "test", seed=1).images
    plain = predict_logits(model, images)
    np.testing.assert_array_equal(predict_logits(model, images, shifts=(0,)), plain)

    def softmax(z):
        e = np.exp(z - z.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)

    readings = [softmax(predict_logits(model, shift_rows(images, dy))) for dy in TTA_SHIFTS]
    tta = predict_logits(model, images, shifts=TTA_SHIFTS)
    assert tta.shape == plain.shape
    np.testing.assert_allclose(np.exp(tta).sum(-1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.exp(tta), np.mean(readings, axis=0), atol=1e-5)
    assert not np.allclose(readings[1], readings[0])  # the shifted reading is another one
    with pytest.raises(ValueError, match="at least one shift"):
        predict_logits(model, images, shifts=())


def _two_steps(*steps):
    """Log-probabilities (1, T, 11) for the digits charset from {class: p} per step."""
    p = np.full((1, len(steps), 11), 1e-9)
    for t, step in enumerate(steps):
        for k, v in step.items():
            p[0, t, k] = v
    return np.log(p / p.sum(-1, keepdims=True))


def test_ctc_log_likelihood_sums_every_alignment_of_a_hand_worked_example():
    charset = charset_for("digits")  # blank 0, "0" is 1, "1" is 2
    logits = _two_steps({0: 0.1, 1: 0.5, 2: 0.4}, {0: 0.2, 1: 0.3, 2: 0.5})
    # "0" in two steps: 0-, -0, 00; "01": 0 then 1, the only alignment
    ll = ctc_log_likelihood(np.repeat(logits, 2, axis=0), ["0", "01"], charset)
    want = [0.5 * 0.2 + 0.1 * 0.3 + 0.5 * 0.3, 0.5 * 0.5]
    np.testing.assert_allclose(np.exp(ll), want, rtol=1e-4)


def test_most_likely_keeps_the_text_both_readings_find_likelier():
    charset = charset_for("digits")
    steps_a = {0: 0.1, 1: 0.5, 2: 0.4}  # reads "0": p("0") = 0.35, p("1") = 0.24
    steps_b = {0: 0.1, 1: 0.05, 2: 0.85}  # reads "1": p("0") = 0.0125, p("1") = 0.8925
    a, b = _two_steps(steps_a, steps_a), _two_steps(steps_b, steps_b)
    assert decode(a, charset) == ["0"] and decode(b, charset) == ["1"]
    # 0.24 * 0.8925 > 0.35 * 0.0125: "1", though the first reading said "0"
    assert most_likely([a, b], charset) == ["1"]
    assert most_likely([b, a], charset) == ["1"]
    assert most_likely([a, a], charset) == ["0"]  # agreeing readings are kept as they are


def test_read_texts_plain_is_the_greedy_reading_and_tta_reads_every_image():
    model = build_crnn(TINY.with_classes(11))
    images = digit_strings(4, "test", seed=1).images
    charset = charset_for("digits")
    assert read_texts(model, images, charset) == decode(predict_logits(model, images), charset)
    assert len(read_texts(model, images, charset, tta=True)) == 4


def test_weights_of_another_charset_are_refused_in_one_line(tmp_path):
    out = tmp_path / "tiny.weights.h5"
    train(
        TINY, digit_strings(16, "train"), None, DIGITS, epochs=1, batch_size=16, out=out, verbose=0
    )
    from labcore.weights import load_weights_checked

    names_model = build_crnn(TINY.with_classes(30))
    with pytest.raises(ValueError, match="another charset") as err:
        load_weights_checked(names_model, out)
    assert "\n" not in str(err.value)


def test_a_missing_or_broken_sidecar_is_named(tmp_path):
    weights = tmp_path / "x.weights.h5"
    with pytest.raises(FileNotFoundError, match="weights file not found: .*x.weights.h5"):
        read_model_info(weights)  # a mistyped path is named as such, not as a missing .json
    weights.write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="x.json"):
        read_model_info(weights)
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(ValueError, match="not a CRNN model description"):
        read_model_info(weights)


def test_augment_is_seeded_keeps_the_shape_and_only_shrinks_or_moves_ink():
    import tensorflow as tf

    from crnn.train import augment

    img = np.ones((256, 64, 1), np.float32)
    img[20:120, 16:48] = 0.0  # a block of ink
    a = augment(tf.constant(img), tf.constant([3, 4])).numpy()
    b = augment(tf.constant(img), tf.constant([3, 4])).numpy()
    c = augment(tf.constant(img), tf.constant([5, 6])).numpy()
    assert a.shape == img.shape and np.array_equal(a, b) and not np.array_equal(a, c)
    assert 0.0 <= a.min() and a.max() <= 1.0
    assert (1 - a).sum() <= 1.3 * (1 - img).sum() + 0.05 * img.size  # never more ink than paper


def test_augment_never_shrinks_small_writing_out_of_reach():
    """A name 10 rows high (a form crop's) keeps its height; a tall one may shrink to a third."""
    import tensorflow as tf

    from crnn.train import augment

    def ink_rows(img, seed):
        out = augment(tf.constant(img), tf.constant([seed, 1])).numpy()[..., 0]
        return int(((out < 0.75).sum(axis=0) >= 3).sum())  # rows (the H axis) holding ink

    small = np.ones((256, 64, 1), np.float32)
    small[20:200, 27:37] = 0.0
    assert min(ink_rows(small, s) for s in range(20)) >= 8  # 10 rows, give or take the pen
    tall = np.ones((256, 64, 1), np.float32)
    tall[20:200, 4:60] = 0.0
    assert min(ink_rows(tall, s) for s in range(20)) < 30


def test_resuming_with_another_model_names_the_setting(tmp_path, capsys):
    from dataclasses import replace

    import keras

    class CtrlC(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    data = digit_strings(32, "train", seed=0)
    out = tmp_path / "tiny.weights.h5"
    with pytest.raises(KeyboardInterrupt):
        train(TINY, data, None, DIGITS, epochs=2, batch_size=16, out=out, verbose=0,
              callbacks=[CtrlC()])  # fmt: skip
    assert "run the same command again to resume" in capsys.readouterr().err
    sidecar = out.with_name("tiny.json").read_bytes()
    wider = replace(TINY, lstm_units=16)
    with pytest.raises(ValueError, match="lstm_units=8 \\(now 16\\)"):
        train(wider, data, None, DIGITS, epochs=2, batch_size=16, out=out, verbose=0)
    assert out.with_name("tiny.json").read_bytes() == sidecar  # nothing rewritten


def test_a_finished_run_is_never_trained_over(tmp_path):
    from labcore.training import check_can_train

    data = digit_strings(32, "train", seed=0)
    out = tmp_path / "tiny.weights.h5"
    train(TINY, data, None, DIGITS, epochs=1, batch_size=16, out=out, verbose=0)
    before = out.read_bytes(), out.with_name("tiny.json").read_bytes()
    with pytest.raises(FileExistsError, match="finished run.*--init"):
        train(TINY, data, None, DIGITS, epochs=2, batch_size=16, out=out, verbose=0)
    assert (out.read_bytes(), out.with_name("tiny.json").read_bytes()) == before
    with pytest.raises(FileExistsError):
        check_can_train(out)


def _arrays(path) -> dict:
    """Every model array of a .weights.h5 file (the optimizer's left out), by name."""
    import h5py

    found = {}
    with h5py.File(path, "r") as f:
        f["layers"].visititems(
            lambda n, o: found.setdefault(n, o[()]) if isinstance(o, h5py.Dataset) else None
        )
    return found


def test_non_finite_weights_stop_training_and_keep_the_last_good_file(tmp_path):
    import keras

    class Diverge(keras.callbacks.Callback):  # what a diverging update does to the weights
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.set_weights([w * np.nan for w in self.model.get_weights()])

    data = digit_strings(32, "train", seed=0)
    out = tmp_path / "tiny.weights.h5"
    with pytest.raises(FloatingPointError, match="epoch 3; .* keeps epoch [12].*resume"):
        train(TINY, data, None, DIGITS, epochs=4, batch_size=16, out=out, verbose=0,
              callbacks=[Diverge()])  # fmt: skip
    assert all(np.isfinite(a).all() for a in _arrays(out).values())  # never a NaN file
    assert (tmp_path / "tiny.weights.h5.backup").is_dir()  # resumable from epoch 2


def test_a_resumed_run_keeps_a_better_earlier_epoch(tmp_path):
    data = digit_strings(48, "train", seed=0)
    out = tmp_path / "tiny.weights.h5"
    with pytest.raises(StopAfterFirstEpoch):
        train(TINY, data, None, DIGITS, epochs=3, batch_size=16, out=out, verbose=0,
              callbacks=[Interrupt()])  # fmt: skip
    record = tmp_path / "tiny.weights.h5.backup" / "best.json"
    saved = json.loads(record.read_text())
    assert saved["epoch"] == 1 and np.isfinite(saved["best"])
    record.write_text(json.dumps({**saved, "best": -1.0}))  # pretend epoch 1 was unbeatable
    first = _arrays(out)
    result = train(TINY, data, None, DIGITS, epochs=3, batch_size=16, out=out, verbose=0)
    assert len(result.history["loss"]) == 2  # epochs 2 and 3 ran...
    after = _arrays(out)  # ...and neither replaced the better epoch 1
    assert after.keys() == first.keys()
    assert all(np.array_equal(after[k], first[k]) for k in first)
