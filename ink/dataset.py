"""A generated handwriting data set, cached on disk and split by writer; where real data lives.

:func:`build_dataset` writes ``n_lines`` lines with :func:`ink.synthetic.write` -- sentences
(for stroke recognition and synthesis) or names in capitals (for the scanned-names CRNN) --
and caches them in ``datasets/cache/`` as one ``.npz`` file. Lines are dealt out to
``n_writers`` writers, and the split is **by writer**: a test writer never appears in training,
so test scores measure how well a model reads a hand it has never seen.

:func:`find_shared_data` finds the small real samples used by the notebooks and tests;
:func:`find_iamondb` and :func:`find_kaggle_names` find real data a user has put in
``datasets/`` (see ``datasets/README.md``), falling back to those samples.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from ink.synthetic import HANDS, WriterStyle, write
from ink.text import random_name, random_sentence

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = REPO / "datasets" / "cache"
SPLITS = ("train", "validation", "test")
# phrases: 4-14 characters, for quick experiments; numbers: sentences where a word in three
# is a number (the handwriting networks see too few digits in plain sentences)
KINDS = ("sentences", "phrases", "names", "numbers")
NUMBER_RATE = 0.3
CACHE_VERSION = 4  # bump when the synthetic writer changes, so old caches are not reused
# Share of the names data set's lines that are made-up names (ink.text.made_up_name), not
# names from the lists: a recognizer must learn the letters, not 200-odd names.
MADE_UP_NAMES = 0.5


@dataclass(frozen=True)
class DataConfig:
    """How much synthetic data the notebooks make; :meth:`for_mode` shrinks it in fast mode."""

    n_lines: int = 2000
    n_writers: int = 100
    seed: int = 0

    @classmethod
    def for_mode(cls) -> DataConfig:
        from ink.config import fast_mode

        return cls(n_lines=200, n_writers=20) if fast_mode() else cls()


@dataclass
class HandwritingDataset:
    """``lines[i]`` (T_i, 3) was written by ``writers[i]`` from ``texts[i]``; ``split[i]`` is
    "train", "validation" or "test"."""

    lines: list[np.ndarray]
    texts: list[str]
    writers: np.ndarray  # (N,) int
    split: np.ndarray  # (N,) str
    kind: str

    def __len__(self) -> int:
        return len(self.lines)

    def subset(self, name: str) -> tuple[list[np.ndarray], list[str]]:
        """(lines, texts) of one split: "train", "validation" or "test"."""
        if name not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {name!r}")
        idx = np.flatnonzero(self.split == name)
        return [self.lines[i] for i in idx], [self.texts[i] for i in idx]


def split_writers(writer_ids, seed: int = 0, fractions=(0.8, 0.1, 0.1)) -> dict[int, str]:
    """Writer id -> split name; a seeded shuffle, then ``fractions`` of the writers in order.

    With at least three writers, validation and test get at least one writer each.
    """
    ids = np.array(sorted(set(int(w) for w in writer_ids)))
    if len(ids) < 3:
        raise ValueError(f"a split by writer needs at least 3 writers, got {len(ids)}")
    ids = np.random.default_rng([seed, 99]).permutation(ids)
    n_val = max(1, int(round(fractions[1] * len(ids))))
    n_test = max(1, int(round(fractions[2] * len(ids))))
    n_train = len(ids) - n_val - n_test
    names = ["train"] * n_train + ["validation"] * n_val + ["test"] * n_test
    return {int(w): s for w, s in zip(ids, names, strict=True)}


def _line_job(job: tuple[str, int, int, int, str]) -> tuple[np.ndarray, str]:
    """One line of the data set: (kind, seed, line index, writer, hand) -> (offsets, text)."""
    kind, seed, i, writer, hand = job
    rng = np.random.default_rng([seed, i, 3])
    if kind == "names":
        text = random_name(rng, made_up=MADE_UP_NAMES)
    elif kind == "phrases":  # a word or a few: short lines, for quick experiments
        text = random_sentence(rng, min_chars=4, max_chars=14)
    elif kind == "numbers":
        text = random_sentence(rng, number_rate=NUMBER_RATE)
    else:
        text = random_sentence(rng)
    style = WriterStyle.from_seed(writer, "names" if kind == "names" else "sentences", hand)
    return write(text, writer=writer, line_seed=i, style=style), text


def build_dataset(
    n_lines: int,
    kind: str = "sentences",
    seed: int = 0,
    cache_dir=DEFAULT_CACHE,
    n_writers: int | None = None,
    workers: int | None = None,
    progress: bool = True,
    hand: str = "human",
) -> HandwritingDataset:
    """Generate (or load from ``cache_dir``) ``n_lines`` synthetic lines of ``kind``
    ("sentences" or "names") by ``n_writers`` writers (default: one per 20 lines, at least 3),
    in ``hand`` (:data:`ink.synthetic.HANDS`; names are always written in the font hand).

    Line ``i`` is written by writer ``i % n_writers``; the same arguments always give the same
    data. ``workers`` processes generate it (default: up to 2); ``cache_dir=None`` disables the
    cache.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    hand = _check_hand(kind, hand)
    if n_lines < 3:
        raise ValueError(f"n_lines must be >= 3 (one writer per split), got {n_lines}")
    n_writers = max(3, n_lines // 20) if n_writers is None else int(n_writers)
    if not 3 <= n_writers <= n_lines:
        raise ValueError(f"n_writers must be between 3 and n_lines={n_lines}, got {n_writers}")

    path = None
    if cache_dir is not None:
        name = f"{kind}-{hand}-n{n_lines}-w{n_writers}-s{seed}-v{CACHE_VERSION}.npz"
        path = Path(cache_dir) / name
        if path.is_file():
            return _load(path, kind)

    writers = np.arange(n_lines) % n_writers + seed * 100_000  # distinct writers per seed
    jobs = [(kind, seed, i, int(w), hand) for i, w in enumerate(writers)]
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    results = _run(jobs, workers, progress, desc=f"writing {n_lines} {kind}")
    lines = [r[0] for r in results]
    texts = [r[1] for r in results]
    by_writer = split_writers(writers, seed)
    split = np.array([by_writer[int(w)] for w in writers])
    ds = HandwritingDataset(lines, texts, writers, split, kind)
    if path is not None:
        _save(path, ds)
    return ds


def split_lines(
    n_lines: int,
    split: str,
    kind: str = "sentences",
    seed: int = 0,
    limit: int | None = None,
    n_writers: int | None = None,
    workers: int | None = None,
    progress: bool = True,
    hand: str = "human",
) -> tuple[list[np.ndarray], list[str], np.ndarray]:
    """The first ``limit`` lines of one ``split`` of ``build_dataset(n_lines, kind, seed)``,
    without writing the other lines: the same (lines, texts, writers), found in a fraction of
    the time. Used to take a few held-out lines of a large data set.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    hand = _check_hand(kind, hand)
    n_writers = max(3, n_lines // 20) if n_writers is None else int(n_writers)
    writers = np.arange(n_lines) % n_writers + seed * 100_000
    by_writer = split_writers(writers, seed)
    index = [i for i, w in enumerate(writers) if by_writer[int(w)] == split][:limit]
    jobs = [(kind, seed, i, int(writers[i]), hand) for i in index]
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    results = _run(jobs, workers, progress, desc=f"writing {len(jobs)} {kind} ({split})")
    return [r[0] for r in results], [r[1] for r in results], writers[index]


def _check_hand(kind: str, hand: str) -> str:
    """``hand`` if it is one of :data:`ink.synthetic.HANDS`; names always use the font hand."""
    if hand not in HANDS:
        raise ValueError(f"hand must be one of {HANDS}, got {hand!r}")
    return "font" if kind == "names" else hand


def _run(jobs, workers: int, progress: bool, desc: str) -> list:
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), desc=desc, disable=not progress, leave=False)
    if workers <= 1 or len(jobs) < 200:
        out = []
        for job in jobs:
            out.append(_line_job(job))
            bar.update()
    else:
        # "spawn"-free fork is cheapest on Linux; the pool is closed before returning.
        ctx = get_context("fork") if os.name == "posix" else get_context()
        with ctx.Pool(workers) as pool:
            out = []
            for r in pool.imap(_line_job, jobs, chunksize=64):
                out.append(r)
                bar.update()
    bar.close()
    return out


def _save(path: Path, ds: HandwritingDataset) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")  # two processes may write one cache
    np.savez_compressed(
        tmp,
        offsets=np.concatenate(ds.lines),  # (sum T, 3): every line, one after the other
        lengths=np.array([len(x) for x in ds.lines]),
        texts=np.array(ds.texts, dtype=str),
        writers=ds.writers,
        split=ds.split.astype(str),
    )
    os.replace(tmp, path)  # never leave a half-written cache behind


def _load(path: Path, kind: str) -> HandwritingDataset:
    with np.load(path, allow_pickle=False) as z:
        lines = np.split(z["offsets"], np.cumsum(z["lengths"])[:-1])
        return HandwritingDataset(
            lines, [str(t) for t in z["texts"]], z["writers"], z["split"].astype(str), kind
        )


# --------------------------------------------------------------------------------------------
# Real data: the shared samples, or what a user put in datasets/


def find_shared_data() -> Path | None:
    """The folder of small real samples: ``$LAB_SHARED_DATA``, else ``<repo>/../shared/data``;
    None when it does not exist."""
    env = os.environ.get("LAB_SHARED_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


def find_iamondb() -> Path | None:
    """A folder holding ``strokes-py3.npy`` + ``sentences.txt``: the user's ``datasets/iamondb``
    first, else the shared sample; None when neither is there."""
    shared = find_shared_data()
    for folder in (REPO / "datasets" / "iamondb", shared and shared / "iamondb-sample"):
        if folder and (folder / "strokes-py3.npy").is_file():
            return folder
    return None


def find_kaggle_names() -> tuple[Path, Path] | None:
    """(CSV, image folder) of scanned Kaggle names: ``datasets/kaggle`` (the validation CSV
    and folder) first, else the shared sample; None when neither is there."""
    user = REPO / "datasets" / "kaggle"
    images = user / "validation_v2"
    if (images / "validation").is_dir():  # the Kaggle archive nests the images one level down
        images = images / "validation"
    candidates = [(user / "written_name_validation_v2.csv", images)]
    shared = find_shared_data()
    if shared is not None:
        sample = shared / "kaggle-names-sample"
        candidates.append((sample / "written_name_sample.csv", sample / "images"))
    for csv, images in candidates:
        if csv.is_file() and images.is_dir():
            return csv, images
    return None
