"""crnn.bulk: the large-data, any-backend recipe of the shipped names model."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from crnn.bulk import augment_np, batches, data_source, main, make_bulk_data
from crnn.preprocess import HEIGHT, WIDTH, shift_rows


def _name_image():
    img = np.full((HEIGHT, WIDTH), 255, np.uint8)
    for x in range(30, 220, 12):
        img[20:44, x : x + 3] = 0  # 24 rows of strokes 3 px wide, as a pen draws at this size
    return img


def test_augment_np_redraws_the_same_way_for_the_same_seed_and_keeps_the_name_readable():
    img = _name_image()
    a = augment_np(img, np.random.default_rng(3))
    b = augment_np(img, np.random.default_rng(3))
    assert a.shape == (HEIGHT, WIDTH) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    rows = []
    for seed in range(40):
        out = augment_np(img, np.random.default_rng(seed))
        ink = 1.0 - out / 255.0
        assert np.median(out) > 200  # still paper around the writing
        rows.append(int(np.sum(ink.max(axis=1) > 0.3)))
    # shrunk at times, never below the 14 rows of ink that keep a name readable
    assert min(rows) >= 12 and max(rows) > min(rows)


def test_bulk_parts_are_new_writers_and_differ_from_each_other():
    images, texts = make_bulk_data(2, 200, augment_share=0.0, workers=1)
    assert images.shape == (320, HEIGHT, WIDTH) and len(texts) == 320  # 80% of 2 x 200
    again, texts2 = make_bulk_data(1, 200, augment_share=0.0, workers=1, first_part=1)
    np.testing.assert_array_equal(again, images[160:])  # part 1 is the same whoever asks
    assert texts2 == texts[160:] and texts[:160] != texts[160:]


def test_bulk_crop_share_reaches_the_renderer():
    """``--crop-share 1`` writes every name as a form crop, ``0`` none, on the same writers."""
    from crnn import data
    from crnn.bulk import FIRST_SEED

    crops, texts = make_bulk_data(1, 20, augment_share=0.0, workers=1, crop_share=1.0)
    names = data.synthetic_names(20, seed=FIRST_SEED, progress=False, workers=1, crop_share=1.0)
    assert names.cropped.all() and texts == names.texts
    np.testing.assert_array_equal(crops, names.images)
    plain, texts0 = make_bulk_data(1, 20, augment_share=0.0, workers=1, crop_share=0.0)
    assert texts0 == texts and not np.array_equal(plain, crops)


def test_bulk_data_file_records_its_crop_and_augment_shares_for_the_recipe(tmp_path):
    """The recipe of weights trained on a ``crnn.bulk data`` file says how that file was made;
    files written before the augment share was saved still describe themselves."""
    out = tmp_path / "d.npz"
    args = ["data", "--parts", "1", "--lines", "10", "--first-part", "3"]
    assert main([*args, "--crop-share", "0.75", "--augment", "0.2", "--out", str(out)]) == 0
    with np.load(out) as z:
        assert data_source(z) == (
            "bulk synthetic names (train splits of seed 103, 75% form crops, 20% augmented)"
        )
        older = {k: z[k] for k in ("seeds", "crop_share")}
    assert data_source(older).endswith("75% form crops)")
    assert "train splits of seeds 103-104," in data_source({"seeds": np.array([103, 104])})
    assert data_source({}) == "bulk synthetic names"


def test_bulk_fit_trains_under_jax_and_its_weights_load_under_tensorflow(tmp_path):
    """``KERAS_BACKEND=jax python -m crnn.bulk fit`` (how the GPU without TensorFlow trained
    the shipped names model): the file it saves loads here and holds new weights."""
    from crnn.data import charset_for
    from crnn.model import CRNNConfig, build_crnn
    from crnn.train import load_model, save_model_info

    images, texts = make_bulk_data(1, 60, augment_share=0.5, workers=1)
    data = tmp_path / "d.npz"
    np.savez(data, images=images, texts=np.array(texts, dtype=str))
    charset = charset_for("synthetic")
    config = CRNNConfig.small(charset.num_classes)
    init = tmp_path / "init.weights.h5"
    start = build_crnn(config)
    start.save_weights(str(init))
    save_model_info(init, config, charset)
    out = tmp_path / "out" / "bulk.weights.h5"
    args = ["--data", str(data), "--config", "small", "--init", str(init), "--seconds", "2"]
    args += ["--batch-size", "8", "--steps-per-epoch", "2", "--out", str(out)]
    args += ["--conv-dropout", "0"]  # trained without dropout, saved as the config it came from
    args += ["--shift-rows", "2"]  # names moved up or down by up to 2 pixels
    run = subprocess.run(
        [sys.executable, "-m", "crnn.bulk", "fit", *args],
        env={**os.environ, "KERAS_BACKEND": "jax"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    model, loaded_charset, info = load_model(out)
    assert loaded_charset.chars == charset.chars and info["config"] == config
    recipe = json.loads(out.with_name("bulk.json").read_text())["recipe"]
    assert recipe["backend"] == "jax" and recipe["steps"] >= 2 and recipe["n_train"] == len(texts)
    assert recipe["conv_dropout_in_training"] == [0.0, 0.0, 0.0]
    assert recipe["shift_rows_in_training"] == 2
    changed = [
        not np.allclose(a, b) for a, b in zip(model.get_weights(), start.get_weights(), strict=True)
    ]
    assert any(changed)
    assert all(np.isfinite(w).all() for w in model.get_weights())


def test_training_without_dropout_keeps_the_weights_of_the_shipped_architecture(tmp_path):
    """``--conv-dropout 0`` trains a model without Dropout layers whose file loads, array for
    array, into the Kaggle CRNN: the shipped file stays that architecture."""
    from crnn.bulk import training_config
    from crnn.model import CRNNConfig, build_crnn
    from labcore.weights import load_weights_checked

    config = CRNNConfig.small()
    assert training_config(config, None) is config
    plain = build_crnn(training_config(config, 0.0))
    assert [layer.name for layer in plain.layers if "dropout" in layer.name] == []
    assert [layer.name for layer in build_crnn(config).layers if "dropout" in layer.name]
    path = tmp_path / "plain.weights.h5"
    plain.save_weights(str(path))
    loaded = load_weights_checked(build_crnn(config), path)
    for a, b in zip(loaded.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="--conv-dropout"):
        training_config(config, 1.0)


def test_batches_shift_rows_moves_images_up_or_down_only_and_the_same_way_for_a_seed():
    x = np.random.default_rng(0).integers(0, 200, (12, 8, 10), dtype=np.uint8)  # (N, W, H)
    labels = np.arange(12)[:, None]
    plain = next(batches(x, labels, 6, seed=3))
    shifted = next(batches(x, labels, 6, seed=3, shift=2))
    again = next(batches(x, labels, 6, seed=3, shift=2))
    np.testing.assert_array_equal(shifted[0], again[0])
    np.testing.assert_array_equal(shifted[1], plain[1])  # same images, same labels
    moved = 0
    for img, ref in zip(shifted[0][..., 0], plain[0][..., 0], strict=True):
        same = [dy for dy in range(-2, 3) if np.array_equal(img, shift_rows(ref, dy, axis=-1))]
        assert same, "every image is its plain self moved by -2..2 rows"
        moved += same[0] != 0
    assert moved > 0


def test_bulk_fit_refuses_a_shift_that_is_not_a_few_pixels(tmp_path, capsys):
    data = tmp_path / "d.npz"
    images, texts = make_bulk_data(1, 20, augment_share=0.0, workers=1)
    np.savez(data, images=images, texts=np.array(texts, dtype=str))
    args = ["fit", "--data", str(data), "--out", str(tmp_path / "w.weights.h5")]
    assert main([*args, "--shift-rows", "-1"]) == 2
    assert "--shift-rows" in capsys.readouterr().err
