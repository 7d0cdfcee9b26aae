"""The demo's web layer: Flask routes that check, convert and display, and nothing more.

Why Flask: a small, well kept WSGI library with a test client; the page needs five routes and
no async. Each route checks the request (bad input is a one-line message, HTTP 400), calls the
functions the command lines and notebooks call, and turns what they return into JSON or a file::

    GET  /                              the page (static/index.html, demo.js, demo.css)
    GET  /api/limits                    the payload limits and the writer's characters
    POST /api/read   {strokes}          greedy and beam transcriptions, the letter each frame
                                        reads along the trace (figures/05_recognized_lines.png)
    POST /api/write  {text, bias, seed, prime: "line" | "style" | "none", strokes, prime_text,
                      style}            the written line as SVG, its pen steps per stroke (for
                                        the animation) and the attention window phi
    GET  /api/line/<id>.svg|png|npy     a line read or written, as `synthesis generate --out`
                                        writes it (:func:`synthesis.sampling.save_line`)

``strokes`` are the page's pointer samples (:mod:`synthesis.demo.pointer`). The Keras models
are loaded once, on first use; one lock guards every call into Keras and matplotlib, because
the development server answers each request in a thread of its own. A failing request answers
``{"error": "<one line>"}`` and never stops the server.
"""

from __future__ import annotations

import re
import secrets
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from labcore.cli import one_line
from synthesis.demo.pointer import MAX_POINTS, check_samples, samples_to_line, writing_time

MAX_TEXT_CHARS = 50  # what the shipped writer was trained on (its max_chars): one line
MAX_PRIME_CHARS = 80  # the priming line's text: an IAM-OnDB line is 30-40 characters
MAX_BODY_BYTES = 2 * 1024 * 1024  # a line of MAX_POINTS samples is ~200 kB of JSON
BEAM_WIDTH = 10
MAX_BIAS, MAX_STYLE = 10.0, 9999
KEPT_LINES = 64  # lines read or written that can still be downloaded


class Models:
    """The recognizer and the writer (default: the shipped weights), each loaded on first use.

    ``lock`` serialises every call into Keras and matplotlib: neither is meant to be called by
    several threads at once, and the demo is for one person at a time anyway."""

    def __init__(self, recognizer_weights=None, writer_weights=None):
        self.recognizer_weights, self.writer_weights = recognizer_weights, writer_weights
        self.lock = threading.RLock()
        self._recognizer = self._writer = None

    def recognizer(self):
        """(model, charset, config) of the recognizer."""
        with self.lock:
            if self._recognizer is None:
                from synthesis.recognition import load_recognizer

                model, charset, info = load_recognizer(self.recognizer_weights)
                self._recognizer = (model, charset, info["config"])
            return self._recognizer

    def writer(self):
        """The synthesis network as a :class:`synthesis.sampling.HandWriter`."""
        with self.lock:
            if self._writer is None:
                from synthesis.sampling import load_writer

                self._writer = load_writer(self.writer_weights, task="conditional")
            return self._writer

    def warm_up(self) -> None:
        """Load both now (the command line does it in the background while the page opens);
        a failure is printed in one line, and each request that needs the model names it."""
        try:
            self.recognizer()
            self.writer()
        except Exception as err:
            print(f"error: loading the models failed: {one_line(err)}", file=sys.stderr)


class LineStore:
    """The last :data:`KEPT_LINES` lines read or written, by a random id, so the page can link
    to them as files."""

    def __init__(self, size: int = KEPT_LINES):
        self.size, self.lines, self.lock = size, OrderedDict(), threading.Lock()

    def add(self, offsets: np.ndarray, name: str) -> str:
        line_id = secrets.token_hex(6)
        with self.lock:
            self.lines[line_id] = (offsets, name)
            while len(self.lines) > self.size:
                self.lines.popitem(last=False)
        return line_id

    def get(self, line_id: str) -> tuple[np.ndarray, str]:
        with self.lock:
            if line_id not in self.lines:
                raise KeyError(line_id)
            return self.lines[line_id]


