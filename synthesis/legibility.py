"""Is the generated handwriting legible? A closed loop: write, then read back.

The synthesis network writes sentences it never saw in training (the texts of the held-out
writers' lines); part 5's recognizer, which never saw generated strokes either, reads them; the
character error rate between the text asked for and the text read is the legibility. It is
measured at several sampling biases, since the bias trades variety for neatness.

A low CER says the letters are the right ones in the right order. It does not say the lines
look human; the figures are for that.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

from labcore.metrics import char_error_rate, char_error_rate_se, word_error_rate

BIASES = (0.0, 0.5, 1.0, 2.0)


def held_out_texts(n: int, max_chars: int | None = None) -> list[str]:
    """The texts of the first ``n`` test-split synthetic sentences (writers and texts the
    synthesis network was not trained on), skipping any longer than ``max_chars``."""
    from synthesis.recognition import synthetic_sentences

    texts = synthetic_sentences("test", limit=2 * n + 10, progress=False).texts
    return [t for t in texts if max_chars is None or len(t) <= max_chars][:n]


def write_and_read(writer, recognizer, texts, bias: float, seed: int = 0) -> dict:
    """Generate every text at ``bias`` (line i with seed ``seed + i``), recognise the lines,
    score them: ``{"bias", "cer", "cer_se", "wer", "n", "finished", "seconds_per_line",
    "predictions", "lines"}``. ``cer_se`` is the bootstrap standard error of the CER over the
    sentences: how far another draw of as many sentences could move it."""
    from synthesis.recognition import StrokeSet, recognize

    model, charset, info = recognizer
    lines, seconds, finished = [], 0.0, 0
    for i, text in enumerate(texts):
        start = time.perf_counter()
        g = writer.generate(text, bias=bias, seed=seed + i)
        seconds += time.perf_counter() - start
        lines.append(g.offsets)
        finished += g.finished
    hyps = recognize(
        model,
        charset,
        StrokeSet(lines, list(texts), "generated"),
        downsample=info["config"].downsample,
    )
    return {
        "bias": bias,
        "cer": char_error_rate(list(texts), hyps),
        "cer_se": char_error_rate_se(list(texts), hyps),
        "wer": word_error_rate(list(texts), hyps),
        "n": len(texts),
        "finished": finished / len(texts),
        "seconds_per_line": seconds / len(texts),
        "predictions": hyps,
        "lines": lines,
    }


def legibility_table(
    n: int = 100, biases=BIASES, writer=None, recognizer=None, keep_lines: bool = False
) -> list[dict]:
    """:func:`write_and_read` at every bias on ``n`` held-out sentences (shipped models by
    default). Rows without the generated lines, ready for a table, unless ``keep_lines``
    (then with ``"lines"`` and ``"texts"``)."""
    from synthesis.recognition import load_recognizer
    from synthesis.sampling import load_writer

    writer = writer or load_writer(task="conditional")
    recognizer = recognizer or load_recognizer()
    texts = held_out_texts(n, writer.max_chars)
    rows = []
    for b in biases:
        row = write_and_read(writer, recognizer, texts, b)
        if keep_lines:
            row["texts"] = list(texts)
        else:
            row.pop("lines")
        rows.append(row)
    return rows


KEPT = Path(__file__).resolve().parent / "weights" / "legibility.json"


def weights_fingerprint(path) -> str:
    """The first 16 hex digits of the file's SHA-256: which weights a kept result belongs to."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def kept_legibility(n: int = 100, remeasure: bool = False, path=KEPT) -> list[dict]:
    """:func:`legibility_table` of the shipped writer and recognizer on ``n`` sentences, read
    from ``path`` when it was measured with these very weight files and ``n`` (``make figures``
    then takes seconds, not the ~3 minutes of writing 400 lines); otherwise (or with
    ``remeasure``) measured now and kept there."""
    from synthesis.recognition import shipped_recognizer
    from synthesis.sampling import shipped_weights

    key = {
        "n": n,
        "writer": weights_fingerprint(shipped_weights("conditional")),
        "recognizer": weights_fingerprint(shipped_recognizer()),
    }
    path = Path(path)
    if path.is_file() and not remeasure:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("measured_with") == key:
            return saved["rows"]
    rows = legibility_table(n=n)
    text = json.dumps({"measured_with": key, "rows": rows}, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return rows


def format_legibility(rows: list[dict]) -> str:
    out = [f"{'bias':>5} {'CER':>7} {'+-se':>6} {'WER':>7} {'n':>5} {'finished':>9} {'s/line':>7}"]
    for r in rows:
        out.append(
            f"{r['bias']:>5.1f} {r['cer']:>7.2%} {r['cer_se']:>6.1%} {r['wer']:>7.2%} {r['n']:>5} "
            f"{r['finished']:>9.0%} {r['seconds_per_line']:>7.2f}"
        )
    out.append("+-se: bootstrap standard error of the CER over the sentences")
    return "\n".join(out)


def seconds_for_line(writer, n_chars: int = 40, repeats: int = 5, bias: float = 1.0) -> float:
    """Median wall time to write one line of ``n_chars`` characters."""
    text = ("handwriting synthesis with recurrent nets " * 3)[:n_chars].strip()
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        writer.generate(text, bias=bias, seed=seed)
        times.append(time.perf_counter() - start)
    return float(np.median(times))
