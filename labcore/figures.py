"""Figures to files: what every part's ``python -m <part> figures`` (and ``make figures``) runs.

Each part keeps a ``FIGURES`` dict (stem -> zero-argument builder returning a matplotlib Figure);
:func:`save_figures` draws them off screen and writes ``<stem>.png`` files that are the same
bytes on every run.
"""

from __future__ import annotations

from pathlib import Path

from labcore.cli import atomic_output, output_folder


def save_figures(figures: dict, out: Path, only: list[str] | None = None) -> list[Path]:
    """Build each figure of ``figures`` (stem -> builder) and save it as ``out/<stem>.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    unknown = sorted(set(only or []) - set(figures))
    if unknown:
        raise ValueError(
            f"--only: unknown figure(s) {', '.join(unknown)}; known: {', '.join(figures)}"
        )
    out = output_folder(out)
    written = []
    for stem, build in figures.items():
        if only and stem not in only:
            continue
        fig = build()
        path = out / f"{stem}.png"
        # No timestamp or version in the PNG metadata, so two runs give the same bytes.
        with atomic_output(path) as tmp:  # an interrupted run never leaves half a PNG
            fig.savefig(tmp, dpi=120, metadata={"Software": None})
        plt.close(fig)
        print(f"wrote {path}", flush=True)
        written.append(path)
    return written