# ----------------------------------------------------------------------------- checking input
def check_text(text, what: str, limit: int) -> str:
    """``text`` as a string the writer can write, or a one-line ValueError naming what is wrong
    (characters outside its charset are named)."""
    from synthesis.training import writer_charset

    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{what}: type at least one letter")
    text = " ".join(text.split())  # one line: tabs, newlines and runs of spaces become a space
    if len(text) > limit:
        raise ValueError(f"{what}: {len(text)} characters, more than the {limit} allowed")
    charset = writer_charset()
    unknown = charset.unknown(text)
    if unknown:
        named = ", ".join(repr(c) for c in unknown)
        marks = "".join(c for c in charset.chars if not c.isalnum() and c != " ")
        raise ValueError(
            f"{what}: the writer cannot write {named}; it knows letters, digits, space and {marks}"
        )
    return text


def number(body: dict, key: str, default, low, high, kind=float):
    """``body[key]`` as a ``kind`` from ``low`` to ``high`` (``default`` when absent)."""
    value = body.get(key, default)
    wanted = f"{key}: expected {'an integer' if kind is int else 'a number'} from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{wanted}, got {value!r}")
    try:
        parsed = kind(float(value) if kind is float else value)
        exact = parsed == float(value)  # False for 1.5 as an integer, and for NaN
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{wanted}, got {value!r}") from None
    if not exact or not low <= parsed <= high:
        raise ValueError(f"{wanted}, got {value!r}")
    return parsed


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object as the request body")
    return body


def page_line(body: dict) -> tuple[np.ndarray, list[np.ndarray]]:
    """The line written on the page: (T, 3) offsets and the checked samples."""
    samples = check_samples(body.get("strokes"), MAX_POINTS)
    return samples_to_line(body.get("strokes")), samples


# ----------------------------------------------------------------------------- read and write
def read_line(models: Models, line: np.ndarray) -> dict:
    """The recognizer reads ``line`` (T, 3) as :func:`synthesis.figures.recognized_figure`
    does: greedy and beam texts, the line it reads (resampled, levelled, scaled) and the
    letter each frame reads on it."""
    from synthesis.figures import features_to_points, frame_readings
    from synthesis.recognition import StrokeSet, decode_lines, predict_logits, prepare

    model, charset, config = models.recognizer()
    data = StrokeSet([line], [""], "the page's line")
    with models.lock:
        feats, _ = prepare(
            data, charset, config.downsample, for_training=False, deskew=config.deskew
        )
        logits = predict_logits(model, feats)  # [(frames, classes)]
        greedy = decode_lines(logits, charset)[0]
        beam = decode_lines(logits, charset, BEAM_WIDTH)[0]
    trace = features_to_points(feats[0])  # (T', 3) x, y up, pen_up
    frames = frame_readings(logits[0], charset, len(trace), config.downsample)
    return {
        "greedy": greedy,
        "beam": beam,
        "beam_width": BEAM_WIDTH,
        "trace": np.round(trace, 3).tolist(),
        "frames": [[int(i), c] for i, c in frames],
    }


def priming(body: dict) -> tuple[np.ndarray | None, str | None, str]:
    """(prime line, its text, a description) for the request's ``prime`` choice."""
    choice = body.get("prime", "style")
    if choice == "none":
        return None, None, "no priming"
    if choice == "style":
        from synthesis.sampling import PRIME_TEXT, style_prime

        style = number(body, "style", 0, 0, MAX_STYLE, int)
        return style_prime(style), PRIME_TEXT, f"synthetic writer {style}"
    if choice == "line":
        prime_text = check_text(body.get("prime_text"), "the text of your line", MAX_PRIME_CHARS)
        line, _ = page_line(body)
        return line, prime_text, f"your line ({prime_text!r})"
    raise ValueError(f"prime: expected 'line', 'style' or 'none', got {choice!r}")


def pen_steps(offsets: np.ndarray) -> list[list[int]]:
    """[start, end) point indices of each pen-down stroke, in the order ``to_svg`` writes
    their ``<path>`` elements (:func:`ink.strokes.offsets_to_strokes`): the page animates
    path i over those steps."""
    ends = list(np.flatnonzero(offsets[:, 0] > 0.5) + 1)
    if not ends or ends[-1] != len(offsets):
        ends.append(len(offsets))
    starts = [0, *ends[:-1]]
    return [[int(s), int(e)] for s, e in zip(starts, ends, strict=True) if e > s]


