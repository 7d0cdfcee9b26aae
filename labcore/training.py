"""What the trainers share: ``--out`` checks, the strategy, best-epoch checkpoints, the fit.

:func:`fit_with_checkpoints` is the training loop of both CTC models (part 4's CRNN, part 5's
stroke recognizer); part 6's writer has a loop of its own and uses the checks and the strategy.

Training uses Keras's own machinery: ``keras.callbacks.BackupAndRestore`` saves the model and
the optimizer at the end of every epoch, so an interrupted run started again with the same
``--out`` resumes at the next epoch; :class:`BestWeights` keeps the best weights by validation
loss (written atomically, its best value kept in the backup so a resumed run never replaces a
better epoch) and stops a diverging run before anything non-finite is saved. A finished run's
``--out`` is never trained over: a new run needs a new ``--out`` (or ``--init`` from it).
``distribute="mirrored"`` builds the model under ``tf.distribute.MirroredStrategy``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import keras
import numpy as np

from labcore.cli import atomic_output, output_file
from labcore.weights import load_weights_checked, sidecar_path, strip_optimizer


def check_out_path(out) -> Path | None:
    """``--out`` must name a ``*.weights.h5`` file in a folder that can be written."""
    return None if out is None else output_file(out, "--out", suffixes=(".weights.h5",))


def check_can_train(out) -> Path | None:
    """``out`` checked before any training (and before its sidecar is written): a ``*.weights.h5``
    file in a writable folder, and not the result of a finished run (an interrupted run has its
    ``<out>.backup/`` folder and resumes)."""
    if out is None:
        return None
    out = output_file(out, "--out", suffixes=(".weights.h5",))
    if out.exists() and not Path(str(out) + ".backup").is_dir():
        raise FileExistsError(
            f"--out {out}: holds a finished run's weights; to train on from them give "
            f"--init {out} and a new --out, or delete the file to start again"
        )
    return out


def check_same_config(out, config: dict) -> None:
    """Resuming an interrupted run (``<out>.backup/`` exists) with another model: a one-line
    error naming the settings that differ from ``<out>.json``, before it is rewritten."""
    if out is None or not Path(str(out) + ".backup").is_dir():
        return
    try:
        saved = json.loads(sidecar_path(out).read_text(encoding="utf-8"))["config"]
    except (OSError, ValueError, KeyError):
        return
    now = json.loads(json.dumps(config))  # tuples as lists, as saved
    differ = [f"{k}={saved[k]} (now {now.get(k)})" for k in saved if saved[k] != now.get(k)]
    if differ:
        raise ValueError(
            f"{out}.backup/: that run was started with {', '.join(differ)}; resume with the "
            f"same settings, or delete {out}.backup/ (or give another --out) to start fresh"
        )


def get_strategy(distribute: str | None):
    """None -> the default strategy; "mirrored" -> ``tf.distribute.MirroredStrategy()``."""
    import tensorflow as tf

    if distribute in (None, "", "none"):
        return tf.distribute.get_strategy()
    if distribute == "mirrored":
        cpus = tf.config.list_logical_devices("CPU")
        gpus = tf.config.list_logical_devices("GPU")
        devices = [d.name for d in gpus] or [d.name for d in cpus]
        return tf.distribute.MirroredStrategy(devices=devices)
    raise ValueError(f"--distribute: expected 'mirrored', got {distribute!r}")


class BestWeights(keras.callbacks.Callback):
    """Keep the best epoch's weights in ``out`` (by ``monitor``) and stop a diverging run.

    Unlike ``ModelCheckpoint``: a batch with a non-finite loss stops training at once with a
    one-line FloatingPointError, and an epoch whose loss or weights are not finite is never
    saved; ``out`` is written through a temporary file and a rename; the best value so far is
    kept in ``<out>.backup/best.json``, so a resumed run compares with the epochs before the
    interruption instead of overwriting ``out`` after its first epoch."""

    def __init__(self, out, monitor: str = "val_loss"):
        super().__init__()
        self.out, self.monitor = Path(out), monitor
        self.record = Path(str(out) + ".backup") / "best.json"
        self.best, self.best_epoch, self.epoch = float("inf"), None, 0
        if self.record.is_file() and self.out.is_file():  # resuming an interrupted run
            saved = json.loads(self.record.read_text(encoding="utf-8"))
            self.best, self.best_epoch = float(saved["best"]), saved["epoch"]

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            raise FloatingPointError(self._diverged(f"batch {batch + 1} of epoch {self.epoch}"))

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        value = logs.get(self.monitor, logs.get("loss"))
        finite = all(np.isfinite(v).all() for v in self.model.get_weights())
        if value is None or not np.isfinite(float(value)) or not finite:
            raise FloatingPointError(self._diverged(f"epoch {epoch + 1}"))
        if float(value) < self.best:
            self.best, self.best_epoch = float(value), epoch + 1
            with atomic_output(self.out) as tmp:
                self.model.save_weights(tmp)
            self.record.parent.mkdir(parents=True, exist_ok=True)
            self.record.write_text(
                json.dumps({"best": self.best, "epoch": self.best_epoch, "monitor": self.monitor}),
                encoding="utf-8",
            )

    def _diverged(self, where: str) -> str:
        kept = (
            f"{self.out} keeps epoch {self.best_epoch}, the best one"
            if self.best_epoch is not None
            else "no weights were saved"
        )
        backup = Path(str(self.out) + ".backup")
        resume = (
            f"the last finished epoch is in {backup}: lower --learning-rate and run again to resume"
            if backup.is_dir()
            else "lower --learning-rate and run again"
        )
        return f"training stopped: the loss or the weights became NaN or infinite in {where}; {kept}; {resume}"


def fit_with_checkpoints(
    build,
    train_data,
    val_data,
    *,
    steps_per_epoch: int,
    epochs: int,
    learning_rate: float,
    loss,
    out=None,
    init=None,
    distribute=None,
    verbose="auto",
    callbacks=(),
):
    """The training loop both CTC models share; returns (model, history, seconds).

    ``build()`` makes the model under the ``distribute`` strategy; ``init`` weights are loaded
    (checked); Adam with a cosine decay over the run and clipnorm 5. With ``out``: a resumable
    ``BackupAndRestore`` in ``<out>.backup/`` and the best epoch's weights in ``out``
    (:class:`BestWeights`), stripped of the optimizer at the end and loaded back into the
    returned model. A non-finite loss stops the run with a one-line FloatingPointError; Ctrl-C
    says where the last finished epoch is and re-raises.
    """
    strategy = get_strategy(distribute)
    if distribute:
        print(f"{type(strategy).__name__} with {strategy.num_replicas_in_sync} replicas")
    with strategy.scope():
        model = build()
        if init is not None:
            load_weights_checked(model, init)
        schedule = keras.optimizers.schedules.CosineDecay(
            learning_rate, decay_steps=max(1, epochs * steps_per_epoch), alpha=0.05
        )
        model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=5.0), loss=loss)

    cbs = []
    if out is not None:
        backup = str(out) + ".backup"
        cbs += [
            # the guard first: a diverged epoch raises before the backup or out is written
            BestWeights(out, "val_loss" if val_data is not None else "loss"),
            keras.callbacks.BackupAndRestore(backup, delete_checkpoint=True),
        ]
    else:
        cbs += [keras.callbacks.TerminateOnNaN()]
    cbs += list(callbacks)  # after the backup, so it sees every finished epoch
    start = time.perf_counter()
    try:
        hist = model.fit(
            train_data,
            validation_data=val_data,
            epochs=epochs,
            callbacks=cbs,
            verbose=verbose,
            shuffle=False,  # the data shuffles itself each epoch
        )
    except KeyboardInterrupt:
        if out is not None:
            print(
                f"\ninterrupted: the last finished epoch is in {out}.backup/ (best so far: "
                f"{out}); run the same command again to resume",
                file=sys.stderr,
            )
        raise
    seconds = time.perf_counter() - start
    losses = hist.history.get("loss", [])
    if losses and not np.isfinite(losses[-1]):  # without out: TerminateOnNaN stopped it
        raise FloatingPointError(
            f"training stopped: the loss became NaN in epoch {len(losses)}; lower "
            "--learning-rate and run again"
        )
    if out is not None and Path(out).is_file():
        strip_optimizer(out)  # the backup keeps the optimizer for resuming; out is for use
        load_weights_checked(model, out)  # hand back the best epoch, as saved
    return model, hist.history, seconds
