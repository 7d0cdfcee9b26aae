"""Command line: ``python -m crnn train|evaluate|predict|figures|bench|recipe``.

python -m crnn train    [--dataset synthetic|digits | --csv FILE --images DIR] [--init W]
                        [--epochs N] [--batch-size N] [--n-train N] [--out W]
                        [--distribute mirrored]
python -m crnn evaluate [--dataset synthetic|digits | --csv FILE --images DIR] [--weights W]
                        [--split test|validation] [--beam N] [--tta] [--json]
python -m crnn predict  IMAGE... [--weights W] [--beam N] [--tta]
python -m crnn figures  [--out DIR]
python -m crnn bench    [--json]
python -m crnn recipe   digits|synthetic [--work DIR] [--out W] [--dry-run]

Without ``--weights`` the shipped weights of the data set are used (``crnn/weights/``).
``--tta`` reads each image six times (as it is, one pixel higher and lower, and all three again
two pixels to the right) and keeps the text the readings find likeliest: fewer errors on small
names, six times the time (see ``crnn.train.read_texts``).
``evaluate`` reads the test writers (the targets) unless ``--split validation``: choose weights
and reading options on the validation writers, then measure the test writers once.
Interrupt ``train`` at any time: run the same command again and it resumes at the next epoch.
``recipe`` trains a shipped weight file again, stage by stage (``crnn.recipes``); run it again
after an interruption and it goes on with the first stage that did not finish.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from labcore.cli import (
    Parser,
    add_debug_flag,
    guarded,
    non_negative_int,
    positive_float,
    positive_int,
    share,
)

TRAIN_DEFAULTS = {  # the budgets the shipped weights were trained with (see crnn/weights/)
    "synthetic": {"n_train": None, "epochs": 8},  # None: the whole training split
    "digits": {"n_train": 10000, "epochs": 6},
}
SPLIT_SEEDS = {"train": 0, "validation": 1, "test": 2}


def _add_data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dataset",
        choices=["synthetic", "digits"],
        default=None,
        help="built-in data set (default: synthetic)",
    )
    p.add_argument("--csv", type=Path, help="Kaggle-format CSV (FILENAME,IDENTITY)")
    p.add_argument("--images", type=Path, help="the image folder of --csv")
    p.add_argument("--limit", type=positive_int, default=None, help="use at most N items")


def _add_reading_args(p: argparse.ArgumentParser) -> None:
    """How ``evaluate`` and ``predict`` read an image: greedy or beam search, once or six times."""
    p.add_argument("--beam", type=non_negative_int, default=0, help="beam width (0: greedy)")
    p.add_argument(
        "--tta",
        action="store_true",
        help="read each image 6 times, 1 px up/down and 2 px right, keep the likeliest (6x slower)",
    )


def _dataset_name(args) -> str:
    if args.csv is not None or args.images is not None:
        if args.dataset is not None:
            raise ValueError("give either --dataset or --csv/--images, not both")
        if args.csv is None or args.images is None:
            raise ValueError("--csv and --images go together")
        return "kaggle"
    return args.dataset or "synthetic"


def _load_split(name: str, split: str, args, n: int | None = None):
    from crnn import data

    if name == "kaggle":
        return data.kaggle_names(args.csv, args.images, limit=args.limit)
    if name == "digits":
        # validation strings reuse training digits (in new combinations); test strings use
        # only the held-out digits
        n = {
            "train": n or TRAIN_DEFAULTS["digits"]["n_train"],
            "validation": data.N_DIGITS_VAL,
            "test": data.N_DIGITS_TEST,
        }[split]
        if args.limit is not None:
            n = min(n, args.limit)
        source = "test" if split == "test" else "train"
        return data.digit_strings(n, split=source, seed=SPLIT_SEEDS[split])
    limit = n if split == "train" else None
    if args.limit is not None:
        limit = args.limit if limit is None else min(limit, args.limit)
    return data.synthetic_names(data.N_SYNTHETIC, split=split, limit=limit)


def _weights(args, name: str) -> Path:
    from crnn.train import shipped_weights

    if args.weights is not None:
        return args.weights
    return shipped_weights("synthetic" if name == "kaggle" else name)


def cmd_train(args) -> int:
    from crnn.data import charset_for
    from crnn.model import CRNNConfig
    from crnn.train import read_model_info, shipped_weights, train
    from labcore.training import check_can_train

    name = _dataset_name(args)
    out = check_can_train(args.out or Path("checkpoints") / f"crnn-{name}.weights.h5")
    defaults = TRAIN_DEFAULTS.get(name, {"n_train": None, "epochs": 10})
    epochs = args.epochs if args.epochs is not None else defaults["epochs"]
    n_train = args.n_train if args.n_train is not None else defaults["n_train"]
    train_set = _load_split(name, "train", args, n_train)
    val_set = None if name == "kaggle" else _load_split(name, "validation", args)
    charset = charset_for(name)
    config = CRNNConfig.small(charset.num_classes)
    init = args.init
    if init is None and name == "kaggle":  # fine-tune from the synthetic names model
        init = shipped_weights("synthetic")
    if init is not None:
        info = read_model_info(init)
        if info["charset"].chars != charset.chars:
            raise ValueError(
                f"--init {init}: its charset {info['charset'].chars!r} differs "
                f"from the data set's {charset.chars!r}"
            )
        config = info["config"]
    result = train(
        config,
        train_set,
        val_set,
        charset,
        epochs=epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        out=out,
        init=init,
        distribute=args.distribute,
        augment_share=args.augment,
        verbose="auto" if sys.stdout.isatty() else 2,  # one line per epoch in a log file
    )
    print(
        f"trained {len(result.history.get('loss', []))} epochs on {result.n_train} images "
        f"in {result.seconds:.0f} s ({result.images_per_second:.0f} images/s); "
        f"weights: {out}"
    )
    return 0


def cmd_evaluate(args) -> int:
    from crnn.train import evaluate, load_model

    name = _dataset_name(args)
    if name == "kaggle" and args.split != "test":
        raise ValueError("--split: a --csv data set has no splits; leave --split out")
    model, charset, _ = load_model(_weights(args, name))
    data = _load_split(name, args.split, args)
    scores = evaluate(model, charset, data, beam=args.beam, tta=args.tta)
    summary = {k: scores[k] for k in ("cer", "wer", "word_accuracy", "n")}
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"{data.source}: CER {scores['cer']:.2%}  WER {scores['wer']:.2%}  "
            f"word accuracy {scores['word_accuracy']:.2%}  n={scores['n']}"
        )
    return 0


def cmd_predict(args) -> int:
    from crnn.data import load_images
    from crnn.train import load_model, read_texts, shipped_weights

    data = load_images(args.images)  # a bad image fails before the model is built
    model, charset, _ = load_model(args.weights or shipped_weights("synthetic"))
    texts = read_texts(model, data.images, charset, beam=args.beam, tta=args.tta)
    for path, text in zip(data.paths, texts, strict=True):
        print(f"{path}\t{text}")
    return 0


def build_parser() -> Parser:
    from crnn.recipes import RECIPES
    from labcore.recipes import add_recipe_command

    parser = Parser(
        prog="python -m crnn",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train a CRNN with CTC (resumes an interrupted run)")
    _add_data_args(p)
    p.add_argument("--init", type=Path, help="start from these weights (fine-tune)")
    p.add_argument("--epochs", type=positive_int, default=None)
    p.add_argument("--batch-size", type=positive_int, default=32)
    p.add_argument("--learning-rate", type=positive_float, default=2e-3)
    p.add_argument("--n-train", type=positive_int, default=None, help="training images to use")
    p.add_argument(
        "--augment",
        type=share,
        default=0.0,
        help="share of training images redrawn each epoch (smaller, thinner, ...)",
    )
    p.add_argument("--out", type=Path, help="weights file (*.weights.h5) for the best epoch")
    p.add_argument(
        "--distribute",
        choices=["mirrored"],
        default=None,
        help="train under tf.distribute.MirroredStrategy",
    )

    p = sub.add_parser("evaluate", help="CER, WER and word accuracy on held-out data")
    _add_data_args(p)
    p.add_argument(
        "--split",
        choices=["test", "validation"],
        default="test",
        help="held-out writers to read: test (the targets) or validation (to choose weights)",
    )
    p.add_argument("--weights", type=Path)
    _add_reading_args(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("predict", help="read image files: one 'path<TAB>text' line each")
    p.add_argument("images", nargs="+", type=Path)
    p.add_argument("--weights", type=Path)
    _add_reading_args(p)

    p = sub.add_parser("figures", help="write the 04_* figures as PNG files")
    p.add_argument("--out", type=Path, default=Path("figures"))
    p.add_argument("--only", nargs="*", help="figure stems to write (default: all)")

    p = sub.add_parser("bench", help="the part-4 targets: CER, accuracy, images per second")
    p.add_argument("--json", action="store_true")

    add_recipe_command(sub, RECIPES, "crnn/weights")

    add_debug_flag(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return guarded(lambda: run(args), parser.prog, args.debug)


def run(args) -> int:
    if args.command == "train":
        return cmd_train(args)
    if args.command == "evaluate":
        return cmd_evaluate(args)
    if args.command == "predict":
        return cmd_predict(args)
    if args.command == "recipe":
        from crnn.recipes import FAST, RECIPES
        from labcore.recipes import run_recipe_command

        return run_recipe_command(args, RECIPES, FAST)
    if args.command == "figures":
        from crnn.figures import FIGURES
        from labcore.figures import save_figures

        save_figures(FIGURES, args.out, args.only)
        return 0
    from crnn.bench import main as bench_main

    bench_main(as_json=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
