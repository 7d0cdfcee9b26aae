"""Part 6: the mixture density output, the attention window, sampling, training, the CLI."""

from __future__ import annotations

import json
import math
import types

import keras
import numpy as np
import pytest
from scipy.stats import multivariate_normal

from ink.synthetic import write
from synthesis.__main__ import main
from synthesis.attention import KAPPA_SCALE, WindowLSTM, window_step
from synthesis.mdn import log_density, mixture_nll, sample_point, split_numpy
from synthesis.network import SynthesisConfig, build_network
from synthesis.sampling import HandWriter, load_writer, save_line, stack_lines
from synthesis.training import (
    JAX_LENGTHS,
    TEXT_PAD,
    StepBatches,
    TrainConfig,
    evaluate_nll,
    make_writing_data,
    pad_for_jax,
    pad_lines,
    train_writer,
    writer_charset,
)

TEXTS = ["hello world", "a line", "ink", "stroke by stroke", "abc", "the end"]


def _tiny_data():
    """Six short synthetic lines, normalised (a fresh copy each call: one test poisons it)."""
    return make_writing_data([write(t, writer=i) for i, t in enumerate(TEXTS)], TEXTS, "tiny")


SMALL = SynthesisConfig(units=8, layers=2, n_mixtures=2, n_gaussians=2, vocab=len(writer_charset()))


def _raw(e_logit, pi_logits, mu1, mu2, log_s1, log_s2, rho_raw):
    return np.concatenate([[e_logit], pi_logits, mu1, mu2, log_s1, log_s2, rho_raw]).astype(
        np.float32
    )


# ------------------------------------------------------------------------------- mixture (MDN)
def test_mixture_nll_matches_a_hand_computed_value():
    # one component: N((1.0, 0.1) | mu (0.5, -0.2), s (1.5, 0.5), rho tanh(0.3)), eos 1, e=sig(0.4)
    y = _raw(0.4, [0.0], [0.5], [-0.2], [math.log(1.5)], [math.log(0.5)], [0.3])
    rho = math.tanh(0.3)
    z1, z2 = (1.0 - 0.5) / 1.5, (0.1 + 0.2) / 0.5
    z = z1 * z1 + z2 * z2 - 2 * rho * z1 * z2
    density = math.exp(-z / (2 * (1 - rho**2))) / (2 * math.pi * 1.5 * 0.5 * math.sqrt(1 - rho**2))
    e = 1 / (1 + math.exp(-0.4))
    expected = -math.log(density) - math.log(e)
    got = float(mixture_nll(np.array([[[1.0, 1.0, 0.1]]], np.float32), y[None, None], 1)[0, 0])
    assert got == pytest.approx(expected, rel=1e-5)


def test_mixture_nll_matches_scipy_for_two_components_and_pen_down():
    y = _raw(-1.0, [0.2, -0.5], [0.0, 1.0], [0.5, -1.0], [0.1, -0.3], [0.0, 0.4], [0.5, -0.8])
    p = split_numpy(y, 2)
    x = np.array([0.3, 0.2])
    mix = sum(
        p["pi"][j]
        * multivariate_normal.pdf(
            x,
            [p["mu1"][j], p["mu2"][j]],
            [
                [p["s1"][j] ** 2, p["rho"][j] * p["s1"][j] * p["s2"][j]],
                [p["rho"][j] * p["s1"][j] * p["s2"][j], p["s2"][j] ** 2],
            ],
        )
        for j in range(2)
    )
    expected = -math.log(mix) - math.log(1 - p["e"])
    got = float(mixture_nll(np.array([[[0.0, 0.3, 0.2]]], np.float32), y[None, None], 2)[0, 0])
    assert got == pytest.approx(expected, rel=1e-5)
    assert float(log_density(p, 0.3, 0.2)) == pytest.approx(math.log(mix), rel=1e-6)


def test_a_far_point_gives_a_large_finite_loss_not_inf():
    y = _raw(0.0, [0.0], [0.0], [0.0], [-5.0], [-5.0], [0.0])
    nll = float(mixture_nll(np.array([[[0.0, 50.0, 50.0]]], np.float32), y[None, None], 1)[0, 0])
    assert np.isfinite(nll) and nll > 1e6


