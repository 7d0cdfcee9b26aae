"""Command line: ``python -m ink prepare|figures|bench``.

python -m ink prepare --iamondb DIR --out DIR   # raw IAM-OnDB XML -> strokes-py3.npy + sentences.txt
python -m ink figures --out figures             # the handwriting-data figures
python -m ink bench                             # synthetic data statistics and generation speed
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from labcore.cli import Parser, add_debug_flag, guarded

    parser = Parser(
        prog="python -m ink",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_prep = sub.add_parser(
        "prepare", help="convert raw IAM-OnDB to strokes-py3.npy + sentences.txt"
    )
    p_prep.add_argument(
        "--iamondb",
        type=Path,
        required=True,
        help="folder holding lineStrokes/ and ascii/ of IAM-OnDB",
    )
    p_prep.add_argument("--out", type=Path, required=True, help="output folder")
    p_fig = sub.add_parser("figures", help="write the handwriting-data figures as PNG files")
    p_fig.add_argument("--out", type=Path, default=Path("figures"))
    p_fig.add_argument("--only", nargs="*", help="figure stems to write (default: all)")
    p_bench = sub.add_parser("bench", help="synthetic-vs-real statistics and generation speed")
    p_bench.add_argument("--json", action="store_true", help="print one JSON object")
    add_debug_flag(parser)
    args = parser.parse_args(argv)
    return guarded(lambda: run(args), parser.prog, args.debug)


def run(args) -> int:
    if args.command == "prepare":
        from ink.iamondb import prepare
        from labcore.cli import output_folder

        output_folder(args.out)  # before reading thousands of files
        prepare(args.iamondb, args.out)
    elif args.command == "figures":
        from ink.figures import FIGURES
        from labcore.figures import save_figures

        save_figures(FIGURES, args.out, args.only)
    elif args.command == "bench":
        from ink.bench import main as bench_main

        bench_main(as_json=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
