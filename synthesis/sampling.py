"""Writing with a trained network: one point at a time, in NumPy.

Sampling feeds each drawn point back as the next input, so it is a loop of a few hundred single
steps. A Keras call per step costs milliseconds; the same step in NumPy, with the weights taken
from the Keras layers and the LSTM equations of part 2 (:func:`lstm_explained.numpy_lstm.lstm_step`),
costs tens of microseconds. :meth:`HandWriter.teacher_forced` runs the same steps over a given
line, which is how the tests check that this twin matches the Keras network.

Knobs, as in Graves (2013) section 5.4 and sjvasquez/handwriting-synthesis:

* ``bias`` b >= 0: standard deviations times exp(-b), mixture weights sharpened by (1 + b). 0 is
  the model's own distribution (varied, sometimes messy); 1-2 writes neat, typical strokes.
* ``prime``: a line and its text are first fed through the network (teacher forcing), so its
  state holds that writer's style; the new text is then written "in the same hand".
* Stopping: the network writes the text *followed by a space*, so it ends the last word the way it
  ends every other word: it lifts the pen, then dots the i's and crosses the t's it left for later.
  The line stops where the writer would begin another word: at a pen-up jump to the right of
  everything written so far, made while the window reads that final space. If the window gets
  past the space first (phi one past the end outweighs every letter: the paper's rule), it stops
  at the next pen lift. Without the space, the network only learns where a text ends from the
  training lines *ending* there, never from what comes after, so it would scribble on past the last
  letter and leave its dots and bars undrawn (measured in ``docs/experiments.md``).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from labcore.weights import sidecar_path
from lstm_explained.numpy_lstm import lstm_step
from synthesis.attention import window_step
from synthesis.mdn import sample_point, split_numpy
from synthesis.network import SynthesisConfig, build_network
from synthesis.training import STEP, WEIGHTS_DIR, WRITER_HAND, normalise_line, writer_charset

PRIME_TEXT = "the quick brown fox jumps"  # what a synthetic writer writes to prime a style


def style_prime(writer: int) -> np.ndarray:
    """:data:`PRIME_TEXT` in the hand of synthetic writer ``writer``, as the writer networks
    learnt it (:data:`synthesis.training.WRITER_HAND`): the line ``--style`` primes with."""
    from ink.synthetic import WriterStyle, write

    style = WriterStyle.from_seed(writer, hand=WRITER_HAND)
    return write(PRIME_TEXT, writer=writer, style=style)


POINTS_PER_CHAR_LIMIT = 30  # a line that needs more has failed to finish; stop it


@dataclass
class Generated:
    """One generated line: ``offsets`` (T, 3) ``(eos, dx, dy)`` in height-scale units; for the
    synthesis network also the window ``phi`` (T, U + 1: the text's U letters, then the space
    after it) and ``kappa`` (T, K) at every step."""

    offsets: np.ndarray
    text: str | None
    bias: float
    seed: int
    finished: bool  # False when the step limit, not the window, ended the line
    phi: np.ndarray | None = None
    kappa: np.ndarray | None = None


class HandWriter:
    """A trained prediction or synthesis network as NumPy arrays, with its data scaling."""

    def __init__(self, model, info: dict):
        self.model, self.info = model, info  # the Keras network and its JSON sidecar
        self.config = SynthesisConfig(**info["config"])
        self.offset_scale = float(info["offset_scale"])
        self.step_size = float(info.get("step", STEP))
        self.max_chars = int(info.get("max_chars", 40))
        self.charset = writer_charset()
        if info.get("charset", self.charset.chars) != self.charset.chars:
            raise ValueError("these weights were trained for another character set")
        c = self.config
        self.lstms = []  # (kernel, recurrent_kernel, bias) of each layer
        if c.conditional:
            window_lstm = model.get_layer("window_lstm")
            self.lstms.append(window_lstm.cell.get_weights())
            self.window = window_lstm.window.get_weights()  # kernel (u, 3K), bias (3K,)
        else:
            self.lstms.append(model.get_layer("lstm1").get_weights())
        for i in range(2, c.layers + 1):
            self.lstms.append(model.get_layer(f"lstm{i}").get_weights())
        self.lstms = [[w.astype(np.float64) for w in ws] for ws in self.lstms]
        self.out_kernel, self.out_bias = (
            w.astype(np.float64) for w in model.get_layer("mdn").get_weights()
        )

    # ------------------------------------------------------------------------------ one step
    def initial_state(self) -> dict:
        u, c = self.config.units, self.config
        state = {
            "h": [np.zeros((1, u)) for _ in range(c.layers)],
            "c": [np.zeros((1, u)) for _ in range(c.layers)],
        }
        if c.conditional:
            state["kappa"] = np.zeros(c.n_gaussians)
            state["w"] = np.zeros(c.vocab)
        return state

    def one_hot(self, text: str) -> np.ndarray:
        """(U, V) one-hot rows of ``text``; characters outside the charset raise ValueError."""
        ids = self.charset.encode(text)
        return np.eye(self.config.vocab)[ids - 1]

    def step(self, x: np.ndarray, state: dict, chars: np.ndarray | None = None):
        """Input point ``x`` (3,) -> raw mixture outputs (1 + 6M,) and phi (U + 1,) or None.
        Updates ``state`` in place."""
        x = np.asarray(x, dtype=np.float64)[None]  # (1, 3)
        hs, phi = [], None
        for layer, (kernel, recurrent, bias) in enumerate(self.lstms):
            if layer == 0:
                inp = np.concatenate([x, state["w"][None]], 1) if chars is not None else x
            else:
                extra = [state["w"][None]] if chars is not None else []
                inp = np.concatenate([x, hs[-1], *extra], 1)  # input skip connection
            h, c, _ = lstm_step(inp, state["h"][layer], state["c"][layer], kernel, recurrent, bias)
            state["h"][layer], state["c"][layer] = h, c
            if layer == 0 and chars is not None:
                state["kappa"], phi, state["w"] = window_step(
                    h[0], state["kappa"], *self.window, chars
                )
            hs.append(h)
        y = np.concatenate(hs, 1)[0] @ self.out_kernel + self.out_bias
        return y, phi

    def teacher_forced(self, line_inputs: np.ndarray, text: str | None = None):
        """Run the network over given (normalised) input points (T, 3) -> outputs (T, 1 + 6M),
        phi (T, U + 1) or None, and the final state."""
        chars = self.one_hot(text) if self.config.conditional else None
        state = self.initial_state()
        ys, phis = [], []
        for x in line_inputs:
            y, phi = self.step(x, state, chars)
            ys.append(y)
            phis.append(phi)
        return np.array(ys), (np.array(phis) if chars is not None else None), state

    # ------------------------------------------------------------------------------ sampling
    def check_text(self, text: str) -> str:
        if not self.config.conditional:
            raise ValueError("this is the unconditional network: it writes without --text")
        bad = self.charset.unknown(text)
        if bad:
            raise ValueError(f"characters outside the model's charset: {''.join(bad)!r}")
        if not text.strip():
            raise ValueError("text must hold at least one visible character")
        return text

    def prime_inputs(self, offsets) -> np.ndarray:
        """A real or synthetic line -> the network's input units (normalised, resampled)."""
        line = normalise_line(offsets, self.step_size, name="priming line")
        line[:, 1:] /= self.offset_scale
        return line

    def generate(
        self,
        text: str | None = None,
        bias: float = 0.0,
        seed: int = 0,
        prime: np.ndarray | None = None,
        prime_text: str | None = None,
        max_steps: int | None = None,
    ) -> Generated:
        """Write ``text`` (synthesis network) or ``max_steps`` points of free handwriting
        (prediction network). ``prime`` (T, 3) with ``prime_text`` sets the style."""
        rng = np.random.default_rng(seed)
        c = self.config
        if c.conditional:
            if text is None:
                raise ValueError("the synthesis network needs a text")
            self.check_text(text)
            if len(text) > self.max_chars:
                raise ValueError(
                    f"text of {len(text)} characters: the model was trained on lines of at most "
                    f"{self.max_chars}; use write_lines() to split it"
                )
        elif text is not None:
            raise ValueError("this is the unconditional network: it writes without a text")
        full_text = text
        if c.conditional and not text.endswith(" "):
            full_text = text + " "  # the space after the last word: see the module docstring
        state = self.initial_state()
        x = np.zeros(3)
        if prime is not None:
            if c.conditional and not prime_text:
                raise ValueError("priming the synthesis network needs the priming line's text")
            full_text = f"{prime_text} {full_text}" if c.conditional else None
            chars = self.one_hot(full_text) if c.conditional else None
            inputs = self.prime_inputs(prime)
            for point in inputs[:-1]:
                y, phi = self.step(point, state, chars)
            x = inputs[-1]
        chars = self.one_hot(full_text) if c.conditional else None
        if max_steps is None:
            max_steps = POINTS_PER_CHAR_LIMIT * (len(text) + 1) if c.conditional else 400
        points, phis, kappas, finished = [np.zeros(3, np.float32)], [], [], False
        end_space = len(full_text) - 1 if c.conditional else -1  # where phi reads the final space
        pen_x, right_edge, pen_up = 0.0, -np.inf, False  # x of the pen, of the rightmost ink
        for _ in range(max_steps):
            y, phi = self.step(x, state, chars)
            x = sample_point(split_numpy(y, c.n_mixtures, bias), rng)
            if phi is not None:
                if pen_up and np.argmax(phi) >= end_space and pen_x + x[1] > right_edge:
                    finished = True  # the writer moves on to a word that is not there: stop
                    break
                phis.append(phi)
                kappas.append(state["kappa"].copy())
                if phi[-1] > phi[:-1].max():  # the window has passed the final space:
                    finished = True  # finish the stroke in progress, then stop
            points.append(x)
            pen_x += x[1]
            right_edge, pen_up = max(right_edge, pen_x), x[0] > 0.5
            if finished and pen_up:
                break
        offsets = np.array(points, np.float32)
        if prime is not None:  # start at the first new point: the move from the priming
            offsets = offsets[1:].copy()  # line's end to it is not part of this line
            offsets[0, 1:] = 0.0
        offsets[-1, 0] = 1.0  # the pen lifts at the end
        offsets[:, 1:] *= self.offset_scale
        if c.conditional:  # the new text's part of the window, and the end of the line
            n_prime = len(prime_text) + 1 if prime is not None else 0
            phis = [p[n_prime : n_prime + len(text) + 1] for p in phis]
        return Generated(
            offsets,
            text,
            bias,
            seed,
            finished or not c.conditional,
            np.array(phis) if phis else None,
            np.array(kappas) if kappas else None,
        )

    def write_lines(self, text: str, bias: float = 0.0, seed: int = 0, **kwargs) -> np.ndarray:
        """Any length of text: word-wrapped into lines the model can attend to, each generated,
        stacked one under the other into one (T, 3) array."""
        self.check_text(text)
        lines = textwrap.wrap(text, self.max_chars, break_long_words=True) or [text]
        parts = [self.generate(ln, bias, seed + i, **kwargs).offsets for i, ln in enumerate(lines)]
        return stack_lines(parts)


