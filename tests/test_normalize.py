"""Normalisation inverts exactly; resampling, smoothing, slant and baseline do what they say."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ink.loaders import load_strokes
from ink.normalize import (
    OffsetStats,
    denoise,
    deslant,
    estimate_baseline,
    estimate_slant,
    resample,
)
from ink.strokes import offsets_to_strokes, strokes_to_offsets


def upright_line(n_letters=25, seed=0) -> list[np.ndarray]:
    """Strokes of an upright 'ilotg ilotg ...' with its baseline at y = 0, x-height 10."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 2 * np.pi, 24)
    strokes, x = [], 0.0
    for k in range(n_letters):
        kind = "ilotg"[k % 5]
        if kind == "i":
            new, x = [np.column_stack([np.full(12, x), np.linspace(1, 0, 12)])], x + 0.5
        elif kind == "l":
            new, x = [np.column_stack([np.full(20, x), np.linspace(2, 0, 20)])], x + 0.5
        elif kind == "o":
            new, x = [np.column_stack([x + 0.5 + 0.5 * np.cos(t), 0.5 + 0.5 * np.sin(t)])], x + 1.2
        elif kind == "t":
            stem = np.column_stack([np.full(20, x + 0.3), np.linspace(1.8, 0, 20)])
            bar = np.column_stack([np.linspace(x, x + 0.6, 8), np.full(8, 1.2)])
            new, x = [stem, bar], x + 0.9
        else:  # g: a bowl and a descender
            bowl = np.column_stack([x + 0.5 + 0.5 * np.cos(t), 0.5 + 0.5 * np.sin(t)])
            tail = np.column_stack([np.full(20, x + 1.0), np.linspace(1, -1, 20)])
            new, x = [bowl, tail], x + 1.5
        strokes += [10 * (s + rng.normal(0, 0.01, s.shape)) for s in new]
    return strokes


def transform(strokes, matrix) -> np.ndarray:
    """Apply a 2x2 map to every (x, y) point (row vectors) and return offsets."""
    return strokes_to_offsets([s @ np.asarray(matrix).T for s in strokes])


def shear(degrees):
    return [[1, np.tan(np.radians(degrees))], [0, 1]]


def rotation(degrees):
    a = np.radians(degrees)
    return [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]


@pytest.fixture
def lines():
    return [transform(upright_line(seed=s), shear(10)) for s in range(3)]


# --- normalisation ---------------------------------------------------------------------------


