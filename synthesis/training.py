"""Data and training for the handwriting networks (part 6).

**Data.** Each line is brought to a common size and density before the network sees it:
offsets divided by the line's height scale (:func:`synthesis.features.height_scale`, so a large
and a small hand look alike), resampled to points ``step`` apart (about 11 points a letter at
the default, instead of ~25 from the digitiser) and divided by one global ``offset_scale``
(the training offsets' standard deviation) so the mixture starts near unit variance. The NLL is
reported in those units: nats per point of normalised offsets. It is therefore not comparable
with Graves's -1096.9 nats per line, which is in raw IAM-OnDB units at full density.

**Training** is a small custom loop, as Graves trains: a fixed number of steps, each one batch
of lines of similar length (drawn from the step number, so a resumed run sees the very batches
it would have seen), Adam with a global gradient-norm clip (the paper clips LSTM derivatives to
+-10 and output derivatives to +-100; a global clip does the same job with one number), a
cosine learning-rate decay. ``tf.distribute`` runs it: the default strategy, or
``MirroredStrategy`` with each replica taking a slice of the batch. Under Keras's JAX backend
(``KERAS_BACKEND=jax``, e.g. on a GPU machine without TensorFlow's CUDA build) the same step is
one compiled function of the variables (:func:`_jax_steps`), and batches are padded to a few
lengths (:func:`pad_for_jax`) so it compiles a handful of times, not once per batch.

**Checkpoints.** ``<out>.state/state.weights.h5`` holds the weights *and* the optimizer (so its
step counter) every ``save_every`` steps and when the run is interrupted (Ctrl-C): running the
same command again resumes at the exact step. A NaN loss stops the run with the step number;
the last checkpoint, saved before it, stays. At the end ``<out>`` gets the weights alone and
``<out>.json`` the config, data scaling and training record.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import keras
import numpy as np

from labcore.charset import Charset
from labcore.cli import atomic_output
from labcore.weights import sidecar_path
from synthesis.features import check_line, height_scale
from synthesis.network import SynthesisConfig, build_network

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
STEP = 0.5  # resampling distance in height-scale units: ~11 points a letter
N_PHRASES = 6000  # short lines (4-14 characters) beside the 12,000 sentences: an easy start
# The shipped writer networks learnt from the fonts' hand (ink.synthetic.HANDS): their recipes
# stay reproducible until they are trained again on the human hand.
WRITER_HAND = "font"


def writer_charset() -> Charset:
    from ink.text import CHARSET

    return Charset(CHARSET)


def normalise_line(offsets, step: float | None = STEP, name: str = "line") -> np.ndarray:
    """(T, 3) ``(eos, dx, dy)`` in any units -> the same line in height-scale units, resampled
    to points ``step`` apart (not resampled when ``step`` is None). Not yet divided by
    ``offset_scale``."""
    from ink.normalize import resample

    line = check_line(offsets, name).copy()
    line[:, 1:] /= height_scale(line)
    return resample(line, step) if step is not None else line


# ----------------------------------------------------------------------------------------- data
@dataclass
class WritingData:
    """Lines normalised for the network (``(eos, dx, dy)``, offsets / ``offset_scale``), the
    character ids of their texts (1..V, see :func:`writer_charset`) and the texts."""

    lines: list[np.ndarray]
    chars: list[np.ndarray]
    texts: list[str]
    offset_scale: float
    source: str
    dropped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)


def make_writing_data(
    lines,
    texts,
    source: str,
    offset_scale: float | None = None,
    step: float | None = STEP,
    charset: Charset | None = None,
    max_points: int = 1200,
    verbose: bool = True,
) -> WritingData:
    """Normalise ``lines``; skip (and count) lines with characters outside the charset or more
    than ``max_points`` points after resampling. ``offset_scale=None`` measures it here (use the
    training set's for validation data)."""
    charset = charset or writer_charset()
    kept_lines, kept_chars, kept_texts = [], [], []
    outside = too_long = 0
    for i, (line, text) in enumerate(zip(lines, texts, strict=True)):
        if not text or charset.unknown(text):
            outside += 1
            continue
        norm = normalise_line(line, step, name=f"{source}: line {i}")
        if len(norm) > max_points:
            too_long += 1
            continue
        kept_lines.append(norm)
        kept_chars.append(charset.encode(text))
        kept_texts.append(text)
    if not kept_lines:
        raise ValueError(
            f"{source}: no usable line (outside the charset: {outside}, too long: {too_long})"
        )
    if offset_scale is None:
        offset_scale = float(np.concatenate([ln[1:, 1:] for ln in kept_lines]).std())
    for ln in kept_lines:
        ln[:, 1:] /= offset_scale
    dropped = {"outside_charset": outside, "too_long": too_long}
    if verbose and (outside or too_long):
        print(
            f"{source}: skipped {outside + too_long} of {len(lines)} lines: {outside} with "
            f"characters outside the charset or empty, {too_long} over {max_points} points",
            file=sys.stderr,
        )
    return WritingData(kept_lines, kept_chars, kept_texts, offset_scale, source, dropped)


def synthetic_writing_lines(
    split: str, limit: int | None = None, progress: bool = True, hand: str = WRITER_HAND
):
    """(lines, texts) of one split of the synthetic sentences (the set part 5 uses) followed by
    the same split of :data:`N_PHRASES` short phrases; ``limit`` caps each of the two. Written
    in ``hand`` (:data:`WRITER_HAND`, the shipped networks' data, by default)."""
    from ink.dataset import split_lines
    from synthesis.recognition import N_SENTENCES

    lines, texts = [], []
    for kind, n in (("sentences", N_SENTENCES), ("phrases", N_PHRASES)):
        ln, tx, _ = split_lines(n, split, kind=kind, limit=limit, progress=progress, hand=hand)
        lines += ln
        texts += tx
    return lines, texts


def number_lines(n: int, progress: bool = True, hand: str = WRITER_HAND):
    """(lines, texts): ``n`` training lines of the ``numbers`` kind (a word in three is a
    number). Plain sentences hold few digits, and digits are what the synthesis network writes
    worst. They come from a data set of their own (seed 1), so their writers and texts are new
    ones, never those of the sentences' validation or test split."""
    from ink.dataset import split_lines

    # The "train" split holds about 80% of a set's lines (whole writers): ask for enough.
    total = int(np.ceil(n / 0.7)) + 100
    lines, texts, _ = split_lines(
        total, "train", kind="numbers", seed=1, limit=n, progress=progress, hand=hand
    )
    return lines, texts


def pad_lines(data: WritingData, index) -> dict[str, np.ndarray]:
    """A batch: ``strokes`` (B, T, 3) inputs = points 0..n-2, ``targets`` (B, T, 3) = points
    1..n-1, ``mask`` (B, T) 1 on real targets, ``chars`` (B, U) ids padded with 0."""
    index = list(index)
    t = max(len(data.lines[i]) for i in index) - 1
    u = max(len(data.chars[i]) for i in index)
    out = {
        "strokes": np.zeros((len(index), t, 3), np.float32),
        "targets": np.zeros((len(index), t, 3), np.float32),
        "mask": np.zeros((len(index), t), np.float32),
        "chars": np.zeros((len(index), u), np.int32),
    }
    for b, i in enumerate(index):
        line, chars = data.lines[i], data.chars[i]
        n = len(line) - 1
        out["strokes"][b, :n] = line[:-1]
        out["targets"][b, :n] = line[1:]
        out["mask"][b, :n] = 1.0
        out["chars"][b, : len(chars)] = chars
    return out


class StepBatches:
    """Batch ``s`` of a run is a function of (seed, s): a random run of ``batch_size`` lines of
    neighbouring length (little padding), so an interrupted run resumes with the same data."""

    def __init__(self, data: WritingData, batch_size: int, seed: int = 0):
        if len(data) < batch_size:
            raise ValueError(
                f"{data.source}: {len(data)} lines, fewer than a batch of {batch_size}"
            )
        self.data, self.batch_size, self.seed = data, batch_size, seed
        self.order = np.argsort([len(ln) for ln in data.lines], kind="stable")

    def __call__(self, step: int) -> dict[str, np.ndarray]:
        rng = np.random.default_rng([self.seed, step])
        start = int(rng.integers(0, len(self.order) - self.batch_size + 1))
        return pad_lines(self.data, self.order[start : start + self.batch_size])


# ------------------------------------------------------------------------------------ training
@dataclass(frozen=True)
class TrainConfig:
    steps: int = 3000
    batch_size: int = 32
    learning_rate: float = 2e-3
    warmup_steps: int = 100
    clipnorm: float = 10.0  # global gradient norm
    save_every: int = 50  # steps between checkpoints
    eval_every: int = 250  # steps between validation NLLs
    seed: int = 0


@dataclass(frozen=True)
class DemoBudget:
    """What notebook 06 trains and measures itself; :func:`demo_budget` shrinks it in fast mode.
    The shipped networks were trained for far longer (their JSON sidecars say how)."""

    n_lines: int = 600  # short phrases for the live training run
    units: int = 96
    steps: int = 300
    legibility_lines: int = 30  # held-out sentences for the notebook's closed loop


def demo_budget(fast: bool | None = None) -> DemoBudget:
    from ink.config import fast_mode

    fast = fast_mode() if fast is None else fast
    return DemoBudget(n_lines=48, units=16, steps=6, legibility_lines=4) if fast else DemoBudget()


@dataclass
class TrainResult:
    model: keras.Model
    history: list[dict]  # {"step", "train_nll", "val_nll", "seconds"}
    seconds: float
    steps: int


def _inputs(batch: dict, conditional: bool) -> dict:
    inputs = {"strokes": batch["strokes"]}
    if conditional:
        inputs["chars"] = batch["chars"]
    return inputs


def evaluate_nll(
    model, data: WritingData, config: SynthesisConfig, batch_size: int = 32, predict=None
):
    """Validation NLL: ``{"per_point": nats, "per_line": nats, "points": n, "lines": n}``.
    ``predict(inputs) -> y`` replaces ``model(inputs)`` (the JAX loop passes a compiled one)."""
    from synthesis.mdn import mixture_nll

    order = np.argsort([len(ln) for ln in data.lines], kind="stable")
    total = points = 0.0
    for s in range(0, len(order), batch_size):
        batch = pad_lines(data, order[s : s + batch_size])
        inputs = _inputs(batch, config.conditional)
        y = model(inputs, training=False) if predict is None else predict(inputs)
        nll = keras.ops.convert_to_numpy(mixture_nll(batch["targets"], y, config.n_mixtures))
        total += float((nll * batch["mask"]).sum())
        points += float(batch["mask"].sum())
    return {
        "per_point": total / points,
        "per_line": total / len(data),
        "points": int(points),
        "lines": len(data),
    }


def _state_path(out: Path) -> Path:
    return Path(str(out) + ".state") / "state.weights.h5"


def train_writer(
    config: SynthesisConfig,
    train_cfg: TrainConfig,
    train_data: WritingData,
    val_data: WritingData | None,
    out,
    resume: bool = True,
    distribute: str | None = None,
    init=None,
    progress: bool = True,
) -> TrainResult:
    """Train the network of ``config`` for ``train_cfg.steps`` steps (in total: a resumed run
    does the remainder). Writes ``out`` (*.weights.h5), ``out.json`` and the resumable state."""
    from labcore.training import check_out_path, get_strategy
    from labcore.weights import load_weights_checked, strip_optimizer

    out = check_out_path(out)
    state = _state_path(out)
    jax = keras.backend.backend() == "jax"
    if jax and distribute:
        raise ValueError("--distribute uses tf.distribute: it needs KERAS_BACKEND=tensorflow")
    strategy = None if jax else get_strategy(distribute)
    if distribute:
        print(f"{type(strategy).__name__} with {strategy.num_replicas_in_sync} replicas")
    with contextlib.nullcontext() if jax else strategy.scope():
        keras.utils.set_random_seed(train_cfg.seed)
        model = build_network(config)
        if init is not None:
            load_weights_checked(model, init)
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0,
            decay_steps=max(1, train_cfg.steps - train_cfg.warmup_steps),
            alpha=0.1,
            warmup_target=train_cfg.learning_rate,
            warmup_steps=train_cfg.warmup_steps,
        )
        optimizer = keras.optimizers.Adam(schedule, global_clipnorm=train_cfg.clipnorm)
        model.compile(optimizer=optimizer)  # so the state file holds the optimizer too
        optimizer.build(model.trainable_variables)
    if resume and state.is_file():
        check_resumable(out, config)
        model.load_weights(state)
        print(f"resuming from {state} at step {_iterations(optimizer)}")
    first = _iterations(optimizer)
    if first >= train_cfg.steps and first > 0:
        print(
            f"{state.parent}: this run has finished its {first} steps; give a larger --steps to train on"
        )

    batches = StepBatches(train_data, train_cfg.batch_size, train_cfg.seed)
    if jax:
        train_step, sync, predict = _jax_steps(model, optimizer, config)
    else:
        train_step, sync, predict = _tf_steps(model, optimizer, config, strategy), None, None

    def save_state():
        if sync is not None:
            sync()
        state.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(state) as tmp:  # an interruption during the write keeps the old state
            model.save_weights(tmp)
        network = state.with_name("network.json")  # what --units etc. must be to resume
        saved = {"config": config.to_dict(), "step": _iterations(optimizer)}
        network.write_text(json.dumps(saved), encoding="utf-8")

    history = [row for row in _read_history(out) if row["step"] <= first]
    offset = history[-1]["seconds"] if history else 0.0  # seconds of the earlier runs
    bar = keras.utils.Progbar(
        train_cfg.steps, verbose=1 if progress else 0, stateful_metrics=["val_nll"]
    )
    bar.update(first)
    start = time.perf_counter()
    step = first
    try:
        recent = []
        while step < train_cfg.steps:
            loss = train_step(batches(step))
            if not np.isfinite(loss):
                kept = (
                    f"the checkpoint of step {_saved_step(state)} is kept in {state.parent}"
                    if state.is_file()
                    else "no checkpoint was saved yet"
                )
                raise FloatingPointError(
                    f"step {step + 1}: the loss became NaN or infinite; {kept}. "
                    "Lower --learning-rate and run again"
                )
            step += 1
            recent.append(loss)
            values = [("nll", loss)]
            if step % train_cfg.eval_every == 0 or step == train_cfg.steps:
                row = {
                    "step": step,
                    "train_nll": float(np.mean(recent)),
                    "seconds": offset + time.perf_counter() - start,
                }
                recent = []
                if val_data is not None:
                    nll = evaluate_nll(model, val_data, config, predict=predict)
                    row["val_nll"] = nll["per_point"]
                    values.append(("val_nll", row["val_nll"]))
                history.append(row)
                _write_history(out, history)
                if not progress:
                    print(", ".join(f"{k} {v:.4g}" for k, v in row.items()), flush=True)
            if step % train_cfg.save_every == 0:
                save_state()
            bar.update(step, values=values)
    except KeyboardInterrupt:
        save_state()
        print(  # the optimizer's count: a step cut short may have been applied already
            f"\ninterrupted: state of step {_iterations(optimizer)} saved in {state.parent}; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        raise
    seconds = time.perf_counter() - start

    if sync is not None:
        sync()
    with atomic_output(out) as tmp:
        model.save_weights(tmp)
        strip_optimizer(tmp)
    info = {
        "config": config.to_dict(),
        "train": asdict(train_cfg),
        "offset_scale": train_data.offset_scale,
        "step": STEP,
        "charset": writer_charset().chars,
        "max_chars": int(max(len(c) for c in train_data.chars)),
        "train_lines": len(train_data),
        "train_source": train_data.source,
        "seconds": round(offset + seconds, 1),
        "backend": keras.backend.backend(),
        "history": history,
    }
    if init is not None:
        info["stages"] = earlier_stages(init)
    with atomic_output(sidecar_path(out)) as tmp:
        tmp.write_text(json.dumps(info, indent=1))
    return TrainResult(model, history, seconds, step - first)


def _iterations(optimizer) -> int:
    return int(keras.ops.convert_to_numpy(optimizer.iterations))


def _saved_step(state: Path) -> int | str:
    """The step of the state file, as its ``network.json`` recorded it ("?" if unknown)."""
    path = state.with_name("network.json")
    try:
        return int(json.loads(path.read_text(encoding="utf-8"))["step"])
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def check_resumable(out, config: SynthesisConfig) -> None:
    """A one-line error when the unfinished run of ``out`` (its ``<out>.state/`` folder) was
    started with another network than ``config``."""
    state = _state_path(out)
    path = state.with_name("network.json")
    if not (state.is_file() and path.is_file()):
        return
    saved, now = json.loads(path.read_text(encoding="utf-8"))["config"], config.to_dict()
    differ = [f"{k}={saved[k]} (now {now.get(k)})" for k in saved if saved[k] != now.get(k)]
    if differ:
        raise ValueError(
            f"{state.parent}: that run was started with {', '.join(differ)}; resume with the "
            f"same settings, or start fresh with --no-resume or another --out"
        )


def _tf_steps(model, optimizer, config: SynthesisConfig, strategy):
    """One training step under ``tf.distribute``: ``step(batch) -> mean NLL per point``. Each
    replica takes a slice of the batch; the loss is divided by the *global* batch's points."""
    import tensorflow as tf

    from synthesis.mdn import mixture_nll

    variables = model.trainable_variables
    replicas = strategy.num_replicas_in_sync

    def replica_step(inputs, targets, mask, n_points):
        with tf.GradientTape() as tape:
            y = model(inputs, training=True)
            nll = mixture_nll(targets, y, config.n_mixtures)
            loss = tf.reduce_sum(nll * mask) / n_points
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))
        return loss

    @tf.function(reduce_retracing=True)
    def train_step(inputs, targets, mask, n_points):
        losses = strategy.run(replica_step, args=(inputs, targets, mask, n_points))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    def distributed(batch):
        n_points = np.float32(batch["mask"].sum())

        def part(ctx):
            i, n = ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync
            sl = slice(i * len(batch["mask"]) // n, (i + 1) * len(batch["mask"]) // n)
            return (
                {k: v[sl] for k, v in _inputs(batch, config.conditional).items()},
                batch["targets"][sl],
                batch["mask"][sl],
                n_points,
            )

        if replicas == 1:
            return part(tf.distribute.experimental.ValueContext())
        return strategy.experimental_distribute_values_from_function(part)

    return lambda batch: float(train_step(*distributed(batch)))


# JAX compiles one program per input shape: batches are padded up to these lengths (and the
# texts to a multiple of TEXT_PAD) so that a whole run needs a handful of programs, compiled
# once each, instead of one per batch. Padded points are masked out, padded characters are
# zero rows: the loss is the same.
JAX_LENGTHS = (192, 320, 448, 576, 768)
TEXT_PAD = 16


def pad_for_jax(batch: dict) -> dict:
    """``batch`` padded along time up to the next of :data:`JAX_LENGTHS` (or a multiple of 256
    beyond them) and along the text up to a multiple of :data:`TEXT_PAD`."""
    t = batch["strokes"].shape[1]
    new_t = next((n for n in JAX_LENGTHS if n >= t), -(-t // 256) * 256)
    out = {}
    for k, v in batch.items():
        extra = -v.shape[1] % TEXT_PAD if k == "chars" else new_t - t
        out[k] = np.pad(v, [(0, 0), (0, extra)] + [(0, 0)] * (v.ndim - 2))
    return out


def _jax_steps(model, optimizer, config: SynthesisConfig):
    """The same step with Keras's JAX backend (for a GPU without TensorFlow): a compiled pure
    function of the variables (``model.stateless_call``, ``optimizer.stateless_apply``), as in
    keras.io's "training loop from scratch in JAX". Returns ``step(batch) -> loss``, ``sync()``
    (writes the values back into the Keras variables, before a save) and ``predict(inputs)``."""
    import jax

    from synthesis.mdn import mixture_nll

    def loss_fn(trainable, non_trainable, inputs, targets, mask):
        y, non_trainable = model.stateless_call(trainable, non_trainable, inputs, training=True)
        nll = mixture_nll(targets, y, config.n_mixtures)
        return keras.ops.sum(nll * mask) / keras.ops.maximum(keras.ops.sum(mask), 1.0), (
            non_trainable
        )

    grad_fn = jax.value_and_grad(loss_fn, has_aux=True)

    @jax.jit
    def jax_step(variables, inputs, targets, mask):
        trainable, non_trainable, opt = variables
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, inputs, targets, mask)
        trainable, opt = optimizer.stateless_apply(opt, grads, trainable)
        return loss, (trainable, non_trainable, opt)

    @jax.jit
    def jax_predict(trainable, non_trainable, inputs):
        return model.stateless_call(trainable, non_trainable, inputs, training=False)[0]

    groups = (model.trainable_variables, model.non_trainable_variables, optimizer.variables)
    held = [tuple(v.value for v in group) for group in groups]

    def step(batch):
        batch = pad_for_jax(batch)
        loss, new = jax_step(
            tuple(held), _inputs(batch, config.conditional), batch["targets"], batch["mask"]
        )
        held[:] = new
        return float(loss)

    def sync():
        for group, values in zip(groups, held, strict=True):
            for variable, value in zip(group, values, strict=True):
                variable.assign(value)

    def predict(inputs):
        t = inputs["strokes"].shape[1]
        return np.asarray(jax_predict(held[0], held[1], pad_for_jax(inputs)))[:, :t]

    return step, sync, predict


def _init_info(init) -> dict:
    """The sidecar of the weights ``init`` a run starts from; {} without ``init`` or sidecar."""
    path = None if init is None else sidecar_path(init)
    if path is None or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text())
    except ValueError as err:
        raise ValueError(f"{path}: not a handwriting network description ({err})") from None


def init_offset_scale(init) -> float | None:
    """The ``offset_scale`` that the weights ``init`` were trained with (from their sidecar),
    so a fine-tune feeds them offsets in the units they know; None without ``init`` or sidecar
    (the training data's own scale is measured then)."""
    scale = _init_info(init).get("offset_scale")
    return float(scale) if scale is not None else None


def earlier_stages(init) -> list[dict]:
    """The training record of the weights a run started from (and of theirs), so the final
    sidecar tells the whole recipe. Empty when ``init`` has no sidecar."""
    info = _init_info(init)
    if not info:
        return []
    stage = {k: info.get(k) for k in ("train", "seconds", "history", "train_lines")}
    return [*info.get("stages", []), {"init_weights": Path(init).name, **stage}]


def full_history(info: dict) -> tuple[list[dict], float]:
    """Every stage's history on one step axis, and the total training seconds. Each row also
    gets ``lines``: the training lines seen so far (stages may differ in batch size), ``stage``
    (1, 2, ...), and that stage's ``learning_rate`` and ``batch_size``."""
    rows, offset, seen, seconds = [], 0, 0, 0.0
    for number, stage in enumerate([*info.get("stages", []), info], start=1):
        hist = stage.get("history") or []
        train = stage.get("train") or {}
        batch = train.get("batch_size", 32)
        recipe = {"stage": number, "learning_rate": train.get("learning_rate"), "batch_size": batch}
        rows += [
            {**r, **recipe, "step": r["step"] + offset, "lines": seen + r["step"] * batch}
            for r in hist
        ]
        if hist:
            offset += hist[-1]["step"]
            seen += hist[-1]["step"] * batch
        seconds += stage.get("seconds") or 0.0
    return rows, seconds


def _history_path(out: Path) -> Path:
    return Path(str(out) + ".state") / "history.json"


def _read_history(out: Path) -> list[dict]:
    path = _history_path(out)
    return json.loads(path.read_text()) if path.is_file() else []


def _write_history(out: Path, history: list[dict]) -> None:
    path = _history_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(history))