def stack_lines(parts: list[np.ndarray], gap: float = 1.6) -> np.ndarray:
    """(T_i, 3) lines -> one (T, 3) array, each line starting ``gap`` line heights (of the
    tallest line) below the previous one's start; the pen is up between lines."""
    from ink.strokes import offsets_to_points, points_to_offsets

    points = [offsets_to_points(p) for p in parts]  # (T_i, 3) x, y, eos
    height = max(float(np.ptp(p[:, 1])) for p in points) or 1.0
    out = []
    for i, p in enumerate(points):
        q = p.copy()
        q[:, :2] -= q[0, :2]
        q[:, 1] -= i * gap * height
        q[-1, 2] = 1.0
        out.append(q)
    return points_to_offsets(np.concatenate(out))


# ----------------------------------------------------------------------------------- loading
TASKS = ("unconditional", "conditional")


def shipped_weights(task: str) -> Path:
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    return WEIGHTS_DIR / f"{task}.weights.h5"


def load_writer(weights=None, task: str = "conditional") -> HandWriter:
    """The network in ``weights`` (default: the shipped one for ``task``) with its sidecar
    ``.json`` (config and data scaling), as a :class:`HandWriter`; ``writer.model`` is the
    Keras model."""
    from labcore.weights import load_weights_checked

    path = Path(weights) if weights is not None else shipped_weights(task)
    if not path.is_file():
        raise FileNotFoundError(
            f"weights file not found: {path} (train one with `python -m synthesis train "
            f"--task {task} --out {path}`)"
        )
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        raise FileNotFoundError(f"{sidecar}: the config file saved beside {path.name} is missing")
    try:
        info = json.loads(sidecar.read_text())
        model = build_network(SynthesisConfig(**info["config"]))
        info["offset_scale"] = float(info["offset_scale"])
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{sidecar}: not a handwriting network description ({err})") from None
    load_weights_checked(model, path)
    return HandWriter(model, info)


def save_line(offsets: np.ndarray, path) -> Path:
    """Write a (T, 3) line to ``.npy`` (the stroke format), ``.svg`` or ``.png``; the drawings
    pass a smooth curve through the points (:func:`ink.draw.spline`)."""
    from ink.draw import plot_line, to_svg
    from labcore.cli import atomic_output

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".npy", ".svg", ".png"):
        raise ValueError(f"--out: expected a file ending in .png, .svg or .npy, got {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:  # an interruption never leaves half a file
        if suffix == ".npy":
            with open(tmp, "wb") as f:  # np.save(name) would add .npy to the temporary name
                np.save(f, offsets.astype(np.float32))
        elif suffix == ".svg":
            to_svg(offsets, tmp, stroke_width=0.08, smooth=True)
        else:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            pts = np.cumsum(offsets[:, 1:], axis=0)
            w, h = np.ptp(pts[:, 0]) + 1, np.ptp(pts[:, 1]) + 1
            fig, ax = plt.subplots(figsize=(min(16, 1 + w * 0.5), min(12, 0.5 + h * 0.5)))
            plot_line(offsets, ax=ax, linewidth=1.5, smooth=True)
            fig.savefig(tmp, dpi=120, bbox_inches="tight")
            plt.close(fig)
    return path
