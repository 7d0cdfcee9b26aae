"""Command line: ``python -m lstm_explained figures|bench``.

python -m lstm_explained figures --out figures [--only 01_model_comparison ...]
python -m lstm_explained bench [--json]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from labcore.cli import Parser, add_debug_flag, guarded

    parser = Parser(
        prog="python -m lstm_explained",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_fig = sub.add_parser("figures", help="write the figures of parts 1-3 as PNG files")
    p_fig.add_argument("--out", type=Path, default=Path("figures"))
    p_fig.add_argument("--only", nargs="*", help="figure stems to write (default: all)")
    p_bench = sub.add_parser("bench", help="compare the models of notebooks 01 and 03")
    p_bench.add_argument("--json", action="store_true", help="print one JSON object")
    add_debug_flag(parser)
    args = parser.parse_args(argv)
    return guarded(lambda: run(args), parser.prog, args.debug)


def run(args) -> int:
    if args.command == "figures":
        from labcore.figures import save_figures
        from lstm_explained.figures import FIGURES

        save_figures(FIGURES, args.out, args.only)
    elif args.command == "bench":
        from lstm_explained.bench import main as bench_main

        bench_main(as_json=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
