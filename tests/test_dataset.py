"""The generated data set: cached, deterministic, split by writer."""

from __future__ import annotations

import numpy as np
import pytest

from ink.dataset import build_dataset, find_shared_data, split_writers


def test_split_is_by_writer_and_deterministic(tmp_path):
    a = build_dataset(60, seed=1, cache_dir=tmp_path, n_writers=10, progress=False)
    writers = {s: set(a.writers[a.split == s].tolist()) for s in ("train", "validation", "test")}
    assert writers["test"] and writers["validation"] and writers["train"]
    assert not writers["test"] & writers["train"]
    assert not writers["validation"] & writers["train"]
    assert not writers["test"] & writers["validation"]
    b = build_dataset(60, seed=1, cache_dir=None, n_writers=10, progress=False)  # no cache
    assert a.texts == b.texts
    assert all(np.array_equal(x, y) for x, y in zip(a.lines, b.lines, strict=True))
    np.testing.assert_array_equal(a.split, b.split)


def test_cache_round_trip(tmp_path):
    a = build_dataset(20, kind="names", cache_dir=tmp_path, n_writers=4, progress=False)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    b = build_dataset(20, kind="names", cache_dir=tmp_path, n_writers=4, progress=False)
    assert a.texts == b.texts and all(t.isupper() for t in a.texts)
    pairs = zip(a.lines, b.lines, strict=True)
    assert all(x.dtype == np.float32 and np.array_equal(x, y) for x, y in pairs)
    lines, texts = b.subset("train")
    assert len(lines) == len(texts) == int((b.split == "train").sum())


def test_different_seeds_give_different_writers():
    ids = list(range(30))
    assert split_writers(ids, seed=0) == split_writers(ids, seed=0)
    assert split_writers(ids, seed=0) != split_writers(ids, seed=1)


def test_find_shared_data_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LAB_SHARED_DATA", str(tmp_path))
    assert find_shared_data() == tmp_path
    monkeypatch.setenv("LAB_SHARED_DATA", str(tmp_path / "absent"))
    assert find_shared_data() is None


def test_phrases_are_short_lines_by_sentence_writers():
    from ink.dataset import split_lines

    lines, texts, writers = split_lines(400, "test", kind="phrases", limit=12, progress=False)
    assert len(lines) == len(texts) == 12
    assert all(1 <= len(t) <= 24 for t in texts)  # a word or a few (the last word may overrun)
    with pytest.raises(ValueError, match="kind must be one of"):
        split_lines(400, "test", kind="poems")
