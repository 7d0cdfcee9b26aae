"""Command line: ``python -m synthesis train-recognizer|recognize``.

python -m synthesis train-recognizer [--strokes F --sentences F] [--epochs N] [--n-train N]
                                     [--init W] [--out W] [--distribute mirrored]
                                     [--residual] [--attention] [--focal-gamma G]
python -m synthesis recognize --strokes F.npy [--sentences F.txt] [--weights W] [--beam N]
                              [--json]
python -m synthesis figures [--out DIR]
python -m synthesis bench [--json]

Without ``--strokes`` training uses the synthetic sentences (split by writer). An interrupted
``train-recognizer`` resumes when the same command is run again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_train_recognizer(args) -> int:
    from synthesis.recognition import (
        real_strokes,
        recognizer_charset,
        synthetic_sentences,
        train_recognizer,
    )
    from synthesis.recognizer import RecognizerConfig

    charset = recognizer_charset()
    if args.strokes is not None:
        if args.sentences is None:
            raise ValueError("--strokes needs --sentences to train on")
        data = real_strokes(args.strokes, args.sentences, limit=args.n_train)
        n_val = max(1, len(data) // 10)
        train_set, val_set = data.take(range(n_val, len(data))), data.take(range(n_val))
    else:
        train_set = synthetic_sentences("train", limit=args.n_train)
        val_set = synthetic_sentences("validation", limit=args.n_val)
    config = RecognizerConfig(
        units=args.units,
        layers=args.layers,
        residual=args.residual,
        attention=args.attention,
        focal_gamma=args.focal_gamma,
    )
    if args.init is not None:
        from synthesis.recognition import load_recognizer

        _, init_charset, info = load_recognizer(args.init)
        if init_charset.chars != charset.chars:
            raise ValueError(f"--init {args.init}: saved for another charset")
        config = info["config"]
    out = args.out or Path("checkpoints") / "recognizer.weights.h5"
    result = train_recognizer(
        config,
        train_set,
        val_set,
        charset,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        out=out,
        init=args.init,
        distribute=args.distribute,
        verbose="auto" if sys.stdout.isatty() else 2,
    )
    print(
        f"trained {len(result.history.get('loss', []))} epochs on {result.n_train} lines in "
        f"{result.seconds:.0f} s ({result.lines_per_second:.1f} lines/s); weights: {out}"
    )
    return 0


def cmd_recognize(args) -> int:
    from synthesis.recognition import evaluate_lines, load_recognizer, real_strokes

    data = real_strokes(args.strokes, args.sentences)
    model, charset, _ = load_recognizer(args.weights)
    scores = evaluate_lines(model, charset, data, beam=args.beam)
    if args.json:
        out = {"n": scores["n"], "predictions": scores["predictions"]}
        out["cer"] = scores["cer"] if args.sentences else None
        out["wer"] = scores["wer"] if args.sentences else None
        print(json.dumps(out))
        return 0
    for text in scores["predictions"]:
        print(text)
    if args.sentences:
        print(f"CER {scores['cer']:.2%}  WER {scores['wer']:.2%}  n={scores['n']}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m synthesis",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train-recognizer", help="train the stroke recognizer with CTC")
    p.add_argument("--strokes", type=Path, help="strokes-py3.npy (default: synthetic)")
    p.add_argument("--sentences", type=Path, help="sentences.txt beside --strokes")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=2e-3)
    p.add_argument("--n-train", type=int, default=None, help="training lines to use")
    p.add_argument("--n-val", type=int, default=500, help="validation lines (synthetic)")
    p.add_argument("--units", type=int, default=96)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--residual", action="store_true")
    p.add_argument("--attention", action="store_true")
    p.add_argument("--focal-gamma", type=float, default=0.0)
    p.add_argument("--init", type=Path, help="start from these weights")
    p.add_argument("--out", type=Path, help="weights file (*.weights.h5) for the best epoch")
    p.add_argument("--distribute", choices=["mirrored"], default=None)

    p = sub.add_parser("recognize", help="transcribe every line of a strokes file")
    p.add_argument("--strokes", type=Path, required=True)
    p.add_argument("--sentences", type=Path, help="reference texts: also print CER and WER")
    p.add_argument("--weights", type=Path, help="default: the shipped recognizer")
    p.add_argument("--beam", type=int, default=0, help="beam width (0: greedy)")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("figures", help="write the 05_* figures as PNG files")
    p.add_argument("--out", type=Path, default=Path("figures"))
    p.add_argument("--only", nargs="*", help="figure stems to write (default: all)")
    p = sub.add_parser("bench", help="part 5's targets and the ablation table")
    p.add_argument("--json", action="store_true")

    args = parser.parse_args(argv)
    try:
        if args.command == "train-recognizer":
            return cmd_train_recognizer(args)
        if args.command == "recognize":
            return cmd_recognize(args)
        if args.command == "figures":
            from lstm_explained.__main__ import save_figures
            from synthesis.figures import FIGURES

            save_figures(FIGURES, args.out, args.only)
            return 0
        from synthesis.bench import main as bench_main

        bench_main(as_json=args.json)
        return 0
    except (FileNotFoundError, ValueError, FloatingPointError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