def line_file(models: Models, offsets: np.ndarray, suffix: str) -> bytes:
    """The line as :func:`synthesis.sampling.save_line` writes it (``.svg``, ``.png``,
    ``.npy``): the same file as ``python -m synthesis generate --out``."""
    from synthesis.sampling import save_line

    with tempfile.TemporaryDirectory() as folder, models.lock:  # pyplot is not thread-safe
        return save_line(offsets, Path(folder) / f"line{suffix}").read_bytes()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "line"


# ----------------------------------------------------------------------------- the app
def create_app(models: Models | None = None) -> Flask:
    """The Flask app; ``models`` defaults to the shipped networks, loaded on first use."""
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    models = models if models is not None else Models()
    store = LineStore()

    @app.get("/")
    def index():
        return app.send_static_file("index.html")

    @app.get("/api/limits")
    def limits():
        from synthesis.training import writer_charset

        return jsonify(
            max_points=MAX_POINTS,
            max_text_chars=MAX_TEXT_CHARS,
            max_prime_chars=MAX_PRIME_CHARS,
            charset=writer_charset().chars,
        )

    @app.post("/api/read")
    def read():
        start = time.perf_counter()
        body = json_body()
        line, samples = page_line(body)
        out = read_line(models, line)
        line_id = store.add(line, "my-line")
        return jsonify(
            **out,
            line_id=line_id,
            points=len(line),
            strokes=len(samples),
            seconds_written=round(writing_time(samples), 2),
            seconds=round(time.perf_counter() - start, 3),
        )

    @app.post("/api/write")
    def write():
        start = time.perf_counter()
        body = json_body()
        text = check_text(body.get("text"), "text", MAX_TEXT_CHARS)
        bias = number(body, "bias", 1.0, 0.0, MAX_BIAS)
        seed = number(body, "seed", 0, 0, 2**32 - 1, int)
        prime, prime_text, primed_with = priming(body)
        writer = models.writer()
        with models.lock:
            gen = writer.generate(text, bias, seed, prime, prime_text)
        line_id = store.add(gen.offsets, f"written-{slug(text)}")
        return jsonify(
            text=text,
            primed_with=primed_with,
            finished=bool(gen.finished),
            points=len(gen.offsets),
            svg=line_file(models, gen.offsets, ".svg").decode("utf-8"),
            pen_steps=pen_steps(gen.offsets),
            phi=None if gen.phi is None else np.round(gen.phi, 3).tolist(),  # (T, U + 1)
            line_id=line_id,
            seconds=round(time.perf_counter() - start, 3),
        )

    @app.get("/api/line/<line_id>.<any(svg, png, npy):suffix>")
    def download(line_id: str, suffix: str):
        try:
            offsets, name = store.get(line_id)
        except KeyError:
            return error(404, "no such line: it was read or written too long ago; do it again")
        kinds = {"svg": "image/svg+xml", "png": "image/png", "npy": "application/octet-stream"}
        data = line_file(models, offsets, f".{suffix}")
        response = app.response_class(data, mimetype=kinds[suffix])
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
        return response

    register_errors(app)
    return app


def error(status: int, message: str):
    response = jsonify(error=message)
    response.status_code = status
    return response


def register_errors(app: Flask) -> None:
    """Bad input: 400 and its one-line message; HTTP errors (404, 405, 413): their code; any
    other failure: 500 and one line (the traceback goes to the server's log). The server goes
    on in every case."""

    @app.errorhandler(ValueError)
    def bad_input(err):
        return error(400, one_line(err))

    @app.errorhandler(HTTPException)
    def http_error(err):
        if err.code == 413:
            return error(413, f"the request is larger than the {MAX_BODY_BYTES >> 20} MB allowed")
        return error(err.code or 500, f"{err.name}: {err.description}")

    @app.errorhandler(Exception)
    def unexpected(err):
        app.logger.exception("request failed")
        return error(500, f"unexpected {type(err).__name__}: {one_line(err)}")


def make_demo_server(host: str = "127.0.0.1", port: int = 8765, models: Models | None = None):
    """A threaded WSGI server for the demo (``server.serve_forever()`` runs it; ``port=0``
    takes a free port, ``server.server_port`` says which)."""
    from werkzeug.serving import make_server

    try:
        return make_server(host, port, create_app(models), threaded=True)
    except SystemExit:  # werkzeug has printed why: the port is taken, the address unknown...
        raise OSError(f"cannot listen on {host}:{port} (the line above says why)") from None