def test_bias_sharpens_weights_and_shrinks_sigmas():
    y = _raw(0.0, [1.0, 0.0], [0, 0], [0, 0], [0.2, 0.4], [0.1, 0.3], [0, 0])
    p0, p1 = split_numpy(y, 2, bias=0.0), split_numpy(y, 2, bias=1.0)
    np.testing.assert_allclose(p1["s1"], p0["s1"] * math.exp(-1.0))
    assert p1["pi"][0] > p0["pi"][0] and p0["pi"].sum() == pytest.approx(1.0)


def test_sampled_points_follow_the_mixture():
    y = _raw(0.0, [0.0], [2.0], [-1.0], [math.log(0.5)], [math.log(0.25)], [0.0])
    rng = np.random.default_rng(0)
    pts = np.array([sample_point(split_numpy(y, 1), rng) for _ in range(3000)])
    assert pts[:, 1].mean() == pytest.approx(2.0, abs=0.05)
    assert pts[:, 2].std() == pytest.approx(0.25, abs=0.02)
    assert pts[:, 0].mean() == pytest.approx(0.5, abs=0.05)  # e = sigmoid(0)


# ------------------------------------------------------------------------------- attention
def test_window_moves_forward_and_reads_the_text():
    keras.utils.set_random_seed(0)
    layer = WindowLSTM(8, n_gaussians=3)
    x = np.random.default_rng(0).normal(size=(2, 40, 3)).astype(np.float32)
    chars = np.eye(5, dtype=np.float32)[[[0, 1, 2, 3], [4, 4, 1, 0]]]  # (B=2, U=4, V=5)
    h, w, kappa = (np.asarray(a) for a in layer([x, chars]))
    assert h.shape == (2, 40, 8) and w.shape == (2, 40, 5) and kappa.shape == (2, 40, 3)
    assert np.all(np.diff(kappa, axis=1) > 0)  # kappa only moves forward
    # w is phi-weighted letters: for the first line each row is phi itself (eye), all >= 0
    assert np.all(w >= 0)
    assert np.allclose(w[1, :, 2:4], 0.0)  # letters the second text does not hold get no weight


def test_window_step_on_a_toy_input():
    # one Gaussian, alpha = 1, beta = 1, kappa moves by exp(0) / KAPPA_SCALE from 2 - 1/SCALE
    h = np.zeros(4)
    kernel, bias = np.zeros((4, 3)), np.zeros(3)
    chars = np.eye(5)
    kappa, phi, w = window_step(h, np.array([2.0 - 1 / KAPPA_SCALE]), kernel, bias, chars)
    assert kappa[0] == pytest.approx(2.0)
    assert phi.shape == (6,) and np.argmax(phi) == 2 and phi[2] == pytest.approx(1.0)
    np.testing.assert_allclose(phi[:-1], np.exp(-((2.0 - np.arange(5)) ** 2)))
    np.testing.assert_allclose(w, phi[:-1])


# ------------------------------------------------------------------------------- networks
def _info(model_config: SynthesisConfig, scale: float = 0.7) -> dict:
    return {"config": model_config.to_dict(), "offset_scale": scale, "max_chars": 20}


@pytest.mark.parametrize("conditional", [True, False])
def test_numpy_writer_matches_the_keras_network(conditional):
    keras.utils.set_random_seed(1)
    config = SynthesisConfig(
        conditional=conditional,
        units=12,
        layers=3,
        n_mixtures=3,
        n_gaussians=2,
        vocab=len(writer_charset()),
    )
    model = build_network(config)
    for v in model.trainable_variables:  # untrained but not near-zero weights
        v.assign(np.random.default_rng(2).normal(0, 0.3, v.shape).astype("float32"))
    data = make_writing_data([write("hi there", writer=1)], ["hi there"], "t", offset_scale=0.7)
    batch = pad_lines(data, [0])
    inputs = {"strokes": batch["strokes"]}
    if conditional:
        inputs["chars"] = batch["chars"]
    y_keras = np.asarray(model(inputs))[0]
    writer = HandWriter(model, _info(config))
    y_numpy, phi, _ = writer.teacher_forced(
        batch["strokes"][0], "hi there" if conditional else None
    )
    np.testing.assert_allclose(y_numpy, y_keras, atol=1e-4)
    assert (phi is not None) == conditional


