"""Command line: ``python -m synthesis train-recognizer|recognize|train|generate|figures|bench``,
``python -m synthesis recipe`` and ``python -m synthesis demo`` (a local web page:
:mod:`synthesis.demo`).

python -m synthesis train-recognizer [--strokes F --sentences F] [--epochs N] [--n-train N]
                                     [--init W] [--out W] [--distribute mirrored]
                                     [--residual] [--attention] [--focal-gamma G] [--augment]
python -m synthesis train --task unconditional|conditional [--strokes F --sentences F] [--steps N]
                          [--resume] [--out W] [--distribute mirrored]
python -m synthesis generate [--text "..."] [--bias B] [--style N | --prime F.npy --prime-text T]
                             [--weights W] [--seed S] --out FILE.png|.svg|.npy
python -m synthesis recognize --strokes F.npy [--sentences F.txt] [--weights W] [--beam N]
                              [--json]
python -m synthesis figures [--out DIR]
python -m synthesis bench [--part 5|6] [--json]
python -m synthesis demo [--port N] [--host H]
python -m synthesis recipe recognizer|recognizer_font|conditional|unconditional [--work DIR]
                           [--out W] [--dry-run]

Without ``--strokes`` training uses the synthetic sentences (split by writer). An interrupted
``train-recognizer`` or ``train`` resumes when the same command is run again. ``recipe`` trains
a shipped weight file again, stage by stage (``synthesis.recipes``), and resumes the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from labcore.cli import (
    Parser,
    add_debug_flag,
    guarded,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
)


def cmd_train_recognizer(args) -> int:
    from labcore.training import check_can_train
    from synthesis.features import Augment
    from synthesis.recognition import (
        real_strokes,
        recognizer_charset,
        synthetic_sentences,
        train_recognizer,
    )
    from synthesis.recognizer import RecognizerConfig

    out = check_can_train(args.out or Path("checkpoints") / "recognizer.weights.h5")
    charset = recognizer_charset()
    if args.strokes is not None:
        if args.sentences is None:
            raise ValueError("--strokes needs --sentences to train on")
        data = real_strokes(args.strokes, args.sentences, limit=args.n_train)
        n_val = max(1, len(data) // 10)
        train_set, val_set = data.take(range(n_val, len(data))), data.take(range(n_val))
    else:
        # training lines of any data seed; validation lines always of seed 0, whose test
        # writers no training set of any seed has (each seed has writers of its own)
        train_set = synthetic_sentences(
            "train", args.n_train, n_lines=args.n_lines, seed=args.data_seed, hand=args.hand
        )
        val_set = synthetic_sentences("validation", limit=args.n_val, hand=args.hand)
    config = RecognizerConfig(
        units=args.units,
        layers=args.layers,
        residual=args.residual,
        attention=args.attention,
        focal_gamma=args.focal_gamma,
        deskew=args.deskew,
    )
    if args.init is not None:
        from synthesis.recognition import load_recognizer

        _, init_charset, info = load_recognizer(args.init)
        if init_charset.chars != charset.chars:
            raise ValueError(f"--init {args.init}: saved for another charset")
        config = replace(info["config"], deskew=args.deskew or info["config"].deskew)
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
        augment=Augment(density=args.augment_density) if args.augment else None,
        verbose="auto" if sys.stdout.isatty() else 2,
    )
    print(
        f"trained {len(result.history.get('loss', []))} epochs on {result.n_train} lines in "
        f"{result.seconds:.0f} s ({result.lines_per_second:.1f} lines/s); weights: {out}"
    )
    return 0


def cmd_train(args) -> int:
    from labcore.training import check_out_path
    from synthesis.network import SynthesisConfig
    from synthesis.training import (
        TrainConfig,
        check_resumable,
        init_offset_scale,
        make_writing_data,
        number_lines,
        synthetic_writing_lines,
        train_writer,
        writer_charset,
    )

    out = check_out_path(args.out or Path("checkpoints") / f"{args.task}.weights.h5")
    config = SynthesisConfig(
        conditional=args.task == "conditional",
        units=args.units,
        layers=args.layers,
        vocab=len(writer_charset()),
    )
    if args.resume:
        check_resumable(out, config)  # before the data is built: a mismatch fails at once

    if args.strokes is not None:
        from ink.loaders import load_strokes

        if args.sentences is None and args.task == "conditional":
            raise ValueError("--task conditional with --strokes needs --sentences")
        if args.numbers:
            raise ValueError("--numbers adds synthetic lines: it works without --strokes only")
        lines, texts = load_strokes(args.strokes, args.sentences)
        texts = texts if texts is not None else ["?"] * len(lines)
        n_val = max(1, len(lines) // 10)
        source = Path(args.strokes).name
        train = make_writing_data(
            lines[n_val:], texts[n_val:], source, offset_scale=init_offset_scale(args.init)
        )
        val = make_writing_data(
            lines[:n_val], texts[:n_val], source + " (validation)", offset_scale=train.offset_scale
        )
    else:
        lines, texts = synthetic_writing_lines("train", args.n_train, hand=args.hand)
        source = f"synthetic, {args.hand} hand"
        if args.numbers > 0:
            more_lines, more_texts = number_lines(args.numbers, hand=args.hand)
            lines, texts = lines + more_lines, texts + more_texts
            source += f" + {len(more_lines)} number lines"
        train = make_writing_data(lines, texts, source, offset_scale=init_offset_scale(args.init))
        val = make_writing_data(
            *synthetic_writing_lines("validation", args.n_val, hand=args.hand),
            f"synthetic, {args.hand} hand (validation)",
            offset_scale=train.offset_scale,
        )
    train_cfg = TrainConfig(
        steps=args.steps, batch_size=args.batch_size, learning_rate=args.learning_rate
    )
    print(
        f"{args.task} network {config.layers} x LSTM({config.units}); {len(train)} training "
        f"lines, {len(val)} validation lines; {train_cfg.steps} steps of {train_cfg.batch_size}"
    )
    result = train_writer(
        config,
        train_cfg,
        train,
        val,
        out,
        resume=args.resume,
        distribute=args.distribute,
        init=args.init,
        progress=sys.stdout.isatty(),
    )
    last = result.history[-1] if result.history else {}
    print(
        f"{result.steps} steps in {result.seconds:.0f} s; validation NLL "
        f"{last.get('val_nll', float('nan')):.3f} nats/point; weights: {out}"
    )
    return 0


def cmd_generate(args) -> int:
    import numpy as np

    from labcore.cli import output_file
    from synthesis.sampling import PRIME_TEXT, load_writer, save_line

    task = "conditional" if args.text is not None else "unconditional"
    output_file(args.out, suffixes=(".png", ".svg", ".npy"), replace=args.force)
    writer = load_writer(args.weights, task=task)
    prime = prime_text = None
    if args.prime is not None:
        from synthesis.features import check_line

        if not args.prime.is_file():
            raise FileNotFoundError(f"--prime: file not found: {args.prime}")
        try:
            prime = np.load(args.prime, allow_pickle=False)
        except (ValueError, EOFError, OSError) as err:
            raise ValueError(f"--prime {args.prime}: not a .npy array ({err})") from None
        prime = check_line(prime, f"--prime {args.prime}")
        prime_text = args.prime_text
        if task == "conditional" and not prime_text:
            raise ValueError("--prime needs --prime-text: the text written in the priming line")
    elif args.style is not None:
        from synthesis.sampling import style_prime

        prime, prime_text = style_prime(args.style), PRIME_TEXT
    if task == "conditional":
        if len(args.text) > writer.max_chars:  # word-wrapped into lines, each primed alike
            offsets = writer.write_lines(
                args.text, bias=args.bias, seed=args.seed, prime=prime, prime_text=prime_text
            )
        else:
            offsets = writer.generate(args.text, args.bias, args.seed, prime, prime_text).offsets
    else:
        offsets = writer.generate(None, args.bias, args.seed, prime, max_steps=args.steps).offsets
    path = save_line(offsets, args.out)
    print(f"wrote {path} ({len(offsets)} points)")
    return 0


def cmd_results(args) -> int:
    from synthesis.ablation import RESULTS, ablation_budget, format_table, resume_rows, run
    from synthesis.legibility import KEPT, format_legibility, kept_legibility

    if args.only in (None, "ablation"):
        budget = ablation_budget()
        measured = resume_rows(budget)  # an interrupted run's variants are not trained again
        if measured:
            print(f"resuming: {', '.join(measured)} already measured", file=sys.stderr)
        print(format_table(run(budget, save=RESULTS, measured=measured)))
        print(f"kept in {RESULTS}")
    if args.only in (None, "legibility"):
        print(format_legibility(kept_legibility(remeasure=True)))
        print(f"kept in {KEPT}")
    return 0


def cmd_recognize(args) -> int:
    from synthesis.recognition import evaluate_lines, load_recognizer, real_strokes, recognize

    data = real_strokes(args.strokes, args.sentences)
    model, charset, info = load_recognizer(args.weights)
    if args.sentences:
        scores = evaluate_lines(model, charset, data, beam=args.beam)
    else:  # no references: the transcriptions only, no error rates
        downsample = info["config"].downsample
        scores = {
            "n": len(data),
            "predictions": recognize(model, charset, data, args.beam, downsample),
        }
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


def cmd_demo(args) -> int:
    import threading

    from synthesis.demo.app import Models, make_demo_server

    if args.port > 65535:
        raise ValueError(f"--port: expected a port from 0 to 65535, got {args.port}")
    models = Models()
    server = make_demo_server(args.host, args.port, models)  # OSError: the port is taken
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"the demo page is at http://{host}:{server.server_port}/ (Ctrl-C stops it)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"listening on {args.host}: other machines can reach this page", file=sys.stderr)
    threading.Thread(target=models.warm_up, daemon=True).start()  # the first Read is quicker
    server.serve_forever()  # until Ctrl-C, which werkzeug catches
    print("stopped")
    return 0


def build_parser() -> Parser:
    from labcore.recipes import add_recipe_command
    from synthesis.recipes import RECIPES

    parser = Parser(
        prog="python -m synthesis",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train-recognizer", help="train the stroke recognizer with CTC")
    p.add_argument("--strokes", type=Path, help="strokes-py3.npy (default: synthetic)")
    p.add_argument("--sentences", type=Path, help="sentences.txt beside --strokes")
    p.add_argument("--epochs", type=positive_int, default=10)
    p.add_argument("--batch-size", type=positive_int, default=32)
    p.add_argument("--learning-rate", type=positive_float, default=2e-3)
    p.add_argument("--n-train", type=positive_int, default=None, help="training lines to use")
    p.add_argument("--n-val", type=positive_int, default=500, help="validation lines (synthetic)")
    p.add_argument(
        "--hand", choices=["human", "font"], default="human", help="synthetic writers' hand"
    )
    p.add_argument(
        "--n-lines", type=positive_int, default=12000, help="size of the synthetic set (80%% train)"
    )
    p.add_argument(
        "--data-seed", type=non_negative_int, default=0, help="synthetic set: new writers per seed"
    )
    p.add_argument("--units", type=positive_int, default=96)
    p.add_argument("--layers", type=positive_int, default=3)
    p.add_argument("--residual", action="store_true")
    p.add_argument("--attention", action="store_true")
    p.add_argument("--focal-gamma", type=non_negative_float, default=0.0)
    p.add_argument("--deskew", action="store_true", help="turn every line level before reading it")
    p.add_argument(
        "--augment", action="store_true", help="random slant, width, tilt and pen jitter"
    )
    p.add_argument(
        "--augment-density",
        type=non_negative_float,
        default=0.0,
        help="with --augment: also resize each line by up to exp(+-D) and resample it, so that "
        "narrower or smaller letters get fewer points (0: off)",
    )
    p.add_argument("--init", type=Path, help="start from these weights")
    p.add_argument("--out", type=Path, help="weights file (*.weights.h5) for the best epoch")
    p.add_argument("--distribute", choices=["mirrored"], default=None)

    p = sub.add_parser("train", help="train the handwriting prediction / synthesis network")
    p.add_argument("--task", choices=["unconditional", "conditional"], default="conditional")
    p.add_argument(
        "--hand",
        choices=["font", "human"],
        default="font",
        help="synthetic writers' hand (font: what the shipped networks learnt from)",
    )
    p.add_argument("--strokes", type=Path, help="strokes-py3.npy (default: synthetic)")
    p.add_argument("--sentences", type=Path, help="sentences.txt beside --strokes")
    p.add_argument(
        "--steps", type=positive_int, default=3000, help="total steps (a resumed run does the rest)"
    )
    p.add_argument("--batch-size", type=positive_int, default=32)
    p.add_argument("--learning-rate", type=positive_float, default=1.5e-3)
    p.add_argument("--units", type=positive_int, default=256)
    p.add_argument("--layers", type=positive_int, default=3)
    p.add_argument(
        "--n-train", type=positive_int, default=None, help="synthetic lines of each kind"
    )
    p.add_argument("--n-val", type=positive_int, default=128, help="validation lines of each kind")
    p.add_argument(
        "--numbers",
        type=non_negative_int,
        default=0,
        help="add this many number-rich synthetic lines to the training set (not to validation)",
    )
    p.add_argument(
        "--resume",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="continue from <out>.state when it exists (default)",
    )
    p.add_argument("--init", type=Path, help="start from these weights (same --units/--layers)")
    p.add_argument("--out", type=Path, help="weights file (*.weights.h5)")
    p.add_argument("--distribute", choices=["mirrored"], default=None)

    p = sub.add_parser("generate", help="write a text (or free handwriting) to .png/.svg/.npy")
    p.add_argument("--text", help="what to write (default: unconditional handwriting)")
    p.add_argument("--bias", type=non_negative_float, default=1.0, help="0: varied; 1-2: neat")
    style = p.add_mutually_exclusive_group()
    style.add_argument(
        "--style", type=non_negative_int, help="prime with this synthetic writer's hand"
    )
    style.add_argument("--prime", type=Path, help="prime with this (T, 3) .npy line")
    p.add_argument("--prime-text", help="the text of the --prime line")
    p.add_argument("--weights", type=Path, help="default: the shipped network for the task")
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.add_argument(
        "--steps", type=positive_int, default=400, help="points to write (unconditional)"
    )
    p.add_argument("--out", type=Path, required=True, help="FILE.png, FILE.svg or FILE.npy")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")

    p = sub.add_parser("recognize", help="transcribe every line of a strokes file")
    p.add_argument("--strokes", type=Path, required=True)
    p.add_argument("--sentences", type=Path, help="reference texts: also print CER and WER")
    p.add_argument("--weights", type=Path, help="default: the shipped recognizer")
    p.add_argument("--beam", type=non_negative_int, default=0, help="beam width (0: greedy)")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("figures", help="write the 05_* figures as PNG files")
    p.add_argument("--out", type=Path, default=Path("figures"))
    p.add_argument("--only", nargs="*", help="figure stems to write (default: all)")
    p = sub.add_parser(
        "results",
        help="measure again the kept results that figures draw (ablation ~1 h, legibility "
        "~3 min on 2 cores) and rewrite them in synthesis/weights/; an interrupted ablation "
        "resumes",
    )
    p.add_argument("--only", choices=["ablation", "legibility"], help="just this one")
    p = sub.add_parser("bench", help="the targets of parts 5 and 6, and the ablation table")
    p.add_argument("--json", action="store_true")
    p.add_argument("--part", choices=["5", "6"], help="only this part (default: both)")
    p = sub.add_parser("demo", help="a local web page: write a line, have it read, write texts")
    p.add_argument("--port", type=non_negative_int, default=8765, help="0: any free port")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every network)"
    )
    add_recipe_command(sub, RECIPES, "synthesis/weights")

    add_debug_flag(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return guarded(lambda: run(args), parser.prog, args.debug)


def run(args) -> int:
    if args.command == "train-recognizer":
        return cmd_train_recognizer(args)
    if args.command == "train":
        return cmd_train(args)
    if args.command == "generate":
        return cmd_generate(args)
    if args.command == "recognize":
        return cmd_recognize(args)
    if args.command == "results":
        return cmd_results(args)
    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "recipe":
        from labcore.recipes import run_recipe_command
        from synthesis.recipes import FAST, RECIPES

        return run_recipe_command(args, RECIPES, FAST)
    if args.command == "figures":
        from labcore.figures import save_figures
        from synthesis.figures import FIGURES

        save_figures(FIGURES, args.out, args.only)
        return 0
    from synthesis.bench import main as bench_main

    bench_main(as_json=args.json, parts=(args.part,) if args.part else ("5", "6"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