def test_normalized_offsets_have_zero_mean_unit_std_and_invert_exactly(lines):
    stats = OffsetStats.fit(lines)
    normed = [stats.normalize(line) for line in lines]
    d = np.concatenate(normed)[:, 1:]
    np.testing.assert_allclose(d.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(d.std(axis=0), 1, atol=1e-5)
    for line, n in zip(lines, normed, strict=True):
        np.testing.assert_array_equal(n[:, 0], line[:, 0])  # pen lifts untouched
        np.testing.assert_allclose(stats.denormalize(n), line, atol=1e-5)


def test_stats_survive_json_and_work_on_a_padded_batch(lines):
    stats = OffsetStats.fit(lines)
    again = OffsetStats.from_dict(json.loads(json.dumps(stats.to_dict())))
    assert again == stats
    batch = np.zeros((2, 50, 3), dtype=np.float32)  # (B, T, 3)
    batch[0], batch[1] = lines[0][:50], lines[1][:50]
    out = stats.normalize(batch)
    assert out.shape == (2, 50, 3)
    np.testing.assert_allclose(out[1], stats.normalize(lines[1][:50]))


def test_stats_refuse_bad_input():
    with pytest.raises(ValueError, match="never varies"):
        OffsetStats.fit([np.zeros((5, 3))])
    with pytest.raises(ValueError, match="mean and std"):
        OffsetStats.from_dict({"mean": [0, 0]})
    with pytest.raises(ValueError, match=r"expected \(\.\.\., 3\)"):
        OffsetStats(mean=(0, 0), std=(1, 1)).normalize(np.zeros((5, 2)))


def test_real_offsets_are_centred_by_the_stats(shared_data):
    lines, _ = load_strokes(shared_data / "iamondb-sample" / "strokes-py3.npy")
    stats = OffsetStats.fit(lines)
    assert stats.mean[0] > 0  # writing moves to the right on average
    d = np.concatenate([stats.normalize(line) for line in lines])[:, 1:]
    np.testing.assert_allclose(d.std(axis=0), 1, atol=1e-4)


# --- resampling and smoothing ------------------------------------------------------------------


def test_resample_keeps_strokes_and_their_ends(lines):
    line = lines[0]
    step = 1.5
    before, after = offsets_to_strokes(line), offsets_to_strokes(resample(line, step))
    assert len(after) == len(before)
    for a, b in zip(before, after, strict=True):
        np.testing.assert_allclose(b[[0, -1]], a[[0, -1]], atol=1e-4)
        gaps = np.hypot(*np.diff(b, axis=0).T)
        # equal arc-length pieces, the count rounded: no piece is longer than 1.5 steps
        assert gaps.max() <= 1.5 * step


def test_resample_spaces_a_straight_stroke_evenly():
    x = np.array([0.0, 0.1, 0.3, 3.0, 3.1, 7.0, 10.0])  # uneven pen speed, 10 units long
    out = resample(strokes_to_offsets([np.column_stack([x, 2 * x])]), step=np.hypot(1, 2))
    np.testing.assert_allclose(out[1:, 1:], np.tile([1.0, 2.0], (10, 1)), atol=1e-5)
    assert out[:, 0].tolist() == [0] * 10 + [1]


def test_resample_of_a_real_line(shared_data):
    lines, _ = load_strokes(shared_data / "iamondb-sample" / "strokes-py3.npy")
    line = lines[0]
    out = resample(line, step=2.0)
    assert int(out[:, 0].sum()) == int(line[:, 0].sum())
    np.testing.assert_allclose(out[:, 1:].sum(axis=0), line[:, 1:].sum(axis=0), atol=1e-3)
    assert len(out) < len(line)  # about 1 unit between raw points: a step of 2 halves them


def test_denoise_drops_repeats_and_smooths_jitter():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 2 * np.pi, 200)
    clean = np.column_stack([10 * np.cos(t), 10 * np.sin(t)])  # (200, 2)
    noisy = clean + rng.normal(0, 0.3, clean.shape)
    doubled = np.repeat(noisy, 2, axis=0)  # every point twice: a digitiser that stalls
    out = offsets_to_strokes(denoise(strokes_to_offsets([doubled]), sigma=2.0))[0]
    assert len(out) == 200

    def error(xy):  # offsets forget where a line starts, so compare shapes about their centres
        return np.abs((xy - xy.mean(axis=0)) - (clean - clean.mean(axis=0))).mean()

    assert error(out) < 0.6 * error(noisy)
    # sigma=0 only removes the repeats
    bare = offsets_to_strokes(denoise(strokes_to_offsets([doubled]), sigma=0))[0]
    np.testing.assert_allclose(bare - bare[0], noisy - noisy[0], atol=1e-4)


# --- slant and baseline ------------------------------------------------------------------------


@pytest.mark.parametrize("degrees", [-15, 0, 12, 25])
def test_the_slant_of_a_sheared_line_is_recovered(degrees):
    line = transform(upright_line(), shear(degrees))
    assert estimate_slant(line) == pytest.approx(degrees, abs=2.0)
    assert estimate_slant(deslant(line)) == pytest.approx(0, abs=1.0)
    assert estimate_slant(deslant(line, degrees)) == pytest.approx(0, abs=2.0)


@pytest.mark.parametrize("degrees", [-6, 0, 4])
def test_the_baseline_of_a_tilted_line_is_recovered(degrees):
    strokes = upright_line()
    line = transform(strokes, rotation(degrees))
    slope, intercept = estimate_baseline(line)
    assert slope == pytest.approx(np.tan(np.radians(degrees)), abs=0.01)
    # the line's first point is the origin; the baseline is 10 units below it (the top of the i)
    assert intercept == pytest.approx(-strokes[0][0, 1], abs=1.0)


def test_real_lines_have_modest_slant_and_tilt(shared_data):
    lines, _ = load_strokes(shared_data / "iamondb-sample" / "strokes-py3.npy")
    slants = [estimate_slant(line) for line in lines[:30]]
    slopes = [estimate_baseline(line)[0] for line in lines[:30]]
    assert all(-40 < s < 40 for s in slants)
    assert np.median(np.abs(slopes)) < 0.1  # lines are written nearly horizontal