@pytest.fixture(scope="module")
def tiny_weights(tmp_path_factory):
    """A tiny synthesis network trained for a few steps, saved as the CLI saves it."""
    folder = tmp_path_factory.mktemp("writer")
    data = _tiny_data()
    config = SynthesisConfig(
        units=16, layers=2, n_mixtures=3, n_gaussians=2, vocab=len(writer_charset())
    )
    out = folder / "tiny.weights.h5"
    train_writer(
        config,
        TrainConfig(steps=4, batch_size=3, save_every=2, eval_every=2),
        data,
        data,
        out,
        progress=False,
    )
    return out


def test_training_writes_weights_sidecar_and_history(tiny_weights):
    info = json.loads(tiny_weights.with_name("tiny.json").read_text())
    assert info["config"]["units"] == 16 and info["max_chars"] == max(map(len, TEXTS))
    assert [row["step"] for row in info["history"]] == [2, 4]
    assert all(np.isfinite(row["val_nll"]) for row in info["history"])


def test_an_interrupted_run_resumes_at_its_step(tmp_path):
    data, config = _tiny_data(), SMALL
    out = tmp_path / "w.weights.h5"
    first = train_writer(
        config,
        TrainConfig(steps=2, batch_size=3, save_every=1, eval_every=1),
        data,
        None,
        out,
        progress=False,
    )
    assert first.steps == 2
    second = train_writer(
        config,
        TrainConfig(steps=5, batch_size=3, save_every=1, eval_every=1),
        data,
        None,
        out,
        progress=False,
    )
    assert second.steps == 3  # steps 3..5 only
    assert [row["step"] for row in second.history] == [1, 2, 3, 4, 5]


def test_batches_are_a_function_of_the_step():
    data = _tiny_data()
    a, b = StepBatches(data, 3, seed=0), StepBatches(data, 3, seed=0)
    for key in ("strokes", "chars", "mask"):
        np.testing.assert_array_equal(a(7)[key], b(7)[key])
    batch = a(0)
    assert batch["strokes"].shape[:2] == batch["mask"].shape
    np.testing.assert_array_equal(
        batch["strokes"][:, 1:], batch["targets"][:, :-1] * batch["mask"][:, 1:, None]
    )


# ------------------------------------------------------------------------------- sampling
def test_sampling_is_deterministic_with_a_seed(tiny_weights):
    writer = load_writer(tiny_weights)
    a = writer.generate("hello", bias=1.0, seed=3)
    b = writer.generate("hello", bias=1.0, seed=3)
    c = writer.generate("hello", bias=1.0, seed=4)
    np.testing.assert_array_equal(a.offsets, b.offsets)
    assert not np.array_equal(a.offsets[: len(c.offsets)], c.offsets[: len(a.offsets)])
    assert a.offsets.ndim == 2 and a.offsets.shape[1] == 3 and a.offsets[-1, 0] == 1.0
    assert set(np.unique(a.offsets[:, 0])) <= {0.0, 1.0}
    assert a.phi.shape == (len(a.offsets) - 1, len("hello") + 1)
    assert np.all(np.diff(a.kappa, axis=0) > 0)


def test_a_line_ends_where_the_writer_would_start_another_word(tiny_weights, monkeypatch):
    """The network writes "ab" + " ". A scripted network: it writes the letters, lifts the pen,
    goes back left to dot a letter (kept), then jumps right past the ink while the window reads
    the final space: that jump would start a word that is not there, so the line stops."""
    writer = load_writer(tiny_weights)
    script = [  # (argmax of phi, sampled point (eos, dx, dy))
        (0, (0, 1.0, 0.0)),
        (1, (1, 1.0, 0.0)),  # pen up at x = 2, the right edge
        (2, (0, -1.5, 1.0)),  # window on the final space: back left, a delayed dot
        (2, (1, 0.1, 0.0)),
        (2, (0, 3.0, 0.0)),  # a jump to x = 3.6, right of everything written: stop here
        (2, (1, 1.0, 0.0)),
    ]
    steps = iter(script)
    seen = {}

    def step(x, state, chars):
        seen["chars"] = chars
        u, point = next(steps)
        step.point = point
        phi = np.full(len(chars) + 1, 0.01)
        phi[u] = 1.0
        return np.zeros(1), phi

    monkeypatch.setattr(writer, "step", step)
    monkeypatch.setattr("synthesis.sampling.split_numpy", lambda y, m, bias: None)
    monkeypatch.setattr(
        "synthesis.sampling.sample_point", lambda p, rng: np.array(step.point, np.float32)
    )
    gen = writer.generate("ab", seed=0)
    assert len(seen["chars"]) == 3  # "ab" and the space after it
    assert gen.finished
    np.testing.assert_allclose(
        gen.offsets[1:, 1] / writer.offset_scale, [1.0, 1.0, -1.5, 0.1], rtol=1e-6
    )
    assert gen.phi.shape == (4, 3)  # the letters and the end-of-line space


