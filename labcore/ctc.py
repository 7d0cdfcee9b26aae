"""CTC loss and decoding, with the Keras 3 conventions checked against the installed source.

The conventions, all of them (``keras/src/backend/tensorflow/nn.py``, Keras 3.15):

- **logits in.** The model's last layer is a plain ``Dense(num_classes)``; ``keras.ops.ctc_loss``
  passes its ``output`` to ``tf.nn.ctc_loss(logits=...)``, which applies the softmax itself.
  ``keras.ops.ctc_decode`` wants logits too: its beam search normalises each frame with a
  log-softmax, so feeding it *probabilities* (softmax applied twice) flattens every frame and
  changes the answer (``tests/test_crnn_ctc.py`` shows one).
- **blank = 0** (``mask_index=0``), so characters are 1..n (see ``labcore.charset``).
- **labels padded with 0**, of shape (B, L). Only the first ``label_lengths[b]`` entries count.
  ``keras.losses.CTC()`` derives those lengths as "entries != 0" and uses every time step of
  the logits, which is right for part 4's fixed-width images: it is the loss its CRNN passes to
  ``model.compile`` (``ctc_loss`` below computes the same numbers and shows the lengths).
- **decoded output** of ``ctc_decode``: (paths, B, T) int32, padded with -1.

The keras.io captcha example (Keras 3 version) trains with ``tf.compat.v1.nn.ctc_loss``, whose
blank is the *last* class, then decodes with ``ops.ctc_decode``'s default ``mask_index=0``: its
decoder treats the first real character as the blank. Here the
blank is 0 everywhere, and ``test_greedy_and_beam_agree_on_hand_built_frames`` proves the
decoders read ``a a - a b b`` (``-`` = blank) as ``"aab"``.

A label needs at least ``min_time_steps(label)`` frames: one per character plus one blank
between each pair of equal neighbours. A label that does not fit has probability zero. TF does
not return inf for it but a finite, absurd loss of about 700 (``exp(-700)`` is near the smallest
double), which swamps the batch mean and its gradients: callers drop such items first
(``check_label_fits``) and print how many they dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from keras import ops

from labcore.charset import BLANK, Charset


def ctc_loss(labels, logits, label_lengths=None, logit_lengths=None):
    """Per-example CTC loss (B,) = -log p(label | image).

    labels (B, L) int, padded with 0; logits (B, T, num_classes), *not* softmaxed.
    ``label_lengths`` defaults to the count of non-zero labels and ``logit_lengths`` to T, exactly
    as ``keras.losses.CTC`` does. Usable directly as ``model.compile(loss=ctc_loss)``.
    """
    labels = ops.cast(labels, "int32")  # model.fit hands y_true over as float32
    if len(labels.shape) != 2 or len(logits.shape) != 3:
        raise ValueError(
            f"ctc_loss: expected labels (B, L) and logits (B, T, C), "
            f"got {tuple(labels.shape)} and {tuple(logits.shape)}"
        )
    batch, steps = ops.shape(logits)[0], ops.shape(logits)[1]
    if label_lengths is None:
        label_lengths = ops.sum(ops.cast(ops.not_equal(labels, BLANK), "int32"), axis=-1)
    if logit_lengths is None:
        logit_lengths = steps * ops.ones((batch,), dtype="int32")
    return ops.ctc_loss(
        labels,
        logits,
        ops.cast(label_lengths, "int32"),
        ops.cast(logit_lengths, "int32"),
        mask_index=BLANK,
    )


def min_time_steps(label) -> int:
    """Frames CTC needs for ``label`` (text or ids): its length plus one per adjacent repeat.

    >>> min_time_steps("ANNA"), min_time_steps("ANA")
    (5, 3)
    """
    label = list(label)
    repeats = sum(a == b for a, b in zip(label, label[1:], strict=False))
    return len(label) + repeats


def check_label_fits(labels: Sequence, time_steps: int) -> list[int]:
    """Indices of the labels that cannot be aligned to ``time_steps`` frames (drop them).

    A caller keeps the others and prints how many it dropped, e.g.
    ``print(f"skipped {len(bad)} labels longer than {T} frames", file=sys.stderr)``.
    """
    return [i for i, label in enumerate(labels) if min_time_steps(label) > time_steps]


def best_path(logits) -> np.ndarray:
    """The most likely class at every time step, (B, T) int — before merging and blank removal.

    This is the raw alignment a figure draws under the image; ``ctc_greedy_decode`` collapses it.
    """
    return np.argmax(np.asarray(logits), axis=-1).astype(np.int32)


def _lengths(logits, lengths) -> np.ndarray:
    batch, steps = np.shape(logits)[:2]
    if lengths is None:
        return np.full(batch, steps, dtype=np.int32)
    return np.asarray(lengths, dtype=np.int32)


def _check_logits(logits, charset: Charset, where: str) -> None:
    shape = np.shape(logits)
    if len(shape) != 3 or shape[-1] != charset.num_classes:
        raise ValueError(
            f"{where}: expected logits (B, T, {charset.num_classes}) for {charset!r}, got {shape}"
        )


def ctc_greedy_decode(logits, charset: Charset, lengths=None) -> list[str]:
    """Best path, then merge repeats and drop blanks: (B, T, C) logits -> B strings."""
    _check_logits(logits, charset, "ctc_greedy_decode")
    decoded, _ = ops.ctc_decode(
        logits, _lengths(logits, lengths), strategy="greedy", mask_index=BLANK
    )
    return [charset.decode(row) for row in np.asarray(decoded)[0]]  # (1, B, T), -1 padded


def ctc_beam_decode(logits, charset: Charset, beam_width: int = 10, lengths=None) -> list[str]:
    """Beam search over label prefixes (sums the alignments of each prefix): B strings.

    ``logits`` must be logits or log-probabilities, never probabilities (see the module doc).
    """
    _check_logits(logits, charset, "ctc_beam_decode")
    decoded, _ = ops.ctc_decode(
        logits,
        _lengths(logits, lengths),
        strategy="beam_search",
        beam_width=beam_width,
        top_paths=1,
        mask_index=BLANK,
    )
    return [charset.decode(row) for row in np.asarray(decoded)[0]]