def test_priming_and_bad_text_give_clear_errors(tiny_weights):
    writer = load_writer(tiny_weights)
    with pytest.raises(ValueError, match="outside the model's charset: '€'"):
        writer.generate("price 5€")
    with pytest.raises(ValueError, match="at most 16; use write_lines"):
        writer.generate("a line far too long for it")
    with pytest.raises(ValueError, match="priming line's text"):
        writer.generate("abc", prime=write("ink", writer=2))
    gen = writer.generate("abc", prime=write("ink", writer=2), prime_text="ink")
    assert gen.phi.shape[1] == len("abc") + 1  # the window of the new text only
    long = writer.write_lines("a line far too long for it", seed=0)
    assert long.shape[1] == 3 and long[:, 0].sum() >= 2


def test_stacked_lines_keep_every_point():
    a, b = write("ab", writer=0), write("cd", writer=1)
    both = stack_lines([a, b])
    assert len(both) == len(a) + len(b)
    assert both[len(a) - 1, 0] == 1.0  # the pen lifts between the lines


@pytest.mark.parametrize("suffix", [".png", ".svg", ".npy"])
def test_generate_cli_writes_each_file_type(tiny_weights, tmp_path, suffix, capsys):
    out = tmp_path / f"line{suffix}"
    rc = main(
        [
            "generate",
            "--text",
            "hello",
            "--weights",
            str(tiny_weights),
            "--seed",
            "1",
            "--out",
            str(out),
        ]
    )
    assert rc == 0 and out.is_file() and out.stat().st_size > 0
    if suffix == ".npy":
        line = np.load(out)
        assert line.ndim == 2 and line.shape[1] == 3
        np.testing.assert_array_equal(
            line, load_writer(tiny_weights).generate("hello", bias=1.0, seed=1).offsets
        )


def test_generate_cli_errors_are_one_line(tiny_weights, tmp_path, capsys):
    rc = main(
        [
            "generate",
            "--text",
            "5€",
            "--weights",
            str(tiny_weights),
            "--out",
            str(tmp_path / "x.png"),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "outside the model's charset" in err and err.count("\n") == 1
    rc = main(
        [
            "generate",
            "--text",
            "hi",
            "--weights",
            str(tiny_weights),
            "--out",
            str(tmp_path / "x.gif"),
        ]
    )
    assert rc == 2 and ".png, .svg or .npy" in capsys.readouterr().err
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not hdf5")
    bad.with_name("bad.json").write_text(tiny_weights.with_name("tiny.json").read_text())
    rc = main(["generate", "--text", "hi", "--weights", str(bad), "--out", str(tmp_path / "y.npy")])
    assert rc == 2 and "corrupt" in capsys.readouterr().err


def test_numbers_with_real_strokes_is_refused_in_one_line(tmp_path, capsys):
    args = ["train", "--strokes", str(tmp_path / "s.npy"), "--task", "unconditional"]
    rc = main([*args, "--numbers", "10", "--out", str(tmp_path / "w.weights.h5")])
    err = capsys.readouterr().err
    assert rc == 2 and "--numbers" in err and err.count("\n") == 1


def test_save_line_rejects_other_formats(tmp_path):
    with pytest.raises(ValueError, match="png, .svg or .npy"):
        save_line(write("a", writer=0), tmp_path / "a.jpg")


def test_train_cli_on_a_few_synthetic_lines(tmp_path, capsys):
    out = tmp_path / "c.weights.h5"
    rc = main(
        [
            "train",
            "--task",
            "unconditional",
            "--steps",
            "2",
            "--n-train",
            "8",
            "--n-val",
            "4",
            "--units",
            "8",
            "--layers",
            "2",
            "--batch-size",
            "4",
            "--numbers",
            "3",
            "--out",
            str(out),
        ]
    )
    assert rc == 0 and out.is_file()
    assert "2 steps" in capsys.readouterr().out
    info = json.loads((tmp_path / "c.json").read_text())
    # 8 sentences + 8 phrases + the 3 number-rich lines asked for
    assert info["train_lines"] == 19
    assert info["train_source"] == "synthetic, font hand + 3 number lines"
    rc = main(
        ["generate", "--weights", str(out), "--steps", "30", "--out", str(tmp_path / "free.npy")]
    )
    assert rc == 0 and np.load(tmp_path / "free.npy").shape == (31, 3)


def test_a_nan_loss_stops_with_the_step_and_keeps_the_last_checkpoint(tmp_path):
    data, config = _tiny_data(), SMALL
    out = tmp_path / "w.weights.h5"
    cfg = TrainConfig(steps=2, batch_size=3, save_every=1, eval_every=1)
    train_writer(config, cfg, data, None, out, progress=False)
    state = tmp_path / "w.weights.h5.state" / "state.weights.h5"
    saved = state.read_bytes()
    for line in data.lines:  # poison every line: the next step's loss is NaN
        line[1, 1] = np.nan
    with pytest.raises(FloatingPointError, match="step 3: the loss became NaN.*step 2"):
        train_writer(
            config,
            TrainConfig(steps=4, batch_size=3, save_every=1, eval_every=1),
            data,
            None,
            out,
            progress=False,
        )
    assert state.read_bytes() == saved


def test_legibility_loop_scores_what_the_recognizer_reads(tiny_weights, monkeypatch):
    from synthesis import legibility

    writer = load_writer(tiny_weights)
    texts = ["abc", "ink"]

    # a stand-in recognizer that reads every line as "abc"
    monkeypatch.setattr("synthesis.recognition.recognize", lambda *a, **k: ["abc", "abc"])
    info = {"config": types.SimpleNamespace(downsample=2)}
    row = legibility.write_and_read(writer, (None, None, info), texts, bias=1.0)
    assert row["cer"] == pytest.approx(3 / 6)  # "ink" read as "abc": 3 edits over 6 characters
    assert row["n"] == 2 and len(row["lines"]) == 2 and 0 <= row["finished"] <= 1
    # two sentences drawn with replacement: CER 0, 1/2 or 1 with chances 1/4, 1/2, 1/4
    assert row["cer_se"] == pytest.approx(math.sqrt(0.125), abs=0.03)
    assert "CER" in legibility.format_legibility([row])


def test_train_runs_under_mirrored_strategy_on_two_logical_cpus(tmp_path):
    from conftest import run_cli_on_two_cpus

    out = str(tmp_path / "m.weights.h5")
    run = run_cli_on_two_cpus(
        "synthesis",
        ["train", "--task", "conditional", "--steps", "2", "--n-train", "8", "--n-val", "4",
         "--units", "8", "--layers", "2", "--batch-size", "4", "--out", out,
         "--distribute", "mirrored"],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert "MirroredStrategy with 2 replicas" in run.stdout, run.stdout[-2000:]
    assert "2 steps" in run.stdout and (tmp_path / "m.weights.h5").is_file()


def test_a_broken_sidecar_is_named(tiny_weights, tmp_path):
    import shutil

    weights = tmp_path / "w.weights.h5"
    shutil.copy(tiny_weights, weights)
    (tmp_path / "w.json").write_text('{"config": {"units": 16}}')
    with pytest.raises(ValueError, match=r"w\.json: not a handwriting network description"):
        load_writer(weights)
    (tmp_path / "w.json").unlink()
    with pytest.raises(FileNotFoundError, match="w.json"):
        load_writer(weights)


def test_a_fine_tune_keeps_the_offset_scale_its_weights_were_trained_with(tiny_weights, tmp_path):
    from synthesis.training import init_offset_scale

    first = json.loads(tiny_weights.with_name("tiny.json").read_text())
    assert init_offset_scale(tiny_weights) == pytest.approx(first["offset_scale"])
    assert init_offset_scale(None) is None
    assert init_offset_scale(tmp_path / "no_sidecar.weights.h5") is None
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValueError, match="broken.json: not a handwriting network description"):
        init_offset_scale(tmp_path / "broken.weights.h5")


def test_a_fine_tune_carries_the_earlier_training_record(tiny_weights, tmp_path):
    from synthesis.training import full_history

    data = _tiny_data()
    first = json.loads(tiny_weights.with_name("tiny.json").read_text())
    config = SynthesisConfig(**first["config"])
    out = tmp_path / "ft.weights.h5"
    train_writer(
        config,
        TrainConfig(steps=2, batch_size=3, eval_every=1),
        data,
        None,
        out,
        init=tiny_weights,
        progress=False,
    )
    info = json.loads((tmp_path / "ft.json").read_text())
    assert info["stages"][0]["init_weights"] == "tiny.weights.h5"
    history, seconds = full_history(info)
    assert [r["step"] for r in history] == [2, 4, 5, 6]
    assert [r["lines"] for r in history] == [6, 12, 15, 18]  # batches of 3
    assert [r["stage"] for r in history] == [1, 1, 2, 2]
    assert seconds == pytest.approx(first["seconds"] + info["seconds"])
    from synthesis.figures import plot_training

    fig = plot_training({"conditional": history})  # the new stage is marked with its recipe
    assert any("stage 2" in t.get_text() for t in fig.axes[0].texts)


def test_padding_for_jax_changes_the_shapes_not_the_loss():
    from synthesis.network import masked_nll

    data = _tiny_data()
    model = build_network(SMALL)
    batch = pad_lines(data, range(len(data)))
    padded = pad_for_jax(batch)
    t, u = padded["mask"].shape[1], padded["chars"].shape[1]
    assert t == min(n for n in JAX_LENGTHS if n >= batch["mask"].shape[1])
    assert u % TEXT_PAD == 0 and u >= batch["chars"].shape[1]
    assert padded["strokes"].shape == padded["targets"].shape == (len(data), t, 3)
    assert padded["mask"].sum() == batch["mask"].sum()

    def loss(b):
        y = model({"strokes": b["strokes"], "chars": b["chars"]})
        return float(masked_nll(b["targets"], y, b["mask"], SMALL.n_mixtures))

    assert loss(padded) == pytest.approx(loss(batch), rel=1e-5)


def test_training_under_the_jax_backend_matches_tensorflow(tmp_path):
    """``KERAS_BACKEND=jax python -m synthesis train`` (how a GPU without TensorFlow trains):
    the validation NLL its compiled loop reports is the one TensorFlow computes from the
    weights it saved."""
    import os
    import subprocess
    import sys

    pytest.importorskip("jax")
    from conftest import REPO

    from synthesis.training import synthetic_writing_lines

    out = tmp_path / "j.weights.h5"
    run = subprocess.run(
        [sys.executable, "-m", "synthesis", "train", "--task", "conditional", "--steps", "3",
         "--n-train", "8", "--n-val", "4", "--units", "8", "--layers", "2",
         "--batch-size", "4", "--out", str(out)],
        cwd=REPO,
        env={**os.environ, "KERAS_BACKEND": "jax"},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    info = json.loads((tmp_path / "j.json").read_text())
    assert info["backend"] == "jax" and [r["step"] for r in info["history"]] == [3]
    config = SynthesisConfig(**info["config"])
    model = build_network(config)
    model.load_weights(out)
    # TensorFlow keeps its cuDNN LSTM; only JAX's is turned off (build_network)
    assert all(
        layer.use_cudnn == "auto" for layer in model.layers if isinstance(layer, keras.layers.LSTM)
    )
    val = make_writing_data(
        *synthetic_writing_lines("validation", 4, progress=False),
        "val",
        offset_scale=info["offset_scale"],
    )
    tf_nll = evaluate_nll(model, val, config)["per_point"]
    assert tf_nll == pytest.approx(info["history"][-1]["val_nll"], abs=1e-4)


def test_kept_legibility_is_measured_again_only_for_other_weights(tmp_path, monkeypatch):
    import json

    from synthesis import legibility

    calls = []
    monkeypatch.setattr(
        legibility, "legibility_table", lambda n: calls.append(n) or [{"bias": 1.0, "n": n}]
    )
    kept = tmp_path / "legibility.json"
    first = legibility.kept_legibility(n=3, path=kept)
    assert legibility.kept_legibility(n=3, path=kept) == first and calls == [3]  # read back
    legibility.kept_legibility(n=4, path=kept)  # another n: measured
    saved = json.loads(kept.read_text())
    saved["measured_with"]["recognizer"] = "0" * 16  # as if the recognizer had changed
    kept.write_text(json.dumps(saved))
    legibility.kept_legibility(n=4, path=kept)
    legibility.kept_legibility(n=4, path=kept, remeasure=True)
    assert calls == [3, 4, 4, 4]
